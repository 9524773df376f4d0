"""Background work: one way to start a job, report progress, cancel it and recover it.

A job is two rows: a ``django_tasks_db`` task result (the durable queue entry a worker claims with
``SELECT ... FOR UPDATE SKIP LOCKED``) and a ``core.Job`` (what people see). Tasks receive the job
id, never objects, and are enqueued only after the surrounding transaction commits, so a worker
never picks up a job whose data is not there yet. Job functions must be safe to run again: a job
whose worker died is put back in the queue by ``requeue_stale_tasks``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core import live
from core.models import Job

logger = logging.getLogger(__name__)

JobFunction = Callable[["JobReporter"], dict[str, Any] | None]
_REGISTRY: dict[str, JobFunction] = {}


def _locked(exc: OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def write_retrying(write: Callable[[], Any], *, attempts: int = 8, first_wait: float = 0.05) -> Any:
    """Run a short write, trying again when the database says it is locked (SQLite under concurrent
    writers, past its busy timeout or on a stale read snapshot), waiting 50 ms, 100 ms, … between tries.
    Anything else, or the last failure, is raised."""
    wait = first_wait
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as exc:
            if not _locked(exc) or attempt == attempts - 1 or transaction.get_connection().in_atomic_block:
                raise
            logger.warning("Database locked on a job write; trying again in %.2f s", wait)
            time.sleep(wait)
            wait = min(wait * 2, 2.0)
    return None


class JobCancelled(Exception):
    """Raised inside a job function when somebody asked to cancel it."""


def job_function(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``func`` as the body of jobs of ``kind``. It receives a ``JobReporter``."""

    def decorator(func: JobFunction) -> JobFunction:
        _REGISTRY[kind] = func
        return func

    return decorator


class JobReporter:
    """Handed to a job function: its parameters, and progress reports at most every ``every`` s."""

    def __init__(self, job: Job, every: float = 0.5) -> None:
        self.job = job
        self.params: dict[str, Any] = job.params
        self._every = every
        self._last = 0.0

    def progress(self, done: int, total: int | None = None, message: str = "", force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self._every:
            return
        self._last = now
        fields = {"done": done, "message": message[:500]}
        if total is not None:
            fields["total"] = total
        fields["heartbeat_at"] = timezone.now()
        try:
            write_retrying(lambda: Job.objects.filter(pk=self.job.pk).update(**fields))
        except OperationalError:
            # Progress is advisory: a report that cannot be written now is skipped, the work goes on.
            logger.warning("Progress of job %s not written: the database stayed locked", self.job.pk)
            return
        for key, value in fields.items():
            setattr(self.job, key, value)
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled
        live.publish(f"job-{self.job.pk}", "job.progress", self.job.as_status())


def job_start(
    *, kind: str, params: dict[str, Any] | None = None, label: str = "", actor: Any = None
) -> Job:
    """Create a job and queue its task once the current transaction commits."""
    if kind not in _REGISTRY:
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, params=params or {}, label=label, created_by=actor)

    def _enqueue() -> None:
        result = run_job.enqueue(job_id=str(job.pk))
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(_enqueue)
    return job


def job_cancel(*, job: Job) -> Job:
    """Ask a job to stop. A queued job stops at once; a running one at its next progress report."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.is_finished:
            return locked
        locked.cancel_requested = True
        if locked.status == Job.Status.QUEUED:
            locked.status = Job.Status.CANCELLED
            locked.finished_at = timezone.now()
        locked.save(update_fields=["cancel_requested", "status", "finished_at"])
    return locked


@task()
def run_job(job_id: str) -> dict[str, Any]:
    """The single django-tasks entry point; dispatches on the job's kind."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return {"status": job.status}
    func = _REGISTRY[job.kind]
    now = timezone.now()
    write_retrying(lambda: Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=job.attempts + 1,
        worker=this_worker()))
    job.refresh_from_db()
    reporter = JobReporter(job)
    beating = Heartbeat(job.pk)
    beating.start()
    try:
        result = func(reporter) or {}
    except JobCancelled:
        _finish(job, Job.Status.CANCELLED, message=gettext_noop("Đã huỷ theo yêu cầu"))
        return {"status": Job.Status.CANCELLED}
    except Exception as exc:  # the job row must say why, whatever went wrong
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    finally:
        beating.stop()
    _finish(job, Job.Status.SUCCEEDED, result=result, message=gettext_noop("Hoàn thành"))
    return {"status": Job.Status.SUCCEEDED}


