"""Pages of the scoring module (Django templates + htmx): rankings with a blind mode and a fairness
panel, a candidate's score breakdown and eligibility, contests, rubrics and their editor, eligibility
rule sets and the potential model's card.

Views are thin: reads go through ``scoring.selectors`` or ``for_user`` querysets, writes through
``scoring.services`` (which check roles again). Who may open which page is decided here, before any
lookup, so a role without access gets the same 403 whatever it asks for.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from itertools import zip_longest
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.models import Job
from privacy.services import record_reads
from scoring import engine, selectors, services
from scoring.features import FEATURE_BY_KEY
from scoring.forms import (
    DIRECTION_LABELS,
    MISSING_LABELS,
    MISSING_SHORT,
    NORMALIZATION_LABELS,
    OPERATOR_LABELS,
    ContestForm,
    ContestResolveForm,
    CriterionForm,
    CriterionFormSet,
    FilterFormSet,
    FilterRowForm,
    RankingFilterForm,
    RuleSetForm,
    VersionNoteForm,
    rows_of,
)
from scoring.models import EligibilityRuleSet, PotentialModel, RecordContest, Rubric, RubricVersion, Score, ScoreRun
from scoring.selectors import display_value, why_not_ranked
from talent.forms import apply_service_errors
from talent.models import Candidate, Organization, Role, TalentPool, user_organization, user_role
from talent.permissions import MANAGING_ROLES
from talent.views import _vary_on_htmx, wants_fragment

STAFF = MANAGING_ROLES  # admin, officer, liaison
EDITORS = frozenset({Role.ADMIN, Role.OFFICER})
BLIND_SESSION_KEY = "scoring_blind"
PAGE_SIZE = 25
DEFAULT_CUT = 20
PREVIEW_TOP = 20
TONES = 8  # colour classes of criteria in the bars (app.css .tone-0 … .tone-7)


def _role(request: HttpRequest) -> str | None:
    return user_role(request.user)


def _require(request: HttpRequest, roles: frozenset[str] | set[str], message: str) -> None:
    if _role(request) not in roles:
        raise PermissionDenied(message)


def _num(value: float) -> str:
    """A number for an SVG attribute: never localized (a decimal comma would break the drawing)."""
    return f"{float(value):.4f}"


def blind_mode(request: HttpRequest) -> bool:
    """``?blind=1`` / ``?blind=0`` switch blind mode; the choice is remembered for the session."""
    raw = request.GET.get("blind")
    if raw in ("0", "1"):
        request.session[BLIND_SESSION_KEY] = raw == "1"
    return bool(request.session.get(BLIND_SESSION_KEY, False))


def _criterion_words(criterion: dict[str, Any]) -> dict[str, Any]:
    """One criterion of a rubric version, in words for the tables."""
    feature = FEATURE_BY_KEY.get(criterion.get("feature", ""))
    normalization = criterion.get("normalization", "minmax")
    words = str(NORMALIZATION_LABELS.get(normalization, normalization))
    if normalization == "fixed":
        words = f"{words} {display_value(criterion.get('scale_min'))}–{display_value(criterion.get('scale_max'))}"
    return {
        "key": criterion.get("key", ""),
        "label": criterion.get("label") or criterion.get("key", ""),
        "feature": criterion.get("feature", ""),
        "feature_label": feature.label if feature else criterion.get("feature", ""),
        "feature_help": feature.help if feature else "",
        "weight": float(criterion.get("weight") or 0),
        "normalization": words,
        "direction": DIRECTION_LABELS.get(criterion.get("direction", "higher"), criterion.get("direction")),
        "missing": MISSING_LABELS.get(criterion.get("missing", ""), criterion.get("missing", "")),
        "cap": criterion.get("cap"),
        "rationale": criterion.get("rationale", ""),
    }


def _condition_words(condition: dict[str, Any]) -> dict[str, Any]:
    feature = FEATURE_BY_KEY.get(condition.get("feature", ""))
    return {
        "label": condition.get("label") or "",
        "feature_label": feature.label if feature else condition.get("feature", ""),
        "op": condition.get("op", ""),
        "op_words": OPERATOR_LABELS.get(condition.get("op", ""), condition.get("op", "")),
        "value": display_value((condition.get("value"))),
    }


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
        lines.append({**line, "value_text": display_value((line["value"])), "tone": index % TONES,
                      "missing_words": MISSING_SHORT.get(line["missing"], line["missing"]),
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


# --- Rubrics ------------------------------------------------------------------------------------------

def _rubric(request: HttpRequest, slug: str) -> Rubric:
    return get_object_or_404(Rubric.objects.for_user(request.user), slug=slug)


@login_required
@require_GET
def rubric_list(request: HttpRequest) -> HttpResponse:
    """Every rubric and its active version: how people are ranked is not a secret."""
    rubrics = list(Rubric.objects.for_user(request.user).order_by("slug").prefetch_related("versions"))
    rows = []
    for rubric in rubrics:
        versions = list(rubric.versions.all())
        active = next((v for v in versions if v.state == RubricVersion.State.ACTIVE), None)
        rows.append({"rubric": rubric, "active": active, "criteria_count": len(active.criteria) if active else 0,
                     "has_draft": any(v.state == RubricVersion.State.DRAFT for v in versions)})
    return render(request, "scoring/rubric_list.html", {"rows": rows, "is_editor": _role(request) in EDITORS})


@login_required
@require_GET
def rubric_detail(request: HttpRequest, slug: str) -> HttpResponse:
    rubric = _rubric(request, slug)
    is_editor = _role(request) in EDITORS
    versions = list(rubric.versions.select_related("activated_by", "created_by").order_by("-number"))
    if not is_editor:  # drafts are work in progress
        versions = [v for v in versions if v.state != RubricVersion.State.DRAFT]
    active = next((v for v in versions if v.state == RubricVersion.State.ACTIVE), None)
    draft = next((v for v in versions if v.state == RubricVersion.State.DRAFT), None)
    wanted = request.GET.get("v")
    shown = next((v for v in versions if str(v.number) == wanted), None) or active or (versions[0] if versions else None)
    return render(request, "scoring/rubric_detail.html", {
        "rubric": rubric, "versions": versions, "active": active, "draft": draft, "shown": shown,
        "criteria": [_criterion_words(c) for c in shown.criteria] if shown else [],
        "filters": [_condition_words(f) for f in shown.filters] if shown else [],
        "total_weight": sum(float(c.get("weight") or 0) for c in shown.criteria) if shown else 0,
        "is_editor": is_editor,
    })


@login_required
@require_POST
def rubric_draft(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a draft from the active version (or open the draft that already exists)."""
    _require(request, EDITORS, _("Chỉ quản trị viên và cán bộ Đoàn được sửa bộ tiêu chí."))
    draft = services.rubric_draft_create(rubric=_rubric(request, slug), actor=request.user)
    return HttpResponseRedirect(reverse("rubric-version-edit", args=[slug, draft.number]))


