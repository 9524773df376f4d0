from __future__ import annotations

from django.apps import AppConfig


class ClubsConfig(AppConfig):
    """Clubs, events, check-in, announcements and surveys (issue 6)."""

    name = "clubs"
