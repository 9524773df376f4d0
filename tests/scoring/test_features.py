"""The feature loader: each feature's value on a hand-built world, and a query count that does not
grow with the number of candidates."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams.models import ExamResult
from scoring.features import FEATURE_KEYS, GROUP_COLUMNS, load_features, region_of
from talent import services as talent
from talent.models import AnnualRating, Candidate, Stage, StageTransition, Training
from tests.factories import make_candidate

TODAY = dt.date(2025, 6, 1)
UTC = dt.timezone.utc


def achievement(candidate: Candidate, category: str, level: str, award_rank: str = "first", *, year: int = 2024,
                verified: bool = True) -> None:
    talent.achievement_add(candidate=candidate, actor=None, category=category, level=level, award_rank=award_rank,
                           year=year, title=f"{category} {level} {award_rank}", verified=verified)


def education(candidate: Candidate, level: str, start_year: int, **fields: Any) -> None:
    talent.education_record_add(candidate=candidate, actor=None, level=level, start_year=start_year,
                                institution_name="Trường", **fields)


def features_of(*candidates: Candidate, today: dt.date = TODAY) -> pd.DataFrame:
    qs = Candidate.objects.filter(pk__in=[c.pk for c in candidates]).order_by("pk")
    return load_features(qs, today=today, with_potential=False)


@pytest.fixture
def student(org_tree) -> Candidate:  # type: ignore[no-untyped-def]
    """A university student with a school past: pupil 2018–2021, university from 2021 on a 10-point scale."""
    candidate = make_candidate(org_tree.faculty, full_name="Nguyễn Thị Lan", gender="female",
                               date_of_birth=dt.date(2003, 6, 2), province_code=1, ethnicity="Tày")
    education(candidate, "grade_12", 2020, gpa=Decimal("9.1"), gpa_scale=10, conduct_score=98)
    education(candidate, "university", 2021, gpa=Decimal("8.5"), gpa_scale=10, conduct_score=86)
    return candidate


class TestValues:
    def test_education(self, student) -> None:  # type: ignore[no-untyped-def]
        row = features_of(student).loc[student.pk]
        assert row["current_level"] == "university"  # the latest record
        assert row["conduct_score"] == 86.0
        assert row["gpa4"] == pytest.approx(3.4)  # 8.5 on the 10-point scale × 0.4
        assert row["degree_class"] == 3.0  # 8.5/10 is "giỏi"

    def test_gpa_on_the_four_point_scale_is_taken_as_it_is(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.faculty, full_name="Trần Văn Bảo")
        education(candidate, "university", 2022, gpa=Decimal("3.62"), gpa_scale=4)
        assert features_of(candidate).loc[candidate.pk, "gpa4"] == pytest.approx(3.62)

    def test_a_pupil_has_no_higher_education_gpa(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        pupil = make_candidate(org_tree.school_a, full_name="Lê Văn Cường", date_of_birth=dt.date(2007, 9, 1))
        education(pupil, "grade_12", 2024, gpa=Decimal("8.0"), gpa_scale=10, conduct_score=90)
        row = features_of(pupil).loc[pupil.pk]
        assert row["current_level"] == "grade_12"
        assert math.isnan(row["gpa4"]) and math.isnan(row["degree_class"])
        assert row["conduct_score"] == 90.0

    def test_only_verified_achievements_count(self, student) -> None:  # type: ignore[no-untyped-def]
        achievement(student, "olympiad", "national", "first")        # 6 × 1.0
        achievement(student, "olympiad", "province", "second")       # 3 × 0.8
        achievement(student, "olympiad", "international", "gold", verified=False)  # pending: nothing
        achievement(student, "research", "national", "third")        # 6 × 0.6
        achievement(student, "competition", "school", "consolation")  # 1 × 0.4
        achievement(student, "award", "province", "honour")          # 3 × 0.5
        achievement(student, "exam", "national", "top")              # 6 × 1.0
        achievement(student, "volunteering", "school", "")
        achievement(student, "volunteering", "province", "")
        achievement(student, "volunteering", "school", "", verified=False)
        achievement(student, "leadership", "school", "")
        row = features_of(student).loc[student.pk]
        assert row["olympiad_points"] == pytest.approx(6.0 + 2.4)
        assert row["research_points"] == pytest.approx(3.6)
        assert row["competition_points"] == pytest.approx(0.4)
        assert row["award_points"] == pytest.approx(1.5 + 6.0)
        assert row["volunteering_count"] == 2.0 and row["leadership_count"] == 1.0
        assert row["prize_province_top3"] == 1.0          # the provincial second prize
        assert row["prize_national"] == 3.0               # national first, national third, national "top"
        assert row["prize_research_national"] == 1.0      # the national research prize
        assert row["prize_university_olympiad"] == 2.0    # both 2024 olympiad prizes, at university since 2021

    def test_university_olympiad_prizes_are_those_won_during_university(self, student) -> None:  # type: ignore[no-untyped-def]
        achievement(student, "olympiad", "national", "second", year=2023)  # at university (since 2021)
        achievement(student, "olympiad", "national", "first", year=2020)   # still at school
        achievement(student, "olympiad", "national", "", year=2023)        # no placed prize
        assert features_of(student).loc[student.pk, "prize_university_olympiad"] == 1.0

    def test_a_verified_record_counts_once_verified(self, student) -> None:  # type: ignore[no-untyped-def]
        talent.achievement_add(candidate=student, actor=None, category="research", level="national",
                               award_rank="first", year=2024, title="Giải Eureka")
        assert features_of(student).loc[student.pk, "research_points"] == 0.0
        pending = student.achievements.get()
        talent.achievement_verify(achievement=pending, actor=None)
        assert features_of(student).loc[student.pk, "research_points"] == 6.0
        talent.achievement_verify(achievement=pending, actor=None, approve=False)
        assert features_of(student).loc[student.pk, "research_points"] == 0.0

    def test_languages_highest_verified_level(self, student, org_tree) -> None:  # type: ignore[no-untyped-def]
        talent.language_certificate_add(candidate=student, actor=None, language="en", level=4, verified=True)
        talent.language_certificate_add(candidate=student, actor=None, language="fr", level=3, verified=True)
        talent.language_certificate_add(candidate=student, actor=None, language="ja", level=6)  # pending
        other = make_candidate(org_tree.faculty, full_name="Phạm Minh Đức")
        frame = features_of(student, other)
        assert frame.loc[student.pk, "language_level"] == 4.0
        assert math.isnan(frame.loc[other.pk, "language_level"])  # none: missing, not zero

    def test_exam_best_total_of_the_candidates_own_exam(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        pupil = make_candidate(org_tree.school_a, full_name="Vũ Thị Hoa", date_of_birth=dt.date(2006, 4, 4),
                               exam_number="02000123", exam_year=2024)
        same_number_other_year = make_candidate(org_tree.school_b, full_name="Đặng Văn Hùng",
                                                date_of_birth=dt.date(2005, 4, 4), exam_number="02000123",
                                                exam_year=2023)
        no_number = make_candidate(org_tree.school_b, full_name="Bùi Văn Khánh", date_of_birth=dt.date(2006, 1, 1))
        ExamResult.objects.create(year=2024, exam_number="02000123", council="02", toan=Decimal("8.6"),
                                  li=Decimal("7.5"), hoa=Decimal("9"), van=Decimal("6"), ngoai_ngu=Decimal("9.2"),
                                  language_code="N1")
        ExamResult.objects.create(year=2024, exam_number="02000999", council="02", toan=Decimal("10"),
                                  li=Decimal("10"), hoa=Decimal("10"))
        frame = features_of(pupil, same_number_other_year, no_number)
        # A00 25.1, A01 25.3 (English), D01 23.8, B00 and C00 incomplete: the best is A01.
        assert frame.loc[pupil.pk, "exam_best_total"] == pytest.approx(25.3)
        assert math.isnan(frame.loc[same_number_other_year.pk, "exam_best_total"])
        assert math.isnan(frame.loc[no_number.pk, "exam_best_total"])

    def test_annual_ratings_mean_of_the_last_three_years(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        cadre = make_candidate(org_tree.agency, full_name="Hoàng Văn Minh", date_of_birth=dt.date(1995, 2, 2))
        for year, rating in [(2020, "incomplete"), (2021, "incomplete"), (2022, "excellent"), (2023, "good"),
                             (2024, "complete")]:
            AnnualRating.objects.create(candidate=cadre, year=year, rating=rating)
        row = features_of(cadre).loc[cadre.pk]
        assert row["annual_rating_points"] == pytest.approx((4 + 3 + 2) / 3)
        # A disciplined year counts as "không hoàn thành" whatever was written.
        AnnualRating.objects.filter(candidate=cadre, year=2024).delete()
        AnnualRating.objects.create(candidate=cadre, year=2024, rating="excellent", disciplined=True)
        assert features_of(cadre).loc[cadre.pk, "annual_rating_points"] == pytest.approx((4 + 3 + 0) / 3)

    def test_old_ratings_alone_do_not_count(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        cadre = make_candidate(org_tree.agency, full_name="Ngô Văn Nam", date_of_birth=dt.date(1995, 2, 2))
        AnnualRating.objects.create(candidate=cadre, year=2018, rating="excellent")
        assert math.isnan(features_of(cadre).loc[cadre.pk, "annual_rating_points"])

    def test_trainings(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        cadre = make_candidate(org_tree.agency, full_name="Đinh Văn Phúc", date_of_birth=dt.date(1995, 2, 2))
        untrained = make_candidate(org_tree.agency, full_name="Lý Văn Quang", date_of_birth=dt.date(1995, 2, 2))
        for kind in ("political", "leadership", "professional"):
            Training.objects.create(candidate=cadre, kind=kind, title=kind, completed_on=dt.date(2024, 5, 1))
        frame = features_of(cadre, untrained)
        assert frame.loc[cadre.pk, "training_count"] == 3.0 and frame.loc[cadre.pk, "leadership_trained"] == 1.0
        assert frame.loc[untrained.pk, "training_count"] == 0.0 and frame.loc[untrained.pk, "leadership_trained"] == 0.0

    def test_experience_from_the_first_recruitment(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        cadre = make_candidate(org_tree.agency, full_name="Trịnh Văn Sơn", date_of_birth=dt.date(1994, 2, 2),
                               stage=Stage.RECRUITED)  # registering as recruited records a transition today
        StageTransition.objects.create(candidate=cadre, from_stage=Stage.SHORTLISTED, to_stage=Stage.RECRUITED,
                                       created_at=dt.datetime(2021, 6, 1, tzinfo=UTC))
        StageTransition.objects.create(candidate=cadre, from_stage=Stage.PLANNING, to_stage=Stage.RECRUITED,
                                       created_at=dt.datetime(2023, 6, 1, tzinfo=UTC))
        never = make_candidate(org_tree.agency, full_name="Tô Văn Tài", date_of_birth=dt.date(1994, 2, 2))
        frame = features_of(cadre, never)
        # 1 June 2021 → 1 June 2025: 1461 days.
        assert frame.loc[cadre.pk, "experience_years"] == round(1461 / 365.25, 2) == 4.0
        assert frame.loc[cadre.pk, "is_cadre"] == 1.0
        assert math.isnan(frame.loc[never.pk, "experience_years"]) and frame.loc[never.pk, "is_cadre"] == 0.0

    def test_person_and_group_columns(self, student, org_tree) -> None:  # type: ignore[no-untyped-def]
        Candidate.objects.filter(pk=student.pk).update(political_theory="trung_cap")
        southern = make_candidate(org_tree.ward_a, full_name="Châu Văn Út", date_of_birth=dt.date(2003, 6, 1),
                                  province_code=79)
        unknown = make_candidate(org_tree.ward_a, full_name="Cao Văn Vinh", date_of_birth=dt.date(2003, 6, 1),
                                 province_code=None)
        frame = features_of(student, southern, unknown)
        lan = frame.loc[student.pk]
        assert lan["age"] == 21.0  # born 2 June 2003: not yet 22 on 1 June 2025
        assert frame.loc[southern.pk, "age"] == 22.0  # born 1 June 2003: 22 that day
        assert lan["political_theory_level"] == 2.0 and frame.loc[southern.pk, "political_theory_level"] == 0.0
        assert (lan["gender"], bool(lan["is_ethnic_minority"]), lan["region"]) == ("female", True, "north")
        assert frame.loc[southern.pk, "region"] == "south" and frame.loc[unknown.pk, "region"] == ""
        assert region_of(45) == "centre"
        assert lan["organization_id"] == org_tree.faculty.pk

    def test_every_feature_and_group_column_is_there(self, student) -> None:  # type: ignore[no-untyped-def]
        frame = load_features(Candidate.objects.filter(pk=student.pk), today=TODAY)  # with the model's column
        assert set(FEATURE_KEYS) | set(GROUP_COLUMNS) <= set(frame.columns)
        assert frame.index.name == "candidate_id" and list(frame.index) == [student.pk]

    def test_an_empty_cohort(self, db) -> None:  # type: ignore[no-untyped-def]
        frame = load_features(Candidate.objects.none(), today=TODAY)
        assert frame.empty and set(FEATURE_KEYS) <= set(frame.columns)


def test_queries_do_not_grow_with_the_number_of_candidates(org_tree, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    def world(count: int, offset: int) -> list[Candidate]:
        people = []
        for i in range(count):
            person = make_candidate(org_tree.faculty, full_name=f"Người Thứ {chr(65 + (offset + i) % 26)}",
                                    date_of_birth=dt.date(2001, 1, 1 + i % 28), stage=Stage.RECRUITED,
                                    exam_number=f"01{offset + i:06d}", exam_year=2019)
            education(person, "university", 2019, gpa=Decimal("3.1"), conduct_score=80)
            achievement(person, "research", "province")
            talent.language_certificate_add(candidate=person, actor=None, language="en", level=3, verified=True)
            AnnualRating.objects.create(candidate=person, year=2024, rating="good")
            Training.objects.create(candidate=person, kind="leadership", title="K", completed_on=dt.date(2024, 1, 1))
            ExamResult.objects.create(year=2019, exam_number=f"01{offset + i:06d}", council="01", toan=Decimal("8"),
                                      li=Decimal("8"), hoa=Decimal("8"))
            people.append(person)
        return people

    few = world(2, 0)
    many = world(15, 100)
    counts = []
    for group in (few, few + many):
        qs = Candidate.objects.filter(pk__in=[c.pk for c in group])
        with CaptureQueriesContext(connection) as captured:
            frame = load_features(qs, today=TODAY)
        counts.append(len(captured.captured_queries))
        assert len(frame) == len(group) and frame["exam_best_total"].eq(24.0).all()
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        load_features(Candidate.objects.all(), today=TODAY)
    assert counts[0] <= 12
