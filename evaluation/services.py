"""Writes of evaluation: cycles (create, open, close, finalize), who rates whom, and one rater's points.

Who: administrators and personnel officers run the cycles of their subtree; a rater submits only for the
people assigned to them, once, while the cycle is open and before its deadline (400 otherwise; 403 for
someone who is not that person's rater). Every write is audited (the points themselves are not copied
into the audit log: it says who rated whom, as what, when). Finalizing a yearly cycle writes each
person's ``talent.AnnualRating`` for the year — the single rating the rest of the product reads.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit
from core.notifications import notify
from evaluation import scoring, tally
from evaluation.models import (
    RUNNERS,
    Evaluation,
    EvaluationCycle,
    EvaluationForm,
    EvaluationResult,
    RaterAssignment,
)
from talent.models import AnnualRating, Candidate, Organization, Stage, user_organization, user_role

PERIOD = {EvaluationCycle.Kind.MONTHLY: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
          EvaluationCycle.Kind.YEARLY: re.compile(r"^(\d{4})$")}
CADRE_STAGES = (Stage.RECRUITED, Stage.PLANNING, Stage.APPOINTED)
ASSIGNMENT_COUNTS = ("assigned_count", "people_count")


def _require_runner(actor: Any, organization: Organization) -> None:
    if user_role(actor) not in RUNNERS:
        raise PermissionDenied("Chỉ cán bộ tổ chức và quản trị viên tổ chức kỳ đánh giá.")
    if not Organization.objects.for_user(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied("Đơn vị này nằm ngoài phạm vi quản lý của bạn.")


@transaction.atomic
def cycle_create(*, actor: Any, kind: str, period: str, organization: Organization, deadline: dt.date) -> EvaluationCycle:
    _require_runner(actor, organization)
    period = (period or "").strip()
    pattern = PERIOD.get(kind)
    if pattern is None:
        raise ValidationError({"kind": "Loại kỳ đánh giá là hằng tháng hoặc hằng năm."})
    if not pattern.match(period):
        raise ValidationError({"period": "Kỳ ghi theo dạng 2026-11 (tháng) hoặc 2026 (năm)."})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": "Hạn đánh giá không trước hôm nay."})
    form = EvaluationForm.objects.filter(active=True).first()
    if form is None:
        raise ValidationError("Chưa có phiếu đánh giá đang áp dụng.")
    if EvaluationCycle.objects.filter(organization=organization, kind=kind, period=period).exists():
        raise ValidationError({"period": "Đơn vị đã có kỳ đánh giá này."})
    cycle = EvaluationCycle.objects.create(kind=kind, period=period, organization=organization, form=form,
                                           deadline=deadline, created_by=actor)
    audit(actor=actor, action="evaluation.cycle.create", obj=cycle, changes={"kind": kind, "period": period})
    return cycle


def _require_cycle_runner(actor: Any, cycle: EvaluationCycle, *states: str) -> EvaluationCycle:
    cycle = EvaluationCycle.objects.select_for_update().select_related("organization", "form").get(pk=cycle.pk)
    _require_runner(actor, cycle.organization)
    if states and cycle.status not in states:
        raise ValidationError(f"Kỳ đánh giá đang ở trạng thái «{cycle.get_status_display()}».")
    return cycle


@transaction.atomic
def assign(*, actor: Any, cycle: EvaluationCycle, candidate: Candidate, rater: Any, rater_as: str) -> RaterAssignment:
    """``rater`` rates ``candidate`` in ``cycle`` as ``rater_as``: the person themselves for "self", anyone
    else for the other kinds; the person must belong to the cycle's unit."""
    cycle = _require_cycle_runner(actor, cycle, EvaluationCycle.Status.DRAFT, EvaluationCycle.Status.OPEN)
    if rater_as not in RaterAssignment.As.values:
        raise ValidationError({"rater_as": "Vai trò đánh giá không hợp lệ."})
    if not candidate.organization.path.startswith(cycle.organization.path) or candidate.erased_at is not None:
        raise ValidationError({"candidate": "Người này không thuộc đơn vị của kỳ đánh giá."})
    own = candidate.user_id is not None and candidate.user_id == rater.pk
    if (rater_as == RaterAssignment.As.SELF) != own:
        raise ValidationError({"rater": "Tự đánh giá là của chính người đó; người khác không tự đánh giá thay."})
    if not getattr(rater, "is_active", False):
        raise ValidationError({"rater": "Tài khoản người đánh giá không hoạt động."})
    # A rater other than the person comes from a unit the runner manages: the sheet shows them who is rated.
    home = user_organization(rater)
    if not own and (home is None or not Organization.objects.for_user(actor).filter(pk=home.pk).exists()):
        raise ValidationError({"rater": "Người đánh giá phải thuộc một đơn vị trong phạm vi của bạn."})
    try:
        with transaction.atomic():
            assignment = RaterAssignment.objects.create(cycle=cycle, candidate=candidate, rater=rater, rater_as=rater_as)
    except IntegrityError:
        raise ValidationError({"rater": "Người này đã được phân công đánh giá người đó trong kỳ."}) from None
    tally.recount([cycle.pk], fields=ASSIGNMENT_COUNTS)
    audit(actor=actor, action="evaluation.assign", obj=cycle,
          changes={"candidate": candidate.pk, "rater": rater.pk, "as": rater_as})
    return assignment


