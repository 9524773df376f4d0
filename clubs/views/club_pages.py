"""Club pages: the directory, a club's page with its members, joining and leaving, invitations, roles and announcements."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clubs import calendar as ical, selectors, services
from clubs.forms import AnnouncementForm, ClubForm, InviteForm, RoleForm
from clubs.models import Announcement, Club, Event, Membership
from clubs.views.common import STAFF_ROLES, _name, _service_error, vary_on_htmx, wants_members_fragment
from core.text import fold
from talent.forms import apply_service_errors
from talent.models import user_role

# --- Clubs -------------------------------------------------------------------------------------------

def _club(request: HttpRequest, slug: str) -> Club:
    return get_object_or_404(Club.objects.for_user(request.user).select_related("owner"), slug=slug)


def _require_club_manager(request: HttpRequest, club: Club) -> None:
    if not services.may_manage_club(request.user, club):
        raise PermissionDenied(_("Chỉ ban điều hành câu lạc bộ được làm việc này."))


@login_required
@require_GET
def club_list(request: HttpRequest) -> HttpResponse:
    """Every club; mine first (active, then requested or invited), each with the way to join it, except
    for the clubs one manages without being a member (they are not for joining)."""
    user = request.user
    mine = Membership.objects.for_user(user).filter(club=OuterRef("pk"), user=user)
    clubs = (Club.objects.for_user(user).select_related("owner")
             .annotate(my_status=Subquery(mine.values("status")[:1]), my_role=Subquery(mine.values("role")[:1]),
                       i_manage=Exists(Club.objects.managed_by(user).filter(pk=OuterRef("pk"))),
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
    context: dict[str, Any] = {
        "club": club, "membership": membership, "is_member": is_member, "can_manage": can_manage,
        "can_see_directory": can_see_directory,
    }
    if can_see_directory:
        context.update(_member_directory(request, club))
    if wants_members_fragment(request):
        # The search box and the page links swap only the member list; everything else stays.
        if not can_see_directory:
            raise PermissionDenied(_("Danh sách thành viên chỉ ban điều hành xem được."))
        return vary_on_htmx(render(request, "clubs/_members.html", context))
    now = timezone.now()
    context.update({
        "events": list(Event.objects.for_user(user).filter(club=club, ends_at__gte=now)
                       .order_by("starts_at", "id")[:10]),
        # Announcements are for the club's people: members read them here later, as the bell promised.
        "announcements": list(Announcement.objects.filter(club=club).select_related("created_by")[:30])
        if (is_member or can_manage) else [],
        "member_count": _member_count(club, context),
        "calendar_url": request.build_absolute_uri(
            reverse("club-calendar", args=[club.slug]) + "?token=" + ical.club_feed_token(user, club)),
    })
    if can_manage:
        pending, pending_count = selectors.club_queue(user=user, club=club, status=Membership.Status.PENDING)
        invited, invited_count = selectors.club_queue(user=user, club=club, status=Membership.Status.INVITED)
        context.update({
            "pending": pending, "pending_count": pending_count, "pending_more": pending_count - len(pending),
            "invited": invited, "invited_count": invited_count, "invited_more": invited_count - len(invited),
            "invite_form": InviteForm(), "announcement_form": AnnouncementForm(),
        })
    return vary_on_htmx(render(request, "clubs/club_detail.html", context))


def _member_count(club: Club, context: dict[str, Any]) -> int:
    if context.get("members_page") is not None and not context["member_search"]:
        return context["members_page"].paginator.count  # the whole directory, just counted
    return Membership.objects.active().filter(club=club).count()


def _member_directory(request: HttpRequest, club: Club) -> dict[str, Any]:
    """One page of the member list (50), filtered by the ``q`` name search; a bad page number falls back."""
    search = request.GET.get("q", "").strip()[:100]
    search = search if fold(search) else ""  # nothing left to match once folded (spaces, lone accents)
    members = selectors.club_members(user=request.user, club=club, search=search)
    page = Paginator(members, selectors.MEMBER_PAGE_SIZE).get_page(request.GET.get("page"))
    return {"member_search": search, "members_page": page, "members": page.object_list,
            "roles": Membership.Role.choices}


def _back_to_club(club: Club, anchor: str = "", query: dict[str, str] | None = None) -> HttpResponseRedirect:
    kept = urlencode({key: value for key, value in (query or {}).items() if value})
    return HttpResponseRedirect(reverse("club-detail", args=[club.slug]) + (f"?{kept}" if kept else "") + anchor)


def _directory_state(request: HttpRequest) -> dict[str, str]:
    """The member list's search and page a form was posted from, so the manager lands back there."""
    page = request.POST.get("page", "")
    return {"q": request.POST.get("q", "").strip()[:100], "page": page if page.isdigit() else ""}


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
        return _back_to_club(club, "#members", _directory_state(request))
    try:
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"], actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Đã đổi vai trò của %(name)s thành %(role)s.")
                         % {"name": _name(membership.user), "role": membership.get_role_display()})
    return _back_to_club(club, "#members", _directory_state(request))


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
