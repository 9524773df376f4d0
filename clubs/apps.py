from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubsConfig(AppConfig):
    """Clubs, events, check-in, announcements, live Q&A and surveys."""

    name = "clubs"
    verbose_name = _("Câu lạc bộ và sự kiện")

    def ready(self) -> None:
        from clubs import reminders
        from clubs.demo import seed_clubs
        from clubs.engagement import provider
        from core.periodic import register_periodic
        from core.seeding import Seeder, register_seeder
        from scoring.features import register_provider

        # Attendance feeds the scoring feature "engagement_points".
        register_provider("engagement_points", provider)
        # Lapsed waitlist offers move on, then tomorrow's events are reminded (manage.py event_tasks).
        register_periodic("clubs.events", reminders.periodic, order=10)
        # Clubs, events with attendance, Q&A, announcements and surveys come after the scoring demo.
        register_seeder(Seeder("clubs", seed_clubs, after=("scoring",)))
