"""Writes of clubs and events: memberships, registration with a waitlist, check-in, announcements.

Seat counting happens with the event row locked (``select_for_update``): on PostgreSQL concurrent
registrations for the last seats queue on that lock, so the count each one sees is exact; SQLite
serializes writers itself. Promotion from the waitlist runs inside the same locked transaction as
the cancellation that frees the seat. Live messages go out after the commit (``core.live``).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from clubs.models import Announcement, Club, Event, Membership, Registration
from core import live
from core.audit import audit
from core.notifications import notify
from talent.models import Candidate, Organization, Role, user_role
from talent.validators import formula_refusal, refuse_formula

ROTATION_SECONDS = 30
# A code shown on screen stays valid this long into the next window: someone who typed it as the
# screen changed is not turned away, and an old code is refused soon after.
ROTATION_GRACE_SECONDS = 5


# --- Clubs ----------------------------------------------------------------------------------------

def may_manage_club(user: Any, club: Club) -> bool:
    return Club.objects.managed_by(user).filter(pk=club.pk).exists()


@transaction.atomic
def club_create(*, actor: Any, slug: str, name: str, owner: Organization, description: str = "",
                policy: str = Club.Policy.APPROVAL, directory: str = Club.Directory.MEMBERS) -> Club:
    role = user_role(actor) if actor is not None else Role.ADMIN
    if role not in (Role.ADMIN, Role.OFFICER, Role.LIAISON):
        raise PermissionDenied("Chỉ cán bộ Đoàn, cán bộ liên lạc và quản trị viên được lập câu lạc bộ.")
    if actor is not None and not Organization.objects.for_user(actor).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": "Không có đơn vị này."})
    refuse_formula(name, "name", "Tên câu lạc bộ")
    if Club.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": "Mã câu lạc bộ đã được dùng."})
    club = Club.objects.create(slug=slug, name=name, owner=owner, description=description, policy=policy,
                               directory=directory, created_by=actor if getattr(actor, "pk", None) else None)
    audit(actor=actor, action="club.create", obj=club, changes={"name": name, "owner": owner.pk})
    return club


@transaction.atomic
def club_join(*, club: Club, user: Any) -> Membership:
    """Open clubs admit at once; approval clubs queue the request; invite-only clubs need an invitation."""
    membership = Membership.objects.select_for_update().filter(club=club, user=user).first()
    if membership and membership.status == Membership.Status.ACTIVE:
        return membership
    if membership and membership.status == Membership.Status.INVITED:
        membership.status, membership.joined_at = Membership.Status.ACTIVE, timezone.now()
    elif club.policy == Club.Policy.INVITE:
        raise PermissionDenied("Câu lạc bộ này chỉ nhận thành viên theo lời mời.")
    else:
        membership = membership or Membership(club=club, user=user)
        if club.policy == Club.Policy.OPEN:
            membership.status, membership.joined_at = Membership.Status.ACTIVE, timezone.now()
        else:
            membership.status = Membership.Status.PENDING
        membership.role = Membership.Role.MEMBER
    membership.save()
    audit(actor=user, action="club.join", obj=club, changes={"status": membership.status})
    return membership


@transaction.atomic
def club_leave(*, club: Club, user: Any) -> Membership:
    membership = Membership.objects.select_for_update().filter(club=club, user=user).first()
    if membership is None or membership.status in (Membership.Status.LEFT, Membership.Status.DECLINED):
        raise ValidationError({"membership": "Bạn không phải thành viên câu lạc bộ này."})
    membership.status = Membership.Status.LEFT
    membership.save(update_fields=["status"])
    audit(actor=user, action="club.leave", obj=club, changes={})
    return membership


@transaction.atomic
def membership_decide(*, membership: Membership, approve: bool, actor: Any) -> Membership:
    if not may_manage_club(actor, membership.club):
        raise PermissionDenied("Chỉ ban điều hành câu lạc bộ được duyệt thành viên.")
    if membership.status != Membership.Status.PENDING:
        raise ValidationError({"status": "Yêu cầu này đã được xử lý."})
    membership.status = Membership.Status.ACTIVE if approve else Membership.Status.DECLINED
    membership.joined_at = timezone.now() if approve else None
    membership.decided_by = actor
    membership.save(update_fields=["status", "joined_at", "decided_by"])
    audit(actor=actor, action="club.decide", obj=membership.club,
          changes={"user": membership.user_id, "approve": approve})
    notify(users=[membership.user_id], kind="club.membership",
           title=("Bạn đã được nhận vào " if approve else "Yêu cầu tham gia chưa được nhận: ") + membership.club.name,
           url=f"/clubs/{membership.club.slug}/")
    return membership


@transaction.atomic
def club_invite(*, club: Club, user: Any, actor: Any) -> Membership:
    if not may_manage_club(actor, club):
        raise PermissionDenied("Chỉ ban điều hành câu lạc bộ được mời thành viên.")
    membership, _created = Membership.objects.get_or_create(club=club, user=user,
                                                           defaults={"status": Membership.Status.INVITED})
    if membership.status in (Membership.Status.LEFT, Membership.Status.DECLINED):
        membership.status = Membership.Status.INVITED
        membership.save(update_fields=["status"])
    notify(users=[user.pk], kind="club.invite", title=f"Lời mời tham gia {club.name}", url=f"/clubs/{club.slug}/")
    return membership


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, actor: Any) -> Membership:
    if not may_manage_club(actor, membership.club):
        raise PermissionDenied("Chỉ ban điều hành câu lạc bộ được đổi vai trò.")
    if role not in Membership.Role.values or membership.status != Membership.Status.ACTIVE:
        raise ValidationError({"role": "Vai trò không hợp lệ, hoặc người này chưa là thành viên."})
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


# --- Announcements ----------------------------------------------------------------

@transaction.atomic
def announcement_post(*, club: Club, title: str, body: str, actor: Any) -> Announcement:
    if not may_manage_club(actor, club):
        raise PermissionDenied("Chỉ ban điều hành câu lạc bộ được đăng thông báo.")
    if not title.strip() or not body.strip():
        raise ValidationError({"title": "Thông báo cần tiêu đề và nội dung."})
    announcement = Announcement.objects.create(club=club, title=title.strip(), body=body.strip(), created_by=actor)
    members = list(Membership.objects.active().filter(club=club).values_list("user_id", flat=True))
    notify(users=members, kind="club.announcement", title=f"{club.name}: {announcement.title}", body=announcement.body,
           url=f"/clubs/{club.slug}/#announcement-{announcement.pk}")
    audit(actor=actor, action="club.announce", obj=club, changes={"title": title, "recipients": len(members)})
    return announcement


# --- Events -------------------------------------------------------------------------------------------

def may_manage_event(user: Any, event: Event) -> bool:
    return Event.objects.managed_by(user).filter(pk=event.pk).exists()


@transaction.atomic
def event_create(*, actor: Any, title: str, kind: str, starts_at: Any, ends_at: Any, capacity: int,
                 club: Club | None = None, organization: Organization | None = None, **fields: Any) -> Event:
    """An event organized by a club the actor manages, or by a unit in their scope."""
    if club is not None:
        if not may_manage_club(actor, club):
            raise PermissionDenied("Chỉ ban điều hành câu lạc bộ được tạo sự kiện của câu lạc bộ.")
        organization = organization or club.owner
    else:
        role = user_role(actor) if actor is not None else Role.ADMIN
        if role not in (Role.ADMIN, Role.OFFICER, Role.LIAISON):
            raise PermissionDenied("Chỉ cán bộ Đoàn, cán bộ liên lạc và quản trị viên được tạo sự kiện.")
    if organization is not None and actor is not None and club is None and not Organization.objects.for_user(
            actor).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": "Không có đơn vị này."})
    errors: dict[str, str] = {}
    if formula_refusal(title, "Tên sự kiện"):
        errors["title"] = formula_refusal(title, "Tên sự kiện")
    if kind not in Event.Kind.values:
        errors["kind"] = "Loại sự kiện không hợp lệ."
    if capacity is None or int(capacity) < 1:
        errors["capacity"] = "Số chỗ phải từ 1 trở lên."
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = "Giờ kết thúc phải sau giờ bắt đầu."
    eligibility = fields.get("eligibility", Event.Eligibility.ANYONE)
    if eligibility == Event.Eligibility.CLUB and club is None:
        errors["eligibility"] = "Sự kiện dành cho thành viên phải thuộc một câu lạc bộ."
    if eligibility == Event.Eligibility.POOL and not fields.get("eligible_pool"):
        errors["eligible_pool"] = "Hãy chọn nguồn."
    if eligibility == Event.Eligibility.SCHOOL_YEAR and not fields.get("eligible_year"):
        errors["eligible_year"] = "Hãy nhập khoá."
    if errors:
        raise ValidationError(errors)
    event = Event.objects.create(title=title, kind=kind, starts_at=starts_at, ends_at=ends_at, capacity=int(capacity),
                                 club=club, organization=organization,
                                 created_by=actor if getattr(actor, "pk", None) else None, **fields)
    audit(actor=actor, action="event.create", obj=event, changes={"title": title, "capacity": capacity})
    return event


def eligibility_problem(event: Event, user: Any) -> str | None:
    """Why ``user`` may not register for ``event`` (None when they may)."""
    if event.eligibility == Event.Eligibility.CLUB:
        if not Membership.objects.active().filter(club=event.club_id, user=user).exists():
            return "Sự kiện dành cho thành viên câu lạc bộ."
    elif event.eligibility == Event.Eligibility.POOL:
        if not Candidate.objects.filter(user=user, pool_memberships__pool=event.eligible_pool_id).exists():
            return "Sự kiện dành cho ứng viên trong nguồn đã chọn."
    elif event.eligibility == Event.Eligibility.SCHOOL_YEAR:
        if not Candidate.objects.filter(user=user, education__start_year=event.eligible_year).exists():
            return f"Sự kiện dành cho sinh viên khoá {event.eligible_year}."
    return None


def _counts(event: Event) -> dict[str, int]:
    regs = Registration.objects.filter(event=event)
    return {"seated": regs.filter(status__in=Registration.SEATED).count(),
            "waitlisted": regs.filter(status=Registration.Status.WAITLISTED).count(),
            "attended": regs.filter(checked_in_at__isnull=False).count(),
            "capacity": event.capacity}


def _publish_counts(event: Event, kind: str, extra: dict[str, Any] | None = None) -> None:
    live.publish(f"event-{event.pk}-staff", "event.update", {"kind": kind, "event": event.pk, **_counts(event),
                                                              **(extra or {})})


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _promote(event: Event, now: Any) -> Registration | None:
    """Give the freed seat to the first in line (an offer when the event uses offers); the rest move up."""
    first = (Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
             .order_by("waitlist_position", "id").first())
    if first is None:
        return None
    position = first.waitlist_position
    if event.offer_hours:
        first.status = Registration.Status.OFFERED
        first.offer_expires_at = now + timedelta(hours=event.offer_hours)
    else:
        first.status = Registration.Status.REGISTERED
    first.waitlist_position = None
    first.save(update_fields=["status", "offer_expires_at", "waitlist_position"])
    Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED,
                                waitlist_position__gt=position).update(waitlist_position=F("waitlist_position") - 1)
    title = (f"Có chỗ cho bạn ở «{event.title}»: hãy xác nhận trước "
             f"{timezone.localtime(first.offer_expires_at):%H:%M %d/%m/%Y}" if event.offer_hours
             else f"Bạn đã có chỗ ở «{event.title}»")
    notify(users=[first.user_id], kind="event.promoted", title=title, url=f"/events/{event.pk}/")
    return first


def _free_seats(event: Event, now: Any) -> None:
    """Expire lapsed offers and fill every free seat from the waitlist (event row locked)."""
    for lapsed in Registration.objects.filter(event=event, status=Registration.Status.OFFERED,
                                              offer_expires_at__lte=now):
        lapsed.status = Registration.Status.EXPIRED
        lapsed.cancelled_at = now
        lapsed.save(update_fields=["status", "cancelled_at"])
    seated = Registration.objects.filter(event=event, status__in=Registration.SEATED).count()
    for _ in range(max(0, event.capacity - seated)):
        if _promote(event, now) is None:
            break


@transaction.atomic
def event_register(*, event: Event, user: Any, now: Any = None) -> Registration:
    """A seat while there is one, else the end of the waitlist. Idempotent for a live registration."""
    now = now or timezone.now()
    event = _lock(event)
    existing = Registration.objects.filter(event=event, user=user, status__in=Registration.ACTIVE).first()
    if existing is not None:
        return existing
    if not event.registration_open(now):
        raise ValidationError({"event": "Sự kiện đã huỷ hoặc không còn trong thời gian đăng ký."})
    problem = eligibility_problem(event, user)
    if problem:
        raise PermissionDenied(problem)
    _free_seats(event, now)
    seated = Registration.objects.filter(event=event, status__in=Registration.SEATED).count()
    if seated < event.capacity:
        registration = Registration.objects.create(event=event, user=user, status=Registration.Status.REGISTERED,
                                                   created_at=now)
    else:
        last = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).aggregate(
            last=Max("waitlist_position"))["last"] or 0
        registration = Registration.objects.create(event=event, user=user, status=Registration.Status.WAITLISTED,
                                                   waitlist_position=last + 1, created_at=now)
    _publish_counts(event, "registration")
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: Any, now: Any = None) -> Registration:
    """Cancel one's own registration (or an organizer cancels it); a freed seat goes to the first in line."""
    now = now or timezone.now()
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.user_id != getattr(actor, "pk", None) and not may_manage_event(actor, event):
        raise PermissionDenied("Chỉ người đăng ký hoặc ban tổ chức được huỷ.")
    if registration.status not in Registration.ACTIVE:
        raise ValidationError({"status": "Đăng ký này đã huỷ."})
    was_waiting, position = registration.status == Registration.Status.WAITLISTED, registration.waitlist_position
    registration.status, registration.cancelled_at, registration.waitlist_position = (
        Registration.Status.CANCELLED, now, None)
    registration.save(update_fields=["status", "cancelled_at", "waitlist_position"])
    if was_waiting and position is not None:
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED,
                                    waitlist_position__gt=position).update(waitlist_position=F("waitlist_position") - 1)
    _free_seats(event, now)
    _publish_counts(event, "cancellation")
    return registration


