"""Evaluating eligibility rule sets against a feature frame: pure, explains every condition."""

from __future__ import annotations

from typing import Any, TypedDict

import numpy as np
import pandas as pd

from scoring.engine import OPERATORS, Filter, RubricError
from scoring.features import FEATURE_BY_KEY

MODES = ("all", "any")


class ConditionResult(TypedDict):
    label: str
    feature: str
    op: str
    value: Any
    actual: Any
    passed: bool


class RuleResult(TypedDict):
    key: str
    label: str
    source: str
    mode: str
    passed: bool
    conditions: list[ConditionResult]


def validate_rules(rules: Any) -> list[dict[str, Any]]:
    """The rules as stored, or a RubricError saying what is wrong (in Vietnamese)."""
    if not isinstance(rules, list) or not rules:
        raise RubricError("Bộ điều kiện cần ít nhất một quy tắc (một danh sách JSON).")
    keys = set()
    for index, rule in enumerate(rules, start=1):
        where = f"Quy tắc {index}"
        if not isinstance(rule, dict) or not rule.get("key") or not rule.get("label"):
            raise RubricError(f"{where}: cần «key» và «label».")
        if rule["key"] in keys:
            raise RubricError(f"{where}: mã «{rule['key']}» bị trùng.")
        keys.add(rule["key"])
        if rule.get("mode", "all") not in MODES:
            raise RubricError(f"{where}: «mode» phải là all hoặc any.")
        conditions = rule.get("conditions")
        if not isinstance(conditions, list) or not conditions:
            raise RubricError(f"{where}: cần ít nhất một điều kiện.")
        for condition in conditions:
            if not isinstance(condition, dict) or condition.get("feature") not in FEATURE_BY_KEY:
                raise RubricError(f"{where}: đặc trưng «{(condition or {}).get('feature')}» không tồn tại.")
            if condition.get("op") not in OPERATORS or "value" not in condition:
                raise RubricError(f"{where}: phép so sánh phải là một trong {', '.join(OPERATORS)} và có «value».")
    return rules


def evaluate(rules: list[dict[str, Any]], frame: pd.DataFrame) -> dict[int, list[RuleResult]]:
    """Per candidate id in ``frame``: each rule's outcome and each condition's actual value."""
    outcomes: dict[int, list[RuleResult]] = {int(cid): [] for cid in frame.index}
    for rule in rules:
        mode = rule.get("mode", "all")
        masks = []
        for condition in rule["conditions"]:
            check = Filter(feature=condition["feature"], op=condition["op"], value=condition["value"],
                           label=condition.get("label", ""))
            masks.append(check.mask(frame[condition["feature"]]))
        combined = np.logical_and.reduce(masks) if mode == "all" else np.logical_or.reduce(masks)
        for row, cid in enumerate(frame.index):
            details: list[ConditionResult] = []
            for condition, mask in zip(rule["conditions"], masks):
                actual = frame.at[cid, condition["feature"]]
                details.append({"label": condition.get("label") or condition["feature"],
                                "feature": condition["feature"], "op": condition["op"],
                                "value": condition["value"], "actual": None if pd.isna(actual) else actual,
                                "passed": bool(mask[row])})
            outcomes[int(cid)].append({"key": rule["key"], "label": rule["label"], "source": rule.get("source", ""),
                                       "mode": mode, "passed": bool(combined[row]), "conditions": details})
    return outcomes


def passes(results: list[RuleResult]) -> bool:
    return all(result["passed"] for result in results)
