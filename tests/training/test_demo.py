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
    # The leadership course's people were sent from the committee's ranked list, in its order.
    from training.models import Nomination

    nomination = Nomination.objects.get(course__kind="leadership")
    sent = set(Enrolment.objects.filter(course=nomination.course).values_list("candidate_id", flat=True))
    ranked = [r["candidate"] for r in nomination.rows]
    assert sent and set(ranked[: len(sent)]) == sent
    # The city shows both training targets short, with who is missing.
    from openings import targets
    from openings.models import Target

    for metric in ("share_leadership_trained", "share_theory_standard"):
        target = Target.objects.adopted().get(metric=metric)
        value = targets.compute(target)
        assert value["population"] > 0, metric
    trained = Target.objects.adopted().get(metric="share_leadership_trained")
    assert targets.compute(trained)["met"] is False and targets.missing(trained, personnel, timezone.localdate())["count"] > 0
