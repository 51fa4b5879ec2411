"""Opt-in online geocoding for mentions the bundled gazetteer cannot place.

Nothing here runs unless asked (``geomap parse --online nominatim``): the
default pipeline is fully offline. When asked, :class:`OnlineGeocoder` queries
Nominatim, Photon or GeoNames through geopy, with

* geopy's :class:`~geopy.extra.rate_limiter.RateLimiter` (one request per
  second by default, as the Nominatim usage policy requires),
* a user agent naming geomap (:data:`geomap.config.USER_AGENT`),
* a persistent SQLite cache under ``config.home() / "online-cache"`` keyed by
  provider, normalised query and country bias (empty answers are cached too,
  errors are not),
* bounded retries with exponential backoff on timeouts, unavailable servers,
  server errors and HTTP 429 (its ``Retry-After`` honoured).

Online answers are weaker evidence than the curated gazetteer: their
confidence is capped (:data:`CONFIDENCE_CAP`) and :func:`fill_unresolved`
never touches a mention the gazetteer resolved.
"""

from __future__ import annotations

import json
import logging
import math
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, fields
from functools import partial
from pathlib import Path
from typing import Any

from geopy.adapters import BaseSyncAdapter, RequestsAdapter, URLLibAdapter
from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import GeoNames, Nominatim, Photon
from geopy.location import Location

from geomap import config
from geomap._text import norm_key
from geomap.model import Mention, Place

log = logging.getLogger(__name__)

#: Providers :class:`OnlineGeocoder` knows.
PROVIDERS: tuple[str, ...] = ("nominatim", "photon", "geonames")

#: Upper bound of the confidence of an online answer (gazetteer matches go to 1.0).
CONFIDENCE_CAP = 0.5

#: Public endpoints, used when no ``domain`` is given.
DEFAULT_DOMAINS: dict[str, str] = {
    "nominatim": "nominatim.openstreetmap.org",
    "photon": "photon.komoot.io",
    "geonames": "secure.geonames.org",  # api.geonames.org answers plain http only
}

#: An online point this close to a gazetteer candidate confirms that candidate.
AGREE_KM = 15.0

# Results that are never what a news article means by a place name.
_REJECT_CLASSES = {"highway", "building", "shop", "office", "craft", "house", "street"}

_SETTLEMENT = {
    "city", "town", "village", "hamlet", "suburb", "neighbourhood", "quarter", "locality",
    "isolated_dwelling", "city_district", "borough", "settlement", "allotments", "farm", "district_city",
}
_ADMIN2 = {"county", "district", "municipality", "raion"}
_ADMIN1 = {"state", "region", "province", "oblast"}

# Errors worth another try; the others (bad query, auth, quota) will not get better by waiting.
_RETRYABLE = (GeocoderTimedOut, GeocoderUnavailable, GeocoderRateLimited, GeocoderServiceError)
_FATAL = (GeocoderQueryError, GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges)

_MISS = object()  # cache sentinel: key not cached (a cached empty answer is None)


def _adapter_factory() -> Callable[..., BaseSyncAdapter]:
    """An adapter with no hidden transport-level retries, so retry counts are ours alone."""
    if RequestsAdapter.is_available:
        return partial(RequestsAdapter, max_retries=0)
    return URLLibAdapter


