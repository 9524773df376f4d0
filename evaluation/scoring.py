"""The arithmetic of an evaluation, pure over plain values (no database), so it can be tested and
explained line by line.

For one person in one cycle: each criterion group's points are the mean of each kind of rater's points
(self, manager, peers, committee), weighted by the form's rater weights renormalised over the kinds who
rated; peers count only when at least ``min_peers`` of them rated (below that their points are withheld,
and nobody sees them). A group's score is its points over its scale, as 0–100; its contribution is the
group's weight times that score; the total is the sum of the contributions (so they always add up to
it). The rating is the first threshold the total reaches; a disciplined person is "không hoàn thành"
whatever the points.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean
from typing import Any, TypedDict

INCOMPLETE = "incomplete"


class Result(TypedDict):
    total: float | None
    rating: str
    contributions: dict[str, float]
    rater_count: int
    peers_withheld: bool


def money(value: float) -> float:
    """Two decimals, half up, after dropping binary noise (45.62499999999999 is 45.625)."""
    return float(Decimal(str(round(value, 9))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def shares_of(total: float, raw: dict[str, float]) -> dict[str, float]:
    """``raw`` rounded to two decimals so that they add up to ``total`` exactly: what rounding leaves over
    goes to the largest part."""
    parts = {key: money(value) for key, value in raw.items()}
    left = money(total - sum(parts.values()))
    if left and parts:
        largest = max(parts, key=lambda k: (parts[k], k))
        parts[largest] = money(parts[largest] + left)
    return parts


def rating_for(total: float | None, thresholds: list[list[Any]], disciplined: bool = False) -> str:
    if disciplined or total is None:
        return INCOMPLETE
    for rating, minimum in thresholds:
        if total >= float(minimum):
            return str(rating)
    return INCOMPLETE


def task_points(statuses: Iterable[tuple[str, bool]], credit: dict[str, float], scale: float) -> float | None:
    """Points on ``scale`` from a person's tasks ``(status, past_due)``: each counts its credit; a pending
    task past its due day counts as not done, one not yet due is left out. None without any task counted."""
    counted = [credit.get("not_done", 0.0) if status == "pending" else credit.get(status, 0.0)
               for status, past_due in statuses if status != "pending" or past_due]
    return scale * fmean(counted) if counted else None


def person_result(evaluations: Iterable[tuple[str, dict[str, Any]]], form: dict[str, Any],
                  disciplined: bool = False, tasks: tuple[str, float] | None = None) -> Result:
    """``evaluations`` are ``(rater_as, {group: points})`` of one person in one cycle; ``tasks``, when the
    person has quantified tasks, is ``(group, points)``: that group's points come from the tasks."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for rater_as, scores in evaluations:
        by_kind.setdefault(rater_as, []).append(scores)
    count = sum(len(v) for v in by_kind.values())
    withheld = 0 < len(by_kind.get("peer", [])) < int(form.get("min_peers", 3))
    if withheld:
        by_kind.pop("peer")
    weights = form.get("rater_weights", {})
    groups = form.get("groups", [])
    scored: dict[str, float] = {}
    for group in groups:
        key = group["key"]
        means = {kind: fmean(float(s[key]) for s in sheets if s.get(key) is not None)
                 for kind, sheets in by_kind.items() if any(s.get(key) is not None for s in sheets)}
        total_weight = sum(float(weights.get(kind, 0)) for kind in means)
        if not means or total_weight <= 0:
            continue
        points = sum(float(weights.get(kind, 0)) * mean for kind, mean in means.items()) / total_weight
        scored[key] = 100 * points / float(group["max_points"])
    if tasks is not None:
        group = next((g for g in groups if g["key"] == tasks[0]), None)
        if group is not None:
            scored[tasks[0]] = 100 * float(tasks[1]) / float(group["max_points"])
    if not scored:
        return {"total": None, "rating": INCOMPLETE, "contributions": {}, "rater_count": count,
                "peers_withheld": withheld}
    weight_sum = sum(float(g["weight"]) for g in groups if g["key"] in scored)
    raw = {g["key"]: float(g["weight"]) / weight_sum * scored[g["key"]] for g in groups if g["key"] in scored}
    total = money(sum(raw.values()))
    contributions = shares_of(total, raw)
    return {"total": total, "rating": rating_for(total, form.get("thresholds", []), disciplined),
            "contributions": contributions, "rater_count": count, "peers_withheld": withheld}


def yearly_total(monthly_totals: Iterable[float | None], yearly: float | None) -> float | None:
    """The yearly rule's default: the mean of the months' totals and the yearly cycle's own total."""
    values = [float(v) for v in (*monthly_totals, yearly) if v is not None]
    return money(fmean(values)) if values else None


def check_scores(scores: dict[str, Any], groups: list[dict[str, Any]]) -> dict[str, float]:
    """A rater's points, every group present and within its scale; raises ValueError naming the first
    problem (the services turn it into a refusal)."""
    known = {g["key"]: g for g in groups}
    unknown = sorted(set(scores) - set(known))
    if unknown:
        raise ValueError(f"Không có nhóm tiêu chí «{unknown[0]}» trong phiếu.")
    out = {}
    for key, group in known.items():
        raw = scores.get(key)
        if raw is None or raw == "":
            raise ValueError(f"Thiếu điểm «{group['label']}».")
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ValueError(f"Điểm «{group['label']}» phải là một số.") from None
        if not 0 <= value <= float(group["max_points"]):
            raise ValueError(f"Điểm «{group['label']}» từ 0 đến {group['max_points']}.")
        out[key] = value
    return out
