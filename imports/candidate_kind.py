"""The candidate list as a kind of import (``imports.kinds``): checked, run and previewed here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from imports.candidates import COLUMN_BY_KEY, check_may_import, import_candidates
from imports.kinds import ImportKind, Target, register_kind
from imports.models import ImportBatch
from imports.report import ImportReport, Progress
from talent.models import Candidate
from talent.permissions import can_manage_candidates


def _check(actor: Any, target: Target) -> Target:
    if target.organization is None:
        raise ValidationError({"organization": "Hãy chọn đơn vị nhận danh sách."})
    check_may_import(actor, target.organization)
    return Target(organization=target.organization)


def _run(batch: ImportBatch, actor: Any, dry_run: bool, progress: Progress, report: ImportReport) -> None:
    import_candidates(batch.file.path, organization=batch.organization, actor=actor, dry_run=dry_run,
                      all_or_nothing=batch.all_or_nothing, progress=progress, original_name=batch.original_name,
                      report=report)


def _field_label(key: str) -> str:
    try:
        return str(Candidate._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        column = COLUMN_BY_KEY.get(key)
        return column.label if column else key


def _preview(batch: ImportBatch) -> dict[str, Any]:
    rows = batch.report.get("preview") or []
    labels = {"new": _("Mới"), "update": _("Cập nhật"), "unchanged": _("Không đổi")}
    links = [(_("Xem danh sách ứng viên"), f"{reverse('candidate-list')}?organization={batch.organization_id}")]
    merges = int(batch.report.get("merge_suggestions") or 0)
    if batch.state == ImportBatch.State.COMMITTED and merges:
        links.append((_("Xem %(n)d đề xuất gộp hồ sơ") % {"n": merges}, reverse("merge-suggestion-list")))
    return {"preview_count": len(rows), "done_links": links, "candidate_rows": [{
        "row": r.get("row"), "status": r.get("status", ""), "status_label": labels.get(r.get("status"), ""),
        "full_name": r.get("full_name", ""), "date_of_birth": r.get("date_of_birth", ""),
        "organization": r.get("organization", ""),
        "changes": [_field_label(key) for key in r.get("changes") or []],
    } for r in rows]}


def register() -> None:
    register_kind(ImportKind(
        key=ImportBatch.Kind.CANDIDATES, offered_to=can_manage_candidates, check=_check, run=_run, preview=_preview,
        validate_label=gettext_noop("Kiểm tra danh sách ứng viên"), commit_label=gettext_noop("Nhập danh sách ứng viên"),
        created_label=gettext_noop("Hồ sơ mới"), uses=frozenset({"organization", "all_or_nothing"}),
    ))
