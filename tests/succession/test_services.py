"""Succession planning's rules: positions and plans by term, the standards a successor must meet (and
the administrator's exception), the limit of plans per person, approval with a decision, removal with
a reason that keeps the row, the structure of a plan, scope, and merges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from succession import selectors, services, standards
from succession.models import PlanMember, PlanMemberEvent, PositionHeld, PositionStandard
from talent import services as talent_services
from talent.models import Candidate, Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def qualified(unit, name: str, *, gender: str = "male", born: dt.date = dt.date(1994, 3, 1)) -> Candidate:  # type: ignore[no-untyped-def]
    """A cadre who meets the commune level's default standards: a degree, intermediate political theory,
    four years in a post."""
    person = make_candidate(unit, name, gender=gender, date_of_birth=born)
    talent_services.education_record_add(candidate=person, actor=None, level="university", start_year=2012,
                                         institution_name="ĐH Luật")
    Candidate.objects.filter(pk=person.pk).update(political_theory="trung_cap")
    PositionHeld.objects.create(candidate=person, organization=unit, title="Chuyên viên",
                                started_on=dt.date(2022, 1, 1), how=PositionHeld.How.RECRUITED)
    person.refresh_from_db()
    return person


@pytest.fixture
def plan(org_tree, personnel):  # type: ignore[no-untyped-def]
    position = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Chủ tịch UBND phường",
                                        level="commune")
    return services.plan_create(actor=personnel, position=position, term="2025-2030")


def test_the_shipped_standards_name_what_to_check_them_against(db) -> None:  # type: ignore[no-untyped-def]
    assert set(PositionStandard.objects.filter(active=True).values_list("level", flat=True)) == {
        "province", "department", "commune", "public_unit", "youth_union"}
    assert all("đối chiếu" in s.source for s in PositionStandard.objects.all())


def test_positions_and_plans_are_checked(org_tree, personnel, ward_personnel, plan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="đã có chức danh"):
        services.position_create(actor=personnel, organization=org_tree.ward_a, title="chủ tịch ubnd phường",
                                 level="commune")
    for term in ("2025", "2025-2031", "2030-2025", "abcd-efgh"):
        with pytest.raises(ValidationError, match="2025-2030"):
            services.plan_create(actor=personnel, position=plan.position, term=term)
    for same in ("2025-2030", " 2025-2030 "):
        with pytest.raises(ValidationError, match="đã có quy hoạch"):
            services.plan_create(actor=personnel, position=plan.position, term=same)
    # A ward personnel officer plans for their ward only; a recruiter for nothing.
    with pytest.raises(PermissionDenied):
        services.position_create(actor=ward_personnel, organization=org_tree.ward_b, title="Bí thư", level="commune")
    with pytest.raises(PermissionDenied):
        services.position_create(actor=make_user(Role.RECRUITER, org_tree.agency), organization=org_tree.agency,
                                 title="Giám đốc", level="department")


def test_a_person_who_fails_a_standard_is_refused_with_the_rule(org_tree, personnel, admin_user, plan) -> None:  # type: ignore[no-untyped-def]
    pupil = make_candidate(org_tree.ward_a, "Lê Văn Trẻ", date_of_birth=dt.date(2006, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.member_propose(actor=personnel, plan=plan, candidate=pupil, readiness="3_plus_years", on=TODAY)
    message = " ".join(refused.value.messages)
    assert "Trình độ chuyên môn từ đại học trở lên" in message
    assert "Lý luận chính trị từ trung cấp trở lên" in message and "Có ít nhất 2 năm công tác" in message
    assert "đối chiếu" in message and "Quản trị viên có thể ghi nhận ngoại lệ" in message
    # A personnel officer's reason is not an exception; an administrator's is, and the waived rules are kept.
    with pytest.raises(ValidationError):
        services.member_propose(actor=personnel, plan=plan, candidate=pupil, readiness="3_plus_years",
                                exception_reason="Nhân tố mới", on=TODAY)
    member = services.member_propose(actor=admin_user, plan=plan, candidate=pupil, readiness="3_plus_years",
                                     exception_reason="Nhân tố mới nổi trội (Kết luận của Ban Thường vụ)", on=TODAY)
    assert set(member.standards_failed) == {"degree", "political_theory", "min_years_service"}
    assert AuditEvent.objects.filter(action="plan.propose", object_id=str(member.pk), changes__exception=True).exists()


def test_standards_read_the_record(org_tree) -> None:  # type: ignore[no-untyped-def]
    person = qualified(org_tree.ward_a, "Trần Thị Hoa", gender="female")
    talent_services.language_certificate_add(candidate=person, actor=None, language="en", level=4, verified=True)
    talent_services.language_certificate_add(candidate=person, actor=None, language="fr", level=5)  # not verified
    facts = standards.facts_of(person, TODAY)
    assert facts == standards.Facts(age=32, degree="university", political_theory="trung_cap", language_level=4,
                                    years_service=4)
    rules = {"degree": "master", "political_theory": "cao_cap", "language_level": 5, "min_years_service": 5,
             "max_age_first_planning": 30}
    assert [f["rule"] for f in standards.failures(rules, facts, first_planning=True)] == [
        "degree", "political_theory", "language_level", "min_years_service", "max_age_first_planning"]
    # The age limit is for a first planning only.
    assert "max_age_first_planning" not in [f["rule"] for f in standards.failures(rules, facts, first_planning=False)]
    assert standards.failures({"degree": "college", "political_theory": "so_cap"}, facts, first_planning=True) == []


def test_membership_rules_limit_and_history(org_tree, personnel, plan) -> None:  # type: ignore[no-untyped-def]
    person = qualified(org_tree.ward_a, "Nguyễn Văn Minh")
    first = services.member_propose(actor=personnel, plan=plan, candidate=person, readiness="ready_now", on=TODAY)
    assert first.order == 1 and first.status == "proposed"
    with pytest.raises(ValidationError, match="đã có trong quy hoạch"):
        services.member_propose(actor=personnel, plan=plan, candidate=person, readiness="ready_now", on=TODAY)
    # Three plans of one term at most (the rule's default), whatever the positions.
    for title in ("Phó Chủ tịch UBND phường", "Bí thư Đảng ủy phường", "Chủ tịch HĐND phường"):
        position = services.position_create(actor=personnel, organization=org_tree.ward_a, title=title, level="commune")
        other = services.plan_create(actor=personnel, position=position, term="2025-2030")
        if title != "Chủ tịch HĐND phường":
            services.member_propose(actor=personnel, plan=other, candidate=person, readiness="1_2_years", on=TODAY)
        else:
            with pytest.raises(ValidationError, match="không quá 3 chức danh"):
                services.member_propose(actor=personnel, plan=other, candidate=person, readiness="1_2_years", on=TODAY)

    with pytest.raises(ValidationError, match="số và ngày"):
        services.member_approve(actor=personnel, member=first, decision_number=" ", decision_date=TODAY)
    services.member_approve(actor=personnel, member=first, decision_number="25-QĐ/ĐU", decision_date=TODAY)
    with pytest.raises(ValidationError, match="đề xuất"):
        services.member_approve(actor=personnel, member=first, decision_number="26-QĐ/ĐU", decision_date=TODAY)
    with pytest.raises(ValidationError, match="Khác"):
        services.member_remove(actor=personnel, member=first, reason="other")
    with pytest.raises(ValidationError, match="Chọn lý do"):
        services.member_remove(actor=personnel, member=first, reason="tired")
    services.member_remove(actor=personnel, member=first, reason="transferred", note="Chuyển về Sở Tư pháp")
    first.refresh_from_db()
    assert (first.status, first.removal_reason, first.removal_note) == ("removed", "transferred",
                                                                        "Chuyển về Sở Tư pháp")
    assert list(PlanMemberEvent.objects.filter(member=first).values_list("status", flat=True)) == [
        "proposed", "approved", "removed"]
    with pytest.raises(ValidationError, match="đã được đưa ra"):
        services.member_remove(actor=personnel, member=first, reason="transferred")
    # Removed, the person may be proposed again; the removed row stays.
    again = services.member_propose(actor=personnel, plan=plan, candidate=person, readiness="1_2_years", on=TODAY)
    assert PlanMember.objects.filter(plan=plan, candidate=person).count() == 2 and again.pk != first.pk


def test_a_planner_cannot_touch_another_units_plan_nor_name_someone_unseen(org_tree, ward_personnel, personnel,  # type: ignore[no-untyped-def]
                                                                           plan) -> None:
    position = services.position_create(actor=personnel, organization=org_tree.ward_b, title="Bí thư Đoàn phường",
                                        level="youth_union")
    other_plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
    neighbour = qualified(org_tree.ward_b, "Phạm Văn Bên")
    with pytest.raises(PermissionDenied):
        services.member_propose(actor=ward_personnel, plan=other_plan, candidate=neighbour, readiness="ready_now")
    with pytest.raises(ValidationError, match="phạm vi"):
        services.member_propose(actor=ward_personnel, plan=plan, candidate=neighbour, readiness="ready_now")
    member = services.member_propose(actor=personnel, plan=other_plan, candidate=neighbour, readiness="ready_now",
                                     on=TODAY)
    with pytest.raises(PermissionDenied):
        services.member_remove(actor=ward_personnel, member=member, reason="transferred")


def test_structure_counts_live_members(org_tree, personnel, plan) -> None:  # type: ignore[no-untyped-def]
    empty = selectors.structure(plan, today=TODAY)
    assert empty["members"] == 0 and empty["young_share"] is None and len(empty["warnings"]) == 2
    young_woman = qualified(org_tree.ward_a, "Hoàng Thị Mai", gender="female", born=dt.date(1995, 1, 1))
    older = qualified(org_tree.ward_a, "Đinh Văn Lâm", born=dt.date(1983, 1, 1))  # 43: under the limit of 45
    gone = qualified(org_tree.ward_a, "Vũ Văn Đi", born=dt.date(1996, 1, 1))
    services.member_propose(actor=personnel, plan=plan, candidate=young_woman, readiness="1_2_years", on=TODAY)
    services.member_propose(actor=personnel, plan=plan, candidate=older, readiness="ready_now", on=TODAY)
    removed = services.member_propose(actor=personnel, plan=plan, candidate=gone, readiness="ready_now", on=TODAY)
    services.member_remove(actor=personnel, member=removed, reason="appointed")
    shape = selectors.structure(plan, today=TODAY)
    assert (shape["members"], shape["ready_now_count"], shape["young_share"], shape["women_share"],
            shape["minority_share"], shape["warnings"]) == (2, 1, 0.5, 0.5, 0.0, [])


def test_a_merge_moves_career_and_memberships(org_tree, personnel, admin_user, plan) -> None:  # type: ignore[no-untyped-def]
    keep = qualified(org_tree.ward_a, "Lý Thị Gộp", gender="female")
    drop = qualified(org_tree.ward_a, "Lý Thị Gộp", gender="female")
    kept = services.member_propose(actor=personnel, plan=plan, candidate=keep, readiness="ready_now", on=TODAY)
    dropped = services.member_propose(actor=personnel, plan=plan, candidate=drop, readiness="1_2_years", on=TODAY)
    talent_services.candidate_merge(keep=keep, drop=drop, actor=admin_user)
    dropped.refresh_from_db()
    assert dropped.candidate_id == keep.pk and dropped.status == "removed" and "Gộp" in dropped.removal_note
    kept.refresh_from_db()
    assert kept.status == "proposed"
    assert PositionHeld.objects.filter(candidate=keep).count() == 2


def test_a_merge_moves_rotation_plans_and_nominations(org_tree, personnel, admin_user, plan) -> None:  # type: ignore[no-untyped-def]
    from succession import rotation
    from succession.models import FastTrackNomination, FastTrackRuleSet, RotationPlan

    keep = qualified(org_tree.ward_a, "Tạ Văn Hai", gender="male")
    drop = qualified(org_tree.ward_a, "Tạ Văn Hai", gender="male")
    for person in (keep, drop):
        rotation.rotation_plan_create(actor=personnel, candidate=person, to_organization=org_tree.ward_b,
                                      to_title="Phó Chủ tịch", starts_on=dt.date(2099, 1, 1))
    rule_set = FastTrackRuleSet.objects.get(active=True)
    FastTrackNomination.objects.create(candidate=drop, position=plan.position, rule_set=rule_set, checks=[])
    talent_services.candidate_merge(keep=keep, drop=drop, actor=admin_user)
    assert sorted(RotationPlan.objects.filter(candidate=keep).values_list("status", flat=True)) == [
        "cancelled", "planned"]
    assert FastTrackNomination.objects.get().candidate_id == keep.pk
