from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Consent per purpose, the data subject's export and erasure (DESIGN §5)."""

    name = "privacy"
