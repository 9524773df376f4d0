from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit actions this app writes, in words (the audit log shows these).
AUDIT_ACTIONS = {
    "club.create": _("Tạo câu lạc bộ"),
    "club.join": _("Xin tham gia câu lạc bộ"),
    "club.decide": _("Duyệt thành viên câu lạc bộ"),
    "club.leave": _("Rời câu lạc bộ"),
    "club.announce": _("Gửi thông báo câu lạc bộ"),
    "event.create": _("Tạo sự kiện"),
    "event.cancel": _("Huỷ sự kiện"),
    "qa.moderate": _("Kiểm duyệt câu hỏi"),
    "survey.create": _("Tạo khảo sát"),
    "survey.respond": _("Trả lời khảo sát"),
    "survey.export": _("Xuất kết quả khảo sát"),
}


class ClubsConfig(AppConfig):
    """Clubs, events, check-in, announcements, live Q&A and surveys."""

    name = "clubs"
    verbose_name = _("Câu lạc bộ và sự kiện")

    def ready(self) -> None:
        from clubs import reminders
        from clubs.demo import seed_clubs
        from clubs.engagement import provider
        from core.audit import register_actions
        from core.periodic import register_periodic
        from core.seeding import Seeder, register_seeder
        from scoring.features import register_provider

        register_actions(AUDIT_ACTIONS)

        # Attendance feeds the scoring feature "engagement_points".
        register_provider("engagement_points", provider)
        # Lapsed waitlist offers move on, then tomorrow's events are reminded (manage.py event_tasks).
        register_periodic("clubs.events", reminders.periodic, order=10)
        # Clubs, events with attendance, Q&A, announcements and surveys come after the scoring demo.
        register_seeder(Seeder("clubs", seed_clubs, after=("scoring",)))
