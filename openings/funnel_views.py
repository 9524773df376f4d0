"""The funnel analytics page: entry cohorts' conversion between pipeline stages, time in stage, and the
nominating units and universities whose people progress. Staff only (administrators, officers,
liaisons), each on the candidates they may see; the numbers come from ``openings.funnel``.

Charts are inline SVG drawn with attributes (the CSP forbids ``style=""``); every width is formatted
here, unlocalized, so a decimal comma never reaches an SVG attribute.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openings import funnel
from talent.models import user_role
from talent.permissions import MANAGING_ROLES

UNIT_ROWS = 30
TONES = 8


def _value(value: Any) -> Any:
    """pandas keeps a missing number as NaN; the template wants None."""
    return None if value is None or pd.isna(value) else value


def _num(value: float) -> str:
    """A number for an SVG attribute: never localized."""
    return f"{float(value):.2f}"


def _funnel_bars(frame: Any) -> list[dict[str, Any]]:
    bars = []
    for i, row in enumerate(frame.itertuples(index=False)):
        share = _value(row.share)
        bars.append({"stage": row.stage, "label": row.label, "reached": row.reached, "entered": row.entered,
                     "share": share, "from_previous": _value(row.from_previous), "width": _num(share or 0),
                     "tone": i % TONES})
    return bars


def _time_bars(frame: Any) -> list[dict[str, Any]]:
    top = max([float(v) for v in frame["median_days"].dropna()] or [0.0]) if not frame.empty else 0.0
    bars = []
    for i, row in enumerate(frame.itertuples(index=False)):
        median = _value(row.median_days)
        width = 100.0 * float(median) / top if median is not None and top else 0.0
        bars.append({"stage": row.stage, "label": row.label, "median": median, "p25": _value(row.p25_days),
                     "p75": _value(row.p75_days), "left": row.left, "still_in": row.still_in, "width": _num(width),
                     "tone": i % TONES})
    return bars


def _cohort_table(frame: Any) -> list[dict[str, Any]]:
    rows = []
    for year, part in frame.groupby("cohort", sort=True):
        cells = [{"stage": r.stage, "label": r.label, "share": r.share, "reached": r.reached}
                 for r in part.itertuples(index=False)]
        rows.append({"cohort": int(year), "size": int(part["cohort_size"].iloc[0]), "cells": cells})
    return rows


def _unit_rows(frame: Any, key: str, name: str) -> list[dict[str, Any]]:
    rows = []
    for row in frame.head(UNIT_ROWS).to_dict("records"):
        within = row.get("university") if key == "organization_id" and row.get("university") != row[name] else ""
        rows.append({"id": row[key], "name": row[name], "within": within or "", "candidates": row["candidates"],
                     "small": bool(row["small"]),
                     "pool": row["pool_pct"], "shortlisted": row["shortlisted_pct"],
                     "recruited": row["recruited_pct"], "recruited_count": row["recruited"],
                     "width": _num(row["recruited_pct"])})
    return rows


@login_required
@require_GET
def funnel_page(request: HttpRequest) -> HttpResponse:
    if user_role(request.user) not in MANAGING_ROLES:
        raise PermissionDenied("Chỉ cán bộ Đoàn, cán bộ liên lạc trường và quản trị viên xem được phân tích này.")
    report = funnel.funnel_report(request.user)
    years = report.cohort_years
    chosen: int | None = None
    raw = request.GET.get("cohort", "")
    if raw.isdigit() and int(raw) in years:
        chosen = int(raw)
    shown = report.overall if chosen is None else report.by_cohort[report.by_cohort["cohort"] == chosen]
    return render(request, "openings/funnel.html", {
        "current": "funnel",
        "total": len(report.candidates),
        "years": years,
        "chosen": chosen,
        "funnel_bars": _funnel_bars(shown) if not shown.empty else [],
        "stage_labels": [str(funnel.STAGE_LABELS[s]) for s in funnel.FUNNEL_STAGES],
        "cohort_rows": _cohort_table(report.by_cohort) if not report.by_cohort.empty else [],
        "time_bars": _time_bars(report.time_in_stage),
        "units": _unit_rows(report.units, "organization_id", "unit"),
        "unit_count": len(report.units),
        "universities": _unit_rows(report.universities, "university_id", "university"),
        "min_size": report.min_size,
        "unit_rows": UNIT_ROWS,
    })
