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


def normalize_name(text: str) -> str:
    """Canonical display form of a person's name: NFC, single spaces, each word capitalised."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))