@login_required
@require_http_methods(["GET", "POST"])
def rubric_version_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The draft's criteria and filters as rows. An active or archived version is immutable: the
    service refuses any change to it."""
    _require(request, EDITORS, _("Chỉ quản trị viên và cán bộ Đoàn được sửa bộ tiêu chí."))
    rubric = _rubric(request, slug)
    version = get_object_or_404(rubric.versions.all(), number=number)
    service_errors: list[str] = []
    if request.method == "GET":
        if version.state != RubricVersion.State.DRAFT:
            messages.info(request, _("Phiên bản %(n)s đã áp dụng nên không sửa được; hãy tạo bản nháp mới.")
                          % {"n": version.number})
            return HttpResponseRedirect(f"{reverse('rubric-detail', args=[slug])}?v={version.number}")
        criteria = CriterionFormSet(prefix="criteria", initial=[CriterionForm.initial_from(c)
                                                                for c in version.criteria])
        filters = FilterFormSet(prefix="filters", initial=[FilterRowForm.initial_from(f) for f in version.filters])
        note = VersionNoteForm(initial={"note": version.note})
        status = 200
    else:
        criteria = CriterionFormSet(request.POST, prefix="criteria")
        filters = FilterFormSet(request.POST, prefix="filters")
        note = VersionNoteForm(request.POST)
        if criteria.is_valid() and filters.is_valid() and note.is_valid():
            try:
                services.rubric_draft_update(version=version, criteria=rows_of(criteria, "as_criterion"),
                                             filters=rows_of(filters, "as_filter"), note=note.cleaned_data["note"],
                                             actor=request.user)
            except ValidationError as exc:
                service_errors = exc.messages
            else:
                messages.success(request, _("Đã lưu bản nháp phiên bản %(n)s.") % {"n": version.number})
                return HttpResponseRedirect(f"{reverse('rubric-detail', args=[slug])}?v={version.number}")
        status = 400
    return render(request, "scoring/rubric_edit.html", {
        "rubric": rubric, "version": version, "criteria_formset": criteria, "filters_formset": filters,
        "note_form": note, "service_errors": service_errors,
    }, status=status)


@login_required
@require_POST
def rubric_version_activate(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    _require(request, EDITORS, _("Chỉ quản trị viên và cán bộ Đoàn được sửa bộ tiêu chí."))
    rubric = _rubric(request, slug)
    version = get_object_or_404(rubric.versions.all(), number=number)
    try:
        services.rubric_version_activate(version=version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã kích hoạt phiên bản %(n)s; phiên bản trước được lưu trữ và vẫn tái lập được.")
                         % {"n": version.number})
    return HttpResponseRedirect(reverse("rubric-detail", args=[slug]))


@login_required
@require_GET
def rubric_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Before activating: the active and the draft version's top 20 of everyone, side by side, and
    the Kendall tau between them (over the full orderings, and over the two top-20 lists)."""
    _require(request, EDITORS, _("Chỉ quản trị viên và cán bộ Đoàn được sửa bộ tiêu chí."))
    rubric = _rubric(request, slug)
    active = rubric.versions.filter(state=RubricVersion.State.ACTIVE).first()
    draft = rubric.versions.filter(state=RubricVersion.State.DRAFT).first()
    context: dict[str, Any] = {"rubric": rubric, "active": active, "draft": draft, "blind": blind_mode(request),
                               "top": PREVIEW_TOP}
    if active is not None and draft is not None:
        try:
            old, _frame = services.rank_cohort(active, services.Cohort("all"))
            new, _frame = services.rank_cohort(draft, services.Cohort("all"))
        except (engine.RubricError, KeyError, TypeError, ValueError) as exc:
            context["error"] = str(exc)
        else:
            context.update(_preview_context(request, old, new))
    template = "scoring/_rubric_preview.html" if wants_fragment(request) else "scoring/rubric_preview.html"
    return _vary_on_htmx(render(request, template, context))


