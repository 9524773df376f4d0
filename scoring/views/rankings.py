"""The rankings page: a cohort ranked under a rubric, with blind mode, the fairness panel and re-scoring jobs."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.models import Job
from scoring import selectors, services
from scoring.forms import RankingFilterForm
from scoring.models import Rubric, RubricVersion, ScoreRun
from scoring.views.common import DEFAULT_CUT, EDITORS, PAGE_SIZE, STAFF, TONES, _num, _require, _role, blind_mode
from talent.models import Organization, Role, TalentPool, user_organization, user_role
from talent.readlog import record_reads
from talent.views import _vary_on_htmx, wants_fragment

# --- Rankings ---------------------------------------------------------------------------------------

def _cohort_choices(user: Any) -> list[tuple[str, str]]:
    """Cohorts the user may look at: everyone (admin, officer), their unit and its direct sub-units
    (staff), and the pools they can see (a recruiter: only pools shared with their agency)."""
    role = user_role(user)
    choices: list[tuple[str, str]] = []
    if role in EDITORS:
        choices.append(("all", _("Toàn bộ")))
    if role in STAFF:
        org = user_organization(user)
        units = Organization.objects.for_user(user)
        units = (units.filter(Q(pk=org.pk) | Q(parent=org)).order_by("path") if org is not None
                 else units.filter(parent__isnull=True).order_by("name"))
        choices += [(f"org:{unit.pk}", _("Đơn vị: %(name)s") % {"name": unit.name}) for unit in units]
    choices += [(f"pool:{pool.pk}", _("Nguồn: %(name)s") % {"name": pool.name})
                for pool in TalentPool.objects.for_user(user).order_by("name")]
    return choices


def _may_start(user: Any, cohort: services.Cohort) -> bool:
    try:
        services.check_may_rank(user, cohort)
    except PermissionDenied:
        return False
    return True


def _segments(contributions: dict[str, float], criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stacked bar of one score: each criterion's contribution laid end to end."""
    out, x = [], 0.0
    for index, criterion in enumerate(criteria):
        value = float(contributions.get(criterion["key"], 0.0))
        if value > 0:
            out.append({"x": _num(x), "width": _num(value), "value": value, "tone": index % TONES,
                        "label": criterion.get("label") or criterion["key"]})
        x += value
    return out


def _scoring_job(request: HttpRequest, raw: str | None) -> Job | None:
    try:
        pk = uuid.UUID(str(raw))
    except ValueError:
        return None
    return Job.objects.for_user(request.user).filter(pk=pk, kind="scoring.run").first()


