"""Candidate lists: tolerant reading, two steps, idempotent re-import, duplicates and scope."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from core.models import AuditEvent
from exams.models import ExamResult
from imports.candidates import import_candidates
from imports.reading import UnusableFile
from talent.models import Achievement, Candidate, MergeSuggestion, Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

HEADER = "STT;Họ và tên;Giới tính;Ngày sinh;Số CCCD;Email;Điện thoại;Dân tộc;Tỉnh/thành"
ROWS = [
    "1;Nguyễn Văn An;Nam;05/09/2007;079207000001;an@example.com;0912345671;Kinh;TP. Hồ Chí Minh",
    "2;Trần Thị Bình;Nữ;31/02/2007;079307000002;binh@example.com;0912345672;Tày;Bình Dương",
    "3;Lê Hoàng Cường;Nam;2007-01-15;;cuong@example.com;;;",
]


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese software writes it: base letters precomposed, tones combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = [p for p in parts if p in _TONES]
        out.append(unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES)) + "".join(tones))
    return "".join(out).encode("cp1258")


def write(tmp_path: Path, lines: list[str], name: str = "ds.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    text = "\n".join(lines) + "\n"
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def test_semicolon_file_with_one_impossible_date_reports_exactly_that_error(tmp_path, org_tree) -> None:
    report = import_candidates(write(tmp_path, [HEADER, *ROWS]), organization=org_tree.school_a)
    assert (report.rows, report.created, report.errors, report.rejected) == (3, 2, 1, 1)
    # Row 3 of the sheet is the one whose STT is 2: both are kept, so neither misleads.
    assert report.errors_detail == [{"row": 3, "ordinal": "2", "column": "Ngày sinh", "value": "31/02/2007",
                                     "message": "Ngày không tồn tại: 31/02/2007."}]
    assert report.where(3) == "dòng 3 (STT 2)"
    an = Candidate.objects.get(full_name="Nguyễn Văn An")
    assert (an.organization, an.date_of_birth, an.email, an.phone, an.ethnicity, an.province_code) == (
        org_tree.school_a, dt.date(2007, 9, 5), "an@example.com", "0912345671", "Kinh", 79)
    assert an.citizen_id_hash and an.transitions.get().reason == "Nhập từ tệp ds.csv"
    assert Candidate.objects.get(full_name="Lê Hoàng Cường").date_of_birth == dt.date(2007, 1, 15)


def test_a_repeated_identifier_names_the_other_row_by_line_and_stt(tmp_path, org_tree) -> None:
    rows = [ROWS[0], "7;Nguyễn Văn Ân;Nam;06/09/2007;079207000001;an2@example.com;;;"]
    report = import_candidates(write(tmp_path, [HEADER, *rows]), organization=org_tree.school_a)
    (entry,) = report.errors_detail
    assert (entry["row"], entry["ordinal"]) == (3, "7")
    assert entry["message"] == "Trùng với dòng 2 (STT 1) nhưng khác thông tin; hãy giữ một dòng."


def test_without_an_stt_column_only_the_line_is_said(tmp_path, org_tree) -> None:
    header = HEADER.removeprefix("STT;")
    rows = [r.split(";", 1)[1] for r in ROWS]
    report = import_candidates(write(tmp_path, [header, *rows]), organization=org_tree.school_a)
    assert report.errors_detail[0]["row"] == 3 and "ordinal" not in report.errors_detail[0]
    assert report.where(3) == "dòng 3"


def test_reimporting_the_same_file_creates_and_updates_nothing(tmp_path, org_tree) -> None:
    path = write(tmp_path, [HEADER, *ROWS])
    import_candidates(path, organization=org_tree.school_a)
    events = AuditEvent.objects.count()
    again = import_candidates(path, organization=org_tree.school_a)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, 1)
    assert Candidate.objects.count() == 2 and AuditEvent.objects.count() == events


def test_a_changed_cell_updates_only_that_field_and_an_empty_cell_blanks_nothing(tmp_path, org_tree) -> None:
    import_candidates(write(tmp_path, [HEADER, ROWS[0]]), organization=org_tree.school_a)
    changed = "1;Nguyễn Văn An;Nam;05/09/2007;079207000001;;0988888888;;"
    report = import_candidates(write(tmp_path, [HEADER, changed]), organization=org_tree.school_a)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    an = Candidate.objects.get()
    assert (an.phone, an.email, an.ethnicity, an.province_code) == ("0988888888", "an@example.com", "Kinh", 79)
    event = AuditEvent.objects.filter(action="candidate.update").get()
    assert set(event.changes) == {"phone"}


def test_a_list_without_ids_sent_again_with_ids_fills_them_in(tmp_path, org_tree) -> None:
    header = "Họ và tên,Giới tính,Ngày sinh,Số CCCD"
    import_candidates(write(tmp_path, [header, "Phạm Minh Đức,Nam,01/01/2007,"]), organization=org_tree.school_a)
    report = import_candidates(write(tmp_path, [header, "Phạm Minh Đức,Nam,01/01/2007,079207000009"]),
                               organization=org_tree.school_a)
    assert (report.created, report.updated) == (0, 1)
    assert Candidate.objects.get().citizen_id_hash


def test_synonym_headers_windows_1258_and_tabs(tmp_path, org_tree) -> None:
    lines = ["Họ tên\tPhái\tNgày tháng năm sinh\tSĐT\tĐoàn viên", "Đỗ Thị Hoà\tNữ\t3/4/2006\t0912 345 679\tCó"]
    report = import_candidates(write(tmp_path, lines, encoding="cp1258"), organization=org_tree.school_a)
    assert report.created == 1, report.errors_detail
    person = Candidate.objects.get()
    assert (person.full_name, person.gender, person.phone, person.youth_union_member) == (
        "Đỗ Thị Hoà", "female", "0912345679", True)


def test_xlsx_with_dates_and_numbers_as_a_spreadsheet_stores_them(tmp_path, org_tree) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Full name", "Gender", "Date of birth", "CCCD", "SBD", "Năm thi"])
    sheet.append(["Vũ Thanh Hà", "Nữ", dt.datetime(2007, 12, 24), 79307000003, 2001234, 2025])
    path = tmp_path / "ds.xlsx"
    book.save(path)
    report = import_candidates(path, organization=org_tree.school_a)
    assert report.created == 1, report.errors_detail
    person = Candidate.objects.get()
    assert (person.date_of_birth, person.exam_number, person.exam_year) == (dt.date(2007, 12, 24), "02001234", 2025)


def test_duplicates_inside_the_file(tmp_path, org_tree) -> None:
    conflicting = ROWS[0].replace("Nguyễn Văn An", "Nguyễn Văn Ân").replace("1;", "4;", 1)
    report = import_candidates(write(tmp_path, [HEADER, ROWS[0], ROWS[0], conflicting]),
                               organization=org_tree.school_a)
    assert (report.rows, report.created, report.duplicates, report.errors) == (3, 1, 1, 1)
    assert report.errors_detail[0]["row"] == 4 and "dòng 2" in report.errors_detail[0]["message"]


def test_known_person_found_by_citizen_id_or_exam_number_is_updated_not_duplicated(tmp_path, org_tree) -> None:
    known = make_candidate(org_tree.school_b, full_name="Nguyễn Văn An", date_of_birth=dt.date(2007, 9, 5),
                           citizen_id="079207000001")
    by_exam = make_candidate(org_tree.school_b, full_name="Hồ Thị Mai", gender="female",
                             date_of_birth=dt.date(2007, 2, 2), exam_number="02000777", exam_year=2025)
    lines = ["Họ và tên;Giới tính;Ngày sinh;Số CCCD;SBD;Năm thi;Email",
             "Nguyễn Văn An;Nam;05/09/2007;079207000001;;;an@new.example.com",
             "Hồ Thị Mai;Nữ;02/02/2007;;02000777;2025;mai@example.com"]
    report = import_candidates(write(tmp_path, lines), organization=org_tree.school_a)
    assert (report.created, report.updated) == (0, 2)
    known.refresh_from_db()
    by_exam.refresh_from_db()
    assert known.email == "an@new.example.com" and known.organization == org_tree.school_b  # unit unchanged
    assert by_exam.email == "mai@example.com"


def test_probable_duplicates_become_merge_suggestions(tmp_path, org_tree) -> None:
    elsewhere = make_candidate(org_tree.school_b, full_name="Nguyễn Văn An", date_of_birth=dt.date(2007, 9, 5))
    same_phone = make_candidate(org_tree.school_b, full_name="Khác Tên", date_of_birth=dt.date(2006, 1, 1),
                                phone="0912345672")
    report = import_candidates(write(tmp_path, [HEADER, *ROWS]).parent / "ds.csv", organization=org_tree.school_a)
    assert report.created == 2 and report.merge_suggestions == 1
    [suggestion] = MergeSuggestion.objects.all()
    assert suggestion.other == elsewhere and suggestion.reasons == ["name_dob"]
    assert suggestion.candidate.organization == org_tree.school_a
    assert same_phone.pk not in MergeSuggestion.objects.values_list("other", flat=True)  # its row was refused


def test_liaison_imports_into_their_university_only(tmp_path, org_tree) -> None:
    liaison = make_user(Role.LIAISON, org_tree.uni, username="liaison_imp")
    lines = ["Họ và tên,Giới tính,Ngày sinh,Mã đơn vị", "Sinh Viên Một,Nam,01/01/2004,F-CS",
             "Sinh Viên Hai,Nữ,02/02/2004,S-A", "Sinh Viên Ba,Nữ,03/03/2004,"]
    report = import_candidates(write(tmp_path, lines), organization=org_tree.uni, actor=liaison)
    assert report.created == 2 and report.errors == 1
    assert report.errors_detail[0]["column"] == "Mã đơn vị" and report.errors_detail[0]["value"] == "S-A"
    assert Candidate.objects.get(full_name="Sinh Viên Một").organization == org_tree.faculty
    with pytest.raises(PermissionDenied):
        import_candidates(write(tmp_path, lines), organization=org_tree.school_a, actor=liaison)
    recruiter = make_user(Role.RECRUITER, org_tree.agency, username="rec_imp")
    with pytest.raises(PermissionDenied):
        import_candidates(write(tmp_path, lines), organization=org_tree.agency, actor=recruiter)


def test_a_record_outside_the_importers_scope_is_never_changed(tmp_path, org_tree) -> None:
    outside = make_candidate(org_tree.school_b, full_name="Nguyễn Văn An", date_of_birth=dt.date(2007, 9, 5),
                             citizen_id="079207000001", email="old@example.com")
    ward_officer = make_user(Role.OFFICER, org_tree.ward_a, username="ward_a_imp")
    report = import_candidates(write(tmp_path, [HEADER, ROWS[0]]), organization=org_tree.school_a,
                               actor=ward_officer)
    assert (report.created, report.updated, report.errors) == (0, 0, 1)
    assert "ngoài phạm vi" in report.errors_detail[0]["message"]
    outside.refresh_from_db()
    assert outside.email == "old@example.com"


def test_all_or_nothing_stores_nothing_when_a_row_is_wrong(tmp_path, org_tree) -> None:
    report = import_candidates(write(tmp_path, [HEADER, *ROWS]), organization=org_tree.school_a, all_or_nothing=True)
    assert report.errors == 1 and not report.committed and report.created == 0
    assert "Không ghi" in report.message
    assert not Candidate.objects.exists()


def test_dry_run_previews_without_storing(tmp_path, org_tree) -> None:
    report = import_candidates(write(tmp_path, [HEADER, *ROWS]), organization=org_tree.school_a, dry_run=True)
    assert (report.created, report.errors, report.committed) == (2, 1, False)
    assert [row["status"] for row in report.preview] == ["new", "new"]
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(("lines", "needle"), [
    (["Họ và tên;Giới tính", "An;Nam"], "Thiếu cột bắt buộc: Ngày sinh"),
    (["Họ và tên;Giới tính;Ngày sinh"], "không có dòng dữ liệu"),
])
def test_unusable_candidate_files(tmp_path, org_tree, lines, needle) -> None:
    with pytest.raises(UnusableFile) as excinfo:
        import_candidates(write(tmp_path, lines), organization=org_tree.school_a)
    assert needle in str(excinfo.value)


def test_required_cells_and_field_rules_are_located(tmp_path, org_tree) -> None:
    lines = ["Họ và tên;Giới tính;Ngày sinh;Email;Số CCCD;Dân tộc",
             ";Nam;01/01/2007;;;",
             "Ngô Văn Bảy;Khác;01/01/2007;;;",
             "Ngô Văn Tám;Nam;01/01/2007;khong-phai-email;;",
             "Ngô Văn Chín;Nam;01/01/2007;;079307000001;",
             "Ngô Văn Mười;Nam;01/01/2007;;;Sao Hỏa"]
    report = import_candidates(write(tmp_path, lines), organization=org_tree.school_a)
    located = [(e["row"], e["column"]) for e in report.errors_detail]
    assert located == [(2, "Họ và tên"), (3, "Giới tính"), (4, "Email"), (5, "Số CCCD"), (6, "Dân tộc")]
    assert report.created == 0


def test_import_links_exam_results_and_awards_top_scorers(tmp_path, org_tree) -> None:
    ExamResult.objects.create(year=2025, exam_number="02000001", council="02", toan=10, li=10, hoa=10)
    lines = ["Họ và tên,Giới tính,Ngày sinh,SBD,Năm thi", "Quách Thủ Khoa,Nam,01/01/2007,02000001,2025"]
    import_candidates(write(tmp_path, lines), organization=org_tree.school_a)
    person = Candidate.objects.get()
    assert Achievement.objects.filter(candidate=person, award_rank="top", level="national").exists()


def test_query_count_stays_flat_for_new_rows(tmp_path, org_tree, django_assert_max_num_queries) -> None:
    lines = ["Họ và tên,Giới tính,Ngày sinh"] + [f"Người Số {chr(65 + i % 26)}{chr(65 + i // 26)},Nam,01/01/2007"
                                                  for i in range(300)]
    path = write(tmp_path, lines)
    with django_assert_max_num_queries(40):
        report = import_candidates(path, organization=org_tree.school_a)
    assert report.created == 300


def test_a_reimport_that_changes_emails_is_counted_as_it_is(tmp_path, org_tree) -> None:  # type: ignore[no-untyped-def]
    """Issue 18, item 6: a changed e-mail is applied and counted as an update; when an all-or-nothing import
    stops on another row's error, the changed rows are "held back", never "unchanged", and nothing moves."""
    rows = [ROWS[0], ROWS[2]]
    import_candidates(write(tmp_path, [HEADER, *rows]), organization=org_tree.school_a)
    changed = [r.replace("@example.com", "@moi.vn") for r in rows]
    broken = [*changed, "9;Phan Văn Lỗi;Nam;31/02/2007;;;;;"]
    held = import_candidates(write(tmp_path, [HEADER, *broken], name="b.csv"), organization=org_tree.school_a,
                             all_or_nothing=True)
    assert (held.updated, held.unchanged, held.held, held.errors) == (0, 0, 2, 1)
    assert "2 dòng hợp lệ (0 mới, 2 cập nhật) chưa được ghi" in held.message
    assert held.summary()["held"] == 2
    assert sorted(Candidate.objects.values_list("email", flat=True)) == ["an@example.com", "cuong@example.com"]
    applied = import_candidates(write(tmp_path, [HEADER, *changed], name="c.csv"), organization=org_tree.school_a,
                                all_or_nothing=True)
    assert (applied.updated, applied.unchanged, applied.held) == (2, 0, 0)
    assert sorted(Candidate.objects.values_list("email", flat=True)) == ["an@moi.vn", "cuong@moi.vn"]
    again = import_candidates(write(tmp_path, [HEADER, *changed], name="d.csv"), organization=org_tree.school_a)
    assert (again.updated, again.unchanged) == (0, 2)
