from __future__ import annotations

from django.urls import path

from clubs.consumers import EventConsumer
from core.consumers import JobConsumer, NotificationConsumer

websocket_urlpatterns = [
    path("ws/jobs/<uuid:job_id>/", JobConsumer.as_asgi()),
    path("ws/events/<int:event_id>/", EventConsumer.as_asgi()),
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
