"""Vacancy forecast: when each position's incumbents reach the statutory retirement age, and whether a
successor will be ready by then.

``retirement_date(born, gender)`` is pure over the schedule in ``succession.defaults.RETIREMENT`` (the
Labour Code 2019 steps, kept as data). ``vacancies(user, term)`` reads three sets of plain values — the
positions in the reader's scope, their incumbents, the live members of the term's plans — whatever the
number of positions, and returns one row per seat that falls vacant before the term ends (a seat with
nobody in it is vacant now), soonest first.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, TypedDict

from django.utils import timezone

from succession.defaults import RETIREMENT
from succession.models import PlanMember, Position, PositionHeld, Readiness, SuccessionPlan

# When a member of each readiness is taken to be ready (the upper end of the band, from today).
READY_IN_YEARS = {Readiness.READY_NOW: 0, Readiness.ONE_TWO_YEARS: 2, Readiness.THREE_PLUS: 3}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def retirement_age_months(gender: str, year: int, schedule: dict[str, dict[str, int]] = RETIREMENT) -> int | None:
    """The retirement age, in months, for someone who reaches it in ``year``; None for an unknown gender."""
    step = schedule.get(gender)
    if step is None:
        return None
    if year < step["from_year"]:
        return step["before_months"]
    return min(step["start_months"] + step["step_months"] * (year - step["from_year"]), step["final_months"])


def retirement_date(born: dt.date, gender: str, schedule: dict[str, dict[str, int]] = RETIREMENT) -> dt.date | None:
    """The day the person reaches the retirement age that applies in the year they reach it."""
    for year in range(born.year + 40, born.year + 80):
        months = retirement_age_months(gender, year, schedule)
        if months is None:
            return None
        reached = add_months(born, months)
        if reached.year <= year:
            return reached
    return None


def ready_by(readiness: str, today: dt.date) -> dt.date:
    years = READY_IN_YEARS.get(readiness, 3)
    return add_months(today, 12 * years)


class Vacancy(TypedDict):
    position: int
    title: str
    organization: str
    plan: int | None
    on: dt.date
    reason: str  # "retirement" or "vacant"
    incumbent: int | None
    incumbent_name: str
    successors: int
    ready_by_then: int
    covered: bool


def vacancies(user: Any, term: str, organization: Any = None, today: dt.date | None = None) -> list[Vacancy]:
    """Seats of the positions in ``user``'s scope that fall vacant before the end of ``term`` (31/12 of its
    last year): incumbents reaching retirement age, and seats nobody holds (vacant today). Each names how
    many live successors the term's plan has and how many will be ready by then; within a position one
    successor covers one seat. A person planned for several positions counts for each of them (as the
    plans do: the forecast does not guess which post they will take)."""
    today = today or timezone.localdate()
    end = dt.date(int(term[-4:]), 12, 31)
    positions = Position.objects.for_user(user)
    if organization is not None:
        positions = positions.filter(organization__path__startswith=organization.path)
    rows = list(positions.order_by("organization__path", "title").values_list("pk", "title", "organization__name", "seats"))
    incumbents: dict[int, list[tuple[int, str, dt.date, str]]] = {}
    for position_id, *person in (PositionHeld.objects.filter(position__in=positions.values("pk"), ended_on__isnull=True)
                                 .order_by("position_id", "started_on", "pk")
                                 .values_list("position_id", "candidate_id", "candidate__full_name",
                                              "candidate__date_of_birth", "candidate__gender")):
        incumbents.setdefault(position_id, []).append(tuple(person))  # type: ignore[arg-type]
    plans = dict(SuccessionPlan.objects.filter(position__in=positions.values("pk"), term=term)
                 .values_list("position_id", "pk"))
    bench: dict[int, list[dt.date]] = {}
    for plan_id, readiness in (PlanMember.objects.filter(plan_id__in=list(plans.values()))
                               .exclude(status=PlanMember.Status.REMOVED).values_list("plan_id", "readiness")):
        bench.setdefault(plan_id, []).append(ready_by(readiness, today))
    out: list[Vacancy] = []
    for pk, title, unit, seats in rows:
        plan = plans.get(pk)
        ready_dates = bench.get(plan, []) if plan else []

        def row(on: dt.date, reason: str, incumbent: int | None = None, name: str = "") -> Vacancy:
            ready = sum(1 for d in ready_dates if d <= on)
            return {"position": pk, "title": title, "organization": unit, "plan": plan, "on": on, "reason": reason,
                    "incumbent": incumbent, "incumbent_name": name, "successors": len(ready_dates),
                    "ready_by_then": ready, "covered": False}

        held = incumbents.get(pk, [])
        mine = [row(today, "vacant") for _ in range(max(seats - len(held), 0))]
        for candidate, name, born, gender in held:
            retires = retirement_date(born, gender)
            if retires is not None and retires <= end:
                mine.append(row(max(retires, today), "retirement", candidate, name))
        # One successor fills one seat: the k-th seat of a position to fall vacant is covered when at least
        # k of its successors are ready by then.
        mine.sort(key=lambda v: v["on"])
        for k, vacancy in enumerate(mine, start=1):
            vacancy["covered"] = vacancy["ready_by_then"] >= k
        out.extend(mine)
    out.sort(key=lambda v: (v["on"], v["organization"], v["title"]))
    return out
