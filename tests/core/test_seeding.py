"""The demo seeders' registry: each app's part, in the order the parts declare."""

from __future__ import annotations

import io

import pytest

from core import seeding


@pytest.fixture
def registry(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(seeding, "_seeders", {})
    return seeding


def test_seeders_run_after_what_they_name_whatever_the_registration_order(registry) -> None:  # type: ignore[no-untyped-def]
    ran: list[str] = []
    registry.register_seeder(registry.Seeder("clubs", lambda c: ran.append("clubs"), after=("scoring", "talent")))
    registry.register_seeder(registry.Seeder("scoring", lambda c: ran.append("scoring"), after=("talent",)))
    registry.register_seeder(registry.Seeder("talent", lambda c: ran.append("talent")))
    context = registry.run_seeders(registry.SeedContext(seed=1, candidates=10, stdout=io.StringIO()))
    assert ran == ["talent", "scoring", "clubs"]
    assert context.seed == 1


def test_a_circle_or_an_unknown_name_is_refused(registry) -> None:  # type: ignore[no-untyped-def]
    registry.register_seeder(registry.Seeder("a", lambda c: None, after=("b",)))
    registry.register_seeder(registry.Seeder("b", lambda c: None, after=("a",)))
    with pytest.raises(ValueError, match="circle"):
        registry.ordered_seeders()
    registry._seeders.clear()
    registry.register_seeder(registry.Seeder("a", lambda c: None, after=("missing",)))
    with pytest.raises(ValueError, match="unknown"):
        registry.ordered_seeders()


def test_context_writes_lines() -> None:
    out = io.StringIO()
    context = seeding.SeedContext(seed=1, candidates=1, stdout=out)
    context.write("Một dòng")
    context.write("Hai\n")
    assert out.getvalue() == "Một dòng\nHai\n"
