"""The opt-in online geocoder, against a fake Nominatim/Photon on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from geomap import config
from geomap.model import Candidate, Mention, Place
from geomap.online import CONFIDENCE_CAP, OnlineGeocoder, fill_unresolved

from .conftest import SEEDS

SEED = SEEDS / "000_61b6276bf10f81e5.txt"
SLOW_SECONDS = 1.5
TIMEOUT = 0.3

# Answers written for these tests (coordinates of Kupiansk from general knowledge: 49.71 N, 37.62 E).
KUPIANSK = {
    "place_id": 1, "osm_type": "relation", "osm_id": 12345, "lat": "49.7100", "lon": "37.6158",
    "class": "place", "type": "town", "addresstype": "town", "name": "Kupiansk",
    "display_name": "Kupiansk, Kupiansk Raion, Kharkiv Oblast, Ukraine", "importance": 0.5,
    "address": {"town": "Kupiansk", "district": "Kupiansk Raion", "state": "Kharkiv Oblast",
                "country": "Ukraine", "country_code": "ua"},
}
DONETSK_OBLAST = {
    "osm_type": "relation", "osm_id": 71973, "lat": "48.0", "lon": "37.8", "class": "boundary",
    "type": "administrative", "addresstype": "state", "name": "Donetsk Oblast",
    "display_name": "Donetsk Oblast, Ukraine", "address": {"state": "Donetsk Oblast", "country_code": "ua"},
}
UKRAINE = {
    "osm_type": "relation", "osm_id": 60199, "lat": "49.48", "lon": "31.27", "class": "boundary",
    "type": "administrative", "addresstype": "country", "name": "Ukraine", "display_name": "Ukraine",
    "address": {"country": "Ukraine", "country_code": "ua"},
}
M03_THEN_VILLAGE = [
    {"osm_type": "way", "osm_id": 1, "lat": "48.6", "lon": "38.0", "class": "highway", "type": "trunk",
     "addresstype": "road", "name": "Robotyne", "display_name": "M-03", "address": {"country_code": "ua"}},
    {"osm_type": "node", "osm_id": 777, "lat": "47.4458", "lon": "35.8361", "class": "place",
     "type": "village", "addresstype": "village", "name": "Robotyne",
     "display_name": "Robotyne, Zaporizhzhia Oblast, Ukraine",
     "address": {"village": "Robotyne", "state": "Zaporizhzhia Oblast", "country_code": "ua"}},
]


def _echo(q: str) -> dict[str, Any]:
    """A village named like the query, at a deterministic point in Ukraine."""
    h = hashlib.sha256(q.encode()).digest()
    return {"osm_type": "node", "osm_id": int.from_bytes(h[:4], "big"), "lat": str(45.5 + h[4] / 255 * 6),
            "lon": str(24 + h[5] / 255 * 15), "class": "place", "type": "village", "addresstype": "village",
            "name": q.split(",")[0], "display_name": q,
            "address": {"country_code": "ua", "state": "Echo Oblast"}}


class FakeGeocoder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.log: list[dict[str, Any]] = []
        self.seen: set[str] = set()
        self.echo = False

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def queries(self) -> list[str]:
        return [r["params"].get("q", [""])[0] for r in self.log]


class Handler(BaseHTTPRequestHandler):
    server: FakeGeocoder

    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (timeout test)
            pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        self.server.log.append({"path": url.path, "params": params, "ua": self.headers.get("User-Agent", "")})
        q = params.get("q", [""])[0]
        key = q.lower()
        first = key not in self.server.seen
        self.server.seen.add(key)
        if url.path == "/api":
            return self._photon(key)
        if url.path == "/searchJSON":
            return self._geonames(key)
        if key == "boom":
            return self._send(500, {"error": "internal"})
        if key == "busy":
            return self._send(429, {"error": "slow down"}, {"Retry-After": "1"})
        if key == "very busy":
            return self._send(429, {"error": "come back tomorrow"}, {"Retry-After": "3600"})
        if key == "busy once":
            if first:
                return self._send(429, {"error": "slow down"}, {"Retry-After": "1"})
            return self._send(200, [KUPIANSK])
        if key == "slow":
            time.sleep(SLOW_SECONDS)
            return self._send(200, [])
        if key == "forbidden":
            return self._send(403, {"error": "blocked"})
        answers = {"kupiansk": [KUPIANSK], "donetsk oblast": [DONETSK_OBLAST], "ukraine": [UKRAINE],
                   "robotyne": M03_THEN_VILLAGE, "nowhere": [], "not json": "<html>"}
        if key in answers:
            return self._send(200, answers[key])
        return self._send(200, [_echo(q)] if self.server.echo else [])

    def _photon(self, key: str) -> None:
        def feature(cc: str, lon: float, lat: float, osm_id: int) -> dict[str, Any]:
            return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {"osm_type": "R", "osm_id": osm_id, "osm_key": "place", "osm_value": "town",
                                   "type": "city", "countrycode": cc, "name": "Kupiansk",
                                   "state": "Kharkiv Oblast" if cc == "UA" else "Masovia"}}

        feats = []
        if key == "kupiansk":  # a namesake abroad first: the country filter must skip it
            feats = [feature("PL", 21.0, 52.2, 1), feature("UA", 37.6158, 49.71, 12345)]
        self._send(200, {"type": "FeatureCollection", "features": feats})


    def _geonames(self, key: str) -> None:
        rows = []
        if key == "kupiansk":
            rows = [{"geonameId": 703656, "name": "Kupiansk", "toponymName": "Kup'yans'k", "lat": "49.71003",
                     "lng": "37.61581", "countryCode": "UA", "adminName1": "Kharkiv", "fcl": "P",
                     "fcode": "PPLA2", "population": 27169}]
        elif key == "kharkiv oblast":
            rows = [{"geonameId": 706482, "name": "Kharkiv Oblast", "lat": "49.5", "lng": "36.5",
                     "countryCode": "UA", "fcl": "A", "fcode": "ADM1"}]
        self._send(200, {"geonames": rows})


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeGeocoder]:
    server = FakeGeocoder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture()
def server(fake: FakeGeocoder, monkeypatch: pytest.MonkeyPatch) -> FakeGeocoder:
    fake.log.clear()
    fake.seen.clear()
    fake.echo = False
    # geopy takes system proxies from the environment: a CI proxy must not see 127.0.0.1 traffic.
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    return fake


def make(server: FakeGeocoder, tmp_path: Path, provider: str = "nominatim", **kw: Any) -> OnlineGeocoder:
    kw.setdefault("max_retries", 2)
    geo = OnlineGeocoder(provider, cache_dir=tmp_path / "cache", domain=server.domain, scheme="http",
                         timeout=TIMEOUT, min_delay=0, backoff=0.05, **kw)
    geo.waits = []  # type: ignore[attr-defined]
    geo._sleep = geo.waits.append  # type: ignore[attr-defined]  # record the waits instead of spending them
    return geo


# --- answers --------------------------------------------------------------------------


def test_a_nominatim_answer_becomes_a_capped_place_marked_with_its_source(server, tmp_path) -> None:
    with make(server, tmp_path) as geo:
        place = geo.lookup("Kupiansk", country_codes=["UA", "ru"])
    assert place is not None
    assert place.place_id == "online:nominatim:R12345"
    assert place.source == "nominatim"
    assert (place.name, place.country_code, place.admin1) == ("Kupiansk", "UA", "Kharkiv Oblast")
    assert place.feature == "settlement" and place.geo_precision == 1
    assert place.latitude == pytest.approx(49.71) and place.longitude == pytest.approx(37.6158)
    [req] = server.log
    assert req["path"] == "/search"
    assert req["params"]["format"] == ["json"]
    assert req["params"]["countrycodes"] == ["ru,ua"]
    assert "geomap" in req["ua"] and req["ua"] == config.USER_AGENT


@pytest.mark.parametrize(("query", "feature", "precision"),
                         [("Kupiansk", "settlement", 1), ("Donetsk Oblast", "oblast", 3),
                          ("Ukraine", "country", 4)])
def test_geo_precision_follows_the_result_type(server, tmp_path, query, feature, precision) -> None:
    with make(server, tmp_path) as geo:
        place = geo.lookup(query)
    assert place is not None
    assert (place.feature, place.geo_precision) == (feature, precision)


def test_roads_and_buildings_are_skipped_for_the_next_result(server, tmp_path) -> None:
    with make(server, tmp_path) as geo:
        place = geo.lookup("Robotyne", country_codes=["ua"])
    assert place is not None and place.place_id == "online:nominatim:N777"


def test_photon_answers_are_filtered_by_country(server, tmp_path) -> None:
    with make(server, tmp_path, "photon") as geo:
        place = geo.lookup("Kupiansk", country_codes=["ua"])
        assert geo.lookup("Nowhere", country_codes=["ua"]) is None
    assert place is not None
    assert (place.place_id, place.source, place.country_code) == ("online:photon:R12345", "photon", "UA")
    assert server.log[0]["path"] == "/api" and "geomap" in server.log[0]["ua"]


def test_geonames_answers_carry_the_feature_code_precision(server, tmp_path) -> None:
    with make(server, tmp_path, "geonames", username="geomap-test") as geo:
        town = geo.lookup("Kupiansk", country_codes=["ua"])
        oblast = geo.lookup("Kharkiv Oblast", country_codes=["ua"])
    assert town is not None and oblast is not None
    assert (town.place_id, town.source, town.geo_precision, town.population) == (
        "online:geonames:703656", "geonames", 1, 27169)
    assert (oblast.feature, oblast.geo_precision) == ("oblast", 3)
    assert server.log[0]["params"]["username"] == ["geomap-test"]
    assert server.log[0]["params"]["country"] == ["UA"]


def test_nominatim_waits_a_second_between_requests_by_default(tmp_path) -> None:
    # the usage policy: at most one request per second (nothing is sent here)
    with OnlineGeocoder(cache_dir=tmp_path) as geo:
        assert geo._limited.min_delay_seconds == 1.0
        assert geo._geocoder.domain == "nominatim.openstreetmap.org" and geo._geocoder.scheme == "https"


def test_an_empty_or_unparsable_answer_is_none(server, tmp_path) -> None:
    with make(server, tmp_path) as geo:
        assert geo.lookup("Nowhere") is None
        assert geo.lookup("not json") is None
        assert geo.lookup("  ") is None  # nothing to ask: no request
    assert server.queries() == ["Nowhere", "not json"]


# --- cache ----------------------------------------------------------------------------


def test_the_cache_answers_repeats_without_a_request_even_in_a_new_process(server, tmp_path) -> None:
    with make(server, tmp_path) as geo:
        first = geo.lookup("Kupiansk", country_codes=["ua"])
        assert geo.lookup("KUPIANSK ", country_codes=["ua"]) == first  # normalised query, same key
        assert geo.lookup("Nowhere", country_codes=["ua"]) is None
        assert geo.lookup("Nowhere", country_codes=["ua"]) is None  # empty answers are cached too
        assert geo.requests == 2
    with make(server, tmp_path) as again:  # same cache directory, fresh object
        assert again.lookup("Kupiansk", country_codes=["ua"]) == first
        assert again.requests == 0
        again.lookup("Kupiansk", country_codes=["ru"])  # another country bias is another question
        assert again.requests == 1
    assert len(server.log) == 3
    assert (tmp_path / "cache" / "cache.sqlite").is_file()


def test_failures_are_not_cached(server, tmp_path) -> None:
    with make(server, tmp_path, max_retries=0) as geo:
        assert geo.lookup("boom") is None
        assert geo.lookup("boom") is None
    assert len(server.log) == 2


def test_the_default_cache_lives_under_geomap_home(server, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GEOMAP_HOME", str(tmp_path / "home"))
    geo = OnlineGeocoder(domain=server.domain, scheme="http", timeout=TIMEOUT, min_delay=0)
    with geo:
        assert geo.lookup("Kupiansk") is not None
    assert (tmp_path / "home" / "online-cache" / "cache.sqlite").is_file()


# --- retries --------------------------------------------------------------------------


def test_server_errors_are_retried_with_backoff_then_give_up_cleanly(server, tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="geomap.online")
    with make(server, tmp_path, max_retries=3) as geo:
        assert geo.lookup("boom") is None
        assert geo.requests == 4
        assert geo.waits == pytest.approx([0.05, 0.1, 0.2])  # exponential backoff
    assert len(server.log) == 4
    assert any("gave up" in r.getMessage() and "boom" in r.getMessage() for r in caplog.records)


def test_429_is_retried_after_the_retry_after_delay(server, tmp_path) -> None:
    with make(server, tmp_path) as geo:
        place = geo.lookup("busy once")
        assert place is not None and place.place_id == "online:nominatim:R12345"
        assert geo.waits == [1.0]  # Retry-After: 1 beats the 0.05 s backoff
    assert len(server.log) == 2


def test_a_server_that_keeps_saying_429_is_left_after_max_retries(server, tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="geomap.online")
    with make(server, tmp_path, max_retries=2) as geo:
        assert geo.lookup("busy") is None
        assert geo.waits == [1.0, 1.0]
    assert len(server.log) == 3
    assert any("gave up" in r.getMessage() for r in caplog.records)


def test_a_retry_after_beyond_max_wait_gives_up_at_once(server, tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="geomap.online")
    with make(server, tmp_path, max_retries=3) as geo:
        assert geo.lookup("very busy") is None
        assert geo.waits == []
    assert len(server.log) == 1
    assert any("3600" in r.getMessage() for r in caplog.records)


def test_a_slow_server_times_out_and_is_retried(server, tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="geomap.online")
    with make(server, tmp_path, max_retries=1) as geo:
        assert geo.lookup("slow") is None
        assert geo.requests == 2
    assert server.queries() == ["slow", "slow"]
    assert any("gave up" in r.getMessage() for r in caplog.records)


def test_refusals_are_not_retried(server, tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="geomap.online")
    with make(server, tmp_path, max_retries=3) as geo:
        assert geo.lookup("forbidden") is None
    assert len(server.log) == 1
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_no_server_listening_is_a_clean_none(tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="geomap.online")
    with socket.socket() as s:  # a port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    geo = OnlineGeocoder(cache_dir=tmp_path, domain=f"127.0.0.1:{port}", scheme="http", timeout=TIMEOUT,
                         min_delay=0, max_retries=1, backoff=0.01)
    with geo:
        assert geo.lookup("Kupiansk") is None
        assert geo.requests == 2
    assert caplog.records


def test_bad_configuration_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("GEONAMES_USERNAME", raising=False)
    with pytest.raises(ValueError, match="unknown online geocoder"):
        OnlineGeocoder("google", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="username"):
        OnlineGeocoder("geonames", cache_dir=tmp_path)


# --- filling mentions -----------------------------------------------------------------

# A gazetteer-like record written for the tests (Kupiansk's coordinates, general knowledge).
GAZ_KUPIANSK = Place("geonames:703656", "Kupiansk", 49.71003, 37.61581, "settlement", "UA", admin1="Kharkiv",
                     source="geonames")
GAZ_OTHER = Place("geonames:1", "Kupiansk", 46.0, 30.0, "settlement", "UA", admin1="Odesa", source="geonames")


def _mention(text: str, status: str, candidates: list[Place] = (), place: Place | None = None,
             kind: str = "name") -> Mention:
    m = Mention("a", text, 0, len(text), "exact", kind=kind,
                candidates=[Candidate(p, text, "official", 1.0, 0.5) for p in candidates])
    m.status = status
    if place is not None:
        m.place, m.confidence, m.geo_precision = place, 0.93, 1
    return m


def test_fill_unresolved_places_what_the_gazetteer_could_not_and_never_overrides(server, tmp_path) -> None:
    resolved = _mention("Kupiansk", "resolved", [GAZ_KUPIANSK], place=GAZ_KUPIANSK)
    unknown = _mention("Robotyne", "unresolved")
    region = _mention("Donetsk Oblast", "unresolved", kind="region")
    ambiguous = _mention("Kupiansk", "ambiguous", [GAZ_OTHER, GAZ_KUPIANSK])
    nothing = _mention("Nowhere", "unresolved")
    with make(server, tmp_path) as geo:
        n = fill_unresolved([resolved, unknown, region, ambiguous, nothing], geo)
    assert n == 3
    assert (resolved.place, resolved.confidence, resolved.note) == (GAZ_KUPIANSK, 0.93, None)
    assert unknown.status == "resolved" and unknown.place.place_id == "online:nominatim:N777"
    assert unknown.confidence == CONFIDENCE_CAP and unknown.note == "online:nominatim"
    assert unknown.geo_precision == 1 and region.geo_precision == 3
    # the online point confirms one of the gazetteer's own candidates: that record is used
    assert ambiguous.place == GAZ_KUPIANSK and ambiguous.confidence <= CONFIDENCE_CAP
    assert nothing.status == "unresolved" and nothing.place is None
    assert "Kupiansk" in server.queries()  # asked for the ambiguous one, once (cache)
    assert server.queries().count("Kupiansk") == 1


def test_fill_unresolved_on_a_seed_article_leaves_gazetteer_matches_alone(server, tmp_path, pipeline) -> None:
    from geomap.ingest import read_articles

    server.echo = True
    art = next(iter(read_articles([SEED])))
    mentions = pipeline.process(art).mentions
    before = {id(m): (m.status, m.place, m.confidence, m.geo_precision, m.note)
              for m in mentions if m.status == "resolved"}
    open_texts = {m.text for m in mentions if m.status != "resolved"}
    assert before and open_texts
    with make(server, tmp_path) as geo:
        n = fill_unresolved(mentions, geo)
    filled = [m for m in mentions if (m.note or "").startswith("online:")]
    assert n == len(filled) > 0
    for m in mentions:
        if id(m) in before:
            assert (m.status, m.place, m.confidence, m.geo_precision, m.note) == before[id(m)]
    for m in filled:
        assert m.status == "resolved" and m.place is not None and m.confidence <= CONFIDENCE_CAP
        assert art.text[m.char_start:m.char_end] == m.text
    # only names the gazetteer left open were sent, each once (the cache answers repeats)
    asked = server.queries()
    assert {q.split(",")[0] for q in asked} <= open_texts
    assert len(asked) == len(set(asked))


# --- offline by default -----------------------------------------------------------------


def test_parsing_without_online_opens_no_socket(monkeypatch) -> None:
    import geomap
    from geomap.gazetteer import Gazetteer, GazetteerNotBuilt

    try:
        Gazetteer.load().close()
    except GazetteerNotBuilt as exc:
        pytest.skip(f"gazetteer index not built ({exc})")
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access during an offline parse")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = geomap.parse(SEED)
    assert result.events and result.mentions
    assert attempts == []
