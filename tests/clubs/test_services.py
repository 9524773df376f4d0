"""Clubs and events through their services: membership policies, event rules, eligibility, seats and
the waitlist, time-limited offers, check-in, notifications and the live messages sent after commit."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from clubs import services
from clubs.models import Announcement, Club, Event, Membership, Registration
from core.models import Notification
from core import live
from talent.models import Role, TalentPool
from talent.services import education_record_add, pool_add, pool_create
from tests.factories import make_candidate, make_user

S = Registration.Status


def student(org: Any, **extra: Any) -> Any:
    return make_user(Role.STUDENT, org, **extra)


def make_event(actor: Any, *, capacity: int = 2, club: Club | None = None, starts_in: timedelta = timedelta(days=7),
               **fields: Any) -> Event:
    starts = timezone.now().replace(microsecond=0) + starts_in
    return services.event_create(actor=actor, title=fields.pop("title", "Đối thoại với sinh viên"),
                                 kind=fields.pop("kind", Event.Kind.DIALOGUE), starts_at=starts,
                                 ends_at=starts + timedelta(hours=2), capacity=capacity, club=club, **fields)


def reload(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj


def line(event: Event) -> list[tuple[str, Any]]:
    """(username, waitlist position) of the waitlist, in order."""
    return list(Registration.objects.filter(event=event, status=S.WAITLISTED).order_by("waitlist_position")
                .values_list("user__username", "waitlist_position"))


@pytest.fixture
def club(org_tree, officer) -> Club:  # type: ignore[no-untyped-def]
    return services.club_create(actor=officer, slug="clb-tnt", name="CLB Cán bộ trẻ – Tài năng trẻ",
                                owner=org_tree.city, policy=Club.Policy.OPEN)


@pytest.fixture
def people(org_tree) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    return SimpleNamespace(**{name: student(org_tree.faculty, username=name)
                              for name in ("an", "binh", "chi", "dung", "em", "giang")})


class RecordingLayer:
    """A channel layer that keeps what was sent, to see what ``core.live.publish`` delivers and when."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        self.sent.append((group, message))

    def of_type(self, event_type: str, group: str | None = None) -> list[dict[str, Any]]:
        return [m["data"] for g, m in self.sent if m["type"] == event_type and (group is None or g == group)]


@pytest.fixture
def layer(monkeypatch) -> RecordingLayer:  # type: ignore[no-untyped-def]
    recording = RecordingLayer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: recording)
    return recording


# --- Clubs and memberships ------------------------------------------------------------------------------


def test_club_create_is_for_staff_within_their_scope(org_tree, officer, ward_officer, people) -> None:
    with pytest.raises(PermissionDenied):
        services.club_create(actor=people.an, slug="x", name="X", owner=org_tree.faculty)
    with pytest.raises(ValidationError) as error:
        services.club_create(actor=ward_officer, slug="x", name="X", owner=org_tree.ward_b)
    assert "owner" in error.value.message_dict
    services.club_create(actor=officer, slug="x", name="X", owner=org_tree.ward_b)
    with pytest.raises(ValidationError) as error:
        services.club_create(actor=officer, slug="x", name="Y", owner=org_tree.ward_b)
    assert "slug" in error.value.message_dict


def test_open_club_admits_at_once_and_joining_again_changes_nothing(club, people) -> None:
    membership = services.club_join(club=club, user=people.an)
    assert membership.status == Membership.Status.ACTIVE and membership.joined_at is not None
    assert membership.role == Membership.Role.MEMBER
    assert services.club_join(club=club, user=people.an).pk == membership.pk
    assert Membership.objects.filter(club=club).count() == 1


