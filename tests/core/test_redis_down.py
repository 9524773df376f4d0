"""Issue 18, item 2: with REDIS_URL set and Redis unreachable, the service degrades instead of breaking. The
cache and the channel layer point at a port nothing listens on (what a stopped Redis looks like): API
calls — the token endpoint included — answer as usual with throttles failing open and a warning logged,
the login lockout (in the database) still holds, /healthz says Redis is down, and a WebSocket is accepted
and closed with 4503 so the page says it is retrying, instead of an HTTP 500."""

from __future__ import annotations

import logging

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from core.consumers import CLOSE_LAYER_DOWN
from talent.models import Role
from tests.factories import make_user

DOWN = "redis://127.0.0.1:1/0"
REDIS_DOWN = override_settings(
    REDIS_URL=DOWN,
    CACHES={"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": DOWN, "KEY_PREFIX": "ytp",
                        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}},
    CHANNEL_LAYERS={"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                "CONFIG": {"hosts": [DOWN], "prefix": "ytp"}}},
)
PASSWORD = "Mat-khau-2026-dai"


@pytest.fixture
def down():  # type: ignore[no-untyped-def]
    from channels.layers import channel_layers

    from core.cache import FailOpenRedisCache

    with REDIS_DOWN:
        channel_layers.backends.clear()
        yield
    channel_layers.backends.clear()
    FailOpenRedisCache._down_until.clear()


@pytest.mark.django_db
def test_the_api_answers_with_throttles_failing_open(down, client, org_tree, caplog) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    make_user(Role.OFFICER, org_tree.city, username="officer_down", password=PASSWORD)
    api = APIClient()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        token = api.post("/api/v1/auth/token/", {"username": "officer_down", "password": PASSWORD}, format="json")
        assert token.status_code == 200, token.content
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
        for _ in range(3):
            assert api.get("/api/v1/candidates/").status_code == 200
    assert any("Redis unreachable" in r.getMessage() for r in caplog.records)
    client.force_login(make_user(Role.OFFICER, org_tree.city, username="officer_pages"))
    assert client.get("/candidates/").status_code == 200  # pages serve too


@pytest.mark.django_db
def test_the_login_lockout_still_holds(down, client, org_tree) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.OFFICER, org_tree.city, username="locked_down", password=PASSWORD)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "locked_down", "password": "sai"}, REMOTE_ADDR="10.9.9.9")
    right = client.post("/accounts/login/", {"username": "locked_down", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert right.status_code == 429


@pytest.mark.django_db
def test_healthz_reports_redis_down(down, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["database"]["ok"] is True
    assert body["redis"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_websocket_is_closed_with_a_retry_code_not_a_500(down, org_tree) -> None:  # type: ignore[no-untyped-def]
    from channels.db import database_sync_to_async
    from django.db import connections

    from config.routing import websocket_urlpatterns

    user = await database_sync_to_async(make_user)(Role.OFFICER, org_tree.city, username="ws_down")
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/notifications/")
    communicator.scope["user"] = user
    try:
        connected, _ = await communicator.connect(timeout=10)
        assert connected  # accepted, then closed
        closed = await communicator.receive_output(timeout=10)
        assert closed == {"type": "websocket.close", "code": CLOSE_LAYER_DOWN}
    finally:
        await database_sync_to_async(connections.close_all)()


@pytest.mark.django_db
def test_the_self_check_in_refuses_while_its_guess_counter_is_unreachable(down, client, org_tree) -> None:  # type: ignore[no-untyped-def]
    """The cap on guessing the 6-digit code lives in the cache: failing open would lift it, so self
    check-in waits (503 with a message) while Redis is down; and a failed Redis is not asked again for a
    few seconds, so an unanswering Redis does not cost every call its timeout."""
    import time

    from django.core.cache import cache

    from clubs.models import Event
    from clubs.services import event_create, event_register
    from core import cache as fail_open

    officer = make_user(Role.OFFICER, org_tree.city, username="checkin_officer")
    member = make_user(Role.OFFICER, org_tree.city, username="checkin_member")
    import datetime as dt

    from django.utils import timezone

    event = event_create(actor=officer, title="Đối thoại", kind=Event.Kind.DIALOGUE,
                         starts_at=timezone.now() - dt.timedelta(minutes=10),
                         ends_at=timezone.now() + dt.timedelta(hours=1), capacity=10, organization=org_tree.city)
    event_register(event=event, user=member)
    client.force_login(member)
    response = client.post(f"/events/{event.pk}/self-check-in/", {"code": "123456"})
    assert response.status_code == 503 and "Tạm thời chưa tự check-in được" in response.content.decode()
    assert cache.is_down
    started = time.monotonic()
    for _ in range(50):
        cache.get("x")
    assert time.monotonic() - started < 0.5  # not tried again while paused
    fail_open.FailOpenRedisCache._down_until.clear()
