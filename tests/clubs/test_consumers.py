"""ws/events/<id>/ and ws/notifications/ through the real ASGI stack (config.asgi.application): the
session cookie authenticates, the Origin is checked, and each user joins only the groups they may see.
Updates are produced by the services, exactly as in production (published after commit)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone

from clubs import qa, services
from clubs.models import Event, Registration
from core.models import Notification
from core.notifications import notifications_mark_read, notify
from config.asgi import application
from talent.models import Role
from tests.factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = b"http://testserver"


@pytest_asyncio.fixture(autouse=True)
async def _close_thread_connections():  # type: ignore[no-untyped-def]
    """The consumers' queries run on asgiref's worker thread; close its connection afterwards so the
    test database can be dropped (PostgreSQL refuses while a session is open)."""
    yield
    await database_sync_to_async(connections.close_all)()


def session_cookie(user: Any) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def open_socket(path: str, user: Any = None, origin: bytes | None = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"host", b"testserver")]
    if origin is not None:
        headers.append((b"origin", origin))
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    return WebsocketCommunicator(application, path, headers=headers)


async def connected(path: str, user: Any) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """Connect, and return the communicator with the snapshot every connection starts with."""
    communicator = await open_socket(path, user)
    ok, code = await communicator.connect()
    assert ok, code
    first = await communicator.receive_json_from(timeout=2)
    return communicator, first


@pytest.fixture
def room(org_tree, officer) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """A dialogue of the city union: the officer manages it; An and Bình hold seats; Chí is a stranger."""
    starts = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    event = services.event_create(actor=officer, title="Đối thoại", kind=Event.Kind.DIALOGUE, starts_at=starts,
                                  ends_at=starts + timedelta(hours=2), capacity=10, organization=org_tree.city)
    an, binh, chi = (make_user(Role.STUDENT, org_tree.faculty, username=n) for n in ("an", "binh", "chi"))
    tickets = {p.username: services.event_register(event=event, user=p).code for p in (an, binh)}
    return SimpleNamespace(event=event, officer=officer, an=an, binh=binh, stranger=chi, tickets=tickets,
                           path=f"/ws/events/{event.pk}/")


# --- ws/events/<id>/: allowed joins ------------------------------------------------------------------

async def test_organizer_gets_counts_then_a_check_in_made_through_the_service(room) -> None:  # type: ignore[no-untyped-def]
    organizer, snapshot = await connected(room.path, room.officer)
    assert snapshot["type"] == "snapshot"
    assert snapshot["data"]["counts"] == {"seated": 2, "waitlisted": 0, "attended": 0, "capacity": 10}
    assert snapshot["data"]["qa"]["moderator"] is True

    registration = await database_sync_to_async(services.check_in_ticket)(
        event=room.event, code=room.tickets["an"], actor=room.officer)
    update = await organizer.receive_json_from(timeout=2)
    assert update["type"] == "event.update"
    assert update["data"] == {"kind": "checkin", "event": room.event.pk, "seated": 2, "waitlisted": 0,
                              "attended": 1, "capacity": 10, "registration": registration.pk}
    await organizer.disconnect()


async def test_attendee_gets_qa_updates_but_never_staff_counters(room) -> None:  # type: ignore[no-untyped-def]
    attendee, snapshot = await connected(room.path, room.binh)
    assert snapshot["data"]["counts"] is None
    assert snapshot["data"]["qa"] == {"event": room.event.pk, "moderator": False, "may_ask": True, "questions": [],
                                      "voted": [], "mine": []}
    organizer, _ = await connected(room.path, room.officer)

    # A check-in and a registration: staff counters, not for attendees.
    await database_sync_to_async(services.check_in_ticket)(event=room.event, code=room.tickets["an"],
                                                           actor=room.officer)
    await database_sync_to_async(services.event_register)(event=room.event, user=room.stranger)
    assert (await organizer.receive_json_from(timeout=2))["data"]["kind"] == "checkin"
    assert (await organizer.receive_json_from(timeout=2))["data"]["kind"] == "registration"

    # A pending question: moderators only.
    question = await database_sync_to_async(qa.question_submit)(event=room.event, user=room.an, text="Em hỏi ạ")
    pending = await organizer.receive_json_from(timeout=2)
    assert pending["type"] == "qa.update" and pending["data"]["question"]["status"] == "pending"
    assert await attendee.receive_nothing(timeout=0.3)

    # Approved: the whole room, with the question's id and text and no author.
    await database_sync_to_async(qa.question_moderate)(question=question, actor=room.officer, status="approved")
    approved = await attendee.receive_json_from(timeout=2)
    assert approved == {"type": "qa.update", "data": {"action": "moderated", "event": room.event.pk, "question": {
        "id": question.pk, "text": "Em hỏi ạ", "status": "approved", "votes": 0,
        "created_at": approved["data"]["question"]["created_at"]}}}

    # A vote: a small delta, id and count.
    await database_sync_to_async(qa.question_vote)(question=question, user=room.binh)
    voted = await attendee.receive_json_from(timeout=2)
    assert voted["data"]["question"] == {"id": question.pk, "votes": 1}

    # Hidden: the room is told which id to drop, nothing more.
    await database_sync_to_async(qa.question_moderate)(question=question, actor=room.officer, status="hidden")
    hidden = await attendee.receive_json_from(timeout=2)
    assert hidden["data"]["question"] == {"id": question.pk, "status": "hidden"}
    assert await attendee.receive_nothing(timeout=0.3)
    await attendee.disconnect()
    await organizer.disconnect()


async def test_reconnecting_attendee_catches_up_from_the_snapshot(room) -> None:  # type: ignore[no-untyped-def]
    question = await database_sync_to_async(qa.question_submit)(event=room.event, user=room.officer, text="Câu 1")
    await database_sync_to_async(qa.question_vote)(question=question, user=room.an)
    hidden = await database_sync_to_async(qa.question_submit)(event=room.event, user=room.officer, text="Ẩn")
    await database_sync_to_async(qa.question_moderate)(question=hidden, actor=room.officer, status="hidden")
    attendee, snapshot = await connected(room.path, room.an)
    state = snapshot["data"]["qa"]
    assert [(q["id"], q["votes"]) for q in state["questions"]] == [(question.pk, 1)]
    assert state["voted"] == [question.pk]
    await attendee.disconnect()


async def test_a_stranger_may_follow_the_qa_of_a_public_event(room) -> None:  # type: ignore[no-untyped-def]
    stranger, snapshot = await connected(room.path, room.stranger)
    assert snapshot["data"]["counts"] is None and snapshot["data"]["qa"]["may_ask"] is False
    await database_sync_to_async(services.check_in_ticket)(event=room.event, code=room.tickets["an"],
                                                           actor=room.officer)
    assert await stranger.receive_nothing(timeout=0.3)
    await stranger.disconnect()


# --- ws/events/<id>/: refused joins ------------------------------------------------------------------

async def test_anonymous_is_refused_with_4401(room) -> None:  # type: ignore[no-untyped-def]
    communicator = await open_socket(room.path, user=None)
    assert await communicator.connect() == (False, 4401)


async def test_nonexistent_event_is_refused_with_4404(room) -> None:  # type: ignore[no-untyped-def]
    communicator = await open_socket(f"/ws/events/{room.event.pk + 1000}/", room.officer)
    assert await communicator.connect() == (False, 4404)


@pytest.mark.parametrize("origin", [b"http://evil.example", b"http://testserver.evil.example", None])
async def test_foreign_or_missing_origin_is_refused(room, origin) -> None:  # type: ignore[no-untyped-def]
    """Cross-site WebSocket hijacking: a page elsewhere cannot ride the organizer's session cookie."""
    communicator = await open_socket(room.path, room.officer, origin=origin)
    connected_, _code = await communicator.connect()
    assert connected_ is False
    # The same user from the site's own origin is let in (the refusal is the origin's doing).
    communicator = await open_socket(room.path, room.officer)
    assert (await communicator.connect())[0] is True
    await communicator.disconnect()