def test_approval_club_queues_requests_that_only_a_manager_decides(club, officer, ward_officer, people) -> None:
    club.policy = Club.Policy.APPROVAL
    club.save()
    request = services.club_join(club=club, user=people.an)
    other = services.club_join(club=club, user=people.binh)
    assert request.status == other.status == Membership.Status.PENDING and request.joined_at is None

    # Neither a plain member nor an officer of another unit decides; the club's owner unit does.
    services.club_join(club=club, user=people.chi)
    chi = Membership.objects.get(club=club, user=people.chi)
    services.membership_decide(membership=chi, approve=True, actor=officer)
    for outsider in (people.chi, people.dung, ward_officer):
        with pytest.raises(PermissionDenied):
            services.membership_decide(membership=request, approve=True, actor=outsider)
    assert reload(request).status == Membership.Status.PENDING

    approved = services.membership_decide(membership=request, approve=True, actor=officer)
    declined = services.membership_decide(membership=other, approve=False, actor=officer)
    assert reload(approved).status == Membership.Status.ACTIVE and approved.decided_by == officer
    assert approved.joined_at is not None
    assert reload(declined).status == Membership.Status.DECLINED and declined.joined_at is None
    with pytest.raises(ValidationError):
        services.membership_decide(membership=approved, approve=False, actor=officer)
    assert Notification.objects.filter(user=people.an, kind="club.membership").count() == 1
    assert Notification.objects.filter(user=people.binh, kind="club.membership").count() == 1
    # A declined person may ask again: the request is queued anew.
    assert services.club_join(club=club, user=people.binh).status == Membership.Status.PENDING


def test_core_team_member_may_decide_requests(club, officer, people) -> None:
    club.policy = Club.Policy.APPROVAL
    club.save()
    services.club_join(club=club, user=people.an)
    lead = services.membership_decide(membership=Membership.objects.get(user=people.an), approve=True, actor=officer)
    request = services.club_join(club=club, user=people.binh)
    with pytest.raises(PermissionDenied):
        services.membership_decide(membership=request, approve=True, actor=people.an)
    services.membership_set_role(membership=lead, role=Membership.Role.CORE, actor=officer)
    services.membership_decide(membership=request, approve=True, actor=people.an)
    assert reload(request).status == Membership.Status.ACTIVE and request.decided_by == people.an


def test_invite_only_club_refuses_a_join_and_accepts_after_an_invitation(club, officer, people) -> None:
    club.policy = Club.Policy.INVITE
    club.save()
    with pytest.raises(PermissionDenied):
        services.club_join(club=club, user=people.an)
    assert not Membership.objects.filter(club=club).exists()
    with pytest.raises(PermissionDenied):
        services.club_invite(club=club, user=people.an, actor=people.binh)

    invited = services.club_invite(club=club, user=people.an, actor=officer)
    assert invited.status == Membership.Status.INVITED
    assert Notification.objects.filter(user=people.an, kind="club.invite").exists()
    joined = services.club_join(club=club, user=people.an)
    assert joined.pk == invited.pk and joined.status == Membership.Status.ACTIVE and joined.joined_at is not None
    # Someone else is still refused.
    with pytest.raises(PermissionDenied):
        services.club_join(club=club, user=people.binh)


def test_leave_and_come_back(club, people) -> None:
    services.club_join(club=club, user=people.an)
    left = services.club_leave(club=club, user=people.an)
    assert left.status == Membership.Status.LEFT
    assert not Membership.objects.active().filter(club=club).exists()
    with pytest.raises(ValidationError):
        services.club_leave(club=club, user=people.an)
    with pytest.raises(ValidationError):
        services.club_leave(club=club, user=people.binh)
    assert services.club_join(club=club, user=people.an).status == Membership.Status.ACTIVE


def test_role_change_by_a_manager_only(club, officer, people) -> None:
    member = services.club_join(club=club, user=people.an)
    with pytest.raises(PermissionDenied):
        services.membership_set_role(membership=member, role=Membership.Role.CHAIR, actor=people.an)
    with pytest.raises(ValidationError):
        services.membership_set_role(membership=member, role="president", actor=officer)
    services.membership_set_role(membership=member, role=Membership.Role.CHAIR, actor=officer)
    assert reload(member).role == Membership.Role.CHAIR
    # The chair now manages the club; a plain member does not.
    services.club_join(club=club, user=people.binh)
    assert services.may_manage_club(people.an, club) and not services.may_manage_club(people.binh, club)
    club.policy = Club.Policy.APPROVAL
    club.save()
    pending = services.club_join(club=club, user=people.chi)
    with pytest.raises(ValidationError):  # not a member yet
        services.membership_set_role(membership=pending, role=Membership.Role.CORE, actor=officer)


# --- Events --------------------------------------------------------------------------------------------


