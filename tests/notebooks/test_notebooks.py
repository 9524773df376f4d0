"""Every notebook runs top to bottom on a freshly seeded demo database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    """A separate SQLite file: the notebook kernel is another process and cannot see the test DB."""
    folder = tmp_path_factory.mktemp("nb")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    # The seeder writes scanned consent forms: keep them with the scratch database.
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "MEDIA_ROOT": str(folder / "media")}
    env.pop("REDIS_URL", None)
    for args in (["migrate", "--noinput", "-v0"], ["seed_demo", "--candidates", "400", "--seed", "5"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return url


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path: Path, demo_database: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", demo_database)
    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]


def test_there_is_at_least_one_notebook() -> None:
    assert NOTEBOOKS