@transaction.atomic
def unassign(*, actor: Any, assignment: RaterAssignment) -> None:
    """Take a rater off a person while the cycle is in draft or open, as long as they have not sent that
    person's sheet (a sent sheet is part of the record and stays)."""
    cycle = _require_cycle_runner(actor, assignment.cycle, EvaluationCycle.Status.DRAFT, EvaluationCycle.Status.OPEN)
    # The row locked first: a sheet being sent holds it, and is then seen below.
    assignment = RaterAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if assignment is None:
        raise ValidationError("Phân công này đã được bỏ.")
    if Evaluation.objects.filter(cycle=cycle, candidate_id=assignment.candidate_id, rater_id=assignment.rater_id).exists():
        raise ValidationError("Người đánh giá đã gửi phiếu cho người này; phiếu đã gửi được giữ nguyên.")
    changes = {"candidate": assignment.candidate_id, "rater": assignment.rater_id, "as": assignment.rater_as,
               "removed": True}
    assignment.delete()
    tally.recount([cycle.pk], fields=ASSIGNMENT_COUNTS)
    audit(actor=actor, action="evaluation.assign", obj=cycle, changes=changes)


@transaction.atomic
def assign_defaults(*, actor: Any, cycle: EvaluationCycle) -> int:
    """Every cadre of the cycle's unit rates themselves (when they have an account) and is rated by the
    runner as the committee; managers and peers are assigned one by one. Returns the assignments made."""
    cycle = _require_cycle_runner(actor, cycle, EvaluationCycle.Status.DRAFT, EvaluationCycle.Status.OPEN)
    cadres = Candidate.objects.active().filter(organization__path__startswith=cycle.organization.path,
                                               stage__in=CADRE_STAGES)
    have = set(RaterAssignment.objects.filter(cycle=cycle).values_list("candidate_id", "rater_id"))
    rows = []
    for pk, user_id in cadres.values_list("pk", "user_id"):
        if user_id and (pk, user_id) not in have:
            rows.append(RaterAssignment(cycle=cycle, candidate_id=pk, rater_id=user_id, rater_as="self"))
        if (pk, actor.pk) not in have:
            rows.append(RaterAssignment(cycle=cycle, candidate_id=pk, rater=actor, rater_as="committee"))
    RaterAssignment.objects.bulk_create(rows, ignore_conflicts=True)
    tally.recount([cycle.pk], fields=ASSIGNMENT_COUNTS)
    audit(actor=actor, action="evaluation.assign", obj=cycle, changes={"defaults": len(rows)})
    return len(rows)


@transaction.atomic
def cycle_open(*, actor: Any, cycle: EvaluationCycle) -> EvaluationCycle:
    """Open the cycle: each rater gets a line on the bell with the deadline."""
    cycle = _require_cycle_runner(actor, cycle, EvaluationCycle.Status.DRAFT)
    raters = list(RaterAssignment.objects.filter(cycle=cycle).values_list("rater_id", flat=True).distinct())
    if not raters:
        raise ValidationError("Chưa phân công ai đánh giá trong kỳ này.")
    cycle.status = EvaluationCycle.Status.OPEN
    cycle.save(update_fields=["status"])
    notify(users=raters, kind=f"evaluation.open.{cycle.pk}",
           title=f"Đánh giá {cycle.get_kind_display().lower()} {cycle.period}: hạn {cycle.deadline:%d/%m/%Y}",
           body=cycle.organization.name, url=f"/evaluations/{cycle.pk}/")
    audit(actor=actor, action="evaluation.cycle.open", obj=cycle, changes={"raters": len(raters)})
    return cycle


