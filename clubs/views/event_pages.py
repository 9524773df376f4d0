"""Event pages: the calendar, an event's page with registration, the waitlist's offers, tickets, cancelling and check-in."""

from __future__ import annotations

import datetime as dt
import io
from collections import OrderedDict
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clubs import calendar as ical, services, surveys
from clubs.forms import CancelEventForm, CheckInForm, EventFilterForm, EventForm, SelfCheckInForm
from clubs.models import Club, Event, Registration
from clubs.views.common import (
    SELF_CHECK_IN_TRIES,
    SELF_CHECK_IN_WINDOW,
    STAFF_ROLES,
    UPCOMING_LIMIT,
    _name,
    _service_error,
)
from talent.forms import apply_service_errors
from talent.models import user_role

# --- Events: calendar and pages -------------------------------------------------------------------

def _events(request: HttpRequest) -> QuerySet[Event]:
    """Events the user may see, each with its seats taken and the user's own registration status."""
    mine = Registration.objects.for_user(request.user).filter(event=OuterRef("pk"), user=request.user,
                                                               status__in=Registration.ACTIVE)
    return (Event.objects.for_user(request.user).select_related("club", "organization")
            .annotate(seated=Count("registrations", filter=Q(registrations__status__in=Registration.SEATED)),
                      waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
                      my_status=Subquery(mine.values("status")[:1]),
                      my_position=Subquery(mine.values("waitlist_position")[:1])))


def _month_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, 1))


def _shift_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The calendar: events grouped by day. Without ``?month=`` the upcoming ones; with it, that month."""
    user = request.user
    clubs = list(Club.objects.for_user(user).only("pk", "name", "slug").order_by("name"))
    form = EventFilterForm(request.GET, clubs=clubs)
    form.is_valid()  # invalid fields drop out of cleaned_data and are shown, never raised
    data = getattr(form, "cleaned_data", {})
    events = _events(request)
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("club"):
        events = events.filter(club=data["club"])
    now = timezone.now()
    month: dt.date | None = data.get("month")
    if month:
        start, end = _month_start(month), _month_start(_shift_month(month, 1))
        events = events.filter(starts_at__lt=end, ends_at__gte=start).order_by("starts_at", "id")
        shown = month
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")[:UPCOMING_LIMIT]
        shown = timezone.localdate().replace(day=1)
    days: OrderedDict[dt.date, list[Event]] = OrderedDict()
    for event in events:
        days.setdefault(timezone.localtime(event.starts_at).date(), []).append(event)
    filters = {k: v for k, v in (("kind", data.get("kind")), ("club", data.get("club"))) if v}
    return render(request, "clubs/event_list.html", {
        "form": form, "days": list(days.items()), "month": month, "shown": shown,
        "prev_month": _shift_month(shown, -1), "next_month": _shift_month(shown, 1), "filters": filters,
        "today": timezone.localdate(), "now": now,
        "can_create": user_role(user) in STAFF_ROLES or Club.objects.managed_by(user).exists(),
        "feed_url": request.build_absolute_uri(reverse("user-calendar", args=[ical.user_feed_token(user)])),
    })


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user_role(user) not in STAFF_ROLES and not Club.objects.managed_by(user).exists():
        raise PermissionDenied(_("Chỉ cán bộ và ban điều hành câu lạc bộ được tạo sự kiện."))
    form = EventForm(request.POST or None, user=user, initial={"club": request.GET.get("club")})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=user, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc, permission_field="club")
        else:
            messages.success(request, _("Đã tạo sự kiện %(title)s.") % {"title": event.title})
            return HttpResponseRedirect(reverse("event-detail", args=[event.pk]))
    return render(request, "clubs/event_form.html", {"form": form}, status=400 if form.errors else 200)


def _event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(_events(request), pk=pk)


def _my_registration(request: HttpRequest, event: Event) -> Registration | None:
    """The user's live registration, else their latest one (to say it was cancelled or expired)."""
    mine = Registration.objects.for_user(request.user).filter(event=event, user=request.user)
    return (mine.filter(status__in=Registration.ACTIVE).first()
            or mine.order_by("-created_at", "-id").first())


