"""National exam results: messy published files in, exact per-year results and top scorers out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from core.tasking import JobCancelled
from exams.models import ExamResult
from exams.selectors import top_results
from exams import importing as exam_results
from exams.importing import import_exam_results
from imports.reading import UnusableFile
from talent.models import Achievement, Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

KAGGLE_STYLE = (
    "sbd,toan,ngu_van,ngoai_ngu,vat_li,hoa_hoc,sinh_hoc,lich_su,dia_li,gdcd,ma_ngoai_ngu\n"
    "01000001,8.4,6.75,8.2,9.0,9.5,,,,,N1\n"
    "01000002,9.0,7.0,,10.0,10.0,,,,,\n"
    "1000003,5.0,5.0,5.0,5.0,5.0,5.0,,,,N1\n"
    "02000001,7.2,8.5,9.4,,,,8.0,9.25,9.5,N1\n"
)


def write(tmp_path: Path, text: str, name: str = "diem.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_published_format_is_stored_per_year_with_leading_zeros_and_totals(tmp_path) -> None:
    report = import_exam_results(write(tmp_path, KAGGLE_STYLE), year=2025)
    assert (report.rows, report.created, report.updated, report.unchanged, report.duplicates, report.errors) == (
        4, 4, 0, 0, 0, 0)
    first = ExamResult.objects.get(year=2025, exam_number="01000001")
    assert first.council == "01" and first.council_name == "Hà Nội"
    assert (first.toan, first.li, first.hoa, first.van, first.ngoai_ngu) == (
        Decimal("8.40"), Decimal("9.00"), Decimal("9.50"), Decimal("6.75"), Decimal("8.20"))
    assert first.sinh is None  # blank = not taken
    first.refresh_from_db()
    assert first.a00 == Decimal("26.90") and first.a01 == Decimal("25.60") and first.d01 == Decimal("23.35")
    assert first.b00 is None and first.c00 is None
    # A seven-digit number lost its leading zero in a spreadsheet: it is put back.
    assert ExamResult.objects.filter(exam_number="01000003").exists()
    c00 = ExamResult.objects.get(exam_number="02000001")
    assert c00.c00 == Decimal("25.75") and c00.council_name == "TP. Hồ Chí Minh"
    assert c00.scores() == {"toan": "7.2", "van": "8.5", "su": "8", "dia": "9.25", "gdcd": "9.5", "ngoai_ngu": "9.4"}


def test_vietnamese_headers_semicolons_decimal_commas_bom_and_a_row_number_column(tmp_path) -> None:
    text = ("STT; Số báo danh ;Toán;Ngữ văn;Vật lý;Hóa học;Sinh học;Lịch sử;Địa lý;GDCD;Ngoại ngữ;Mã môn ngoại ngữ;"
            "Tổng điểm\n"
            "1;01000001;8,4;6,75;9;9,5;;;;;8,2;N1;41,85\n"
            "2;01000002;9;7;10;10;;;;;;;36\n")
    report = import_exam_results(write(tmp_path, text, encoding="utf-8-sig"), year=2025)
    assert (report.rows, report.created, report.errors) == (2, 2, 0)
    assert ExamResult.objects.get(exam_number="01000001").a00 == Decimal("26.90")


def test_headers_without_diacritics_and_utf16(tmp_path) -> None:
    text = "SBD\tToan\tVan\tLy\tHoa\tSinh\tSu\tDia\tNgoai ngu\n01000009\t10\t9\t9.75\t10\t\t\t\t9\n"
    report = import_exam_results(write(tmp_path, text, encoding="utf-16"), year=2024)
    assert report.created == 1
    assert ExamResult.objects.get(year=2024, exam_number="01000009").a00 == Decimal("29.75")


def test_repeated_rows_count_as_duplicates_and_a_conflicting_repeat_is_an_error(tmp_path) -> None:
    text = KAGGLE_STYLE + "01000002,9.0,7.0,,10.0,10.0,,,,,\n" + "01000001,1.0,6.75,8.2,9.0,9.5,,,,,N1\n"
    report = import_exam_results(write(tmp_path, text), year=2025)
    assert (report.rows, report.created, report.duplicates, report.errors, report.rejected) == (6, 4, 1, 1, 1)
    [error] = report.errors_detail
    assert error["row"] == 7 and error["column"] == "sbd" and "dòng 2" in error["message"]
    assert ExamResult.objects.get(exam_number="01000001").toan == Decimal("8.40")  # the first row is kept


def test_reimport_changes_nothing_and_a_corrected_score_updates_only_that_result(tmp_path) -> None:
    import_exam_results(write(tmp_path, KAGGLE_STYLE), year=2025)
    again = import_exam_results(write(tmp_path, KAGGLE_STYLE), year=2025)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    stamp = ExamResult.objects.get(exam_number="01000002").updated_at

    corrected = KAGGLE_STYLE.replace("01000001,8.4,", "01000001,8.6,").replace("02000001,7.2,8.5,9.4,",
                                                                              "02000001,,8.5,9.4,")
    report = import_exam_results(write(tmp_path, corrected), year=2025)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert ExamResult.objects.get(exam_number="01000001").toan == Decimal("8.60")
    assert ExamResult.objects.get(exam_number="02000001").toan == Decimal("7.20")  # a blank never erases
    assert ExamResult.objects.get(exam_number="01000002").updated_at == stamp
    # Other years are separate results.
    assert import_exam_results(write(tmp_path, KAGGLE_STYLE), year=2024).created == 4


@pytest.mark.parametrize(("cell", "message"), [
    ("11", "0–10"), ("-1", "0–10"), ("abc", "phải là số"), ("8.333", "hai chữ số thập phân"), ("nan", "0–10"),
])
def test_bad_scores_are_located_and_the_row_is_refused(tmp_path, cell, message) -> None:
    text = f"sbd,toan,vat_li,hoa_hoc\n01000001,{cell},9,9\n01000002,8,8,8\n"
    report = import_exam_results(write(tmp_path, text), year=2025)
    assert (report.created, report.errors, report.rejected) == (1, 1, 1)
    assert report.errors_detail == [{"row": 2, "column": "toan", "value": cell, "message": pytest.approx(
        report.errors_detail[0]["message"])}]
    assert message in report.errors_detail[0]["message"]
    assert not ExamResult.objects.filter(exam_number="01000001").exists()


@pytest.mark.parametrize("number", ["123", "0100000A", "010000011", ""])
def test_bad_exam_numbers_are_errors(tmp_path, number) -> None:
    report = import_exam_results(write(tmp_path, f"sbd,toan\n{number},5\n01000002,6\n"), year=2025)
    assert report.errors == 1 and report.errors_detail[0]["column"] == "sbd" and report.created == 1


def test_dash_means_not_taken_and_language_codes_are_checked(tmp_path) -> None:
    text = "sbd,toan,ngoai_ngu,vat_li,ma_ngoai_ngu\n01000001,9,-,9,\n01000002,9,9,9,N9\n01000003,9,9,9,n3\n"
    report = import_exam_results(write(tmp_path, text), year=2025)
    assert report.created == 2 and report.errors == 1
    assert ExamResult.objects.get(exam_number="01000001").ngoai_ngu is None
    french = ExamResult.objects.get(exam_number="01000003")
    assert french.language_code == "N3" and french.a01 is None  # A01 counts English only


def test_dry_run_counts_but_stores_nothing(tmp_path) -> None:
    import_exam_results(write(tmp_path, KAGGLE_STYLE), year=2025)
    changed = KAGGLE_STYLE.replace("01000001,8.4,", "01000001,8.6,") + "03000001,5,5,5,5,5,,,,,N1\n"
    report = import_exam_results(write(tmp_path, changed), year=2025, dry_run=True)
    assert (report.created, report.updated, report.unchanged, report.committed) == (1, 1, 3, False)
    assert ExamResult.objects.count() == 4
    assert ExamResult.objects.get(exam_number="01000001").toan == Decimal("8.40")


@pytest.mark.parametrize(("content", "needle"), [
    (b"", "rỗng"),
    (b"sbd,toan\n", "không có dòng dữ liệu"),
    (b"sbd,ho_ten,ma_ngoai_ngu\n01000001,An,N1\n", "không có cột điểm"),
    (b"sbd,ho_ten\n01000001,An\n", "Không tìm thấy dòng tiêu đề"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "không phải bảng"),
])
def test_unusable_files_are_refused_and_stored_results_survive(tmp_path, content, needle) -> None:
    import_exam_results(write(tmp_path, KAGGLE_STYLE), year=2025)
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(UnusableFile) as excinfo:
        import_exam_results(path, year=2025)
    assert needle in str(excinfo.value) and "\n" not in str(excinfo.value)
    assert ExamResult.objects.count() == 4


@pytest.mark.parametrize("year", ["abc", 1999, dt.date.today().year + 2])
def test_bad_year_is_refused(tmp_path, year) -> None:
    with pytest.raises(UnusableFile):
        import_exam_results(write(tmp_path, KAGGLE_STYLE), year=year)


def test_a_cancelled_import_writes_nothing_and_leaves_no_staging_table(tmp_path, monkeypatch) -> None:
    from django.db import connection

    monkeypatch.setattr(exam_results, "CHUNK", 2)
    calls = []

    def cancel_on_second(done: int, total: int | None, message: str) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise JobCancelled

    with pytest.raises(JobCancelled):
        import_exam_results(write(tmp_path, KAGGLE_STYLE), year=2025, progress=cancel_on_second)
    assert ExamResult.objects.count() == 0
    assert exam_results.STAGE not in connection.introspection.table_names()


def test_query_count_does_not_grow_with_rows(tmp_path, django_assert_max_num_queries) -> None:
    lines = ["sbd,toan,vat_li,hoa_hoc"] + [f"{1000000 + i:08d},{i % 10},{(i * 3) % 10},{(i * 7) % 10}"
                                           for i in range(3000)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    with django_assert_max_num_queries(40):
        report = import_exam_results(path, year=2025)
    assert report.created == 3000


def test_top_scorers_rank_with_ties_and_by_province(tmp_path, org_tree) -> None:
    text = ("sbd,toan,vat_li,hoa_hoc\n"
            "01000001,10,9.75,10\n"   # 29.75 Hà Nội
            "02000001,10,10,9.75\n"   # 29.75 TP.HCM (tie, later exam number)
            "02000002,9,9,9\n"        # 27
            "44000001,9.5,9.5,9.5\n"  # 28.5 Bình Dương council -> TP.HCM province since 2025
            "01000002,10,10,\n")      # no A00 total
    import_exam_results(write(tmp_path, text), year=2025)
    officer = make_user(Role.OFFICER, org_tree.city, username="o_top")
    national = top_results(user=officer, year=2025, combination="A00", limit=10)
    assert [(e.rank, e.result.exam_number, str(e.total)) for e in national] == [
        (1, "01000001", "29.75"), (1, "02000001", "29.75"), (3, "44000001", "28.50"), (4, "02000002", "27.00")]
    hcm = top_results(user=officer, year=2025, combination="A00", limit=10, province=79)
    assert [e.result.exam_number for e in hcm] == ["02000001", "44000001", "02000002"]
    assert [e.result.exam_number for e in top_results(user=officer, year=2025, combination="A00", council="44")] == [
        "44000001"]
    student = make_user(Role.STUDENT, username="s_top")
    assert top_results(user=student, year=2025, combination="A00") == []


def test_registered_top_scorers_get_a_verified_achievement_once(tmp_path, org_tree) -> None:
    pupil = make_candidate(org_tree.school_a, full_name="Lê Thị Thủ Khoa", gender="female",
                           date_of_birth=dt.date(2007, 1, 2), exam_number="02000001", exam_year=2025)
    other = make_candidate(org_tree.school_b, full_name="Trần Văn Hai", exam_number="02000002", exam_year=2025,
                           date_of_birth=dt.date(2007, 5, 5))
    text = "sbd,toan,vat_li,hoa_hoc\n01000001,10,9.5,9.5\n02000001,10,10,9.75\n02000002,9,9,9\n"
    import_exam_results(write(tmp_path, text), year=2025)
    titles = sorted(pupil.achievements.values_list("title", "level", "verification_status", "award_rank"))
    assert titles == [
        ("Thủ khoa khối A00 hội đồng thi TP. Hồ Chí Minh – kỳ thi tốt nghiệp THPT 2025 (29,75 điểm)", "province",
         "verified", "top"),
        ("Thủ khoa khối A00 toàn quốc – kỳ thi tốt nghiệp THPT 2025 (29,75 điểm)", "national", "verified", "top"),
    ]
    assert not other.achievements.exists()
    import_exam_results(write(tmp_path, text), year=2025)
    assert Achievement.objects.filter(candidate=pupil).count() == 2
    officer = make_user(Role.OFFICER, org_tree.ward_b, username="o_ward_b")
    entries = {e.result.exam_number: e for e in top_results(user=officer, year=2025, combination="A00")}
    assert entries["02000001"].registered and entries["02000001"].candidate_id is None  # not in ward B's scope
    assert entries["02000002"].candidate_id == other.pk
    assert not entries["01000001"].registered
