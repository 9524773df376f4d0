from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit actions this app writes, in words (the audit log shows these).
AUDIT_ACTIONS = {
    "score_run.start": _("Bắt đầu xếp hạng lại"),
    "score_run.execute": _("Xếp hạng"),
    "score_run.export": _("Xuất bảng xếp hạng"),
    "rubric.draft": _("Soạn bản nháp bộ tiêu chí"),
    "rubric.update": _("Sửa bản nháp bộ tiêu chí"),
    "rubric.activate": _("Áp dụng bộ tiêu chí"),
    "rule_set.update": _("Sửa điều kiện theo quy định"),
    "potential.train": _("Huấn luyện mô hình dự báo"),
    "contest.open": _("Gửi phản hồi hồ sơ"),
    "contest.resolve": _("Giải quyết phản hồi hồ sơ"),
}


class ScoringConfig(AppConfig):
    """Rubrics, the ranking engine, eligibility rules, the potential model and the fairness audit."""

    name = "scoring"
    verbose_name = _("Xếp hạng")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.seeding import Seeder, register_seeder
        from scoring import demo, jobs, services as scoring_services, signals  # noqa: F401  (job functions; re-scoring on record changes)
        from scoring.features import register_potential
        from scoring.potential import predict_active
        from talent.registry import MergeHook, register_merge_hook

        register_actions(AUDIT_ACTIONS)

        # The feature loader asks the potential model for its column without importing it.
        register_potential(predict_active)
        # Young cadres' trainings and ratings come after the exams demo (manage.py seed_demo).
        register_seeder(Seeder("scoring", demo.seed, after=("exams",)))
        # A merge of two records of one person moves this app's rows too.
        register_merge_hook(MergeHook(name="scoring", move=scoring_services.merge_move))
