"""Login hardening and HTTP security: the lockout backend and answer, client addresses, CSP.

Lockouts are django-axes' (settings "Auth"): after AXES_FAILURE_LIMIT wrong passwords for one
username from one client address, that pair is refused for AXES_COOLOFF_TIME, whatever the password.
"""

from __future__ import annotations

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out (username, address) pair before any password is checked.

    Every login that arrives over HTTP passes the request (the login page, the admin login, the API
    token endpoint); a call without one (the test client's ``login()``, a shell) has no client address
    to count failures against, so it is left to the next backend instead of raising, as the
    django-axes documentation suggests for callers that cannot supply a request.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: Any) -> str | None:
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For entry written by the outermost of
    our own TRUSTED_PROXY_COUNT proxies (the same rule DRF's throttles follow with NUM_PROXIES)."""
    meta = getattr(request, "META", None) or {}
    remote_addr = meta.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(proxies, len(addresses))]


def cool_off_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    return _("Tài khoản tạm khoá do đăng nhập sai nhiều lần. Hãy thử lại sau %(minutes)d phút.") % {
        "minutes": cool_off_minutes()}


def locked_out_api_response() -> JsonResponse:
    """429 with the message in ``detail`` (the shape of DRF's own errors) and Retry-After."""
    response = JsonResponse({"detail": lockout_message()}, status=429, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _wants_json(request: HttpRequest) -> bool:
    return (request.path.startswith("/api/")
            or "application/json" in request.headers.get("Accept", "")
            or request.headers.get("X-Requested-With") == "XMLHttpRequest")


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: Any = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page shows the lockout in Vietnamese, API callers get JSON.

    Arguments after ``request`` are not used (django-axes' async middleware passes them in a
    different order than the sync one)."""
    if _wants_json(request):
        return locked_out_api_response()
    response = render(request, "registration/locked_out.html",
                      {"message": lockout_message(), "minutes": cool_off_minutes()}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the requested host's ws:// and wss:// added to connect-src.

    ``'self'`` matches WebSocket URLs of the page's own host only in browsers that implement CSP
    level 3 fully; naming the host (with its port) covers the others. The host is the one Django
    has already validated against ALLOWED_HOSTS.
    """

    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase,
                         report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts
        update = dict(parts.update or {})
        existing = update.get("connect-src") or ()
        if isinstance(existing, str):
            existing = (existing,)
        update["connect-src"] = [*existing, f"ws://{host}", f"wss://{host}"]
        parts.update = update
        return parts
