"""Reads of evaluation: a cycle's results (computed while it runs, stored once finalized), its completion,
what a rater still has to do, and a person's own results.

Peers' individual points are never returned by anything here: results carry only totals, ratings,
each group's contribution and how many raters took part.
"""

from __future__ import annotations

from statistics import fmean
from typing import Any

from evaluation import scoring
from evaluation.models import Evaluation, EvaluationCycle, EvaluationResult, RaterAssignment


def _form(cycle: EvaluationCycle) -> dict[str, Any]:
    f = cycle.form
    return {"groups": f.groups, "rater_weights": f.rater_weights, "thresholds": f.thresholds,
            "min_peers": f.min_peers}


def _own(cycle: EvaluationCycle, disciplined: set[int]) -> dict[int, scoring.Result]:
    """Each rated person's result from this cycle's own sheets (one query)."""
    sheets: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for candidate, rater_as, scores in Evaluation.objects.filter(cycle=cycle).values_list(
            "candidate_id", "rater_as", "scores"):
        sheets.setdefault(candidate, []).append((rater_as, scores))
    people = set(RaterAssignment.objects.filter(cycle=cycle).values_list("candidate_id", flat=True)) | set(sheets)
    form = _form(cycle)
    tasks = _task_points(cycle)
    return {pk: scoring.person_result(sheets.get(pk, []), form, pk in disciplined, tasks.get(pk)) for pk in people}


def _task_points(cycle: EvaluationCycle) -> dict[int, tuple[str, float]]:
    """Each person's points for the results criterion from their tasks in a monthly cycle (one query)."""
    from django.utils import timezone

    from evaluation.defaults import TASK_CREDIT, TASK_GROUP
    from evaluation.models import EvaluationTask

    if cycle.kind != EvaluationCycle.Kind.MONTHLY:
        return {}
    today = timezone.localdate()
    statuses: dict[int, list[tuple[str, bool]]] = {}
    for candidate, status, due_on in EvaluationTask.objects.filter(cycle=cycle).values_list(
            "candidate_id", "status", "due_on"):
        statuses.setdefault(candidate, []).append((status, due_on < today))
    scale = next((float(g["max_points"]) for g in cycle.form.groups if g["key"] == TASK_GROUP), 10.0)
    out = {}
    for candidate, rows in statuses.items():
        points = scoring.task_points(rows, TASK_CREDIT, scale)
        if points is not None:
            out[candidate] = (TASK_GROUP, points)
    return out


def results(cycle: EvaluationCycle, disciplined: set[int] | None = None) -> list[dict[str, Any]]:
    """One row per person: ``candidate``, ``name``, ``total``, ``rating``, ``contributions`` (summing to the
    total), ``rater_count``, ``peers_withheld`` and, for a yearly cycle, ``months`` (the monthly totals of
    the year that went in). A finalized cycle answers from what was stored."""
    from talent.models import Candidate

    if cycle.status == EvaluationCycle.Status.FINALIZED:
        stored = EvaluationResult.objects.filter(cycle=cycle).select_related("candidate").order_by("candidate__full_name")
        return [{"candidate": r.candidate_id, "name": r.candidate.full_name, "total": float(r.total),
                 "rating": r.rating, "contributions": r.contributions, "rater_count": r.rater_count,
                 "peers_withheld": False, "disciplined": r.disciplined, "comment": r.comment} for r in stored]
    disciplined = disciplined or set()
    own = _own(cycle, disciplined)
    months: dict[int, list[dict[str, Any]]] = {}
    if cycle.kind == EvaluationCycle.Kind.YEARLY:
        for candidate, total, contributions in EvaluationResult.objects.filter(
                cycle__kind=EvaluationCycle.Kind.MONTHLY, cycle__period__startswith=f"{cycle.period}-",
                cycle__organization__path__startswith=cycle.organization.path,
                candidate_id__in=list(own)).values_list("candidate_id", "total", "contributions"):
            months.setdefault(candidate, []).append({"total": float(total), "contributions": contributions})
    names = dict(Candidate.objects.filter(pk__in=list(own)).values_list("pk", "full_name"))
    thresholds = cycle.form.thresholds
    rows = []
    for pk, result in own.items():
        row = {"candidate": pk, "name": names.get(pk, ""), **result, "disciplined": pk in disciplined, "comment": ""}
        if cycle.kind == EvaluationCycle.Kind.YEARLY and months.get(pk):
            # The yearly rule: the mean of the months and the yearly sheet, group by group, so the
            # contributions still add up to the total.
            sources = [m["contributions"] for m in months[pk]] + ([result["contributions"]] if result["contributions"] else [])
            keys = [g["key"] for g in cycle.form.groups]
            raw = {k: fmean(float(s.get(k, 0)) for s in sources) for k in keys}
            total = scoring.money(sum(raw.values()))
            contributions = scoring.shares_of(total, raw)
            row.update(total=total, contributions=contributions, months=[m["total"] for m in months[pk]],
                       rating=scoring.rating_for(total, thresholds, pk in disciplined))
        rows.append(row)
    rows.sort(key=lambda r: (r["name"], r["candidate"]))
    return rows


def completion(cycle: EvaluationCycle) -> dict[str, Any]:
    """How many sheets are in of how many assigned, per kind of rater (two queries)."""
    assigned: dict[str, int] = {}
    for rater_as in RaterAssignment.objects.filter(cycle=cycle).values_list("rater_as", flat=True):
        assigned[rater_as] = assigned.get(rater_as, 0) + 1
    done: dict[str, int] = {}
    for rater_as in Evaluation.objects.filter(cycle=cycle).values_list("rater_as", flat=True):
        done[rater_as] = done.get(rater_as, 0) + 1
    total, submitted = sum(assigned.values()), sum(done.values())
    return {"assigned": total, "submitted": submitted, "share": round(submitted / total, 4) if total else None,
            "by_kind": [{"as": k, "label": str(label), "assigned": assigned.get(k, 0), "submitted": done.get(k, 0)}
                        for k, label in RaterAssignment.As.choices if assigned.get(k)]}


