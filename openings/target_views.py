"""The targets page: each target a unit in the reader's reach adopted, computed from live data against
its threshold or range, with its trend drawn on axes (dates below, values at the side, the target as a
line or a band); and the models from other localities' documents, which a unit adopts as its own.

Reading never writes: the trend's points are the daily snapshots the periodic task records.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from openings import services, targets as target_values
from openings.forms import TargetAdoptForm
from openings.models import Target, TargetSnapshot
from talent.forms import apply_service_errors
from talent.models import Organization, Role, user_role

STAFF_ROLES = (Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.PERSONNEL)
TREND_DAYS = 365
# The chart's box (SVG units) and its margins: values on the left, dates below.
CHART_W, CHART_H, LEFT, RIGHT, TOP, BOTTOM = 360, 150, 44, 10, 10, 26


def _require_staff(user: Any) -> None:
    if user_role(user) not in STAFF_ROLES:
        raise PermissionDenied(_("Chỉ cán bộ Đoàn, cán bộ tổ chức, cán bộ liên lạc và quản trị viên xem các chỉ tiêu."))


def _nice_ceiling(value: float) -> float:
    """The round number at or above ``value`` an axis ends on (1, 2, 2.5 or 5 × a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def _number(value: float, is_count: bool) -> str:
    text = f"{value:.0f}" if is_count or float(value).is_integer() else f"{value:.1f}".replace(".", ",")
    return text if is_count else f"{text}%"


def trend_chart(points: list[tuple[dt.date, float]], low: float, high: float | None,
                is_count: bool) -> dict[str, Any] | None:
    """Coordinates for the trend's SVG: a line through the snapshots, the target as a dashed line (a
    band for a range), three value ticks on the left axis and the first, middle and last dates below.
    Attributes only: the CSP refuses style=""."""
    if len(points) < 2:
        return None
    values = [v for _day, v in points]
    top_value = max(values + [low, high or low])
    axis_max = 100.0 if not is_count and top_value > 50 else _nice_ceiling(top_value * 1.1)
    plot_w, plot_h = CHART_W - LEFT - RIGHT, CHART_H - TOP - BOTTOM
    first, last = points[0][0], points[-1][0]
    span_days = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return round(LEFT + (day - first).days / span_days * plot_w, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h - min(value, axis_max) / axis_max * plot_h, 1)

    coords = [(x(day), y(v), day, v) for day, v in points]
    middle = points[len(points) // 2][0]
    return {
        "width": CHART_W, "height": CHART_H, "left": LEFT, "right": CHART_W - RIGHT, "top": TOP, "plot_w": plot_w,
        "bottom": TOP + plot_h, "points": " ".join(f"{cx},{cy}" for cx, cy, _d, _v in coords),
        "dots": [{"x": cx, "y": cy, "day": day, "value": _number(v, is_count)} for cx, cy, day, v in coords],
        "y_ticks": [{"y": y(t), "label": _number(t, is_count)} for t in (0.0, axis_max / 2, axis_max)],
        "x_ticks": [{"x": x(day), "label": day.strftime("%d/%m/%Y"), "anchor": anchor}
                    for day, anchor in ((first, "start"), (middle, "middle"), (last, "end"))
                    if anchor != "middle" or first < middle < last],
        "target_y": y(low), "target_label": _number(low, is_count),
        "band": ({"y": y(high), "height": round(y(low) - y(high), 1), "label": _number(high, is_count)}
                 if high is not None else None),
        "first": first, "last": last, "count": len(points), "label_x": CHART_W - RIGHT - 2,
        "label_y": round(y(high if high is not None else low) - 3, 1),
    }


@login_required
@require_GET
def target_dashboard(request: HttpRequest) -> HttpResponse:
    """The adopted targets in the reader's reach, computed from live data, each with its trend; below,
    the models a unit may adopt."""
    _require_staff(request.user)
    today = timezone.localdate()
    targets = list(Target.objects.for_user(request.user).adopted().filter(active=True)
                   .select_related("organization", "based_on").order_by("organization__path", "name"))
    trend: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
    for target_id, day, actual in (TargetSnapshot.objects.filter(target__in=targets, actual__isnull=False,
                                                                  day__gte=today - dt.timedelta(days=TREND_DAYS))
                                   .order_by("day").values_list("target_id", "day", "actual")):
        trend[target_id].append((day, actual))
    rows = []
    for target in targets:
        value = target_values.compute(target, today)
        status = "nodata" if value["actual"] is None else ("met" if value["met"] else "unmet")
        is_count = target.metric == Target.Metric.COUNT
        above = (status == "unmet" and value["threshold_high"] is not None
                 and value["actual"] > value["threshold_high"])
        rows.append({
            "target": target, "value": value, "status": status, "is_count": is_count, "above_range": above,
            "overdue": bool(target.deadline and target.deadline < today and status != "met"),
            "chart": trend_chart(trend.get(target.pk, []), value["threshold"], value["threshold_high"], is_count),
            # Who is still missing, for an unmet share (names only of records the reader may see).
            "missing": (target_values.missing(target, request.user, today)
                        if status == "unmet" and not above else None),
        })
    summary = {key: sum(1 for r in rows if r["status"] == key) for key in ("met", "unmet", "nodata")}
    models = list(Target.objects.not_adopted().filter(active=True).order_by("source", "name"))
    return render(request, "openings/target_dashboard.html", {
        "rows": rows, "summary": summary, "today": today, "review_due": today.month == 12,
        "review_deadline": dt.date(today.year, 12, 31), "models": models,
    })


@login_required
@require_http_methods(["GET", "POST"])
def target_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Adopt a model target for a unit the reader manages, under the unit's own document."""
    _require_staff(request.user)
    model = get_object_or_404(Target.objects.not_adopted().filter(active=True), pk=pk)
    organizations = Organization.objects.for_user(request.user).order_by("path")
    form = TargetAdoptForm(request.POST or None, model=model, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        organization = organizations.filter(pk=form.cleaned_data["organization"]).first()
        try:
            if organization is None:
                raise PermissionDenied(_("Chỉ áp dụng chỉ tiêu cho đơn vị mình quản lý."))
            target = services.target_adopt(model=model, organization=organization, actor=request.user,
                                           **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc, permission_field="organization")
        else:
            messages.success(request, _("Đã áp dụng chỉ tiêu «%(name)s» cho %(unit)s.")
                             % {"name": target.name, "unit": organization.name})
            return HttpResponseRedirect(reverse("target-dashboard") + f"#target-{target.pk}")
    return render(request, "openings/target_adopt.html", {"model": model, "form": form},
                  status=400 if form.errors else 200)
