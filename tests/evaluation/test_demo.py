"""The evaluation demo a new user meets after ``make run``: last year's yearly cycle closed and ready to
finalize, this month's cycle open with quantified tasks and some sheets in."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluation import selectors
from evaluation.models import EvaluationCycle, EvaluationTask
from talent.models import AnnualRating

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_cycle_to_finalize_and_one_open(db) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("seed_demo", "--candidates", "600", "--seed", "7", "--yes-demo", stdout=out)
    assert "Đánh giá cán bộ" in out.getvalue()
    today = timezone.localdate()
    yearly = EvaluationCycle.objects.get(kind="yearly", period=str(today.year - 1))
    assert yearly.status == "closed"
    rows = selectors.results(yearly)
    assert rows and all(r["total"] is not None for r in rows)
    assert {r["rating"] for r in rows} & {"excellent", "good"}
    monthly = EvaluationCycle.objects.get(kind="monthly", period=f"{today:%Y-%m}")
    assert monthly.status == "open"
    assert set(EvaluationTask.objects.filter(cycle=monthly).values_list("status", flat=True)) >= {"done", "late"}
    completion = selectors.completion(monthly)
    assert 0 < completion["submitted"] < completion["assigned"]
    # Nothing is finalized by the demo: the ratings stay the scoring demo's until the user finalizes.
    before = AnnualRating.objects.count()
    from django.contrib.auth import get_user_model

    from evaluation import services

    services.cycle_finalize(actor=get_user_model().objects.get(username="personnel"), cycle=yearly)
    assert AnnualRating.objects.filter(year=today.year - 1).count() >= len(rows) and AnnualRating.objects.count() >= before
