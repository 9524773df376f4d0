"""The succession API as a personnel officer uses it: a position, its plan for a term, proposing
people (refused with the failing standard and its source), the structure, approving and removing
(the removed stay listed under ?status=removed), filters, and a flat query count."""

from __future__ import annotations

import datetime as dt

import pytest

from succession import services
from succession.models import PositionHeld
from talent import services as talent_services
from talent.models import Candidate, Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


def cadre(unit, name: str, gender: str = "male", born: dt.date = dt.date(1993, 5, 1)) -> Candidate:  # type: ignore[no-untyped-def]
    person = make_candidate(unit, name, gender=gender, date_of_birth=born)
    talent_services.education_record_add(candidate=person, actor=None, level="master", start_year=2015,
                                         institution_name="ĐH Kinh tế")
    Candidate.objects.filter(pk=person.pk).update(political_theory="trung_cap")
    PositionHeld.objects.create(candidate=person, organization=unit, title="Phó Bí thư Đoàn phường",
                                started_on=dt.date(2018, 3, 1), how=PositionHeld.How.ELECTED)
    person.refresh_from_db()
    return person


def test_a_plan_from_position_to_removal(api_as, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    api = api_as(personnel)
    position = api.post("/api/v1/positions/", {"title": "Bí thư Đoàn phường", "organization": org_tree.ward_a.pk,
                                               "level": "youth_union", "seats": 1}, format="json")
    assert position.status_code == 201, position.content
    plan = api.post("/api/v1/succession-plans/", {"position": position.json()["id"], "term": "2025-2030"},
                    format="json")
    assert plan.status_code == 201, plan.content
    plan_id = plan.json()["id"]
    assert plan.json()["structure"]["warnings"] == ["Chưa có người sẵn sàng kế nhiệm ngay.",
                                                    "Ít hơn 2 người kế nhiệm cho chức danh."]
    assert api.post("/api/v1/succession-plans/", {"position": position.json()["id"], "term": "2025-2031"},
                    format="json").status_code == 400

    pupil = make_candidate(org_tree.ward_a, "Ngô Văn Nhỏ", date_of_birth=dt.date(2007, 1, 1))
    refused = api.post(f"/api/v1/succession-plans/{plan_id}/members/", {"candidate": pupil.pk,
                                                                        "readiness": "3_plus_years"}, format="json")
    assert refused.status_code == 400
    assert "Trình độ chuyên môn từ đại học trở lên" in refused.json()["candidate"][0]
    assert "đối chiếu với quy định" in refused.json()["candidate"][0]  # the rule set's source

    hoa, lan = cadre(org_tree.ward_a, "Trần Thị Hoa", "female"), cadre(org_tree.ward_a, "Lê Văn Lân")
    ids = {}
    for person, readiness in ((hoa, "ready_now"), (lan, "1_2_years")):
        added = api.post(f"/api/v1/succession-plans/{plan_id}/members/", {"candidate": person.pk,
                                                                          "readiness": readiness}, format="json")
        assert added.status_code == 201, added.content
        ids[person.pk] = added.json()["id"]
    detail = api.get(f"/api/v1/succession-plans/{plan_id}/").json()
    assert [m["candidate"] for m in detail["members"]] == [hoa.pk, lan.pk]
    assert detail["structure"] | {"warnings": None} == {"members": 2, "ready_now_count": 1, "young_share": 1.0,
                                                         "women_share": 0.5, "minority_share": 0.0,
                                                         "age_bands": {"under_35": 2, "35_44": 0, "45_plus": 0},
                                                         "below_targets": [], "min_successors": 2, "warnings": None}
    approved = api.post(f"/api/v1/succession-plans/{plan_id}/members/{ids[hoa.pk]}/approve/",
                        {"decision_number": "12-QĐ/ĐTN", "decision_date": "2026-11-30"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    removed = api.post(f"/api/v1/succession-plans/{plan_id}/members/{ids[lan.pk]}/remove/",
                       {"reason": "effort", "note": "Hai năm liền không hoàn thành nhiệm vụ"}, format="json")
    assert removed.status_code == 200 and removed.json()["removal_reason"] == "effort"
    assert [m["candidate"] for m in api.get(f"/api/v1/succession-plans/{plan_id}/").json()["members"]] == [hoa.pk]
    history = api.get(f"/api/v1/succession-plans/{plan_id}/members/", {"status": "removed"}).json()
    assert [(m["candidate"], m["removal_note"]) for m in history] == [(lan.pk, "Hai năm liền không hoàn thành nhiệm vụ")]
    assert api.post(f"/api/v1/succession-plans/{plan_id}/members/999999/remove/", {"reason": "effort"},
                    format="json").status_code == 404
    assert api.post(f"/api/v1/succession-plans/{plan_id}/members/{ids[hoa.pk]}/remove/", {"reason": "other"},
                    format="json").status_code == 400  # "khác" needs its note

    # Filters, and what others see.
    assert len(api.get("/api/v1/succession-plans/", {"term": "2025-2030"}).json()["results"]) == 1
    assert api.get("/api/v1/succession-plans/", {"term": "2030-2035"}).json()["results"] == []
    assert len(api.get("/api/v1/succession-plans/", {"organization": org_tree.ward_a.pk}).json()["results"]) == 1
    assert api.get("/api/v1/succession-plans/", {"organization": org_tree.ward_b.pk}).json()["results"] == []
    assert api.get("/api/v1/succession-plans/", {"organization": "x"}).json()["results"] == []
    neighbour = api_as(make_user(Role.OFFICER, org_tree.ward_b, username="ward_b_off"))
    assert neighbour.get(f"/api/v1/succession-plans/{plan_id}/").status_code == 404
    assert neighbour.get("/api/v1/positions/").json()["results"] == []
    for role, unit in ((Role.RECRUITER, org_tree.agency), (Role.STUDENT, org_tree.faculty)):
        assert api_as(make_user(role, unit)).get("/api/v1/succession-plans/").status_code == 403
    incumbents = api.get(f"/api/v1/positions/{position.json()['id']}/").json()["incumbents"]
    assert incumbents == []


def test_the_plan_list_costs_the_same_whatever_its_size(api_as, org_tree, personnel,  # type: ignore[no-untyped-def]
                                                         django_assert_max_num_queries) -> None:
    from succession import services

    api = api_as(personnel)
    made = iter(range(100))

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(made)
            position = services.position_create(actor=personnel, organization=org_tree.ward_a,
                                                title=f"Chức danh số {i}", level="youth_union")
            plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
            for k in range(2):
                person = cadre(org_tree.ward_a, f"Người Thứ {chr(65 + i)}{chr(65 + k)}", born=dt.date(1992, 1, 1))
                services.member_propose(actor=personnel, plan=plan, candidate=person, readiness="ready_now")

    grow(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert len(api.get("/api/v1/succession-plans/").json()["results"]) == 2
    grow(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get("/api/v1/succession-plans/").json()["results"]) == 8


def test_every_api_read_of_a_plan_is_audited(api_as, org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    from core.models import AuditEvent

    position = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Bí thư",
                                        level="youth_union")
    plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
    api = api_as(personnel)
    api.get("/api/v1/succession-plans/")
    api.get(f"/api/v1/succession-plans/{plan.pk}/")
    api.get(f"/api/v1/succession-plans/{plan.pk}/members/")
    reads = list(AuditEvent.objects.filter(action="plan.read").order_by("pk").values_list("changes", flat=True))
    assert [r["api"] for r in reads] == ["list", "detail", "members"] and reads[0]["plans"] == [plan.pk]
