"""Import of a cadre list through the import pipeline (issue 16, item 1): new people and their posts, a post
changed, located errors, idempotent re-import, scope and roles — the function and the upload page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from imports.models import ImportBatch
from succession import services
from succession.cadre_import import import_cadres
from succession.models import PositionHeld
from talent.models import Candidate, Role, Stage
from tests.factories import make_candidate, make_user

HEADER = "STT;Họ và tên;Giới tính;Ngày sinh;Mã đơn vị;Chức vụ;Từ ngày;Hình thức;Lý luận chính trị;Ngày vào Đảng\n"
ROWS = ("1;Nguyễn Văn Cán;Nam;12/03/1980;W-A;Phó Chủ tịch UBND phường;01/07/2015;Bổ nhiệm;Cao cấp;03/02/2005\n"
        "2;Trần Thị Bộ;Nữ;20/10/1988;W-B;Chánh Văn phòng;15/01/2020;Điều động;Trung cấp;\n")


def write(tmp_path, text: str, name: str = "can-bo.csv"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_cadre_list_creates_people_and_posts_and_is_idempotent(tmp_path, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    position = services.position_create(actor=personnel, organization=org_tree.ward_a,
                                        title="Phó Chủ tịch UBND phường", level="commune")
    path = write(tmp_path, HEADER + ROWS)
    preview = import_cadres(path, organization=org_tree.city, actor=personnel, dry_run=True)
    assert (preview.created, preview.errors, preview.committed) == (2, 0, False)
    assert not Candidate.objects.exists()
    report = import_cadres(path, organization=org_tree.city, actor=personnel)
    assert (report.created, report.updated, report.unchanged, report.committed) == (2, 0, 0, True)
    can = Candidate.objects.get(full_name="Nguyễn Văn Cán")
    assert (can.stage, can.organization, can.political_theory, can.party_member, can.party_joined_on) == (
        Stage.RECRUITED, org_tree.ward_a, "cao_cap", True, dt.date(2005, 2, 3))
    post = PositionHeld.objects.get(candidate=can)
    assert (post.title, post.started_on, post.how, post.position) == ("Phó Chủ tịch UBND phường",
                                                                      dt.date(2015, 7, 1), "appointed", position)
    # The same file again changes nothing.
    again = import_cadres(path, organization=org_tree.city, actor=personnel)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert PositionHeld.objects.count() == 2
    # A later list: Bộ is appointed elsewhere (the old post ends the day before); Cán's start date is corrected.
    later = write(tmp_path, HEADER + "1;Nguyễn Văn Cán;Nam;12/03/1980;W-A;Phó Chủ tịch UBND phường;01/08/2015;"
                  "Bổ nhiệm;Cao cấp;03/02/2005\n2;Trần Thị Bộ;Nữ;20/10/1988;W-A;Trưởng phòng Nội vụ;01/01/2026;"
                  "Luân chuyển;Cao cấp;\n", "lan-2.csv")
    moved = import_cadres(later, organization=org_tree.city, actor=personnel)
    assert (moved.created, moved.updated, moved.errors) == (0, 2, 0)
    bo = Candidate.objects.get(full_name="Trần Thị Bộ")
    assert [(p.title, p.ended_on, p.how) for p in bo.positions_held.order_by("started_on")] == [
        ("Chánh Văn phòng", dt.date(2025, 12, 31), "transferred"), ("Trưởng phòng Nội vụ", None, "rotated")]
    assert bo.political_theory == "cao_cap"
    assert PositionHeld.objects.get(candidate=can).started_on == dt.date(2015, 8, 1)


@pytest.mark.django_db
def test_cadre_list_errors_are_located(tmp_path, org_tree, personnel, ward_personnel) -> None:  # type: ignore[no-untyped-def]
    outsider = make_candidate(org_tree.ward_b, "Lê Văn Ngoài", date_of_birth=dt.date(1985, 1, 1))
    text = HEADER + (
        "1;Phạm Văn Thiếu;;01/01/1990;;Chuyên viên;01/01/2020;;;\n"            # new person without gender
        "2;Hồ Văn Sai;Nam;01/01/1990;XX;Chuyên viên;31/02/2020;Thăng chức;Đại học;\n"  # unit, date, how, theory
        f"3;{outsider.full_name};Nam;01/01/1985;;Chuyên viên;01/01/2020;;;\n"   # ward B: new for ward A (no match)
        "4;Đỗ Văn Đúng;Nam;01/01/1991;;Chuyên viên;01/01/2020;;;\n"
        "4;Đỗ Văn Đúng;Nam;01/01/1991;;Chuyên viên;01/01/2020;;;\n")
    report = import_cadres(write(tmp_path, text), organization=org_tree.ward_a, actor=ward_personnel, dry_run=True)
    errors = {(e["row"], e["column"]) for e in report.errors_detail}
    assert errors == {(2, "Giới tính"), (3, "Mã đơn vị"), (3, "Từ ngày"), (3, "Hình thức"), (3, "Lý luận chính trị")}
    assert (report.duplicates, report.created) == (1, 2)
    # A record number outside one's reach is refused; none of it is written under all-or-nothing.
    text = HEADER.replace("STT;", "STT;Mã hồ sơ;") + f"1;{outsider.pk};{outsider.full_name};Nam;01/01/1985;;Chuyên viên;" \
                                                     "01/01/2020;;;\n"
    report = import_cadres(write(tmp_path, text, "ngoai.csv"), organization=org_tree.ward_a, actor=ward_personnel,
                           all_or_nothing=True)
    assert report.errors == 1 and "phạm vi" in report.errors_detail[0]["message"] and not report.committed
    assert not PositionHeld.objects.exists()
    officer = make_user(Role.OFFICER, org_tree.city, username="off_cadres")
    with pytest.raises(PermissionDenied):
        import_cadres(write(tmp_path, HEADER + ROWS, "x.csv"), organization=org_tree.city, actor=officer)


@pytest.mark.django_db(transaction=True)
def test_the_upload_page_offers_cadre_lists_to_planners(client, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.OFFICER, org_tree.city, username="off_upload"))
    assert 'value="cadres"' not in client.get(reverse("import-list")).content.decode()
    client.force_login(personnel)
    assert 'value="cadres"' in client.get(reverse("import-list")).content.decode()
    upload = SimpleUploadedFile("can-bo.csv", (HEADER + ROWS).encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("import-list"), {"kind": "cadres", "file": upload, "organization": org_tree.city.pk})
    assert response.status_code == 302, response.content.decode()[:1500]
    pk = re.search(r"/imports/([0-9a-f-]{36})/$", response["Location"]).group(1)
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)
    batch = ImportBatch.objects.get(pk=pk)
    assert batch.state == ImportBatch.State.VALIDATED, batch.report
    page = client.get(response["Location"]).content.decode()
    assert "Nguyễn Văn Cán" in page and "Phó Chủ tịch UBND phường từ 01/07/2015" in page
    client.post(reverse("import-commit", args=[pk]))
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)
    assert ImportBatch.objects.get(pk=pk).state == ImportBatch.State.COMMITTED
    assert PositionHeld.objects.count() == 2


@pytest.mark.django_db
def test_a_list_without_unit_codes_or_forms_keeps_the_posts_it_names(tmp_path, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    person = make_candidate(org_tree.ward_a, "Kiều Văn Giữ", date_of_birth=dt.date(1985, 5, 5))
    PositionHeld.objects.create(candidate=person, organization=org_tree.ward_a, title="Phó Bí thư",
                                started_on=dt.date(2021, 3, 1), how=PositionHeld.How.ROTATED)
    text = ("Họ và tên;Giới tính;Ngày sinh;Chức vụ;Từ ngày\n"
            "Kiều Văn Giữ;Nam;05/05/1985;Phó Bí thư;01/03/2021\n"
            "Mới Văn Hai;Nam;01/01/1990;Chuyên viên;01/01/2024\n"
            "Mới Văn Hai;Nam;01/01/1990;Chuyên viên;01/02/2024\n")
    report = import_cadres(write(tmp_path, text), organization=org_tree.city, actor=personnel)
    # The ward's open post is the one named (no unit code: anywhere under the city); its form stays.
    assert (report.unchanged, report.created, report.errors) == (1, 1, 1)
    assert "Dòng 3 đã nhập cho cùng một người" in report.errors_detail[0]["message"]
    post = PositionHeld.objects.get(candidate=person)
    assert (post.organization, post.how, post.ended_on) == (org_tree.ward_a, PositionHeld.How.ROTATED, None)
