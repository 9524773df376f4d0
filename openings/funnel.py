"""Funnel analytics of the pipeline: how entry cohorts convert between stages, how long people stay in
each stage, and which nominating units and universities bring people who progress.

Two halves, like the scoring engine:

- loaders (``load_history``, ``load_candidates``, ``load_units``) read through
  ``Candidate.objects.for_user(user)``, so an officer or a liaison sees their own subtree only and an
  administrator everything; they return plain DataFrames;
- pure functions (``conversion``, ``time_in_stage``, ``unit_progress``) turn those frames into the
  tables the page, the notebook and the tests use. No ORM call inside them.

Definitions (the page and the notebook say the same):

- **Entry cohort**: the calendar year (local time) of a person's *first* stage transition, i.e. when
  they entered the pipeline (registration writes that first step, backdated by imports and the demo).
  ``Candidate.created_at`` is not used: it is when the row was written, which for imported or
  migrated records says nothing about when the person was found.
- **Reached a stage**: the furthest stage a person ever entered, in pipeline order (exit left out),
  is that stage or a later one. Paths skip stages (pool → planning for cadres already in public
  service; pool → placement without a shortlist), so "reached" is cumulative and the funnel never
  widens. ``entered`` counts, beside it, those who literally passed through the stage.
- **Conversion from the previous stage**: reached this stage ÷ reached the previous one.
- **Time in stage**: days between entering a stage and the next transition out of it. People still in
  the stage are not in the median (their stay is not over); they are counted as ``still_in``.
- **Units**: a person's nominating unit is ``Candidate.organization`` (agencies and enterprises are
  left out of the units table: cadres are registered there, and employing people is not nominating
  them); their university is the nearest university among that unit's ancestors (or the unit
  itself). Shares of units with fewer than ``MIN_GROUP`` people are shown but flagged ``small``: too
  few to judge, and listed last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.conf import settings

from talent.models import Candidate, Organization, Stage, StageTransition

# Pipeline order without the exit, which is not a step forward.
FUNNEL_STAGES: tuple[str, ...] = tuple(stage for stage in Stage.values if stage != Stage.EXITED)
STAGE_RANK: dict[str, int] = {stage: i for i, stage in enumerate(FUNNEL_STAGES)}
STAGE_LABELS: dict[str, str] = dict(Stage.choices)
# The milestones a unit is judged by: into the pool, onto a shortlist, recruited (or further).
PROGRESS_STAGES: tuple[str, ...] = (Stage.POOL, Stage.SHORTLISTED, Stage.RECRUITED)
MIN_GROUP = 10
EMPLOYERS = (Organization.Kind.AGENCY, Organization.Kind.ENTERPRISE)

HISTORY_COLUMNS = ["candidate_id", "from_stage", "to_stage", "at"]


# --- Loaders --------------------------------------------------------------------------------------


def _visible(user: Any) -> Any:
    return Candidate.objects.for_user(user)


def load_history(user: Any) -> pd.DataFrame:
    """Every stage transition of the candidates ``user`` may see, oldest first per candidate; ``at`` is
    in local time."""
    rows = list(StageTransition.objects.filter(candidate__in=_visible(user).values("pk"))
                .order_by("candidate_id", "created_at", "id")
                .values_list("candidate_id", "from_stage", "to_stage", "created_at"))
    return history_frame(rows)


def history_frame(rows: list[tuple[int, str, str, Any]]) -> pd.DataFrame:
    """A history frame from ``(candidate_id, from_stage, to_stage, at)`` tuples (aware datetimes)."""
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    frame["candidate_id"] = frame["candidate_id"].astype("int64")
    frame["at"] = pd.to_datetime(frame["at"], utc=True).dt.tz_convert(settings.TIME_ZONE)
    return frame.sort_values(["candidate_id", "at"], kind="stable").reset_index(drop=True)


def load_candidates(user: Any) -> pd.DataFrame:
    """The visible candidates (index ``candidate_id``) with their unit and current stage."""
    rows = list(_visible(user).values_list("id", "organization_id", "stage"))
    frame = pd.DataFrame(rows, columns=["candidate_id", "organization_id", "stage"])
    return frame.astype({"candidate_id": "int64"}).set_index("candidate_id")


def load_units(organization_ids: Any) -> pd.DataFrame:
    """The named units (index ``organization_id``): name, kind and their university (id and name)."""
    ids = sorted({int(i) for i in organization_ids if pd.notna(i)})
    units = list(Organization.objects.filter(pk__in=ids).values_list("id", "name", "kind", "path"))
    ancestors = {int(part) for *_, path in units for part in path.strip("/").split("/") if part}
    universities = dict(Organization.objects.filter(pk__in=ancestors, kind=Organization.Kind.UNIVERSITY)
                        .values_list("id", "name"))
    rows = []
    for pk, name, kind, path in units:
        chain = [int(part) for part in path.strip("/").split("/") if part]
        university = next((i for i in reversed(chain) if i in universities), None)
        rows.append((pk, name, kind, university, universities.get(university, "") if university else ""))
    frame = pd.DataFrame(rows, columns=["organization_id", "unit", "kind", "university_id", "university"])
    return frame.set_index("organization_id")


# --- Pure analytics -------------------------------------------------------------------------------


def cohorts(history: pd.DataFrame) -> pd.Series:
    """Entry cohort per candidate: the local year of their first transition."""
    if history.empty:
        return pd.Series(dtype="int64", name="cohort")
    first = history.groupby("candidate_id")["at"].min()
    return first.dt.year.astype("int64").rename("cohort")


def furthest(history: pd.DataFrame) -> pd.Series:
    """Per candidate, the rank (index in ``FUNNEL_STAGES``) of the furthest stage they ever entered."""
    ranks = history["to_stage"].map(STAGE_RANK)
    return ranks.groupby(history["candidate_id"]).max().rename("furthest")


def _funnel_rows(ids: pd.Index, reach: pd.Series, entered: pd.DataFrame) -> list[dict[str, Any]]:
    size = len(ids)
    reach = reach.reindex(ids)
    rows: list[dict[str, Any]] = []
    previous: int | None = None
    for stage, rank in STAGE_RANK.items():
        reached = int((reach >= rank).sum())
        passed = int(entered.loc[entered["to_stage"] == stage, "candidate_id"].isin(ids).sum())
        rows.append({
            "stage": stage, "label": str(STAGE_LABELS[stage]), "cohort_size": size, "entered": passed,
            "reached": reached, "share": round(100.0 * reached / size, 1) if size else None,
            "from_previous": (round(100.0 * reached / previous, 1) if previous else None),
        })
        previous = reached
    return rows


def conversion(history: pd.DataFrame, *, by_cohort: bool = True) -> pd.DataFrame:
    """Per cohort (or all together, cohort ``"all"``) and stage: cohort size, how many entered the stage,
    how many reached it or beyond, that as a share of the cohort, and conversion from the previous stage."""
    columns = ["cohort", "stage", "label", "cohort_size", "entered", "reached", "share", "from_previous"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    reach = furthest(history)
    entered = history[["candidate_id", "to_stage"]].drop_duplicates()
    rows: list[dict[str, Any]] = []
    if by_cohort:
        cohort = cohorts(history)
        for year, members in cohort.groupby(cohort):
            rows += [{"cohort": int(year), **row} for row in _funnel_rows(members.index, reach, entered)]
    else:
        rows = [{"cohort": "all", **row} for row in _funnel_rows(reach.index, reach, entered)]
    return pd.DataFrame(rows, columns=columns)


def time_in_stage(history: pd.DataFrame) -> pd.DataFrame:
    """Per stage: median, 25th and 75th percentile of the days spent in it by those who left it, how many
    left, and how many are still in it."""
    columns = ["stage", "label", "median_days", "p25_days", "p75_days", "left", "still_in"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    frame = history.copy()
    frame["left_at"] = frame.groupby("candidate_id")["at"].shift(-1)
    frame["days"] = (frame["left_at"] - frame["at"]).dt.total_seconds() / 86400.0
    rows = []
    for stage in FUNNEL_STAGES:
        stays = frame[frame["to_stage"] == stage]
        done = stays["days"].dropna()
        rows.append({
            "stage": stage, "label": str(STAGE_LABELS[stage]),
            "median_days": round(float(done.median()), 1) if len(done) else None,
            "p25_days": round(float(done.quantile(0.25)), 1) if len(done) else None,
            "p75_days": round(float(done.quantile(0.75)), 1) if len(done) else None,
            "left": int(len(done)), "still_in": int(stays["days"].isna().sum()),
        })
    return pd.DataFrame(rows, columns=columns)


def unit_progress(candidates: pd.DataFrame, history: pd.DataFrame, units: pd.DataFrame, *,
                  by: str = "unit", min_size: int = MIN_GROUP) -> pd.DataFrame:
    """Per nominating unit (``by="unit"``) or university (``by="university"``): how many people, and how
    many (and what share) reached the pool, a shortlist and recruitment or beyond; ``small`` when fewer
    than ``min_size`` people. Units that progress best first, the small ones last."""
    key, name = ("organization_id", "unit") if by == "unit" else ("university_id", "university")
    columns = [key, name, "candidates"] + [c for s in PROGRESS_STAGES for c in (s, f"{s}_pct")] + ["small"]
    if candidates.empty:
        return pd.DataFrame(columns=columns)
    reach = furthest(history).reindex(candidates.index)
    # Someone with no recorded step is where their record says they are.
    reach = reach.fillna(candidates["stage"].map(STAGE_RANK))
    frame = pd.DataFrame({"reach": reach}, index=candidates.index)
    for column in ("unit", "university_id", "university"):
        frame[column] = candidates["organization_id"].map(units[column]) if not units.empty else None
    frame["organization_id"] = candidates["organization_id"]
    if by == "unit" and not units.empty:
        # Agencies and enterprises employ people; they do not nominate them.
        frame = frame[~candidates["organization_id"].map(units["kind"]).isin(EMPLOYERS)]
    if by == "university":
        frame = frame[frame["university"].fillna("") != ""]
    frame = frame[frame[key].notna()]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby(key)
    table = pd.DataFrame({name: grouped[name].first(), "candidates": grouped.size()})
    if by == "unit":
        table["university"] = grouped["university"].first().fillna("")
    for stage in PROGRESS_STAGES:
        table[stage] = grouped["reach"].apply(lambda r, rank=STAGE_RANK[stage]: int((r >= rank).sum()))
        table[f"{stage}_pct"] = (100.0 * table[stage] / table["candidates"]).round(1)
    table["small"] = table["candidates"] < min_size
    table = table.reset_index()
    table[key] = table[key].astype("int64")
    last = PROGRESS_STAGES[-1]
    table = table.sort_values(["small", f"{last}_pct", f"{PROGRESS_STAGES[-2]}_pct", "candidates", name],
                              ascending=[True, False, False, False, True], kind="stable")
    if by == "unit":
        columns.insert(2, "university")
    return table[columns].reset_index(drop=True)


# --- Everything for one user ---------------------------------------------------------------------


@dataclass
class FunnelReport:
    history: pd.DataFrame
    candidates: pd.DataFrame
    overall: pd.DataFrame  # conversion of everyone visible
    by_cohort: pd.DataFrame
    time_in_stage: pd.DataFrame
    units: pd.DataFrame
    universities: pd.DataFrame
    min_size: int

    @property
    def cohort_years(self) -> list[int]:
        return sorted({int(c) for c in self.by_cohort["cohort"]}) if not self.by_cohort.empty else []


def funnel_report(user: Any, *, min_size: int = MIN_GROUP) -> FunnelReport:
    """The funnel of the candidates ``user`` may see: three queries for the people and their history,
    two for the names of their units."""
    history = load_history(user)
    candidates = load_candidates(user)
    units = load_units(candidates["organization_id"]) if not candidates.empty else load_units([])
    return FunnelReport(
        history=history, candidates=candidates,
        overall=conversion(history, by_cohort=False), by_cohort=conversion(history),
        time_in_stage=time_in_stage(history),
        units=unit_progress(candidates, history, units, by="unit", min_size=min_size),
        universities=unit_progress(candidates, history, units, by="university", min_size=min_size),
        min_size=min_size,
    )
