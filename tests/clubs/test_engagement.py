"""Engagement as a scoring feature: points per attended event by kind, halved every 365 days, read from
check-ins (no-shows earn nothing), and loaded with the other features by ``scoring.features``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from django.utils import timezone

from clubs import engagement, services
from clubs.models import Event, Registration
from scoring import features
from scoring.features import load_features
from talent.models import Candidate, Role
from tests.factories import make_candidate, make_user

TODAY = dt.date(2026, 11, 20)
MIDNIGHT = dt.datetime.combine(TODAY, dt.time(), dt.timezone.utc)


@pytest.fixture
def person(org_tree):  # type: ignore[no-untyped-def]
    """person("name") → (user, candidate) linked to each other."""
    names = iter(("Lê Văn An", "Trần Thị Bình", "Phạm Minh Chi", "Võ Hoàng Dũng", "Đỗ Thu Em"))

    def _make(username: str) -> tuple[Any, Candidate]:
        user = make_user(Role.STUDENT, org_tree.faculty, username=username)
        return user, make_candidate(org_tree.faculty, full_name=next(names), user=user)

    return _make


def attend(officer: Any, kind: str, starts_at: dt.datetime, *users: Any, show: bool = True) -> Event:
    """An event of ``kind`` at ``starts_at`` that ``users`` registered for (before it) and, if ``show``,
    were checked in at by the organizer."""
    event = services.event_create(actor=officer, title=f"{kind} {starts_at:%Y-%m-%d}", kind=kind, starts_at=starts_at,
                                  ends_at=starts_at + dt.timedelta(hours=3), capacity=50)
    for user in users:
        registration = services.event_register(event=event, user=user, now=starts_at - dt.timedelta(days=3))
        if show:
            services.check_in_ticket(event=event, code=registration.code, actor=officer, now=starts_at)
    return event


def test_every_event_kind_has_its_points() -> None:
    assert set(engagement.POINTS) == set(Event.Kind.values)
    assert engagement.POINTS["dialogue"] == 3.0 and engagement.POINTS["seminar"] == 2.0
    assert engagement.HALF_LIFE_DAYS == 365.0


def test_points_per_kind_for_events_attended_today(officer, person) -> None:
    user, candidate = person("an")
    for kind in Event.Kind.values:
        attend(officer, kind, MIDNIGHT, user)
    points = engagement.engagement_points(pd.Index([candidate.pk]), today=TODAY)
    assert points[candidate.pk] == pytest.approx(sum(engagement.POINTS.values()))  # 3+2+3+2+3+3+2 = 18
    assert points[candidate.pk] == pytest.approx(18.0)


def test_decay_halves_the_points_every_365_days(officer, person) -> None:
    user, candidate = person("an")
    attend(officer, Event.Kind.DIALOGUE, MIDNIGHT - dt.timedelta(days=365), user)        # 3 × 0.5   = 1.5
    attend(officer, Event.Kind.SEMINAR, MIDNIGHT - dt.timedelta(days=730), user)         # 2 × 0.25  = 0.5
    attend(officer, Event.Kind.TRAINING, MIDNIGHT - dt.timedelta(days=73), user)         # 3 × 0.5^0.2
    attend(officer, Event.Kind.EXCHANGE, MIDNIGHT + dt.timedelta(days=2), user)          # future: not decayed, 2
    ids = pd.Index([candidate.pk])
    expected = 1.5 + 0.5 + 3 * 0.5 ** 0.2 + 2.0  # 0.5^0.2 = 0.870551 → 2.611652; total 6.611652
    assert engagement.engagement_points(ids, today=TODAY)[candidate.pk] == pytest.approx(expected, abs=1e-4)
    assert engagement.engagement_points(ids, today=TODAY)[candidate.pk] == pytest.approx(6.6117, abs=1e-4)
    # The lifetime total keeps every point: 3 + 2 + 3 + 2.
    assert engagement.engagement_points(ids, today=TODAY, decay=False)[candidate.pk] == pytest.approx(10.0)
    # A year later everything has halved once more (the future event too, now 363 days old).
    a_year_on = engagement.engagement_points(ids, today=TODAY + dt.timedelta(days=365))[candidate.pk]
    assert a_year_on == pytest.approx(0.75 + 0.25 + 1.5 * 0.5 ** 0.2 + 2 * 0.5 ** (363 / 365), abs=1e-4)


def test_no_shows_and_the_waitlist_earn_nothing(officer, person) -> None:
    shows, shown = person("an")
    noshow, absent = person("binh")
    waiting, waited = person("chi")
    _, never = person("dung")
    event = attend(officer, Event.Kind.DIALOGUE, MIDNIGHT, noshow, show=False)
    services.check_in_ticket(event=event, code=services.event_register(
        event=event, user=shows, now=MIDNIGHT - dt.timedelta(days=1)).code, actor=officer, now=MIDNIGHT)
    event.capacity = 2
    event.save()
    assert services.event_register(event=event, user=waiting, now=MIDNIGHT - dt.timedelta(hours=1)).status == \
        Registration.Status.WAITLISTED
    ids = pd.Index([shown.pk, absent.pk, waited.pk, never.pk])
    points = engagement.engagement_points(ids, today=TODAY)
    assert points.to_dict() == {shown.pk: 3.0, absent.pk: 0.0, waited.pk: 0.0, never.pk: 0.0}
    # Nobody attended anything: zeros, not missing values.
    assert engagement.engagement_points(pd.Index([absent.pk, never.pk]), today=TODAY).tolist() == [0.0, 0.0]


def test_the_scoring_feature_is_loaded_from_attendance(officer, person, org_tree) -> None:
    assert features.PROVIDERS["engagement_points"] is engagement.provider
    an, a = person("an")
    binh, b = person("binh")
    _, c = person("chi")  # attended nothing
    outsider = make_candidate(org_tree.school_a, full_name="Hồ Thị Giang")  # no account at all
    now = timezone.now()
    attend(officer, Event.Kind.DIALOGUE, now - dt.timedelta(days=365), an)                # ≈ 1.5
    attend(officer, Event.Kind.SEMINAR, now - dt.timedelta(days=1), an, binh)              # ≈ 2 each
    attend(officer, Event.Kind.VOLUNTEERING, now - dt.timedelta(days=30), binh, show=False)  # no-show

    frame = load_features(Candidate.objects.filter(pk__in=[a.pk, b.pk, c.pk, outsider.pk]))
    values = frame["engagement_points"]
    assert values[a.pk] == pytest.approx(1.5 + 2 * 0.5 ** (1 / 365), abs=1e-3)
    assert values[b.pk] == pytest.approx(2 * 0.5 ** (1 / 365), abs=1e-3)
    assert values[c.pk] == 0.0 and values[outsider.pk] == 0.0
    assert not values.isna().any()
    # Only the queryset's candidates are loaded.
    assert list(load_features(Candidate.objects.filter(pk=b.pk))["engagement_points"].index) == [b.pk]
