"""Every write to the talent domain. Keyword-only, atomic, scope-checked, audited.

Callers (views, viewsets, commands, tasks) pass what the user asked for and the acting user;
``actor=None`` means the system itself (seeding, migrations) and skips the scope check.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import audit, jsonable
from core.crypto import pii_encrypt, pii_hash
from core.models import AuditEvent, Job
from core.tasking import job_start
from core.text import fold, normalize_name
from talent import pipeline
from talent.geo import current_provinces
from talent.jobs import EXPORT_LABEL
from talent.permissions import PARTY_FIELDS, can_manage_candidates, can_see_party_membership
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    MergeSuggestion,
    Organization,
    PoolMembership,
    Religion,
    Role,
    Stage,
    StageTransition,
    TalentPool,
    VerificationStatus,
    user_role,
)
from talent.reference import ETHNICITIES, is_ethnic_minority
from talent.registry import merge_hooks
from talent.rules import age_on, classify_conduct, classify_gpa
from talent.selectors import CandidateFilters
from talent.validators import normalize_phone, validate_citizen_id, validate_exam_number

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


# --- Organizations -----------------------------------------------------------------------------

def _organization_field_errors(*, name: str, kind: str, province_code: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "Tên đơn vị là bắt buộc."
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


# --- Candidates --------------------------------------------------------------------------------

def _clean_candidate(data: dict[str, Any], *, instance: Candidate | None) -> dict[str, Any]:
    """Validate and normalise candidate fields; raise one ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    merged = {f: getattr(instance, f) for f in CANDIDATE_FIELDS} if instance else {}
    merged.update(data)
    clean: dict[str, Any] = dict(data)

    if "full_name" in data:
        name = normalize_name(data["full_name"] or "")
        if len(name) < 2:
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
            if len(value) > limit:
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


# --- Education, achievements, languages ---------------------------------------------------------

def _to_decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError({"gpa": "Điểm trung bình phải là số."}) from exc


def education_record_derive(record: EducationRecord) -> EducationRecord:
    """Set the classifications a record's numbers imply (bulk loaders call this before bulk_create)."""
    record.classification = classify_gpa(
        record.gpa, record.gpa_scale, retaken_over_5_percent=record.retaken_over_5_percent,
        disciplined=record.disciplined, school=record.level in SCHOOL_LEVELS,
    )
    record.conduct_classification = classify_conduct(record.conduct_score)
    return record


@transaction.atomic
def education_record_add(
    *, candidate: Candidate, actor: Any, level: str, start_year: int, institution: Organization | None = None,
    institution_name: str = "", major: str = "", end_year: int | None = None, gpa: Any = None,
    gpa_scale: int = 4, conduct_score: int | None = None, retaken_over_5_percent: bool = False,
    disciplined: bool = False,
) -> EducationRecord:
    _ensure_candidate_in_scope(actor, candidate)
    errors: dict[str, str] = {}
    gpa_value = _to_decimal(gpa)
    if level not in EducationRecord.Level.values:
        errors["level"] = "Bậc học không hợp lệ."
    if gpa_scale not in (4, 10):
        errors["gpa_scale"] = "Thang điểm phải là 4 hoặc 10."
    elif gpa_value is not None and not (0 <= gpa_value <= gpa_scale):
        errors["gpa"] = f"Điểm trung bình phải trong khoảng 0–{gpa_scale}."
    if conduct_score is not None and not (0 <= int(conduct_score) <= 100):
        errors["conduct_score"] = "Điểm rèn luyện phải trong khoảng 0–100."
    last_year = timezone.localdate().year + 1
    if not 1990 <= int(start_year) <= last_year:
        errors["start_year"] = f"Năm bắt đầu phải trong khoảng 1990–{last_year}."
    elif end_year is not None and end_year < start_year:
        errors["end_year"] = "Năm kết thúc không được trước năm bắt đầu."
    elif end_year is not None and end_year > start_year + 12:
        errors["end_year"] = "Năm kết thúc không hợp lệ."
    if institution is not None and institution.kind not in EDUCATION_KINDS:
        errors["institution"] = "Cơ sở đào tạo phải là trường THPT, trường đại học hoặc khoa."
    if not institution and not institution_name.strip():
        errors["institution_name"] = "Cần chọn cơ sở đào tạo hoặc nhập tên."
    if errors:
        raise ValidationError(errors)
    record = EducationRecord(
        candidate=candidate, institution=institution,
        institution_name=institution_name.strip() or (institution.name if institution else ""),
        level=level, major=major.strip(), start_year=start_year, end_year=end_year, gpa=gpa_value,
        gpa_scale=gpa_scale, conduct_score=conduct_score, retaken_over_5_percent=retaken_over_5_percent,
        disciplined=disciplined,
    )
    education_record_derive(record)
    record.save()
    audit(actor=actor, action="education.add", obj=record, changes={"candidate": candidate.pk, "level": level})
    return record


