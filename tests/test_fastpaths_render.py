"""The site build's fast paths give the answers of the plain forms they replace.

* :func:`geomap.render._parts.sort_key` (one NUL-joined string) orders events as the tuple
  (date or "9999", event_id, article_id, char_start) did, prefixes and non-ASCII included;
* :func:`geomap.render._mapdata.write_joined` (joins of a few hundred pieces) writes ``sep.join``;
* a part's :class:`~geomap.render._parts.EntryStats` (counts, legend, dates, search places) equal
  what a walk over every event of the real articles gives;
* :func:`geomap.render.escape.safe_url`'s one regex rejects exactly the characters the
  per-character test rejected, over every code point;
* the given-name table's kept columns (``_KEPT_SPANS``) are every column but East Asia's.
"""

from __future__ import annotations

import io
import itertools
import random

from geomap import recognize as rec
from geomap.model import Article
from geomap.render import _parts
from geomap.render._exports import COORD_DIGITS, num
from geomap.render._mapdata import layer_of, write_joined
from geomap.render.escape import _UNSAFE_URL_CHAR
from tests.conftest import real_articles

#: Fields that are equal, prefixes of each other, or hold characters just above NUL: where a
#: joined string could order otherwise than the tuple.
_FIELDS = ("", "a", "a\u0001", "a\u0001b", "ab", "a-", "b", "é", "9999")


def test_sort_key_orders_as_the_tuple() -> None:
    events = [
        _Event(date or None, event_id, article_id, start)
        for date, event_id, article_id in itertools.product(_FIELDS, repeat=3)
        for start in (0, 7, 10, 10**11)
    ]
    random.Random(3).shuffle(events)
    by_tuple = sorted(events, key=lambda e: (e.event_date or "9999", e.event_id, e.article_id, e.char_start))
    by_key = sorted(events, key=_parts.sort_key)  # type: ignore[arg-type] - duck-typed event
    assert by_key == by_tuple


class _Event:
    """The fields of :class:`~geomap.model.Event` that :func:`sort_key` reads."""

    def __init__(self, event_date: str | None, event_id: str, article_id: str, char_start: int) -> None:
        self.event_date, self.event_id, self.article_id, self.char_start = (
            event_date,
            event_id,
            article_id,
            char_start,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Event) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]


def test_write_joined_writes_the_join() -> None:
    rng = random.Random(7)
    for n in (0, 1, 2, 255, 256, 257, 512, 1001):
        pieces = [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40))) for _ in range(n)]
        for sep in (b"", b",", b"\n--\n"):
            fh = io.BytesIO()
            write_joined(fh, iter(pieces), sep)  # an iterator: consumed once
            assert fh.getvalue() == sep.join(pieces), (n, sep)


def test_entry_stats_equal_a_walk_over_the_events(pipeline) -> None:  # noqa: ANN001 - a fixture
    checked = 0
    for name, text in real_articles():
        res = pipeline.process(Article(article_id=name, text=text))
        ordered = _parts.ordered_events(res.events)
        entries, chunk, stats = _parts.event_entries(ordered, {name: res.article}, {})
        events = [e for _i, e in ordered]
        assert len(entries) == len(events)
        assert set(stats.styles) == {(layer_of(e), e.sub_event_type) for e in events}
        first: dict[str, tuple[str, tuple]] = {}
        for e in events:  # the earliest event of each place, by the output order's key
            key = _parts.sort_key(e)
            place = (e.place_id, e.place_name, e.admin1, num(e.latitude, COORD_DIGITS),
                     num(e.longitude, COORD_DIGITS), e.mention)
            if e.place_id not in first or key < first[e.place_id][0]:
                first[e.place_id] = (key, place)
        assert dict((p[0], (k, p)) for k, p in stats.places) == first
        assert sum(stats.kinds) == len(events)
        assert stats.n_context == sum(e.role == "context" for e in events)
        dates = [e.event_date for e in events if e.event_date is not None]
        assert (stats.first_date, stats.last_date, stats.n_dated) == (
            (min(dates), max(dates), len(dates)) if dates else (None, None, 0)
        )
        checked += bool(events)
    assert checked >= 50  # the real articles and seeds nearly all have events


def test_unsafe_url_regex_equals_the_character_test() -> None:
    def plain(c: str) -> bool:
        return ord(c) <= 0x20 or ord(c) == 0x7F or c in "\u2028\u2029\"'<>`\\"

    assert [c for c in map(chr, range(0x110000)) if plain(c) != bool(_UNSAFE_URL_CHAR.search(c))] == []


def test_kept_name_columns_are_all_but_east_asia() -> None:
    row = "".join(chr(0x100 + i) for i in range(60))  # one distinct character a column
    kept = "".join(row[span] for span in rec._KEPT_SPANS)
    assert kept == "".join(c for i, c in enumerate(row) if i not in {49, 51, 52, 53})


def test_first_names_keep_names_common_outside_east_asia_only() -> None:
    names = rec.first_names()
    for name in ("anna", "john", "maria", "ivan"):
        assert name in names
    for word in ("in", "do", "on"):  # East Asian syllables that are English words ("An" is a name elsewhere)
        assert word not in names
    assert len(names) > 10_000
