"""The import pages (upload → progress → preview → commit, downloads, scope and roles) and the
merge-suggestion pages that imports feed.

The background work is real: jobs are queued when the transaction commits, so the end-to-end tests
use ``django_db(transaction=True)`` and run the worker between page steps.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job
from exams.models import ExamResult
from imports import services
from imports.models import ImportBatch
from talent import services as talent_services
from talent.models import Achievement, Candidate, MergeSuggestion, Role
from tests.factories import make_candidate, make_user

CANDIDATES = ("Họ và tên;Giới tính;Ngày sinh;Email\n"
              "Nguyễn Văn An;Nam;05/09/2007;an@example.com\n"
              "Trần Thị Bình;Nữ;31/02/2007;binh@example.com\n"
              "Lê Hoàng Cường;Nam;15/01/2007;cuong@example.com\n")


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)


def _csv(text: str = CANDIDATES, name: str = "danh-sach.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _upload(client, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("import-list"), {"kind": "candidates", "file": _csv(), **data})


def _batch_from(response) -> ImportBatch:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = re.search(r"/imports/([0-9a-f-]{36})/$", response["Location"]).group(1)
    return ImportBatch.objects.get(pk=pk)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _error_rows(html: str) -> list[tuple[str, str, str, str]]:
    rows = re.findall(r'<tr data-error-row="(\d+)">\s*<td[^>]*>\d+</td>\s*<td[^>]*>([^<]*)</td>\s*'
                      r'<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>', html)
    return [(row, column, value, message) for row, column, value, message in rows]


# --- Upload, progress, preview, commit -----------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_upload_validate_preview_then_commit(client, org_tree) -> None:  # type: ignore[no-untyped-def]
    officer = make_user(Role.OFFICER, org_tree.city, username="imp_view_officer")
    client.force_login(officer)
    page = client.get(reverse("import-list"))
    assert page.status_code == 200
    html = _text(page)
    assert 'enctype="multipart/form-data"' in html and 'accept=".csv,.xlsx"' in html
    assert 'value="exam_results"' in html  # officers may load exam results
    assert reverse("import-template") in html

    batch = _batch_from(_upload(client, organization=org_tree.school_a.pk))
    assert batch.state == ImportBatch.State.VALIDATING and batch.organization == org_tree.school_a
    assert batch.created_by == officer and not batch.all_or_nothing

    # While the validation job waits or runs, the page polls its own partial every second.
    running = _text(client.get(reverse("import-detail", args=[batch.pk])))
    assert 'hx-trigger="every 1s"' in running and 'class="progress-bar pct-0"' in running
    assert reverse("import-cancel", args=[batch.pk]) in running
    partial = client.get(reverse("import-detail", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in _text(partial) and 'id="import-batch"' in _text(partial)
    assert "HX-Request" in partial["Vary"]

    _worker()
    # The next poll brings the report in place of the progress panel, and stops polling.
    validated = client.get(reverse("import-detail", args=[batch.pk]), HTTP_HX_REQUEST="true")
    html = _text(validated)
    assert "every 1s" not in html
    assert 'data-state="validated"' in html
    assert _error_rows(html) == [("3", "Ngày sinh", "31/02/2007", "Ngày không tồn tại: 31/02/2007.")]
    assert re.search(r'data-count="created">\s*<dt>[^<]*</dt><dd>2</dd>', html)
    assert re.search(r'data-count="errors">\s*<dt>[^<]*</dt><dd>1</dd>', html)
    assert 'data-preview-row="2"' in html and "Nguyễn Văn An" in html and "Lê Hoàng Cường" in html
    assert 'id="commit-form"' in html and reverse("import-commit", args=[batch.pk]) in html
    assert reverse("import-errors-csv", args=[batch.pk]) in html
    assert reverse("import-errors-xlsx", args=[batch.pk]) in html
    assert not Candidate.objects.exists()  # validating stores nothing

    # The error report, as CSV (UTF-8 with BOM) and as a workbook.
    csv_response = client.get(reverse("import-errors-csv", args=[batch.pk]))
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    body = b"".join(csv_response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf") and "31/02/2007" in body.decode("utf-8-sig")
    xlsx = client.get(reverse("import-errors-xlsx", args=[batch.pk]))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows == [("Dòng", "STT", "Cột", "Giá trị", "Lỗi"), (3, None, "Ngày sinh", "31/02/2007", "Ngày không tồn tại: 31/02/2007.")]

    committed = client.post(reverse("import-commit", args=[batch.pk]))
    assert committed.status_code == 302 and committed["Location"] == reverse("import-detail", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.COMMITTING
    assert 'hx-trigger="every 1s"' in _text(client.get(reverse("import-detail", args=[batch.pk])))

    _worker()
    html = _text(client.get(reverse("import-detail", args=[batch.pk])))
    assert 'data-state="committed"' in html and 'id="import-committed"' in html
    assert re.search(r'data-count="created">\s*<dt>[^<]*</dt><dd>2</dd>', html)
    assert f'{reverse("candidate-list")}?organization={org_tree.school_a.pk}' in html
    assert 'id="commit-form"' not in html
    assert sorted(Candidate.objects.values_list("full_name", flat=True)) == ["Lê Hoàng Cường", "Nguyễn Văn An"]
    assert set(Candidate.objects.values_list("organization", flat=True)) == {org_tree.school_a.pk}
    # The commit job wrote its own error report, which is now the one offered.
    assert client.get(reverse("import-errors-csv", args=[batch.pk])).status_code == 200

    listing = _text(client.get(reverse("import-list")))
    assert f'data-import-id="{batch.pk}"' in listing and "danh-sach.csv" in listing
    assert batch.created_at.astimezone().strftime("%d/%m/%Y") in listing


@pytest.mark.django_db(transaction=True)
def test_exam_results_preview_shows_vietnamese_scores_and_links_the_top_page(client, org_tree) -> None:  # type: ignore[no-untyped-def]
    officer = make_user(Role.OFFICER, org_tree.city, username="imp_view_exams")
    client.force_login(officer)
    upload = SimpleUploadedFile("diem.csv", b"sbd,toan,vat_li,hoa_hoc\n01000001,9.5,8.25,10\n02000002,7,6,5\n")
    batch = _batch_from(client.post(reverse("import-list"), {"kind": "exam_results", "year": 2025, "file": upload}))
    assert batch.year == 2025 and batch.organization is None
    _worker()
    html = _text(client.get(reverse("import-detail", args=[batch.pk])))
    assert 'data-preview-row="2"' in html and "01000001" in html
    assert ">9,5<" in html and ">8,25<" in html and "Vật lí" in html
    assert not ExamResult.objects.exists()
    client.post(reverse("import-commit", args=[batch.pk]))
    _worker()
    html = _text(client.get(reverse("import-detail", args=[batch.pk])))
    assert 'data-state="committed"' in html and f'{reverse("exam-top")}?year=2025' in html
    assert ExamResult.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_unusable_file_says_why(client, org_tree) -> None:  # type: ignore[no-untyped-def]
    officer = make_user(Role.OFFICER, org_tree.city, username="imp_view_junk")
    client.force_login(officer)
    junk = SimpleUploadedFile("ds.xlsx", b"PK\x03\x04garbage" * 40)
    batch = _batch_from(client.post(reverse("import-list"), {"kind": "candidates", "file": junk,
                                                             "organization": org_tree.school_a.pk}))
    _worker()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED and batch.message
    html = _text(client.get(reverse("import-detail", args=[batch.pk])))
    assert 'id="import-failed"' in html and batch.message in html
    assert 'id="commit-form"' not in html
    assert client.get(reverse("import-errors-csv", args=[batch.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_all_or_nothing_with_errors_cannot_be_committed(client, org_tree) -> None:  # type: ignore[no-untyped-def]
    officer = make_user(Role.OFFICER, org_tree.city, username="imp_view_strict")
    client.force_login(officer)
    batch = _batch_from(_upload(client, organization=org_tree.school_a.pk, all_or_nothing="on"))
    assert ImportBatch.objects.get(pk=batch.pk).all_or_nothing
    _worker()
    html = _text(client.get(reverse("import-detail", args=[batch.pk])))
    assert 'id="commit-form"' not in html and reverse("import-commit", args=[batch.pk]) not in html
    assert 'id="commit-blocked"' in html
    response = client.post(reverse("import-commit", args=[batch.pk]), follow=True)
    assert "không ghi gì" in _text(response)
    _worker()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.VALIDATED and batch.commit_job is None
    assert not Candidate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_cancel_stops_the_import(client, org_tree) -> None:  # type: ignore[no-untyped-def]
    officer = make_user(Role.OFFICER, org_tree.city, username="imp_view_cancel")
    client.force_login(officer)
    batch = _batch_from(_upload(client, organization=org_tree.school_a.pk))
    # With htmx the dynamic part comes back at once, no longer polling.
    response = client.post(reverse("import-cancel", args=[batch.pk]), HTTP_HX_REQUEST="true")
    html = _text(response)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="import-cancelled"' in html and "every 1s" not in html
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CANCELLED
    assert batch.validate_job.status == Job.Status.CANCELLED
    _worker()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CANCELLED and not batch.report
    # Without JavaScript the form posts and comes back to the page.
    again = client.post(reverse("import-cancel", args=[batch.pk]))
    assert again.status_code == 302 and again["Location"] == reverse("import-detail", args=[batch.pk])
    assert not Candidate.objects.exists()


# --- Form errors and service rules ---------------------------------------------------------------

@pytest.mark.django_db
def test_service_refusals_are_shown_on_the_form(client, org_tree, officer, settings) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    settings.IMPORT_MAX_UPLOAD_MB = 0
    too_big = _upload(client, organization=org_tree.school_a.pk)
    assert too_big.status_code == 400 and "MB" in _text(too_big) and 'id="form-errors"' in _text(too_big)
    settings.IMPORT_MAX_UPLOAD_MB = 200
    no_unit = _upload(client)
    assert no_unit.status_code == 400 and "Hãy chọn đơn vị nhận danh sách." in _text(no_unit)
    old = client.post(reverse("import-list"), {"kind": "exam_results", "year": 1990, "file": _csv("sbd,toan\n")})
    assert old.status_code == 400 and "Năm thi phải trong khoảng" in _text(old)
    no_file = client.post(reverse("import-list"), {"kind": "candidates", "organization": org_tree.school_a.pk})
    assert no_file.status_code == 400 and "Hãy chọn một tệp" in _text(no_file)
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_liaison_imports_only_into_their_university_and_no_exam_results(client, org_tree) -> None:  # type: ignore[no-untyped-def]
    liaison = make_user(Role.LIAISON, org_tree.uni, username="imp_view_liaison")
    client.force_login(liaison)
    html = _text(client.get(reverse("import-list")))
    options = set(re.findall(r'<option value="(\d+)"', html))
    assert options == {str(org_tree.uni.pk), str(org_tree.faculty.pk)}
    assert 'value="exam_results"' not in html

    outside = _upload(client, organization=org_tree.school_a.pk)
    assert outside.status_code == 400
    assert "Đơn vị này nằm ngoài phạm vi quản lý của bạn." in _text(outside)
    exams = client.post(reverse("import-list"), {"kind": "exam_results", "year": 2025, "file": _csv("sbd,toan\n")})
    assert exams.status_code == 400 and "Bạn không được nhập loại dữ liệu này." in _text(exams)
    assert not ImportBatch.objects.exists()

    inside = _upload(client, organization=org_tree.faculty.pk)
    assert _batch_from(inside).organization == org_tree.faculty


@pytest.mark.django_db
def test_template_download_has_both_sheets(client, officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get(reverse("import-template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="mau-danh-sach-ung-vien.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Danh sách", "Hướng dẫn"]
    assert book["Danh sách"]["A1"].value.startswith("Họ và tên")


# --- Scope and roles --------------------------------------------------------------------------------

def _batch_of(user, org) -> ImportBatch:  # type: ignore[no-untyped-def]
    return services.import_start(actor=user, kind="candidates", upload=_csv(), organization=org, dry_run=True)


BATCH_URLS = ("import-detail", "import-commit", "import-cancel", "import-errors-csv", "import-errors-xlsx")


@pytest.mark.django_db
def test_another_users_import_is_not_found(client, org_tree, officer, admin_user) -> None:  # type: ignore[no-untyped-def]
    batch = _batch_of(officer, org_tree.school_a)
    colleague = make_user(Role.OFFICER, org_tree.city, username="imp_view_colleague")
    client.force_login(colleague)
    for name in BATCH_URLS:
        method = client.post if name in ("import-commit", "import-cancel") else client.get
        assert method(reverse(name, args=[batch.pk])).status_code == 404, name
    assert f'data-import-id="{batch.pk}"' not in _text(client.get(reverse("import-list")))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.VALIDATING  # the colleague's cancel did nothing
    client.force_login(admin_user)  # administrators see every import
    assert client.get(reverse("import-detail", args=[batch.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STUDENT, Role.RECRUITER])
def test_students_and_recruiters_get_403(client, org_tree, officer, role) -> None:  # type: ignore[no-untyped-def]
    batch = _batch_of(officer, org_tree.school_a)
    user = make_user(role, org_tree.agency if role == Role.RECRUITER else org_tree.faculty)
    client.force_login(user)
    response = client.get(reverse("import-list"))
    assert response.status_code == 403 if role == Role.RECRUITER else response["Location"] == reverse("me-profile")
    assert _upload(client, organization=org_tree.school_a.pk).status_code == 403
    response = client.get(reverse("import-template"))
    assert response.status_code == 403 if role == Role.RECRUITER else response["Location"] == "/me/"
    for name in BATCH_URLS:
        method = client.post if name in ("import-commit", "import-cancel") else client.get
        response = method(reverse(name, args=[batch.pk]))
        if role == Role.STUDENT and method == client.get:
            assert response["Location"] == "/me/", name  # a staff page: sent to their own page
        else:
            assert response.status_code == 403, name
    assert ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_pages_need_a_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    for url in (reverse("import-list"), reverse("import-template"), reverse("merge-suggestion-list"),
                reverse("import-detail", args=["00000000-0000-0000-0000-000000000000"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.django_db
def test_detail_page_queries_do_not_grow_with_the_report(client, org_tree, officer,
                                                         django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    def batch_with(n: int) -> ImportBatch:
        errors = [{"row": i + 2, "column": "Ngày sinh", "value": f"3{i % 10}/02/2007", "message": "Ngày không tồn tại."}
                  for i in range(n)]
        preview = [{"row": i + 2, "status": ["new", "update", "unchanged"][i % 3], "full_name": f"Người {i}",
                    "date_of_birth": "05/09/2007", "organization": org_tree.school_a.name, "changes": ["email"]}
                   for i in range(min(n, 20))]
        return ImportBatch.objects.create(
            kind="candidates", original_name="ds.csv", organization=org_tree.school_a, created_by=officer,
            state=ImportBatch.State.VALIDATED,
            report={"rows": n * 2, "created": n, "updated": 0, "unchanged": 0, "duplicates": 0, "errors": n,
                    "rejected": n, "merge_suggestions": 0, "committed": False, "message": "",
                    "errors_detail": errors, "errors_truncated": False, "preview": preview})

    small, large = batch_with(1), batch_with(500)
    client.force_login(officer)
    client.get(reverse("import-detail", args=[small.pk]))  # warm the session
    # Session, user, profile and the batch with its unit and jobs: the report is one JSON column.
    with django_assert_max_num_queries(5):
        html = _text(client.get(reverse("import-detail", args=[large.pk])))
    assert html.count("data-error-row=") == 500 and html.count("data-preview-row=") == 20
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("import-list"))
    for _ in range(20):
        batch_with(3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _text(client.get(reverse("import-list"))).count("data-import-id=") == 22


# --- Merge suggestion pages ------------------------------------------------------------------------

@pytest.fixture
def twins(org_tree):  # type: ignore[no-untyped-def]
    """The same person registered at school A and again at school B, with an achievement at B."""
    a = make_candidate(org_tree.school_a, full_name="Phan Văn Tài", date_of_birth=dt.date(2006, 6, 6),
                       email="tai@example.com")
    b = make_candidate(org_tree.school_b, full_name="Phan Văn Tài", date_of_birth=dt.date(2006, 6, 6),
                       phone="0912345678")
    talent_services.achievement_add(candidate=b, actor=None, category="olympiad", level="national", year=2024,
                                    title="Giải Nhì HSG quốc gia môn Vật lí", award_rank="second")
    suggestion = MergeSuggestion.objects.create(candidate=b, other=a, reasons=["name_dob"],
                                                source="Nhập danh sach-b.csv")
    return a, b, suggestion


@pytest.mark.django_db
def test_merge_list_shows_both_records_side_by_side(client, officer, twins) -> None:  # type: ignore[no-untyped-def]
    a, b, suggestion = twins
    client.force_login(officer)
    response = client.get(reverse("merge-suggestion-list"))
    html = _text(response)
    assert response.status_code == 200
    assert f'data-suggestion-id="{suggestion.pk}"' in html
    assert reverse("candidate-detail", args=[a.pk]) in html and reverse("candidate-detail", args=[b.pk]) in html
    assert "06/06/2006" in html and "tai@example.com" in html and "0912345678" in html
    assert "THPT Lê Hồng Phong" in html and "THPT Trần Đại Nghĩa" in html
    assert "Trùng họ tên và ngày sinh" in html and "Nhập danh sach-b.csv" in html
    assert f'name="keep" value="{a.pk}"' in html and f'name="keep" value="{b.pk}"' in html
    assert reverse("merge-suggestion-dismiss", args=[suggestion.pk]) in html


@pytest.mark.django_db
def test_merge_keeps_the_chosen_record_and_moves_the_rest(client, officer, twins) -> None:  # type: ignore[no-untyped-def]
    a, b, suggestion = twins
    client.force_login(officer)
    wrong = client.post(reverse("merge-suggestion-merge", args=[suggestion.pk]), {"keep": 999999}, follow=True)
    assert "Hãy chọn một trong hai hồ sơ" in _text(wrong) and Candidate.objects.count() == 2
    response = client.post(reverse("merge-suggestion-merge", args=[suggestion.pk]), {"keep": a.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("merge-suggestion-list")
    assert "Đã gộp hồ sơ" in _text(response)
    assert not Candidate.objects.filter(pk=b.pk).exists()
    kept = Candidate.objects.get(pk=a.pk)
    assert kept.phone == "0912345678"  # filled from the dropped record
    assert list(Achievement.objects.filter(candidate=kept).values_list("title", flat=True)) == [
        "Giải Nhì HSG quốc gia môn Vật lí"]
    suggestion.refresh_from_db()
    assert suggestion.status == MergeSuggestion.Status.MERGED
    assert f'data-suggestion-id="{suggestion.pk}"' not in _text(client.get(reverse("merge-suggestion-list")))


@pytest.mark.django_db
def test_dismiss_closes_the_suggestion(client, officer, twins) -> None:  # type: ignore[no-untyped-def]
    a, b, suggestion = twins
    client.force_login(officer)
    response = client.post(reverse("merge-suggestion-dismiss", args=[suggestion.pk]), follow=True)
    assert "hai người khác nhau" in _text(response)
    suggestion.refresh_from_db()
    assert suggestion.status == MergeSuggestion.Status.DISMISSED and suggestion.decided_by == officer
    assert Candidate.objects.count() == 2
    assert 'id="merge-empty"' in _text(client.get(reverse("merge-suggestion-list")))
    again = client.post(reverse("merge-suggestion-merge", args=[suggestion.pk]), {"keep": a.pk}, follow=True)
    assert "đã được xử lý" in _text(again) and Candidate.objects.count() == 2


@pytest.mark.django_db
def test_a_suggestion_with_an_out_of_scope_record_is_invisible(client, ward_officer, twins) -> None:  # type: ignore[no-untyped-def]
    a, b, suggestion = twins  # a is in ward A, b in ward B: the ward A officer cannot see b
    client.force_login(ward_officer)
    html = _text(client.get(reverse("merge-suggestion-list")))
    assert f'data-suggestion-id="{suggestion.pk}"' not in html and 'id="merge-empty"' in html
    assert client.post(reverse("merge-suggestion-merge", args=[suggestion.pk]), {"keep": a.pk}).status_code == 404
    assert client.post(reverse("merge-suggestion-dismiss", args=[suggestion.pk])).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == MergeSuggestion.Status.PENDING and Candidate.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STUDENT, Role.RECRUITER])
def test_merge_pages_are_staff_only(client, org_tree, twins, role) -> None:  # type: ignore[no-untyped-def]
    a, b, suggestion = twins
    client.force_login(make_user(role, org_tree.agency))
    response = client.get(reverse("merge-suggestion-list"))
    assert response.status_code == 403 if role == Role.RECRUITER else response["Location"] == reverse("me-profile")
    assert client.post(reverse("merge-suggestion-merge", args=[suggestion.pk]), {"keep": a.pk}).status_code == 403
    assert client.post(reverse("merge-suggestion-dismiss", args=[suggestion.pk])).status_code == 403


@pytest.mark.django_db
def test_nav_links_for_staff_only(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    html = _text(client.get(reverse("import-list")))
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    assert f'href="{reverse("import-list")}" aria-current="page"' in nav
    assert reverse("exam-top") in nav and reverse("merge-suggestion-list") in nav
    client.force_login(make_user(Role.RECRUITER, org_tree.agency))
    nav = re.search(r'<nav class="mainnav".*?</nav>', _text(client.get("/pools/")), re.S).group(0)
    assert reverse("import-list") not in nav and reverse("exam-top") not in nav
