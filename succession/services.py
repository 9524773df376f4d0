"""Writes of succession planning: positions, plans by term, and plan members' proposal, approval and
removal. Every write is audited and every status change kept (``PlanMemberEvent``); nothing is deleted.

Who: administrators and personnel officers (``PLANNERS``) create positions and plans, approve and remove,
for the organizations of their subtree; Youth Union officers may only propose people they may see. Adding a person checks the
position's standards (``succession.standards``) and refuses with the rule that fails and its source;
an administrator may record an approved exception with a reason.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit
from core.models import AuditEvent
from core.text import fold
from succession import standards
from succession.standards import active_standard
from succession.models import (
    MANAGING,
    PLANNERS,
    Box,
    Calibration,
    CalibrationMove,
    PlanMember,
    PlanMemberEvent,
    PlanReview,
    Position,
    FastTrackNomination,
    PositionHeld,
    ReviewDecision,
    RotationPlan,
    SuccessionPlan,
)
from talent.models import Candidate, Organization, Role, user_role
from talent.validators import refuse_formula

TERM = re.compile(r"^(\d{4})-(\d{4})$")


def _require_manager(actor: Any) -> None:
    """Proposing: planners and Youth Union officers."""
    if user_role(actor) not in MANAGING:
        raise PermissionDenied("Chỉ cán bộ tổ chức, cán bộ Đoàn và quản trị viên đề xuất quy hoạch.")


def _require_planner(actor: Any) -> None:
    """Positions, plans, approval, removal, reviews: administrators and personnel officers."""
    if user_role(actor) not in PLANNERS:
        raise PermissionDenied("Chỉ cán bộ tổ chức và quản trị viên quản lý quy hoạch; cán bộ Đoàn đề xuất người.")


def _require_organization(actor: Any, organization: Organization) -> None:
    if not Organization.objects.for_user(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied("Chỉ lập quy hoạch cho đơn vị mình quản lý.")


@transaction.atomic
def position_create(*, actor: Any, organization: Organization, title: str, level: str, seats: int = 1) -> Position:
    _require_planner(actor)
    _require_organization(actor, organization)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Ghi tên chức danh."})
    refuse_formula(title, "title", "Tên chức danh")
    if seats < 1:
        raise ValidationError({"seats": "Số lượng từ 1 trở lên."})
    # Compared folded in Python: SQLite's case-insensitive match folds ASCII only ("Đ" ≠ "đ").
    if any(fold(other) == fold(title) for other in Position.objects.filter(organization=organization)
           .values_list("title", flat=True)):
        raise ValidationError({"title": "Đơn vị đã có chức danh này."})
    position = Position(organization=organization, title=title, level=level, seats=seats)
    position.full_clean()
    position.save()
    audit(actor=actor, action="position.create", obj=position, changes={"organization": organization.pk})
    return position


@transaction.atomic
def plan_create(*, actor: Any, position: Position, term: str) -> SuccessionPlan:
    _require_planner(actor)
    _require_organization(actor, position.organization)
    term = (term or "").strip()
    match = TERM.match(term)
    if not match or int(match.group(2)) - int(match.group(1)) != 5:
        raise ValidationError({"term": "Nhiệm kỳ ghi theo dạng 2025-2030 (5 năm)."})
    if SuccessionPlan.objects.filter(position=position, term=term).exists():
        raise ValidationError({"term": "Chức danh này đã có quy hoạch cho nhiệm kỳ này."})
    plan = SuccessionPlan.objects.create(position=position, term=term, created_by=actor)
    audit(actor=actor, action="plan.create", obj=plan, changes={"position": position.pk, "term": plan.term})
    return plan


def _event(member: PlanMember, actor: Any, note: str = "") -> None:
    PlanMemberEvent.objects.create(member=member, status=member.status, actor=actor, note=note[:500])


@transaction.atomic
def member_propose(*, actor: Any, plan: SuccessionPlan, candidate: Candidate, readiness: str, order: int | None = None,
                   emergency: bool = False, exception_reason: str = "", on: dt.date | None = None) -> PlanMember:
    """Propose ``candidate`` for ``plan``: refused with the failing rule (and its source) when they do not
    meet the position's standards, unless an administrator records an exception with its reason."""
    _require_manager(actor)
    _require_organization(actor, plan.position.organization)
    if not Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists():
        raise ValidationError({"candidate": "Không có hồ sơ này trong phạm vi của bạn."})
    if candidate.erased_at is not None:
        raise ValidationError({"candidate": "Hồ sơ đã được ẩn danh."})
    if readiness not in dict(PlanMember._meta.get_field("readiness").choices):
        raise ValidationError({"readiness": "Mức sẵn sàng không hợp lệ."})
    live = PlanMember.objects.select_for_update().filter(candidate=candidate).exclude(status=PlanMember.Status.REMOVED)
    if live.filter(plan=plan).exists():
        raise ValidationError({"candidate": "Người này đã có trong quy hoạch chức danh này."})
    standard = active_standard(plan.position.level)
    rules = standard.rules if standard else {}
    limit = standards.rule(rules, "max_plans_per_person")
    if live.filter(plan__term=plan.term).count() >= limit:
        raise ValidationError({"candidate": f"Một người được quy hoạch không quá {limit} chức danh trong một nhiệm kỳ "
                                            f"({standard.source if standard else 'mặc định'})."})
    on = on or timezone.localdate()
    first_planning = not PlanMember.objects.filter(candidate=candidate).exists()
    failed = standards.failures(rules, standards.facts_of(candidate, on), first_planning=first_planning)
    exception_reason = (exception_reason or "").strip()
    if failed:
        if not exception_reason or user_role(actor) != Role.ADMIN:
            words = "; ".join(f["message"] for f in failed)
            hint = "" if user_role(actor) == Role.ADMIN else " Quản trị viên có thể ghi nhận ngoại lệ kèm lý do."
            raise ValidationError({"candidate": f"Chưa đạt tiêu chuẩn: {words} (theo {standard.source})." + hint},
                                  code="standards")
    elif exception_reason:
        exception_reason = ""  # nothing to waive
    if order is None:
        order = (PlanMember.objects.filter(plan=plan).exclude(status=PlanMember.Status.REMOVED).count()) + 1
    member = PlanMember.objects.create(plan=plan, candidate=candidate, readiness=readiness, order=order,
                                       emergency=emergency, proposed_by=actor, exception_reason=exception_reason,
                                       standards_failed=[f["rule"] for f in failed])
    _event(member, actor, exception_reason)
    audit(actor=actor, action="plan.propose", obj=member,
          changes={"plan": plan.pk, "candidate": candidate.pk, "readiness": readiness,
                   "exception": bool(exception_reason)})
    return member


