"""Workbooks: the sheet with the header, cell values as text (dates, numbers, formulas' cached values), streamed rows."""

from __future__ import annotations

import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from imports.headers import _clean, _find_header, _HeaderMatcher
from core.text import group_digits
from imports import table as limits
from imports.table import HEADER_SEARCH_ROWS, MSG_XLSX_BROKEN, XLSX_SCAN_ROW_LIMIT, Table, UnusableFile

# ---------------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """An openpyxl cell value as the text a user sees (dates as ISO dates, integral numbers without .0)."""
    kind = type(value)
    if kind is str:
        value = value.strip()
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if value is None:
        return ""
    if kind is int:
        return str(value)
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if kind is bool:
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _cell_text(float(value))
    return _clean(str(value))


def _mb(size: int) -> str:
    return f"{group_digits(size / (1 << 20))} MB"


def check_expansion(path: Path) -> None:
    """Refuse a workbook whose parts would inflate beyond the limits (``imports.table``), from the sizes
    the zip's directory declares — before a byte is inflated. The zip reader itself stops at the declared
    size and fails the part's checksum when a part lies about it, so the declared sizes bind."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: openpyxl's own refusal says so
    if len(members) > limits.XLSX_MAX_PARTS:
        raise UnusableFile(limits.MSG_XLSX_TOO_BIG.format(detail=f"{group_digits(len(members))} phần trong tệp"))
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.XLSX_MAX_PART or (
                member.file_size > limits.XLSX_RATIO_FLOOR and ratio > limits.XLSX_MAX_RATIO):
            raise UnusableFile(limits.MSG_XLSX_TOO_BIG.format(
                detail=f"phần {member.filename} nén {_mb(member.compress_size)} giải nén {_mb(member.file_size)}, "
                       f"gấp {group_digits(ratio)} lần"))
        if total > limits.XLSX_MAX_EXPANDED:
            raise UnusableFile(limits.MSG_XLSX_TOO_BIG.format(detail=f"giải nén hơn {_mb(limits.XLSX_MAX_EXPANDED)}"))


def _too_wide(title: str, rows: int, columns: int) -> UnusableFile:
    return UnusableFile(limits.MSG_XLSX_TOO_WIDE.format(sheet=title, rows=group_digits(rows), columns=group_digits(columns),
                                                        max_rows=group_digits(limits.XLSX_MAX_ROWS),
                                                        max_columns=group_digits(limits.XLSX_MAX_COLUMNS)))


def _check_dimensions(sheet: Any) -> None:
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > limits.XLSX_MAX_ROWS or columns > limits.XLSX_MAX_COLUMNS:
        raise _too_wide(sheet.title, rows, columns)


def _read_xlsx(path: Path, matcher: _HeaderMatcher) -> Table:
    # openpyxl is given an open file, not the path: uploads are often stored without an .xlsx extension,
    # and openpyxl refuses a *path* whose extension it does not know.
    import openpyxl  # imported here: CSV-only callers should not pay for it

    check_expansion(path)
    raw = open(path, "rb")  # noqa: SIM115 - closed by Table.close
    workbook = None
    try:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook = openpyxl.load_workbook(raw, read_only=True, data_only=True, keep_links=False)
                found = _find_sheet(workbook, matcher)
        except UnusableFile:
            raise
        except Exception:
            raise UnusableFile(MSG_XLSX_BROKEN) from None
        if found is None:
            raise matcher.no_header()
        sheet, header_row, header, dimension_rows = found

        positions, headers, ignored = matcher.map(header)
        matcher.check_required(positions)
        total_hint = max(dimension_rows - header_row, 0) if dimension_rows else None
    except BaseException:
        if workbook is not None:
            workbook.close()
        raw.close()
        raise

    def close() -> None:
        workbook.close()
        raw.close()

    return Table(
        format="xlsx",
        encoding=None,
        delimiter=None,
        header_row=header_row,
        columns=positions,
        headers=headers,
        ignored_headers=ignored,
        total_hint=total_hint,
        rows=_xlsx_rows(sheet, header_row, positions),
        _closer=close,
    )


def _find_sheet(workbook: Any, matcher: _HeaderMatcher) -> tuple[Any, int, list[str], int | None] | None:
    """First worksheet with a header row: (sheet, 1-based header row, header texts, rows per dimension)."""
    for sheet in workbook.worksheets:
        _check_dimensions(sheet)
        dimension_rows = sheet.max_row
        # The <dimension> a writer records is sometimes wrong (e.g. "A1"): read everything instead.
        sheet.reset_dimensions()
        rows = []
        non_blank = 0
        for values in sheet.iter_rows(min_row=1, values_only=True):
            cells = [_cell_text(v) for v in values]
            rows.append(cells)
            if any(cells):
                non_blank += 1
            if non_blank >= HEADER_SEARCH_ROWS or len(rows) >= XLSX_SCAN_ROW_LIMIT:
                break
        found = _find_header(rows, matcher)
        if found is not None:
            index = found[0]
            return sheet, index + 1, rows[index], dimension_rows
    return None


def _xlsx_rows(sheet: Any, header_row: int, positions: dict[str, int]) -> Iterator[tuple[int, dict[str, str]]]:
    keys = tuple(positions)
    indexes = tuple(positions.values())
    width = max(indexes) + 1
    padding = (None,) * width
    cell_text = _cell_text
    number = header_row
    try:
        for values in sheet.iter_rows(min_row=header_row + 1, values_only=True):
            number += 1
            if number > limits.XLSX_MAX_ROWS or len(values) > limits.XLSX_MAX_COLUMNS:
                raise _too_wide(sheet.title, number, len(values))
            if len(values) < width:
                if not values:
                    continue
                values = tuple(values) + padding
            texts = [cell_text(values[i]) for i in indexes]
            if not any(texts) and not any(cell_text(v) for v in values):
                continue  # every cell blank
            yield number, dict(zip(keys, texts))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError, ValueError, SyntaxError):
        # a workbook cut or corrupted after the part that was checked when opening it
        raise UnusableFile(MSG_XLSX_BROKEN) from None
