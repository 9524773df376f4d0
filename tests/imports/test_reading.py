"""The tolerant table reader: CSV in any common encoding/delimiter and XLSX, with title lines, header
synonyms and blank rows, and a one-line Vietnamese message for every file that cannot be used."""

from __future__ import annotations

import io
import random
import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from imports import reading
from imports.reading import Column, Table, UnusableFile, header_key, read_table

COLUMNS = [
    Column("student_id", "Số báo danh", ("SBD", "so_bao_danh", "Mã học sinh"), required=True),
    Column("full_name", "Họ và tên", ("Họ tên", "Full name", "ho_ten"), required=True),
    Column("birth_date", "Ngày sinh", ("DOB",), required=True),
    Column("math", "Toán", ("Môn Toán",)),
    Column("literature", "Ngữ văn", ("Văn", "ngu_van")),
    Column("chemistry", "Hoá học", ("Hóa",)),
]

NAME = "Nguyễn Thị Hoà"
HEADER = "STT,SBD,Họ và tên,Ngày sinh,Toán,Ngữ văn"
ROW = f"1,01000001,{NAME},15/03/2008,8.25,7"


def write(tmp_path: Path, data: bytes | str, name: str = "upload.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read_all(path: Path, columns: list[Column] = COLUMNS) -> tuple[Table, list[tuple[int, dict[str, str]]]]:
    with read_table(path, columns) as table:
        return table, list(table.rows)


def assert_user_message(exc: pytest.ExceptionInfo[UnusableFile], *fragments: str) -> str:
    message = str(exc.value)
    assert message and "\n" not in message and "\r" not in message
    assert "Traceback" not in message and "Error" not in message and "codec" not in message
    assert not message.isascii(), "Vietnamese text has diacritics"
    for fragment in fragments:
        assert fragment in message
    return message


def cp1258_bytes(text: str) -> bytes:
    """Encode like Windows does for Vietnamese: a precomposed letter where code page 1258 has one
    ("ê", "à"), else that base letter followed by a combining tone mark ("ễ" -> "ê" + U+0303)."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


# --- header_key ---------------------------------------------------------------------------------------


def test_header_key_folds_diacritics_case_spaces_and_punctuation() -> None:
    assert header_key("Họ và tên ") == "hovaten"
    assert header_key("  HỌ   VÀ  TÊN") == "hovaten"
    assert header_key("ngu_van") == "nguvan"
    assert header_key("Hoá") == header_key("Hóa") == "hoa"
    assert header_key("Đ.T.B (HK1)") == "dtbhk1"
    assert header_key("") == ""


# --- encodings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda s: s.encode("utf-8"), "utf-8"),
        (lambda s: s.encode("utf-8-sig"), "utf-8-sig"),
        (lambda s: s.encode("utf-16"), "utf-16"),
        (lambda s: s.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
        (lambda s: s.encode("utf-16-le"), "utf-16-le"),
        (lambda s: s.encode("utf-16-be"), "utf-16-be"),
        (cp1258_bytes, "cp1258"),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16-bom-le", "utf-16-bom-be", "utf-16-le", "utf-16-be", "cp1258"],
)
def test_encodings_read_back_nfc(tmp_path: Path, encode, expected: str) -> None:  # type: ignore[no-untyped-def]
    text = f"{HEADER}\r\n{ROW}\r\n2,01000002,Trần Văn Đạt,01/01/2008,9,6.5\r\n"
    table, rows = read_all(write(tmp_path, encode(text)))
    assert (table.format, table.encoding, table.delimiter) == ("csv", expected, ",")
    assert table.header_row == 1
    assert rows[0] == (2, {"student_id": "01000001", "full_name": NAME, "birth_date": "15/03/2008",
                           "math": "8.25", "literature": "7"})
    assert rows[0][1]["full_name"] == unicodedata.normalize("NFC", NAME)
    assert rows[1][1]["full_name"] == "Trần Văn Đạt"
    assert table.headers["full_name"] == "Họ và tên"
    assert table.total_hint == 2


def test_cp1258_combining_tones_become_precomposed(tmp_path: Path) -> None:
    raw = cp1258_bytes(f"SBD;Họ và tên;Ngày sinh\n01;{NAME};1/1/2008\n02;Nguyễn Văn Huyễn;2/2/2008\n")
    assert b"\xde" in raw  # a combining tilde: "ễ" is not in the code page
    table, rows = read_all(write(tmp_path, raw))
    assert table.encoding == "cp1258"
    assert [r[1]["full_name"] for r in rows] == [NAME, "Nguyễn Văn Huyễn"]
    assert all(unicodedata.is_normalized("NFC", r[1]["full_name"]) for r in rows)


def test_decomposed_utf8_is_normalised(tmp_path: Path) -> None:
    text = unicodedata.normalize("NFD", f"{HEADER}\n{ROW}\n")
    table, rows = read_all(write(tmp_path, text))
    assert rows[0][1]["full_name"] == NAME
    assert table.headers["full_name"] == "Họ và tên"


def test_multibyte_char_cut_at_sample_end_is_not_an_error(tmp_path: Path) -> None:
    head = f"{HEADER}\n".encode()
    filler_line = b"3,01000003,Le Van A,01/01/2008,5,5\n"
    body = filler_line * ((reading.SAMPLE_BYTES - len(head)) // len(filler_line))
    pad = reading.SAMPLE_BYTES - len(head) - len(body) - len(b"4,01000004,") - 1
    line = b"4,01000004," + b"x" * pad + "ễ".encode() + b",01/01/2008,5,5\n"  # "ễ" straddles the cut
    data = head + body + line
    assert data[reading.SAMPLE_BYTES - 1 : reading.SAMPLE_BYTES + 2] == "ễ".encode()
    table, rows = read_all(write(tmp_path, data))
    assert table.encoding == "utf-8"
    assert rows[-1][1]["full_name"].endswith("ễ")
    assert len(rows) == table.total_hint


def test_decode_error_far_into_the_stream_names_the_line(tmp_path: Path) -> None:
    line = "1,01000001,Nguyen Van A,01/01/2008,5,5\n"
    count = reading.SAMPLE_BYTES // len(line) + 100
    data = f"{HEADER}\n".encode() + line.encode() * count + cp1258_bytes(f"2,02,{NAME},1/1/2008,5,5\n")
    with read_table(write(tmp_path, data), COLUMNS) as table:
        assert table.encoding == "utf-8"
        with pytest.raises(UnusableFile) as exc:
            for _ in table.rows:
                pass
    assert_user_message(exc, f"dòng {count + 2}", "UTF-8")


# --- delimiters and quoting ---------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter(tmp_path: Path, delimiter: str) -> None:
    text = f"{HEADER}\n{ROW}\n".replace(",", delimiter)
    table, rows = read_all(write(tmp_path, text))
    assert table.delimiter == delimiter
    assert rows == [(2, {"student_id": "01000001", "full_name": NAME, "birth_date": "15/03/2008",
                         "math": "8.25", "literature": "7"})]


def test_semicolon_file_with_decimal_commas(tmp_path: Path) -> None:
    text = "SBD;Họ và tên;Ngày sinh;Toán;Ngữ văn\n01;An;1/1/2008;8,25;7,5\n02;Bình;2/2/2008;9;6,75\n"
    table, rows = read_all(write(tmp_path, text))
    assert table.delimiter == ";"
    assert [(r[1]["math"], r[1]["literature"]) for r in rows] == [("8,25", "7,5"), ("9", "6,75")]


def test_quoted_fields_with_delimiters_and_newlines(tmp_path: Path) -> None:
    text = (
        'SBD,Họ và tên,Ngày sinh,Ngữ văn\r\n'
        '01,"Lê, Thị Ánh",1/1/2008,"7,5"\r\n'
        '02,"Trần Văn\r\nBình",2/2/2008,"He said ""hi"""\r\n'
        '03, "Phạm An" ,3/3/2008,8\r\n'
    )
    table, rows = read_all(write(tmp_path, text))
    assert table.delimiter == ","
    assert rows[0] == (2, {"student_id": "01", "full_name": "Lê, Thị Ánh", "birth_date": "1/1/2008",
                           "literature": "7,5"})
    assert rows[1][0] == 3 and rows[1][1]["full_name"] == "Trần Văn\r\nBình"
    assert rows[1][1]["literature"] == 'He said "hi"'
    assert rows[2][0] == 5  # the record above took two lines
    assert rows[2][1]["full_name"] == "Phạm An"


