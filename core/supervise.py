"""Keeping the embedded server's helper processes alive: the background worker and the periodic ticker.

``manage.py serve`` starts them beside Daphne; ``Supervisor`` (run in a thread of that process) looks at
them every few seconds, starts again any that died, and hands the jobs a dead worker was running back to
the queue at once (in the embedded default that worker was the only one). Every pass also recovers jobs
whose heartbeat stopped, wherever their worker ran (``core.tasking.recover_stalled_jobs``).
"""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

logger = logging.getLogger(__name__)


class Child:
    def __init__(self, name: str, command: Sequence[str], *, owns_jobs: bool = False, quiet: bool = False) -> None:
        self.name, self.command, self.owns_jobs, self.quiet = name, list(command), owns_jobs, quiet
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL if self.quiet else None)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Supervisor:
    def __init__(self, children: list[Child], *, every: float = 2.0, recover: Any = None) -> None:
        self.children = children
        self.every = every
        self._recover = recover
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        for child in self.children:
            child.start()
        self._thread = threading.Thread(target=self._loop, name="supervisor", daemon=True)
        self._thread.start()

    def check(self) -> list[str]:
        """One pass: restart the dead, recover their jobs. Returns the names restarted."""
        restarted: list[str] = []
        for child in self.children:
            if self._stop.is_set():
                return restarted  # shutting down: a child that exits now is not started again
            if child.alive():
                continue
            code = child.process.returncode if child.process is not None else None
            logger.warning("%s stopped (exit code %s); starting it again", child.name, code)
            if child.owns_jobs and self._recover is not None:
                try:
                    self._recover(silent_for=timedelta(0))  # its running jobs had no other worker
                except Exception:  # the restart matters more; the next pass recovers again
                    logger.exception("Could not hand back the jobs of the stopped %s", child.name)
            child.start()
            child.restarts += 1
            restarted.append(child.name)
        if self._recover is not None and not self._stop.is_set():
            self._recover()
        return restarted

    def _loop(self) -> None:
        from django.db import connection

        while not self._stop.wait(self.every):
            try:
                self.check()
            except Exception:  # the supervisor must outlive a bad pass (the database restarting, say)
                logger.exception("Supervisor pass failed")
            finally:
                connection.close()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=timeout)  # no pass in flight may start a child after this
        for child in self.children:
            if child.alive():
                child.process.terminate()
                try:
                    child.process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    child.process.kill()
