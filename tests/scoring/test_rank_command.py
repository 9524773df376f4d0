"""``manage.py rank``: JSON (and only JSON) with the documented keys, the same twice, CSV and the table,
and clear errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring import services
from scoring.models import Rubric, ScoreRun
from talent import services as talent
from talent.models import Candidate
from tests.factories import make_candidate

KEYS = {"candidate_id", "full_name", "rank", "score", "percentile", "contributions"}
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Chí", "Phạm Văn Dũng", "Võ Thị Em", "Đỗ Văn Giang",
         "Hồ Thị Hoa"]


@pytest.fixture
def cohort(org_tree) -> list[Candidate]:  # type: ignore[no-untyped-def]
    """Seven university students (two with the same GPA and records: a tie) and two who are not ranked."""
    people = []
    for index, name in enumerate(NAMES):
        person = make_candidate(org_tree.faculty if index < 5 else org_tree.ward_b, full_name=name,
                                date_of_birth=dt.date(2003, 1, 1 + index))
        gpa = {1: Decimal("3.5"), 2: Decimal("3.3"), 3: Decimal("3.3")}.get(index,
                                                                            Decimal("2.4") + Decimal("0.2") * index)
        conduct = 80 if index in (2, 3) else 70 + 3 * (index % 4)
        talent.education_record_add(candidate=person, actor=None, level="university", start_year=2022,
                                    institution_name="ĐH Bách khoa", gpa=gpa, conduct_score=conduct)
        if index == 1:
            talent.achievement_add(candidate=person, actor=None, category="research", level="national",
                                   award_rank="second", year=2024, title="Sinh viên nghiên cứu khoa học",
                                   verified=True)
        people.append(person)
    no_gpa = make_candidate(org_tree.faculty, full_name="Mai Văn Khoa", date_of_birth=dt.date(2003, 2, 2))
    talent.education_record_add(candidate=no_gpa, actor=None, level="university", start_year=2022,
                                institution_name="ĐH Bách khoa", conduct_score=90)
    make_candidate(org_tree.school_a, full_name="Bùi Văn Long", date_of_birth=dt.date(2007, 2, 2))
    return people


def competition(scores: list[float]) -> list[int]:
    """Standard competition ranks of scores listed best first: "1, 2, 2, 4"."""
    return [1 + sum(1 for other in scores if other > score) for score in scores]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("rank", *args, stdout=out)
    return out.getvalue()


def criterion_keys(slug: str = "university-student") -> list[str]:
    version = Rubric.objects.get(slug=slug).active_version
    return [c["key"] for c in version.criteria]


def test_json_is_only_an_array_of_the_documented_rows(cohort) -> None:  # type: ignore[no-untyped-def]
    text = run("--rubric", "university-student", "--top", "5", "--format", "json")
    rows = json.loads(text)  # the whole output parses: nothing else is printed
    assert isinstance(rows, list) and len(rows) == 5
    keys = criterion_keys()
    names = {c.pk: c.full_name for c in cohort}
    for row in rows:
        assert set(row) == KEYS
        assert list(row["contributions"]) == keys
        total = 0.0
        for key in keys:
            total += row["contributions"][key]
        assert total == row["score"]  # exactly
        assert row["full_name"] == names[row["candidate_id"]]
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert [r["rank"] for r in rows] == competition(scores) == [1, 2, 3, 4, 4]  # the tie shares its rank
    assert rows[0]["percentile"] == 100.0
    assert rows[0]["candidate_id"] == cohort[1].pk  # the national research prize


def test_json_twice_is_identical(cohort) -> None:  # type: ignore[no-untyped-def]
    args = ("--rubric", "university-student", "--top", "50", "--format", "json")
    first = run(*args)
    assert run(*args) == first
    rows = json.loads(first)
    assert len(rows) == 7  # everyone ranked, fewer than 50
    assert [r["rank"] for r in rows] == competition([r["score"] for r in rows])
    assert {r["candidate_id"] for r in rows} == {c.pk for c in cohort}
    # The tie (same GPA, conduct and records) shares one rank; it is listed by the smaller id first.
    tied = [r for r in rows if r["candidate_id"] in (cohort[2].pk, cohort[3].pk)]
    assert tied[0]["score"] == tied[1]["score"] and tied[1]["rank"] == tied[0]["rank"]
    assert [r["candidate_id"] for r in tied] == [cohort[2].pk, cohort[3].pk]
    after = rows.index(tied[1]) + 1
    assert rows[after]["rank"] == tied[0]["rank"] + 2  # "1, 2, 2, 4": the next rank skips
    assert rows[-1]["percentile"] == 0.0


def test_json_agrees_with_the_service(cohort) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("--rubric", "university-student", "--top", "3", "--format", "json"))
    version = Rubric.objects.get(slug="university-student").active_version
    ranking, _frame = services.rank_cohort(version, services.Cohort("all"))
    assert [r["candidate_id"] for r in rows] == [int(i) for i in ranking.table.index[:3]]
    assert [r["score"] for r in rows] == list(ranking.table["score"].iloc[:3])


def test_cohort_by_organization_code(cohort, org_tree) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("--rubric", "university-student", "--cohort", "org:U-BK", "--format", "json"))
    assert {r["candidate_id"] for r in rows} == {c.pk for c in cohort[:5]}
    assert [r["rank"] for r in rows] == competition([r["score"] for r in rows])


def test_csv(cohort) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(run("--rubric", "university-student", "--top", "4", "--format", "csv"))))
    keys = criterion_keys()
    assert rows[0] == ["rank", "candidate_id", "full_name", "score", "percentile", *keys]
    assert len(rows) == 5 and [r[0] for r in rows[1:]] == ["1", "2", "3", "4"]
    as_json = json.loads(run("--rubric", "university-student", "--top", "4", "--format", "json"))
    for line, row in zip(rows[1:], as_json):
        assert line[1:3] == [str(row["candidate_id"]), row["full_name"]]
        assert line[3] == f"{row['score']:.4f}" and line[4] == f"{row['percentile']:.2f}"
        assert line[5:] == [f"{row['contributions'][k]:.4f}" for k in keys]


def test_table(cohort) -> None:  # type: ignore[no-untyped-def]
    lines = run("--rubric", "university-student", "--top", "5").splitlines()
    assert lines[0].startswith("Sinh viên xuất sắc (v1) — Toàn bộ: 7 người được xếp hạng, 2 không đủ điều kiện")
    assert "Hạng" in lines[1] and set(lines[2]) == {"-"}
    body = lines[3:-1]
    assert len(body) == 5 and body[0].split()[0] == "1" and cohort[1].full_name in body[0]
    assert [line.split()[0] for line in body] == ["1", "2", "3", "=4", "=4"]  # a shared rank is marked
    assert lines[-1].startswith("Hạng bằng nhau khi điểm bằng nhau")


def test_save_stores_a_reproducible_run(cohort) -> None:  # type: ignore[no-untyped-def]
    run("--rubric", "university-student", "--top", "1", "--format", "json", "--save")
    stored = ScoreRun.objects.get()
    assert stored.size == 7 and stored.excluded == 2 and services.score_run_reproduce(stored)


def test_an_older_version_by_number(cohort, officer) -> None:  # type: ignore[no-untyped-def]
    rubric = Rubric.objects.get(slug="university-student")
    draft = services.rubric_draft_create(rubric=rubric, actor=officer)
    criteria = [{**c, "weight": 0 if c["key"] == "research" else c["weight"]} for c in draft.criteria]
    services.rubric_draft_update(version=draft, criteria=criteria, filters=draft.filters, note="", actor=officer)
    services.rubric_version_activate(version=draft, actor=officer)
    now = json.loads(run("--rubric", "university-student", "--format", "json"))
    before = json.loads(run("--rubric", "university-student", "--rubric-version", "1", "--format", "json"))
    assert before[0]["candidate_id"] == cohort[1].pk
    assert now[0]["candidate_id"] != cohort[1].pk and now[0]["contributions"]["research"] == 0.0


@pytest.mark.parametrize(("args", "message"), [
    (("--rubric", "no-such-rubric"), "Không có bộ tiêu chí «no-such-rubric». Có: final-year-pupil"),
    (("--rubric", "university-student", "--top", "0"), "--top"),
    (("--rubric", "university-student", "--cohort", "org:NOPE"), "Không có đơn vị này"),
    (("--rubric", "university-student", "--cohort", "planet:3"), "Nhóm xếp hạng"),
    (("--rubric", "university-student", "--rubric-version", "9"), "phiên bản 9"),
])
def test_errors(db, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_format_is_checked(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        run("--rubric", "university-student", "--format", "xml")


def test_nobody_to_rank_gives_an_empty_array(db) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(run("--rubric", "young-cadre", "--format", "json")) == []
