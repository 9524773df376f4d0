"""Pages of evaluation: the cycles of one's units (create), a cycle (assign raters, open, close, finalize,
completion and results with each group's contribution), a rater's sheet, and a person's own page (the
sheets they owe, their finalized results with the committee's note).

Cycles are run by administrators and personnel officers (403 for others); a sheet is for its assigned
rater only; a person sees only their own results. Peers' individual points are shown to nobody.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import audit
from evaluation import selectors, services
from evaluation.forms import AssignForm, CycleForm, FinalizeForm
from evaluation.models import RUNNERS, EvaluationCycle, RaterAssignment
from talent.forms import apply_service_errors, refusal_text as _refusal
from talent.models import Candidate, Organization, user_role


def _require_runner(user: Any) -> None:
    if user_role(user) not in RUNNERS:
        raise PermissionDenied(_("Kỳ đánh giá do cán bộ tổ chức và quản trị viên tổ chức."))


@login_required
@require_http_methods(["GET", "POST"])
def cycle_list(request: HttpRequest) -> HttpResponse:
    _require_runner(request.user)
    organizations = Organization.objects.for_user(request.user).order_by("path")
    form = CycleForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = organizations.filter(pk=data["organization"]).first()
        try:
            if unit is None:
                raise PermissionDenied(_("Đơn vị này nằm ngoài phạm vi quản lý của bạn."))
            cycle = services.cycle_create(actor=request.user, kind=data["kind"], period=data["period"],
                                          organization=unit, deadline=data["deadline"])
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc, permission_field="organization")
        else:
            return HttpResponseRedirect(reverse("evaluation-detail", args=[cycle.pk]))
    cycles = EvaluationCycle.objects.for_user(request.user).select_related("organization")[:200]
    return render(request, "evaluation/cycle_list.html", {"form": form, "cycles": cycles},
                  status=400 if form.errors else 200)


def _act(request: HttpRequest, cycle: EvaluationCycle) -> str:
    action = request.POST.get("action")
    if action == "defaults":
        made = services.assign_defaults(actor=request.user, cycle=cycle)
        return _("Đã phân công %(n)s lượt đánh giá (tự đánh giá và hội đồng).") % {"n": made}
    if action == "assign":
        form = AssignForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_refusal(form))
        data = form.cleaned_data
        candidate = Candidate.objects.for_user(request.user).filter(pk=data["candidate"]).first()
        rater = get_user_model().objects.filter(username=data["rater"].strip().lower()).first()
        if candidate is None or rater is None:
            raise ValidationError(_("Không có hồ sơ hoặc tài khoản này trong phạm vi của bạn."))
        services.assign(actor=request.user, cycle=cycle, candidate=candidate, rater=rater, rater_as=data["rater_as"])
        return _("Đã phân công.")
    if action == "unassign":
        raw = request.POST.get("assignment") or ""
        assignment = cycle.assignments.filter(pk=int(raw)).first() if raw.isdigit() else None
        if assignment is None:
            raise ValidationError(_("Không có phân công này trong kỳ."))
        services.unassign(actor=request.user, assignment=assignment)
        return _("Đã bỏ phân công.")
    if action in ("task-add", "task-mark"):
        return _task_action(request, cycle, action)
    if action == "open":
        services.cycle_open(actor=request.user, cycle=cycle)
        return _("Đã mở kỳ đánh giá; người đánh giá nhận được thông báo.")
    if action == "close":
        services.cycle_close(actor=request.user, cycle=cycle)
        return _("Đã đóng kỳ đánh giá.")
    if action == "finalize":
        form = FinalizeForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_refusal(form))
        comments = {int(key[8:]): value for key, value in request.POST.items()
                    if key.startswith("comment-") and key[8:].isdigit() and value.strip()}
        services.cycle_finalize(actor=request.user, cycle=cycle, note=form.cleaned_data["note"],
                                disciplined=form.cleaned_data["disciplined"], comments=comments)
        return _("Đã chốt kết quả.")
    raise ValidationError(_("Thao tác không hợp lệ."))


def _task_action(request: HttpRequest, cycle: EvaluationCycle, action: str) -> str:
    """Add a task to a person of the cycle, or record a task's result (runners, and the person's manager)."""
    from evaluation.models import EvaluationTask
    from imports.parsing import CellError, parse_date

    if action == "task-mark":
        task = EvaluationTask.objects.filter(cycle=cycle, pk=request.POST.get("task") or 0).first() \
            if (request.POST.get("task") or "").isdigit() else None
        if task is None:
            raise ValidationError(_("Không có nhiệm vụ này trong kỳ."))
        services.task_mark(actor=request.user, task=task, status=request.POST.get("status", ""))
        return _("Đã ghi kết quả nhiệm vụ.")
    raw = (request.POST.get("candidate") or "").strip()
    candidate = Candidate.objects.for_user(request.user).filter(pk=int(raw)).first() if raw.isdigit() else None
    if candidate is None:
        raise ValidationError(_("Không có hồ sơ này trong phạm vi của bạn."))
    try:
        due_on = parse_date(request.POST.get("due_on") or "")
    except CellError as exc:
        raise ValidationError(str(exc)) from None
    services.task_add(actor=request.user, cycle=cycle, candidate=candidate, title=request.POST.get("title", ""),
                      due_on=due_on)
    return _("Đã giao nhiệm vụ.")


@login_required
@require_http_methods(["GET", "POST"])
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_runner(request.user)
    cycle = get_object_or_404(EvaluationCycle.objects.for_user(request.user).select_related("organization", "form"),
                              pk=pk)
    if request.method == "POST":
        try:
            done = _act(request, cycle)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(reverse("evaluation-detail", args=[cycle.pk]))
    rows = selectors.results(cycle)
    audit(actor=request.user, action="evaluation.read", obj=cycle, changes={"page": "cycle", "people": len(rows)})
    labels = {g["key"]: g["label"] for g in cycle.form.groups}
    tasks = list(cycle.tasks.select_related("candidate").order_by("candidate__full_name", "due_on", "pk")[:500])
    return render(request, "evaluation/cycle_detail.html", {"tasks": tasks, "task_statuses": _task_statuses(),
        "cycle": cycle, "rows": rows, "completion": selectors.completion(cycle), "groups": cycle.form.groups,
        "labels": labels, "assign_form": AssignForm(), "finalize_form": FinalizeForm(),
        "assignments": selectors.assignments(cycle) if cycle.status != EvaluationCycle.Status.FINALIZED else [],
        "rater_choices": selectors.rater_choices(request.user)
        if cycle.status in (EvaluationCycle.Status.DRAFT, EvaluationCycle.Status.OPEN) else [],
        "ratings": dict(_rating_words())})


def _task_statuses() -> list[tuple[str, Any]]:
    from evaluation.models import EvaluationTask

    return [c for c in EvaluationTask.Status.choices if c[0] != EvaluationTask.Status.PENDING]


def _rating_words() -> list[tuple[str, Any]]:
    from talent.models import AnnualRating

    return list(AnnualRating.Rating.choices)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    """A rater's sheet for one person: one number per criterion group, sent once."""
    assignment = (RaterAssignment.objects.filter(cycle_id=pk, candidate_id=candidate, rater=request.user)
                  .select_related("cycle__form", "cycle__organization", "candidate").first())
    if assignment is None:
        raise Http404
    cycle = assignment.cycle
    error = ""
    here = reverse("evaluation-rate", args=[cycle.pk, candidate])
    if request.method == "POST" and request.POST.get("action") in ("task-add", "task-mark"):
        # The direct manager gives the person their tasks of the month and records how they went.
        try:
            if assignment.rater_as != RaterAssignment.As.MANAGER:
                raise PermissionDenied(_("Chỉ thủ trưởng trực tiếp giao nhiệm vụ cho người này."))
            done = _task_action(request, cycle, request.POST["action"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(here + "#person-tasks")
    if request.method == "POST":
        scores = {g["key"]: request.POST.get(f"score-{g['key']}", "") for g in cycle.form.groups}
        try:
            services.evaluation_submit(user=request.user, cycle=cycle, candidate=assignment.candidate, scores=scores,
                                       comment=request.POST.get("comment", ""))
        except (ValidationError, PermissionDenied) as exc:
            error = _refusal(exc)
        else:
            messages.success(request, _("Đã gửi phiếu đánh giá %(name)s.") % {"name": assignment.candidate.full_name})
            return HttpResponseRedirect(reverse("evaluation-mine"))
    sent = cycle.evaluations.filter(candidate=assignment.candidate, rater=request.user).first()
    tasks = list(cycle.tasks.filter(candidate=assignment.candidate).order_by("due_on", "pk"))
    return render(request, "evaluation/rate.html", {"assignment": assignment, "cycle": cycle, "sent": sent,
                                                    "error": error, "posted": request.POST, "tasks": tasks,
                                                    "task_statuses": _task_statuses(),
                                                    "is_manager": assignment.rater_as == RaterAssignment.As.MANAGER},
                  status=400 if error else 200)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    results = selectors.own_results(request.user)
    return render(request, "evaluation/mine.html", {"pending": selectors.pending_for(request.user), "results": results,
                                                    "ratings": dict(_rating_words())})


@login_required
@require_GET
def rollup(request: HttpRequest) -> HttpResponse:
    """From the city to the grassroots: completion and ratings per unit for a period, drillable."""
    _require_runner(request.user)
    kind = request.GET.get("kind") if request.GET.get("kind") in EvaluationCycle.Kind.values else "monthly"
    period = (request.GET.get("period") or "").strip()
    if not services.PERIOD[kind].match(period) and not (kind == "monthly" and services.PERIOD["yearly"].match(period)):
        period = str(timezone.localdate().year)
    raw = request.GET.get("organization") or ""
    unit = Organization.objects.for_user(request.user).filter(pk=int(raw)).first() if raw.isdigit() else None
    data = selectors.rollup(request.user, kind, period, unit)
    if data["root"] is not None:
        audit(actor=request.user, action="evaluation.read", obj=data["root"],
              changes={"page": "rollup", "kind": kind, "period": period})
    return render(request, "evaluation/rollup.html", {**data, "kind": kind, "period": period,
                                                      "kinds": EvaluationCycle.Kind.choices,
                                                      "ratings": dict(_rating_words())})
