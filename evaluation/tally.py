"""Each cycle's counts, kept on the cycle so the roll-up from the city to the grassroots reads one row per
cycle whatever the number of sheets: raters assigned, people rated, sheets sent, finalized ratings.

The services keep them: a sheet sent adds one (an atomic increment, no lock needed); assigning, taking a
rater off, finalizing and merging records recount the cycles they touched from the rows (a few grouped
queries, under the cycle's row lock where the service holds it). ``recount`` takes the model classes so
the migration that fills the counts of existing cycles runs the same code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F


def recount(cycle_ids: Iterable[int], *, models: Any = None, fields: tuple[str, ...] = (
        "assigned_count", "people_count", "submitted_count", "rating_counts")) -> None:
    from evaluation import models as default

    m = models or default
    ids = list(cycle_ids)
    if not ids:
        return
    values: dict[int, dict[str, Any]] = {pk: {"assigned_count": 0, "people_count": 0, "submitted_count": 0,
                                               "rating_counts": {}} for pk in ids}
    if "assigned_count" in fields or "people_count" in fields:
        for pk, n, people in (m.RaterAssignment.objects.filter(cycle_id__in=ids).values("cycle_id")
                              .annotate(n=Count("pk"), people=Count("candidate_id", distinct=True))
                              .values_list("cycle_id", "n", "people")):
            values[pk].update(assigned_count=n, people_count=people)
    if "submitted_count" in fields:
        for pk, n in m.Evaluation.objects.filter(cycle_id__in=ids).values("cycle_id").annotate(
                n=Count("pk")).values_list("cycle_id", "n"):
            values[pk]["submitted_count"] = n
    if "rating_counts" in fields:
        for pk, rating, n in m.EvaluationResult.objects.filter(cycle_id__in=ids).values("cycle_id", "rating").annotate(
                n=Count("pk")).values_list("cycle_id", "rating", "n"):
            values[pk]["rating_counts"][rating] = n
    rows = []
    for pk, counts in values.items():
        row = m.EvaluationCycle(pk=pk)
        for name in fields:
            setattr(row, name, counts[name])
        rows.append(row)
    m.EvaluationCycle.objects.bulk_update(rows, list(fields), batch_size=500)


def sheet_sent(cycle_id: int) -> None:
    from evaluation.models import EvaluationCycle

    EvaluationCycle.objects.filter(pk=cycle_id).update(submitted_count=F("submitted_count") + 1)
