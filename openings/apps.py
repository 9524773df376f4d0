from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit actions this app writes, in words (the audit log shows these).
AUDIT_ACTIONS = {
    "opening.create": _("Đăng vị trí tuyển dụng"),
    "opening.close": _("Đóng vị trí tuyển dụng"),
    "shortlist.add": _("Thêm vào danh sách rút gọn"),
    "shortlist.move": _("Chuyển bước trong danh sách rút gọn"),
    "placement.feedback": _("Nhận xét thực tập"),
    "target.adopt": _("Áp dụng chỉ tiêu cho đơn vị"),
}


class OpeningsConfig(AppConfig):
    """Openings, shortlists, placements with mentor feedback, and the resolutions' targets."""

    name = "openings"
    verbose_name = _("Tuyển dụng và chỉ tiêu")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.periodic import register_periodic
        from core.seeding import Seeder, register_seeder
        from openings import demo, services as openings_services, targets
        from openings.feedback import provider
        from scoring.features import register_provider
        from talent.registry import MergeHook, register_merge_hook

        register_actions(AUDIT_ACTIONS)

        # A mentor's structured feedback on an internship becomes a scoring feature.
        register_provider("mentor_rating", provider)
        register_periodic("openings.targets", targets.periodic, order=50)
        # The recruiter's openings, a placement with feedback and the targets' trend come last.
        register_seeder(Seeder("openings", demo.seed, after=("clubs",)))
        # A merge of two records of one person moves this app's rows too.
        register_merge_hook(MergeHook(name="openings", move=openings_services.merge_move))
