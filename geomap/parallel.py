"""Parse many articles: a local process pool, and a Dask engine for a cluster.

Both engines give exactly the results of the serial :class:`~geomap.pipeline.Pipeline`
(the pipeline is deterministic per article; nothing is shared between articles).

* :func:`process_articles` streams: it reads ahead only a bounded window of
  articles, so memory stays flat however large the input, and yields results
  in input order. Each worker process loads the gazetteer once (pool
  initializer). With a :class:`~geomap.cache.ResultCache`, cached articles are
  not sent to workers at all.
* :func:`parse_dask` splits JSONL or Parquet inputs into partitions of
  ``partition_size`` articles, parses them on Dask workers (each worker
  process loads the gazetteer once and keeps it), and writes one Parquet file
  of event records per partition.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.model import Article, Event, Mention
from geomap.pipeline import ArticleResult, Pipeline

if TYPE_CHECKING:
    import pyarrow as pa

    from geomap.cache import ResultCache
    from geomap.gazetteer import Gazetteer
    from geomap.ingest import Skipped

#: Articles per task sent to a worker: amortises pickling and IPC per call.
BATCH_ARTICLES = 16
#: Batches in flight per worker: enough to keep workers busy, small enough to bound memory.
WINDOW_PER_JOB = 4


# --- per-process pipeline (pool workers and Dask workers) ---------------------------------

_PIPELINES: dict[str, Pipeline] = {}
_PIPELINE_LOCK = threading.Lock()


def _pipeline_for(gazetteer_path: str | None) -> Pipeline:
    """The process-wide pipeline for an index path, loaded on first use.

    Loading the gazetteer (SQLite + a 160 MB automaton) takes seconds, so a
    worker does it once and keeps it; the lock covers Dask workers running
    several threads.
    """
    key = gazetteer_path or ""
    pipe = _PIPELINES.get(key)
    if pipe is None:
        with _PIPELINE_LOCK:
            pipe = _PIPELINES.get(key)
            if pipe is None:
                from geomap.gazetteer import Gazetteer

                gaz = Gazetteer.load(Path(gazetteer_path) if gazetteer_path else None)
                gaz.automaton()  # load eagerly: the first article should not pay for it
                pipe = _PIPELINES[key] = Pipeline(gaz)
    return pipe


def _init_worker(gazetteer_path: str | None) -> None:
    _pipeline_for(gazetteer_path)


_Parsed = tuple[list[Mention], list[Event], str | None]


def _process_batch(gazetteer_path: str | None, articles: list[Article]) -> list[_Parsed]:
    """Worker side: parse a batch; the articles are not sent back (the parent has them)."""
    pipe = _pipeline_for(gazetteer_path)
    out = []
    for art in articles:
        res = pipe.process(art)
        out.append((res.mentions, res.events, res.skipped))
    return out


# --- local process pool -------------------------------------------------------------------


@dataclass(slots=True)
class _Segment:
    """Consecutive input articles: cached results, and one pool task for the rest."""

    articles: list[Article]
    cached: list[ArticleResult | None]
    future: Future[list[_Parsed]] | None


def process_articles(articles: Iterable[Article], *, jobs: int = 1, gazetteer_path: Path | None = None,
                     cache: ResultCache | None = None, gazetteer: Gazetteer | None = None,
                     batch_size: int = BATCH_ARTICLES,
                     pipeline: Callable[[], Pipeline] | None = None) -> Iterator[ArticleResult]:
    """Parse articles with ``jobs`` processes, in input order, streaming.

    Parameters
    ----------
    articles : iterable of Article
        Consumed lazily: at most about ``jobs * 4 * batch_size`` articles are
        held at once.
    jobs : int
        Worker processes; 1 parses in this process, 0 or less means one per CPU.
    gazetteer_path : Path, optional
        Index directory (default :func:`geomap.config.index_dir`).
    cache : ResultCache, optional
        Results are looked up here first and stored after parsing.
    gazetteer : Gazetteer, optional
        An already loaded gazetteer for the serial path (``jobs == 1``);
        workers load their own, from ``gazetteer.path`` unless
        ``gazetteer_path`` is given.
    batch_size : int
        Articles per worker task.
    pipeline : callable, optional
        Gives the caller's pipeline for the serial path (``jobs == 1``), called only when an
        article must be parsed: one pipeline per process, not one here and one for the revisit.

    Yields
    ------
    ArticleResult
        One per article, in input order, identical to ``Pipeline.process``.
    """
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    if jobs == 1:
        yield from _process_serial(articles, gazetteer_path, cache, gazetteer, pipeline)
        return
    if gazetteer_path is None and gazetteer is not None:
        gazetteer_path = gazetteer.path  # workers open the same index as the caller's
    path = str(gazetteer_path) if gazetteer_path is not None else None
    # spawn: workers must not inherit the parent's SQLite handle or threads (fork is unsafe with both).
    ctx = multiprocessing.get_context("spawn")
    window = max(2, jobs * WINDOW_PER_JOB)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                             initargs=(path,)) as pool:
        pending: deque[_Segment] = deque()
        try:
            for batch in _batches(articles, batch_size):
                cached = [cache.get(a) for a in batch] if cache is not None else [None] * len(batch)
                todo = [a for a, c in zip(batch, cached, strict=True) if c is None]
                fut = pool.submit(_process_batch, path, todo) if todo else None
                pending.append(_Segment(batch, cached, fut))
                while len(pending) >= window:
                    yield from _finish(pending.popleft(), cache)
            while pending:
                yield from _finish(pending.popleft(), cache)
        finally:
            # Closed early or failed: drop queued batches instead of parsing them for nobody.
            pool.shutdown(wait=True, cancel_futures=True)


def _process_serial(articles: Iterable[Article], gazetteer_path: Path | None, cache: ResultCache | None,
                    gazetteer: Gazetteer | None,
                    pipeline: Callable[[], Pipeline] | None = None) -> Iterator[ArticleResult]:
    pipe: Pipeline | None = None
    for art in articles:
        if cache is not None:
            hit = cache.get(art)
            if hit is not None:
                yield hit
                continue
        if pipe is None and pipeline is not None:
            pipe = pipeline()
        if pipe is None:  # loaded lazily: an all-cached rebuild never opens the gazetteer
            if gazetteer is None:
                from geomap.gazetteer import Gazetteer

                gazetteer = Gazetteer.load(gazetteer_path)
            pipe = Pipeline(gazetteer)
        res = pipe.process(art)
        if cache is not None:
            cache.put(art, res)
        yield res


def _finish(seg: _Segment, cache: ResultCache | None) -> Iterator[ArticleResult]:
    done = iter(seg.future.result()) if seg.future is not None else iter(())
    for art, hit in zip(seg.articles, seg.cached, strict=True):
        if hit is not None:
            yield hit
            continue
        mentions, events, skipped = next(done)
        res = ArticleResult(art, mentions, events, skipped)
        if cache is not None:
            cache.put(art, res)
        yield res


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def stream_articles(inputs: Iterable[str | Path], skipped: list[Skipped] | None = None) -> Iterator[Article]:
    """Articles of the inputs, streamed (:func:`geomap.ingest.read_articles` reads JSONL line by line)."""
    from geomap.ingest import read_articles

    return read_articles(inputs, skipped)


# --- event records as Arrow -----------------------------------------------------------------

def _arrow_type(annotation: str) -> tuple[Any, bool]:
    """Arrow type of an Event field annotation; lists become JSON strings (flag True)."""
    import pyarrow as pa

    base = annotation.replace(" | None", "").strip()
    if base.startswith("list["):
        return pa.string(), True
    return {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}[base], False


def _field_types() -> dict[str, str]:
    # model.py uses postponed annotations, so each field type is its source text ("int | None").
    return {f.name: f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
            for f in fields(Event)}


def event_schema() -> pa.Schema:
    """Arrow schema of event records: the keys of :meth:`Event.to_record`, lists as JSON strings."""
    import pyarrow as pa

    return pa.schema([pa.field(name, _arrow_type(ann)[0], nullable=True)
                      for name, ann in _field_types().items()])


def _json_columns() -> set[str]:
    return {name for name, ann in _field_types().items() if _arrow_type(ann)[1]}


def events_table(events: list[Event]) -> pa.Table:
    """Event records as an Arrow table of :func:`event_schema` (lists JSON-encoded)."""
    import pyarrow as pa

    schema = event_schema()
    as_json = _json_columns()
    records = [e.to_record() for e in events]
    columns = {}
    for f in schema:
        vals = [r[f.name] for r in records]
        if f.name in as_json:
            vals = [json.dumps(v, ensure_ascii=False) for v in vals]
        columns[f.name] = pa.array(vals, type=f.type)
    return pa.table(columns, schema=schema)


def read_event_records(out_dir: Path) -> list[dict[str, Any]]:
    """Event records back from the Parquet partitions :func:`parse_dask` wrote (lists decoded)."""
    import pyarrow.parquet as pq

    as_json = _json_columns()
    out: list[dict[str, Any]] = []
    for part in sorted(Path(out_dir).glob("part-*.parquet")):
        for rec in pq.read_table(part).to_pylist():
            for k in as_json:
                rec[k] = json.loads(rec[k]) if rec[k] is not None else []
            out.append(rec)
    return out


# --- Dask engine ------------------------------------------------------------------------------

@dataclass(slots=True, frozen=True)
class _Partition:
    """A slice of one input: byte range of a JSONL file, or a row range of a Parquet file."""

    index: int
    path: str
    kind: str  # "jsonl" or "parquet"
    start: int
    stop: int


def _plan(inputs: list[Path], partition_size: int) -> list[_Partition]:
    """Cut inputs into partitions of ``partition_size`` articles without parsing them."""
    parts: list[_Partition] = []
    for raw in inputs:
        path = Path(raw)
        files = [path]
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in (".jsonl", ".parquet"))
        for f in files:
            if f.suffix == ".parquet":
                import pyarrow.parquet as pq

                rows = pq.ParquetFile(f).metadata.num_rows
                for start in range(0, rows, partition_size):
                    stop = min(rows, start + partition_size)
                    parts.append(_Partition(len(parts), str(f), "parquet", start, stop))
            else:
                for start, stop in _line_ranges(f, partition_size):
                    parts.append(_Partition(len(parts), str(f), "jsonl", start, stop))
    return parts


def _line_ranges(path: Path, lines_per_part: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of ``lines_per_part`` lines each (one sequential read of raw bytes)."""
    start = pos = 0
    count = 0
    with open(path, "rb") as fh:
        for line in fh:
            pos += len(line)
            if line.strip():
                count += 1
            if count >= lines_per_part:
                yield start, pos
                start, count = pos, 0
    if pos > start:
        yield start, pos


