"""iCalendar feeds, parsed back with icalendar: one event, a club's events, a person's registrations
(through a signed token, since calendar apps cannot sign in), and refused tokens."""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from clubs import calendar as ical
from clubs import services
from clubs.models import Club, Event, Registration
from talent.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def make_event(actor: Any, title: str, *, starts_in: timedelta = timedelta(days=3), capacity: int = 5,
               **fields: Any) -> Event:
    starts = timezone.now().replace(microsecond=0) + starts_in
    fields.setdefault("place", "Nhà Văn hoá Thanh niên, 4 Phạm Ngọc Thạch")
    return services.event_create(actor=actor, title=title, kind=fields.pop("kind", Event.Kind.DIALOGUE),
                                 starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=capacity, **fields)


def parse(response: Any) -> dict[str, Any]:
    """The feed's events by summary, after checking it is a calendar."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    return {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}


@pytest.fixture
def world(org_tree, officer) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    an = make_user(Role.STUDENT, org_tree.faculty, username="an")
    binh = make_user(Role.STUDENT, org_tree.faculty, username="binh")
    club = services.club_create(actor=officer, slug="clb-lich", name="CLB Lịch", owner=org_tree.city,
                                policy=Club.Policy.OPEN)
    other = services.club_create(actor=officer, slug="clb-khac", name="CLB Khác", owner=org_tree.city)
    return {"an": an, "binh": binh, "club": club, "other": other}


def test_one_event_as_ics(client, org_tree, officer, world) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, "Đối thoại với Bí thư Thành Đoàn", organization=org_tree.city,
                       description="Trao đổi về chương trình tài năng trẻ.", online_link="https://meet.example.vn/abc")
    client.force_login(world["an"])
    response = client.get(reverse("event-ics", args=[event.pk]))
    items = parse(response)
    item = items["Đối thoại với Bí thư Thành Đoàn"]
    assert str(item["UID"]) == f"event-{event.pk}@young-talent-pipeline"
    start, end = item.decoded("DTSTART"), item.decoded("DTEND")
    assert start == event.starts_at and end == event.ends_at
    assert start.utcoffset() == dt.timedelta(0)
    assert b"DTSTART:" in response.content and re.search(rb"DTSTART:\d{8}T\d{6}Z", response.content)
    assert str(item["LOCATION"]) == "Nhà Văn hoá Thanh niên, 4 Phạm Ngọc Thạch"
    assert str(item["URL"]) == f"http://testserver/events/{event.pk}/"
    assert "https://meet.example.vn/abc" in str(item["DESCRIPTION"])
    assert str(item["STATUS"]) == "CONFIRMED"
    # The UID does not change between downloads, so calendars update the event in place.
    again = parse(client.get(reverse("event-ics", args=[event.pk])))
    assert str(again["Đối thoại với Bí thư Thành Đoàn"]["UID"]) == str(item["UID"])
    client.logout()
    assert client.get(reverse("event-ics", args=[event.pk])).status_code == 302


def test_the_personal_feed_lists_my_live_registrations(client, org_tree, officer, world) -> None:  # type: ignore[no-untyped-def]
    seated = make_event(officer, "Có chỗ", organization=org_tree.city)
    full = make_event(officer, "Đầy chỗ", organization=org_tree.city, capacity=1)
    dropped = make_event(officer, "Đã huỷ đăng ký", organization=org_tree.city)
    called_off = make_event(officer, "Sự kiện bị huỷ", organization=org_tree.city)
    make_event(officer, "Không đăng ký", organization=org_tree.city)
    services.event_register(event=seated, user=world["an"])
    services.event_register(event=full, user=world["binh"])
    services.event_register(event=full, user=world["an"])  # waitlisted
    services.registration_cancel(registration=services.event_register(event=dropped, user=world["an"]),
                                 actor=world["an"])
    services.event_register(event=called_off, user=world["an"])
    services.event_cancel(event=called_off, reason="Thời tiết xấu", actor=officer)

    client.force_login(world["an"])
    page = client.get(reverse("event-list")).content.decode()
    feed_url = re.search(r'id="feed-url" value="([^"]+)"', page).group(1)
    assert feed_url.startswith("http://testserver/calendar/") and feed_url.endswith(".ics")
    client.logout()  # a calendar app has no session
    items = parse(client.get(feed_url.removeprefix("http://testserver")))
    assert set(items) == {"Có chỗ", "Đầy chỗ", "Sự kiện bị huỷ"}
    assert str(items["Có chỗ"]["STATUS"]) == "CONFIRMED"
    assert str(items["Đầy chỗ"]["STATUS"]) == "TENTATIVE"
    assert str(items["Sự kiện bị huỷ"]["STATUS"]) == "CANCELLED"
    # Binh's token gives Binh's events only.
    items = parse(client.get(reverse("user-calendar", args=[ical.user_feed_token(world["binh"])])))
    assert set(items) == {"Đầy chỗ"} and str(items["Đầy chỗ"]["STATUS"]) == "CONFIRMED"


@pytest.mark.parametrize("token", ["", "1", "1:forged", "abc:def:ghi"])
def test_bad_tokens_answer_404(client, world, token) -> None:  # type: ignore[no-untyped-def]
    url = f"/calendar/{token}.ics"
    assert client.get(url).status_code == 404


def test_tokens_cannot_be_moved_between_feeds_or_outlive_the_account(client, world) -> None:  # type: ignore[no-untyped-def]
    an = world["an"]
    token = ical.user_feed_token(an)
    assert client.get(reverse("user-calendar", args=[token])).status_code == 200
    # Another user's id with this signature, and a club token used as a personal one: refused.
    forged = f"{world['binh'].pk}:{token.split(':', 1)[1]}"
    assert client.get(reverse("user-calendar", args=[forged])).status_code == 404
    club_token = ical.club_feed_token(an, world["club"])
    assert client.get(reverse("user-calendar", args=[club_token])).status_code == 404
    an.is_active = False
    an.save(update_fields=["is_active"])
    assert client.get(reverse("user-calendar", args=[token])).status_code == 404


def test_the_club_feed_for_members_and_calendar_apps(client, org_tree, officer, world) -> None:  # type: ignore[no-untyped-def]
    club, other = world["club"], world["other"]
    make_event(officer, "Sinh hoạt CLB tháng 9", club=club)
    make_event(officer, "Giao lưu cuối năm", club=club, starts_in=timedelta(days=40))
    make_event(officer, "Sinh hoạt năm ngoái", club=club, starts_in=-timedelta(days=400))
    make_event(officer, "Sự kiện CLB khác", club=other)
    url = reverse("club-calendar", args=[club.slug])

    assert client.get(url)["Location"].startswith(reverse("login"))  # no session, no token
    client.force_login(world["an"])
    items = parse(client.get(url))
    assert set(items) == {"Sinh hoạt CLB tháng 9", "Giao lưu cuối năm"}
    page = client.get(reverse("club-detail", args=[club.slug])).content.decode()
    feed_url = re.search(r'class="mono feed-url" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    client.logout()
    assert set(parse(client.get(feed_url.removeprefix("http://testserver")))) == set(items)
    # The token is for this club only; a wrong one answers 404.
    token = ical.club_feed_token(world["an"], club)
    assert client.get(reverse("club-calendar", args=[other.slug]), {"token": token}).status_code == 404
    assert client.get(url, {"token": token + "x"}).status_code == 404
    assert client.get(reverse("club-calendar", args=["khong-co"]), {"token": token}).status_code == 404


def test_registrations_of_others_never_appear(client, org_tree, officer, world) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, "Chỉ Bình đăng ký", organization=org_tree.city)
    services.event_register(event=event, user=world["binh"])
    assert Registration.objects.filter(event=event).count() == 1
    items = parse(client.get(reverse("user-calendar", args=[ical.user_feed_token(world["an"])])))
    assert items == {}
