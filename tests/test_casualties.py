"""A reported toll counted once: how casualties are shared among the event places of one report.

ACLED divides a toll reported over several locations evenly among their events, the
remainder to the first named ("[3 fatalities split among 2 events]"), keeps it whole at a
city whose districts the report names, and gives it to the place whose clause reports it.
"""

from __future__ import annotations

from datetime import date

from geomap._text import sentences
from geomap.events import count_fatalities
from geomap.ingest import make_article

from .conftest import real_texts


def _events(pipeline, text: str, when: date = date(2022, 3, 10)):
    res = pipeline.process(make_article("t", text, title="", published=when))
    return {e.place_name: e.fatalities for e in res.events if e.role == "event"}


def test_a_toll_over_two_villages_is_split_the_remainder_to_the_first(pipeline) -> None:
    got = _events(
        pipeline,
        "On 10 March 2022, Russian forces fired at civilians with small arms in Stoyanka and Moshchun, "
        "Kyiv. Three civilians were killed.",
    )
    assert got == {"Stoianka": 2, "Moshchun": 1}


def test_a_toll_over_three_towns_is_counted_once(pipeline) -> None:
    got = _events(
        pipeline,
        "Russian shelling killed six people in Selydove, Kurakhove and Pokrovsk on Tuesday.",
        date(2024, 9, 3),
    )
    assert set(got) == {"Selydove", "Kurakhove", "Pokrovsk"}
    assert sum(got.values()) == 6 and set(got.values()) == {2}


def test_a_toll_in_city_districts_is_the_citys(pipeline) -> None:
    got = _events(
        pipeline,
        "On 8 March 2022, Russian forces fired artillery at the Oleksiivka and Saltivka neighbourhoods "
        "in Kharkiv. At least two civilians were killed.",
    )
    assert got.get("Kharkiv") == 2
    assert sum(v or 0 for v in got.values()) == 2, got


def test_a_toll_in_one_places_clause_is_that_places(pipeline) -> None:
    got = _events(
        pipeline,
        "Russian missiles struck the central city of Cherkasy, where one person died, and the town of "
        "Bila Tserkva, officials said.",
        date(2022, 6, 26),
    )
    assert got.get("Cherkasy") == 1
    assert not got.get("Bila Tserkva"), got


def test_no_sentence_of_the_real_texts_is_counted_twice(pipeline) -> None:
    # The real articles, the seeds and the ACLED notes: the events one sentence's toll is given to
    # add up to no more than that sentence reports.
    checked = 0
    for i, text in enumerate(real_texts()):
        res = pipeline.process(make_article(f"r{i}", text, title=""))
        by_sentence: dict[int, list[int]] = {}
        for e in res.events:
            if e.role == "event" and e.fatalities:
                by_sentence.setdefault(e.sentence_start, []).append(e.fatalities)
        starts = {s.start: s.text for s in sentences(text)}
        for start, tolls in by_sentence.items():
            own = count_fatalities(starts.get(start, ""))
            if own is None or len(tolls) < 2 or max(tolls) > own:
                continue  # the toll came from a following sentence: not this sentence's
            checked += 1
            assert sum(tolls) <= own, (text[start : start + 200], tolls, own)
    assert checked >= 3, "the real texts should hold sentences whose toll several events share"