def _read_partition(part: _Partition) -> Iterator[Article]:
    from geomap.ingest import make_article, read_jsonl

    if part.kind == "jsonl":
        with open(part.path, "rb") as fh:
            fh.seek(part.start)
            data = fh.read(part.stop - part.start)
        skipped: list[Skipped] = []
        yield from read_jsonl(iter(data.decode("utf-8", errors="replace").splitlines()), part.path, skipped)
        return
    import pyarrow.parquet as pq

    from geomap.ingest import _parse_iso_date, _safe_id

    table = pq.read_table(part.path).slice(part.start, part.stop - part.start)
    for row in table.to_pylist():
        text = row.get("text")
        if not isinstance(text, str):
            continue
        published = row.get("published")
        pub = published if hasattr(published, "isoformat") and not isinstance(published, str) else \
            _parse_iso_date(published)
        url = row.get("url") if isinstance(row.get("url"), str) else None
        art_id = _safe_id(str(row.get("id") or f"{Path(part.path).stem}-{part.start}"))
        yield make_article(art_id, text, title=row.get("title") or None, published=pub, url=url,
                           source_path=part.path)


def _run_partition(part: _Partition, out_dir: str, gazetteer_path: str | None) -> dict[str, int]:
    """Dask task: parse one partition and write its events as ``part-NNNNN.parquet``."""
    import pyarrow.parquet as pq

    pipe = _pipeline_for(gazetteer_path)
    cpu0 = time.process_time()
    events: list[Event] = []
    n_articles = n_mentions = n_bytes = 0
    for art in _read_partition(part):
        res = pipe.process(art)
        n_articles += 1
        n_bytes += len(art.text.encode("utf-8", errors="replace"))
        n_mentions += len(res.mentions)
        events.extend(res.events)
    target = Path(out_dir) / f"part-{part.index:05d}.parquet"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    pq.write_table(events_table(events), tmp)
    os.replace(tmp, target)  # a retried task overwrites; readers never see a partial file
    # CPU seconds, not wall clock: on a shared machine they still tell the per-core cost.
    return {"articles": n_articles, "events": len(events), "mentions": n_mentions, "bytes": n_bytes,
            "cpu_ms": round((time.process_time() - cpu0) * 1000), "pid": os.getpid()}