def test_event_create_validates_its_fields(officer, club) -> None:
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=officer, title="X", kind="party", starts_at=starts,
                              ends_at=starts - timedelta(hours=1), capacity=0)
    assert {"kind", "capacity", "ends_at"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        make_event(officer, eligibility=Event.Eligibility.CLUB)
    assert "eligibility" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_event(officer, eligibility=Event.Eligibility.POOL)
    assert "eligible_pool" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_event(officer, eligibility=Event.Eligibility.SCHOOL_YEAR)
    assert "eligible_year" in error.value.message_dict
    assert not Event.objects.exists()

    event = make_event(officer, club=club, capacity=30, eligibility=Event.Eligibility.CLUB,
                       place="Nhà Văn hoá Thanh niên")
    assert event.organization == club.owner and event.created_by == officer and event.status == Event.Status.SCHEDULED
    assert event.checkin_secret and event.reminder_sent_at is None


def test_event_create_needs_staff_or_a_club_manager(org_tree, officer, ward_officer, club, people) -> None:
    with pytest.raises(PermissionDenied):
        make_event(people.an)
    with pytest.raises(PermissionDenied):  # not a manager of that club
        make_event(people.an, club=club)
    with pytest.raises(ValidationError) as error:  # a unit outside the officer's subtree
        make_event(ward_officer, organization=org_tree.ward_b)
    assert "organization" in error.value.message_dict
    member = services.club_join(club=club, user=people.an)
    services.membership_set_role(membership=member, role=Membership.Role.CORE, actor=officer)
    assert make_event(people.an, club=club).club == club


def test_club_events_are_for_active_members(officer, club, people) -> None:
    event = make_event(officer, club=club, eligibility=Event.Eligibility.CLUB)
    with pytest.raises(PermissionDenied):
        services.event_register(event=event, user=people.an)
    club.policy = Club.Policy.APPROVAL
    club.save()
    services.club_join(club=club, user=people.an)  # pending is not enough
    assert services.eligibility_problem(event, people.an)
    with pytest.raises(PermissionDenied):
        services.event_register(event=event, user=people.an)
    services.membership_decide(membership=Membership.objects.get(user=people.an), approve=True, actor=officer)
    assert services.eligibility_problem(event, people.an) is None
    assert services.event_register(event=event, user=people.an).status == S.REGISTERED
    assert not Registration.objects.filter(user=people.binh).exists()


def test_pool_events_are_for_candidates_in_the_pool(org_tree, officer, people) -> None:
    pool = pool_create(actor=officer, name="Nguồn tài năng trẻ", kind=TalentPool.Kind.YOUNG_TALENT, owner=org_tree.city)
    event = make_event(officer, eligibility=Event.Eligibility.POOL, eligible_pool=pool)
    in_pool = make_candidate(org_tree.faculty, full_name="Lê Văn An", user=people.an)
    pool_add(pool=pool, candidate=in_pool, actor=officer)
    make_candidate(org_tree.faculty, full_name="Trần Thị Bình", user=people.binh)  # not in the pool
    # A candidate in the pool without an account, and a user with no candidate record at all.
    pool_add(pool=pool, candidate=make_candidate(org_tree.faculty, full_name="Phạm Văn Chi"), actor=officer)
    for outsider in (people.binh, people.chi):
        assert services.eligibility_problem(event, outsider)
        with pytest.raises(PermissionDenied):
            services.event_register(event=event, user=outsider)
    assert services.event_register(event=event, user=people.an).status == S.REGISTERED


def test_school_year_events_are_for_that_intake(org_tree, officer, people) -> None:
    event = make_event(officer, eligibility=Event.Eligibility.SCHOOL_YEAR, eligible_year=2024)
    for user, year, name in ((people.an, 2024, "Lê Văn An"), (people.binh, 2023, "Trần Văn Bình")):
        candidate = make_candidate(org_tree.faculty, full_name=name, user=user)
        education_record_add(candidate=candidate, actor=officer, level="university", start_year=year,
                             institution=org_tree.uni)
    assert services.event_register(event=event, user=people.an).status == S.REGISTERED
    with pytest.raises(PermissionDenied, match="2024"):
        services.event_register(event=event, user=people.binh)
    with pytest.raises(PermissionDenied):  # no record at all
        services.event_register(event=event, user=people.chi)


def test_registration_window_and_cancelled_events_are_refused(officer, people) -> None:
    now = timezone.now()
    later = make_event(officer, registration_opens_at=now + timedelta(days=1))
    closed = make_event(officer, registration_closes_at=now - timedelta(minutes=1))
    over = make_event(officer, starts_in=timedelta(hours=-3))
    cancelled = make_event(officer)
    services.event_cancel(event=cancelled, reason="Mưa bão", actor=officer)
    for event in (later, closed, over, cancelled):
        with pytest.raises(ValidationError):
            services.event_register(event=event, user=people.an)
    assert not Registration.objects.exists()
    # Inside the window it works, at the time given.
    assert services.event_register(event=later, user=people.an, now=now + timedelta(days=2)).status == S.REGISTERED


def test_capacity_then_a_waitlist_in_arrival_order_and_idempotent_register(officer, people) -> None:
    event = make_event(officer, capacity=2)
    regs = [services.event_register(event=event, user=u)
            for u in (people.an, people.binh, people.chi, people.dung, people.em)]
    assert [r.status for r in regs] == [S.REGISTERED, S.REGISTERED, S.WAITLISTED, S.WAITLISTED, S.WAITLISTED]
    assert [r.waitlist_position for r in regs] == [None, None, 1, 2, 3]
    assert len({r.code for r in regs}) == 5 and all(len(r.code) == 10 for r in regs)
    # Registering again returns the live registration, seated or waiting, and creates nothing.
    assert services.event_register(event=event, user=people.binh).pk == regs[1].pk
    assert services.event_register(event=event, user=people.dung).pk == regs[3].pk
    assert Registration.objects.filter(event=event).count() == 5
    assert Registration.objects.filter(event=event).seated().count() == 2


def test_a_freed_seat_goes_to_the_first_in_line_and_the_others_move_up(officer, people) -> None:
    event = make_event(officer, capacity=2)
    an, binh, chi, dung, em = (services.event_register(event=event, user=u)
                               for u in (people.an, people.binh, people.chi, people.dung, people.em))
    services.registration_cancel(registration=binh, actor=people.binh)
    assert reload(binh).status == S.CANCELLED and binh.cancelled_at is not None
    assert reload(chi).status == S.REGISTERED and chi.waitlist_position is None
    assert line(event) == [("dung", 1), ("em", 2)]
    promoted = Notification.objects.get(user=people.chi, kind="event.promoted")
    assert event.title in promoted.title and promoted.url == f"/events/{event.pk}/"
    assert not Notification.objects.filter(kind="event.promoted").exclude(user=people.chi).exists()
    # Cancelled registrations stay as history; registering again joins the end of the line.
    again = services.event_register(event=event, user=people.binh)
    assert again.pk != binh.pk and again.status == S.WAITLISTED and again.waitlist_position == 3
    with pytest.raises(ValidationError):
        services.registration_cancel(registration=binh, actor=people.binh)


def test_cancelling_a_waitlisted_registration_closes_the_gap(officer, people) -> None:
    event = make_event(officer, capacity=1)
    regs = [services.event_register(event=event, user=u) for u in (people.an, people.binh, people.chi, people.dung)]
    services.registration_cancel(registration=regs[2], actor=people.chi)  # position 2 of 3
    assert line(event) == [("binh", 1), ("dung", 2)]
    assert reload(regs[0]).status == S.REGISTERED
    assert not Notification.objects.filter(kind="event.promoted").exists()


def test_only_the_person_or_an_organizer_cancels_a_registration(officer, people) -> None:
    event = make_event(officer, capacity=1)
    mine = services.event_register(event=event, user=people.an)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=mine, actor=people.binh)
    services.registration_cancel(registration=mine, actor=officer)
    assert reload(mine).status == S.CANCELLED