@transaction.atomic
def member_approve(*, actor: Any, member: PlanMember, decision_number: str, decision_date: dt.date) -> PlanMember:
    _require_planner(actor)
    _require_organization(actor, member.plan.position.organization)
    if member.status != PlanMember.Status.PROPOSED:
        raise ValidationError("Chỉ phê duyệt được người đang ở trạng thái đề xuất.")
    if not (decision_number or "").strip() or decision_date is None:
        raise ValidationError({"decision_number": "Ghi số và ngày của quyết định phê duyệt quy hoạch."})
    member.status = PlanMember.Status.APPROVED
    member.decision_number, member.decision_date = decision_number.strip(), decision_date
    member.save(update_fields=["status", "decision_number", "decision_date"])
    _event(member, actor, f"{member.decision_number} ngày {decision_date:%d/%m/%Y}")
    audit(actor=actor, action="plan.approve", obj=member, changes={"plan": member.plan_id,
                                                                    "candidate": member.candidate_id})
    return member


@transaction.atomic
def member_remove(*, actor: Any, member: PlanMember, reason: str, note: str = "") -> PlanMember:
    """Take a member out of the plan with a reason from the list; the row stays in the plan's history."""
    _require_planner(actor)
    _require_organization(actor, member.plan.position.organization)
    if member.status == PlanMember.Status.REMOVED:
        raise ValidationError("Người này đã được đưa ra khỏi quy hoạch.")
    if reason not in PlanMember.RemovalReason.values:
        raise ValidationError({"reason": "Chọn lý do đưa ra khỏi quy hoạch."})
    note = (note or "").strip()
    if reason == PlanMember.RemovalReason.OTHER and not note:
        raise ValidationError({"note": "Lý do «Khác» cần ghi rõ."})
    member.status = PlanMember.Status.REMOVED
    member.removal_reason, member.removal_note = reason, note
    member.save(update_fields=["status", "removal_reason", "removal_note"])
    _event(member, actor, note or member.get_removal_reason_display())
    audit(actor=actor, action="plan.remove", obj=member, changes={"plan": member.plan_id,
                                                                   "candidate": member.candidate_id, "reason": reason})
    return member


