"""API of the notification bell: each person's own lines, and marking them read."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ScopedViewSetMixin, is_true
from api.pagination import NewestIdPagination
from core.models import Notification
from core.notifications import notifications_mark_read

class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "url", "created_at", "read", "read_at")

    def get_read(self, note: Notification) -> bool:
        return note.read_at is not None


class NotificationReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000)
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("all") and not attrs.get("ids"):
            raise serializers.ValidationError({"ids": "Hãy gửi danh sách ids, hoặc all: true."})
        return attrs


class NotificationReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="notifications marked read by this call")
    unread = serializers.IntegerField(help_text="unread notifications left")


class NotificationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your notification bell, newest first (``?unread=1``: only the unread). The same lines arrive
    live on ``ws/notifications/``; a client that reconnects catches up here."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    pagination_class = NewestIdPagination
    filter_backends: list[Any] = []

    def scoped_queryset(self, qs: QuerySet[Notification]) -> QuerySet[Notification]:
        # for_user is the caller's own, also for an administrator: a bell is personal.
        qs = qs.filter(user=self.request.user)
        if is_true(self.request.query_params.get("unread")):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="only the unread")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=NotificationReadSerializer, responses={200: NotificationReadResultSerializer})
    @action(detail=False, methods=["post"])
    def read(self, request: Request) -> Response:
        """Mark your notifications read: ``{"ids": [...]}`` or ``{"all": true}``. Ids that are not
        yours are ignored."""
        data = NotificationReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The bell is the caller's own, also for an administrator; the service is handed explicit ids.
        mine = Notification.objects.of(request.user)
        chosen = mine if data.validated_data.get("all") else mine.filter(pk__in=data.validated_data["ids"])
        ids = list(chosen.filter(read_at__isnull=True).values_list("pk", flat=True))
        marked = notifications_mark_read(user=request.user, ids=ids) if ids else 0
        return Response({"marked": marked, "unread": mine.filter(read_at__isnull=True).count()})
