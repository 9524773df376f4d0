"""A candidate's score breakdown and eligibility, the person's own score page, and contests of a record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring import selectors, services
from scoring.features import FEATURE_BY_KEY
from scoring.forms import MISSING_APPLIED, ContestForm, ContestResolveForm
from scoring.models import RecordContest, Rubric, RubricVersion, Score, ScoreRun
from scoring.selectors import display_value, why_not_ranked
from scoring.views.common import PAGE_SIZE, STAFF, TONES, _condition_words, _num, _require, _role
from talent.forms import apply_service_errors
from talent.models import Candidate, Role
from talent.readlog import record_reads
from talent.views import _vary_on_htmx, wants_fragment

# --- A candidate's score ------------------------------------------------------------------------------

def _default_rubric(candidate: Candidate, rubrics: list[Rubric]) -> Rubric:
    """The rubric under which the person was last ranked in the whole-population ranking."""
    slug = (Score.objects.filter(candidate=candidate, run__cohort="all", run__status=ScoreRun.Status.SUCCEEDED,
                                 run__version__state=RubricVersion.State.ACTIVE)
            .order_by("-run__created_at").values_list("run__version__rubric__slug", flat=True).first())
    return next((r for r in rubrics if r.slug == slug), rubrics[0])


def _breakdown_lines(breakdown: dict[str, Any]) -> list[dict[str, Any]]:
    top_weight = max((line["weight"] for line in breakdown["criteria"]), default=0.0) or 1.0
    lines = []
    for index, line in enumerate(breakdown["criteria"]):
        missing = line["value"] is None
        feature = FEATURE_BY_KEY.get(line["feature"])
        text = display_value(line["value"])
        if not missing and feature is not None and feature.unit:
            text = f"{text} {feature.unit}"
        # The missing-value policy is said only where it was applied: on a criterion without a value.
        lines.append({**line, "value_text": text, "tone": index % TONES, "is_missing": missing,
                      "missing_words": MISSING_APPLIED.get(line["missing"], line["missing"]) if missing else "",
                      "track": _num(line["weight"]), "fill": _num(max(line["contribution"], 0.0)),
                      "top_weight": _num(top_weight)})
    return lines


def _eligibility_rows(candidate: Candidate) -> list[dict[str, Any]]:
    rows = []
    for rule_set, results in selectors.candidate_eligibility(candidate):
        rules = []
        for result in results:
            conditions = [{**_condition_words(c), "actual": display_value((c["actual"])), "passed": c["passed"]}
                          for c in result["conditions"]]
            rules.append({"label": result["label"], "source": result["source"], "mode": result["mode"],
                          "passed": result["passed"], "conditions": conditions})
        rows.append({"rule_set": rule_set, "passed": all(r["passed"] for r in rules), "rules": rules})
    return rows


def _score_context(request: HttpRequest, candidate: Candidate, *, slug: str | None = None,
                   contest_form: ContestForm | None = None, contest_sent: bool = False) -> dict[str, Any]:
    user = request.user
    rubrics = list(Rubric.objects.for_user(user).order_by("slug"))
    is_owner = candidate.user_id is not None and candidate.user_id == user.pk
    context: dict[str, Any] = {
        "candidate": candidate, "rubrics": rubrics, "breakdown": None, "is_owner": is_owner,
        "contest_form": contest_form, "contest_sent": contest_sent,
        "contests": list(RecordContest.objects.for_user(user).filter(candidate=candidate)[:10]),
        "eligibility": _eligibility_rows(candidate),
    }
    if not rubrics:
        return context
    rubric = next((r for r in rubrics if r.slug == slug), None) or _default_rubric(candidate, rubrics)
    context["rubric"] = rubric
    try:
        run = services.score_run_latest_or_execute(rubric=rubric, cohort=services.Cohort("all"), actor=None)
    except ValidationError as exc:
        context["run_error"] = " ".join(exc.messages)
        return context
    breakdown = selectors.candidate_breakdown(run, candidate)
    context["run"] = run
    if breakdown is None:
        context["not_ranked"] = why_not_ranked(run.version, candidate)
        return context
    context["breakdown"] = breakdown
    context["lines"] = _breakdown_lines(breakdown)
    context["contribution_sum"] = round(sum(line["contribution"] for line in breakdown["criteria"]), 4)
    return context


def _render_score(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    if wants_fragment(request):
        # htmx swaps only 2xx answers: a refused contest comes back as 200 with the form showing why.
        return _vary_on_htmx(render(request, "scoring/_candidate_score.html", context))
    return _vary_on_htmx(render(request, "scoring/candidate_score.html", context, status=status))


def _visible_candidate(request: HttpRequest, pk: int) -> Candidate:
    return get_object_or_404(Candidate.objects.for_user(request.user).select_related("organization"), pk=pk)


@login_required
@require_GET
def candidate_score(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's breakdown, what would move their rank, and eligibility: for whoever may open the
    person (a student: only themself; anyone else's id is a 404)."""
    candidate = _visible_candidate(request, pk)
    record_reads(user=request.user, candidate_ids=[candidate.pk], via="page.score")
    return _render_score(request, _score_context(request, candidate, slug=request.GET.get("rubric")))


