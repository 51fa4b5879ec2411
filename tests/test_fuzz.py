"""Property-based fuzzing of the parser front-end: folding, sentences, decoding, HTML, the whole pipeline."""

from __future__ import annotations

import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap._text import fold, sentences
from geomap.ingest import decode_bytes, html_to_text, make_article

FAST = settings(max_examples=500, deadline=None)
SLOW = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Place names as the press spells them (transliterated via several languages), written for these tests.
PLACES = [
    "Kupiansk", "Kobyansk", "Kubyansk", "Kupyansk", "Robotyne", "Rabutino", "Klishchiivka", "Klichtchiïvka",
    "Bakhmut", "Artemovsk", "Avdiivka", "Avdiyivka", "Zaporizhzhia", "Zaporijia", "Saporischschja", "Kyiv",
    "Kiev", "Kharkiv Oblast", "Donetsk region", "the town of Andriivka", "Chasiv Yar", "Chasiv-Yar",
    "Mar’yinka", "Kryvyi Rih", "Крим", "Кліщіївка", "Артемовск", "باخموت", "Lviv", "Crimean", "Belgorod",
    "Opytne", "Obitny", "Sloviansk", "Kramatorsk", "Kherson", "Odesa", "Odessa", "Mykolaiv", "Moscow",
]
WORDS = [
    "shelling", "drone", "strike", "attack", "killed", "two civilians", "wounded", "near", "outskirts of",
    "in the village of", "Russian forces", "Ukrainian troops", "claimed", "denied", "artillery", "on Tuesday",
    "Mr.", "Gen.", "U.S.", "km", "10 km north of", "the", "and", "region", "oblast", "said", "reported",
]
MARKUP = [
    "<b>", "</b>", "<script>alert(1)</script>", "<!--", "-->", "&amp;", "&#x110000;", "&#0;", "&nbsp;",
    "<![CDATA[", "]]>", "${x}", "`", "</script>", "<p", "\x00", "\ufeff", "\u200b", "\u0301", "\u202e",
    "İ", "ß", "ﬁ", "Ⅻ", "🇺🇦", "💥", "\r\n", "\n\n", "\t", " — ", "…", "“", "’", "«", "»", ".", "?!", ",",
]
TAGS = ["<div>", "</div>", "<title>", "</title>", "<nav>", "<a href='", "<svg><style>", "</p>",
        "<br/>", "<!DOCTYPE html>", "<?xml ?>", "<style>", "</style>", "<noscript>", "<SCRIPT>", "</scrip",
        "<p class=x"]

hostile_text = st.lists(
    st.one_of(st.sampled_from(PLACES), st.sampled_from(WORDS), st.sampled_from(MARKUP), st.text(max_size=12)),
    max_size=60,
).flatmap(lambda parts: st.lists(st.sampled_from([" ", "", ". ", ", ", "\n", "  "]),
                                 min_size=len(parts), max_size=len(parts))
          .map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True))))

sentence_text = st.lists(st.sampled_from(list("Ab .!?\n\"”’)([“Кі1…") + ["Mr. ", "U.S. ", "\n\n", "St."]),
                         max_size=120).map("".join)


@FAST
@given(st.text())
def test_fold_keeps_length_for_any_text(s: str) -> None:
    assert len(fold(s)) == len(s)


@FAST
@given(st.one_of(st.text(), hostile_text))
def test_fold_keeps_length_of_hostile_text(s: str) -> None:
    assert len(fold(s)) == len(s)


_CLOSERS = "\"”’)]"


def _check_sentences(text: str) -> None:
    out = sentences(text)
    prev_end = 0
    for s in out:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text
        assert s.start >= prev_end  # ordered, non-overlapping
        assert s.text == s.text.strip()
        # nothing but whitespace falls between sentences (and, as written today, the closing
        # quotes and brackets after a full stop, which the boundary pattern consumes)
        assert not "".join(text[prev_end:s.start].split()).strip(_CLOSERS)
        prev_end = s.end
    assert not "".join(text[prev_end:].split())


@FAST
@given(st.one_of(st.text(), sentence_text))
def test_sentences_are_ordered_exact_spans(text: str) -> None:
    _check_sentences(text)


@FAST
@given(hostile_text)
def test_sentences_of_hostile_text(text: str) -> None:
    _check_sentences(text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=500).map(lambda s: s.encode("utf-8")),
    hostile_text.map(lambda s: s.encode("utf-16-le", errors="surrogatepass")),
    hostile_text.map(lambda s: s.encode("cp1251", errors="ignore")),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]), st.binary(max_size=300))
    .map(lambda t: t[0] + t[1]),
))
def test_decode_bytes_never_raises(data: bytes) -> None:
    out = decode_bytes(data)
    assert out is None or isinstance(out, str)


@FAST
@given(st.one_of(st.text(), hostile_text,
                 st.lists(st.sampled_from(TAGS + MARKUP + PLACES), max_size=40).map("".join)))
def test_html_to_text_never_raises(html: str) -> None:
    title, text = html_to_text(html)
    assert isinstance(title, str) and isinstance(text, str)


@FAST
@given(hostile_text, hostile_text)
def test_html_to_text_keeps_the_story_and_drops_the_scripts(title: str, body: str) -> None:
    doc = (f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title><style>p {{}}</style></head>"
           f"<body><nav>MENU_MARKER</nav><p>{html.escape(body)}</p>"
           "<script>var SCRIPT_MARKER = '</p>';</script></body></html>")
    got_title, text = html_to_text(doc)
    assert "SCRIPT_MARKER" not in text and "MENU_MARKER" not in text
    # only whitespace may change: every visible character of the story survives, in order
    assert "".join(text.split()) == "".join(body.split())
    assert "".join(got_title.split()) == "".join(title.split())


@pytest.fixture(scope="module")
def pipe(request: pytest.FixtureRequest):
    """The pipeline on the built gazetteer; skipped (not built here) when the index is absent."""
    from geomap.gazetteer import Gazetteer, GazetteerNotBuilt

    try:
        Gazetteer.load().close()
    except GazetteerNotBuilt as exc:
        pytest.skip(f"gazetteer index not built ({exc})")
    return request.getfixturevalue("pipeline")


@SLOW
@given(hostile_text)
def test_the_pipeline_survives_hostile_text(pipe, text: str) -> None:
    art = make_article("fuzz", text)
    res = pipe.process(art)
    t = art.text
    for m in res.mentions:
        assert 0 <= m.char_start < m.char_end <= len(t)
        assert t[m.char_start:m.char_end] == m.text
        assert m.status in ("resolved", "ambiguous", "unresolved")
        assert 0.0 <= m.confidence <= 1.0
        if m.status == "resolved":
            assert m.place is not None and m.geo_precision in (1, 2, 3, 4)
    for e in res.events:
        assert t[e.char_start:e.char_end] == e.mention
        assert e.mention in e.sentence
        assert e.sentence_start <= e.char_start and e.char_end <= e.sentence_start + len(e.sentence)
        assert e.role in ("event", "context")
