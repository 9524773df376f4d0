"""Reads of training: the compliance of succession plans with the training the resolutions ask for.

Seed 001 asks that every young cadre in planning be trained in leadership skills in the year, and the
positions' standards name a political-theory level. For each plan of a term in the reader's reach:
how many of its live members have a leadership-skills training completed in the year, who is missing,
and who does not yet meet the position's political-theory standard; and the same per unit, each person
counted once — three queries whatever the size.
"""

from __future__ import annotations

from typing import Any

from succession import standards
from succession.models import PlanMember, SuccessionPlan
from talent.models import Training


def compliance(user: Any, term: str, year: int) -> dict[str, Any]:
    plans = SuccessionPlan.objects.for_user(user).filter(term=term)
    members: dict[int, list[tuple[int, str, str]]] = {}
    for plan_id, candidate, name, theory in (PlanMember.objects.filter(plan__in=plans.values("pk"))
                                             .exclude(status=PlanMember.Status.REMOVED)
                                             .order_by("plan_id", "candidate__full_name", "candidate_id")
                                             .values_list("plan_id", "candidate_id", "candidate__full_name",
                                                          "candidate__political_theory")):
        members.setdefault(plan_id, []).append((candidate, name, theory))
    everyone = {c for rows in members.values() for c, _n, _t in rows}
    trained = set(Training.objects.filter(candidate_id__in=everyone, kind=Training.Kind.LEADERSHIP,
                                          completed_on__year=year).values_list("candidate_id", flat=True))
    rules = standards.active_rules()
    rows = []
    for pk, title, unit, level in plans.order_by("position__organization__path", "position__title").values_list(
            "pk", "position__title", "position__organization__name", "position__level"):
        people = members.get(pk, [])
        need = rules.get(level, {}).get("political_theory")
        theory_missing = [{"candidate": c, "name": n} for c, n, theory in people
                          if need in standards.THEORY and standards.THEORY.get(theory, 0) < standards.THEORY[need]]
        missing = [{"candidate": c, "name": n} for c, n, _t in people if c not in trained]
        rows.append({"plan": pk, "title": title, "organization": unit, "members": len(people),
                     "trained": len(people) - len(missing),
                     "trained_share": round((len(people) - len(missing)) / len(people), 4) if people else None,
                     "missing": missing, "theory_missing": theory_missing})
    # Per unit: each person once, however many of the unit's plans they are in.
    units: dict[str, dict[str, set[int]]] = {}
    for row in rows:
        unit = units.setdefault(row["organization"], {"members": set(), "missing": set(), "theory": set()})
        unit["members"].update(c for c, _n, _t in members.get(row["plan"], []))
        unit["missing"].update(m["candidate"] for m in row["missing"])
        unit["theory"].update(m["candidate"] for m in row["theory_missing"])
    by_unit = [{"organization": name, "members": len(u["members"]), "trained": len(u["members"] - u["missing"]),
                "missing": len(u["missing"]), "theory_missing": len(u["theory"]),
                "trained_share": round(len(u["members"] - u["missing"]) / len(u["members"]), 4)
                if u["members"] else None} for name, u in units.items()]
    total = sum(r["members"] for r in rows)
    done = sum(r["trained"] for r in rows)
    return {"term": term, "year": year, "rows": rows, "units": by_unit,
            "totals": {"plans": len(rows), "members": total, "trained": done,
                       "trained_share": round(done / total, 4) if total else None,
                       "complete_plans": sum(1 for r in rows if r["members"] and not r["missing"])}}


def budgets(user: Any, year: int) -> list[dict[str, Any]]:
    """Each budget of ``year`` in the reader's reach beside what its unit's subtree spent that year: the
    courses begun that year (people sent, not dropped, × cost per person) and the attraction payments paid.
    Three queries whatever the number of units."""
    from django.db.models import Count, Q

    from training.models import AttractionPayment, Course, Enrolment, TrainingBudget

    rows = list(TrainingBudget.objects.for_user(user).filter(year=year).select_related("organization")
                .order_by("organization__path"))
    courses = list(Course.objects.for_user(user).filter(starts_on__year=year)
                   .annotate(sent=Count("enrolments", filter=~Q(enrolments__status=Enrolment.Status.DROPPED)))
                   .values_list("organization__path", "cost_per_person", "sent"))
    payments = list(AttractionPayment.objects.for_user(user).filter(paid_on__year=year)
                    .values_list("organization__path", "amount"))
    out = []
    for budget in rows:
        path = budget.organization.path
        course_cost = sum(cost * sent for p, cost, sent in courses if p.startswith(path))
        paid = sum(amount for p, amount in payments if p.startswith(path))
        spent = course_cost + paid
        out.append({"organization": budget.organization, "year": year, "budget": budget.amount, "courses": course_cost,
                    "payments": paid, "spent": spent, "left": budget.amount - spent,
                    "share": round(spent / budget.amount, 4) if budget.amount else None})
    return out


def profile_section(candidate: Any, user: Any) -> dict[str, Any] | None:
    """The candidate page's section of courses and attraction payments (talent.registry ProfileSection):
    for the person themselves and for the runners who see the record; nothing for anyone else, nor for a
    record with neither."""
    from talent.models import user_role
    from training.models import RUNNERS, AttractionPayment, Enrolment

    own = candidate.user_id is not None and candidate.user_id == getattr(user, "pk", None)
    if not own and user_role(user) not in RUNNERS:
        return None
    enrolments = list(Enrolment.objects.filter(candidate=candidate).select_related("course").order_by("-course__starts_on"))
    payments = list(AttractionPayment.objects.filter(candidate=candidate).order_by("-paid_on"))
    if not enrolments and not payments:
        return None
    return {"enrolments": enrolments, "payments": payments}