@transaction.atomic
def achievement_add(
    *, candidate: Candidate, actor: Any, category: str, level: str, year: int, title: str,
    award_rank: str = "", evidence: str = "", verified: bool = False,
) -> Achievement:
    verified = _ensure_may_contribute(actor, candidate) and verified
    errors: dict[str, str] = {}
    if category not in Achievement.Category.values:
        errors["category"] = "Loại thành tích không hợp lệ."
    if level not in Achievement.Level.values:
        errors["level"] = "Cấp thành tích không hợp lệ."
    if award_rank not in Achievement.AwardRank.values:
        errors["award_rank"] = "Giải không hợp lệ."
    if not (title or "").strip():
        errors["title"] = "Tên thành tích là bắt buộc."
    if not (1990 <= int(year) <= timezone.localdate().year):
        errors["year"] = "Năm đạt thành tích không hợp lệ."
    if errors:
        raise ValidationError(errors)
    achievement = Achievement.objects.create(
        candidate=candidate, category=category, level=level, award_rank=award_rank, year=year,
        title=title.strip(), evidence=evidence.strip(),
        verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
        verified_by=actor if verified and getattr(actor, "pk", None) else None,
        verified_at=timezone.now() if verified else None,
    )
    audit(actor=actor, action="achievement.add", obj=achievement, changes={"candidate": candidate.pk})
    return achievement


@transaction.atomic
def achievement_verify(*, achievement: Achievement, actor: Any, approve: bool = True) -> Achievement:
    _ensure_candidate_in_scope(actor, achievement.candidate)
    achievement.verification_status = VerificationStatus.VERIFIED if approve else VerificationStatus.REJECTED
    achievement.verified_by = actor if getattr(actor, "pk", None) else None
    achievement.verified_at = timezone.now()
    achievement.save(update_fields=["verification_status", "verified_by", "verified_at"])
    audit(actor=actor, action="achievement.verify", obj=achievement,
          changes={"candidate": achievement.candidate_id, "approve": approve})
    return achievement


@transaction.atomic
def language_certificate_verify(*, certificate: LanguageCertificate, actor: Any, approve: bool = True
                                ) -> LanguageCertificate:
    _ensure_candidate_in_scope(actor, certificate.candidate)
    certificate.verification_status = VerificationStatus.VERIFIED if approve else VerificationStatus.REJECTED
    certificate.save(update_fields=["verification_status"])
    audit(actor=actor, action="language.verify", obj=certificate,
          changes={"candidate": certificate.candidate_id, "approve": approve})
    return certificate


@transaction.atomic
def language_certificate_add(
    *, candidate: Candidate, actor: Any, language: str, level: int, certificate: str = "",
    issued_on: dt.date | None = None, verified: bool = False,
) -> LanguageCertificate:
    verified = _ensure_may_contribute(actor, candidate) and verified
    errors: dict[str, str] = {}
    if language not in LanguageCertificate.Language.values:
        errors["language"] = "Ngoại ngữ không hợp lệ."
    if not isinstance(level, int) or not (1 <= level <= 6):
        errors["level"] = "Bậc ngoại ngữ phải từ 1 đến 6 (khung 6 bậc)."
    if issued_on is not None and not dt.date(1990, 1, 1) <= issued_on <= timezone.localdate():
        errors["issued_on"] = "Ngày cấp phải từ 01/01/1990 đến hôm nay."
    if errors:
        raise ValidationError(errors)
    cert = LanguageCertificate.objects.create(
        candidate=candidate, language=language, level=level, certificate=certificate.strip(), issued_on=issued_on,
        verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
    )
    audit(actor=actor, action="language.add", obj=cert, changes={"candidate": candidate.pk, "level": level})
    return cert


