from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = _("Nhập dữ liệu")

    def ready(self) -> None:
        from imports import jobs  # noqa: F401  (registers the job functions)
