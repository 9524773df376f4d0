"""The app's own 400, 403, 404 and 500 pages (DEBUG off: Django's are never shown).

Each says what happened and where to go next, in the reader's language. A student who opens a staff
page is sent to their own page instead of a refusal: the staff pages are not theirs, and their own
data is one click away. API paths answer JSON (DRF renders its own errors; these cover what reaches
Django's handlers, such as an unknown /api/ path).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from talent.roles import Role, user_role

MESSAGES = {
    400: "Yêu cầu không hợp lệ",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy trang",
    500: "Hệ thống gặp lỗi",
}


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json(status: int) -> JsonResponse:
    return JsonResponse({"detail": _(MESSAGES[status]), "status": status}, status=status)


def _a_page(request: HttpRequest) -> bool:
    """A page a person opened (not a form sent, an htmx fragment or a JSON call): it may be redirected."""
    return (request.method == "GET" and not request.headers.get("HX-Request") and not request.path.endswith(".json")
            and "application/json" not in request.headers.get("Accept", ""))


def _is_student(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user_role(user) == Role.STUDENT)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return _json(400)
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return _json(403)
    if _is_student(request) and _a_page(request):
        messages.info(request, _("Trang đó dành cho cán bộ. Đây là trang hồ sơ của bạn."))
        return HttpResponseRedirect(reverse("me-profile"))
    reason = str(exception) if exception is not None and str(exception) else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return _json(404)
    return render(request, "errors/404.html", {"path": request.path}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the context processors or the database: whatever broke may be one of them."""
    if _api(request):
        return _json(500)
    from django.template import loader

    context: dict[str, Any] = {}
    return HttpResponse(loader.get_template("errors/500.html").render(context), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (an old tab, an expired session): say so and how to go on."""
    if _api(request):
        return _json(403)
    text = _("Biểu mẫu đã cũ hoặc phiên làm việc đã hết hạn, nên hệ thống chưa nhận nội dung vừa gửi. "
             "Hãy tải lại trang rồi gửi lại.")
    return render(request, "errors/403.html", {"reason": text}, status=403)