# --- Pools -------------------------------------------------------------------------------------

def _validate_pool(*, name: str, kind: str, term: str, shared_with: list[Organization] | None) -> None:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "Tên nguồn là bắt buộc."
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


# --- Bulk registration -------------------------------------------------------------------------

_BULK_BATCH_SIZE = 500
_REQUIRED_REGISTER_FIELDS = ("full_name", "gender", "date_of_birth", "organization")


@transaction.atomic
def candidates_bulk_register(*, rows: list[dict[str, Any]], actor: Any) -> list[Candidate]:
    """Register many people at once, with the checks and records of ``candidate_register``.

    Each row holds what ``candidate_register`` takes as keywords (the candidate fields, ``citizen_id``
    and optionally ``stage``, ``reason`` and ``user``) plus an optional ``registered_at``: when the
    person entered the pipeline, for history brought in from elsewhere. It dates the first stage
    transition and ``stage_changed_at``; the audit event keeps the real time of registration.

    Every row is stored or none is: the ValidationError names each bad field as ``"<row>.<field>"``,
    rows counted from 1. Rows are written with ``bulk_create``, a few queries per few hundred rows
    where the one-by-one path costs five queries per row.
    """
    _ensure_may_manage(actor)
    if actor is not None and not can_see_party_membership(actor) and any(
        f in row for row in rows for f in PARTY_FIELDS
    ):
        raise PermissionDenied("Vai trò của bạn không được ghi thông tin đảng viên.")
    created_by = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    errors: dict[str, str] = {}
    prepared: list[tuple[int, Candidate, dict[str, Any], str, dt.datetime]] = []
    first_row_by_id: dict[str, int] = {}
    first_row_by_exam: dict[tuple[str, int | None], int] = {}
    organizations: dict[int, Organization] = {}

    for number, row in enumerate(rows, start=1):
        data = dict(row)
        stage = data.pop("stage", Stage.DISCOVERED)
        reason = (data.pop("reason", "") or "").strip() or "Đăng ký"
        user = data.pop("user", None)
        registered_at = data.pop("registered_at", None) or now
        row_errors = {f: "Trường này là bắt buộc." for f in _REQUIRED_REGISTER_FIELDS if data.get(f) in (None, "")}
        if stage not in Stage.values:
            row_errors["stage"] = "Giai đoạn không hợp lệ."
        if not isinstance(registered_at, dt.datetime):
            row_errors["registered_at"] = "Thời điểm đăng ký phải là ngày giờ."
        if data.get("organization") is not None and not isinstance(data["organization"], Organization):
            row_errors["organization"] = "Đơn vị quản lý không hợp lệ."
        try:
            clean = _clean_candidate(data, instance=None)
        except ValidationError as exc:
            row_errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
        if row_errors:
            errors.update({f"{number}.{field}": message for field, message in row_errors.items()})
            continue
        candidate = Candidate(stage=stage, stage_changed_at=registered_at, user=user, created_by=created_by)
        changed = _apply_candidate_fields(candidate, clean)
        organizations[candidate.organization.pk] = candidate.organization
        if candidate.citizen_id_hash:
            first = first_row_by_id.setdefault(candidate.citizen_id_hash, number)
            if first != number:
                errors[f"{number}.citizen_id"] = f"Số CCCD trùng với dòng {first}."
        if candidate.exam_number:
            first = first_row_by_exam.setdefault((candidate.exam_number, candidate.exam_year), number)
            if first != number:
                errors[f"{number}.exam_number"] = f"Số báo danh và năm thi trùng với dòng {first}."
        prepared.append((number, candidate, changed, reason, registered_at))
    if errors:
        raise ValidationError(errors)

    for organization in organizations.values():
        _ensure_org_in_scope(actor, organization)

    # Identifiers already stored, looked up a chunk at a time instead of one query per row.
    hashes = list(first_row_by_id)
    taken_ids: set[str] = set()
    for start in range(0, len(hashes), _BULK_BATCH_SIZE):
        chunk = hashes[start:start + _BULK_BATCH_SIZE]
        taken_ids.update(Candidate.objects.filter(citizen_id_hash__in=chunk).values_list("citizen_id_hash", flat=True))
    exam_numbers = sorted({number for number, _ in first_row_by_exam})
    taken_exams: set[tuple[str, int | None]] = set()
    for start in range(0, len(exam_numbers), _BULK_BATCH_SIZE):
        chunk = exam_numbers[start:start + _BULK_BATCH_SIZE]
        taken_exams.update(Candidate.objects.filter(exam_number__in=chunk).values_list("exam_number", "exam_year"))
    for number, candidate, _, _, _ in prepared:
        if candidate.citizen_id_hash in taken_ids:
            errors[f"{number}.citizen_id"] = "Số CCCD này đã có trong hệ thống."
        if candidate.exam_number and (candidate.exam_number, candidate.exam_year) in taken_exams:
            errors[f"{number}.exam_number"] = "Số báo danh và năm thi này đã có trong hệ thống."
    if errors:
        raise ValidationError(errors)

    candidates = [candidate for _, candidate, _, _, _ in prepared]
    try:
        with transaction.atomic():
            if connection.features.can_return_rows_from_bulk_insert:
                Candidate.objects.bulk_create(candidates, batch_size=_BULK_BATCH_SIZE)
            else:
                # Without RETURNING a multi-row insert cannot hand back the ids the transitions need.
                for candidate in candidates:
                    candidate.save()
    except IntegrityError as exc:
        _raise_duplicate(exc)

    StageTransition.objects.bulk_create(
        [
            StageTransition(candidate=candidate, from_stage="", to_stage=candidate.stage, reason=reason,
                            actor=created_by, created_at=registered_at)
            for _, candidate, _, reason, registered_at in prepared
        ],
        batch_size=_BULK_BATCH_SIZE,
    )
    object_type = Candidate._meta.label_lower
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(actor=created_by, action="candidate.register", object_type=object_type,
                       object_id=str(candidate.pk), at=now,
                       changes={k: jsonable(v) for k, v in _audit_changes(changed).items()})
            for _, candidate, changed, _, _ in prepared
        ],
        batch_size=_BULK_BATCH_SIZE,
    )
    return candidates


