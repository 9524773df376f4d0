"""Reads of succession planning: a plan's structure (bench strength) from its live members."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple, TypedDict

from django.utils import timezone

from succession import standards
from succession.defaults import AGE_BANDS
from succession.models import Level, PlanMember, Readiness, StructureTarget, SuccessionPlan
from succession.standards import active_rules, active_standard
from talent.models import Candidate
from talent.rules import age_on, years_ago

YOUNG_UNDER = 35
MEASURES = ("young_share", "women_share", "minority_share")


class Structure(TypedDict):
    members: int
    ready_now_count: int
    young_share: float | None
    women_share: float | None
    minority_share: float | None
    age_bands: dict[str, int]
    below_targets: list[str]  # the measures whose share is under the active target
    min_successors: int
    warnings: list[str]


def active_targets() -> dict[str, dict[str, Any]]:
    """measure → {minimum (0–1), source, label, parameters} of the active structure targets (one query)."""
    return {t.measure: {"minimum": float(t.minimum), "source": t.source, "label": t.get_measure_display(),
                        "parameters": t.parameters or {}} for t in StructureTarget.objects.filter(active=True)}


def young_age_limit(targets: dict[str, dict[str, Any]]) -> int:
    return int(targets.get("young_share", {}).get("parameters", {}).get("under_age", YOUNG_UNDER))


def age_band(born: dt.date, on: dt.date) -> str:
    age = age_on(born, on)
    return next(key for key, _label, low, high in AGE_BANDS
                if (low is None or age >= low) and (high is None or age < high))


def target_rows(shares: dict[str, Any], targets: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each measure's share beside its target (None where no target is set), for the page and the chart."""
    labels = dict(StructureTarget.Measure.choices)
    rows = []
    for measure in MEASURES:
        target = targets.get(measure)
        share = shares.get(measure)
        rows.append({"measure": measure, "label": labels[measure], "share": share,
                     "minimum": target["minimum"] if target else None, "source": target["source"] if target else "",
                     "met": None if target is None or share is None else share >= target["minimum"]})
    return rows


class MemberFacts(NamedTuple):
    """What the structure counts about one live member (read as plain values, no model instances)."""

    candidate: int
    readiness: str
    date_of_birth: dt.date
    gender: str
    minority: bool


def _facts(member: PlanMember) -> MemberFacts:
    c = member.candidate
    return MemberFacts(c.pk, member.readiness, c.date_of_birth, c.gender, bool(c.is_ethnic_minority))


def _shares(people: list[MemberFacts], today: dt.date, young_under: int) -> dict[str, float | None]:
    size = len(people)
    young_born_after = years_ago(today, young_under)

    def share(count: int) -> float | None:
        return round(count / size, 4) if size else None

    return {"young_share": share(sum(1 for p in people if p.date_of_birth > young_born_after)),
            "women_share": share(sum(1 for p in people if p.gender == Candidate.Gender.FEMALE)),
            "minority_share": share(sum(1 for p in people if p.minority))}


def structure_of(live: list[MemberFacts], rules: dict[str, Any], today: dt.date,
                 targets: dict[str, dict[str, Any]] | None = None, term_start: dt.date | None = None) -> Structure:
    """A plan's structure from its live members' facts: pure. Age bands count ages at ``term_start``."""
    targets = targets or {}
    minimum = standards.rule(rules, "min_successors")
    ready = sum(1 for m in live if m.readiness == Readiness.READY_NOW)
    warnings = []
    if ready == 0:
        warnings.append("Chưa có người sẵn sàng kế nhiệm ngay.")
    if len(live) < minimum:
        warnings.append(f"Ít hơn {minimum} người kế nhiệm cho chức danh.")
    shares = _shares(live, today, young_age_limit(targets))
    bands = {key: 0 for key, *_ in AGE_BANDS}
    for m in live:
        bands[age_band(m.date_of_birth, term_start or today)] += 1
    below = [m for m in MEASURES if m in targets and shares[m] is not None and shares[m] < targets[m]["minimum"]]
    return {"members": len(live), "ready_now_count": ready, **shares,  # type: ignore[typeddict-item]
            "age_bands": bands, "below_targets": below, "min_successors": minimum, "warnings": warnings}


