"""Mentor feedback as a scoring feature: the mean overall rating (1–5) of a candidate's internships."""

from __future__ import annotations

import pandas as pd


def provider(candidate_ids: pd.Index) -> pd.Series:
    from openings.models import MentorFeedback

    rows = list(MentorFeedback.objects.filter(placement__candidate__in=list(candidate_ids))
                .values_list("placement__candidate", "overall"))
    if not rows:
        return pd.Series(float("nan"), index=candidate_ids)
    frame = pd.DataFrame(rows, columns=["candidate_id", "overall"])
    return frame.groupby("candidate_id")["overall"].mean().reindex(candidate_ids)