def test_unclosed_quote_swallowing_the_file_names_its_line(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW}\n3,01000003,\"Lê An".encode() + b" x" * 100_000 + b"\n4,04,B,1/1/2008,5,5\n"
    with read_table(write(tmp_path, data), COLUMNS) as table:
        with pytest.raises(UnusableFile) as exc:
            list(table.rows)
    assert_user_message(exc, "Dòng 3 ", "ngoặc kép")


def test_old_mac_line_endings(tmp_path: Path) -> None:
    table, rows = read_all(write(tmp_path, f"{HEADER}\r{ROW}\r{ROW}\r"))
    assert [r[0] for r in rows] == [2, 3]
    assert table.total_hint == 2


# --- header detection ---------------------------------------------------------------------------------


def test_header_synonyms_case_spaces_underscores_and_no_diacritics(tmp_path: Path) -> None:
    text = "so_bao_danh ;  HO   TEN ; ngay sinh;MÔN TOÁN;ngu_van;Hóa\n01;An;1/1/2008;9;8;7\n"
    table, rows = read_all(write(tmp_path, text))
    assert table.columns == {"student_id": 0, "full_name": 1, "birth_date": 2, "math": 3, "literature": 4,
                             "chemistry": 5}
    assert table.headers == {"student_id": "so_bao_danh", "full_name": "HO   TEN", "birth_date": "ngay sinh",
                             "math": "MÔN TOÁN", "literature": "ngu_van", "chemistry": "Hóa"}
    assert table.ignored_headers == []
    assert rows[0][1]["chemistry"] == "7"


