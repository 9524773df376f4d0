"""The background job that validates or stores an uploaded file, with progress and cancel."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.tasking import JobCancelled, JobReporter, job_function
from imports.kinds import get_kind
from imports.models import ImportBatch
from imports.reading import UnusableFile
from imports.report import ImportReport, error_report_path


@job_function("imports.run")
def import_run(report_to: JobReporter) -> dict[str, Any]:
    """Read the batch's file and validate it (``dry_run``) or store it.

    An unusable file is not a crash: the batch says why, and the job ends normally. Running it
    again starts from the file, so a re-queued job is harmless (a commit writes in one transaction).
    """
    batch = ImportBatch.objects.select_related("organization").get(pk=report_to.params["batch"])
    dry_run = bool(report_to.params.get("dry_run"))
    # Whoever started this step acts (the uploader, or an administrator committing their upload).
    actor_id = report_to.job.created_by_id or batch.created_by_id
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None

    def progress(done: int, total: int | None, message: str) -> None:
        report_to.progress(done, total, message)

    report = ImportReport()
    path = error_report_path(report_to.job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as sink:
            report.open_sink(sink)
            kind = get_kind(batch.kind)
            if kind is None:
                raise UnusableFile("Loại dữ liệu này không còn được hỗ trợ.")
            kind.run(batch, actor, dry_run, progress, report)
    except (UnusableFile, PermissionDenied) as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED, message=str(exc)[:500])
        path.unlink(missing_ok=True)
        return {"unusable": str(exc)}
    except JobCancelled:
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.CANCELLED)
        path.unlink(missing_ok=True)
        raise
    except Exception as exc:
        # Nothing was stored (the writes are one transaction); the job row keeps the details.
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.FAILED, message=f"Lỗi hệ thống khi xử lý tệp ({type(exc).__name__}).")
        path.unlink(missing_ok=True)
        raise
    if not report.errors:
        path.unlink(missing_ok=True)
    # A refused all-or-nothing commit stored nothing: the batch stays "validated" with the reason.
    state = ImportBatch.State.COMMITTED if report.committed else ImportBatch.State.VALIDATED
    fields: dict[str, Any] = {"state": state, "report": report.stored_form(), "message": report.message[:500]}
    if not dry_run and report.committed:
        fields["committed_at"] = timezone.now()
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    counts = {k: v for k, v in report.summary().items() if k != "errors_detail"}
    return {"counts": counts}
