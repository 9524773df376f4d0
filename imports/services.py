"""Starting, committing and cancelling imports. The work itself runs as a background job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.tasking import job_cancel, job_start
from imports.kinds import ImportKind, Target, get_kind
from imports.models import ImportBatch
from imports.report import error_report_path
from talent.models import Organization


def _kind(key: str) -> ImportKind:
    kind = get_kind(key)
    if kind is None or key not in ImportBatch.Kind.values:
        raise ValidationError({"kind": "Loại dữ liệu phải là một trong: "
                                       + ", ".join(str(label) for label in ImportBatch.Kind.labels) + "."})
    return kind


def _start_job(batch: ImportBatch, *, dry_run: bool, actor: Any) -> None:
    kind = _kind(batch.kind)
    job = job_start(kind="imports.run", params={"batch": str(batch.pk), "dry_run": dry_run},
                    label=kind.validate_label if dry_run else kind.commit_label, actor=actor)
    if dry_run:
        batch.validate_job = job
        batch.state = ImportBatch.State.VALIDATING
    else:
        batch.commit_job = job
        batch.state = ImportBatch.State.COMMITTING
    batch.save(update_fields=["validate_job", "commit_job", "state"])


@transaction.atomic
def import_start(
    *, actor: Any, kind: str, upload: Any, organization: Organization | None = None, year: Any = None,
    all_or_nothing: bool = False, dry_run: bool = True,
) -> ImportBatch:
    """Keep the uploaded file and queue its validation (``dry_run``) or its import straight away."""
    spec = _kind(kind)
    if upload is None or not getattr(upload, "size", 0):
        raise ValidationError({"file": "Hãy chọn một tệp CSV hoặc Excel (.xlsx) có dữ liệu."})
    limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError({"file": f"Tệp lớn hơn {settings.IMPORT_MAX_UPLOAD_MB} MB. Hãy chia nhỏ tệp, "
                                       "hoặc nhờ quản trị viên nhập bằng lệnh import trên máy chủ."})
    target = spec.check(actor, Target(organization=organization, year=year))
    organization, year = target.organization, target.year
    batch = ImportBatch(kind=kind, original_name=(getattr(upload, "name", "") or "tep")[:255], size=upload.size,
                        organization=organization, year=year, all_or_nothing=bool(all_or_nothing),
                        created_by=actor if getattr(actor, "pk", None) else None)
    batch.file.save(batch.original_name, upload, save=False)
    batch.save()
    audit(actor=actor, action="import.start", obj=batch,
          changes={"kind": kind, "organization": organization.pk if organization else None, "year": year,
                   "dry_run": dry_run})
    _start_job(batch, dry_run=dry_run, actor=actor)
    return batch


@transaction.atomic
def import_commit(*, batch: ImportBatch, actor: Any) -> ImportBatch:
    """Store a validated file: the rows are read again, so the stored data is checked as of now."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != ImportBatch.State.VALIDATED:
        raise ValidationError({"state": "Chỉ ghi được tệp đã kiểm tra xong và chưa ghi."})
    if batch.all_or_nothing and batch.report.get("errors"):
        raise ValidationError({"state": "Tệp còn lỗi mà bạn đã chọn chỉ ghi khi không có lỗi nào: hãy sửa tệp "
                                        "và tải lên lại."})
    _kind(batch.kind).check(actor, Target(organization=batch.organization, year=batch.year))
    _start_job(batch, dry_run=False, actor=actor)
    audit(actor=actor, action="import.commit", obj=batch, changes={"kind": batch.kind})
    return batch


def import_cancel(*, batch: ImportBatch, actor: Any) -> ImportBatch:
    """Stop the running step; a cancelled commit stores nothing (it writes in one transaction)."""
    job = batch.current_job
    if job is not None and not job.is_finished:
        job_cancel(job=job)
        job.refresh_from_db()
        if job.status == job.Status.CANCELLED:
            ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.CANCELLED)
    batch.refresh_from_db()
    return batch


def imports_prune(*, older_than: timedelta) -> int:
    """Delete finished imports older than ``older_than`` with their uploaded files; returns how many.

    An uploaded list holds personal data of everyone in it: once imported, the file has done its job.
    """
    cutoff = timezone.now() - older_than
    finished = (ImportBatch.State.VALIDATED, ImportBatch.State.COMMITTED, ImportBatch.State.FAILED,
                ImportBatch.State.CANCELLED)
    count = 0
    for batch in ImportBatch.objects.filter(state__in=finished, created_at__lt=cutoff).iterator():
        for job in (batch.validate_job, batch.commit_job):
            if job is not None:
                error_report_path(job.pk).unlink(missing_ok=True)
        batch.file.delete(save=False)
        batch.delete()
        count += 1
    return count
