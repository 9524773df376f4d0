"""The top scorers page: best first with ranks, filters, whether each pupil has a record, staff only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from exams.models import ExamResult
from talent.models import Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[tuple[str, str]]:
    """(rank, exam number) of each table row, in page order."""
    return [(rank, number) for number, rank in re.findall(r'data-exam-number="(\d+)" data-rank="(\d+)"', html)]


def _row(html: str, number: str) -> str:
    return re.search(rf'<tr data-exam-number="{number}".*?</tr>', html, re.S).group(0)


@pytest.fixture
def results(org_tree):  # type: ignore[no-untyped-def]
    """2025: a registered pupil of school A (council 02, TP.HCM), one of school B, and two unregistered
    pupils of Hà Nội (council 01) with equal totals; 2024: one more."""
    pupil_a = make_candidate(org_tree.school_a, full_name="Lê Thị Thủ Khoa", gender="female",
                             date_of_birth=dt.date(2007, 1, 2), exam_number="02000001", exam_year=2025)
    pupil_b = make_candidate(org_tree.school_b, full_name="Trần Văn Giỏi", date_of_birth=dt.date(2007, 3, 4),
                             exam_number="02000002", exam_year=2025)
    ExamResult.objects.create(year=2025, exam_number="02000001", council="02", toan=10, li="9.75", hoa="9.75")
    ExamResult.objects.create(year=2025, exam_number="02000002", council="02", toan=9, li="9.5", hoa=10)
    ExamResult.objects.create(year=2025, exam_number="01000002", council="01", toan=9, li=9, hoa="9.25")
    ExamResult.objects.create(year=2025, exam_number="01000001", council="01", toan="9.25", li=9, hoa=9)
    ExamResult.objects.create(year=2025, exam_number="01000003", council="01", toan=10, van=9)  # no A00 total
    ExamResult.objects.create(year=2024, exam_number="01009999", council="01", toan=10, li=10, hoa=10)
    return pupil_a, pupil_b


def test_best_first_with_ranks_and_vietnamese_scores(client, officer, results) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get(reverse("exam-top"))
    html = response.content.decode()
    assert response.status_code == 200
    # Defaults: the latest year, A00, 20 rows. Equal totals share a rank and go by exam number.
    assert _rows(html) == [("1", "02000001"), ("2", "02000002"), ("3", "01000001"), ("3", "01000002")]
    first = _row(html, "02000001")
    assert ">29,5<" in first and ">9,75<" in first and ">10<" in first and "TP. Hồ Chí Minh" in first
    assert "Hà Nội" in _row(html, "01000001")
    for label in ("Toán", "Vật lí", "Hoá học"):
        assert f'<th scope="col" class="num">{label}</th>' in html
    assert "Em nào chưa có hồ sơ" in html  # the page says what it is for
    assert '<option value="2025" selected>2025</option>' in html


def test_limit_year_combination_and_province_filters(client, officer, results) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    top = reverse("exam-top")
    assert _rows(client.get(top, {"limit": 2}).content.decode()) == [("1", "02000001"), ("2", "02000002")]
    assert _rows(client.get(top, {"year": 2024}).content.decode()) == [("1", "01009999")]
    # Hà Nội today is province 1, TP. Hồ Chí Minh 79: the councils of each.
    assert [n for _, n in _rows(client.get(top, {"province": 1}).content.decode())] == ["01000001", "01000002"]
    assert [n for _, n in _rows(client.get(top, {"province": 79}).content.decode())] == ["02000001", "02000002"]
    assert _rows(client.get(top, {"combination": "C00"}).content.decode()) == []
    # Bad values are reported and the defaults used.
    bad = client.get(top, {"limit": 9999, "combination": "Z99", "year": "x"})
    html = bad.content.decode()
    assert bad.status_code == 200 and "alert-warning" in html
    assert len(_rows(html)) == 4


def test_registered_flags_link_only_records_the_reader_may_open(client, org_tree, results) -> None:  # type: ignore[no-untyped-def]
    pupil_a, pupil_b = results
    ward_officer = make_user(Role.OFFICER, org_tree.ward_a, username="top_ward_a")  # sees school A only
    client.force_login(ward_officer)
    html = client.get(reverse("exam-top")).content.decode()
    assert f'href="{reverse("candidate-detail", args=[pupil_a.pk])}"' in _row(html, "02000001")
    assert "Đã có hồ sơ" in _row(html, "02000001")
    other_unit = _row(html, "02000002")
    assert "Đã có hồ sơ (đơn vị khác)" in other_unit and "href=" not in other_unit
    assert "Chưa có hồ sơ" in _row(html, "01000001")
    assert reverse("candidate-detail", args=[pupil_b.pk]) not in html


def test_empty_state_before_any_import(client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    html = client.get(reverse("exam-top")).content.decode()
    assert 'id="exam-top-empty"' in html and reverse("import-list") in html
    liaison = make_user(Role.LIAISON, org_tree.uni, username="top_liaison")
    client.force_login(liaison)
    html = client.get(reverse("exam-top")).content.decode()
    # Liaisons do not load exam files: they are told who does instead of being sent to the upload.
    assert 'id="exam-top-empty"' in html and "Cán bộ Đoàn hoặc quản trị viên nhập tệp điểm thi" in html
    assert "Nhập tệp điểm thi" not in html


@pytest.mark.parametrize("role", [Role.STUDENT, Role.RECRUITER])
def test_students_and_recruiters_get_403(client, org_tree, results, role) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(role, org_tree.agency))
    response = client.get(reverse("exam-top"))
    assert response.status_code == 403 if role == Role.RECRUITER else response["Location"] == reverse("me-profile")


def test_sign_in_required(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("exam-top"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
