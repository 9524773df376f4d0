"""Engagement as evidence for scoring: points per attended event by kind, decaying with time.

A person's current engagement is the sum over attended events of ``POINTS[kind] × 0.5^(age/HALF_LIFE)``
(age in days since the event started); the lifetime total is the same sum without decay. Both are read
from the check-in records, so they are always what the attendance says. No-shows earn nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone

POINTS = {"dialogue": 3.0, "training": 3.0, "volunteering": 3.0, "competition": 3.0, "seminar": 2.0,
          "exchange": 2.0, "field_trip": 2.0}
HALF_LIFE_DAYS = 365.0


def attendance_frame(candidate_ids: Any) -> pd.DataFrame:
    """One row per attended event of the candidates (``candidate_id``, ``kind``, ``starts_at``)."""
    from clubs.models import Registration

    rows = (Registration.objects.filter(checked_in_at__isnull=False, user__candidate__in=list(candidate_ids))
            .values_list("user__candidate", "event__kind", "event__starts_at"))
    return pd.DataFrame.from_records(list(rows), columns=["candidate_id", "kind", "starts_at"])


def engagement_points(candidate_ids: pd.Index, today: dt.date | None = None, *, decay: bool = True) -> pd.Series:
    """Engagement per candidate id (0 for those who attended nothing)."""
    frame = attendance_frame(candidate_ids)
    if frame.empty:
        return pd.Series(0.0, index=candidate_ids)
    now = pd.Timestamp(timezone.now() if today is None else dt.datetime.combine(today, dt.time(), dt.timezone.utc))
    points = frame["kind"].map(POINTS).fillna(1.0).to_numpy()
    if decay:
        age_days = ((now - pd.to_datetime(frame["starts_at"], utc=True)).dt.total_seconds() / 86400).clip(lower=0)
        points = points * np.power(0.5, age_days.to_numpy() / HALF_LIFE_DAYS)
    totals = pd.Series(points, index=frame["candidate_id"]).groupby(level=0).sum()
    return totals.reindex(candidate_ids).fillna(0.0).round(4)


def provider(candidate_ids: pd.Index) -> pd.Series:
    return engagement_points(candidate_ids)