def merge_move(keep: Candidate, drop: Candidate, actor: Any) -> None:
    """When two records of one person are merged, the dropped record's career and plan memberships follow
    the person. Where both records sit live in one plan, the kept membership stays and the dropped one is
    closed as removed ("khác": merged) — still visible in the plan's history, never deleted."""
    PositionHeld.objects.filter(candidate=drop).update(candidate=keep)
    live_plans = set(PlanMember.objects.filter(candidate=keep).exclude(status=PlanMember.Status.REMOVED)
                     .values_list("plan_id", flat=True))
    for member in PlanMember.objects.filter(candidate=drop, plan_id__in=live_plans).exclude(
            status=PlanMember.Status.REMOVED):
        member.status = PlanMember.Status.REMOVED
        member.removal_reason = PlanMember.RemovalReason.OTHER
        member.removal_note = f"Gộp vào hồ sơ #{keep.pk}"
        member.save(update_fields=["status", "removal_reason", "removal_note"])
        _event(member, actor, member.removal_note)
    PlanMember.objects.filter(candidate=drop).update(candidate=keep)
    # Rotation plans and fast-track nominations follow the person; of two unfinished rotations the kept
    # record's stands and the dropped one's is cancelled (kept, with the reason).
    unfinished = (RotationPlan.Status.PLANNED, RotationPlan.Status.STARTED)
    if RotationPlan.objects.filter(candidate=keep, status__in=unfinished).exists():
        RotationPlan.objects.filter(candidate=drop, status__in=unfinished).update(
            status=RotationPlan.Status.CANCELLED, note=f"Gộp vào hồ sơ #{keep.pk}")
    RotationPlan.objects.filter(candidate=drop).update(candidate=keep)
    FastTrackNomination.objects.filter(candidate=drop).update(candidate=keep)


# --- The yearly review (before 31/12) ------------------------------------------------------------------

@transaction.atomic
def review_open(*, actor: Any, year: int, organization: Organization | None = None) -> int:
    """Open the year's review for every plan in the actor's reach (within ``organization``) whose term
    covers the year and that has none yet; returns how many were opened."""
    _require_planner(actor)
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        raise ValidationError({"year": f"Năm rà soát từ 2000 đến {today.year}."})
    from succession.selectors import plans_to_review, term_covers

    plans = plans_to_review(actor, year)
    if organization is not None:
        _require_organization(actor, organization)
        plans = plans.filter(position__organization__path__startswith=organization.path)
    have = set(PlanReview.objects.filter(year=year, plan__in=plans).values_list("plan_id", flat=True))
    wanted = [pk for pk, term in plans.values_list("pk", "term") if pk not in have and term_covers(term, year)]
    # A second click at the same moment opens nothing twice (one review per plan and year).
    PlanReview.objects.bulk_create([PlanReview(plan_id=pk, year=year, opened_by=actor) for pk in wanted],
                                   ignore_conflicts=True)
    AuditEvent.objects.create(actor=actor, action="review.open", object_type=PlanReview._meta.label_lower, object_id="",
                              changes={"year": year, "plans": len(wanted),
                                       "organization": organization.pk if organization else None})
    return len(wanted)


def _review_member(actor: Any, review: PlanReview, member: PlanMember | None = None) -> None:
    _require_planner(actor)
    _require_organization(actor, review.plan.position.organization)
    # Read (and lock) the stored state: a page opened before the sign-off must not write after it.
    if PlanReview.objects.select_for_update().filter(pk=review.pk).values_list("status", flat=True).first() \
            == PlanReview.Status.SIGNED:
        raise ValidationError("Bản rà soát đã ký duyệt; không sửa được nữa.")
    if member is not None:
        if member.plan_id != review.plan_id:
            raise ValidationError("Người này không thuộc quy hoạch đang rà soát.")
        if member.status == PlanMember.Status.REMOVED:
            raise ValidationError("Người này đã được đưa ra khỏi quy hoạch.")


def _decide(review: PlanReview, member: PlanMember, kind: str, actor: Any, before: str = "", after: str = "",
            note: str = "") -> ReviewDecision:
    decision = ReviewDecision.objects.create(review=review, member=member, kind=kind, before=before, after=after,
                                             note=(note or "").strip()[:500], actor=actor)
    audit(actor=actor, action="review.decide", obj=member,
          changes={"review": review.pk, "kind": kind, "before": before, "after": after})
    return decision


