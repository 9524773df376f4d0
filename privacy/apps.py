from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit actions this app writes, in words (the audit log shows these).
AUDIT_ACTIONS = {
    "candidate.subject_export": _("Ứng viên tải dữ liệu của mình"),
    "consent.grant": _("Ghi nhận sự đồng ý"),
    "consent.withdraw": _("Rút lại sự đồng ý"),
    "consent.evidence_download": _("Tải bản chụp giấy đồng ý"),
    "erasure.request": _("Yêu cầu xoá dữ liệu"),
    "erasure.approve": _("Duyệt yêu cầu xoá dữ liệu"),
    "erasure.reject": _("Từ chối yêu cầu xoá dữ liệu"),
}


class PrivacyConfig(AppConfig):
    """Consent per purpose, the data subject's export and erasure (DESIGN §5)."""

    name = "privacy"

    def ready(self) -> None:
        from core.audit import register_actions
        from privacy import demo, hooks

        register_actions(AUDIT_ACTIONS)

        hooks.register()
        # The consents of the demo city's people: drawn with each person, written with the city.
        demo.register()
