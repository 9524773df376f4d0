"""WebSocket consumers only authenticate, authorize, join a group and forward (DESIGN §3)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.models import Job
from core.notifications import unread_count

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404
# The channel layer (Redis) cannot be reached: the socket is accepted and closed with this code, so the
# page says "mất kết nối, đang thử lại", keeps retrying and catches up over HTTP — never an HTTP 500.
CLOSE_LAYER_DOWN = 4503
logger = logging.getLogger(__name__)


def _layer_down(exc: BaseException) -> bool:
    try:
        import redis
    except ImportError:  # pragma: no cover - redis comes with channels_redis
        return isinstance(exc, ConnectionRefusedError)
    return isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, ConnectionRefusedError))


class LayerTolerantConsumer(AsyncJsonWebsocketConsumer):
    """A consumer whose handshake survives a channel layer that is down (Redis stopped): subscribing to
    the layer or joining a group fails, and instead of the server's 500 the client gets an accepted
    socket closed with ``CLOSE_LAYER_DOWN``, after which it retries with back-off."""

    async def leave(self, group: str) -> None:
        """Leave a group; with the layer gone there is nothing to leave (a disconnect must not fail)."""
        try:
            await self.channel_layer.group_discard(group, self.channel_name)
        except Exception as exc:
            if not _layer_down(exc):
                raise

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        seen = {"connect": False, "accepted": False, "closed": False}

        async def receiving() -> Any:
            message = await receive()
            if message.get("type") == "websocket.connect":
                seen["connect"] = True
            return message

        async def sending(message: Any) -> None:
            kind = message.get("type")
            seen["accepted"] |= kind == "websocket.accept"
            seen["closed"] |= kind == "websocket.close"
            await send(message)

        try:
            await super().__call__(scope, receiving, sending)
        except Exception as exc:
            if not _layer_down(exc) or seen["closed"]:
                raise
            logger.warning("Channel layer unreachable (%s): WebSocket closed with %s", type(exc).__name__,
                           CLOSE_LAYER_DOWN)
            if not seen["connect"]:
                await receiving()
            if not seen["accepted"]:
                await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": CLOSE_LAYER_DOWN})


# How often the consumer re-reads a running job. Workers publish through the channel layer, but
# without Redis that layer is per process and the embedded worker is another process: reading
# the row is what makes progress live in every deployment.
JOB_POLL_SECONDS = 1.0


class JobConsumer(LayerTolerantConsumer):
    """Live progress of one background job, for the user who started it (or an administrator)."""

    watcher: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        job_id = self.scope["url_route"]["kwargs"]["job_id"]
        job = await self._visible_job(self.scope.get("user"), job_id)
        if job is None:
            await self.close(code=4404)
            return
        self.job_id = job_id
        self.group = f"job-{job_id}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # The client may have missed updates before connecting: start from the current state.
        self.last_sent: dict[str, Any] = job.as_status()
        await self.send_json({"type": "job.progress", "data": self.last_sent})
        if not job.is_finished:
            self.watcher = asyncio.create_task(self._watch())

    async def disconnect(self, code: int) -> None:
        if self.watcher is not None:
            self.watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.watcher
        if hasattr(self, "group"):
            await self.leave(self.group)

    async def job_progress(self, event: dict[str, Any]) -> None:
        await self._send_if_new(event["data"])

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(JOB_POLL_SECONDS)
            job = await self._visible_job(self.scope.get("user"), self.job_id)
            if job is None:
                return
            await self._send_if_new(job.as_status())
            if job.is_finished:
                return

    async def _send_if_new(self, status: dict[str, Any]) -> None:
        keys = ("status", "done", "total", "message")
        if all(status.get(k) == self.last_sent.get(k) for k in keys):
            return
        self.last_sent = status
        await self.send_json({"type": "job.progress", "data": status})

    @database_sync_to_async
    def _visible_job(self, user: Any, job_id: Any) -> Job | None:
        return Job.objects.for_user(user).filter(pk=job_id).first()


def signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


class ForwardingConsumer(LayerTolerantConsumer):
    """A consumer whose group-message handlers only pass the message on.

    Channels runs ``close_old_connections()`` through ``sync_to_async`` before *every* handler. The
    forwarders below never touch the database, and that hop into the one thread-sensitive executor
    thread serializes a fan-out: with 1,000 sockets on one event, one update a second, p95 delivery
    went from ~660 ms to ~425 ms without it (tests/benchmarks/bench_live.py). Handlers named in
    ``forward_only`` skip it; connect, disconnect and receive keep channels' behaviour.
    """

    # Handler names: "qa_update" serves messages typed "qa.update" and "qa_update" alike.
    forward_only: frozenset[str] = frozenset()

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = get_handler_name(message)
        if handler in self.forward_only:
            await getattr(self, handler)(message)
            return
        await super().dispatch(message)


class NotificationConsumer(ForwardingConsumer):
    """``ws/notifications/``: the signed-in user's own group ``user-<id>``, nobody else's."""

    forward_only = frozenset({"notification_new", "notification_read"})
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not signed_in(user):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = f"user-{user.pk}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "notification.snapshot", "data": {"unread": await self._unread(user)}})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.leave(self.group)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        return

    async def notification_new(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "notification.new", "data": message["data"]})

    async def notification_read(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "notification.read", "data": message["data"]})

    @database_sync_to_async
    def _unread(self, user: Any) -> int:
        return unread_count(user)
