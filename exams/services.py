"""Writes that follow from exam results: the verified "top scorer" achievement of registered pupils."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from exams.models import ExamResult, council_name, score_text
from exams.subjects import COMBINATIONS
from talent.models import Achievement, Candidate
from talent.services import achievement_add


def _title(code: str, year: int, total: Decimal, council: str | None) -> str:
    where = "toàn quốc" if council is None else f"hội đồng thi {council_name(council)}"
    return f"Thủ khoa khối {code} {where} – kỳ thi tốt nghiệp THPT {year} ({score_text(total)} điểm)"


@transaction.atomic
def award_top_scorers(*, year: int, actor: Any = None) -> int:
    """Give each registered pupil who tops a combination (nationally or in their exam council) the
    verified achievement once; returns how many were added.

    Ties share the title. The results are official data, so the achievement is verified by the
    system (``actor`` is kept for the audit trail only). Running it again adds nothing.
    """
    results = ExamResult.objects.filter(year=year)
    fields = [c.field for c in COMBINATIONS]
    per_council = {row["council"]: row for row in results.values("council").annotate(**{
        f: Max(f) for f in fields})}
    if not per_council:
        return 0
    national = {f: max((row[f] for row in per_council.values() if row[f] is not None), default=None) for f in fields}
    registered = {
        c.exam_number: c for c in Candidate.objects.active().filter(exam_year=year).exclude(exam_number="")
    }
    added = 0
    for result in results.filter(exam_number__in=list(registered)).iterator():
        candidate = registered[result.exam_number]
        for combination in COMBINATIONS:
            total = getattr(result, combination.field)
            if total is None:
                continue
            titles = []
            if total == national[combination.field]:
                titles.append((Achievement.Level.NATIONAL, _title(combination.code, year, total, None)))
            if total == per_council[result.council][combination.field]:
                titles.append((Achievement.Level.PROVINCE, _title(combination.code, year, total, result.council)))
            for level, title in titles:
                if Achievement.objects.filter(candidate=candidate, category=Achievement.Category.EXAM, year=year,
                                              title=title).exists():
                    continue
                achievement_add(candidate=candidate, actor=None, category=Achievement.Category.EXAM, level=level,
                                year=year, title=title, award_rank=Achievement.AwardRank.TOP, verified=True,
                                evidence=f"Điểm thi tốt nghiệp THPT {year} đã nhập vào hệ thống")
                added += 1
    return added
