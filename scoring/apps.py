from __future__ import annotations

from django.apps import AppConfig


class ScoringConfig(AppConfig):
    """Rubrics, the ranking engine, eligibility rules and the fairness audit (issue 5)."""

    name = "scoring"