# --- Duplicates --------------------------------------------------------------------------------

# Filled on the kept record from the dropped one when the kept record has no value.
_MERGE_FILL_FIELDS = ("email", "phone", "ethnicity", "province_code", "home_address", "aspirations", "religion",
                      "political_theory", "party_joined_on")


@transaction.atomic
def candidate_merge(*, keep: Candidate, drop: Candidate, actor: Any) -> Candidate:
    """Make two records of one person into ``keep``; ``drop`` is deleted.

    Every record that belongs to ``drop`` moves to ``keep``: studies, achievements, languages, the
    whole stage history (both histories stay, in time order), pool memberships, consents, erasure
    requests and the account. Fields ``keep`` lacks are filled from ``drop``. The audit log keeps
    ``drop``'s events under its old id and records the merge, so the history of both stays readable.
    Two records with different citizen IDs or exam numbers are two people and are refused.
    """
    if keep.pk == drop.pk:
        raise ValidationError({"candidate": "Không thể gộp một hồ sơ với chính nó."})
    _ensure_candidate_in_scope(actor, keep)
    _ensure_candidate_in_scope(actor, drop)
    locked = {c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk])}
    keep, drop = locked[keep.pk], locked[drop.pk]
    if keep.citizen_id_hash and drop.citizen_id_hash and keep.citizen_id_hash != drop.citizen_id_hash:
        raise ValidationError({"citizen_id": "Hai hồ sơ có số CCCD khác nhau: đây là hai người khác nhau."})
    if keep.exam_number and drop.exam_number and (keep.exam_number, keep.exam_year) != (
            drop.exam_number, drop.exam_year):
        raise ValidationError({"exam_number": "Hai hồ sơ có số báo danh khác nhau: đây là hai người khác nhau."})
    if keep.user_id and drop.user_id:
        raise ValidationError({"user": "Cả hai hồ sơ đều gắn tài khoản đăng nhập; hãy khoá một tài khoản trước."})
    for hook in merge_hooks():
        if hook.check is not None:
            hook.check(keep, drop)

    filled = [f for f in _MERGE_FILL_FIELDS if getattr(keep, f) in ("", None) and getattr(drop, f) not in ("", None)]
    for f in filled:
        setattr(keep, f, getattr(drop, f))
    if not keep.citizen_id_hash and drop.citizen_id_hash:
        keep.citizen_id_hash, keep.citizen_id_encrypted = drop.citizen_id_hash, drop.citizen_id_encrypted
        filled.append("citizen_id")
    if not keep.exam_number and drop.exam_number:
        keep.exam_number, keep.exam_year = drop.exam_number, drop.exam_year
        filled.append("exam_number")
    keep.youth_union_member = keep.youth_union_member or drop.youth_union_member
    keep.party_member = keep.party_member or drop.party_member
    keep.is_ethnic_minority = is_ethnic_minority(keep.ethnicity)
    user = drop.user if not keep.user_id else None
    # The unique identifiers and the account leave the dropped row before the kept one takes them.
    Candidate.objects.filter(pk=drop.pk).update(citizen_id_hash="", exam_number="", user=None)
    if user is not None:
        keep.user = user
    keep.save()

    for model in (EducationRecord, Achievement, LanguageCertificate, StageTransition):
        model.objects.filter(candidate=drop).update(candidate=keep)
    kept_pools = set(PoolMembership.objects.filter(candidate=keep).values_list("pool_id", flat=True))
    PoolMembership.objects.filter(candidate=drop, pool_id__in=kept_pools).delete()
    PoolMembership.objects.filter(candidate=drop).update(candidate=keep)
    # Records of the apps above talent (consents, erasure requests ...) move through their own hooks.
    for hook in merge_hooks():
        hook.move(keep, drop, actor)
    now = timezone.now()

    decided_by = actor if getattr(actor, "pk", None) else None
    # Every open suggestion about the dropped record (the one acted on among them) is settled by the merge.
    MergeSuggestion.objects.filter(Q(candidate=drop) | Q(other=drop), status=MergeSuggestion.Status.PENDING).update(
        status=MergeSuggestion.Status.MERGED, decided_by=decided_by, decided_at=now)
    dropped_id = drop.pk
    drop.delete()
    audit(actor=actor, action="candidate.merge", obj=keep, changes={"merged_from": dropped_id, "filled": filled})
    return keep


