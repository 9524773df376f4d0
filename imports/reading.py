"""Tolerant reader for the tables that officials upload: CSV (any common encoding and delimiter) or XLSX.

``read_table(path, columns)`` looks at the bytes (never at the file name) to tell a workbook from a text
file, finds the encoding and the delimiter of a text file, skips title lines down to the header row,
maps the file's headers onto the expected ``Column``s and then streams the data rows lazily, so a
file of a million rows is never held in memory. Anything that makes the file itself unusable raises
``UnusableFile`` whose message is one line of Vietnamese telling the official what to do; problems with
single values are left to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from imports.csv_reader import _looks_binary_magic, _read_csv, _strip_blank_bytes
from imports.headers import _HeaderMatcher
from imports.table import (
    _OLE_MAGIC,
    _ZIP_MAGIC,
    MSG_BINARY,
    MSG_EMPTY,
    MSG_XLS_OLD,
    MSG_XLSX_ENCRYPTED,
    MSG_XLSX_ENCRYPTED_OR_OLD,
    SAMPLE_BYTES,
    Column,
    Table,
    UnusableFile,
    header_key,
)
from imports.xlsx_reader import _read_xlsx

# The reader's public names, wherever in the package they are defined.
__all__ = ["Column", "Table", "UnusableFile", "header_key", "read_table"]

# ---------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------

_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def read_table(path: str | Path, columns: Sequence[Column], *, original_name: str | None = None) -> Table:
    """Open ``path`` (CSV or XLSX, recognised by content) and locate its header row among ``columns``.

    ``original_name`` (the name the user uploaded) only sharpens error messages (an OLE file named .xlsx
    is more likely a password-protected workbook than an old .xls). Raises UnusableFile when
    the file cannot be used at all; the returned Table must be closed (or used as a context manager).
    """
    if not columns:
        raise ValueError("read_table needs at least one Column")
    path = Path(path)
    matcher = _HeaderMatcher(columns)
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
        at_eof = not fh.read(1)

    if not _strip_blank_bytes(head) and at_eof:
        raise UnusableFile(MSG_EMPTY)
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, matcher)
    if head.startswith(_OLE_MAGIC):
        # Excel saves a password-protected workbook as an OLE container but keeps the .xlsx name.
        named_xlsx = Path(original_name or "").suffix.lower() in {".xlsx", ".xlsm"}
        if _ENCRYPTED_PACKAGE in head:
            raise UnusableFile(MSG_XLSX_ENCRYPTED)
        if named_xlsx:
            raise UnusableFile(MSG_XLSX_ENCRYPTED_OR_OLD)
        raise UnusableFile(MSG_XLS_OLD)
    if _looks_binary_magic(head):
        raise UnusableFile(MSG_BINARY)
    return _read_csv(path, head, at_eof, matcher)
