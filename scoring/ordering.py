"""The order of the ranked rows and their ranks (rules 6 and 7 of ``scoring.engine``): by score, equal
scores sharing one rank and listed by the heaviest criteria's contributions and then the candidate id,
sorting only within runs of equal keys. Pure numpy."""

from __future__ import annotations

from typing import Any

import numpy as np

from scoring import parallel
from scoring.normalization import TICKS


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


def competition_ranks(score_in_order: np.ndarray) -> np.ndarray:
    """Standard competition ranks ("1, 2, 2, 4") of scores listed best first: equal scores — equal to
    the shown 4 decimals, i.e. on the same tick — share the best rank of their group, and the next
    score's rank counts everyone above it. One vectorized pass."""
    n = len(score_in_order)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    ticks = np.rint(score_in_order * TICKS)
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.not_equal(ticks[1:], ticks[:-1], out=starts[1:])
    positions = np.arange(1, n + 1, dtype=np.int64)
    return np.maximum.accumulate(np.where(starts, positions, 0))


def _split_between_runs(order: np.ndarray, score: np.ndarray) -> list[np.ndarray]:
    """``order`` cut into up to WORKERS parts at boundaries no tie can cross (the scores on either side
    differ by at least one tick), so each part's ties can be broken on its own."""
    if len(order) < parallel.PARALLEL_FROM or parallel.WORKERS == 1:
        return [order]
    cuts = [0]
    for target in np.linspace(0, len(order), parallel.WORKERS + 1, dtype=np.int64)[1:-1]:
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
