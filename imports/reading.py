"""Tolerant reader for the tables that officials upload: CSV (any common encoding and delimiter) or XLSX.

``read_table(path, columns)`` looks at the bytes (never at the file name) to tell a workbook from a text
file, finds the encoding and the delimiter of a text file, skips title lines down to the header row,
maps the file's headers onto the expected ``Column``s and then streams the data rows lazily, so a
file of a million rows is never held in memory. Anything that makes the file itself unusable raises
``UnusableFile`` whose message is one line of Vietnamese telling the official what to do; problems with
single values are left to the caller.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from core.text import fold

__all__ = ["Column", "Table", "UnusableFile", "header_key", "read_table"]

# ---------------------------------------------------------------------------------------------------
# Tunables
# ---------------------------------------------------------------------------------------------------

SAMPLE_BYTES = 1 << 20  # encoding/delimiter/header detection looks at this much of a text file
CHUNK_BYTES = 1 << 20  # newline counting reads the file in chunks of this size
SNIFF_BYTES = 64 << 10  # binary detection looks at this much
HEADER_SEARCH_ROWS = 15  # the header must be among this many non-blank rows
DELIMITER_LOOKAHEAD_ROWS = 5  # rows after the header whose delimiters also count
XLSX_SCAN_ROW_LIMIT = 10_000  # give up on a sheet after this many rows without a header (mostly blank)
CONTROL_SHARE_LIMIT = 0.02  # a text with more control characters than this is binary
DELIMITERS = (",", ";", "\t")

# ---------------------------------------------------------------------------------------------------
# Messages shown to officials (one line each, Vietnamese)
# ---------------------------------------------------------------------------------------------------

MSG_EMPTY = "Tệp rỗng: không có dòng nào."
MSG_XLSX_BROKEN = (
    "Tệp Excel bị hỏng hoặc không đầy đủ (có thể chưa tải lên xong): hãy mở tệp bằng Excel, "
    "lưu lại dạng .xlsx rồi tải lên lại."
)
MSG_XLS_OLD = (
    "Tệp là định dạng Excel cũ (.xls) nên không đọc được: hãy mở tệp bằng Excel, chọn Lưu thành "
    "(Save As) dạng Excel Workbook (.xlsx) hoặc CSV UTF-8 rồi tải lên lại."
)
MSG_XLSX_ENCRYPTED = (
    "Tệp Excel đang đặt mật khẩu nên không đọc được: hãy mở tệp bằng Excel, gỡ mật khẩu, "
    "lưu lại dạng .xlsx hoặc CSV UTF-8 rồi tải lên lại."
)
MSG_XLSX_ENCRYPTED_OR_OLD = (
    "Tệp Excel đang đặt mật khẩu hoặc là định dạng Excel cũ (.xls) nên không đọc được: hãy mở tệp bằng "
    "Excel, gỡ mật khẩu nếu có, lưu lại dạng .xlsx hoặc CSV UTF-8 rồi tải lên lại."
)
MSG_BINARY = (
    "Tệp không phải bảng CSV hoặc Excel (.xlsx) (có vẻ là ảnh, PDF hoặc tệp khác): hãy chọn đúng tệp "
    "danh sách, lưu dạng .xlsx hoặc CSV UTF-8 rồi tải lên lại."
)
MSG_NO_HEADER = (
    "Không tìm thấy dòng tiêu đề (dòng ghi tên các cột) trong {rows} dòng đầu của tệp. Các cột cần có: {labels}."
)
MSG_MISSING = "Thiếu cột bắt buộc: {labels}."
MSG_DECODE = (
    "Tệp có ký tự không đọc được theo bảng mã {encoding} ở khoảng dòng {line}: hãy mở tệp và lưu lại "
    "dạng CSV UTF-8 (hoặc .xlsx) rồi tải lên lại."
)
MSG_TRUNCATED = (
    "Tệp có vẻ bị cắt cụt: dòng cuối (dòng {line}) thiếu cột và tệp không kết thúc bằng xuống dòng; "
    "hãy tải lên lại tệp đầy đủ."
)
MSG_CSV_BROKEN = (
    "Dòng {line} của tệp CSV bị lỗi định dạng (có thể thiếu dấu ngoặc kép đóng hoặc một ô quá dài): "
    "hãy sửa dòng đó hoặc lưu lại tệp bằng Excel rồi tải lên lại."
)

_ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1258": "Windows-1258",
}


class UnusableFile(Exception):
    """The file itself cannot be read. ``str(exc)`` is ONE line of Vietnamese saying what is wrong and
    what to do (no traceback, no Python jargon)."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


