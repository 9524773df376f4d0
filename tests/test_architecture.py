"""The structure rules of README "Architecture": modules stay small and imports point one way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "talent", "accounts", "privacy", "exams", "imports", "scoring", "clubs", "openings", "succession",
        "evaluation", "training", "api", "config")
MAX_LINES = 600


def _modules() -> list[Path]:
    return sorted(p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def test_no_module_is_over_600_lines() -> None:
    """A module over ~600 lines is doing two jobs (DESIGN §3): split it by what it does."""
    too_long = {str(p.relative_to(ROOT)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def test_every_app_is_in_the_import_contract() -> None:
    """A new app must be placed in a layer of pyproject.toml's contract, or nothing checks its imports."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert set(config["root_packages"]) == set(APPS)
    layered = {name.strip() for layer in config["contracts"][0]["layers"] for name in layer.split("|")}
    assert layered == set(APPS)
    packages = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"api", "config"}
    assert packages <= set(APPS), f"apps missing from the contract: {packages - set(APPS)}"


def test_imports_point_one_way() -> None:
    """``lint-imports`` with the contract in pyproject.toml: no app imports one above it, none is ignored."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("import-linter is not installed (make test installs it)")
    done = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "ignore_imports" not in (ROOT / "pyproject.toml").read_text()
