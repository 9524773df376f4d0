"""Server-rendered pages of openings: the list, publishing a position, its matches, the shortlist board
(drag and drop, with a plain form per card when JavaScript is off), card details with notes and ratings,
the board's XLSX export, and placements with the mentor's feedback (the targets have
``openings.target_views``).

Views are thin: reads start from ``Model.objects.for_user(request.user)`` (matches from
``openings.selectors``), writes go through ``openings.services``; a service's refusal comes back as a
message (or an inline error on the board).
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.spreadsheets import XLSX
from openings import services
from openings.forms import FeedbackForm, MoveForm, NoteForm, OpeningForm, RatingForm
from openings.models import (
    BOARD_STAGES,
    ENDS_WITH_REASON,
    FORWARD_STAGES,
    Opening,
    Placement,
    ShortlistEntry,
    ShortlistRating,
    ShortlistStage,
)
from talent.forms import apply_service_errors
from talent.models import Candidate, Role, user_role

STAFF_ROLES = (Role.ADMIN, Role.OFFICER, Role.LIAISON)
MATCH_LIMIT = 20


def _service_error(request: HttpRequest, exc: ValidationError | PermissionDenied) -> str:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    text = text or _("Bạn không có quyền thực hiện thao tác này.")
    messages.error(request, text)
    return text


def _opening(request: HttpRequest, pk: int) -> Opening:
    return get_object_or_404(Opening.objects.for_user(request.user).select_related("agency", "mentor", "rubric"),
                             pk=pk)


def _managed_opening(request: HttpRequest, pk: int) -> Opening:
    opening = _opening(request, pk)
    if not services.may_manage_opening(request.user, opening):
        raise PermissionDenied(_("Chỉ cơ quan đăng vị trí này được xem danh sách ngắn."))
    return opening


def _entry(request: HttpRequest, pk: int) -> ShortlistEntry:
    entry = get_object_or_404(ShortlistEntry.objects.for_user(request.user)
                              .select_related("opening", "candidate"), pk=pk)
    if not services.may_manage_opening(request.user, entry.opening):
        raise PermissionDenied(_("Chỉ cơ quan đăng vị trí này được xem danh sách ngắn."))
    return entry


# --- Blind review --------------------------------------------------------------------------------------

def _label(entry: ShortlistEntry, revealed: bool) -> str:
    return entry.candidate.full_name if revealed else _("Ứng viên #%(id)s") % {"id": entry.pk}


# --- Openings ------------------------------------------------------------------------------------------

@login_required
@require_GET
def opening_list(request: HttpRequest) -> HttpResponse:
    """Open positions for everyone signed in; the managers of an opening also see it once closed."""
    user = request.user
    openings = (Opening.objects.for_user(user).select_related("agency")
                .annotate(entry_count=Count("entries", distinct=True)).order_by("status", "-created_at"))
    page = Paginator(openings, 30).get_page(request.GET.get("page"))
    ids = [o.pk for o in page.object_list]
    managed = set(Opening.objects.managed_by(user).filter(pk__in=ids).values_list("pk", flat=True))
    return render(request, "openings/opening_list.html", {
        "page_obj": page, "openings": page.object_list, "managed": managed,
        "can_create": user_role(user) in services.OPENING_ROLES,
    })


@login_required
@require_http_methods(["GET", "POST"])
def opening_create(request: HttpRequest) -> HttpResponse:
    if user_role(request.user) not in services.OPENING_ROLES:
        raise PermissionDenied(_("Chỉ cán bộ tuyển dụng, cán bộ Đoàn và quản trị viên được đăng vị trí."))
    form = OpeningForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            opening = services.opening_create(actor=request.user, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã đăng vị trí %(title)s.") % {"title": opening.title})
            return HttpResponseRedirect(reverse("opening-detail", args=[opening.pk]))
    return render(request, "openings/opening_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def opening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    opening = _opening(request, pk)
    can_manage = services.may_manage_opening(user, opening)
    context: dict[str, Any] = {"opening": opening, "can_manage": can_manage}
    if can_manage:
        from openings.selectors import REQUIREMENT_LABELS, opening_matches

        found = opening_matches(opening, user, MATCH_LIMIT) if opening.status == Opening.Status.OPEN else []
        matches = [{**line, "met_labels": [REQUIREMENT_LABELS.get(k, k) for k in line["met"]],
                    "missing_labels": [REQUIREMENT_LABELS.get(k, k) for k in line["missing"]],
                    "unchecked_labels": [REQUIREMENT_LABELS.get(k, k) for k in line.get("not_checked", [])]}
                   for line in found]
        on_board = set(ShortlistEntry.objects.for_user(user).filter(opening=opening)
                       .values_list("candidate_id", flat=True))
        stage_counts = dict(ShortlistEntry.objects.for_user(user).filter(opening=opening)
                            .values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
        context.update({
            "matches": matches, "on_board": on_board,
            "stage_counts": [(label, stage_counts.get(value, 0)) for value, label in ShortlistStage.choices],
        })
    return render(request, "openings/opening_detail.html", context)


@login_required
@require_POST
def opening_shortlist_add(request: HttpRequest, pk: int) -> HttpResponse:
    opening = _managed_opening(request, pk)
    raw = request.POST.get("candidate", "")
    candidate = (Candidate.objects.for_user(request.user).filter(pk=int(raw)).first()
                 if raw.isdigit() else None)
    try:
        if candidate is None:
            # Exactly what the service answers for someone one may not see.
            raise ValidationError({"candidate": _("Không có ứng viên này.")})
        services.shortlist_add(opening=opening, candidate=candidate, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Đã đưa %(name)s vào danh sách ngắn.") % {"name": candidate.full_name})
    return HttpResponseRedirect(reverse("opening-detail", args=[opening.pk]) + "#matches")


@login_required
@require_POST
def opening_close(request: HttpRequest, pk: int) -> HttpResponse:
    opening = _managed_opening(request, pk)
    try:
        services.opening_close(opening=opening, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _service_error(request, exc)
    else:
        messages.info(request, _("Đã đóng vị trí %(title)s.") % {"title": opening.title})
    return HttpResponseRedirect(reverse("opening-detail", args=[opening.pk]))


# --- The shortlist board ------------------------------------------------------------------------------

def _board_entries(user: Any, opening: Opening) -> list[ShortlistEntry]:
    """Every card of the board in a fixed number of queries: ratings averaged and counted, mine, names."""
    from openings.selectors import board_entries, names_revealed

    mine = ShortlistRating.objects.filter(entry=OuterRef("pk"), reviewer=user).values("score")[:1]
    entries = list(board_entries(opening, user).annotate(my_rating=Subquery(mine))
                   .order_by("stage_changed_at", "id"))
    for entry in entries:
        entry.revealed = names_revealed(entry)
        entry.label = _label(entry, entry.revealed)
    return entries


def _board_context(request: HttpRequest, opening: Opening, error: str = "") -> dict[str, Any]:
    entries = _board_entries(request.user, opening)
    by_stage: dict[str, list[ShortlistEntry]] = defaultdict(list)
    for entry in entries:
        by_stage[entry.stage].append(entry)
    labels = dict(ShortlistStage.choices)
    columns = [{"stage": stage, "label": labels[stage], "entries": by_stage.get(stage, []),
                "order": FORWARD_STAGES.index(stage) if stage in FORWARD_STAGES else -1,
                "needs_reason": stage in ENDS_WITH_REASON} for stage in BOARD_STAGES]
    return {"opening": opening, "columns": columns, "stage_choices": ShortlistStage.choices,
            "board_error": error, "entry_count": len(entries)}


@login_required
@require_GET
def opening_board(request: HttpRequest, pk: int) -> HttpResponse:
    opening = _managed_opening(request, pk)
    template = "openings/_board.html" if request.htmx else "openings/board.html"
    return render(request, template, _board_context(request, opening))


@login_required
@require_POST
def entry_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a card. From the board's script (htmx/fetch) the answer is the board again, with the
    service's refusal inline; from the plain form, a redirect back with a message."""
    entry = _entry(request, pk)
    form = MoveForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Vòng không hợp lệ.")
    else:
        try:
            services.entry_move(entry=entry, stage=form.cleaned_data["stage"], actor=request.user,
                                reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    if request.htmx:
        return render(request, "openings/_board.html", _board_context(request, entry.opening, error),
                      status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Đã chuyển hồ sơ sang vòng «%(stage)s».")
                         % {"stage": dict(ShortlistStage.choices)[form.cleaned_data["stage"]]})
    return HttpResponseRedirect(reverse("opening-board", args=[entry.opening_id]))


def _entry_context(request: HttpRequest, entry: ShortlistEntry, **extra: Any) -> dict[str, Any]:
    user = request.user
    from openings.selectors import names_revealed

    moves = list(entry.moves.select_related("actor").order_by("created_at", "id"))
    revealed = names_revealed(entry)
    summary = entry.ratings.aggregate(avg=Avg("score"), n=Count("id"))
    mine = entry.ratings.filter(reviewer=user).values_list("score", flat=True).first()
    labels = dict(ShortlistStage.choices)
    return {
        "entry": entry, "opening": entry.opening, "label": _label(entry, revealed), "revealed": revealed,
        "moves": [{"move": m, "from_label": labels.get(m.from_stage, ""), "to_label": labels.get(m.to_stage, "")}
                  for m in moves],
        "notes": list(entry.notes.select_related("author")), "avg_rating": summary["avg"],
        "rating_count": summary["n"], "my_rating": mine,
        "note_form": extra.pop("note_form", None) or NoteForm(),
        "rating_form": extra.pop("rating_form", None) or RatingForm(initial={"score": mine}),
        **extra,
    }


def _entry_response(request: HttpRequest, entry: ShortlistEntry, status: int = 200, **extra: Any) -> HttpResponse:
    context = _entry_context(request, entry, **extra)
    template = "openings/_card_detail.html" if request.htmx else "openings/entry_detail.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_response(request, _entry(request, pk))


@login_required
@require_POST
def entry_note(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(entry=entry, text=form.cleaned_data["text"], actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc)
    if form.errors:
        return _entry_response(request, entry, status=200 if request.htmx else 400, note_form=form)
    if request.htmx:
        return _entry_response(request, entry)
    messages.success(request, _("Đã thêm ghi chú."))
    return HttpResponseRedirect(reverse("entry-detail", args=[entry.pk]))


@login_required
@require_POST
def entry_rating(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_set(entry=entry, score=form.cleaned_data["score"], actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc)
    if form.errors:
        return _entry_response(request, entry, status=200 if request.htmx else 400, rating_form=form)
    if request.htmx:
        response = _entry_response(request, entry, rating_saved=True)
        response["HX-Trigger"] = "boardChanged"  # the board's averages follow
        return response
    messages.success(request, _("Đã lưu đánh giá của bạn."))
    return HttpResponseRedirect(reverse("entry-detail", args=[entry.pk]))


@login_required
@require_GET
def opening_board_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The board as a spreadsheet with Vietnamese headers; blind review hides names here too."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    opening = _managed_opening(request, pk)
    entries = _board_entries(request.user, opening)
    labels = dict(ShortlistStage.choices)
    order = {stage: i for i, stage in enumerate(BOARD_STAGES)}
    entries.sort(key=lambda e: (order[e.stage], e.stage_changed_at, e.pk))
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách ngắn"
    headers = ["STT", "Ứng viên", "Vòng", "Ngày chuyển vòng", "Điểm đánh giá trung bình", "Số người đánh giá",
               "Đánh giá của tôi", "Lý do"]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    local = timezone.localtime
    for i, entry in enumerate(entries, start=1):
        sheet.append([i, str(entry.label), str(labels[entry.stage]), local(entry.stage_changed_at).strftime("%d/%m/%Y"),
                      round(entry.rating_avg, 2) if entry.rating_avg is not None else None, entry.rating_count,
                      entry.my_rating, entry.reason])
    for column, width in zip("ABCDEFGH", (6, 32, 18, 16, 14, 12, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="danh-sach-ngan-{opening.pk}.xlsx"'
    return response


# --- Placements ---------------------------------------------------------------------------------------

@login_required
@require_GET
def placement_list(request: HttpRequest) -> HttpResponse:
    """Mentors see their interns, agencies their openings' placements, students their own."""
    user = request.user
    placements = (Placement.objects.for_user(user)
                  .select_related("opening", "opening__agency", "candidate", "mentor", "feedback")
                  .order_by("-starts_on", "id"))
    page = Paginator(placements, 30).get_page(request.GET.get("page"))
    opening_ids = {p.opening_id for p in page.object_list}
    managed = set(Opening.objects.managed_by(user).filter(pk__in=opening_ids).values_list("pk", flat=True))
    rows = []
    for placement in page.object_list:
        feedback = getattr(placement, "feedback", None)
        may_review = placement.mentor_id == user.pk or placement.opening_id in managed
        rows.append({"placement": placement, "feedback": feedback,
                     "can_review": may_review and feedback is None})
    return render(request, "openings/placement_list.html", {"page_obj": page, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def placement_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    placement = get_object_or_404(Placement.objects.for_user(user).select_related("opening", "candidate", "mentor"),
                                  pk=pk)
    if placement.mentor_id != user.pk and not services.may_manage_opening(user, placement.opening):
        raise PermissionDenied(_("Chỉ người hướng dẫn hoặc cơ quan được đánh giá kỳ thực tập."))
    if hasattr(placement, "feedback"):
        messages.info(request, _("Kỳ thực tập này đã có đánh giá."))
        return HttpResponseRedirect(reverse("placement-list"))
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_feedback(placement=placement, ratings=form.ratings(),
                                        comments=form.cleaned_data["comments"], actor=user)
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi nhận xét kỳ thực tập của %(name)s.")
                             % {"name": placement.candidate.full_name})
            return HttpResponseRedirect(reverse("placement-list"))
    return render(request, "openings/placement_feedback.html", {"placement": placement, "form": form},
                  status=400 if form.errors else 200)
