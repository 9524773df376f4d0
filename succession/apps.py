from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit actions this app writes, in words (the audit log shows these).
AUDIT_ACTIONS = {
    "position.create": _("Tạo chức danh"),
    "plan.create": _("Lập quy hoạch chức danh"),
    "plan.propose": _("Đề xuất vào quy hoạch"),
    "plan.approve": _("Phê duyệt quy hoạch"),
    "plan.remove": _("Đưa ra khỏi quy hoạch"),
    "plan.read": _("Xem quy hoạch"),
    "plan.export": _("Xuất bảng quy hoạch"),
    "review.open": _("Mở rà soát quy hoạch hằng năm"),
    "review.decide": _("Ghi kết quả rà soát một người"),
    "review.sign": _("Ký duyệt rà soát quy hoạch"),
    "review.read": _("Xem rà soát quy hoạch"),
    "review.export": _("Xuất kết quả rà soát"),
    "ninebox.open": _("Mở phiên hiệu chỉnh 9 ô"),
    "ninebox.move": _("Chuyển ô trong 9 ô"),
    "ninebox.close": _("Chốt phiên hiệu chỉnh 9 ô"),
    "ninebox.read": _("Xem 9 ô"),
    "rotation.plan": _("Lập kế hoạch luân chuyển"),
    "rotation.start": _("Bắt đầu luân chuyển"),
    "rotation.finish": _("Hoàn thành luân chuyển"),
    "rotation.cancel": _("Huỷ kế hoạch luân chuyển"),
    "fasttrack.nominate": _("Đề xuất bổ nhiệm vượt cấp"),
}


MANAGING_ROLES = frozenset({"admin", "personnel", "officer"})  # succession.models.MANAGING
PLANNER_ROLES = frozenset({"admin", "personnel"})  # succession.models.PLANNERS


class SuccessionConfig(AppConfig):
    """Young cadres' careers, leadership positions and succession planning by term."""

    name = "succession"
    verbose_name = _("Quy hoạch cán bộ")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.periodic import register_periodic
        from core.navigation import NavItem, register_group, register_item
        from core.seeding import Seeder, register_seeder
        from succession import demo, reminders, selectors, services
        from talent.registry import (
            MergeHook,
            ProfileSection,
            register_dashboard_notice,
            register_merge_hook,
            register_profile_section,
        )

        register_actions(AUDIT_ACTIONS)
        # A cadre list is one more kind of file the import pipeline takes.
        from succession import cadre_import

        cadre_import.register()
        # Positions, careers and plans of the demo city come last (manage.py seed_demo).
        register_seeder(Seeder("succession", demo.seed, after=("openings",)))
        # Its own section of the main menu, for the staff who plan.
        register_group("succession", _("Quy hoạch"), 80)
        for item in (
            NavItem("succession", _("Quy hoạch theo nhiệm kỳ"), "succession-bench", MANAGING_ROLES, 10,
                    names=("succession-bench", "succession-plan", "succession-member", "succession-ninebox")),
            NavItem("succession", _("Chức danh"), "succession-positions", MANAGING_ROLES, 20,
                    names=("succession-position", "succession-plan-create")),
            NavItem("succession", _("Rà soát hằng năm"), "succession-reviews", PLANNER_ROLES, 15,
                    names=("succession-review",)),
            NavItem("succession", _("Dự báo khuyết chức danh"), "succession-forecast", MANAGING_ROLES, 25),
            NavItem("succession", _("Luân chuyển"), "succession-rotation", MANAGING_ROLES, 30),
            NavItem("succession", _("Bổ nhiệm vượt cấp"), "succession-fast-track", MANAGING_ROLES, 40),
        ):
            register_item(item)
        # A merge of two records of one person moves their career and plan memberships too.
        register_merge_hook(MergeHook(name="succession", move=services.merge_move))
        # A cadre's career timeline (and, for staff, their plans) on the candidate's page.
        register_profile_section(ProfileSection("succession.career", "succession/_career.html",
                                                selectors.career_section, order=30))
        # The yearly review: the bell from 1/12 and in January (manage.py event_tasks), the dashboard.
        register_periodic("succession.reviews", reminders.periodic, order=60)
        register_dashboard_notice("succession.review", reminders.dashboard_notice)
