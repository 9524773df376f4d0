"""The fairness audit of a ranking or shortlist cut: pure pandas.

For each grouping (gender, ethnic-minority status, region) and each group: how many were considered,
how many selected (in the top N), the selection rate, and its ratio to the highest group's rate. A
ratio under 0.8 is flagged (the four-fifths rule); a group too small to judge is said to be so rather
than flagged or cleared.
"""

from __future__ import annotations

from typing import Any, TypedDict

import numpy as np
import pandas as pd

FOUR_FIFTHS = 0.8
MIN_GROUP = 20          # fewer people than this in a group: too small to judge
MIN_SELECTED_TOTAL = 5  # fewer selected overall: no ratio means anything

GROUPINGS = {"gender": "Giới tính", "is_ethnic_minority": "Dân tộc thiểu số", "region": "Vùng"}
GROUP_LABELS = {
    "gender": {"male": "Nam", "female": "Nữ", "other": "Khác"},
    "is_ethnic_minority": {True: "Dân tộc thiểu số", False: "Dân tộc Kinh"},
    "region": {"north": "Miền Bắc", "centre": "Miền Trung, Tây Nguyên", "south": "Miền Nam"},
}
UNKNOWN = "Chưa rõ"


class GroupRow(TypedDict):
    group: str
    label: str
    considered: int
    selected: int
    rate: float | None
    ratio: float | None
    flag: str  # "" | "below_four_fifths" | "too_small"


class GroupingReport(TypedDict):
    grouping: str
    label: str
    groups: list[GroupRow]
    warning: str


def _key(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
        return "unknown"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    return str(value)


def audit(frame: pd.DataFrame, selected: pd.Series | np.ndarray) -> list[GroupingReport]:
    """``frame`` holds the group columns for everyone considered; ``selected`` is a boolean per row."""
    chosen = np.asarray(selected, dtype=bool)
    reports: list[GroupingReport] = []
    for column, title in GROUPINGS.items():
        labels = GROUP_LABELS[column]
        keys = frame[column].map(_key) if len(frame) else pd.Series(dtype=object)
        names = {_key(raw): text for raw, text in labels.items()}
        names["unknown"] = UNKNOWN
        table = pd.DataFrame({"group": keys.to_numpy(), "selected": chosen})
        counts = table.groupby("group")["selected"].agg(["size", "sum"]) if len(table) else pd.DataFrame(
            columns=["size", "sum"])
        rows: list[GroupRow] = []
        judged = counts[(counts.index != "unknown") & (counts["size"] >= MIN_GROUP)]
        best = (judged["sum"] / judged["size"]).max() if len(judged) else np.nan
        for group, (size, picked) in counts.iterrows():
            rate = float(picked / size) if size else None
            ratio = float(rate / best) if rate is not None and best and not np.isnan(best) else None
            if group == "unknown":
                flag = ""
            elif size < MIN_GROUP:
                flag = "too_small"
            elif ratio is not None and ratio < FOUR_FIFTHS:
                flag = "below_four_fifths"
            else:
                flag = ""
            rows.append({"group": str(group), "label": names.get(str(group), str(group)), "considered": int(size),
                         "selected": int(picked), "rate": None if rate is None else round(rate, 4),
                         "ratio": None if ratio is None else round(ratio, 4), "flag": flag})
        warning = ""
        if int(chosen.sum()) < MIN_SELECTED_TOTAL:
            warning = f"Chỉ chọn {int(chosen.sum())} người: quá ít để đánh giá tỉ lệ."
        elif len(judged) < 2:
            warning = f"Chưa đủ hai nhóm có từ {MIN_GROUP} người trở lên để so sánh."
        reports.append({"grouping": column, "label": title, "groups": rows, "warning": warning})
    return reports
