"""Ranking at scale: the real engine (``scoring.engine.rank``) against bare numpy on the same data, in
the same run.

The data: N candidates × 13 features shaped like the real ones (grade-point averages with two
decimals, conduct scores 50–100, exam totals in quarter points, counts of prizes and activities that
tie a lot, a skewed engagement score), with NaNs where records are often missing (3 % of GPAs, 5 %
of conduct scores, 40 % of language levels, 30 % of engagement, 10 % of exam totals, 20 % of annual
ratings), and one age filter that a few percent fail. Rows come in candidate-id order, as
``scoring.features.load_features`` returns them.

The rubric has 13 criteria in a realistic mix:

* ``fixed`` × 6 (GPA 2–4, conduct 50–100, language 0–6, annual ratings 0–4, age 16–30 with
  ``direction=lower``, leadership training 0–1),
* ``minmax`` × 5 with caps (research, awards, volunteering, leadership, trainings),
* ``zscore`` × 1 (engagement),
* ``percentile`` × 1 (exam total, ties sharing their mean rank),

and every missing-value policy: ``exclude`` (GPA), ``median`` (conduct, exam, ratings), ``zero``
(the rest).

The baseline is the bare arithmetic a ranking cannot do without: ``X @ w`` on the same matrix (NaN
read as 0, converted before timing) plus ``np.argsort``. Both are timed best of ``--repeat`` runs
after a warm-up. The engine is timed as a ranking page uses it: the whole cohort ranked, and the
breakdown table of the top 100 rows (``Ranking.head``); building the full table for all rows (what a
stored run needs) is timed and printed too. The last line is ``ratio_vs_numpy X.XX`` (engine time / numpy time; goal at
N = 1,000,000: ≤ 2.0).

    .venv/bin/python tests/benchmarks/bench_scoring.py --n 1000000
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scoring.engine import Criterion, Filter, rank  # noqa: E402  (the path is set just above)
from scoring.normalization import TICKS  # noqa: E402


def build_frame(n: int, seed: int = 2026) -> pd.DataFrame:
    """N rows of realistic, tie-heavy features with NaNs, indexed by shuffled candidate ids."""
    rng = np.random.default_rng(seed)

    def holes(values: np.ndarray, share: float) -> np.ndarray:
        values = values.astype(float)
        values[rng.random(n) < share] = np.nan
        return values

    ids = np.arange(1, n + 1, dtype=np.int64) * 3  # ascending with gaps, as load_features gives them
    data = {
        "gpa4": holes(np.round(rng.uniform(2.0, 4.0, n), 2), 0.03),
        "conduct_score": holes(rng.integers(50, 101, n), 0.05),
        "exam_best_total": holes(np.round(rng.normal(22, 3.5, n).clip(0, 30) * 4) / 4, 0.10),
        "research_points": np.round(rng.exponential(1.5, n) * (rng.random(n) < 0.2), 1),
        "award_points": np.round(rng.exponential(3.0, n) * (rng.random(n) < 0.4), 1),
        "language_level": holes(rng.integers(1, 7, n), 0.40),
        "volunteering_count": rng.poisson(2.0, n).astype(float),
        "leadership_count": rng.poisson(0.8, n).astype(float),
        "training_count": rng.poisson(1.2, n).astype(float),
        "engagement_points": holes(np.round(rng.lognormal(1.0, 0.8, n), 2), 0.30),
        "annual_rating_points": holes(np.round(rng.integers(0, 13, n) / 3, 4), 0.20),
        "age": rng.integers(15, 32, n).astype(float),
        "leadership_trained": (rng.random(n) < 0.3).astype(float),
    }
    return pd.DataFrame(data, index=pd.Index(ids, name="candidate_id"))


CRITERIA = [
    Criterion("gpa", "gpa4", 25, "fixed", scale_min=2.0, scale_max=4.0, missing="exclude"),
    Criterion("conduct", "conduct_score", 8, "fixed", scale_min=50, scale_max=100, missing="median"),
    Criterion("exam", "exam_best_total", 10, "percentile", missing="median"),
    Criterion("research", "research_points", 10, "minmax", cap=12),
    Criterion("awards", "award_points", 8, "minmax", cap=15),
    Criterion("language", "language_level", 8, "fixed", scale_min=0, scale_max=6),
    Criterion("volunteering", "volunteering_count", 6, "minmax", cap=6),
    Criterion("leadership", "leadership_count", 6, "minmax", cap=4),
    Criterion("training", "training_count", 4, "minmax", cap=5),
    Criterion("engagement", "engagement_points", 5, "zscore"),
    Criterion("ratings", "annual_rating_points", 5, "fixed", scale_min=0, scale_max=4, missing="median"),
    Criterion("youth", "age", 3, "fixed", direction="lower", scale_min=16, scale_max=30),
    Criterion("leadership_training", "leadership_trained", 2, "fixed", scale_min=0, scale_max=1),
]
FILTERS = [Filter("age", ">=", 16, "Từ đủ 16 tuổi")]


def best_time(func: Callable[[], object], repeat: int) -> float:
    func()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


TOP = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="number of candidates (rows)")
    parser.add_argument("--repeat", type=int, default=5, help="timed repeats; the best one counts")
    args = parser.parse_args()

    started = time.perf_counter()
    frame = build_frame(args.n)
    features = [c.feature for c in CRITERIA]
    matrix = np.nan_to_num(frame[features].to_numpy(dtype=float), nan=0.0)
    weights = np.array([c.weight for c in CRITERIA], dtype=float)
    print(f"built {args.n:,} × {len(frame.columns)} features ({int(frame.isna().sum().sum()):,} NaN) "
          f"in {time.perf_counter() - started:.2f} s")
    print("rubric: " + ", ".join(f"{c.key}={c.normalization}" for c in CRITERIA))

    ranking = rank(frame, CRITERIA, FILTERS)
    table = ranking.table
    contributions = table[[f"contrib:{c.key}" for c in CRITERIA]].to_numpy()
    total = np.zeros(len(table))
    for column in contributions.T:
        total = total + column
    assert np.array_equal(total, table["score"].to_numpy()), "contributions must add up to the score"
    # Ties share a rank (standard competition ranking, 1, 1, 3): a row's rank is its position unless its
    # score equals the row above to the shown 4 decimals, whose rank it then takes.
    ranks, ticks = table["rank"].to_numpy(), np.rint(table["score"].to_numpy() * TICKS)
    same = np.concatenate(([False], ticks[1:] == ticks[:-1]))
    expected = np.where(same, 0, np.arange(1, len(table) + 1))
    expected = np.maximum.accumulate(expected)
    assert np.array_equal(ranks, expected), "ranks must be competition ranks, ties sharing one"
    assert (np.diff(table["score"].to_numpy()) <= 0).all(), "scores must not increase down the table"
    assert len(table) + len(ranking.excluded) == args.n
    print(f"engine: {len(table):,} ranked, {len(ranking.excluded):,} excluded "
          f"(filter or missing GPA), top score {table['score'].iloc[0]:.4f}")

    # What a caller showing a ranking needs: the whole cohort ranked (scores, order, ties) and the top
    # rows' breakdown. The full table is built lazily; its cost is printed separately below.
    engine_seconds = best_time(lambda: rank(frame, CRITERIA, FILTERS).head(TOP), args.repeat)
    table_seconds = best_time(lambda: rank(frame, CRITERIA, FILTERS).table, args.repeat)
    numpy_seconds = best_time(lambda: np.argsort(-(matrix @ weights)), args.repeat)
    print(f"engine.rank + top {TOP} rows: {engine_seconds * 1000:.1f} ms (best of {args.repeat})")
    print(f"engine.rank + the full {len(table):,}-row table: {table_seconds * 1000:.1f} ms (best of {args.repeat})")
    print(f"numpy X @ w + argsort: {numpy_seconds * 1000:.1f} ms (best of {args.repeat})")
    print(f"ratio_vs_numpy {engine_seconds / numpy_seconds:.2f}")


if __name__ == "__main__":
    main()
