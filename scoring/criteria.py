"""The language of a rubric: its criteria and filters, the policies they may name, and the error a bad
rubric raises. Shared by the engine (``scoring.engine``) and its parts; pure."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
