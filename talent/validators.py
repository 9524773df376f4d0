"""Validation of Vietnamese identifiers, with messages a user can act on."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

from talent.geo import province_from_citizen_id_prefix, province_from_exam_council

# Identifiers are ASCII digits: "\d" would also take full-width or Arabic-Indic digits, which
# look alike on screen and would slip past duplicate detection.
_CCCD = re.compile(r"^[0-9]{12}$")
_EXAM_NUMBER = re.compile(r"^[0-9]{8}$")
_PHONE = re.compile(r"^(?:\+84|0)(?:3|5|7|8|9)[0-9]{8}$")

# Fourth digit of a citizen ID: century of birth and gender (Circular 07/2016/TT-BCA, unchanged by
# Circular 59/2021/TT-BCA): 0/1 = 1900–1999, 2/3 = 2000–2099, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s;
# the even digit is male, the odd one female. Every digit is defined, but only the 20th and 21st
# centuries can belong to a living person, so the others are refused with their own message.
_CENTURY_GENDER = {0: (1900, "male"), 1: (1900, "female"), 2: (2000, "male"), 3: (2000, "female"),
                   4: (2100, "male"), 5: (2100, "female"), 6: (2200, "male"), 7: (2200, "female"),
                   8: (2300, "male"), 9: (2300, "female")}
_PLAUSIBLE_CENTURIES = (1900, 2000)


def normalize_citizen_id(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def validate_citizen_id(value: str, *, gender: str | None = None, date_of_birth: dt.date | None = None) -> str:
    """Return the normalised 12-digit ID or raise ValidationError saying what is wrong.

    Structure: digits 1–3 the province of birth registration (one of the 63 legacy codes), digit 4
    century and gender, digits 5–6 the last two digits of the year of birth, then 6 random digits.
    Error codes: ``format``, ``province``, ``century``, ``gender``, ``year``.
    """
    cid = normalize_citizen_id(value)
    if not _CCCD.fullmatch(cid):
        raise ValidationError("Số CCCD phải gồm đúng 12 chữ số.", code="format")
    if province_from_citizen_id_prefix(cid[:3]) is None:
        raise ValidationError(
            f"Ba chữ số đầu «{cid[:3]}» không phải mã tỉnh/thành phố nơi đăng ký khai sinh nào.", code="province"
        )
    century, id_gender = _CENTURY_GENDER[int(cid[3])]
    if century not in _PLAUSIBLE_CENTURIES:
        raise ValidationError(
            f"Chữ số thứ 4 «{cid[3]}» của CCCD dành cho người sinh trong các năm {century}–{century + 99}, "
            "không thể là của một ứng viên (người sinh từ 1900 đến 2099 có chữ số này từ 0 đến 3).",
            code="century",
        )
    if gender in ("male", "female") and gender != id_gender:
        expected = "nam phải là 0 hoặc 2" if gender == "male" else "nữ phải là 1 hoặc 3"
        raise ValidationError(f"Chữ số thứ 4 của CCCD không khớp với giới tính ({expected}).", code="gender")
    if date_of_birth is not None:
        if date_of_birth.year // 100 * 100 != century:
            raise ValidationError(
                f"Chữ số thứ 4 của CCCD ứng với người sinh trong các năm {century}–{century + 99}, "
                f"không khớp với năm sinh {date_of_birth.year}.",
                code="century",
            )
        if int(cid[4:6]) != date_of_birth.year % 100:
            raise ValidationError(
                f"Chữ số thứ 5–6 của CCCD («{cid[4:6]}») phải là hai số cuối của năm sinh "
                f"({date_of_birth.year % 100:02d}).",
                code="year",
            )
    return cid


def validate_exam_number(value: str) -> str:
    value = (value or "").strip()
    if not _EXAM_NUMBER.match(value):
        raise ValidationError("Số báo danh phải gồm đúng 8 chữ số (giữ nguyên số 0 ở đầu).", code="exam_number")
    if province_from_exam_council(value[:2]) is None:
        raise ValidationError(f"Hai chữ số đầu «{value[:2]}» không phải mã hội đồng thi nào.", code="council")
    return value


def normalize_phone(value: str) -> str:
    phone = re.sub(r"[\s.\-()]", "", value or "")
    if phone and not _PHONE.match(phone):
        raise ValidationError("Số điện thoại di động không hợp lệ (ví dụ 0912345678).", code="phone")
    return phone


# A cell that starts with one of these is a formula to a spreadsheet: "=HYPERLINK(...)", "+cmd|calc",
# "@SUM(...)". Exports escape them, but such a value is never a real name, so names and titles refuse it
# wherever they come in (forms, the API, imports) instead of being stored.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_refusal(value: str | None, label: str) -> str:
    """The message refusing ``value`` for a name-like field when it would read as a spreadsheet formula,
    or "" when it is fine. Leading spaces do not hide the sign."""
    text = (value or "").lstrip(" \u00a0")
    if text[:1] in FORMULA_STARTS:
        shown = {"\t": "dấu tab", "\r": "ký tự xuống dòng"}.get(text[0], f"«{text[0]}»")
        return f"{label} không được bắt đầu bằng {shown} (bảng tính sẽ hiểu là công thức)."
    return ""


def refuse_formula(value: str | None, field: str, label: str) -> None:
    """Raise a ValidationError on ``field`` when ``value`` would read as a spreadsheet formula."""
    message = formula_refusal(value, label)
    if message:
        raise ValidationError({field: message})
