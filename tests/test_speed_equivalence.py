"""The parse's fast paths give the answers of the plain forms they replace, on real text.

* :func:`geomap._events_lexicon.trigger_matches` against ``TRIGGERS.finditer``;
* the trie form of the not-place regex against the longest-first alternation;
* ``_plain_zipf`` against ``wordfreq.zipf_frequency``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from geomap import _events_lexicon as lx
from geomap._text import fold, sentences
from geomap.events import _lower, _untag
from geomap.recognize import _PLAIN_WORD, _not_place_regex, _plain_zipf, lexicon

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EVAL = SHARED / "eval"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _texts() -> list[str]:
    if not EVAL.is_dir():
        pytest.skip(f"{EVAL} not present: the shared evaluation data is needed")
    texts = [p.read_text(encoding="utf-8") for p in sorted((EVAL / "articles_dev").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with open(EVAL / "acled_ukraine_dev.csv", newline="", encoding="utf-8") as fh:
        texts += [row["notes"] for row in csv.DictReader(fh)]
    return texts


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
