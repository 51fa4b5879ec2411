"""The site's parts from its articles: parse what is new, reuse what is stored (``geomap build``).

A site is a pure function of its articles' settled results. The result cache keeps
each article's parse; beside it this module keeps two things so that a rebuild
after adding one article to 10,000 neither loads nor renders the other 9,999:

* a *summary* per article (the places it resolved with confidence, and the
  candidates of its ambiguous mentions): from the summaries alone the corpus
  revisit (:meth:`~geomap.pipeline.Pipeline.settle`) knows which articles the new
  one can change: those whose decisive places changed;
* a rendered *part* per settled result (:class:`~geomap.render._parts.ArticlePart`),
  named by the article's key and its decisive places, under the renderer's version.

Records are loaded only where the output needs them: an article whose part is
missing, the reports of an event several articles share (merged anew each build),
and pages whose digest changed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from geomap import config
from geomap.cache import article_key
from geomap.ingest import Skipped
from geomap.model import Article, Event, Mention
from geomap.pipeline import ArticleResult, Pipeline, confident_places, decisive_variant
from geomap.render._parts import (
    ArticlePart,
    MergeMemo,
    make_part,
    merge_reports,
    page_records,
    render_version,
)
from geomap.render.site import SiteParts, adm1_index

if TYPE_CHECKING:
    from geomap.cache import ResultCache
    from geomap.gazetteer import Gazetteer

#: Result-cache object kind holding the per-article summaries (one object for the namespace).
SUMMARIES = ("site", "summaries")
_PARTS, _MERGED = "site-parts-", "site-merged-"

Summary = tuple[tuple[str, ...], tuple[str, ...]]


def summarize(result: ArticleResult) -> Summary:
    """(confident places, candidates of ambiguous mentions) of an article's result, before the revisit.

    Parameters
    ----------
    result : ArticleResult
        A parse result.

    Returns
    -------
    tuple
        Two sorted tuples of place ids.
    """
    candidates = {c.place.place_id for m in result.mentions if m.status == "ambiguous" for c in m.candidates}
    return tuple(sorted(confident_places(result))), tuple(sorted(candidates))


def part_kinds() -> tuple[str, str]:
    """The result-cache kinds of this renderer's parts and merged parts."""
    version = render_version()
    return f"{_PARTS}{version}", f"{_MERGED}{version}"


def tidy_cache(cache: ResultCache) -> None:
    """After a build: mark its namespace used, drop old namespaces and other renderers' parts.

    Parameters
    ----------
    cache : ResultCache
        The cache the build used.
    """
    cache.mark_used()
    cache.prune(keep=config.CACHE_KEEP_NAMESPACES)
    parts, merged = part_kinds()
    cache.prune_kinds(_PARTS, parts)
    cache.prune_kinds(_MERGED, merged)


