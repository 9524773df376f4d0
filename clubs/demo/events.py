"""The clubs demo's clubs, student accounts, memberships, events and attendance, and
``seed_clubs_demo``, which writes them and then the questions, announcement and surveys of
``clubs.demo.voices`` (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from clubs.demo.voices import PAST_QUESTIONS, UPCOMING_QUESTIONS, announce, ask_questions, run_surveys
from clubs.models import Club, Event, Membership, Registration
from core.seeding import SeedContext
from talent.demo import CITY, DEMO_TZ, SHOWCASE_UNIVERSITY
from talent.models import Candidate, Organization, Role, Stage, UserProfile

KHTN = "DH-KHTN"
CITY_CLUB = "clb-can-bo-tre-tai-nang-tre-tphcm"
BK_CLUB = "clb-sinh-vien-5-tot-bach-khoa"
KHTN_CLUB = "clb-nghien-cuu-khoa-hoc-khtn"

K = Event.Kind
E = Event.Eligibility
R = Registration.Status
MS = Membership.Status


@dataclass(frozen=True)
class ClubSpec:
    slug: str
    name: str
    owner: str  # organization code
    policy: str
    directory: str
    description: str


CLUBS: tuple[ClubSpec, ...] = (
    ClubSpec(CITY_CLUB, "CLB Cán bộ trẻ – Tài năng trẻ TP.HCM", CITY, Club.Policy.APPROVAL, Club.Directory.MEMBERS,
             "Nơi gắn kết cán bộ trẻ, sinh viên và học sinh tiêu biểu của Thành phố: đối thoại với lãnh đạo "
             "Thành phố, toạ đàm, lớp bồi dưỡng lý luận chính trị và kỹ năng, giao lưu và tình nguyện."),
    ClubSpec(BK_CLUB, "CLB Sinh viên 5 tốt Trường ĐH Bách khoa", SHOWCASE_UNIVERSITY, Club.Policy.OPEN,
             Club.Directory.MEMBERS,
             "Câu lạc bộ của sinh viên phấn đấu đạt danh hiệu Sinh viên 5 tốt: học tập, nghiên cứu, tình nguyện, "
             "thể lực và hội nhập."),
    ClubSpec(KHTN_CLUB, "CLB Nghiên cứu khoa học sinh viên Trường ĐH Khoa học Tự nhiên", KHTN, Club.Policy.APPROVAL,
             Club.Directory.CORE,
             "Sinh hoạt học thuật, hướng dẫn viết đề tài và chuẩn bị cho Giải thưởng Sinh viên nghiên cứu khoa học."),
)
CLUB_UNIVERSITY = {BK_CLUB: SHOWCASE_UNIVERSITY, KHTN_CLUB: KHTN}

NVH = "Nhà Văn hoá Thanh niên, 4 Phạm Ngọc Thạch, phường Sài Gòn"
HALL = "Hội trường Thành Đoàn, 1 Phạm Ngọc Thạch, phường Sài Gòn"
BK_HALL = "Hội trường A4, Trường ĐH Bách khoa, 268 Lý Thường Kiệt"
KHTN_HALL = "Giảng đường I, Trường ĐH Khoa học Tự nhiên, 227 Nguyễn Văn Cừ"


@dataclass(frozen=True)
class EventSpec:
    key: str
    title: str
    kind: str
    club: str | None  # club slug
    organization: str  # organization code
    day: int  # days from the day of seeding (negative: past)
    at: tuple[int, int]  # local start time
    hours: float
    place: str
    capacity: int
    eligibility: str = E.ANYONE
    turnout: float = 0.4  # share of the eligible who register, for a person of average keenness
    online_link: str = ""
    offer_hours: int | None = None
    opens_in: int | None = None  # registration opens this many days from the day of seeding
    description: str = ""


PAST: tuple[EventSpec, ...] = (
    EventSpec("p-dialogue-digital", "Đối thoại «Thanh niên Thành phố với chuyển đổi số»", K.DIALOGUE, CITY_CLUB, CITY,
              -400, (8, 0), 3.5, NVH, 300, turnout=0.35),
    EventSpec("p-theory-class", "Lớp bồi dưỡng lý luận chính trị cho hội viên CLB", K.TRAINING, CITY_CLUB, CITY,
              -330, (7, 30), 8, HALL, 80, E.CLUB, 0.5),
    EventSpec("p-seminar-public-service", "Toạ đàm «Người trẻ và khát vọng cống hiến trong khu vực công»", K.SEMINAR,
              CITY_CLUB, CITY, -290, (14, 0), 3, NVH, 200, turnout=0.3),
    EventSpec("p-bk-festival", "Ngày hội Sinh viên 5 tốt Bách khoa", K.EXCHANGE, BK_CLUB, SHOWCASE_UNIVERSITY,
              -250, (8, 0), 5, BK_HALL, 150, E.CLUB, 0.55),
    EventSpec("p-khtn-conference", "Hội nghị Sinh viên nghiên cứu khoa học cấp khoa", K.COMPETITION, KHTN_CLUB, KHTN,
              -210, (8, 0), 6, KHTN_HALL, 100, E.CLUB, 0.45),
    EventSpec("p-green-summer", "Chiến dịch Mùa hè xanh – mặt trận xã Củ Chi", K.VOLUNTEERING, None, CITY,
              -160, (6, 0), 10, "Nhà văn hoá xã Củ Chi", 120, turnout=0.25),
    EventSpec("p-shtp-visit", "Tham quan thực tế Khu Công nghệ cao TP.HCM", K.FIELD_TRIP, CITY_CLUB, CITY,
              -120, (7, 30), 5, "Khu Công nghệ cao TP.HCM, phường Tăng Nhơn Phú", 45, E.CLUB, 0.3),
    EventSpec("p-bk-paper-writing", "Seminar «Viết bài báo khoa học đầu tiên»", K.SEMINAR, BK_CLUB, SHOWCASE_UNIVERSITY,
              -90, (18, 0), 2, BK_HALL, 80, E.CLUB, 0.35),
    EventSpec("p-young-entrepreneurs", "Giao lưu Cán bộ trẻ – Tài năng trẻ với doanh nhân trẻ", K.EXCHANGE, CITY_CLUB,
              CITY, -60, (18, 30), 2.5, NVH, 100, E.CLUB, 0.35),
    EventSpec("p-khtn-ai-biology", "Seminar «Trí tuệ nhân tạo trong nghiên cứu sinh học»", K.SEMINAR, KHTN_CLUB, KHTN,
              -45, (14, 0), 2.5, KHTN_HALL, 120, turnout=0.3, online_link="https://meet.example.com/khtn-ai-sinh-hoc"),
    EventSpec("p-dialogue-leaders", "Đối thoại «Lãnh đạo Thành phố lắng nghe sinh viên tiêu biểu»", K.DIALOGUE,
              CITY_CLUB, CITY, -30, (8, 30), 3, HALL, 150, E.CLUB, 0.5),
    EventSpec("p-bk-green-sunday", "Chủ nhật xanh – làm sạch kênh Nhiêu Lộc – Thị Nghè", K.VOLUNTEERING, BK_CLUB,
              SHOWCASE_UNIVERSITY, -14, (6, 30), 4, "Bến Hoàng Sa, phường Tân Định", 60, turnout=0.3),
    EventSpec("p-presentation-skills", "Lớp tập huấn kỹ năng thuyết trình và phản biện", K.TRAINING, CITY_CLUB, CITY,
              -7, (8, 0), 4, HALL, 40, E.CLUB, 0.3),
)
DIALOGUE_PAST = "p-dialogue-leaders"

UPCOMING: tuple[EventSpec, ...] = (
    EventSpec("u-dialogue", "Đối thoại «Thanh niên TP.HCM – kiến tạo tương lai» giữa lãnh đạo Thành phố và sinh viên "
              "tiêu biểu", K.DIALOGUE, CITY_CLUB, CITY, 12, (8, 30), 3, NVH, 150, E.CLUB, 0.45, opens_in=-6,
              description="Sinh viên gửi câu hỏi trước trên trang sự kiện; ban tổ chức duyệt và đưa lên màn hình "
                          "trong buổi đối thoại."),
    EventSpec("u-leadership-class", "Lớp bồi dưỡng kỹ năng lãnh đạo cho sinh viên tiêu biểu", K.TRAINING, CITY_CLUB,
              CITY, 9, (8, 0), 8, HALL, 25, offer_hours=24, opens_in=-8,
              description="Số chỗ có hạn. Khi có người huỷ, chỗ được mời lần lượt theo thứ tự danh sách chờ; "
                          "người được mời có 24 giờ để xác nhận."),
    EventSpec("u-bk-careers", "Toạ đàm «Định hướng nghề nghiệp trong khu vực công cho sinh viên kỹ thuật»", K.SEMINAR,
              BK_CLUB, SHOWCASE_UNIVERSITY, 18, (14, 0), 2.5, BK_HALL, 80, turnout=0.25, opens_in=-3),
    EventSpec("u-khtn-final", "Vòng chung kết Giải thưởng Sinh viên nghiên cứu khoa học 2026", K.COMPETITION, KHTN_CLUB,
              KHTN, 30, (8, 0), 8, KHTN_HALL, 60, E.CLUB, opens_in=5),
)
WAITLIST_EVENT = "u-leadership-class"

@dataclass
class ClubsDemoSummary:
    seed: int
    clubs: int = 0
    accounts: int = 0  # student accounts created for candidates
    members: int = 0  # active memberships
    pending: int = 0
    past_events: int = 0
    upcoming_events: int = 0
    attended: int = 0
    no_shows: int = 0
    cancelled: int = 0
    upcoming_registered: int = 0
    waitlisted: int = 0
    questions: int = 0
    survey_responses: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)  # attendances per event kind
    seconds: float = 0.0

    def line(self) -> str:
        return (f"Câu lạc bộ: {self.clubs} ({self.members} thành viên, {self.pending} chờ duyệt; {self.accounts} tài "
                f"khoản sinh viên); sự kiện đã diễn ra {self.past_events} ({self.attended} lượt tham dự, "
                f"{self.no_shows} vắng mặt, {self.cancelled} huỷ), sắp diễn ra {self.upcoming_events} "
                f"({self.upcoming_registered} đăng ký, {self.waitlisted} trong danh sách chờ); "
                f"{self.questions} câu hỏi đối thoại; {self.survey_responses} phản hồi khảo sát "
                f"({self.seconds:.1f} giây)")


@dataclass
class _Person:
    candidate_id: int
    university: str  # organization code of the university
    keenness: float  # 0..1: how readily this person registers and turns up
    user: Any = None
    showcase: bool = False


def _at(anchor: dt.date, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(anchor + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=DEMO_TZ)


def _split_name(full_name: str) -> tuple[str, str]:
    """(family and middle names, given name): Django shows first_name then last_name."""
    parts = full_name.split()
    return " ".join(parts[:-1]), parts[-1] if parts else ""


def _choose_people(rng: random.Random) -> list[_Person]:
    """University students (members of a faculty, still in the programme), in id order: those of the
    two club universities take part more often; the demo student always does."""
    User = get_user_model()
    showcase_user = User.objects.filter(username="student").first()
    rows = (Candidate.objects.filter(organization__kind=Organization.Kind.FACULTY, erased_at__isnull=True)
            .exclude(stage=Stage.EXITED).order_by("id")
            .values_list("id", "organization__parent__code", "user_id"))
    people = []
    for candidate_id, university, user_id in rows:
        showcase = showcase_user is not None and user_id == showcase_user.pk
        share = 0.4 if university in (SHOWCASE_UNIVERSITY, KHTN) else 0.1
        chosen = rng.random() < share
        keenness = rng.betavariate(2, 3)
        if showcase:
            people.append(_Person(candidate_id, university, 0.6, showcase_user, True))
        elif chosen and user_id is None:
            people.append(_Person(candidate_id, university, keenness))
    return people


def _create_accounts(people: list[_Person]) -> int:
    """A student account per chosen candidate without one (username: their e-mail), linked to the record."""
    User = get_user_model()
    needing = [p for p in people if p.user is None]
    candidates = Candidate.objects.in_bulk([p.candidate_id for p in needing])
    taken = set(User.objects.filter(username__in=[c.email.lower() for c in candidates.values() if c.email])
                .values_list("username", flat=True))
    users, linked = [], []
    for person in needing:
        candidate = candidates[person.candidate_id]
        username = (candidate.email or f"sv{candidate.pk}@example.com").lower()
        if username in taken:
            continue
        first, last = _split_name(candidate.full_name)
        user = User(username=username, email=candidate.email, first_name=first, last_name=last)
        user.set_unusable_password()
        users.append(user)
        linked.append((person, candidate))
    User.objects.bulk_create(users, batch_size=500)
    for user, (person, candidate) in zip(users, linked):
        person.user = user
        candidate.user = user
    UserProfile.objects.bulk_create([UserProfile(user=u, role=Role.STUDENT, organization_id=c.organization_id)
                                     for u, (_, c) in zip(users, linked)], batch_size=500)
    Candidate.objects.bulk_update([c for _, c in linked], ["user"], batch_size=500)
    people[:] = [p for p in people if p.user is not None]
    return len(users)


def _memberships(rng: random.Random, clubs: dict[str, Club], people: list[_Person], anchor: dt.date,
                 staff: dict[str, Any]) -> dict[str, dict[int, Membership]]:
    """Who is in which club (keyed by club slug, then user id)."""
    rows: dict[str, dict[int, Membership]] = {slug: {} for slug in clubs}
    for person in people:
        for slug, club in clubs.items():
            university = CLUB_UNIVERSITY.get(slug)
            if university is not None and person.university != university:
                continue
            chance = 0.55 if university is None else 0.8
            joins = rng.random() < chance
            roll = rng.random()
            joined = _at(anchor, -rng.randint(20, 560), rng.randint(8, 21), rng.choice((0, 15, 30, 45)))
            if person.showcase and slug in (CITY_CLUB, BK_CLUB):
                joins, roll = True, 0.5
            if not joins:
                continue
            if roll > 0.97:
                status, joined_at = MS.LEFT, joined
            else:
                status, joined_at = MS.ACTIVE, joined
            decider = staff.get("officer") if slug == CITY_CLUB else staff.get("liaison") if slug == BK_CLUB else None
            rows[slug][person.user.pk] = Membership(
                club=club, user=person.user, status=status, joined_at=joined_at,
                decided_by=decider if club.policy == Club.Policy.APPROVAL and joined_at else None)
    for slug, members in rows.items():
        if clubs[slug].policy != Club.Policy.APPROVAL:
            continue
        # The latest requests to approval clubs still wait for the core team (a few, at least two).
        recent = sorted((m for m in members.values() if m.status == MS.ACTIVE and m.user.username != "student"),
                        key=lambda m: (m.joined_at, m.user_id), reverse=True)
        for membership in recent[:max(2, round(0.06 * len(members)))]:
            membership.status, membership.joined_at, membership.decided_by = MS.PENDING, None, None
    keen = {p.user.pk: p.keenness for p in people if not p.showcase}
    for slug, members in rows.items():
        # The keenest active members run the club: a chair and a core team of three.
        ranked = sorted((m for m in members.values() if m.status == MS.ACTIVE and m.user_id in keen),
                        key=lambda m: (-keen[m.user_id], m.user_id))
        for index, membership in enumerate(ranked[:4]):
            membership.role = Membership.Role.CHAIR if index == 0 else Membership.Role.CORE
    Membership.objects.bulk_create([m for members in rows.values() for m in members.values()], batch_size=500)
    return rows


def _create_events(specs: tuple[EventSpec, ...], clubs: dict[str, Club], orgs: dict[str, Organization],
                   staff: dict[str, Any], anchor: dt.date, *, past: bool) -> dict[str, Event]:
    events = []
    for spec in specs:
        starts = _at(anchor, spec.day, *spec.at)
        organizer = staff.get("officer") if spec.organization == CITY else (
            staff.get("liaison") if spec.organization == SHOWCASE_UNIVERSITY else None)
        opens = _at(anchor, spec.opens_in, 8, 0) if spec.opens_in is not None else None
        events.append(Event(
            title=spec.title, kind=spec.kind, description=spec.description,
            club=clubs[spec.club] if spec.club else None, organization=orgs[spec.organization], starts_at=starts,
            ends_at=starts + dt.timedelta(hours=spec.hours), place=spec.place, online_link=spec.online_link,
            capacity=spec.capacity, eligibility=spec.eligibility, offer_hours=spec.offer_hours,
            registration_opens_at=opens, registration_closes_at=starts - dt.timedelta(hours=12) if opens else None,
            reminder_sent_at=starts - dt.timedelta(hours=20) if past else None, created_by=organizer))
    Event.objects.bulk_create(events)
    return {spec.key: event for spec, event in zip(specs, events)}


def _eligible(spec: EventSpec, people: list[_Person], members: dict[str, dict[int, Membership]],
              starts: dt.datetime) -> list[_Person]:
    if spec.eligibility != E.CLUB:
        return list(people)
    club = members[spec.club or ""]
    return [p for p in people if (m := club.get(p.user.pk)) is not None and m.status == MS.ACTIVE
            and m.joined_at is not None and m.joined_at < starts]


def _register_past(rng: random.Random, spec: EventSpec, event: Event, people: list[_Person],
                   members: dict[str, dict[int, Membership]], staff: dict[str, Any]) -> list[Registration]:
    home = CLUB_UNIVERSITY.get(spec.club or "")
    organizer = event.created_by
    rows = []
    for person in _eligible(spec, people, members, event.starts_at):
        interest = spec.turnout * (0.3 + 1.4 * person.keenness)
        if home is not None and spec.eligibility != E.CLUB and person.university != home:
            interest *= 0.3  # a university's open events draw mostly its own students
        forced = person.showcase and spec.key == DIALOGUE_PAST
        if not forced and rng.random() >= min(interest, 0.95):
            continue
        registered_at = event.starts_at - dt.timedelta(days=rng.uniform(1, 21))
        rows.append((registered_at, person, forced))
    rows.sort(key=lambda row: (row[0], row[1].candidate_id))
    registrations = []
    for registered_at, person, forced in rows[:spec.capacity]:
        registration = Registration(event=event, user=person.user, status=R.REGISTERED, created_at=registered_at)
        if not forced and rng.random() < 0.06:
            registration.status = R.CANCELLED
            registration.cancelled_at = registered_at + (event.starts_at - registered_at) * rng.random()
        elif forced or rng.random() < 0.6 + 0.35 * person.keenness:
            registration.checked_in_at = event.starts_at + dt.timedelta(minutes=rng.randint(-30, 20))
            method = rng.choices(list(Registration.Method.values), weights=(5, 2, 3))[0]
            registration.check_in_method = method
            registration.checked_in_by = person.user if method == Registration.Method.SELF else organizer
        registrations.append(registration)
    return registrations


def _register_upcoming(rng: random.Random, spec: EventSpec, event: Event, people: list[_Person],
                       members: dict[str, dict[int, Membership]], anchor: dt.date) -> list[Registration]:
    if spec.opens_in is not None and spec.opens_in > 0:
        return []  # registration has not opened yet
    opened = _at(anchor, spec.opens_in or -7, 8, 0)
    eligible = _eligible(spec, people, members, opened)
    showcase = next((p for p in eligible if p.showcase), None)
    if spec.key == WAITLIST_EVENT:
        # Oversubscribed: everyone keen enough, more than the seats, in arrival order.
        chosen = [p for p in eligible if not p.showcase and rng.random() < 0.3 + 0.7 * p.keenness]
        chosen = chosen[:spec.capacity + 12]
        rng.shuffle(chosen)
        if len(chosen) + 1 < event.capacity + 4:
            # A small demo city has fewer students than seats: the class shrinks so that people still wait.
            event.capacity = max(1, len(chosen) - 3)
            Event.objects.filter(pk=event.pk).update(capacity=event.capacity)
        if showcase is not None:
            chosen.insert(min(len(chosen), event.capacity + 2), showcase)  # third in line
    else:
        chosen = [p for p in eligible if (p.showcase and spec.key == "u-dialogue")
                  or rng.random() < min(spec.turnout * (0.3 + 1.4 * p.keenness), 0.95)]
        rng.shuffle(chosen)
    # Registered between the opening and the start of the day of seeding (never after ``now``).
    span = (dt.datetime.combine(anchor, dt.time(), tzinfo=DEMO_TZ) - opened).total_seconds()
    times = sorted(opened + dt.timedelta(seconds=rng.uniform(0, span)) for _ in chosen)
    registrations = []
    for index, (person, registered_at) in enumerate(zip(chosen, times)):
        seated = index < event.capacity
        registrations.append(Registration(
            event=event, user=person.user, status=R.REGISTERED if seated else R.WAITLISTED,
            waitlist_position=None if seated else index - event.capacity + 1, created_at=registered_at))
    return registrations


def seed_clubs_demo(seed: int, *, now: dt.datetime | None = None) -> ClubsDemoSummary:
    """Write the clubs demo for ``seed`` on top of the seeded demo city (see the module docstring)."""
    started = time.perf_counter()
    now = now or timezone.now()
    anchor = now.astimezone(DEMO_TZ).date()
    rng = random.Random(f"clubs-demo-{seed}")
    summary = ClubsDemoSummary(seed=seed)
    codes = {CITY, SHOWCASE_UNIVERSITY, KHTN}
    orgs = {org.code: org for org in Organization.objects.filter(code__in=codes)}
    if set(orgs) != codes:
        raise ValueError("The demo city (talent.demo) must be seeded before the clubs demo.")
    if Club.objects.filter(slug__in=[spec.slug for spec in CLUBS]).exists():
        raise ValueError("The clubs demo has already been seeded in this database.")
    staff = {user.username: user for user in get_user_model().objects.filter(username__in=("officer", "liaison"))}

    with transaction.atomic():
        people = _choose_people(rng)
        summary.accounts = _create_accounts(people)
        clubs = {spec.slug: Club(slug=spec.slug, name=spec.name, owner=orgs[spec.owner], policy=spec.policy,
                                 directory=spec.directory, description=spec.description,
                                 created_by=staff.get("officer") if spec.owner == CITY else staff.get("liaison"))
                 for spec in CLUBS}
        Club.objects.bulk_create(clubs.values())
        members = _memberships(rng, clubs, people, anchor, staff)

        past = _create_events(PAST, clubs, orgs, staff, anchor, past=True)
        upcoming = _create_events(UPCOMING, clubs, orgs, staff, anchor, past=False)
        registrations: dict[str, list[Registration]] = {}
        for spec in PAST:
            registrations[spec.key] = _register_past(rng, spec, past[spec.key], people, members, staff)
        for spec in UPCOMING:
            registrations[spec.key] = _register_upcoming(rng, spec, upcoming[spec.key], people, members, anchor)
        Registration.objects.bulk_create([r for rows in registrations.values() for r in rows], batch_size=500)

        officer = staff.get("officer")
        summary.questions = ask_questions(rng, upcoming["u-dialogue"], UPCOMING_QUESTIONS,
                                          registrations["u-dialogue"], officer, asked_before=_at(anchor, 0, 0, 0))
        dialogue = past[DIALOGUE_PAST]
        summary.questions += ask_questions(rng, dialogue, PAST_QUESTIONS, registrations[DIALOGUE_PAST], officer,
                                           asked_before=dialogue.starts_at + dt.timedelta(hours=2))
        announce(clubs[CITY_CLUB], members[CITY_CLUB], upcoming["u-dialogue"], officer,
                  _at(anchor, -6, 9, 0), rng)
        summary.survey_responses = run_surveys(rng, clubs[CITY_CLUB], members[CITY_CLUB], dialogue,
                                               registrations[DIALOGUE_PAST], orgs, officer,
                                               opens_at=_at(anchor, -20, 8, 0), closes_at=_at(anchor, 10, 23, 59))

    summary.clubs = len(clubs)
    statuses = Counter(m.status for rows in members.values() for m in rows.values())
    summary.members, summary.pending = statuses[MS.ACTIVE], statuses[MS.PENDING]
    summary.past_events, summary.upcoming_events = len(PAST), len(UPCOMING)
    kinds: Counter[str] = Counter()
    for spec in PAST:
        for registration in registrations[spec.key]:
            if registration.checked_in_at is not None:
                summary.attended += 1
                kinds[spec.kind] += 1
            elif registration.status == R.CANCELLED:
                summary.cancelled += 1
            else:
                summary.no_shows += 1
    summary.by_kind = dict(kinds)
    for spec in UPCOMING:
        for registration in registrations[spec.key]:
            summary.upcoming_registered += registration.status == R.REGISTERED
            summary.waitlisted += registration.status == R.WAITLISTED
    summary.seconds = time.perf_counter() - started
    return summary



def seed_clubs(context: SeedContext) -> None:
    """The clubs app's demo seeder (after the scoring demo; see ``ClubsConfig.ready``)."""
    context.write(f"  {seed_clubs_demo(context.seed).line()}")
