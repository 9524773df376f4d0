from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubsConfig(AppConfig):
    """Clubs, events, check-in, announcements, live Q&A and surveys."""

    name = "clubs"
    verbose_name = _("Câu lạc bộ và sự kiện")

    def ready(self) -> None:
        from clubs.engagement import provider
        from scoring.features import register_provider

        # Attendance feeds the scoring feature "engagement_points".
        register_provider("engagement_points", provider)
