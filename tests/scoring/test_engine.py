"""The pure ranking engine: normalizations, missing values, caps, filters, ties, reproducibility and the
exact arithmetic of contributions and scores (no database)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scoring import engine, parallel
from scoring.engine import NO_DATA, Criterion, Filter, RubricError, gaps_to_next, kendall_tau, rank


def frame(**columns: list[float | None]) -> pd.DataFrame:
    """A feature frame indexed 1..n (candidate ids) from columns of numbers (None = missing)."""
    size = len(next(iter(columns.values())))
    data = {name: [np.nan if v is None else float(v) for v in values] for name, values in columns.items()}
    return pd.DataFrame(data, index=pd.Index(range(1, size + 1), name="candidate_id"))


def norms(ranking: engine.Ranking, key: str) -> dict[int, float]:
    return {int(cid): float(v) for cid, v in ranking.table[f"norm:{key}"].items()}


def contribution_sum(ranking: engine.Ranking, cid: int) -> float:
    total = 0.0
    for value in ranking.contributions(cid).values():  # criterion order, left to right
        total += value
    return total


# A weightless criterion everyone has a value for, so that a row missing the criterion under test
# still has data and is ranked (a row with no value at all is not: see the tests of NO_DATA).
PRESENT = Criterion("present", "y", 0)


# --- Normalizations ----------------------------------------------------------------------------------

def test_minmax_maps_the_cohort_range_to_0_1() -> None:
    ranking = rank(frame(x=[1, 3, 5]), [Criterion("k", "x", 10)])
    assert norms(ranking, "k") == {1: 0.0, 2: 0.5, 3: 1.0}
    assert ranking.table.loc[2, "contrib:k"] == 5.0
    assert list(ranking.table.index) == [3, 2, 1]


def test_minmax_constant_column_gives_one_to_everyone_with_a_value() -> None:
    ranking = rank(frame(x=[4, 4, None, 4], y=[1, 1, 1, 1]), [Criterion("k", "x", 3), PRESENT])
    assert norms(ranking, "k") == {1: 1.0, 2: 1.0, 3: 0.0, 4: 1.0}
    assert ranking.table.loc[3, "score"] == 0.0  # the missing one, under the explicit zero policy


def test_minmax_only_over_the_ranked_cohort() -> None:
    # Row 3 fails the filter: its huge value must not squash everyone else's scale.
    features = frame(x=[1, 3, 1000], ok=[1, 1, 0])
    ranking = rank(features, [Criterion("k", "x", 1)], [Filter("ok", "==", 1)])
    assert norms(ranking, "k") == {1: 0.0, 2: 1.0}


def test_zscore_is_clipped_at_three_standard_deviations() -> None:
    values = [0.0] * 99 + [1000.0]
    ranking = rank(frame(x=values), [Criterion("k", "x", 1, "zscore")])
    mean, std = 10.0, math.sqrt(9900.0)  # population standard deviation
    n = norms(ranking, "k")
    assert n[100] == 1.0  # (1000 − 10) / 99.5 ≈ 9.95 σ: clipped to +3 σ
    assert n[1] == pytest.approx(((0 - mean) / std + 3) / 6)
    low = rank(frame(x=[0.0] + [1000.0] * 99), [Criterion("k", "x", 1, "zscore")])
    assert norms(low, "k")[1] == 0.0  # −9.95 σ: clipped to −3 σ


def test_zscore_of_a_constant_column_is_one() -> None:
    ranking = rank(frame(x=[2, 2, 2]), [Criterion("k", "x", 1, "zscore")])
    assert set(norms(ranking, "k").values()) == {1.0}


def test_percentile_ties_share_their_mean_rank() -> None:
    ranking = rank(frame(x=[10, 20, 20, 30]), [Criterion("k", "x", 1, "percentile")])
    # Ranks 1, 2.5, 2.5, 4 out of 4.
    assert norms(ranking, "k") == {1: 0.25, 2: 0.625, 3: 0.625, 4: 1.0}


@pytest.mark.parametrize("distinct", [3, 50_000])  # few distinct values are counted, many are sorted
def test_percentile_equals_the_pandas_average_rank(distinct: int) -> None:
    rng = np.random.default_rng(distinct)
    values = rng.integers(0, distinct, 4000).astype(float) / 7
    values[rng.random(4000) < 0.1] = np.nan
    features = pd.DataFrame({"x": values, "y": 1.0}, index=pd.Index(np.arange(1, 4001), name="candidate_id"))
    ranking = rank(features, [Criterion("k", "x", 1, "percentile"), PRESENT])
    present = features["x"].dropna()
    expected = (present.rank(method="average") / len(present)).reindex(features.index).fillna(0.0)
    got = ranking.table["norm:k"].reindex(features.index)
    assert np.array_equal(got.to_numpy(), expected.to_numpy())


def test_fixed_scale_is_clipped_to_its_bounds() -> None:
    ranking = rank(frame(x=[-5, 5, 15]), [Criterion("k", "x", 2, "fixed", scale_min=0, scale_max=10)])
    assert norms(ranking, "k") == {1: 0.0, 2: 0.5, 3: 1.0}
    assert ranking.table.loc[3, "value:k"] == 15.0  # the raw value is kept as it was


def test_direction_lower_reverses_the_scale_and_missing_still_gets_nothing() -> None:
    ranking = rank(frame(x=[1, 3, 5, None], y=[1, 1, 1, 1]), [Criterion("k", "x", 1, direction="lower"), PRESENT])
    assert norms(ranking, "k") == {1: 1.0, 2: 0.5, 3: 0.0, 4: 0.0}
    assert list(ranking.table.index[:2]) == [1, 2]


def test_cap_counts_a_larger_value_as_the_cap() -> None:
    ranking = rank(frame(x=[1, 5, 100]), [Criterion("k", "x", 1, cap=5)])
    assert norms(ranking, "k") == {1: 0.0, 2: 1.0, 3: 1.0}
    assert ranking.table.loc[3, "value:k"] == 100.0
    # Equal after the cap: the tie goes to the smaller id.
    assert list(ranking.table.index) == [2, 3, 1]


# --- Missing values ------------------------------------------------------------------------------------

def test_missing_zero_contributes_nothing_and_keeps_the_raw_value_missing() -> None:
    ranking = rank(frame(x=[2, None, 4], y=[1, 1, 1]), [Criterion("k", "x", 1, missing="zero"), PRESENT])
    assert ranking.table.loc[2, "contrib:k"] == 0.0
    assert math.isnan(ranking.table.loc[2, "value:k"])
    assert not ranking.excluded


def test_missing_median_uses_the_median_of_the_ranked_cohort() -> None:
    # Row 5 is filtered out: its value (100) must not move the median of the others (1, 3, 5 → 3).
    features = frame(x=[1, None, 3, 5, 100], ok=[1, 1, 1, 1, 0], y=[1, 1, 1, 1, 1])
    ranking = rank(features, [Criterion("k", "x", 1, missing="median"), PRESENT], [Filter("ok", ">=", 1)])
    assert norms(ranking, "k")[2] == 0.5  # median 3 on the 1..5 scale
    assert math.isnan(ranking.table.loc[2, "value:k"])  # shown as missing, scored as the median
    assert set(ranking.excluded) == {5}


def test_a_row_with_no_value_for_any_criterion_is_not_ranked() -> None:
    ranking = rank(frame(x=[2, None, 4], y=[1, None, None]),
                   [Criterion("k", "x", 1, missing="zero"), Criterion("j", "y", 1, missing="median")])
    assert sorted(ranking.table.index) == [1, 3]  # 1 has both values, 3 has x only: both ranked
    assert ranking.excluded == {2: NO_DATA} and ranking.size == 2


def test_nobody_with_data_gives_an_empty_ranking() -> None:
    ranking = rank(frame(x=[None, None]), [Criterion("k", "x", 1, missing="zero")])
    assert ranking.size == 0 and set(ranking.excluded.values()) == {NO_DATA}


def test_missing_median_when_nobody_has_a_value_gives_zero() -> None:
    ranking = rank(frame(x=[None, None], y=[1, 2]), [Criterion("k", "x", 1, missing="median"),
                                                     Criterion("j", "y", 1)])
    assert set(norms(ranking, "k").values()) == {0.0}


def test_missing_exclude_leaves_the_candidate_unranked_with_the_reason() -> None:
    criteria = [Criterion("gpa", "x", 1, missing="exclude", label="Điểm trung bình"), Criterion("k", "y", 1)]
    ranking = rank(frame(x=[3, None, 2], y=[1, 1, 1]), criteria)
    assert list(ranking.table.index) == [1, 3]
    assert ranking.excluded == {2: "Thiếu dữ liệu: Điểm trung bình"}
    assert list(ranking.table["rank"]) == [1, 2]


# --- Filters ---------------------------------------------------------------------------------------------

def test_a_missing_value_fails_a_filter() -> None:
    features = frame(x=[1, 2, 3], age=[20, None, 40])
    ranking = rank(features, [Criterion("k", "x", 1)], [Filter("age", "<=", 30, "Không quá 30 tuổi")])
    assert list(ranking.table.index) == [1]
    assert ranking.excluded == {2: "Không đạt điều kiện: Không quá 30 tuổi",
                                3: "Không đạt điều kiện: Không quá 30 tuổi"}


def test_the_first_failed_filter_is_the_reason() -> None:
    features = frame(x=[1, 2], a=[0, 1], b=[0, 0])
    ranking = rank(features, [Criterion("k", "x", 1)], [Filter("a", "==", 1, "A"), Filter("b", "==", 1, "B")])
    assert ranking.excluded == {1: "Không đạt điều kiện: A", 2: "Không đạt điều kiện: B"}
    assert ranking.table.empty
    assert list(ranking.table.columns) == ["score", "rank", "percentile", "value:k", "norm:k", "contrib:k"]


def test_filter_in_on_text_values() -> None:
    features = frame(x=[1, 2, 3, 4])
    features["level"] = ["university", "grade_12", None, "college"]
    ranking = rank(features, [Criterion("k", "x", 1)], [Filter("level", "in", ["university", "college"])])
    assert sorted(ranking.table.index) == [1, 4]
    assert set(ranking.excluded) == {2, 3}


@pytest.mark.parametrize(("op", "kept"), [(">=", [2, 3]), ("<=", [1, 2]), (">", [3]), ("<", [1]),
                                          ("==", [2]), ("!=", [1, 3])])
def test_filter_comparisons(op: str, kept: list[int]) -> None:
    ranking = rank(frame(x=[1, 2, 3]), [Criterion("k", "x", 1)], [Filter("x", op, 2)])
    assert sorted(ranking.table.index) == kept


# --- Ties, order, percentile ----------------------------------------------------------------------------

def test_equal_scores_go_to_the_heaviest_criterion_then_the_smaller_id() -> None:
    # All three score 2: candidate 2 gets more of it from the heavier criterion; 1 and 3 are alike.
    features = frame(light=[1.0, 0.0, 1.0, 0.0], heavy=[0.5, 1.0, 0.5, 0.0])
    criteria = [Criterion("light", "light", 1, "fixed", scale_min=0, scale_max=1),
                Criterion("heavy", "heavy", 2, "fixed", scale_min=0, scale_max=1)]
    table = rank(features, criteria).table
    assert list(table["score"]) == [2.0, 2.0, 2.0, 0.0]
    assert list(table.index) == [2, 1, 3, 4]  # listed by the heaviest criterion, then the id ...
    assert list(table["rank"]) == [1, 1, 1, 4]  # ... but ranked alike: standard competition ranking
    assert list(table["percentile"]) == [100.0, 100.0, 100.0, 0.0]
    assert engine.__doc__ is not None and "heaviest criterion" in engine.__doc__ and "1, 2, 2, 4" in engine.__doc__


def test_ties_go_down_the_criteria_by_weight() -> None:
    # Equal scores and equal heaviest contributions: the second heaviest decides, not the id.
    features = frame(a=[0.5, 0.5], b=[0.0, 0.5], c=[0.6, 0.0])
    criteria = [Criterion("c", "c", 1, "fixed", scale_min=0, scale_max=1),
                Criterion("a", "a", 4, "fixed", scale_min=0, scale_max=1),
                Criterion("b", "b", 1.2, "fixed", scale_min=0, scale_max=1)]
    table = rank(features, criteria).table
    assert table.loc[1, "score"] == table.loc[2, "score"] == 2.6
    assert list(table.index) == [2, 1]  # b (1.2) outweighs c (1), which comes first in the rubric


def test_ties_between_equal_weights_follow_the_criterion_order() -> None:
    features = frame(a=[0, 1], b=[1, 0])
    criteria = [Criterion("a", "a", 1, "fixed", scale_min=0, scale_max=1),
                Criterion("b", "b", 1, "fixed", scale_min=0, scale_max=1)]
    assert list(rank(features, criteria).table.index) == [2, 1]


def test_ties_with_enormous_weights_are_still_broken_by_the_rules() -> None:
    # Contributions too large to count in 10^-4 ticks: the slower, float comparisons take over.
    features = frame(light=[1.0, 0.0, 1.0], heavy=[0.5, 1.0, 0.5])
    criteria = [Criterion("light", "light", 1e12, "fixed", scale_min=0, scale_max=1),
                Criterion("heavy", "heavy", 2e12, "fixed", scale_min=0, scale_max=1)]
    table = rank(features, criteria).table
    assert list(table["score"]) == [2e12, 2e12, 2e12]
    assert list(table.index) == [2, 1, 3]


def test_a_score_higher_in_the_last_bit_ranks_first() -> None:
    # 0.1 + 0.2 is a hair above 0.3 in floating point: the sums are what is shown and compared.
    features = frame(a=[0.0, 0.1], b=[0.3, 0.2])
    criteria = [Criterion("a", "a", 1, "fixed", scale_min=0, scale_max=1),
                Criterion("b", "b", 1, "fixed", scale_min=0, scale_max=1)]
    table = rank(features, criteria).table
    assert table.loc[2, "score"] == 0.1 + 0.2 > table.loc[1, "score"] == 0.3
    assert list(table.index) == [2, 1]


def test_shuffling_the_rows_gives_the_same_ranking() -> None:
    rng = np.random.default_rng(3)
    size = 500
    features = pd.DataFrame({
        "a": rng.integers(0, 4, size).astype(float), "b": rng.integers(0, 3, size).astype(float),
        "c": np.where(rng.random(size) < 0.2, np.nan, rng.integers(0, 5, size).astype(float)),
    }, index=pd.Index(rng.permutation(np.arange(10, 10 + size)), name="candidate_id"))
    criteria = [Criterion("a", "a", 3), Criterion("b", "b", 3, "percentile"),
                Criterion("c", "c", 2, "zscore", missing="median")]
    filters = [Filter("a", ">=", 1)]
    first = rank(features, criteria, filters)
    again = rank(features.sample(frac=1.0, random_state=5), criteria, filters)
    pd.testing.assert_frame_equal(first.table, again.table, check_exact=True)
    assert first.excluded == again.excluded
    assert first.table["score"].duplicated().any()  # the data does have ties to break


def test_percentile_endpoints() -> None:
    table = rank(frame(x=[1, 2, 3, 4, 5]), [Criterion("k", "x", 1)]).table
    assert list(table["percentile"]) == [100.0, 75.0, 50.0, 25.0, 0.0]
    single = rank(frame(x=[7]), [Criterion("k", "x", 1)]).table
    assert list(single["percentile"]) == [100.0]


def test_nullable_and_integer_columns_are_read_as_numbers() -> None:
    features = pd.DataFrame({"x": pd.array([1, None, 3], dtype="Int64"), "y": [1, 2, 3]},
                            index=pd.Index([1, 2, 3], name="candidate_id"))
    ranking = rank(features, [Criterion("k", "x", 1), Criterion("j", "y", 1)])
    assert math.isnan(ranking.table.loc[2, "value:k"])
    assert list(ranking.table.index) == [3, 2, 1]


def test_an_empty_frame_ranks_nobody() -> None:
    features = pd.DataFrame({"x": pd.Series(dtype=float)}, index=pd.Index([], name="candidate_id"))
    ranking = rank(features, [Criterion("k", "x", 1)])
    assert ranking.table.empty and ranking.excluded == {}


# --- The arithmetic, on random data (hypothesis) --------------------------------------------------------

NORMALIZATION_ARGS = st.sampled_from([
    {"normalization": "minmax"}, {"normalization": "zscore"}, {"normalization": "percentile"},
    {"normalization": "fixed", "scale_min": 0.0, "scale_max": 7.0},
])


@st.composite
def rubric_and_frame(draw: st.DrawFn) -> tuple[pd.DataFrame, list[Criterion]]:
    size = draw(st.integers(1, 40))
    n_features = draw(st.integers(1, 4))
    cell = st.one_of(st.none(), st.integers(0, 6).map(float),
                     st.floats(-5, 20, allow_nan=False, allow_infinity=False))
    data = {f"f{j}": [np.nan if v is None else v for v in draw(st.lists(cell, min_size=size, max_size=size))]
            for j in range(n_features)}
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    features = pd.DataFrame(data, index=pd.Index(ids, name="candidate_id"))
    criteria = []
    for i in range(draw(st.integers(1, 5))):
        criteria.append(Criterion(
            key=f"k{i}", feature=f"f{draw(st.integers(0, n_features - 1))}",
            weight=draw(st.one_of(st.integers(0, 40).map(float), st.floats(0, 50, allow_nan=False))),
            direction=draw(st.sampled_from(["higher", "lower"])),
            missing=draw(st.sampled_from(["zero", "median", "exclude"])),
            cap=draw(st.one_of(st.none(), st.floats(0, 10, allow_nan=False))),
            **draw(NORMALIZATION_ARGS)))
    return features, criteria


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rubric_and_frame())
def test_contributions_add_up_exactly_and_ranks_are_consistent(case: tuple[pd.DataFrame, list[Criterion]]) -> None:
    features, criteria = case
    ranking = rank(features, criteria)
    table = ranking.table
    size = len(table)
    assert size + len(ranking.excluded) == len(features)
    scores = table["score"].to_numpy()
    assert (np.diff(scores) <= 0).all()
    # Standard competition ranking on the score as shown (4 decimals): 1 + how many score higher.
    shown = np.round(scores, 4)
    assert list(table["rank"]) == [1 + int((shown > value).sum()) for value in shown]
    if size > 1:
        expected = np.round(100.0 * (size - table["rank"].to_numpy()) / (size - 1), 2)
        assert (table["percentile"].to_numpy() == expected).all()
    for cid in table.index:
        contributions = ranking.contributions(cid)
        assert list(contributions) == [c.key for c in criteria]
        assert contribution_sum(ranking, cid) == table.loc[cid, "score"]  # exactly, not approximately
        for c in criteria:
            assert 0.0 <= contributions[c.key] <= round(c.weight, 4)
            assert round(contributions[c.key], 4) == contributions[c.key]
    if size > 1:
        assert table["percentile"].iloc[0] == 100.0
    # Rows in another order: the same result.
    again = rank(features.iloc[::-1], criteria)
    pd.testing.assert_frame_equal(table, again.table, check_exact=True)


# --- Validation ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("criteria", "message"), [
    ([Criterion("k", "x", -1)], "trọng số"),
    ([Criterion("k", "x", float("nan"))], "trọng số"),
    ([Criterion("k", "nope", 1)], "không có đặc trưng «nope»"),
    ([Criterion("k", "x", 1, "fixed")], "thang cố định"),
    ([Criterion("k", "x", 1, "fixed", scale_min=5, scale_max=5)], "thang cố định"),
    ([Criterion("k", "x", 1), Criterion("k", "x", 2)], "trùng"),
    ([Criterion("k", "x", 1, "median")], "chuẩn hoá"),
    ([Criterion("k", "x", 1, direction="up")], "chiều"),
    ([Criterion("k", "x", 1, missing="ignore")], "thiếu dữ liệu"),
    ([], "ít nhất một tiêu chí"),
])
def test_invalid_rubrics_are_refused_with_the_reason(criteria: list[Criterion], message: str) -> None:
    with pytest.raises(RubricError, match=message):
        rank(frame(x=[1, 2]), criteria)


def test_invalid_filters_are_refused() -> None:
    with pytest.raises(RubricError, match="phép so sánh"):
        rank(frame(x=[1, 2]), [Criterion("k", "x", 1)], [Filter("x", "~", 1)])
    with pytest.raises(RubricError, match="không có đặc trưng «y»"):
        rank(frame(x=[1, 2]), [Criterion("k", "x", 1)], [Filter("y", ">=", 1)])


def test_criterion_from_dict_ignores_unknown_keys_and_converts_numbers() -> None:
    c = Criterion.from_dict({"key": "k", "feature": "x", "weight": "2.5", "cap": 3, "extra": "ignored"})
    assert c.weight == 2.5 and c.cap == 3.0 and Criterion.from_dict(c.as_dict()) == c


# --- Rank correlation and gaps -----------------------------------------------------------------------------

def test_kendall_tau_on_known_orderings() -> None:
    assert kendall_tau([1, 2, 3, 4], [1, 2, 3, 4]) == pytest.approx(1.0)
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert kendall_tau([1, 2, 3, 4], [2, 1, 3, 4]) == pytest.approx(4 / 6)  # 5 concordant, 1 discordant
    # Only shared ids count: 9 and 8 are ignored.
    assert kendall_tau([1, 9, 2, 3], [1, 2, 8, 3]) == pytest.approx(1.0)
    assert kendall_tau([1, 2], [3, 4]) is None
    assert kendall_tau([1], [1]) is None


def test_gaps_to_next() -> None:
    criteria = [Criterion("a", "a", 10, "fixed", scale_min=0, scale_max=10, label="A"),
                Criterion("b", "b", 5, "fixed", scale_min=0, scale_max=10)]
    ranking = rank(frame(a=[10, 6, 2], b=[0, 10, 10]), criteria)
    # Scores: 1 → 10, 2 → 6 + 5 = 11, 3 → 2 + 5 = 7.
    assert list(ranking.table.index) == [2, 1, 3]
    assert gaps_to_next(ranking, 2) == {"rank": 1, "above": None, "gap": 0.0, "criteria": []}
    gap = gaps_to_next(ranking, 1)
    assert gap is not None
    assert (gap["rank"], gap["above"], gap["gap"]) == (2, 2, 1.0)
    assert gap["criteria"] == [  # the biggest difference first
        {"key": "b", "label": "b", "difference": 5.0, "weight": 5.0, "headroom": 5.0},
        {"key": "a", "label": "A", "difference": -4.0, "weight": 10.0, "headroom": 0.0},
    ]
    third = gaps_to_next(ranking, 3)
    assert third is not None and third["above"] == 1 and third["gap"] == 3.0
    assert gaps_to_next(ranking, 99) is None


def test_the_threaded_path_gives_the_same_ranking_as_one_thread(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Large cohorts use threads for the statistics, pass 1 and the tie-break (cut between runs of
    ties); forcing that path on a small frame full of ties must not change a single number."""
    rng = np.random.default_rng(7)
    n = 5_000
    frame = pd.DataFrame({
        "a": rng.integers(0, 4, n).astype(float), "b": rng.integers(0, 3, n).astype(float),
        "c": np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 50, n).astype(float)),
        "d": rng.normal(size=n),
    }, index=pd.Index(rng.permutation(np.arange(1, n + 1)), name="candidate_id"))
    criteria = [Criterion("a", "a", 5, normalization="fixed", scale_min=0, scale_max=3),
                Criterion("b", "b", 5, cap=2), Criterion("c", "c", 3, normalization="percentile", missing="median"),
                Criterion("d", "d", 1, normalization="zscore")]
    alone = rank(frame, criteria).table
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 100)
    monkeypatch.setattr(parallel, "WORKERS", 3)
    threaded = rank(frame, criteria)
    pd.testing.assert_frame_equal(threaded.table, alone, check_exact=True)
    pd.testing.assert_frame_equal(threaded.head(50), alone.head(50), check_exact=True)
    # The tie-break really ran in several parts: the ordered scores have tick changes to cut at.
    scores_by_row = np.zeros(n + 1)
    scores_by_row[alone.index.to_numpy()] = alone["score"].to_numpy()
    assert len(engine._split_between_runs(alone.index.to_numpy(), scores_by_row)) == 3
