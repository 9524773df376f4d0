"""The task runner is durable: jobs are rows, a worker claims them, a lost worker's job comes back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import Job
from core.tasking import JobCancelled, JobReporter, job_cancel, job_function, job_start, requeue_stale_tasks

CALLS: list[int] = []


@job_function("test.count")
def _count(report: JobReporter) -> dict:
    n = int(report.params["n"])
    for i in range(n):
        report.progress(i + 1, n, force=True)
    CALLS.append(n)
    return {"counted": n}


@job_function("test.fail")
def _fail(report: JobReporter) -> dict:
    raise RuntimeError("boom")


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("jobowner", password="x-Strong-pass-1")


@pytest.mark.django_db(transaction=True)
def test_job_is_queued_on_commit_and_run_by_a_worker(user) -> None:
    CALLS.clear()
    job = job_start(kind="test.count", params={"n": 3}, actor=user)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.result == {"counted": 3}
    assert CALLS == [3]


@pytest.mark.django_db(transaction=True)
def test_failed_job_records_the_error(user) -> None:
    job = job_start(kind="test.fail", actor=user)
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "RuntimeError: boom" in job.error
    assert DBTaskResult.objects.get().status == "FAILED"


@pytest.mark.django_db(transaction=True)
def test_cancelled_queued_job_never_runs(user) -> None:
    CALLS.clear()
    job = job_start(kind="test.count", params={"n": 2}, actor=user)
    job = job_cancel(job=job)
    assert job.status == Job.Status.CANCELLED
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert CALLS == []


@pytest.mark.django_db
def test_running_job_stops_at_next_progress_report(user) -> None:
    job = Job.objects.create(kind="test.count", status=Job.Status.RUNNING, created_by=user)
    job_cancel(job=job)
    reporter = JobReporter(Job.objects.get(pk=job.pk))
    with pytest.raises(JobCancelled):
        reporter.progress(1, 10, force=True)


@pytest.mark.django_db(transaction=True)
def test_job_whose_worker_died_is_requeued_and_completes(user) -> None:
    CALLS.clear()
    job = job_start(kind="test.count", params={"n": 1}, actor=user)
    # Simulate a worker that claimed the task and vanished an hour ago.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now() - timedelta(hours=1))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    _run_worker()  # a healthy worker does not touch a task another worker holds
    assert CALLS == []
    assert requeue_stale_tasks(timedelta(minutes=30)) == 1
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 1
    assert CALLS == [1]


@pytest.mark.django_db(transaction=True)
def test_recent_running_task_is_not_taken_from_its_worker(user) -> None:
    job_start(kind="test.count", params={"n": 1}, actor=user)
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    assert requeue_stale_tasks(timedelta(minutes=30)) == 0


def test_unknown_job_kind_is_refused(db) -> None:
    with pytest.raises(ValueError):
        job_start(kind="nope")


@pytest.mark.django_db(transaction=True)
def test_prune_deletes_old_finished_jobs_and_their_files(user, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from talent.jobs import export_path

    settings.MEDIA_ROOT = tmp_path
    old = Job.objects.create(kind="candidates.export", status=Job.Status.SUCCEEDED, created_by=user,
                             finished_at=timezone.now() - timedelta(days=10))
    recent = Job.objects.create(kind="candidates.export", status=Job.Status.SUCCEEDED, created_by=user,
                                finished_at=timezone.now() - timedelta(days=1))
    running = Job.objects.create(kind="candidates.export", status=Job.Status.RUNNING, created_by=user)
    for job in (old, recent):
        export_path(job.pk).parent.mkdir(parents=True, exist_ok=True)
        export_path(job.pk).write_text("x")
    out = io.StringIO()
    call_command("prune_jobs", "--days", "7", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not export_path(old.pk).exists() and export_path(recent.pk).exists()
