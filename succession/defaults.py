"""The shipped standards per position level (migration 0002). They are the software's starting point,
not a legal text: each names what it must be checked against, and an administrator edits them as a
new version when the locality's regulation on leadership positions' standards says otherwise."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

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

# Minimum shares of planning (StructureTarget, migration 0003). Hà Nội's resolution (seeds/003) asks that
# by 2025 young cadres and women each be at least 15% of the cadres its standing committees manage; the
# resolutions set no figure for ethnic minorities, so none is shipped (a locality adds its own).
HANOI_RESOLUTION = ("Nghị quyết của Ban Chấp hành Đảng bộ thành phố Hà Nội về xây dựng và nâng cao chất lượng đội ngũ "
                    "cán bộ các cấp nhiệm kỳ 2020-2025: đến năm 2025 cán bộ trẻ, cán bộ nữ diện ban thường vụ cấp ủy "
                    "quản lý mỗi loại tối thiểu 15%")
TARGETS: tuple[dict[str, Any], ...] = (
    {"measure": "young_share", "minimum": "0.150", "parameters": {"under_age": 35}, "source": HANOI_RESOLUTION},
    {"measure": "women_share", "minimum": "0.150", "parameters": {}, "source": HANOI_RESOLUTION},
)


def install_targets(TargetModel: Any) -> None:
    for spec in TARGETS:
        if not TargetModel.objects.filter(measure=spec["measure"]).exists():
            TargetModel.objects.create(version=1, **spec)


# The three age bands of a planning (seeds/003: "cơ cấu 3 độ tuổi"; each band at least 5 years from the
# next), by age at the start of the term: the edges are the software's default.
AGE_BANDS: tuple[tuple[str, Any, int | None, int | None], ...] = (
    ("under_35", _("Dưới 35 tuổi"), None, 35),
    ("35_44", _("Từ 35 đến dưới 45 tuổi"), 35, 45),
    ("45_plus", _("Từ 45 tuổi"), 45, None),
)
AGE_BANDS_SOURCE = ("Nghị quyết của Ban Chấp hành Đảng bộ thành phố Hà Nội (seeds/003): bảo đảm cơ cấu 3 độ tuổi; "
                    "mốc tuổi là mặc định của phần mềm, mỗi độ tuổi cách nhau ít nhất 5 năm")

# Statutory retirement age (Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP): from 2021 men
# retire at 60 years 3 months and women at 55 years 4 months, rising each year by 3 months (men) and 4
# months (women) until 62 (2028) and 60 (2035). Ages in months, by the calendar year the age is reached.
RETIREMENT: dict[str, dict[str, int]] = {
    "male": {"from_year": 2021, "start_months": 60 * 12 + 3, "step_months": 3, "final_months": 62 * 12,
             "before_months": 60 * 12},
    "female": {"from_year": 2021, "start_months": 55 * 12 + 4, "step_months": 4, "final_months": 60 * 12,
               "before_months": 55 * 12},
}
RETIREMENT_SOURCE = "Bộ luật Lao động 2019, Điều 169; Nghị định số 135/2020/NĐ-CP về tuổi nghỉ hưu"

# The 9-box (succession.ninebox). Performance: the mean points of the last two annual ratings (a
# disciplined year counts as "không hoàn thành"); potential: the active potential model's probability,
# or — for a member the model cannot estimate — the plan's readiness judgement. Software defaults.
NINE_BOX = {
    "rating_years": 2,
    "rating_points": {"excellent": 3, "good": 2, "complete": 1, "incomplete": 0},
    "performance_high": 2.5, "performance_medium": 1.5,
    "potential_high": 0.6, "potential_medium": 0.35,
    "readiness_potential": {"ready_now": "high", "1_2_years": "medium", "3_plus_years": "low"},
}

# Fast-track appointment (bổ nhiệm vượt cấp; seeds/001 asks for it for outstanding young cadres). The
# criteria are the software's default reading of the conclusion, shipped as FastTrackRuleSet v1.
FAST_TRACK_RULES = {"excellent_years": 2, "leadership_training": True, "position_standards": True}
FAST_TRACK_SOURCE = ("Kết luận của Ban Thường vụ Tỉnh ủy Hưng Yên về Nghị quyết 20-NQ/TU và 32-NQ/TU (seeds/001): "
                     "xem xét bổ nhiệm vượt cấp cán bộ trẻ có năng lực nổi trội; tiêu chí là mặc định của phần mềm")


def install_fast_track(RuleModel: Any) -> None:
    if not RuleModel.objects.exists():
        RuleModel.objects.create(version=1, rules=FAST_TRACK_RULES, source=FAST_TRACK_SOURCE)
