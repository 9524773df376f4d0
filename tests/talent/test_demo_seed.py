"""The demo seeder: the same city for the same seed, histories the pipeline allows, plausible people,
and care with the demo accounts."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from core.text import fold
from talent import demo
from talent.demo_names import FEMALE_ONLY_MIDDLE_NAMES, MALE_ONLY_MIDDLE_NAMES
from talent.geo import LEGACY_BY_MOET, current_provinces
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    Organization,
    Role,
    Stage,
    StageTransition,
    TalentPool,
)
from talent.pipeline import is_allowed
from talent.rules import classify_conduct, classify_gpa
from talent.services import candidates_bulk_register
from talent.validators import normalize_phone, validate_citizen_id

SMALL = ("--candidates", "300", "--seed", "7")


def run_seed(*extra: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *SMALL, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:  # type: ignore[no-untyped-def]
    # The test settings run with DEBUG off, as production does; the flag is what allows the accounts.
    return run_seed("--yes-demo")


# --- The pure generator ----------------------------------------------------------------------------


def test_same_seed_gives_the_same_people_and_another_seed_does_not() -> None:
    first = demo.generate_people(seed=7, count=300)
    again = demo.generate_people(seed=7, count=300)
    other = demo.generate_people(seed=8, count=300)
    assert first == again
    assert [p.full_name for p in first] == [p.full_name for p in again]
    # The showcase student is fixed; everyone after her depends on the seed.
    assert [p.full_name for p in first[1:]] != [p.full_name for p in other[1:]]
    assert [p.history for p in first[1:]] != [p.history for p in other[1:]]


def test_generated_people_are_plausible() -> None:
    people = demo.generate_people(seed=11, count=1500)
    provinces = current_provinces()
    citizen_ids = [p.citizen_id for p in people if p.citizen_id]
    exams = [(p.exam_number, p.exam_year) for p in people if p.exam_number]
    assert len(set(citizen_ids)) == len(citizen_ids)
    assert len(set(exams)) == len(exams)
    assert len({p.email for p in people}) == len(people)
    for person in people:
        demo.check_history(person.history)
        middle = person.full_name.split()[1]
        if person.gender == "female":
            assert middle not in MALE_ONLY_MIDDLE_NAMES, person.full_name
        else:
            assert middle not in FEMALE_ONLY_MIDDLE_NAMES, person.full_name
        assert normalize_phone(person.phone) == person.phone and len(person.phone) == 10
        assert person.province_code in provinces
        if person.citizen_id:
            validate_citizen_id(person.citizen_id, gender=person.gender, date_of_birth=person.date_of_birth)
        if person.exam_number:
            assert len(person.exam_number) == 8 and person.exam_number.isdigit()
            assert int(person.exam_number[:2]) in LEGACY_BY_MOET
            assert person.exam_year is not None
        assert (person.party_joined_on is not None) == person.party_member
        assert person.history[-1].at < dt.datetime(2026, 9, 1, tzinfo=demo.DEMO_TZ)
        age = demo.AS_OF.year - person.date_of_birth.year
        assert {demo.PUPIL: range(16, 19), demo.STUDENT: range(17, 23), demo.CADRE: range(22, 36)}[
            person.cohort].count(age) == 1, (person.cohort, age)
        for achievement in person.achievements:
            assert achievement.year <= demo.AS_OF.year
    cohorts = Counter(p.cohort for p in people)
    assert cohorts[demo.PUPIL] and cohorts[demo.STUDENT] and cohorts[demo.CADRE]
    ethnicities = Counter(p.ethnicity for p in people)
    assert ethnicities["Kinh"] > 0.8 * len(people)
    assert len(ethnicities) >= 4
    # Party members and political theory belong to the young cadres.
    assert all(p.cohort == demo.CADRE for p in people if p.party_member or p.political_theory)
    assert any(p.party_member for p in people)
    hcm = sum(p.province_code == demo.HCM for p in people)
    assert 0.5 * len(people) < hcm < len(people)


# --- The command -------------------------------------------------------------------------------------


def test_seeded_database_is_what_the_seed_generates(seeded: str) -> None:
    expected = demo.generate_people(seed=7, count=300)
    stored = list(Candidate.objects.order_by("id").values_list("full_name", "date_of_birth", "stage", "email"))
    assert stored == [(p.full_name, p.date_of_birth, p.stage, p.email) for p in expected]
    assert "Ứng viên: 300" in seeded


def test_refuses_demo_accounts_when_debug_is_off(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--yes-demo"):
        run_seed()
    assert not Organization.objects.exists()
    assert not get_user_model().objects.exists()


def test_debug_mode_needs_no_flag(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    run_seed()
    assert get_user_model().objects.filter(username="officer").exists()


def test_if_empty_skips_a_database_with_data_but_still_prints_the_accounts(seeded: str) -> None:
    counts = (Organization.objects.count(), Candidate.objects.count(), StageTransition.objects.count())
    output = run_seed("--if-empty")
    assert "bỏ qua" in output
    assert (Organization.objects.count(), Candidate.objects.count(), StageTransition.objects.count()) == counts
    for username in ("admin", "officer", "liaison", "recruiter", "student"):
        assert username in output
    assert "demo" in output


def test_if_empty_seeds_an_empty_database(db) -> None:  # type: ignore[no-untyped-def]
    output = run_seed("--if-empty", "--yes-demo")
    assert Candidate.objects.count() == 300
    assert "Tài khoản demo" in output


def test_seeding_twice_is_refused_with_a_clear_message(seeded: str) -> None:
    with pytest.raises(CommandError, match="TD-HCM"):
        run_seed("--yes-demo")
    assert Candidate.objects.count() == 300


def test_accounts_have_their_roles_and_the_student_is_linked(seeded: str) -> None:
    users = {u.username: u for u in get_user_model().objects.select_related("profile__organization")}
    expected = {"admin": Role.ADMIN, "officer": Role.OFFICER, "liaison": Role.LIAISON,
                "recruiter": Role.RECRUITER, "student": Role.STUDENT}
    for username, role in expected.items():
        assert users[username].profile.role == role
        assert users[username].check_password(demo.DEMO_PASSWORD)
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["officer"].profile.organization.code == demo.CITY
    assert users["liaison"].profile.organization.kind == Organization.Kind.UNIVERSITY
    assert users["recruiter"].profile.organization.kind == Organization.Kind.AGENCY

    student = Candidate.objects.get(user=users["student"])
    assert student.full_name == demo.SHOWCASE_STUDENT_NAME
    assert student.organization.is_within(users["liaison"].profile.organization)
    assert list(Candidate.objects.for_user(users["student"])) == [student]
    assert Candidate.objects.for_user(users["liaison"]).filter(pk=student.pk).exists()
    assert TalentPool.objects.for_user(users["recruiter"]).filter(kind=TalentPool.Kind.YOUNG_TALENT).exists()


def test_every_history_is_an_allowed_walk_ending_at_the_current_stage(seeded: str) -> None:
    histories: dict[int, list[StageTransition]] = {}
    for transition in StageTransition.objects.order_by("created_at", "id"):
        histories.setdefault(transition.candidate_id, []).append(transition)
    candidates = list(Candidate.objects.all())
    assert len(histories) == len(candidates)
    for candidate in candidates:
        history = histories[candidate.pk]
        assert history[0].from_stage == ""
        for before, after in zip(history, history[1:]):
            assert after.from_stage == before.to_stage
            assert is_allowed(before.to_stage, after.to_stage)
            assert after.created_at > before.created_at
        assert history[-1].to_stage == candidate.stage
        assert candidate.stage_changed_at == history[-1].created_at
    stages = Counter(c.stage for c in candidates)
    assert len(stages) >= 6
    assert stages[Stage.EXITED] > 0


def test_names_are_folded_and_middle_names_match_gender(seeded: str) -> None:
    for candidate in Candidate.objects.all():
        assert candidate.name_key == fold(candidate.full_name)
        middle = candidate.full_name.split()[1]
        if candidate.gender == Candidate.Gender.FEMALE:
            assert middle not in MALE_ONLY_MIDDLE_NAMES and middle != "Văn"
        else:
            assert middle not in FEMALE_ONLY_MIDDLE_NAMES and middle != "Thị"


def test_organization_tree(seeded: str) -> None:
    orgs = list(Organization.objects.select_related("parent"))
    for org in orgs:
        assert org.path == f"{org.parent.path if org.parent else '/'}{org.pk}/"
    city = Organization.objects.get(code=demo.CITY)
    assert city.kind == Organization.Kind.YOUTH_UNION and city.province_code == 79
    universities = [o for o in orgs if o.kind == Organization.Kind.UNIVERSITY]
    assert len(universities) >= 10
    for university in universities:
        assert university.is_within(city)
        assert 2 <= sum(o.parent_id == university.pk for o in orgs) <= 4
    agencies = [o for o in orgs if o.kind == Organization.Kind.AGENCY]
    assert len(agencies) >= 5 and all(a.parent is None for a in agencies)
    assert 1 <= sum(o.kind == Organization.Kind.ENTERPRISE for o in orgs) <= 2
    wards = [o for o in orgs if o.kind == Organization.Kind.YOUTH_UNION and o.parent_id == city.pk]
    assert len(wards) >= 12
    for school in (o for o in orgs if o.kind == Organization.Kind.HIGH_SCHOOL):
        assert school.parent.kind == Organization.Kind.YOUTH_UNION and school.is_within(city)


def test_records_carry_the_classifications_of_the_rules(seeded: str) -> None:
    records = list(EducationRecord.objects.all())
    assert any(r.gpa is not None and r.gpa_scale == 4 for r in records)
    assert any(r.level == EducationRecord.Level.GRADE_12 for r in records)
    for record in records:
        assert record.classification == classify_gpa(
            record.gpa, record.gpa_scale, retaken_over_5_percent=record.retaken_over_5_percent,
            disciplined=record.disciplined, school=record.level.startswith("grade_"))
        assert record.conduct_classification == classify_conduct(record.conduct_score)
    statuses = Counter(Achievement.objects.values_list("verification_status", flat=True))
    assert statuses["verified"] and statuses["pending"]
    assert Achievement.objects.filter(level=Achievement.Level.NATIONAL).exists()


def test_pools_hold_people_at_matching_stages(seeded: str) -> None:
    talent = TalentPool.objects.get(name="Nguồn tài năng trẻ TP.HCM 2025")
    planning = TalentPool.objects.get(name="Quy hoạch cán bộ trẻ 2025-2030")
    assert talent.kind == TalentPool.Kind.YOUNG_TALENT and talent.owner.code == demo.CITY
    assert talent.shared_with.filter(kind=Organization.Kind.AGENCY).count() == 2
    assert planning.kind == TalentPool.Kind.PLANNING and planning.term == "2025-2030"
    talent_stages = set(talent.memberships.values_list("candidate__stage", flat=True))
    planning_stages = set(planning.memberships.values_list("candidate__stage", flat=True))
    assert talent_stages and talent_stages <= {Stage.POOL, Stage.SHORTLISTED, Stage.PLACEMENT}
    assert planning_stages and planning_stages <= {Stage.PLANNING, Stage.APPOINTED}


# --- The bulk registration service -------------------------------------------------------------------


def _row(org: Organization, **fields):  # type: ignore[no-untyped-def]
    return {"full_name": "Trần Thị Mai", "gender": "female", "date_of_birth": dt.date(2005, 4, 2),
            "organization": org, **fields}


def test_bulk_register_names_each_bad_row_and_stores_nothing(db) -> None:  # type: ignore[no-untyped-def]
    org = Organization.objects.create(code="X-BULK", name="Đoàn thử", kind=Organization.Kind.YOUTH_UNION,
                                      path="/")
    rows = [
        _row(org, citizen_id="079305000001"),
        _row(org, citizen_id="079305000001"),
        _row(org, phone="12345"),
        _row(org, gender="other"),
    ]
    with pytest.raises(ValidationError) as caught:
        candidates_bulk_register(rows=rows, actor=None)
    errors = caught.value.message_dict
    assert set(errors) == {"2.citizen_id", "3.phone", "4.gender"}
    assert not Candidate.objects.exists()


def test_bulk_register_records_a_dated_first_step_and_rejects_known_ids(db) -> None:  # type: ignore[no-untyped-def]
    org = Organization.objects.create(code="X-BULK", name="Đoàn thử", kind=Organization.Kind.YOUTH_UNION,
                                      path="/")
    when = dt.datetime(2024, 5, 6, 9, 0, tzinfo=demo.DEMO_TZ)
    [candidate] = candidates_bulk_register(
        rows=[_row(org, citizen_id="079305000002", registered_at=when, reason="Khoa đề xuất")], actor=None)
    transition = StageTransition.objects.get(candidate=candidate)
    assert (transition.from_stage, transition.to_stage, transition.reason) == ("", Stage.DISCOVERED, "Khoa đề xuất")
    assert transition.created_at == when and candidate.stage_changed_at == when
    assert candidate.name_key == "tran thi mai"
    with pytest.raises(ValidationError) as caught:
        candidates_bulk_register(rows=[_row(org, citizen_id="079305000002")], actor=None)
    assert "1.citizen_id" in caught.value.message_dict