def parse_dask(inputs: list[Path], out_dir: Path, *, scheduler: str | None = None, partition_size: int = 200,
               gazetteer_path: Path | None = None, n_workers: int | None = None) -> dict[str, Any]:
    """Parse JSONL or Parquet inputs on a Dask cluster into Parquet event partitions.

    Parameters
    ----------
    inputs : list of Path
        JSONL files (one article per line: ``id``, ``text``, optional
        ``title``, ``published``, ``url``), Parquet files with those columns,
        or directories of them.
    out_dir : Path
        Receives ``part-00000.parquet`` ... (schema :func:`event_schema`);
        earlier ``part-*.parquet`` files there are removed first.
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``); None starts a
        :class:`distributed.LocalCluster` for the call. Workers must see the
        inputs, ``out_dir`` and the gazetteer index at the same paths.
    partition_size : int
        Articles per task.
    gazetteer_path : Path, optional
        Index directory on the workers (default: their :func:`geomap.config.index_dir`).
    n_workers : int, optional
        Worker processes of the LocalCluster (default: one per CPU); ignored with ``scheduler``.

    Returns
    -------
    dict
        ``partitions``, ``articles``, ``events``, ``mentions``, ``bytes``,
        ``seconds`` (parsing wall clock), ``cpu_ms`` (CPU time of the parsing
        tasks, summed), ``load_seconds`` (workers loading the gazetteer, before
        parsing), ``workers`` and ``workers_used`` (processes that ran tasks).
    """
    from distributed import Client, LocalCluster

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.parquet"):
        old.unlink()
    parts = _plan([Path(p) for p in inputs], max(1, partition_size))
    path = str(Path(gazetteer_path).resolve()) if gazetteer_path is not None else None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None)
    client = Client(scheduler if scheduler is not None else cluster)
    try:
        workers = len(client.scheduler_info().get("workers", {}))
        t_load = time.perf_counter()
        client.run(_init_worker, path)  # every worker loads the gazetteer once, before the clock starts
        load_seconds = time.perf_counter() - t_load
        t0 = time.perf_counter()
        futures = client.map(_run_partition, parts, out_dir=str(out.resolve()), gazetteer_path=path,
                             pure=False)
        results = client.gather(futures)
        seconds = time.perf_counter() - t0
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    totals = {"partitions": len(parts), "articles": 0, "events": 0, "mentions": 0, "bytes": 0, "cpu_ms": 0}
    pids = set()
    for r in results:
        pids.add(r.pop("pid"))
        for k, v in r.items():
            totals[k] += v
    return {**totals, "seconds": round(seconds, 3), "load_seconds": round(load_seconds, 3),
            "workers": workers, "workers_used": len(pids)}
