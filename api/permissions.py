from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from talent.models import Role, user_role


class IsAdministrator(BasePermission):
    """Whole endpoints for administrators only (accounts, the audit log): others get 403.

    A 403 here reveals nothing: it is the same for every object, existing or not.
    """

    message = "Chỉ quản trị viên được dùng chức năng này."

    def has_permission(self, request: Any, view: Any) -> bool:
        return user_role(request.user) == Role.ADMIN


class IsStaff(BasePermission):
    """Endpoints for staff who manage candidates (administrators, officers, liaisons): others get 403."""

    message = "Chức năng này dành cho cán bộ quản lý hồ sơ."

    def has_permission(self, request: Any, view: Any) -> bool:
        from talent.permissions import can_manage_candidates

        return can_manage_candidates(request.user)


class MayReadRankings(BasePermission):
    """Rankings list other people: staff and recruiters (who see only the rows of people visible to
    them). A student reads their own breakdown on their record, never anyone else's rank."""

    message = "Bảng xếp hạng không dành cho sinh viên; điểm của bạn có trong hồ sơ của bạn."

    def has_permission(self, request: Any, view: Any) -> bool:
        return user_role(request.user) in (Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.RECRUITER)
