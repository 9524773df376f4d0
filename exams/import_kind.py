"""National exam results as a kind of import (``imports.kinds``), and the top-scorer awards that a
candidate list linking pupils to their exam numbers triggers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exams.importing import import_exam_results, valid_year
from exams.models import ExamResult, score_text
from exams.services import award_top_scorers
from exams.subjects import SUBJECTS
from imports.kinds import ImportKind, Target, candidates_imported, register_kind
from imports.models import ImportBatch
from imports.reading import UnusableFile
from imports.report import ImportReport, Progress
from talent.models import Role, user_role

# National exam results are published data for the whole country: administrators and Youth Union
# officers load them; liaisons and the rest do not.
EXAM_IMPORT_ROLES = frozenset({Role.ADMIN, Role.OFFICER})


def may_import_exam_results(user: Any) -> bool:
    return user_role(user) in EXAM_IMPORT_ROLES


def check_may_import_exam_results(actor: Any) -> None:
    if actor is not None and not may_import_exam_results(actor):
        raise PermissionDenied("Chỉ quản trị viên và cán bộ Đoàn được nhập điểm thi.")


def _check(actor: Any, target: Target) -> Target:
    check_may_import_exam_results(actor)
    try:
        return Target(year=valid_year(target.year))
    except UnusableFile as exc:
        raise ValidationError({"year": str(exc)}) from None


def _run(batch: ImportBatch, actor: Any, dry_run: bool, progress: Progress, report: ImportReport) -> None:
    import_exam_results(batch.file.path, year=batch.year, actor=actor, dry_run=dry_run, progress=progress,
                        original_name=batch.original_name, report=report)


def _score(value: Any) -> str:
    try:
        return score_text(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _preview(batch: ImportBatch) -> dict[str, Any]:
    rows = batch.report.get("preview") or []
    present = [s.field for s in SUBJECTS if any(s.field in r for r in rows)]
    headers = [str(ExamResult._meta.get_field(f).verbose_name) for f in present]
    return {
        "preview_count": len(rows),
        "done_links": [(_("Xem thí sinh điểm cao"), f"{reverse('exam-top')}?year={batch.year}")],
        "subject_headers": headers,
        "exam_rows": [{"row": r.get("row"), "exam_number": r.get("exam_number", ""),
                       "scores": [(label, _score(r[f]) if r.get(f) not in (None, "") else "")
                                  for label, f in zip(headers, present)]}
                      for r in rows],
    }


def _award_after_candidate_import(sender: Any, *, years: list[int], actor: Any, **kwargs: Any) -> None:
    for year in years:
        award_top_scorers(year=year, actor=actor)


def register() -> None:
    register_kind(ImportKind(
        key=ImportBatch.Kind.EXAM_RESULTS, offered_to=may_import_exam_results, check=_check, run=_run,
        preview=_preview, validate_label=gettext_noop("Kiểm tra tệp điểm thi"),
        commit_label=gettext_noop("Nhập điểm thi"), created_label=gettext_noop("Kết quả mới"),
        uses=frozenset({"year"}),
    ))
    candidates_imported.connect(_award_after_candidate_import, dispatch_uid="exams.award_top_scorers")
