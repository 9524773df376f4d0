from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    """Rubrics, the ranking engine, eligibility rules, the potential model and the fairness audit."""

    name = "scoring"
    verbose_name = _("Xếp hạng")

    def ready(self) -> None:
        from scoring import jobs, signals  # noqa: F401  (job functions; re-scoring on record changes)
