from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    """Rubrics, the ranking engine, eligibility rules, the potential model and the fairness audit."""

    name = "scoring"
    verbose_name = _("Xếp hạng")

    def ready(self) -> None:
        from core.seeding import Seeder, register_seeder
        from scoring import demo, jobs, services as scoring_services, signals  # noqa: F401  (job functions; re-scoring on record changes)
        from scoring.features import register_potential
        from scoring.potential import predict_active
        from talent.registry import MergeHook, register_merge_hook

        # The feature loader asks the potential model for its column without importing it.
        register_potential(predict_active)
        # Young cadres' trainings and ratings come after the exams demo (manage.py seed_demo).
        register_seeder(Seeder("scoring", demo.seed, after=("exams",)))
        # A merge of two records of one person moves this app's rows too.
        register_merge_hook(MergeHook(name="scoring", move=scoring_services.merge_move))
