"""The training demo: two courses of this year with people in planning sent (none completed, so the
plans are short of their training target), attraction payments and a budget that counts them."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from training import selectors
from training.models import AttractionPayment, Course, Enrolment

pytestmark = pytest.mark.django_db


def test_the_demo_has_courses_payments_and_a_budget(db) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("seed_demo", "--candidates", "600", "--seed", "7", "--yes-demo", stdout=out)
    assert "Đào tạo, bồi dưỡng" in out.getvalue()
    year = timezone.localdate().year
    assert Course.objects.filter(starts_on__year=year).count() == 2
    assert Enrolment.objects.filter(status="attended").exists() and not Enrolment.objects.filter(status="completed").exists()
    assert AttractionPayment.objects.filter(kept=False).exclude(kept_note="").exists()
    personnel = get_user_model().objects.get(username="personnel")
    budget = selectors.budgets(personnel, year)[0]
    assert budget["courses"] > 0 and budget["payments"] > 0 and budget["spent"] == budget["courses"] + budget["payments"]
    from succession.demo import TERM

    data = selectors.compliance(personnel, TERM, year)
    assert data["totals"]["trained_share"] is not None and data["totals"]["trained_share"] < 1
