"""WebSockets of events (DESIGN §3: authenticate, authorize, join, forward); the bell's is in ``core.consumers``.

``config.asgi`` wraps these in ``AllowedHostsOriginValidator`` (a foreign Origin is refused before
the consumer runs) and ``AuthMiddlewareStack`` (the session cookie gives ``scope["user"]``).

Close codes: 4401 not signed in, 4404 no such event. Each connection first receives a snapshot, so
a client that reconnects has caught up; after that only small deltas with ids arrive. The same state
is available over HTTP (``/events/<id>/live/state.json``, ``/events/<id>/qa/state.json``,
``/notifications/unread.json`` for the bell).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from clubs import qa, services
from clubs.models import Event
from core.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, ForwardingConsumer, signed_in

class EventConsumer(ForwardingConsumer):
    """``ws/events/<id>/``: managers of the event join ``event-<id>-staff`` (counters, check-ins,
    pending questions) and ``event-<id>-qa``; everyone else signed in joins ``event-<id>-qa`` only."""

    forward_only = frozenset({"event_update", "qa_update"})
    joined: tuple[str, ...] = ()

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not signed_in(user):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        event_id = int(self.scope["url_route"]["kwargs"]["event_id"])
        manager = await self._access(user, event_id)
        if manager is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        groups = [qa.qa_group(event_id)] + ([qa.staff_group(event_id)] if manager else [])
        # Join before reading the snapshot: a change committed in between is then in the snapshot or
        # arrives as a delta afterwards, never lost.
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = tuple(groups)
        await self.accept()
        snapshot = await self._snapshot(user, event_id, manager)
        await self.send_json({"type": "snapshot", "data": snapshot})

    async def disconnect(self, code: int) -> None:
        for group in self.joined:
            await self.leave(group)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # Writes go through HTTP (CSRF, services, one code path); the socket only listens.
        return

    # Forwarders: the group decides who hears what.
    async def event_update(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "event.update", "data": message["data"]})

    async def qa_update(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "qa.update", "data": message["data"]})

    @database_sync_to_async
    def _access(self, user: Any, event_id: int) -> bool | None:
        """None when the user may not see the event (or it does not exist), else whether they manage it."""
        event = Event.objects.for_user(user).filter(pk=event_id).first()
        if event is None:
            return None
        return services.may_manage_event(user, event)

    @database_sync_to_async
    def _snapshot(self, user: Any, event_id: int, manager: bool) -> dict[str, Any]:
        event = Event.objects.for_user(user).get(pk=event_id)
        return qa.connect_snapshot(event, user, manager=manager)
