"""What a read file is made of: the tunables, the messages an official sees, the expected columns and the open table."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from core.text import fold

# ---------------------------------------------------------------------------------------------------
# Tunables
# ---------------------------------------------------------------------------------------------------

SAMPLE_BYTES = 1 << 20  # encoding/delimiter/header detection looks at this much of a text file
CHUNK_BYTES = 1 << 20  # newline counting reads the file in chunks of this size
SNIFF_BYTES = 64 << 10  # binary detection looks at this much
HEADER_SEARCH_ROWS = 15  # the header must be among this many non-blank rows
DELIMITER_LOOKAHEAD_ROWS = 5  # rows after the header whose delimiters also count
XLSX_SCAN_ROW_LIMIT = 10_000  # give up on a sheet after this many rows without a header (mostly blank)
# A workbook is a zip: each part is checked before anything is inflated, so a small file that expands
# to hundreds of megabytes (a "zip bomb") is refused instead of read. Real sheets compress 5–30×; a
# part over XLSX_RATIO_FLOOR bytes expanding more than XLSX_MAX_RATIO times is not a table.
XLSX_MAX_EXPANDED = 1 << 30  # all parts together, uncompressed
XLSX_MAX_PART = 512 << 20  # one part, uncompressed
XLSX_MAX_RATIO = 200
XLSX_RATIO_FLOOR = 8 << 20
XLSX_MAX_PARTS = 10_000
XLSX_MAX_ROWS = 1_048_576  # Excel's own limits: a sheet that claims more was not written by a spreadsheet
XLSX_MAX_COLUMNS = 16_384
CONTROL_SHARE_LIMIT = 0.02  # a text with more control characters than this is binary
DELIMITERS = (",", ";", "\t")

# ---------------------------------------------------------------------------------------------------
# Messages shown to officials (one line each, Vietnamese)
# ---------------------------------------------------------------------------------------------------

MSG_EMPTY = "Tệp rỗng: không có dòng nào."
MSG_XLSX_TOO_BIG = (
    "Tệp Excel giải nén ra quá lớn so với kích thước tệp ({detail}); đây không phải một bảng dữ liệu bình "
    "thường. Hãy lưu lại bảng bằng Excel (chỉ giữ trang dữ liệu) hoặc xuất ra CSV rồi tải lên lại."
)
MSG_XLSX_TOO_WIDE = (
    "Trang «{sheet}» khai báo {rows} dòng × {columns} cột, vượt giới hạn của Excel ({max_rows} dòng × "
    "{max_columns} cột). Hãy lưu lại bảng bằng Excel hoặc xuất ra CSV."
)
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


# Signatures of the bytes at the start of a file.
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