def _previous(review: PlanReview, member: PlanMember, actor: Any) -> ReviewDecision | None:
    """The member's earlier decision in this review, undone when it changed readiness, so a corrected
    decision always starts from the readiness the review began with (and the report says so)."""
    previous = ReviewDecision.objects.filter(review=review, member=member).order_by("at", "pk").last()
    if previous is not None and previous.kind == ReviewDecision.Kind.READINESS and member.readiness != previous.before:
        member.readiness = previous.before
        member.save(update_fields=["readiness"])
        _event(member, actor, f"Rà soát {review.year}: sửa lại kết quả, mức sẵn sàng trở về như trước")
    return previous


@transaction.atomic
def review_keep(*, actor: Any, review: PlanReview, member: PlanMember, note: str = "") -> ReviewDecision:
    _review_member(actor, review, member)
    previous = _previous(review, member, actor)
    if previous is not None and previous.kind == ReviewDecision.Kind.ADDED:
        raise ValidationError("Người này được bổ sung trong lần rà soát này; có thể đổi mức sẵn sàng hoặc đưa ra.")
    return _decide(review, member, ReviewDecision.Kind.KEPT, actor, member.readiness, member.readiness, note)


@transaction.atomic
def review_set_readiness(*, actor: Any, review: PlanReview, member: PlanMember, readiness: str,
                         note: str = "") -> ReviewDecision:
    _review_member(actor, review, member)
    if readiness not in dict(PlanMember._meta.get_field("readiness").choices):
        raise ValidationError({"readiness": "Mức sẵn sàng không hợp lệ."})
    previous = _previous(review, member, actor)
    added = previous is not None and previous.kind == ReviewDecision.Kind.ADDED
    if readiness == member.readiness:
        if previous is not None and previous.kind == ReviewDecision.Kind.READINESS:
            return _decide(review, member, ReviewDecision.Kind.KEPT, actor, readiness, readiness, note)
        raise ValidationError({"readiness": "Mức sẵn sàng không đổi; hãy chọn «Giữ nguyên»."})
    before = member.readiness
    member.readiness = readiness
    member.save(update_fields=["readiness"])
    labels = dict(PlanMember._meta.get_field("readiness").choices)
    _event(member, actor, f"Rà soát {review.year}: {labels[before]} → {labels[readiness]}")
    if added:  # still an addition of this review, at its new readiness
        return _decide(review, member, ReviewDecision.Kind.ADDED, actor, "", readiness, note)
    return _decide(review, member, ReviewDecision.Kind.READINESS, actor, before, readiness, note)


@transaction.atomic
def review_remove(*, actor: Any, review: PlanReview, member: PlanMember, reason: str, note: str = "") -> ReviewDecision:
    _review_member(actor, review, member)
    _previous(review, member, actor)
    before = member.readiness
    member_remove(actor=actor, member=member, reason=reason, note=note)
    return _decide(review, member, ReviewDecision.Kind.REMOVED, actor, before, reason, note)


@transaction.atomic
def review_add(*, actor: Any, review: PlanReview, candidate: Candidate, readiness: str, emergency: bool = False,
               exception_reason: str = "") -> ReviewDecision:
    _review_member(actor, review)
    member = member_propose(actor=actor, plan=review.plan, candidate=candidate, readiness=readiness,
                            emergency=emergency, exception_reason=exception_reason)
    return _decide(review, member, ReviewDecision.Kind.ADDED, actor, "", readiness)


@transaction.atomic
def review_sign(*, actor: Any, review: PlanReview, note: str = "") -> PlanReview:
    """Sign the review off once every live member has a decision; the outcome is kept as a snapshot."""
    from succession.selectors import review_snapshot

    review = PlanReview.objects.select_for_update().get(pk=review.pk)
    _review_member(actor, review)
    live = list(review.plan.members.exclude(status=PlanMember.Status.REMOVED).select_related("candidate"))
    decided = set(review.decisions.values_list("member_id", flat=True))
    waiting = [m.candidate.full_name for m in live if m.pk not in decided]
    if waiting:
        raise ValidationError(f"Còn {len(waiting)} người chưa được rà soát: {', '.join(waiting[:5])}"
                              f"{'…' if len(waiting) > 5 else ''}.")
    review.status = PlanReview.Status.SIGNED
    review.signed_by, review.signed_at, review.note = actor, timezone.now(), (note or "").strip()[:1000]
    review.snapshot = review_snapshot(review)
    review.save(update_fields=["status", "signed_by", "signed_at", "note", "snapshot"])
    audit(actor=actor, action="review.sign", obj=review, changes={"plan": review.plan_id, "year": review.year})
    return review


