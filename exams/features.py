"""The scoring feature ``exam_best_total``: a pupil's best combination total in the national exam.

Registered with ``scoring.features`` from ``ExamsConfig.ready``, so scoring needs no knowledge of
exam results. The link is the candidate's exam number and year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db.models import OuterRef, Subquery

from exams.models import ExamResult
from exams.subjects import COMBINATIONS
from talent.models import Candidate

COMBINATION_FIELDS = tuple(c.field for c in COMBINATIONS)


def exam_best_total(candidate_ids: pd.Index) -> pd.Series:
    """The highest of the combination totals per candidate id (NaN when no result is linked)."""
    linked = Candidate.objects.filter(pk__in=list(candidate_ids), exam_year__isnull=False).exclude(exam_number="")
    owner = linked.filter(exam_year=OuterRef("year"), exam_number=OuterRef("exam_number")).values("pk")[:1]
    rows = (ExamResult.objects.filter(exam_number__in=linked.values("exam_number"))
            .annotate(candidate_id=Subquery(owner)).filter(candidate_id__isnull=False)
            .values_list("candidate_id", *COMBINATION_FIELDS))
    frame = pd.DataFrame.from_records(list(rows), columns=["candidate_id", *COMBINATION_FIELDS])
    if frame.empty:
        return pd.Series(np.nan, index=candidate_ids, dtype=float)
    best = frame.set_index("candidate_id")[list(COMBINATION_FIELDS)].astype(float).max(axis=1)
    return best.groupby(level=0).max().reindex(candidate_ids)