class Heartbeat:
    """A thread that writes the job's ``heartbeat_at`` every ``JOB_HEARTBEAT_SECONDS`` while it runs, on
    its own connection, so a job busy in one long query still shows its worker is alive; a worker killed
    stops beating, and ``recover_stalled_jobs`` sees it."""

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        self.worker = this_worker()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self._stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    # Only this run's beat: after a re-queue another worker's run owns the row.
                    write_retrying(lambda: Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING,
                                                              worker=self.worker)
                                   .update(heartbeat_at=timezone.now()), attempts=3)
                except Exception:  # a missed beat is not fatal; the next one may get through
                    logger.warning("Heartbeat of job %s not written", self.job_id, exc_info=True)
        finally:
            connection.close()


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def _alive_here(worker: str) -> bool:
    """Whether ``worker`` ("host:pid") is a process still running on this host (a worker's pid reused by
    an unrelated process is told apart by its command line where /proc shows it)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except PermissionError:
        return True  # it exists, under another user
    except (ProcessLookupError, OverflowError):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read()
        with open(f"/proc/{pid}/stat", "rb") as handle:
            zombie = handle.read().rsplit(b")", 1)[-1].split()[0] == b"Z"
    except OSError:
        return True  # no /proc here: the signal check is all there is
    return not zombie and (b"db_worker" in command or int(pid) == os.getpid())


def recover_stalled_jobs(*, silent_for: timedelta | None = None) -> dict[str, int]:
    """Running jobs whose worker stopped beating for ``silent_for`` (default ``JOB_STALL_SECONDS``): each
    is queued again (its task back to READY) while it has runs left of ``JOB_MAX_ATTEMPTS``, else failed
    with a message saying so — visible on its job page. Job functions are safe to run again."""
    if silent_for is None:
        silent_for = timedelta(seconds=settings.JOB_STALL_SECONDS)
    cutoff = timezone.now() - silent_for
    silent = models.Q(heartbeat_at__lte=cutoff) | models.Q(heartbeat_at__isnull=True, started_at__lte=cutoff)
    requeued = failed = 0
    if not Job.objects.filter(silent, status=Job.Status.RUNNING).exists():
        return {"requeued": 0, "failed": 0}  # the usual case, answered without taking a write lock
    with transaction.atomic():
        # A live worker on this host is trusted for a while (its beat may be held up by a long write);
        # not for ever: a job silent ten times the limit, or whose task the queue no longer runs, is
        # taken back whatever its process does.
        hopeless = timezone.now() - 10 * max(silent_for, timedelta(seconds=settings.JOB_STALL_SECONDS))
        candidates = list(Job.objects.select_for_update().filter(silent, status=Job.Status.RUNNING))
        task_running = set(str(pk) for pk in DBTaskResult.objects.filter(
            id__in=[j.task_result_id for j in candidates if j.task_result_id], status="RUNNING")
            .values_list("id", flat=True))
        stalled = [job for job in candidates
                   if not (_alive_here(job.worker) and job.task_result_id in task_running
                           and (job.heartbeat_at or job.started_at or timezone.now()) > hopeless)]
        for job in stalled:
            if job.attempts < settings.JOB_MAX_ATTEMPTS and job.task_result_id and not job.cancel_requested:
                DBTaskResult.objects.filter(id=job.task_result_id).update(status="READY", started_at=None)
                job.status, job.heartbeat_at = Job.Status.QUEUED, None
                job.message = gettext_noop("Tiến trình xử lý đã dừng giữa chừng; tác vụ được xếp lại hàng đợi.")
                job.save(update_fields=["status", "heartbeat_at", "message"])
                requeued += 1
            else:
                if job.task_result_id:
                    DBTaskResult.objects.filter(id=job.task_result_id).update(status="FAILED",
                                                                              finished_at=timezone.now())
                job.status, job.finished_at = Job.Status.FAILED, timezone.now()
                last = timezone.localtime(job.heartbeat_at or job.started_at)
                job.error = (f"Tiến trình xử lý đã dừng (không còn tín hiệu từ {last:%H:%M:%S %d/%m/%Y}) sau "
                             f"{job.attempts} lần chạy; hãy chạy lại tác vụ.")
                job.save(update_fields=["status", "finished_at", "error"])
                failed += 1
    for job in stalled:
        live.publish(f"job-{job.pk}", "job.progress", job.as_status())
    if requeued or failed:
        logger.warning("Jobs whose worker stopped: %d re-queued, %d failed", requeued, failed)
    return {"requeued": requeued, "failed": failed}


def _finish(job: Job, status: str, *, result: dict | None = None, error: str = "", message: str = "") -> None:
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error}
    if result is not None:
        fields["result"] = result
    if message:
        fields["message"] = message
    if status == Job.Status.SUCCEEDED and job.total is not None:
        fields["done"] = job.total
    write_retrying(lambda: Job.objects.filter(pk=job.pk).update(**fields), attempts=12)
    job.refresh_from_db()
    live.publish(f"job-{job.pk}", "job.progress", job.as_status())


def requeue_stale_tasks(older_than: timedelta | None = None) -> int:
    """Put tasks whose worker vanished back in the queue; returns how many.

    A task is stale when it has been "running" for longer than ``older_than`` (by default
    ``TASK_STALE_AFTER_SECONDS``). The embedded server calls this with zero at start-up, when no
    other worker can be holding a task.
    """
    if older_than is None:
        older_than = timedelta(seconds=settings.TASK_STALE_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stale = DBTaskResult.objects.running().filter(started_at__lte=cutoff)
        ids = list(stale.values_list("id", flat=True))
        DBTaskResult.objects.filter(id__in=ids).update(status="READY", started_at=None)
        Job.objects.filter(task_result_id__in=[str(i) for i in ids], status=Job.Status.RUNNING).update(
            status=Job.Status.QUEUED
        )
    if ids:
        logger.warning("Re-queued %d task(s) whose worker had stopped", len(ids))
    return len(ids)


def stalled_jobs_periodic() -> list[str]:
    counts = recover_stalled_jobs()
    if not any(counts.values()):
        return []
    return [f"Tác vụ nền mất tiến trình xử lý: xếp lại {counts['requeued']}, đánh dấu thất bại {counts['failed']}."]


def job_output_path(job: Job):  # type: ignore[no-untyped-def]
    """The file a finished job produced, if its kind produces one (kinds register a locator)."""
    locator = _OUTPUTS.get(job.kind)
    return locator(job.pk) if locator else None


_OUTPUTS: dict[str, Callable[[Any], Any]] = {}


def job_output(kind: str, locator: Callable[[Any], Any]) -> None:
    """Declare where jobs of ``kind`` leave their output file, so the download view can find it."""
    _OUTPUTS[kind] = locator


def jobs_prune(*, older_than: timedelta) -> int:
    """Delete finished jobs older than ``older_than`` with their output files; returns how many.

    Exports hold personal data: they should not outlive their use.
    """
    cutoff = timezone.now() - older_than
    old = Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=cutoff)
    count = 0
    for job in old.iterator():
        path = job_output_path(job)
        if path is not None and path.exists():
            path.unlink()
        job.delete()
        count += 1
    DBTaskResult.objects.filter(status__in=("SUCCESSFUL", "FAILED"), finished_at__lt=cutoff).delete()
    return count
