"""Mixins for server-rendered page views.

Page views get the same guarantee as the API's base viewset (``api/base.py``): every queryset
starts from ``Model.objects.for_user(request.user)``, so an object outside the user's scope is
simply absent and answers 404. Anonymous users are sent to the login page first.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import HttpRequest


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Login required, and ``get_queryset()`` limited to what the user may see (deny by default).

    Use with Django's generic views (``ListView``, ``DetailView``, ``SingleObjectMixin`` ...): their
    ``get_object()`` looks the pk up in this queryset, so out-of-scope ids become 404. A subclass
    may narrow or decorate the queryset (a selector, ``select_related``) but must start from it or
    from a selector that itself starts from ``for_user``.
    """

    model: type[Model] | None = None
    request: HttpRequest

    def get_queryset(self) -> QuerySet[Any]:
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a `model` to scope its queryset.")
        manager = self.model._default_manager
        # A model without a scoping rule is not exposed at all rather than exposed in full.
        if not hasattr(manager, "for_user"):
            raise ImproperlyConfigured(
                f"{self.model.__name__} has no for_user() queryset; page views only serve scoped models."
            )
        return manager.for_user(self.request.user)
