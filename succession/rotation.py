"""Rotation plans and fast-track nominations (writes, and the fast-track check they rest on).

- A rotation plan records from → to, dates and status (planned → started → done; cancelled before it
  starts). Starting it closes the cadre's current post the day before and opens the new one in their career
  (how: luân chuyển), so years in post and rotation due follow by themselves.
- A fast-track nomination (bổ nhiệm vượt cấp) checks the active ``FastTrackRuleSet`` — excellent annual
  rating in each of the last N years, a leadership-skills course, the target position's standards — and is
  recorded only when every criterion is met; a refusal names each one that fails.

Planners (administrators, personnel officers) only, for people and units in their subtree; audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from succession import standards
from succession.models import PLANNERS, FastTrackNomination, FastTrackRuleSet, Position, PositionHeld, RotationPlan
from talent.models import AnnualRating, Candidate, Organization, Training, user_role


def _require(actor: Any, candidate: Candidate, *units: Organization) -> None:
    if user_role(actor) not in PLANNERS:
        raise PermissionDenied("Chỉ cán bộ tổ chức và quản trị viên lập kế hoạch luân chuyển, đề xuất bổ nhiệm.")
    if not Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists():
        raise ValidationError({"candidate": "Không có hồ sơ này trong phạm vi của bạn."})
    visible = set(Organization.objects.for_user(actor).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
    if any(u.pk not in visible for u in units):
        raise PermissionDenied("Chỉ luân chuyển đến đơn vị mình quản lý.")


@transaction.atomic
def rotation_plan_create(*, actor: Any, candidate: Candidate, to_organization: Organization, to_title: str,
                         starts_on: dt.date, ends_on: dt.date | None = None, to_position: Position | None = None,
                         note: str = "") -> RotationPlan:
    _require(actor, candidate, to_organization)
    current = PositionHeld.objects.filter(candidate=candidate, ended_on__isnull=True).order_by("-started_on").first()
    if current is None:
        raise ValidationError({"candidate": "Người này chưa có chức vụ hiện tại trong quá trình công tác."})
    to_title = (to_title or "").strip()
    if not to_title:
        raise ValidationError({"to_title": "Ghi chức vụ đến."})
    if starts_on <= current.started_on:
        raise ValidationError({"starts_on": f"Ngày bắt đầu phải sau ngày nhận chức vụ hiện tại "
                                            f"({current.started_on:%d/%m/%Y})."})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "Ngày kết thúc không trước ngày bắt đầu."})
    if to_organization.pk == current.organization_id and to_title.casefold() == current.title.casefold():
        raise ValidationError({"to_title": "Đơn vị và chức vụ đến trùng với chức vụ hiện tại."})
    if RotationPlan.objects.filter(candidate=candidate, status__in=(RotationPlan.Status.PLANNED,
                                                                    RotationPlan.Status.STARTED)).exists():
        raise ValidationError({"candidate": "Người này đã có một kế hoạch luân chuyển chưa hoàn thành."})
    if to_position is None:  # the title of one of the unit's positions: the person becomes its incumbent
        to_position = next((p for p in Position.objects.filter(organization=to_organization)
                            if p.title.casefold() == to_title.casefold()), None)
    rotation = RotationPlan.objects.create(candidate=candidate, from_organization=current.organization,
                                           from_title=current.title, to_organization=to_organization,
                                           to_title=to_title[:255], to_position=to_position, starts_on=starts_on,
                                           ends_on=ends_on, note=(note or "").strip()[:500], created_by=actor)
    audit(actor=actor, action="rotation.plan", obj=rotation, changes={"candidate": candidate.pk,
                                                                      "to": to_organization.pk})
    return rotation


def _transition(actor: Any, rotation: RotationPlan, allowed: tuple[str, ...], to: str) -> RotationPlan:
    rotation = RotationPlan.objects.select_for_update().select_related("candidate", "to_organization").get(pk=rotation.pk)
    _require(actor, rotation.candidate, rotation.to_organization)
    if rotation.status not in allowed:
        raise ValidationError(f"Kế hoạch đang ở trạng thái «{rotation.get_status_display()}».")
    rotation.status = to
    return rotation


@transaction.atomic
def rotation_start(*, actor: Any, rotation: RotationPlan) -> RotationPlan:
    """The cadre takes up the new post: the current one ends the day before, the new one opens. Not before
    the planned start day (a post that begins in the future would make years in post negative)."""
    rotation = _transition(actor, rotation, (RotationPlan.Status.PLANNED,), RotationPlan.Status.STARTED)
    if rotation.starts_on > timezone.localdate():
        raise ValidationError(f"Kế hoạch bắt đầu từ ngày {rotation.starts_on:%d/%m/%Y}; chưa thể bắt đầu luân chuyển.")
    current = PositionHeld.objects.filter(candidate=rotation.candidate, ended_on__isnull=True).order_by("-started_on")
    for post in current:
        if post.started_on >= rotation.starts_on:
            raise ValidationError("Chức vụ hiện tại bắt đầu không trước ngày luân chuyển; sửa quá trình công tác trước.")
        post.ended_on = rotation.starts_on - dt.timedelta(days=1)
        post.save(update_fields=["ended_on"])
    PositionHeld.objects.create(candidate=rotation.candidate, organization=rotation.to_organization,
                                title=rotation.to_title, position=rotation.to_position, started_on=rotation.starts_on,
                                how=PositionHeld.How.ROTATED)
    rotation.save(update_fields=["status"])
    audit(actor=actor, action="rotation.start", obj=rotation, changes={"candidate": rotation.candidate_id})
    return rotation


@transaction.atomic
def rotation_finish(*, actor: Any, rotation: RotationPlan, ends_on: dt.date | None = None) -> RotationPlan:
    """The rotation's term is over. The post it opened stays the cadre's current one until their next post
    is recorded (another rotation, an appointment, a cadre list): finishing does not guess where they go."""
    rotation = _transition(actor, rotation, (RotationPlan.Status.STARTED,), RotationPlan.Status.DONE)
    rotation.ends_on = ends_on or rotation.ends_on or timezone.localdate()
    if rotation.ends_on < rotation.starts_on:
        raise ValidationError({"ends_on": "Ngày kết thúc không trước ngày bắt đầu."})
    rotation.save(update_fields=["status", "ends_on"])
    audit(actor=actor, action="rotation.finish", obj=rotation, changes={"candidate": rotation.candidate_id})
    return rotation


@transaction.atomic
def rotation_cancel(*, actor: Any, rotation: RotationPlan, note: str = "") -> RotationPlan:
    """A planned rotation that will not happen (one that has started is finished instead)."""
    rotation = _transition(actor, rotation, (RotationPlan.Status.PLANNED,), RotationPlan.Status.CANCELLED)
    rotation.note = ((note or "").strip() or rotation.note)[:500]
    rotation.save(update_fields=["status", "note"])
    audit(actor=actor, action="rotation.cancel", obj=rotation, changes={"candidate": rotation.candidate_id})
    return rotation


# --- Fast-track -------------------------------------------------------------------------------------------

def active_fast_track_rules() -> FastTrackRuleSet | None:
    return FastTrackRuleSet.objects.filter(active=True).first()


def fast_track_checks(candidate: Candidate, position: Position, on: dt.date | None = None,
                      rule_set: FastTrackRuleSet | None = None) -> list[dict[str, Any]]:
    """Each criterion of the active rule set with whether ``candidate`` meets it and why."""
    on = on or timezone.localdate()
    rule_set = rule_set or active_fast_track_rules()
    rules = rule_set.rules if rule_set else {}
    out = []
    years = int(rules.get("excellent_years") or 0)
    if years:
        wanted = list(range(on.year - years, on.year))
        got = dict(AnnualRating.objects.filter(candidate=candidate, year__in=wanted).values_list("year", "rating"))
        missing = [y for y in wanted if got.get(y) != AnnualRating.Rating.EXCELLENT]
        out.append({"rule": "excellent_years", "passed": not missing,
                    "message": f"Hoàn thành xuất sắc nhiệm vụ {years} năm liền ({', '.join(map(str, wanted))})",
                    "detail": "" if not missing else "Chưa đạt năm " + ", ".join(map(str, missing))})
    if rules.get("leadership_training"):
        done = Training.objects.filter(candidate=candidate, kind=Training.Kind.LEADERSHIP).order_by("-completed_on").first()
        out.append({"rule": "leadership_training", "passed": done is not None,
                    "message": "Đã bồi dưỡng kỹ năng lãnh đạo, quản lý",
                    "detail": f"{done.title} ({done.completed_on:%m/%Y})" if done else "Chưa có khoá nào"})
    if rules.get("position_standards"):
        standard = standards.active_standard(position.level)
        failed = standards.failures(standard.rules if standard else {}, standards.facts_of(candidate, on),
                                    first_planning=False)
        out.append({"rule": "position_standards", "passed": not failed,
                    "message": f"Đạt tiêu chuẩn chức danh {position.title}",
                    "detail": "; ".join(f["message"] for f in failed)})
    return out


@transaction.atomic
def fast_track_nominate(*, actor: Any, candidate: Candidate, position: Position, note: str = "") -> FastTrackNomination:
    _require(actor, candidate, position.organization)
    rule_set = active_fast_track_rules()
    if rule_set is None:
        raise ValidationError("Chưa có bộ tiêu chí bổ nhiệm vượt cấp đang áp dụng.")
    checks = fast_track_checks(candidate, position, rule_set=rule_set)
    failed = [c for c in checks if not c["passed"]]
    if failed:
        raise ValidationError("Chưa đủ tiêu chí bổ nhiệm vượt cấp: " + "; ".join(
            f"{c['message']} ({c['detail']})" if c["detail"] else c["message"] for c in failed)
            + f" (theo {rule_set.source}).", code="fast_track")
    nomination = FastTrackNomination.objects.create(candidate=candidate, position=position, rule_set=rule_set,
                                                    checks=checks, note=(note or "").strip()[:500], proposed_by=actor)
    audit(actor=actor, action="fasttrack.nominate", obj=nomination,
          changes={"candidate": candidate.pk, "position": position.pk, "rules": rule_set.version})
    return nomination
