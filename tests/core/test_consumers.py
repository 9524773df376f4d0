"""ws/jobs/{id}/: only the job's owner joins, gets the current state at once, then live updates."""

from __future__ import annotations

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connections

from config.routing import websocket_urlpatterns
from core.models import Job
from core.tasking import JobReporter

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest_asyncio.fixture(autouse=True)
async def _close_thread_connections():  # type: ignore[no-untyped-def]
    """The consumer's queries run on asgiref's worker thread; close its connection afterwards so
    the test database can be dropped (PostgreSQL refuses while a session is open)."""
    yield
    await database_sync_to_async(connections.close_all)()


def _communicator(job_id, user):  # type: ignore[no-untyped-def]
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/jobs/{job_id}/")
    communicator.scope["user"] = user
    return communicator


@pytest.fixture
def owner_and_job(db):  # type: ignore[no-untyped-def]
    owner = get_user_model().objects.create_user("owner", password="x")
    job = Job.objects.create(kind="test.count", created_by=owner, status=Job.Status.RUNNING, total=10)
    return owner, job


async def test_owner_receives_state_then_progress(owner_and_job) -> None:  # type: ignore[no-untyped-def]
    owner, job = owner_and_job
    communicator = _communicator(job.pk, owner)
    connected, _ = await communicator.connect()
    assert connected
    first = await communicator.receive_json_from()
    assert first["type"] == "job.progress" and first["data"]["status"] == "running"
    await database_sync_to_async(lambda: JobReporter(Job.objects.get(pk=job.pk)).progress(4, 10, force=True))()
    update = await communicator.receive_json_from(timeout=2)
    assert (update["data"]["done"], update["data"]["percent"]) == (4, 40)
    await communicator.disconnect()


async def test_others_and_anonymous_are_refused(owner_and_job) -> None:  # type: ignore[no-untyped-def]
    _, job = owner_and_job
    stranger = await database_sync_to_async(get_user_model().objects.create_user)("stranger", password="x")
    for user in (stranger, AnonymousUser()):
        communicator = _communicator(job.pk, user)
        connected, code = await communicator.connect()
        assert not connected and code == 4404


async def test_progress_written_by_another_process_still_arrives(owner_and_job, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The embedded worker is a separate process with its own in-memory layer: the consumer must
    notice progress from the database row alone."""
    import core.consumers

    monkeypatch.setattr(core.consumers, "JOB_POLL_SECONDS", 0.05)
    owner, job = owner_and_job
    communicator = _communicator(job.pk, owner)
    await communicator.connect()
    await communicator.receive_json_from()
    await database_sync_to_async(
        lambda: Job.objects.filter(pk=job.pk).update(done=10, status=Job.Status.SUCCEEDED))()
    update = await communicator.receive_json_from(timeout=2)
    assert (update["data"]["status"], update["data"]["done"]) == ("succeeded", 10)
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()
