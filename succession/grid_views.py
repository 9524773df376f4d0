"""The 9-box page of a plan: the grid now (with the latest calibration's moves), a calibration session
(open, move someone with a reason, close: the final grid is kept) and earlier sessions' final grids.

Read by planners and Youth Union officers of the subtree; calibrated by planners only (the services
refuse the others). Every read is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import audit
from core.models import AuditEvent
from succession import ninebox, services
from succession.forms import CalibrationForm
from succession.models import Box, Calibration, PlanMember, SuccessionPlan
from succession.views import _can_plan, _require_staff
from talent.forms import refusal_text as _refusal


def _act(request: HttpRequest, plan: SuccessionPlan) -> None:
    form = CalibrationForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_refusal(form))
    data = form.cleaned_data
    open_session = Calibration.objects.filter(plan=plan, status=Calibration.Status.OPEN).first()
    if data["action"] == "open":
        services.calibration_open(actor=request.user, plan=plan, title=data["title"])
        messages.success(request, _("Đã mở phiên hiệu chỉnh."))
        return
    if open_session is None:
        raise ValidationError(_("Chưa có phiên hiệu chỉnh nào đang mở."))
    if data["action"] == "close":
        services.calibration_close(actor=request.user, calibration=open_session)
        messages.success(request, _("Đã chốt phiên hiệu chỉnh; kết quả được lưu lại."))
        return
    member = PlanMember.objects.filter(plan=plan, pk=data["member"] or 0).select_related("candidate").first()
    if member is None:
        raise ValidationError(_("Người này không có trong quy hoạch đang hiệu chỉnh."))
    services.calibration_move(actor=request.user, calibration=open_session, member=member,
                              performance=data["performance"], potential=data["potential"], reason=data["reason"])
    messages.success(request, _("Đã chuyển %(name)s sang ô mới.") % {"name": member.candidate.full_name})


@login_required
@require_http_methods(["GET", "POST"])
def plan_ninebox(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    plan = get_object_or_404(SuccessionPlan.objects.for_user(request.user).select_related("position__organization"),
                             pk=pk)
    if request.method == "POST":
        try:
            _act(request, plan)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        return HttpResponseRedirect(reverse("succession-ninebox", args=[plan.pk]))
    sessions = list(Calibration.objects.filter(plan=plan).select_related("created_by", "closed_by"))
    shown: Any = None
    wanted = request.GET.get("calibration")
    if wanted and wanted.isdigit():
        shown = next((s for s in sessions if s.pk == int(wanted) and s.status == Calibration.Status.CLOSED), None)
    now = ninebox.current(plan)
    audit(actor=request.user, action="ninebox.read", obj=plan, changes={"calibration": shown.pk if shown else None})
    open_session = next((s for s in sessions if s.status == Calibration.Status.OPEN), None)
    return render(request, "succession/ninebox.html", {
        "plan": plan, "cells": shown.snapshot if shown else now["cells"], "shown": shown, "people": now["people"],
        "sessions": sessions, "open_session": open_session, "can_plan": _can_plan(request.user),
        "boxes": Box.choices,
        "moves": list(open_session.moves.select_related("member__candidate", "actor")) if open_session else [],
    })


@login_required
@require_GET
def pool_ninebox(request: HttpRequest, pk: int) -> HttpResponse:
    """The 9-box of a talent pool (a planning pool, say): its members in the reader's scope, read-only."""
    from talent.models import TalentPool

    _require_staff(request.user)
    pool = get_object_or_404(TalentPool.objects.for_user(request.user), pk=pk)
    data = ninebox.pool_grid(request.user, pool)
    AuditEvent.objects.create(actor=request.user, action="ninebox.read", object_type=TalentPool._meta.label_lower,
                              object_id=str(pool.pk), changes={"members": len(data["people"])})
    return render(request, "succession/ninebox.html", {
        "pool": pool, "cells": data["cells"], "people": data["people"], "truncated": data["truncated"],
        "sessions": [], "open_session": None, "can_plan": False, "boxes": Box.choices, "moves": [], "shown": None})
