"""Cell parsers for imported spreadsheets: each returns a value or raises ``CellError`` with a
Vietnamese message the user can act on."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from core.text import fold
from talent.geo import LEGACY_PROVINCES, current_provinces
from talent.reference import ETHNICITIES


class CellError(ValueError):
    """A cell that cannot be understood; the message is shown next to the row and column."""


_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (also d/m/yyyy, with "-" or "."), or ISO yyyy-mm-dd as spreadsheets export dates."""
    value = text.strip()
    match = _DATE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        iso = _ISO_DATE.match(value)
        if not iso:
            raise CellError("Ngày phải viết theo dạng dd/mm/yyyy, ví dụ 05/09/2007.")
        year, month, day = (int(g) for g in iso.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"Ngày không tồn tại: {day:02d}/{month:02d}/{year}.") from None


_MALE = frozenset({"nam", "male", "m", "trai"})
_FEMALE = frozenset({"nu", "female", "f", "gai"})


def parse_gender(text: str) -> str:
    key = fold(text)
    if key in _MALE:
        return "male"
    if key in _FEMALE:
        return "female"
    raise CellError("Giới tính phải là Nam hoặc Nữ.")


_YES = frozenset({"co", "x", "1", "yes", "true", "dung", "la doan vien", "v"})
_NO = frozenset({"khong", "0", "no", "false", "sai"})


def parse_bool(text: str) -> bool:
    key = fold(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError("Chỉ ghi Có hoặc Không (hoặc x cho có).")


def digits_id(text: str, length: int) -> str:
    """An identifier of ``length`` digits; one leading zero lost in a spreadsheet is put back."""
    value = re.sub(r"[\s.\-']", "", text)
    if value.endswith(".0"):
        value = value[:-2]
    if value.isdigit() and value.isascii() and len(value) == length - 1:
        value = "0" + value
    return value


def parse_year(text: str) -> int:
    value = text.strip()
    if value.endswith(".0"):
        value = value[:-2]
    if not (value.isdigit() and len(value) == 4):
        raise CellError("Năm phải gồm 4 chữ số, ví dụ 2025.")
    return int(value)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


@lru_cache(maxsize=1)
def _ethnicities() -> dict[str, str]:
    return {_key(name): name for name in ETHNICITIES}


def parse_ethnicity(text: str) -> str:
    name = _ethnicities().get(_key(text))
    if name is None:
        raise CellError("Dân tộc không thuộc danh mục 54 dân tộc (ví dụ Kinh, Tày, Ê Đê).")
    return name


_PROVINCE_PREFIXES = ("thanh pho ", "tp. ", "tp ", "tinh ")


def _province_key(text: str) -> str:
    key = fold(text)
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
            break
    return _key(key)


@lru_cache(maxsize=1)
def _provinces() -> dict[str, int]:
    names = {_province_key(p.name): p.current for p in LEGACY_PROVINCES}  # old names map to today's province
    names.update({_province_key(name): code for code, name in current_provinces().items()})
    names.update({"hcm": 79, "tphcm": 79, "saigon": 79, "hn": 1})
    return names


def parse_province(text: str) -> int:
    """Today's province code from its code, today's name, or a name from before the 2025 merger."""
    value = text.strip()
    if value.isdigit():
        code = int(value)
        if code in current_provinces():
            return code
        raise CellError("Mã tỉnh/thành không có trong danh mục 34 tỉnh/thành hiện hành.")
    code = _provinces().get(_province_key(value))
    if code is None:
        raise CellError("Không nhận ra tỉnh/thành này.")
    return code