@login_required
@require_GET
def my_score(request: HttpRequest) -> HttpResponse:
    candidate = Candidate.objects.for_user(request.user).active().filter(user=request.user).first()
    if candidate is None:
        raise Http404(_("Tài khoản của bạn không gắn với hồ sơ ứng viên nào."))
    return HttpResponseRedirect(reverse("candidate-score", args=[candidate.pk]))


@login_required
@require_POST
def contest_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A person says a record behind one criterion is wrong: a verification task for their liaison."""
    candidate = _visible_candidate(request, pk)
    rubric = Rubric.objects.for_user(request.user).filter(slug=request.POST.get("rubric", "")).first()
    form = ContestForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data["criterion"]
        criteria = {c["key"]: c for c in (rubric.active_version.criteria if rubric and rubric.active_version else [])}
        if key not in criteria:
            form.add_error(None, _("Tiêu chí không thuộc bộ tiêu chí đang xem."))
        else:
            try:
                services.contest_open(candidate=candidate, criterion=key,
                                      criterion_label=criteria[key].get("label") or key,
                                      message=form.cleaned_data["message"], rubric=rubric, actor=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if wants_fragment(request):
                    return _render_score(request, _score_context(request, candidate, slug=rubric.slug,
                                                                 contest_sent=True))
                messages.success(request, _("Đã gửi phản hồi cho cán bộ liên lạc. Kết quả xác minh sẽ hiện ở "
                                            "trang «Phản hồi hồ sơ»."))
                return HttpResponseRedirect(f"{reverse('candidate-score', args=[candidate.pk])}?"
                                            f"{urlencode({'rubric': rubric.slug})}")
    context = _score_context(request, candidate, slug=rubric.slug if rubric else None, contest_form=form)
    return _render_score(request, context, status=400)


# --- Contests ----------------------------------------------------------------------------------------

CONTEST_FILTERS = ("open", "corrected", "rejected", "all")


@login_required
@require_GET
def contest_list(request: HttpRequest) -> HttpResponse:
    """Staff: contests of people in their scope, to resolve. A student: their own, with the answer."""
    role = _role(request)
    if role not in STAFF and role != Role.STUDENT:
        raise PermissionDenied(_("Trang này dành cho cán bộ quản lý hồ sơ và người có hồ sơ."))
    is_staff = role in STAFF
    status = request.GET.get("status") or ("open" if is_staff else "all")
    if status not in CONTEST_FILTERS:
        status = "open" if is_staff else "all"
    contests = (RecordContest.objects.for_user(request.user)
                .select_related("candidate__organization", "rubric", "resolved_by").order_by("-created_at", "-pk"))
    if status != "all":
        contests = contests.filter(status=status)
    page = Paginator(contests, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"contest": c, "form": ContestResolveForm(auto_id=f"id_contest{c.pk}_%s")
              if is_staff and c.status == RecordContest.Status.OPEN else None} for c in page.object_list]
    filters = [("open", _("Chờ xác minh")), ("corrected", _("Đã sửa")), ("rejected", _("Giữ nguyên")),
               ("all", _("Tất cả"))]
    return render(request, "scoring/contest_list.html", {
        "page_obj": page, "items": items, "status": status, "filters": filters, "is_staff_view": is_staff,
        "own_candidate": None if is_staff else Candidate.objects.for_user(request.user).filter(
            user=request.user).first(),
    })


@login_required
@require_POST
def contest_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, STAFF, _("Chỉ cán bộ quản lý hồ sơ được xử lý phản hồi."))
    contest = get_object_or_404(RecordContest.objects.for_user(request.user), pk=pk)
    form = ContestResolveForm(request.POST)
    if form.is_valid():
        try:
            services.contest_resolve(contest=contest, status=form.cleaned_data["status"],
                                     note=form.cleaned_data["note"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã xử lý phản hồi của %(name)s.") % {"name": contest.candidate.full_name})
    else:
        messages.error(request, _("Hãy chọn kết quả xác minh."))
    status = request.POST.get("next_status")
    query = f"?{urlencode({'status': status})}" if status in CONTEST_FILTERS else ""
    return HttpResponseRedirect(reverse("contest-list") + query)
