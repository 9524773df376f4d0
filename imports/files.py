"""Spreadsheets the import pages hand out: the candidate template and the error report as XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from imports.candidates import CANDIDATE_COLUMNS, COLUMN_HELP
from imports.report import ERROR_REPORT_HEADERS

TEMPLATE_FILENAME = "mau-danh-sach-ung-vien.xlsx"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_EXAMPLE = {
    "full_name": "Nguyễn Thị Minh Anh", "gender": "Nữ", "date_of_birth": "05/09/2007",
    "citizen_id": "079307001234", "exam_number": "02001234", "exam_year": "2025",
    "email": "minhanh@example.com", "phone": "0912345678", "ethnicity": "Kinh", "province_code": "TP. Hồ Chí Minh",
    "home_address": "12 Lê Lợi, phường Sài Gòn", "youth_union_member": "Có", "aspirations": "Công nghệ thông tin",
    "organization_code": "",
}


def candidate_template() -> bytes:
    """The data sheet (headers, one example row, identifier columns formatted as text so leading
    zeros survive) and an instructions sheet describing every column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    for index, column in enumerate(CANDIDATE_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.label + (" *" if column.required else ""))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        example = sheet.cell(row=2, column=index, value=_EXAMPLE.get(column.key, ""))
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.label) + 4)
        if column.key in ("citizen_id", "exam_number", "phone", "date_of_birth"):
            example.number_format = "@"
            for row in range(3, 2001):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Cách ghi", "Tên cột khác cũng được chấp nhận"])
    for cell in guide[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for column in CANDIDATE_COLUMNS:
        guide.append([column.label, "Có" if column.required else "", COLUMN_HELP.get(column.key, ""),
                      ", ".join(column.aliases)])
    guide.append([])
    for line in (
        "Dòng 2 của trang «Danh sách» là ví dụ: hãy xoá hoặc ghi đè trước khi nhập.",
        "Có thể lưu thành CSV (UTF-8, UTF-16 hoặc Windows-1258; dấu phẩy, chấm phẩy hoặc tab).",
        "Hệ thống kiểm tra trước (xem trước từng lỗi theo dòng và cột), rồi mới ghi khi bạn xác nhận.",
        "Nhập lại cùng một tệp không tạo hồ sơ mới; ô để trống không xoá thông tin đã lưu.",
        "Người đã có hồ sơ được nhận ra theo số CCCD, số báo danh + năm thi, hoặc họ tên + ngày sinh trong "
        "cùng đơn vị.",
    ):
        guide.append([line])
    for letter, width in zip("ABCD", (24, 10, 80, 60)):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def error_report_xlsx(csv_path: Path) -> bytes:
    """The error report (written as CSV while the file was read) as a workbook, streamed row by row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Lỗi")
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        sheet.append(list(ERROR_REPORT_HEADERS))
        for row in reader:
            number = int(row[0]) if row and row[0].isdigit() else row[0]
            ordinal = int(row[1]) if len(row) > 1 and row[1].isdigit() else (row[1] if len(row) > 1 else "")
            sheet.append([number, ordinal, *row[2:]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
