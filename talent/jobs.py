"""Background jobs of the talent domain. Each runs through core.tasking, scoped to its creator."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_noop

from core.spreadsheets import spreadsheet_safe
from core.tasking import JobReporter, job_function, job_output
from talent.permissions import hidden_candidate_fields, is_recruiter
from talent.readlog import record_reads
from talent.selectors import CandidateFilters, candidate_list

# (field, header, value). Columns a role may not see are left out (talent.permissions).
EXPORT_COLUMNS: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("id", "Mã", lambda c: c.pk),
    ("full_name", "Họ và tên", lambda c: c.full_name),
    ("gender", "Giới tính", lambda c: c.get_gender_display()),
    ("date_of_birth", "Ngày sinh", lambda c: c.date_of_birth.strftime("%d/%m/%Y")),
    ("birth_year", "Năm sinh", lambda c: c.date_of_birth.year),
    ("organization", "Đơn vị", lambda c: c.organization.name),
    ("province", "Tỉnh/thành", lambda c: c.province_name),
    ("email", "Email", lambda c: c.email),
    ("phone", "Điện thoại", lambda c: c.phone),
    ("exam_number", "Số báo danh", lambda c: c.exam_number),
    ("exam_year", "Năm thi", lambda c: c.exam_year or ""),
    ("stage", "Giai đoạn", lambda c: c.get_stage_display()),
)


def export_columns(user: Any) -> list[tuple[str, str, Callable[[Any], Any]]]:
    """The columns ``user`` may receive: recruiters get the year of birth instead of the date."""
    hidden = set(hidden_candidate_fields(user))
    hidden.add("date_of_birth" if is_recruiter(user) else "birth_year")
    return [column for column in EXPORT_COLUMNS if column[0] not in hidden]


EXPORT_LABEL = gettext_noop("Xuất danh sách ứng viên (CSV)")
EXPORT_MESSAGE = gettext_noop("Đang xuất danh sách")
EXPORT_CHUNK = 1000

def export_path(job_id: Any) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / f"candidates-{job_id}.csv"


@job_function("candidates.export")
def candidates_export(report: JobReporter) -> dict[str, Any]:
    """Write the candidates the creator can see, with the list's filters, to a CSV file.

    UTF-8 with a BOM so Excel opens Vietnamese text correctly; dates dd/mm/yyyy. Sensitive fields
    (citizen ID, Party membership, ethnicity) are never exported here, and a recruiter's export has
    only the columns their role may see; every row a recruiter exports counts as a read in the audit
    log. Running again overwrites the same file, so a re-queued job is harmless.
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
    columns = export_columns(user)
    exported: list[int] = []
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([label for _, label, _ in columns])
        # Chunks are read whole (keyset on the ids, in the list's order) before progress is written: on
        # SQLite a write while a read cursor is open fails at once when another connection committed
        # since the read began ("database is locked"), whatever the busy timeout.
        ids = list(qs.values_list("pk", flat=True))
        for start in range(0, len(ids), EXPORT_CHUNK):
            chunk = ids[start:start + EXPORT_CHUNK]
            rows = {c.pk: c for c in qs.filter(pk__in=chunk)}
            for pk in chunk:
                c = rows.get(pk)
                if c is None:
                    continue  # erased or moved out of reach since the count
                writer.writerow([spreadsheet_safe(value(c)) for _, _, value in columns])
                exported.append(c.pk)
                written += 1
            report.progress(written, total)
    tmp.replace(path)
    for start in range(0, len(exported), 1000):
        record_reads(user=user, candidate_ids=exported[start:start + 1000], via="export")
    return {"rows": written, "filename": path.name}


job_output("candidates.export", export_path)