# --- Time-limited offers ---------------------------------------------------------------------------------


@pytest.fixture
def offered(officer, people) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """Capacity 1 with 2-hour offers: an seated, binh and chi waiting; an cancels at ``t``."""
    event = make_event(officer, capacity=1, offer_hours=2)
    t = timezone.now().replace(microsecond=0)
    an, binh, chi = (services.event_register(event=event, user=u, now=t) for u in (people.an, people.binh, people.chi))
    services.registration_cancel(registration=an, actor=people.an, now=t)
    return SimpleNamespace(event=event, t=t, an=an, binh=binh, chi=chi)


def test_promotion_with_offers_gives_an_offer_with_an_expiry(offered, people) -> None:
    binh = reload(offered.binh)
    assert binh.status == S.OFFERED and binh.offer_expires_at == offered.t + timedelta(hours=2)
    assert binh.waitlist_position is None
    assert line(offered.event) == [("chi", 1)]
    # An offered seat is held: a newcomer waits behind chi.
    dung = services.event_register(event=offered.event, user=people.dung, now=offered.t + timedelta(minutes=5))
    assert dung.status == S.WAITLISTED and dung.waitlist_position == 2
    note = Notification.objects.get(user=people.binh, kind="event.promoted")
    assert "xác nhận" in note.title


