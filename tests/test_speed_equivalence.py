"""The parse's fast paths give the answers of the plain forms they replace, on real text.

* :func:`geomap._events_lexicon.trigger_matches` against ``TRIGGERS.finditer`` (and
  ``weapon_matches`` against ``WEAPON_RE.finditer``);
* the trie form of the not-place regex against the longest-first alternation;
* ``_plain_zipf`` against ``wordfreq.zipf_frequency``;
* the lower-case twins of case-insensitive patterns (dates, casualty counts, event cues) against
  the patterns themselves, and the gates that skip them;
* the character-set-first forms of the sentence-boundary, capitalised-word and name-pair regexes
  against their look-behind forms.
"""

from __future__ import annotations

import re

import pytest

from geomap import _events_counts, _text, dates, events
from geomap import _events_lexicon as lx
from geomap import _events_stance as st
from geomap import recognize as rec
from geomap._text import fold, lower_twin, sentences, twin_text
from geomap.events import _lower, _untag
from geomap.recognize import _PLAIN_WORD, _not_place_regex, _plain_zipf, lexicon
from tests.conftest import real_texts


def _texts() -> list[str]:
    return real_texts()


def test_trigger_matches_equal_finditer() -> None:
    n = found = 0
    for text in _texts():
        for s in sentences(text):
            low = _lower(_untag(s.text))
            want = [(m.start(), m.end(), m.lastgroup) for m in lx.TRIGGERS.finditer(low)]
            got = [(m.start(), m.end(), m.lastgroup) for m in lx.trigger_matches(low)]
            assert got == want, s.text
            n += 1
            found += len(want)
    assert n > 3000 and found > 1000  # the comparison saw real triggers


def test_not_place_trie_equals_alternation() -> None:
    phrases = lexicon().not_places
    alts = [re.escape(p).replace(r"\ ", r"[\s\-]+") for p in sorted(phrases, key=lambda p: (-len(p), p))]
    plain = re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])")
    trie = _not_place_regex(phrases)
    # real text, and every phrase run into the next with spaces, hyphens and letters
    texts = [fold(t) for t in _texts()[:400]]
    texts += [" ".join(sorted(phrases)), "-".join(sorted(phrases)), "x".join(sorted(phrases))]
    texts += [" ".join(p.replace(" ", " - ") for p in sorted(phrases))]
    hits = 0
    for t in texts:
        want = [m.span() for m in plain.finditer(t)]
        assert [m.span() for m in trie.finditer(t)] == want
        hits += len(want)
    assert hits > len(phrases)


def test_plain_zipf_equals_wordfreq() -> None:
    from wordfreq import top_n_list, zipf_frequency

    words = [w for w in top_n_list("en", 20000) if _PLAIN_WORD.fullmatch(w)]
    words += ["kyiv", "kharkiv", "bakhmut", "robotyne", "zzzzqx"]  # rare and unknown words too
    for w in words:
        assert _plain_zipf(w) == zipf_frequency(w, "en"), w


def _sentence_texts() -> list[str]:
    return [s.text for text in _texts() for s in sentences(text)]


def test_weapon_matches_equal_finditer() -> None:
    found = 0
    for text in _sentence_texts():
        low = _lower(_untag(text))
        want = [(m.start(), m.end(), m.lastgroup) for m in lx.WEAPON_RE.finditer(low)]
        assert [(m.start(), m.end(), m.lastgroup) for m in lx.weapon_matches(low)] == want, text
        found += len(want)
    assert found > 1000


def _ci_patterns() -> list[re.Pattern[str]]:
    """Every case-insensitive pattern a lower-case twin stands in for."""
    return [dates._EXPLICIT, dates._RELATIVE, *_events_counts._LOW, *events._TWIN, *st._TWIN]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)]


def test_lower_twins_find_the_same_spans() -> None:
    texts = _sentence_texts()
    # text that lower-casing would not serve: a dotted capital I, a Kelvin sign, a long s
    odd = ["İSTANBUL, 3 killed", "Five \u212aILLED on Monday", "Three were ſhot dead yesterday"]
    assert all(twin_text(t) is None for t in odd)
    twins = [(p, lower_twin(p)) for p in _ci_patterns()]
    lowered = 0
    for text in texts + odd:
        low = twin_text(text)
        if low is None:
            continue
        lowered += 1
        for p, twin in twins:
            assert _spans(twin, low) == _spans(p, text), (p.pattern[:60], text)
    assert lowered > 0.95 * len(texts)
    with pytest.raises(ValueError):
        lower_twin(re.compile(r"in Kyiv", re.IGNORECASE))  # an upper-case letter: the twin would miss it


def test_date_gates_and_counts_keep_answers() -> None:
    """resolve_relative and the casualty counts equal their case-insensitive, ungated forms."""
    from datetime import date

    published = date(2023, 9, 27)
    dated = counted = 0
    for text in _sentence_texts():
        ex, rel = dates._EXPLICIT.search(text), dates._RELATIVE.search(text)
        got = dates.resolve_relative(text, published)
        if ex is None and rel is None:
            assert got == (None, None), text
        else:
            dated += got[0] is not None
        want_k = _count_plain(text, killed=True)
        assert _events_counts.count_fatalities.__wrapped__(text) == want_k, text
        assert _events_counts.count_injured.__wrapped__(text) == _count_plain(text, killed=False), text
        counted += want_k is not None
    assert dated > 100 and counted > 100


