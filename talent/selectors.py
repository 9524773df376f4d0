"""Every read of the talent domain, already scoped to the user."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet

from core.text import fold
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    Organization,
    PoolMembership,
    Stage,
    StageTransition,
    TalentPool,
)
from talent.permissions import hidden_candidate_fields

# Orderings the list may be sorted by (public name → ORM ordering, always ending on a unique key).
CANDIDATE_ORDERINGS: dict[str, tuple[str, ...]] = {
    "name": ("name_key", "id"),
    "-name": ("-name_key", "-id"),
    "dob": ("date_of_birth", "id"),
    "-dob": ("-date_of_birth", "-id"),
    "stage": ("stage", "id"),
    "updated": ("-updated_at", "-id"),
    "id": ("id",),
}


class CandidateFilters(TypedDict, total=False):
    search: str
    stage: str
    organization: int
    province: int
    gender: str
    school_year: int
    achievement_level: str
    ordering: str


def candidate_list(*, user: Any, filters: CandidateFilters | None = None) -> QuerySet[Candidate]:
    """Candidates the user may see, filtered and sorted; the list's related rows come in one join."""
    filters = filters or {}
    # Anonymized records are counted in statistics but are no longer people to list.
    qs = filter_candidates(Candidate.objects.for_user(user).active().select_related("organization"), user=user,
                           filters=filters)
    key = filters.get("ordering") or "name"
    ordering = CANDIDATE_ORDERINGS[key if key in candidate_orderings(user) else "name"]
    return qs.order_by(*ordering)


def candidate_orderings(user: Any) -> list[str]:
    """Sort keys the user may use: sorting by a date they may not see would reveal its order."""
    hidden = hidden_candidate_fields(user)
    return [key for key, fields in CANDIDATE_ORDERINGS.items()
            if not any(field.lstrip("-") in hidden for field in fields)]


def filter_candidates(qs: QuerySet[Candidate], *, user: Any, filters: CandidateFilters) -> QuerySet[Candidate]:
    """Apply list filters to an already scoped queryset (shared by pages and the API)."""
    if filters.get("search"):
        # Names never hold digits, so a digits-only search looks up an exam number: only for those
        # who may see exam numbers (a recruiter may not, nor learn who has one by searching).
        if fold(filters["search"]).isdigit() and "exam_number" in hidden_candidate_fields(user):
            qs = qs.none()
        else:
            qs = qs.search(filters["search"])
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("organization"):
        org = Organization.objects.for_user(user).filter(pk=filters["organization"]).first()
        qs = qs.filter(organization__path__startswith=org.path) if org else qs.none()
    if filters.get("province"):
        qs = qs.filter(province_code=filters["province"])
    if filters.get("gender"):
        qs = qs.filter(gender=filters["gender"])
    if filters.get("school_year"):
        # In school year Y–(Y+1): an education record that had started and not yet ended.
        year = int(filters["school_year"])
        qs = qs.filter(
            pk__in=EducationRecord.objects.filter(start_year__lte=year)
            .filter(Q(end_year__isnull=True) | Q(end_year__gt=year))
            .values("candidate_id")
        )
    if filters.get("achievement_level"):
        qs = qs.filter(pk__in=Achievement.objects.filter(level=filters["achievement_level"]).values("candidate_id"))
    return qs


def candidate_detail(*, user: Any, pk: int) -> Candidate:
    """One candidate with everything the profile page shows; raises DoesNotExist out of scope."""
    return (
        Candidate.objects.for_user(user)
        .select_related("organization", "organization__parent", "user")
        .prefetch_related(
            Prefetch("education", queryset=EducationRecord.objects.select_related("institution")),
            Prefetch("achievements", queryset=Achievement.objects.select_related("verified_by")),
            Prefetch("languages", queryset=LanguageCertificate.objects.all()),
            Prefetch("transitions", queryset=StageTransition.objects.select_related("actor")),
            # Only the pools the user may see: a pool's name is not theirs to learn otherwise.
            Prefetch("pool_memberships", queryset=PoolMembership.objects.filter(
                pool__in=TalentPool.objects.for_user(user)).select_related("pool")),
        )
        .get(pk=pk)
    )


def stage_counts(*, user: Any) -> list[dict[str, Any]]:
    """[{stage, label, count}] in pipeline order, zeros included."""
    counts = dict(
        Candidate.objects.for_user(user).order_by().values_list("stage").annotate(n=Count("id")).values_list("stage", "n")
    )
    return [{"stage": value, "label": str(label), "count": counts.get(value, 0)} for value, label in Stage.choices]


def organization_counts(*, user: Any, limit: int = 12) -> list[dict[str, Any]]:
    """Candidates per managing organization (each candidate's own unit) in the user's scope, largest first."""
    rows = (
        Candidate.objects.for_user(user).order_by().values("organization__id", "organization__name")
        .annotate(n=Count("id")).order_by("-n", "organization__name")[:limit]
    )
    return [{"id": r["organization__id"], "name": r["organization__name"], "count": r["n"]} for r in rows]


def organization_list(*, user: Any, kind: str | None = None) -> QuerySet[Organization]:
    qs = Organization.objects.for_user(user).select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


def pool_list(*, user: Any) -> QuerySet[TalentPool]:
    return (
        TalentPool.objects.for_user(user).select_related("owner")
        .prefetch_related("shared_with")
        # Members the user may see: a pool shared with an agency does not tell it how many
        # people it holds beyond those it can look at.
        .annotate(member_count=Count("memberships", distinct=True, filter=Q(
            memberships__candidate__in=Candidate.objects.for_user(user).values("pk"))))
    )


def pool_members(*, user: Any, pool: TalentPool) -> QuerySet[Candidate]:
    """Members of ``pool`` that ``user`` may see (a pool can hold people from many units)."""
    return Candidate.objects.for_user(user).filter(pool_memberships__pool=pool).select_related("organization")
