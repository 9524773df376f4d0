from __future__ import annotations

from typing import Any

from exams.importing import import_exam_results
from imports.command_base import ImportCommand


class Command(ImportCommand):
    help = "Import a published national exam score file (one row per exam number) for --year."

    def add_arguments(self, parser: Any) -> None:
        self.add_common_arguments(parser)
        parser.add_argument("--year", required=True, help="exam year, e.g. 2025")

    def handle(self, *args: Any, **options: Any) -> None:
        path = self.check_file(options["file"])
        self.run_import(options, import_exam_results, path=path, year=options["year"], actor=None,
                        original_name=path.name)
