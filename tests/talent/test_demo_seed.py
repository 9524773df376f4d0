"""The demo seeder: the same city for the same seed, histories the pipeline allows, plausible people,
consent as the law asks for it, and care with the demo accounts."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.text import fold
from privacy.demo import MAX_EVIDENCE_FILES, consents_of
from privacy.models import Consent
from privacy.rules import has_consent, needs_guardian
from privacy.services import consent_set_own
from talent import demo
from talent.demo_names import FEMALE_ONLY_MIDDLE_NAMES, MALE_ONLY_MIDDLE_NAMES
from talent.geo import LEGACY_BY_MOET, current_provinces
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    Organization,
    PoolMembership,
    Religion,
    Role,
    Stage,
    StageTransition,
    TalentPool,
)
from talent.pipeline import is_allowed
from talent.rules import age_on, classify_conduct, classify_gpa
from talent.services import candidates_bulk_register
from talent.validators import normalize_phone, validate_citizen_id

SMALL = ("--candidates", "300", "--seed", "7")
# A day of the demo's school year. Who is under 16 is decided on the day of each query; pinning the
# day keeps these tests about the demo (where the pupils born in 2011 are 15), not about the calendar.
DEMO_TODAY = dt.date(2026, 10, 15)
SHARE = Consent.Purpose.SHARE_WITH_RECRUITERS


def run_seed(*extra: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *SMALL, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _demo_day_and_media(settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Scanned consent forms go to a temporary MEDIA_ROOT; "today" is DEMO_TODAY."""
    settings.MEDIA_ROOT = tmp_path
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):  # type: ignore[no-untyped-def]
        return real_localdate(value, timezone) if value is not None else DEMO_TODAY

    monkeypatch.setattr(timezone, "localdate", localdate)


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
        # Pupils run from olympiad pupils of grade 10 (15 in the demo year) to grade 12.
        assert {demo.PUPIL: range(15, 19), demo.STUDENT: range(17, 23), demo.CADRE: range(22, 36)}[
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
    # The talent seeder writes its people first; later seeders may add others (succession imports the
    # incumbents of its positions from a cadre list).
    stored = list(Candidate.objects.order_by("id").values_list("full_name", "date_of_birth", "stage", "email")[:300])
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
    assert "Ứng viên: 300" in output and Candidate.objects.count() >= 300
    assert "Tài khoản demo" in output


def test_seeding_twice_is_refused_with_a_clear_message(seeded: str) -> None:
    before = Candidate.objects.count()
    with pytest.raises(CommandError, match="TD-HCM"):
        run_seed("--yes-demo")
    assert Candidate.objects.count() == before


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
    attraction = TalentPool.objects.get(name="Nguồn thu hút tài năng trẻ vào khu vực công 2026")
    assert talent.kind == TalentPool.Kind.YOUNG_TALENT and talent.owner.code == demo.CITY
    assert talent.shared_with.filter(kind=Organization.Kind.AGENCY).count() == 2
    assert planning.kind == TalentPool.Kind.PLANNING and planning.term == "2025-2030"
    # The succession list stays with the Youth Union; Home Affairs gets the attraction pool only.
    assert not planning.shared_with.exists()
    assert list(attraction.shared_with.values_list("code", flat=True)) == [demo.HOME_AFFAIRS]
    assert not talent.shared_with.filter(code=demo.HOME_AFFAIRS).exists()
    talent_stages = set(talent.memberships.values_list("candidate__stage", flat=True))
    planning_stages = set(planning.memberships.values_list("candidate__stage", flat=True))
    assert talent_stages and talent_stages <= {Stage.POOL, Stage.SHORTLISTED, Stage.PLACEMENT}
    assert planning_stages and planning_stages <= {Stage.PLANNING, Stage.APPOINTED}
    # The attraction pool is a part of the young talent pool: its pupils, the students agencies
    # shortlisted or hosted, and the showcase student.
    talent_ids = set(talent.memberships.values_list("candidate_id", flat=True))
    attraction_ids = set(attraction.memberships.values_list("candidate_id", flat=True))
    assert attraction_ids and attraction_ids < talent_ids
    assert Candidate.objects.get(user__username="student").pk in attraction_ids
    kinds = set(Candidate.objects.filter(pk__in=attraction_ids).values_list("organization__kind", "stage"))
    assert {kind for kind, _ in kinds} == {Organization.Kind.HIGH_SCHOOL, Organization.Kind.FACULTY}
    assert {stage for kind, stage in kinds if kind == Organization.Kind.FACULTY} >= {Stage.SHORTLISTED,
                                                                                     Stage.PLACEMENT}


# --- Consent and what the recruiter sees -------------------------------------------------------------


def _users() -> dict[str, object]:
    return {u.username: u for u in get_user_model().objects.select_related("profile__organization")}


def _ids(queryset) -> set[int]:  # type: ignore[no-untyped-def]
    return set(queryset.values_list("pk", flat=True))


def test_scopes_nest_and_the_recruiter_sees_consenting_members_of_shared_pools(seeded: str) -> None:
    users = _users()
    officer = _ids(Candidate.objects.for_user(users["officer"]))
    liaison = _ids(Candidate.objects.for_user(users["liaison"]))
    recruiter = _ids(Candidate.objects.for_user(users["recruiter"]))
    student = Candidate.objects.get(user=users["student"])
    assert liaison and liaison < officer
    assert recruiter and recruiter < officer
    assert student.pk in recruiter
    agency = users["recruiter"].profile.organization  # type: ignore[attr-defined]
    shared = set(PoolMembership.objects.filter(pool__shared_with=agency).values_list("candidate_id", flat=True))
    consenting = _ids(Candidate.objects.filter(has_consent(SHARE)))
    assert recruiter == shared & consenting
    # Realistic: most members agreed, not all; the recruiter works with dozens, not the whole city.
    assert 0.4 * len(shared) < len(recruiter) < len(shared)
    assert len(recruiter) < 0.25 * Candidate.objects.count()
    assert f"Cán bộ tuyển dụng Sở Nội vụ TP.HCM thấy {len(recruiter)} ứng viên" in seeded


def test_the_student_withdrawing_consent_disappears_from_the_recruiter_at_once(seeded: str) -> None:
    users = _users()
    visible = Candidate.objects.for_user(users["recruiter"])
    assert visible.filter(user=users["student"]).exists()
    before = visible.count()
    consent_set_own(user=users["student"], purpose=SHARE, granted=False)
    assert not Candidate.objects.for_user(users["recruiter"]).filter(user=users["student"]).exists()
    assert Candidate.objects.for_user(users["recruiter"]).count() == before - 1
    # The grant is kept, stamped with its withdrawal; the other purposes stand.
    mine = Consent.objects.filter(candidate__user=users["student"])
    assert mine.get(purpose=SHARE).withdrawn_at is not None
    assert mine.active().count() == 2


def test_children_count_as_consenting_only_with_a_guardian_too(seeded: str) -> None:
    users = _users()
    agency = users["recruiter"].profile.organization  # type: ignore[attr-defined]
    children = [c for c in Candidate.objects.prefetch_related("consents", "pool_memberships__pool__shared_with")
                if needs_guardian(c.date_of_birth)]
    assert children and all(c.organization.kind == Organization.Kind.HIGH_SCHOOL for c in children)

    def standing(candidate: Candidate, given_by: str) -> bool:
        return any(c.purpose == SHARE and c.given_by == given_by and c.withdrawn_at is None
                   for c in candidate.consents.all())

    both = {c.pk for c in children if standing(c, "self") and standing(c, "guardian")}
    child_only = {c.pk for c in children if standing(c, "self") and not standing(c, "guardian")}
    assert both and child_only, "the demo should have children with and without a parent's signature"
    ids = [c.pk for c in children]
    assert _ids(Candidate.objects.filter(pk__in=ids).filter(has_consent(SHARE))) == both

    # As seeded: of the children in the pool shared with the agency, exactly those with both signatures.
    in_shared_pool = {c.pk for c in children
                      if any(agency in m.pool.shared_with.all() for m in c.pool_memberships.all())}
    assert in_shared_pool
    recruiter_sees = _ids(Candidate.objects.for_user(users["recruiter"]).filter(pk__in=ids))
    assert recruiter_sees == in_shared_pool & both
    # And with every child in that pool, both cases show: the child's own consent is not enough.
    pool = TalentPool.objects.get(shared_with=agency)
    PoolMembership.objects.bulk_create([PoolMembership(pool=pool, candidate_id=pk) for pk in ids],
                                       ignore_conflicts=True)
    assert _ids(Candidate.objects.for_user(users["recruiter"]).filter(pk__in=ids)) == both

    # Every grant for a child carries evidence: a scanned form or a note saying where the paper is.
    for consent in Consent.objects.filter(candidate_id__in=ids):
        assert consent.evidence or consent.evidence_note
        if consent.given_by == Consent.GivenBy.GUARDIAN:
            assert len(consent.guardian_name.split()) >= 3
    assert "Dưới 16 tuổi: " in seeded


def test_consent_rows_are_what_the_seed_generates_and_plausible(db) -> None:  # type: ignore[no-untyped-def]
    people = demo.generate_people(seed=7, count=300)
    # A stale file where a scanned form goes (an earlier seeding, say) gives way: names stay as generated.
    stale = next(c.evidence_file for p in people for c in consents_of(p) if c.evidence_file)
    default_storage.save(stale, io.BytesIO(b"not a form"))
    run_seed("--yes-demo")
    expected = Counter(
        (p.email, c.purpose, c.given_by, c.granted_at, c.withdrawn_at, c.guardian_name, c.evidence_file,
         c.evidence_note)
        for p in people for c in consents_of(p)
    )
    stored = Counter(Consent.objects.values_list(
        "candidate__email", "purpose", "given_by", "granted_at", "withdrawn_at", "guardian_name", "evidence",
        "evidence_note"))
    assert stored == expected

    consents = list(Consent.objects.select_related("candidate", "recorded_by__profile"))
    first_step = dict(StageTransition.objects.filter(from_stage="").values_list("candidate_id", "created_at"))
    as_of = dt.datetime(2026, 9, 1, tzinfo=demo.DEMO_TZ)
    for consent in consents:
        assert first_step[consent.candidate_id] < consent.granted_at < as_of
        assert consent.withdrawn_at is None or consent.granted_at < consent.withdrawn_at < as_of
        assert consent.evidence_note
        assert consent.recorded_by is not None
        assert consent.recorded_by == consent.candidate.user or consent.recorded_by.profile.role in (
            Role.ADMIN, Role.OFFICER, Role.LIAISON)
    by_purpose = Counter((c.purpose, c.given_by) for c in consents if c.withdrawn_at is None)
    candidates = len(people)  # the generated people (the incumbents succession imports give no consent)
    # Most agreed to processing, a majority (not all) to sharing, some to being contacted.
    assert 0.85 * candidates < by_purpose[("process_profile", "self")] < candidates
    assert 0.5 * candidates < by_purpose[(SHARE, "self")] < 0.85 * candidates
    assert 0.2 * candidates < by_purpose[("contact_about_events", "self")] < 0.6 * candidates
    assert by_purpose[(SHARE, "guardian")] > 0
    assert any(c.withdrawn_at for c in consents)

    # The showcase student agreed to everything herself, from her own account.
    mine = [c for c in consents if c.candidate.user and c.candidate.user.username == "student"]
    assert sorted(c.purpose for c in mine) == sorted(Consent.Purpose.values)
    assert all(c.given_by == "self" and c.recorded_by == c.candidate.user and c.withdrawn_at is None for c in mine)

    # A few scanned forms, real PDFs under their generated names.
    files = {c.evidence.name for c in consents if c.evidence}
    assert 0 < len(files) <= MAX_EVIDENCE_FILES and stale in files
    for name in files:
        with default_storage.open(name, "rb") as form:
            assert_well_formed_pdf(form.read())


def assert_well_formed_pdf(data: bytes) -> None:
    """The header, and a cross-reference table whose offsets land on the objects it names."""
    assert data.startswith(b"%PDF-1.") and data.endswith(b"%%EOF\n")
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert data[start:start + 4] == b"xref"
    entries = data[start:].split(b"\n")[3:]
    offsets = [int(line[:10]) for line in entries if line.endswith(b" n ")]
    assert offsets
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{number} 0 obj".encode())


def test_consents_and_details_depend_on_the_seed_only() -> None:
    first = demo.generate_people(seed=7, count=300)
    again = demo.generate_people(seed=7, count=300)
    other = demo.generate_people(seed=8, count=300)
    assert [consents_of(p) for p in first] == [consents_of(p) for p in again]
    assert [consents_of(p) for p in first[1:]] != [consents_of(p) for p in other[1:]]
    assert [p.home_address for p in first] == [p.home_address for p in again]
    forms = [c.evidence_file for p in first for c in consents_of(p) if c.evidence_file]
    assert forms == [c.evidence_file for p in again for c in consents_of(p) if c.evidence_file]
    assert all(name.startswith("consent-evidence/") and "demo-7-" in name for name in forms)


def test_younger_pupils_join_without_changing_anyone_else() -> None:
    people = demo.generate_people(seed=11, count=1500)
    pupils = [p for p in people if p.cohort == demo.PUPIL]
    young = [p for p in pupils if p.date_of_birth.year >= 2010]
    assert 0.1 * len(pupils) < len(young) < 0.35 * len(pupils)
    assert any(needs_guardian(p.date_of_birth, DEMO_TODAY) for p in young)
    for person in young:
        grade = {2010: EducationRecord.Level.GRADE_11, 2011: EducationRecord.Level.GRADE_10}[person.date_of_birth.year]
        assert person.education[0].level == grade and person.education[0].end_year is None
        assert not person.youth_union_member or age_on(person.date_of_birth, demo.AS_OF) >= 16
    # Everyone else is drawn exactly as before younger pupils existed: the grade-12 pupil a younger
    # pupil replaced was still drawn, so the same seed gives the same other people.
    generator = demo._Generator(11)
    generator._extra_chance = lambda probability: False  # type: ignore[method-assign]
    without = [generator.showcase_student()]
    for _ in range(1499):
        roll = generator.rng.random()
        without.append(generator.pupil() if roll < 0.3 else generator.student() if roll < 0.8 else generator.cadre())
    for before, now in zip(without, people):
        if now.date_of_birth.year < 2010:
            assert (before.full_name, before.date_of_birth, before.email, before.history) == (
                now.full_name, now.date_of_birth, now.email, now.history)


def test_personal_details_are_plausible() -> None:
    people = demo.generate_people(seed=11, count=1500)
    religions = Counter(p.religion for p in people)
    assert set(religions) <= set(Religion.values)
    assert religions[""] > 0.6 * len(people) and len(religions) >= 4
    assert all(p.religion in ("", Religion.BUDDHISM, Religion.CATHOLICISM) for p in people if p.ethnicity == "Khmer")
    with_address = [p for p in people if p.home_address]
    assert 0.85 * len(people) < len(with_address) < len(people)
    assert all(len(p.home_address) <= 255 and (", Phường " in p.home_address or ", Xã " in p.home_address
                                               or ", Đặc khu " in p.home_address) for p in with_address)
    students = [p for p in people if p.cohort == demo.STUDENT]
    assert 0.2 * len(students) < sum(bool(p.aspirations) for p in students) < 0.5 * len(students)


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
