"""Work that runs every few minutes, contributed by each app (``manage.py event_tasks`` runs them all).

An app registers a function from its ``AppConfig.ready``; the function takes no arguments, does its
work in its own transactions and returns the lines to print. Every function must be safe to repeat:
the command runs every few minutes, and ``serve`` runs it in a loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

PeriodicTask = Callable[[], list[str]]


@dataclass(frozen=True)
class _Entry:
    name: str
    run: PeriodicTask
    order: int


_tasks: dict[str, _Entry] = {}


def register_periodic(name: str, run: PeriodicTask, *, order: int = 100) -> None:
    """Add (or replace) the task ``name``; lower ``order`` runs first."""
    _tasks[name] = _Entry(name, run, order)


def periodic_tasks() -> list[str]:
    return [entry.name for entry in sorted(_tasks.values(), key=lambda e: (e.order, e.name))]


def run_periodic() -> list[str]:
    """Run every registered task in order. One task failing is logged and reported; the others run."""
    lines: list[str] = []
    for entry in sorted(_tasks.values(), key=lambda e: (e.order, e.name)):
        try:
            lines.extend(entry.run())
        except Exception:
            logger.exception("Periodic task %s failed", entry.name)
            lines.append(f"Lỗi khi chạy việc định kỳ «{entry.name}» (xem nhật ký máy chủ).")
    return lines
