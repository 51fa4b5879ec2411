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


def real_articles() -> list[tuple[str, str]]:
    """(name, text) of the real articles of ../shared/eval/articles_dev and the seeds (skip without them)."""
    dev = shared_path("eval", "articles_dev")
    out = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(dev.glob("*.txt"))]
    return out + [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]


def acled_notes() -> list[str]:
    """The ``notes`` of ../shared/eval/acled_ukraine_dev.csv (skip without it)."""
    import csv

    with open(shared_path("eval", "acled_ukraine_dev.csv"), newline="", encoding="utf-8") as fh:
        return [row["notes"] for row in csv.DictReader(fh)]


def real_texts() -> list[str]:
    """Every real text the equivalence tests run on: the articles, the seeds, the ACLED notes."""
    return [text for _name, text in real_articles()] + acled_notes()


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
