"""Server-rendered privacy pages (DESIGN §5), built on the same services and selectors as the API.

- ``/me/``: a student's own record: contact details and aspirations, achievements and language
  certificates they add (pending until staff verify them), stage history, consent per purpose,
  the download of everything held about them, and the erasure request.
- ``/privacy/erasure-requests/``: the officers' queue of erasure requests (approve or reject).
- ``/candidates/<pk>/consents/``: staff record consent given on paper (with the signed form) and
  withdrawals; ``/consents/<pk>/evidence/`` serves the signed form to staff in scope.

Views are thin: reads start from ``for_user`` (directly or through ``privacy.selectors``), writes go
through the services, whose errors are shown next to the fields. An htmx request gets only the
fragment it swaps; the same URL without htmx answers with a redirect or the full page, so
everything works without JavaScript.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import View

from core.audit import audit
from privacy import selectors, services
from privacy.forms import (
    AchievementSelfForm,
    ConsentRecordForm,
    ConsentSetForm,
    ErasureApproveForm,
    ErasureRejectForm,
    ErasureRequestForm,
    LanguageSelfForm,
    SelfProfileForm,
)
from privacy.models import Consent, ErasureRequest
from privacy.rules import consent_state, needs_guardian
from talent import services as talent_services
from talent.forms import apply_service_errors
from talent.models import Candidate, StageTransition, user_role
from talent.views import CandidateManagerRequiredMixin, wants_fragment

EXPORT_FILENAME = "du-lieu-cua-toi.json"


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    # The same URL answers with a fragment or a page; caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- The student's own record ----------------------------------------------------------------------

def _own_candidates(user: Any):  # type: ignore[no-untyped-def]
    # Scoped like every read; a record anonymized on request is no longer anyone's own.
    return Candidate.objects.for_user(user).active().filter(user=user)


def _own_candidate_or_404(user: Any) -> Candidate:
    candidate = _own_candidates(user).first()
    if candidate is None:
        raise Http404(_("Tài khoản của bạn không gắn với hồ sơ ứng viên nào."))
    return candidate


def _own_profile(user: Any) -> Candidate | None:
    """The signed-in person's record with everything the profile page shows, in a fixed number of queries."""
    return (
        _own_candidates(user)
        .select_related("organization", "organization__parent")
        .prefetch_related(
            "education", "achievements", "languages",
            Prefetch("transitions", queryset=StageTransition.objects.select_related("actor")),
        )
        .first()
    )


def _my_consent_context(request: HttpRequest, candidate: Candidate, **extra: Any) -> dict[str, Any]:
    consents = selectors.candidate_consents(user=request.user, candidate=candidate)
    # The same computation as ``selectors.candidate_consent_state``, reusing the records just read.
    state = consent_state(candidate, consents)
    for purpose, row in state.items():
        withdrawn = [c.withdrawn_at for c in consents
                     if c.purpose == purpose and c.given_by == Consent.GivenBy.SELF and c.withdrawn_at]
        row["last_withdrawn_at"] = max(withdrawn) if withdrawn and row["self"] is None else None
    return {
        "candidate": candidate,
        "consent_rows": list(state.values()),
        "guardian_required": needs_guardian(candidate.date_of_birth),
        **extra,
    }


def _profile_context(request: HttpRequest, candidate: Candidate, **forms: Any) -> dict[str, Any]:
    erasure_requests = list(ErasureRequest.objects.for_user(request.user).filter(candidate=candidate))
    return {
        "candidate": candidate,
        "education": list(candidate.education.all()),
        "achievements": list(candidate.achievements.all()),
        "languages": list(candidate.languages.all()),
        "transitions": list(candidate.transitions.all()),
        "can_manage": False,  # the stage panel shows the history only
        "contact_form": forms.get("contact_form") or SelfProfileForm(initial=SelfProfileForm.initial_from(candidate)),
        "achievement_form": forms.get("achievement_form") or AchievementSelfForm(),
        "language_form": forms.get("language_form") or LanguageSelfForm(),
        "erasure_form": forms.get("erasure_form") or ErasureRequestForm(),
        "erasure_requests": erasure_requests,
        "erasure_pending": any(r.status == ErasureRequest.Status.PENDING for r in erasure_requests),
        **_my_consent_context(request, candidate),
    }


