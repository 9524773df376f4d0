"""Survey pages: the list, the builder, answering and the results with their exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clubs import surveys
from clubs.forms import BUILDER_START_ROWS, SurveyAnswerForm, SurveyForm, SurveyQuestionFormSet
from clubs.models import Survey
from core.spreadsheets import XLSX
from talent.forms import apply_service_errors

# --- Surveys -----------------------------------------------------------------------------------------

@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    answerable = list(surveys.surveys_answerable(user, now).order_by("answered", "closes_at", "-created_at")[:100])
    managed = list(surveys.surveys_managed_by(user).select_related("club", "event", "pool")
                   .annotate(response_count=Count("responses")).order_by("-created_at")[:100])
    return render(request, "clubs/survey_list.html", {
        "answerable": answerable, "managed": managed, "can_create": surveys.may_create_surveys(user), "now": now,
    })


def _builder_formset(request: HttpRequest) -> Any:
    if request.method != "POST":
        return SurveyQuestionFormSet(prefix="questions", initial=[
            {"kind": "single", "scale_min": 1, "scale_max": 5, "required": True}] * BUILDER_START_ROWS)
    data = request.POST.copy()
    if "add_row" in data:
        # One more empty row, keeping everything typed so far (works without JavaScript).
        total = int(data.get("questions-TOTAL_FORMS") or 0)
        data["questions-TOTAL_FORMS"] = str(min(total + 1, 50))
    return SurveyQuestionFormSet(data, prefix="questions")


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not surveys.may_create_surveys(user):
        raise PermissionDenied(_("Chỉ cán bộ và ban điều hành câu lạc bộ được lập khảo sát."))
    form = SurveyForm(request.POST or None, user=user,
                      initial={"target": request.GET.get("target") or Survey.Target.CLUB,
                               "event": request.GET.get("event"), "club": request.GET.get("club"),
                               "is_feedback": request.GET.get("feedback") == "1"})
    formset = _builder_formset(request)
    question_errors: dict[int, list[str]] = {}
    status = 200
    if request.method == "POST" and "add_row" not in request.POST:
        if form.is_valid() and formset.is_valid():
            filled = [f for f in formset.forms if not f.is_blank]
            try:
                survey = surveys.survey_create(actor=user, questions=[f.as_spec() for f in filled],
                                               **form.service_kwargs())
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                    # "Câu n" errors go on the row that holds question n (blank rows are skipped).
                    rows = [formset.forms.index(f) for f in filled]
                    for key, items in exc.message_dict.items():
                        if key.startswith("question_"):
                            number = int(key.removeprefix("question_"))
                            question_errors.setdefault(rows[number - 1], []).extend(items)
                    others = {k: v for k, v in exc.message_dict.items() if not k.startswith("question_")}
                    if others:
                        apply_service_errors(form, ValidationError(others))
                else:
                    apply_service_errors(form, exc, permission_field="target")
            else:
                messages.success(request, _("Đã lập khảo sát %(title)s.") % {"title": survey.title})
                return HttpResponseRedirect(reverse("survey-detail", args=[survey.pk]))
        status = 400
    rows = [(f, question_errors.get(i, [])) for i, f in enumerate(formset.forms)]
    return render(request, "clubs/survey_form.html", {
        "form": form, "formset": formset, "rows": rows, "has_errors": bool(form.errors or question_errors
                                                                          or formset.total_error_count()),
    }, status=status)


def _survey(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.for_user(request.user).select_related("club", "event", "pool"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = _survey(request, pk)
    questions = list(survey.questions.all())
    answered = surveys.has_answered(survey, user)
    problem = None if answered else surveys.answer_problem(survey, user)
    form = SurveyAnswerForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST":
        if answered or problem:
            messages.error(request, _("Bạn đã trả lời khảo sát này.") if answered else problem)
            return HttpResponseRedirect(reverse("survey-detail", args=[survey.pk]))
        if form.is_valid():
            try:
                surveys.survey_respond(survey=survey, user=user, answers=form.answers())
            except (ValidationError, PermissionDenied) as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Cảm ơn bạn đã trả lời khảo sát."))
                return HttpResponseRedirect(reverse("survey-detail", args=[survey.pk]))
        status = 400
    return render(request, "clubs/survey_detail.html", {
        "survey": survey, "questions": questions, "form": form, "answered": answered, "problem": problem,
        "can_manage": surveys.may_manage_survey(user, survey),
    }, status=status)


def _managed_survey(request: HttpRequest, pk: int) -> Survey:
    survey = _survey(request, pk)
    if not surveys.may_manage_survey(request.user, survey):
        raise PermissionDenied(_("Chỉ người quản lý khảo sát được xem kết quả."))
    return survey


@login_required
@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed_survey(request, pk)
    return render(request, "clubs/survey_results.html", {"survey": survey, "results": surveys.survey_results(survey)})


@login_required
@require_GET
def survey_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = _managed_survey(request, pk)
    data = surveys.survey_export(survey=survey, actor=request.user, fmt=fmt)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{survey.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
