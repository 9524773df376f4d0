"""Demo seeding, one part per app, in an order the parts declare (``manage.py seed_demo`` runs them).

Each app registers a seeder from its ``AppConfig.ready``: a name, the names it must run after, and a
function that receives the ``SeedContext``. A seeder writes only its own app's rows; what later
seeders need from earlier ones (the people generated, the saved candidates, the demo accounts)
travels in ``context.shared``. Every seeder prints its summary lines to ``context.stdout``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any


@dataclass
class SeedContext:
    seed: int
    candidates: int
    create_accounts: bool = True
    stdout: IO[str] | None = None
    # What earlier seeders leave for later ones, by key (documented by the seeder that sets it).
    shared: dict[str, Any] = field(default_factory=dict)

    def write(self, line: str) -> None:
        if self.stdout is not None:
            self.stdout.write(line.rstrip("\n") + "\n")


@dataclass(frozen=True)
class Seeder:
    name: str
    run: Callable[[SeedContext], None]
    after: tuple[str, ...] = ()


_seeders: dict[str, Seeder] = {}


def register_seeder(seeder: Seeder) -> None:
    _seeders[seeder.name] = seeder


def ordered_seeders() -> list[Seeder]:
    """Every registered seeder after those it names (which must be registered); registration order
    breaks ties. A cycle or an unknown name is a programming error and raises ValueError."""
    order: list[Seeder] = []
    state: dict[str, str] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ValueError("demo seeders depend on each other in a circle: " + " → ".join((*path, name)))
        if name not in _seeders:
            raise ValueError(f"demo seeder {path[-1] if path else '?'!r} runs after unknown seeder {name!r}")
        state[name] = "visiting"
        for before in _seeders[name].after:
            visit(before, (*path, name))
        state[name] = "done"
        order.append(_seeders[name])

    for name in list(_seeders):
        visit(name, ())
    return order


def run_seeders(context: SeedContext) -> SeedContext:
    for seeder in ordered_seeders():
        seeder.run(context)
    return context
