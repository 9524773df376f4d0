"""What an import found: counts, every located problem, and a short preview of the rows.

The same report comes out of the command (``--json``), the API and the pages. Problems are kept in
memory up to ``DETAIL_LIMIT`` (a file of a million bad rows must not exhaust memory); all of them go
to the error-report file when a sink is given.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from core.spreadsheets import spreadsheet_safe

DETAIL_LIMIT = 100_000
PREVIEW_ROWS = 20
# "Dòng" is the row as the spreadsheet numbers it; "STT" the file's own ordinal column, when it has one
# (a row whose STT is 2 sits on row 3 under the header): both are said, so neither misleads.
ERROR_REPORT_HEADERS = ("Dòng", "STT", "Cột", "Giá trị", "Lỗi")

Progress = Callable[[int, "int | None", str], None]


def no_progress(done: int, total: int | None, message: str) -> None:
    """Default progress callback: imports run from a shell or a test report nowhere."""


@dataclass
class ImportReport:
    rows: int = 0  # data rows read (blank lines are not rows)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Valid rows that would have created or changed a record but were not written, because the file had
    # errors and the import was all-or-nothing: never counted as "unchanged".
    held: int = 0
    duplicates: int = 0  # rows repeating an earlier row of the same file exactly
    rejected: int = 0  # rows not stored because of a problem
    errors: int = 0  # problems found (a row may have several)
    errors_detail: list[dict[str, Any]] = field(default_factory=list)
    merge_suggestions: int = 0
    committed: bool = False
    message: str = ""
    preview: list[dict[str, Any]] = field(default_factory=list)
    ordinals: dict[int, str] = field(default_factory=dict)
    _sink: Any = None

    def note_ordinal(self, row: int, ordinal: str) -> None:
        """The file's STT of ``row`` (kept only when the file has that column)."""
        if ordinal:
            self.ordinals[row] = ordinal

    def where(self, row: int) -> str:
        """"dòng 3 (STT 2)", or "dòng 3" when the file has no STT for it."""
        ordinal = self.ordinals.get(row)
        return f"dòng {row} (STT {ordinal})" if ordinal else f"dòng {row}"

    def error(self, row: int, column: str, value: Any, message: str) -> None:
        self.errors += 1
        ordinal = self.ordinals.get(row, "")
        entry = {"row": row, **({"ordinal": ordinal} if ordinal else {}), "column": column,
                 "value": "" if value is None else str(value), "message": message}
        if len(self.errors_detail) < DETAIL_LIMIT:
            self.errors_detail.append(entry)
        if self._sink is not None:
            self._sink.writerow([row, spreadsheet_safe(ordinal), spreadsheet_safe(column),
                                 spreadsheet_safe(entry["value"]), message])

    def open_sink(self, handle: TextIO) -> None:
        """Write every problem, as it is found, to ``handle`` as CSV (the downloadable error report)."""
        self._sink = csv.writer(handle)
        self._sink.writerow(ERROR_REPORT_HEADERS)

    def summary(self) -> dict[str, Any]:
        """The command's ``--json`` object: counts and every problem located."""
        return {
            "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "held": self.held,
            "duplicates": self.duplicates, "errors": self.errors, "rejected": self.rejected,
            "merge_suggestions": self.merge_suggestions, "committed": self.committed, "message": self.message,
            "errors_detail": sorted(self.errors_detail, key=lambda e: e["row"]),
        }

    def stored_form(self, error_sample: int = 500) -> dict[str, Any]:
        """What the import row keeps for the pages: counts, the first problems, the preview."""
        data = self.summary()
        data["errors_detail"] = data["errors_detail"][:error_sample]
        data["errors_truncated"] = self.errors > error_sample
        data["preview"] = self.preview
        return data


def error_report_path(batch_id: Any) -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / "imports" / f"errors-{batch_id}.csv"
