"""iCalendar (.ics) feeds: one event, a club's events, and the events a person registered for.

A calendar app cannot sign in, so the subscription URLs carry a signed token (``django.core.signing``
with a salt per feed): it names the user, cannot be forged, and stops working when the account is
deactivated. Times are written in UTC (``…Z``); each event's UID is stable, so a calendar that
fetches the feed again updates the event in place, and a cancelled event comes back as
``STATUS:CANCELLED`` rather than silently disappearing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from clubs.models import Club, Event, Registration

PRODID = "-//Young Talent Pipeline//Câu lạc bộ và sự kiện//VI"
UID_DOMAIN = "young-talent-pipeline"
USER_FEED_SALT = "clubs.calendar.user-feed"
CLUB_FEED_SALT = "clubs.calendar.club-feed"


# --- Tokens -----------------------------------------------------------------------------------------

def _signer(salt: str) -> signing.Signer:
    return signing.Signer(salt=salt)


def user_feed_token(user: Any) -> str:
    return _signer(USER_FEED_SALT).sign(str(user.pk))


def club_feed_token(user: Any, club: Club) -> str:
    """Per person and club: a shared club link can be traced to, and dies with, its account."""
    return _signer(f"{CLUB_FEED_SALT}:{club.slug}").sign(str(user.pk))


def _user_from(token: str, salt: str) -> Any:
    try:
        pk = int(_signer(salt).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


def user_from_feed_token(token: str) -> Any:
    """The active user a personal feed token was made for, or None."""
    return _user_from(token, USER_FEED_SALT)


def user_from_club_token(token: str, slug: str) -> Any:
    """The active user a club feed token was made for (for the club ``slug``), or None."""
    return _user_from(token, f"{CLUB_FEED_SALT}:{slug}")


# --- Selectors --------------------------------------------------------------------------------------

def user_feed_events(user: Any) -> QuerySet[Event]:
    """Events ``user`` holds a live registration for (a seat, an offer or a waitlist place)."""
    registered = Registration.objects.for_user(user).filter(user=user, status__in=Registration.ACTIVE)
    return (Event.objects.for_user(user).filter(pk__in=registered.values("event_id"))
            .select_related("club", "organization").order_by("starts_at", "id"))


def club_feed_events(user: Any, club: Club) -> QuerySet[Event]:
    """The club's events from 90 days back on (older ones only weigh the feed down)."""
    since = timezone.now() - dt.timedelta(days=90)
    return (Event.objects.for_user(user).filter(club=club, ends_at__gte=since)
            .select_related("club", "organization").order_by("starts_at", "id"))


# --- Rendering --------------------------------------------------------------------------------------

def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.timezone.utc)


def calendar_bytes(events: Iterable[Event], *, name: str, url_for: Callable[[Event], str],
                   statuses: dict[int, str] | None = None) -> bytes:
    """A VCALENDAR of ``events``. ``url_for`` gives each event's page; ``statuses`` (event id → a
    registration status) marks waitlisted or offered places as tentative in a personal feed."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = _utc(timezone.now()).replace(microsecond=0)
    for event in events:
        item = CalendarEvent()
        item.add("uid", event_uid(event))
        item.add("dtstamp", stamp)
        item.add("dtstart", _utc(event.starts_at))
        item.add("dtend", _utc(event.ends_at))
        item.add("summary", event.title)
        page = url_for(event)
        item.add("url", page)
        location = event.place or event.online_link
        if location:
            item.add("location", location)
        lines = [event.description.strip()] if event.description.strip() else []
        if event.online_link:
            lines.append(f"Trực tuyến: {event.online_link}")
        if event.club_id:
            lines.append(f"Câu lạc bộ: {event.club.name}")
        lines.append(page)
        item.add("description", "\n\n".join(lines))
        item.add("categories", [event.get_kind_display()])
        registration = (statuses or {}).get(event.pk)
        if event.is_cancelled:
            item.add("status", "CANCELLED")
        elif registration in (Registration.Status.WAITLISTED, Registration.Status.OFFERED):
            item.add("status", "TENTATIVE")
        else:
            item.add("status", "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()