def offer_accept(*, registration: Registration, user: Any, now: Any = None) -> Registration:
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.user_id != user.pk:
            raise PermissionDenied("Đây không phải lời mời của bạn.")
        if registration.status != Registration.Status.OFFERED:
            raise ValidationError({"status": "Không có lời mời nhận chỗ nào đang chờ."})
        expired = bool(registration.offer_expires_at and registration.offer_expires_at <= now)
        if expired:
            # The lapsed offer expires and the seat moves on; this must commit even though the
            # caller is told no (raising inside the block would roll the hand-over back).
            _free_seats(event, now)
            _publish_counts(event, "offer_expired")
        else:
            registration.status, registration.offer_expires_at = Registration.Status.REGISTERED, None
            registration.save(update_fields=["status", "offer_expires_at"])
    if expired:
        raise ValidationError({"status": "Lời mời đã hết hạn; chỗ đã chuyển cho người tiếp theo."})
    return registration


def offers_expire(now: Any = None) -> int:
    """Expire lapsed offers everywhere and move their seats on; returns how many events were touched.
    Run by ``manage.py event_tasks`` (and lazily whenever someone registers or cancels)."""
    now = now or timezone.now()
    touched = 0
    ids = set(Registration.objects.filter(status=Registration.Status.OFFERED, offer_expires_at__lte=now)
              .values_list("event_id", flat=True))
    for event_id in ids:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            _free_seats(event, now)
            _publish_counts(event, "offer_expired")
        touched += 1
    return touched


