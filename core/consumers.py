"""WebSocket consumers only authenticate, authorize, join a group and forward (DESIGN §3)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from channels.db import database_sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.models import Job
from core.notifications import unread_count

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404

# How often the consumer re-reads a running job. Workers publish through the channel layer, but
# without Redis that layer is per process and the embedded worker is another process: reading
# the row is what makes progress live in every deployment.
JOB_POLL_SECONDS = 1.0


class JobConsumer(AsyncJsonWebsocketConsumer):
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
            await self.channel_layer.group_discard(self.group, self.channel_name)

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


class ForwardingConsumer(AsyncJsonWebsocketConsumer):
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
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        return

    async def notification_new(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "notification.new", "data": message["data"]})

    async def notification_read(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "notification.read", "data": message["data"]})

    @database_sync_to_async
    def _unread(self, user: Any) -> int:
        return unread_count(user)
