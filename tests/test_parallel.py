"""Parallel and distributed parsing give exactly the serial results, in order, with bounded read-ahead."""

from __future__ import annotations

import json

import pytest

from geomap.cache import ResultCache
from geomap.ingest import read_articles
from geomap.parallel import (
    BATCH_ARTICLES,
    WINDOW_PER_JOB,
    event_schema,
    events_table,
    parse_dask,
    process_articles,
    read_event_records,
    stream_articles,
)
from tests.conftest import SEEDS, shared_path


@pytest.fixture(scope="module")
def articles():
    arts = list(read_articles([SEEDS, shared_path("eval", "articles_dev")]))
    assert len(arts) >= 50
    return arts


@pytest.fixture(scope="module")
def serial(pipeline, articles):
    return [pipeline.process(a) for a in articles]


def _summary(results) -> list[tuple]:
    return [
        (
            r.article.article_id,
            [e.to_record() for e in r.events],
            [
                (m.text, m.char_start, m.char_end, m.status, m.place.place_id if m.place else None)
                for m in r.mentions
            ],
        )
        for r in results
    ]


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory, articles):
    path = tmp_path_factory.mktemp("dask-in") / "articles.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(
                json.dumps(
                    {
                        "id": a.article_id,
                        "text": a.text,
                        "title": a.title,
                        "url": a.url,
                        "published": a.published.isoformat() if a.published else None,
                    }
                )
                + "\n"
            )
    return path


def test_two_processes_equal_serial(gazetteer, articles, serial):
    par = list(process_articles(articles, jobs=2, gazetteer_path=gazetteer.path, batch_size=4))
    assert _summary(par) == _summary(serial)
    assert sum(len(r.events) for r in par) > 100
    assert all(p.article is a for p, a in zip(par, articles, strict=True))


def test_pool_with_cache_skips_cached_articles(tmp_path, gazetteer, articles, serial):
    cache = ResultCache(tmp_path, gazetteer.version)
    for a, r in zip(articles[::2], serial[::2], strict=True):
        cache.put(a, r)
    got = list(process_articles(articles, jobs=2, gazetteer_path=gazetteer.path, cache=cache, batch_size=4))
    assert _summary(got) == _summary(serial)
    assert cache.hits == len(articles[::2])
    assert len(cache) == len(articles)  # the misses were stored


@pytest.mark.parametrize("jobs", [1, 2])
def test_input_is_read_lazily(gazetteer, articles, jobs):
    consumed = 0

    def source():
        nonlocal consumed
        for _ in range(3):  # 3 x 59 articles: more than the pool's window
            for a in articles:
                consumed += 1
                yield a

    it = process_articles(
        source(),
        jobs=jobs,
        gazetteer_path=gazetteer.path,
        gazetteer=gazetteer if jobs == 1 else None,
        batch_size=2,
    )
    first = next(it)
    assert first.article.article_id == articles[0].article_id
    limit = 1 if jobs == 1 else jobs * WINDOW_PER_JOB * 2
    assert consumed <= limit < 3 * len(articles)
    it.close()


def test_stream_articles_equals_read_articles(jsonl, articles):
    streamed = list(stream_articles([jsonl]))
    assert streamed == list(read_articles([jsonl]))
    assert [a.article_id for a in streamed] == [a.article_id for a in articles]
    assert [a.text for a in streamed] == [a.text for a in articles]


def test_event_table_schema_is_the_record_schema(serial):
    events = [e for r in serial for e in r.events]
    table = events_table(events[:50])
    assert table.schema == event_schema()
    assert table.column_names == list(events[0].to_record())
    assert table.num_rows == 50
    assert events_table([]).schema == event_schema()
    assert BATCH_ARTICLES > 0


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as c:
        yield c


def test_dask_jsonl_equals_serial(cluster, gazetteer, jsonl, tmp_path):
    # the serial reference reads the same JSONL, so both sides see identical Article objects
    reference = [
        e.to_record() for r in process_articles(read_articles([jsonl]), gazetteer=gazetteer) for e in r.events
    ]
    counts = parse_dask(
        [jsonl],
        tmp_path / "out",
        scheduler=cluster.scheduler_address,
        partition_size=10,
        gazetteer_path=gazetteer.path,
    )
    n_articles = sum(1 for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip())
    assert counts["articles"] == n_articles
    assert counts["partitions"] == -(-n_articles // 10)
    assert counts["workers"] == 2
    assert counts["events"] == len(reference) > 100
    assert len(list((tmp_path / "out").glob("part-*.parquet"))) == counts["partitions"]
    assert read_event_records(tmp_path / "out") == reference


def test_dask_parquet_input_equals_jsonl(cluster, gazetteer, jsonl, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "articles.parquet", row_group_size=16)
    parse_dask(
        [tmp_path / "articles.parquet"],
        tmp_path / "pq-out",
        scheduler=cluster.scheduler_address,
        partition_size=25,
        gazetteer_path=gazetteer.path,
    )
    parse_dask(
        [jsonl],
        tmp_path / "jsonl-out",
        scheduler=cluster.scheduler_address,
        partition_size=25,
        gazetteer_path=gazetteer.path,
    )
    from_parquet = read_event_records(tmp_path / "pq-out")
    assert from_parquet and from_parquet == read_event_records(tmp_path / "jsonl-out")


@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_parse_equals_parse_including_the_corpus_revisit(tmp_path, gazetteer, jobs) -> None:
    """`geomap parse` streams (spilling results, then settling each): same records as `parse`."""
    from geomap.pipeline import parse, parse_stream

    corpus = tmp_path / "in"
    corpus.mkdir()
    for p in SEEDS.glob("*.txt"):
        (corpus / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "a.txt").write_text(
        "KYIV, Sept 15, 2023\n\nUkrainian troops retook Andriivka, south of Bakhmut.\n"
    )
    (corpus / "b.txt").write_text("KYIV, Sept 16, 2023\n\nShelling continued in Andriivka on Saturday.\n")
    whole = parse([corpus], gazetteer=gazetteer)
    spill = tmp_path / "spill"
    spill.mkdir()
    streamed = list(parse_stream([corpus], gazetteer=gazetteer, jobs=jobs, spill_dir=spill))
    assert [r.article.article_id for r in streamed] == [a.article_id for a in whole.articles]
    assert [e.to_record() for r in streamed for e in r.events] == [e.to_record() for e in whole.events]
    b = next(r for r in streamed if r.article.article_id == "b")
    assert [m.status for m in b.mentions if m.text == "Andriivka"] == ["resolved"]  # settled by a
    assert list(spill.iterdir()) == []  # the spill file is gone
