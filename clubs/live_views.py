"""Pages and small JSON endpoints of the live parts: the organizer's dashboard, the Q&A (phones and the
room's projector) and the notification bell.

Views are thin: events come from ``Event.objects.for_user``, reads from ``clubs.qa``, writes through
``clubs.qa`` / ``clubs.services`` (which check permissions again). Live updates arrive over
``ws/events/<id>/`` and ``ws/notifications/``; every JSON endpoint here is also how a client that
reconnects catches up. Forms work without JavaScript (post, redirect, message); with it, the same
URLs answer JSON when asked with ``Accept: application/json``.
"""

from __future__ import annotations

import time
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from clubs import qa, services
from clubs.models import Event, Question, Registration

# The projector shows the most-voted questions; the rest wait below the fold of a phone, not of a wall.
SCREEN_LIMIT = 12


# --- Helpers -------------------------------------------------------------------------------------------

def _event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.for_user(request.user).select_related("club", "organization"), pk=pk)


def _managed_event(request: HttpRequest, pk: int) -> tuple[Event, bool]:
    event = _event(request, pk)
    return event, services.may_manage_event(request.user, event)


def _require_manager(request: HttpRequest, pk: int) -> Event:
    event, manager = _managed_event(request, pk)
    if not manager:
        raise PermissionDenied(_("Chỉ ban tổ chức sự kiện xem được trang này."))
    return event


