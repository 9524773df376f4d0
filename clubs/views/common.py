"""Helpers shared by the club, event and survey pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from talent.models import Role

STAFF_ROLES = (Role.ADMIN, Role.OFFICER, Role.LIAISON)
UPCOMING_LIMIT = 100
SELF_CHECK_IN_TRIES = 10  # wrong codes per person and event …
SELF_CHECK_IN_WINDOW = 300  # … within this many seconds


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _service_error(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or _("Bạn không có quyền thực hiện thao tác này."))


MEMBERS_TARGET = "members-results"


def wants_members_fragment(request: HttpRequest) -> bool:
    """True for an htmx swap of a club's member list; a history restore after a cache miss needs the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == MEMBERS_TARGET


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    # The same URL answers with the member list or the whole page; caches must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