@transaction.atomic
def merge_suggestion_dismiss(*, suggestion: MergeSuggestion, actor: Any) -> MergeSuggestion:
    """A person decided the two records are different people; the suggestion is closed."""
    for candidate in (suggestion.candidate, suggestion.other):
        if candidate is not None:
            _ensure_candidate_in_scope(actor, candidate)
    if suggestion.status != MergeSuggestion.Status.PENDING:
        raise ValidationError({"status": "Đề xuất này đã được xử lý."})
    suggestion.status = MergeSuggestion.Status.DISMISSED
    suggestion.decided_by = actor if getattr(actor, "pk", None) else None
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    audit(actor=actor, action="merge_suggestion.dismiss", obj=suggestion,
          changes={"candidate": suggestion.candidate_id, "other": suggestion.other_id})
    return suggestion


# --- Exports -----------------------------------------------------------------------------------

@transaction.atomic
def candidates_export_start(*, actor: Any, filters: CandidateFilters) -> Job:
    """Queue a CSV export of what ``actor`` sees with ``filters``; the export is audited (DESIGN §5).

    Filter values must be what the list form produces (strings and integers); anything else is a
    programming error and is refused rather than silently dropped.
    """
    clean: dict[str, Any] = {}
    for key, value in filters.items():
        if value in (None, ""):
            continue
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise TypeError(f"Filter {key!r} must be str or int, got {type(value).__name__}")
        clean[key] = value
    job = job_start(kind="candidates.export", params={"filters": clean}, label=EXPORT_LABEL, actor=actor)
    audit(actor=actor, action="candidate.export", obj=job, changes={"filters": clean})
    return job
