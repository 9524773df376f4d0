"""Two records of one person made one, and merge suggestions dismissed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import audit
from talent.models import (
    Achievement,
    AnnualRating,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    MergeSuggestion,
    PoolMembership,
    StageTransition,
    Training,
)
from talent.reference import is_ethnic_minority
from talent.registry import merge_hooks
from talent.services.common import _ensure_candidate_in_scope

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

    for model in (EducationRecord, Achievement, LanguageCertificate, StageTransition, Training):
        model.objects.filter(candidate=drop).update(candidate=keep)
    # One rating per person and year: where both records have the year, the kept record's stands.
    kept_years = set(AnnualRating.objects.filter(candidate=keep).values_list("year", flat=True))
    AnnualRating.objects.filter(candidate=drop, year__in=kept_years).delete()
    AnnualRating.objects.filter(candidate=drop).update(candidate=keep)
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
