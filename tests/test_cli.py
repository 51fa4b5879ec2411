"""The CLI contract: commands, output formats, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from .conftest import REPO, SEEDS


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geomap.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=REPO,
        timeout=300,
    )


def test_geocode_json_finds_kupiansk_from_a_press_spelling(gazetteer) -> None:
    res = run("geocode", "Kupyansk", "--country", "UA", "--json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert rows[0]["name"] == "Kupiansk"
    assert abs(rows[0]["latitude"] - 49.71) < 0.05 and abs(rows[0]["longitude"] - 37.616) < 0.05
    for key in (
        "place_id",
        "name",
        "latitude",
        "longitude",
        "country_code",
        "admin1",
        "admin2",
        "feature",
        "population",
        "score",
        "matched_alias",
    ):
        assert key in rows[0]


def test_geocode_near_prefers_the_andriivka_by_bakhmut(gazetteer) -> None:
    res = run("geocode", "Andriivka", "--near", "48.594,37.999", "--radius", "25", "--json")
    assert res.returncode == 0, res.stderr
    top = json.loads(res.stdout)[0]
    assert abs(top["latitude"] - 48.50184) < 0.03 and abs(top["longitude"] - 37.96749) < 0.03


def test_parse_mentions_reports_resolved_and_unresolved(gazetteer) -> None:
    res = run("parse", str(SEEDS / "000_61b6276bf10f81e5.txt"), "--mentions")
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    statuses = {r["status"] for r in rows}
    assert "resolved" in statuses and statuses & {"unresolved", "ambiguous"}
    assert all(
        {
            "article_id",
            "mention",
            "char_start",
            "char_end",
            "status",
            "place_id",
            "latitude",
            "longitude",
            "score",
            "candidates",
        }
        <= set(r)
        for r in rows
    )


def test_parse_reads_jsonl_from_stdin_and_writes_geojson(gazetteer) -> None:
    line = json.dumps(
        {
            "id": "t1",
            "text": "Russian artillery shelled the city of Kherson on 3 May 2023, killing two civilians.",
            "published": "2023-05-04",
        }
    )
    res = run("parse", "-", "--format", "geojson", stdin=line + "\n")
    assert res.returncode == 0, res.stderr
    fc = json.loads(res.stdout)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    props = fc["features"][0]["properties"]
    assert props["place_name"] == "Kherson" and props["event_type"] == "Explosions/Remote violence"


def test_parse_csv_defuses_formulas_and_reads_back_with_pandas(gazetteer) -> None:
    # A quoted headline can start a cell with "=": a spreadsheet opening the CSV must not run it.
    text = (
        '=HYPERLINK("http://evil.example","x") Russian artillery shelled Kherson on 3 May 2023, killing two.'
    )
    line = json.dumps({"id": "t1", "text": text, "published": "2023-05-04"})
    res = run("parse", "-", "--format", "csv", stdin=line + "\n")
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(io.StringIO(res.stdout))
    assert "Kherson" in set(df["place_name"])
    evidence = df.loc[df["place_name"] == "Kherson", "sentence"].iloc[0]
    assert evidence.startswith("'=HYPERLINK")
    assert not any(str(v).startswith(("=", "+", "@")) for v in df.to_numpy().ravel())


def test_missing_input_is_one_line_on_stderr_and_nonzero(tmp_path: Path) -> None:
    res = run("parse", str(tmp_path / "missing.txt"))
    assert res.returncode != 0
    assert res.stderr.count("\n") == 1 and "missing.txt" in res.stderr and "Traceback" not in res.stderr


def test_build_writes_the_site_and_a_summary(gazetteer, tmp_path: Path) -> None:
    out = tmp_path / "site"
    res = run("build", str(SEEDS), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert (out / "index.html").exists()
    assert "index.html" in res.stdout and "events" in res.stdout and "unresolved" in res.stdout


def test_build_with_nothing_readable_fails_and_keeps_the_old_site(gazetteer, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    res = run("build", str(empty), "--out", str(out))
    assert res.returncode != 0 and "no article" in res.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "old"


def test_an_article_with_too_many_place_names_is_skipped_with_a_message(gazetteer, tmp_path: Path) -> None:
    import os

    (tmp_path / "list.txt").write_text(
        "Towns: " + ", ".join(["Kharkiv", "Lviv", "Odesa"] * 40), encoding="utf-8"
    )
    (tmp_path / "news.txt").write_text(
        "Russian drones struck Lviv overnight, officials said.", encoding="utf-8"
    )
    env = dict(os.environ, GEOMAP_MAX_MENTIONS="50")
    res = subprocess.run(
        [sys.executable, "-m", "geomap.cli", "parse", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert "list.txt" in res.stderr and "more than 50 place-name matches" in res.stderr
    ids = {json.loads(line)["article_id"] for line in res.stdout.splitlines()}
    assert ids == {"news"}


def test_gazetteer_build_refuses_to_drop_source_coverage(gazetteer) -> None:
    import os

    if not gazetteer.coverage.get("sources"):
        pytest.skip("the session's index was built without raw sources")
    version = gazetteer.version
    env = {k: v for k, v in os.environ.items() if k != "GEOMAP_SOURCES"}
    res = subprocess.run(
        [sys.executable, "-m", "geomap.cli", "gazetteer", "build", "--out", str(gazetteer.path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert res.returncode == 1 and "built from raw sources" in res.stderr and res.stderr.count("\n") == 1
    from geomap.gazetteer import Gazetteer

    assert Gazetteer.load(gazetteer.path).version == version  # untouched
