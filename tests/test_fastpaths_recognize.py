"""The recognition stage's fast paths give the answers of the plain forms they replace.

* :func:`geomap._text.fold` folds long text by ``str.lower()`` and one ``str.replace`` per distinct
  non-ASCII character; :func:`geomap._text.scan_text` blanks the distinct non-ASCII punctuation,
  then translates the (now ASCII) text in one pass. Both against the character-by-character
  forms, on real text and on every character up to U+3000, and the Unicode facts the fold relies
  on, over all of Unicode;
* ``Recognizer._automaton_spans`` (whole-word keys, hits sorted as ``(start, -end, key)`` tuples)
  against the plain loop over word-start keys with its word-end test and key-function sort;
* the capitalised-word loop's dropped tests (``_CAP_WORD_RE`` words are four letters or more and
  start with a ``_CAP_RE`` capital) and the one set of never-a-place words;
* the gazetteer's positional place rows and its skeleton-lookup cache against keyword rows and
  fresh queries.
"""

from __future__ import annotations

import dataclasses
import functools
import sys

from geomap import _text
from geomap import recognize as rec
from geomap._text import _fold_char, fold, scan_text
from geomap.gazetteer.index import _PLACE_COLS, _row_to_place
from geomap.model import Article, Place
from tests.conftest import real_texts

#: Strings where the fast fold must fall back: a character lowering to two ("İ"), capital sigma
#: (lowered by context), characters folding to another non-ASCII one ("ǣ" -> "æ" -> "a", "ŉ" -> "ʼ").
HOSTILE = [
    "İstanbul `quoted’ – ΣΑΣ ǅ ß Ł\u00a0x " * 5,
    "ΟΔΟΣ Σ ΣΑΣ " * 10 + "Kyiv",
    "ŉ ʼ ǣ æ Ǽ ǿ ø — Kyiv “Bakhmut” " * 5,
    "Kelvin \u212a `x` café Zaporizhzhia’s «Київ» … " * 5,
    "Клiщiївка, Київ — Kharkiv\u2003region • " * 5,
]


def _texts() -> list[str]:
    return real_texts()


# --- fold and scan_text ---------------------------------------------------------------------


def test_fold_char_of_a_character_is_that_of_its_lower_case() -> None:
    """The fact the fast fold stands on: folding ``c`` equals folding ``c.lower()`` (when one character)."""
    plain = _fold_char.__wrapped__  # not the cache: a million code points would flood it
    checked = 0
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not characters
        c = chr(code)
        low = c.lower()
        if len(low) == 1:
            assert plain(c) == plain(low), hex(code)
            checked += 1
    assert checked > 1_000_000


def test_fold_equals_character_by_character() -> None:
    every = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    texts = _texts() + HOSTILE + [every, every.upper(), every.lower()]
    fast = 0
    for text in texts:
        want = "".join(_fold_char(c) for c in text)
        assert fold(text) == want, text[:80]
        fast += not text.isascii() and len(text) >= 64 and "\u03a3" not in text
    assert fast > 30  # the lower-and-replace path saw real articles


def test_scan_text_equals_regex_form() -> None:
    every = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    texts = _texts() + HOSTILE + [every]
    ascii_after_blanking = 0
    for text in texts:
        folded = fold(text)
        want = " " + _text._SCAN_BLANK.sub(" ", folded) + " "
        assert scan_text(folded) == want, text[:80]
        ascii_after_blanking += not folded.isascii() and want.isascii()
    assert ascii_after_blanking > 30  # the blank-then-translate path saw real articles


# --- the automaton pass ----------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _word_start_automaton(whole_word: object):  # noqa: ANN202 - a pyahocorasick Automaton
    """The index's keys without their closing space: the automaton of word starts it replaced."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for key, value in whole_word.items():  # type: ignore[attr-defined]
        auto.add_word(key[:-1], value)
    auto.make_automaton()
    return auto


def _plain_automaton_spans(r: rec.Recognizer, text: str, folded: str, scan: str) -> list[tuple]:
    """The automaton pass as written before its fast paths: word starts found by the automaton and
    word ends checked in Python (not by the keys' closing space), tuples sorted with a key function."""
    found: list[tuple[int, int, str]] = []
    n = len(folded)
    for end, (key, length) in _word_start_automaton(r.automaton).iter(scan):
        start = end - length
        if not text[start].isupper():
            continue
        if end < n and folded[end].isalnum():
            continue
        if " " in key and text.find("\n", start, end) >= 0:
            continue
        found.append((start, end, key))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out = []
    last_end = -1
    for start, end, key in found:
        if start < last_end:
            continue
        hits = r.gaz.lookup(key)  # type: ignore[attr-defined]
        if not hits:
            continue
        exact = any(h.quality >= 0.99 for h in hits)
        out.append((start, end, key, hits, "exact" if exact else "variant"))
        last_end = end
    return out


def test_automaton_spans_equal_plain_loop(pipeline) -> None:  # noqa: ANN001 - a fixture
    r = pipeline.recognizer
    texts = _texts()[:400] + HOSTILE
    spans = 0
    for text in texts:
        folded = fold(text)
        scan = scan_text(folded)
        got = [(s.start, s.end, s.key, s.hits, s.match) for s in r._automaton_spans(text, folded, scan)]
        assert got == _plain_automaton_spans(r, text, folded, scan), text[:80]
        spans += len(got)
    assert spans > 2000


def test_scan_hits_by_sqlite_equal_the_automaton(gazetteer) -> None:  # noqa: ANN001 - a fixture
    """``Gazetteer.scan_hits`` (word runs looked up in SQLite) finds what the automaton finds."""
    automaton = gazetteer.automaton()
    hits = 0
    for text in _texts() + HOSTILE + ["", "Kyiv", " Kryvyi  Rih ", "x" * 50]:
        scan = scan_text(fold(text))
        want = sorted(automaton.iter(scan))
        assert sorted(gazetteer.scan_hits(scan)) == want, text[:80]
        hits += len(want)
    assert hits > 20_000


def test_recognizer_looks_keys_up_until_the_automaton_pays(gazetteer, monkeypatch) -> None:  # noqa: ANN001
    """A fresh recognizer scans by SQLite, then loads the automaton: the same mentions either way."""
    from geomap import config

    texts = _texts()[:60]
    by_automaton = rec.Recognizer(gazetteer)
    by_automaton.automaton  # noqa: B018 - loaded: every scan uses it
    monkeypatch.setattr(config, "SCAN_LOOKUP_BYTES", sum(map(len, texts[:30])))
    fresh = rec.Recognizer(_FreshGazetteer(gazetteer))
    loaded = []
    for i, text in enumerate(texts):
        art = Article(article_id=f"a{i}", text=text)
        assert fresh.recognize(art) == by_automaton.recognize(art), text[:80]
        loaded.append(fresh._automaton is not None)
    # by SQLite first, by the automaton once the budget was spent, never back
    assert loaded == sorted(loaded) and not loaded[0] and loaded[-1]
    assert 20 < loaded.index(True) <= 31


class _FreshGazetteer:
    """The session's gazetteer, seen as one whose automaton is not loaded yet."""

    def __init__(self, gaz) -> None:  # noqa: ANN001
        self._gaz = gaz

    automaton_loaded = False

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._gaz, name)