@transaction.atomic
def cycle_close(*, actor: Any, cycle: EvaluationCycle) -> EvaluationCycle:
    cycle = _require_cycle_runner(actor, cycle, EvaluationCycle.Status.OPEN)
    cycle.status = EvaluationCycle.Status.CLOSED
    cycle.save(update_fields=["status"])
    audit(actor=actor, action="evaluation.cycle.close", obj=cycle, changes={})
    return cycle


@transaction.atomic
def evaluation_submit(*, user: Any, cycle: EvaluationCycle, candidate: Candidate, scores: dict[str, Any],
                      comment: str = "") -> Evaluation:
    """One rater's points for one person: once, while the cycle is open and not past its deadline."""
    cycle = EvaluationCycle.objects.select_related("form").get(pk=cycle.pk)
    # Locked, so a runner taking this rater off meanwhile waits for the sheet (and then keeps it).
    assignment = RaterAssignment.objects.select_for_update().filter(cycle=cycle, candidate=candidate,
                                                                    rater=user).first()
    if assignment is None:
        raise PermissionDenied("Bạn không được phân công đánh giá người này trong kỳ.")
    if cycle.status != EvaluationCycle.Status.OPEN or cycle.past_deadline():
        raise ValidationError("Kỳ đánh giá đã đóng hoặc đã quá hạn; không nhận thêm phiếu.")
    try:
        clean = scoring.check_scores(scores or {}, cycle.form.groups)
    except ValueError as exc:
        raise ValidationError({"scores": str(exc)}) from None
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(cycle=cycle, candidate=candidate, rater=user,
                                                   rater_as=assignment.rater_as, scores=clean,
                                                   comment=(comment or "").strip()[:1000])
    except IntegrityError:
        raise ValidationError("Bạn đã gửi phiếu đánh giá người này; phiếu đã gửi không sửa được.") from None
    tally.sheet_sent(cycle.pk)
    audit(actor=user, action="evaluation.submit", obj=cycle,
          changes={"candidate": candidate.pk, "as": assignment.rater_as})
    return evaluation


@transaction.atomic
def cycle_finalize(*, actor: Any, cycle: EvaluationCycle, note: str = "",
                   disciplined: list[int] | None = None, comments: dict[int, str] | None = None) -> EvaluationCycle:
    """The committee fixes the results (the cycle must be closed), with a note on the cycle and a comment
    on each person who needs one (the person sees theirs). A yearly cycle's results become each person's
    annual rating for the year; a disciplined person is "không hoàn thành" whatever the points."""
    from evaluation.selectors import results

    cycle = _require_cycle_runner(actor, cycle, EvaluationCycle.Status.CLOSED)
    marked = set(disciplined or [])
    rows = results(cycle, disciplined=marked)
    people = {r["candidate"] for r in rows}
    if marked - people:
        raise ValidationError({"disciplined": "Mã hồ sơ không thuộc kỳ đánh giá: "
                                              + ", ".join(str(pk) for pk in sorted(marked - people)) + "."})
    said = {int(pk): " ".join(str(text or "").split())[:1000] for pk, text in (comments or {}).items()}
    if set(said) - people:
        raise ValidationError({"comments": "Có nhận xét cho người không thuộc kỳ đánh giá."})
    EvaluationResult.objects.filter(cycle=cycle).delete()
    EvaluationResult.objects.bulk_create([EvaluationResult(
        cycle=cycle, candidate_id=r["candidate"], total=Decimal(str(r["total"] or 0)), rating=r["rating"],
        contributions=r["contributions"], rater_count=r["rater_count"], disciplined=r["candidate"] in marked,
        comment=said.get(r["candidate"], "")) for r in rows])
    tally.recount([cycle.pk], fields=("rating_counts",))
    cycle.refresh_from_db(fields=["rating_counts"])
    if cycle.kind == EvaluationCycle.Kind.YEARLY:
        for r in rows:
            if r["total"] is None and r["candidate"] not in marked:
                continue  # nobody rated them: no rating is made up
            AnnualRating.objects.update_or_create(candidate_id=r["candidate"], year=cycle.year, defaults={
                "rating": r["rating"], "disciplined": r["candidate"] in marked})
    cycle.status = EvaluationCycle.Status.FINALIZED
    cycle.note = (note or "").strip()[:1000]
    cycle.finalized_by, cycle.finalized_at = actor, timezone.now()
    cycle.save(update_fields=["status", "note", "finalized_by", "finalized_at"])
    audit(actor=actor, action="evaluation.cycle.finalize", obj=cycle,
          changes={"people": len(rows), "disciplined": sorted(marked),
                   "comments": sorted(pk for pk, text in said.items() if text)})
    return cycle


