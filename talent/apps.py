from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Nhân tài")

    def ready(self) -> None:
        from core.scoping import register_administrator_check
        from core.seeding import Seeder
        from talent import jobs  # noqa: F401  (registers the job functions with core.tasking)
        from talent.demo import register_city_seeder, seed_talent
        from talent.roles import is_administrator

        register_administrator_check(is_administrator)
        # The demo city is the first demo seeder; the apps above add theirs (manage.py seed_demo).
        register_city_seeder(Seeder("talent", seed_talent))
