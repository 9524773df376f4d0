"""Reads of accounts; only administrators list accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from talent.models import Role, user_role


def user_list(*, user: Any, search: str = "", role: str = "", active: bool | None = None) -> QuerySet[Any]:
    User = get_user_model()
    if user_role(user) != Role.ADMIN:
        return User.objects.none()
    qs = User.objects.select_related("profile", "profile__organization", "candidate").order_by("username", "id")
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(email__icontains=search)
                       | Q(profile__organization__name__icontains=search))
    if role:
        qs = qs.filter(Q(profile__role=role) | Q(is_superuser=True)) if role == Role.ADMIN else qs.filter(
            profile__role=role, is_superuser=False)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs
