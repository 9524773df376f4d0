"""iCalendar feeds: one event, a club's events, and a person's own signed feed for calendar apps."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clubs import calendar as ical
from clubs.models import Club, Event, Registration

# --- iCalendar ---------------------------------------------------------------------------------------

def _ics(request: HttpRequest, events: Any, *, name: str, filename: str,
         statuses: dict[int, str] | None = None) -> HttpResponse:
    data = ical.calendar_bytes(events, name=name, statuses=statuses,
                               url_for=lambda e: request.build_absolute_uri(reverse("event-detail", args=[e.pk])))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.for_user(request.user).select_related("club"), pk=pk)
    return _ics(request, [event], name=event.title, filename=f"su-kien-{event.pk}.ics")


@require_GET
def club_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """A club's events: for a signed-in reader, or a calendar app holding the reader's club token."""
    reader = request.user if request.user.is_authenticated else None
    token = request.GET.get("token")
    if reader is None and token:
        reader = ical.user_from_club_token(token, slug)
    if reader is None:
        if token:
            raise Http404(_("Đường dẫn lịch không hợp lệ."))
        return redirect_to_login(request.get_full_path())
    club = get_object_or_404(Club.objects.for_user(reader), slug=slug)
    return _ics(request, ical.club_feed_events(reader, club), name=club.name, filename=f"{club.slug}.ics")


@require_GET
def user_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The events a person registered for, for their calendar app (no sign-in: the token is the key)."""
    user = ical.user_from_feed_token(token)
    if user is None:
        raise Http404(_("Đường dẫn lịch không hợp lệ."))
    events = list(ical.user_feed_events(user))
    statuses = dict(Registration.objects.for_user(user).filter(
        user=user, status__in=Registration.ACTIVE, event__in=[e.pk for e in events]).values_list("event_id", "status"))
    return _ics(request, events, name=_("Sự kiện của tôi · Young Talent Pipeline"), filename="su-kien-cua-toi.ics",
                statuses=statuses)
