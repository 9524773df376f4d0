"""Classifications defined by regulation (DESIGN §4). Pure functions, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# Thông tư 08/2021/TT-BGDĐT (higher education): (lower bound, label), best first, on either scale.
DEGREE_BANDS_4 = ((Decimal("3.60"), "xuat_sac"), (Decimal("3.20"), "gioi"), (Decimal("2.50"), "kha"),
                  (Decimal("2.00"), "trung_binh"))
DEGREE_BANDS_10 = ((Decimal("9.0"), "xuat_sac"), (Decimal("8.0"), "gioi"), (Decimal("7.0"), "kha"),
                   (Decimal("5.0"), "trung_binh"))
# Upper-secondary transcripts (grades 10-12) on the 10-point scale, as school records still state them.
SCHOOL_BANDS_10 = ((Decimal("8.0"), "gioi"), (Decimal("6.5"), "kha"), (Decimal("5.0"), "trung_binh"))
CLASSIFICATION_ORDER = ("xuat_sac", "gioi", "kha", "trung_binh", "yeu")
CLASSIFICATION_LABELS = {"xuat_sac": "Xuất sắc", "gioi": "Giỏi", "kha": "Khá", "trung_binh": "Trung bình",
                         "yeu": "Yếu"}

CONDUCT_BANDS = ((90, "xuat_sac"), (80, "tot"), (65, "kha"), (50, "trung_binh"), (35, "yeu"), (0, "kem"))
CONDUCT_LABELS = {"xuat_sac": "Xuất sắc", "tot": "Tốt", "kha": "Khá", "trung_binh": "Trung bình",
                  "yeu": "Yếu", "kem": "Kém"}


def classify_gpa(gpa: Decimal | None, scale: int, *, retaken_over_5_percent: bool = False,
                 disciplined: bool = False, school: bool = False) -> str:
    """Classification of a GPA. In higher education Xuất sắc and Giỏi drop one level for >5% retaken
    credits or discipline (Thông tư 08/2021); ``school`` selects the upper-secondary bands."""
    if gpa is None:
        return ""
    if school:
        return next((name for bound, name in SCHOOL_BANDS_10 if gpa >= bound), "yeu")
    bands = DEGREE_BANDS_4 if scale == 4 else DEGREE_BANDS_10
    label = next((name for bound, name in bands if gpa >= bound), "yeu")
    if label in ("xuat_sac", "gioi") and (retaken_over_5_percent or disciplined):
        label = CLASSIFICATION_ORDER[CLASSIFICATION_ORDER.index(label) + 1]
    return label


def age_on(date_of_birth: date, today: date) -> int:
    """Completed years of age on ``today``."""
    return today.year - date_of_birth.year - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))


def years_ago(today: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for 29 February): born after it, one is younger than
    ``years`` on ``today``; begun on or before it, a post has lasted ``years``."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def classify_conduct(score: int | None) -> str:
    if score is None:
        return ""
    return next(name for bound, name in CONDUCT_BANDS if score >= bound)