async def test_client_messages_are_ignored(room) -> None:  # type: ignore[no-untyped-def]
    attendee, _ = await connected(room.path, room.an)
    await attendee.send_json_to({"type": "event.update", "data": {"attended": 999}})
    assert await attendee.receive_nothing(timeout=0.3)
    count = await database_sync_to_async(
        lambda: Registration.objects.filter(event=room.event, checked_in_at__isnull=False).count())()
    assert count == 0
    await attendee.disconnect()


# --- ws/notifications/ -------------------------------------------------------------------------------

async def test_notifications_reach_their_owner_only(room) -> None:  # type: ignore[no-untyped-def]
    an, first = await connected("/ws/notifications/", room.an)
    binh, _ = await connected("/ws/notifications/", room.binh)
    assert first == {"type": "notification.snapshot", "data": {"unread": 0}}

    await database_sync_to_async(notify)(users=[room.an.pk], kind="club.announcement",
                                                  title="Họp CLB", body="Thứ Bảy", url="/clubs/clb/")
    message = await an.receive_json_from(timeout=2)
    note = await database_sync_to_async(Notification.objects.get)(user=room.an)
    assert message["type"] == "notification.new"
    assert (message["data"]["id"], message["data"]["title"], message["data"]["read"]) == (note.pk, "Họp CLB", False)
    assert await binh.receive_nothing(timeout=0.3)

    # Read in another tab: this one hears the new count.
    await database_sync_to_async(notifications_mark_read)(user=room.an)
    read = await an.receive_json_from(timeout=2)
    assert read == {"type": "notification.read", "data": {"ids": "all", "unread": 0}}
    assert await binh.receive_nothing(timeout=0.3)
    await an.disconnect()
    await binh.disconnect()


