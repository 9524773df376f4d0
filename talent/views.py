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
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, View
from django.views.decorators.http import require_POST
from django.views.generic.detail import SingleObjectMixin
from django_htmx.http import HttpResponseClientRedirect

from core.crypto import pii_decrypt
from core.mixins import ScopedQuerysetMixin
from talent import selectors, services
from talent.forms import (
    AdvanceForm,
    CandidateFilterForm,
    CandidateForm,
    apply_service_errors,
)
from talent.models import Candidate, Stage, TalentPool
from talent.readlog import record_reads
from talent.registry import dashboard_notices, profile_sections
from talent.permissions import (
    can_manage_candidates,
    can_see_citizen_id,
    can_see_party_membership,
    hidden_candidate_fields,
    is_recruiter,
)


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx swap; a history restore after a cache miss needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    # The same URL answers with a fragment or a page; caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


class CandidateManagerRequiredMixin(LoginRequiredMixin):
    """Only roles that manage candidates (admin, officer, liaison) get in; others get 403 at once.

    The role check runs before any object lookup, so a student or recruiter gets the same 403 for
    every id, whether or not it exists or is visible to them. Anonymous users go to the login page.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage_candidates(request.user):
            return self.handle_no_permission()  # 403 when signed in, login redirect otherwise
        return super().dispatch(request, *args, **kwargs)


class LenientPaginationMixin:
    """Pagination that never 404s: "?page=abc" or "?page=9999" fall back to the first/last page."""

    request: HttpRequest
    page_kwarg: str

    def paginate_queryset(self, queryset: QuerySet[Any], page_size: int) -> tuple[Paginator, Page, Any, bool]:
        paginator = self.get_paginator(queryset, page_size)  # type: ignore[attr-defined]
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


# --- Dashboard ---------------------------------------------------------------------------------

@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if Candidate.objects.for_user(request.user).active().filter(user=request.user).exists():
        return redirect("me-profile")  # a student's home is their own record
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
        "notices": dashboard_notices(request.user),
    }
    return render(request, "talent/dashboard.html", context)


# --- Candidate list ----------------------------------------------------------------------------

class CandidateListView(ScopedQuerysetMixin, LenientPaginationMixin, ListView):
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        context["is_fragment"] = wants_fragment(self.request)
        context["can_register"] = can_manage_candidates(self.request.user)
        context["coarse_birth"] = is_recruiter(self.request.user)
        record_reads(user=self.request.user, candidate_ids=[c.pk for c in context["candidates"]], via="page.list")
        return context

    def get_template_names(self) -> list[str]:
        return [self.fragment_template_name if wants_fragment(self.request) else self.template_name]

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        return _vary_on_htmx(super().render_to_response(context, **response_kwargs))


# --- Candidate detail and stage changes ----------------------------------------------------------

def _stage_panel_context(request: HttpRequest, candidate: Candidate, form: AdvanceForm | None = None,
                         **extra: Any) -> dict[str, Any]:
    # Users who may not move candidates see the history but not the stage-change form; nobody
    # changes an anonymized record.
    can_manage = can_manage_candidates(request.user) and candidate.erased_at is None
    return {
        "candidate": candidate,
        "can_manage": can_manage,
        "advance_form": (form or AdvanceForm(candidate=candidate)) if can_manage else None,
        "transitions": list(candidate.transitions.all()),
        # Reasons are staff's free text and the actors staff accounts: not for recruiters.
        "hide_history_detail": is_recruiter(request.user),
        **extra,
    }


class CandidateDetailView(ScopedQuerysetMixin, DetailView):
    model = Candidate
    template_name = "talent/candidate_detail.html"
    context_object_name = "candidate"

    def get_object(self, queryset: QuerySet[Candidate] | None = None) -> Candidate:
        try:
            candidate = selectors.candidate_detail(user=self.request.user, pk=self.kwargs["pk"])
        except Candidate.DoesNotExist as exc:
            raise Http404(_("Không tìm thấy ứng viên.")) from exc
        record_reads(user=self.request.user, candidate_ids=[candidate.pk], via="page.detail")
        return candidate

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_detail_context(self.request, self.object))
        return context


def _detail_context(request: HttpRequest, candidate: Candidate, form: AdvanceForm | None = None) -> dict[str, Any]:
    hidden = hidden_candidate_fields(request.user)
    return {
        **_stage_panel_context(request, candidate, form),
        "show_party": can_see_party_membership(request.user) and "party_member" not in hidden,
        "hidden": hidden,
        "is_recruiter_view": is_recruiter(request.user),
        # Administrators and officers in scope read the clear citizen ID; everyone else the mask.
        "citizen_id_clear": pii_decrypt(candidate.citizen_id_encrypted) if can_see_citizen_id(request.user) else None,
        "education": list(candidate.education.all()),
        "achievements": list(candidate.achievements.all()),
        "languages": list(candidate.languages.all()),
        "pools": [m.pool for m in candidate.pool_memberships.all()],
        # Sections the apps above talent add (a cadre's career and plans ...): talent.registry.
        "extra_sections": profile_sections(candidate, request.user),
        # Pools the candidate could still be added to (only for those who may add).
        "addable_pools": list(selectors.pool_list(user=request.user).exclude(
            pk__in=[m.pool_id for m in candidate.pool_memberships.all()]).order_by("name"))
        if can_manage_candidates(request.user) else [],
    }


class CandidateAdvanceView(CandidateManagerRequiredMixin, ScopedQuerysetMixin, SingleObjectMixin, View):
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
                context = _stage_panel_context(request, candidate, stage_changed=True,
                                               success=_("Đã chuyển sang giai đoạn «%(stage)s».") % {"stage": label})
                return render(request, "talent/partials/stage_panel.html", context)
            messages.success(request, _("Đã chuyển sang giai đoạn «%(stage)s».") % {"stage": label})
            return HttpResponseRedirect(reverse("candidate-detail", args=[candidate.pk]))

        # Nothing changed: show the errors where the user is looking.
        if wants_fragment(request):
            return render(request, "talent/partials/stage_panel.html",
                          _stage_panel_context(request, candidate, form))
        candidate = selectors.candidate_detail(user=request.user, pk=candidate.pk)
        context = {"candidate": candidate, "object": candidate, **_detail_context(request, candidate, form)}
        return render(request, "talent/candidate_detail.html", context, status=400)


# --- Register and edit ---------------------------------------------------------------------------

class CandidateCreateView(CandidateManagerRequiredMixin, FormView):
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


class CandidateUpdateView(CandidateManagerRequiredMixin, ScopedQuerysetMixin, SingleObjectMixin, FormView):
    model = Candidate
    form_class = CandidateForm
    template_name = "talent/candidate_form.html"
    context_object_name = "candidate"

    # The object is loaded in get()/post(), after dispatch() has checked the role (403 before 404).
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self._get_candidate()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self._get_candidate()
        return super().post(request, *args, **kwargs)

    def _get_candidate(self) -> Candidate:
        # Out of scope or missing: get_object() on the scoped queryset raises 404.
        return self.get_object(self.get_queryset().select_related("organization"))

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

class PoolListView(ScopedQuerysetMixin, LenientPaginationMixin, ListView):
    model = TalentPool
    context_object_name = "pools"
    template_name = "talent/pool_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[TalentPool]:
        # GROUP BY (member_count) makes Django drop Meta.ordering; pagination needs a stable order.
        return selectors.pool_list(user=self.request.user).order_by("-created_at", "id")


class PoolDetailView(LoginRequiredMixin, LenientPaginationMixin, ListView):
    """One pool (404 outside the user's scope) and the members the user may see."""

    template_name = "talent/pool_detail.html"
    context_object_name = "members"
    paginate_by = 50

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.pool = get_object_or_404(selectors.pool_list(user=request.user), pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Candidate]:
        return selectors.pool_members(user=self.request.user, pool=self.pool).order_by("name_key", "id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(pool=self.pool, **kwargs)
        context["can_manage"] = can_manage_candidates(self.request.user)
        context["coarse_birth"] = is_recruiter(self.request.user)
        record_reads(user=self.request.user, candidate_ids=[c.pk for c in context["members"]], via="page.pool")
        return context


class PoolMembershipView(CandidateManagerRequiredMixin, View):
    """POST: add the candidate to a pool (``pool``) or, with ``remove``, take them out."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate.objects.for_user(request.user), pk=pk)
        pool = TalentPool.objects.for_user(request.user).filter(pk=request.POST.get("pool") or 0).first()
        if pool is None:
            messages.error(request, _("Hãy chọn một nguồn."))
            return redirect("candidate-detail", pk=candidate.pk)
        try:
            if request.POST.get("remove"):
                services.pool_remove(pool=pool, candidate=candidate, actor=request.user,
                                     reason=request.POST.get("reason", "")[:500])
                messages.success(request, _("Đã đưa %(name)s ra khỏi «%(pool)s».") % {
                    "name": candidate.full_name, "pool": pool.name})
                return redirect("pool-detail", pk=pool.pk)
            services.pool_add(pool=pool, candidate=candidate, actor=request.user,
                              note=request.POST.get("note", "")[:500])
            messages.success(request, _("Đã thêm vào «%(pool)s».") % {"pool": pool.name})
        except (ValidationError, PermissionDenied) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        return redirect("candidate-detail", pk=candidate.pk)


# --- Export ------------------------------------------------------------------------------------

@login_required
@require_POST
def candidate_export(request: HttpRequest) -> HttpResponse:
    """Start a background CSV export of the list as currently filtered, then show its progress.

    With htmx the button posts the filter form's current fields (the page URL may have moved on
    since the page was rendered); without JavaScript the filters arrive in the action's query string.
    """
    posted_filters = CandidateFilterForm.base_fields.keys() & request.POST.keys()
    form = CandidateFilterForm(request.POST if posted_filters else request.GET, user=request.user)
    form.is_valid()  # invalid filters drop out, as on the list page
    job = services.candidates_export_start(actor=request.user, filters=form.filters())
    if getattr(request, "htmx", False):
        # htmx would follow a 302 and swap the job page into the list; send the browser there instead.
        return HttpResponseClientRedirect(reverse("job-detail", args=[job.pk]))
    return redirect("job-detail", pk=job.pk)


# --- Verification --------------------------------------------------------------------------------

class RecordVerifyView(CandidateManagerRequiredMixin, View):
    """POST ``approve=1`` verifies, ``approve=0`` rejects a record a student (or anyone) added.

    Configured per record type in the URLconf: the ``model`` looked up in the user's scope, the
    ``service`` that decides, and the ``keyword`` the service takes the record by.
    """

    model: Any = None
    service: Any = None
    keyword = ""
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(self.model.objects.for_user(request.user).select_related("candidate"), pk=pk)
        approve = request.POST.get("approve") == "1"
        try:
            self.service(**{self.keyword: record}, actor=request.user, approve=approve)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Đã xác minh.") if approve else _("Đã từ chối."))
        return redirect("candidate-detail", pk=record.candidate_id)