def term_start(term: str) -> dt.date:
    return dt.date(int(term[:4]), 1, 1)


def term_covers(term: str, year: int) -> bool:
    """"2025-2030" covers 2025 to 2030 (a term that cannot be read covers nothing)."""
    start, _, end = term.partition("-")
    return start.isdigit() and end.isdigit() and int(start) <= year <= int(end)


def structure(plan: SuccessionPlan, members: list[PlanMember] | None = None, today: dt.date | None = None,
              rules: dict[str, Any] | None = None, targets: dict[str, dict[str, Any]] | None = None) -> Structure:
    """Counts over the plan's members who are not removed; shares are 0–1, None for an empty plan.
    ``rules`` and ``targets`` are passed when the caller has read them already (a list of plans)."""
    today = today or timezone.localdate()
    live = [_facts(m) for m in (members if members is not None else plan.members.select_related("candidate"))
            if m.status != PlanMember.Status.REMOVED]
    if rules is None:
        standard = active_standard(plan.position.level)
        rules = standard.rules if standard else {}
    return structure_of(live, rules, today, active_targets() if targets is None else targets, term_start(plan.term))


def terms(user: Any) -> list[str]:
    """The terms of the plans ``user`` may see, newest first."""
    return list(SuccessionPlan.objects.for_user(user).order_by("-term").values_list("term", flat=True).distinct())