async def test_notification_snapshot_counts_unread(room) -> None:  # type: ignore[no-untyped-def]
    await database_sync_to_async(notify)(users=[room.an.pk, room.an.pk], kind="x", title="Một")
    await database_sync_to_async(notify)(users=[room.an.pk], kind="x", title="Hai")
    an, first = await connected("/ws/notifications/", room.an)
    assert first["data"] == {"unread": 2}
    await an.disconnect()


async def test_notifications_refuse_anonymous_and_foreign_origins(room) -> None:  # type: ignore[no-untyped-def]
    communicator = await open_socket("/ws/notifications/", user=None)
    assert await communicator.connect() == (False, 4401)
    communicator = await open_socket("/ws/notifications/", room.an, origin=b"https://evil.example")
    assert (await communicator.connect())[0] is False


async def test_forwarding_skips_the_per_message_database_hop(room, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Group messages are only passed on: channels' close_old_connections() hop into the sync thread,
    which serializes a fan-out to many sockets (tests/benchmarks/bench_live.py), is skipped for them."""
    import channels.consumer

    hops: list[str] = []
    original = channels.consumer.aclose_old_connections

    async def counting() -> None:
        hops.append("hop")
        await original()

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counting)
    attendee, _ = await connected(room.path, room.an)
    assert hops  # websocket.connect still closes stale connections before touching the database
    hops.clear()
    await database_sync_to_async(qa.question_submit)(event=room.event, user=room.officer, text="Câu hỏi")
    assert (await attendee.receive_json_from(timeout=2))["type"] == "qa.update"
    assert hops == []
    bell, _ = await connected("/ws/notifications/", room.an)
    hops.clear()
    await database_sync_to_async(notify)(users=[room.an.pk], kind="x", title="Một")
    assert (await bell.receive_json_from(timeout=2))["type"] == "notification.new"
    assert hops == []
    await attendee.disconnect()
    await bell.disconnect()
