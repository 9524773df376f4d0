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


def terms(user: Any) -> list[str]:
    """The terms of the plans ``user`` may see, newest first."""
    return list(SuccessionPlan.objects.for_user(user).order_by("-term").values_list("term", flat=True).distinct())


def bench(user: Any, term: str, organization: Any = None, today: dt.date | None = None) -> dict[str, Any]:
    """Bench strength: every plan of ``term`` in the reader's reach (within ``organization``'s subtree when
    given) with its structure, and the totals over them. A fixed number of queries whatever the size."""
    from django.db.models import Prefetch

    from succession.models import PositionStandard

    plans = SuccessionPlan.objects.for_user(user).filter(term=term).select_related("position__organization")
    if organization is not None:
        plans = plans.filter(position__organization__path__startswith=organization.path)
    plans = plans.prefetch_related(Prefetch("members", queryset=PlanMember.objects.select_related("candidate")))
    rules = {s.level: s.rules for s in PositionStandard.objects.filter(active=True)}
    rows = []
    for plan in plans.order_by("position__organization__path", "position__title"):
        members = list(plan.members.all())
        rows.append({"plan": plan, "structure": structure(plan, members=members, today=today,
                                                          rules=rules.get(plan.position.level, {}))})
    live = [m for row in rows for m in row["plan"].members.all() if m.status != PlanMember.Status.REMOVED]
    people = {m.candidate_id: m.candidate for m in live}
    today = today or timezone.localdate()
    young_born_after = _years_ago(today, YOUNG_UNDER)

    def share(test: Any) -> float | None:
        return round(sum(1 for c in people.values() if test(c)) / len(people), 4) if people else None

    return {"rows": rows, "totals": {
        "plans": len(rows), "people": len(people),
        "without_ready": sum(1 for r in rows if r["structure"]["ready_now_count"] == 0),
        "short": sum(1 for r in rows if r["structure"]["members"] < r["structure"]["min_successors"]),
        "young_share": share(lambda c: c.date_of_birth > young_born_after),
        "women_share": share(lambda c: c.gender == Candidate.Gender.FEMALE),
        "minority_share": share(lambda c: bool(c.is_ethnic_minority)),
    }}


class RotationDue(TypedDict):
    candidate: int
    name: str
    organization: str
    title: str
    position: int | None
    since: dt.date
    years_in_post: int


def rotation_due(user: Any, today: dt.date | None = None, years: int | None = None) -> list[RotationDue]:
    """The people ``user`` may see who have held their current post for ``years`` or more (default the
    rotation rule's), longest first: those whose rotation is due."""
    from succession.defaults import ROTATION_YEARS
    from succession.models import PositionHeld

    today = today or timezone.localdate()
    years = ROTATION_YEARS if years is None else years
    held = (PositionHeld.objects.filter(ended_on__isnull=True, started_on__lte=_years_ago(today, years),
                                        candidate__in=Candidate.objects.for_user(user))
            .select_related("candidate", "organization").order_by("started_on", "candidate_id"))
    return [{"candidate": h.candidate_id, "name": h.candidate.full_name, "organization": h.organization.name,
             "title": h.title, "position": h.position_id, "since": h.started_on,
             "years_in_post": standards.age_on(h.started_on, today)} for h in held]


def career_section(candidate: Candidate, user: Any) -> dict[str, Any] | None:
    """The candidate page's career timeline (talent.registry ProfileSection): staff who manage the
    record, and the person themselves, read it; staff also read the plans the person is in. Nothing for
    a record with no post held, nor for recruiters."""
    from succession.models import MANAGING, PositionHeld
    from talent.models import user_role

    staff = user_role(user) in MANAGING
    if not staff and candidate.user_id != getattr(user, "pk", None):
        return None
    posts = list(PositionHeld.objects.filter(candidate=candidate).select_related("organization")
                 .order_by("-started_on", "-pk"))
    plans = (list(PlanMember.objects.filter(candidate=candidate, plan__in=SuccessionPlan.objects.for_user(user))
                  .exclude(status=PlanMember.Status.REMOVED).select_related("plan__position__organization"))
             if staff else [])
    if not posts and not plans:
        return None
    today = timezone.localdate()
    current = next((p for p in posts if p.ended_on is None), None)
    return {"posts": posts, "current": current, "plans": plans,
            "years_in_post": standards.age_on(current.started_on, today) if current else None}