def _profile_invalid(request: HttpRequest, **forms: Any) -> HttpResponse:
    """Nothing was saved: the whole page again, with the errors next to the fields (400)."""
    candidate = _own_profile(request.user)
    if candidate is None:
        raise Http404(_("Tài khoản của bạn không gắn với hồ sơ ứng viên nào."))
    return render(request, "privacy/me_profile.html", _profile_context(request, candidate, **forms), status=400)


@login_required
@never_cache
@require_GET
def me_profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own record. An account without one (staff, or a student not yet
    linked) gets a page that says so and whom to ask, rather than a bare 404."""
    candidate = _own_profile(request.user)
    if candidate is None:
        return render(request, "privacy/me_no_record.html", {"role": user_role(request.user)})
    return render(request, "privacy/me_profile.html", _profile_context(request, candidate))


def _save_own(request: HttpRequest, form: Any, save: Any, *, form_name: str, anchor: str,
              success: str) -> HttpResponse:
    """One self-service form: ``save(cleaned_data)`` calls the service; success goes back to the
    page at ``anchor``, anything else shows the page again with the errors on the form."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return HttpResponseRedirect(reverse("me-profile") + anchor)
    return _profile_invalid(request, **{form_name: form})


@login_required
@require_POST
def me_contact(request: HttpRequest) -> HttpResponse:
    _own_candidate_or_404(request.user)
    return _save_own(
        request, SelfProfileForm(request.POST),
        lambda data: talent_services.candidate_self_update(user=request.user, **data),
        form_name="contact_form", anchor="#contact", success=_("Đã lưu thông tin liên hệ và nguyện vọng."))


@login_required
@require_POST
def me_achievement_add(request: HttpRequest) -> HttpResponse:
    candidate = _own_candidate_or_404(request.user)
    return _save_own(
        request, AchievementSelfForm(request.POST),
        lambda data: talent_services.achievement_add(candidate=candidate, actor=request.user, **data),
        form_name="achievement_form", anchor="#achievements",
        success=_("Đã thêm thành tích. Thành tích sẽ ở trạng thái «Chờ xác minh» cho tới khi "
                  "cán bộ Đoàn hoặc cán bộ liên lạc của trường xác minh."))


@login_required
@require_POST
def me_language_add(request: HttpRequest) -> HttpResponse:
    candidate = _own_candidate_or_404(request.user)
    return _save_own(
        request, LanguageSelfForm(request.POST),
        lambda data: talent_services.language_certificate_add(candidate=candidate, actor=request.user, **data),
        form_name="language_form", anchor="#languages",
        success=_("Đã thêm chứng chỉ ngoại ngữ. Chứng chỉ sẽ ở trạng thái «Chờ xác minh» cho tới "
                  "khi cán bộ xác minh."))


@login_required
@require_POST
def me_consent(request: HttpRequest) -> HttpResponse:
    """Grant or withdraw one's own consent for a purpose; htmx swaps the consent section."""
    candidate = _own_candidate_or_404(request.user)
    form = ConsentSetForm(request.POST)
    success = error = None
    if form.is_valid():
        purpose, granted = form.cleaned_data["purpose"], form.cleaned_data["granted"]
        label = Consent.Purpose(purpose).label
        try:
            services.consent_set_own(user=request.user, purpose=purpose, granted=granted)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        else:
            text = (_("Bạn đã đồng ý: «%(purpose)s».") if granted
                    else _("Bạn đã rút lại sự đồng ý: «%(purpose)s». Việc này có hiệu lực ngay."))
            success = text % {"purpose": label}
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)

    if wants_fragment(request):
        context = _my_consent_context(request, candidate, consent_success=success, consent_error=error)
        return _vary_on_htmx(render(request, "privacy/partials/my_consents.html", context))
    if success:
        messages.success(request, success)
    else:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("me-profile") + "#consents")


