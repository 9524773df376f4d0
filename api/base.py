"""The one base viewset: every API queryset starts from ``Model.objects.for_user(request.user)``.

Objects outside the user's scope are simply not in the queryset, so they answer 404, never 403.
``queryset`` on a viewset only names the model (for routers and the schema); it is never read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, viewsets

# How a query parameter says yes (``?unread=1``, ``?blind=true`` ...).
TRUE_WORDS = ("1", "true", "yes", "on")


def is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in TRUE_WORDS


class ScopedViewSetMixin:
    queryset: QuerySet[Any]
    request: Any
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    def scoped_queryset(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        """Hook for a viewset to narrow further (filters from the URL, annotations)."""
        return qs

    def get_queryset(self) -> QuerySet[Any]:
        qs = self.queryset.model.objects.for_user(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return self.scoped_queryset(qs)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve; writes are explicit methods that call services."""
