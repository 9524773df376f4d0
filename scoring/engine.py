"""The ranking engine: pure numpy/pandas, no database (DESIGN §3).

It takes a feature frame (one row per candidate, indexed by candidate id) and a rubric's criteria and
filters, and returns each ranked candidate's score, rank, percentile and every criterion's raw value,
normalized value and contribution. The rules, in the order they apply:

1. **Filters** are hard eligibility: a candidate who fails one (a missing value fails) is not ranked.
2. **Missing values** follow each criterion's explicit policy, never a silent default:
   ``zero`` — the criterion contributes nothing (the worst possible value, said out loud);
   ``median`` — the cohort median of those who have a value stands in;
   ``exclude`` — a candidate without a value is not ranked under this rubric.
3. **Cap**: a raw value above the cap counts as the cap (no runaway counts).
4. **Normalization** to 0..1 within the ranked cohort: ``minmax``; ``zscore`` (clipped to ±3 and mapped
   to 0..1; the mean and deviation are summed in candidate-id order, so the row order never changes
   a digit); ``percentile`` (mean rank among those with a value over their number, ties share);
   ``fixed`` between a declared low and high. Under ``minmax`` or ``zscore`` a column where everyone
   has the same value gives 1 to all who have it. ``direction = lower`` reverses the scale (1 − n)
   so that less is better.
5. **Contribution** = weight × normalized value, rounded to 4 decimals; the **score** is the sum of the
   contributions in criterion order, so the contributions shown add up exactly to the score shown.
6. **Ties** on the score are broken by the contribution of the heaviest criterion, then the next
   heaviest, and so on, and finally by the smaller candidate id (the older record): deterministic,
   and independent of the order rows arrive in.
7. **Percentile** = 100 × (cohort size − rank) / (cohort size − 1): the best is 100, the last 0.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

NORMALIZATIONS = ("minmax", "zscore", "percentile", "fixed")
DIRECTIONS = ("higher", "lower")
MISSING_POLICIES = ("zero", "median", "exclude")
OPERATORS = (">=", "<=", ">", "<", "==", "!=", "in")
DECIMALS = 4
T = TypeVar("T")
ZSCORE_CLIP = 3.0


class RubricError(ValueError):
    """A criterion or filter that cannot be applied; the message says which and why."""


@dataclass(frozen=True)
class Criterion:
    key: str
    feature: str
    weight: float
    normalization: str = "minmax"
    direction: str = "higher"
    missing: str = "zero"
    cap: float | None = None
    scale_min: float | None = None
    scale_max: float | None = None
    label: str = ""
    rationale: str = ""

    def check(self) -> None:
        where = f"Tiêu chí «{self.label or self.key}»"
        if not self.key or not self.feature:
            raise RubricError(f"{where}: thiếu mã hoặc đặc trưng.")
        if not np.isfinite(self.weight) or self.weight < 0:
            raise RubricError(f"{where}: trọng số phải là số không âm.")
        if self.normalization not in NORMALIZATIONS:
            raise RubricError(f"{where}: cách chuẩn hoá «{self.normalization}» không hợp lệ.")
        if self.direction not in DIRECTIONS:
            raise RubricError(f"{where}: chiều «{self.direction}» không hợp lệ.")
        if self.missing not in MISSING_POLICIES:
            raise RubricError(f"{where}: chưa chọn cách xử lý khi thiếu dữ liệu.")
        if self.normalization == "fixed" and (
                self.scale_min is None or self.scale_max is None or self.scale_max <= self.scale_min):
            raise RubricError(f"{where}: thang cố định cần giá trị thấp nhất nhỏ hơn giá trị cao nhất.")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Criterion:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("weight", "cap", "scale_min", "scale_max"):
            if values.get(name) is not None:
                values[name] = float(values[name])
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Filter:
    feature: str
    op: str
    value: Any
    label: str = ""

    def check(self) -> None:
        if self.op not in OPERATORS:
            raise RubricError(f"Điều kiện «{self.label or self.feature}»: phép so sánh «{self.op}» không hợp lệ.")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Filter:
        return cls(feature=data["feature"], op=data["op"], value=data["value"], label=data.get("label", ""))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def mask(self, column: pd.Series) -> np.ndarray:
        """True where the condition holds; a missing value never satisfies it."""
        present = column.notna().to_numpy()
        if self.op == "in":
            return present & column.isin(list(self.value)).to_numpy()
        values = column.to_numpy()
        target = self.value
        with np.errstate(invalid="ignore"):
            result = {
                ">=": lambda: values >= target, "<=": lambda: values <= target, ">": lambda: values > target,
                "<": lambda: values < target, "==": lambda: values == target, "!=": lambda: values != target,
            }[self.op]()
        return present & np.asarray(result, dtype=bool)


class Ranking:
    """What the engine returns.

    ``table`` is indexed by candidate id in rank order with columns ``score``, ``rank``, ``percentile``
    and, per criterion key ``k``, ``value:k`` (raw, NaN when missing), ``norm:k`` and ``contrib:k``; it
    is built on first access (``head(n)`` builds only the top ``n`` rows, identical to the table's).
    ``excluded`` maps each candidate who was not ranked to the reason; ``size`` is how many were ranked.
    """

    def __init__(self, *, criteria: list[Criterion], excluded: dict[int, str], size: int,
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


def _exclude(excluded: dict[int, str], ids: np.ndarray, mask: np.ndarray, reason: str) -> None:
    if mask.any():
        chosen = ids[mask]
        if chosen.dtype != np.int64:
            chosen = chosen.astype(np.int64)
        excluded.update(dict.fromkeys(chosen.tolist(), reason))


def _column(features: pd.DataFrame, name: str) -> np.ndarray:
    series = features[name]
    if series.dtype == np.float64:
        return series.to_numpy()  # read only, never written to
    return series.to_numpy(dtype=float, na_value=np.nan)


# Large cohorts use every core for the per-criterion statistics and for pass 1; each task's arithmetic
# is the same as run alone, so threading never changes a number.
WORKERS = max(1, min(4, os.cpu_count() or 1))
PARALLEL_FROM = 200_000
_pool: ThreadPoolExecutor | None = None


def _parallel(size: int, tasks: list[Callable[[], T]]) -> list[T]:
    """Run ``tasks`` (in threads for a large cohort) and return their results in order."""
    global _pool
    if size < PARALLEL_FROM or WORKERS == 1 or len(tasks) < 2:
        return [task() for task in tasks]
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="rank")
    return list(_pool.map(lambda task: task(), tasks))


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
    excluded: dict[int, str] = {}
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
    rows = np.flatnonzero(keep)
    everyone = len(rows) == size
    by_id = None
    if any(c.normalization == "zscore" for c in criteria) and not features.index.is_monotonic_increasing:
        by_id = np.argsort(ids, kind="stable")
    plans = _parallel(size, [lambda c=c: _plan(c, raw[c.key], None if everyone else keep, len(rows), by_id)
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

    bounds = np.linspace(0, size, WORKERS + 1, dtype=np.int64) if size >= PARALLEL_FROM else np.array([0, size])
    _parallel(size, [lambda a=int(a), b=int(b): pass_one(a, b) for a, b in zip(bounds[:-1], bounds[1:])])

    # The order: best score first, ties by the heaviest criteria's contributions, then the smaller id.
    order = _by_score(score, None if everyone else rows)
    contribs = [(p.criterion.weight, _Contributions(p, raw[p.criterion.key])) for p in plans]
    order = np.concatenate(_parallel(len(order), [lambda part=part: _break_ties(part, score, ids, contribs)
                                                   for part in _split_between_runs(order, score)]))

    # Pass 2 (deferred): the ranked rows in rank order, straight into the table's memory, built when
    # the table is first read — or only for the top rows with ``Ranking.head(n)``.
    def build(count: int | None) -> pd.DataFrame:
        return _table(order if count is None else order[:count], len(order), ids, raw, plans, criteria)

    return Ranking(criteria=list(criteria), excluded=excluded, size=len(order), _build=build)


def _table(order: np.ndarray, n_ranked: int, ids: np.ndarray, raw: dict[str, np.ndarray], plans: list[_Plan],
           criteria: list[Criterion]) -> pd.DataFrame:
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
    ranks = np.arange(1, n_rows + 1, dtype=np.int64)
    if n_ranked > 1:
        np.round(100.0 * (n_ranked - ranks) / (n_ranked - 1), 2, out=block[1])
    else:
        block[1].fill(100.0)
    table = pd.DataFrame(block.T, columns=names, index=pd.Index(ids[order], name="candidate_id"), copy=False)
    table.insert(1, "rank", ranks)
    return table


def _by_score(score: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """``rows`` (None: all) from the highest score to the lowest; equal scores in any order.

    Scores are sums of whole numbers of 10^-4, so their tick counts (×10^4, rounded) are ordered as
    the scores are: a two-pass 16-bit radix sort on the ticks is several times faster than sorting
    floats. Rows on the same tick (whose float sums may still differ in the last bit) are put in
    exact order by the tie-break, which compares the scores themselves first.
    """
    values = score if rows is None else score[rows]
    if len(values) and values.min() >= 0 and np.isfinite(values).all():
        ticks = np.rint(values * TICKS)
        top = float(ticks.max())
        if top < 2 ** 32:
            key = np.subtract(top, ticks).astype(np.uint32)  # descending
            order = np.argsort(key.astype(np.uint16), kind="stable")  # the low 16 bits (radix sort)
            if top >= 2 ** 16:
                order = order[np.argsort((key >> 16).astype(np.uint16)[order], kind="stable")]
            return order if rows is None else rows[order]
    order = np.argsort(np.negative(values))
    return order if rows is None else rows[order]


def _split_between_runs(order: np.ndarray, score: np.ndarray) -> list[np.ndarray]:
    """``order`` cut into up to WORKERS parts at boundaries no tie can cross (the scores on either side
    differ by at least one tick), so each part's ties can be broken on its own."""
    if len(order) < PARALLEL_FROM or WORKERS == 1:
        return [order]
    cuts = [0]
    for target in np.linspace(0, len(order), WORKERS + 1, dtype=np.int64)[1:-1]:
        window = score[order[target:target + 4096]]
        ticks = np.rint(window * TICKS)
        change = np.flatnonzero(ticks[1:] != ticks[:-1])
        if len(change):
            cut = int(target + change[0] + 1)
            if cut > cuts[-1]:
                cuts.append(cut)
    cuts.append(len(order))
    return [order[a:b] for a, b in zip(cuts[:-1], cuts[1:])]


def _break_ties(order: np.ndarray, score: np.ndarray, ids: np.ndarray,
                contribs: list[tuple[float, Any]]) -> np.ndarray:
    """Put the runs of equal scores in ``order`` (rows sorted by score, or by its ticks) in their
    final order: the higher exact score, then the heavier criteria's contributions, heaviest first,
    and finally the smaller id. ``contribs`` pairs each criterion's weight with its contributions
    (anything indexable by row numbers).

    Each step sorts only the rows still tied, by (run, key) packed into one integer: contributions are
    whole numbers of 10^-4 and scores compare as their bit patterns, so every key is an exact integer;
    the runs are short, so the packed keys are almost sorted and a stable sort is nearly linear.
    """
    if len(order) < 2:
        return order
    ordered = score[order]
    # Sorted by ticks, the exact scores are most often in order already (equal ticks, equal floats):
    # then the runs are those of equal scores. Otherwise they are those of equal ticks, and the exact
    # scores are the first thing compared.
    in_order = bool((ordered[1:] <= ordered[:-1]).all())
    by_ticks = not in_order and bool(ordered.min() >= 0 and np.isfinite(ordered).all())
    group = np.rint(ordered * TICKS) if by_ticks else ordered
    tied_next = group[1:] == group[:-1]
    if not tied_next.any():
        return order
    order = order.copy()
    positions = _in_runs(tied_next)
    run = np.cumsum(_run_starts(tied_next, positions)) - 1
    heaviest_first = [values for _, values in sorted(contribs, key=lambda wc: -wc[0])]
    steps: list[Any] = ["score", *heaviest_first, "id"] if by_ticks else [*heaviest_first, "id"]
    for step in steps:
        members = order[positions]
        if step == "score":
            key = score[members].view(np.int64)  # non-negative floats: bit patterns are ordered
        elif step == "id":
            key = ids[members]
        else:
            contribution = step[members]
            exact = np.abs(contribution).max() * TICKS < 2 ** 50  # else compared as floats, more slowly
            key = np.rint(contribution * TICKS).astype(np.int64) if exact else contribution
        permutation = _sort_within_runs(run, key, descending=step != "id")
        members, key = members[permutation], key[permutation]
        order[positions] = members
        if step == "id":
            break
        tied_next = (run[1:] == run[:-1]) & (key[1:] == key[:-1])
        if not tied_next.any():
            break
        still = _in_runs(tied_next)
        run = np.cumsum(_run_starts(tied_next, still)) - 1
        positions = positions[still]
    return order


def _in_runs(tied_next: np.ndarray) -> np.ndarray:
    """Positions equal to their neighbour before or after (``tied_next[i]``: i equals i + 1)."""
    member = np.zeros(len(tied_next) + 1, dtype=bool)
    member[1:] |= tied_next
    member[:-1] |= tied_next
    return np.flatnonzero(member)


def _run_starts(tied_next: np.ndarray, positions: np.ndarray) -> np.ndarray:
    starts = np.ones(len(positions), dtype=bool)
    starts[1:] = ~tied_next[positions[1:] - 1]
    return starts


def _sort_within_runs(run: np.ndarray, key: np.ndarray, descending: bool) -> np.ndarray:
    """The permutation that sorts ``key`` within each run (``run``: 0, 0, 1, 1, 1, 2, …)."""
    if key.dtype.kind not in "iu":
        return np.lexsort((np.negative(key) if descending else key, run))
    whole = key.astype(np.int64, copy=False)
    same_run = run[1:] == run[:-1]
    in_order = whole[1:] <= whole[:-1] if descending else whole[1:] >= whole[:-1]
    if (in_order | ~same_run).all():
        return np.arange(len(run))  # already in order (most often: equal scores are equal floats)
    starts = np.flatnonzero(np.concatenate(([True], ~same_run)))
    # Relative to the run's own extreme, so that the packed number stays small.
    if descending:
        offset = np.maximum.reduceat(whole, starts)[run] - whole
    else:
        offset = whole - np.minimum.reduceat(whole, starts)[run]
    width = int(offset.max()) + 1
    if (int(run[-1]) + 1) * width >= 2 ** 62:
        return np.lexsort((np.negative(key) if descending else key, run))
    return np.argsort(run.astype(np.int64) * width + offset, kind="stable")


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
    above = table.iloc[position - 2]
    items = []
    for c in ranking.criteria:
        diff = round(float(above[f"contrib:{c.key}"]) - float(row[f"contrib:{c.key}"]), DECIMALS)
        items.append({"key": c.key, "label": c.label or c.key, "difference": diff, "weight": c.weight,
                      "headroom": round(c.weight - float(row[f"contrib:{c.key}"]), DECIMALS)})
    items.sort(key=lambda item: -item["difference"])
    return {"rank": position, "above": int(above.name), "gap": round(float(above["score"] - row["score"]), DECIMALS),
            "criteria": items}
