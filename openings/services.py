"""Writes of openings: positions, the shortlist board, ratings and notes, placements and mentor feedback.

Outcomes move the candidate's pipeline through ``talent.services.candidate_advance_by_outcome``
(shortlisting → shortlisted, an internship start → placement, hired → recruited), so every move is in
the stage history with the recruiter who decided it. Candidates are told in-app (live bell) and by email.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.notifications import notify
from openings.models import (
    ENDS_WITH_REASON,
    FEEDBACK_CRITERIA,
    FORWARD_STAGES,
    MentorFeedback,
    Opening,
    Placement,
    ShortlistEntry,
    ShortlistMove,
    ShortlistNote,
    ShortlistRating,
    ShortlistStage,
    Target,
)
from talent.models import Candidate, Organization, Role, Stage, user_organization, user_role
from talent.services import candidate_advance_by_outcome
from talent.validators import formula_refusal

logger = logging.getLogger(__name__)
OPENING_ROLES = (Role.ADMIN, Role.RECRUITER, Role.OFFICER, Role.LIAISON)


def may_manage_opening(user: Any, opening: Opening) -> bool:
    return Opening.objects.managed_by(user).filter(pk=opening.pk).exists()


def _require_manager(user: Any, opening: Opening) -> None:
    if not may_manage_opening(user, opening):
        raise PermissionDenied("Chỉ cơ quan đăng vị trí này được quản lý danh sách ngắn.")


@transaction.atomic
def opening_create(*, actor: Any, title: str, kind: str, slots: int, agency: Organization | None = None,
                   **fields: Any) -> Opening:
    """An agency publishes a job or an internship; a recruiter's agency is their own organization."""
    role = user_role(actor) if actor is not None else Role.ADMIN
    if role not in OPENING_ROLES:
        raise PermissionDenied("Chỉ cán bộ tuyển dụng, cán bộ Đoàn và quản trị viên được đăng vị trí.")
    agency = agency or (user_organization(actor) if actor is not None else None)
    errors: dict[str, str] = {}
    if agency is None:
        errors["agency"] = "Hãy chọn cơ quan."
    elif actor is not None and role != Role.ADMIN and not Organization.objects.filter(
            pk=agency.pk, path__startswith=getattr(user_organization(actor), "path", "\0")).exists():
        errors["agency"] = "Không có cơ quan này."
    if not (title or "").strip():
        errors["title"] = "Hãy nhập tên vị trí."
    elif formula_refusal(title, "Tên vị trí"):
        errors["title"] = formula_refusal(title, "Tên vị trí")
    if kind not in Opening.Kind.values:
        errors["kind"] = "Loại phải là việc làm (job) hoặc thực tập (internship)."
    try:
        slots = int(slots)
    except (TypeError, ValueError):
        slots = 0
    if slots < 1:
        errors["slots"] = "Số chỉ tiêu phải từ 1 trở lên."
    reveal = fields.get("reveal_names_at", "")
    if reveal and reveal not in ShortlistStage.values:
        errors["reveal_names_at"] = "Vòng không hợp lệ."
    level = fields.get("language_level")
    if level not in (None, "") and not 1 <= int(level) <= 6:
        errors["language_level"] = "Bậc ngoại ngữ từ 1 đến 6."
    if errors:
        raise ValidationError(errors)
    opening = Opening.objects.create(title=title.strip(), kind=kind, slots=slots, agency=agency,
                                     created_by=actor if getattr(actor, "pk", None) else None, **fields)
    audit(actor=actor, action="opening.create", obj=opening, changes={"title": opening.title, "kind": kind})
    return opening


@transaction.atomic
def opening_close(*, opening: Opening, actor: Any) -> Opening:
    _require_manager(actor, opening)
    opening.status = Opening.Status.CLOSED
    opening.save(update_fields=["status"])
    audit(actor=actor, action="opening.close", obj=opening, changes={})
    return opening


def _tell(candidate: Candidate, *, kind: str, title: str, url: str) -> None:
    """In-app (live bell) and by email, after the commit; a mail failure never undoes the decision."""
    if candidate.user_id:
        notify(users=[candidate.user_id], kind=kind, title=title, url=url)
    if candidate.email:
        def send() -> None:
            try:
                send_mail(title, f"{title}\n\nXem chi tiết trong Young Talent Pipeline: {url}", None,
                          [candidate.email])
            except Exception:  # the in-app notice stands; the mail server's failure is logged
                logger.exception("Could not email candidate %s", candidate.pk)

        transaction.on_commit(send)


