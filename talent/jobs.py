"""Background jobs of the talent domain. Each runs through core.tasking, scoped to its creator."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_noop

from core.tasking import JobReporter, job_function, job_output
from talent.selectors import CandidateFilters, candidate_list

EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Mã"),
    ("full_name", "Họ và tên"),
    ("gender", "Giới tính"),
    ("date_of_birth", "Ngày sinh"),
    ("organization", "Đơn vị"),
    ("province", "Tỉnh/thành"),
    ("email", "Email"),
    ("phone", "Điện thoại"),
    ("exam_number", "Số báo danh"),
    ("exam_year", "Năm thi"),
    ("stage", "Giai đoạn"),
)


EXPORT_LABEL = gettext_noop("Xuất danh sách ứng viên (CSV)")
EXPORT_MESSAGE = gettext_noop("Đang xuất danh sách")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula ("=HYPERLINK(...)") is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_path(job_id: Any) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / f"candidates-{job_id}.csv"


@job_function("candidates.export")
def candidates_export(report: JobReporter) -> dict[str, Any]:
    """Write the candidates the creator can see, with the list's filters, to a CSV file.

    UTF-8 with a BOM so Excel opens Vietnamese text correctly; dates dd/mm/yyyy. Sensitive fields
    (citizen ID, Party membership, ethnicity) are never exported here. Running again overwrites the
    same file, so a re-queued job is harmless.
    """
    user = get_user_model().objects.get(pk=report.job.created_by_id)
    filters: CandidateFilters = report.params.get("filters", {})
    qs = candidate_list(user=user, filters=filters)
    total = qs.count()
    report.progress(0, total, EXPORT_MESSAGE, force=True)
    path = export_path(report.job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    written = 0
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([label for _, label in EXPORT_COLUMNS])
        for c in qs.iterator(chunk_size=1000):
            writer.writerow([spreadsheet_safe(value) for value in (
                c.pk, c.full_name, c.get_gender_display(), c.date_of_birth.strftime("%d/%m/%Y"),
                c.organization.name, c.province_name, c.email, c.phone, c.exam_number, c.exam_year or "",
                c.get_stage_display(),
            )])
            written += 1
            if written % 200 == 0:
                report.progress(written, total)
    tmp.replace(path)
    return {"rows": written, "filename": path.name}


job_output("candidates.export", export_path)