def _count_plain(text: str, *, killed: bool) -> int | None:
    """The casualty counts through the case-insensitive patterns (non-ASCII text takes that path)."""
    c = _events_counts
    same = {p: p for p in c._LOW}
    real = c._patterns
    try:
        c._patterns = lambda t: (t, same)  # type: ignore[assignment]
        fn = c.count_fatalities if killed else c.count_injured
        return fn.__wrapped__(text)
    finally:
        c._patterns = real  # type: ignore[assignment]


def test_charset_first_regexes_equal_lookbehind_forms() -> None:
    cap_word = re.compile(r"(?<![^\W\d_'’\-])[A-ZА-ЯІЇЄҐ][^\W\d_'’\-]{3,}(?:[’'\-][^\W\d_]+)*")
    name_pair = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][\w'’-]+)")
    boundary = re.compile(r"(?<=[.!?…])([\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-ZА-ЯІЇЄҐ0-9])|\n\s*\n|\n(?=\S)")
    texts = _texts()
    texts += ["Kyiv.\n\nLviv!  “Odesa” said. Mr. Smith met Dr. Jones in U.S. 3 Rivers.\nNext…Then"]
    for text in texts:
        assert [(m.span(), m.groups()) for m in rec._NAME_PAIR.finditer(text)] == [
            (m.span(), m.groups()) for m in name_pair.finditer(text)
        ]
        assert [m.span() for m in rec._CAP_WORD_RE.finditer(text)] == [
            m.span() for m in cap_word.finditer(text)
        ]
        assert _text._sentence_bounds.__wrapped__(text) == _bounds_lookbehind(text, boundary)


def _bounds_lookbehind(text: str, boundary: re.Pattern[str]) -> tuple[tuple[int, int], ...]:
    """The sentence split as written with the look-behind boundary regex."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in boundary.finditer(text):
        cut = m.start() + len(m.group(1) or "")
        tail = _text._abbrev_tail(text, start, cut)
        if tail is not None and tail.lower() in _text._ABBREV and not m.group(0).startswith("\n"):
            continue
        _text._append(out, text, start, cut)
        start = m.end()
    _text._append(out, text, start, len(text))
    return tuple(out)


def test_speaker_gates_keep_answers() -> None:
    def plain(text: str) -> str | None:
        for pat in (st._SPEAKER_QUOTE, st._SPEAKER_BEFORE, st._SPEAKER_ACCORDING):
            for m in pat.finditer(text):
                who = m.group("a") if "a" in pat.groupindex and m.group("a") else m.groupdict().get("b")
                if not who:
                    continue
                who = re.sub(r"^(?:the|a|an|The|A|An)\s+", "", who.strip())
                if st._NOT_SPEAKER.match(who) or len(who) < 3:
                    continue
                return who
        return None

    found = 0
    for text in _sentence_texts():
        want = plain(text)
        assert st.speaker.__wrapped__(text) == want, text
        found += want is not None
    assert found > 200


def test_canon_text_translate_equals_substitutions() -> None:
    texts = _sentence_texts()[:3000] + ["".join(chr(i) for i in range(128))]
    for text in texts:
        low = _lower(text)
        assert lx._canon_text(low) == " " + lx._CANON_DIGIT.sub("0", lx._CANON_BLANK.sub(" ", low))


def test_clause_bounds_equal_plain_split() -> None:
    split = 0
    for text in _sentence_texts():
        clean = _untag(text)
        want = [0] + [m.end() for m in lx.CLAUSE_SPLIT.finditer(clean)] + [len(clean) + 1]
        assert events._clause_bounds(clean) == want, text
        split += len(want) > 2
    assert split > 500


def test_fold_and_scan_text_by_runs_equal_one_pass() -> None:
    """fold and scan_text split long non-ASCII text into ASCII and non-ASCII runs: same output."""
    every = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    texts = _texts()[:300] + [every, "İstanbul `quoted’ – ΣΑΣ ǅ ß Ł\u00a0x" * 5]
    for text in texts:
        assert fold(text) == (text.lower() if text.isascii() else text.translate(_text._FOLD_TABLE))
        folded = fold(text)
        assert _text.scan_text(folded) == " " + _text._SCAN_BLANK.sub(" ", folded) + " "


def test_not_place_ranges_by_first_words_equal_finditer() -> None:
    from types import SimpleNamespace

    phrases = lexicon().not_places
    regex = _not_place_regex(phrases)
    holder = SimpleNamespace(lex=lexicon())  # the method reads only the lexicon
    texts = [fold(t) for t in _texts()[:600]]
    texts += [" ".join(sorted(phrases)), "-".join(sorted(phrases)), "x".join(sorted(phrases))]
    texts += [" ".join(p.replace(" ", " - ") for p in sorted(phrases)), "_" + "_".join(sorted(phrases))]
    hits = 0
    for t in texts:
        want = [m.span() for m in regex.finditer(t)]
        assert rec.Recognizer._not_place_ranges(holder, t, _text.scan_text(t)) == want  # type: ignore[arg-type]
        hits += len(want)
    assert hits > len(phrases)
