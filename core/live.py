"""The one helper services use to push live updates through Channels.

Messages are sent after the current transaction commits, so nobody is told about a change that
was rolled back. A failing channel layer never breaks the write that triggered it.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def publish(group: str, event_type: str, payload: dict[str, Any]) -> None:
    def _send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(group, {"type": event_type.replace(".", "_"), "data": payload})
        except Exception:  # live delivery is best effort; the HTTP view is the source of truth
            logger.exception("Could not publish %s to %s", event_type, group)

    transaction.on_commit(_send)