def _preview_context(request: HttpRequest, old: engine.Ranking, new: engine.Ranking) -> dict[str, Any]:
    old_order = [int(cid) for cid in old.table.index]
    new_order = [int(cid) for cid in new.table.index]
    old_top, new_top = old_order[:PREVIEW_TOP], new_order[:PREVIEW_TOP]
    old_rank = dict(zip(old_order, range(1, len(old_order) + 1)))
    new_rank = dict(zip(new_order, range(1, len(new_order) + 1)))
    # Names only of people the editor may see; everyone else by number.
    names = dict(Candidate.objects.for_user(request.user).filter(pk__in={*old_top, *new_top})
                 .values_list("pk", "full_name"))

    def entry(cid: int | None, ranking: engine.Ranking, other: dict[int, int]) -> dict[str, Any] | None:
        if cid is None:
            return None
        return {"id": cid, "name": names.get(cid), "score": float(ranking.table.at[cid, "score"]),
                "other_rank": other.get(cid)}

    rows = [{"rank": i + 1, "old": entry(a, old, new_rank), "new": entry(b, new, old_rank)}
            for i, (a, b) in enumerate(zip_longest(old_top, new_top))]
    return {"rows": rows, "tau_full": engine.kendall_tau(old_order, new_order),
            "tau_top": engine.kendall_tau(old_top, new_top), "overlap": len(set(old_top) & set(new_top)),
            "old_size": len(old_order), "new_size": len(new_order)}