@transaction.atomic
def shortlist_add(*, opening: Opening, candidate: Candidate, actor: Any) -> ShortlistEntry:
    """Put someone the recruiter may see on an opening's board; their pipeline shows "shortlisted"."""
    _require_manager(actor, opening)
    if not Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists():
        # Exactly what an id that does not exist gets: nothing says the person is there.
        raise ValidationError({"candidate": "Không có ứng viên này."})
    if opening.status != Opening.Status.OPEN:
        raise ValidationError({"opening": "Vị trí đã đóng."})
    entry, created = ShortlistEntry.objects.get_or_create(opening=opening, candidate=candidate,
                                                          defaults={"added_by": actor})
    if not created:
        return entry
    ShortlistMove.objects.create(entry=entry, from_stage="", to_stage=entry.stage, actor=actor)
    candidate_advance_by_outcome(candidate=candidate, to_stage=Stage.SHORTLISTED, actor=actor,
                                 reason=f"Vào danh sách ngắn: {opening.title}")
    audit(actor=actor, action="shortlist.add", obj=entry, changes={"opening": opening.pk, "candidate": candidate.pk})
    _tell(candidate, kind="shortlist.added", title=f"Bạn được đưa vào danh sách ngắn: {opening.title}",
          url="/me/")
    return entry


def _check_move(current: str, target: str, reason: str) -> None:
    labels = dict(ShortlistStage.choices)
    if target not in ShortlistStage.values:
        raise ValidationError({"stage": f"Vòng «{target}» không tồn tại."})
    if current == ShortlistStage.HIRED:
        raise ValidationError({"stage": "Ứng viên đã nhận việc: không chuyển vòng được nữa."})
    if current == target:
        raise ValidationError({"stage": f"Ứng viên đang ở vòng «{labels[target]}»."})
    if target in ENDS_WITH_REASON and not reason:
        raise ValidationError({"reason": "Cần ghi lý do khi ứng viên từ chối hoặc không được chọn."})
    if current in ENDS_WITH_REASON and target != ShortlistStage.SHORTLISTED:
        raise ValidationError({"stage": "Hồ sơ đã dừng chỉ có thể đưa lại vào danh sách ngắn."})
    if (current in FORWARD_STAGES and target in FORWARD_STAGES
            and FORWARD_STAGES.index(target) < FORWARD_STAGES.index(current) and not reason):
        raise ValidationError({"reason": "Cần ghi lý do khi chuyển ngược vòng."})
    if target == ShortlistStage.HIRED and current != ShortlistStage.OFFER:
        raise ValidationError({"stage": "Chỉ nhận việc sau khi đã mời nhận việc."})


@transaction.atomic
def entry_move(*, entry: ShortlistEntry, stage: str, actor: Any, reason: str = "",
               starts_on: date | None = None) -> ShortlistEntry:
    """Move a card on the board. An offer tells the candidate; hired records the outcome: a job marks
    them recruited, an internship starts a placement (pipeline: placement)."""
    entry = ShortlistEntry.objects.select_for_update().select_related("opening", "candidate").get(pk=entry.pk)
    opening = entry.opening
    _require_manager(actor, opening)
    if not Candidate.objects.for_user(actor).filter(pk=entry.candidate_id).exists():
        raise ValidationError({"candidate": "Không có ứng viên này."})
    reason = (reason or "").strip()
    _check_move(entry.stage, stage, reason)
    if stage == ShortlistStage.HIRED:
        hired = ShortlistEntry.objects.filter(opening=opening, stage=ShortlistStage.HIRED).count()
        if hired >= opening.slots:
            raise ValidationError({"stage": f"Đã đủ {opening.slots} chỉ tiêu của vị trí này."})
    previous = entry.stage
    entry.stage, entry.reason, entry.stage_changed_at = stage, reason[:500], timezone.now()
    entry.save(update_fields=["stage", "reason", "stage_changed_at"])
    ShortlistMove.objects.create(entry=entry, from_stage=previous, to_stage=stage, reason=reason[:500], actor=actor)
    candidate = entry.candidate
    if stage == ShortlistStage.OFFER:
        _tell(candidate, kind="shortlist.offer", title=f"Bạn nhận được lời mời: {opening.title}", url="/me/")
    if stage == ShortlistStage.HIRED:
        if opening.kind == Opening.Kind.INTERNSHIP:
            Placement.objects.create(opening=opening, candidate=candidate, entry=entry, mentor=opening.mentor,
                                     starts_on=starts_on or opening.starts_on or timezone.localdate(),
                                     ends_on=opening.ends_on)
            candidate_advance_by_outcome(candidate=candidate, to_stage=Stage.PLACEMENT, actor=actor,
                                         reason=f"Thực tập: {opening.title}")
        else:
            candidate_advance_by_outcome(candidate=candidate, to_stage=Stage.RECRUITED, actor=actor,
                                         reason=f"Tuyển dụng: {opening.title}")
    audit(actor=actor, action="shortlist.move", obj=entry, changes={"from": previous, "to": stage})
    return entry


