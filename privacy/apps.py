from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Consent per purpose, the data subject's export and erasure (DESIGN §5)."""

    name = "privacy"

    def ready(self) -> None:
        from privacy import demo, hooks

        hooks.register()
        # The consents of the demo city's people: drawn with each person, written with the city.
        demo.register()
