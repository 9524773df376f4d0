"""The 9-box of a plan: performance (from annual ratings) × potential (the active potential model's
estimate, or the plan's readiness judgement when the model has none), as the familiar 3×3 grid, with the
calibration sessions' moves applied in order (a new session starts from the last one's grid).

``performance_box`` and ``potential_box`` are pure over ``succession.defaults.NINE_BOX``; ``placements``
reads a plan's live members, their ratings and the model's estimates (a fixed number of queries);
``grid`` lays placements out as nine cells, top row the highest potential, columns performance low → high.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _

from succession.defaults import NINE_BOX
from succession.models import Box, Calibration, CalibrationMove, PlanMember, SuccessionPlan

ORDER = (Box.LOW, Box.MEDIUM, Box.HIGH)
# What each cell is usually called, (performance, potential) → words.
CELL_NAMES = {
    ("high", "high"): _("Ngôi sao"), ("medium", "high"): _("Tiềm năng cao"), ("low", "high"): _("Cần phát huy"),
    ("high", "medium"): _("Nòng cốt xuất sắc"), ("medium", "medium"): _("Nòng cốt"),
    ("low", "medium"): _("Cần cải thiện"), ("high", "low"): _("Chuyên gia tin cậy"),
    ("medium", "low"): _("Ổn định"), ("low", "low"): _("Cần xem xét"),
}


def performance_box(ratings: list[tuple[int, str, bool]], config: dict[str, Any] = NINE_BOX) -> tuple[str, float | None]:
    """The box of the mean points of the last ``rating_years`` ratings ``(year, rating, disciplined)``;
    medium, with no mean, for someone not yet rated."""
    latest = sorted(ratings, reverse=True)[: config["rating_years"]]
    if not latest:
        return Box.MEDIUM, None
    points = config["rating_points"]
    mean = sum(points["incomplete"] if disciplined else points.get(rating, 0) for _y, rating, disciplined in latest) / len(latest)
    if mean >= config["performance_high"]:
        return Box.HIGH, mean
    return (Box.MEDIUM if mean >= config["performance_medium"] else Box.LOW), mean


def potential_box(probability: float | None, readiness: str, config: dict[str, Any] = NINE_BOX) -> tuple[str, str]:
    """(box, source): from the model's probability when there is one, else from the readiness judgement."""
    if probability is None or (isinstance(probability, float) and math.isnan(probability)):
        if readiness not in config["readiness_potential"]:
            return Box.MEDIUM, "none"
        return config["readiness_potential"][readiness], "readiness"
    if probability >= config["potential_high"]:
        return Box.HIGH, "model"
    return (Box.MEDIUM if probability >= config["potential_medium"] else Box.LOW), "model"


def _estimates(ids: list[int]) -> dict[int, float]:
    """The active potential model's probability per candidate (none without a model)."""
    from scoring.features import load_features
    from talent.models import Candidate

    if not ids:
        return {}
    frame = load_features(Candidate.objects.filter(pk__in=ids), with_potential=True)
    return {int(pk): float(value) for pk, value in frame["potential"].items() if not math.isnan(value)}


def placements(plan: SuccessionPlan) -> list[dict[str, Any]]:
    """Where each live member of ``plan`` falls before any calibration (three queries and the model)."""
    members = list(plan.members.exclude(status=PlanMember.Status.REMOVED).select_related("candidate")
                   .order_by("order", "pk"))
    return place([(m.pk, m.candidate_id, m.candidate.full_name, m.readiness) for m in members])


def place(people: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """Placements of ``(key, candidate, name, readiness)`` rows (readiness "" when there is none: a pool's
    member without a plan sits in medium potential unless the model estimates them)."""
    from talent.models import AnnualRating

    ids = [candidate for _key, candidate, _name, _readiness in people]
    ratings: dict[int, list[tuple[int, str, bool]]] = {}
    for pk, year, rating, disciplined in AnnualRating.objects.filter(candidate_id__in=ids).values_list(
            "candidate_id", "year", "rating", "disciplined"):
        ratings.setdefault(pk, []).append((year, rating, disciplined))
    estimates = _estimates(ids)
    out = []
    for key, candidate, name, readiness in people:
        performance, mean = performance_box(ratings.get(candidate, []))
        potential, source = potential_box(estimates.get(candidate), readiness)
        out.append({"member": key, "candidate": candidate, "name": name,
                    "performance": str(performance), "potential": str(potential), "rating_mean": mean,
                    "rated": candidate in ratings, "potential_source": source,
                    "probability": estimates.get(candidate), "moved": False, "reason": ""})
    return out


def pool_grid(user: Any, pool: Any) -> dict[str, Any]:
    """The 9-box of a talent pool's members that ``user`` may see (read-only: calibration is per plan).
    A member's readiness is the best of their live plan memberships, when they have any."""
    from talent.selectors import pool_members

    people = list(pool_members(user=user, pool=pool).order_by("full_name", "pk")[:500])
    best: dict[int, str] = {}
    rank = {"ready_now": 0, "1_2_years": 1, "3_plus_years": 2}
    for candidate, readiness in PlanMember.objects.filter(candidate__in=[p.pk for p in people]).exclude(
            status=PlanMember.Status.REMOVED).values_list("candidate_id", "readiness"):
        if candidate not in best or rank[readiness] < rank[best[candidate]]:
            best[candidate] = readiness
    placed = place([(p.pk, p.pk, p.full_name, best.get(p.pk, "")) for p in people])
    return {"people": placed, "cells": grid(placed), "truncated": len(people) == 500}


def apply_moves(people: list[dict[str, Any]], moves: list[CalibrationMove]) -> list[dict[str, Any]]:
    """Each person's latest move puts them in its box (pure over the rows)."""
    latest = {move.member_id: move for move in moves}
    out = []
    for person in people:
        move = latest.get(person["member"])
        if move is not None:
            person = {**person, "performance": move.to_performance, "potential": move.to_potential, "moved": True,
                      "reason": move.reason}
        out.append(person)
    return out


def grid(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nine cells, rows potential high → low, columns performance low → high."""
    cells = []
    for potential in reversed(ORDER):
        for performance in ORDER:
            cells.append({"performance": str(performance), "potential": str(potential),
                          "name": str(CELL_NAMES[(str(performance), str(potential))]),
                          "members": [p for p in people if p["performance"] == performance and p["potential"] == potential]})
    return cells


def moves_of(plan: SuccessionPlan) -> list[CalibrationMove]:
    """Every calibration move of the plan, oldest first: each session starts from where the last left off."""
    return list(CalibrationMove.objects.filter(calibration__plan=plan).order_by("at", "pk"))


def current(plan: SuccessionPlan) -> dict[str, Any]:
    """The plan's grid now: placements with the moves of every calibration session, in order."""
    calibration = Calibration.objects.filter(plan=plan).order_by("-created_at", "-pk").first()
    people = apply_moves(placements(plan), moves_of(plan))
    return {"calibration": calibration, "people": people, "cells": grid(people)}
