"""The succession pages as a personnel officer uses them: positions, opening a plan, proposing (refused
inline with the rule), approving, removing with a reason (kept in the history), bench strength with
its XLSX, scope and a flat query count."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from succession import services
from succession.models import PlanMember, Position, PositionHeld, SuccessionPlan
from talent.models import Candidate, Role
from tests.factories import make_candidate, make_user
from tests.succession.people import cadre

pytestmark = pytest.mark.django_db


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_from_position_to_plan_with_members(client, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personnel)
    url = reverse("succession-positions")
    assert client.get(url).status_code == 200
    made = client.post(url, {"organization": org_tree.ward_a.pk, "title": "Bí thư Đoàn phường", "level": "youth_union",
                             "seats": 1})
    assert made.status_code == 302
    position = Position.objects.get()
    twice = client.post(url, {"organization": org_tree.ward_a.pk, "title": "bí thư đoàn phường",
                              "level": "youth_union", "seats": 1})
    assert twice.status_code == 400 and "Đơn vị đã có chức danh này." in html(twice)
    bad_term = client.post(reverse("succession-plan-create", args=[position.pk]), {"term": "2025"}, follow=True)
    assert "2025-2030" in html(bad_term) and not SuccessionPlan.objects.exists()
    opened = client.post(reverse("succession-plan-create", args=[position.pk]), {"term": "2025-2030"})
    plan = SuccessionPlan.objects.get()
    assert opened["Location"] == reverse("succession-plan", args=[plan.pk])

    page = reverse("succession-plan", args=[plan.pk])
    first = html(client.get(page))
    assert "Chưa có người sẵn sàng kế nhiệm ngay." in first and 'id="plan-empty"' in first
    assert 'name="exception_reason"' not in first  # a personnel officer records no exception
    pupil = make_candidate(org_tree.ward_a, "Ngô Văn Nhỏ", date_of_birth=dt.date(2008, 1, 1))
    refused = client.post(page, {"candidate": pupil.pk, "readiness": "3_plus_years"})
    assert refused.status_code == 400 and "Trình độ chuyên môn từ đại học trở lên" in html(refused)
    unseen = client.post(page, {"candidate": 999_999, "readiness": "ready_now"})
    assert unseen.status_code == 400 and "Không có hồ sơ này trong phạm vi của bạn." in html(unseen)

    hoa, lam = cadre(org_tree.ward_a, "Trần Thị Hoa", "female"), cadre(org_tree.ward_a, "Đinh Văn Lâm")
    for person, readiness in ((hoa, "ready_now"), (lam, "1_2_years")):
        assert client.post(page, {"candidate": person.pk, "readiness": readiness}).status_code == 302
    member_hoa, member_lam = PlanMember.objects.order_by("order")
    no_date = client.post(reverse("succession-member-approve", args=[member_hoa.pk]), {"decision_number": "5-QĐ"},
                          follow=True)
    assert "Ngày quyết định" in html(no_date) or "dd/mm/yyyy" in html(no_date)
    client.post(reverse("succession-member-approve", args=[member_hoa.pk]),
                {"decision_number": "5-QĐ/ĐTN", "decision_date": "30/11/2026"})
    client.post(reverse("succession-member-remove", args=[member_lam.pk]), {"reason": "transferred",
                                                                            "note": "Về Sở Nội vụ"})
    after = html(client.get(page))
    rows = re.findall(r'<tr id="member-(\d+)" data-member="\d+" data-status="(\w+)"', after)
    assert rows == [(str(member_hoa.pk), "approved")]
    assert "5-QĐ/ĐTN · 30/11/2026" in after
    assert 'id="plan-removed"' in after and "Đinh Văn Lâm</strong> — Chuyển công tác: Về Sở Nội vụ" in after
    assert after.count("Đề xuất") >= 2 and "Đã phê duyệt" in after  # the history
    assert AuditEvent.objects.filter(action="plan.read", object_id=str(plan.pk)).exists()


def test_bench_strength_with_its_xlsx(client, org_tree, personnel, django_assert_max_num_queries,  # type: ignore[no-untyped-def]
                                      monkeypatch) -> None:
    def plan_with(title: str, people: list[tuple[str, str, str]]) -> SuccessionPlan:
        position = services.position_create(actor=personnel, organization=org_tree.ward_a, title=title,
                                            level="youth_union")
        plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
        for name, gender, readiness in people:
            services.member_propose(actor=personnel, plan=plan, candidate=cadre(org_tree.ward_a, name, gender),
                                    readiness=readiness)
        return plan

    plan_with("Bí thư Đoàn phường", [("Trần Thị Hoa", "female", "ready_now"), ("Lê Văn An", "male", "1_2_years")])
    plan_with("Phó Bí thư Đoàn phường", [("Phạm Văn Bình", "male", "1_2_years")])
    client.force_login(personnel)
    with CaptureQueriesContext(connection) as small:
        page = html(client.get(reverse("succession-bench")))
    assert re.findall(r'data-members="(\d+)" data-ready="(\d+)"', page) == [("2", "1"), ("1", "0")]
    assert "Chưa có người sẵn sàng kế nhiệm ngay." in page and "Ít hơn 2 người kế nhiệm cho chức danh." in page
    for i in range(4):
        plan_with(f"Ủy viên Ban Thường vụ {chr(65 + i)}", [(f"Người Số {chr(65 + i)}", "female", "ready_now")])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(re.findall(r"data-plan=", html(client.get(reverse("succession-bench"))))) == 6
    # The table pages (here 4 a page); the totals and the XLSX count every plan.
    from succession import views

    monkeypatch.setattr(views, "BENCH_PAGE_SIZE", 4)
    second = html(client.get(reverse("succession-bench"), {"term": "2025-2030", "page": 2}))
    assert len(re.findall(r"data-plan=", second)) == 2 and "Trang 2 / 2" in second
    assert re.search(r'<span class="kpi-value">6</span> <span class="kpi-label">Chức danh có quy hoạch', second)
    export = client.get(reverse("succession-bench-export"), {"term": "2025-2030", "page": 2})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Đơn vị", "Chức danh", "Nhiệm kỳ", "Số người") and len(rows) == 7
    assert ("Đoàn phường Sài Gòn", "Bí thư Đoàn phường", "2025-2030", 2, 1, "100%", "50%", "0%", None) in rows
    assert AuditEvent.objects.filter(action="plan.export").exists()
    # A term without plans is not one of the choices: said, and the newest term shown instead.
    unknown = html(client.get(reverse("succession-bench"), {"term": "2030-2035"}))
    assert 'id="bench-filter-errors"' in unknown and "đang xem nhiệm kỳ 2025-2030" in unknown


def test_who_sees_the_pages(client, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    position = services.position_create(actor=personnel, organization=org_tree.ward_b, title="Bí thư Đoàn phường",
                                        level="youth_union")
    plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
    member = services.member_propose(actor=personnel, plan=plan, candidate=cadre(org_tree.ward_b, "Vũ Văn Bên"),
                                     readiness="ready_now")
    client.force_login(make_user(Role.OFFICER, org_tree.ward_a, username="ward_a_pages"))
    assert client.get(reverse("succession-plan", args=[plan.pk])).status_code == 404
    assert client.post(reverse("succession-member-remove", args=[member.pk]), {"reason": "transferred"}).status_code == 404
    assert 'data-plan=' not in html(client.get(reverse("succession-bench")))
    client.force_login(make_user(Role.RECRUITER, org_tree.agency, username="hr_pages"))
    for name in ("succession-bench", "succession-positions"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("succession-plan", args=[plan.pk])).status_code == 403


def test_rotation_due_lists_eight_years_in_one_post(client, api_as, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    today = timezone.localdate()
    long = cadre(org_tree.ward_a, "Lâu Văn Năm")  # in the same post since 2017 (see cadre())
    PositionHeld.objects.filter(candidate=long).update(started_on=today.replace(year=today.year - 9))
    just = cadre(org_tree.ward_a, "Vừa Đủ Tám")
    PositionHeld.objects.filter(candidate=just).update(started_on=today.replace(year=today.year - 8))
    moved = cadre(org_tree.ward_a, "Đã Chuyển Việc")
    PositionHeld.objects.filter(candidate=moved).update(started_on=today.replace(year=today.year - 10),
                                                        ended_on=today.replace(year=today.year - 1))
    recent = cadre(org_tree.ward_a, "Mới Nhận Việc")
    PositionHeld.objects.filter(candidate=recent).update(started_on=today.replace(year=today.year - 7))
    elsewhere = cadre(org_tree.ward_b, "Phường Khác Lâu")
    PositionHeld.objects.filter(candidate=elsewhere).update(started_on=today.replace(year=today.year - 12))

    client.force_login(make_user(Role.OFFICER, org_tree.ward_a, username="ward_a_rotation"))
    page = html(client.get(reverse("succession-rotation")))
    assert re.findall(r'data-candidate="(\d+)" data-years="(\d+)"', page) == [(str(long.pk), "9"), (str(just.pk), "8")]
    assert "Quy định số 98-QĐ/TW" in page
    rows = api_as(personnel).get("/api/v1/cadres/rotation-due/").json()
    assert [(r["candidate"], r["years_in_post"]) for r in rows] == [(elsewhere.pk, 12), (long.pk, 9), (just.pk, 8)]
    assert [r["candidate"] for r in api_as(personnel).get("/api/v1/cadres/rotation-due/", {"years": 7}).json()] == [
        elsewhere.pk, long.pk, just.pk, recent.pk]
    assert api_as(personnel).get("/api/v1/cadres/rotation-due/", {"years": "x"}).status_code == 400
    assert api_as(make_user(Role.RECRUITER, org_tree.agency)).get("/api/v1/cadres/rotation-due/").status_code == 403


def test_the_candidate_page_shows_the_career_to_staff_and_to_the_person(client, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    person = cadre(org_tree.faculty, "Trần Văn Sự")
    PositionHeld.objects.create(candidate=person, organization=org_tree.faculty, title="Bí thư Liên chi đoàn",
                                started_on=dt.date(2014, 9, 1), ended_on=dt.date(2016, 12, 31),
                                how=PositionHeld.How.ELECTED)
    position = services.position_create(actor=personnel, organization=org_tree.faculty, title="Bí thư Đoàn khoa",
                                        level="youth_union")
    plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
    services.member_propose(actor=personnel, plan=plan, candidate=person, readiness="1_2_years")
    url = reverse("candidate-detail", args=[person.pk])

    client.force_login(personnel)
    page = html(client.get(url))
    assert 'id="career"' in page and "Bí thư Liên chi đoàn" in page and "01/09/2014 – 31/12/2016" in page
    assert "Chuyên viên" in page and "– nay" in page  # the current post (from cadre())
    assert page.index("Chuyên viên") < page.index("Bí thư Liên chi đoàn")  # newest first
    assert reverse("succession-plan", args=[plan.pk]) in page and "Sau 1–2 năm" in page

    student = make_user(Role.STUDENT, org_tree.faculty, username="su_own")
    Candidate.objects.filter(pk=person.pk).update(user=student)
    client.force_login(student)
    own = html(client.get(url))
    assert 'id="career"' in own and "Bí thư Liên chi đoàn" in own
    assert reverse("succession-plan", args=[plan.pk]) not in own  # plans are the staff's

    # A recruiter who may see the record reads no career section (the selector decides, not the page).
    from succession.selectors import career_section

    assert career_section(person, make_user(Role.RECRUITER, org_tree.agency, username="hr_career")) is None
    nobody = make_candidate(org_tree.faculty, "Không Có Việc")
    client.force_login(personnel)
    assert 'id="career"' not in html(client.get(reverse("candidate-detail", args=[nobody.pk])))
