"""The funnel analytics page; the project URLconf includes this with ``path("", include(...))``."""

from __future__ import annotations

from django.urls import path

from openings import funnel_views

urlpatterns = [
    path("analytics/funnel/", funnel_views.funnel_page, name="funnel"),
]
