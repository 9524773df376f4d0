"""Issue 18, item 7: a job carries a heartbeat while it runs; one whose worker stopped beating is queued
again (and then completes) or, out of runs, failed with a message its page shows; the embedded server's
worker is restarted when it dies, and the jobs it held go back to the queue at once."""

from __future__ import annotations

import sys
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import Job
from core.supervise import Child, Supervisor
from core.tasking import JobReporter, job_function, job_start, recover_stalled_jobs

SEEN: list[object] = []


@job_function("test.slow")
def _slow(report: JobReporter) -> dict:
    time.sleep(0.5)
    SEEN.append(Job.objects.get(pk=report.job.pk).heartbeat_at)
    return {}


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)


@pytest.fixture
def user(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("hb_owner", password="x-Strong-pass-1")


@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats(user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    SEEN.clear()
    job = job_start(kind="test.slow", actor=user)
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert SEEN and SEEN[0] is not None and SEEN[0] > job.started_at  # beaten while the job slept


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_stopped_beating_is_queued_again_then_failed(user, client, settings) -> None:  # type: ignore[no-untyped-def]
    job = job_start(kind="test.slow", actor=user)
    job.refresh_from_db()
    long_ago = timezone.now() - timedelta(minutes=5)
    DBTaskResult.objects.update(status="RUNNING", started_at=long_ago)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago,
                                         attempts=1)
    fresh = job_start(kind="test.slow", actor=user)  # beating a second ago: left alone
    Job.objects.filter(pk=fresh.pk).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now())
    assert recover_stalled_jobs() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "xếp lại" in job.message
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "READY"
    assert Job.objects.get(pk=fresh.pk).status == Job.Status.RUNNING
    Job.objects.filter(pk=fresh.pk).update(status=Job.Status.CANCELLED)
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2
    # Out of runs: failed, with a message the job page shows.
    last = job_start(kind="test.slow", actor=user)
    last.refresh_from_db()
    DBTaskResult.objects.filter(id=last.task_result_id).update(status="RUNNING", started_at=long_ago)
    Job.objects.filter(pk=last.pk).update(status=Job.Status.RUNNING, heartbeat_at=long_ago,
                                          attempts=settings.JOB_MAX_ATTEMPTS)
    assert recover_stalled_jobs() == {"requeued": 0, "failed": 1}
    last.refresh_from_db()
    assert last.status == Job.Status.FAILED and "Tiến trình xử lý đã dừng" in last.error
    client.force_login(user)
    assert "Tiến trình xử lý đã dừng" in client.get(f"/jobs/{last.pk}/").content.decode()


def test_the_supervisor_restarts_a_dead_worker_and_hands_back_its_jobs() -> None:
    calls: list[object] = []
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    worker = Child("worker", sleeper, owns_jobs=True)
    ticker = Child("ticker", sleeper, quiet=True)
    supervisor = Supervisor([worker, ticker], recover=lambda silent_for=None: calls.append(silent_for))
    for child in (worker, ticker):
        child.start()
    try:
        assert supervisor.check() == [] and calls == [None]  # all alive: only the heartbeat check
        first = worker.process.pid
        worker.process.kill()
        worker.process.wait(timeout=10)
        assert supervisor.check() == ["worker"]
        assert worker.alive() and worker.process.pid != first and worker.restarts == 1
        assert calls[1] == timedelta(0)  # its jobs back to the queue at once, before the usual pass
        ticker.process.kill()
        ticker.process.wait(timeout=10)
        assert supervisor.check() == ["ticker"] and calls[-1] is None and len(calls) == 4
    finally:
        supervisor.stop()
    assert not worker.alive() and not ticker.alive()


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_on_this_host_is_not_taken_for_dead(user) -> None:  # type: ignore[no-untyped-def]
    """Its heartbeat can be held up (a long write transaction on SQLite blocks every other writer); while
    the worker process runs, its job is left alone — once it is gone, the job is taken back."""
    import socket
    import subprocess

    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "db_worker"])
    try:
        job = job_start(kind="test.slow", actor=user)
        job.refresh_from_db()
        long_ago = timezone.now() - timedelta(minutes=5)
        DBTaskResult.objects.update(status="RUNNING", started_at=long_ago)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, heartbeat_at=long_ago, attempts=1,
                                             worker=f"{socket.gethostname()}:{process.pid}")
        assert recover_stalled_jobs() == {"requeued": 0, "failed": 0}
    finally:
        process.kill()
        process.wait(timeout=10)
    assert recover_stalled_jobs() == {"requeued": 1, "failed": 0}
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker="other-host:1", heartbeat_at=long_ago)
    DBTaskResult.objects.update(status="RUNNING")
    assert recover_stalled_jobs(silent_for=timedelta(0)) == {"requeued": 1, "failed": 0}  # another host: by its beat


def test_a_stopping_supervisor_starts_nothing_again() -> None:
    calls: list[object] = []
    worker = Child("worker", [sys.executable, "-c", "import time; time.sleep(60)"], owns_jobs=True)
    supervisor = Supervisor([worker], every=0.05, recover=lambda silent_for=None: calls.append(silent_for))
    supervisor.start()
    supervisor.stop()
    assert not worker.alive()
    assert supervisor.check() == [] and not worker.alive()  # a pass after stop restarts nothing


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_is_trusted_only_so_long(user) -> None:  # type: ignore[no-untyped-def]
    """Ten times the stall limit, or a task the queue no longer runs, and the job is taken back even
    though its worker process still runs (it lost track of the job)."""
    import socket
    import subprocess

    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "db_worker"])
    here = f"{socket.gethostname()}:{process.pid}"
    try:
        job = job_start(kind="test.slow", actor=user)
        job.refresh_from_db()
        DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
        ages_ago = timezone.now() - timedelta(hours=1)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, heartbeat_at=ages_ago, attempts=1,
                                             worker=here)
        assert recover_stalled_jobs() == {"requeued": 1, "failed": 0}  # silent for an hour: hopeless
        DBTaskResult.objects.update(status="FAILED")  # the queue gave up on it, the row still says running
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1, worker=here,
                                             heartbeat_at=timezone.now() - timedelta(minutes=2))
        assert recover_stalled_jobs() == {"requeued": 1, "failed": 0}
    finally:
        process.kill()
        process.wait(timeout=10)
