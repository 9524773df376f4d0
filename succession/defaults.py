"""The shipped standards per position level (migration 0002). They are the software's starting point,
not a legal text: each names what it must be checked against, and an administrator edits them as a
new version when the locality's regulation on leadership positions' standards says otherwise."""

from __future__ import annotations

from typing import Any

CHECK = ("Mặc định của phần mềm: đối chiếu với quy định về tiêu chuẩn chức danh cán bộ lãnh đạo, quản lý "
         "của địa phương trước khi sử dụng")
COMMON = {"max_plans_per_person": 3, "min_successors": 2}

STANDARDS: tuple[dict[str, Any], ...] = (
    {"level": "province", "rules": {"degree": "university", "political_theory": "cao_cap", "language_level": 3,
                                    "min_years_service": 5, "max_age_first_planning": 50, **COMMON}},
    {"level": "department", "rules": {"degree": "university", "political_theory": "cao_cap", "language_level": 3,
                                      "min_years_service": 5, "max_age_first_planning": 50, **COMMON}},
    {"level": "commune", "rules": {"degree": "university", "political_theory": "trung_cap",
                                   "min_years_service": 2, "max_age_first_planning": 45, **COMMON}},
    {"level": "public_unit", "rules": {"degree": "university", "political_theory": "trung_cap",
                                       "min_years_service": 3, "max_age_first_planning": 50, **COMMON}},
    {"level": "youth_union", "rules": {"degree": "university", "political_theory": "trung_cap",
                                       "min_years_service": 1, "max_age_first_planning": 35, **COMMON}},
)


def install(StandardModel: Any) -> None:
    for spec in STANDARDS:
        if not StandardModel.objects.filter(level=spec["level"]).exists():
            StandardModel.objects.create(level=spec["level"], version=1, rules=spec["rules"], source=CHECK)

# Rotation due: a cadre who has held the same post for this many years (seeds/003, Hà Nội's resolution,
# citing the Politburo's regulation on rotating cadres).
ROTATION_YEARS = 8
ROTATION_SOURCE = ("Quy định số 98-QĐ/TW ngày 07/10/2017 của Bộ Chính trị: luân chuyển cán bộ giữ một chức vụ "
                   "từ 8 năm trở lên ở cùng một địa phương, cơ quan, đơn vị")
