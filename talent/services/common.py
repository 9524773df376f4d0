"""What every talent service shares: the fields a call may set, what the audit log never holds in clear, and the scope checks run before any write."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from talent.models import Candidate, EducationRecord, Organization, Role, user_role
from talent.permissions import PARTY_FIELDS, can_manage_candidates, can_see_party_membership

# Fields of a candidate that a register/update call may set directly.
CANDIDATE_FIELDS = (
    "full_name", "gender", "date_of_birth", "ethnicity", "province_code", "email", "phone", "exam_number",
    "exam_year", "organization", "youth_union_member", "party_member", "party_joined_on", "political_theory",
    "religion", "home_address", "aspirations",
)
# What a student may change in their own record; everything else is staff work.
SELF_SERVICE_FIELDS = ("email", "phone", "home_address", "aspirations")
_TERM = re.compile(r"[0-9]{4}-[0-9]{4}")
_ORG_CODE = re.compile(r"[A-Z0-9._-]{1,32}")
# A pool is shared with the employers that recruit from it.
SHAREABLE_KINDS = frozenset({Organization.Kind.AGENCY, Organization.Kind.ENTERPRISE})
# Schools a record of study may name.
EDUCATION_KINDS = frozenset({Organization.Kind.HIGH_SCHOOL, Organization.Kind.UNIVERSITY, Organization.Kind.FACULTY})
SCHOOL_LEVELS = frozenset({EducationRecord.Level.GRADE_10, EducationRecord.Level.GRADE_11,
                           EducationRecord.Level.GRADE_12})
# Never written to the audit log in clear.
SENSITIVE_FIELDS = {"citizen_id", "party_member", "party_joined_on", "ethnicity", "religion"}
# Personal values: the audit log records that they changed, not what they are, so anonymizing a
# record never needs the append-only log to be edited.
PERSONAL_FIELDS = SENSITIVE_FIELDS | {"full_name", "date_of_birth", "email", "phone", "exam_number", "home_address",
                                      "aspirations"}


def _audit_changes(changed: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if k in PERSONAL_FIELDS else v) for k, v in changed.items()}


def _ensure_may_manage(actor: Any, fields: dict[str, Any] | None = None) -> None:
    """Role check: only staff roles write candidate records, and only some see Party membership."""
    if actor is None:
        return
    if not can_manage_candidates(actor):
        raise PermissionDenied("Vai trò của bạn không được thay đổi hồ sơ ứng viên.")
    if fields and not can_see_party_membership(actor) and any(f in fields for f in PARTY_FIELDS):
        raise PermissionDenied("Vai trò của bạn không được ghi thông tin đảng viên.")


def _ensure_org_in_scope(actor: Any, organization: Organization) -> None:
    if actor is None:
        return
    if not Organization.objects.for_user(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied("Đơn vị này nằm ngoài phạm vi quản lý của bạn.")


def _ensure_candidate_in_scope(actor: Any, candidate: Candidate) -> None:
    if actor is not None:
        _ensure_may_manage(actor)
        if not Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists():
            raise PermissionDenied("Ứng viên này nằm ngoài phạm vi quản lý của bạn.")
    # An anonymized record stays only as statistics: writing to it could put the person back.
    if candidate.erased_at is not None:
        raise ValidationError({"candidate": "Hồ sơ đã được ẩn danh theo yêu cầu của người có dữ liệu; "
                                            "không thể thay đổi."})


def _ensure_may_contribute(actor: Any, candidate: Candidate) -> bool:
    """Staff in scope add records to a candidate; a student adds to their own record only.

    Returns whether the actor may mark what they add as verified (staff yes, the student never).
    """
    if actor is not None and user_role(actor) == Role.STUDENT:
        if candidate.user_id != actor.pk or candidate.erased_at is not None:
            raise PermissionDenied("Bạn chỉ được bổ sung hồ sơ của chính mình.")
        return False
    _ensure_candidate_in_scope(actor, candidate)
    return True
