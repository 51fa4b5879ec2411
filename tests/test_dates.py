"""Tests of geomap.dates: datelines, inferred publication dates, relative event dates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.dates import date_range, find_dateline, infer_publication_date, resolve_relative

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@pytest.mark.parametrize(
    "header",
    [
        "Wednesday, September 27, 2023",
        "27 September 2023",
        "2023-09-27",
        "Sept. 27, 2023",
        "Published: 27.09.2023",
        "Updated on September 27th, 2023 10:42",
    ],
)
def test_find_dateline_formats(header: str) -> None:
    text = f"Some outlet\n{header}\n\nRussian forces shelled Kharkiv on Tuesday, officials said.\n"
    assert find_dateline(text) == date(2023, 9, 27)


def test_find_dateline_wire_without_year_uses_text_year() -> None:
    text = "KYIV, Sept 27 (Reuters) - Russia attacked Odesa overnight, officials said. 2023's largest raid."
    assert find_dateline(text) == date(2023, 9, 27)


def test_find_dateline_ignores_dates_in_prose_and_far_down() -> None:
    prose = "Putin justified the February 24, 2022 invasion of neighbouring Ukraine with false claims.\n"
    assert find_dateline(prose) is None
    late = "\n".join(f"line {i}" for i in range(30)) + "\nSeptember 27, 2023\n"
    assert find_dateline(late) is None


def test_seed_datelines() -> None:
    t0 = (SEEDS / "000_61b6276bf10f81e5.txt").read_text(encoding="utf-8")
    t1 = (SEEDS / "001_de46932ccc36a013.txt").read_text(encoding="utf-8")
    assert find_dateline(t0) == date(2023, 9, 27)
    assert find_dateline(t1) is None
    assert infer_publication_date(t1) == (date(2023, 9, 18), "day")


def test_infer_publication_date_uses_weekday_and_years() -> None:
    text = "Talks open on Monday September 18. Recall the invasion of February 24, 2022."
    assert infer_publication_date(text) == (date(2023, 9, 18), "day")
    # Without any explicit year the weekday alone does not fix the year.
    assert infer_publication_date("He arrives on Monday September 18.") == (None, None)
    assert infer_publication_date("No dates at all in 2023.") == (None, None)


PUB = date(2023, 9, 27)  # a Wednesday


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        ("on September 16", date(2023, 9, 16), "day"),
        ("16 September 2023", date(2023, 9, 16), "day"),
        ("Saturday, September 16, 2023 (AP)", date(2023, 9, 16), "day"),
        ("on Tuesday", date(2023, 9, 26), "day"),
        ("Drones launched an attack at dawn on Tuesday morning on Lviv", date(2023, 9, 26), "day"),
        ("on Wednesday", date(2023, 9, 27), "day"),
        ("on Friday", date(2023, 9, 22), "day"),
        ("last night", date(2023, 9, 27), "days"),
        ("overnight", date(2023, 9, 27), "days"),
        (
            "Russia claimed on the night of Sunday to Monday to have shot down drones",
            date(2023, 9, 25),
            "days",
        ),
        ("yesterday", date(2023, 9, 26), "day"),
        ("Today, the enemy attacked the town", date(2023, 9, 27), "day"),
        ("this week", date(2023, 9, 27), "week"),
        ("Drones attacked Kharkiv over the weekend", date(2023, 9, 24), "days"),  # the Sunday before
        ("Ukrainian troops liberated Kherson in November 2022.", date(2022, 11, 1), "month"),
        ("Avdiivka fell in February 2024, analysts said.", date(2024, 2, 1), "month"),
        ("in the past 24 hours", date(2023, 9, 27), "days"),
        ("The town was taken by Russian forces in January.", date(2023, 1, 1), "month"),
        # a night or span of days by its dates: the later day, and how many days it covers
        ("Drones struck the refinery overnight on Sept. 20-21, the SBU said.", date(2023, 9, 21), "days"),
        ("Russia launched 90 drones on the night of 20-21 September.", date(2023, 9, 21), "days"),
        ("Between Sept. 18-21 Russia launched 400 drones.", date(2023, 9, 21), "week"),
        ("Kharkiv was hit overnight on September 25.", date(2023, 9, 25), "day"),
        ("Drones attacked Kyiv on Monday night into Tuesday.", date(2023, 9, 26), "days"),
        ("The convoy stretched 20-25 km on September 25.", date(2023, 9, 25), "day"),
        ("Nothing about time here.", None, None),
    ],
)
def test_resolve_relative(phrase: str, expected: date | None, precision: str | None) -> None:
    assert resolve_relative(phrase, PUB) == (expected, precision)


def test_resolve_relative_year_boundary() -> None:
    pub = date(2024, 1, 2)  # a Tuesday
    assert resolve_relative("on December 30", pub) == (date(2023, 12, 30), "day")
    assert resolve_relative("on Friday", pub) == (date(2023, 12, 29), "day")
    assert resolve_relative("yesterday", pub) == (date(2024, 1, 1), "day")
    assert resolve_relative("the night of Sunday to Monday", pub) == (date(2024, 1, 1), "days")
    assert resolve_relative("in December", pub) == (date(2023, 12, 1), "month")
    assert resolve_relative("last month", pub) == (date(2023, 12, 1), "month")


def test_resolve_relative_without_publication_date() -> None:
    assert resolve_relative("on Tuesday", None) == (None, None)
    assert resolve_relative("16 September 2023", None) == (date(2023, 9, 16), "day")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 6))
def test_weekday_is_latest_on_or_before_publication(pub: date, wd: int) -> None:
    name = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][wd]
    d, prec = resolve_relative(f"on {name}", pub)
    assert prec == "day" and d is not None
    assert d.weekday() == wd and timedelta(0) <= pub - d < timedelta(days=7)


def test_date_range() -> None:
    assert date_range(date(2023, 9, 25), "days") == (date(2023, 9, 24), date(2023, 9, 25))
    assert date_range(date(2023, 2, 1), "month") == (date(2023, 2, 1), date(2023, 2, 28))
    assert date_range(None, None) is None