def test_title_lines_above_header_and_ignored_columns(tmp_path: Path) -> None:
    text = (
        "DANH SÁCH ĐỀ CỬ HỌC SINH GIỎI, NĂM HỌC 2024-2025\n"
        "Đơn vị: Trường THPT Lê Hồng Phong\n"
        "\n"
        "STT,Mã học sinh,Họ tên,Ngày sinh,Tổng điểm,Hoá\n"
        "1,HS01,Lê An,1/1/2008,25,9\n"
    )
    table, rows = read_all(write(tmp_path, text))
    assert table.header_row == 4
    assert table.ignored_headers == ["STT", "Tổng điểm"]
    assert table.columns == {"student_id": 1, "full_name": 2, "birth_date": 3, "chemistry": 5}
    assert rows == [(5, {"student_id": "HS01", "full_name": "Lê An", "birth_date": "1/1/2008", "chemistry": "9"})]
    assert table.total_hint == 1


def test_second_column_with_the_same_meaning_is_ignored(tmp_path: Path) -> None:
    table, rows = read_all(write(tmp_path, "SBD,Họ tên,Họ và tên,Ngày sinh\n01,An,Bình,1/1/2008\n"))
    assert table.columns["full_name"] == 1
    assert table.ignored_headers == ["Họ và tên"]
    assert rows[0][1]["full_name"] == "An"


def test_single_column_needs_one_match(tmp_path: Path) -> None:
    table, rows = read_all(write(tmp_path, "Ghi chú\nHọ tên\nAn\nBình\n"), [Column("full_name", "Họ và tên",
                                                                                  ("Họ tên",))])
    assert table.header_row == 2
    assert table.ignored_headers == []
    assert [r[1]["full_name"] for r in rows] == ["An", "Bình"]


# --- rows ---------------------------------------------------------------------------------------------


def test_blank_rows_skipped_short_rows_padded_extra_cells_ignored(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        "\n"
        ",,,,,\n"
        "  ,  , ,\t,\n"
        "2,01000002,An\n"  # short: padded
        f"{ROW},extra,cells\n"
        "7,,,,,\n"  # only the ignored STT column: not blank, the caller decides
        "\n"
    )
    table, rows = read_all(write(tmp_path, text))
    assert rows == [
        (5, {"student_id": "01000002", "full_name": "An", "birth_date": "", "math": "", "literature": ""}),
        (6, {"student_id": "01000001", "full_name": NAME, "birth_date": "15/03/2008", "math": "8.25",
             "literature": "7"}),
        (7, {"student_id": "", "full_name": "", "birth_date": "", "math": "", "literature": ""}),
    ]
    assert abs(table.total_hint - 3) <= 5


