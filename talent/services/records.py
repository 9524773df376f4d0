"""A candidate's education, achievements and language certificates, and their verification."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from talent.models import Achievement, Candidate, EducationRecord, LanguageCertificate, Organization, VerificationStatus
from talent.rules import classify_conduct, classify_gpa
from talent.services.common import EDUCATION_KINDS, SCHOOL_LEVELS, _ensure_candidate_in_scope, _ensure_may_contribute

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
