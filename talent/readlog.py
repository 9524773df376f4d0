"""Reads of personal data by recruiters go to the audit log (DESIGN §5).

Every page, API answer and export that shows a recruiter candidates calls ``record_reads`` with the
ids shown. It lives beside the candidates themselves so that every app above can log what it shows.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.models import AuditEvent
from talent.models import Candidate
from talent.roles import Role, user_role


def record_reads(*, user: Any, candidate_ids: list[int], via: str) -> None:
    """Write one audit event per candidate a recruiter has just been shown.

    Staff reads inside their own unit are their daily work and are not logged; a recruiter is
    outside the organization that holds the data, so every read is. One insert per page.
    """
    if user_role(user) != Role.RECRUITER or not candidate_ids:
        return
    now = timezone.now()
    object_type = Candidate._meta.label_lower
    AuditEvent.objects.bulk_create([
        AuditEvent(actor=user, action="candidate.read", object_type=object_type, object_id=str(pk), at=now,
                   changes={"via": via})
        for pk in dict.fromkeys(candidate_ids)
    ])
