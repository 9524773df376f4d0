from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "training.course": _("Tạo khoá đào tạo, bồi dưỡng"),
    "training.enrol": _("Cử đi học"),
    "training.attend": _("Ghi điểm danh khoá học"),
    "training.complete": _("Ghi hoàn thành khoá học"),
    "training.drop": _("Ghi không hoàn thành khoá học"),
}
RUNNER_ROLES = frozenset({"admin", "personnel"})


class TrainingConfig(AppConfig):
    """Courses, who takes part, completion into the training record, and compliance of the plans."""

    name = "training"
    verbose_name = _("Đào tạo, bồi dưỡng")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.navigation import NavItem, register_item

        register_actions(AUDIT_ACTIONS)
        register_item(NavItem("evaluation", _("Khoá đào tạo, bồi dưỡng"), "training-courses", RUNNER_ROLES, 40,
                              names=("training-course",)))
        register_item(NavItem("evaluation", _("Bồi dưỡng của người trong quy hoạch"), "training-compliance",
                              RUNNER_ROLES, 50))