def test_accepting_before_expiry_seats(offered, people) -> None:
    with pytest.raises(PermissionDenied):
        services.offer_accept(registration=offered.binh, user=people.chi, now=offered.t + timedelta(hours=1))
    with pytest.raises(ValidationError):  # chi has no offer
        services.offer_accept(registration=offered.chi, user=people.chi, now=offered.t + timedelta(hours=1))
    accepted = services.offer_accept(registration=offered.binh, user=people.binh, now=offered.t + timedelta(hours=1))
    assert accepted.status == S.REGISTERED and accepted.offer_expires_at is None
    assert reload(offered.chi).status == S.WAITLISTED
    # Nothing lapses later: offers_expire finds nothing to do.
    assert services.offers_expire(now=offered.t + timedelta(hours=5)) == 0
    assert reload(offered.binh).status == S.REGISTERED


def test_after_expiry_the_offer_lapses_and_the_next_in_line_is_offered(offered, people) -> None:
    later = offered.t + timedelta(hours=3)
    assert services.offers_expire(now=offered.t + timedelta(hours=1)) == 0  # not yet
    assert services.offers_expire(now=later) == 1
    binh, chi = reload(offered.binh), reload(offered.chi)
    assert binh.status == S.EXPIRED and binh.cancelled_at == later
    assert chi.status == S.OFFERED and chi.offer_expires_at == later + timedelta(hours=2)
    assert Notification.objects.filter(user=people.chi, kind="event.promoted").count() == 1
    assert services.offers_expire(now=later) == 0  # done once
    with pytest.raises(ValidationError):  # binh's offer is gone
        services.offer_accept(registration=binh, user=people.binh, now=later)


def test_accepting_too_late_is_refused_and_the_seat_still_moves_on(offered, people) -> None:
    later = offered.t + timedelta(hours=2, seconds=1)
    with pytest.raises(ValidationError, match="hết hạn"):
        services.offer_accept(registration=offered.binh, user=people.binh, now=later)
    assert reload(offered.binh).status == S.EXPIRED
    assert reload(offered.chi).status == S.OFFERED
    assert line(offered.event) == []


def test_a_lapsed_offer_is_also_moved_on_when_someone_registers(offered, people) -> None:
    later = offered.t + timedelta(hours=4)
    dung = services.event_register(event=offered.event, user=people.dung, now=later)
    assert reload(offered.binh).status == S.EXPIRED
    assert reload(offered.chi).status == S.OFFERED
    assert dung.status == S.WAITLISTED and dung.waitlist_position == 1


# --- Check-in --------------------------------------------------------------------------------------------


@pytest.fixture
def door(officer, people) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    event = make_event(officer, capacity=2)
    other = make_event(officer, capacity=5, title="Toạ đàm khác")
    an, binh, chi = (services.event_register(event=event, user=u) for u in (people.an, people.binh, people.chi))
    return SimpleNamespace(event=event, other=other, an=an, binh=binh, chi=chi,
                           foreign=services.event_register(event=other, user=people.dung))


def test_organizer_checks_a_valid_ticket_once(door, officer) -> None:
    checked = services.check_in_ticket(event=door.event, code=f"  {door.an.code.lower()} ", actor=officer,
                                       method=Registration.Method.SCAN)
    assert checked.pk == door.an.pk and checked.checked_in_at is not None
    assert checked.checked_in_by == officer and checked.check_in_method == Registration.Method.SCAN
    with pytest.raises(ValidationError, match="đã check-in"):
        services.check_in_ticket(event=door.event, code=door.an.code, actor=officer)
    assert services.check_in(event=door.event, code=door.binh.code, actor=officer).check_in_method == "typed"
    assert Registration.objects.filter(event=door.event, checked_in_at__isnull=False).count() == 2


