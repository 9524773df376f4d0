"""What the resolutions' targets (``openings.targets``) need from succession planning and training, which
sit above them: the population "members of the current term's succession plans" and the metric "meets
the political-theory standard of every position they are planned for". Registered in ``ready()``.

The current term is every term covering today's year ("2025-2030" covers 2025 to 2030); a member is live
unless removed. A position's standard is its level's active ``PositionStandard`` (``succession.standards``),
the same rule the compliance page and the plan pages apply.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from succession import standards
from succession.models import PlanMember, SuccessionPlan
from succession.selectors import term_covers
from talent.models import Candidate


def current_terms(today: dt.date) -> list[str]:
    return [term for term in SuccessionPlan.objects.order_by().values_list("term", flat=True).distinct()
            if term_covers(term, today.year)]


def _live(today: dt.date) -> QuerySet[PlanMember]:
    return PlanMember.objects.filter(plan__term__in=current_terms(today)).exclude(status=PlanMember.Status.REMOVED)


def in_plans(people: QuerySet[Candidate], value: Any, today: dt.date) -> QuerySet[Candidate]:
    """``{"in_plans": true}``: the live members of the current term's plans (false narrows nothing)."""
    if not value:
        return people
    return people.filter(Exists(_live(today).filter(candidate=OuterRef("pk"))))


def theory_met(people: QuerySet[Candidate], today: dt.date) -> QuerySet[Candidate]:
    """Those whose political theory reaches the standard of every current plan they are a member of."""
    needs: dict[str, list[str]] = {}
    for level, rules in standards.active_rules().items():
        need = (rules or {}).get("political_theory")
        if need in standards.THEORY and standards.THEORY[need] > 0:
            needs.setdefault(need, []).append(level)
    short = Q(pk__in=[])
    for need, levels in needs.items():
        enough = [key for key, rank in standards.THEORY.items() if rank >= standards.THEORY[need]]
        short |= Q(Exists(_live(today).filter(candidate=OuterRef("pk"), plan__position__level__in=levels))) & ~Q(
            political_theory__in=enough)
    return people.exclude(short)
