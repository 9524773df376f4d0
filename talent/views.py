"""Server-rendered pages of the talent app (Django templates + htmx).

Views are thin: reads go through ``talent.selectors`` or ``ScopedQuerysetMixin`` (both start from
``for_user``), writes through ``talent.services``. An htmx request gets only the fragment it swaps;
the same URL without htmx returns the full page, so everything works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, View
from django.views.decorators.http import require_POST
from django.views.generic.detail import SingleObjectMixin

from core.mixins import ScopedQuerysetMixin
from talent import selectors, services
from talent.forms import (
    AdvanceForm,
    CandidateFilterForm,
    CandidateForm,
    apply_service_errors,
)
from talent.jobs import start_candidate_export
from talent.models import Candidate, Stage, TalentPool
from talent.permissions import can_manage_candidates, can_see_party_membership


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx swap; a history restore after a cache miss needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    # The same URL answers with a fragment or a page; caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- Dashboard ---------------------------------------------------------------------------------

@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    stages = selectors.stage_counts(user=request.user)
    organizations = selectors.organization_counts(user=request.user)
    total = sum(row["count"] for row in stages)
    by_stage = {row["stage"]: row["count"] for row in stages}
    context = {
        "stages": stages,
        "stage_max": max((row["count"] for row in stages), default=0),
        "organizations": organizations,
        "organization_max": max((row["count"] for row in organizations), default=0),
        "total": total,
        "highlights": [
            (_("Trong nguồn"), by_stage.get(Stage.POOL, 0), Stage.POOL),
            (_("Thực tập / kiến tập"), by_stage.get(Stage.PLACEMENT, 0), Stage.PLACEMENT),
            (_("Đã tuyển dụng"), by_stage.get(Stage.RECRUITED, 0), Stage.RECRUITED),
            (_("Quy hoạch"), by_stage.get(Stage.PLANNING, 0), Stage.PLANNING),
        ],
        "can_register": can_manage_candidates(request.user),
    }
    return render(request, "talent/dashboard.html", context)


# --- Candidate list ----------------------------------------------------------------------------

class CandidateListView(ScopedQuerysetMixin, ListView):
    model = Candidate
    paginate_by = 25
    context_object_name = "candidates"
    template_name = "talent/candidate_list.html"
    fragment_template_name = "talent/partials/candidate_results.html"

    def get_filter_form(self) -> CandidateFilterForm:
        if not hasattr(self, "_filter_form"):
            form = CandidateFilterForm(self.request.GET or None, user=self.request.user)
            form.is_valid()  # invalid fields drop out of cleaned_data and are shown, never raised
            self._filter_form = form
        return self._filter_form

    def get_queryset(self) -> QuerySet[Candidate]:
        return selectors.candidate_list(user=self.request.user, filters=self.get_filter_form().filters())

    def paginate_queryset(self, queryset: QuerySet[Candidate], page_size: int) -> tuple[Paginator, Page, Any, bool]:
        # get_page() falls back to the first/last page on "?page=abc" or "?page=9999" instead of 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        context["is_fragment"] = wants_fragment(self.request)
        context["can_register"] = can_manage_candidates(self.request.user)
        return context

    def get_template_names(self) -> list[str]:
        return [self.fragment_template_name if wants_fragment(self.request) else self.template_name]

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        return _vary_on_htmx(super().render_to_response(context, **response_kwargs))


# --- Candidate detail and stage changes ----------------------------------------------------------

def _stage_panel_context(candidate: Candidate, form: AdvanceForm | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "candidate": candidate,
        "advance_form": form or AdvanceForm(candidate=candidate),
        "transitions": list(candidate.transitions.all()),
        **extra,
    }


class CandidateDetailView(ScopedQuerysetMixin, DetailView):
    model = Candidate
    template_name = "talent/candidate_detail.html"
    context_object_name = "candidate"

    def get_object(self, queryset: QuerySet[Candidate] | None = None) -> Candidate:
        try:
            return selectors.candidate_detail(user=self.request.user, pk=self.kwargs["pk"])
        except Candidate.DoesNotExist as exc:
            raise Http404(_("Không tìm thấy ứng viên.")) from exc

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_detail_context(self.request, self.object))
        return context


def _detail_context(request: HttpRequest, candidate: Candidate, form: AdvanceForm | None = None) -> dict[str, Any]:
    return {
        **_stage_panel_context(candidate, form),
        "show_party": can_see_party_membership(request.user),
        "education": list(candidate.education.all()),
        "achievements": list(candidate.achievements.all()),
        "languages": list(candidate.languages.all()),
        "pools": [m.pool for m in candidate.pool_memberships.all()],
    }


class CandidateAdvanceView(ScopedQuerysetMixin, SingleObjectMixin, View):
    """POST only: move the candidate along the pipeline through ``services.candidate_advance``."""

    model = Candidate
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        candidate: Candidate = self.get_object()
        form = AdvanceForm(request.POST, candidate=candidate)
        transition = None
        if form.is_valid():
            try:
                transition = services.candidate_advance(
                    candidate=candidate, to_stage=form.cleaned_data["to_stage"],
                    reason=form.cleaned_data["reason"], actor=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                apply_service_errors(form, exc, aliases={"stage": "to_stage"})

        if transition is not None:
            label = candidate.get_stage_display()
            if wants_fragment(request):
                candidate = selectors.candidate_detail(user=request.user, pk=candidate.pk)
                context = _stage_panel_context(candidate, stage_changed=True,
                                               success=_("Đã chuyển sang giai đoạn «%(stage)s».") % {"stage": label})
                return render(request, "talent/partials/stage_panel.html", context)
            messages.success(request, _("Đã chuyển sang giai đoạn «%(stage)s».") % {"stage": label})
            return HttpResponseRedirect(reverse("candidate-detail", args=[candidate.pk]))

        # Nothing changed: show the errors where the user is looking.
        if wants_fragment(request):
            return render(request, "talent/partials/stage_panel.html", _stage_panel_context(candidate, form))
        candidate = selectors.candidate_detail(user=request.user, pk=candidate.pk)
        context = {"candidate": candidate, "object": candidate, **_detail_context(request, candidate, form)}
        return render(request, "talent/candidate_detail.html", context, status=400)


# --- Register and edit ---------------------------------------------------------------------------

class CandidateCreateView(LoginRequiredMixin, FormView):
    form_class = CandidateForm
    template_name = "talent/candidate_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: CandidateForm) -> HttpResponse:
        try:
            candidate = services.candidate_register(actor=self.request.user, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc, permission_field="organization")
            return self.form_invalid(form)
        messages.success(self.request, _("Đã đăng ký ứng viên %(name)s.") % {"name": candidate.full_name})
        return HttpResponseRedirect(reverse("candidate-detail", args=[candidate.pk]))


class CandidateUpdateView(ScopedQuerysetMixin, SingleObjectMixin, FormView):
    model = Candidate
    form_class = CandidateForm
    template_name = "talent/candidate_form.html"
    context_object_name = "candidate"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # Out of scope or missing: get_object() on the scoped queryset raises 404.
        self.object = self.get_object(self.get_queryset().select_related("organization"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "candidate": self.object}

    def form_valid(self, form: CandidateForm) -> HttpResponse:
        try:
            candidate = services.candidate_update(candidate=self.object, actor=self.request.user,
                                                  **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc, permission_field="organization")
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu thay đổi hồ sơ %(name)s.") % {"name": candidate.full_name})
        return HttpResponseRedirect(reverse("candidate-detail", args=[candidate.pk]))


# --- Talent pools --------------------------------------------------------------------------------

class PoolListView(ScopedQuerysetMixin, ListView):
    model = TalentPool
    context_object_name = "pools"
    template_name = "talent/pool_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[TalentPool]:
        # GROUP BY (member_count) makes Django drop Meta.ordering; pagination needs a stable order.
        return selectors.pool_list(user=self.request.user).order_by("-created_at", "id")

    def paginate_queryset(self, queryset: QuerySet[TalentPool], page_size: int) -> tuple[Paginator, Page, Any, bool]:
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


# --- Export ------------------------------------------------------------------------------------

@login_required
@require_POST
def candidate_export(request: HttpRequest) -> HttpResponse:
    """Start a background CSV export of the list as currently filtered, then show its progress."""
    form = CandidateFilterForm(request.GET or None, user=request.user)
    form.is_valid()
    job = start_candidate_export(user=request.user, filters=dict(form.filters()))
    return redirect("job-detail", pk=job.pk)