def _ticket_svg(registration: Registration) -> str:
    """The ticket's QR code as inline SVG: geometry in attributes only, no style="" for the CSP."""
    qr = segno.make_qr(registration.code, error="m")
    return qr.svg_inline(scale=6, border=4, svgclass="ticket-qr", lineclass=None, omitsize=True, dark="#0b1f3a",
                         light="#ffffff", title=_("Mã QR của vé %(code)s") % {"code": registration.code})


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    event = _event(request, pk)
    now = timezone.now()
    registration = _my_registration(request, event)
    active = registration if registration and registration.status in Registration.ACTIVE else None
    is_organizer = services.may_manage_event(user, event)
    problem = services.eligibility_problem(event, user) if active is None else None
    context: dict[str, Any] = {
        "event": event, "registration": registration, "active": active, "is_organizer": is_organizer,
        "seats_left": max(0, event.capacity - event.seated), "now": now, "is_over": now >= event.ends_at,
        "registration_open": event.registration_open(now), "eligibility_problem": problem,
        "can_register": active is None and event.registration_open(now) and problem is None,
        "ticket_svg": _ticket_svg(active) if active and active.status == Registration.Status.REGISTERED else "",
        "offer_lapsed": bool(active and active.status == Registration.Status.OFFERED and active.offer_expires_at
                             and active.offer_expires_at <= now),
        "surveys": [s for s in surveys.surveys_answerable(user, now).filter(event=event)],
    }
    if active and active.status == Registration.Status.WAITLISTED:
        # The order is visible to those in it: positions only, the reader's own marked, nobody named.
        context["waitlist"] = [{"position": n, "mine": n == active.waitlist_position}
                               for n in range(1, event.waiting + 1)]
    if is_organizer:
        context["attended"] = Registration.objects.for_user(user).filter(event=event,
                                                                         checked_in_at__isnull=False).count()
        context["cancel_form"] = CancelEventForm()
    return render(request, "clubs/event_detail.html", context)


