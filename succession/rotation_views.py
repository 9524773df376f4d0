"""Pages of rotation and fast-track: who is due for rotation (8+ years in a post), plan members with no
rotation yet, rotation plans (create, start, finish, cancel), and fast-track nominations checked against
their rule set. Read by planners and Youth Union officers of the subtree; written by planners only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from succession import rotation as rotations, selectors
from succession.defaults import ROTATION_SOURCE, ROTATION_YEARS
from succession.forms import FastTrackForm, RotationActionForm, RotationForm
from succession.models import FastTrackNomination, Position, RotationPlan
from succession.views import _can_plan, _require_staff
from talent.forms import apply_service_errors, refusal_text as _refusal
from talent.models import Candidate, Organization


@login_required
@require_http_methods(["GET", "POST"])
def rotation_page(request: HttpRequest) -> HttpResponse:
    """Rotation due, plan members with no rotation, and the rotation plans; POST plans a rotation."""
    _require_staff(request.user)
    organizations = Organization.objects.for_user(request.user).order_by("path")
    form = RotationForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidate = Candidate.objects.for_user(request.user).filter(pk=data["candidate"]).first()
        unit = organizations.filter(pk=data["to_organization"]).first()
        try:
            if candidate is None or unit is None:
                raise ValidationError({"candidate": _("Không có hồ sơ này trong phạm vi của bạn.")})
            rotations.rotation_plan_create(actor=request.user, candidate=candidate, to_organization=unit,
                                           to_title=data["to_title"], starts_on=data["starts_on"],
                                           ends_on=data["ends_on"], note=data["note"])
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc, permission_field="to_organization")
        else:
            messages.success(request, _("Đã lập kế hoạch luân chuyển cho %(name)s.") % {"name": candidate.full_name})
            return HttpResponseRedirect(reverse("succession-rotation") + "#rotation-plans")
    terms = selectors.terms(request.user)
    term = request.GET.get("term") if request.GET.get("term") in terms else (terms[0] if terms else "")
    plans = (RotationPlan.objects.for_user(request.user).select_related("candidate", "from_organization",
                                                                        "to_organization")
             .order_by("-starts_on", "-pk")[:200])
    return render(request, "succession/rotation.html", {
        "rows": selectors.rotation_due(request.user), "years": ROTATION_YEARS, "source": ROTATION_SOURCE,
        "term": term, "terms": terms, "without": selectors.members_without_rotation(request.user, term) if term else [],
        "plans": plans, "form": form, "can_plan": _can_plan(request.user),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def rotation_act(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    plan = get_object_or_404(RotationPlan.objects.for_user(request.user).select_related("candidate"), pk=pk)
    form = RotationActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_refusal(form))
        act = {"start": rotations.rotation_start, "finish": rotations.rotation_finish,
               "cancel": rotations.rotation_cancel}[form.cleaned_data["action"]]
        extra: dict[str, Any] = {"note": form.cleaned_data["note"]} if form.cleaned_data["action"] == "cancel" else {}
        act(actor=request.user, rotation=plan, **extra)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Đã cập nhật kế hoạch luân chuyển của %(name)s.") % {"name": plan.candidate.full_name})
    return HttpResponseRedirect(reverse("succession-rotation") + f"#rotation-{plan.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def fast_track(request: HttpRequest) -> HttpResponse:
    """Check a person against the fast-track criteria for a position (GET with both chosen), nominate them
    (POST: recorded only when every criterion is met), and the nominations so far."""
    _require_staff(request.user)
    positions = list(Position.objects.for_user(request.user).select_related("organization")
                     .order_by("organization__path", "title"))
    data = request.POST if request.method == "POST" else (request.GET if "candidate" in request.GET else None)
    form = FastTrackForm(data, positions=positions)
    checks: list[dict[str, Any]] = []
    chosen = None
    if data is not None and form.is_valid():
        candidate = Candidate.objects.for_user(request.user).filter(pk=form.cleaned_data["candidate"]).first()
        position = next((p for p in positions if p.pk == form.cleaned_data["position"]), None)
        if candidate is None or position is None:
            form.add_error("candidate", _("Không có hồ sơ này trong phạm vi của bạn."))
        else:
            chosen = candidate
            checks = rotations.fast_track_checks(candidate, position)
            if request.method == "POST":
                try:
                    rotations.fast_track_nominate(actor=request.user, candidate=candidate, position=position,
                                                  note=form.cleaned_data["note"])
                except (ValidationError, PermissionDenied) as exc:
                    apply_service_errors(form, exc, permission_field="candidate")
                else:
                    messages.success(request, _("Đã ghi đề xuất bổ nhiệm vượt cấp %(name)s.") % {"name": candidate.full_name})
                    return HttpResponseRedirect(reverse("succession-fast-track"))
    rule_set = rotations.active_fast_track_rules()
    nominations = (FastTrackNomination.objects.for_user(request.user)
                   .select_related("candidate", "position__organization", "proposed_by")[:100])
    return render(request, "succession/fast_track.html", {
        "form": form, "checks": checks, "chosen": chosen, "rule_set": rule_set, "nominations": nominations,
        "can_plan": _can_plan(request.user)}, status=400 if form.errors else 200)
