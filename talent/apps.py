from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit actions this app writes, in words (the audit log shows these).
AUDIT_ACTIONS = {
    "candidate.register": _("Đăng ký ứng viên"),
    "candidate.update": _("Sửa hồ sơ ứng viên"),
    "candidate.self_update": _("Ứng viên tự cập nhật hồ sơ"),
    "candidate.read": _("Nhà tuyển dụng xem hồ sơ"),
    "candidate.advance": _("Chuyển giai đoạn"),
    "candidate.export": _("Xuất danh sách ứng viên"),
    "candidate.merge": _("Gộp hồ sơ trùng"),
    "merge_suggestion.dismiss": _("Bỏ qua gợi ý hồ sơ trùng"),
    "pool.create": _("Tạo nguồn"),
    "pool.update": _("Sửa nguồn"),
    "pool.add": _("Thêm vào nguồn"),
    "pool.remove": _("Đưa ra khỏi nguồn"),
    "achievement.add": _("Thêm thành tích"),
    "achievement.verify": _("Xác minh thành tích"),
    "language.add": _("Thêm chứng chỉ ngoại ngữ"),
    "language.verify": _("Xác minh chứng chỉ ngoại ngữ"),
    "education.add": _("Thêm quá trình học tập"),
    "organization.create": _("Tạo đơn vị"),
    "organization.update": _("Sửa đơn vị"),
    "pii.rotate_keys": _("Xoay khoá mã hoá dữ liệu cá nhân"),
    "demo.seed": _("Tạo dữ liệu mẫu"),
}


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Nhân tài")

    def ready(self) -> None:
        from core.audit import register_actions
        from core.scoping import register_administrator_check
        from core.seeding import Seeder
        from talent import jobs  # noqa: F401  (registers the job functions with core.tasking)
        from talent.demo import register_city_seeder, seed_talent
        from talent.roles import is_administrator

        register_actions(AUDIT_ACTIONS)

        register_administrator_check(is_administrator)
        # The demo city is the first demo seeder; the apps above add theirs (manage.py seed_demo).
        register_city_seeder(Seeder("talent", seed_talent))
