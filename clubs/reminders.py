"""Periodic work of events: reminders the day before, and lapsed waitlist offers moved on.

``manage.py event_tasks`` runs both; schedule it every few minutes (cron, a systemd timer or the
platform's scheduler), e.g. ``*/5 * * * * cd /srv/ytp && .venv/bin/python manage.py event_tasks``.
Both steps are safe to repeat and to run from two machines at once:

- a reminder goes to everyone holding a seat (registered, or offered and not yet confirmed) of each
  scheduled event that starts within the next 24 hours, once per event: the event row is locked and
  ``Event.reminder_sent_at`` stamped in the same transaction as the bell notifications, so a second
  run (or a concurrent one) finds nothing to do. People who register after that get no reminder —
  they registered the day before and the confirmation page tells them when and where. The e-mails go
  out after the commit through Django's mail API (the console backend in development); a failing
  mail server is logged and counted, it does not undo the reminder in the bell.
- lapsed offers expire and their seats go to the next in line (``services.offers_expire``); this also
  happens lazily whenever someone registers or cancels, so the task only bounds how long a lapsed
  offer can sit unnoticed.

A reminder is a notice about an event the person registered for themselves, part of the service they
asked for, so it is sent whatever their "contact about events" consent (that purpose covers the Youth
Union approaching candidates about events they have not signed up for).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from clubs import services
from clubs.models import Event, Registration
from core.notifications import notify

logger = logging.getLogger(__name__)

REMINDER_AHEAD = timedelta(hours=24)


@dataclass
class ReminderReport:
    events: list[str] = field(default_factory=list)  # titles of the events reminded about
    notified: int = 0  # bell notifications written
    emailed: int = 0  # e-mails handed to the mail backend
    email_failures: int = 0
    without_email: int = 0  # seated people with no e-mail address (bell only)


@dataclass
class _Mail:
    to: str
    subject: str
    body: str


def _when(event: Event) -> str:
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M} ngày {start:%d/%m/%Y}"
    return f"{start:%H:%M %d/%m/%Y} – {end:%H:%M %d/%m/%Y}"


def _where(event: Event) -> str:
    parts = [p for p in (event.place, event.online_link) if p]
    return " · ".join(parts) or "xem trang sự kiện"


def _mail_for(event: Event, registration: Registration, url: str) -> _Mail | None:
    user = registration.user
    if not user.email:
        return None
    name = user.get_full_name() or user.get_username()
    lines = [
        f"Chào {name},",
        "",
        f"Nhắc lịch: {event.title}, bắt đầu lúc {_when(event)}.",
        f"Địa điểm: {_where(event)}",
        f"Mã vé của bạn: {registration.code}",
    ]
    if registration.status == Registration.Status.OFFERED and registration.offer_expires_at:
        lines.append("Bạn được mời nhận chỗ nhưng chưa xác nhận: hãy xác nhận trước "
                     f"{timezone.localtime(registration.offer_expires_at):%H:%M %d/%m/%Y}, nếu không chỗ sẽ "
                     "chuyển cho người tiếp theo.")
    lines += [
        "",
        f"Chi tiết, mã QR của vé và huỷ đăng ký (nếu bạn không đến được): {url}",
        "Nếu không tham dự được, xin huỷ đăng ký để nhường chỗ cho người trong danh sách chờ.",
    ]
    return _Mail(to=user.email, subject=f"Nhắc lịch: {event.title} – {_when(event)}", body="\n".join(lines))


def _remind(event_id: int, now: Any) -> tuple[Event, int, list[_Mail], int] | None:
    """Lock one event and, if it still needs a reminder, notify its seated people; returns what to mail."""
    with transaction.atomic():
        event = (Event.objects.select_for_update()
                 .filter(pk=event_id, reminder_sent_at__isnull=True, status=Event.Status.SCHEDULED).first())
        if event is None:  # another run got there first, or it was cancelled meanwhile
            return None
        seated = list(Registration.objects.filter(event=event, status__in=Registration.SEATED)
                      .select_related("user").order_by("created_at", "id"))
        path = f"/events/{event.pk}/"
        notified = notify(users=[r.user_id for r in seated], kind="event.reminder",
                                   title=f"Nhắc lịch: {event.title} – {_when(event)}",
                                   body=f"Địa điểm: {_where(event)}", url=path)
        event.reminder_sent_at = now
        event.save(update_fields=["reminder_sent_at"])
        url = getattr(settings, "SITE_URL", "").rstrip("/") + path
        mails = [mail for mail in (_mail_for(event, r, url) for r in seated) if mail is not None]
        return event, notified, mails, len(seated) - len(mails)


def send_reminders(now: Any = None) -> ReminderReport:
    """Remind everyone seated for events starting within ``REMINDER_AHEAD`` of ``now``, once per event."""
    now = now or timezone.now()
    report = ReminderReport()
    due = (Event.objects.filter(status=Event.Status.SCHEDULED, reminder_sent_at__isnull=True,
                                starts_at__gt=now, starts_at__lte=now + REMINDER_AHEAD)
           .order_by("starts_at", "id").values_list("pk", flat=True))
    for event_id in list(due):
        done = _remind(event_id, now)
        if done is None:
            continue
        event, notified, mails, without_email = done
        report.events.append(event.title)
        report.notified += notified
        report.without_email += without_email
        if not mails:
            continue
        messages = [EmailMessage(subject=m.subject, body=m.body, to=[m.to]) for m in mails]
        try:
            report.emailed += get_connection().send_messages(messages) or 0
        except Exception:  # the bell has the reminder already; the mail server is not worth a crash
            logger.exception("Could not e-mail the reminders of event %s", event.pk)
            report.email_failures += len(messages)
    return report


@dataclass
class TasksReport:
    reminders: ReminderReport
    offers_events: int

    def lines(self) -> list[str]:
        r = self.reminders
        out = [f"Nhắc lịch: {len(r.events)} sự kiện, {r.notified} thông báo, {r.emailed} email"
               + (f" ({r.email_failures} email gửi lỗi)" if r.email_failures else "")
               + (f", {r.without_email} người không có email" if r.without_email else "") + "."]
        out += [f"  - {title}" for title in r.events]
        out.append(f"Lời mời nhận chỗ hết hạn: đã chuyển chỗ ở {self.offers_events} sự kiện.")
        return out


def run_event_tasks(now: Any = None) -> TasksReport:
    """Everything ``manage.py event_tasks`` does, in order: expire lapsed offers, then remind."""
    now = now or timezone.now()
    offers = services.offers_expire(now=now)
    return TasksReport(reminders=send_reminders(now=now), offers_events=offers)


def periodic() -> list[str]:
    """The clubs' part of ``manage.py event_tasks`` (``core.periodic``)."""
    return run_event_tasks().lines()
