"""The arithmetic of an evaluation: raters weighted by kind, peers withheld below three, contributions
that add up to the total, ratings by thresholds, discipline, the yearly rule, and sheet checks."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from evaluation import defaults, scoring

FORM = {"groups": defaults.GROUPS, "rater_weights": defaults.RATER_WEIGHTS, "thresholds": defaults.THRESHOLDS,
        "min_peers": defaults.MIN_PEERS}
ALL = {"politics": 10, "capacity": 10, "results": 10, "discipline": 10}


def sheet(points: float) -> dict[str, float]:
    return {key: points for key in ALL}


def test_kinds_of_rater_are_weighted_and_renormalised() -> None:
    # Manager 8 (weight .4) and committee 6 (.3): (8*.4 + 6*.3) / .7 = 7.142857 → 71.43 in every group.
    result = scoring.person_result([("manager", sheet(8)), ("committee", sheet(6))], FORM)
    assert result["total"] == pytest.approx(71.43, abs=0.01) and result["rating"] == "complete"
    assert result["contributions"] == {"politics": 14.29, "capacity": 14.29, "results": 35.71, "discipline": 7.14}
    assert result["rater_count"] == 2


def test_peers_count_only_from_three() -> None:
    two = scoring.person_result([("committee", sheet(6)), ("peer", sheet(10)), ("peer", sheet(10))], FORM)
    assert two["peers_withheld"] and two["total"] == 60.0 and two["rater_count"] == 3
    three = scoring.person_result([("committee", sheet(6))] + [("peer", sheet(10))] * 3, FORM)
    assert not three["peers_withheld"] and three["total"] == 76.0  # (6*.3 + 10*.2) / .5 = 7.6


def test_ratings_by_threshold_and_discipline() -> None:
    assert scoring.person_result([("manager", sheet(9.5))], FORM)["rating"] == "excellent"
    assert scoring.person_result([("manager", sheet(8))], FORM)["rating"] == "good"
    assert scoring.person_result([("manager", sheet(4))], FORM)["rating"] == "incomplete"
    assert scoring.person_result([("manager", sheet(10))], FORM, disciplined=True)["rating"] == "incomplete"
    assert scoring.person_result([], FORM) == {"total": None, "rating": "incomplete", "contributions": {},
                                               "rater_count": 0, "peers_withheld": False}


@given(st.lists(st.tuples(st.sampled_from(["self", "manager", "peer", "committee"]),
                          st.fixed_dictionaries({k: st.floats(0, 10) for k in ALL})), min_size=1, max_size=8))
def test_contributions_always_add_up_to_the_total(sheets) -> None:  # type: ignore[no-untyped-def]
    result = scoring.person_result(sheets, FORM)
    if result["total"] is not None:
        assert sum(result["contributions"].values()) == pytest.approx(result["total"], abs=1e-9)
        assert 0 <= result["total"] <= 100


def test_yearly_rule_and_sheet_checks() -> None:
    assert scoring.yearly_total([80, 90], 70) == 80.0
    assert scoring.yearly_total([], None) is None
    assert scoring.check_scores({"politics": "9", "capacity": 8, "results": 7.5, "discipline": 10},
                                defaults.GROUPS)["politics"] == 9.0
    for bad, words in (({"politics": 11, "capacity": 8, "results": 7, "discipline": 9}, "từ 0 đến 10"),
                       ({"capacity": 8, "results": 7, "discipline": 9}, "Thiếu điểm"),
                       ({**ALL, "mood": 5}, "Không có nhóm tiêu chí"),
                       ({**ALL, "results": "x"}, "phải là một số")):
        with pytest.raises(ValueError, match=words):
            scoring.check_scores(bad, defaults.GROUPS)


def test_tasks_give_the_results_criterion_its_points() -> None:
    credit = defaults.TASK_CREDIT
    # Done, late, not done, and a pending one past due (not done): (1 + .5 + 0 + 0) / 4 of 10 = 3.75.
    assert scoring.task_points([("done", True), ("late", True), ("not_done", True), ("pending", True)], credit, 10) == 3.75
    assert scoring.task_points([("pending", False)], credit, 10) is None  # not due yet: nothing to count
    result = scoring.person_result([("manager", sheet(10))], FORM, tasks=("results", 5.0))
    # politics, capacity, discipline 100; results 50 (the tasks, not the manager's 10).
    assert result["contributions"]["results"] == 25.0 and result["total"] == 75.0
