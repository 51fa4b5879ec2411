"""Reading articles: encodings, HTML, JSONL, limits, datelines."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from geomap import config
from geomap.ingest import (
    InputError,
    Skipped,
    decode_bytes,
    html_to_text,
    make_article,
    read_articles,
    read_jsonl,
)

from .conftest import SEEDS

UKR = "Обстріл Харкова: загинули троє людей. Кліщіївка звільнена."
RUS = "Обстрел Харькова: погибли три человека. Клещеевка освобождена."
LATIN = "Les habitants de Klichtchiïvka ont fui vers Kramatorsk, à l'été."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (LATIN.encode("utf-8"), LATIN),
        (b"\xef\xbb\xbf" + LATIN.encode("utf-8"), LATIN),
        (LATIN.encode("utf-16"), LATIN),
        (UKR.encode("utf-16-le"), UKR),
        (RUS.encode("cp1251"), RUS),
        (LATIN.encode("latin-1"), LATIN),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-nobom", "cp1251", "latin1"],
)
def test_decodes_the_encodings_scrapers_deliver(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_binary_is_refused_not_decoded() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    assert decode_bytes(png) is None


def test_html_drops_scripts_styles_navigation_and_comments() -> None:
    html = """<html><head><title>Strike on Lviv</title><style>p{color:red}</style>
    <script>var x = "Kharkiv";</script></head><body><nav>Home | Kyiv | Odesa</nav>
    <!-- Mariupol comment --><p>Drones hit <b>Lviv</b> at dawn.</p>
    <footer>Contact Dnipro</footer></body></html>"""
    title, text = html_to_text(html)
    assert title == "Strike on Lviv"
    assert "Drones hit Lviv at dawn." in text
    for hidden in ("Kharkiv", "Odesa", "Mariupol", "Dnipro", "color"):
        assert hidden not in text


def test_jsonl_reports_bad_lines_with_numbers_and_keeps_the_rest() -> None:
    lines = [
        json.dumps(
            {"id": "a1", "text": "Shelling of Kherson.", "published": "2023-05-02", "url": "https://x.org/a"}
        ),
        "{not json",
        json.dumps({"id": "a2", "text": "Drones over Kursk.", "url": "javascript:alert(1)"}),
        json.dumps({"id": "a3"}),
    ]
    skipped: list[Skipped] = []
    arts = list(read_jsonl(io.StringIO("\n".join(lines)), "feed.jsonl", skipped))
    assert [a.article_id for a in arts] == ["a1", "a2"]
    assert arts[0].published == date(2023, 5, 2) and arts[0].url == "https://x.org/a"
    assert arts[1].url is None  # only http(s) links survive
    assert [s.where for s in skipped] == ["feed.jsonl:2", "feed.jsonl:4"]
    assert "malformed JSON" in skipped[0].reason


def test_directory_reading_skips_binary_and_oversized_files(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "ok.txt").write_text("Strike on Kharkiv\n\nShelling hit Kharkiv on Monday.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01\x02" * 1000)
    (tmp_path / "big.txt").write_text("x" * 5000, encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    monkeypatch.setattr(config, "MAX_ARTICLE_BYTES", 4000)
    skipped: list[Skipped] = []
    arts = list(read_articles([tmp_path], skipped))
    assert sorted(a.article_id for a in arts) == ["empty", "ok"]
    reasons = {Path(s.where).name: s.reason for s in skipped}
    assert "binary" in reasons["junk.txt"] and "larger than" in reasons["big.txt"]
    ok = next(a for a in arts if a.article_id == "ok")
    assert ok.title == "Strike on Kharkiv"


def test_missing_input_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_articles([tmp_path / "nope"]))


def test_seed_articles_read_with_their_publication_dates() -> None:
    arts = {a.article_id: a for a in read_articles([SEEDS])}
    assert set(arts) == {"000_61b6276bf10f81e5", "001_de46932ccc36a013"}
    a0, a1 = arts["000_61b6276bf10f81e5"], arts["001_de46932ccc36a013"]
    assert a0.published == date(2023, 9, 27) and a0.published_source == "dateline"
    # 001 has no dateline: "Monday September 18" with 2022 dates in the text means 2023
    assert a1.published == date(2023, 9, 18)
    for a in (a0, a1):
        assert a.text == (SEEDS / f"{a.article_id}.txt").read_text(encoding="utf-8")


def test_invisible_format_characters_of_scraped_pages_are_dropped() -> None:
    art = make_article("t", "\ufeffShelling hit Kup\u00adiansk and Bakh\u200bmut.\u200e")
    assert art.text == "Shelling hit Kupiansk and Bakhmut."


def test_html_character_references_are_decoded() -> None:
    raw = "Strikes on Kharkiv &amp; Odesa; Kryvyi Rih&#8217;s mayor said&nbsp;so. AT&T: 3 & 4."
    art = make_article("t", raw)
    assert art.text == "Strikes on Kharkiv & Odesa; Kryvyi Rih’s mayor said\u00a0so. AT&T: 3 & 4."
    assert make_article("t", "Kharkiv & Odesa").text == "Kharkiv & Odesa"  # no reference, untouched