def test_foreign_waitlisted_and_unknown_tickets_are_refused(door, officer) -> None:
    with pytest.raises(ValidationError, match="không thuộc"):
        services.check_in_ticket(event=door.event, code=door.foreign.code, actor=officer)
    with pytest.raises(ValidationError, match="không có chỗ"):
        services.check_in_ticket(event=door.event, code=door.chi.code, actor=officer)
    with pytest.raises(ValidationError):
        services.check_in_ticket(event=door.event, code="ZZZZZZZZZZ", actor=officer)
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_only_organizers_check_tickets(door, people, ward_officer) -> None:
    for outsider in (people.an, people.dung, ward_officer):
        with pytest.raises(PermissionDenied):
            services.check_in_ticket(event=door.event, code=door.binh.code, actor=outsider)
    # Through the shared entry point a non-organizer is asked for the rotating code, not a ticket.
    with pytest.raises(ValidationError, match="Mã không đúng"):
        services.check_in(event=door.event, code=door.binh.code, actor=people.an)
    assert reload(door.binh).checked_in_at is None


def test_self_check_in_with_the_rotating_code(door, people) -> None:
    event = door.event
    window_start = 1_800_000_000.0 - (1_800_000_000.0 % services.ROTATION_SECONDS)
    current = services.rotating_code(event, window_start + 10)
    previous = services.rotating_code(event, window_start - 10)
    older = services.rotating_code(event, window_start - 40)
    assert len(current) == 6 and current.isdigit() and len({current, previous, older}) == 3
    assert services.rotating_code(event, window_start + 29) == current  # one code per 30-second window

    # A rotated-out code is refused; the previous one still works within the 5-second grace only.
    with pytest.raises(ValidationError, match="đã đổi"):
        services.check_in_self(event=event, code=older, user=people.an, at=window_start + 1)
    with pytest.raises(ValidationError):
        services.check_in_self(event=event, code=previous, user=people.an, at=window_start + 6)
    assert reload(door.an).checked_in_at is None

    checked = services.check_in_self(event=event, code=previous, user=people.an, at=window_start + 3)
    assert checked.check_in_method == Registration.Method.SELF and checked.checked_in_by == people.an
    assert services.check_in_self(event=event, code=current, user=people.binh, at=window_start + 10).checked_in_at
    with pytest.raises(ValidationError, match="đã check-in"):
        services.check_in_self(event=event, code=current, user=people.binh, at=window_start + 12)
    # Waiting is not attending; nor is not being registered; nor is another event's code.
    with pytest.raises(ValidationError, match="không có chỗ"):
        services.check_in_self(event=event, code=current, user=people.chi, at=window_start + 10)
    with pytest.raises(ValidationError, match="chưa đăng ký"):
        services.check_in_self(event=event, code=current, user=people.em, at=window_start + 10)
    other_code = services.rotating_code(door.other, window_start + 10)
    with pytest.raises(ValidationError):
        services.check_in_self(event=event, code=other_code, user=people.chi, at=window_start + 10)


def test_no_check_in_at_a_cancelled_event(door, officer, people) -> None:
    services.event_cancel(event=door.event, reason="Hoãn", actor=officer)
    event = reload(door.event)
    with pytest.raises(ValidationError, match="huỷ"):
        services.check_in_ticket(event=event, code=door.an.code, actor=officer)
    code = services.rotating_code(event, 1_800_000_010.0)
    with pytest.raises(ValidationError, match="huỷ"):
        services.check_in_self(event=event, code=code, user=people.an, at=1_800_000_010.0)
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


# --- Cancellation, announcements and notifications ----------------------------------------------------------


def test_event_cancel_tells_everyone_still_registered(officer, people) -> None:
    event = make_event(officer, capacity=1)
    an, binh, chi = (services.event_register(event=event, user=u) for u in (people.an, people.binh, people.chi))
    services.registration_cancel(registration=chi, actor=people.chi)
    with pytest.raises(PermissionDenied):
        services.event_cancel(event=event, reason="x", actor=people.an)
    services.event_cancel(event=event, reason="  Trùng lịch  ", actor=officer)
    event = reload(event)
    assert event.is_cancelled and event.cancel_reason == "Trùng lịch"
    told = set(Notification.objects.filter(kind="event.cancelled").values_list("user__username", flat=True))
    assert told == {"an", "binh"}
    with pytest.raises(ValidationError):
        services.event_cancel(event=event, reason="again", actor=officer)


