"""Exports of candidate lists, queued as background jobs and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.audit import audit
from core.models import Job
from core.tasking import job_start
from talent.jobs import EXPORT_LABEL
from talent.selectors import CandidateFilters

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
