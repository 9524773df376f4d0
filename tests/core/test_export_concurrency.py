"""Issue 18, item 1: exports must not fail while other connections write. The probe runs in its own process
on a database of its own — a SQLite file with the embedded default's settings, or a scratch PostgreSQL
database when the suite runs on PostgreSQL — exporting 3,000 candidates four times while another connection
commits a write in a loop. Before the fix every job failed with "database is locked" on SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _scratch_postgres() -> tuple[str, object]:
    import psycopg

    base = settings.DATABASES["default"]
    name = f"ytp_probe_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(host=base["HOST"] or "127.0.0.1", port=base["PORT"] or 5432, user=base["USER"],
                            password=base.get("PASSWORD") or None, dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    auth = base["USER"] + (f":{base['PASSWORD']}" if base.get("PASSWORD") else "")
    url = f"postgres://{auth}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{name}"

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return url, drop


def test_exports_succeed_while_another_connection_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    if settings.IS_POSTGRES:
        url, cleanup = _scratch_postgres()
    else:
        url, cleanup = f"sqlite:///{tmp_path / 'probe.sqlite3'}", (lambda: None)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    try:
        done = subprocess.run([sys.executable, "-m", "tests.core.export_under_load", url, "3000", "4"], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600)
    finally:
        cleanup()  # type: ignore[operator]
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["engine"] == ("postgresql" if settings.IS_POSTGRES else "sqlite")
    assert outcome["writes"] > 50, outcome  # the other connection really was writing meanwhile
    assert [(j["status"], j["result"].get("rows")) for j in outcome["jobs"]] == [("succeeded", 3000)] * 4, outcome
