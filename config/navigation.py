"""The main menu of today's apps (core.navigation holds the registry; a new app registers its own
group and items in its AppConfig.ready). Grouped so that every role's menu fits one line at 1280 px:
Tổng quan, Ứng viên, Xếp hạng, Cộng đồng, Tuyển dụng, Quản trị — and, for a student, their own pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem, register_group, register_item

ADMIN, OFFICER, LIAISON, RECRUITER, STUDENT = "admin", "officer", "liaison", "recruiter", "student"
PERSONNEL = "personnel"
MANAGING = frozenset({ADMIN, OFFICER, LIAISON})
STAFF_AND_RECRUITERS = MANAGING | {RECRUITER}
EVERYONE = STAFF_AND_RECRUITERS | {STUDENT}
# A personnel officer reads the records of their subtree and the API; succession registers the rest.
READERS = STAFF_AND_RECRUITERS | {PERSONNEL}


def register() -> None:
    register_group("me", _("Của tôi"), 5)
    register_group("home", _("Tổng quan"), 10)
    register_group("candidates", _("Ứng viên"), 20)
    register_group("ranking", _("Xếp hạng"), 30)
    register_group("community", _("Cộng đồng"), 60)
    register_group("recruitment", _("Tuyển dụng"), 70)
    register_group("admin", _("Quản trị"), 90)
    items = [
        NavItem("me", _("Hồ sơ của tôi"), "me-profile", frozenset({STUDENT}), 10, names=("me-",)),
        NavItem("me", _("Điểm của tôi"), "my-score", frozenset({STUDENT}), 20, names=("candidate-score",)),
        NavItem("me", _("Phản hồi hồ sơ"), "contest-list", frozenset({STUDENT}), 30),
        NavItem("home", _("Tổng quan"), "dashboard", READERS, 10),
        NavItem("candidates", _("Danh sách ứng viên"), "candidate-list", READERS, 10,
                names=("candidate-list", "candidate-detail", "candidate-create", "candidate-edit")),
        NavItem("candidates", _("Nguồn nhân tài"), "pool-list", STAFF_AND_RECRUITERS, 20, names=("pool-",)),
        NavItem("candidates", _("Nhập dữ liệu"), "import-list", MANAGING | {PERSONNEL}, 30, names=("import-",)),
        NavItem("candidates", _("Hồ sơ trùng"), "merge-suggestion-list", MANAGING, 40, names=("merge-",)),
        NavItem("candidates", _("Điểm thi THPT"), "exam-top", MANAGING, 50),
        NavItem("ranking", _("Bảng xếp hạng"), "ranking-list", STAFF_AND_RECRUITERS, 10, names=("ranking-",)),
        NavItem("ranking", _("Bộ tiêu chí"), "rubric-list", EVERYONE, 20, names=("rubric-",)),
        NavItem("ranking", _("Điều kiện theo quy định"), "rule-set-list", MANAGING, 30, names=("rule-set-",)),
        NavItem("ranking", _("Phản hồi hồ sơ"), "contest-list", MANAGING, 40),
        NavItem("ranking", _("Mô hình dự báo"), "potential-model", MANAGING, 50),
        NavItem("community", _("Câu lạc bộ"), "club-list", EVERYONE, 10, paths=("/clubs/",)),
        NavItem("community", _("Sự kiện"), "event-list", EVERYONE, 20, paths=("/events/",)),
        NavItem("community", _("Khảo sát"), "survey-list", EVERYONE, 30, paths=("/surveys/",)),
        NavItem("recruitment", _("Vị trí tuyển dụng"), "opening-list", EVERYONE, 10, paths=("/openings/",)),
        NavItem("recruitment", _("Thực tập"), "placement-list", EVERYONE, 20, names=("placement-",)),
        NavItem("recruitment", _("Chỉ tiêu"), "target-dashboard", MANAGING | {PERSONNEL}, 30),
        NavItem("recruitment", _("Phễu tuyển chọn"), "funnel", MANAGING, 40),
        NavItem("admin", _("Tài khoản"), "user-list", frozenset({ADMIN}), 10, names=("user-",)),
        NavItem("admin", _("Nhật ký"), "audit-log", frozenset({ADMIN}), 20),
        NavItem("admin", _("Yêu cầu xoá dữ liệu"), "erasure-queue", frozenset({ADMIN, OFFICER}), 30,
                names=("erasure-",)),
        NavItem("admin", _("Tài liệu API"), "api-docs", READERS, 40),
        NavItem("admin", _("Trang quản trị Django"), "admin:index", frozenset(), 50, staff_only=True, paths=("/admin/",)),
    ]
    for item in items:
        register_item(item)
