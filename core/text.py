"""Diacritics folding for Vietnamese names.

"Nguyễn Văn Đạt" folds to "nguyen van dat": Unicode NFD removes the combining marks, and "đ"/"Đ",
which are letters of their own rather than a d with a mark, are mapped by hand.
"""

from __future__ import annotations

import re
import unicodedata

_D_TABLE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, diacritics-free, single-spaced form of ``text`` for search and matching."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def group_digits(number: float) -> str:
    """A whole number with its thousands grouped by dots, as Vietnamese writes them: 1.048.576."""
    return f"{number:,.0f}".replace(",", ".")


def normalize_name(text: str) -> str:
    """Canonical display form of a person's name: NFC, single spaces, each word capitalised."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))


# Vietnamese alphabetical order: the letters with a breve, circumflex or horn, and đ, are letters of
# their own (a < ă < â, d < đ, o < ô < ơ, u < ư); the tones order words that are otherwise equal
# (none, huyền, hỏi, ngã, sắc, nặng).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_PREFIXES = ("thành phố ", "tỉnh ", "tp. ", "tp ")


def vietnamese_sort_key(text: str | None, *, drop_prefix: bool = False) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """A key that sorts Vietnamese text as a Vietnamese reader expects ("Cà Mau" < "Cao Bằng" < "Cần
    Thơ" < "Đà Nẵng" < "Điện Biên", never "Đ" after "Z"). With ``drop_prefix`` a leading "Thành phố"
    or "Tỉnh" is not sorted on, as lists of provinces are read."""
    value = unicodedata.normalize("NFC", text or "").strip().lower()
    if drop_prefix:
        for prefix in _PREFIXES:
            if value.startswith(prefix):
                value = value[len(prefix):]
                break
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for char in value:
        if char == "đ":
            letters.append((ord("d"), 1))
            tones.append(0)
            continue
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        letters.append((ord(base), max((_LETTER_MARKS.get(m, 0) for m in marks), default=0)))
        tones.append(max((_TONES.get(m, 0) for m in marks), default=0))
    return tuple(letters), tuple(tones)
