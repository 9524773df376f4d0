"""Writing the demo city down, and running every app's demo seeder in order.

Talent's seeder writes the organizations, the demo accounts, the people with their records and
histories, and the pools, through the services, bulk-creating the child rows; it leaves what the
seeders after it need in ``SeedContext.shared`` (the ``SHARED_*`` keys). ``run_demo_seeders`` runs
all of them: the demo city's (talent's, and those that complete it, such as privacy's consents) in
one transaction, then the others, each in its own.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery

from core.audit import audit
from core.seeding import SeedContext, Seeder, ordered_seeders, register_seeder
from talent.demo.organizations import CITY, DEMO_ACCOUNTS, DEMO_PASSWORD, ORGANIZATIONS, POOLS, SHOWCASE_UNIVERSITY
from talent.demo.people import generate_people
from talent.demo.specs import PersonSpec
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    Organization,
    PoolMembership,
    Role,
    Stage,
    StageTransition,
    UserProfile,
)
from talent.services import candidates_bulk_register, education_record_derive, organization_create, pool_create

# What talent's seeder leaves in ``SeedContext.shared`` for the seeders after it.
SHARED_PEOPLE = "talent.people"  # list[PersonSpec]: everyone generated, the showcase student first
SHARED_CANDIDATES = "talent.candidates"  # list[Candidate]: each person's saved record, in the same order
SHARED_ORGANIZATIONS = "talent.organizations"  # dict[str, Organization]: by code
SHARED_ACCOUNTS = "talent.accounts"  # dict[str, User]: the demo accounts by username ({} without them)
SHARED_SUMMARY = "talent.summary"  # DemoSummary


@dataclass
class DemoSummary:
    seed: int
    organizations: dict[str, int] = field(default_factory=dict)  # kind → count
    candidates: int = 0
    stages: dict[str, int] = field(default_factory=dict)  # stage → count, pipeline order
    education_records: int = 0
    achievements: int = 0
    languages: int = 0
    transitions: int = 0
    pools: dict[str, int] = field(default_factory=dict)  # pool name → members
    accounts: list[str] = field(default_factory=list)
    seconds: float = 0.0


def demo_conflicts() -> list[str]:
    """Why the demo cannot be written into this database (empty when it can)."""
    problems = []
    if Organization.objects.filter(code=CITY).exists():
        problems.append(f"Đã có đơn vị mã «{CITY}»: dữ liệu demo đã được tạo trước đó.")
    usernames = [account.username for account in DEMO_ACCOUNTS]
    taken = sorted(get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        problems.append(f"Đã có tài khoản trùng tên với tài khoản demo: {', '.join(taken)}.")
    return problems


# --- Running the seeders ----------------------------------------------------------------------------

# The seeders that complete the demo city rather than add a part beside it: talent's own and those
# registered through register_city_seeder (privacy's consents: a city whose candidates never agreed
# to anything shows the recruiter nobody). They commit together, so that a failure leaves no
# half-made city behind for ``seed_demo --if-empty`` to skip on every later start.
_city_seeders: list[str] = []


def register_city_seeder(seeder: Seeder) -> None:
    """Register ``seeder`` with ``core.seeding`` as one that completes the demo city (see above)."""
    register_seeder(seeder)
    if seeder.name not in _city_seeders:
        _city_seeders.append(seeder.name)


def run_demo_seeders(context: SeedContext) -> SeedContext:
    """Every registered seeder in the order they declare: the demo city's in one transaction, then
    the others, each in the transactions of its own.

    Not one transaction for all: the later parts rely on their own commits (the openings demo sends
    its candidates' e-mails on commit, to a dummy backend it sets for that while only).
    """
    order = ordered_seeders()
    city = sum(seeder.name in _city_seeders for seeder in order)
    if any(seeder.name not in _city_seeders for seeder in order[:city]):
        raise ValueError("the demo city's seeders must run before every other demo seeder, not "
                         + " → ".join(seeder.name for seeder in order))
    with transaction.atomic():
        for seeder in order[:city]:
            seeder.run(context)
    for seeder in order[city:]:
        seeder.run(context)
    return context


def seed_demo(*, seed: int, candidates: int, create_accounts: bool, stdout: IO[str] | None = None) -> DemoSummary:
    """Write the whole demo for ``seed`` with ``candidates`` people (every app's part, see
    ``run_demo_seeders``); returns the summary of talent's part."""
    context = run_demo_seeders(SeedContext(seed=seed, candidates=candidates, create_accounts=create_accounts,
                                           stdout=stdout))
    return context.shared[SHARED_SUMMARY]


def seed_talent(context: SeedContext) -> None:
    """Talent's seeder: the demo city for ``context.seed`` with ``context.candidates`` people, in one
    transaction, then its summary lines. Leaves the ``SHARED_*`` entries for the seeders after it."""
    started = time.perf_counter()
    seed, shared = context.seed, context.shared
    people = generate_people(seed=seed, count=context.candidates)
    summary = DemoSummary(seed=seed)
    with transaction.atomic():
        orgs = _create_organizations()
        users = _create_accounts(orgs) if context.create_accounts else {}
        saved = _register_people(people, orgs, users)
        summary.transitions = _write_histories(people, saved, orgs, users)
        summary.education_records, summary.achievements, summary.languages = _write_records(
            people, saved, orgs, users)
        summary.pools = _create_pools(people, saved, orgs, users)
        audit(actor=None, action="demo.seed", obj=orgs[CITY],
              changes={"seed": seed, "candidates": context.candidates})
    shared[SHARED_PEOPLE], shared[SHARED_CANDIDATES] = people, saved
    shared[SHARED_ORGANIZATIONS], shared[SHARED_ACCOUNTS] = orgs, users
    summary.organizations = dict(Counter(org.kind for org in orgs.values()))
    summary.candidates = len(saved)
    stage_counts = Counter(person.stage for person in people)
    summary.stages = {stage: stage_counts[stage] for stage in Stage.values if stage_counts[stage]}
    summary.accounts = list(users)
    summary.seconds = time.perf_counter() - started
    shared[SHARED_SUMMARY] = summary
    if context.stdout is not None:
        write_summary(summary, context.stdout)


# --- Writing it down --------------------------------------------------------------------------------


def _create_organizations() -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for spec in ORGANIZATIONS:
        orgs[spec.code] = organization_create(
            code=spec.code, name=spec.name, kind=spec.kind, parent=orgs[spec.parent] if spec.parent else None,
            province_code=spec.province_code, actor=None,
        )
    return orgs


def _create_accounts(orgs: dict[str, Organization]) -> dict[str, Any]:
    User = get_user_model()
    users: dict[str, Any] = {}
    password_hash = ""
    for account in DEMO_ACCOUNTS:
        # Django shows "first_name last_name"; a Vietnamese name reads family and middle names
        # first, so they go in first_name (as accounts.services.user_create stores them too).
        user = User(username=account.username, email=f"{account.username}@example.com",
                    first_name=account.last_name, last_name=account.first_name,
                    is_staff=account.role == Role.ADMIN, is_superuser=account.role == Role.ADMIN)
        # set_password skips the password validators, which "demo" would fail. One hash (a salted
        # Argon2, slow on purpose) serves every account: they share the password anyway.
        if not password_hash:
            user.set_password(DEMO_PASSWORD)
            password_hash = user.password
        user.password = password_hash
        user.save()
        UserProfile.objects.create(user=user, role=account.role, organization=orgs[account.organization])
        users[account.username] = user
    return users


def actor_for(org: Organization, orgs: dict[str, Organization], users: dict[str, Any]) -> Any:
    """The demo account that would have recorded a step for someone of ``org``: the campus liaison
    on their campus, the city officer inside the Youth Union tree, the system elsewhere."""
    if "liaison" in users and org.is_within(orgs[SHOWCASE_UNIVERSITY]):
        return users["liaison"]
    if "officer" in users and org.is_within(orgs[CITY]):
        return users["officer"]
    return None


def _register_people(people: list[PersonSpec], orgs: dict[str, Organization],
                     users: dict[str, Any]) -> list[Candidate]:
    rows = []
    for person in people:
        first = person.history[0]
        rows.append({
            "full_name": person.full_name, "gender": person.gender, "date_of_birth": person.date_of_birth,
            "ethnicity": person.ethnicity, "province_code": person.province_code, "email": person.email,
            "phone": person.phone, "citizen_id": person.citizen_id, "exam_number": person.exam_number,
            "exam_year": person.exam_year, "organization": orgs[person.organization],
            "youth_union_member": person.youth_union_member, "party_member": person.party_member,
            "party_joined_on": person.party_joined_on, "political_theory": person.political_theory,
            "religion": person.religion, "home_address": person.home_address, "aspirations": person.aspirations,
            "stage": first.to_stage, "reason": first.reason, "registered_at": first.at,
            "user": users.get("student") if person.is_showcase_student else None,
        })
    return candidates_bulk_register(rows=rows, actor=None)


def _write_histories(people: list[PersonSpec], saved: list[Candidate], orgs: dict[str, Organization],
                     users: dict[str, Any]) -> int:
    """Every step after registration, then each candidate's current stage from its last step."""
    transitions: list[StageTransition] = []
    moved: list[Candidate] = []
    for person, candidate in zip(people, saved):
        if len(person.history) == 1:
            continue
        actor = actor_for(candidate.organization, orgs, users)
        transitions.extend(
            StageTransition(candidate=candidate, from_stage=step.from_stage, to_stage=step.to_stage,
                            reason=step.reason, actor=actor, created_at=step.at)
            for step in person.history[1:]
        )
        candidate.stage = person.stage
        candidate.stage_changed_at = person.history[-1].at
        moved.append(candidate)
    StageTransition.objects.bulk_create(transitions, batch_size=500)
    # The current stage is the last step of the history just written; the database reads it off in
    # one statement per chunk, far cheaper than bulk_update's CASE per row.
    last = StageTransition.objects.filter(candidate=OuterRef("pk")).order_by("-created_at", "-id")
    ids = [candidate.pk for candidate in moved]
    for start in range(0, len(ids), 500):
        Candidate.objects.filter(pk__in=ids[start:start + 500]).update(
            stage=Subquery(last.values("to_stage")[:1]), stage_changed_at=Subquery(last.values("created_at")[:1]),
        )
    return len(transitions) + len(saved)


def _write_records(people: list[PersonSpec], saved: list[Candidate], orgs: dict[str, Organization],
                   users: dict[str, Any]) -> tuple[int, int, int]:
    education: list[EducationRecord] = []
    achievements: list[Achievement] = []
    languages: list[LanguageCertificate] = []
    for person, candidate in zip(people, saved):
        for record in person.education:
            gpa = Decimal(record.gpa) if record.gpa is not None else None
            education.append(education_record_derive(EducationRecord(
                candidate=candidate, institution=orgs[record.institution] if record.institution else None,
                institution_name=record.institution_name, level=record.level, major=record.major,
                start_year=record.start_year, end_year=record.end_year, gpa=gpa, gpa_scale=record.gpa_scale,
                conduct_score=record.conduct_score, retaken_over_5_percent=record.retaken_over_5_percent,
                disciplined=record.disciplined,
            )))
        reviewer = actor_for(candidate.organization, orgs, users)
        achievements.extend(
            Achievement(candidate=candidate, category=a.category, level=a.level, award_rank=a.award_rank, year=a.year,
                        title=a.title, evidence=a.evidence, verification_status=a.status,
                        verified_by=reviewer if a.reviewed_at else None, verified_at=a.reviewed_at)
            for a in person.achievements
        )
        languages.extend(
            LanguageCertificate(candidate=candidate, language=lang.language, level=lang.level,
                                certificate=lang.certificate, issued_on=lang.issued_on,
                                verification_status=lang.status)
            for lang in person.languages
        )
    EducationRecord.objects.bulk_create(education, batch_size=500)
    Achievement.objects.bulk_create(achievements, batch_size=500)
    LanguageCertificate.objects.bulk_create(languages, batch_size=500)
    return len(education), len(achievements), len(languages)


def _create_pools(people: list[PersonSpec], saved: list[Candidate], orgs: dict[str, Organization],
                  users: dict[str, Any]) -> dict[str, int]:
    officer = users.get("officer")
    members: dict[str, int] = {}
    memberships: list[PoolMembership] = []
    for spec in POOLS:
        pool = pool_create(actor=None, name=spec.name, kind=spec.kind, owner=orgs[spec.owner], term=spec.term,
                           description=spec.description, shared_with=[orgs[code] for code in spec.shared_with])
        chosen = [candidate for person, candidate in zip(people, saved) if spec.key in person.pools]
        memberships.extend(PoolMembership(pool=pool, candidate=candidate, added_by=officer) for candidate in chosen)
        members[spec.name] = len(chosen)
    PoolMembership.objects.bulk_create(memberships, batch_size=500)
    return members


# --- Output -------------------------------------------------------------------------------------------


def write_summary(summary: DemoSummary, stdout: IO[str]) -> None:
    kinds = dict(Organization.Kind.choices)
    stages = dict(Stage.choices)
    total_orgs = sum(summary.organizations.values())
    stdout.write(f"Đã tạo dữ liệu demo (seed {summary.seed}) trong {summary.seconds:.1f} giây.\n")
    stdout.write(f"  Đơn vị: {total_orgs} ("
                 + ", ".join(f"{kinds[k]} {n}" for k, n in summary.organizations.items()) + ")\n")
    stdout.write(f"  Ứng viên: {summary.candidates}\n")
    stdout.write("  Theo giai đoạn: " + ", ".join(f"{stages[s]} {n}" for s, n in summary.stages.items()) + "\n")
    stdout.write(f"  Quá trình học tập {summary.education_records}, thành tích {summary.achievements}, "
                 f"chứng chỉ ngoại ngữ {summary.languages}, lượt chuyển giai đoạn {summary.transitions}\n")
    for name, count in summary.pools.items():
        stdout.write(f"  Nguồn «{name}»: {count} thành viên\n")


def write_demo_accounts(stdout: IO[str]) -> None:
    """The demo accounts as they are in the database, as a table to log in with."""
    usernames = [account.username for account in DEMO_ACCOUNTS]
    found = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=usernames).select_related("profile__organization")
    }
    if not found:
        stdout.write("Cơ sở dữ liệu này chưa có tài khoản demo.\n")
        return
    roles = dict(Role.choices)
    rows = [("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị")]
    for account in DEMO_ACCOUNTS:
        user = found.get(account.username)
        if user is None:
            continue
        profile = getattr(user, "profile", None)
        role = roles.get(profile.role if profile else account.role, "")
        organization = profile.organization.name if profile and profile.organization else ""
        rows.append((account.username, DEMO_PASSWORD, str(role), organization))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    stdout.write("Tài khoản demo:\n")
    for index, row in enumerate(rows):
        stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + f"  {row[3]}\n")
        if index == 0:
            stdout.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * len(row[3]) + "\n")
