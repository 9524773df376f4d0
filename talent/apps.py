from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Nhân tài")

    def ready(self) -> None:
        # Registers the job functions with core.tasking so any worker can run them.
        from talent import jobs  # noqa: F401