@login_required
@require_GET
def ranking_list(request: HttpRequest) -> HttpResponse:
    """The newest ranking of a cohort under a rubric, with blind mode and the fairness panel."""
    user = request.user
    role = _role(request)
    if role not in STAFF and role != Role.RECRUITER:
        raise PermissionDenied(_("Chỉ cán bộ được xem bảng xếp hạng."))
    blind = blind_mode(request)
    rubrics = list(Rubric.objects.for_user(user).order_by("slug"))
    cohorts = _cohort_choices(user)
    form = RankingFilterForm(request.GET or None, rubrics=[(r.slug, r.name) for r in rubrics], cohorts=cohorts,
                             initial={"top": DEFAULT_CUT})
    if form.is_bound:
        form.is_valid()  # invalid fields drop out of cleaned_data and are shown, never raised
    context: dict[str, Any] = {"form": form, "blind": blind, "run": None, "rows": [], "fairness": None,
                               "is_staff_view": role in STAFF}
    if not rubrics or not cohorts:
        return render(request, "scoring/ranking_list.html", context)

    slug = form.value("rubric", rubrics[0].slug)
    rubric = next(r for r in rubrics if r.slug == slug)
    top = form.value("top", DEFAULT_CUT)
    cohort = services.cohort_parse(form.value("cohort", cohorts[0][0]), user=user)
    context.update({"rubric": rubric, "cohort": cohort, "top": top,
                    "can_run": role in STAFF and _may_start(user, cohort),
                    "job": _scoring_job(request, request.GET.get("job"))})
    try:
        run = services.score_run_latest_or_execute(rubric=rubric, cohort=cohort, actor=None)
    except ValidationError as exc:
        context["run_error"] = " ".join(exc.messages)
        return render(request, "scoring/ranking_list.html", context)

    version = run.version
    criteria = version.criteria
    max_score = sum(float(c["weight"]) for c in criteria) or 1.0
    page = Paginator(selectors.run_scores(user, run), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{
        "rank": score.rank, "candidate_id": score.candidate_id, "name": score.candidate.full_name,
        "organization": score.candidate.organization.name, "score": score.score, "percentile": score.percentile,
        "segments": _segments(score.contributions, criteria), "in_top": score.rank <= top,
    } for score in page.object_list]
    record_reads(user=user, candidate_ids=[row["candidate_id"] for row in rows], via="page.ranking")
    context.update({
        "run": run, "version": version, "page_obj": page, "rows": rows, "max_score": _num(max_score),
        "legend": [{"label": c.get("label") or c["key"], "weight": float(c["weight"]), "tone": i % TONES}
                   for i, c in enumerate(criteria)],
        # Aggregates over everyone ranked, by gender and ethnicity: staff only (never recruiters).
        "fairness": _fairness(run, top) if role in STAFF else None,
    })
    if context["job"] is not None:
        context.update(_job_links(context["job"]))
    return render(request, "scoring/ranking_list.html", context)


def _fairness(run: ScoreRun, top: int) -> list[dict[str, Any]]:
    report = selectors.fairness_report(run, top)
    return [{**grouping, "groups": [{**row, "rate_percent": None if row["rate"] is None else row["rate"] * 100}
                                    for row in grouping["groups"]]} for grouping in report]


@login_required
@require_POST
def ranking_run(request: HttpRequest) -> HttpResponse:
    """Start a full re-ranking of a cohort in the background; the rankings page shows its progress."""
    _require(request, STAFF, _("Chỉ cán bộ quản lý hồ sơ được tính điểm xếp hạng."))
    rubric = get_object_or_404(Rubric.objects.for_user(request.user), slug=request.POST.get("rubric", ""))
    params = {"rubric": rubric.slug, "cohort": request.POST.get("cohort", "all")}
    if request.POST.get("top"):
        params["top"] = request.POST["top"]
    try:
        cohort = services.cohort_parse(params["cohort"], user=request.user)
        job = services.score_run_start(rubric=rubric, cohort=cohort, actor=request.user)  # PermissionDenied: 403
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        params["job"] = str(job.pk)
        messages.info(request, _("Đã bắt đầu tính lại điểm xếp hạng; có thể rời trang, việc vẫn chạy tiếp."))
    return HttpResponseRedirect(f"{reverse('ranking-list')}?{urlencode(params)}")


@login_required
@require_GET
def ranking_job(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The progress of a re-ranking (polled by htmx every second until it ends)."""
    _require(request, STAFF, _("Chỉ cán bộ quản lý hồ sơ được tính điểm xếp hạng."))
    job = get_object_or_404(Job.objects.for_user(request.user), pk=pk, kind="scoring.run")
    if not wants_fragment(request):
        return HttpResponseRedirect(reverse("job-detail", args=[job.pk]))
    response = render(request, "scoring/_run_job.html", {"job": job, **_job_links(job)})
    response["Cache-Control"] = "no-store"
    return _vary_on_htmx(response)


def _job_links(job: Job) -> dict[str, Any]:
    version = RubricVersion.objects.filter(pk=job.params.get("version")).select_related("rubric").first()
    query = {"cohort": job.params.get("cohort", "all")}
    if version is not None:
        query["rubric"] = version.rubric.slug
    return {"result_url": f"{reverse('ranking-list')}?{urlencode(query)}"}
