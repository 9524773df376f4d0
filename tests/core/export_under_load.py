"""A probe run in its own process by tests/core/test_export_concurrency.py (issue 18, item 1): on a database
of its own (a SQLite file, or a scratch PostgreSQL database), export the candidate list several times while
another connection keeps committing writes, and print each job's outcome as JSON.

    python -m tests.core.export_under_load DATABASE_URL [CANDIDATES] [JOBS]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading


def main(url: str, candidates: int, jobs: int) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from core import tasking
    from core.models import Job
    from talent.models import Candidate, Role
    from talent.services import candidates_bulk_register, candidates_export_start, organization_create
    from accounts.services import user_create

    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="ytp-probe-media-")
    city = organization_create(code="PROBE", name="Thành Đoàn thử", kind="youth_union", parent=None, actor=None)
    letters = "abcdefghiklmnopqrstuvxy"
    candidates_bulk_register(rows=[{"full_name": f"Nguyễn Văn {letters[i % 23]}{letters[i // 23 % 23]}{letters[i // 529 % 23]}",
                                    "gender": "male",
                                    "date_of_birth": dt.date(2006, 1, 1) + dt.timedelta(days=i % 300),
                                    "organization": city} for i in range(candidates)], actor=None)
    officer = user_create(actor=None, username="probe_officer", password="Probe-pass-2026-long", role=Role.OFFICER,
                          organization=city)
    # Progress written after every chunk, the most often a real export writes it.
    original = tasking.JobReporter.__init__
    tasking.JobReporter.__init__ = lambda self, job, every=0.0: original(self, job, every=0.0)  # type: ignore[method-assign]
    started = [candidates_export_start(actor=officer, filters={}) for _ in range(jobs)]
    first = Candidate.objects.order_by("pk").values_list("pk", flat=True).first()
    stop = threading.Event()
    writes = [0]

    def writer() -> None:  # another user saving a record, again and again, each save its own commit
        try:
            while not stop.is_set():
                Candidate.objects.filter(pk=first).update(aspirations=f"lần {writes[0]}")
                writes[0] += 1
        finally:
            connection.close()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)
    except Exception:
        pass  # a failed task is reported through its job row below
    stop.set()
    thread.join(timeout=30)
    rows = list(Job.objects.filter(pk__in=[j.pk for j in started]).values("status", "error", "result"))
    import shutil

    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    return {"engine": connection.vendor, "writes": writes[0], "jobs": rows}


if __name__ == "__main__":
    args = sys.argv[1:]
    print(json.dumps(main(args[0], int(args[1]) if len(args) > 1 else 5000, int(args[2]) if len(args) > 2 else 4)))