def test_capitalised_words_need_no_length_or_capital_test() -> None:
    """``_signalled_unknowns`` dropped ``len(word) < 4 or not _CAP_RE.match(word)``: never true."""
    words = 0
    for text in _texts() + HOSTILE:
        for m in rec._CAP_WORD_RE.finditer(text):
            assert len(m.group(0)) >= 4 and rec._CAP_RE.match(m.group(0)), m.group(0)
            words += 1
    assert words > 10_000


def test_not_names_is_the_four_lists(pipeline) -> None:  # noqa: ANN001 - a fixture
    lex = rec.lexicon()
    want = lex.demonyms | lex.given_names | lex.titles | lex.public_figures
    assert pipeline.recognizer._not_names == want
    assert len(want) > 100


# --- gazetteer rows and caches ---------------------------------------------------------------


def test_row_to_place_positional_equals_keywords(gazetteer) -> None:  # noqa: ANN001 - a fixture
    fields = [f.name for f in dataclasses.fields(Place)]
    cols = [c.strip() for c in _PLACE_COLS.split(",")]
    renamed = {"lat": "latitude", "lon": "longitude", "cc": "country_code"}
    assert [renamed.get(c, c) for c in cols] == fields  # the column order is the field order
    rows = gazetteer._q(f"SELECT {_PLACE_COLS} FROM places ORDER BY pid LIMIT 2000")
    rows += [tuple(None if i == 9 else v for i, v in enumerate(rows[0]))]  # a missing population
    for row in rows:
        want = Place(**{f: (row[i] or 0) if f == "population" else row[i] for i, f in enumerate(fields)})
        assert _row_to_place(row) == want


def test_lookup_skeleton_cache_equals_fresh_queries(gazetteer) -> None:  # noqa: ANN001 - a fixture
    from geomap.gazetteer import Gazetteer

    fresh = Gazetteer(gazetteer.path)  # an empty cache: every answer a query
    words = ["Kobyansk", "Rabutino", "Obitny", "Ilyeshchenkovo", "Artemovsk", "", "--", "Xqzzv", "Київ"]
    try:
        for w in words:
            first = gazetteer.lookup_skeleton(w)
            first.append("not kept")  # a caller's list is its own
            assert gazetteer.lookup_skeleton(w) == fresh.lookup_skeleton(w) == first[:-1]
        assert any(gazetteer.lookup_skeleton(w) for w in words)
    finally:
        fresh.close()


def test_region_place_cache_equals_fresh_queries(gazetteer) -> None:  # noqa: ANN001 - a fixture
    from geomap.gazetteer import Gazetteer

    fresh = Gazetteer(gazetteer.path)
    names = ["Donetsk", "Donetsk oblast", "Донецька область", "UA-14", "Kharkiv", "Belgorod", "Nowhere"]
    try:
        for name in names * 2:  # the second round reads the cache
            for cc in ("UA", "RU"):
                assert gazetteer.region_place(name, cc) == fresh.region_place(name, cc), (name, cc)
        assert gazetteer.region_place("Donetsk") is not None and gazetteer.region_place("Nowhere") is None
    finally:
        fresh.close()


def test_norm_key_of_plain_words_equals_full_form() -> None:
    """norm_key returns ``s.lower()`` for an ASCII word of letters: what fold, drop and strip give."""

    def full(s: str) -> str:
        return _text._SPACES.sub(" ", fold(s).replace("'", "")).strip(" .,")

    words = {m.group(0) for t in _texts()[:800] for m in _text.iter_words(t)}
    words |= {"Kyiv", "KYIV", "ǅx", "ﬁre", "Straße", "K\u212aelvin", "İz", "a", "", " ", "Mar’yinka"}
    plain = 0
    for w in words:
        assert _text.norm_key(w) == full(w), w
        plain += w.isalpha() and w.isascii()
    assert plain > 5000