def test_rows_are_lazy_and_close_without_reading(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{ROW}\n{ROW}\n")
    table = read_table(path, COLUMNS)
    assert iter(table.rows) is table.rows
    assert next(table.rows)[0] == 2
    table.close()
    table.close()  # idempotent
    assert list(table.rows) == []
    with read_table(path, COLUMNS) as unread:
        assert unread.total_hint == 2


def test_total_hint_counts_lines_after_the_header(tmp_path: Path) -> None:
    body = "".join(f"{i},{i:08d},Lê An,1/1/2008,5,5\n" for i in range(1, 501))
    table, rows = read_all(write(tmp_path, "Tiêu đề\n" + HEADER + "\n" + body))
    assert len(rows) == 500
    assert table.total_hint == 500
    table16, rows16 = read_all(write(tmp_path, ("Tiêu đề\n" + HEADER + "\n" + body).encode("utf-16"), "b.csv"))
    assert table16.total_hint == 500 and len(rows16) == 500


# --- XLSX ---------------------------------------------------------------------------------------------


def make_workbook(path: Path, *, guide_first: bool = False) -> None:
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = "Danh sách"
    data.append(["DANH SÁCH ĐỀ CỬ NĂM 2025"])
    data.append([])
    data.append(["STT", "Số báo danh", "Họ và tên", "Ngày sinh", "Toán", "Ngữ văn", "Ghi chú"])
    data.append([1, "01000001", "  Nguyễn Thị Hoà ", datetime(2008, 3, 15, 10, 30), 8.4, 7.0, None])
    data.append([2, 1000002.0, "Trần Văn Đạt", date(2008, 1, 2), 9, True])
    data.append([None, None, None])
    data.append([3, 1000003, "Lê An"])
    guide = workbook.create_sheet("Hướng dẫn", 0 if guide_first else None)
    guide.append(["Hướng dẫn điền mẫu"])
    guide.append(["Cột Họ và tên: ghi đầy đủ có dấu"])
    guide.append(["Cột Ngày sinh: dd/mm/yyyy"])
    workbook.save(path)


@pytest.mark.parametrize("guide_first", [False, True])
def test_xlsx_finds_the_data_sheet_and_formats_values(tmp_path: Path, guide_first: bool) -> None:
    path = tmp_path / "upload-without-extension"
    make_workbook(path, guide_first=guide_first)
    table, rows = read_all(path)
    assert (table.format, table.encoding, table.delimiter) == ("xlsx", None, None)
    assert table.header_row == 3
    assert table.ignored_headers == ["STT", "Ghi chú"]
    assert table.total_hint == 4
    assert rows == [
        (4, {"student_id": "01000001", "full_name": "Nguyễn Thị Hoà", "birth_date": "2008-03-15", "math": "8.4",
             "literature": "7"}),
        (5, {"student_id": "1000002", "full_name": "Trần Văn Đạt", "birth_date": "2008-01-02", "math": "9",
             "literature": "1"}),
        (7, {"student_id": "1000003", "full_name": "Lê An", "birth_date": "", "math": "", "literature": ""}),
    ]


def test_xlsx_is_recognised_even_when_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "diem.csv"
    make_workbook(path)
    table, rows = read_all(path)
    assert table.format == "xlsx" and len(rows) == 3


# --- unusable files -----------------------------------------------------------------------------------


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["Số báo danh", "Họ và tên", "Ngày sinh"])
    for i in range(200):
        workbook.active.append([f"{i:08d}", f"Học sinh {i}", date(2008, 1, 1)])
    workbook.save(buffer)
    return buffer.getvalue()


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "Tệp rỗng"),
        (b"\xef\xbb\xbf", "Tệp rỗng"),
        (b"\xff\xfe", "Tệp rỗng"),
        (b" \r\n\r\n\t \n", "Tệp rỗng"),
        (PNG, "Tệp không phải bảng CSV hoặc Excel (.xlsx)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "Tệp không phải bảng CSV"),
        (random.Random(7).randbytes(50_000), "Tệp không phải bảng CSV"),
        (bytes(b for b in random.Random(8).randbytes(20_000) if b), "Tệp không phải bảng CSV"),
        (_xlsx_bytes()[:4000], "Tệp Excel bị hỏng hoặc không đầy đủ"),
        (b"PK\x03\x04" + b"\x00" * 100, "Tệp Excel bị hỏng hoặc không đầy đủ"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "mật khẩu"),
    ],
    ids=["empty", "only-bom", "only-utf16-bom", "only-whitespace", "png", "pdf", "random", "random-no-nul",
         "truncated-xlsx", "broken-zip", "ole-named-xlsx"],
)
def test_unusable_files(tmp_path: Path, data: bytes, fragment: str) -> None:
    with pytest.raises(UnusableFile) as exc:
        read_table(write(tmp_path, data, "danh-sach.xlsx"), COLUMNS, original_name="danh-sach.xlsx")
    assert_user_message(exc, fragment)


