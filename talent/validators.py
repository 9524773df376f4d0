"""Validation of Vietnamese identifiers, with messages a user can act on."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

from talent.geo import province_from_citizen_id_prefix, province_from_exam_council

_CCCD = re.compile(r"^[0-9]{12}$")
_EXAM_NUMBER = re.compile(r"^[0-9]{8}$")
_PHONE = re.compile(r"^(?:\+84|0)(?:3|5|7|8|9)[0-9]{8}$")

# Fourth digit of a citizen ID: century of birth and gender.
# Identifiers are ASCII digits: "\d" would also take full-width or Arabic-Indic digits, which
# look alike on screen and would slip past duplicate detection.
_CENTURY_GENDER = {0: (1900, "male"), 1: (1900, "female"), 2: (2000, "male"), 3: (2000, "female"),
                   4: (2100, "male"), 5: (2100, "female")}


def normalize_citizen_id(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def validate_citizen_id(value: str, *, gender: str | None = None, date_of_birth: dt.date | None = None) -> str:
    """Return the normalised 12-digit ID or raise ValidationError saying what is wrong."""
    cid = normalize_citizen_id(value)
    if not _CCCD.match(cid):
        raise ValidationError("Số CCCD phải gồm đúng 12 chữ số.", code="format")
    if province_from_citizen_id_prefix(cid[:3]) is None:
        raise ValidationError(f"Mã tỉnh nơi đăng ký khai sinh «{cid[:3]}» không tồn tại.", code="province")
    century_digit = int(cid[3])
    if century_digit not in _CENTURY_GENDER:
        raise ValidationError("Chữ số thứ 4 (thế kỷ và giới tính) không hợp lệ.", code="century")
    century, id_gender = _CENTURY_GENDER[century_digit]
    if gender in ("male", "female") and gender != id_gender:
        raise ValidationError("Chữ số thứ 4 của CCCD không khớp với giới tính.", code="gender")
    if date_of_birth is not None:
        if date_of_birth.year // 100 * 100 != century:
            raise ValidationError("Chữ số thứ 4 của CCCD không khớp với thế kỷ của năm sinh.", code="century")
        if int(cid[4:6]) != date_of_birth.year % 100:
            raise ValidationError("Chữ số thứ 5–6 của CCCD không khớp với năm sinh.", code="year")
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
