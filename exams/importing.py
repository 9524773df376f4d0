"""Import of the published national exam score files (one row per exam number, one column per subject).

The file is streamed: rows are checked in Python and loaded in chunks into a temporary staging table
(``COPY`` on PostgreSQL, batched inserts on SQLite). Repeated exam numbers are found in the staging
table, so memory stays bounded whatever the file size. The real table is then written by two
set-based statements in one short transaction: an ``UPDATE`` of the results whose scores changed and
an ``INSERT`` of the new ones. A file that breaks half-way leaves the stored results untouched.

Rules (documented in the README):
- the exam number (SBD) has 8 digits; a 7-digit number lost its leading zero in a spreadsheet and is
  padded back; the first two digits are the exam council;
- a blank cell (or "-") means the subject was not taken; a score must be a number from 0 to 10 with
  at most two decimals, written with a point or a comma;
- a row repeating an earlier row exactly is counted as a duplicate; the same exam number with other
  scores is an error and the first row is kept;
- re-importing never blanks a stored score (a blank keeps what is stored); a changed score updates it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from exams.models import ExamResult
from exams.services import award_top_scorers
from exams.subjects import SUBJECT_FIELDS, SUBJECTS
from imports.reading import Column, UnusableFile, read_table
from imports.report import ImportReport, Progress, no_progress

EXAM_NUMBER_COLUMN = Column("exam_number", "SBD", ("Số báo danh", "So bao danh", "Số BD", "SoBaoDanh", "Mã SBD"),
                            required=True)
LANGUAGE_CODE_COLUMN = Column("language_code", "Mã ngoại ngữ",
                              ("Mã môn ngoại ngữ", "Mã NN", "Ma ngoai ngu", "Mã môn NN", "Language code"))
EXAM_COLUMNS: tuple[Column, ...] = (
    EXAM_NUMBER_COLUMN,
    *(Column(s.field, s.label, s.aliases) for s in SUBJECTS),
    LANGUAGE_CODE_COLUMN,
)
STAGE = "ytp_exam_stage"
CHUNK = 20_000
_BLANKS = frozenset({"", "-", "–", "—"})
_LANGUAGE_CODES = frozenset({"N1", "N2", "N3", "N4", "N5", "N6", "N7"})


def _stage_columns(vendor: str) -> str:
    number = "numeric(4,2)" if vendor == "postgresql" else "real"
    subjects = ", ".join(f"{f} {number}" for f in SUBJECT_FIELDS)
    return f"rownum integer, exam_number varchar(8), {subjects}, language_code varchar(4), digest bigint"


def valid_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise UnusableFile("Năm thi phải là số, ví dụ 2025.") from None
    last = timezone.localdate().year
    if not 2002 <= year <= last:
        raise UnusableFile(f"Năm thi phải trong khoảng 2002–{last}.")
    return year


def _exam_number(raw: str) -> str | None:
    value = raw.strip().lstrip("'").replace(" ", "")
    if value.endswith(".0"):  # a number that went through a spreadsheet as a float
        value = value[:-2]
    if not value.isdigit() or not value.isascii():
        return None
    if len(value) == 7:
        value = "0" + value
    return value if len(value) == 8 else None


def _score(raw: str) -> tuple[str | None, str | None]:
    """(normalised score text, error message). The text keeps the file's digits: "8,25" → "8.25"."""
    if raw in _BLANKS:
        return None, None
    text = raw.replace(",", ".") if "," in raw else raw
    try:
        value = float(text)
    except ValueError:
        return None, "Điểm phải là số từ 0 đến 10 (ô trống nghĩa là không dự thi môn này)."
    if not 0 <= value <= 10:  # also refuses NaN
        return None, "Điểm phải trong khoảng 0–10."
    if abs(value * 100 - round(value * 100)) > 1e-6:
        return None, "Điểm có nhiều nhất hai chữ số thập phân."
    return text, None


