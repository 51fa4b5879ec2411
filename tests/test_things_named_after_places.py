"""Where the event is when a name is not its place: shops, streets, units and armed groups named after
places, and the second end of "between X and Y".

"The Metro supermarket in Kharkiv" is not Metro, Indonesia; "111B Petrovskogo street in Donetsk"
is a street of Donetsk; "Donetsk rebels shelled Avdiivka" puts the shelling in Avdiivka. Each
case is checked against the one it must not break ("a Kharkiv supermarket", "a Kyiv street").
"""

from __future__ import annotations

from datetime import date

import pytest

from geomap.ingest import make_article


def _parse(pipeline, text: str):
    return pipeline.process(make_article("t", text, title="", published=date(2022, 3, 25)))


def _event_places(res) -> list[str]:
    return [e.place_name for e in res.events if e.role == "event"]


@pytest.mark.parametrize(
    ("text", "events"),
    [
        # a shop abroad's name: the town of the text
        (
            "Russian forces fired Grad missiles at the airport and the Metro supermarket in Kharkiv. "
            "6 people died.",
            ["Kharkiv"],
        ),
        ("A missile hit a Kharkiv supermarket, killing two.", ["Kharkiv"]),
        # streets
        (
            "Ukrainian forces fired Tochka-U missiles at a residential building on 111B Petrovskogo "
            "street in Donetsk. Four women died.",
            ["Donetsk"],
        ),
        ("Shells hit Moscow Avenue in Kharkiv on Monday.", ["Kharkiv"]),
        ("A missile struck a house on Sumska street in Kharkiv.", ["Kharkiv"]),
        ("A missile hit a Kyiv street, killing two.", ["Kyiv"]),
        ("Russian Missiles Hit Kyiv Street", ["Kyiv"]),
        # a small place's name ending a longer name: a unit, a park, a river
        (
            "Russian forces clashed with Ukrainian forces, including Karpatska Sich, in Irpin, Kyiv. "
            "50 Russian soldiers were killed.",
            ["Irpin"],
        ),
        ("Russian forces fired mortars at Feldman Ecopark near Lisne, Kharkiv.", ["Lisne"]),
        ("Ukrainian forces blew up a dam on the Siverskyi Donets in Pechenihy, Kharkiv.", ["Pechenihy"]),
        # ... but not an English or Slavic prefix, nor a title-cased headline
        ("Russian airstrikes hit the New Korotych airfield, Kharkiv oblast.", ["Korotych"]),
        ("Russian Drone Hits Kupiansk Market", ["Kupiansk"]),
        # "between X and Y": one event, at the first (ACLED's convention)
        (
            "Russian forces fired at a car in a forest between Irpin and Hostomel, Kyiv. Three people "
            "were killed.",
            ["Irpin"],
        ),
        # armed groups
        ("Russian forces and Donetsk rebels shelled Avdiivka, Donetsk. Five people died.", ["Avdiivka"]),
        ("Ukrainian forces clashed with Luhansk rebels near Kreminna, Luhansk.", ["Kreminna"]),
        ("Luhansk separatists shelled Popasna overnight.", ["Popasna"]),
    ],
)
def test_the_event_is_where_the_thing_is(pipeline, text: str, events: list[str]) -> None:
    assert _event_places(_parse(pipeline, text)) == events


def test_the_armed_group_is_still_read_as_its_oblast_elsewhere(pipeline) -> None:
    # the group's name blocks only its own mention: the city is an event where it is hit
    res = _parse(pipeline, "Donetsk rebels said Ukrainian artillery shelled Donetsk overnight.")
    assert _event_places(res) == ["Donetsk"]
