"""Seats under real concurrency, on PostgreSQL: many people press "register" at the same instant.

Each thread has its own database connection and its own transaction, and all of them start together
(a barrier), so the last seats are fought over for real: the row lock on the event must make the
count exact. SQLite serializes writers itself and cannot show this, so the module is skipped there.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ytp_h4 .venv/bin/python -m pytest -q tests/clubs/test_concurrency.py
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from clubs import services
from clubs.models import Event, Registration
from talent.models import Role
from tests.factories import make_user

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrent registration needs PostgreSQL (row locks); SQLite serializes writers "
                              "itself — run with DATABASE_URL=postgres://…"),
    pytest.mark.django_db(transaction=True),
]

PEOPLE = 50
SEATS = 10
S = Registration.Status


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run every job in its own thread (its own connection), all released at the same instant.
    Returns each job's result or the exception it raised."""
    barrier = threading.Barrier(len(jobs))

    def runner(job: Callable[[], Any]) -> Any:
        try:
            barrier.wait(timeout=30)
            return job()
        except Exception as exc:  # reported to the test, which fails on it
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(runner, jobs))


def make_event(officer: Any, capacity: int) -> Event:
    starts = timezone.now() + timedelta(days=5)
    return services.event_create(actor=officer, title="Đối thoại lãnh đạo Thành phố với sinh viên",
                                 kind=Event.Kind.DIALOGUE, starts_at=starts, ends_at=starts + timedelta(hours=2),
                                 capacity=capacity)


def positions(event: Event) -> list[int]:
    return list(Registration.objects.filter(event=event, status=S.WAITLISTED).order_by("waitlist_position")
                .values_list("waitlist_position", flat=True))


def test_fifty_people_at_once_for_ten_seats(org_tree, officer) -> None:
    event = make_event(officer, SEATS)
    users = [make_user(Role.STUDENT, org_tree.faculty, username=f"sv{i:02d}") for i in range(PEOPLE)]

    results = run_together([lambda user=user: services.event_register(event=event, user=user) for user in users])

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    regs = Registration.objects.filter(event=event)
    assert regs.count() == PEOPLE
    assert regs.filter(status=S.REGISTERED).count() == SEATS
    assert regs.filter(status=S.WAITLISTED).count() == PEOPLE - SEATS
    assert positions(event) == list(range(1, PEOPLE - SEATS + 1))
    # What each caller was told is what was stored.
    assert sorted(r.status for r in results) == sorted(regs.values_list("status", flat=True))

    first_in_line = regs.get(status=S.WAITLISTED, waitlist_position=1)
    seated = regs.filter(status=S.REGISTERED).first()
    services.registration_cancel(registration=seated, actor=seated.user)
    first_in_line.refresh_from_db()
    assert first_in_line.status == S.REGISTERED and first_in_line.waitlist_position is None
    assert regs.filter(status=S.REGISTERED).count() == SEATS
    assert positions(event) == list(range(1, PEOPLE - SEATS))


def test_cancellations_racing_registrations_never_overfill(org_tree, officer) -> None:
    event = make_event(officer, 5)
    first = [make_user(Role.STUDENT, org_tree.faculty, username=f"a{i:02d}") for i in range(8)]
    regs = [services.event_register(event=event, user=user) for user in first]  # 5 seated, 3 waiting
    newcomers = [make_user(Role.STUDENT, org_tree.faculty, username=f"b{i:02d}") for i in range(20)]
    seated = [r for r in regs if r.status == S.REGISTERED]

    jobs: list[Callable[[], Any]] = [lambda r=r: services.registration_cancel(registration=r, actor=r.user)
                                     for r in seated[:3]]
    jobs += [lambda user=user: services.event_register(event=event, user=user) for user in newcomers]
    # A waiting person also leaves while the others come and go.
    waiting = next(r for r in regs if r.status == S.WAITLISTED)
    jobs.append(lambda: services.registration_cancel(registration=waiting, actor=waiting.user))
    results = run_together(jobs)

    assert [r for r in results if isinstance(r, Exception)] == []
    live = Registration.objects.filter(event=event)
    assert live.filter(status=S.REGISTERED).count() == 5  # full again, never more
    waiting_count = live.filter(status=S.WAITLISTED).count()
    assert waiting_count == 8 + 20 - 3 - 1 - 5
    assert positions(event) == list(range(1, waiting_count + 1))
    # Seats freed went first to those already waiting (arrival order), and nobody seated lost theirs.
    seated_now = set(live.filter(status=S.REGISTERED).values_list("user__username", flat=True))
    assert {r.user.username for r in seated[3:]} <= seated_now
    assert {r.user.username for r in regs if r.status == S.WAITLISTED and r.pk != waiting.pk} <= seated_now
