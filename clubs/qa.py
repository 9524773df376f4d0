"""Live Q&A of dialogue events, and the reads the live pages and consumers share.

Rules (decided here, checked again in every service):

- Q&A exists for dialogue events only (``Event.Kind.DIALOGUE``) that are not cancelled.
- Who may ask and vote: people holding a confirmed seat (registration status "registered", checked in
  or not) and the event's managers (``services.may_manage_event``). Anyone signed in may *read* the
  approved questions (events are public, and the room's screen shows them anyway).
- A question starts "pending" and is seen by its author and the moderators only; a manager's own
  question is approved at once. Moderators (event managers) approve, hide or mark answered; hidden
  questions vanish from everyone's list except the moderators'.
- One vote per person and question, as a toggle: voting again takes the vote back. Only approved
  questions take votes. The count is recomputed from the vote rows under a row lock, so it is exact.

Live messages go out after commit (``core.live``) as ``qa.update`` with small deltas that carry ids:
``{"action": ..., "question": {"id", ...}}``. Deltas the whole room may see go to ``event-<id>-qa``;
deltas only moderators may see (a new pending question, a pending one hidden) go to
``event-<id>-staff``, which only managers join. No author names travel over WebSockets.

The bell's "mark as read" also lives here, next to the other live reads and writes.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from clubs import services
from clubs.models import Event, Question, QuestionVote, Registration
from core import live
from core.audit import audit

MAX_QUESTION_CHARS = 1000
# Enough for anyone with something to ask; stops one phone from flooding the moderators' queue.
MAX_PENDING_PER_PERSON = 5
LATEST_CHECKINS = 20
PUBLIC_STATUSES = (Question.Status.APPROVED, Question.Status.ANSWERED)
MODERATION_STATUSES = (Question.Status.APPROVED, Question.Status.HIDDEN, Question.Status.ANSWERED)


class QuestionPayload(TypedDict):
    id: int
    text: str
    status: str
    votes: int
    created_at: str


class Counters(TypedDict):
    seated: int
    waitlisted: int
    attended: int
    capacity: int


def qa_group(event_id: int) -> str:
    return f"event-{event_id}-qa"


def staff_group(event_id: int) -> str:
    return f"event-{event_id}-staff"


def qa_enabled(event: Event) -> bool:
    return event.kind == Event.Kind.DIALOGUE


def may_ask(user: Any, event: Event, *, manager: bool | None = None) -> bool:
    """May ``user`` submit and vote (a confirmed seat, or a manager of the event)?"""
    if not getattr(user, "is_authenticated", False) or not qa_enabled(event) or event.is_cancelled:
        return False
    if manager if manager is not None else services.may_manage_event(user, event):
        return True
    return Registration.objects.filter(event=event, user=user, status=Registration.Status.REGISTERED).exists()


def question_payload(question: Question) -> QuestionPayload:
    return {"id": question.pk, "text": question.text, "status": question.status, "votes": question.votes,
            "created_at": question.created_at.isoformat()}


def _publish(question: Question, action: str, *, public: bool, staff: bool,
             delta: dict[str, Any] | None = None) -> None:
    data = {"action": action, "event": question.event_id, "question": delta or question_payload(question)}
    if public:
        live.publish(qa_group(question.event_id), "qa.update", data)
    if staff:
        live.publish(staff_group(question.event_id), "qa.update", data)


# --- Services ------------------------------------------------------------------------------------------

@transaction.atomic
def question_submit(*, event: Event, user: Any, text: str) -> Question:
    """A question from the room: pending until a moderator approves it (a manager's own is approved)."""
    if not qa_enabled(event):
        raise ValidationError({"event": "Chỉ sự kiện đối thoại mới có phần hỏi đáp trực tiếp."})
    if event.is_cancelled:
        raise ValidationError({"event": "Sự kiện đã huỷ."})
    manager = services.may_manage_event(user, event)
    if not may_ask(user, event, manager=manager):
        raise PermissionDenied("Chỉ người đã có chỗ trong sự kiện được đặt câu hỏi.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Hãy nhập câu hỏi."})
    if len(text) > MAX_QUESTION_CHARS:
        raise ValidationError({"text": f"Câu hỏi dài tối đa {MAX_QUESTION_CHARS} ký tự."})
    if not manager and Question.objects.filter(event=event, author=user,
                                               status=Question.Status.PENDING).count() >= MAX_PENDING_PER_PERSON:
        raise ValidationError({"text": f"Bạn đã có {MAX_PENDING_PER_PERSON} câu hỏi đang chờ duyệt; "
                                       "hãy chờ ban tổ chức duyệt trước khi gửi thêm."})
    status = Question.Status.APPROVED if manager else Question.Status.PENDING
    question = Question.objects.create(event=event, author=user, text=text, status=status,
                                       moderated_by=user if manager else None)
    _publish(question, "submitted", public=status == Question.Status.APPROVED, staff=True)
    return question


