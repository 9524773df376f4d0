"""Finding the header row: the file's headers matched onto the expected columns, whatever their case, accents and spacing."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from imports.table import HEADER_SEARCH_ROWS, MSG_MISSING, MSG_NO_HEADER, Column, UnusableFile, header_key

# ---------------------------------------------------------------------------------------------------
# Header matching
# ---------------------------------------------------------------------------------------------------


class _HeaderMatcher:
    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self.need = 1 if len(self.columns) == 1 else 2
        self.by_key: dict[str, Column] = {}
        for column in self.columns:
            for text in (column.key, column.label, *column.aliases):
                k = header_key(text)
                if k:
                    self.by_key.setdefault(k, column)  # the first Column that claims a spelling keeps it

    def count(self, cells: Sequence[str]) -> int:
        """Number of distinct Columns that the cells of a row name."""
        found = {self.by_key[k].key for k in map(header_key, cells) if k in self.by_key}
        return len(found)

    def map(self, cells: Sequence[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
        ignored: list[str] = []
        for index, raw in enumerate(cells):
            text = _clean(raw)
            if not text:
                continue
            column = self.by_key.get(header_key(text))
            if column is None or column.key in positions:
                ignored.append(text)
                continue
            positions[column.key] = index
            headers[column.key] = text
        return positions, headers, ignored

    def check_required(self, positions: dict[str, int]) -> None:
        missing = [c.label for c in self.columns if c.required and c.key not in positions]
        if missing:
            raise UnusableFile(MSG_MISSING.format(labels=", ".join(missing)))

    def no_header(self) -> UnusableFile:
        wanted = [c.label for c in self.columns if c.required] or [c.label for c in self.columns]
        return UnusableFile(MSG_NO_HEADER.format(rows=HEADER_SEARCH_ROWS, labels=", ".join(wanted)))


def _clean(value: str) -> str:
    value = value.strip()
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def _find_header(rows: Iterable[Sequence[str]], matcher: _HeaderMatcher) -> tuple[int, int] | None:
    """(index in ``rows``, matched column count) of the first qualifying row among the first non-blank ones."""
    non_blank = 0
    for index, cells in enumerate(rows):
        if not any(c.strip() for c in cells):
            continue
        matched = matcher.count(cells)
        if matched >= matcher.need:
            return index, matched
        non_blank += 1
        if non_blank >= HEADER_SEARCH_ROWS:
            return None
    return None
