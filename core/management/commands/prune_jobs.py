from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from core.tasking import jobs_prune


class Command(BaseCommand):
    help = "Delete finished background jobs (and files they produced, such as exports) older than N days."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--days", type=int, default=7, help="keep jobs finished in the last N days (default 7)")

    def handle(self, *args, days: int, **options) -> None:  # type: ignore[no-untyped-def]
        count = jobs_prune(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {count} finished job(s) older than {days} day(s).")