def test_announcements_reach_active_members_only(club, officer, people, layer, django_capture_on_commit_callbacks
                                                 ) -> None:
    services.club_join(club=club, user=people.an)
    services.club_join(club=club, user=people.binh)
    services.club_leave(club=club, user=people.binh)
    club.policy = Club.Policy.APPROVAL
    club.save()
    services.club_join(club=club, user=people.chi)  # pending
    with pytest.raises(PermissionDenied):
        services.announcement_post(club=club, title="X", body="Y", actor=people.an)
    with pytest.raises(ValidationError):
        services.announcement_post(club=club, title="  ", body="Y", actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = services.announcement_post(club=club, title="Lịch sinh hoạt tháng 12",
                                                  body="Sinh hoạt chung tối thứ Sáu.", actor=officer)
    assert Announcement.objects.get() == announcement
    notes = Notification.objects.filter(kind="club.announcement")
    assert list(notes.values_list("user__username", flat=True)) == ["an"]
    note = notes.get()
    assert club.name in note.title and note.url.endswith(f"#announcement-{announcement.pk}")
    pushed = layer.of_type("notification_new")
    assert [(g, m["data"]["id"]) for g, m in layer.sent] == [(f"user-{people.an.pk}", note.pk)]
    assert pushed[0]["title"] == note.title and pushed[0]["read"] is False


# --- Live publishing --------------------------------------------------------------------------------------


def test_counters_are_published_after_commit_only(officer, people, layer, django_capture_on_commit_callbacks
                                                  ) -> None:
    event = make_event(officer, capacity=1)
    group = f"event-{event.pk}-staff"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.event_register(event=event, user=people.an)
    assert layer.sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert layer.of_type("event_update", group) == [
        {"kind": "registration", "event": event.pk, "seated": 1, "waitlisted": 0, "attended": 0, "capacity": 1}]

    # A write that is rolled back tells nobody.
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.event_register(event=event, user=people.binh)
            raise RuntimeError("rolled back")
    assert layer.sent == [] and not Registration.objects.filter(user=people.binh).exists()


def test_registration_cancellation_and_check_in_publish_event_updates(officer, people, layer,
                                                                       django_capture_on_commit_callbacks) -> None:
    event = make_event(officer, capacity=1)
    group = f"event-{event.pk}-staff"
    with django_capture_on_commit_callbacks(execute=True):
        an = services.event_register(event=event, user=people.an)
        binh = services.event_register(event=event, user=people.binh)
    assert [(m["kind"], m["seated"], m["waitlisted"]) for m in layer.of_type("event_update", group)] == [
        ("registration", 1, 0), ("registration", 1, 1)]
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=an, actor=people.an)
    # Sent after the promotion: still one seated, nobody waiting.
    assert [(m["kind"], m["seated"], m["waitlisted"]) for m in layer.of_type("event_update", group)] == [
        ("cancellation", 1, 0)]
    assert layer.of_type("notification_new", f"user-{people.binh.pk}")  # the promotion reached the bell
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.check_in_ticket(event=event, code=binh.code, actor=officer)
    assert layer.of_type("event_update", group) == [
        {"kind": "checkin", "event": event.pk, "seated": 1, "waitlisted": 0, "attended": 1, "capacity": 1,
         "registration": binh.pk}]


def test_a_check_in_reaches_a_staff_channel_through_the_real_channel_layer(
        officer, people, django_capture_on_commit_callbacks) -> None:
    layer = get_channel_layer()
    event = make_event(officer, capacity=3)
    registration = services.event_register(event=event, user=people.an)
    group = f"event-{event.pk}-staff"

    def check_in() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            services.check_in_ticket(event=event, code=registration.code, actor=officer)

    async def scenario() -> dict[str, Any]:
        # One event loop for the listener and the publisher, as in a server process (the pub/sub
        # layer subscribes per loop).
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        try:
            await sync_to_async(check_in)()
            return await asyncio.wait_for(layer.receive(channel), timeout=2)
        finally:
            await layer.group_discard(group, channel)

    message = async_to_sync(scenario)()
    assert message["type"] == "event_update"
    assert message["data"]["kind"] == "checkin" and message["data"]["attended"] == 1
    assert message["data"]["registration"] == registration.pk
