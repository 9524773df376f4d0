"""Serve HTTP and WebSocket in one process (Daphne) and, by default, one background worker.

This is what `make run` calls: with no extra process to start by hand, background jobs still run.
In production, run `serve --no-worker` behind a proxy (one per core), `manage.py db_worker` on as many
machines as needed (they share the PostgreSQL queue) and `manage.py event_tasks` every few minutes.
"""

from __future__ import annotations

import atexit
import sys
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.supervise import Child, Supervisor
from core.tasking import recover_stalled_jobs, requeue_stale_tasks


class Command(BaseCommand):
    help = "Serve the app (HTTP + WebSocket) with an embedded background worker."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Do not start a background worker.")

    def handle(self, *args, host: str, port: int, no_worker: bool, **options) -> None:  # type: ignore[no-untyped-def]
        if not no_worker:
            # In the embedded default this process owns the only worker, so anything still marked
            # running was orphaned by a previous stop; elsewhere only truly stale tasks are taken back.
            embedded = not settings.IS_POSTGRES
            requeued = requeue_stale_tasks(timedelta(0) if embedded else None)
            if requeued:
                self.stdout.write(f"Re-queued {requeued} interrupted background task(s).")
            manage = Path(settings.BASE_DIR) / "manage.py"
            # Supervised: a worker or ticker that dies is started again within seconds, and the jobs
            # the dead worker was running go back to the queue (core.supervise).
            worker = Child("Background worker", [sys.executable, str(manage), "db_worker", "--queue-name", "*",
                                                 "--no-reload", "--interval", "1"], owns_jobs=embedded)
            # Periodic event work (lapsed waitlist offers, reminders) every five minutes, so the
            # embedded default needs no cron either.
            ticker = Child("Event tasks", [sys.executable, str(manage), "event_tasks", "--every", "300"], quiet=True)
            supervisor = Supervisor([worker, ticker], recover=recover_stalled_jobs)
            supervisor.start()
            self.stdout.write(f"Background worker started (pid {worker.process.pid}); event tasks every 5 minutes "
                              f"(pid {ticker.process.pid}); both restarted if they stop.")
            atexit.register(supervisor.stop)

        self.stdout.write(f"Serving on http://{host}:{port}/ (HTTP and WebSocket)")
        from daphne.cli import CommandLineInterface

        CommandLineInterface().run(["-b", host, "-p", str(port), "config.asgi:application"])
