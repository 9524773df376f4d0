"""The scoring API: rankings (scope, order, cursor pages, blind mode), the fairness audit, score runs,
a candidate's breakdown (the student's own only), rubrics and contests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import user_create
from core.models import Job
from core.tasking import run_job
from privacy.models import Consent
from scoring.models import RecordContest, ScoreRun
from talent import services
from talent.models import Organization, Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

RUBRIC = "university-student"
RANKINGS = "/api/v1/rankings/"
FAIRNESS = "/api/v1/rankings/fairness/"


def _student(org: Organization, name: str, gender: str, gpa: str | None, *, level: str = "university",
             conduct: int = 85) -> Any:
    candidate = make_candidate(org, name, gender=gender, date_of_birth=dt.date(2004, 5, 5))
    services.education_record_add(candidate=candidate, actor=None, level=level, start_year=2023,
                                  institution_name="ĐH Bách khoa", gpa=Decimal(gpa) if gpa else None,
                                  conduct_score=conduct)
    return candidate


@pytest.fixture
def world(org_tree) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """Six university students who differ only by GPA (so the order is known), a pupil the rubric
    filters out, a student without a GPA (excluded: the rubric's missing-value policy), and one
    person per role. The pool shared with the agency holds Bình, Cường and Dung; Cường did not
    consent, so the recruiter sees Bình and Dung."""
    t = org_tree
    w = SimpleNamespace(org=t)
    w.binh = _student(t.faculty, "Trần Thị Bình", "female", "3.90")
    w.cuong = _student(t.uni, "Lê Văn Cường", "male", "3.70")
    w.dung = _student(t.ward_b, "Phạm Thị Dung", "female", "3.50")
    w.em = _student(t.ward_a, "Võ Minh Em", "male", "3.30")
    w.phuc = _student(t.uni, "Đặng Văn Phúc", "male", "3.10")
    w.giang = _student(t.ward_b, "Hoàng Thị Giang", "female", "2.90")
    w.ranked = [w.binh, w.cuong, w.dung, w.em, w.phuc, w.giang]
    w.pupil = _student(t.school_a, "Ngô Văn Hải", "male", None, level="grade_12")
    w.no_gpa = _student(t.uni, "Bùi Thị Khánh", "female", None)

    w.admin = make_user(Role.ADMIN, t.city, username="s_admin")
    w.officer = make_user(Role.OFFICER, t.city, username="s_officer")
    w.liaison = make_user(Role.LIAISON, t.uni, username="s_liaison")
    w.recruiter = make_user(Role.RECRUITER, t.agency, username="s_recruiter")
    w.student = user_create(actor=None, username="s_student", password="Demo-pass-2026", role=Role.STUDENT,
                            candidate=w.cuong)
    pool = services.pool_create(actor=None, name="Nguồn tài năng trẻ", kind="young_talent", owner=t.city,
                                shared_with=[t.agency])
    for c in (w.binh, w.cuong, w.dung):
        services.pool_add(pool=pool, candidate=c, actor=None)
    for c in (w.binh, w.dung):
        Consent.objects.create(candidate=c, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS,
                               given_by=Consent.GivenBy.SELF, evidence_note="Văn bản có chữ ký")
    return w


def _all_rows(client: Any, **params: Any) -> list[dict[str, Any]]:
    """Every row, following the cursor from page to page."""
    rows: list[dict[str, Any]] = []
    response = client.get(RANKINGS, {"rubric": RUBRIC, **params})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        parts = urlsplit(body["next"])
        response = client.get(f"{parts.path}?{parts.query}")


# --- Rankings --------------------------------------------------------------------------------------------


def test_rankings_are_best_first_and_paginated_by_cursor(world, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.officer)
    first = client.get(RANKINGS, {"rubric": RUBRIC, "page_size": 2}).json()
    assert [row["rank"] for row in first["results"]] == [1, 2]
    assert first["previous"] is None and first["next"]
    assert (first["rubric"], first["version"], first["cohort"], first["cohort_size"]) == (RUBRIC, 1, "all", 6)

    rows = _all_rows(client, page_size=2)
    assert [row["rank"] for row in rows] == [1, 2, 3, 4, 5, 6]
    assert [row["candidate"] for row in rows] == [c.pk for c in world.ranked]
    assert [row["full_name"] for row in rows][:2] == ["Trần Thị Bình", "Lê Văn Cường"]
    assert rows[0]["organization"] == "Khoa Khoa học Máy tính"
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 6
    assert [row["percentile"] for row in rows] == [100.0, 80.0, 60.0, 40.0, 20.0, 0.0]
    for row in rows:
        assert sum(row["contributions"].values()) == pytest.approx(row["score"], abs=1e-9)
        assert list(row["contributions"]) == ["gpa", "conduct", "research", "awards", "language", "volunteering",
                                              "leadership", "engagement"]
    # The pupil (filtered out) and the student without a GPA (excluded) are not ranked.
    assert {world.pupil.pk, world.no_gpa.pk}.isdisjoint(row["candidate"] for row in rows)
    # The second read uses the stored run instead of ranking again.
    assert ScoreRun.objects.filter(cohort="all").count() == 1


def test_a_malformed_cursor_is_a_bad_request(world, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.officer).get(RANKINGS, {"rubric": RUBRIC, "cursor": "cD1hYmM="})
    assert response.status_code == 400


def test_blind_mode_leaves_names_out(world, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.officer).get(RANKINGS, {"rubric": RUBRIC, "blind": "1"})
    body = response.json()
    assert body["blind"] is True
    assert len(body["results"]) == 6
    assert all("full_name" not in row for row in body["results"])
    text = response.content.decode()
    assert not any(c.full_name in text for c in world.ranked)
    # Without the flag, the names are there.
    assert api_as(world.officer).get(RANKINGS, {"rubric": RUBRIC}).json()["results"][0]["full_name"]


def test_a_recruiter_sees_only_the_rows_of_people_shared_with_them(world, api_as) -> None:  # type: ignore[no-untyped-def]
    rows = _all_rows(api_as(world.recruiter))
    # Cường is in the shared pool but did not consent; ranks are those of the whole cohort.
    assert [(row["candidate"], row["rank"]) for row in rows] == [(world.binh.pk, 1), (world.dung.pk, 3)]
    from core.models import AuditEvent

    read = AuditEvent.objects.filter(actor=world.recruiter, action="candidate.read", changes__via="api.rankings")
    assert sorted(int(e.object_id) for e in read) == sorted([world.binh.pk, world.dung.pk])


def test_a_liaison_ranks_their_university_by_default_and_reads_wider_cohorts_scoped(world, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.liaison)
    body = client.get(RANKINGS, {"rubric": RUBRIC}).json()
    assert body["cohort"] == f"org:{world.org.uni.pk}"
    assert [(row["candidate"], row["rank"]) for row in body["results"]] == [
        (world.binh.pk, 1), (world.cuong.pk, 2), (world.phuc.pk, 3)]
    # Reading everyone's ranking is allowed (it is not starting one); rows stay in the liaison's scope.
    rows = _all_rows(client, cohort="all")
    assert [(row["candidate"], row["rank"]) for row in rows] == [
        (world.binh.pk, 1), (world.cuong.pk, 2), (world.phuc.pk, 5)]


def test_students_never_see_a_ranking(world, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.student)
    for url in (RANKINGS, FAIRNESS):
        response = client.get(url, {"rubric": RUBRIC, "top": 3})
        assert response.status_code == 403
        assert "sinh viên" in response.json()["detail"] or "cán bộ" in response.json()["detail"]
    assert api_as(world.student).get(RANKINGS).status_code == 403  # refused before the parameters are read


@pytest.mark.parametrize(("params", "field"), [
    ({}, "rubric"),
    ({"rubric": "khong-co"}, "rubric"),
    ({"rubric": RUBRIC, "cohort": "everyone"}, "cohort"),
    ({"rubric": RUBRIC, "cohort": "org:999999"}, "cohort"),
    ({"rubric": RUBRIC, "cohort": "org:²"}, "cohort"),
    ({"rubric": RUBRIC, "cohort": "org:" + "9" * 30}, "cohort"),
    ({"rubric": RUBRIC, "cohort": "year:²⁰²⁴"}, "cohort"),
    ({"rubric": RUBRIC, "cohort": "year:1800"}, "cohort"),
    ({"rubric": RUBRIC, "cohort": "pool:abc"}, "cohort"),
    ({"rubric": RUBRIC, "cohort": "x" * 200}, "cohort"),
])
def test_bad_parameters_are_bad_requests_in_vietnamese(world, api_as, params, field) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.officer).get(RANKINGS, params)
    assert response.status_code == 400, response.content
    message = str(response.json()[field])
    assert any(word in message for word in ("Không có", "Cần chọn", "Nhóm xếp hạng")), message
    assert not ScoreRun.objects.exists()


def test_an_organization_outside_the_scope_looks_like_one_that_does_not_exist(world, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.liaison)
    outside = client.get(RANKINGS, {"rubric": RUBRIC, "cohort": f"org:{world.org.ward_b.pk}"})
    missing = client.get(RANKINGS, {"rubric": RUBRIC, "cohort": "org:999999"})
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()


def test_other_cohorts_rank_among_their_own_members(world, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.officer)
    ward_b = client.get(RANKINGS, {"rubric": RUBRIC, "cohort": "org:W-B"}).json()
    assert ward_b["cohort"] == f"org:{world.org.ward_b.pk}"
    assert [(r["candidate"], r["rank"]) for r in ward_b["results"]] == [(world.dung.pk, 1), (world.giang.pk, 2)]
    year = client.get(RANKINGS, {"rubric": RUBRIC, "cohort": "year:2023"}).json()
    assert [r["candidate"] for r in year["results"]] == [c.pk for c in world.ranked]
    assert client.get(RANKINGS, {"rubric": RUBRIC, "cohort": "year:2019"}).json()["results"] == []


@pytest.mark.parametrize("role", ["officer", "recruiter"])
def test_the_rankings_page_costs_the_same_queries_whatever_its_size(world, api_as, role,
                                                                    django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = api_as(getattr(world, role))
    assert client.get(RANKINGS, {"rubric": RUBRIC}).status_code == 200  # the first read ranks the cohort
    counts = []
    for size in (1, 6):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(RANKINGS, {"rubric": RUBRIC, "page_size": size})
        assert len(response.json()["results"]) == (size if role == "officer" else min(size, 2))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(10):
        client.get(RANKINGS, {"rubric": RUBRIC, "page_size": 500})


# --- Fairness --------------------------------------------------------------------------------------------


def test_fairness_counts_equal_a_hand_count(world, api_as) -> None:  # type: ignore[no-untyped-def]
    body = api_as(world.officer).get(FAIRNESS, {"rubric": RUBRIC, "top": 3}).json()
    assert (body["rubric"], body["cohort"], body["top"], body["considered"]) == (RUBRIC, "all", 3, 6)
    # By hand: ranks 1-3 are Bình (F), Cường (M), Dung (F); everyone ranked is 3 F and 3 M.
    gender = {g["group"]: g for g in next(x for x in body["groupings"] if x["grouping"] == "gender")["groups"]}
    assert (gender["female"]["considered"], gender["female"]["selected"], gender["female"]["rate"]) == (3, 2, 0.6667)
    assert (gender["male"]["considered"], gender["male"]["selected"], gender["male"]["rate"]) == (3, 1, 0.3333)
    # Groups of 3 are too small to judge: said so, neither flagged nor cleared.
    assert {g["flag"] for g in gender.values()} == {"too_small"}
    assert all(g["ratio"] is None for g in gender.values())
    for grouping in body["groupings"]:
        assert sum(g["considered"] for g in grouping["groups"]) == 6
        assert sum(g["selected"] for g in grouping["groups"]) == 3
        assert grouping["warning"]  # three selected: too few to judge


def test_fairness_ratios_and_the_four_fifths_flag(org_tree, api_as) -> None:  # type: ignore[no-untyped-def]
    """20 women and 20 men; the top 10 holds 7 men and 3 women: rates 0.35 and 0.15, women's ratio
    0.15 / 0.35 = 0.4286, under four fifths."""
    men_top, women_top = 7, 3
    given = ["An", "Bảo", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Lan", "Minh", "Nga", "Oanh", "Phong", "Quân",
             "Sơn", "Tâm", "Uyên", "Vân", "Xuân", "Yến", "Hùng"]
    for i, name in enumerate(given):
        _student(org_tree.uni, f"Nguyễn Văn {name}", "male",
                 f"{3.95 - i * 0.01:.2f}" if i < men_top else f"{2.5 + i * 0.01:.2f}")
        _student(org_tree.uni, f"Trần Thị {name}", "female",
                 f"{3.85 - i * 0.01:.2f}" if i < women_top else f"{2.3 + i * 0.01:.2f}")
    officer = make_user(Role.OFFICER, org_tree.city)
    body = api_as(officer).get(FAIRNESS, {"rubric": RUBRIC, "top": 10}).json()
    assert body["considered"] == 40
    gender = {g["group"]: g for g in next(x for x in body["groupings"] if x["grouping"] == "gender")["groups"]}
    assert (gender["male"]["selected"], gender["male"]["rate"], gender["male"]["ratio"]) == (7, 0.35, 1.0)
    assert (gender["female"]["selected"], gender["female"]["rate"]) == (3, 0.15)
    assert gender["female"]["ratio"] == round(0.15 / 0.35, 4)
    assert gender["female"]["flag"] == "below_four_fifths" and gender["male"]["flag"] == ""


@pytest.mark.parametrize("top", ["", "0", "100001", "ba", "-3"])
def test_fairness_needs_a_sensible_cut(world, api_as, top) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.officer).get(FAIRNESS, {"rubric": RUBRIC, "top": top})
    assert response.status_code == 400
    assert "top" in response.json()


def test_fairness_is_for_staff(world, api_as) -> None:  # type: ignore[no-untyped-def]
    assert api_as(world.recruiter).get(FAIRNESS, {"rubric": RUBRIC, "top": 2}).status_code == 403
    liaison = api_as(world.liaison).get(FAIRNESS, {"rubric": RUBRIC, "top": 2}).json()
    assert (liaison["cohort"], liaison["considered"]) == (f"org:{world.org.uni.pk}", 3)


# --- Score runs ------------------------------------------------------------------------------------------


def test_starting_a_run_queues_a_job_and_the_run_is_listed(world, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.officer)
    response = client.post("/api/v1/score-runs/", {"rubric": RUBRIC, "cohort": "all"}, format="json")
    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["kind"], job["status"]) == ("scoring.run", "queued")
    run_job.call(job["id"])
    assert Job.objects.get(pk=job["id"]).status == Job.Status.SUCCEEDED
    runs = client.get("/api/v1/score-runs/", {"rubric": RUBRIC}).json()["results"]
    assert len(runs) == 1
    run = runs[0]
    assert (run["rubric"], run["version"], run["cohort"], run["status"], run["size"], run["excluded"],
            run["job"], run["created_by"]) == (RUBRIC, 1, "all", "succeeded", 6, 2, job["id"], "s_officer")
    assert client.get(f"/api/v1/score-runs/{run['id']}/").json()["id"] == run["id"]
    assert client.get("/api/v1/score-runs/", {"rubric": "final-year-pupil"}).json()["results"] == []
    # The rankings now read that run.
    assert client.get(RANKINGS, {"rubric": RUBRIC}).json()["run"] == run["id"]


def test_who_may_start_a_run(world, api_as) -> None:  # type: ignore[no-untyped-def]
    body = {"rubric": RUBRIC, "cohort": "all"}
    for role in ("recruiter", "student"):
        assert api_as(getattr(world, role)).post("/api/v1/score-runs/", body, format="json").status_code == 403
        assert api_as(getattr(world, role)).get("/api/v1/score-runs/").status_code == 403
    liaison = api_as(world.liaison)
    refused = liaison.post("/api/v1/score-runs/", body, format="json")
    assert refused.status_code == 403 and "liên lạc" in refused.json()["detail"]
    assert liaison.post("/api/v1/score-runs/", {"rubric": RUBRIC}, format="json").status_code == 202  # own unit
    outside = liaison.post("/api/v1/score-runs/", {"rubric": RUBRIC, "cohort": f"org:{world.org.ward_b.pk}"},
                           format="json")
    assert outside.status_code == 400 and "cohort" in outside.json()
    unknown = api_as(world.admin).post("/api/v1/score-runs/", {"rubric": "khong-co"}, format="json")
    assert unknown.status_code == 400 and "rubric" in unknown.json()
    assert api_as(world.admin).post("/api/v1/score-runs/", {}, format="json").status_code == 400
    assert Job.objects.filter(kind="scoring.run").count() == 1


# --- A candidate's breakdown -----------------------------------------------------------------------------


def _score(client: Any, candidate_id: int, rubric: str = RUBRIC) -> Any:
    return client.get(f"/api/v1/candidates/{candidate_id}/score/", {"rubric": rubric})


def test_the_student_reads_their_own_breakdown(world, api_as) -> None:  # type: ignore[no-untyped-def]
    response = _score(api_as(world.student), world.cuong.pk)
    assert response.status_code == 200, response.content
    mine = response.json()
    assert (mine["ranked"], mine["rubric"], mine["version"], mine["rank"], mine["cohort_size"]) == (
        True, RUBRIC, 1, 2, 6)
    assert [line["key"] for line in mine["criteria"]] == ["gpa", "conduct", "research", "awards", "language",
                                                          "volunteering", "leadership", "engagement"]
    assert sum(line["contribution"] for line in mine["criteria"]) == pytest.approx(mine["score"], abs=1e-9)
    assert mine["max_score"] == 100.0
    gpa = mine["criteria"][0]
    assert (gpa["value"], gpa["weight"], gpa["label"]) == (3.7, 30.0, "Điểm trung bình (thang 4)")
    assert gpa["contribution"] == pytest.approx(30 * (3.7 - 2.0) / 2.0, abs=1e-4)
    assert gpa["rationale"]
    # The same numbers as the staff's ranking, and the gap to Bình above (who is never named).
    rows = {row["candidate"]: row for row in _all_rows(api_as(world.officer))}
    assert mine["score"] == rows[world.cuong.pk]["score"]
    assert mine["gap_to_above"] == pytest.approx(rows[world.binh.pk]["score"] - mine["score"], abs=1e-4)
    assert gpa["gap_to_above"] == pytest.approx(
        rows[world.binh.pk]["contributions"]["gpa"] - rows[world.cuong.pk]["contributions"]["gpa"], abs=1e-4)
    assert world.binh.full_name not in response.content.decode()
    assert not {"candidate", "candidate_id", "full_name", "above"} & {key for line in mine["criteria"] for key in line}
    assert not {"candidate", "candidate_id", "full_name", "above"} & set(mine)


def test_a_student_gets_404_for_anyone_else(world, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.student)
    assert _score(client, world.binh.pk).status_code == 404
    assert _score(client, 999_999).status_code == 404
    # Staff in scope read anyone's; a liaison not someone outside their university.
    assert _score(api_as(world.officer), world.binh.pk).json()["rank"] == 1
    assert _score(api_as(world.liaison), world.dung.pk).status_code == 404
    assert _score(api_as(world.recruiter), world.dung.pk).json()["rank"] == 3


def test_a_breakdown_needs_a_known_rubric(world, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.student)
    assert client.get(f"/api/v1/candidates/{world.cuong.pk}/score/").status_code == 400
    unknown = _score(client, world.cuong.pk, "khong-co")
    assert unknown.status_code == 400 and "Không có bộ tiêu chí" in str(unknown.json()["rubric"])


def test_someone_not_ranked_is_told_why(world, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.officer)
    pupil = _score(client, world.pupil.pk).json()
    assert pupil["ranked"] is False
    assert pupil["reason"].startswith("Không đạt điều kiện: Đang học đại học (hiện có: Lớp 12).")
    assert "rank" not in pupil and "criteria" not in pupil
    no_gpa = _score(client, world.no_gpa.pk).json()
    assert no_gpa == {"ranked": False, "reason": "Thiếu dữ liệu bắt buộc: Điểm trung bình (thang 4).", "rubric": RUBRIC,
                      "rubric_name": "Sinh viên xuất sắc", "version": 1, "run": no_gpa["run"]}
    # Registered after the newest run: the ranking has not caught up yet, and says so.
    newcomer = _student(world.org.uni, "Lý Văn Minh", "male", "3.00")
    late = _score(client, newcomer.pk).json()
    assert late["ranked"] is False and "lần cập nhật sau sẽ tính" in late["reason"]


# --- Rubrics ---------------------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_rubrics(world, api_as, client) -> None:  # type: ignore[no-untyped-def]
    for role in ("admin", "officer", "liaison", "recruiter", "student"):
        response = api_as(getattr(world, role)).get("/api/v1/rubrics/")
        assert response.status_code == 200
        assert {r["slug"] for r in response.json()["results"]} >= {"final-year-pupil", RUBRIC, "young-cadre"}
    assert client.get("/api/v1/rubrics/").status_code in (401, 403)
    rubric = api_as(world.student).get(f"/api/v1/rubrics/{RUBRIC}/").json()
    assert (rubric["name"], rubric["active_version"]) == ("Sinh viên xuất sắc", 1)
    assert rubric["filters"] == [{"feature": "current_level", "op": "==", "value": "university",
                                  "label": "Đang học đại học"}]
    gpa = rubric["criteria"][0]
    assert (gpa["key"], gpa["feature"], gpa["weight"], gpa["normalization"], gpa["missing"]) == (
        "gpa", "gpa4", 30.0, "fixed", "exclude")
    assert gpa["rationale"]
    assert sum(c["weight"] for c in rubric["criteria"]) == 100.0
    assert [(v["number"], v["state"]) for v in rubric["versions"]] == [(1, "active")]
    assert api_as(world.student).get("/api/v1/rubrics/khong-co/").status_code == 404


def test_the_rubric_list_does_not_query_per_rubric(world, api_as, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = api_as(world.officer)
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/rubrics/").json()["results"]) == 3


# --- Contests --------------------------------------------------------------------------------------------


def _contest(client: Any, candidate_id: int, **body: Any) -> Any:
    data = {"rubric": RUBRIC, "criterion": "gpa", "message": "Điểm trung bình học kỳ 2 của tôi là 3,8.", **body}
    return client.post(f"/api/v1/candidates/{candidate_id}/contest/", data, format="json")


def test_a_student_contests_a_record_of_their_own(world, api_as) -> None:  # type: ignore[no-untyped-def]
    response = _contest(api_as(world.student), world.cuong.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["candidate"], body["rubric"], body["criterion"], body["criterion_label"], body["status"]) == (
        world.cuong.pk, RUBRIC, "gpa", "Điểm trung bình (thang 4)", "open")
    contest = RecordContest.objects.get(pk=body["id"])
    assert contest.opened_by == world.student
    # The liaison in charge sees it among their tasks.
    assert RecordContest.objects.for_user(world.liaison).filter(pk=contest.pk).exists()


def test_contests_by_others_and_bad_contests(world, api_as) -> None:  # type: ignore[no-untyped-def]
    student = api_as(world.student)
    assert _contest(student, world.binh.pk).status_code == 404
    assert _contest(student, world.cuong.pk, criterion="khong-co").status_code == 400
    assert _contest(student, world.cuong.pk, rubric="khong-co").status_code == 400
    short = _contest(student, world.cuong.pk, message="sai")
    assert short.status_code == 400 and "message" in short.json()
    # A recruiter can see Bình's record but may not contest it; staff in scope may.
    refused = _contest(api_as(world.recruiter), world.binh.pk)
    assert refused.status_code == 403
    assert _contest(api_as(world.liaison), world.binh.pk).status_code == 201
    assert RecordContest.objects.count() == 1
