"""What ``privacy`` plugs into ``talent`` (see ``talent.registry``): the consent rule of the recruiter
scope, and how consents and erasure requests follow a merge of two records of one person."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from privacy.models import Consent, ErasureRequest
from privacy.rules import has_consent
from talent.models import Candidate
from talent.registry import MergeHook, register_merge_hook, register_sharing_consent


def share_with_recruiters() -> Q:
    return has_consent(Consent.Purpose.SHARE_WITH_RECRUITERS)


def merge_check(keep: Candidate, drop: Candidate) -> None:
    if ErasureRequest.objects.filter(candidate__in=[keep, drop], status=ErasureRequest.Status.PENDING).count() > 1:
        # One pending request per person: an officer decides one of them first, rather than the merge
        # silently closing a person's request.
        raise ValidationError({"erasure": "Cả hai hồ sơ đều có yêu cầu xoá dữ liệu đang chờ duyệt; hãy quyết định "
                                          "một yêu cầu trước khi gộp."})


def merge_move(keep: Candidate, drop: Candidate, actor: Any) -> None:
    ErasureRequest.objects.filter(candidate=drop).update(candidate=keep)
    now = timezone.now()
    for consent in Consent.objects.filter(candidate=drop, withdrawn_at__isnull=True):
        if Consent.objects.filter(candidate=keep, purpose=consent.purpose, given_by=consent.given_by,
                                  withdrawn_at__isnull=True).exists():
            # One standing grant per purpose and giver: the kept record's grant stands, this one is closed.
            consent.withdrawn_at = now
            consent.withdrawn_by = actor if getattr(actor, "pk", None) else None
            consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    Consent.objects.filter(candidate=drop).update(candidate=keep)


def register() -> None:
    register_sharing_consent(share_with_recruiters)
    register_merge_hook(MergeHook(name="privacy", check=merge_check, move=merge_move))
