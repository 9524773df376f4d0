"""What can be imported: each kind of file registers here how it is checked, run and previewed.

The pipeline (upload, background validation, preview, commit, cancel, error report) is the same for
every kind; what differs lives with the data it writes. ``imports`` registers the candidate list
itself; the apps above register theirs from ``AppConfig.ready`` (``exams``: national exam results),
so the pipeline never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.dispatch import Signal

if TYPE_CHECKING:
    from imports.models import ImportBatch
    from imports.report import ImportReport, Progress
    from talent.models import Organization


@dataclass(frozen=True)
class Target:
    """Where an upload goes: a receiving unit (candidate lists) or a year (exam results), as the kind needs."""

    organization: Organization | None = None
    year: int | None = None


@dataclass(frozen=True)
class ImportKind:
    key: str  # ImportBatch.kind
    # Whether the upload form offers this kind to ``user`` at all.
    offered_to: Callable[[Any], bool]
    # Raise PermissionDenied (role, unit) or ValidationError (a missing unit, a bad year); return the target.
    check: Callable[[Any, Target], Target]
    # Read the batch's file and validate (``dry_run``) or store it, filling ``report``.
    run: Callable[[ImportBatch, Any, bool, Progress, ImportReport], None]
    # The preview part of the import page (template context) from the stored report.
    preview: Callable[[ImportBatch], dict[str, Any]]
    validate_label: str
    commit_label: str
    created_label: str  # what a new row is called in the counts ("Hồ sơ mới", "Kết quả mới")
    # The form fields this kind uses: "organization", "year", "all_or_nothing".
    uses: frozenset[str] = frozenset()


_kinds: dict[str, ImportKind] = {}


def register_kind(kind: ImportKind) -> None:
    _kinds[kind.key] = kind


def get_kind(key: str) -> ImportKind | None:
    return _kinds.get(key)


def kinds() -> list[ImportKind]:
    return list(_kinds.values())


# Sent after a candidate list is stored, with ``years``: the exam years of the rows whose exam number
# was set or changed (``exams`` awards the top scorers' achievements to the linked people) and ``actor``.
candidates_imported = Signal()
