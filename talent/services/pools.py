"""Talent pools: creating and sharing them, adding and removing members."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit
from talent.models import Candidate, Organization, PoolMembership, TalentPool
from talent.services.common import (
    _TERM,
    SHAREABLE_KINDS,
    _ensure_candidate_in_scope,
    _ensure_may_manage,
    _ensure_org_in_scope,
)
from talent.validators import formula_refusal

# --- Pools -------------------------------------------------------------------------------------

def _validate_pool(*, name: str, kind: str, term: str, shared_with: list[Organization] | None) -> None:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "Tên nguồn là bắt buộc."
    elif formula_refusal(name, "Tên nguồn"):
        errors["name"] = formula_refusal(name, "Tên nguồn")
    if kind not in TalentPool.Kind.values:
        errors["kind"] = "Loại nguồn không hợp lệ."
    if term and (not _TERM.fullmatch(term) or int(term[:4]) >= int(term[5:])):
        errors["term"] = "Nhiệm kỳ phải có dạng 2025-2030."
    bad_share = [o.name for o in shared_with or [] if o.kind not in SHAREABLE_KINDS]
    if bad_share:
        errors["shared_with"] = "Chỉ chia sẻ nguồn với cơ quan hoặc doanh nghiệp: " + ", ".join(bad_share) + "."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pool_create(
    *, actor: Any, name: str, kind: str, owner: Organization, term: str = "", description: str = "",
    shared_with: list[Organization] | None = None,
) -> TalentPool:
    _validate_pool(name=name, kind=kind, term=term, shared_with=shared_with)
    _ensure_may_manage(actor)
    _ensure_org_in_scope(actor, owner)
    pool = TalentPool.objects.create(name=name.strip(), kind=kind, owner=owner, term=term, description=description,
                                     created_by=actor if getattr(actor, "pk", None) else None)
    if shared_with:
        pool.shared_with.set(shared_with)
    audit(actor=actor, action="pool.create", obj=pool, changes={"name": pool.name, "kind": kind})
    return pool


@transaction.atomic
def pool_update(
    *, pool: TalentPool, actor: Any, name: str, kind: str, term: str = "", description: str = "",
    shared_with: list[Organization] | None = None,
) -> TalentPool:
    """Change a pool's description and who it is shared with; the owner stays."""
    if actor is not None and not TalentPool.objects.for_user(actor).filter(pk=pool.pk).exists():
        raise PermissionDenied("Nguồn này nằm ngoài phạm vi quản lý của bạn.")
    _ensure_may_manage(actor)
    _validate_pool(name=name, kind=kind, term=term, shared_with=shared_with)
    pool.name, pool.kind, pool.term, pool.description = name.strip(), kind, term, description
    pool.save(update_fields=["name", "kind", "term", "description"])
    if shared_with is not None:
        pool.shared_with.set(shared_with)
    audit(actor=actor, action="pool.update", obj=pool,
          changes={"name": pool.name, "kind": kind, "term": term,
                   "shared_with": sorted(o.pk for o in shared_with or [])})
    return pool


@transaction.atomic
def pool_add(*, pool: TalentPool, candidate: Candidate, actor: Any, note: str = "") -> PoolMembership:
    if actor is not None and not TalentPool.objects.for_user(actor).filter(pk=pool.pk).exists():
        raise PermissionDenied("Nguồn này nằm ngoài phạm vi quản lý của bạn.")
    _ensure_candidate_in_scope(actor, candidate)
    if PoolMembership.objects.filter(pool=pool, candidate=candidate).exists():
        raise ValidationError({"candidate": "Ứng viên đã có trong nguồn này."})
    membership = PoolMembership.objects.create(pool=pool, candidate=candidate, note=note,
                                               added_by=actor if getattr(actor, "pk", None) else None)
    audit(actor=actor, action="pool.add", obj=pool, changes={"candidate": candidate.pk})
    return membership


@transaction.atomic
def pool_remove(*, pool: TalentPool, candidate: Candidate, actor: Any, reason: str = "") -> None:
    if actor is not None and not TalentPool.objects.for_user(actor).filter(pk=pool.pk).exists():
        raise PermissionDenied("Nguồn này nằm ngoài phạm vi quản lý của bạn.")
    _ensure_candidate_in_scope(actor, candidate)
    deleted, _ = PoolMembership.objects.filter(pool=pool, candidate=candidate).delete()
    if not deleted:
        raise ValidationError({"candidate": "Ứng viên không có trong nguồn này."})
    audit(actor=actor, action="pool.remove", obj=pool, changes={"candidate": candidate.pk, "reason": reason})
