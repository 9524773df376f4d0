"""The scoring pages: rankings (blind mode, fairness panel, re-ranking job), a person's breakdown and
eligibility, contests, the rubric editor with its preview, rule sets and the model card.

Fixtures ``org_tree``, ``officer`` (city union), ``ward_officer`` and ``admin_user`` come from
tests/conftest.py; people are registered through the services by tests/factories.py. The rankings use
a small rubric made here (one GPA criterion, one conduct criterion) so every number can be checked by
hand; the shipped defaults are installed too, as the migration does.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from core.models import AuditEvent, Job
from privacy.models import Consent
from privacy.services import consent_set_own
from scoring.defaults import install_defaults
from scoring.models import EligibilityRuleSet, PotentialModel, RecordContest, Rubric, RubricVersion, ScoreRun
from talent import services
from talent.models import Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

SLUG = "kiem-thu"
CRITERIA = [
    {"key": "gpa", "feature": "gpa4", "weight": 60, "normalization": "fixed", "scale_min": 2.0, "scale_max": 4.0,
     "direction": "higher", "missing": "exclude", "cap": None, "label": "Điểm trung bình",
     "rationale": "Kết quả học tập là nền tảng."},
    {"key": "conduct", "feature": "conduct_score", "weight": 40, "normalization": "minmax", "direction": "higher",
     "missing": "median", "cap": None, "scale_min": None, "scale_max": None, "label": "Rèn luyện",
     "rationale": "Đạo đức, lối sống."},
]
FILTERS = [{"feature": "current_level", "op": "==", "value": "university", "label": "Đang học đại học"}]


def letters(i: int) -> str:
    """A distinct letters-only suffix (names may not contain digits): 0 → "A", 27 → "BB"."""
    return chr(65 + i % 26) * (1 + i // 26)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def student_of(org, username: str, candidate):  # type: ignore[no-untyped-def]
    user = make_user(Role.STUDENT, org, username=username)
    candidate.user = user
    candidate.save(update_fields=["user"])
    return user


def enrol(candidate, gpa: float, conduct: int | None = 80):  # type: ignore[no-untyped-def]
    services.education_record_add(candidate=candidate, actor=None, level="university", start_year=2023,
                                  institution_name="ĐH Bách khoa", gpa=gpa, conduct_score=conduct)
    return candidate


@pytest.fixture
def rubric(db) -> Rubric:  # type: ignore[no-untyped-def]
    from scoring.models import EligibilityRuleSet as RuleSet

    install_defaults(Rubric, RubricVersion, RuleSet)  # what migration 0002 does (a flush may have removed it)
    rubric = Rubric.objects.create(slug=SLUG, name="Bộ kiểm thử", description="Hai tiêu chí.")
    RubricVersion.objects.create(rubric=rubric, number=1, state=RubricVersion.State.ACTIVE, criteria=CRITERIA,
                                 filters=FILTERS, note="Phiên bản đầu")
    return rubric


@pytest.fixture
def people(org_tree, rubric):  # type: ignore[no-untyped-def]
    """Five students of the faculty ranked An, Bình, Cường, Dung, Em under the test rubric (Em has no
    conduct score: the cohort median stands in) and one pupil, who does not pass its filter."""
    specs = [("an", "Nguyễn Văn An", "male", 3.9, 90), ("binh", "Trần Thị Bình", "female", 3.6, 85),
             ("cuong", "Lê Hoàng Cường", "male", 3.3, 75), ("dung", "Phạm Thu Dung", "female", 3.0, 70),
             ("em", "Võ Minh Em", "male", 2.2, None)]
    out = {key: enrol(make_candidate(org_tree.faculty, name, gender=gender), gpa, conduct)
           for key, name, gender, gpa, conduct in specs}
    out["pupil"] = make_candidate(org_tree.school_a, "Đỗ Quang Phúc")
    return out


def ranking_url(**params: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"rubric": SLUG, "cohort": "all", **params}.items())
    return f"{reverse('ranking-list')}?{query}"


# --- Access by role --------------------------------------------------------------------------------

class TestAccess:
    @pytest.mark.parametrize("name, args", [
        ("ranking-list", []), ("contest-list", []), ("rubric-list", []), ("rubric-detail", [SLUG]),
        ("rule-set-list", []), ("rule-set-edit", ["youth-age"]), ("potential-model", []), ("my-score", []),
        ("candidate-score", [1]), ("rubric-preview", [SLUG]), ("rubric-version-edit", [SLUG, 1]),
    ])
    def test_anonymous_goes_to_login(self, client, rubric, name, args) -> None:  # type: ignore[no-untyped-def]
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")

    @pytest.mark.parametrize("name, args", [
        ("ranking-list", []), ("potential-model", []), ("rule-set-edit", ["youth-age"]),
        ("rubric-preview", [SLUG]), ("rubric-version-edit", [SLUG, 1]),
    ])
    def test_student_is_refused_staff_pages(self, client, org_tree, people, name, args) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student_of(org_tree.faculty, "sv_an", people["an"]))
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"] == reverse("me-profile")

    def test_student_is_refused_staff_actions(self, client, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student_of(org_tree.faculty, "sv_an", people["an"]))
        assert client.post(reverse("ranking-run"), {"rubric": SLUG, "cohort": "all"}).status_code == 403
        assert client.post(reverse("rubric-draft", args=[SLUG])).status_code == 403
        assert client.post(reverse("potential-model-train")).status_code == 403
        assert not Job.objects.exists() and RubricVersion.objects.filter(rubric__slug=SLUG).count() == 1

    def test_everyone_signed_in_reads_rubrics_and_rule_sets(self, client, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student_of(org_tree.faculty, "sv_an", people["an"]))
        listing = text(client.get(reverse("rubric-list")))
        assert "Bộ kiểm thử" in listing and "Sinh viên xuất sắc" in listing
        detail = text(client.get(reverse("rubric-detail", args=[SLUG])))
        assert "Kết quả học tập là nền tảng." in detail and "Thiếu dữ liệu thì không xếp hạng" in detail
        rules = text(client.get(reverse("rule-set-list")))
        assert "Luật Thanh niên 2020" in rules and "Đối chiếu với nghị định đang có hiệu lực" in rules
        assert reverse("rule-set-edit", args=["youth-age"]) not in rules  # the edit link is the admin's

    def test_recruiter_sees_only_shared_pools_and_no_fairness_panel(self, client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
        recruiter = make_user(Role.RECRUITER, org_tree.agency, username="hr_rank")
        client.force_login(recruiter)
        empty = client.get(reverse("ranking-list"))
        assert empty.status_code == 200 and 'id="ranking-empty"' in text(empty)

        pool = services.pool_create(actor=officer, name="Nguồn chia sẻ", kind="young_talent", owner=org_tree.city,
                                    shared_with=[org_tree.agency])
        for person in (people["an"], people["binh"]):
            services.pool_add(pool=pool, candidate=person, actor=officer)
        consent_set_own(user=student_of(org_tree.faculty, "sv_an", people["an"]),
                        purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, granted=True)
        page = client.get(f"{reverse('ranking-list')}?rubric={SLUG}")
        html = text(page)
        assert page.status_code == 200
        assert f'value="pool:{pool.pk}"' in html and 'value="all"' not in html
        assert "Nguyễn Văn An" in html and "Trần Thị Bình" not in html  # Bình has not consented
        assert 'id="fairness-panel"' not in html and 'id="ranking-run-form"' not in html
        # The export holds what the page showed (the consenting An only), and each read is logged.
        export = client.get(f"{reverse('ranking-export')}?rubric={SLUG}&cohort=pool:{pool.pk}&format=csv")
        body = export.content.decode("utf-8-sig")
        assert "Nguyễn Văn An" in body and "Trần Thị Bình" not in body
        assert AuditEvent.objects.filter(action="candidate.read", object_id=str(people["an"].pk),
                                         changes__via="export.ranking").exists()
        assert client.get(reverse("contest-list")).status_code == 403
        assert client.get(reverse("potential-model")).status_code == 403
        # Asking for everyone is not one of the recruiter's choices: the pool is used instead.
        assert "Nguyễn Văn An" in text(client.get(ranking_url()))
        assert "Lê Hoàng Cường" not in text(client.get(ranking_url()))

    def test_liaison_ranks_their_unit_not_everyone(self, client, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        liaison = make_user(Role.LIAISON, org_tree.uni, username="lien_lac")
        client.force_login(liaison)
        html = text(client.get(f"{reverse('ranking-list')}?rubric={SLUG}"))
        assert f'value="org:{org_tree.uni.pk}"' in html and 'value="all"' not in html
        assert "Nguyễn Văn An" in html and 'id="ranking-run-form"' in html
        response = client.post(reverse("ranking-run"), {"rubric": SLUG, "cohort": "all"})
        assert response.status_code == 403 and not Job.objects.exists()


# --- Rankings -------------------------------------------------------------------------------------

def ranked_names(html: str) -> list[str]:
    return re.findall(r'<a class="candidate-link" href="/candidates/\d+/">([^<]+)</a>', html)


def test_ranking_lists_the_cohort_best_first_with_contributions(client, officer, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get(ranking_url())
    html = text(response)
    assert response.status_code == 200
    assert ranked_names(html) == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Võ Minh Em"]
    assert "Đỗ Quang Phúc" not in html  # a pupil does not pass the filter
    assert "1 người không được xếp hạng" in html
    assert re.search(r'id="run-exclusions".*?<span class="num">1</span> · Không đạt điều kiện: Đang học đại học', html, re.S)
    assert 'id="ranking-rule"' in html and "1, 2, 2, 4" in html
    # An: GPA 3.9 on the fixed 2–4 scale → 60 × 0.95 = 57; best conduct → 40: score 97.
    assert re.search(r'<tr data-rank="1" data-tied="0" class="in-top">.*?<td[^>]*class="num score">97,00</td>', html, re.S)
    assert '<rect class="tone-0" x="0.0000" y="0" width="57.0000"' in html
    assert '<rect class="tone-1" x="57.0000" y="0" width="40.0000"' in html
    run = ScoreRun.objects.get(version__rubric__slug=SLUG, cohort="all")
    assert run.size == 5 and run.excluded == 1


def test_blind_mode_hides_names_and_is_remembered(client, officer, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    blind = text(client.get(ranking_url(blind=1)))
    for person in people.values():
        assert person.full_name not in blind
    assert ranked_names(blind) == [f"Ứng viên #{rank}" for rank in range(1, 6)]
    assert 'aria-pressed="true"' in blind
    # The choice stays for the session, on this and the next request without the parameter.
    again = text(client.get(ranking_url()))
    assert "Nguyễn Văn An" not in again and "Ứng viên #1" in again
    seen = text(client.get(ranking_url(blind=0)))
    assert "Nguyễn Văn An" in seen and "Ứng viên #1" not in seen


def test_blind_labels_count_only_the_people_the_reader_sees(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    """Bình (second in the run) has not consented to recruiters; Cường (third) has. The recruiter's
    blind list says "Ứng viên #1", not "#2": the labels leave no gaps for the people hidden from them."""
    pool = services.pool_create(actor=officer, name="Nguồn ẩn danh", kind="young_talent", owner=org_tree.city,
                                shared_with=[org_tree.agency])
    for person in (people["binh"], people["cuong"]):
        services.pool_add(pool=pool, candidate=person, actor=officer)
    consent_set_own(user=student_of(org_tree.faculty, "sv_cuong", people["cuong"]),
                    purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, granted=True)
    client.force_login(make_user(Role.RECRUITER, org_tree.agency, username="hr_blind"))
    html = text(client.get(f"{reverse('ranking-list')}?rubric={SLUG}&cohort=pool:{pool.pk}&blind=1"))
    assert ranked_names(html) == ["Ứng viên #1"]
    body = client.get(f"{reverse('ranking-export')}?rubric={SLUG}&cohort=pool:{pool.pk}&format=csv"
                      ).content.decode("utf-8-sig")
    assert "Ứng viên #1" in body and "Ứng viên #2" not in body and "Lê Hoàng Cường" not in body


def _fairness_rows(html: str, grouping: str) -> dict[str, dict[str, str]]:
    block = re.search(rf'data-grouping="{grouping}">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for group, flag, body in re.findall(r'<tr data-group="([^"]+)" data-flag="([^"]*)"[^>]*>(.*?)</tr>', block, re.S):
        cells = dict(re.findall(r'class="num (considered|selected|rate|ratio)">\s*(.*?)\s*</td>', body, re.S))
        rows[group] = {"flag": flag, **{k: re.sub(r"<[^>]+>", "", v).strip() for k, v in cells.items()}}
    return rows


def test_fairness_panel_matches_a_hand_count(client, officer, org_tree, rubric) -> None:  # type: ignore[no-untyped-def]
    # 25 women and 25 men; the ten best GPAs: eight women and two men. Three people are Tày.
    for i in range(25):
        enrol(make_candidate(org_tree.faculty, f"Nữ Sinh {letters(i)}", gender="female",
                             ethnicity="Tày" if i < 3 else "Kinh"), 3.95 - i * 0.01 if i < 8 else 2.5 + i * 0.001)
        enrol(make_candidate(org_tree.faculty, f"Nam Sinh {letters(i)}", gender="male", ethnicity="Kinh"),
              3.85 - i * 0.2 if i < 2 else 2.4 + i * 0.001)
    client.force_login(officer)
    html = text(client.get(ranking_url(top=10)))
    gender = _fairness_rows(html, "gender")
    assert gender["female"]["considered"] == "25" and gender["female"]["selected"] == "8"
    assert gender["male"]["considered"] == "25" and gender["male"]["selected"] == "2"
    assert gender["female"]["rate"] == "32,0%" and gender["male"]["rate"] == "8,0%"
    # 8 % / 32 % = 0.25, under four fifths: flagged.
    assert gender["male"]["flag"] == "below_four_fifths" and gender["male"]["ratio"].startswith("0,25")
    assert "Dưới 0,8" in gender["male"]["ratio"] and gender["female"]["ratio"] == "1,00"
    minority = _fairness_rows(html, "is_ethnic_minority")
    assert minority["yes"]["considered"] == "3" and minority["yes"]["flag"] == "too_small"
    assert "Quá ít để đánh giá" in minority["yes"]["ratio"]
    assert "Kiểm tra công bằng ở mốc top 10" in html


def test_ranking_page_queries_do_not_grow_with_the_rows(client, officer, org_tree, rubric,
                                                        django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(30):
        enrol(make_candidate(org_tree.faculty, f"Sinh Viên {letters(i)}"), 2.5 + i * 0.05)
    client.force_login(officer)
    assert client.get(ranking_url()).status_code == 200  # the first look ranks the cohort and stores the run
    with django_assert_max_num_queries(16):
        response = client.get(ranking_url(blind=0))
    assert len(ranked_names(text(response))) == 25  # a full page
    with django_assert_max_num_queries(16):
        assert len(ranked_names(text(client.get(ranking_url(page=2))))) == 5


def test_recalculate_starts_a_job_and_shows_its_progress(client, officer, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.post(reverse("ranking-run"), {"rubric": SLUG, "cohort": "all", "top": "3"})
    job = Job.objects.get(kind="scoring.run")
    assert response.status_code == 302 and f"job={job.pk}" in response["Location"] and "top=3" in response["Location"]
    assert job.created_by == officer and job.params["cohort"] == "all"
    page = text(client.get(response["Location"]))
    assert 'id="ranking-job"' in page and reverse("ranking-job", args=[job.pk]) in page
    poll = client.get(reverse("ranking-job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and 'id="ranking-job"' in text(poll)
    # Someone else's job is not theirs to watch.
    other = make_user(Role.OFFICER, officer.profile.organization, username="officer_two")
    client.force_login(other)
    assert client.get(reverse("ranking-job", args=[job.pk]), HTTP_HX_REQUEST="true").status_code == 404


# --- A person's score ----------------------------------------------------------------------------

def _breakdown(html: str) -> tuple[float, list[float]]:
    score = float(re.search(r'id="score-summary" data-score="([0-9.]+)"', html).group(1))
    contributions = [float(v) for v in re.findall(r'data-contribution="([0-9.-]+)"', html)]
    return score, contributions


def test_breakdown_contributions_sum_to_the_total(client, officer, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get(reverse("candidate-score", args=[people["cuong"].pk]) + f"?rubric={SLUG}",
                          HTTP_HX_REQUEST="true")
    html = text(response)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="score-panel"')
    score, contributions = _breakdown(html)
    assert len(contributions) == 2 and round(sum(contributions), 4) == round(score, 4)
    # Cường: GPA 3.3 on 2–4 → 60 × 0.65 = 39; conduct 75 between 70 and 90 → 40 × 0.25 = 10.
    assert contributions == [39.0, 10.0] and score == 49.0
    assert 'data-rank="3"' in html and "Cách người xếp ngay trên (hạng 2) <strong>29,00</strong> điểm" in html
    assert 'id="tied-with"' not in html
    # Values carry their unit; the missing-value policy is said only where it was applied.
    assert re.search(r'data-criterion="gpa".*?class="num value">3,3 / 4<', html, re.S)
    assert "Chưa có dữ liệu" not in html
    # The gap to the person above (Bình: 48 + 30) is shown criterion by criterion, unnamed.
    assert re.search(r'data-criterion="gpa".*?class="num gap">9,00<', html, re.S)
    assert re.search(r'data-criterion="conduct".*?class="num gap">20,00<.*?class="num headroom">30,00<', html, re.S)
    assert "Trần Thị Bình" not in html
    assert "Điều kiện theo quy định" in html and "Độ tuổi thanh niên" in html


def test_breakdown_says_the_policy_applied_to_a_missing_value(client, officer, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    html = text(client.get(reverse("candidate-score", args=[people["em"].pk]) + f"?rubric={SLUG}",
                           HTTP_HX_REQUEST="true"))
    row = re.search(r'<tr data-criterion="conduct".*?</tr>', html, re.S).group(0)
    assert "Chưa có dữ liệu: tính bằng trung vị của nhóm xếp hạng" in row and 'class="num value">—<' in row
    gpa_row = re.search(r'<tr data-criterion="gpa".*?</tr>', html, re.S).group(0)
    assert "Chưa có dữ liệu" not in gpa_row


def test_a_pupil_is_not_shown_graduate_rule_sets(client, officer, org_tree, people) -> None:  # type: ignore[no-untyped-def]
    pupil = make_candidate(org_tree.school_a, "Đỗ Minh Quân")
    services.education_record_add(candidate=pupil, actor=None, level="grade_12", start_year=2024,
                                  institution_name="THPT Lê Quý Đôn")
    client.force_login(officer)
    html = text(client.get(reverse("candidate-score", args=[pupil.pk])))
    assert 'data-rule-set="youth-age"' in html and 'data-rule-set="excellent-graduate"' not in html
    graduate = text(client.get(reverse("candidate-score", args=[people["an"].pk])))
    assert 'data-rule-set="excellent-graduate"' in graduate


def test_equal_scores_share_one_rank_everywhere(client, officer, org_tree, people) -> None:  # type: ignore[no-untyped-def]
    # Two more students exactly like Cường (GPA 3.3, conduct 75): three share rank 3, and Dung is 6th.
    twins = [enrol(make_candidate(org_tree.faculty, name, gender="female"), 3.3, 75)
             for name in ("Lý Thu Giang", "Mai Thị Hà")]
    client.force_login(officer)
    html = text(client.get(ranking_url()))
    ranks = re.findall(r'<tr data-rank="(\d+)" data-tied="([01])"', html)
    assert ranks == [("1", "0"), ("2", "0"), ("3", "1"), ("3", "1"), ("3", "1"), ("6", "0"), ("7", "0")]
    assert html.count('<span title="Đồng hạng">=3</span>') == 3
    # The stored run, the score page and the export say the same.
    run = ScoreRun.objects.get(version__rubric__slug=SLUG, cohort="all")
    assert sorted(run.scores.values_list("rank", flat=True)) == [1, 2, 3, 3, 3, 6, 7]
    assert sorted(run.scores.values_list("position", flat=True)) == list(range(1, 8))
    score = text(client.get(reverse("candidate-score", args=[twins[1].pk]) + f"?rubric={SLUG}", HTTP_HX_REQUEST="true"))
    assert 'data-rank="3"' in score and "đồng hạng với 2 người khác" in score
    assert "Cách người xếp ngay trên (hạng 2)" in score  # the tied are not "above"
    dung = text(client.get(reverse("candidate-score", args=[people["dung"].pk]) + f"?rubric={SLUG}",
                           HTTP_HX_REQUEST="true"))
    assert 'data-rank="6"' in dung and "Cách người xếp ngay trên (hạng 3)" in dung
    export = client.get(reverse("ranking-export") + f"?rubric={SLUG}&cohort=all&format=csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:8]] == ["1", "2", "3", "3", "3", "6", "7"]
    assert [line.split(",")[1] for line in lines[1:8]] == ["", "", "có", "có", "có", "", ""]


def test_ranking_export_csv_and_xlsx_are_recorded_and_audited(client, officer, people) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    client.force_login(officer)
    csv_response = client.get(reverse("ranking-export") + f"?rubric={SLUG}&cohort=all&format=csv")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert 'filename="xep-hang-kiem-thu-' in csv_response["Content-Disposition"]
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Hạng,Đồng hạng,Họ và tên,Đơn vị,Điểm,Bách phân vị,Điểm trung bình,Rèn luyện"
    assert lines[1].startswith("1,,Nguyễn Văn An,") and lines[1].endswith(",97.0,100.0,57.0,40.0")
    assert "1, 2, 2, 4" in lines[-1]
    book = load_workbook(io.BytesIO(client.get(reverse("ranking-export")
                                               + f"?rubric={SLUG}&cohort=all&format=xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Hạng", "Đồng hạng", "Họ và tên") and rows[1][0] == 1 and rows[1][2] == "Nguyễn Văn An"
    events = AuditEvent.objects.filter(action="score_run.export")
    assert events.count() == 2 and {e.changes["format"] for e in events} == {"csv", "xlsx"}
    assert all(e.changes["rows"] == 5 for e in events)
    # Blind mode hides the names in the file too; a wrong format is refused.
    blind = client.get(reverse("ranking-export") + f"?rubric={SLUG}&cohort=all&format=csv&blind=1")
    assert "Nguyễn Văn An" not in blind.content.decode("utf-8-sig") and "Ứng viên #1" in blind.content.decode("utf-8-sig")
    assert client.get(reverse("ranking-export") + f"?rubric={SLUG}&format=pdf").status_code == 400


def test_a_pool_opens_on_the_rubric_that_fits_it(client, officer, org_tree, people) -> None:  # type: ignore[no-untyped-def]
    pool = services.pool_create(actor=officer, name="Nguồn sinh viên", kind="young_talent", owner=org_tree.city)
    for key in ("an", "binh", "cuong"):
        services.pool_add(pool=pool, candidate=people[key], actor=officer)
    client.force_login(officer)
    html = text(client.get(f"{reverse('ranking-list')}?cohort=pool:{pool.pk}"))
    # Not the first rubric by slug (the grade-12 one, which ranks none of them): the one ranking most.
    assert re.search(r'<option value="(kiem-thu|university-student)" selected>', html)
    assert ranked_names(html)[:1] == ["Nguyễn Văn An"]
    chosen = text(client.get(f"{reverse('ranking-list')}?cohort=pool:{pool.pk}&rubric=final-year-pupil"))
    assert '<option value="final-year-pupil" selected>' in chosen and ranked_names(chosen) == []


def test_a_person_with_no_data_is_not_ranked_as_zero(client, officer, org_tree, rubric) -> None:  # type: ignore[no-untyped-def]
    from scoring.engine import NO_DATA

    enrol(make_candidate(org_tree.faculty, "Nguyễn Văn An"), 3.9, 90)
    RubricVersion.objects.filter(rubric=rubric).update(criteria=[{**c, "missing": "zero"} for c in CRITERIA])
    services.education_record_add(candidate=make_candidate(org_tree.faculty, "Trần Văn Trống"), actor=None,
                                  level="university", start_year=2023, institution_name="ĐH Bách khoa")
    client.force_login(officer)
    html = text(client.get(ranking_url()))
    assert ranked_names(html) == ["Nguyễn Văn An"] and 'class="num score">0,00<' not in html
    assert NO_DATA in html
    run = ScoreRun.objects.get(version__rubric=rubric)
    assert run.exclusions == {NO_DATA: 1}


def test_candidate_page_loads_the_score_section(client, officer, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    html = text(client.get(reverse("candidate-detail", args=[people["an"].pk])))
    assert f'hx-get="{reverse("candidate-score", args=[people["an"].pk])}"' in html


def test_not_ranked_person_is_told_why(client, officer, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    html = text(client.get(reverse("candidate-score", args=[people["pupil"].pk]) + f"?rubric={SLUG}"))
    assert 'id="not-ranked"' in html and "Không đạt điều kiện: Đang học đại học" in html


def test_eligibility_shows_each_condition_with_the_actual_value(client, officer, org_tree, rubric) -> None:  # type: ignore[no-untyped-def]
    older = enrol(make_candidate(org_tree.faculty, "Hồ Văn Lớn", date_of_birth=dt.date(1980, 1, 1)), 3.5)
    client.force_login(officer)
    html = text(client.get(reverse("candidate-score", args=[older.pk]) + f"?rubric={SLUG}"))
    block = re.search(r'data-rule-set="youth-age" data-passed="0">(.*?)</div>', html, re.S).group(1)
    assert "Không quá 30 tuổi" in block and "Tuổi không quá 30" in block and "✗" in block
    age = dt.date.today().year - 1980  # born on 1 January
    assert f'<td data-label="Hiện có">{age}</td>' in block


def test_student_reads_their_own_score_and_nobody_elses(client, org_tree, people) -> None:  # type: ignore[no-untyped-def]
    student = student_of(org_tree.faculty, "sv_binh", people["binh"])
    client.force_login(student)
    own = client.get(reverse("my-score"))
    assert own.status_code == 302 and own["Location"] == reverse("candidate-score", args=[people["binh"].pk])
    page = client.get(own["Location"] + f"?rubric={SLUG}")
    html = text(page)
    assert page.status_code == 200 and "Điểm xếp hạng của tôi" in html and 'data-rank="2"' in html
    assert "Nguyễn Văn An" not in html  # the person above is never named
    assert 'class="contest-form"' in html
    assert client.get(reverse("candidate-score", args=[people["an"].pk])).status_code == 404
    assert client.post(reverse("candidate-contest", args=[people["an"].pk]),
                       {"rubric": SLUG, "criterion": "gpa", "message": "Điểm của tôi sai"}).status_code == 404


def test_staff_outside_the_unit_get_404(client, ward_officer, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(ward_officer)
    assert client.get(reverse("candidate-score", args=[people["an"].pk])).status_code == 404


# --- Contests ---------------------------------------------------------------------------------------

def test_contest_flow_student_opens_liaison_resolves(client, org_tree, people) -> None:  # type: ignore[no-untyped-def]
    student = student_of(org_tree.faculty, "sv_dung", people["dung"])
    client.force_login(student)
    url = reverse("candidate-contest", args=[people["dung"].pk])
    short = client.post(url, {"rubric": SLUG, "criterion": "gpa", "message": "sai"})
    assert short.status_code == 400 and "Hãy nói rõ hồ sơ nào sai" in text(short)
    unknown = client.post(url, {"rubric": SLUG, "criterion": "nope", "message": "Một tiêu chí không có"})
    assert unknown.status_code == 400 and not RecordContest.objects.exists()

    sent = client.post(url, {"rubric": SLUG, "criterion": "gpa", "message": "Điểm trung bình học kỳ hai chưa cập nhật."},
                       HTTP_HX_REQUEST="true")
    assert sent.status_code == 200 and 'id="contest-sent"' in text(sent)
    contest = RecordContest.objects.get()
    assert (contest.candidate, contest.criterion, contest.criterion_label, contest.status) == (
        people["dung"], "gpa", "Điểm trung bình", RecordContest.Status.OPEN)
    mine = text(client.get(reverse("contest-list")))
    assert "Điểm trung bình học kỳ hai chưa cập nhật." in mine and 'class="badge contest-open"' in mine
    assert client.post(reverse("contest-resolve", args=[contest.pk]), {"status": "corrected"}).status_code == 403

    liaison = make_user(Role.LIAISON, org_tree.uni, username="lien_lac_bk")
    client.force_login(liaison)
    queue = text(client.get(reverse("contest-list")))
    assert f'data-contest-id="{contest.pk}"' in queue and "Phạm Thu Dung" in queue
    refused = client.post(reverse("contest-resolve", args=[contest.pk]), {"status": "rejected", "note": ""},
                          follow=True)
    assert "Hãy trả lời vì sao giữ nguyên." in text(refused)
    contest.refresh_from_db()
    assert contest.status == RecordContest.Status.OPEN
    client.post(reverse("contest-resolve", args=[contest.pk]), {"status": "corrected", "note": "Đã cập nhật điểm."})
    contest.refresh_from_db()
    assert contest.status == RecordContest.Status.CORRECTED and contest.resolved_by == liaison
    assert f'data-contest-id="{contest.pk}"' not in text(client.get(reverse("contest-list")))  # no longer open

    other_liaison = make_user(Role.LIAISON, org_tree.school_b, username="lien_lac_khac")
    client.force_login(other_liaison)
    assert client.post(reverse("contest-resolve", args=[contest.pk]), {"status": "rejected",
                                                                        "note": "x"}).status_code == 404
    client.force_login(student)
    answered = text(client.get(reverse("contest-list")))
    assert 'class="badge contest-corrected"' in answered and "Đã cập nhật điểm." in answered


# --- Rubric editor --------------------------------------------------------------------------------

def formset_data(criteria: list[dict[str, Any]], filters: list[dict[str, Any]], *, initial: int, note: str = "",
                 initial_filters: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "criteria-TOTAL_FORMS": len(criteria), "criteria-INITIAL_FORMS": initial,
        "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 1000,
        "filters-TOTAL_FORMS": len(filters),
        "filters-INITIAL_FORMS": len(filters) if initial_filters is None else initial_filters,
        "filters-MIN_NUM_FORMS": 0, "filters-MAX_NUM_FORMS": 1000, "note": note,
    }
    for i, row in enumerate(criteria):
        for key, value in row.items():
            data[f"criteria-{i}-{key}"] = "" if value is None else value
    for i, row in enumerate(filters):
        for key, value in row.items():
            data[f"filters-{i}-{key}"] = "" if value is None else value
    return data


def editable(criterion: dict[str, Any]) -> dict[str, Any]:
    return {k: criterion.get(k) for k in ("label", "key", "feature", "weight", "normalization", "direction",
                                         "missing", "cap", "scale_min", "scale_max", "rationale")}


def test_rubric_draft_edit_preview_and_activation(client, officer, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    created = client.post(reverse("rubric-draft", args=[SLUG]))
    draft = RubricVersion.objects.get(rubric__slug=SLUG, state=RubricVersion.State.DRAFT)
    assert created.status_code == 302 and created["Location"] == reverse("rubric-version-edit", args=[SLUG, 2])
    assert draft.number == 2 and draft.criteria == CRITERIA
    form = text(client.get(created["Location"]))
    assert 'name="criteria-0-label" value="Điểm trung bình"' in form and 'name="criteria-TOTAL_FORMS" value="3"' in form

    url = reverse("rubric-version-edit", args=[SLUG, 2])
    rows = [editable(c) for c in CRITERIA]
    negative = client.post(url, formset_data([{**rows[0], "weight": "-5"}, rows[1]], [
        {"feature": "current_level", "op": "==", "value": "university", "label": "Đang học đại học"}], initial=2))
    assert negative.status_code == 400 and "Trọng số phải là số không âm." in text(negative)
    no_scale = client.post(url, formset_data([{**rows[0], "scale_min": None}, rows[1]], [], initial=2,
                                             initial_filters=0))
    assert no_scale.status_code == 400 and "thang cố định cần" in text(no_scale)
    draft.refresh_from_db()
    assert draft.criteria == CRITERIA  # nothing saved

    # Conduct now weighs 70; a third criterion (language) is added in the empty row; the filter stays.
    added = {"label": "Ngoại ngữ", "key": "", "feature": "language_level", "weight": "10", "normalization": "fixed",
             "direction": "higher", "missing": "zero", "cap": "", "scale_min": "0", "scale_max": "6",
             "rationale": "Làm việc quốc tế."}
    saved = client.post(url, formset_data([rows[0], {**rows[1], "weight": "70"}, added], [
        {"feature": "current_level", "op": "==", "value": "university", "label": "Đang học đại học"}], initial=2,
        note="Tăng trọng số rèn luyện"))
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert [c["key"] for c in draft.criteria] == ["gpa", "conduct", "ngoai_ngu"]
    assert draft.criteria[1]["weight"] == 70 and draft.criteria[2]["missing"] == "zero"
    assert draft.filters == FILTERS and draft.note == "Tăng trọng số rèn luyện"

    preview = client.get(reverse("rubric-preview", args=[SLUG]), HTTP_HX_REQUEST="true")
    html = text(preview)
    assert preview.status_code == 200 and 'id="tau-full"' in html
    # Rèn luyện now decides more: An (best GPA and conduct) stays first in both.
    first = re.search(r'<td class="num rank">1</td>\s*<td data-side="old" data-candidate-id="(\d+)">.*?'
                      r'<td data-side="new" data-candidate-id="(\d+)">', html, re.S)
    assert first.groups() == (str(people["an"].pk), str(people["an"].pk))
    assert re.search(r'id="overlap">5 / 20<', html)

    activated = client.post(reverse("rubric-version-activate", args=[SLUG, 2]), follow=True)
    assert "Đã kích hoạt phiên bản 2" in text(activated)
    states = dict(RubricVersion.objects.filter(rubric__slug=SLUG).values_list("number", "state"))
    assert states == {1: RubricVersion.State.ARCHIVED, 2: RubricVersion.State.ACTIVE}


def test_active_version_cannot_be_edited(client, officer, rubric) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    url = reverse("rubric-version-edit", args=[SLUG, 1])
    opened = client.get(url)
    assert opened.status_code == 302 and opened["Location"].endswith("?v=1")
    rows = [editable(c) for c in CRITERIA]
    refused = client.post(url, formset_data([{**rows[0], "weight": "10"}, rows[1]], [], initial=2, initial_filters=0))
    assert refused.status_code == 400 and "Chỉ sửa được bản nháp" in text(refused)
    version = RubricVersion.objects.get(rubric__slug=SLUG, number=1)
    assert version.state == RubricVersion.State.ACTIVE and version.criteria == CRITERIA
    again = client.post(reverse("rubric-version-activate", args=[SLUG, 1]), follow=True)
    assert "Chỉ kích hoạt được bản nháp." in text(again)


def test_liaison_may_not_edit_rubrics(client, org_tree, rubric) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.LIAISON, org_tree.uni, username="lien_lac_rb"))
    assert client.post(reverse("rubric-draft", args=[SLUG])).status_code == 403
    assert 'id="draft-form"' not in text(client.get(reverse("rubric-detail", args=[SLUG])))
    assert not RubricVersion.objects.filter(rubric__slug=SLUG, state=RubricVersion.State.DRAFT).exists()


# --- Rule sets -------------------------------------------------------------------------------------

def test_rule_set_edit_by_admin(client, admin_user, rubric) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    url = reverse("rule-set-edit", args=["youth-age"])
    page = text(client.get(url))
    assert "&quot;youth_age&quot;" in page and "Luật Thanh niên 2020" in page
    broken = client.post(url, {"source": "Luật Thanh niên 2020", "caution": "", "rules": "[{"})
    assert broken.status_code == 400 and "JSON không hợp lệ" in text(broken)
    unknown = client.post(url, {"source": "Luật Thanh niên 2020", "caution": "", "rules":
                                '[{"key": "a", "label": "A", "conditions": [{"feature": "shoe_size", "op": ">=", "value": 1}]}]'})
    assert unknown.status_code == 400 and "shoe_size" in text(unknown)
    no_source = client.post(url, {"source": " ", "caution": "", "rules": '[]'})
    assert no_source.status_code == 400
    rules = ('[{"key": "youth_age", "label": "Từ đủ 16 đến 35 tuổi", "source": "Thử", "mode": "all", "conditions": '
             '[{"feature": "age", "op": ">=", "value": 16, "label": "Từ đủ 16"}, '
             '{"feature": "age", "op": "<=", "value": 35, "label": "Không quá 35"}]}]')
    saved = client.post(url, {"source": "Luật Thanh niên 2020", "caution": "Thử nghiệm", "rules": rules})
    assert saved.status_code == 302 and saved["Location"].endswith("#rule-set-youth-age")
    rule_set = EligibilityRuleSet.objects.get(slug="youth-age")
    assert rule_set.version == 2 and rule_set.rules[0]["conditions"][1]["value"] == 35
    assert rule_set.caution == "Thử nghiệm" and rule_set.updated_by == admin_user
    listing = text(client.get(reverse("rule-set-list")))
    assert "Không quá 35" in listing and "Tuổi không quá 35" in listing


def test_rule_set_edit_is_refused_to_an_officer(client, officer, rubric) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    url = reverse("rule-set-edit", args=["youth-age"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"source": "x", "caution": "", "rules": "[]"}).status_code == 403
    assert EligibilityRuleSet.objects.get(slug="youth-age").version == 1


# --- The potential model ------------------------------------------------------------------------

def test_model_page_without_a_model_and_a_refused_training(client, admin_user, officer, rubric) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    page = text(client.get(reverse("potential-model")))
    assert 'id="no-model"' in page and 'id="train-form"' not in page
    assert client.post(reverse("potential-model-train")).status_code == 403
    client.force_login(admin_user)
    assert 'id="train-form"' in text(client.get(reverse("potential-model")))
    refused = client.post(reverse("potential-model-train"), follow=True)
    assert "Chưa đủ dữ liệu để huấn luyện" in text(refused)
    assert not PotentialModel.objects.exists()


def test_model_card_is_rendered_whatever_its_shape(client, officer, rubric) -> None:  # type: ignore[no-untyped-def]
    PotentialModel.objects.create(version=3, active=True, features=["gpa4"], artifact=b"", card={
        "n": 412, "auc_mean": 0.8123, "auc_std": 0.031,
        "calibration": [{"bin": 0, "mean_predicted": 0.1, "observed": 0.12, "count": 40}],
        "importances": [{"feature": "gpa4", "label": "Điểm trung bình (thang 4)", "coefficient": 1.2}],
        "groups": [{"grouping": "gender", "label": "Giới tính", "groups": [
            {"group": "female", "label": "Nữ", "count": 200, "auc": 0.8},
            {"group": "male", "label": "Nam", "count": 212, "auc": 0.82}]}],
        "extra": {"nested": {"deep": 1}},
    })
    client.force_login(officer)
    html = text(client.get(reverse("potential-model")))
    assert "phiên bản 3" in html and "412" in html and "0,8123 ± 0,031" in html
    assert 'data-card-section="calibration"' in html and 'data-card-section="importances"' in html
    groups = re.search(r'data-card-section="groups".*?</table>', html, re.S).group(0)
    assert "Giới tính" in groups and "Nữ" in groups and "0,82" in groups
