from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = _("Nhập dữ liệu")

    def ready(self) -> None:
        from imports import candidate_kind, jobs  # noqa: F401  (jobs registers the job functions)

        candidate_kind.register()
