from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from imports.services import imports_prune


class Command(BaseCommand):
    help = "Delete finished imports older than N days with their uploaded files and error reports."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=30, help="keep imports of the last N days (default 30)")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        count = imports_prune(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {count} import(s) older than {days} day(s).")
