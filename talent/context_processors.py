"""What the navigation needs to know about the signed-in user: their role, nothing more."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.navigation import menu_for
from talent.models import Role, user_role
from talent.permissions import MANAGING_ROLES


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = user_role(user)
    match = getattr(request, "resolver_match", None)
    menu = (menu_for(role, is_staff=bool(getattr(user, "is_staff", False)), url_name=match.view_name if match else None,
                     path=request.path) if user is not None and user.is_authenticated else [])
    return {
        "nav_menu": menu,
        "nav_role": role,
        "nav_is_admin": role == Role.ADMIN,
        "nav_is_student": role == Role.STUDENT,
        "nav_can_manage": role in MANAGING_ROLES,
        # Erasure requests are decided by Youth Union officers (and administrators).
        "nav_decides_erasure": role in (Role.ADMIN, Role.OFFICER),
    }
