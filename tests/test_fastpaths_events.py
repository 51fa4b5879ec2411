"""The events stage's fast paths give the answers of the plain forms they replace, on real text.

* :func:`geomap._events_prefix._canon_text` on text whose only non-ASCII characters are not word
  characters (curly quotes, dashes) against the two substitutions;
* :func:`geomap._events_prefix.prefix_search` (the date patterns and the stance cues tried only at
  the word starts a prefix automaton names) against ``pattern.search``;
* the casualty counts with their closing-word gates against the counts without them;
* why a mention is no event location (:func:`geomap.events._mention_blocked`) with the last-word
  gates of its window patterns against the same without them;
* :func:`geomap.events.extract_events` (clause bounds only for sentences with a trigger match, the
  speakers of whole sentences looked for lazily, and the two fast paths above) against the same
  stage through the plain forms, on the real articles with the places this file names.
"""

from __future__ import annotations

import bisect
import re
from datetime import date

import pytest

from geomap import _events_counts as c
from geomap import _events_lexicon as lx
from geomap import _events_prefix as px
from geomap import _events_stance as st
from geomap import dates, events
from geomap._text import sentences, twin_text
from geomap.events import _lower, _untag
from geomap.model import GEO_PRECISION_BY_FEATURE, Article, Mention, Place
from tests.conftest import acled_notes, real_articles

#: Odd characters for the canonical form: curly quotes, dashes, letters and digits beyond ASCII
#: (Polish, Cyrillic, Arabic-Indic and full-width digits), the underscore, a lone surrogate.
_ODD = [
    "“Kyiv’s” strike – 3 dead…",
    "Łódź: 12 drones ‘shot down’",
    "у Харкові ٣ killed; ５ wounded",
    "snake_case drone_attack",
    "half\ud800way — ½ · ● £5 ¥",
    "",
]


def _articles() -> list[tuple[str, str]]:
    return real_articles()


def _sentence_texts() -> list[str]:
    texts = [s.text for _id, text in _articles() for s in sentences(text)]
    return texts + acled_notes() + _ODD


def _plain_canon(low: str) -> str:
    return " " + px._CANON_DIGIT.sub("0", px._CANON_BLANK.sub(" ", low))


def test_canon_text_of_non_ascii_text_equals_substitutions() -> None:
    fast = 0
    for text in _sentence_texts():
        low = _lower(_untag(text))
        assert px._canon_text(low) == _plain_canon(low), text
        fast += not low.isascii() and px._NON_ASCII_WORD.search(low) is None
    assert fast > 500  # the encode path ran on real text
    for i in range(0x80, 0x3000):  # every character of the lower planes, one at a time and in a word
        c = chr(i)
        assert px._canon_text("a" + c + "1") == _plain_canon("a" + c + "1"), hex(i)


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.span() == b.span() and a.groupdict() == b.groupdict()


def test_date_prefix_search_equals_search() -> None:
    assert dates._EXPLICIT_AUTO is not None and dates._RELATIVE_AUTO is not None  # the fast path is on
    found = 0
    texts = _sentence_texts()
    # every date expression run into words, digits and punctuation
    texts += ["x".join(texts[:50]), "on monday_tuesday, 3days ago; 2023-09-27x 27.09.2023 mid-may"]
    for text in texts:
        low = twin_text(text)
        if low is None:
            continue
        for pat, auto in (
            (dates._EXPLICIT_LOW, dates._EXPLICIT_AUTO),
            (dates._RELATIVE_LOW, dates._RELATIVE_AUTO),
        ):
            want = pat.search(low)
            assert _same(px.prefix_search(pat, auto, low), want), text
            found += want is not None
    assert found > 1000


def test_stance_cue_prefix_search_equals_search() -> None:
    """The three stance cues tried at the word starts of one shared automaton pass."""
    auto = st.CUE_AUTO
    assert auto is not None
    pats = [st._TWIN[p] for p in (lx.DENIAL, lx.CLAIM, lx.REPORTING)]
    found = [0, 0, 0]
    for text in _sentence_texts():
        low = twin_text(text)
        if low is None:
            continue
        starts = px.word_starts(auto, low)
        for i, pat in enumerate(pats):
            want = pat.search(low)
            assert _same(px.prefix_search(pat, auto, low, starts), want), text
            found[i] += want is not None
    assert min(found) > 20 and sum(found) > 500


