"""The code base stays ruff-clean (the project's style rules, pyproject [tool.ruff])."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import REPO


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(REPO / ".venv" / "bin" / "ruff")
    if not shutil.which(ruff):
        pytest.skip("ruff is not installed (it comes with the test extra)")
    res = subprocess.run(
        [ruff, "check", "geomap", "tests", "bench"], cwd=REPO, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-1000:]
