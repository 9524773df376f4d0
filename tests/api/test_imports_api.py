"""API of imports, exam results and merge suggestions, end to end through the background worker."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from exams.models import ExamResult
from imports.models import ImportBatch
from talent.models import Candidate, MergeSuggestion, Role
from tests.factories import make_candidate, make_user

CANDIDATES = ("Họ và tên;Giới tính;Ngày sinh;Email\n"
              "Nguyễn Văn An;Nam;05/09/2007;an@example.com\n"
              "Trần Thị Bình;Nữ;31/02/2007;binh@example.com\n")


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)


def _upload(text: str, name: str = "ds.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.mark.django_db(transaction=True)
def test_post_returns_a_job_and_get_reports_status_counts_and_errors(api_as, org_tree) -> None:
    officer = make_user(Role.OFFICER, org_tree.city, username="api_imp_officer")
    client = api_as(officer)
    response = client.post("/api/v1/imports/", {"kind": "candidates", "file": _upload(CANDIDATES),
                                                "organization": "S-A"}, format="multipart")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["job"]["status"] == "queued" and body["state"] == "committing"
    _worker()
    status = client.get(f"/api/v1/imports/{body['id']}/").json()
    assert status["state"] == "committed" and status["job"]["status"] == "succeeded"
    assert status["counts"]["created"] == 1 and status["counts"]["errors"] == 1
    assert status["errors"] == [{"row": 3, "column": "Ngày sinh", "value": "31/02/2007",
                                 "message": "Ngày không tồn tại: 31/02/2007."}]
    assert Candidate.objects.get().organization == org_tree.school_a

    report = client.get(f"/api/v1/imports/{body['id']}/error-report/")
    assert report.status_code == 200 and "31/02/2007" in b"".join(report.streaming_content).decode("utf-8-sig")
    xlsx = client.get(f"/api/v1/imports/{body['id']}/error-report/", {"as": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows == [("Dòng", "STT", "Cột", "Giá trị", "Lỗi"), (3, None, "Ngày sinh", "31/02/2007", "Ngày không tồn tại: 31/02/2007.")]


@pytest.mark.django_db(transaction=True)
def test_validate_then_commit(api_as, org_tree) -> None:
    officer = make_user(Role.OFFICER, org_tree.city, username="api_imp_two")
    client = api_as(officer)
    batch = client.post("/api/v1/imports/", {"kind": "exam_results", "year": 2025, "dry_run": True,
                                             "file": _upload("sbd,toan,vat_li,hoa_hoc\n01000001,9,9,9\n")},
                        format="multipart").json()
    assert client.post(f"/api/v1/imports/{batch['id']}/commit/").status_code == 400  # not validated yet
    _worker()
    validated = client.get(f"/api/v1/imports/{batch['id']}/").json()
    assert validated["state"] == "validated" and validated["counts"]["created"] == 1
    assert not ExamResult.objects.exists()
    assert client.post(f"/api/v1/imports/{batch['id']}/commit/").status_code == 202
    _worker()
    assert client.get(f"/api/v1/imports/{batch['id']}/").json()["state"] == "committed"
    assert ExamResult.objects.get().a00 == 27


@pytest.mark.django_db(transaction=True)
def test_an_unusable_file_fails_the_batch_with_a_clear_message(api_as, org_tree) -> None:
    officer = make_user(Role.OFFICER, org_tree.city, username="api_imp_junk")
    client = api_as(officer)
    junk = SimpleUploadedFile("diem.xlsx", b"PK\x03\x04garbage" * 40)
    batch = client.post("/api/v1/imports/", {"kind": "exam_results", "year": 2025, "file": junk},
                        format="multipart").json()
    _worker()
    status = client.get(f"/api/v1/imports/{batch['id']}/").json()
    assert status["state"] == "failed" and "Excel" in status["message"]
    assert ImportBatch.objects.get().state == ImportBatch.State.FAILED


@pytest.mark.django_db
def test_creation_is_checked(api_as, org_tree, settings) -> None:
    liaison = make_user(Role.LIAISON, org_tree.uni, username="api_imp_liaison")
    client = api_as(liaison)
    outside = client.post("/api/v1/imports/", {"kind": "candidates", "file": _upload(CANDIDATES),
                                               "organization": "S-A"}, format="multipart")
    assert outside.status_code == 400 and "organization" in outside.json()
    exams = client.post("/api/v1/imports/", {"kind": "exam_results", "year": 2025, "file": _upload("sbd,toan\n")},
                        format="multipart")
    assert exams.status_code == 403
    settings.IMPORT_MAX_UPLOAD_MB = 0
    too_big = client.post("/api/v1/imports/", {"kind": "candidates", "file": _upload(CANDIDATES),
                                               "organization": "U-BK"}, format="multipart")
    assert too_big.status_code == 400 and "MB" in str(too_big.json())
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_top_endpoint_lists_the_best_first(api_as, org_tree) -> None:
    pupil = make_candidate(org_tree.school_a, full_name="Lê Thị Thủ Khoa", gender="female",
                           date_of_birth=dt.date(2007, 1, 2), exam_number="02000001", exam_year=2025)
    ExamResult.objects.create(year=2025, exam_number="02000001", council="02", toan=10, li=10, hoa="9.75")
    ExamResult.objects.create(year=2025, exam_number="01000001", council="01", toan=9, li=9, hoa=9, ngoai_ngu=10)
    ExamResult.objects.create(year=2024, exam_number="01000002", council="01", toan=10, li=10, hoa=10)
    officer = make_user(Role.OFFICER, org_tree.city, username="api_top")
    response = api_as(officer).get("/api/v1/exam-results/top/", {"year": 2025, "combination": "A00", "limit": 5})
    assert response.status_code == 200
    assert response.json() == [
        {"rank": 1, "exam_number": "02000001", "total": 29.75, "scores": {"toan": "10", "li": "10", "hoa": "9.75"},
         "council": "02", "council_name": "TP. Hồ Chí Minh", "registered": True, "candidate": pupil.pk},
        {"rank": 2, "exam_number": "01000001", "total": 27.0,
         "scores": {"toan": "9", "li": "9", "hoa": "9", "ngoai_ngu": "10"}, "council": "01",
         "council_name": "Hà Nội", "registered": False, "candidate": None},
    ]
    bad = api_as(officer).get("/api/v1/exam-results/top/", {"year": 2025, "combination": "Z99", "limit": 0})
    assert bad.status_code == 400 and set(bad.json()) == {"combination", "limit"}
    student = make_user(Role.STUDENT, username="api_top_student")
    assert api_as(student).get("/api/v1/exam-results/top/", {"year": 2025, "combination": "A00"}).status_code == 403


@pytest.mark.django_db
def test_merge_suggestions_over_the_api(api_as, org_tree, officer) -> None:
    a = make_candidate(org_tree.school_a, full_name="Phan Văn Tài", date_of_birth=dt.date(2006, 6, 6))
    b = make_candidate(org_tree.school_b, full_name="Phan Văn Tài", date_of_birth=dt.date(2006, 6, 6),
                       email="tai@example.com")
    suggestion = MergeSuggestion.objects.create(candidate=b, other=a, reasons=["name_dob"])
    client = api_as(officer)
    listed = client.get("/api/v1/merge-suggestions/").json()["results"]
    assert [row["id"] for row in listed] == [suggestion.pk]
    assert client.post(f"/api/v1/merge-suggestions/{suggestion.pk}/merge/", {"keep": 999}).status_code == 400
    merged = client.post(f"/api/v1/merge-suggestions/{suggestion.pk}/merge/", {"keep": a.pk})
    assert merged.status_code == 200 and merged.json()["email"] == "tai@example.com"
    assert list(Candidate.objects.values_list("pk", flat=True)) == [a.pk]
    assert client.get("/api/v1/merge-suggestions/").json()["results"] == []