# ---------------------------------------------------------------------------------------------------
# Public data types
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # field name, e.g. "full_name"
    label: str  # canonical Vietnamese header, e.g. "Họ và tên"
    aliases: tuple[str, ...] = ()  # other accepted header texts, e.g. ("Họ tên", "Full name", "ho_ten")
    required: bool = False


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(text: str) -> str:
    """fold(text) then keep only [a-z0-9]: "Họ và tên " -> "hovaten", "ngu_van" -> "nguvan", "Hoá" and "Hóa" -> "hoa"."""
    return _NOT_ALNUM.sub("", fold(text))


@dataclass
class Table:
    format: str  # "csv" or "xlsx"
    encoding: str | None  # "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258"; None for xlsx
    delimiter: str | None  # ",", ";" or "\t"; None for xlsx
    header_row: int  # 1-based row number of the header in the file
    columns: dict[str, int]  # Column.key -> 0-based cell index, for the columns found
    headers: dict[str, str]  # Column.key -> the header text as the file wrote it (stripped, NFC)
    ignored_headers: list[str]  # non-empty header cells that matched no Column (or a Column already taken)
    total_hint: int | None  # estimated number of data rows, for a progress bar (may be off by a few)
    rows: Iterator[tuple[int, dict[str, str]]]
    # Lazily yields (row_number, {key: value}) for each non-blank data row after the header; values are
    # stripped NFC strings, "" for a blank or missing cell. For a CSV the row number is the line (as a text
    # editor counts) on which the record starts; for an XLSX it is the Excel row number. Iterating may
    # raise UnusableFile when the file turns out to be broken further down (bad encoding, cut workbook).
    _closer: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def close(self) -> None:
        closer, self._closer = self._closer, None
        rows = self.rows
        if hasattr(rows, "close"):
            rows.close()
        if closer is not None:
            closer()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# ---------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_BINARY_MAGICS = (
    b"\x89PNG",
    b"%PDF-",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
    b"BM",  # bitmap: only with a NUL soon after, see _looks_binary_magic
    b"II*\x00",  # TIFF
    b"MM\x00*",
)
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


# ---------------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------------


