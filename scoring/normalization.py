"""How one criterion turns raw values into normalized values (rules 2-5 of ``scoring.engine``): the plan
(cap, missing policy, scale) fixed once per cohort and applied in cache-sized slices, a criterion's
contributions for any rows, and the threads that share the work of a large cohort. Pure numpy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.criteria import DECIMALS, ZSCORE_CLIP, Criterion


@dataclass
class _Plan:
    """How one criterion turns a raw value into 0..1, fixed once from the ranked cohort, so that the
    same arithmetic can be applied to any subset or order of the rows with identical results."""

    criterion: Criterion
    fill: float | None = None      # the cohort median standing in for a missing value
    empty: bool = False            # nobody ranked has a value: everyone gets 0
    constant: bool = False         # minmax/zscore, everyone with a value has the same one: they all get 1
    low: float = 0.0               # fixed/minmax: n = (x − low) / span
    span: float = 1.0
    mean: float = 0.0              # zscore: n = ((x − mean) / std + 3) / 6
    std: float = 1.0
    normalized: np.ndarray | None = field(default=None, repr=False)  # percentile: final 0..1 for every row


def _plan(c: Criterion, x: np.ndarray, keep: np.ndarray | None, n_kept: int,
          by_id: np.ndarray | None = None) -> _Plan:
    """The cohort statistics of criterion ``c``: ``x`` holds every row's raw value, ``keep`` marks the
    ``n_kept`` rows being ranked (None: all of them), ``by_id`` puts the rows in candidate-id order
    (None: they already are)."""
    plan = _Plan(c)
    if c.normalization == "fixed":
        assert c.scale_min is not None and c.scale_max is not None
        plan.low, plan.span = c.scale_min, c.scale_max - c.scale_min
        if c.missing != "median":
            return plan  # a declared scale needs no statistics
    if c.normalization == "minmax" and c.missing != "median":
        # Only the extremes: NaN-ignoring reductions over the ranked rows, no copy of the cohort. A cap
        # applies to the extremes as it would to every value.
        masked = x if keep is None else np.where(keep, x, np.nan)
        low, high = np.fmin.reduce(masked, initial=np.nan), np.fmax.reduce(masked, initial=np.nan)
        if np.isnan(low):
            plan.empty = True
        elif c.cap is not None:
            low, high = np.minimum(low, c.cap), np.minimum(high, c.cap)
        if plan.empty:
            return plan
        if high > low:
            plan.low, plan.span = low, high - low
        else:
            plan.constant = True
        return plan
    values = np.minimum(x, c.cap) if c.cap is not None else x  # a missing value stays missing
    present = ~np.isnan(values)
    if keep is not None:
        present &= keep
    ranked = values[present]  # the cohort's values in row order (the reductions below depend on the order)
    if len(ranked) == 0:
        plan.empty = True
        return plan
    if c.missing == "median" and len(ranked) < n_kept:
        plan.fill = np.median(ranked, overwrite_input=True)
        if c.normalization == "fixed":
            return plan
        values = np.where(np.isnan(values), plan.fill, values)
        present = np.ones(len(values), dtype=bool) if keep is None else keep
        ranked = values[present]
    elif c.normalization == "fixed":
        return plan
    if c.normalization == "minmax":
        low, high = ranked.min(), ranked.max()
        if high > low:
            plan.low, plan.span = low, high - low
        else:
            plan.constant = True
    elif c.normalization == "zscore":
        if by_id is not None:
            # A sum depends on the order of its terms in the last bit: take them in id order, so the
            # same cohort gives the same numbers whatever order its rows come in.
            ranked = values[by_id][present[by_id]]
        std = ranked.std()
        if std > 0:
            plan.mean, plan.std = ranked.mean(), std
        else:
            plan.constant = True
    else:  # percentile
        n = np.zeros(len(values))
        n[present] = np.clip(_average_ranks(ranked) / len(ranked), 0.0, 1.0)
        if c.direction == "lower":
            n = np.where(present, 1.0 - n, 0.0)
        plan.normalized = n
    return plan


def _apply(plan: _Plan, x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Write the normalized value (direction applied, missing → 0) of raw values ``x`` into ``out``
    (finite values expected: a missing one is NaN)."""
    c = plan.criterion
    if plan.empty:
        out.fill(0.0)
        return out
    source = x
    if c.cap is not None:
        np.minimum(x, c.cap, out=out)
        source = out
    if plan.fill is not None:
        np.copyto(out, source)
        np.copyto(out, plan.fill, where=np.isnan(out))
        source = out
    if plan.constant:
        missing = np.isnan(source)
        out.fill(0.0 if c.direction == "lower" else 1.0)
        out[missing] = 0.0
        return out
    if c.normalization == "zscore":
        np.subtract(source, plan.mean, out=out)
        np.divide(out, plan.std, out=out)
        np.add(out, ZSCORE_CLIP, out=out)
        np.divide(out, 2 * ZSCORE_CLIP, out=out)
    else:  # fixed, minmax
        np.subtract(source, plan.low, out=out)
        np.divide(out, plan.span, out=out)
    np.clip(out, 0.0, 1.0, out=out)  # a missing value is still NaN here…
    if c.direction == "lower":
        np.subtract(1.0, out, out=out)
    if plan.fill is None:
        np.fmax(out, 0.0, out=out)  # … and 0 from here (fmax ignores NaN); 0..1 stays as it is
    return out


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, equal values sharing the mean of their ranks (pandas' ``rank(method="average")``)."""
    values = values + 0.0  # -0.0 and 0.0 are one value
    n = len(values)
    codes, uniques = pd.factorize(values, sort=False)
    if len(uniques) <= n // 4:  # few distinct values (scores, counts): count them instead of sorting
        by_value = np.argsort(uniques)
        counts = np.bincount(codes, minlength=len(uniques))[by_value]
        last = np.cumsum(counts)
        mean_rank = np.empty(len(uniques))
        mean_rank[by_value] = ((last - counts + 1) + last) / 2.0
        return mean_rank[codes]
    order = np.argsort(values)
    ordered = values[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    ends = np.append(starts[1:], n)
    ranks = np.empty(n)
    ranks[order] = np.repeat(((starts + 1) + ends) / 2.0, ends - starts)
    return ranks


class Exclusions(Mapping[int, str]):
    """Who was not ranked and why, as a mapping candidate id → reason, built only when it is read: a
    ranking page needs how many (``len``), not a dictionary of a hundred thousand ids. Each part is a
    disjoint set of ids with one reason, in the order the rules excluded them."""

    def __init__(self) -> None:
        self._parts: list[tuple[np.ndarray, str]] = []
        self._count = 0
        self._built: dict[int, str] | None = None

    def add(self, chosen: np.ndarray, reason: str) -> None:
        self._parts.append((chosen, reason))
        self._count += len(chosen)
        self._built = None

    def _dict(self) -> dict[int, str]:
        if self._built is None:
            built: dict[int, str] = {}
            for chosen, reason in self._parts:
                built.update(dict.fromkeys(chosen.tolist(), reason))
            self._built = built
        return self._built

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: int) -> str:
        return self._dict()[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._dict())

    def __contains__(self, key: object) -> bool:
        return key in self._dict()

    def __repr__(self) -> str:
        return f"Exclusions({self._dict()!r})"


def _exclude(excluded: Exclusions, ids: np.ndarray, mask: np.ndarray, reason: str) -> None:
    if mask.any():
        chosen = ids[mask]
        if chosen.dtype != np.int64:
            chosen = chosen.astype(np.int64)
        excluded.add(chosen, reason)


def _column(features: pd.DataFrame, name: str) -> np.ndarray:
    series = features[name]
    if series.dtype == np.float64:
        return series.to_numpy()  # read only, never written to
    return series.to_numpy(dtype=float, na_value=np.nan)


CHUNK = 1 << 16  # rows per slice in the elementwise passes: the working arrays stay in the cache
TICKS = 10.0 ** DECIMALS  # contributions are whole numbers of 10^-DECIMALS


class _Contributions:
    """One criterion's contributions, computed only for the rows asked for (the tie-break needs them
    for tied rows alone) by the same arithmetic as the passes, so the same numbers."""

    def __init__(self, plan: _Plan, x: np.ndarray) -> None:
        self.plan, self.x = plan, x

    def __getitem__(self, rows: np.ndarray) -> np.ndarray:
        plan = self.plan
        if plan.normalized is not None:
            n = plan.normalized[rows]
        else:
            n = _apply(plan, self.x[rows], np.empty(len(rows)))
        return np.round(plan.criterion.weight * n, DECIMALS)