def _qa_event(request: HttpRequest, pk: int) -> Event:
    event = _event(request, pk)
    if not qa.qa_enabled(event):
        raise Http404(_("Sự kiện này không có phần hỏi đáp trực tiếp."))
    return event


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _error_text(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or _("Bạn không có quyền làm việc này.")


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _fail(request: HttpRequest, exc: ValidationError | PermissionDenied, back: str) -> HttpResponse:
    status = 403 if isinstance(exc, PermissionDenied) else 400
    if _wants_json(request):
        return JsonResponse({"error": _error_text(exc)}, status=status)
    messages.error(request, _error_text(exc))
    return redirect(back)


def _code_payload(event: Event) -> dict[str, Any]:
    now = time.time()
    window_end = (int(now // services.ROTATION_SECONDS) + 1) * services.ROTATION_SECONDS
    return {"event": event.pk, "code": services.rotating_code(event, now), "rotation": services.ROTATION_SECONDS,
            "expires_in": round(window_end - now, 3)}


def _qr_svg(url: str) -> str:
    # segno draws with attributes only (no style=""), which the CSP allows; the SVG is our own markup.
    return segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#0b1f3a", light="#ffffff")


# --- Organizer's live dashboard ---------------------------------------------------------------------------

@login_required
@require_GET
def event_live(request: HttpRequest, pk: int) -> HttpResponse:
    event = _require_manager(request, pk)
    state = qa.dashboard_state(event)
    return render(request, "clubs/live/dashboard.html", {
        "event": event, "counts": state["counts"], "checkins": state["checkins"], "code": _code_payload(event),
        "qa_enabled": qa.qa_enabled(event),
    })


@login_required
@require_GET
def event_live_state(request: HttpRequest, pk: int) -> HttpResponse:
    event = _require_manager(request, pk)
    return _no_store(JsonResponse(qa.dashboard_state(event)))


@login_required
@require_GET
def event_live_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The current self check-in code, computed on the server; the page fetches it every window."""
    event = _require_manager(request, pk)
    return _no_store(JsonResponse(_code_payload(event)))


# --- Live Q&A ---------------------------------------------------------------------------------------------

def _live_labels() -> dict[str, str]:
    """Strings live-qa.js shows, translated here (the JavaScript has no catalog of its own)."""
    return {"vote": _("Bình chọn"), "unvote": _("Bỏ bình chọn"), "live": _("Đang cập nhật trực tiếp"),
            "offline": _("Mất kết nối, đang thử lại…"), "sent": _("Đã gửi câu hỏi."),
            "sentPending": _("Đã gửi câu hỏi; câu hỏi sẽ hiện cho mọi người khi ban tổ chức duyệt."),
            "failed": _("Không gửi được, hãy thử lại.")}


MODERATION_ACTIONS = (("approved", gettext_noop("Duyệt")), ("answered", gettext_noop("Đã trả lời")),
                      ("hidden", gettext_noop("Ẩn")))


def _qa_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    moderator = services.may_manage_event(request.user, event)
    questions = qa.questions_for(event, request.user, moderator=moderator)
    registration = (Registration.objects.for_user(request.user)
                    .filter(event=event, user=request.user, status=Registration.Status.REGISTERED).first())
    by_status: dict[str, list[Question]] = {s: [] for s in Question.Status.values}
    for question in questions:
        by_status[question.status].append(question)
    may_ask = qa.may_ask(request.user, event, manager=moderator)
    voted = qa.voted_ids(request.user, [q.pk for q in questions])
    mine = {q.pk for q in questions if q.author_id == request.user.pk}
    return {
        "event": event, "moderator": moderator, "may_ask": may_ask, "voted": voted, "mine": mine,
        "pending": by_status["pending"], "approved": by_status["approved"], "answered": by_status["answered"],
        "hidden": by_status["hidden"], "max_chars": qa.MAX_QUESTION_CHARS,
        "moderation_actions": [(status, _(label)) for status, label in MODERATION_ACTIONS],
        "state": {"event": event.pk, "moderator": moderator, "may_ask": may_ask,
                  "questions": [qa.question_payload(q) for q in questions], "voted": sorted(voted),
                  "mine": sorted(mine)},
        "labels": _live_labels(),
        "can_self_checkin": registration is not None and registration.checked_in_at is None
        and not event.is_cancelled,
        "checked_in": registration is not None and registration.checked_in_at is not None,
    }


@login_required
@require_GET
def event_qa(request: HttpRequest, pk: int) -> HttpResponse:
    event = _qa_event(request, pk)
    return render(request, "clubs/live/qa.html", _qa_context(request, event))


@login_required
@require_GET
def event_qa_state(request: HttpRequest, pk: int) -> HttpResponse:
    event = _qa_event(request, pk)
    return _no_store(JsonResponse(qa.qa_state(event, request.user)))


@login_required
@require_GET
def event_qa_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The room's projector: approved questions by votes, big; the way in (QR) and, for the organizer
    running it, the self check-in code."""
    event = _qa_event(request, pk)
    qa_url = request.build_absolute_uri(reverse("event-qa", args=[event.pk]))
    questions = qa.screen_questions(event, limit=SCREEN_LIMIT)
    manager = services.may_manage_event(request.user, event)
    return render(request, "clubs/live/screen.html", {
        "event": event, "questions": questions, "qa_url": qa_url, "qr_svg": _qr_svg(qa_url), "manager": manager,
        "code": _code_payload(event) if manager else None, "limit": SCREEN_LIMIT, "labels": _live_labels(),
        "state": {"event": event.pk, "moderator": False, "may_ask": False,
                  "questions": [qa.question_payload(q) for q in questions], "voted": [], "mine": []},
    })


@login_required
@require_POST
def event_qa_ask(request: HttpRequest, pk: int) -> HttpResponse:
    event = _qa_event(request, pk)
    back = reverse("event-qa", args=[event.pk])
    try:
        question = qa.question_submit(event=event, user=request.user, text=request.POST.get("text", ""))
    except (ValidationError, PermissionDenied) as exc:
        return _fail(request, exc, back)
    if _wants_json(request):
        return JsonResponse({"question": qa.question_payload(question), "mine": True}, status=201)
    messages.success(request, _("Đã gửi câu hỏi.") if question.status == Question.Status.APPROVED
                     else _("Đã gửi câu hỏi; câu hỏi sẽ hiện cho mọi người khi ban tổ chức duyệt."))
    return redirect(back)


def _question(event: Event, request: HttpRequest, qid: int) -> Question:
    return get_object_or_404(Question.objects.for_user(request.user).filter(event=event), pk=qid)


@login_required
@require_POST
def event_qa_vote(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    event = _qa_event(request, pk)
    back = reverse("event-qa", args=[event.pk])
    try:
        question, voted = qa.question_vote(question=_question(event, request, qid), user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        return _fail(request, exc, back)
    if _wants_json(request):
        return JsonResponse({"id": question.pk, "votes": question.votes, "voted": voted})
    return redirect(f"{back}#question-{question.pk}")


@login_required
@require_POST
def event_qa_moderate(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    event = _qa_event(request, pk)
    back = reverse("event-qa", args=[event.pk])
    try:
        question = qa.question_moderate(question=_question(event, request, qid), actor=request.user,
                                        status=request.POST.get("status", ""))
    except (ValidationError, PermissionDenied) as exc:
        return _fail(request, exc, back)
    if _wants_json(request):
        return JsonResponse({"question": qa.question_payload(question)})
    return redirect(f"{back}#question-{question.pk}")


@login_required
@require_POST
def event_qa_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Self check-in from the Q&A page: attendees in the room type the code on the screen."""
    event = _qa_event(request, pk)
    back = reverse("event-qa", args=[event.pk])
    try:
        registration = services.check_in_self(event=event, code=request.POST.get("code", ""), user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        return _fail(request, exc, back)
    if _wants_json(request):
        return JsonResponse({"registration": registration.pk, "checked_in_at": registration.checked_in_at.isoformat()})
    messages.success(request, _("Đã điểm danh. Chào mừng bạn!"))
    return redirect(back)