# --- Quantified tasks of a monthly cycle ---------------------------------------------------------------

def _require_task_manager(actor: Any, cycle: EvaluationCycle, candidate: Candidate) -> None:
    """The cycle's runners, or the person's direct manager in the cycle."""
    manager = RaterAssignment.objects.filter(cycle=cycle, candidate=candidate, rater=actor,
                                             rater_as=RaterAssignment.As.MANAGER).exists()
    if not manager:
        _require_runner(actor, cycle.organization)
    if cycle.kind != EvaluationCycle.Kind.MONTHLY:
        raise ValidationError("Nhiệm vụ lượng hóa thuộc kỳ đánh giá hằng tháng.")
    if cycle.status == EvaluationCycle.Status.FINALIZED:
        raise ValidationError("Kỳ đánh giá đã chốt kết quả.")


@transaction.atomic
def task_add(*, actor: Any, cycle: EvaluationCycle, candidate: Candidate, title: str, due_on: dt.date) -> Any:
    from evaluation.models import EvaluationTask

    cycle = EvaluationCycle.objects.select_related("organization").get(pk=cycle.pk)
    _require_task_manager(actor, cycle, candidate)
    if not RaterAssignment.objects.filter(cycle=cycle, candidate=candidate).exists():
        raise ValidationError({"candidate": "Người này không có trong kỳ đánh giá."})
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Ghi rõ nhiệm vụ."})
    year, month = int(cycle.period[:4]), int(cycle.period[5:7])
    if (due_on.year, due_on.month) != (year, month):
        raise ValidationError({"due_on": f"Thời hạn trong tháng {month:02d}/{year} của kỳ đánh giá."})
    task = EvaluationTask.objects.create(cycle=cycle, candidate=candidate, title=title[:300], due_on=due_on,
                                         assigned_by=actor)
    audit(actor=actor, action="evaluation.task", obj=cycle, changes={"candidate": candidate.pk, "task": task.pk})
    return task


@transaction.atomic
def task_mark(*, actor: Any, task: Any, status: str) -> Any:
    from evaluation.models import EvaluationTask

    task = EvaluationTask.objects.select_for_update().select_related("cycle__organization", "candidate").get(pk=task.pk)
    _require_task_manager(actor, task.cycle, task.candidate)
    if status not in EvaluationTask.Status.values or status == EvaluationTask.Status.PENDING:
        raise ValidationError({"status": "Kết quả là hoàn thành đúng hạn, hoàn thành chậm hoặc không hoàn thành."})
    task.status = status
    task.save(update_fields=["status"])
    audit(actor=actor, action="evaluation.task", obj=task.cycle, changes={"task": task.pk, "status": status})
    return task


def merge_move(keep: Candidate, drop: Candidate, actor: Any) -> None:
    """Two records of one person merged: their assignments, sheets, results and tasks follow the person.
    Where both records were rated in one cycle by the same rater (or have a result in it), the kept
    record's stands."""
    from evaluation.models import EvaluationTask

    for model, key in ((RaterAssignment, ("cycle_id", "rater_id")), (Evaluation, ("cycle_id", "rater_id")),
                       (EvaluationResult, ("cycle_id",))):
        kept = set(model.objects.filter(candidate=keep).values_list(*key))
        for row in model.objects.filter(candidate=drop):
            if tuple(getattr(row, k) for k in key) in kept:
                row.delete()
        model.objects.filter(candidate=drop).update(candidate=keep)
    EvaluationTask.objects.filter(candidate=drop).update(candidate=keep)
    touched = sorted(set(RaterAssignment.objects.filter(candidate=keep).values_list("cycle_id", flat=True))
                     | set(EvaluationResult.objects.filter(candidate=keep).values_list("cycle_id", flat=True)))
    # The cycles locked (in id order) so a sheet sent meanwhile is counted after the recount, not lost in it.
    list(EvaluationCycle.objects.select_for_update().filter(pk__in=touched).order_by("pk").values_list("pk"))
    tally.recount(touched)
