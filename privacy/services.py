"""Every write about consent, the data subject's export and erasure (DESIGN §5).

Keyword-only, atomic, scope-checked, audited, like ``talent.services``. The data subject acts
through ``user`` (their own account); staff act through ``actor``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit
from core.text import fold
from privacy.models import Consent, ErasureRequest
from privacy.rules import needs_guardian
from talent.models import Candidate, Role, user_role
from talent.permissions import can_manage_candidates
from talent.services import own_candidate

# Signed forms: scans or PDFs of reasonable size.
EVIDENCE_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Who decides an erasure request: the Youth Union officers responsible for the person.
ERASURE_DECIDING_ROLES = frozenset({Role.ADMIN, Role.OFFICER})


def _check_purpose(purpose: str) -> None:
    if purpose not in Consent.Purpose.values:
        raise ValidationError({"purpose": "Mục đích không hợp lệ: process_profile, share_with_recruiters "
                                          "hoặc contact_about_events."})


def _withdraw(records: Any, *, by: Any) -> int:
    now = timezone.now()
    count = 0
    for consent in records.select_for_update():
        consent.withdrawn_at = now
        consent.withdrawn_by = by if getattr(by, "pk", None) else None
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit(actor=by, action="consent.withdraw", obj=consent,
              changes={"candidate": consent.candidate_id, "purpose": consent.purpose, "given_by": consent.given_by})
        count += 1
    return count


# --- The person themselves ---------------------------------------------------------------------

@transaction.atomic
def consent_set_own(*, user: Any, purpose: str, granted: bool) -> Candidate:
    """A student grants or withdraws their own consent for one purpose.

    A withdrawal takes effect at once: recruiter scopes are evaluated per query from these rows.
    A child under 16 can always withdraw, but their grant must be recorded by staff together with
    a guardian's signed form (``consent_record``).
    """
    _check_purpose(purpose)
    candidate = own_candidate(user)
    mine = Consent.objects.filter(candidate=candidate, purpose=purpose, given_by=Consent.GivenBy.SELF).active()
    if not granted:
        _withdraw(mine, by=user)
        return candidate
    if needs_guardian(candidate.date_of_birth):
        raise ValidationError({"granted": (
            "Bạn chưa đủ 16 tuổi: sự đồng ý cần cả cha mẹ hoặc người giám hộ. Hãy nộp văn bản có chữ ký "
            "cho cán bộ Đoàn hoặc cán bộ liên lạc của trường để được ghi nhận."
        )})
    if not mine.exists():
        try:
            with transaction.atomic():  # a double click races to the unique constraint: one grant wins
                consent = Consent.objects.create(
                    candidate=candidate, purpose=purpose, given_by=Consent.GivenBy.SELF, recorded_by=user,
                    evidence_note="Tự xác nhận khi đăng nhập vào tài khoản của mình.",
                )
        except IntegrityError:
            return candidate
        audit(actor=user, action="consent.grant", obj=consent,
              changes={"candidate": candidate.pk, "purpose": purpose, "given_by": consent.given_by})
    return candidate


# --- Staff -------------------------------------------------------------------------------------

def _ensure_staff_in_scope(actor: Any, candidate: Candidate) -> None:
    if actor is None:
        return
    if not can_manage_candidates(actor):
        raise PermissionDenied("Vai trò của bạn không được ghi nhận sự đồng ý.")
    if not Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists():
        raise PermissionDenied("Ứng viên này nằm ngoài phạm vi quản lý của bạn.")


def _check_evidence(evidence: UploadedFile | None) -> None:
    if evidence is None:
        raise ValidationError({"evidence": "Cần tải lên văn bản đồng ý có chữ ký (PDF, JPG hoặc PNG)."})
    name = (evidence.name or "").lower()
    extension = name[name.rfind("."):] if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise ValidationError({"evidence": "Minh chứng phải là tệp PDF, JPG hoặc PNG."})
    if evidence.size is None or evidence.size == 0:
        raise ValidationError({"evidence": "Tệp minh chứng rỗng."})
    if evidence.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": "Tệp minh chứng quá lớn (tối đa 5 MB)."})
    head = evidence.read(8)
    evidence.seek(0)
    signatures = {".pdf": (b"%PDF",), ".png": (b"\x89PNG",), ".jpg": (b"\xff\xd8",), ".jpeg": (b"\xff\xd8",)}
    if not head.startswith(signatures[extension]):
        raise ValidationError({"evidence": "Nội dung tệp không khớp với định dạng PDF/JPG/PNG."})


@transaction.atomic
def consent_record(
    *, actor: Any, candidate: Candidate, purpose: str, given_by: str, evidence: UploadedFile | None,
    guardian_name: str = "", note: str = "",
) -> Consent:
    """Staff record a consent given on paper (the signed form is the evidence)."""
    _check_purpose(purpose)
    _ensure_staff_in_scope(actor, candidate)
    errors: dict[str, str] = {}
    if given_by not in Consent.GivenBy.values:
        errors["given_by"] = "Người đồng ý phải là bản thân (self) hoặc người giám hộ (guardian)."
    elif given_by == Consent.GivenBy.GUARDIAN:
        if not needs_guardian(candidate.date_of_birth):
            errors["given_by"] = "Ứng viên đã đủ 16 tuổi: chỉ cần sự đồng ý của chính họ."
        elif len((guardian_name or "").strip()) < 2:
            errors["guardian_name"] = "Cần ghi họ tên cha mẹ hoặc người giám hộ."
    if candidate.erased_at is not None:
        errors["candidate"] = "Hồ sơ đã được ẩn danh."
    if errors:
        raise ValidationError(errors)
    _check_evidence(evidence)
    if Consent.objects.filter(candidate=candidate, purpose=purpose, given_by=given_by).active().exists():
        raise ValidationError({"purpose": "Sự đồng ý này đã được ghi nhận và đang có hiệu lực."})
    consent = Consent(
        candidate=candidate, purpose=purpose, given_by=given_by,
        guardian_name=guardian_name.strip() if given_by == Consent.GivenBy.GUARDIAN else "",
        evidence_note=(note or "").strip()[:255] or "Văn bản có chữ ký, do cán bộ ghi nhận.",
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    consent.evidence.save(evidence.name, evidence, save=False)
    consent.save()
    audit(actor=actor, action="consent.grant", obj=consent,
          changes={"candidate": candidate.pk, "purpose": purpose, "given_by": given_by})
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, candidate: Candidate, purpose: str) -> int:
    """Staff record a withdrawal (e.g. a letter from the person or their guardian): every standing
    grant for the purpose ends now. Returns how many grants ended."""
    _check_purpose(purpose)
    _ensure_staff_in_scope(actor, candidate)
    return _withdraw(Consent.objects.filter(candidate=candidate, purpose=purpose).active(), by=actor)


# --- Export ------------------------------------------------------------------------------------

@transaction.atomic
def subject_export(*, user: Any) -> dict[str, Any]:
    """Everything held about the signed-in person, as one JSON-ready document; the export is audited."""
    from privacy.selectors import subject_data

    candidate = own_candidate(user)
    data = subject_data(candidate=candidate, user=user)
    audit(actor=user, action="candidate.subject_export", obj=candidate, changes={})
    return data


# --- Erasure -----------------------------------------------------------------------------------

@transaction.atomic
def erasure_request(*, user: Any, reason: str = "") -> ErasureRequest:
    candidate = own_candidate(user)
    if ErasureRequest.objects.filter(candidate=candidate, status=ErasureRequest.Status.PENDING).exists():
        raise ValidationError({"reason": "Bạn đã có một yêu cầu đang chờ duyệt."})
    request = ErasureRequest.objects.create(candidate=candidate, reason=(reason or "").strip()[:2000])
    audit(actor=user, action="erasure.request", obj=request, changes={"candidate": candidate.pk})
    return request


@transaction.atomic
def erasure_decide(*, erasure: ErasureRequest, actor: Any, approve: bool, note: str = "") -> ErasureRequest:
    """An officer in scope approves (the record is anonymized, the account closed) or rejects."""
    if actor is not None:
        if user_role(actor) not in ERASURE_DECIDING_ROLES:
            raise PermissionDenied("Chỉ cán bộ Đoàn hoặc quản trị viên được duyệt yêu cầu xoá dữ liệu.")
        if not ErasureRequest.objects.for_user(actor).filter(pk=erasure.pk).exists():
            raise PermissionDenied("Yêu cầu này nằm ngoài phạm vi quản lý của bạn.")
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != ErasureRequest.Status.PENDING:
        raise ValidationError({"status": "Yêu cầu này đã được xử lý."})
    note = (note or "").strip()[:500]
    if not approve and not note:
        raise ValidationError({"note": "Cần ghi lý do khi từ chối yêu cầu xoá dữ liệu."})
    erasure.status = ErasureRequest.Status.APPROVED if approve else ErasureRequest.Status.REJECTED
    erasure.decided_by = actor if getattr(actor, "pk", None) else None
    erasure.decided_at = timezone.now()
    erasure.decision_note = note
    erasure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    counts = anonymize(candidate=erasure.candidate, actor=actor) if approve else {}
    audit(actor=actor, action="erasure.approve" if approve else "erasure.reject", obj=erasure,
          changes={"candidate": erasure.candidate_id, **counts})
    return erasure


def anonymize(*, candidate: Candidate, actor: Any) -> dict[str, int]:
    """Remove what identifies the person and keep what statistics count.

    Kept, so that every count, share and age band stays exactly the same: the row itself, its
    organization, gender, date of birth (the resolutions' targets are shares of people under an
    age), the ethnic-minority flag, the Party-member flag, political-theory level, exam year, stage
    and the dated stage history, education levels and results, achievement categories, levels and
    years, language levels and pool memberships. Removed: name, contacts, address, citizen ID,
    exam number, religion, ethnicity name, the date of joining the Party, free text (aspirations,
    reasons, notes, titles, the request's reason and decision note), consent forms and guardians'
    names, the account (renamed, closed, its tokens and sign-in records deleted).

    The anonymized row is never shown to recruiters and is left out of every list; staff in scope
    see it only as "Ẩn danh #id" on its own page.
    """
    # Open sessions end too: Django's backend refuses inactive users when it reloads one.
    from rest_framework.authtoken.models import Token

    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    label = f"Ẩn danh #{candidate.pk}"
    candidate.full_name = label
    candidate.name_key = fold(label)
    for field in ("email", "phone", "citizen_id_hash", "citizen_id_encrypted", "exam_number", "ethnicity", "religion",
                  "home_address", "aspirations"):
        setattr(candidate, field, "")
    candidate.party_joined_on = None
    candidate.erased_at = timezone.now()
    user = candidate.user
    candidate.user = None
    candidate.save()

    counts = {
        "transitions": candidate.transitions.exclude(reason="").update(reason=""),
        "achievements": candidate.achievements.update(title="(đã ẩn danh)", evidence=""),
        "languages": candidate.languages.update(certificate=""),
        "education": candidate.education.update(major=""),
        "pool_notes": candidate.pool_memberships.exclude(note="").update(note=""),
    }
    consents = list(Consent.objects.filter(candidate=candidate))
    for consent in consents:
        if consent.evidence:
            consent.evidence.delete(save=False)
        if consent.withdrawn_at is None:
            consent.withdrawn_at = candidate.erased_at
            consent.withdrawn_by = actor if getattr(actor, "pk", None) else None
        consent.guardian_name = ""
        consent.evidence_note = "(đã ẩn danh)"
    Consent.objects.bulk_update(consents, ["evidence", "withdrawn_at", "withdrawn_by", "guardian_name",
                                           "evidence_note"])
    counts["consents"] = len(consents)
    candidate.erasure_requests.update(reason="", decision_note="")
    if user is not None:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.contrib.admin.models import LogEntry
        from django.contrib.contenttypes.models import ContentType

        old_username = user.get_username()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=old_username).delete()
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)).update(
            object_repr=f"erased-{user.pk}")
        user.username = f"erased-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        Token.objects.filter(user=user).delete()
        counts["account_closed"] = 1
    return counts
