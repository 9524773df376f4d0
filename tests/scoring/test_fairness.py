"""The fairness audit against a hand computation: selection rates, ratios to the highest group, the
four-fifths flag, groups too small to judge, unknown groups and the warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from scoring import services
from scoring.fairness import FOUR_FIFTHS, MIN_GROUP, UNKNOWN, audit
from scoring.models import Rubric
from scoring.selectors import fairness_frame, fairness_report
from talent import services as talent
from tests.factories import make_candidate


def by_grouping(reports: list[Any]) -> dict[str, Any]:
    return {report["grouping"]: report for report in reports}


def groups(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["group"]: row for row in report["groups"]}


@pytest.fixture
def hundred() -> tuple[pd.DataFrame, np.ndarray]:
    """100 people, 42 selected:
    gender: 60 men (30 selected, rate 0.5), 40 women (12 selected, rate 0.3 → ratio 0.6, flagged);
    ethnic minority: 15 yes (all selected, too small to judge), 5 unknown, 80 no (22 selected);
    region: 50 north (30 selected), 45 south (12 selected → ratio 0.4444), 5 unknown (none)."""
    i = np.arange(100)
    frame = pd.DataFrame({
        "gender": np.where(i < 60, "male", "female"),
        "is_ethnic_minority": [True if k < 15 else None if k < 20 else False for k in i],
        "region": np.where(i < 50, "north", np.where(i < 95, "south", "")),
    })
    selected = (i < 30) | ((i >= 60) & (i < 72))
    return frame, selected


def test_gender_rates_and_the_four_fifths_flag(hundred) -> None:  # type: ignore[no-untyped-def]
    report = by_grouping(audit(*hundred))["gender"]
    assert report["label"] == "Giới tính"
    rows = groups(report)
    assert rows["male"] == {"group": "male", "label": "Nam", "considered": 60, "selected": 30, "rate": 0.5,
                            "ratio": 1.0, "flag": ""}
    assert rows["female"] == {"group": "female", "label": "Nữ", "considered": 40, "selected": 12, "rate": 0.3,
                              "ratio": 0.6, "flag": "below_four_fifths"}
    assert 0.6 < FOUR_FIFTHS
    assert report["warning"] == ""


def test_a_small_group_is_said_to_be_too_small_and_does_not_set_the_scale(hundred) -> None:  # type: ignore[no-untyped-def]
    report = by_grouping(audit(*hundred))["is_ethnic_minority"]
    rows = groups(report)
    assert 15 < MIN_GROUP <= 80
    # Only "no" is large enough to judge: its rate (22/80) is the reference, whatever the small group's.
    assert rows["no"] == {"group": "no", "label": "Dân tộc Kinh", "considered": 80, "selected": 22,
                          "rate": 0.275, "ratio": 1.0, "flag": ""}
    assert rows["yes"]["flag"] == "too_small" and rows["yes"]["rate"] == 1.0
    assert rows["yes"]["ratio"] == round(1.0 / 0.275, 4) and rows["yes"]["label"] == "Dân tộc thiểu số"
    # Unknown is shown with its counts but never flagged nor used as the reference.
    assert rows["unknown"]["label"] == UNKNOWN and rows["unknown"]["flag"] == ""
    assert (rows["unknown"]["considered"], rows["unknown"]["selected"]) == (5, 5)
    assert report["warning"] == f"Chưa đủ hai nhóm có từ {MIN_GROUP} người trở lên để so sánh."


def test_region(hundred) -> None:  # type: ignore[no-untyped-def]
    rows = groups(by_grouping(audit(*hundred))["region"])
    assert (rows["north"]["rate"], rows["north"]["ratio"], rows["north"]["flag"]) == (0.6, 1.0, "")
    assert rows["south"]["considered"] == 45 and rows["south"]["selected"] == 12
    assert rows["south"]["rate"] == round(12 / 45, 4) and rows["south"]["ratio"] == round((12 / 45) / 0.6, 4)
    assert rows["south"]["flag"] == "below_four_fifths"
    assert rows["unknown"] == {"group": "unknown", "label": UNKNOWN, "considered": 5, "selected": 0, "rate": 0.0,
                               "ratio": 0.0, "flag": ""}
    assert sum(row["considered"] for row in rows.values()) == 100


def test_at_exactly_four_fifths_nothing_is_flagged() -> None:
    frame = pd.DataFrame({"gender": ["male"] * 20 + ["female"] * 20, "is_ethnic_minority": [False] * 40,
                          "region": ["north"] * 40})
    selected = np.array([k < 10 for k in range(20)] + [k < 8 for k in range(20)])  # 0.5 and 0.4
    rows = groups(by_grouping(audit(frame, selected))["gender"])
    assert rows["female"]["ratio"] == 0.8 and rows["female"]["flag"] == ""


def test_too_few_selected_warns(hundred) -> None:  # type: ignore[no-untyped-def]
    frame, _ = hundred
    selected = np.zeros(100, dtype=bool)
    selected[[0, 1, 70]] = True
    for report in audit(frame, selected):
        assert report["warning"] == "Chỉ chọn 3 người: quá ít để đánh giá tỉ lệ."


def test_nobody_selected_gives_no_ratios(hundred) -> None:  # type: ignore[no-untyped-def]
    frame, _ = hundred
    for report in audit(frame, np.zeros(100, dtype=bool)):
        assert all(row["rate"] == 0.0 and row["ratio"] is None for row in report["groups"])


def test_unknown_values_of_every_kind(hundred) -> None:  # type: ignore[no-untyped-def]
    frame = pd.DataFrame({"gender": ["male", None, "other", "x"], "is_ethnic_minority": [np.nan, True, False, None],
                          "region": ["", None, np.nan, "centre"]})
    reports = by_grouping(audit(frame, np.array([True, False, True, False])))
    gender = groups(reports["gender"])
    assert set(gender) == {"male", "unknown", "other", "x"}
    assert gender["other"]["label"] == "Khác" and gender["x"]["label"] == "x"  # an unlisted value, as it is
    assert groups(reports["is_ethnic_minority"])["unknown"]["considered"] == 2
    region = groups(reports["region"])
    assert region["unknown"]["considered"] == 3 and region["centre"]["label"] == "Miền Trung, Tây Nguyên"
    assert all(row["flag"] in ("", "too_small") for report in reports.values() for row in report["groups"])


def test_an_empty_ranking(db) -> None:  # type: ignore[no-untyped-def]
    frame = pd.DataFrame({"gender": [], "is_ethnic_minority": [], "region": []})
    reports = audit(frame, np.zeros(0, dtype=bool))
    assert [r["grouping"] for r in reports] == ["gender", "is_ethnic_minority", "region"]
    assert all(r["groups"] == [] and r["warning"] for r in reports)


def test_the_report_of_a_stored_run(org_tree) -> None:  # type: ignore[no-untyped-def]
    """The run's rows in rank order, cut at ``top``: counts add up to the run and to the cut."""
    for index in range(8):
        candidate = make_candidate(org_tree.faculty, full_name=f"Sinh Viên {'ABCDEFGH'[index]}",
                                   gender="female" if index % 2 else "male", date_of_birth=dt.date(2003, 1, 1),
                                   province_code=79 if index < 5 else 1)
        talent.education_record_add(candidate=candidate, actor=None, level="university", start_year=2022,
                                    institution_name="ĐH", gpa=Decimal("2.5") + Decimal("0.2") * index)
    version = Rubric.objects.get(slug="university-student").active_version
    run = services.score_run_execute(version=version, cohort=services.Cohort("all"))
    frame = fairness_frame(run)
    assert list(frame["rank"]) == list(range(1, 9))
    reports = by_grouping(fairness_report(run, top=3))
    gender = groups(reports["gender"])
    # GPA rises with the index: the top 3 are indexes 7 (female), 6 (male), 5 (female).
    assert (gender["female"]["considered"], gender["female"]["selected"]) == (4, 2)
    assert (gender["male"]["considered"], gender["male"]["selected"]) == (4, 1)
    region = groups(reports["region"])
    assert (region["north"]["selected"], region["south"]["selected"]) == (3, 0)
    assert all(row["flag"] == "too_small" for row in reports["gender"]["groups"])
    assert reports["gender"]["warning"]  # three selected: too few to judge
