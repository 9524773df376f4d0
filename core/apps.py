from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core.periodic import register_periodic
        from core.tasking import stalled_jobs_periodic

        # Workers on other machines have no supervisor: the periodic pass recovers their stalled jobs.
        register_periodic("core.stalled_jobs", stalled_jobs_periodic, order=10)