# --- Eligibility rule sets ---------------------------------------------------------------------------

@login_required
@require_GET
def rule_set_list(request: HttpRequest) -> HttpResponse:
    """Every rule set, each rule with its conditions in words and the text it rests on."""
    rule_sets = []
    for rule_set in EligibilityRuleSet.objects.for_user(request.user).select_related("updated_by").order_by("slug"):
        rules = [{"label": r.get("label", ""), "source": r.get("source", ""), "mode": r.get("mode", "all"),
                  "conditions": [_condition_words(c) for c in r.get("conditions", [])]} for r in rule_set.rules]
        rule_sets.append({"rule_set": rule_set, "rules": rules})
    return render(request, "scoring/rule_set_list.html",
                  {"rule_sets": rule_sets, "is_admin": _role(request) == Role.ADMIN})


@login_required
@require_http_methods(["GET", "POST"])
def rule_set_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _require(request, {Role.ADMIN}, _("Chỉ quản trị viên được sửa bộ điều kiện."))
    rule_set = get_object_or_404(EligibilityRuleSet.objects.for_user(request.user), slug=slug)
    if request.method == "POST":
        form = RuleSetForm(request.POST)
        if form.is_valid():
            try:
                services.rule_set_update(rule_set=rule_set, rules=form.cleaned_data["rules"],
                                         source=form.cleaned_data["source"], caution=form.cleaned_data["caution"],
                                         actor=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu «%(name)s» (phiên bản %(n)s).")
                                 % {"name": rule_set.name, "n": rule_set.version})
                return HttpResponseRedirect(f"{reverse('rule-set-list')}#rule-set-{rule_set.slug}")
        status = 400
    else:
        form = RuleSetForm(initial={"source": rule_set.source, "caution": rule_set.caution,
                                    "rules": json.dumps(rule_set.rules, ensure_ascii=False, indent=2)})
        status = 200
    return render(request, "scoring/rule_set_edit.html", {"rule_set": rule_set, "form": form}, status=status)


# --- The potential model ------------------------------------------------------------------------------