# --- 9-box calibration -----------------------------------------------------------------------------------

def _calibration_scope(actor: Any, plan: SuccessionPlan) -> None:
    _require_planner(actor)
    _require_organization(actor, plan.position.organization)


@transaction.atomic
def calibration_open(*, actor: Any, plan: SuccessionPlan, title: str = "") -> Calibration:
    """Open a calibration session for the plan's 9-box (one open at a time per plan)."""
    _calibration_scope(actor, plan)
    if Calibration.objects.filter(plan=plan, status=Calibration.Status.OPEN).exists():
        raise ValidationError("Quy hoạch này đang có một phiên hiệu chỉnh chưa chốt.")
    title = (title or "").strip()[:200] or f"Hiệu chỉnh ngày {timezone.localdate():%d/%m/%Y}"
    try:
        with transaction.atomic():
            calibration = Calibration.objects.create(plan=plan, title=title, created_by=actor)
    except IntegrityError:  # another session was opened at the same moment
        raise ValidationError("Quy hoạch này đang có một phiên hiệu chỉnh chưa chốt.") from None
    audit(actor=actor, action="ninebox.open", obj=calibration, changes={"plan": plan.pk})
    return calibration


@transaction.atomic
def calibration_move(*, actor: Any, calibration: Calibration, member: PlanMember, performance: str, potential: str,
                     reason: str) -> CalibrationMove:
    """Move one member to another box, with the committee's reason; audited."""
    from succession import ninebox

    calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
    _calibration_scope(actor, calibration.plan)
    if calibration.status != Calibration.Status.OPEN:
        raise ValidationError("Phiên hiệu chỉnh đã chốt; mở phiên mới để điều chỉnh tiếp.")
    if member.plan_id != calibration.plan_id or member.status == PlanMember.Status.REMOVED:
        raise ValidationError("Người này không có trong quy hoạch đang hiệu chỉnh.")
    if performance not in Box.values or potential not in Box.values:
        raise ValidationError("Ô không hợp lệ.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Ghi lý do điều chỉnh."})
    now = next((p for p in ninebox.apply_moves(ninebox.placements(calibration.plan), ninebox.moves_of(calibration.plan))
                if p["member"] == member.pk), None)
    if now is None:
        raise ValidationError("Người này không có trong quy hoạch đang hiệu chỉnh.")
    if (now["performance"], now["potential"]) == (performance, potential):
        raise ValidationError("Người này đã ở ô đó.")
    move = CalibrationMove.objects.create(calibration=calibration, member=member, from_performance=now["performance"],
                                          from_potential=now["potential"], to_performance=performance,
                                          to_potential=potential, reason=reason[:500], actor=actor)
    audit(actor=actor, action="ninebox.move", obj=member,
          changes={"calibration": calibration.pk, "from": [now["performance"], now["potential"]],
                   "to": [performance, potential]})
    return move


@transaction.atomic
def calibration_close(*, actor: Any, calibration: Calibration) -> Calibration:
    """Close the session; the final grid is kept as its snapshot."""
    from succession import ninebox

    calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
    _calibration_scope(actor, calibration.plan)
    if calibration.status != Calibration.Status.OPEN:
        raise ValidationError("Phiên hiệu chỉnh đã chốt.")
    people = ninebox.apply_moves(ninebox.placements(calibration.plan), ninebox.moves_of(calibration.plan))
    calibration.snapshot = [{**cell, "members": [{k: p[k] for k in ("member", "candidate", "name", "moved", "reason")}
                                                 for p in cell["members"]]} for cell in ninebox.grid(people)]
    calibration.status = Calibration.Status.CLOSED
    calibration.closed_by, calibration.closed_at = actor, timezone.now()
    calibration.save(update_fields=["snapshot", "status", "closed_by", "closed_at"])
    audit(actor=actor, action="ninebox.close", obj=calibration, changes={"plan": calibration.plan_id,
                                                                          "moves": calibration.moves.count()})
    return calibration
