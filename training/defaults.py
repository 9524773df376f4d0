"""The shipped attraction payments (migration 0003), from the Cần Thơ Party Organisation Board's article
(seeds/004) on the city's policy: one-off support by degree, in đồng, higher for someone already working
with at least five years of practice. A locality enters its own as a new version."""

from __future__ import annotations

from typing import Any

M = 1_000_000
SOURCE = ("Chính sách thu hút nguồn nhân lực của thành phố Cần Thơ (Ban Tổ chức Thành ủy Cần Thơ, seeds/004): hỗ trợ "
          "một lần theo học hàm, học vị")
RULES: list[dict[str, Any]] = [
    {"key": "gs_ts", "label": "Giáo sư - Tiến sĩ", "amount": 150 * M, "amount_with_practice": 150 * M},
    {"key": "pgs_ts", "label": "Phó Giáo sư - Tiến sĩ", "amount": 130 * M, "amount_with_practice": 130 * M},
    {"key": "ts", "label": "Tiến sĩ", "amount": 100 * M, "amount_with_practice": 120 * M},
    {"key": "bsck2", "label": "Bác sĩ Chuyên khoa II", "amount": 65 * M, "amount_with_practice": 80 * M},
    {"key": "bsck1_thsbs", "label": "Bác sĩ Chuyên khoa I, Thạc sĩ - Bác sĩ", "amount": 45 * M,
     "amount_with_practice": 55 * M},
]


def install(RuleModel: Any) -> None:
    if not RuleModel.objects.exists():
        RuleModel.objects.create(version=1, rules=RULES, practice_years=5, source=SOURCE)
