"""The one place where "who may see what" is decided.

Every scoped model's queryset subclasses ``RestrictedQuerySet`` and implements ``for_user``. Views,
viewsets, commands and tasks start from ``Model.objects.for_user(user)``; nothing starts from
``.objects.all()``. The default is to deny: a queryset that does not know the user's role returns
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

_QS = TypeVar("_QS", bound="RestrictedQuerySet")


class RestrictedQuerySet(models.QuerySet):
    def for_user(self: _QS, user: AbstractBaseUser | AnonymousUser | None) -> _QS:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.scoped_for(user)

    def scoped_for(self: _QS, user: AbstractBaseUser) -> _QS:
        """Subclasses narrow to what ``user`` may see. Deny by default."""
        return self.none()


# Roles are defined above the ground floor (``talent.roles``); the app that defines them tells core
# how to recognise an administrator. With nothing registered only superusers are administrators.
_administrator_checks: list[Callable[[Any], bool]] = []


def register_administrator_check(check: Callable[[Any], bool]) -> None:
    if check not in _administrator_checks:
        _administrator_checks.append(check)


def is_administrator(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or any(check(user) for check in _administrator_checks)
