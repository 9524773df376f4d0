"""The periodic-work registry behind ``manage.py event_tasks``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from core import periodic


@pytest.fixture
def registry(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(periodic, "_tasks", {})
    return periodic


def test_every_installed_app_registers_its_periodic_work() -> None:
    names = periodic.periodic_tasks()
    assert names.index("clubs.events") < names.index("openings.targets")


def test_tasks_run_in_order_and_one_failure_does_not_stop_the_others(registry) -> None:  # type: ignore[no-untyped-def]
    ran: list[str] = []

    def broken() -> list[str]:
        ran.append("broken")
        raise RuntimeError("boom")

    registry.register_periodic("late", lambda: ran.append("late") or ["muộn"], order=90)
    registry.register_periodic("broken", broken, order=50)
    registry.register_periodic("early", lambda: ran.append("early") or ["sớm"], order=1)
    lines = registry.run_periodic()
    assert ran == ["early", "broken", "late"]
    assert lines[0] == "sớm" and lines[-1] == "muộn"
    assert "broken" in lines[1]


@pytest.mark.django_db
def test_every_repeats_the_tasks_until_stopped(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``serve`` runs ``event_tasks --every 300`` beside the worker: one pass, a pause, another pass."""
    from core.management.commands import event_tasks

    runs: list[int] = []
    pauses: list[float] = []

    class Stop(Exception):
        pass

    def fake_run() -> list[str]:
        runs.append(1)
        return [f"lượt {len(runs)}"]

    def fake_sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 2:
            raise Stop

    monkeypatch.setattr(event_tasks, "run_periodic", fake_run)
    monkeypatch.setattr(event_tasks.time, "sleep", fake_sleep)
    # Between passes the real loop drops stale connections; here that would close the test's own.
    monkeypatch.setattr(event_tasks, "close_old_connections", lambda: None)
    out = io.StringIO()
    with pytest.raises(Stop):
        call_command("event_tasks", "--every", "300", stdout=out)
    assert len(runs) == 2 and pauses == [300, 300]
    assert "lượt 1" in out.getvalue() and "lượt 2" in out.getvalue()
