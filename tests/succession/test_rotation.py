"""Rotation plans, plan members with no rotation, and fast-track nominations (issue 16, item 7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from succession import rotation, selectors, services
from succession.models import FastTrackNomination, PositionHeld, RotationPlan
from talent.models import AnnualRating, Training
from tests.succession.people import cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(org_tree, personnel):  # type: ignore[no-untyped-def]
    position = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Bí thư Đoàn phường",
                                        level="youth_union")
    plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
    return services.member_propose(actor=personnel, plan=plan, candidate=cadre(org_tree.ward_a, "Trần Văn Luân"),
                                   readiness="1_2_years")


def test_a_rotation_moves_the_career(org_tree, personnel, ward_personnel, officer, member) -> None:  # type: ignore[no-untyped-def]
    person = member.candidate
    assert [p["candidate"] for p in selectors.members_without_rotation(personnel, "2025-2030")] == [person.pk]
    with pytest.raises(PermissionDenied):
        rotation.rotation_plan_create(actor=officer, candidate=person, to_organization=org_tree.ward_b,
                                      to_title="Phó Chủ tịch UBND phường", starts_on=dt.date(2027, 1, 1))
    with pytest.raises(PermissionDenied):  # ward B is outside ward A's planner's reach
        rotation.rotation_plan_create(actor=ward_personnel, candidate=person, to_organization=org_tree.ward_b,
                                      to_title="Phó Chủ tịch UBND phường", starts_on=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="sau ngày nhận chức vụ hiện tại"):
        rotation.rotation_plan_create(actor=personnel, candidate=person, to_organization=org_tree.ward_b,
                                      to_title="Phó Chủ tịch", starts_on=dt.date(2016, 1, 1))
    plan = rotation.rotation_plan_create(actor=personnel, candidate=person, to_organization=org_tree.ward_b,
                                         to_title="Phó Chủ tịch UBND phường", starts_on=dt.date(2099, 1, 1),
                                         ends_on=dt.date(2101, 12, 31))
    assert (plan.from_organization, plan.from_title) == (org_tree.ward_a, "Chuyên viên")
    assert selectors.members_without_rotation(personnel, "2025-2030") == []
    with pytest.raises(ValidationError, match="chưa hoàn thành"):
        rotation.rotation_plan_create(actor=personnel, candidate=person, to_organization=org_tree.ward_b,
                                      to_title="Khác", starts_on=dt.date(2027, 2, 1))
    with pytest.raises(ValidationError):
        rotation.rotation_finish(actor=personnel, rotation=plan)  # not started yet
    with pytest.raises(ValidationError, match="chưa thể bắt đầu"):
        rotation.rotation_start(actor=personnel, rotation=plan)  # its day has not come
    RotationPlan.objects.filter(pk=plan.pk).update(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2028, 12, 31))
    rotation.rotation_start(actor=personnel, rotation=plan)
    posts = list(PositionHeld.objects.filter(candidate=person).order_by("started_on"))
    assert [(p.title, p.ended_on, p.how) for p in posts] == [
        ("Chuyên viên", dt.date(2025, 12, 31), "appointed"),
        ("Phó Chủ tịch UBND phường", None, PositionHeld.How.ROTATED)]
    done = rotation.rotation_finish(actor=personnel, rotation=plan, ends_on=dt.date(2028, 12, 31))
    assert done.status == RotationPlan.Status.DONE
    with pytest.raises(ValidationError):
        rotation.rotation_cancel(actor=personnel, rotation=plan)


def test_fast_track_names_each_failing_criterion(org_tree, personnel, member) -> None:  # type: ignore[no-untyped-def]
    person, position = member.candidate, member.plan.position
    on = dt.date(2026, 12, 7)
    checks = {c["rule"]: c for c in rotation.fast_track_checks(person, position, on=on)}
    assert not checks["excellent_years"]["passed"] and "2024, 2025" in checks["excellent_years"]["detail"]
    assert not checks["leadership_training"]["passed"] and checks["position_standards"]["passed"]
    with pytest.raises(ValidationError, match="Hoàn thành xuất sắc nhiệm vụ 2 năm liền"):
        rotation.fast_track_nominate(actor=personnel, candidate=person, position=position)
    AnnualRating.objects.create(candidate=person, year=2025, rating="excellent")
    AnnualRating.objects.create(candidate=person, year=2024, rating="excellent")
    Training.objects.create(candidate=person, kind="leadership", title="Kỹ năng lãnh đạo", completed_on=dt.date(2026, 4, 1))
    assert all(c["passed"] for c in rotation.fast_track_checks(person, position))
    nomination = rotation.fast_track_nominate(actor=personnel, candidate=person, position=position, note="Nổi trội")
    assert nomination.rule_set.version == 1 and len(nomination.checks) == 3


def test_rotation_and_fast_track_pages(client, org_tree, personnel, officer, member) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    page = client.get(reverse("succession-rotation")).content.decode()
    assert 'id="members-without-rotation"' in page and "Trần Văn Luân" in page and 'id="rotation-form"' not in page
    client.force_login(personnel)
    response = client.post(reverse("succession-rotation"), {
        "candidate": member.candidate_id, "to_organization": org_tree.ward_b.pk, "to_title": "Phó Chủ tịch",
        "starts_on": "01/01/2099"})
    assert response.status_code == 302
    plan = RotationPlan.objects.get()
    client.post(reverse("succession-rotation-act", args=[plan.pk]), {"action": "start"})
    assert RotationPlan.objects.get().status == RotationPlan.Status.PLANNED  # not before its day
    RotationPlan.objects.filter(pk=plan.pk).update(starts_on=dt.date(2026, 1, 1))
    client.post(reverse("succession-rotation-act", args=[plan.pk]), {"action": "start"})
    assert RotationPlan.objects.get().status == RotationPlan.Status.STARTED
    bad = client.post(reverse("succession-rotation"), {"candidate": member.candidate_id, "to_organization": org_tree.ward_b.pk,
                                                       "to_title": "X", "starts_on": "31/02/2027"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()

    check = client.get(reverse("succession-fast-track"), {"candidate": member.candidate_id,
                                                           "position": member.plan.position_id}).content.decode()
    assert 'data-rule="excellent_years" data-passed="0"' in check
    refused = client.post(reverse("succession-fast-track"), {"candidate": member.candidate_id,
                                                             "position": member.plan.position_id})
    assert refused.status_code == 400 and not FastTrackNomination.objects.exists()
    assert "Chưa đủ tiêu chí bổ nhiệm vượt cấp" in refused.content.decode()