def assignments(cycle: EvaluationCycle, limit: int = 2000) -> list[dict[str, Any]]:
    """Who rates whom in the cycle, for its runners: each assignment with whether the sheet is in (two
    queries). Points are not part of it."""
    sent = set(Evaluation.objects.filter(cycle=cycle).values_list("candidate_id", "rater_id"))
    rows = (RaterAssignment.objects.filter(cycle=cycle)
            .order_by("candidate__full_name", "candidate_id", "rater_as", "rater__username")
            .values_list("pk", "candidate_id", "candidate__full_name", "rater_id", "rater__username",
                         "rater__first_name", "rater__last_name", "rater_as")[:limit])
    words = dict(RaterAssignment.As.choices)
    return [{"pk": pk, "candidate": c, "name": name, "rater": username,
             "rater_name": " ".join(p for p in (last, first) if p) or username, "as": rater_as,
             "as_label": words.get(rater_as, rater_as), "sent": (c, r) in sent}
            for pk, c, name, r, username, first, last, rater_as in rows]


def rater_choices(user: Any, limit: int = 500) -> list[tuple[str, str]]:
    """Accounts a runner may assign as raters (active, of a unit in their reach), for the form's list."""
    from django.contrib.auth import get_user_model

    from talent.models import Organization

    units = Organization.objects.for_user(user).values("pk")
    return [(u, " ".join(p for p in (last, first) if p) or u) for u, first, last in
            get_user_model().objects.filter(is_active=True, profile__organization__in=units)
            .order_by("username").values_list("username", "first_name", "last_name")[:limit]]


def pending_for(user: Any) -> list[RaterAssignment]:
    """The sheets ``user`` still owes in open cycles, soonest deadline first."""
    done = set(Evaluation.objects.filter(rater=user).values_list("cycle_id", "candidate_id"))
    rows = (RaterAssignment.objects.filter(rater=user, cycle__status=EvaluationCycle.Status.OPEN)
            .select_related("cycle__organization", "candidate").order_by("cycle__deadline", "candidate__full_name"))
    return [a for a in rows if (a.cycle_id, a.candidate_id) not in done]


def own_results(user: Any) -> list[EvaluationResult]:
    """The finalized results of the person linked to ``user`` (with the committee's note on the cycle)."""
    return list(EvaluationResult.objects.filter(candidate__user=user).select_related("cycle__organization")
                .order_by("-cycle__period"))


def rollup(user: Any, kind: str, period: str, organization: Any = None) -> dict[str, Any]:
    """Completion and the rating distribution of the cycles of ``period`` ("2026-11"; for monthly cycles
    "2026" takes every month of the year) under ``organization`` (default: the reader's home unit, or
    every top unit for an administrator without one), one row per unit directly below it (and the unit
    itself for its own cycles), each with its subtree folded in — so a reader drills from the city down
    to a commune's unit. A cycle is late when its deadline has passed and it is not finalized. A fixed
    number of queries whatever the number of cycles and people."""
    from django.utils import timezone

    from talent.models import Organization, user_organization

    today = timezone.localdate()
    root = organization or user_organization(user)
    cycles = EvaluationCycle.objects.for_user(user).filter(kind=kind)
    cycles = cycles.filter(period__startswith=f"{period}-") if kind == EvaluationCycle.Kind.MONTHLY and len(period) == 4 \
        else cycles.filter(period=period)
    if root is not None:
        cycles = cycles.filter(organization__path__startswith=root.path)
        units = [root, *Organization.objects.for_user(user).filter(parent=root).order_by("name")]
    else:
        units = list(Organization.objects.for_user(user).filter(parent__isnull=True).order_by("name"))
    # One row per cycle with its kept counts (evaluation.tally): the sheets themselves are not read.
    info = {pk: {"path": path, "late": status != EvaluationCycle.Status.FINALIZED and deadline < today,
                 "assigned": assigned, "people": people, "submitted": submitted, "ratings": ratings or {}}
            for pk, path, status, deadline, assigned, people, submitted, ratings in cycles.values_list(
                "pk", "organization__path", "status", "deadline", "assigned_count", "people_count",
                "submitted_count", "rating_counts")}
    rows = []
    for k, unit in enumerate(units):
        own_only = root is not None and k == 0  # the unit's own cycles, not its subtree's
        mine = [pk for pk, c in info.items()
                if (c["path"] == unit.path if own_only else c["path"].startswith(unit.path))]
        if own_only and not mine:
            continue
        dist = {key: sum(int(info[pk]["ratings"].get(key, 0)) for pk in mine)
                for key in ("excellent", "good", "complete", "incomplete")}
        total_assigned = sum(info[pk]["assigned"] for pk in mine)
        total_submitted = sum(info[pk]["submitted"] for pk in mine)
        rows.append({"organization": unit, "own": own_only, "cycles": len(mine),
                     "people": sum(info[pk]["people"] for pk in mine), "assigned": total_assigned,
                     "submitted": total_submitted,
                     "share": round(total_submitted / total_assigned, 4) if total_assigned else None,
                     "ratings": dist, "rated": sum(dist.values()), "late": sum(1 for pk in mine if info[pk]["late"]),
                     "drill": not own_only and any(info[pk]["path"] != unit.path for pk in mine)})
    return {"root": root, "rows": rows, "late_units": [r for r in rows if r["late"]]}