# The card's keys in words. gettext_noop marks them for the catalog; they are translated when shown.
CARD_LABELS = {
    "n": gettext_noop("Số người trong dữ liệu huấn luyện"), "n_samples": gettext_noop("Số mẫu"),
    "size": gettext_noop("Cỡ dữ liệu"), "data_size": gettext_noop("Cỡ dữ liệu"),
    "positives": gettext_noop("Số người có kết quả tốt"), "negatives": gettext_noop("Số người còn lại"),
    "base_rate": gettext_noop("Tỉ lệ kết quả tốt"), "auc": gettext_noop("AUC (kiểm định chéo)"),
    "auc_mean": gettext_noop("AUC trung bình"), "auc_std": gettext_noop("Độ lệch chuẩn AUC"),
    "auc_folds": gettext_noop("AUC từng lần gập"), "folds": gettext_noop("Số lần gập (kiểm định chéo)"),
    "brier": gettext_noop("Điểm Brier"), "threshold": gettext_noop("Ngưỡng"),
    "calibration": gettext_noop("Hiệu chuẩn"), "importances": gettext_noop("Mức quan trọng của đặc trưng"),
    "feature_importances": gettext_noop("Mức quan trọng của đặc trưng"),
    "groups": gettext_noop("Chỉ số theo nhóm"), "group_metrics": gettext_noop("Chỉ số theo nhóm"),
    "overall": gettext_noop("Chỉ số chung"), "label": gettext_noop("Kết quả cần dự báo"),
    "data": gettext_noop("Dữ liệu"), "model": gettext_noop("Mô hình"), "model_note": gettext_noop("Về mô hình"),
    "sklearn_version": gettext_noop("Phiên bản scikit-learn"), "features": gettext_noop("Đặc trưng được dùng"),
    "dropped_features": gettext_noop("Đặc trưng bị bỏ (không khác nhau giữa các hồ sơ)"),
    "not_used": gettext_noop("Không dùng, và vì sao"), "trained_at": gettext_noop("Thời điểm huấn luyện"),
    "trained_by": gettext_noop("Người huấn luyện"), "as_of": gettext_noop("Dữ liệu tính đến ngày"),
    "version": gettext_noop("Phiên bản"), "intended_use": gettext_noop("Mục đích sử dụng"),
    "limitations": gettext_noop("Hạn chế"), "warning": gettext_noop("Cảnh báo"),
}
# Column names inside the card's tables.
CARD_COLUMNS = {
    "label": gettext_noop("Tên"), "feature": gettext_noop("Mã"), "grouping": gettext_noop("Cách chia nhóm"),
    "group": gettext_noop("Nhóm"), "count": gettext_noop("Số người"), "bin": gettext_noop("Khoảng"),
    "lower": gettext_noop("Từ"), "upper": gettext_noop("Đến"), "mean_predicted": gettext_noop("Dự báo trung bình"),
    "observed": gettext_noop("Tỉ lệ thực tế"), "permutation_mean": gettext_noop("Hoán vị: mức giảm AUC"),
    "permutation_std": gettext_noop("Hoán vị: độ lệch chuẩn"), "coefficient": gettext_noop("Hệ số"),
    "missing_coefficient": gettext_noop("Hệ số khi thiếu"), "selection_rate": gettext_noop("Tỉ lệ được chọn"),
    "recall": gettext_noop("Độ nhạy"), "auc": gettext_noop("AUC"), "too_small": gettext_noop("Quá ít để đánh giá"),
    "mean": gettext_noop("Trung bình"), "std": gettext_noop("Độ lệch chuẩn"), "n": gettext_noop("Số người"),
    "outer_label": gettext_noop("Cách chia nhóm"),
}
CODE_COLUMNS = frozenset({"grouping", "group", "outer_grouping", "outer_group"})


def _card_label(key: Any, *, column: bool = False) -> str:
    text = (CARD_COLUMNS.get(str(key)) if column else None) or CARD_LABELS.get(str(key))
    return _(text) if text else str(key).replace("_", " ")


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _mean_std(value: Any) -> str | None:
    if isinstance(value, dict) and "mean" in value and "std" in value and len(value) <= 3:
        return f"{display_value(value['mean'])} ± {display_value(value['std'])}"
    return None


def _card_text(value: Any) -> str:
    """A scalar of the card: numbers localized, ISO dates as dd/mm/yyyy."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) <= 10:
            return moment.strftime("%d/%m/%Y")
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%d/%m/%Y %H:%M")
    return display_value(value)


def _cell(value: Any) -> str:
    if _is_scalar(value):
        return _card_text(value)
    text = _mean_std(value)
    if text is not None:
        return text
    if isinstance(value, list) and all(_is_scalar(v) for v in value):
        return ", ".join(_card_text(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def _explode(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows holding a list of rows (a grouping and its groups) become one row per inner row."""
    out: list[dict[str, Any]] = []
    for row in rows:
        nested = next((k for k, v in row.items() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)),
                      None)
        if nested is None:
            out.append(row)
            continue
        for inner in row[nested]:
            outer = {(f"outer_{k}" if k in inner else k): v for k, v in row.items() if k != nested}
            out.extend(_explode([{**outer, **inner}]))
    return out


