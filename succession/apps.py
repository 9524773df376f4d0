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
}


class SuccessionConfig(AppConfig):
    """Young cadres' careers, leadership positions and succession planning by term."""

    name = "succession"
    verbose_name = _("Quy hoạch cán bộ")

    def ready(self) -> None:
        from core.audit import register_actions
        from succession import services
        from talent.registry import MergeHook, register_merge_hook

        register_actions(AUDIT_ACTIONS)
        # A merge of two records of one person moves their career and plan memberships too.
        register_merge_hook(MergeHook(name="succession", move=services.merge_move))
