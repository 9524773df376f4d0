"""Helpers shared by the scoring pages: roles, blind mode, numbers for drawings, rubric criteria in words."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from scoring.features import FEATURE_BY_KEY
from scoring.forms import DIRECTION_LABELS, MISSING_LABELS, NORMALIZATION_LABELS, OPERATOR_LABELS
from scoring.selectors import display_value
from talent.models import Role, user_role
from talent.permissions import MANAGING_ROLES

STAFF = MANAGING_ROLES  # admin, officer, liaison
EDITORS = frozenset({Role.ADMIN, Role.OFFICER})
BLIND_SESSION_KEY = "scoring_blind"
PAGE_SIZE = 25
DEFAULT_CUT = 20
PREVIEW_TOP = 20
TONES = 8  # colour classes of criteria in the bars (app.css .tone-0 … .tone-7)


def _role(request: HttpRequest) -> str | None:
    return user_role(request.user)


def _require(request: HttpRequest, roles: frozenset[str] | set[str], message: str) -> None:
    if _role(request) not in roles:
        raise PermissionDenied(message)


def _num(value: float) -> str:
    """A number for an SVG attribute: never localized (a decimal comma would break the drawing)."""
    return f"{float(value):.4f}"


def blind_mode(request: HttpRequest) -> bool:
    """``?blind=1`` / ``?blind=0`` switch blind mode; the choice is remembered for the session."""
    raw = request.GET.get("blind")
    if raw in ("0", "1"):
        request.session[BLIND_SESSION_KEY] = raw == "1"
    return bool(request.session.get(BLIND_SESSION_KEY, False))


def _criterion_words(criterion: dict[str, Any]) -> dict[str, Any]:
    """One criterion of a rubric version, in words for the tables."""
    feature = FEATURE_BY_KEY.get(criterion.get("feature", ""))
    normalization = criterion.get("normalization", "minmax")
    words = str(NORMALIZATION_LABELS.get(normalization, normalization))
    if normalization == "fixed":
        words = f"{words} {display_value(criterion.get('scale_min'))}–{display_value(criterion.get('scale_max'))}"
    return {
        "key": criterion.get("key", ""),
        "label": criterion.get("label") or criterion.get("key", ""),
        "feature": criterion.get("feature", ""),
        "feature_label": feature.label if feature else criterion.get("feature", ""),
        "feature_help": feature.help if feature else "",
        "weight": float(criterion.get("weight") or 0),
        "normalization": words,
        "direction": DIRECTION_LABELS.get(criterion.get("direction", "higher"), criterion.get("direction")),
        "missing": MISSING_LABELS.get(criterion.get("missing", ""), criterion.get("missing", "")),
        "cap": criterion.get("cap"),
        "rationale": criterion.get("rationale", ""),
    }


def _condition_words(condition: dict[str, Any]) -> dict[str, Any]:
    feature = FEATURE_BY_KEY.get(condition.get("feature", ""))
    return {
        "label": condition.get("label") or "",
        "feature_label": feature.label if feature else condition.get("feature", ""),
        "op": condition.get("op", ""),
        "op_words": OPERATOR_LABELS.get(condition.get("op", ""), condition.get("op", "")),
        "value": display_value((condition.get("value"))),
    }