class _Stage:
    """The temporary staging table of one import, on this connection."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.fields = ("rownum", "exam_number", *SUBJECT_FIELDS, "language_code", "digest")

    def __enter__(self) -> _Stage:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cursor.execute(f"CREATE TEMP TABLE {STAGE} ({_stage_columns(self.vendor)})")
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        except Exception:  # a broken transaction drops temp tables with the session anyway
            if not exc[0]:
                raise

    def load(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.vendor == "postgresql":
            connection.ensure_connection()
            with connection.connection.cursor() as cursor:
                with cursor.copy(f"COPY {STAGE} ({', '.join(self.fields)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.fields))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {STAGE} ({', '.join(self.fields)}) VALUES ({marks})", rows)


def _read_into_stage(table: Any, stage: _Stage, report: ImportReport, progress: Progress) -> None:
    present = [f for f in SUBJECT_FIELDS if f in table.columns]
    if not present:
        labels = ", ".join(s.label for s in SUBJECTS)
        raise UnusableFile(f"Tệp không có cột điểm môn nào (cần ít nhất một trong các cột: {labels}).")
    headers = table.headers
    has_language = "language_code" in table.columns
    buffer: list[tuple[Any, ...]] = []
    total = table.total_hint
    for rownum, cells in table.rows:
        report.rows += 1
        raw_number = cells["exam_number"]
        number = raw_number if len(raw_number) == 8 and raw_number.isdigit() else _exam_number(raw_number)
        ok = number is not None
        if not ok:
            report.error(rownum, headers["exam_number"], raw_number,
                         "Số báo danh phải gồm 8 chữ số (hai chữ số đầu là mã hội đồng thi)." if raw_number
                         else "Thiếu số báo danh.")
        scores: dict[str, str | None] = {}
        for f in present:
            text, problem = _score(cells[f])
            if problem:
                ok = False
                report.error(rownum, headers[f], cells[f], problem)
            scores[f] = text
        language = cells["language_code"].upper() if has_language else ""
        if language and language not in _LANGUAGE_CODES:
            ok = False
            report.error(rownum, headers["language_code"], cells["language_code"],
                         "Mã ngoại ngữ phải là N1–N7 (N1 là tiếng Anh).")
        if not ok:
            report.rejected += 1
            continue
        values = tuple(scores.get(f) for f in SUBJECT_FIELDS)
        buffer.append((rownum, number, *values, language, hash((number, values, language))))
        if len(report.preview) < 20:
            report.preview.append({"row": rownum, "exam_number": number,
                                   **{f: v for f, v in scores.items() if v is not None}})
        if len(buffer) >= CHUNK:
            stage.load(buffer)
            buffer.clear()
            progress(report.rows, total, gettext_noop("Đang đọc tệp"))
    stage.load(buffer)
    progress(report.rows, total, gettext_noop("Đang đối chiếu với dữ liệu đã lưu"))


def _drop_repeats(report: ImportReport, headers: dict[str, str]) -> None:
    """Repeated exam numbers: exact repeats are duplicates, others errors; only the first row stays."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rownum, exam_number, digest FROM {STAGE} WHERE exam_number IN "
            f"(SELECT exam_number FROM {STAGE} GROUP BY exam_number HAVING COUNT(*) > 1) "
            "ORDER BY exam_number, rownum"
        )
        later: list[int] = []
        first: tuple[int, str, int] | None = None
        for rownum, number, digest in cursor.fetchall():
            if first is None or first[1] != number:
                first = (rownum, number, digest)
                continue
            later.append(rownum)
            if digest == first[2]:
                report.duplicates += 1
            else:
                report.rejected += 1
                report.error(rownum, headers["exam_number"], number,
                             f"Số báo danh đã có ở dòng {first[0]} với điểm khác; giữ dòng {first[0]}.")
        for start in range(0, len(later), 1000):
            chunk = later[start:start + 1000]
            cursor.execute(f"DELETE FROM {STAGE} WHERE rownum IN ({', '.join(['%s'] * len(chunk))})", chunk)


def _differs(fields: tuple[str, ...], target: str = "e") -> str:
    """SQL true when the staged row ``s`` would change the stored row ``target`` (blanks keep values)."""
    parts = [f"COALESCE(s.{f}, {target}.{f}) IS DISTINCT FROM {target}.{f}" for f in fields]
    parts.append(f"(s.language_code <> '' AND s.language_code IS DISTINCT FROM {target}.language_code)")
    return " OR ".join(parts)


def _write(year: int, present: tuple[str, ...], report: ImportReport, dry_run: bool) -> None:
    table = ExamResult._meta.db_table
    now = timezone.now()
    match = "e.year = %s AND e.exam_number = s.exam_number"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE}")
        distinct = cursor.fetchone()[0]
        if dry_run:
            cursor.execute(f"SELECT COUNT(*) FROM {STAGE} s WHERE NOT EXISTS "
                           f"(SELECT 1 FROM {table} e WHERE {match})", [year])
            report.created = cursor.fetchone()[0]
            cursor.execute(f"SELECT COUNT(*) FROM {STAGE} s JOIN {table} e ON {match} WHERE {_differs(present)}",
                           [year])
            report.updated = cursor.fetchone()[0]
        else:
            # SET targets are unqualified column names in both PostgreSQL and SQLite.
            assignments = ", ".join(f"{f} = COALESCE(s.{f}, {table}.{f})" for f in present)
            cursor.execute(
                f"UPDATE {table} SET {assignments}, "
                f"language_code = CASE WHEN s.language_code <> '' THEN s.language_code "
                f"ELSE {table}.language_code END, updated_at = %s "
                f"FROM {STAGE} s WHERE {table}.year = %s AND {table}.exam_number = s.exam_number "
                f"AND ({_differs(present, table)})",
                [now, year],
            )
            report.updated = cursor.rowcount
            columns = ", ".join(SUBJECT_FIELDS)
            cursor.execute(
                f"INSERT INTO {table} (year, exam_number, council, {columns}, language_code, imported_at, updated_at) "
                f"SELECT %s, s.exam_number, SUBSTR(s.exam_number, 1, 2), "
                f"{', '.join('s.' + f for f in SUBJECT_FIELDS)}, s.language_code, %s, %s "
                f"FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM {table} e WHERE {match}) ORDER BY s.exam_number",
                [year, now, now, year],
            )
            report.created = cursor.rowcount
    report.unchanged = distinct - report.created - report.updated


def import_exam_results(
    path: str | Path, *, year: Any, actor: Any = None, dry_run: bool = False, progress: Progress = no_progress,
    original_name: str | None = None, report: ImportReport | None = None,
) -> ImportReport:
    """Validate (``dry_run``) or store the results of one exam year; raises UnusableFile for a bad file."""
    year = valid_year(year)
    report = report or ImportReport()
    with read_table(path, EXAM_COLUMNS, original_name=original_name) as table:
        present = tuple(f for f in SUBJECT_FIELDS if f in table.columns)
        with _Stage() as stage:
            _read_into_stage(table, stage, report, progress)
            if report.rows == 0:
                raise UnusableFile("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
            _drop_repeats(report, table.headers)
            step = gettext_noop("Đang đối chiếu") if dry_run else gettext_noop("Đang ghi kết quả")
            progress(report.rows, report.rows, step)
            with transaction.atomic():
                _write(year, present, report, dry_run)
                if not dry_run:
                    award_top_scorers(year=year, actor=actor)
    report.committed = not dry_run
    return report
