"""Workbooks built to exhaust the reader (issue 18, item 3): a sheet that inflates to tens of megabytes of
whitespace from a few hundred kilobytes, a part larger than the limit, and a sheet that claims more rows
or columns than Excel has. Each is refused from the zip's directory or the sheet's dimension, with a
message a user can act on, before it is read — the reader's memory does not grow with the bomb."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from imports import table as limits
from imports.reading import read_table
from imports.table import UnusableFile
from tests.imports.test_reading import COLUMNS, _xlsx_bytes, assert_user_message, read_all


def _rewrite(data: bytes, part: str, change) -> bytes:  # type: ignore[no-untyped-def]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            target.writestr(item.filename, change(body) if item.filename == part else body)
    return out.getvalue()


def _bomb(whitespace_mb: int) -> bytes:
    padding = b" " * (whitespace_mb << 20)
    return _rewrite(_xlsx_bytes(), "xl/worksheets/sheet1.xml", lambda body: body.replace(b"<sheetData>", b"<sheetData>" + padding, 1))


def test_a_sheet_that_inflates_a_thousandfold_is_refused_before_it_is_read(tmp_path: Path) -> None:
    data = _bomb(64)
    assert len(data) < 1 << 20  # under a megabyte on disk
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    tracemalloc.start()
    with pytest.raises(UnusableFile) as exc:
        read_table(path, COLUMNS)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    message = assert_user_message(exc, "giải nén ra quá lớn", "xl/worksheets/sheet1.xml", "CSV")
    assert "64 MB" in message
    assert peak < 16 << 20, peak  # nothing was inflated


def test_the_expanded_size_of_every_part_is_bounded(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(limits, "XLSX_MAX_PART", 1 << 20)  # a smaller limit stands for the real one
    path = tmp_path / "wide.xlsx"
    path.write_bytes(_bomb(2))
    with pytest.raises(UnusableFile) as exc:
        read_table(path, COLUMNS)
    assert_user_message(exc, "giải nén ra quá lớn")
    monkeypatch.setattr(limits, "XLSX_MAX_PART", 512 << 20)
    monkeypatch.setattr(limits, "XLSX_MAX_EXPANDED", 1 << 20)
    with pytest.raises(UnusableFile):
        read_table(path, COLUMNS)


def test_a_sheet_claiming_more_rows_than_excel_is_refused(tmp_path: Path) -> None:
    data = _rewrite(_xlsx_bytes(), "xl/worksheets/sheet1.xml",
                    lambda body: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C2000000"', body, count=1))
    path = tmp_path / "tall.xlsx"
    path.write_bytes(data)
    with pytest.raises(UnusableFile) as exc:
        read_table(path, COLUMNS)
    assert_user_message(exc, "2.000.000 dòng", "1.048.576")


def test_an_ordinary_workbook_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.xlsx"
    path.write_bytes(_xlsx_bytes())
    _table, rows = read_all(path)
    assert len(rows) == 200