def _strip_blank_bytes(data: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            data = data[len(bom):]
            break
    return data.strip(b" \t\r\n\x00\x0b\x0c")


def _looks_binary_magic(head: bytes) -> bool:
    for magic in _BINARY_MAGICS:
        if head.startswith(magic):
            return magic != b"BM" or b"\x00" in head[:64]
    return False


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the NUL bytes sit on one parity as in mostly-ASCII UTF-16 text."""
    sample = sample[: len(sample) & ~1]
    if len(sample) < 2:
        return None
    pairs = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.1 * pairs and odd_nuls > 4 * even_nuls:
        return "utf-16-le"
    if even_nuls >= 0.1 * pairs and even_nuls > 4 * odd_nuls:
        return "utf-16-be"
    return None


def _decode_sample(data: bytes, codec: str, final: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(codec)("strict").decode(data, final=final)
    except UnicodeDecodeError:
        return None


def _control_share(text: str) -> float:
    window = text[:SNIFF_BYTES]
    if not window:
        return 0.0
    controls = sum(1 for ch in window if ch < " " and ch not in "\t\n\r\x0b\x0c") + window.count("\x7f")
    return controls / len(window)


def _detect_encoding(head: bytes, at_eof: bool) -> tuple[str, str, int, str]:
    """(reported encoding, codec for the stream, BOM length to skip, decoded sample text)."""
    for bom, reported, codec in _BOMS:
        if head.startswith(bom):
            text = _decode_sample(head[len(bom):], codec, at_eof)
            if text is None:
                if codec == "utf-8":
                    break  # a UTF-8 BOM in front of legacy bytes: try the legacy code page below
                raise UnusableFile(MSG_BINARY)
            return reported, codec, len(bom), text
    else:
        bom = b""

    utf16 = _utf16_without_bom(head[:SNIFF_BYTES])
    if utf16 is not None:
        text = _decode_sample(head, utf16, at_eof)
        if text is None:
            raise UnusableFile(MSG_BINARY)
        return utf16, utf16, 0, text
    if b"\x00" in head[:SNIFF_BYTES]:
        raise UnusableFile(MSG_BINARY)

    body = head[len(bom):]
    text = _decode_sample(body, "utf-8", at_eof)
    if text is not None:
        return "utf-8", "utf-8", len(bom), text
    text = _decode_sample(body, "cp1258", at_eof)
    if text is not None:
        return "cp1258", "cp1258", len(bom), text
    # Neither UTF-8 nor the Vietnamese Windows code page: a binary file without NUL bytes, or a text in
    # an encoding we cannot guess. Name the first unreadable line so the official can look at it.
    if _control_share(body[:SNIFF_BYTES].decode("latin-1")) > CONTROL_SHARE_LIMIT:
        raise UnusableFile(MSG_BINARY)
    raise UnusableFile(MSG_DECODE.format(encoding="UTF-8", line=_bad_line_utf8(body)))


def _bad_line_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    return 1


def _sample_records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    """Records of the sample text (its last, maybe cut, line dropped unless the sample is the whole file)."""
    if not complete:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[: cut + 1] if cut >= 0 else text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    records: list[list[str]] = []
    non_blank = 0
    limit = HEADER_SEARCH_ROWS + DELIMITER_LOOKAHEAD_ROWS + 1
    try:
        for record in reader:
            records.append(record)
            if any(record):
                non_blank += 1
                if non_blank >= limit:
                    break
    except csv.Error:
        pass  # judged on what parsed; the stream reports the broken line with its number
    return records


def _choose_delimiter(text: str, complete: bool, matcher: _HeaderMatcher) -> tuple[str, int]:
    """Delimiter and the index (among the sample's records) of the header row.

    Each candidate splits the first rows; the candidate that yields a header naming the most Columns
    wins, then the one whose header comes first, then the one counted most often (outside quotes) in the
    header line and the next few lines.
    """
    best: tuple[tuple[int, int, int], str, int] | None = None
    for delimiter in DELIMITERS:
        records = _sample_records(text, delimiter, complete)
        found = _find_header(records, matcher)
        if found is None:
            continue
        index, matched = found
        following = [r for r in records[index + 1:] if any(r)][:DELIMITER_LOOKAHEAD_ROWS]
        count = sum(len(r) - 1 for r in [records[index], *following])
        score = (matched, -index, count)
        if best is None or score > best[0]:
            best = (score, delimiter, index)
    if best is None:
        raise matcher.no_header()
    return best[1], best[2]


def _count_lines(path: Path, newline: bytes) -> tuple[int, bool]:
    """Number of encoded ``newline``s in the file and whether the file ends with one."""
    count = 0
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            count += chunk.count(newline)
            tail = chunk
    return count, tail.endswith(newline)


def _read_csv(path: Path, head: bytes, at_eof: bool, matcher: _HeaderMatcher) -> Table:
    encoding, codec, skip, text = _detect_encoding(head, at_eof)
    if at_eof and not text.strip():
        raise UnusableFile(MSG_EMPTY)
    if _control_share(text) > CONTROL_SHARE_LIMIT:
        raise UnusableFile(MSG_BINARY)

    delimiter, header_index = _choose_delimiter(text, at_eof, matcher)

    raw = open(path, "rb")  # noqa: SIM115 - closed by Table.close
    try:
        raw.seek(skip)
        stream = io.TextIOWrapper(raw, encoding=codec, errors="strict", newline="")
        # NFC per physical line, in C: cheaper than per cell, and no delimiter or quote ever composes
        # with a combining mark, so the split is the same as on the raw text.
        lines = map(partial(unicodedata.normalize, "NFC"), stream)
        reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
        context = _CsvContext(path, encoding, codec, skip)
        header: list[str] = []
        before_header = 0
        try:
            for _ in range(header_index + 1):
                before_header = reader.line_num
                header = next(reader)
        except (UnicodeDecodeError, csv.Error, StopIteration) as exc:  # pragma: no cover - sample said fine
            raise context.error(exc, before_header + 1) from None
        header_row = before_header + 1  # a quoted header cell may span lines: the row starts here
        header_end = reader.line_num

        positions, headers, ignored = matcher.map(header)
        matcher.check_required(positions)

        line_char = "\n" if ("\n" in text or "\r" not in text) else "\r"
        newline = line_char.encode(codec)
        lines, ends_with_newline = _count_lines(path, newline)
        total_lines = lines + (0 if ends_with_newline else 1)
        total_hint = max(total_lines - header_end, 0)
    except BaseException:
        raw.close()
        raise

    rows = _csv_rows(reader, header_end, positions, context)
    return Table(
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        columns=positions,
        headers=headers,
        ignored_headers=ignored,
        total_hint=total_hint,
        rows=rows,
        _closer=raw.close,
    )


@dataclass
class _CsvContext:
    path: Path
    encoding: str
    codec: str
    skip: int

    def ends_with_newline(self) -> bool:
        """Whether the file's last bytes are a line break (a cut-off download usually is not)."""
        with open(self.path, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - 8))
            tail = fh.read()
        return tail.endswith("\n".encode(self.codec)) or tail.endswith("\r".encode(self.codec))

    def error(self, exc: BaseException, line: int) -> UnusableFile:
        """The message for a failure while reading the record that starts on ``line``."""
        if isinstance(exc, UnicodeDecodeError):
            line = self._locate_decode_error() or line
            label = _ENCODING_LABELS.get(self.encoding, self.encoding)
            return UnusableFile(MSG_DECODE.format(encoding=label, line=line))
        return UnusableFile(MSG_CSV_BROKEN.format(line=max(line, 1)))

    def _locate_decode_error(self) -> int | None:
        """Line of the first byte that does not decode (the stream only says which 8 KiB chunk failed)."""
        newline = "\n".encode(self.codec)
        decoder = codecs.getincrementaldecoder(self.codec)("strict")
        lines = 1
        with open(self.path, "rb") as fh:
            fh.seek(self.skip)
            while chunk := fh.read(CHUNK_BYTES):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    return lines + chunk[: max(exc.start, 0)].count(newline)
                lines += chunk.count(newline)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return lines
        return None


def _csv_rows(
    reader: Any, header_end: int, positions: dict[str, int], context: _CsvContext
) -> Iterator[tuple[int, dict[str, str]]]:
    keys = tuple(positions)
    indexes = tuple(positions.values())
    width = max(indexes) + 1
    padding = [""] * width
    if len(indexes) == 1:
        only = indexes[0]

        def pick(row: list[str]) -> tuple[str, ...]:
            return (row[only],)
    else:
        pick = itemgetter(*indexes)
    strip = str.strip
    last_line = header_end
    # A row short of columns is held back until the next row shows it was not the last: a short last
    # row in a file that does not end with a line break is a cut-off file, refused as a whole rather
    # than stored with its missing cells read as blanks.
    held: tuple[int, dict[str, str]] | None = None
    try:
        for row in reader:  # lines arrive NFC-normalised (see _read_csv)
            number = last_line + 1
            last_line = reader.line_num
            short = False
            try:
                values = dict(zip(keys, map(strip, pick(row))))
            except IndexError:
                if not row:
                    continue  # an empty line
                values = dict(zip(keys, map(strip, pick(row + padding))))
                short = True
            if not any(values.values()) and not "".join(row).strip():
                continue  # every cell blank
            if held is not None:
                yield held
                held = None
            if short:
                held = (number, values)
                continue
            yield number, values
    except (UnicodeDecodeError, csv.Error) as exc:
        raise context.error(exc, last_line + 1) from None
    if held is not None:
        if not context.ends_with_newline():
            raise UnusableFile(MSG_TRUNCATED.format(line=held[0]))
        yield held


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


def _read_xlsx(path: Path, matcher: _HeaderMatcher) -> Table:
    # openpyxl is given an open file, not the path: uploads are often stored without an .xlsx extension,
    # and openpyxl refuses a *path* whose extension it does not know.
    import openpyxl  # imported here: CSV-only callers should not pay for it

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