def bench(user: Any, term: str, organization: Any = None, today: dt.date | None = None) -> dict[str, Any]:
    """Bench strength: every plan of ``term`` in the reader's reach (within ``organization``'s subtree when
    given) with its structure, and the totals over them. Three queries whatever the size: the plans with
    their positions' title, level and unit, the live members' facts, and the standards — as plain values.
    Each row is ``{"plan": {pk, term, title, level, level_label, organization}, "structure": …}``."""
    today = today or timezone.localdate()
    plans = SuccessionPlan.objects.for_user(user).filter(term=term)
    if organization is not None:
        plans = plans.filter(position__organization__path__startswith=organization.path)
    facts: dict[int, list[MemberFacts]] = {}
    for plan_id, *values in (PlanMember.objects.filter(plan__in=plans.values("pk"))
                             .exclude(status=PlanMember.Status.REMOVED).order_by("plan_id", "order", "pk")
                             .values_list("plan_id", "candidate_id", "readiness", "candidate__date_of_birth",
                                          "candidate__gender", "candidate__is_ethnic_minority")):
        candidate, readiness, born, gender, minority = values
        facts.setdefault(plan_id, []).append(MemberFacts(candidate, readiness, born, gender, bool(minority)))
    rules = active_rules()
    targets = active_targets()
    start = term_start(term)
    levels = dict(Level.choices)
    # Plain values, not model instances: a city has thousands of plans and the page shows a hundred.
    rows = [{"plan": {"pk": pk, "term": plan_term, "title": title, "level": level, "level_label": levels.get(level, level),
                      "organization": unit},
             "structure": structure_of(facts.get(pk, []), rules.get(level, {}), today, targets, start)}
            for pk, plan_term, title, level, unit in plans.order_by("position__organization__path", "position__title")
            .values_list("pk", "term", "position__title", "position__level", "position__organization__name")]
    people = list({m.candidate: m for live in facts.values() for m in live}.values())
    whole = structure_of(people, {}, today, targets, start)
    shares = {m: whole[m] for m in MEASURES}  # type: ignore[literal-required]
    readiness = {key: 0 for key in Readiness.values}
    for live in facts.values():
        for m in live:
            readiness[m.readiness] += 1
    return {"rows": rows, "targets": target_rows(shares, targets), "totals": {
        "plans": len(rows), "people": len(people),
        "without_ready": sum(1 for r in rows if r["structure"]["ready_now_count"] == 0),
        "short": sum(1 for r in rows if r["structure"]["members"] < r["structure"]["min_successors"]),
        "below_targets": sum(1 for r in rows if r["structure"]["below_targets"]),
        "readiness": readiness, "age_bands": whole["age_bands"],
        "age_bands_complete": all(whole["age_bands"].values()),
        **shares,
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
    held = (PositionHeld.objects.filter(ended_on__isnull=True, started_on__lte=years_ago(today, years),
                                        candidate__in=Candidate.objects.for_user(user))
            .select_related("candidate", "organization").order_by("started_on", "candidate_id"))
    return [{"candidate": h.candidate_id, "name": h.candidate.full_name, "organization": h.organization.name,
             "title": h.title, "position": h.position_id, "since": h.started_on,
             "years_in_post": age_on(h.started_on, today)} for h in held]


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
            "years_in_post": age_on(current.started_on, today) if current else None}


# --- The yearly review ---------------------------------------------------------------------------------

def _covers(term: str, year: int) -> bool:
    return int(term[:4]) <= year <= int(term[-4:])


def plans_to_review(user: Any, year: int) -> Any:
    """The plans in ``user``'s reach that owe ``year``'s review: made by 31/12 of that year (a plan made
    later owes none for it); the caller keeps those whose term covers the year."""
    return SuccessionPlan.objects.for_user(user).filter(created_at__date__lte=dt.date(year, 12, 31))


def review_overview(user: Any, year: int, today: dt.date | None = None) -> dict[str, Any]:
    """Every plan in ``user``'s reach whose term covers ``year``, with its review's state: not opened, open,
    signed — and overdue once 31/12 of the year has passed unsigned. Two queries."""
    from succession.models import PlanReview

    today = today or timezone.localdate()
    plans = plans_to_review(user, year)
    reviews = {plan_id: (pk, status, signed_at) for pk, plan_id, status, signed_at in PlanReview.objects.filter(
        year=year, plan__in=plans).values_list("pk", "plan_id", "status", "signed_at")}
    late = today > dt.date(year, 12, 31)
    rows = []
    for pk, term, title, unit in plans.order_by("position__organization__path", "position__title").values_list(
            "pk", "term", "position__title", "position__organization__name"):
        if not _covers(term, year):
            continue
        review, status, signed_at = reviews.get(pk, (None, "not_opened", None))
        rows.append({"plan": pk, "term": term, "title": title, "organization": unit, "review": review,
                     "status": status, "signed_at": signed_at, "overdue": late and status != PlanReview.Status.SIGNED})
    count = {s: sum(1 for r in rows if r["status"] == s) for s in ("not_opened", "open", "signed")}
    return {"year": year, "rows": rows, "late": late, "reminding": today >= dt.date(year, 12, 1),
            "totals": {"plans": len(rows), **count, "overdue": sum(1 for r in rows if r["overdue"])}}


def unreviewed_count(user: Any, year: int) -> int:
    """Plans in ``user``'s reach covering ``year`` whose review for the year is not signed (the bell and
    the dashboard remind of these)."""
    from succession.models import PlanReview

    plans = plans_to_review(user, year)
    signed = set(PlanReview.objects.filter(year=year, plan__in=plans, status=PlanReview.Status.SIGNED)
                 .values_list("plan_id", flat=True))
    return sum(1 for pk, term in plans.values_list("pk", "term") if _covers(term, year) and pk not in signed)


def review_worklist(review: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The members the review decides about — those live, and those it removed — each with their latest
    annual rating, trainings, years in the current post, the position's standards they now fail, and the
    review's latest decision. A fixed number of queries whatever the plan's size."""
    from succession.models import PositionHeld, ReviewDecision
    from talent.models import AnnualRating, Training

    today = today or timezone.localdate()
    decisions: dict[int, Any] = {}
    for decision in ReviewDecision.objects.filter(review=review).order_by("at", "pk"):
        decisions[decision.member_id] = decision
    members = [m for m in review.plan.members.select_related("candidate").order_by("order", "pk")
               if m.status != PlanMember.Status.REMOVED or m.pk in decisions]
    ids = [m.candidate_id for m in members]
    ratings: dict[int, Any] = {}
    for rating in AnnualRating.objects.filter(candidate_id__in=ids).order_by("candidate_id", "year"):
        ratings[rating.candidate_id] = rating
    trainings: dict[int, list[Any]] = {}
    for training in Training.objects.filter(candidate_id__in=ids).order_by("-completed_on"):
        trainings.setdefault(training.candidate_id, []).append(training)
    posts = {h.candidate_id: h for h in PositionHeld.objects.filter(candidate_id__in=ids, ended_on__isnull=True)
             .order_by("started_on")}
    standard = active_standard(review.plan.position.level)
    rules = standard.rules if standard else {}
    facts = standards.facts_for([m.candidate for m in members], today)
    rows = []
    for m in members:
        post = posts.get(m.candidate_id)
        done = trainings.get(m.candidate_id, [])
        rows.append({"member": m, "rating": ratings.get(m.candidate_id), "trainings": done,
                     "leadership_this_year": any(t.kind == Training.Kind.LEADERSHIP and t.completed_on.year == review.year
                                                 for t in done),
                     "post": post, "years_in_post": age_on(post.started_on, today) if post else None,
                     "failures": standards.failures(rules, facts[m.candidate_id], first_planning=False)
                     if m.status != PlanMember.Status.REMOVED else [],
                     "decision": decisions.get(m.pk)})
    return rows


def review_snapshot(review: Any) -> dict[str, Any]:
    """The outcome of a review as plain data (kept when it is signed, printed in the report)."""
    from succession.models import ReviewDecision

    readiness = dict(Readiness.choices)
    reasons = dict(PlanMember.RemovalReason.choices)
    kinds = dict(ReviewDecision.Kind.choices)
    members = list(review.plan.members.select_related("candidate").order_by("order", "pk"))
    live = [m for m in members if m.status != PlanMember.Status.REMOVED]
    names = {m.pk: m.candidate.full_name for m in members}
    latest: dict[int, Any] = {}
    for decision in ReviewDecision.objects.filter(review=review).order_by("at", "pk"):
        latest[decision.member_id] = decision
    words = {**readiness, **reasons}
    shape = structure(review.plan, members=members)
    return {
        "year": review.year, "term": review.plan.term, "title": review.plan.position.title,
        "organization": review.plan.position.organization.name,
        "members": [{"candidate": m.candidate_id, "name": m.candidate.full_name, "order": m.order,
                     "readiness": m.readiness, "readiness_label": str(readiness[m.readiness]),
                     "status_label": str(m.get_status_display())} for m in live],
        "changes": [{"member": pk, "name": names.get(pk, ""), "kind": d.kind, "kind_label": str(kinds[d.kind]),
                     "before": str(words.get(d.before, d.before)), "after": str(words.get(d.after, d.after)),
                     "note": d.note} for pk, d in latest.items()],
        "structure": {k: shape[k] for k in ("members", "ready_now_count", "young_share", "women_share",  # type: ignore[literal-required]
                                            "minority_share", "warnings")},
    }


def members_without_rotation(user: Any, term: str) -> list[dict[str, Any]]:
    """Live members of ``term``'s plans in ``user``'s reach with no rotation plan (other than cancelled) —
    those the province's conclusion asks to be rotated to train them (seeds/001)."""
    from succession.models import RotationPlan

    rotated = RotationPlan.objects.exclude(status=RotationPlan.Status.CANCELLED).values("candidate_id")
    rows = (PlanMember.objects.filter(plan__in=SuccessionPlan.objects.for_user(user).filter(term=term))
            .exclude(status=PlanMember.Status.REMOVED).exclude(candidate_id__in=rotated)
            .order_by("candidate__full_name", "candidate_id", "plan_id")
            .values_list("candidate_id", "candidate__full_name", "plan_id", "plan__position__title",
                         "plan__position__organization__name", "readiness"))
    people: dict[int, dict[str, Any]] = {}
    for candidate, name, plan, title, unit, readiness in rows:
        person = people.setdefault(candidate, {"candidate": candidate, "name": name, "plans": []})
        person["plans"].append({"plan": plan, "title": title, "organization": unit, "readiness": readiness})
    return list(people.values())
