from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """User accounts: creation and deactivation by administrators, login hardening, login audit."""

    name = "accounts"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401  (connects the login audit receivers)
