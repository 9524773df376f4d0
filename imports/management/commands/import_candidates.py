from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from imports.candidates import import_candidates
from imports.command_base import ImportCommand
from talent.models import Organization


class Command(ImportCommand):
    help = "Import a candidate list (CSV or XLSX) into the unit with code --org."

    def add_arguments(self, parser: Any) -> None:
        self.add_common_arguments(parser)
        parser.add_argument("--org", required=True, help="code of the receiving unit")
        parser.add_argument("--all-or-nothing", action="store_true",
                            help="store nothing if any row has a problem")

    def handle(self, *args: Any, **options: Any) -> None:
        path = self.check_file(options["file"])
        organization = Organization.objects.filter(code__iexact=options["org"].strip()).first()
        if organization is None:
            raise CommandError(f"Không có đơn vị mã «{options['org']}».")
        self.run_import(options, import_candidates, path=path, organization=organization, actor=None,
                        all_or_nothing=options["all_or_nothing"], original_name=path.name)
