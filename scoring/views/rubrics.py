"""Rubrics, their versions and editor with a preview of the change, and the eligibility rule sets."""

from __future__ import annotations

import json
from itertools import zip_longest
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring import engine, services
from scoring.forms import (
    CriterionForm,
    CriterionFormSet,
    FilterFormSet,
    FilterRowForm,
    RuleSetForm,
    VersionNoteForm,
    rows_of,
)
from scoring.models import EligibilityRuleSet, Rubric, RubricVersion
from scoring.views.common import EDITORS, PREVIEW_TOP, _condition_words, _criterion_words, _require, _role, blind_mode
from talent.forms import apply_service_errors
from talent.models import Candidate, Role
from talent.views import _vary_on_htmx, wants_fragment

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
    # Ranks as the engine gives them: equal scores share one ("1, 2, 2, 4") on either side.
    old_rank = dict(zip(old_order, (int(r) for r in old.table["rank"])))
    new_rank = dict(zip(new_order, (int(r) for r in new.table["rank"])))
    # Names only of people the editor may see; everyone else by number.
    names = dict(Candidate.objects.for_user(request.user).filter(pk__in={*old_top, *new_top})
                 .values_list("pk", "full_name"))

    def entry(cid: int | None, ranking: engine.Ranking, own: dict[int, int],
              other: dict[int, int]) -> dict[str, Any] | None:
        if cid is None:
            return None
        return {"id": cid, "name": names.get(cid), "score": float(ranking.table.at[cid, "score"]),
                "rank": own[cid], "other_rank": other.get(cid)}

    rows = [{"position": i + 1, "old": entry(a, old, old_rank, new_rank), "new": entry(b, new, new_rank, old_rank)}
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
