"""The rankings page: a cohort ranked under a rubric, with blind mode, the fairness panel and re-scoring jobs."""

from __future__ import annotations

import csv
import io
import uuid
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
from django.views.decorators.http import require_GET, require_POST

from core.models import Job
from core.spreadsheets import XLSX, spreadsheet_safe
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


def _ranking_setup(request: HttpRequest) -> dict[str, Any]:
    """What the rankings page and its export share: the choices, the chosen rubric, cohort and cut,
    and the newest run (or ``run_error``). A pool opens on the rubric that ranks the most of its
    members unless one was chosen."""
    user = request.user
    role = _role(request)
    if role not in STAFF and role != Role.RECRUITER:
        raise PermissionDenied(_("Chỉ cán bộ được xem bảng xếp hạng."))
    rubrics = list(Rubric.objects.for_user(user).order_by("slug"))
    cohorts = _cohort_choices(user)
    form = RankingFilterForm(request.GET or None, rubrics=[(r.slug, r.name) for r in rubrics], cohorts=cohorts,
                             initial={"top": DEFAULT_CUT})
    if form.is_bound:
        form.is_valid()  # invalid fields drop out of cleaned_data and are shown, never raised
    context: dict[str, Any] = {"form": form, "blind": blind_mode(request), "run": None, "rows": [],
                               "fairness": None, "is_staff_view": role in STAFF, "role": role}
    if not rubrics or not cohorts:
        return context
    cohort = services.cohort_parse(form.value("cohort", cohorts[0][0]), user=user)
    slug = form.value("rubric", None)
    rubric = next((r for r in rubrics if r.slug == slug), None)
    if rubric is None:
        rubric = (selectors.rubric_fitting(rubrics, services.cohort_candidates(cohort)) if cohort.kind == "pool"
                  else None) or rubrics[0]
        _show_choice(form, "rubric", rubric.slug)
    top = form.value("top", DEFAULT_CUT)
    context.update({"rubric": rubric, "cohort": cohort, "top": top})
    try:
        context["run"] = services.score_run_latest_or_execute(rubric=rubric, cohort=cohort, actor=None)
    except ValidationError as exc:
        context["run_error"] = " ".join(exc.messages)
    return context


def _show_choice(form: RankingFilterForm, name: str, value: str) -> None:
    """Make the form's select show a choice made for the user (a bound form shows its data)."""
    if form.is_bound:
        form.data = form.data.copy()
        form.data[name] = value
    else:
        form.initial[name] = value


def _exclusions(run: ScoreRun) -> list[dict[str, Any]]:
    """Why those not ranked were not, the most frequent reason first."""
    return [{"reason": reason, "count": count}
            for reason, count in sorted((run.exclusions or {}).items(), key=lambda item: (-item[1], item[0]))]


@login_required
@require_GET
def ranking_list(request: HttpRequest) -> HttpResponse:
    """The newest ranking of a cohort under a rubric, with blind mode and the fairness panel."""
    context = _ranking_setup(request)
    run = context["run"]
    if run is None:
        return render(request, "scoring/ranking_list.html", context)
    user, top, role = request.user, context["top"], context["role"]
    context.update({"can_run": role in STAFF and _may_start(user, context["cohort"]),
                    "job": _scoring_job(request, request.GET.get("job"))})
    version = run.version
    criteria = version.criteria
    max_score = sum(float(c["weight"]) for c in criteria) or 1.0
    page = Paginator(selectors.with_ties(selectors.run_scores(user, run)), PAGE_SIZE).get_page(request.GET.get("page"))
    # Blind labels count places in the list this reader sees (people hidden from them leave no gaps).
    first_place = page.start_index()
    rows = [{
        "rank": score.rank, "position": first_place + index, "tied": score.tied, "candidate_id": score.candidate_id,
        "name": score.candidate.full_name, "organization": score.candidate.organization.name, "score": score.score,
        "percentile": score.percentile, "segments": _segments(score.contributions, criteria),
        "in_top": score.rank <= top,
    } for index, score in enumerate(page.object_list)]
    record_reads(user=user, candidate_ids=[row["candidate_id"] for row in rows], via="page.ranking")
    context.update({
        "version": version, "page_obj": page, "rows": rows, "max_score": _num(max_score),
        "exclusions": _exclusions(run),
        "legend": [{"label": c.get("label") or c["key"], "weight": float(c["weight"]), "tone": i % TONES}
                   for i, c in enumerate(criteria)],
        # Aggregates over everyone ranked, by gender and ethnicity: staff only (never recruiters).
        "fairness": _fairness(run, top) if role in STAFF else None,
    })
    if context["job"] is not None:
        context.update(_job_links(context["job"]))
    return render(request, "scoring/ranking_list.html", context)


EXPORT_LIMIT = 10_000  # rows per file: a ranking export is a shortlist's raw material, not a data dump


@login_required
@require_GET
def ranking_export(request: HttpRequest) -> HttpResponse:
    """The ranking on screen as CSV or XLSX (``format``), every row the reader may see up to
    EXPORT_LIMIT, with ranks as shown (ties share one), each criterion's contribution, and names hidden
    in blind mode. Recorded as reads of those people and audited."""
    context = _ranking_setup(request)
    run = context["run"]
    if run is None:
        raise Http404(context.get("run_error") or _("Không có bảng xếp hạng để xuất."))
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponse(_("Định dạng phải là csv hoặc xlsx."), status=400, content_type="text/plain; charset=utf-8")
    blind = context["blind"]
    criteria = run.version.criteria
    scores = list(selectors.with_ties(selectors.run_scores(request.user, run))[:EXPORT_LIMIT])
    headers = [_("Hạng"), _("Đồng hạng"), _("Ứng viên") if blind else _("Họ và tên"), _("Đơn vị"), _("Điểm"),
               _("Bách phân vị"), *[c.get("label") or c["key"] for c in criteria]]
    rows = [[s.rank, _("có") if s.tied else "", _("Ứng viên #%(n)s") % {"n": place} if blind
             else spreadsheet_safe(s.candidate.full_name), spreadsheet_safe(s.candidate.organization.name),
             round(s.score, 4), round(s.percentile, 2),
             *[round(float(s.contributions.get(c["key"], 0.0)), 4) for c in criteria]]
            for place, s in enumerate(scores, start=1)]
    record_reads(user=request.user, candidate_ids=[s.candidate_id for s in scores], via="export.ranking")
    services.ranking_exported(run=run, actor=request.user, rows=len(rows), file_format=kind, blind=blind)
    name = f"xep-hang-{run.version.rubric.slug}-{timezone.localdate():%Y%m%d}.{kind}"
    rule = _("Hạng bằng nhau khi điểm bằng nhau (đến 4 chữ số thập phân); hạng kế tiếp bỏ qua số người đồng hạng: "
             "1, 2, 2, 4.")
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        writer.writerow([])
        writer.writerow([rule])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = _("Xếp hạng")
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.append([])
        sheet.append([rule])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
