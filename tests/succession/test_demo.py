"""The succession demo a new user meets after ``make run``: positions over three levels, careers with
some cadres 8+ years in a post, plans for 2025-2030 whose members meet their standards, readiness of
every kind, positions without anyone ready, and a removed member with a reason."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from succession import standards
from succession.demo import TERM
from succession.models import PlanMember, Position, PositionHeld, SuccessionPlan
from succession.selectors import structure
from succession.standards import active_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("seed_demo", "--candidates", "600", "--seed", "7", "--yes-demo", stdout=out)
    return out.getvalue()


def test_the_demo_city_has_plans_worth_looking_at(seeded) -> None:  # type: ignore[no-untyped-def]
    assert "Quy hoạch:" in seeded
    assert Position.objects.count() >= 40
    assert set(Position.objects.values_list("level", flat=True)) >= {"province", "youth_union", "department"}
    plans = list(SuccessionPlan.objects.filter(term=TERM).select_related("position"))
    assert 0.75 * Position.objects.count() <= len(plans) < Position.objects.count()
    today = timezone.localdate()
    eight_years_ago = today.replace(year=today.year - 8)
    assert PositionHeld.objects.filter(ended_on__isnull=True, started_on__lte=eight_years_ago).exists()
    live = PlanMember.objects.exclude(status="removed")
    assert set(live.values_list("readiness", flat=True)) == {"ready_now", "1_2_years", "3_plus_years"}
    assert live.filter(status="approved").exclude(decision_number="").exists()
    assert PlanMember.objects.filter(status="removed", removal_reason="transferred").exists() or live.count() < 10
    shapes = [structure(plan, today=today) for plan in plans]
    assert any(s["ready_now_count"] == 0 for s in shapes) and any(s["ready_now_count"] > 0 for s in shapes)
    # Everyone proposed met the position's standards on the day (no exception in the demo).
    for member in live.select_related("plan__position", "candidate")[:50]:
        rules = active_standard(member.plan.position.level).rules
        assert not standards.failures(rules, standards.facts_of(member.candidate, today), first_planning=False)
        assert member.exception_reason == ""
    assert all(h.ended_on is None or h.ended_on >= h.started_on for h in PositionHeld.objects.all()[:500])
    assert dt.date(2025, 1, 1) <= live.filter(status="approved").first().decision_date <= dt.date(2025, 12, 31)


def test_the_demo_has_incumbents_a_review_a_nine_box_and_rotations(seeded) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from succession import forecast, selectors
    from succession.models import Calibration, PlanReview, RotationPlan

    today = timezone.localdate()
    admin = get_user_model().objects.get(username="personnel")
    assert PositionHeld.objects.filter(position__isnull=False, ended_on__isnull=True).count() >= 40
    vacancies = forecast.vacancies(admin, TERM)
    assert any(v["reason"] == "retirement" for v in vacancies) and any(v["reason"] == "vacant" for v in vacancies)
    assert any(not v["covered"] for v in vacancies)
    overview = selectors.review_overview(admin, today.year)
    assert overview["totals"]["signed"] > 0 and overview["totals"]["open"] > 0
    signed = PlanReview.objects.filter(year=today.year, status="signed").exclude(snapshot={}).first()
    assert signed is not None and "changes" in signed.snapshot
    assert Calibration.objects.filter(status="closed").exclude(snapshot=[]).exists()
    assert RotationPlan.objects.filter(status="started").exists() and RotationPlan.objects.filter(status="planned").exists()
    bench = selectors.bench(admin, TERM)
    assert bench["totals"]["below_targets"] > 0  # some plans short of the women/young targets
    assert "đã ký duyệt" in seeded
