"""Who does what in succession planning (issue 16, item 8): personnel officers plan in their subtree,
Youth Union officers read and propose only, liaisons, recruiters and students see no plan — on the
pages and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from succession import services
from succession.models import PlanMember
from talent.models import Role
from tests.factories import make_user
from tests.succession.people import cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org_tree, personnel):  # type: ignore[no-untyped-def]
    position = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Bí thư Đoàn phường",
                                        level="youth_union")
    return services.plan_create(actor=personnel, position=position, term="2025-2030")


def test_a_personnel_officer_plans_in_their_subtree_only(api_as, org_tree, ward_personnel, plan) -> None:  # type: ignore[no-untyped-def]
    client = api_as(ward_personnel)
    made = client.post("/api/v1/positions/", {"organization": org_tree.ward_a.pk, "title": "Phó Bí thư",
                                              "level": "youth_union"}, format="json")
    assert made.status_code == 201
    # Ward B is outside ward A's subtree: refused as if it did not exist.
    outside = client.post("/api/v1/positions/", {"organization": org_tree.ward_b.pk, "title": "Phó Bí thư",
                                                 "level": "youth_union"}, format="json")
    assert outside.status_code == 400
    person = cadre(org_tree.ward_a, "Đặng Thị Hoa")
    member = client.post(f"/api/v1/succession-plans/{plan.pk}/members/", {"candidate": person.pk,
                                                                           "readiness": "ready_now"}, format="json")
    assert member.status_code == 201
    approved = client.post(f"/api/v1/succession-plans/{plan.pk}/members/{member.json()['id']}/approve/",
                           {"decision_number": "12-QĐ/ĐTN", "decision_date": "2026-01-15"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    # The personnel officer reads the cadre's record (party membership included) in their subtree.
    record = client.get(f"/api/v1/candidates/{person.pk}/").json()
    assert "party_member" in record


def test_a_youth_union_officer_proposes_but_does_not_decide(client, api_as, org_tree, officer, personnel, plan) -> None:  # type: ignore[no-untyped-def]
    person = cadre(org_tree.ward_a, "Lý Văn Đề")
    api = api_as(officer)
    assert api.get(f"/api/v1/succession-plans/{plan.pk}/").status_code == 200
    proposed = api.post(f"/api/v1/succession-plans/{plan.pk}/members/", {"candidate": person.pk,
                                                                          "readiness": "1_2_years"}, format="json")
    assert proposed.status_code == 201 and proposed.json()["status"] == "proposed"
    member_id = proposed.json()["id"]
    for path, body in ((f"members/{member_id}/approve/", {"decision_number": "1", "decision_date": "2026-01-15"}),
                       (f"members/{member_id}/remove/", {"reason": "transferred"})):
        refused = api.post(f"/api/v1/succession-plans/{plan.pk}/{path}", body, format="json")
        assert refused.status_code == 403, path
        assert "cán bộ tổ chức" in refused.json()["detail"]
    assert api.post("/api/v1/positions/", {"organization": org_tree.ward_a.pk, "title": "Khác", "level": "commune"},
                    format="json").status_code == 403
    assert PlanMember.objects.get(pk=member_id).status == PlanMember.Status.PROPOSED

    # On the pages: the plan shows no approve/remove controls, and a forged POST changes nothing.
    client.force_login(officer)
    page = client.get(reverse("succession-plan", args=[plan.pk])).content.decode()
    assert f'id="member-{member_id}"' in page
    assert reverse("succession-member-approve", args=[member_id]) not in page
    assert reverse("succession-member-remove", args=[member_id]) not in page
    client.post(reverse("succession-member-approve", args=[member_id]),
                {"decision_number": "2", "decision_date": "15/01/2026"})
    assert PlanMember.objects.get(pk=member_id).status == PlanMember.Status.PROPOSED
    positions = client.get(reverse("succession-positions")).content.decode()
    assert 'id="position-form"' not in positions and 'id="position-planners-only"' in positions
    assert client.post(reverse("succession-positions"), {"organization": org_tree.ward_a.pk, "title": "Khác",
                                                         "level": "commune", "seats": 1}).status_code == 400
    # A personnel officer sees the controls and decides.
    client.force_login(personnel)
    page = client.get(reverse("succession-plan", args=[plan.pk])).content.decode()
    assert reverse("succession-member-approve", args=[member_id]) in page
    client.post(reverse("succession-member-approve", args=[member_id]),
                {"decision_number": "2-QĐ/ĐTN", "decision_date": "15/01/2026"})
    member = PlanMember.objects.get(pk=member_id)
    assert member.status == PlanMember.Status.APPROVED and member.decision_date == dt.date(2026, 1, 15)


@pytest.mark.parametrize("role", [Role.LIAISON, Role.RECRUITER])
def test_liaisons_and_recruiters_see_no_plan(client, api_as, org_tree, plan, role) -> None:  # type: ignore[no-untyped-def]
    home = {Role.LIAISON: org_tree.uni, Role.RECRUITER: org_tree.agency}[role]
    user = make_user(role, home, username=f"no_plans_{role}")
    for path in ("/api/v1/positions/", "/api/v1/succession-plans/", f"/api/v1/succession-plans/{plan.pk}/",
                 "/api/v1/cadres/rotation-due/"):
        assert api_as(user).get(path).status_code == 403, path
    client.force_login(user)
    for url in (reverse("succession-bench"), reverse("succession-positions"), reverse("succession-rotation"),
                reverse("succession-plan", args=[plan.pk])):
        assert client.get(url).status_code == 403, url


def test_the_menu_of_a_personnel_officer(client, personnel) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personnel)
    page = client.get(reverse("succession-bench")).content.decode()
    for name in ("succession-bench", "succession-positions", "succession-rotation", "succession-reviews",
                 "succession-forecast", "succession-fast-track", "candidate-list", "import-list"):
        assert f'href="{reverse(name)}"' in page, name
    for name in ("ranking-list", "user-list", "club-list"):
        assert f'href="{reverse(name)}"' not in page, name
