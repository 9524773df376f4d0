"""What the navigation needs to know about the signed-in user: their role, nothing more."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from talent.models import Role, user_role
from talent.permissions import MANAGING_ROLES


def navigation(request: HttpRequest) -> dict[str, Any]:
    role = user_role(getattr(request, "user", None))
    return {
        "nav_role": role,
        "nav_is_admin": role == Role.ADMIN,
        "nav_is_student": role == Role.STUDENT,
        "nav_can_manage": role in MANAGING_ROLES,
        # Erasure requests are decided by Youth Union officers (and administrators).
        "nav_decides_erasure": role in (Role.ADMIN, Role.OFFICER),
    }
