"""Provinces: the 34 current ones (from ``vietnam-provinces``) and the 63 that existed before
1 July 2025, which old identifiers still use.

Two kinds of old code survive in data we receive:
- the statistics office code (``gso``), the first three digits of a citizen ID (``0`` + code);
- the Ministry of Education's council code (``moet``), the first two digits of an exam number.
Each legacy province maps to the current province it was merged into (Resolution 202/2025/QH15).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import Province

from core.text import vietnamese_sort_key


@dataclass(frozen=True)
class LegacyProvince:
    gso: int
    moet: int
    name: str
    current: int  # code of today's province


LEGACY_PROVINCES: tuple[LegacyProvince, ...] = (
    LegacyProvince(1, 1, "Hà Nội", 1),
    LegacyProvince(2, 5, "Hà Giang", 8),
    LegacyProvince(4, 6, "Cao Bằng", 4),
    LegacyProvince(6, 11, "Bắc Kạn", 19),
    LegacyProvince(8, 9, "Tuyên Quang", 8),
    LegacyProvince(10, 8, "Lào Cai", 15),
    LegacyProvince(11, 62, "Điện Biên", 11),
    LegacyProvince(12, 7, "Lai Châu", 12),
    LegacyProvince(14, 14, "Sơn La", 14),
    LegacyProvince(15, 13, "Yên Bái", 15),
    LegacyProvince(17, 23, "Hoà Bình", 25),
    LegacyProvince(19, 12, "Thái Nguyên", 19),
    LegacyProvince(20, 10, "Lạng Sơn", 20),
    LegacyProvince(22, 17, "Quảng Ninh", 22),
    LegacyProvince(24, 18, "Bắc Giang", 24),
    LegacyProvince(25, 15, "Phú Thọ", 25),
    LegacyProvince(26, 16, "Vĩnh Phúc", 25),
    LegacyProvince(27, 19, "Bắc Ninh", 24),
    LegacyProvince(30, 21, "Hải Dương", 31),
    LegacyProvince(31, 3, "Hải Phòng", 31),
    LegacyProvince(33, 22, "Hưng Yên", 33),
    LegacyProvince(34, 26, "Thái Bình", 33),
    LegacyProvince(35, 24, "Hà Nam", 37),
    LegacyProvince(36, 25, "Nam Định", 37),
    LegacyProvince(37, 27, "Ninh Bình", 37),
    LegacyProvince(38, 28, "Thanh Hoá", 38),
    LegacyProvince(40, 29, "Nghệ An", 40),
    LegacyProvince(42, 30, "Hà Tĩnh", 42),
    LegacyProvince(44, 31, "Quảng Bình", 44),
    LegacyProvince(45, 32, "Quảng Trị", 44),
    LegacyProvince(46, 33, "Thừa Thiên Huế", 46),
    LegacyProvince(48, 4, "Đà Nẵng", 48),
    LegacyProvince(49, 34, "Quảng Nam", 48),
    LegacyProvince(51, 35, "Quảng Ngãi", 51),
    LegacyProvince(52, 37, "Bình Định", 52),
    LegacyProvince(54, 39, "Phú Yên", 66),
    LegacyProvince(56, 41, "Khánh Hoà", 56),
    LegacyProvince(58, 45, "Ninh Thuận", 56),
    LegacyProvince(60, 47, "Bình Thuận", 68),
    LegacyProvince(62, 36, "Kon Tum", 51),
    LegacyProvince(64, 38, "Gia Lai", 52),
    LegacyProvince(66, 40, "Đắk Lắk", 66),
    LegacyProvince(67, 63, "Đắk Nông", 68),
    LegacyProvince(68, 42, "Lâm Đồng", 68),
    LegacyProvince(70, 43, "Bình Phước", 75),
    LegacyProvince(72, 46, "Tây Ninh", 80),
    LegacyProvince(74, 44, "Bình Dương", 79),
    LegacyProvince(75, 48, "Đồng Nai", 75),
    LegacyProvince(77, 52, "Bà Rịa - Vũng Tàu", 79),
    LegacyProvince(79, 2, "TP. Hồ Chí Minh", 79),
    LegacyProvince(80, 49, "Long An", 80),
    LegacyProvince(82, 53, "Tiền Giang", 82),
    LegacyProvince(83, 56, "Bến Tre", 86),
    LegacyProvince(84, 58, "Trà Vinh", 86),
    LegacyProvince(86, 57, "Vĩnh Long", 86),
    LegacyProvince(87, 50, "Đồng Tháp", 82),
    LegacyProvince(89, 51, "An Giang", 91),
    LegacyProvince(91, 54, "Kiên Giang", 91),
    LegacyProvince(92, 55, "Cần Thơ", 92),
    LegacyProvince(93, 64, "Hậu Giang", 92),
    LegacyProvince(94, 59, "Sóc Trăng", 92),
    LegacyProvince(95, 60, "Bạc Liêu", 96),
    LegacyProvince(96, 61, "Cà Mau", 96),
)

LEGACY_BY_GSO = {p.gso: p for p in LEGACY_PROVINCES}
LEGACY_BY_MOET = {p.moet: p for p in LEGACY_PROVINCES}


@lru_cache(maxsize=1)
def current_provinces() -> dict[int, str]:
    """Code → name of the 34 provinces in force since 1 July 2025."""
    return {int(p.code): p.name for p in sorted(Province.iter_all(), key=lambda p: int(p.code))}


def province_choices() -> list[tuple[int, str]]:
    # Vietnamese alphabetical order of the names, "Thành phố" not sorted on: An Giang … Cà Mau, Cao Bằng,
    # Cần Thơ … Đà Nẵng, Đắk Lắk … Vĩnh Long.
    return sorted(current_provinces().items(), key=lambda item: vietnamese_sort_key(item[1], drop_prefix=True))


def province_name(code: int | None) -> str:
    if code is None:
        return ""
    return current_provinces().get(int(code), "")


def province_from_citizen_id_prefix(prefix: str) -> LegacyProvince | None:
    """``"079"`` → the legacy TP. Hồ Chí Minh entry; None for a code that never existed."""
    if len(prefix) != 3 or not prefix.isdigit() or prefix[0] != "0":
        return None
    return LEGACY_BY_GSO.get(int(prefix))


def province_from_exam_council(code: str | int) -> LegacyProvince | None:
    try:
        return LEGACY_BY_MOET.get(int(code))
    except (TypeError, ValueError):
        return None
