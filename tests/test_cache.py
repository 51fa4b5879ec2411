"""The per-article result cache: hits equal fresh results, misses on any change, atomic writes."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import pickle
from datetime import date
from pathlib import Path

import pytest

from geomap.cache import CANDIDATES_KEPT, ResultCache, article_key, code_version
from geomap.ingest import read_articles
from geomap.parallel import process_articles
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seed_articles():
    arts = list(read_articles([SEEDS]))
    assert len(arts) == 2
    return arts


def _count_parses(monkeypatch) -> list[str]:
    """Record the ids of the articles the pipeline parses from now on (not served by a cache)."""
    from geomap import pipeline as pipeline_mod

    calls: list[str] = []
    real = pipeline_mod.Pipeline.process

    def counting(self, article):
        calls.append(article.article_id)
        return real(self, article)

    monkeypatch.setattr(pipeline_mod.Pipeline, "process", counting)
    return calls


@pytest.fixture(scope="module")
def fresh(pipeline, seed_articles):
    return [pipeline.process(a) for a in seed_articles]


def _records(res) -> tuple[list[dict], list[tuple]]:
    events = [e.to_record() for e in res.events]
    mentions = [
        (
            m.text,
            m.char_start,
            m.char_end,
            m.match,
            m.kind,
            m.cue,
            m.status,
            m.place,
            m.confidence,
            m.geo_precision,
            m.note,
            [
                (c.place, c.alias, c.scheme, c.name_score, c.score, c.reasons)
                for c in m.candidates[:CANDIDATES_KEPT]
            ],
        )
        for m in res.mentions
    ]
    return events, mentions


def test_roundtrip_equals_fresh_parse(tmp_path, gazetteer, seed_articles, fresh):
    cache = ResultCache(tmp_path, gazetteer.version)
    for art in seed_articles:
        assert cache.get(art) is None
    for art, res in zip(seed_articles, fresh, strict=True):
        cache.put(art, res)
    assert len(cache) == 2
    for art, res in zip(seed_articles, fresh, strict=True):
        hit = cache.get(art)
        assert hit is not None
        assert hit.article is art
        assert _records(hit) == _records(res)
        assert len(hit.events) > 0
        assert all(
            len(m.candidates) == min(len(f.candidates), CANDIDATES_KEPT)
            for m, f in zip(hit.mentions, res.mentions, strict=True)
        )
    assert cache.hits == 2 and cache.misses == 2


def test_key_changes_with_every_field(seed_articles):
    art = seed_articles[0]
    base = article_key(art)
    variants = [
        dataclasses.replace(art, text=art.text + " "),
        dataclasses.replace(art, article_id=art.article_id + "x"),
        dataclasses.replace(art, title=art.title + "!"),
        dataclasses.replace(art, url="https://example.org/a"),
        dataclasses.replace(art, published=None if art.published else date(2024, 1, 1)),
    ]
    keys = {article_key(v) for v in variants}
    assert base not in keys and len(keys) == len(variants)
    # the source path is not content: the same article read from elsewhere still hits
    assert article_key(dataclasses.replace(art, source_path="/elsewhere/a.txt")) == base


def test_new_gazetteer_version_never_serves_stale(tmp_path, gazetteer, seed_articles, fresh):
    old = ResultCache(tmp_path, "gazetteer-v1")
    old.put(seed_articles[0], fresh[0])
    assert old.get(seed_articles[0]) is not None
    new = ResultCache(tmp_path, "gazetteer-v2")
    assert new.get(seed_articles[0]) is None
    # and a changed parser (code version) does not see the old entries either
    assert ResultCache(tmp_path, "gazetteer-v1", code_version="other-code").get(seed_articles[0]) is None
    assert new.prune() == 1
    assert not old.dir.exists()


def test_code_version_follows_curated_files(tmp_path, monkeypatch):
    from geomap import config

    (tmp_path / "lexicon").mkdir()
    word_list = tmp_path / "lexicon" / "not_places.txt"
    word_list.write_text("energy\n", encoding="utf-8")
    monkeypatch.setattr(config, "CURATED_DIR", tmp_path)
    code_version.cache_clear()
    try:
        before = code_version()
        word_list.write_text("energy\nagency\n", encoding="utf-8")
        code_version.cache_clear()
        after = code_version()
    finally:
        code_version.cache_clear()
    assert len(before) == 16 and before != after


def test_damaged_entry_is_a_miss_and_removed(tmp_path, gazetteer, seed_articles, fresh):
    cache = ResultCache(tmp_path, gazetteer.version)
    cache.put(seed_articles[0], fresh[0])
    entry = next(cache.dir.glob("*/*.pkl"))
    entry.write_bytes(entry.read_bytes()[:20])  # a truncated file, as after a full disk
    assert cache.get(seed_articles[0]) is None
    assert not entry.exists()


def test_put_is_atomic(tmp_path, gazetteer, seed_articles, fresh, monkeypatch):
    cache = ResultCache(tmp_path, gazetteer.version)
    cache.put(seed_articles[0], fresh[0])
    good = next(cache.dir.glob("*/*.pkl")).read_bytes()

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        cache.put(seed_articles[0], fresh[1])
    monkeypatch.undo()
    # the old entry is intact and no temp file is left behind
    files = list(cache.dir.rglob("*"))
    assert [p for p in files if p.is_file()] == [next(cache.dir.glob("*/*.pkl"))]
    assert next(cache.dir.glob("*/*.pkl")).read_bytes() == good
    assert pickle.loads(good)


def test_rebuild_after_adding_one_article_parses_only_that_one(
    tmp_path, gazetteer, seed_articles, monkeypatch
):

    cache = ResultCache(tmp_path, gazetteer.version)
    first = list(process_articles(seed_articles[:1], cache=cache, gazetteer=gazetteer))
    calls = _count_parses(monkeypatch)
    second = list(process_articles(seed_articles, cache=cache, gazetteer=gazetteer))
    assert calls == [seed_articles[1].article_id]
    assert _records(second[0]) == _records(first[0])
    assert [r.article.article_id for r in second] == [a.article_id for a in seed_articles]


def test_cache_dir_layout(tmp_path, gazetteer, seed_articles, fresh):
    cache = ResultCache(Path(tmp_path), gazetteer.version)
    cache.put(seed_articles[1], fresh[1])
    (entry,) = cache.dir.glob("*/*.pkl")
    key = article_key(seed_articles[1])
    assert entry.name == f"{key}.pkl" and entry.parent.name == key[:2]


def test_site_rebuild_from_cache_is_byte_identical(tmp_path, gazetteer, monkeypatch):
    """`make site` twice: the second build parses nothing and writes the same bytes as a fresh build."""
    import shutil

    from geomap import config
    from geomap import pipeline as pipeline_mod

    if shutil.which("npm") is None and not (config.home() / "npm" / "node_modules").is_dir():
        pytest.skip("npm is not installed: the site's assets cannot be vendored")
    cache = ResultCache(tmp_path / "cache", gazetteer.version)
    out, fresh = tmp_path / "site", tmp_path / "fresh"
    first = pipeline_mod.build_site([SEEDS], out, gazetteer=gazetteer, cache=cache)
    assert cache.misses == 2 and len(cache) == 2
    assert {"parse", "parts", "merge", "render"} <= set(first.timings)
    calls = _count_parses(monkeypatch)
    again = ResultCache(tmp_path / "cache", gazetteer.version)
    second = pipeline_mod.build_site([SEEDS], out, gazetteer=gazetteer, cache=again)
    # nothing parsed, and not even a result loaded: the stored parts and summaries are the site
    assert calls == [] and again.hits == again.misses == 0
    monkeypatch.undo()
    pipeline_mod.build_site([SEEDS], fresh, gazetteer=gazetteer, use_cache=False)
    assert second.events == first.events > 0

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    built = files(out)
    assert built == files(fresh)
    assert any(k.startswith("articles/") for k in built)


# Three reports written for this test: a and b report the same shelling of Kupiansk (merged on the
# map: b's report is denied), c is another event.
_REPORTS = {
    "a.txt": "KYIV, March 12, 2024\n\nOn 12 March 2024, Russian forces shelled Kupiansk, killing two "
    "civilians. Ukrainian troops repelled an assault near Robotyne.\n",
    "b.txt": "KYIV, March 13, 2024\n\nRussian artillery shelled Kupiansk on 12 March 2024, killing three "
    "people, officials said. Russia denied shelling Kupiansk.\n",
    "c.txt": "KYIV, March 14, 2024\n\nOn 13 March 2024 a drone struck a fuel depot in Lozova, the "
    "regional governor said.\n",
}


def test_site_rebuild_after_adding_an_article(tmp_path, gazetteer, monkeypatch):
    """Adding an article parses that article only, redoes the merged event, and equals a fresh build."""
    import json

    from geomap import pipeline as pipeline_mod

    corpus = tmp_path / "in"
    corpus.mkdir()
    for name in ("a.txt", "c.txt"):
        (corpus / name).write_text(_REPORTS[name], encoding="utf-8")
    out, fresh = tmp_path / "site", tmp_path / "fresh"
    pipeline_mod.build_site(
        [corpus], out, gazetteer=gazetteer, cache=ResultCache(tmp_path / "cache", gazetteer.version)
    )
    (corpus / "b.txt").write_text(_REPORTS["b.txt"], encoding="utf-8")
    calls = _count_parses(monkeypatch)
    cache = ResultCache(tmp_path / "cache", gazetteer.version)
    pipeline_mod.build_site([corpus], out, gazetteer=gazetteer, cache=cache)
    assert calls == ["b"]
    # a's result is loaded again for the merged event and its page; c's is not needed
    assert cache.hits == 1
    # and once merged, the merge is stored too: the next build loads no result at all
    again = ResultCache(tmp_path / "cache", gazetteer.version)
    pipeline_mod.build_site([corpus], out, gazetteer=gazetteer, cache=again)
    assert calls == ["b"] and again.hits == again.misses == 0
    monkeypatch.undo()
    pipeline_mod.build_site([corpus], fresh, gazetteer=gazetteer, use_cache=False)

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    built = files(out)
    assert built == files(fresh)
    rows = list(csv.DictReader(io.StringIO(built["data/events.csv"].decode("utf-8"))))
    kupiansk = [r for r in rows if r["location"] == "Kupiansk" and r["role"] == "event"]
    assert len(kupiansk) == 1 and kupiansk[0]["sources"] == "a;b"
    assert kupiansk[0]["fatalities"] == "3" and kupiansk[0]["stance"] == "disputed"
    # b's page still lists its own (denied) report, linked to the merged event on the map
    page_b = built["articles/b.html"].decode("utf-8")
    assert f"#event={kupiansk[0]['event_id_cnty']}" in page_b and "badge-denied" in page_b
    digests = json.loads(built["data/page-digests.json"])
    assert set(digests) == {"a", "b", "c", "/index.html"}


def test_corpus_revisit_is_cached_by_the_places_that_decide_it(tmp_path, gazetteer, monkeypatch):
    """An article settled by the rest of the corpus is settled again from the cache, not recomputed."""
    from geomap import pipeline as pipeline_mod
    from geomap.resolve import Resolver

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "KYIV, Sept 15, 2023\n\nUkrainian troops retook Andriivka, south of Bakhmut.\n"
    )
    (corpus / "b.txt").write_text("KYIV, Sept 16, 2023\n\nShelling continued in Andriivka on Saturday.\n")
    cache = ResultCache(tmp_path / "cache", gazetteer.version)
    first = pipeline_mod.parse([corpus], gazetteer=gazetteer, cache=cache)
    settled = [m for m in first.mentions if m.text == "Andriivka"]
    assert len(settled) == 2 and all(m.status == "resolved" for m in settled)
    assert len({m.place.place_id for m in settled}) == 1  # b's Andriivka is a's, south of Bakhmut
    assert list((cache.dir / "revisited").rglob("*.pkl"))

    def refuse(*_a, **_k):
        raise AssertionError("revisit recomputed a result the cache holds")

    monkeypatch.setattr(Resolver, "prefer", refuse)
    again = pipeline_mod.parse(
        [corpus], gazetteer=gazetteer, cache=ResultCache(tmp_path / "cache", gazetteer.version)
    )
    assert [e.to_record() for e in again.events] == [e.to_record() for e in first.events]


def test_a_build_keeps_the_current_and_the_last_used_namespace_only(
    tmp_path, gazetteer, seed_articles, fresh
):
    """Each parser or gazetteer change starts a namespace: a build drops all but the last used earlier one."""
    import shutil
    import time

    from geomap import config
    from geomap import pipeline as pipeline_mod
    from geomap._build import part_kinds

    if shutil.which("npm") is None and not (config.home() / "npm" / "node_modules").is_dir():
        pytest.skip("npm is not installed: the site's assets cannot be vendored")
    root = tmp_path / "cache"
    olds = []
    for i, name in enumerate(["old-code-1", "old-code-2", "old-code-3"]):
        old = ResultCache(root, gazetteer.version, code_version=name)
        old.put(seed_articles[0], fresh[0])
        old.mark_used()
        t = time.time() - 3600 + i * 60  # used in this order, an hour ago
        os.utime(old.dir / ".used", (t, t))
        olds.append(old)
    cache = ResultCache(root, gazetteer.version)
    stale = cache.dir / "site-parts-0123456789ab" / "ab"
    stale.mkdir(parents=True)
    (stale / "ab.pkl").write_bytes(b"an older renderer's part")
    pipeline_mod.build_site([SEEDS], tmp_path / "site", gazetteer=gazetteer, cache=cache)
    kept = {d.name for d in root.iterdir()}
    assert kept == {cache.namespace, olds[2].namespace}  # the current one and the most recent earlier one
    assert olds[2].get(seed_articles[0]) is not None
    assert not stale.parent.exists()
    assert (cache.dir / part_kinds()[0]).is_dir() and len(cache) == 2