@login_required
@require_GET
def event_ticket_qr(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    registration = Registration.objects.for_user(request.user).filter(
        event=event, user=request.user, status=Registration.Status.REGISTERED).first()
    if registration is None:
        raise Http404(_("Bạn chưa có vé cho sự kiện này."))
    buffer = io.BytesIO()
    segno.make_qr(registration.code, error="m").save(buffer, kind="svg", scale=8, border=4, dark="#0b1f3a",
                                                  light="#ffffff", title=registration.code)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="ve-{event.pk}-{registration.code}.svg"'
    return response


def _back_to_event(event: Event, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("event-detail", args=[event.pk]) + anchor)


@login_required
@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    try:
        registration = services.event_register(event=event, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        if registration.status == Registration.Status.WAITLISTED:
            messages.info(request, _("Hết chỗ: bạn đứng thứ %(n)s trong danh sách chờ.")
                          % {"n": registration.waitlist_position})
        else:
            messages.success(request, _("Bạn đã có chỗ. Mã vé: %(code)s.") % {"code": registration.code})
    return _back_to_event(event, "#my-status")


@login_required
@require_POST
def event_unregister(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    registration = Registration.objects.for_user(request.user).filter(
        event=event, user=request.user, status__in=Registration.ACTIVE).first()
    if registration is None:
        messages.error(request, _("Bạn không có đăng ký nào đang hiệu lực ở sự kiện này."))
        return _back_to_event(event)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.info(request, _("Đã huỷ đăng ký của bạn."))
    return _back_to_event(event, "#my-status")


@login_required
@require_POST
def event_offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    registration = Registration.objects.for_user(request.user).filter(
        event=event, user=request.user, status=Registration.Status.OFFERED).first()
    if registration is None:
        messages.error(request, _("Không có lời mời nhận chỗ nào đang chờ bạn."))
        return _back_to_event(event)
    try:
        services.offer_accept(registration=registration, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Đã xác nhận: bạn có chỗ ở sự kiện này."))
    return _back_to_event(event, "#my-status")


def _require_organizer(request: HttpRequest, event: Event) -> None:
    if not services.may_manage_event(request.user, event):
        raise PermissionDenied(_("Chỉ ban tổ chức sự kiện được làm việc này."))


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    _require_organizer(request, event)
    form = CancelEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nêu lý do huỷ để báo cho người đã đăng ký."))
        return _back_to_event(event, "#cancel-event")
    try:
        services.event_cancel(event=event, reason=form.cleaned_data["reason"], actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Đã huỷ sự kiện và báo cho người đã đăng ký."))
    return _back_to_event(event)


# --- Check-in ----------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def event_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The organizer's door: type a ticket code or scan its QR code (static/js/clubs-scan.js)."""
    event = _event(request, pk)
    _require_organizer(request, event)
    result: dict[str, Any] | None = None
    status = 200
    form = CheckInForm()
    if request.method == "POST":
        posted = CheckInForm(request.POST)
        if posted.is_valid():
            method = (Registration.Method.SCAN if posted.cleaned_data.get("method") == "scan"
                      else Registration.Method.TYPED)
            try:
                registration = services.check_in_ticket(event=event, code=posted.cleaned_data["code"],
                                                        actor=request.user, method=method)
            except ValidationError as exc:
                result, status = {"ok": False, "message": " ".join(exc.messages)}, 400
            else:
                result = {"ok": True, "name": _name(registration.user), "code": registration.code,
                          "message": _("Đã check-in: %(name)s") % {"name": _name(registration.user)}}
            form = CheckInForm(initial={"method": posted.cleaned_data.get("method") or "typed"})
        else:
            form, status = posted, 400
    now = timezone.now()
    people = list(Registration.objects.for_user(request.user).filter(event=event)
                  .filter(Q(status__in=Registration.SEATED) | Q(checked_in_at__isnull=False))
                  .select_related("user").order_by("created_at", "id"))
    is_over = now >= event.ends_at
    attended = [r for r in people if r.checked_in_at]
    no_shows = [r for r in people if not r.checked_in_at and r.status == Registration.Status.REGISTERED] \
        if is_over else []
    response = render(request, "clubs/event_check_in.html", {
        "event": event, "form": form, "result": result, "people": people, "attended_count": len(attended),
        "seated_count": sum(1 for r in people if r.status in Registration.SEATED), "no_shows": no_shows,
        "is_over": is_over,
    }, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def event_self_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """An attendee types the 6-digit code shown on the room's screen (it changes every 30 seconds)."""
    event = _event(request, pk)
    registration = Registration.objects.for_user(request.user).filter(
        event=event, user=request.user, status__in=Registration.ACTIVE).first()
    form = SelfCheckInForm(request.POST or None)
    status = 200
    tries_key = f"clubs:self-check-in:{event.pk}:{request.user.pk}"
    if request.method == "POST":
        tries = cache.get(tries_key, 0)
        if getattr(cache, "is_down", False):
            # The guess counter lives in Redis: while it is down the cap cannot hold, so self check-in
            # waits (the organizers' scanner, which needs no code, still works).
            form.add_error(None, _("Tạm thời chưa tự check-in được (mất kết nối máy chủ đếm lượt nhập). Hãy "
                                   "thử lại sau ít phút hoặc nhờ ban tổ chức quét mã."))
            status = 503
        elif tries >= SELF_CHECK_IN_TRIES:
            # Six digits are guessable by brute force; attendance is scoring evidence, so guesses are capped.
            form.add_error(None, _("Bạn đã nhập sai quá nhiều lần. Hãy đợi vài phút rồi nhập mã đang hiện trên "
                                   "màn hình."))
            status = 429
        elif form.is_valid():
            try:
                registration = services.check_in_self(event=event, code=form.cleaned_data["code"].strip(),
                                                      user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                apply_service_errors(form, exc)
                status = 400
                cache.add(tries_key, 0, SELF_CHECK_IN_WINDOW)
                cache.incr(tries_key)
            else:
                cache.delete(tries_key)
                messages.success(request, _("Đã check-in lúc %(time)s. Chúc bạn một buổi bổ ích!")
                                 % {"time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")})
                return HttpResponseRedirect(reverse("event-self-check-in", args=[event.pk]))
        else:
            status = 400
    return render(request, "clubs/event_self_check_in.html",
                  {"event": event, "form": form, "registration": registration}, status=status)
