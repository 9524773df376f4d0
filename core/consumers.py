"""WebSocket consumers only authenticate, authorize, join a group and forward (DESIGN §3)."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.models import Job


class JobConsumer(AsyncJsonWebsocketConsumer):
    """Live progress of one background job, for the user who started it (or an administrator)."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        job_id = self.scope["url_route"]["kwargs"]["job_id"]
        job = await self._visible_job(user, job_id)
        if job is None:
            await self.close(code=4404)
            return
        self.group = f"job-{job_id}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # The client may have missed updates before connecting: start from the current state.
        await self.send_json({"type": "job.progress", "data": job.as_status()})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def job_progress(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "job.progress", "data": event["data"]})

    @database_sync_to_async
    def _visible_job(self, user: Any, job_id: Any) -> Job | None:
        return Job.objects.for_user(user).filter(pk=job_id).first()