@login_required
@never_cache
@require_GET
def me_export(request: HttpRequest) -> HttpResponse:
    """Everything held about the person, as readable JSON (UTF-8, indented), as a download; audited."""
    _own_candidate_or_404(request.user)
    data = services.subject_export(user=request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@login_required
@require_POST
def me_erasure(request: HttpRequest) -> HttpResponse:
    _own_candidate_or_404(request.user)
    form = ErasureRequestForm(request.POST)
    if form.is_valid():
        try:
            services.erasure_request(user=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi yêu cầu xoá dữ liệu. Cán bộ Đoàn phụ trách sẽ xem xét; bạn theo dõi "
                                        "trạng thái ngay trên trang này."))
            return HttpResponseRedirect(reverse("me-profile") + "#erasure")
    return _profile_invalid(request, erasure_form=form)


# --- Erasure requests: the officers' queue ----------------------------------------------------------

class ErasureDeciderRequiredMixin(LoginRequiredMixin):
    """Only those who decide erasure requests (administrators, Youth Union officers) get in; the
    others get 403 before any lookup, anonymous users the login page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if user_role(request.user) not in services.ERASURE_DECIDING_ROLES:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class ErasureQueueView(ErasureDeciderRequiredMixin, View):
    """Pending requests first (oldest first: they have waited longest), then the decided ones."""

    paginate_by = 25

    def get(self, request: HttpRequest) -> HttpResponse:
        requests = selectors.erasure_requests(user=request.user)
        pending = list(requests.filter(status=ErasureRequest.Status.PENDING).order_by("requested_at", "id"))
        decided = Paginator(requests.exclude(status=ErasureRequest.Status.PENDING).order_by("-decided_at", "-id"),
                            self.paginate_by).get_page(request.GET.get("page"))
        return render(request, "privacy/erasure_queue.html", {
            "pending": pending, "decided": decided, "page_obj": decided,
        })


class ErasureDecideView(ErasureDeciderRequiredMixin, View):
    """GET: the request and the decision forms (the confirmation step). POST: approve or reject."""

    def _get_request(self, request: HttpRequest, pk: int) -> ErasureRequest:
        # Out of scope or missing: 404, never 403.
        return get_object_or_404(selectors.erasure_requests(user=request.user), pk=pk)

    def _render(self, request: HttpRequest, erasure: ErasureRequest,
                form: ErasureApproveForm | ErasureRejectForm | None = None, status: int = 200) -> HttpResponse:
        # The form that was posted comes back with its errors; the other one starts empty.
        approve_form = form if isinstance(form, ErasureApproveForm) else ErasureApproveForm(prefix="approve")
        reject_form = form if isinstance(form, ErasureRejectForm) else ErasureRejectForm(prefix="reject")
        return render(request, "privacy/erasure_decide.html", {
            "erasure": erasure, "candidate": erasure.candidate, "approve_form": approve_form,
            "reject_form": reject_form, "posted_errors": form.non_field_errors() if form is not None else [],
        }, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._get_request(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        erasure = self._get_request(request, pk)
        approve = request.POST.get("decision") == ErasureApproveForm.decision
        form_class = ErasureApproveForm if approve else ErasureRejectForm
        form = form_class(request.POST, prefix=form_class.decision)
        if form.is_valid():
            try:
                services.erasure_decide(erasure=erasure, actor=request.user, approve=approve,
                                        note=form.cleaned_data["note"])
            except (ValidationError, PermissionDenied) as exc:
                apply_service_errors(form, exc)
            else:
                if approve:
                    messages.success(request, _("Đã duyệt yêu cầu: hồ sơ đã được ẩn danh và tài khoản đã được đóng."))
                else:
                    messages.success(request, _("Đã từ chối yêu cầu xoá dữ liệu."))
                return HttpResponseRedirect(reverse("erasure-queue"))
        return self._render(request, erasure, form, status=400)


# --- Consent recorded by staff -----------------------------------------------------------------------

def _consent_panel_context(request: HttpRequest, candidate: Candidate, form: ConsentRecordForm | None = None,
                           **extra: Any) -> dict[str, Any]:
    consents = selectors.candidate_consents(user=request.user, candidate=candidate)
    return {
        "candidate": candidate,
        "consents": consents,
        "consent_rows": list(consent_state(candidate, consents).values()),
        "guardian_required": needs_guardian(candidate.date_of_birth),
        "can_record": candidate.erased_at is None,
        "form": form or ConsentRecordForm(),
        **extra,
    }


class CandidateConsentsView(CandidateManagerRequiredMixin, View):
    """The consent panel of a candidate in scope (fragment for htmx, full page otherwise);
    POST (multipart) records a consent given on paper, with the signed form as evidence."""

    def _get_candidate(self, request: HttpRequest, pk: int) -> Candidate:
        return get_object_or_404(Candidate.objects.for_user(request.user).select_related("organization"), pk=pk)

    def _render(self, request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
        if wants_fragment(request):
            # htmx swaps only 2xx answers: errors come back as 200 with the form showing them.
            return _vary_on_htmx(render(request, "privacy/partials/consent_panel.html", context))
        return _vary_on_htmx(render(request, "privacy/candidate_consents.html", context, status=status))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = self._get_candidate(request, pk)
        return self._render(request, _consent_panel_context(request, candidate))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = self._get_candidate(request, pk)
        form = ConsentRecordForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                consent = services.consent_record(
                    actor=request.user, candidate=candidate, purpose=data["purpose"], given_by=data["given_by"],
                    evidence=data["evidence"], guardian_name=data["guardian_name"], note=data["note"],
                )
            except (ValidationError, PermissionDenied) as exc:
                apply_service_errors(form, exc)
            else:
                text = _("Đã ghi nhận sự đồng ý «%(purpose)s» (%(given_by)s).") % {
                    "purpose": consent.get_purpose_display(), "given_by": consent.get_given_by_display()}
                return self._done(request, candidate, text)
        return self._render(request, _consent_panel_context(request, candidate, form), status=400)

    @staticmethod
    def _done(request: HttpRequest, candidate: Candidate, text: str) -> HttpResponse:
        if wants_fragment(request):
            return _vary_on_htmx(render(request, "privacy/partials/consent_panel.html",
                                        _consent_panel_context(request, candidate, success=text)))
        messages.success(request, text)
        return HttpResponseRedirect(reverse("candidate-consents", args=[candidate.pk]))


class CandidateConsentWithdrawView(CandidateConsentsView):
    """POST ``purpose``: staff record a withdrawal (every standing grant for the purpose ends now)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = self._get_candidate(request, pk)
        purpose = request.POST.get("purpose", "")
        try:
            count = services.consent_withdraw(actor=request.user, candidate=candidate, purpose=purpose)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            if wants_fragment(request):
                return self._render(request, _consent_panel_context(request, candidate, error=text))
            messages.error(request, text)
            return HttpResponseRedirect(reverse("candidate-consents", args=[candidate.pk]))
        label = Consent.Purpose(purpose).label
        text = (_("Đã ghi nhận việc rút lại sự đồng ý «%(purpose)s».") if count
                else _("Không có sự đồng ý «%(purpose)s» nào đang có hiệu lực.")) % {"purpose": label}
        return self._done(request, candidate, text)


class ConsentEvidenceView(CandidateManagerRequiredMixin, View):
    """The signed consent form, for managing staff in scope only; every download is audited."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        consent = get_object_or_404(Consent.objects.for_user(request.user), pk=pk)
        if not consent.evidence:
            raise Http404(_("Sự đồng ý này không có tệp minh chứng."))
        try:
            handle = consent.evidence.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("Tệp minh chứng không còn.")) from exc
        audit(actor=request.user, action="consent.evidence_download", obj=consent,
              changes={"candidate": consent.candidate_id})
        # A neutral name: the uploaded one may carry the person's name.
        extension = PurePosixPath(consent.evidence.name).suffix.lower()
        response = FileResponse(handle, as_attachment=True, filename=f"minh-chung-dong-y-{consent.pk}{extension}")
        response["Cache-Control"] = "no-store"
        return response
