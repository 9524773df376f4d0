"""Reads of openings: the matches of an opening (rubric rank combined with how well each candidate meets
the position's requirements) and the shortlist board (with blind review).

Everything is read in the caller's scope (``for_user``), with a fixed number of queries whatever the
number of candidates: no query per candidate.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Avg, Count, Max, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from core.text import fold
from openings.models import FORWARD_STAGES, Opening, ShortlistEntry, ShortlistMove
from scoring.models import Rubric, Score
from talent.models import Candidate, EducationRecord, LanguageCertificate, VerificationStatus

DEFAULT_RUBRIC = "university-student"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# The requirements a match is checked against, in the order they are reported.
REQUIREMENT_LABELS = {
    "degree_level": _("Trình độ"),
    "major_group": _("Nhóm ngành"),
    "language_level": _("Ngoại ngữ"),
    "political_theory": _("Lý luận chính trị"),
    "skills": _("Kỹ năng"),
}
# Skills are not recorded in profiles: they are reported as not checked, never as met or missing.
UNCHECKED = ("skills",)

LEVEL_ORDER = {level: index for index, level in enumerate(EducationRecord.Level.values)}
THEORY_ORDER = {
    Candidate.PoliticalTheory.NONE: 0,
    Candidate.PoliticalTheory.BASIC: 1,
    Candidate.PoliticalTheory.INTERMEDIATE: 2,
    # A bachelor's degree in political theory counts as the advanced level.
    Candidate.PoliticalTheory.ADVANCED: 3,
    Candidate.PoliticalTheory.BACHELOR: 3,
}


class Match(TypedDict):
    candidate: int
    full_name: str | None
    organization: str
    rank: int | None
    score: float | None
    met: list[str]
    missing: list[str]
    not_checked: list[str]
    fit: float


def opening_rubric(opening: Opening, user: Any) -> Rubric | None:
    """The opening's rubric, else the default one (university students), as the reader sees rubrics."""
    rubrics = Rubric.objects.for_user(user)
    if opening.rubric_id:
        chosen = rubrics.filter(pk=opening.rubric_id).first()
        if chosen is not None:
            return chosen
    return rubrics.filter(slug=DEFAULT_RUBRIC).first()


def _major_alternatives(group: str) -> list[str]:
    """``"Kinh tế; Luật"`` → ``["kinh te", "luat"]``: any one of them found in a major is enough."""
    parts = [fold(part) for part in group.replace(";", ",").split(",")]
    return [part for part in parts if part]


def requirement_fit(opening: Opening, *, levels: list[str], majors: list[str], language: int | None,
                    theory: str) -> tuple[list[str], list[str]]:
    """(met, missing) requirement keys of one candidate, from their records already read."""
    met: list[str] = []
    missing: list[str] = []

    def check(key: str, ok: bool) -> None:
        (met if ok else missing).append(key)

    if opening.degree_level:
        highest = max((LEVEL_ORDER.get(level, -1) for level in levels), default=-1)
        check("degree_level", highest >= LEVEL_ORDER.get(opening.degree_level, len(LEVEL_ORDER)))
    if opening.major_group.strip():
        wanted = _major_alternatives(opening.major_group)
        folded = [fold(major) for major in majors]
        check("major_group", any(w in major for w in wanted for major in folded))
    if opening.language_level:
        check("language_level", language is not None and language >= opening.language_level)
    if opening.political_theory:
        check("political_theory", THEORY_ORDER.get(theory, 0) >= THEORY_ORDER.get(opening.political_theory, 99))
    return met, missing


