"""Shared behaviour of the import commands: progress on a terminal, a summary, the ``--json`` line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from imports.reading import UnusableFile
from imports.report import ImportReport


class ImportCommand(BaseCommand):
    def add_common_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="CSV (UTF-8, UTF-16 or Windows-1258; comma, semicolon or tab) or XLSX")
        parser.add_argument("--dry-run", action="store_true", help="validate and count only; store nothing")
        parser.add_argument("--json", action="store_true", help="print the report as one JSON object (last line)")

    def check_file(self, name: str) -> Path:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {name}.")
        return path

    def progress_printer(self, options: dict[str, Any]):  # type: ignore[no-untyped-def]
        last = [0.0]
        interactive = options["verbosity"] >= 1 and sys.stderr.isatty()

        def progress(done: int, total: int | None, message: str) -> None:
            if interactive and time.monotonic() - last[0] > 1:
                last[0] = time.monotonic()
                of = f"/{total}" if total else ""
                self.stderr.write(f"\r{message}: {done}{of} dòng", ending="")
                self.stderr.flush()

        return progress

    def run_import(self, options: dict[str, Any], func: Any, **kwargs: Any) -> None:
        try:
            report: ImportReport = func(progress=self.progress_printer(options), dry_run=options["dry_run"],
                                        **kwargs)
        except UnusableFile as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"] >= 1 and sys.stderr.isatty():
            self.stderr.write("")
        if options["json"]:
            self.stdout.write(json.dumps(report.summary(), ensure_ascii=False, default=str))
            return
        mode = "Kiểm tra (không ghi)" if options["dry_run"] else ("Đã ghi" if report.committed else "Không ghi")
        self.stdout.write(
            f"{mode}: {report.rows} dòng · mới {report.created} · cập nhật {report.updated} · "
            f"không đổi {report.unchanged} · dòng lặp {report.duplicates} · lỗi {report.errors}"
        )
        if report.merge_suggestions:
            self.stdout.write(f"Đề xuất gộp hồ sơ: {report.merge_suggestions}")
        if report.message:
            self.stdout.write(report.message)
        for entry in report.summary()["errors_detail"][:50]:
            where = f"dòng {entry['row']}" + (f" (STT {entry['ordinal']})" if entry.get("ordinal") else "")
            self.stdout.write(f"  {where}, cột «{entry['column']}», giá trị «{entry['value']}»: "
                              f"{entry['message']}")
        if report.errors > 50:
            self.stdout.write(f"  … và {report.errors - 50} lỗi khác (dùng --json để xem tất cả).")