def test_count_word_gates_keep_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Casualty counts with the closing-word gates equal the counts that scan every pattern."""
    texts = _sentence_texts()
    fast = [(c.count_fatalities.__wrapped__(t), c.count_injured.__wrapped__(t)) for t in texts]
    monkeypatch.setattr(c, "_NEEDS", {})
    plain = [(c.count_fatalities.__wrapped__(t), c.count_injured.__wrapped__(t)) for t in texts]
    assert fast == plain
    assert sum(f is not None for f, _i in fast) > 200 and sum(i is not None for _f, i in fast) > 100


# --- the whole stage, fast against plain ---------------------------------------------------------

#: Places to find in the articles (names and rounded coordinates known by heart; feature decides
#: the precision): enough for events with dates, claims, counts, containers and demoted regions.
_PLACES = {
    "Kyiv": (50.45, 30.52, "settlement", "UA", "Kyiv City", 2_900_000),
    "Kharkiv": (49.99, 36.23, "settlement", "UA", "Kharkiv", 1_400_000),
    "Odesa": (46.48, 30.72, "settlement", "UA", "Odesa", 1_000_000),
    "Kherson": (46.64, 32.61, "settlement", "UA", "Kherson", 280_000),
    "Bakhmut": (48.60, 38.00, "settlement", "UA", "Donetsk", 70_000),
    "Avdiivka": (48.14, 37.74, "settlement", "UA", "Donetsk", 30_000),
    "Zaporizhzhia": (47.84, 35.14, "settlement", "UA", "Zaporizhzhia", 700_000),
    "Robotyne": (47.44, 35.84, "settlement", "UA", "Zaporizhzhia", 500),
    "Kupiansk": (49.71, 37.62, "settlement", "UA", "Kharkiv", 27_000),
    "Lviv": (49.84, 24.03, "settlement", "UA", "Lviv", 720_000),
    "Moscow": (55.76, 37.62, "settlement", "RU", "Moscow", 12_000_000),
    "Belgorod": (50.60, 36.59, "settlement", "RU", "Belgorod", 340_000),
    "Crimea": (45.30, 34.40, "region", "UA", "Crimea", 0),
    "Donetsk region": (48.00, 37.80, "oblast", "UA", "Donetsk", 0),
    "Kharkiv region": (49.50, 36.50, "oblast", "UA", "Kharkiv", 0),
    "Ukraine": (49.00, 32.00, "country", "UA", "", 0),
    "Russia": (61.50, 105.30, "country", "RU", "", 0),
}
_PLACE_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _PLACES), key=len, reverse=True)) + r")\b")


def _mentions(article_id: str, text: str) -> list[Mention]:
    out = []
    for m in _PLACE_RE.finditer(text):
        lat, lon, feature, cc, admin1, pop = _PLACES[m.group(0)]
        place = Place(
            place_id="t:" + m.group(0),
            name=m.group(0),
            latitude=lat,
            longitude=lon,
            feature=feature,
            country_code=cc,
            admin1=admin1,
            population=pop,
        )
        out.append(
            Mention(
                article_id,
                m.group(0),
                m.start(),
                m.end(),
                "exact",
                status="resolved",
                place=place,
                confidence=0.9,
                geo_precision=GEO_PRECISION_BY_FEATURE[feature],
            )
        )
    return out


def _stance_eager(texts: list[str], sub: str, whole: list[str]) -> tuple[str, str | None, str | None]:
    """:func:`geomap._events_stance.stance` without its gates: every whole sentence's speaker found
    first, every cue searched with its plain pattern, the later-clause denial and the claim's owner
    looked for always."""
    claim = deny = False
    claimant = denier = None
    speakers = [w for w in (st.speaker(t) for t in whole) if w]
    for t in texts:
        who = st.speaker(t) or next(
            (w for tw, w in ((tw, st.speaker(tw)) for tw in whole) if w and t in tw), None
        )
        d = lx.DENIAL.search(t) is not None
        c = lx.CLAIM.search(t) is not None and (
            sub in lx.SUCCESS_SUBS or st.CLAIM_WORD.search(t) is not None
        )
        reports = who is not None and lx.REPORTING.search(t) is not None
        c = c or (sub in lx.SUCCESS_SUBS and reports and not d)
        if not d:  # a later clause denying this one
            for tw in whole:
                k = tw.find(t)
                back = st._DENIES_IT.search(tw, k + len(t)) if k >= 0 else None
                if back is not None:
                    d = True
                    denier = denier or back.group("by") or st.speaker(tw[k + len(t) :])
                    break
        owner = None
        if d and c:  # whose claim the denial answers
            found = st._CLAIM_OWNER.search(t)
            if found is not None:
                owner = re.sub(r"['’]s$", "", found.group("o") or found.group("o2"))
                owner = st._OWNER_NAMES.get(owner, owner)
        if d:
            deny = True
            denier = denier or who
        if c:
            claim = True
            claimant = claimant or owner or who
        if not d and not c and claimant is None and who is not None:
            claimant = who
    claimant = claimant or (speakers[0] if speakers else None)
    if claim and deny:
        return "disputed", claimant, denier
    if deny:
        return "denied", claimant, denier
    if claim:
        return "claimed", claimant, None
    return "reported", claimant, None


_NO_GATES = {"_TITLE_ENDS": ("",), "_PRO_ENDS": ("",), "_REFERENCE_ENDS": ("",), "_LOCATIVE_ENDS": ("",)}


def test_mention_window_gates_keep_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    """Why a mention is no event location, with the last-word gates and without them.

    Every string ends with "": the gates set to ("",) let every window through to its pattern.
    """
    cases = []
    for article_id, text in _articles():
        sents = sentences(text)
        starts = [s.start for s in sents]
        ms = _mentions(article_id, text)
        for m in ms:
            s = sents[max(0, bisect.bisect_right(starts, m.char_start) - 1)]
            cases.append((s, m, [o for o in ms if s.start <= o.char_start < s.end]))
    fast = [events._mention_blocked(s, m, others) for s, m, others in cases]
    for name, value in _NO_GATES.items():
        monkeypatch.setattr(events, name, value)
    assert fast == [events._mention_blocked(s, m, others) for s, m, others in cases]
    assert {"title", "actor", "reference", None} <= set(fast) and len(cases) > 1000


def _run_all() -> list[dict]:
    events._weapons.cache_clear()  # cached answers of one run must not stand in for the other's
    st.speaker.cache_clear()
    out = []
    for article_id, text in _articles():
        art = Article(article_id=article_id, text=text, title=article_id, published=date(2023, 9, 27))
        out += [e.to_record() for e in events.extract_events(art, _mentions(article_id, text))]
    return out


def test_extract_events_equals_plain_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _run_all()
    ev = [e for e in fast if e["role"] == "event"]
    # the comparison sees dates, casualty counts, claimants and every stance but "denied" on real text
    assert len(fast) > 250 and len(ev) > 100  # enough events for the comparison to mean something
    assert (
        sum(e["event_date"] is not None for e in ev) > 30 and sum(e["fatalities"] is not None for e in ev) > 5
    )
    assert sum(e["claimed_by"] is not None for e in ev) > 20
    assert {"reported", "claimed", "disputed"} <= {e["stance"] for e in ev}

    tb = events._triggers_and_bounds
    monkeypatch.setattr(events, "_triggers_and_bounds", lambda t, b=None: tb(t, events._clause_bounds(t)))
    monkeypatch.setattr(events, "_stance", _stance_eager)
    monkeypatch.setattr(dates, "prefix_search", lambda pat, _auto, low: pat.search(low))
    monkeypatch.setattr(px, "_canon_text", _plain_canon)
    for name, value in _NO_GATES.items():
        monkeypatch.setattr(events, name, value)
    try:
        plain = _run_all()
    finally:
        monkeypatch.undo()
        events._weapons.cache_clear()
        st.speaker.cache_clear()
    assert fast == plain
