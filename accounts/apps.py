from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit actions this app writes, in words (the audit log shows these).
AUDIT_ACTIONS = {
    "user.create": _("Tạo tài khoản"),
    "user.activate": _("Mở lại tài khoản"),
    "user.deactivate": _("Khoá tài khoản"),
    "auth.login": _("Đăng nhập"),
    "auth.login_failed": _("Đăng nhập thất bại"),
    "auth.locked_out": _("Tạm khoá do đăng nhập sai nhiều lần"),
}


class AccountsConfig(AppConfig):
    """User accounts: creation and deactivation by administrators, login hardening, login audit."""

    name = "accounts"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401  (connects the login audit receivers)
        from core.audit import register_actions

        register_actions(AUDIT_ACTIONS)
