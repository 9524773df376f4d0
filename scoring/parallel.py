"""Threads for large cohorts (pure; the ranking engine's parts share them).

Large cohorts use every core for the per-criterion statistics, pass 1 and the tie-break; each task's
arithmetic is the same as run alone, so threading never changes a number. The tunables are read at
call time (``parallel.WORKERS``), so a test can force the threaded path on a small cohort.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

WORKERS = max(1, min(4, os.cpu_count() or 1))
PARALLEL_FROM = 200_000
_pool: ThreadPoolExecutor | None = None


def run_tasks(size: int, tasks: list[Callable[[], T]]) -> list[T]:
    """Run ``tasks`` (in threads for a large cohort) and return their results in order."""
    global _pool
    if size < PARALLEL_FROM or WORKERS == 1 or len(tasks) < 2:
        return [task() for task in tasks]
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="rank")
    return list(_pool.map(lambda task: task(), tasks))
