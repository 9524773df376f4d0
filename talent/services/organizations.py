"""Writes of the organization tree: creating and renaming units, with their codes and provinces checked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit
from talent.geo import current_provinces
from talent.models import Organization
from talent.services.common import _ORG_CODE, _ensure_may_manage, _ensure_org_in_scope
from talent.validators import formula_refusal

# --- Organizations -----------------------------------------------------------------------------

def _organization_field_errors(*, name: str, kind: str, province_code: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "Tên đơn vị là bắt buộc."
    elif formula_refusal(name, "Tên đơn vị"):
        errors["name"] = formula_refusal(name, "Tên đơn vị")
    if kind not in Organization.Kind.values:
        errors["kind"] = "Loại đơn vị không hợp lệ."
    if province_code is not None and province_code not in current_provinces():
        errors["province_code"] = "Mã tỉnh/thành không thuộc 34 tỉnh/thành hiện hành."
    return errors


@transaction.atomic
def organization_create(
    *, code: str, name: str, kind: str, parent: Organization | None = None, province_code: int | None = None,
    actor: Any = None,
) -> Organization:
    errors = _organization_field_errors(name=name, kind=kind, province_code=province_code)
    code = (code or "").strip().upper()
    if not code:
        errors["code"] = "Mã đơn vị là bắt buộc."
    elif not _ORG_CODE.fullmatch(code):
        errors["code"] = "Mã đơn vị gồm 1–32 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới."
    elif Organization.objects.filter(code=code).exists():
        errors["code"] = f"Mã đơn vị «{code}» đã tồn tại."
    if errors:
        raise ValidationError(errors)
    _ensure_may_manage(actor)
    if parent is not None:
        _ensure_org_in_scope(actor, parent)
    elif actor is not None and not actor.is_superuser:
        raise PermissionDenied("Chỉ quản trị viên được tạo đơn vị gốc.")
    org = Organization.objects.create(code=code, name=name.strip(), kind=kind, parent=parent,
                                      province_code=province_code)
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit(actor=actor, action="organization.create", obj=org, changes={"code": code, "name": name, "kind": kind})
    return org


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: Any, name: str, kind: str, province_code: int | None = None,
) -> Organization:
    """Rename or re-classify a unit. Its code and place in the tree are fixed: scopes hang off them."""
    errors = _organization_field_errors(name=name, kind=kind, province_code=province_code)
    if errors:
        raise ValidationError(errors)
    _ensure_may_manage(actor)
    _ensure_org_in_scope(actor, organization)
    changes = {f: v for f, v in (("name", name.strip()), ("kind", kind), ("province_code", province_code))
               if getattr(organization, f) != v}
    for field, value in changes.items():
        setattr(organization, field, value)
    if changes:
        organization.save(update_fields=list(changes))
        audit(actor=actor, action="organization.update", obj=organization, changes=changes)
    return organization