class _Cache:
    """Answers by key in one SQLite file; every write is its own transaction."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "cache.sqlite"
        # isolation_level=None + explicit "with conn" keeps each write atomic; WAL lets
        # two geomap runs share the cache without "database is locked" on reads.
        self.conn = sqlite3.connect(self.path, timeout=30)
        self.conn.execute("PRAGMA journal_mode=WAL")
        with self.conn:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, provider TEXT, query TEXT, "
                "countries TEXT, place TEXT, created REAL)"
            )

    def get(self, key: str) -> Any:
        row = self.conn.execute("SELECT place FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return _MISS
        if row[0] is None:
            return None
        data = json.loads(row[0])
        names = {f.name for f in fields(Place)}
        return Place(**{k: v for k, v in data.items() if k in names})

    def put(self, key: str, provider: str, query: str, countries: str, place: Place | None) -> None:
        payload = json.dumps(asdict(place), ensure_ascii=False) if place is not None else None
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                (key, provider, query, countries, payload, time.time()),
            )

    def close(self) -> None:
        self.conn.close()


class OnlineGeocoder:
    """Look places up in an online geocoder, politely and with a persistent cache.

    Parameters
    ----------
    provider : {"nominatim", "photon", "geonames"}
        Which service to ask.
    cache_dir : Path, optional
        Cache directory; defaults to ``config.home() / "online-cache"``.
    domain : str, optional
        Host (and port) of the service, e.g. a self-hosted Nominatim
        (``"127.0.0.1:8080"``); defaults to the public endpoint.
    scheme : str
        ``"https"`` or ``"http"``.
    timeout : float
        Seconds to wait for one answer.
    max_retries : int
        Further attempts after a failed first one (so at most
        ``max_retries + 1`` requests per lookup).
    min_delay : float, optional
        Minimum seconds between requests; default 1.0 (Nominatim's policy).
    username : str, optional
        GeoNames account name; defaults to ``$GEONAMES_USERNAME``.
    backoff : float
        First backoff wait in seconds, doubled on each retry.
    max_wait : float
        Longest wait accepted (backoff or ``Retry-After``); a server asking
        for longer makes the lookup give up.
    confidence_cap : float
        Confidence given to an online answer.

    Raises
    ------
    ValueError
        Unknown provider, or GeoNames without a username.
    """

    def __init__(self, provider: str = "nominatim", *, cache_dir: Path | None = None,
                 domain: str | None = None, scheme: str = "https", timeout: float = 10, max_retries: int = 3,
                 min_delay: float | None = None, username: str | None = None, backoff: float = 1.0,
                 max_wait: float = 60.0, confidence_cap: float = CONFIDENCE_CAP) -> None:
        provider = provider.lower()
        if provider not in PROVIDERS:
            raise ValueError(f"unknown online geocoder {provider!r} (choose from {', '.join(PROVIDERS)})")
        self.provider = provider
        self.max_retries = max(0, int(max_retries))
        self.backoff = backoff
        self.max_wait = max_wait
        self.confidence_cap = confidence_cap
        #: HTTP requests sent (attempts, retries included); cache hits send none.
        self.requests = 0
        # Indirection so tests can observe the waits without spending them.
        self._sleep: Callable[[float], None] = time.sleep
        host = domain or DEFAULT_DOMAINS[provider]
        common: dict[str, Any] = {
            "domain": host, "scheme": scheme, "timeout": timeout,
            "user_agent": config.USER_AGENT, "adapter_factory": _adapter_factory(),
        }
        if provider == "nominatim":
            self._geocoder: Any = Nominatim(**common)
        elif provider == "photon":
            self._geocoder = Photon(**common)
        else:
            user = username or os.environ.get("GEONAMES_USERNAME")
            if not user:
                raise ValueError("GeoNames needs a username (username=... or $GEONAMES_USERNAME)")
            self._geocoder = GeoNames(user, **common)
        delay = 1.0 if min_delay is None else min_delay
        # RateLimiter only spaces requests here; retries are handled in _fetch, where
        # Retry-After can be honoured and the retryable errors chosen.
        self._limited = RateLimiter(self._geocoder.geocode, min_delay_seconds=delay, max_retries=0,
                                    swallow_exceptions=False)
        self._cache = _Cache(cache_dir if cache_dir is not None else config.home() / "online-cache")

    # --- public -----------------------------------------------------------------------

    def lookup(self, name: str, *, country_codes: Sequence[str] | None = None,
               context: str | None = None) -> Place | None:
        """Geocode one place name.

        Parameters
        ----------
        name : str
            The place name as written in the article.
        country_codes : sequence of str, optional
            ISO 3166-1 alpha-2 codes to restrict (Nominatim, GeoNames) or
            filter (Photon) the answers to.
        context : str, optional
            Extra words for the query, e.g. an oblast ("Donetsk Oblast").

        Returns
        -------
        Place or None
            ``place_id`` like ``"online:nominatim:R71245"``, ``source`` the
            provider; None when nothing suitable was found or the service
            failed (logged as a warning, never raised).
        """
        query = " ".join(name.split())
        if context:
            query = f"{query}, {' '.join(context.split())}"
        if not norm_key(query):
            return None
        ccs = sorted({c.strip().lower() for c in country_codes or () if c.strip()})
        countries = ",".join(ccs)
        key = f"{self.provider}|{norm_key(query)}|{countries}"
        cached = self._cache.get(key)
        if cached is not _MISS:
            return cached
        ok, raw = self._fetch(query, ccs)
        if not ok:
            return None
        place = self._best(raw, ccs)
        self._cache.put(key, self.provider, query, countries, place)
        return place

    def close(self) -> None:
        """Close the cache database."""
        self._cache.close()

    def __enter__(self) -> OnlineGeocoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests ---------------------------------------------------------------------

    def _call(self, query: str, ccs: list[str]) -> list[Location] | None:
        self.requests += 1
        if self.provider == "nominatim":
            return self._limited(query, exactly_one=False, limit=5, addressdetails=True, language="en",
                                 country_codes=ccs or None)
        if self.provider == "photon":
            return self._limited(query, exactly_one=False, limit=10, language="en")
        return self._limited(query, exactly_one=False, country=[c.upper() for c in ccs] or None)

    def _fetch(self, query: str, ccs: list[str]) -> tuple[bool, list[Location]]:
        """(True, results) on an answer (maybe empty), (False, []) when the service failed."""
        for attempt in range(self.max_retries + 1):
            try:
                return True, list(self._call(query, ccs) or [])
            except _FATAL as exc:
                log.warning("online geocoder %s refused %r: %s", self.provider, query, exc)
                return False, []
            except GeocoderQuotaExceeded as exc:
                if not isinstance(exc, GeocoderRateLimited):
                    log.warning("online geocoder %s quota exceeded: %s", self.provider, exc)
                    return False, []
                error: Exception = exc
            except _RETRYABLE as exc:
                error = exc
            except Exception as exc:  # noqa: BLE001 - a broken answer must not stop a parse run
                log.warning("online geocoder %s failed on %r: %r", self.provider, query, exc)
                return False, []
            if attempt == self.max_retries:
                break
            wait = self.backoff * 2 ** attempt
            retry_after = getattr(error, "retry_after", None)
            if retry_after is not None:
                wait = max(wait, float(retry_after))
            if wait > self.max_wait:
                log.warning("online geocoder %s asks to wait %.0f s (> %.0f s); giving up on %r",
                            self.provider, wait, self.max_wait, query)
                return False, []
            log.info("online geocoder %s: %s; retry %d in %.1f s", self.provider, error, attempt + 1, wait)
            self._sleep(wait)
        log.warning("online geocoder %s gave up on %r after %d attempts: %s",
                    self.provider, query, self.max_retries + 1, error)
        return False, []

    # --- answers ----------------------------------------------------------------------

    def _best(self, results: Iterable[Location], ccs: list[str]) -> Place | None:
        for loc in results:
            if loc is None:
                continue
            try:
                place = self._to_place(loc.raw, loc)
            except (KeyError, TypeError, ValueError) as exc:
                log.info("online geocoder %s: unusable result %r (%r)", self.provider, loc.raw, exc)
                continue
            if place is None:
                continue
            if ccs and place.country_code and place.country_code.lower() not in ccs:
                continue
            return place
        return None

    def _to_place(self, raw: dict[str, Any], loc: Location) -> Place | None:
        lat, lon = float(loc.latitude), float(loc.longitude)
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        if self.provider == "nominatim":
            cls, typ = str(raw.get("class", "")), str(raw.get("type", ""))
            addresstype = str(raw.get("addresstype", ""))
            if cls in _REJECT_CLASSES:
                return None
            address = raw.get("address") or {}
            osm_type = str(raw.get("osm_type", "")).upper()[:1]
            pid = f"{osm_type}{raw['osm_id']}"
            name = raw.get("name") or str(raw.get("display_name", "")).split(",")[0]
            cc = str(address.get("country_code", "")).upper()
            admin1 = address.get("state") or address.get("region")
            admin2 = address.get("district") or address.get("county")
            feature = _osm_feature(cls, addresstype or typ, typ)
        elif self.provider == "photon":
            props = raw.get("properties") or {}
            cls, typ = str(props.get("osm_key", "")), str(props.get("osm_value", ""))
            kind = str(props.get("type", ""))
            if cls in _REJECT_CLASSES or kind in _REJECT_CLASSES:
                return None
            pid = f"{str(props.get('osm_type', '')).upper()[:1]}{props['osm_id']}"
            name = props.get("name") or ""
            cc = str(props.get("countrycode", "")).upper()
            admin1 = props.get("state")
            admin2 = props.get("county") or props.get("district")
            feature = _osm_feature(cls, kind or typ, typ)
        else:
            pid = str(raw["geonameId"])
            name = raw.get("toponymName") or raw.get("name") or ""
            cc = str(raw.get("countryCode", "")).upper()
            admin1 = raw.get("adminName1") or None
            admin2 = raw.get("adminName2") or None
            feature = _geonames_feature(str(raw.get("fcl", "")), str(raw.get("fcode", "")))
        if not name:
            return None
        population = raw.get("population") or (raw.get("extratags") or {}).get("population") or 0
        try:
            pop = int(population)
        except (TypeError, ValueError):
            pop = 0
        return Place(
            place_id=f"online:{self.provider}:{pid}", name=str(name), latitude=lat, longitude=lon,
            feature=feature, country_code=cc, admin1=admin1, admin2=admin2, population=pop,
            source=self.provider,
        )


def _osm_feature(cls: str, kind: str, typ: str) -> str:
    """OSM class/type (Nominatim addresstype, Photon type) to a gazetteer feature kind."""
    for t in (kind, typ):
        if t == "country":
            return "country"
        if t in _ADMIN1:
            return "oblast"
        if t in _ADMIN2:
            return "raion"
        if t in _SETTLEMENT:
            return "settlement"
    if cls == "boundary":
        return "raion"
    return "feature"


def _geonames_feature(fcl: str, fcode: str) -> str:
    """GeoNames feature class/code to a gazetteer feature kind."""
    if fcode.startswith("PCL"):
        return "country"
    if fcode == "ADM1":
        return "oblast"
    if fcode.startswith("ADM"):
        return "raion"
    if fcl == "P":
        return "settlement"
    return "feature"


def _region_query(admin1: str) -> str:
    """Gazetteer admin1 ("Donetsk") as geocoders know it ("Donetsk Oblast")."""
    if admin1 == "Krasnodar":
        return "Krasnodar Krai"
    if admin1.endswith(("Oblast", "City", "Krai", "Republic")) or admin1 in ("Crimea", "Sevastopol"):
        return admin1
    return f"{admin1} Oblast"


def _km(a: Place, b: Place) -> float:
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def fill_unresolved(mentions: list[Mention], geocoder: OnlineGeocoder, *,
                    country_codes: Sequence[str] = ("ua", "ru")) -> int:
    """Place the mentions the gazetteer could not, with an online geocoder.

    Only mentions with status ``"unresolved"`` or ``"ambiguous"`` are
    looked up; a ``"resolved"`` mention is never touched. When an
    ambiguous mention's online answer lies within :data:`AGREE_KM` of one of
    its gazetteer candidates, that candidate's (richer) gazetteer place is
    used; otherwise the online place is.

    Parameters
    ----------
    mentions : list of Mention
        Mentions after :class:`geomap.resolve.Resolver`; updated in place.
    geocoder : OnlineGeocoder
        The service to ask (its cache makes repeated names free).
    country_codes : sequence of str
        Countries to restrict the search to.

    Returns
    -------
    int
        How many mentions were filled. Each filled mention gets status
        ``"resolved"``, the place, a confidence of at most
        ``geocoder.confidence_cap``, its geo_precision and the note
        ``"online:<provider>"``.
    """
    filled = 0
    # Oblast most named by this article's resolved mentions: a hint for bare village names.
    by_article: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.status == "resolved" and m.place is not None and m.place.admin1:
            by_article.setdefault(m.article_id, Counter())[m.place.admin1] += 1
    for m in mentions:
        if m.status not in ("unresolved", "ambiguous") or m.kind == "qualifier" or m.note == "boilerplate":
            continue
        place = geocoder.lookup(m.text, country_codes=list(country_codes))
        if place is None:
            continue
        chosen = place
        near = [c for c in m.candidates if _km(c.place, place) <= AGREE_KM]
        if near:
            chosen = min(near, key=lambda c: _km(c.place, place)).place
        elif m.candidates:
            # Several gazetteer places share the name and the service's pick is none of them:
            # try once more with the article's main oblast before trusting a context-free guess.
            counts = by_article.get(m.article_id)
            if counts:
                hinted = geocoder.lookup(m.text, country_codes=list(country_codes),
                                         context=_region_query(counts.most_common(1)[0][0]))
                if hinted is not None:
                    chosen = hinted
        m.status = "resolved"
        m.place = chosen
        m.confidence = round(geocoder.confidence_cap, 4)
        m.geo_precision = 2 if chosen.feature == "settlement" and m.kind == "region" else chosen.geo_precision
        m.note = f"online:{geocoder.provider}"
        filled += 1
    return filled