@transaction.atomic
def rating_set(*, entry: ShortlistEntry, score: int, actor: Any) -> ShortlistRating:
    """Each reviewer keeps one rating per entry (changing it replaces theirs); the board averages them."""
    _require_manager(actor, entry.opening)
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": "Điểm đánh giá từ 1 đến 5."})
    rating, _created = ShortlistRating.objects.update_or_create(entry=entry, reviewer=actor,
                                                               defaults={"score": score})
    return rating


@transaction.atomic
def note_add(*, entry: ShortlistEntry, text: str, actor: Any) -> ShortlistNote:
    _require_manager(actor, entry.opening)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Ghi chú trống."})
    return ShortlistNote.objects.create(entry=entry, author=actor, text=text[:2000])


@transaction.atomic
def placement_feedback(*, placement: Placement, ratings: dict[str, Any], comments: str, actor: Any) -> MentorFeedback:
    """The mentor (or the agency) closes an internship with a rating per criterion and comments; the
    mean becomes the candidate's ``mentor_rating`` scoring feature."""
    if placement.mentor_id != getattr(actor, "pk", None) and not may_manage_opening(actor, placement.opening):
        raise PermissionDenied("Chỉ người hướng dẫn hoặc cơ quan được đánh giá kỳ thực tập.")
    if hasattr(placement, "feedback"):
        raise ValidationError({"ratings": "Kỳ thực tập này đã có đánh giá."})
    clean: dict[str, int] = {}
    for key in FEEDBACK_CRITERIA:
        try:
            value = int(ratings.get(key))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError({"ratings": f"Tiêu chí «{FEEDBACK_CRITERIA[key]}» cần điểm từ 1 đến 5."})
        clean[key] = value
    feedback = MentorFeedback.objects.create(placement=placement, ratings=clean,
                                             overall=round(sum(clean.values()) / len(clean), 2),
                                             comments=(comments or "").strip()[:4000], submitted_by=actor)
    placement.status = Placement.Status.COMPLETED
    placement.ends_on = placement.ends_on or timezone.localdate()
    placement.save(update_fields=["status", "ends_on"])
    audit(actor=actor, action="placement.feedback", obj=placement, changes={"overall": feedback.overall})
    return feedback


# --- Merging two records of one person (talent.registry) -----------------------------------------

def merge_move(keep: Candidate, drop: Candidate, actor: Any) -> None:
    """The dropped record's shortlist cards and placements follow the person. Where both records sit on
    one opening's board, the kept card stays and the dropped one (with its moves, ratings and notes)
    goes: one card per person and opening."""
    kept = set(ShortlistEntry.objects.filter(candidate=keep).values_list("opening_id", flat=True))
    ShortlistEntry.objects.filter(candidate=drop, opening_id__in=kept).delete()
    ShortlistEntry.objects.filter(candidate=drop).update(candidate=keep)
    Placement.objects.filter(candidate=drop).update(candidate=keep)


# --- Targets ------------------------------------------------------------------------------------------

@transaction.atomic
def target_adopt(*, model: Target, organization: Organization, actor: Any, source: str, source_number: str = "",
                 source_date: date | None = None, issuer: str = "", threshold: Decimal | None = None,
                 threshold_high: Decimal | None = None, deadline: date | None = None) -> Target:
    """A unit takes a model target as its own, under its own document: the copy counts the unit's people
    only and cites the unit's document (the model it came from stays linked). Staff adopt for units they
    manage; a unit adopts one model once."""
    if user_role(actor) not in (Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.PERSONNEL):
        raise PermissionDenied("Chỉ cán bộ Đoàn, cán bộ tổ chức, cán bộ liên lạc và quản trị viên áp dụng chỉ tiêu.")
    if model.organization_id is not None:
        raise ValidationError("Chỉ áp dụng được chỉ tiêu mẫu (chưa thuộc đơn vị nào).")
    if not Organization.objects.for_user(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied("Chỉ áp dụng chỉ tiêu cho đơn vị mình quản lý.")
    if Target.objects.filter(based_on=model, organization=organization, active=True).exists():
        raise ValidationError({"organization": "Đơn vị này đã áp dụng chỉ tiêu này."})
    if not (source or "").strip():
        raise ValidationError({"source": "Ghi văn bản của đơn vị đặt ra chỉ tiêu này."})
    low = model.threshold if threshold is None else threshold
    high = (model.threshold_high if threshold_high is None else threshold_high) \
        if model.comparison == Target.Comparison.BETWEEN else None
    if high is not None and high < low:
        raise ValidationError({"threshold_high": "Ngưỡng trên phải từ ngưỡng dưới trở lên."})
    target = Target.objects.create(
        name=model.name, metric=model.metric, population=model.population, population_label=model.population_label,
        comparison=model.comparison, threshold=low, threshold_high=high,
        deadline=model.deadline if deadline is None else deadline, organization=organization, based_on=model,
        source=source.strip(), source_number=source_number.strip(), source_date=source_date, issuer=issuer.strip())
    audit(actor=actor, action="target.adopt", obj=target, changes={"model": model.pk, "organization": organization.pk})
    return target