@transaction.atomic
def event_cancel(*, event: Event, reason: str, actor: Any) -> Event:
    event = _lock(event)
    if not may_manage_event(actor, event):
        raise PermissionDenied("Chỉ ban tổ chức được huỷ sự kiện.")
    if event.is_cancelled:
        raise ValidationError({"status": "Sự kiện đã huỷ."})
    event.status, event.cancel_reason = Event.Status.CANCELLED, reason.strip()[:500]
    event.save(update_fields=["status", "cancel_reason"])
    people = list(Registration.objects.filter(event=event, status__in=Registration.ACTIVE)
                  .values_list("user_id", flat=True))
    notify(users=people, kind="event.cancelled", title=f"Sự kiện «{event.title}» đã huỷ", body=event.cancel_reason,
           url=f"/events/{event.pk}/")
    audit(actor=actor, action="event.cancel", obj=event, changes={"reason": event.cancel_reason})
    return event


# --- Check-in -----------------------------------------------------------------------------------------

def rotating_code(event: Event, at: float | None = None) -> str:
    """The 6-digit self check-in code shown on the organizer's screen for the 30-second window of ``at``."""
    window = int((time.time() if at is None else at) // ROTATION_SECONDS)
    digest = hmac.new(event.checkin_secret.encode(), str(window).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def rotating_code_valid(event: Event, code: str, at: float | None = None) -> bool:
    now = time.time() if at is None else at
    candidates = [rotating_code(event, now)]
    if now % ROTATION_SECONDS < ROTATION_GRACE_SECONDS:
        candidates.append(rotating_code(event, now - ROTATION_SECONDS))
    return any(hmac.compare_digest(code.strip(), c) for c in candidates)


def _mark_attended(registration: Registration, *, actor: Any, method: str, now: Any) -> Registration:
    if registration.checked_in_at is not None:
        raise ValidationError({"code": "Vé này đã check-in lúc "
                                       f"{timezone.localtime(registration.checked_in_at):%H:%M %d/%m/%Y}."})
    if registration.status != Registration.Status.REGISTERED:
        raise ValidationError({"code": "Vé này không có chỗ (đang chờ, đã huỷ hoặc chưa xác nhận)."})
    registration.checked_in_at, registration.checked_in_by, registration.check_in_method = now, actor, method
    registration.save(update_fields=["checked_in_at", "checked_in_by", "check_in_method"])
    _publish_counts(registration.event, "checkin", {"registration": registration.pk})
    return registration


@transaction.atomic
def check_in_ticket(*, event: Event, code: str, actor: Any, method: str = Registration.Method.TYPED,
                    now: Any = None) -> Registration:
    """An organizer scans or types a ticket code at the door."""
    now = now or timezone.now()
    if not may_manage_event(actor, event):
        raise PermissionDenied("Chỉ ban tổ chức được check-in cho người tham dự.")
    if event.is_cancelled:
        raise ValidationError({"code": "Sự kiện đã huỷ."})
    registration = (Registration.objects.select_for_update().select_related("event")
                    .filter(event=event, code=(code or "").strip().upper()).first())
    if registration is None:
        raise ValidationError({"code": "Mã vé không thuộc sự kiện này."})
    return _mark_attended(registration, actor=actor, method=method, now=now)


@transaction.atomic
def check_in_self(*, event: Event, code: str, user: Any, now: Any = None, at: float | None = None) -> Registration:
    """An attendee types the code on the room's screen (it changes every 30 seconds)."""
    now = now or timezone.now()
    if event.is_cancelled:
        raise ValidationError({"code": "Sự kiện đã huỷ."})
    if not rotating_code_valid(event, code or "", at):
        raise ValidationError({"code": "Mã không đúng hoặc đã đổi; hãy nhập mã đang hiện trên màn hình."})
    registration = (Registration.objects.select_for_update().select_related("event")
                    .filter(event=event, user=user, status__in=Registration.ACTIVE).first())
    if registration is None:
        raise ValidationError({"code": "Bạn chưa đăng ký sự kiện này."})
    return _mark_attended(registration, actor=user, method=Registration.Method.SELF, now=now)


def check_in(*, event: Event, code: str, actor: Any, now: Any = None) -> Registration:
    """One entry point for the API: organizers check tickets in; anyone else uses the rotating code."""
    if may_manage_event(actor, event):
        return check_in_ticket(event=event, code=code, actor=actor, now=now)
    return check_in_self(event=event, code=code, user=actor, now=now)
