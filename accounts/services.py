"""Account management: administrators create, deactivate and reactivate accounts."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit
from talent.models import Candidate, Organization, Role, UserProfile, user_role

_USERNAME = re.compile(r"[a-z0-9._-]{3,64}")
# The kinds of home organization each role may have; None means "no organization".
ROLE_ORGANIZATION_KINDS: dict[str, frozenset[str] | None] = {
    Role.ADMIN: None,
    Role.OFFICER: frozenset({Organization.Kind.YOUTH_UNION}),
    Role.LIAISON: frozenset({Organization.Kind.UNIVERSITY, Organization.Kind.FACULTY}),
    Role.RECRUITER: frozenset({Organization.Kind.AGENCY, Organization.Kind.ENTERPRISE}),
    Role.STUDENT: None,
    # An organization board or the Department of Home Affairs plans for the units under its home.
    Role.PERSONNEL: frozenset({Organization.Kind.YOUTH_UNION, Organization.Kind.AGENCY}),
}


def _ensure_admin(actor: Any) -> None:
    if actor is not None and user_role(actor) != Role.ADMIN:
        raise PermissionDenied("Chỉ quản trị viên được quản lý tài khoản.")


@transaction.atomic
def user_create(
    *, actor: Any, username: str, password: str, role: str, organization: Organization | None = None,
    candidate: Candidate | None = None, email: str = "", full_name: str = "",
) -> Any:
    """Create an account with its role and home organization (a student's is their candidate's)."""
    _ensure_admin(actor)
    User = get_user_model()
    username = (username or "").strip().lower()
    errors: dict[str, list[str] | str] = {}
    if not _USERNAME.fullmatch(username):
        errors["username"] = "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới."
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = f"Tên đăng nhập «{username}» đã được dùng."
    if role not in Role.values:
        errors["role"] = "Vai trò không hợp lệ."
    else:
        kinds = ROLE_ORGANIZATION_KINDS[role]
        if role == Role.STUDENT:
            if candidate is None:
                errors["candidate"] = "Tài khoản sinh viên phải gắn với một hồ sơ ứng viên."
            elif candidate.user_id is not None:
                errors["candidate"] = "Hồ sơ này đã có tài khoản."
            elif candidate.erased_at is not None:
                errors["candidate"] = "Hồ sơ này đã được ẩn danh."
            elif organization is not None and organization.pk != candidate.organization_id:
                errors["organization"] = "Đơn vị của tài khoản sinh viên là đơn vị quản lý hồ sơ của họ."
        elif candidate is not None:
            errors["candidate"] = "Chỉ tài khoản sinh viên mới gắn với hồ sơ ứng viên."
        if kinds is not None:
            if organization is None:
                errors["organization"] = "Vai trò này cần một đơn vị."
            elif organization.kind not in kinds:
                allowed = ", ".join(str(Organization.Kind(k).label) for k in sorted(kinds))
                errors["organization"] = f"Đơn vị của vai trò này phải là: {allowed}."
    try:
        validate_password(password or "", user=User(username=username, email=email, first_name=full_name or ""))
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    first, _, last = (full_name or "").strip().rpartition(" ")
    user = User.objects.create_user(
        username=username, password=password, email=(email or "").strip().lower(),
        first_name=first, last_name=last,
        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
    )
    home = candidate.organization if role == Role.STUDENT and candidate is not None else organization
    UserProfile.objects.create(user=user, role=role, organization=home)
    if candidate is not None:
        candidate.user = user
        candidate.save(update_fields=["user", "updated_at"])
    audit(actor=actor, action="user.create", obj=user,
          changes={"role": role, "organization": home.pk if home else None,
                   "candidate": candidate.pk if candidate else None})
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: Any, active: bool) -> Any:
    """Deactivate (sign-in refused, API tokens revoked) or reactivate an account."""
    from rest_framework.authtoken.models import Token

    _ensure_admin(actor)
    if not active and actor is not None and actor.pk == user.pk:
        raise ValidationError({"user": "Bạn không thể tự khoá tài khoản của mình."})
    if user.username.startswith("erased-") and active:
        raise ValidationError({"user": "Tài khoản của hồ sơ đã ẩn danh không thể mở lại."})
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit(actor=actor, action="user.activate" if active else "user.deactivate", obj=user, changes={})
    if not active:
        Token.objects.filter(user=user).delete()
    return user
