"""Registering and editing candidates (staff and the person themselves) and moving them along the pipeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit
from core.crypto import pii_encrypt, pii_hash
from core.text import fold, normalize_name
from talent import pipeline
from talent.geo import current_provinces
from talent.models import Candidate, Organization, Religion, Stage, StageTransition
from talent.reference import ETHNICITIES, is_ethnic_minority
from talent.rules import age_on
from talent.services.common import (
    CANDIDATE_FIELDS,
    SELF_SERVICE_FIELDS,
    _audit_changes,
    _ensure_candidate_in_scope,
    _ensure_may_manage,
    _ensure_org_in_scope,
)
from talent.validators import formula_refusal, normalize_phone, validate_citizen_id, validate_exam_number

# --- Candidates --------------------------------------------------------------------------------

def _clean_candidate(data: dict[str, Any], *, instance: Candidate | None) -> dict[str, Any]:
    """Validate and normalise candidate fields; raise one ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    merged = {f: getattr(instance, f) for f in CANDIDATE_FIELDS} if instance else {}
    merged.update(data)
    clean: dict[str, Any] = dict(data)

    if "full_name" in data:
        name = normalize_name(data["full_name"] or "")
        refusal = formula_refusal(data["full_name"], "Họ và tên") or formula_refusal(name, "Họ và tên")
        if refusal:
            errors["full_name"] = refusal
        elif len(name) < 2:
            errors["full_name"] = "Họ và tên là bắt buộc."
        elif any(ch.isdigit() for ch in name):
            errors["full_name"] = "Họ và tên không được chứa chữ số."
        clean["full_name"] = name
    if "gender" in data and data["gender"] not in Candidate.Gender.values:
        errors["gender"] = "Giới tính phải là Nam hoặc Nữ."
    dob = merged.get("date_of_birth")
    if "date_of_birth" in data:
        if not isinstance(dob, dt.date):
            errors["date_of_birth"] = "Ngày sinh là bắt buộc (dd/mm/yyyy)."
        else:
            today = timezone.localdate()
            age = age_on(dob, today)
            if dob > today:
                errors["date_of_birth"] = "Ngày sinh không được ở tương lai."
            elif age < 10 or age > 60:
                errors["date_of_birth"] = "Tuổi phải trong khoảng 10–60."
    if data.get("ethnicity") and data["ethnicity"] not in ETHNICITIES:
        errors["ethnicity"] = "Dân tộc không thuộc danh mục 54 dân tộc."
    if data.get("province_code") not in (None, "") and int(data["province_code"]) not in current_provinces():
        errors["province_code"] = "Tỉnh/thành không hợp lệ."
    if data.get("email") and len(data["email"]) > 254:
        errors["email"] = "Địa chỉ email quá dài (tối đa 254 ký tự)."
    elif data.get("email"):
        try:
            validate_email(data["email"])
            clean["email"] = data["email"].strip().lower()
        except ValidationError:
            errors["email"] = "Địa chỉ email không hợp lệ."
    if "phone" in data:
        try:
            clean["phone"] = normalize_phone(data["phone"] or "")
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    if data.get("exam_number"):
        try:
            clean["exam_number"] = validate_exam_number(data["exam_number"])
        except ValidationError as exc:
            errors["exam_number"] = exc.messages[0]
        if not merged.get("exam_year"):
            errors["exam_year"] = "Cần năm thi khi có số báo danh."
    if data.get("exam_year") not in (None, ""):
        try:
            clean["exam_year"] = year = int(data["exam_year"])
        except (TypeError, ValueError):
            errors["exam_year"] = "Năm thi phải là số."
        else:
            last = timezone.localdate().year + 1
            if not 2000 <= year <= last:
                errors["exam_year"] = f"Năm thi phải trong khoảng 2000–{last}."
    joined = merged.get("party_joined_on")
    if joined and not merged.get("party_member"):
        errors["party_joined_on"] = "Chỉ ghi ngày vào Đảng cho đảng viên."
    elif joined and "party_joined_on" in data and (
        joined > timezone.localdate() or (isinstance(dob, dt.date) and age_on(dob, joined) < 18)
    ):
        errors["party_joined_on"] = "Ngày vào Đảng phải sau tuổi 18 và không ở tương lai."
    if "political_theory" in data and (data["political_theory"] or "") not in Candidate.PoliticalTheory.values:
        errors["political_theory"] = "Trình độ lý luận chính trị không hợp lệ."
    if "religion" in data and (data["religion"] or "") not in Religion.values:
        errors["religion"] = "Tôn giáo không hợp lệ."
    for field, limit, label in (("home_address", 255, "Địa chỉ"), ("aspirations", 2000, "Nguyện vọng")):
        if field in data:
            clean[field] = value = (data[field] or "").strip()
            refusal = formula_refusal(data[field], label) if field == "home_address" else ""
            if refusal:
                errors[field] = refusal
            elif len(value) > limit:
                errors[field] = f"{label} quá dài (tối đa {limit} ký tự)."
    if "citizen_id" in data and data["citizen_id"]:
        try:
            clean["citizen_id"] = validate_citizen_id(
                data["citizen_id"], gender=merged.get("gender"),
                date_of_birth=dob if isinstance(dob, dt.date) else None,
            )
        except ValidationError as exc:
            errors["citizen_id"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return clean


def _apply_candidate_fields(candidate: Candidate, clean: dict[str, Any]) -> dict[str, Any]:
    """Set fields on the instance; return {field: new value} for the ones that changed."""
    changed: dict[str, Any] = {}
    for field, value in clean.items():
        if field == "citizen_id":
            if not value:
                continue  # a blank never erases the stored ID (the forms treat it the same way)
            digest = pii_hash(value)
            if digest != candidate.citizen_id_hash:
                candidate.citizen_id_hash = digest
                candidate.citizen_id_encrypted = pii_encrypt(value)
                changed["citizen_id"] = "***"
            continue
        if field not in CANDIDATE_FIELDS:
            raise TypeError(f"Unknown candidate field {field!r}")
        if value is None and field in ("email", "phone", "exam_number", "ethnicity", "political_theory", "religion",
                                       "home_address", "aspirations"):
            value = ""
        if field == "organization":
            if candidate.organization_id != value.pk:
                candidate.organization = value
                changed[field] = value.pk
            continue
        if getattr(candidate, field) != value:
            setattr(candidate, field, value)
            changed[field] = value
    candidate.name_key = fold(candidate.full_name)
    candidate.is_ethnic_minority = is_ethnic_minority(candidate.ethnicity)
    return changed


# The unique constraints on Candidate, as PostgreSQL names them and as SQLite words its error.
_DUPLICATE_MARKERS = {
    "citizen_id": (("uniq_candidate_citizen_id", "talent_candidate.citizen_id_hash"),
                   "Số CCCD này đã có trong hệ thống."),
    "exam_number": (("uniq_candidate_exam_number", "talent_candidate.exam_number"),
                    "Số báo danh và năm thi này đã có trong hệ thống."),
}


def _raise_duplicate(exc: IntegrityError) -> None:
    """Turn a uniqueness race (another writer stored the same identifier after our pre-check) into
    the same field error the pre-check gives; re-raise anything else."""
    diag = getattr(getattr(exc, "__cause__", None), "diag", None)
    text = getattr(diag, "constraint_name", None) or str(exc)
    for field, (markers, message) in _DUPLICATE_MARKERS.items():
        if any(marker in text for marker in markers):
            raise ValidationError({field: message}) from exc
    raise exc


def _save_candidate(candidate: Candidate) -> None:
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        _raise_duplicate(exc)


def _check_duplicates(candidate: Candidate) -> None:
    others = Candidate.objects.exclude(pk=candidate.pk)
    errors = {}
    if candidate.citizen_id_hash and others.filter(citizen_id_hash=candidate.citizen_id_hash).exists():
        errors["citizen_id"] = "Số CCCD này đã có trong hệ thống."
    if candidate.exam_number and others.filter(exam_number=candidate.exam_number,
                                               exam_year=candidate.exam_year).exists():
        errors["exam_number"] = "Số báo danh và năm thi này đã có trong hệ thống."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def candidate_register(
    *, actor: Any, full_name: str, gender: str, date_of_birth: dt.date, organization: Organization,
    stage: str = Stage.DISCOVERED, reason: str = "", user: Any = None, **fields: Any,
) -> Candidate:
    """Register a person in the pipeline at ``stage`` (normally "discovered")."""
    data = {"full_name": full_name, "gender": gender, "date_of_birth": date_of_birth,
            "organization": organization, **fields}
    _ensure_may_manage(actor, fields)
    clean = _clean_candidate(data, instance=None)
    if stage not in Stage.values:
        raise ValidationError({"stage": "Giai đoạn không hợp lệ."})
    _ensure_org_in_scope(actor, organization)
    candidate = Candidate(stage=stage, user=user, created_by=actor if getattr(actor, "pk", None) else None)
    changed = _apply_candidate_fields(candidate, clean)
    _check_duplicates(candidate)
    _save_candidate(candidate)
    StageTransition.objects.create(candidate=candidate, from_stage="", to_stage=stage,
                                   reason=reason or "Đăng ký", actor=candidate.created_by)
    audit(actor=actor, action="candidate.register", obj=candidate, changes=_audit_changes(changed))
    return candidate


@transaction.atomic
def candidate_update(*, candidate: Candidate, actor: Any, **fields: Any) -> Candidate:
    """Change the given fields only; a field left out keeps its value."""
    _ensure_candidate_in_scope(actor, candidate)
    _ensure_may_manage(actor, fields)
    clean = _clean_candidate(fields, instance=candidate)
    if "organization" in clean:
        _ensure_org_in_scope(actor, clean["organization"])
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    changed = _apply_candidate_fields(candidate, clean)
    if not changed:
        return candidate
    _check_duplicates(candidate)
    _save_candidate(candidate)
    audit(actor=actor, action="candidate.update", obj=candidate, changes=_audit_changes(changed))
    return candidate


def own_candidate(user: Any) -> Candidate:
    """The signed-in student's own record; PermissionDenied for anyone without one."""
    candidate = Candidate.objects.active().filter(user=user).first() if getattr(user, "pk", None) else None
    if candidate is None:
        raise PermissionDenied("Tài khoản của bạn không gắn với hồ sơ ứng viên nào.")
    return candidate


@transaction.atomic
def candidate_self_update(*, user: Any, **fields: Any) -> Candidate:
    """A student changes their own contact details and aspirations; nothing else."""
    unknown = set(fields) - set(SELF_SERVICE_FIELDS)
    if unknown:
        raise PermissionDenied("Bạn chỉ được sửa thông tin liên hệ và nguyện vọng của mình.")
    candidate = Candidate.objects.select_for_update().get(pk=own_candidate(user).pk)
    clean = _clean_candidate(fields, instance=candidate)
    changed = _apply_candidate_fields(candidate, clean)
    if changed:
        candidate.save()
        audit(actor=user, action="candidate.self_update", obj=candidate, changes=_audit_changes(changed))
    return candidate


@transaction.atomic
def candidate_advance(*, candidate: Candidate, to_stage: str, reason: str = "", actor: Any) -> StageTransition:
    """Move a candidate along the pipeline graph; raise ValidationError and change nothing otherwise."""
    _ensure_candidate_in_scope(actor, candidate)
    return _advance(candidate=candidate, to_stage=to_stage, reason=reason, actor=actor)


@transaction.atomic
def candidate_advance_by_outcome(*, candidate: Candidate, to_stage: str, reason: str, actor: Any) -> list[StageTransition]:
    """Record where a recruitment outcome takes someone (shortlisted, placement, recruited), by the
    recruiter who decided it: they need only see the person, not manage their record. The move follows
    the pipeline graph forward by its shortest path (each step in the history, with ``reason``); a
    person already at or past ``to_stage`` is left where they are."""
    if not Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists():
        raise PermissionDenied("Không có hồ sơ này trong phạm vi của bạn.")
    current = Candidate.objects.select_for_update().get(pk=candidate.pk).stage
    order = pipeline.STAGE_ORDER
    if current == Stage.EXITED or order.index(current) >= order.index(to_stage):
        return []
    path = pipeline.forward_path(current, to_stage)
    if not path:
        return []
    return [_advance(candidate=candidate, to_stage=step, reason=reason, actor=actor) for step in path]


def _advance(*, candidate: Candidate, to_stage: str, reason: str, actor: Any) -> StageTransition:
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    from_stage = locked.stage
    labels = dict(Stage.choices)
    if to_stage not in Stage.values:
        raise ValidationError({"stage": f"Giai đoạn «{to_stage}» không tồn tại."})
    if not pipeline.is_allowed(from_stage, to_stage):
        allowed = ", ".join(str(labels[s]) for s in pipeline.allowed_next(from_stage))
        raise ValidationError({"stage": (
            f"Không thể chuyển từ «{labels[from_stage]}» sang «{labels[to_stage]}». "
            f"Các bước được phép: {allowed}."
        )})
    reason = (reason or "").strip()
    if pipeline.needs_reason(from_stage, to_stage) and not reason:
        raise ValidationError({"reason": "Cần ghi lý do khi rời chương trình hoặc chuyển ngược giai đoạn."})
    now = timezone.now()
    locked.stage = to_stage
    locked.stage_changed_at = now
    locked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    transition = StageTransition.objects.create(
        candidate=locked, from_stage=from_stage, to_stage=to_stage, reason=reason,
        actor=actor if getattr(actor, "pk", None) else None, created_at=now,
    )
    # The reason is free text about the person: it stays on the transition (which erasure clears),
    # never in the append-only log, which only says that one was given.
    audit(actor=actor, action="candidate.advance", obj=locked,
          changes={"from": from_stage, "to": to_stage, "reason": "***" if reason else ""})
    candidate.stage = to_stage
    candidate.stage_changed_at = now
    return transition
