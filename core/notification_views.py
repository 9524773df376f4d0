"""The notification bell's page and its JSON endpoints (every page's bell polls them when offline)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.models import Notification
from core.notifications import notifications_mark_read, recent_notifications, unread_count

NOTIFICATIONS_PER_PAGE = 25


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.of(request.user).order_by("-created_at", "-id")
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {
        "page_obj": page, "notifications": page.object_list, "unread": unread_count(request.user),
    })


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read; with ``open`` set, continue to where it points (a local URL only)."""
    note = get_object_or_404(Notification.objects.of(request.user), pk=pk)
    notifications_mark_read(user=request.user, ids=[note.pk])
    if _wants_json(request):
        return JsonResponse({"id": note.pk, "unread": unread_count(request.user)})
    if request.POST.get("open") and note.url and url_has_allowed_host_and_scheme(
            note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(note.url)
    return redirect("notification-list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    changed = notifications_mark_read(user=request.user)
    if _wants_json(request):
        return JsonResponse({"changed": changed, "unread": 0})
    if changed:
        messages.success(request, _("Đã đánh dấu tất cả là đã đọc."))
    return redirect("notification-list")


@never_cache
@login_required
@require_GET
def notification_unread(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"unread": unread_count(request.user)})


@never_cache
@login_required
@require_GET
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The bell's dropdown: unread count and the latest lines."""
    return JsonResponse({"unread": unread_count(request.user), "items": recent_notifications(request.user)})
