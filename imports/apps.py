from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit actions this app writes, in words (the audit log shows these).
AUDIT_ACTIONS = {
    "import.start": _("Tải lên tệp nhập dữ liệu"),
    "import.commit": _("Ghi dữ liệu nhập"),
}


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = _("Nhập dữ liệu")

    def ready(self) -> None:
        from core.audit import register_actions
        from imports import candidate_kind, jobs  # noqa: F401  (jobs registers the job functions)

        register_actions(AUDIT_ACTIONS)

        candidate_kind.register()
