"""Roles and a user's home organization: the two facts every scope rule starts from.

Kept apart from the models so that permission rules and the ground floor (``core.scoping``) can ask
"who is this?" without importing the whole people model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from talent.models import Organization


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị viên")
    OFFICER = "officer", _("Cán bộ Đoàn")
    LIAISON = "liaison", _("Cán bộ liên lạc trường")
    RECRUITER = "recruiter", _("Cán bộ tuyển dụng")
    STUDENT = "student", _("Sinh viên / cán bộ trẻ")
    # Organization boards and the Department of Home Affairs: positions, succession plans and reviews.
    PERSONNEL = "personnel", _("Cán bộ tổ chức")


# Roles whose scope is their home organization and every unit under it.
SUBTREE_ROLES = frozenset({Role.OFFICER, Role.LIAISON, Role.PERSONNEL})


def user_role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def user_organization(user: Any) -> Organization | None:
    profile = getattr(user, "profile", None) if user is not None else None
    return profile.organization if profile else None


def is_administrator(user: Any) -> bool:
    return user_role(user) == Role.ADMIN