def opening_matches(opening: Opening, user: Any, limit: int = DEFAULT_LIMIT) -> list[Match]:
    """Candidates ``user`` may see for ``opening``: fewest missing requirements first, then by the rank
    under the opening's rubric (the default rubric when it names none; the unranked after the ranked).

    Each line says which requirements are met, which are missing and which could not be checked;
    ``fit`` is the share of the checked requirements that are met (1.0 when the opening asks for none).
    Names are left out (``None``) when the opening is under blind review.
    """
    from scoring.services import Cohort, score_run_latest_or_execute

    limit = max(1, min(int(limit), MAX_LIMIT))
    visible = Candidate.objects.for_user(user).filter(erased_at__isnull=True)
    people = list(visible.values_list("id", "full_name", "organization__name", "political_theory"))
    if not people:
        return []
    ids = visible.values("pk")

    ranks: dict[int, tuple[int, float, int]] = {}
    rubric = opening_rubric(opening, user)
    if rubric is not None and rubric.active_version is not None:
        # actor=None: reading must not depend on the right to start a run; rows are scoped here.
        run = score_run_latest_or_execute(rubric=rubric, cohort=Cohort("all"), actor=None)
        ranks = {cid: (rank, score, position) for cid, rank, score, position in Score.objects.for_user(user).filter(
            run=run, candidate__in=ids).values_list("candidate_id", "rank", "score", "position")}

    levels: dict[int, list[str]] = {}
    majors: dict[int, list[str]] = {}
    if opening.degree_level or opening.major_group.strip():
        for cid, level, major in EducationRecord.objects.for_user(user).filter(candidate__in=ids).values_list(
                "candidate_id", "level", "major"):
            levels.setdefault(cid, []).append(level)
            if major:
                majors.setdefault(cid, []).append(major)
    languages: dict[int, int] = {}
    if opening.language_level:
        languages = dict(LanguageCertificate.objects.for_user(user).filter(
            candidate__in=ids, verification_status=VerificationStatus.VERIFIED).values("candidate_id").annotate(
            best=Max("level")).values_list("candidate_id", "best"))

    blind = bool(opening.reveal_names_at)
    not_checked = [key for key in UNCHECKED if opening.skills]
    lines: list[Match] = []
    for cid, name, organization, theory in people:
        met, missing = requirement_fit(opening, levels=levels.get(cid, []), majors=majors.get(cid, []),
                                       language=languages.get(cid), theory=theory)
        rank, score, position = ranks.get(cid, (None, None, None))
        checked = len(met) + len(missing)
        lines.append({"candidate": cid, "full_name": None if blind else name, "organization": organization or "",
                      "rank": rank, "score": score, "met": met, "missing": missing, "not_checked": not_checked,
                      "fit": round(len(met) / checked, 4) if checked else 1.0, "position": position})
    # Equal scores share a rank; within it, the run's own order (its tie-break), never the id alone.
    lines.sort(key=lambda line: (len(line["missing"]), line["rank"] is None, line["position"] or 0, line["candidate"]))
    for line in lines:
        del line["position"]
    return lines[:limit]


# --- The shortlist board ----------------------------------------------------------------------------------


def board_entries(opening: Opening, user: Any) -> QuerySet[ShortlistEntry]:
    """The entries of an opening's board that ``user`` may see, with the average rating, how many rated,
    and the moves (to know whether a blind entry's name is revealed): three queries in all."""
    return (ShortlistEntry.objects.for_user(user).filter(opening=opening)
            .select_related("candidate__organization", "opening")
            .annotate(rating_avg=Avg("ratings__score"), rating_count=Count("ratings", distinct=True))
            .prefetch_related(Prefetch("moves", queryset=ShortlistMove.objects.order_by("created_at", "id")))
            .order_by("created_at", "id"))


def names_revealed(entry: ShortlistEntry) -> bool:
    """Blind review: a name shows once the entry has reached the opening's reveal stage (or a later step
    forward), even if it moved back or ended since; an opening that is not blind always shows names.

    Reads ``entry.moves`` (prefetch them for a list)."""
    reveal = entry.opening.reveal_names_at
    if not reveal:
        return True
    reached = {move.to_stage for move in entry.moves.all()} | {entry.stage}
    if reveal in reached:
        return True
    if reveal in FORWARD_STAGES:
        threshold = FORWARD_STAGES.index(reveal)
        return any(stage in FORWARD_STAGES and FORWARD_STAGES.index(stage) >= threshold for stage in reached)
    return False
