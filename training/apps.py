from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "training.course": _("Tạo khoá đào tạo, bồi dưỡng"),
    "training.enrol": _("Cử đi học"),
    "training.nominate": _("Lập danh sách đề cử đi học"),
    "training.attend": _("Ghi điểm danh khoá học"),
    "training.complete": _("Ghi hoàn thành khoá học"),
    "training.drop": _("Ghi không hoàn thành khoá học"),
    "training.payment": _("Ghi khoản hỗ trợ thu hút"),
    "training.budget": _("Ghi dự toán kinh phí"),
    "training.export": _("Xuất báo cáo kinh phí đào tạo, thu hút"),
}
RUNNER_ROLES = frozenset({"admin", "personnel"})


class TrainingConfig(AppConfig):
    """Courses, who takes part, completion into the training record, and compliance of the plans."""

    name = "training"
    verbose_name = _("Đào tạo, bồi dưỡng")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.navigation import NavItem, register_item

        from core.seeding import Seeder, register_seeder
        from openings import targets as target_values
        from talent.registry import MergeHook, ProfileSection, register_merge_hook, register_profile_section
        from training import demo, selectors, services, targets

        register_actions(AUDIT_ACTIONS)
        # The targets "trained in leadership skills this year" and "meets the political-theory standard"
        # count the members of the current term's plans; the compliance page lists them per plan.
        target_values.register_population("in_plans", targets.in_plans)
        target_values.register_metric("share_theory_standard", targets.theory_met)
        for metric in ("share_leadership_trained", "share_theory_standard"):
            target_values.register_detail(metric, "training-compliance", RUNNER_ROLES)
        register_merge_hook(MergeHook(name="training", move=services.merge_move))
        register_seeder(Seeder("training", demo.seed, after=("evaluation", "openings", "scoring")))
        # The courses a person was sent to and their attraction payment, on their record (item 8).
        register_profile_section(ProfileSection("training.courses", "training/_profile.html",
                                                selectors.profile_section, order=40))
        register_item(NavItem("evaluation", _("Khoá đào tạo, bồi dưỡng"), "training-courses", RUNNER_ROLES, 40,
                              names=("training-course",)))
        register_item(NavItem("evaluation", _("Bồi dưỡng của người trong quy hoạch"), "training-compliance",
                              RUNNER_ROLES, 50))
        register_item(NavItem("evaluation", _("Thu hút và kinh phí"), "training-attraction", RUNNER_ROLES, 60,
                              names=("training-attraction", "training-budgets")))
