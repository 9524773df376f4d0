"""The 9-box and its calibration (issue 16, item 6): performance from annual ratings × potential from the
model or the readiness judgement, moves with reasons (audited), the final grid kept, the page and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEvent
from succession import ninebox, services
from succession.models import Calibration
from talent.models import AnnualRating, Role
from tests.factories import make_user
from tests.succession.people import cadre

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("ratings", "box", "mean"), [
    ([(2025, "excellent", False), (2024, "excellent", False), (2020, "incomplete", False)], "high", 3.0),
    ([(2025, "good", False), (2024, "complete", False)], "medium", 1.5),
    ([(2025, "excellent", True), (2024, "good", False)], "low", 1.0),  # a disciplined year counts as not done
    ([], "medium", None),
])
def test_performance_from_the_last_two_ratings(ratings, box, mean) -> None:  # type: ignore[no-untyped-def]
    assert ninebox.performance_box(ratings) == (box, mean)


def test_potential_from_the_model_or_the_readiness() -> None:
    assert ninebox.potential_box(0.8, "3_plus_years") == ("high", "model")
    assert ninebox.potential_box(0.4, "ready_now") == ("medium", "model")
    assert ninebox.potential_box(0.1, "ready_now") == ("low", "model")
    assert ninebox.potential_box(None, "ready_now") == ("high", "readiness")
    assert ninebox.potential_box(float("nan"), "3_plus_years") == ("low", "readiness")


@pytest.fixture
def plan(org_tree, personnel):  # type: ignore[no-untyped-def]
    position = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Bí thư Đoàn phường",
                                        level="youth_union")
    plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
    for name, readiness, ratings in (("Trần Văn Sao", "ready_now", ("excellent", "excellent")),
                                     ("Lê Thị Vừa", "1_2_years", ("good", "good")),
                                     ("Phạm Văn Mới", "3_plus_years", ())):
        member = services.member_propose(actor=personnel, plan=plan, candidate=cadre(org_tree.ward_a, name),
                                         readiness=readiness)
        for year, rating in zip((2025, 2024), ratings, strict=False):
            AnnualRating.objects.create(candidate=member.candidate, year=year, rating=rating)
    return plan


def cell_of(cells, name: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return next((c["performance"], c["potential"]) for c in cells for p in c["members"] if p["name"] == name)


def test_the_grid_and_a_calibration(org_tree, personnel, officer, plan) -> None:  # type: ignore[no-untyped-def]
    cells = ninebox.current(plan)["cells"]
    assert len(cells) == 9 and (cells[0]["performance"], cells[0]["potential"]) == ("low", "high")
    assert cell_of(cells, "Trần Văn Sao") == ("high", "high")
    assert cell_of(cells, "Lê Thị Vừa") == ("medium", "medium")
    assert cell_of(cells, "Phạm Văn Mới") == ("medium", "low")  # not rated yet: medium for now

    with pytest.raises(PermissionDenied):
        services.calibration_open(actor=officer, plan=plan)
    session = services.calibration_open(actor=personnel, plan=plan, title="Hội đồng tháng 12")
    with pytest.raises(ValidationError, match="chưa chốt"):
        services.calibration_open(actor=personnel, plan=plan)
    moi = plan.members.get(candidate__full_name="Phạm Văn Mới")
    with pytest.raises(ValidationError):
        services.calibration_move(actor=personnel, calibration=session, member=moi, performance="high",
                                  potential="medium", reason=" ")
    with pytest.raises(ValidationError, match="đã ở ô đó"):
        services.calibration_move(actor=personnel, calibration=session, member=moi, performance="medium",
                                  potential="low", reason="Giữ")
    move = services.calibration_move(actor=personnel, calibration=session, member=moi, performance="high",
                                     potential="medium", reason="Hoàn thành xuất sắc nhiệm vụ được giao năm 2026")
    assert (move.from_performance, move.from_potential) == ("medium", "low")
    assert cell_of(ninebox.current(plan)["cells"], "Phạm Văn Mới") == ("high", "medium")
    assert AuditEvent.objects.filter(action="ninebox.move", object_id=str(moi.pk)).exists()

    closed = services.calibration_close(actor=personnel, calibration=session)
    assert closed.status == Calibration.Status.CLOSED
    assert cell_of(closed.snapshot, "Phạm Văn Mới") == ("high", "medium")
    with pytest.raises(ValidationError, match="đã chốt"):
        services.calibration_move(actor=personnel, calibration=session, member=moi, performance="low",
                                  potential="low", reason="x")
    # A new session starts from the last one's grid: the move stands, and the next move starts from it.
    again = services.calibration_open(actor=personnel, plan=plan)
    assert cell_of(ninebox.current(plan)["cells"], "Phạm Văn Mới") == ("high", "medium")
    with pytest.raises(ValidationError, match="đã ở ô đó"):
        services.calibration_move(actor=personnel, calibration=again, member=moi, performance="high",
                                  potential="medium", reason="Giữ")
    back = services.calibration_move(actor=personnel, calibration=again, member=moi, performance="medium",
                                     potential="medium", reason="Điều chỉnh lại")
    assert (back.from_performance, back.from_potential) == ("high", "medium")


def test_the_nine_box_api(api_as, org_tree, personnel, officer, plan) -> None:  # type: ignore[no-untyped-def]
    body = api_as(officer).get(f"/api/v1/succession-plans/{plan.pk}/nine-box/").json()
    assert len(body) == 9
    top = next(c for c in body if c["performance"] == "high" and c["potential"] == "high")
    assert [m["name"] for m in top["members"]] == ["Trần Văn Sao"] and top["name"] == "Ngôi sao"
    assert AuditEvent.objects.filter(action="ninebox.read").exists()
    hr = make_user(Role.RECRUITER, org_tree.agency, username="hr_box")
    assert api_as(hr).get(f"/api/v1/succession-plans/{plan.pk}/nine-box/").status_code == 403


def test_the_nine_box_page(client, org_tree, personnel, officer, plan) -> None:  # type: ignore[no-untyped-def]
    url = reverse("succession-ninebox", args=[plan.pk])
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert 'id="nine-box"' in page and 'id="calibration-form"' not in page
    client.post(url, {"action": "open"})
    assert not Calibration.objects.exists()  # an officer cannot open a session
    client.force_login(personnel)
    client.post(url, {"action": "open", "title": "Hội đồng"})
    moi = plan.members.get(candidate__full_name="Phạm Văn Mới")
    client.post(url, {"action": "move", "member": moi.pk, "performance": "high", "potential": "high", "reason": ""})
    assert not Calibration.objects.get().moves.exists()  # no reason, no move
    client.post(url, {"action": "move", "member": moi.pk, "performance": "high", "potential": "high",
                      "reason": "Đề xuất của hội đồng"})
    page = client.get(url).content.decode()
    assert 'id="ninebox-open"' in page and "Đề xuất của hội đồng" in page
    client.post(url, {"action": "close"})
    session = Calibration.objects.get()
    shown = client.get(url, {"calibration": session.pk}).content.decode()
    assert 'id="ninebox-snapshot"' in shown and "Phạm Văn Mới" in shown


def test_the_nine_box_of_a_pool(client, org_tree, personnel, plan) -> None:  # type: ignore[no-untyped-def]
    from talent import services as talent_services
    from talent.models import TalentPool

    pool = talent_services.pool_create(actor=personnel, name="Nguồn quy hoạch phường", kind=TalentPool.Kind.PLANNING,
                                       owner=org_tree.ward_a)
    sao = plan.members.get(candidate__full_name="Trần Văn Sao").candidate
    outsider = cadre(org_tree.ward_a, "Ngoài Quy Hoạch")
    for person in (sao, outsider):
        talent_services.pool_add(actor=personnel, pool=pool, candidate=person)
    cells = ninebox.pool_grid(personnel, pool)["cells"]
    assert cell_of(cells, "Trần Văn Sao") == ("high", "high")  # the plan's readiness and two excellent years
    assert cell_of(cells, "Ngoài Quy Hoạch") == ("medium", "medium")  # no rating, no plan, no model
    client.force_login(personnel)
    assert f'href="/succession/pools/{pool.pk}/nine-box/"' in client.get(reverse("succession-bench")).content.decode()
    page = client.get(reverse("succession-pool-ninebox", args=[pool.pk])).content.decode()
    assert 'id="nine-box"' in page and 'id="ninebox-pool-note"' in page and 'id="calibration-form"' not in page
    client.force_login(make_user(Role.RECRUITER, org_tree.agency, username="hr_pool_box"))
    assert client.get(reverse("succession-pool-ninebox", args=[pool.pk])).status_code == 403
