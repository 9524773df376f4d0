"""Reminders the day before an event and the periodic ``event_tasks`` command."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from clubs import reminders, services
from clubs.models import Event, Registration
from core.models import Notification
from talent.models import Role
from tests.factories import make_user

S = Registration.Status


def make_event(officer: Any, starts: Any, *, title: str, capacity: int = 3, **fields: Any) -> Event:
    return services.event_create(actor=officer, title=title, kind=Event.Kind.SEMINAR, starts_at=starts,
                                 ends_at=starts + timedelta(hours=2), capacity=capacity,
                                 place="Nhà Văn hoá Thanh niên, 4 Phạm Ngọc Thạch", **fields)


@pytest.fixture
def now() -> Any:
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def users(org_tree) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    people = {name: make_user(Role.STUDENT, org_tree.faculty, username=name, email=f"{name}@example.com",
                              first_name="Nguyễn Văn", last_name=name.capitalize())
              for name in ("an", "binh", "chi", "dung", "em", "giang")}
    people["noemail"] = make_user(Role.STUDENT, org_tree.faculty, username="noemail")
    return people


def reminded(kind: str = "event.reminder") -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_seated_people_of_events_within_a_day_are_reminded_once(officer, users, now, mailoutbox) -> None:
    soon = make_event(officer, now + timedelta(hours=3), title="Toạ đàm chuyển đổi số", capacity=3, offer_hours=48)
    for name in ("an", "binh", "chi", "dung", "em", "noemail"):
        services.event_register(event=soon, user=users[name], now=now - timedelta(days=2))
    # an and binh cancel: dung and em are offered their seats (not yet confirmed); noemail still waits.
    services.registration_cancel(registration=Registration.objects.get(user=users["binh"]), actor=users["binh"],
                                 now=now - timedelta(days=1))
    services.registration_cancel(registration=Registration.objects.get(user=users["an"]), actor=users["an"],
                                 now=now - timedelta(days=1))
    seated = set(Registration.objects.filter(event=soon).seated().values_list("user__username", flat=True))
    assert seated == {"chi", "dung", "em"}

    later = make_event(officer, now + timedelta(hours=30), title="Giao lưu cuối tuần")
    started = make_event(officer, now - timedelta(hours=1), title="Đang diễn ra")
    cancelled = make_event(officer, now + timedelta(hours=5), title="Đã huỷ")
    done = make_event(officer, now + timedelta(hours=20), title="Đã nhắc", reminder_sent_at=now - timedelta(hours=1))
    for event in (later, started, cancelled, done):
        Registration.objects.create(event=event, user=users["giang"], status=S.REGISTERED)
    services.event_cancel(event=cancelled, reason="Hoãn", actor=officer)

    report = reminders.send_reminders(now=now)
    assert report.events == [soon.title] and report.notified == 3
    assert reminded() == {"chi", "dung", "em"}
    soon.refresh_from_db()
    assert soon.reminder_sent_at == now
    assert {m.to[0] for m in mailoutbox} == {"chi@example.com", "dung@example.com", "em@example.com"}
    assert report.emailed == 3 and report.email_failures == 0
    mail = next(m for m in mailoutbox if m.to == ["chi@example.com"])
    local = timezone.localtime(soon.starts_at)
    assert soon.title in mail.subject and f"{local:%d/%m/%Y}" in mail.subject
    assert Registration.objects.get(event=soon, user=users["chi"]).code in mail.body
    assert "Nhà Văn hoá Thanh niên" in mail.body and f"/events/{soon.pk}/" in mail.body
    offered = next(m for m in mailoutbox if m.to == ["em@example.com"])
    assert "xác nhận" in offered.body and "xác nhận" not in mail.body
    note = Notification.objects.get(kind="event.reminder", user=users["em"])
    assert note.url == f"/events/{soon.pk}/" and f"{local:%H:%M}" in note.title

    # Running again sends nothing more; a day later the next event is due.
    again = reminders.send_reminders(now=now + timedelta(minutes=5))
    assert again.events == [] and len(mailoutbox) == 3
    assert reminders.send_reminders(now=now + timedelta(hours=7)).events == [later.title]
    assert Notification.objects.filter(kind="event.reminder").count() == 4


def test_people_without_an_address_get_the_bell_only(officer, users, now, mailoutbox) -> None:
    event = make_event(officer, now + timedelta(hours=2), title="Lớp tập huấn")
    for name in ("an", "noemail"):
        services.event_register(event=event, user=users[name])
    report = reminders.send_reminders(now=now)
    assert reminded() == {"an", "noemail"}
    assert [m.to for m in mailoutbox] == [["an@example.com"]]
    assert report.without_email == 1


def test_a_failing_mail_server_does_not_undo_or_repeat_the_reminder(officer, users, now, monkeypatch) -> None:
    event = make_event(officer, now + timedelta(hours=2), title="Lớp tập huấn")
    services.event_register(event=event, user=users["an"])

    class Broken:
        def send_messages(self, messages: list[Any]) -> int:
            raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(reminders, "get_connection", lambda: Broken())
    report = reminders.send_reminders(now=now)
    assert report.email_failures == 1 and report.emailed == 0
    assert reminded() == {"an"}
    event.refresh_from_db()
    assert event.reminder_sent_at == now
    assert reminders.send_reminders(now=now).events == []


def test_event_tasks_moves_lapsed_offers_on_before_reminding(officer, users, now, mailoutbox) -> None:
    event = make_event(officer, now + timedelta(hours=10), title="Đối thoại", capacity=1, offer_hours=2)
    t = now - timedelta(hours=5)
    for name in ("an", "binh", "chi"):
        services.event_register(event=event, user=users[name], now=t)
    services.registration_cancel(registration=Registration.objects.get(user=users["an"]), actor=users["an"], now=t)
    assert Registration.objects.get(user=users["binh"]).status == S.OFFERED  # lapsed 3 hours ago

    report = reminders.run_event_tasks(now=now)
    assert report.offers_events == 1
    assert Registration.objects.get(user=users["binh"]).status == S.EXPIRED
    assert Registration.objects.get(user=users["chi"]).status == S.OFFERED
    # The reminder goes to whoever holds the seat now.
    assert reminded() == {"chi"} and [m.to for m in mailoutbox] == [["chi@example.com"]]


def test_the_command_prints_what_it_did(officer, users, mailoutbox) -> None:
    real_now = timezone.now()
    event = make_event(officer, real_now + timedelta(hours=4), title="Toạ đàm khởi nghiệp")
    services.event_register(event=event, user=users["an"])
    out = io.StringIO()
    call_command("event_tasks", stdout=out)
    text = out.getvalue()
    assert "Nhắc lịch: 1 sự kiện, 1 thông báo, 1 email" in text
    assert "Toạ đàm khởi nghiệp" in text and "0 sự kiện" in text  # no offers to move
    out = io.StringIO()
    call_command("event_tasks", stdout=out)
    assert "Nhắc lịch: 0 sự kiện, 0 thông báo, 0 email" in out.getvalue()
    assert len(mailoutbox) == 1
