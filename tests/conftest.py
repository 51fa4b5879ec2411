"""Shared fixtures: the data beside the repository and one loaded gazetteer per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GEOMAP_SHARED", REPO.parent / "shared"))
SEEDS = REPO / "seeds"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (the evaluation data lives beside the repository)")
    return p


@pytest.fixture(scope="session")
def gazetteer():
    """The built gazetteer index (`make test` builds it first); built into a temp dir if missing."""
    from geomap.gazetteer import Gazetteer, GazetteerNotBuilt, build_gazetteer

    try:
        return Gazetteer.load()
    except GazetteerNotBuilt:
        import tempfile

        out = Path(tempfile.mkdtemp(prefix="geomap-index-")) / "gazetteer"
        src = SHARED / "gazetteer-src"
        build_gazetteer(src if src.exists() else None, out, log=lambda *_: None)
        return Gazetteer.load(out)


@pytest.fixture(scope="session")
def pipeline(gazetteer):
    from geomap.pipeline import Pipeline

    return Pipeline(gazetteer)
