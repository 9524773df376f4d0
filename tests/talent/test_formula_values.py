"""Values that a spreadsheet would read as a formula (issue 18, item 4) are refused in name-like fields —
in the forms, the API and imports — with a message that says where, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clubs import services as clubs
from imports.candidates import import_candidates
from talent import services as talent
from talent.models import Candidate, Organization
from talent.validators import formula_refusal
from tests.imports.test_candidates import HEADER, write
from tests.talent.test_views import form_data

pytestmark = pytest.mark.django_db
HOSTILE = ('=hyperlink("http://evil.example/x","click")', "+cmd|calc", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1",
           "   =1+1")


@pytest.mark.parametrize("value", HOSTILE)
def test_the_rule(value) -> None:  # type: ignore[no-untyped-def]
    assert "không được bắt đầu bằng" in formula_refusal(value, "Họ và tên")


@pytest.mark.parametrize("value", ("Nguyễn Văn An", "Lê Thị Hồng-Nhung", "Đoàn phường 1 (+ khu phố 3)", ""))
def test_ordinary_values_pass(value) -> None:  # type: ignore[no-untyped-def]
    assert formula_refusal(value, "Họ và tên") == ""


def test_the_form_refuses_it_on_the_field(client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.post(reverse("candidate-create"), form_data(org_tree.school_b, full_name="=HYPERLINK(\"x\")"))
    assert response.status_code in (200, 400)
    assert "không được bắt đầu bằng «=»" in response.content.decode()
    assert not Candidate.objects.exists()


def test_the_api_refuses_it_on_the_field(api_as, ward_officer, org_tree) -> None:  # type: ignore[no-untyped-def]
    client = api_as(ward_officer)
    for name in ("+cmd|calc", "@SUM(A1)"):
        response = client.post("/api/v1/candidates/", {"full_name": name, "gender": "male",
                                                       "date_of_birth": "2007-01-01",
                                                       "organization": org_tree.school_a.pk}, format="json")
        assert response.status_code == 400 and "bắt đầu bằng" in response.json()["full_name"][0]
    person = talent.candidate_register(actor=None, full_name="Lê Văn Bình", gender="male",
                                       date_of_birth=__import__("datetime").date(2007, 1, 1),
                                       organization=org_tree.school_a)
    patched = client.patch(f"/api/v1/candidates/{person.pk}/", {"home_address": "=cmd"}, format="json")
    assert patched.status_code == 400 and "home_address" in patched.json()
    assert not Candidate.objects.filter(full_name__startswith="+").exists()


def test_an_import_names_the_row_and_column(tmp_path, org_tree) -> None:  # type: ignore[no-untyped-def]
    rows = ['1;=hyperlink("http://evil.example/x","click");Nam;05/09/2007;;;;;',
            "2;Nguyễn Văn An;Nam;05/09/2007;;;;;"]
    report = import_candidates(write(tmp_path, [HEADER, *rows]), organization=org_tree.school_a)
    assert (report.created, report.rejected) == (1, 1)
    (entry,) = report.errors_detail
    assert (entry["row"], entry["column"]) == (2, "Họ và tên") and "bắt đầu bằng «=»" in entry["message"]
    assert list(Candidate.objects.values_list("full_name", flat=True)) == ["Nguyễn Văn An"]


def test_units_clubs_and_positions_refuse_it_too(org_tree, officer, personnel) -> None:  # type: ignore[no-untyped-def]
    from succession import services as succession

    with pytest.raises(ValidationError, match="Tên đơn vị"):
        talent.organization_create(code="X-1", name="=1+1", kind="school", parent=org_tree.city, actor=None)
    with pytest.raises(ValidationError, match="Tên câu lạc bộ"):
        clubs.club_create(actor=officer, slug="clb-x", name="@evil", owner=org_tree.city)
    with pytest.raises(ValidationError, match="Tên chức danh"):
        succession.position_create(actor=personnel, organization=org_tree.ward_a, title="-cmd", level="youth_union")
    assert not Organization.objects.filter(code="X-1").exists()
