"""Reads of succession planning: a plan's structure (bench strength) from its live members."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.utils import timezone

from succession import standards
from succession.models import PlanMember, Readiness, SuccessionPlan
from succession.services import active_standard
from talent.models import Candidate

YOUNG_UNDER = 35


class Structure(TypedDict):
    members: int
    ready_now_count: int
    young_share: float | None
    women_share: float | None
    minority_share: float | None
    min_successors: int
    warnings: list[str]


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def structure(plan: SuccessionPlan, members: list[PlanMember] | None = None, today: dt.date | None = None,
              young_under: int = YOUNG_UNDER, rules: dict[str, Any] | None = None) -> Structure:
    """Counts over the plan's members who are not removed; shares are 0–1, None for an empty plan.
    ``rules`` are the position level's standards when the caller has read them already (a list)."""
    today = today or timezone.localdate()
    live = [m for m in (members if members is not None else plan.members.select_related("candidate"))
            if m.status != PlanMember.Status.REMOVED]
    size = len(live)
    young_born_after = _years_ago(today, young_under)

    def share(test: Any) -> float | None:
        return round(sum(1 for m in live if test(m.candidate)) / size, 4) if size else None

    if rules is None:
        standard = active_standard(plan.position.level)
        rules = standard.rules if standard else {}
    minimum = standards.rule(rules, "min_successors")
    ready = sum(1 for m in live if m.readiness == Readiness.READY_NOW)
    warnings = []
    if ready == 0:
        warnings.append("Chưa có người sẵn sàng kế nhiệm ngay.")
    if size < minimum:
        warnings.append(f"Ít hơn {minimum} người kế nhiệm cho chức danh.")
    return {"members": size, "ready_now_count": ready,
            "young_share": share(lambda c: c.date_of_birth > young_born_after),
            "women_share": share(lambda c: c.gender == Candidate.Gender.FEMALE),
            "minority_share": share(lambda c: bool(c.is_ethnic_minority)),
            "min_successors": minimum, "warnings": warnings}
