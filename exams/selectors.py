"""Reads of exam results: the top scorers of a combination, nationally or in one province."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery

from exams.models import ExamResult
from exams.subjects import COMBINATION_BY_CODE
from talent.geo import LEGACY_PROVINCES
from talent.models import Candidate

MAX_TOP = 500


@dataclass
class TopEntry:
    rank: int
    result: ExamResult
    total: Decimal
    registered: bool
    candidate_id: int | None  # only when the reader may open the record


def councils_of_province(province_code: int) -> list[str]:
    """Exam councils (legacy provinces) that now belong to ``province_code``."""
    return [f"{p.moet:02d}" for p in LEGACY_PROVINCES if p.current == int(province_code)]


def exam_years(user: Any) -> list[int]:
    return list(ExamResult.objects.for_user(user).order_by("-year").values_list("year", flat=True).distinct())


def top_results(*, user: Any, year: int, combination: str, limit: int = 50, province: int | None = None,
                council: str | None = None) -> list[TopEntry]:
    """The best ``limit`` totals of ``combination`` in ``year``, best first; equal totals share a rank
    and are listed by exam number. Each says whether the pupil is registered in the pipeline, and
    links the record when the reader may see it."""
    combo = COMBINATION_BY_CODE[combination]
    limit = max(1, min(int(limit), MAX_TOP))
    qs = ExamResult.objects.for_user(user).filter(year=year, **{f"{combo.field}__isnull": False})
    if council:
        qs = qs.filter(council=council)
    elif province:
        qs = qs.filter(council__in=councils_of_province(province))
    registered = Candidate.objects.filter(exam_number=OuterRef("exam_number"), exam_year=OuterRef("year"))
    rows = list(qs.annotate(registered_id=Subquery(registered.values("pk")[:1]))
                .order_by(f"-{combo.field}", "exam_number")[:limit])
    visible = set(Candidate.objects.for_user(user).filter(
        pk__in=[r.registered_id for r in rows if r.registered_id]).values_list("pk", flat=True))
    entries: list[TopEntry] = []
    for position, result in enumerate(rows, start=1):
        total = getattr(result, combo.field)
        rank = entries[-1].rank if entries and entries[-1].total == total else position
        entries.append(TopEntry(rank=rank, result=result, total=total, registered=result.registered_id is not None,
                                candidate_id=result.registered_id if result.registered_id in visible else None))
    return entries