@transaction.atomic
def question_vote(*, question: Question, user: Any) -> tuple[Question, bool]:
    """Toggle ``user``'s vote on an approved question; returns the question and whether they now vote."""
    question = Question.objects.select_for_update().select_related("event").get(pk=question.pk)
    if not may_ask(user, question.event):
        raise PermissionDenied("Chỉ người đã có chỗ trong sự kiện được bình chọn câu hỏi.")
    existing = QuestionVote.objects.filter(question=question, user=user)
    if existing.exists():
        existing.delete()
        voted = False
    else:
        if question.status != Question.Status.APPROVED:
            raise ValidationError({"question": "Chỉ bình chọn được câu hỏi đã duyệt và chưa trả lời."})
        try:
            with transaction.atomic():
                QuestionVote.objects.create(question=question, user=user)
        except IntegrityError:  # a double click racing itself: the vote is there either way
            pass
        voted = True
    question.votes = QuestionVote.objects.filter(question=question).count()
    question.save(update_fields=["votes"])
    _publish(question, "voted", public=question.status in PUBLIC_STATUSES, staff=False,
             delta={"id": question.pk, "votes": question.votes})
    return question, voted


@transaction.atomic
def question_moderate(*, question: Question, actor: Any, status: str) -> Question:
    """Approve, hide or mark answered (event managers only). Setting the current status again is a no-op."""
    question = Question.objects.select_for_update().select_related("event").get(pk=question.pk)
    if not services.may_manage_event(actor, question.event):
        raise PermissionDenied("Chỉ ban tổ chức được duyệt câu hỏi.")
    if status not in MODERATION_STATUSES:
        raise ValidationError({"status": "Trạng thái không hợp lệ."})
    before = question.status
    if before == status:
        return question
    question.status, question.moderated_by = status, actor
    question.save(update_fields=["status", "moderated_by"])
    audit(actor=actor, action="qa.moderate", obj=question, changes={"from": before, "to": status})
    # The room hears about a question when it becomes public or stops being public (then only the id
    # and the status, so clients remove it); a pending question hidden never concerned them.
    was_public, is_public = before in PUBLIC_STATUSES, status in PUBLIC_STATUSES
    if is_public:
        _publish(question, "moderated", public=True, staff=True)
    else:
        _publish(question, "moderated", public=False, staff=True)
        if was_public:
            _publish(question, "moderated", public=True, staff=False,
                     delta={"id": question.pk, "status": question.status})
    return question


# --- Reads ---------------------------------------------------------------------------------------------

def questions_for(event: Event, user: Any, *, moderator: bool) -> list[Question]:
    """The questions ``user`` sees, most votes first: moderators see every question; others see the
    approved and answered ones and their own pending ones."""
    qs = Question.objects.for_user(user).filter(event=event)
    if not moderator:
        qs = qs.filter(Q(status__in=PUBLIC_STATUSES) | Q(author=user, status=Question.Status.PENDING))
    return list(qs.order_by("-votes", "created_at", "id"))


def voted_ids(user: Any, question_ids: list[int]) -> set[int]:
    if not question_ids:
        return set()
    return set(QuestionVote.objects.filter(user=user, question_id__in=question_ids)
               .values_list("question_id", flat=True))


def screen_questions(event: Event, limit: int = 30) -> list[Question]:
    """What the room's projector shows: approved (not yet answered) questions by votes."""
    return list(Question.objects.filter(event=event, status=Question.Status.APPROVED)
                .order_by("-votes", "created_at", "id")[:limit])


def qa_state(event: Event, user: Any, *, moderator: bool | None = None) -> dict[str, Any]:
    """Everything a Q&A client needs to (re)start: questions, own votes and own questions, permissions."""
    moderator = services.may_manage_event(user, event) if moderator is None else moderator
    questions = questions_for(event, user, moderator=moderator)
    voted = voted_ids(user, [q.pk for q in questions])
    return {"event": event.pk, "moderator": moderator, "may_ask": may_ask(user, event, manager=moderator),
            "questions": [question_payload(q) for q in questions], "voted": sorted(voted),
            "mine": sorted(q.pk for q in questions if q.author_id == getattr(user, "pk", None))}


def event_counters(event: Event) -> Counters:
    """Seated, waitlisted and attended in one query (same definitions as ``services`` publishes)."""
    totals = Registration.objects.filter(event=event).aggregate(
        seated=Count("pk", filter=Q(status__in=Registration.SEATED)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return {"seated": totals["seated"], "waitlisted": totals["waitlisted"], "attended": totals["attended"],
            "capacity": event.capacity}


def latest_checkins(event: Event, limit: int = LATEST_CHECKINS) -> list[dict[str, Any]]:
    """The most recent check-ins, newest first, for the organizer's dashboard (names: managers only)."""
    rows = (Registration.objects.filter(event=event, checked_in_at__isnull=False).select_related("user")
            .order_by("-checked_in_at", "-id")[:limit])
    return [{"id": r.pk, "name": r.user.get_full_name() or r.user.get_username(),
             "at": r.checked_in_at.isoformat(), "time": f"{timezone.localtime(r.checked_in_at):%H:%M:%S}",
             "method": r.check_in_method, "method_label": r.get_check_in_method_display()} for r in rows]


def dashboard_state(event: Event) -> dict[str, Any]:
    """The organizer dashboard's catch-up: counters and the latest check-ins."""
    return {"event": event.pk, "counts": event_counters(event), "checkins": latest_checkins(event)}


def connect_snapshot(event: Event, user: Any, *, manager: bool) -> dict[str, Any]:
    """What ``ws/events/<id>/`` sends first: counters for managers, the Q&A state for everyone."""
    snapshot: dict[str, Any] = {"event": event.pk, "counts": event_counters(event) if manager else None,
                                "qa": qa_state(event, user, moderator=manager) if qa_enabled(event) else None}
    return snapshot