def _leaves(node: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Nested dicts down to the rows of metrics ({"gender": {"female": {"auc": …}}})."""
    if isinstance(node, dict) and node and all(_is_scalar(v) or _mean_std(v) for v in node.values()):
        return [(path, node)]
    if isinstance(node, dict):
        return [leaf for key, child in node.items() for leaf in _leaves(child, (*path, _card_label(key)))]
    return []


def _card_table(value: Any) -> tuple[list[str], list[list[str]]] | None:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        rows = _explode(value)
        keys = list(dict.fromkeys(k for row in rows for k in row))
        if "label" in keys:  # codes next to their words add nothing for a reader
            keys = [k for k in keys if k not in CODE_COLUMNS]
        return [_card_label(k, column=True) for k in keys], [[_cell(row.get(k)) for k in keys] for row in rows]
    if isinstance(value, dict) and value and all(_is_scalar(v) or _mean_std(v) for v in value.values()):
        items = list(value.items())
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for _k, v in items):
            items.sort(key=lambda kv: -float(kv[1]))  # importances and the like: largest first
        return [_("Mục"), _("Giá trị")], [[_feature_or_label(k), _cell(v)] for k, v in items]
    leaves = _leaves(value) if isinstance(value, dict) else []
    if leaves:
        keys = list(dict.fromkeys(k for _path, row in leaves for k in row))
        return ([_("Nhóm"), *[_card_label(k, column=True) for k in keys]],
                [[" / ".join(path) or "—", *[_cell(row.get(k)) for k in keys]] for path, row in leaves])
    return None


def _feature_or_label(key: Any) -> str:
    feature = FEATURE_BY_KEY.get(str(key))
    if feature is not None:
        return feature.label
    return _card_label(key, column=True) if not isinstance(key, str) or key in CARD_COLUMNS or key in CARD_LABELS \
        else key


def card_sections(card: dict[str, Any]) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """A model card of any shape as facts (label, text) and tables (title, headers, rows of (header, cell))."""
    card = dict(card or {})
    facts: list[tuple[str, str]] = []
    tables: list[dict[str, Any]] = []
    if "auc_mean" in card and "auc_std" in card:  # one line: the mean ± the spread across folds
        facts.append((_("AUC (kiểm định chéo, trung bình ± độ lệch chuẩn)"),
                      f"{display_value(card.pop('auc_mean'))} ± {display_value(card.pop('auc_std'))}"))
    for key, value in card.items():
        label = _card_label(key)
        if _is_scalar(value):
            facts.append((label, _card_text(value)))
        elif _mean_std(value):
            facts.append((label, _mean_std(value) or ""))
        elif isinstance(value, list) and all(_is_scalar(v) for v in value):
            facts.append((label, ", ".join(_feature_or_label(v) if isinstance(v, str) else _card_text(v)
                                           for v in value) or "—"))
        else:
            table = _card_table(value)
            if table is None:
                facts.append((label, json.dumps(value, ensure_ascii=False)))
            else:
                headers, rows = table
                tables.append({"key": str(key), "title": label, "headers": headers,
                               "rows": [list(zip(headers, row)) for row in rows]})
    return facts, tables


def _trainer() -> Any:
    """``scoring.potential.potential_train`` when that module provides it (imported when used)."""
    from scoring import potential

    return getattr(potential, "potential_train", None)


@login_required
@require_GET
def potential_model(request: HttpRequest) -> HttpResponse:
    _require(request, STAFF, _("Chỉ cán bộ quản lý hồ sơ được xem mô hình dự báo."))
    models = PotentialModel.objects.for_user(request.user).defer("artifact").select_related("created_by")
    active = models.filter(active=True).first()
    facts, tables = card_sections(active.card) if active else ([], [])
    return render(request, "scoring/potential_model.html", {
        "model": active, "facts": facts, "tables": tables, "history": list(models.order_by("-version")[:10]),
        "can_train": _role(request) == Role.ADMIN, "trainer_ready": _trainer() is not None,
    })


@login_required
@require_POST
def potential_model_train(request: HttpRequest) -> HttpResponse:
    _require(request, {Role.ADMIN}, _("Chỉ quản trị viên được huấn luyện mô hình."))
    train = _trainer()
    if train is None:
        messages.error(request, _("Chức năng huấn luyện chưa được cài đặt."))
    else:
        try:
            result = train(actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            number = getattr(result, "version", None)
            messages.success(request, _("Đã huấn luyện mô hình phiên bản %(n)s.") % {"n": number}
                             if number is not None else _("Đã huấn luyện mô hình."))
    return HttpResponseRedirect(reverse("potential-model"))
