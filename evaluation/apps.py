from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "evaluation.cycle.create": _("Tạo kỳ đánh giá"),
    "evaluation.assign": _("Phân công đánh giá"),
    "evaluation.cycle.open": _("Mở kỳ đánh giá"),
    "evaluation.cycle.close": _("Đóng kỳ đánh giá"),
    "evaluation.cycle.finalize": _("Chốt kết quả đánh giá"),
    "evaluation.submit": _("Gửi phiếu đánh giá"),
    "evaluation.read": _("Xem kết quả đánh giá"),
    "evaluation.task": _("Giao, ghi kết quả nhiệm vụ lượng hóa"),
}
RUNNER_ROLES = frozenset({"admin", "personnel"})
EVERYONE = frozenset({"admin", "personnel", "officer", "liaison", "recruiter", "student"})


class EvaluationConfig(AppConfig):
    """Monthly and yearly multi-rater evaluation of cadres, feeding the annual rating."""

    name = "evaluation"
    verbose_name = _("Đánh giá cán bộ")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.navigation import NavItem, register_group, register_item
        from core.periodic import register_periodic
        from core.seeding import Seeder, register_seeder
        from evaluation import demo, reminders, services
        from talent.registry import MergeHook, register_merge_hook

        register_actions(AUDIT_ACTIONS)
        register_merge_hook(MergeHook(name="evaluation", move=services.merge_move))
        register_periodic("evaluation.deadlines", reminders.periodic, order=70)
        register_seeder(Seeder("evaluation", demo.seed, after=("succession",)))
        register_group("evaluation", _("Đánh giá"), 85)
        register_item(NavItem("evaluation", _("Kỳ đánh giá"), "evaluation-list", RUNNER_ROLES, 10,
                              names=("evaluation-list", "evaluation-detail")))
        register_item(NavItem("evaluation", _("Tổng hợp theo đơn vị"), "evaluation-rollup", RUNNER_ROLES, 15))
        register_item(NavItem("evaluation", _("Phiếu của tôi"), "evaluation-mine", RUNNER_ROLES | {"student"}, 20,
                              names=("evaluation-mine", "evaluation-rate")))
