"""The ranking engine: pure numpy/pandas, no database (DESIGN §3).

It takes a feature frame (one row per candidate, indexed by candidate id) and a rubric's criteria and
filters, and returns each ranked candidate's score, rank, percentile and every criterion's raw value,
normalized value and contribution. The rules, in the order they apply:

1. **Filters** are hard eligibility: a candidate who fails one (a missing value fails) is not ranked.
2. **Missing values** follow each criterion's explicit policy, never a silent default:
   ``zero`` — the criterion contributes nothing (the worst possible value, said out loud);
   ``median`` — the cohort median of those who have a value stands in;
   ``exclude`` — a candidate without a value is not ranked under this rubric.
   A candidate with no value for any criterion is not ranked at all: a score made only of stand-ins
   would be a rank without evidence (``NO_DATA``).
3. **Cap**: a raw value above the cap counts as the cap (no runaway counts).
4. **Normalization** to 0..1 within the ranked cohort: ``minmax``; ``zscore`` (clipped to ±3 and mapped
   to 0..1; the mean and deviation are summed in candidate-id order, so the row order never changes
   a digit); ``percentile`` (mean rank among those with a value over their number, ties share);
   ``fixed`` between a declared low and high. Under ``minmax`` or ``zscore`` a column where everyone
   has the same value gives 1 to all who have it. ``direction = lower`` reverses the scale (1 − n)
   so that less is better.
5. **Contribution** = weight × normalized value, rounded to 4 decimals; the **score** is the sum of the
   contributions in criterion order, so the contributions shown add up exactly to the score shown.
6. **Rank** is standard competition ranking ("1, 2, 2, 4"): candidates with the same score (to the
   4 decimals shown) share a rank, and the next one's rank counts everyone above it. Within a tie the
   list order is the contribution of the heaviest criterion, then the next heaviest, and so on, and
   finally the smaller candidate id (the older record): deterministic, independent of the order rows
   arrive in, and never a difference of rank.
7. **Percentile** = 100 × (cohort size − rank) / (cohort size − 1): the best is 100, the last 0, and
   tied candidates share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from scoring import parallel
from scoring.criteria import (
    DECIMALS,
    DIRECTIONS,
    MISSING_POLICIES,
    NORMALIZATIONS,
    OPERATORS,
    Criterion,
    Filter,
    RubricError,
)
from scoring.normalization import (
    CHUNK,
    Exclusions,
    _apply,
    _column,
    _Contributions,
    _exclude,
    _Plan,
    _plan,
)
from scoring.ordering import _break_ties, _by_score, _split_between_runs, competition_ranks

# The rubric's language is defined in ``scoring.criteria``; callers take it from here with the engine.
__all__ = ["DECIMALS", "DIRECTIONS", "MISSING_POLICIES", "NORMALIZATIONS", "OPERATORS", "Criterion", "Filter",
           "Ranking", "RubricError", "gaps_to_next", "kendall_tau", "rank", "validate"]


class Ranking:
    """What the engine returns.

    ``table`` is indexed by candidate id in rank order with columns ``score``, ``rank``, ``percentile``
    and, per criterion key ``k``, ``value:k`` (raw, NaN when missing), ``norm:k`` and ``contrib:k``; it
    is built on first access (``head(n)`` builds only the top ``n`` rows, identical to the table's).
    ``excluded`` maps each candidate who was not ranked to the reason; ``size`` is how many were ranked.
    """

    def __init__(self, *, criteria: list[Criterion], excluded: Mapping[int, str], size: int,
                 _build: Any) -> None:
        self.criteria = criteria
        self.excluded = excluded
        self.size = size
        self._build = _build
        self._table: pd.DataFrame | None = None

    @property
    def table(self) -> pd.DataFrame:
        if self._table is None:
            self._table = self._build(None)
        return self._table

    def head(self, n: int) -> pd.DataFrame:
        if self._table is not None:
            return self._table.head(n)
        return self._build(max(0, n))

    def contributions(self, candidate_id: int) -> dict[str, float]:
        row = self.table.loc[candidate_id]
        return {c.key: float(row[f"contrib:{c.key}"]) for c in self.criteria}


def validate(criteria: list[Criterion], filters: list[Filter], features: set[str] | None = None) -> None:
    if not criteria:
        raise RubricError("Bộ tiêu chí cần ít nhất một tiêu chí.")
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys):
        raise RubricError("Mã tiêu chí bị trùng.")
    for criterion in criteria:
        criterion.check()
        if features is not None and criterion.feature not in features:
            raise RubricError(f"Tiêu chí «{criterion.label or criterion.key}»: không có đặc trưng "
                              f"«{criterion.feature}».")
    for condition in filters:
        condition.check()
        if features is not None and condition.feature not in features:
            raise RubricError(f"Điều kiện «{condition.label or condition.feature}»: không có đặc trưng "
                              f"«{condition.feature}».")


NO_DATA = "Thiếu dữ liệu: không có dữ liệu cho tiêu chí nào"


def rank(features: pd.DataFrame, criteria: list[Criterion], filters: list[Filter] | None = None) -> Ranking:
    """Rank the rows of ``features`` (index: candidate id) under ``criteria`` after ``filters``.

    Vectorized throughout, with no loop over rows: each criterion's cohort statistics are found once;
    a first pass over all rows sums the contributions into the scores, which give the order; a second
    pass, deferred until the table (or ``head(n)``) is read, computes the ranked rows again, already
    in rank order. Elementwise arithmetic gives the same numbers whatever the slice, the order or the
    thread.
    """
    filters = filters or []
    validate(criteria, filters, set(features.columns))
    excluded = Exclusions()
    ids = features.index.to_numpy()
    size = len(ids)
    keep = np.ones(size, dtype=bool)
    for condition in filters:
        ok = condition.mask(features[condition.feature])
        _exclude(excluded, ids, keep & ~ok, f"Không đạt điều kiện: {condition.label or condition.feature}")
        keep &= ok
    raw = {c.key: _column(features, c.feature) for c in criteria}
    for c in criteria:
        if c.missing == "exclude":
            missing = keep & np.isnan(raw[c.key])
            _exclude(excluded, ids, missing, f"Thiếu dữ liệu: {c.label or c.key}")
            keep &= ~missing
    if criteria:
        nothing = keep.copy()
        for c in criteria:
            nothing &= np.isnan(raw[c.key])
        _exclude(excluded, ids, nothing, NO_DATA)
        keep &= ~nothing
    rows = np.flatnonzero(keep)
    everyone = len(rows) == size
    by_id = None
    if any(c.normalization == "zscore" for c in criteria) and not features.index.is_monotonic_increasing:
        by_id = np.argsort(ids, kind="stable")
    plans = parallel.run_tasks(size, [lambda c=c: _plan(c, raw[c.key], None if everyone else keep, len(rows), by_id)
                             for c in criteria])

    # Pass 1, every row, slice by slice: the score is the sum of the contributions, left to right in
    # criterion order, so the contributions shown add up exactly to the score shown. Halves of the
    # rows go to separate threads (numpy releases the GIL); elementwise, so the same numbers.
    score = np.zeros(size)

    def pass_one(first: int, last: int) -> None:
        work, contrib = np.empty(min(last - first, CHUNK)), np.empty(min(last - first, CHUNK))
        for start in range(first, last, CHUNK):
            part = slice(start, min(start + CHUNK, last))
            total = score[part]
            width = len(total)
            for plan in plans:
                c = plan.criterion
                n = (plan.normalized[part] if plan.normalized is not None
                     else _apply(plan, raw[c.key][part], work[:width]))
                np.multiply(c.weight, n, out=contrib[:width])
                np.round(contrib[:width], DECIMALS, out=contrib[:width])
                np.add(total, contrib[:width], out=total)

    bounds = (np.linspace(0, size, parallel.WORKERS + 1, dtype=np.int64) if size >= parallel.PARALLEL_FROM
              else np.array([0, size]))
    parallel.run_tasks(size, [lambda a=int(a), b=int(b): pass_one(a, b) for a, b in zip(bounds[:-1], bounds[1:])])

    # The order: best score first, ties by the heaviest criteria's contributions, then the smaller id.
    order = _by_score(score, None if everyone else rows)
    contribs = [(p.criterion.weight, _Contributions(p, raw[p.criterion.key])) for p in plans]
    order = np.concatenate(parallel.run_tasks(len(order), [lambda part=part: _break_ties(part, score, ids, contribs)
                                                   for part in _split_between_runs(order, score)]))

    # Pass 2 (deferred): the ranked rows in rank order, straight into the table's memory, built when
    # the table is first read — or only for the top rows with ``Ranking.head(n)``.
    def build(count: int | None) -> pd.DataFrame:
        shown = order if count is None else order[:count]
        return _table(shown, competition_ranks(score[shown]), len(order), ids, raw, plans, criteria)

    return Ranking(criteria=list(criteria), excluded=excluded, size=len(order), _build=build)


def _table(order: np.ndarray, ranks: np.ndarray, n_ranked: int, ids: np.ndarray, raw: dict[str, np.ndarray],
           plans: list[_Plan], criteria: list[Criterion]) -> pd.DataFrame:
    """The first ``len(order)`` ranked rows: a column's gather in one go (its source stays in the
    cache), the arithmetic slice by slice, by the same operations as pass 1, so the same numbers."""
    n_rows = len(order)
    names = ["score", "percentile"]
    for c in criteria:
        names += [f"value:{c.key}", f"norm:{c.key}", f"contrib:{c.key}"]
    block = np.empty((len(names), n_rows))
    block[0].fill(0.0)
    for i, plan in enumerate(plans):
        c = plan.criterion
        np.take(raw[c.key], order, out=block[2 + 3 * i], mode="clip")
        if plan.normalized is not None:
            np.take(plan.normalized, order, out=block[3 + 3 * i], mode="clip")
        for start in range(0, n_rows, CHUNK):
            part = slice(start, min(start + CHUNK, n_rows))
            value, norm, contrib = block[2 + 3 * i, part], block[3 + 3 * i, part], block[4 + 3 * i, part]
            if plan.normalized is None:
                _apply(plan, value, norm)
            np.multiply(c.weight, norm, out=contrib)
            np.round(contrib, DECIMALS, out=contrib)
            np.add(block[0, part], contrib, out=block[0, part])
    if n_ranked > 1:
        np.round(100.0 * (n_ranked - ranks) / (n_ranked - 1), 2, out=block[1])
    else:
        block[1].fill(100.0)
    table = pd.DataFrame(block.T, columns=names, index=pd.Index(ids[order], name="candidate_id"), copy=False)
    table.insert(1, "rank", ranks)
    return table


def kendall_tau(first: list[int], second: list[int]) -> float | None:
    """Rank correlation of two orderings over the ids they share (tau-b); None with fewer than two."""
    from scipy.stats import kendalltau

    shared = set(second)  # built once: the rubric preview compares full orderings of thousands
    common = [cid for cid in first if cid in shared]
    if len(common) < 2:
        return None
    position = {cid: i for i, cid in enumerate(second)}
    tau = kendalltau(range(len(common)), [position[cid] for cid in common]).statistic
    return None if tau is None or np.isnan(tau) else float(tau)


def gaps_to_next(ranking: Ranking, candidate_id: int) -> dict[str, Any] | None:
    """What separates a candidate from the one ranked just above: the score gap and, per criterion,
    how much more the one above gets (positive) or less (negative)."""
    table = ranking.table
    if candidate_id not in table.index:
        return None
    row = table.loc[candidate_id]
    position = int(row["rank"])
    if position == 1:
        return {"rank": 1, "above": None, "gap": 0.0, "criteria": []}
    # Ranks count everyone with a higher score, so the row just before the tie group is the lowest
    # of them: the one to overtake to move up.
    above = table.iloc[position - 2]
    items = []
    for c in ranking.criteria:
        diff = round(float(above[f"contrib:{c.key}"]) - float(row[f"contrib:{c.key}"]), DECIMALS)
        items.append({"key": c.key, "label": c.label or c.key, "difference": diff, "weight": c.weight,
                      "headroom": round(c.weight - float(row[f"contrib:{c.key}"]), DECIMALS)})
    items.sort(key=lambda item: -item["difference"])
    return {"rank": position, "above": int(above.name), "gap": round(float(above["score"] - row["score"]), DECIMALS),
            "criteria": items}
