"""The openings API: publishing positions, matches, the shortlist board (stage rules, ratings, notes,
blind review, XLSX), placements with the mentor's feedback, notifications and the resolutions' targets."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.services import user_create
from api.openings import BOARD_HEADERS
from core.models import Notification
from core.text import fold
from openings import services as opening_services, targets as target_values
from openings.models import FEEDBACK_CRITERIA, Opening, Placement, ShortlistEntry, Target
from privacy.models import Consent
from scoring.features import load_features
from talent import services
from talent.models import Candidate, Role, Stage
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

MISSING = 999_999
PASSWORD = "Mat-khau-sinh-vien-2026"
NAMES = ("Hoàng Văn Khải", "Đỗ Thị Lan", "Bùi Minh Long", "Ngô Thị Mai", "Dương Văn Nam", "Lý Thị Oanh",
         "Trịnh Văn Phát", "Hà Thị Quyên", "Mai Văn Sơn", "Tạ Thị Tâm")


def _consent(candidate: Candidate) -> None:
    Consent.objects.create(candidate=candidate, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS,
                           given_by=Consent.GivenBy.SELF, evidence_note="Văn bản có chữ ký")


@pytest.fixture
def w(org_tree, admin_user, officer) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """A recruiter of the agency, a pool of the city shared with it, and candidates: four shared who
    consent (with records that meet an opening's requirements more or less), one shared without
    consent and one not shared at all (both invisible to the recruiter)."""
    t = org_tree
    w = SimpleNamespace(t=t, admin=admin_user, officer=officer)
    w.recruiter = make_user(Role.RECRUITER, t.agency, username="recruiter_t")
    w.colleague = make_user(Role.RECRUITER, t.agency, username="recruiter_t2")
    w.mentor = make_user(Role.RECRUITER, t.agency, username="mentor_t", first_name="Lan", last_name="Hồ")
    w.other_agency = services.organization_create(code="AG-KHAC", name="Sở Tài chính", kind="agency", parent=None,
                                                  province_code=79, actor=None)
    w.outsider = make_user(Role.RECRUITER, w.other_agency, username="recruiter_khac")
    w.pool = services.pool_create(actor=None, name="Nguồn chia sẻ", kind="young_talent", owner=t.city,
                                  shared_with=[t.agency])

    def person(name: str, *, level: str = "university", major: str = "", gpa: str | None = None,
               language: int | None = None, theory: str = "", share: bool = True, consent: bool = True,
               gender: str = "male") -> Candidate:
        c = make_candidate(t.faculty, name, gender=gender, date_of_birth=dt.date(2003, 5, 1),
                           political_theory=theory, email=f"{fold(name).split()[-1]}@example.vn")
        services.education_record_add(candidate=c, actor=None, level=level, start_year=2021, major=major,
                                      institution_name="ĐH Bách khoa", gpa=gpa)
        if language:
            services.language_certificate_add(candidate=c, actor=None, language="en", level=language, verified=True)
        if share:
            services.pool_add(pool=w.pool, candidate=c, actor=None)
        if consent:
            _consent(c)
        return c

    # Meets everything, best under the rubric.
    w.giang = person("Trần Thị Giang", major="Công nghệ thông tin", gpa="3.95", language=6, theory="cao_cap",
                     gender="female")
    # Meets everything, second.
    w.an = person("Nguyễn Văn An", major="Kỹ thuật Công Nghệ Thông Tin", gpa="3.80", language=5, theory="trung_cap")
    # A college: no degree, no language; not ranked (the rubric ranks university students).
    w.cuong = person("Lê Văn Cường", level="college", major="CÔNG NGHỆ THÔNG TIN", theory="cu_nhan")
    # Another field, language 3, no political theory.
    w.binh = person("Phạm Thị Bình", major="Kinh tế", gpa="3.90", language=3, gender="female")
    # Invisible to the recruiter: shared without consent; not shared at all.
    w.dung = person("Võ Thị Dung", major="Công nghệ thông tin", gpa="3.99", language=6, consent=False)
    w.em = person("Đặng Văn Em", major="Công nghệ thông tin", gpa="3.70", language=6, share=False)
    return w


def _opening(client: Any, **fields: Any) -> dict[str, Any]:
    body = {"title": "Chuyên viên công nghệ thông tin", "kind": "job", "slots": 2, "degree_level": "university",
            "major_group": "cong nghe thong tin", "language_level": 4, "political_theory": "so_cap",
            "skills": ["Excel", "Lập trình Python"], **fields}
    response = client.post("/api/v1/openings/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _move(client: Any, entry: int, stage: str, reason: str = "") -> Any:
    body = {"stage": stage, **({"reason": reason} if reason else {})}
    return client.post(f"/api/v1/shortlist-entries/{entry}/move/", body, format="json")


def _shortlist(client: Any, opening: int, candidate: int) -> Any:
    return client.post(f"/api/v1/openings/{opening}/shortlist/", {"candidate": candidate}, format="json")


# --- The check --------------------------------------------------------------------------------------


def test_recruiter_opens_matches_shortlists_hires_and_the_officer_sees_recruited(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter = api_as(w.recruiter)
    opening = _opening(recruiter)
    assert opening["agency"] == w.t.agency.pk and opening["status"] == "open" and opening["can_manage"] is True

    # Matches: all visible to the recruiter (and every visible one is there), best fit first.
    response = recruiter.get(f"/api/v1/openings/{opening['id']}/matches/?limit=100")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    visible = set(Candidate.objects.for_user(w.recruiter).values_list("pk", flat=True))
    assert {row["candidate"] for row in rows} == visible == {w.giang.pk, w.an.pk, w.cuong.pk, w.binh.pk}
    assert [row["candidate"] for row in rows] == [w.giang.pk, w.an.pk, w.cuong.pk, w.binh.pk]
    by_id = {row["candidate"]: row for row in rows}
    assert by_id[w.an.pk]["met"] == ["degree_level", "major_group", "language_level", "political_theory"]
    assert by_id[w.an.pk]["missing"] == [] and by_id[w.an.pk]["fit"] == 1.0
    assert by_id[w.an.pk]["not_checked"] == ["skills"] and by_id[w.an.pk]["full_name"] == "Nguyễn Văn An"
    assert by_id[w.cuong.pk]["missing"] == ["degree_level", "language_level"] and by_id[w.cuong.pk]["rank"] is None
    assert by_id[w.binh.pk]["missing"] == ["major_group", "language_level", "political_theory"]
    assert by_id[w.binh.pk]["fit"] == 0.25
    assert by_id[w.giang.pk]["rank"] < by_id[w.an.pk]["rank"]
    assert recruiter.get(f"/api/v1/openings/{opening['id']}/matches/?limit=1").json()["results"][0][
        "candidate"] == w.giang.pk

    # An unshared candidate cannot be shortlisted: exactly what an id that does not exist gets.
    hidden = _shortlist(recruiter, opening["id"], w.dung.pk)
    nobody = _shortlist(recruiter, opening["id"], MISSING)
    assert hidden.status_code == nobody.status_code == 400
    assert hidden.json() == nobody.json() == {"candidate": ["Không có ứng viên này."]}
    assert not ShortlistEntry.objects.filter(candidate=w.dung).exists()

    added = _shortlist(recruiter, opening["id"], w.an.pk)
    assert added.status_code == 201, added.content
    entry = added.json()
    assert entry["stage"] == "shortlisted" and entry["full_name"] == "Nguyễn Văn An"
    assert _shortlist(recruiter, opening["id"], w.an.pk).status_code == 200  # already on the board
    w.an.refresh_from_db()
    assert w.an.stage == Stage.SHORTLISTED
    for stage in ("contacted", "interview", "offer", "hired"):
        response = _move(recruiter, entry["id"], stage)
        assert response.status_code == 200, (stage, response.content)
        assert response.json()["stage"] == stage

    record = api_as(w.officer).get(f"/api/v1/candidates/{w.an.pk}/")
    assert record.status_code == 200 and record.json()["stage"] == "recruited"
    detail = recruiter.get(f"/api/v1/shortlist-entries/{entry['id']}/").json()
    assert [m["to_stage"] for m in detail["moves"]] == ["shortlisted", "contacted", "interview", "offer", "hired"]

    # The export opens with openpyxl and has the Vietnamese headers.
    export = recruiter.get(f"/api/v1/openings/{opening['id']}/shortlist.xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == BOARD_HEADERS
    assert rows[1][1:5] == (w.an.pk, "Nguyễn Văn An", w.t.faculty.name, "Đã nhận")


def test_every_target_met_agrees_with_actual_threshold_and_comparison(w, api_as) -> None:  # type: ignore[no-untyped-def]
    planning = services.pool_create(actor=None, name="Quy hoạch 2025–2030", kind="planning", owner=w.t.city,
                                    term="2025-2030")
    for c in (w.giang, w.an, w.cuong):
        services.pool_add(pool=planning, candidate=c, actor=None)
    # The city adopts every model (the models themselves are nobody's and are not listed).
    for model in Target.objects.not_adopted():
        opening_services.target_adopt(model=model, organization=w.t.city, actor=w.officer, source="Kế hoạch thử",
                                      source_number="1-KH/TĐ")
    response = api_as(w.officer).get("/api/v1/targets/")
    assert response.status_code == 200, response.content
    rows = response.json()
    assert len(rows) == Target.objects.adopted().filter(active=True).count() >= 5
    for row in rows:
        assert {"name", "actual", "threshold", "threshold_high", "comparison", "met", "deadline", "source",
                "organization"} <= set(row)
        assert row["organization"] == w.t.city.pk and row["source"] == "Kế hoạch thử số 1-KH/TĐ"
        if row["actual"] is None:
            assert row["met"] is False
        elif row["comparison"] == "at_least":
            assert row["met"] == (row["actual"] >= row["threshold"]), row
        elif row["comparison"] == "at_most":
            assert row["met"] == (row["actual"] <= row["threshold"]), row
        else:
            assert row["met"] == (row["threshold"] <= row["actual"] <= row["threshold_high"]), row
    # Against a hand count: one woman of three in planning (33.33% ≥ 15%), all three under 35.
    women = next(r for r in rows if r["name"] == "Cán bộ nữ chiếm từ 15% nguồn quy hoạch")
    assert (women["population"], women["actual"], women["met"]) == (3, 33.33, True)
    young = next(r for r in rows if r["name"] == "Cán bộ trẻ chiếm từ 15% nguồn quy hoạch")
    assert (young["actual"], young["met"]) == (100.0, True)
    trained = next(r for r in rows if r["metric"] == "share_leadership_trained")
    # It counts the members of the current term's succession plans, and this world has no plan: no data.
    assert (trained["population"], trained["actual"], trained["met"]) == (0, None, False)
    assert rows == target_values.compute_all()
    student = user_create(actor=None, username="giang.tran", password=PASSWORD, role=Role.STUDENT, candidate=w.giang)
    for user in (w.recruiter, student):
        assert api_as(user).get("/api/v1/targets/").status_code == 403


# --- Openings -------------------------------------------------------------------------------------------------


def test_publishing_validates_and_stays_in_scope(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter = api_as(w.recruiter)
    bad = recruiter.post("/api/v1/openings/", {"title": "", "kind": "contract", "slots": 0}, format="json")
    assert bad.status_code == 400 and {"title", "kind", "slots"} <= set(bad.json())
    for field, value in (("rubric", "khong-co"), ("agency", w.t.city.pk), ("agency", MISSING),
                         ("mentor", w.outsider.pk), ("language_level", 7), ("reveal_names_at", "later")):
        response = recruiter.post("/api/v1/openings/", {"title": "X", "kind": "job", "slots": 1, field: value},
                                  format="json")
        assert response.status_code == 400 and field in response.json(), (field, response.content)
    dates = recruiter.post("/api/v1/openings/", {"title": "X", "kind": "job", "slots": 1, "starts_on": "2026-06-01",
                                                 "ends_on": "2026-05-01"}, format="json")
    assert dates.status_code == 400 and "ends_on" in dates.json()
    student = user_create(actor=None, username="an.nguyen", password=PASSWORD, role=Role.STUDENT, candidate=w.an)
    assert api_as(student).post("/api/v1/openings/", {"title": "X", "kind": "job", "slots": 1},
                                format="json").status_code == 403
    # An administrator names the agency; the rubric and mentor are kept.
    made = _opening(api_as(w.admin), agency=w.t.agency.pk, rubric="university-student", mentor=w.mentor.pk,
                    kind="internship", reveal_names_at="interview")
    opening = Opening.objects.get(pk=made["id"])
    assert (opening.agency, opening.rubric.slug, opening.mentor, opening.reveal_names_at) == (
        w.t.agency, "university-student", w.mentor, "interview")
    assert opening.skills == ["Excel", "Lập trình Python"]


def test_closed_openings_are_seen_by_their_managers_only(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter, outsider, officer = api_as(w.recruiter), api_as(w.outsider), api_as(w.officer)
    opening = _opening(recruiter)
    # Open: everyone finds it; only its agency runs the board.
    assert outsider.get(f"/api/v1/openings/{opening['id']}/").json()["can_manage"] is False
    for url in (f"/api/v1/openings/{opening['id']}/matches/", f"/api/v1/openings/{opening['id']}/shortlist/",
                f"/api/v1/openings/{opening['id']}/shortlist.xlsx"):
        assert outsider.get(url).status_code == 403
        assert officer.get(url).status_code == 403  # the city's union does not run the agency's positions
    assert _shortlist(outsider, opening["id"], w.an.pk).status_code == 403
    assert outsider.post(f"/api/v1/openings/{opening['id']}/close/").status_code == 403
    closed = recruiter.post(f"/api/v1/openings/{opening['id']}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    # Closed: gone for everyone else (404, as an id that does not exist), still there for its agency.
    for url in (f"/api/v1/openings/{opening['id']}/", f"/api/v1/openings/{opening['id']}/shortlist/"):
        assert outsider.get(url).status_code == 404
    assert recruiter.get(f"/api/v1/openings/{opening['id']}/").status_code == 200
    assert {o["id"] for o in outsider.get("/api/v1/openings/").json()["results"]} == set()
    assert {o["id"] for o in recruiter.get("/api/v1/openings/?status=closed").json()["results"]} == {opening["id"]}
    assert recruiter.get("/api/v1/openings/?status=later").status_code == 400
    assert _shortlist(recruiter, opening["id"], w.an.pk).status_code == 400  # no shortlisting on a closed one


def test_matches_limit_is_checked(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter = api_as(w.recruiter)
    opening = _opening(recruiter)
    for limit in ("0", "abc", "501", "-3"):
        assert recruiter.get(f"/api/v1/openings/{opening['id']}/matches/?limit={limit}").status_code == 400
    assert recruiter.get(f"/api/v1/openings/{MISSING}/matches/").status_code == 404


def test_matches_without_requirements_rank_by_the_rubric_and_use_bounded_queries(w, api_as) -> None:  # type: ignore[no-untyped-def]
    officer = api_as(w.officer)
    opening = officer.post("/api/v1/openings/", {"title": "Thực tập Thành Đoàn", "kind": "internship", "slots": 3,
                                                 "agency": w.t.city.pk}, format="json").json()
    url = f"/api/v1/openings/{opening['id']}/matches/?limit=500"
    officer.get(url)  # ranks the cohort once
    with CaptureQueriesContext(connection) as few:
        rows = officer.get(url).json()["results"]
    # Every visible person, no requirement checked: ranked ones by rank, then the unranked.
    assert all(r["met"] == [] and r["missing"] == [] and r["fit"] == 1.0 for r in rows)
    ranked = [r["rank"] for r in rows if r["rank"] is not None]
    assert ranked == sorted(ranked) and rows[-1]["rank"] is None
    assert {r["candidate"] for r in rows} == set(Candidate.objects.for_user(w.officer).values_list("pk", flat=True))
    for i, name in enumerate(NAMES[:5]):
        c = make_candidate(w.t.faculty, name, date_of_birth=dt.date(2004, 1, i + 1))
        services.education_record_add(candidate=c, actor=None, level="university", start_year=2022, major="Luật",
                                      institution_name="ĐH Luật")
    # Requirements add a fixed number of queries, not one per candidate.
    Opening.objects.filter(pk=opening["id"]).update(degree_level="university", major_group="Luật", language_level=3)
    officer.get(url)
    with CaptureQueriesContext(connection) as first:
        officer.get(url)
    for i, name in enumerate(NAMES[5:], start=5):
        c = make_candidate(w.t.faculty, name, date_of_birth=dt.date(2004, 1, i + 1))
        services.education_record_add(candidate=c, actor=None, level="university", start_year=2022, major="Luật",
                                      institution_name="ĐH Luật")
    with CaptureQueriesContext(connection) as more:
        rows = officer.get(url).json()["results"]
    assert len(more) == len(first) and len(few) <= len(first)
    assert len(rows) == len(Candidate.objects.for_user(w.officer))


# --- The board ------------------------------------------------------------------------------------------------


def test_stage_rules(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter = api_as(w.recruiter)
    opening = _opening(recruiter, slots=1)
    first = _shortlist(recruiter, opening["id"], w.an.pk).json()["id"]
    second = _shortlist(recruiter, opening["id"], w.giang.pk).json()["id"]
    third = _shortlist(recruiter, opening["id"], w.binh.pk).json()["id"]

    assert _move(recruiter, first, "hired").json() == {"stage": ["Chỉ nhận việc sau khi đã mời nhận việc."]}
    assert _move(recruiter, first, "shortlisted").status_code == 400  # where it already is
    assert _move(recruiter, first, "later").status_code == 400
    assert _move(recruiter, first, "interview").status_code == 200  # forward, skipping a column
    back = _move(recruiter, first, "contacted")
    assert back.status_code == 400 and "reason" in back.json()
    assert _move(recruiter, first, "contacted", reason="Chưa liên hệ được").status_code == 200
    refused = _move(recruiter, third, "refused")
    assert refused.status_code == 400 and "reason" in refused.json()
    assert _move(recruiter, third, "refused", reason="Chưa đủ kinh nghiệm").status_code == 200
    assert _move(recruiter, third, "interview", reason="Xem lại").status_code == 400  # back only to shortlisted
    assert _move(recruiter, third, "shortlisted", reason="Xem lại").status_code == 200
    assert _move(recruiter, second, "declined").status_code == 400
    # Slots: one hire fills this opening.
    for entry in (first, second):
        assert _move(recruiter, entry, "offer").status_code == 200
    assert _move(recruiter, first, "hired").status_code == 200
    full = _move(recruiter, second, "hired")
    assert full.status_code == 400 and "1 chỉ tiêu" in str(full.json()["stage"])
    assert _move(recruiter, first, "contacted", reason="Đổi ý").status_code == 400  # hired is final
    assert _move(recruiter, second, "declined", reason="Nhận nơi khác").status_code == 200
    board = {e["id"]: e["stage"] for e in recruiter.get(f"/api/v1/openings/{opening['id']}/shortlist/").json()}
    assert board == {first: "hired", second: "declined", third: "shortlisted"}
    reasons = [m["reason"] for m in recruiter.get(f"/api/v1/shortlist-entries/{third}/").json()["moves"]]
    assert reasons == ["", "Chưa đủ kinh nghiệm", "Xem lại"]
    assert _move(api_as(w.outsider), first, "offer").status_code == 404


def test_the_board_costs_the_same_queries_for_one_card_or_many(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter = api_as(w.recruiter)
    opening = _opening(recruiter, reveal_names_at="offer")
    url = f"/api/v1/openings/{opening['id']}/shortlist/"
    first = _shortlist(recruiter, opening["id"], w.an.pk).json()["id"]
    recruiter.post(f"/api/v1/shortlist-entries/{first}/rate/", {"score": 3}, format="json")
    with CaptureQueriesContext(connection) as one:
        assert len(recruiter.get(url).json()) == 1
    for c in (w.giang, w.binh, w.cuong):
        entry = _shortlist(recruiter, opening["id"], c.pk).json()["id"]
        _move(recruiter, entry, "interview")
        recruiter.post(f"/api/v1/shortlist-entries/{entry}/rate/", {"score": 4}, format="json")
    with CaptureQueriesContext(connection) as four:
        assert len(recruiter.get(url).json()) == 4
    assert len(four) == len(one)


def test_ratings_are_kept_per_reviewer_and_averaged_and_notes_kept(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter, colleague = api_as(w.recruiter), api_as(w.colleague)
    opening = _opening(recruiter)
    entry = _shortlist(recruiter, opening["id"], w.an.pk).json()["id"]
    url = f"/api/v1/shortlist-entries/{entry}/"
    assert recruiter.post(url + "rate/", {"score": 4}, format="json").status_code == 200
    mine = colleague.post(url + "rate/", {"score": 2}, format="json").json()
    assert (mine["average_rating"], mine["rating_count"], mine["my_rating"]) == (3.0, 2, 2)
    again = recruiter.post(url + "rate/", {"score": 5}, format="json").json()
    assert (again["average_rating"], again["rating_count"], again["my_rating"]) == (3.5, 2, 5)
    assert colleague.get(url).json()["my_rating"] == 2
    for score in (0, 6, "abc"):
        assert recruiter.post(url + "rate/", {"score": score}, format="json").status_code == 400
    card = next(e for e in recruiter.get(f"/api/v1/openings/{opening['id']}/shortlist/").json() if e["id"] == entry)
    assert (card["average_rating"], card["rating_count"]) == (3.5, 2)
    note = colleague.post(url + "notes/", {"text": "  Phỏng vấn tốt  "}, format="json")
    assert note.status_code == 201 and note.json()["text"] == "Phỏng vấn tốt"
    assert recruiter.post(url + "notes/", {"text": "   "}, format="json").status_code == 400
    assert [n["text"] for n in recruiter.get(url).json()["notes"]] == ["Phỏng vấn tốt"]
    assert api_as(w.outsider).post(url + "rate/", {"score": 1}, format="json").status_code == 404


def test_blind_review_hides_names_until_the_chosen_stage(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter = api_as(w.recruiter)
    opening = _opening(recruiter, reveal_names_at="interview")
    matches = recruiter.get(f"/api/v1/openings/{opening['id']}/matches/").json()
    assert matches["blind"] is True and all("full_name" not in row for row in matches["results"])
    entry = _shortlist(recruiter, opening["id"], w.an.pk).json()
    other = _shortlist(recruiter, opening["id"], w.giang.pk).json()
    assert "full_name" not in entry and "full_name" not in recruiter.get(
        f"/api/v1/shortlist-entries/{entry['id']}/").json()
    assert "full_name" not in _move(recruiter, entry["id"], "contacted").json()
    revealed = _move(recruiter, entry["id"], "interview").json()
    assert revealed["full_name"] == "Nguyễn Văn An"
    # Once seen, a name stays shown even after the card moves back.
    assert _move(recruiter, entry["id"], "contacted", reason="Hoãn phỏng vấn").json()["full_name"] == "Nguyễn Văn An"
    board = {e["id"]: e for e in recruiter.get(f"/api/v1/openings/{opening['id']}/shortlist/").json()}
    assert board[entry["id"]]["full_name"] == "Nguyễn Văn An" and "full_name" not in board[other["id"]]
    sheet = load_workbook(io.BytesIO(recruiter.get(
        f"/api/v1/openings/{opening['id']}/shortlist.xlsx").content)).active
    names = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {w.an.pk: "Nguyễn Văn An", w.giang.pk: "(ẩn danh)"}


def test_export_neutralises_formula_looking_text(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter = api_as(w.recruiter)
    opening = _opening(recruiter)
    entry = _shortlist(recruiter, opening["id"], w.an.pk).json()["id"]
    _move(recruiter, entry, "refused", reason='=HYPERLINK("http://x.example","bấm")')
    sheet = load_workbook(io.BytesIO(recruiter.get(
        f"/api/v1/openings/{opening['id']}/shortlist.xlsx").content)).active
    reason = list(sheet.iter_rows(min_row=2, values_only=True))[0][5]
    assert reason == '\'=HYPERLINK("http://x.example","bấm")'
    assert sheet.cell(row=2, column=6).data_type == "s"


# --- Placements and feedback --------------------------------------------------------------------------------


def test_internship_hired_starts_a_placement_and_feedback_feeds_mentor_rating(w, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter, mentor = api_as(w.recruiter), api_as(w.mentor)
    opening = _opening(recruiter, kind="internship", mentor=w.mentor.pk, starts_on="2026-07-01",
                       ends_on="2026-08-31")
    entry = _shortlist(recruiter, opening["id"], w.an.pk).json()["id"]
    _move(recruiter, entry, "offer")
    assert _move(recruiter, entry, "hired").status_code == 200
    w.an.refresh_from_db()
    assert w.an.stage == Stage.PLACEMENT
    placement = Placement.objects.get(entry_id=entry)
    assert (placement.mentor, placement.starts_on, placement.status) == (w.mentor, dt.date(2026, 7, 1), "active")
    listed = mentor.get("/api/v1/placements/").json()["results"]
    assert [p["id"] for p in listed] == [placement.pk] and listed[0]["feedback"] is None
    assert api_as(w.outsider).get(f"/api/v1/placements/{placement.pk}/").status_code == 404
    assert load_features(Candidate.objects.filter(pk=w.an.pk), with_potential=False)["mentor_rating"].isna().all()

    url = f"/api/v1/placements/{placement.pk}/feedback/"
    incomplete = mentor.post(url, {"ratings": {"competence": 5}, "comments": ""}, format="json")
    assert incomplete.status_code == 400
    unknown = mentor.post(url, {"ratings": {**{k: 4 for k in FEEDBACK_CRITERIA}, "looks": 5}}, format="json")
    assert unknown.status_code == 400
    out_of_range = mentor.post(url, {"ratings": {**{k: 4 for k in FEEDBACK_CRITERIA}, "teamwork": 6}},
                               format="json")
    assert out_of_range.status_code == 400
    ratings = {"competence": 5, "attitude": 4, "teamwork": 4, "initiative": 3}
    done = mentor.post(url, {"ratings": ratings, "comments": "Chủ động, cần rèn thêm kỹ năng viết."}, format="json")
    assert done.status_code == 201, done.content
    assert done.json()["status"] == "completed" and done.json()["feedback"]["overall"] == 4.0
    assert mentor.post(url, {"ratings": ratings}, format="json").status_code == 400  # once per placement
    frame = load_features(Candidate.objects.filter(pk=w.an.pk), with_potential=False)
    assert frame.loc[w.an.pk, "mentor_rating"] == 4.0


# --- Notifications ------------------------------------------------------------------------------------------


def test_candidates_are_told_in_app_and_by_email_of_shortlist_and_offer(w, api_as,  # type: ignore[no-untyped-def]
                                                                         django_capture_on_commit_callbacks) -> None:
    student = user_create(actor=None, username="an.nguyen", password=PASSWORD, role=Role.STUDENT, candidate=w.an)
    recruiter = api_as(w.recruiter)
    opening = _opening(recruiter, title="Chuyên viên số hoá")
    with django_capture_on_commit_callbacks(execute=True):
        entry = _shortlist(recruiter, opening["id"], w.an.pk).json()["id"]
    assert list(Notification.objects.filter(user=student).values_list("kind", flat=True)) == ["shortlist.added"]
    assert [m.to for m in mail.outbox] == [["an@example.vn"]] and "Chuyên viên số hoá" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        _move(recruiter, entry, "contacted")
        _move(recruiter, entry, "interview")
    assert Notification.objects.filter(user=student).count() == 1 and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _move(recruiter, entry, "offer")
    assert list(Notification.objects.filter(user=student).order_by("id").values_list("kind", flat=True)) == [
        "shortlist.added", "shortlist.offer"]
    assert len(mail.outbox) == 2 and "lời mời" in mail.outbox[1].subject
    bell = api_as(student).get("/api/v1/notifications/").json()["results"]
    assert {n["kind"] for n in bell} == {"shortlist.added", "shortlist.offer"}
    # The candidate sees their card exists, but not the agency's notes and ratings.
    assert api_as(student).get(f"/api/v1/shortlist-entries/{entry}/").status_code == 403
    assert api_as(student).get(f"/api/v1/openings/{opening['id']}/shortlist/").status_code == 403
