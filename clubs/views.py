"""Server-rendered pages of clubs, events (calendar, registration, tickets, check-in), surveys and
the iCalendar feeds.

Views are thin: every read starts from ``Model.objects.for_user(request.user)`` (or a selector in
``clubs.surveys`` / ``clubs.calendar`` that does), every write goes through ``clubs.services`` or
``clubs.surveys``. A service's refusal comes back as a message on the page; an action only managers
may take answers 403 to anyone else before anything is looked up or changed.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import OrderedDict
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clubs import calendar as ical
from clubs import services, surveys
from clubs.forms import (
    BUILDER_START_ROWS,
    AnnouncementForm,
    CancelEventForm,
    CheckInForm,
    ClubForm,
    EventFilterForm,
    EventForm,
    InviteForm,
    RoleForm,
    SelfCheckInForm,
    SurveyAnswerForm,
    SurveyForm,
    SurveyQuestionFormSet,
)
from clubs.models import Announcement, Club, Event, Membership, Registration, Survey
from talent.forms import apply_service_errors
from talent.models import Role, user_role

STAFF_ROLES = (Role.ADMIN, Role.OFFICER, Role.LIAISON)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPCOMING_LIMIT = 100
SELF_CHECK_IN_TRIES = 10  # wrong codes per person and event …
SELF_CHECK_IN_WINDOW = 300  # … within this many seconds


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _service_error(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or _("Bạn không có quyền thực hiện thao tác này."))


# --- Clubs -------------------------------------------------------------------------------------------

def _club(request: HttpRequest, slug: str) -> Club:
    return get_object_or_404(Club.objects.for_user(request.user).select_related("owner"), slug=slug)


def _require_club_manager(request: HttpRequest, club: Club) -> None:
    if not services.may_manage_club(request.user, club):
        raise PermissionDenied(_("Chỉ ban điều hành câu lạc bộ được làm việc này."))


@login_required
@require_GET
def club_list(request: HttpRequest) -> HttpResponse:
    """Every club; mine first (active, then requested or invited), each with the way to join it."""
    user = request.user
    mine = Membership.objects.for_user(user).filter(club=OuterRef("pk"), user=user)
    clubs = (Club.objects.for_user(user).select_related("owner")
             .annotate(my_status=Subquery(mine.values("status")[:1]), my_role=Subquery(mine.values("role")[:1]),
                       member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)))
             .annotate(mine_first=Case(
                 When(my_status=Membership.Status.ACTIVE, then=Value(0)),
                 When(my_status__in=(Membership.Status.PENDING, Membership.Status.INVITED), then=Value(1)),
                 default=Value(2), output_field=IntegerField()))
             .order_by("mine_first", "name"))
    page = Paginator(clubs, 30).get_page(request.GET.get("page"))
    return render(request, "clubs/club_list.html", {
        "page_obj": page, "clubs": page.object_list, "can_create": user_role(user) in STAFF_ROLES,
    })


@login_required
@require_http_methods(["GET", "POST"])
def club_create(request: HttpRequest) -> HttpResponse:
    if user_role(request.user) not in STAFF_ROLES:
        raise PermissionDenied(_("Chỉ cán bộ Đoàn, cán bộ liên lạc và quản trị viên được lập câu lạc bộ."))
    form = ClubForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            club = services.club_create(actor=request.user, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lập câu lạc bộ %(name)s.") % {"name": club.name})
            return HttpResponseRedirect(reverse("club-detail", args=[club.slug]))
    return render(request, "clubs/club_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def club_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    club = _club(request, slug)
    membership = Membership.objects.for_user(user).filter(club=club, user=user).first()
    is_member = membership is not None and membership.status == Membership.Status.ACTIVE
    can_manage = services.may_manage_club(user, club)
    can_see_directory = can_manage or (is_member and club.directory == Club.Directory.MEMBERS)
    now = timezone.now()
    context: dict[str, Any] = {
        "club": club, "membership": membership, "is_member": is_member, "can_manage": can_manage,
        "can_see_directory": can_see_directory,
        "events": list(Event.objects.for_user(user).filter(club=club, ends_at__gte=now)
                       .order_by("starts_at", "id")[:10]),
        # Announcements are for the club's people: members read them here later, as the bell promised.
        "announcements": list(Announcement.objects.filter(club=club).select_related("created_by")[:30])
        if (is_member or can_manage) else [],
        "members": list(Membership.objects.for_user(user).filter(club=club, status=Membership.Status.ACTIVE)
                        .select_related("user").order_by("-role", "joined_at", "id")) if can_see_directory else [],
        "member_count": Membership.objects.active().filter(club=club).count(),
        "calendar_url": request.build_absolute_uri(
            reverse("club-calendar", args=[club.slug]) + "?token=" + ical.club_feed_token(user, club)),
    }
    if can_manage:
        pending = Membership.objects.for_user(user).filter(club=club).select_related("user")
        context.update({
            "pending": list(pending.filter(status=Membership.Status.PENDING).order_by("created_at", "id")),
            "invited": list(pending.filter(status=Membership.Status.INVITED).order_by("created_at", "id")),
            "invite_form": InviteForm(), "announcement_form": AnnouncementForm(),
            "roles": Membership.Role.choices,
        })
    return render(request, "clubs/club_detail.html", context)


def _back_to_club(club: Club, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("club-detail", args=[club.slug]) + anchor)


@login_required
@require_POST
def club_join(request: HttpRequest, slug: str) -> HttpResponse:
    club = _club(request, slug)
    try:
        membership = services.club_join(club=club, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        if membership.status == Membership.Status.ACTIVE:
            messages.success(request, _("Bạn đã là thành viên %(name)s.") % {"name": club.name})
        else:
            messages.info(request, _("Đã gửi yêu cầu tham gia; ban điều hành sẽ xét duyệt."))
    return _back_to_club(club)


@login_required
@require_POST
def club_leave(request: HttpRequest, slug: str) -> HttpResponse:
    club = _club(request, slug)
    try:
        services.club_leave(club=club, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.info(request, _("Bạn đã rời %(name)s.") % {"name": club.name})
    return _back_to_club(club)


def _club_membership(request: HttpRequest, club: Club, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.for_user(request.user).select_related("user", "club"),
                             club=club, pk=pk)


@login_required
@require_POST
def club_membership_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    club = _club(request, slug)
    _require_club_manager(request, club)
    membership = _club_membership(request, club, pk)
    approve = request.POST.get("approve") == "1"
    try:
        services.membership_decide(membership=membership, approve=approve, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        text = _("Đã nhận %(name)s vào câu lạc bộ.") if approve else _("Đã từ chối yêu cầu của %(name)s.")
        messages.success(request, text % {"name": _name(membership.user)})
    return _back_to_club(club, "#requests")


@login_required
@require_POST
def club_invite(request: HttpRequest, slug: str) -> HttpResponse:
    club = _club(request, slug)
    _require_club_manager(request, club)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập tên đăng nhập của người được mời."))
        return _back_to_club(club, "#invite")
    # Looked up by exact username: managers invite people they know, they do not browse accounts.
    invitee = get_user_model().objects.filter(username=form.cleaned_data["username"].strip(), is_active=True).first()
    if invitee is None:
        messages.error(request, _("Không có tài khoản nào tên đăng nhập “%(u)s”.")
                       % {"u": form.cleaned_data["username"].strip()})
        return _back_to_club(club, "#invite")
    existing = Membership.objects.for_user(request.user).filter(club=club, user=invitee).first()
    if existing and existing.status in (Membership.Status.ACTIVE, Membership.Status.PENDING):
        messages.info(request, _("%(name)s đã là thành viên hoặc đang chờ duyệt.") % {"name": _name(invitee)})
        return _back_to_club(club, "#invite")
    try:
        services.club_invite(club=club, user=invitee, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Đã gửi lời mời tới %(name)s.") % {"name": _name(invitee)})
    return _back_to_club(club, "#invite")


@login_required
@require_POST
def club_membership_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    club = _club(request, slug)
    _require_club_manager(request, club)
    membership = _club_membership(request, club, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vai trò không hợp lệ."))
        return _back_to_club(club, "#members")
    try:
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"], actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Đã đổi vai trò của %(name)s thành %(role)s.")
                         % {"name": _name(membership.user), "role": membership.get_role_display()})
    return _back_to_club(club, "#members")


@login_required
@require_POST
def club_announce(request: HttpRequest, slug: str) -> HttpResponse:
    club = _club(request, slug)
    _require_club_manager(request, club)
    form = AnnouncementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thông báo cần tiêu đề và nội dung."))
        return _back_to_club(club, "#announce")
    try:
        announcement = services.announcement_post(club=club, title=form.cleaned_data["title"],
                                                  body=form.cleaned_data["body"], actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
        return _back_to_club(club, "#announce")
    messages.success(request, _("Đã đăng thông báo và gửi tới các thành viên."))
    return _back_to_club(club, f"#announcement-{announcement.pk}")


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
        if cache.get(tries_key, 0) >= SELF_CHECK_IN_TRIES:
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


# --- Surveys -----------------------------------------------------------------------------------------

@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    answerable = list(surveys.surveys_answerable(user, now).order_by("answered", "closes_at", "-created_at")[:100])
    managed = list(surveys.surveys_managed_by(user).select_related("club", "event", "pool")
                   .annotate(response_count=Count("responses")).order_by("-created_at")[:100])
    return render(request, "clubs/survey_list.html", {
        "answerable": answerable, "managed": managed, "can_create": surveys.may_create_surveys(user), "now": now,
    })


def _builder_formset(request: HttpRequest) -> Any:
    if request.method != "POST":
        return SurveyQuestionFormSet(prefix="questions", initial=[
            {"kind": "single", "scale_min": 1, "scale_max": 5, "required": True}] * BUILDER_START_ROWS)
    data = request.POST.copy()
    if "add_row" in data:
        # One more empty row, keeping everything typed so far (works without JavaScript).
        total = int(data.get("questions-TOTAL_FORMS") or 0)
        data["questions-TOTAL_FORMS"] = str(min(total + 1, 50))
    return SurveyQuestionFormSet(data, prefix="questions")


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not surveys.may_create_surveys(user):
        raise PermissionDenied(_("Chỉ cán bộ và ban điều hành câu lạc bộ được lập khảo sát."))
    form = SurveyForm(request.POST or None, user=user,
                      initial={"target": request.GET.get("target") or Survey.Target.CLUB,
                               "event": request.GET.get("event"), "club": request.GET.get("club"),
                               "is_feedback": request.GET.get("feedback") == "1"})
    formset = _builder_formset(request)
    question_errors: dict[int, list[str]] = {}
    status = 200
    if request.method == "POST" and "add_row" not in request.POST:
        if form.is_valid() and formset.is_valid():
            filled = [f for f in formset.forms if not f.is_blank]
            try:
                survey = surveys.survey_create(actor=user, questions=[f.as_spec() for f in filled],
                                               **form.service_kwargs())
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                    # "Câu n" errors go on the row that holds question n (blank rows are skipped).
                    rows = [formset.forms.index(f) for f in filled]
                    for key, items in exc.message_dict.items():
                        if key.startswith("question_"):
                            number = int(key.removeprefix("question_"))
                            question_errors.setdefault(rows[number - 1], []).extend(items)
                    others = {k: v for k, v in exc.message_dict.items() if not k.startswith("question_")}
                    if others:
                        apply_service_errors(form, ValidationError(others))
                else:
                    apply_service_errors(form, exc, permission_field="target")
            else:
                messages.success(request, _("Đã lập khảo sát %(title)s.") % {"title": survey.title})
                return HttpResponseRedirect(reverse("survey-detail", args=[survey.pk]))
        status = 400
    rows = [(f, question_errors.get(i, [])) for i, f in enumerate(formset.forms)]
    return render(request, "clubs/survey_form.html", {
        "form": form, "formset": formset, "rows": rows, "has_errors": bool(form.errors or question_errors
                                                                          or formset.total_error_count()),
    }, status=status)


def _survey(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.for_user(request.user).select_related("club", "event", "pool"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = _survey(request, pk)
    questions = list(survey.questions.all())
    answered = surveys.has_answered(survey, user)
    problem = None if answered else surveys.answer_problem(survey, user)
    form = SurveyAnswerForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST":
        if answered or problem:
            messages.error(request, _("Bạn đã trả lời khảo sát này.") if answered else problem)
            return HttpResponseRedirect(reverse("survey-detail", args=[survey.pk]))
        if form.is_valid():
            try:
                surveys.survey_respond(survey=survey, user=user, answers=form.answers())
            except (ValidationError, PermissionDenied) as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Cảm ơn bạn đã trả lời khảo sát."))
                return HttpResponseRedirect(reverse("survey-detail", args=[survey.pk]))
        status = 400
    return render(request, "clubs/survey_detail.html", {
        "survey": survey, "questions": questions, "form": form, "answered": answered, "problem": problem,
        "can_manage": surveys.may_manage_survey(user, survey),
    }, status=status)


def _managed_survey(request: HttpRequest, pk: int) -> Survey:
    survey = _survey(request, pk)
    if not surveys.may_manage_survey(request.user, survey):
        raise PermissionDenied(_("Chỉ người quản lý khảo sát được xem kết quả."))
    return survey


@login_required
@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed_survey(request, pk)
    return render(request, "clubs/survey_results.html", {"survey": survey, "results": surveys.survey_results(survey)})


@login_required
@require_GET
def survey_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = _managed_survey(request, pk)
    data = surveys.survey_export(survey=survey, actor=request.user, fmt=fmt)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{survey.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
