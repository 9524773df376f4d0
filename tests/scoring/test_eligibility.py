"""Eligibility rule sets: the shipped defaults on hand-built people (who passes, who fails, which
condition and on what actual value), the any/all modes, and validation of edited rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from scoring.defaults import RULE_SETS
from scoring.eligibility import evaluate, passes, validate_rules
from scoring.engine import RubricError
from scoring.features import load_features
from scoring.models import EligibilityRuleSet
from scoring.selectors import candidate_eligibility
from talent import services as talent
from talent.models import Candidate
from tests.factories import make_candidate

TODAY = dt.date(2025, 6, 1)


def rules_of(slug: str) -> list[dict[str, Any]]:
    return EligibilityRuleSet.objects.get(slug=slug).rules


def results_for(candidate: Candidate, slug: str) -> dict[str, Any]:
    frame = load_features(Candidate.objects.filter(pk=candidate.pk), today=TODAY, with_potential=False)
    return {rule["key"]: rule for rule in evaluate(rules_of(slug), frame)[candidate.pk]}


def conditions(rule: dict[str, Any]) -> dict[str, tuple[bool, Any]]:
    return {c["label"]: (c["passed"], c["actual"]) for c in rule["conditions"]}


def graduate(org: Any, name: str, *, born: dt.date, gpa: str | None, conduct: int | None,
             prizes: list[tuple[str, str, str, int]]) -> Candidate:
    candidate = make_candidate(org, full_name=name, date_of_birth=born)
    talent.education_record_add(candidate=candidate, actor=None, level="university", start_year=2021,
                                institution_name="ĐH Bách khoa", gpa=Decimal(gpa) if gpa else None,
                                conduct_score=conduct)
    for category, level, award_rank, year in prizes:
        talent.achievement_add(candidate=candidate, actor=None, category=category, level=level,
                               award_rank=award_rank, year=year, title=f"{category} {level}", verified=True)
    return candidate


def test_the_installed_rule_sets_are_the_shipped_defaults(db) -> None:  # type: ignore[no-untyped-def]
    for spec in RULE_SETS:
        stored = EligibilityRuleSet.objects.get(slug=spec["slug"])
        assert stored.rules == spec["rules"] and stored.source == spec["source"]
        assert validate_rules(stored.rules) == stored.rules
    assert "Luật Thanh niên 2020" in EligibilityRuleSet.objects.get(slug="youth-age").source
    assert EligibilityRuleSet.objects.get(slug="excellent-graduate").caution  # "verify against the decree in force"


class TestYouthAge:
    @pytest.mark.parametrize(("born", "age"), [(dt.date(2009, 6, 1), 16), (dt.date(2004, 1, 1), 21),
                                               (dt.date(1994, 6, 2), 30)])
    def test_within_16_to_30_passes(self, org_tree, born: dt.date, age: int) -> None:  # type: ignore[no-untyped-def]
        person = make_candidate(org_tree.ward_a, full_name="Nguyễn Văn An", date_of_birth=born)
        rule = results_for(person, "youth-age")["youth_age"]
        assert rule["passed"] is True and rule["mode"] == "all"
        assert conditions(rule) == {"Từ đủ 16 tuổi": (True, age), "Không quá 30 tuổi": (True, age)}
        assert "Luật Thanh niên 2020" in rule["source"]

    @pytest.mark.parametrize(("born", "age", "failing"), [(dt.date(1994, 6, 1), 31, "Không quá 30 tuổi"),
                                                          (dt.date(2009, 6, 2), 15, "Từ đủ 16 tuổi")])
    def test_outside_fails_on_the_condition_with_the_actual_age(self, org_tree, born: dt.date, age: int,  # type: ignore[no-untyped-def]
                                                               failing: str) -> None:
        person = make_candidate(org_tree.ward_a, full_name="Trần Văn Bình", date_of_birth=born)
        rule = results_for(person, "youth-age")["youth_age"]
        assert rule["passed"] is False
        results = conditions(rule)
        assert results[failing] == (False, age)
        assert [label for label, (ok, _) in results.items() if not ok] == [failing]


class TestExcellentGraduate:
    def test_an_excellent_graduate_passes_every_rule(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        person = graduate(org_tree.faculty, "Lê Thị Cúc", born=dt.date(2002, 3, 3), gpa="3.82", conduct=95,
                          prizes=[("olympiad", "national", "third", 2023)])
        results = results_for(person, "excellent-graduate")
        assert all(rule["passed"] for rule in results.values()) and passes(list(results.values()))
        assert conditions(results["degree"]) == {"Xếp loại xuất sắc": (True, 4.0)}
        assert conditions(results["conduct"]) == {"Điểm rèn luyện từ 90": (True, 95.0)}
        prize = conditions(results["prize"])
        assert prize["Giải quốc gia hoặc quốc tế"] == (True, 1.0)
        assert prize["Giải Olympic sinh viên"] == (True, 1.0)  # won in 2023, at university since 2021
        assert prize["Giải Ba cấp tỉnh trở lên"] == (False, 0.0)

    def test_one_prize_of_any_listed_kind_is_enough(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        person = graduate(org_tree.faculty, "Phạm Văn Dũng", born=dt.date(2002, 3, 3), gpa="3.7", conduct=92,
                          prizes=[("competition", "province", "third", 2019)])
        prize = results_for(person, "excellent-graduate")["prize"]
        assert prize["mode"] == "any" and prize["passed"] is True
        assert [c["label"] for c in prize["conditions"] if c["passed"]] == ["Giải Ba cấp tỉnh trở lên"]

    def test_failures_name_the_condition_and_the_actual_value(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        person = graduate(org_tree.faculty, "Võ Văn Em", born=dt.date(1993, 1, 1), gpa="3.4", conduct=85,
                          prizes=[("competition", "school", "first", 2022), ("award", "national", "", 2023)])
        results = results_for(person, "excellent-graduate")
        assert not passes(list(results.values()))
        assert conditions(results["degree"]) == {"Xếp loại xuất sắc": (False, 3.0)}  # giỏi, not xuất sắc
        assert conditions(results["conduct"]) == {"Điểm rèn luyện từ 90": (False, 85.0)}
        assert results["youth_age"]["passed"] is False
        assert conditions(results["youth_age"])["Không quá 30 tuổi"] == (False, 32)
        # A school prize and an unplaced national award are not among the listed prizes.
        prize = results["prize"]
        assert prize["passed"] is False
        assert {c["actual"] for c in prize["conditions"]} == {0.0}

    def test_a_missing_value_fails_and_is_reported_as_missing(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        person = graduate(org_tree.faculty, "Mai Thị Giang", born=dt.date(2002, 3, 3), gpa=None, conduct=None,
                          prizes=[])
        results = results_for(person, "excellent-graduate")
        assert conditions(results["degree"]) == {"Xếp loại xuất sắc": (False, None)}
        assert conditions(results["conduct"]) == {"Điểm rèn luyện từ 90": (False, None)}

    def test_the_candidate_page_reads_every_rule_set(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        person = graduate(org_tree.faculty, "Đỗ Văn Hải", born=dt.date(2002, 3, 3), gpa="3.9", conduct=96,
                          prizes=[("research", "national", "second", 2024)])
        evaluated = candidate_eligibility(person)
        assert [rule_set.slug for rule_set, _ in evaluated] == ["excellent-graduate", "youth-age"]
        assert all(passes(results) for _, results in evaluated)


def test_evaluate_on_a_frame() -> None:
    frame = pd.DataFrame({"age": [20.0, np.nan, 40.0], "prize_national": [0.0, 2.0, 1.0]},
                         index=pd.Index([7, 8, 9], name="candidate_id"))
    rules = [{"key": "young", "label": "Trẻ", "conditions": [{"feature": "age", "op": "<", "value": 30}]},
             {"key": "any", "label": "Một trong hai", "mode": "any",
              "conditions": [{"feature": "age", "op": ">=", "value": 35, "label": "Từ 35"},
                             {"feature": "prize_national", "op": "in", "value": [2, 3], "label": "Hai, ba giải"}]}]
    outcome = evaluate(rules, frame)
    assert [[r["passed"] for r in outcome[cid]] for cid in (7, 8, 9)] == [[True, False], [False, True],
                                                                          [False, True]]
    assert outcome[8][0]["conditions"][0] == {"label": "age", "feature": "age", "op": "<", "value": 30,
                                              "actual": None, "passed": False}
    assert outcome[7][0]["mode"] == "all" and outcome[7][0]["source"] == ""


GOOD_CONDITION = {"feature": "age", "op": ">=", "value": 16}


@pytest.mark.parametrize(("rules", "message"), [
    ({"key": "a"}, "danh sách"),
    ([], "ít nhất một quy tắc"),
    ([{"label": "A", "conditions": [GOOD_CONDITION]}], "cần «key» và «label»"),
    (["age >= 16"], "cần «key» và «label»"),
    ([{"key": "a", "label": "A", "conditions": [GOOD_CONDITION]},
      {"key": "a", "label": "B", "conditions": [GOOD_CONDITION]}], "bị trùng"),
    ([{"key": "a", "label": "A", "mode": "some", "conditions": [GOOD_CONDITION]}], "all hoặc any"),
    ([{"key": "a", "label": "A", "conditions": []}], "ít nhất một điều kiện"),
    ([{"key": "a", "label": "A"}], "ít nhất một điều kiện"),
    ([{"key": "a", "label": "A", "conditions": [{"feature": "height", "op": ">=", "value": 1}]}], "«height»"),
    ([{"key": "a", "label": "A", "conditions": [{"feature": "age", "op": "≥", "value": 1}]}], "phép so sánh"),
    ([{"key": "a", "label": "A", "conditions": [{"feature": "age", "op": ">="}]}], "«value»"),
])
def test_validate_rules_says_what_is_wrong(rules: Any, message: str) -> None:
    with pytest.raises(RubricError, match=message):
        validate_rules(rules)


def test_validate_rules_accepts_good_rules() -> None:
    rules = [{"key": "a", "label": "A", "source": "Luật", "mode": "any", "conditions": [GOOD_CONDITION]}]
    assert validate_rules(rules) is rules