def collect_parts(
    articles: list[Article],
    gazetteer: Gazetteer,
    *,
    boundaries: dict[str, dict] | None,
    online: str | None = None,
    jobs: int = 1,
    cache: ResultCache | None = None,
    skipped: list[Skipped] | None = None,
    timings: dict[str, float] | None = None,
) -> SiteParts:
    """Every article's part: stored ones reused, the rest parsed (or loaded), settled and rendered.

    Parameters
    ----------
    articles : list of Article
        The site's articles, in input order.
    gazetteer : Gazetteer
        The loaded gazetteer.
    boundaries : dict or None
        The site's outlines (oblast-level events are drawn on their polygon).
    online : str, optional
        Opt-in online geocoder (no cache is used with it).
    jobs : int
        Worker processes for the articles that must be parsed.
    cache : ResultCache, optional
        Results, summaries and parts of earlier builds; without it everything is made in memory.
    skipped : list, optional
        Receives the articles that could not be parsed, with the reason.
    timings : dict, optional
        Receives wall seconds per step: ``parse``, ``parts``, ``merge``.

    Returns
    -------
    SiteParts
        Merged events applied; ``page_source`` loads records on demand.
    """
    skipped = skipped if skipped is not None else []
    timings = timings if timings is not None else {}
    pipes: list[Pipeline] = []

    def pipe() -> Pipeline:
        if not pipes:  # built only when something must be parsed or settled
            pipes.append(Pipeline(gazetteer, online=online))
        return pipes[0]

    t = time.perf_counter()
    keys = [article_key(a) for a in articles] if cache is not None else []
    stored = cache.get_object(*SUMMARIES) if cache is not None else None
    summaries: dict[str, Summary] = stored if isinstance(stored, dict) else {}
    n_summaries = len(summaries)
    results: dict[int, ArticleResult] = {}
    todo = [i for i in range(len(articles)) if cache is None or keys[i] not in summaries]
    if todo:
        batch = [articles[i] for i in todo]
        if online or (jobs == 1 and cache is None):
            parsed = (pipe().process(a) for a in batch)
        else:
            from geomap.parallel import BATCH_ARTICLES, process_articles

            # No more than one worker's batch (a rebuild after adding an article): a process pool
            # would only add its start-up, each worker loading the gazetteer for one task.
            serial = jobs == 1 or len(batch) <= BATCH_ARTICLES
            parsed = process_articles(
                batch, jobs=1 if serial else jobs, gazetteer=gazetteer, cache=cache, pipeline=pipe
            )
        for i, res in zip(todo, parsed, strict=True):
            results[i] = res
            if res.skipped:
                skipped.append(Skipped(res.article.source_path or res.article.article_id, res.skipped))
            elif cache is not None:
                summaries[keys[i]] = summarize(res)

    # before any result is settled (settling changes what an article resolved)
    sums = [summarize(results[i]) if i in results else summaries[keys[i]] for i in range(len(articles))]
    confident: set[str] = set()
    for conf, _cands in sums:
        confident.update(conf)
    timings["parse"] = time.perf_counter() - t

    t = time.perf_counter()
    settled: set[int] = set()

    def settled_result(i: int) -> ArticleResult:
        res = results.get(i)
        if res is None:
            a = articles[i]
            res = cache.get(a) if cache is not None else None
            if res is None:
                res = pipe().process(a)
                if cache is not None:
                    cache.put(a, res)
            results[i] = res
        if i not in settled:
            pipe().settle(res, confident, cache)
            settled.add(i)
        return res

    first_of: dict[str, Article] = {}
    for a in articles:
        first_of.setdefault(a.article_id, a)
    index = adm1_index(boundaries)
    kind, merged_kind = part_kinds()
    parts: list[ArticlePart] = []
    names: list[str] = []
    for i, a in enumerate(articles):
        decisive = sorted(set(sums[i][1]) & confident)
        name = ""
        part = None
        if cache is not None:
            name = keys[i]
            if decisive:
                name += "-" + decisive_variant(decisive)
            part = cache.get_object(kind, name)
        if not isinstance(part, ArticlePart):
            res = settled_result(i)
            part = make_part(a, a.article_id, res.mentions, res.events, {a.article_id: a}, index)
            if cache is not None and not res.skipped:
                cache.put_object(kind, name, part)
        parts.append(part)
        names.append(name)
    if cache is not None and len(summaries) != n_summaries:
        cache.put_object(*SUMMARIES, summaries)
    timings["parts"] = time.perf_counter() - t

    t = time.perf_counter()
    memo = None
    if cache is not None:
        memo = MergeMemo(
            names,
            lambda sig: cache.get_object(merged_kind, sig),
            lambda sig, part: cache.put_object(merged_kind, sig, part),
        )
    parts, _merged = merge_reports(parts, lambda i: settled_result(i).events, first_of, index, memo)
    timings["merge"] = time.perf_counter() - t

    def page_source(i: int) -> tuple[Article, list[Mention], list[Event]]:
        res = settled_result(i)
        return page_records(articles[i], res.mentions, res.events)

    return SiteParts(parts, first_of, page_source)