def test_truncated_xlsx_cut_in_half(tmp_path: Path) -> None:
    data = _xlsx_bytes()
    with pytest.raises(UnusableFile) as exc:
        read_table(write(tmp_path, data[: len(data) // 2]), COLUMNS)
    assert_user_message(exc, "Tệp Excel bị hỏng hoặc không đầy đủ")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnusableFile) as exc:
        read_table(path, COLUMNS)
    assert_user_message(exc, "Tệp Excel bị hỏng hoặc không đầy đủ")


def test_old_xls_message_mentions_xlsx_and_csv(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "diem.xls")
    with pytest.raises(UnusableFile) as exc:
        read_table(path, COLUMNS, original_name="diem.xls")
    assert_user_message(exc, ".xls", ".xlsx", "CSV UTF-8")


def test_password_protected_xlsx_is_named_as_such(tmp_path: Path) -> None:
    # Excel stores an encrypted workbook as an OLE container holding an "EncryptedPackage" stream.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(UnusableFile) as exc:
        read_table(write(tmp_path, data), COLUMNS)
    assert_user_message(exc, "mật khẩu")


def test_missing_required_columns_are_listed_by_label(tmp_path: Path) -> None:
    with pytest.raises(UnusableFile) as exc:
        read_table(write(tmp_path, "STT,SBD,Toán,Ngữ văn\n1,01,5,6\n"), COLUMNS)
    assert assert_user_message(exc) == "Thiếu cột bắt buộc: Họ và tên, Ngày sinh."


def test_missing_required_column_in_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Họ và tên", "Ngày sinh"])
    workbook.active.append(["An", "1/1/2008"])
    workbook.save(path)
    with pytest.raises(UnusableFile) as exc:
        read_table(path, COLUMNS)
    assert assert_user_message(exc) == "Thiếu cột bắt buộc: Số báo danh."


@pytest.mark.parametrize(
    "text",
    [
        "Tên,Tuổi\nAn,17\n",
        "a\n" * 16 + "SBD,Họ và tên,Ngày sinh\n01,An,1/1/2008\n",  # header below the first 15 non-blank rows
        "SBD\n01\n",  # one match is not enough when several Columns are expected
    ],
    ids=["unknown-headers", "header-too-low", "one-match"],
)
def test_no_header_found_lists_required_columns(tmp_path: Path, text: str) -> None:
    with pytest.raises(UnusableFile) as exc:
        read_table(write(tmp_path, text), COLUMNS)
    assert_user_message(exc, "Không tìm thấy dòng tiêu đề", "Các cột cần có: Số báo danh, Họ và tên, Ngày sinh")


def test_no_header_in_any_xlsx_sheet(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Tên", "Tuổi"])
    workbook.create_sheet("Khác").append(["x"])
    workbook.save(path)
    with pytest.raises(UnusableFile) as exc:
        read_table(path, COLUMNS)
    assert_user_message(exc, "Không tìm thấy dòng tiêu đề")


def test_a_cut_off_csv_is_refused_but_a_short_row_inside_the_file_is_padded(tmp_path) -> None:
    columns = [Column("exam_number", "SBD", required=True), Column("toan", "Toán"), Column("li", "Lí")]
    cut = tmp_path / "cut.csv"
    cut.write_bytes(b"sbd,toan,li\n01000001,8,9\n01000002,7")
    with read_table(cut, columns) as table, pytest.raises(UnusableFile) as excinfo:
        list(table.rows)
    assert "cắt cụt" in str(excinfo.value) and "dòng 3" in str(excinfo.value)
    whole = tmp_path / "short.csv"
    whole.write_bytes(b"sbd,toan,li\n01000001,8\n01000002,7,9")
    with read_table(whole, columns) as table:
        assert [cells for _, cells in table.rows] == [
            {"exam_number": "01000001", "toan": "8", "li": ""}, {"exam_number": "01000002", "toan": "7", "li": "9"}]
    ended = tmp_path / "ended.csv"
    ended.write_bytes(b"sbd,toan,li\n01000001,8,9\n01000002,7\n")
    with read_table(ended, columns) as table:
        assert len(list(table.rows)) == 2
