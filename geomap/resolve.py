"""Choose a place for each mention, in the context of its article.

Each candidate is scored on

* name: how the surface matched (official name, transliteration, skeleton);
* prior: feature kind, population, and the war's geography (Ukraine first,
  then Russia);
* kind: a mention written as a region ("Kherson region") wants an oblast;
* admin context: oblasts named in the same sentence or the article
  ("Andreevka – Donetsk region", "Kamyanka, Cherkasy");
* coherence: distance to the places already resolved in the same article,
  nearer in the text counting more (an Andriivka 10 km from the Bakhmut just
  mentioned beats one 400 km away);
* relative phrases: "south of Bakhmut", "30 km from Kharkiv", "near Izium",
  checked with spherical distances and bearings (geomap._geo).

Scores become a confidence by a softmax over the candidates times the name
quality. Below :data:`geomap.config.MIN_CONFIDENCE` a mention is left
"ambiguous" (with its candidates) or "unresolved"; it is never silently
placed.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from geomap import config
from geomap._forms import LIST_SEP, NAMESAKE_RATIO, MentionForms, adjective_stem, big_city_population
from geomap._frontline import front_period, km_to_front
from geomap._geo import EARTH_RADIUS_KM, bearing_deg, haversine_km
from geomap._oblasts import OblastOutlines
from geomap._text import PHRASE_END, _sentence_bounds, norm_key, route_end
from geomap._world import capitals, is_capital
from geomap.model import Article, Candidate, Mention, Place
from geomap.translit import phonetic_similarity

_DIRECTIONS = {
    "north": 0.0,
    "northeast": 45.0,
    "north-east": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south-east": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "south-west": 225.0,
    "west": 270.0,
    "northwest": 315.0,
    "north-west": 315.0,
}
_RELATIVE = re.compile(
    r"^[\s,(–—-]*(?:(?:a|the)\s+)?(?:(?:tactically\s+)?\w+\s+)?(?:(?:town|village|city|settlement|locality)\s+)?"
    r"(?:(?P<km>\d+(?:\.\d+)?)\s*(?:km|kilometers|kilometres|miles?)\s+)?"
    r"(?P<dir>(?:north|south)?-?(?:east|west)|north|south|near|outside|close to|from)\s+"
    r"(?:of\s+)?(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$",
    re.I,
)


class _AnchorArrays:
    """The confidently placed mentions of an article as arrays, for vectorised coherence.

    Coherence is the closeness of a candidate to those places, nearer in the
    text counting more: max over anchors of weight(sentence gap) * exp(-km / scale),
    scale 60 km for a settlement and 150 km for an oblast. Scoring every
    candidate (76 Andriivkas) against every anchor was the parser's hot spot.
    """

    __slots__ = ("index", "sent", "lat", "lon", "coslat", "scale")

    def __init__(
        self, index: np.ndarray, sent: np.ndarray, lat: np.ndarray, lon: np.ndarray, scale: np.ndarray
    ) -> None:
        self.index, self.sent, self.lat, self.lon, self.scale = index, sent, lat, lon, scale
        self.coslat = np.cos(lat)

    @classmethod
    def of(cls, anchors: list[tuple[int, Place]], sent_of: list[int]) -> _AnchorArrays | None:
        if not anchors:
            return None
        idx = np.array([i for i, _p in anchors])
        return cls(
            idx,
            np.array([sent_of[i] for i in idx]),
            np.radians([p.latitude for _i, p in anchors]),
            np.radians([p.longitude for _i, p in anchors]),
            np.array([150.0 if p.feature in ("oblast", "region") else 60.0 for _i, p in anchors]),
        )

    def coherence(
        self, mentions: list[Mention], todo: list[int], sent_of: list[int], qualified: dict[int, str]
    ) -> dict[int, np.ndarray]:
        """Coherence of every candidate of the mentions ``todo``, in one pass: mention index -> array.

        A mention is not its own evidence; nor is the oblast that qualifies it ("Lozove, Donetsk"),
        already counted as such: nearness to that oblast's point would prefer the namesakes near it.
        """
        owner = [i for i in todo for _c in mentions[i].candidates]
        if not owner:
            return {}
        own = np.array(owner)[:, None]
        gap = np.abs(self.sent[None, :] - np.array([sent_of[i] for i in owner])[:, None])
        weight = np.where(gap <= 1, 0.35, np.where(gap <= 4, 0.22, 0.12))
        skip = np.array([i + 1 if i in qualified else -1 for i in owner])[:, None]
        weight = np.where((self.index[None, :] == own) | (self.index[None, :] == skip), 0.0, weight)
        lat = np.radians([c.place.latitude for i in todo for c in mentions[i].candidates])[:, None]
        lon = np.radians([c.place.longitude for i in todo for c in mentions[i].candidates])[:, None]
        a = np.sin((self.lat - lat) / 2) ** 2 + np.cos(lat) * self.coslat * np.sin((self.lon - lon) / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
        best = (weight * np.exp(-km / self.scale)).max(axis=1)
        out: dict[int, np.ndarray] = {}
        k = 0
        for i in todo:
            n = len(mentions[i].candidates)
            out[i] = best[k : k + n]
            k += n
        return out


@dataclass(slots=True)
class _Ctx:
    sent_of: list[int]  # sentence index per mention
    admin_by_sent: dict[int, set[str]]
    admin_article: set[str]
    countries_article: set[str]
    qualified: dict[int, str]  # mention index -> admin1 its qualifier names ("Kamyanka, Cherkasy")
    in_country: dict[int, str] = field(default_factory=dict)  # mention index -> country its qualifier names
    coherence: dict[int, np.ndarray] | None = None  # per mention of the current round, per candidate
    # per mention: the relative phrase ("south of") between it and the next mention, or None; the
    # text does not change between rounds, only the next mention's place does
    relative: dict[int, re.Match[str] | None] = field(default_factory=dict)
    # per sentence: the oblasts named in it and the sentences next to it
    near_admin: dict[int, set[str]] = field(default_factory=dict)
    # per mention: (its own oblast, id(candidate) -> context-free (score, reasons)); see Resolver._score
    base: dict[int, tuple[str | None, dict[int, tuple[float, list[str]]]]] = field(default_factory=dict)


class Resolver:
    """Resolves :class:`Mention` candidates in article context.

    Parameters
    ----------
    gazetteer : Gazetteer
        Used to canonicalise oblast names (``admin1_key``) and find oblast places.
    """

    def __init__(self, gazetteer: object) -> None:
        self.gaz = gazetteer
        self._priors: dict[tuple[str, int], float] = {}  # per (place, front period)
        self._outlines: OblastOutlines | None = None
        self.forms = MentionForms(gazetteer)
        # One-off tables read on first use inside the first article otherwise (~15 ms): built with
        # the gazetteer load, as the recogniser loads its word lists.
        if hasattr(gazetteer, "region_place"):
            self.forms.oblast_stems  # noqa: B018 - built for its side effect
            self.outlines  # noqa: B018
        capitals()

    @property
    def outlines(self) -> OblastOutlines:
        """The gazetteer's oblast outlines (read on first use: most articles never ask)."""
        if self._outlines is None:
            layer = getattr(self.gaz, "boundaries", None)
            self._outlines = OblastOutlines(layer("adm1") if layer else None)
        return self._outlines

    def resolve(self, article: Article, mentions: list[Mention]) -> list[Mention]:
        """Set status, place, confidence and geo_precision on every mention; return them."""
        if not mentions:
            return mentions
        for m in mentions:
            self.forms.add_candidates(m, article.text)
        listed = self.forms.parallel_lists(article, mentions)
        qualified, in_country = self._mark_qualifiers(article, mentions, listed)
        ctx = self._context(article, mentions)
        ctx.qualified = qualified
        ctx.in_country = in_country
        for i, admin1 in qualified.items():
            self._within_admin1(mentions[i], admin1)
        anchors: list[tuple[int, Place]] = []
        for round_ in range(3):
            # context cannot change a single candidate's share: after the first round, skip those
            todo = [i for i, m in enumerate(mentions) if not round_ or len(m.candidates) > 1]
            arrays = _AnchorArrays.of(anchors, ctx.sent_of)
            ctx.coherence = arrays.coherence(mentions, todo, ctx.sent_of, qualified) if arrays else None
            for i in todo:
                self._score(article, mentions, i, ctx, anchors)
            new = [
                (i, m.place)
                for i, m in enumerate(mentions)
                if m.place is not None and m.confidence >= 0.6 and m.place.feature not in _NO_ANCHOR
            ]
            if round_ and [(i, p.place_id) for i, p in new] == [(i, p.place_id) for i, p in anchors]:
                break  # converged: another round would score the same
            anchors = new
        return mentions

    def prefer(self, m: Mention, places: set[str]) -> bool:
        """Re-decide an ambiguous mention when exactly one candidate location is in ``places``.

        Returns True when the mention became resolved.
        """
        hits = [c for c in m.candidates if c.place.place_id in places]
        if len({(round(c.place.latitude, 1), round(c.place.longitude, 1)) for c in hits}) != 1:
            return False
        for c in hits:
            c.score += 0.35
            c.reasons.append("corpus")
        m.candidates.sort(key=lambda c: (-c.score, -c.place.population, c.place.place_id))
        self._decide(m)
        return m.status == "resolved"

    # -- context ---------------------------------------------------------------------

    def _context(self, article: Article, mentions: list[Mention]) -> _Ctx:
        starts = [a for a, _b in _sentence_bounds(article.text)]  # no Sentence records: only their starts
        sent_of = [max(0, bisect_right(starts, m.char_start) - 1) for m in mentions]
        admin_by_sent: dict[int, set[str]] = {}
        admin_article: set[str] = set()
        countries: set[str] = set()
        for m, si in zip(mentions, sent_of, strict=True):
            adm = self._admin_named(m)
            if adm:
                admin_by_sent.setdefault(si, set()).add(adm)
                admin_article.add(adm)
            for c in m.candidates:
                if c.place.feature == "country" and c.name_score >= 0.9:
                    countries.add(c.place.country_code)
        return _Ctx(sent_of, admin_by_sent, admin_article, countries, {})

    def _admin_named(self, m: Mention) -> str | None:
        """The canonical admin1 a mention names, when it names an oblast-level unit."""
        has_region = any(c.place.feature in ("oblast", "region") for c in m.candidates)
        if not has_region:
            return None
        if m.kind in ("region", "qualifier") or all(
            c.place.feature in ("oblast", "region", "country") for c in m.candidates
        ):
            key = getattr(self.gaz, "admin1_key", None)
            name = key(m.text) if key else None
            if name:
                return name
            for c in m.candidates:
                if c.place.feature in ("oblast", "region") and c.place.admin1:
                    return c.place.admin1
        return None

    def _mark_qualifiers(
        self, article: Article, mentions: list[Mention], listed: frozenset[int] = frozenset()
    ) -> tuple[dict[int, str], dict[int, str]]:
        """In "Kamyanka, Cherkasy" or "Andreevka – Donetsk region" the second name only qualifies the first.

        The qualifier becomes an oblast-level mention (its oblast is added as a
        candidate when the bare name was only a city's). Returns, per qualified
        mention index, the admin1 its qualifier names, and the country code of
        those a country qualifies ("Salisbury, United Kingdom").
        """
        text = article.text
        qualified: dict[int, str] = {}
        in_country: dict[int, str] = {}
        for i, (a, b) in enumerate(zip(mentions, mentions[1:], strict=False)):
            if i in listed and i + 1 in listed:
                continue  # "Kharkiv, Sumy or Zaporizhzhia": items of one list, not a place and its oblast
            if (
                0 < i < len(mentions) - 2
                and LIST_SEP.fullmatch(text, mentions[i - 1].char_end, a.char_start)
                and LIST_SEP.fullmatch(text, b.char_end, mentions[i + 2].char_start)
            ):
                # "Kyiv, Zhytomyr, Khmelnytskyi, Rivne": in a run of names none qualifies another (but
                # "Berdiansk, Zaporizhia and Mariupol, Donetsk": a name and its oblast, twice)
                continue
            gap = text[a.char_end : b.char_start]
            if gap in ("-", "–", "—") and route_end(text, a.char_start, a.char_end):
                continue  # "the Kherson-Mykolaiv highway": two ends of a road, not a town and its oblast
            part = _CITY_PART_GAP.fullmatch(gap) or (_PART_WORD.search(a.text) and _IN_OF_GAP.fullmatch(gap))
            if not part and not _QUALIFIER_GAP.fullmatch(gap):
                continue
            if part and (city := _city_of(b)) is not None:
                in_oblast = [c for c in a.candidates if c.place.admin1 == city.admin1]
                self._within_city(a, city)  # "the Industrial district in Kharkiv": the city, not its oblast
                if (
                    not a.candidates
                    and in_oblast
                    and not _DISTRICT_ADJECTIVE.search(a.text)
                    and self.gaz.admin1_key(b.text) == city.admin1
                ):
                    # "the Starychi district in Lviv": no part of the city has the name, a village of
                    # the oblast named like it does; the name after it is then the oblast. A city
                    # district's own name is a masculine adjective ("Halytskyi"): not a village's.
                    a.candidates, a.note = in_oblast, None
                else:
                    if part.groupdict().get("plural"):
                        # "the Kyivskyi and Saltivskyi districts of Kharkiv": every item of the list
                        k = i
                        while k and LIST_SEP.fullmatch(
                            text, mentions[k - 1].char_end, mentions[k].char_start
                        ):
                            k -= 1
                            self._within_city(mentions[k], city)
                    continue
            if a.candidates and all(c.place.feature in ("country", "oblast", "region") for c in a.candidates):
                continue  # "a rally for Kazakhstan in Kharkiv": an oblast does not qualify a country
            raions = self._raions_holding(a, b)
            if raions:
                # "Marhanets, Nikopol district", "Tsukuryne in the Pokrovsk district": the raion says
                # which of the namesakes, and is no place of its own
                b.candidates = raions
                a.candidates = [c for c in a.candidates if _in_raion(c.place, raions)]
                b.kind = "qualifier" if b.kind == "name" else b.kind
                b.cue = b.cue or "qualifier"
                qualified[i] = raions[0].place.admin1
                continue
            admin1 = self.gaz.admin1_key(b.text)
            if admin1 is None and _QUALIFIER_GAP.fullmatch(gap) and PHRASE_END.match(text, b.char_end):
                admin1 = self._misspelt_oblast(b)
            regions = [c for c in b.candidates if c.place.feature in ("oblast", "region")]
            if admin1 is None and regions:
                admin1 = regions[0].place.admin1
            if admin1 is None:
                if any(c.place.feature == "country" for c in b.candidates):
                    b.kind = "qualifier" if b.kind == "name" else b.kind
                    # "Narva, Estonia": the country picks among the namesakes it has (not in a list:
                    # "Kyiv, Russia and the US" names three actors). With none there ("Madeira,
                    # Portugal," when only Madeira, California is known) it still says which country,
                    # where the country ends the phrase: no candidate is then what the text means.
                    cc = next(
                        (c.place.country_code for c in b.candidates if c.place.feature == "country"), None
                    )
                    has = any(c.place.country_code == cc for c in a.candidates)
                    if (has or PHRASE_END.match(text, b.char_end)) and not _LIST_AFTER.match(
                        text, b.char_end
                    ):
                        in_country[i] = cc
                continue
            if _IN_GAP.search(gap) and not any(c.place.admin1 == admin1 for c in a.candidates):
                continue  # "X in Kharkiv" with no X in that oblast: Kharkiv is a place of its own
            if not regions and (region := self.gaz.region_place(admin1)):
                b.candidates.append(Candidate(place=region, alias=b.text, scheme="region", name_score=0.95))
            if b.kind == "name":
                b.kind = "qualifier"
            b.cue = b.cue or "qualifier"
            qualified[i] = admin1
        return qualified, in_country

    def _misspelt_oblast(self, m: Mention) -> str | None:
        """The oblast a qualifier misspells ("Topolyne, Kherso"), when no place bears the word itself.

        The word's candidates are then only sound-alikes ("Kherso" sounds like Hertsa, in Chernivtsi
        oblast): they are dropped, and the oblast is added by the caller.
        """
        if any(c.scheme not in ("skeleton", "fuzzy", "typo") for c in m.candidates):
            return None
        admin1 = self.gaz.admin1_misspelling(m.text)
        if admin1 is not None:
            m.candidates = []
            m.note = f"read as {admin1} oblast (a misspelling)"
        return admin1

    @staticmethod
    def _raions_holding(a: Mention, b: Mention) -> list[Candidate]:
        """The raion candidates of ``b`` that hold a candidate of ``a`` (none when ``b`` names no raion)."""
        raions = [c for c in b.candidates if c.place.feature == "raion" and c.place.admin2]
        return [r for r in raions if any(_in_raion(c.place, [r]) for c in a.candidates)]

    @staticmethod
    def _within_city(m: Mention, city: Place) -> None:
        """Keep the candidates of a named part of ``city`` that lie in or next to it.

        With none left the part is unresolved and says so: the city it belongs
        to is its own mention and carries the event.
        """
        kept = [c for c in m.candidates if _close(c.place, city, _CITY_PART_KM)]
        if len(kept) == len(m.candidates):
            return
        m.candidates = kept
        if not kept:
            m.note = f"a part of {city.name} the gazetteer does not list"

    def _within_admin1(self, m: Mention, admin1: str) -> None:
        """An explicit qualifier names the oblast: look there for the spelling if no candidate is in it.

        ACLED writes "Chaika, Kyiv oblast" for the village of Chaiky: the
        skeleton lookup restricted to the named oblast finds it, where the
        unrestricted one would pick a namesake in Crimea.
        """
        if any(c.place.admin1 == admin1 for c in m.candidates):
            return
        seen = {c.place.place_id for c in m.candidates}
        best: dict[str, Candidate] = {}
        for h in self.gaz.lookup_skeleton(m.text):
            if h.place_id in seen:
                continue
            p = self.gaz.place(h.place_id)
            if p.admin1 != admin1:
                continue
            sim = phonetic_similarity(m.text, h.alias)
            if sim >= 0.75 and (h.place_id not in best or best[h.place_id].name_score < 0.5 + 0.4 * sim):
                best[h.place_id] = Candidate(
                    place=p, alias=h.alias, scheme="skeleton", name_score=0.5 + 0.4 * sim
                )
        m.candidates.extend(best.values())
        if not best and not m.candidates:
            self._misspelt_in(m, admin1)

    def _misspelt_in(self, m: Mention, admin1: str) -> None:
        """A name nothing matches, one slip from a single place of the named oblast, is that place.

        ACLED's "near Starolasna, Donetsk" is Starolaspa: neither its letters nor
        its sound find it, but within one oblast a near-identical spelling held by
        one place only (namesakes at one spot aside) is a safe reading. Anything
        less certain stays unresolved.
        """
        search = getattr(self.gaz, "search", None)
        if search is None or len(m.text) < _TYPO_MIN_LETTERS or " " in m.text.strip():
            return
        if adjective_stem(m.text) is not None:
            return  # "Korostenska district": an adjective of a town, not a village's misspelling
        found = [
            c
            for c in search(m.text, admin1=admin1, limit=5)
            if c.name_score >= _TYPO_MIN_SIMILARITY and c.place.feature == "settlement"
        ]
        if not found:
            return
        top = max(c.name_score for c in found)
        best = [c for c in found if c.name_score == top]
        if len({(round(c.place.latitude, 1), round(c.place.longitude, 1)) for c in best}) != 1:
            return  # two places equally near in spelling: no reading is safe
        for c in best:
            m.candidates.append(Candidate(place=c.place, alias=c.alias, scheme="typo", name_score=0.8))
        m.note = f"read as {best[0].place.name}, {admin1} (a misspelling)"

    # -- scoring ---------------------------------------------------------------------

    def _score(
        self, article: Article, mentions: list[Mention], i: int, ctx: _Ctx, anchors: list[tuple[int, Place]]
    ) -> None:
        m = mentions[i]
        if not m.candidates:
            m.status, m.place, m.confidence, m.geo_precision = "unresolved", None, 0.0, None
            return
        si = ctx.sent_of[i]
        near = ctx.near_admin.get(si)
        if near is None:
            near = ctx.near_admin[si] = set()
            for d in (-1, 0, 1):
                near |= ctx.admin_by_sent.get(si + d, set())
        own_admin = self._admin_named(m)
        near_admin = near - {own_admin} if own_admin in near else near  # (read only below)
        rel = self._relative(article, mentions, i, ctx)
        coh_array = ctx.coherence.get(i) if ctx.coherence is not None else None
        # Python floats (the same values): cheaper to index one by one than numpy scalars
        coherence: list[float] | None = coh_array.tolist() if coh_array is not None else None
        # The context-free part of each candidate's score is the same in every round: kept per
        # mention (and per own oblast, which a re-sorted candidate list could change).
        cached = ctx.base.get(i)
        if cached is None or cached[0] != own_admin or any(id(c) not in cached[1] for c in m.candidates):
            cached = ctx.base[i] = (
                own_admin,
                self._base_scores(
                    article,
                    m,
                    ctx,
                    qualifier=ctx.qualified.get(i),
                    country=ctx.in_country.get(i),
                    near_admin=near_admin,
                ),
            )
        base = cached[1]
        for k, c in enumerate(m.candidates):
            p = c.place
            s, reasons = base[id(c)]
            reasons = list(reasons)
            coh = coherence[k] if coherence is not None and p.feature != "country" else 0.0
            if coh:
                s += coh
                reasons.append(f"coherence+{coh:.2f}")
            if rel is not None:
                bonus = rel(p)
                s += bonus
                reasons.append(f"relative{bonus:+.2f}")
            c.score = s
            c.reasons = reasons
        m.candidates.sort(key=lambda c: (-c.score, -c.place.population, c.place.place_id))
        self._decide(m)

    def _base_scores(
        self,
        article: Article,
        m: Mention,
        ctx: _Ctx,
        *,
        qualifier: str | None,
        country: str | None,
        near_admin: set[str],
    ) -> dict[int, tuple[float, list[str]]]:
        """id(candidate) -> (score, reasons) from the name, the prior, the kind and the named oblasts."""
        # A name that is some candidates' official name means them, not another place's old alias.
        # So does a curated exonym or former name ("Mikołajów", "Leningrad"): vetted by hand, as good.
        official = any(
            (c.scheme in ("official", "kmu2010") and c.name_score >= 0.97)
            or (c.scheme in _CURATED_NAME and c.name_score >= 0.95)
            for c in m.candidates
        )
        # A port, airport or dam named after its town is the town, unless the text speaks of the thing.
        towns = [c for c in m.candidates if c.place.feature == "settlement"]
        thing_named = (
            bool(towns)
            and any(c.place.feature == "feature" for c in m.candidates)
            and bool(
                _FEATURE_WORDS.search(
                    article.text, max(0, m.char_start - 30), min(len(article.text), m.char_end + 30)
                )
            )
        )
        # "Sumy", "Zaporizhzhia", "Mikołajów": a big city's own name; a namesake village wins only on the
        # article's evidence (a qualifier, coherence), not on its nearness to the front alone
        city_pop = big_city_population(m)
        # "Rostov": GeoNames' alternate name of Rostov-on-Don (1.1 million) and the official name of a
        # hamlet in Sumy oblast. Where the official namesakes are all a hundred times smaller than a
        # metropolis whose name the mention begins (its short form, not any old alternate name:
        # Donetsk also lists "Oleksandrivka"), the short form is the metropolis's, as in the news.
        short = [
            c
            for c in m.candidates
            if c.scheme == "alternate"
            and c.name_score >= 0.8
            and c.place.feature == "settlement"
            and c.place.population >= _METRO_POPULATION
            and _short_form(m.text, c.place.name)
        ]
        metro = max((c.place.population for c in short), default=0)
        if metro and all(
            c.place.population * NAMESAKE_RATIO < metro
            for c in m.candidates
            if c.scheme not in ("alternate", "skeleton") and c.place.feature == "settlement"
        ):
            official = False
            city_pop = max(city_pop, metro)
            short_ids = {id(c) for c in short}  # scored as the city's own name: it is, in short
        else:
            short_ids = set()
        # loop invariants, hoisted (the loop runs for every candidate of every mention)
        published = article.published
        front_edge = _namesakes_front_edge(m, city_pop, published) if city_pop else 0.0
        priors = self._priors
        period = front_period(published)  # a prior depends on the date only through the lines of contact
        regional = m.kind in ("region", "qualifier")
        out: dict[int, tuple[float, list[str]]] = {}
        for c in m.candidates:
            p = c.place
            reasons = []
            s = 0.55 * (1.0 if id(c) in short_ids else c.name_score)
            if official and c.scheme == "alternate":
                # another place's official name: an old alias of this one does not win on nearness to
                # the front ("Bilhorod-Dnistrovskyi" is also among Belgorod's GeoNames names)
                s -= 0.15 + _front_bonus(p, published)
                reasons.append("alternate-name")
            elif official and c.name_score < 0.8:
                # "Sumy" is the city's name, and also what ISO 9 makes of a village Шуми: a collision
                s -= 0.15
                reasons.append("weak-spelling")
            prior = priors.get((p.place_id, period))
            s += prior if prior is not None else self._prior(p, published)
            if (
                p.feature == "feature"
                and towns
                and not thing_named
                and any(
                    t.name_score >= c.name_score - 0.1 and _close(t.place, p, _TOWN_FEATURE_KM) for t in towns
                )
            ):
                s -= 0.25
                reasons.append("named-after-town")
            if city_pop and p.feature == "settlement" and p.population * _SCORED_NAMESAKE_RATIO < city_pop:
                # a namesake of the city wins on the article's evidence only, not on its nearness to
                # the front ("Rivne": the city of 240,000, not the hamlet on the Zaporizhzhia front):
                # every namesake loses the best front prior among them (they keep their order)
                s -= max(_NAMESAKE_PENALTY, front_edge)
                reasons.append(NAMESAKE_OF_CITY)
            if regional:
                if p.feature in ("oblast", "region"):
                    s += 0.45
                    reasons.append("region")
                elif p.feature == "country" and m.kind == "qualifier":
                    s += 0.3
            elif p.feature in ("oblast", "region") and any(
                q.place.feature == "settlement" and q.name_score >= c.name_score - 0.05 for q in m.candidates
            ):
                s -= 0.15  # bare "Kharkiv" is the city, "Kharkiv region" the oblast
            if qualifier is not None:
                # the text says which oblast: the others are namesakes
                s += 0.5 if p.admin1 == qualifier else -0.4
                reasons.append("qualified" if p.admin1 == qualifier else OTHER_OBLAST)
                if p.admin1 != qualifier and self.outlines.km_outside(qualifier, p.latitude, p.longitude) <= (
                    _BORDER_KM
                ):
                    reasons.append(BY_NAMED_OBLAST)
            elif p.admin1 and p.admin1 in near_admin:
                s += 0.4
                reasons.append("admin-sentence")
            elif p.admin1 and p.admin1 in ctx.admin_article:
                s += 0.06
                reasons.append("admin-article")
            if ctx.countries_article and p.country_code in ctx.countries_article and p.feature != "country":
                s += 0.05
            if country is not None and p.feature != "country":
                s += 0.5 if p.country_code == country else -0.4
                reasons.append("qualified" if p.country_code == country else OTHER_COUNTRY)
            if (
                p.population >= 100_000
                and c.name_score >= 0.97
                and p.feature == "settlement"
                and is_capital(p.name, p.country_code)
            ):
                s += 0.3  # "talks in Washington": the capital, not one of 35 American towns of that name
            if c.scheme == "skeleton" and _far_village(p, published):
                reasons.append(SOUND_ALIKE_FAR)
            out[id(c)] = (s, reasons)
        return out

    def _prior(self, p: Place, when: date | None) -> float:
        key = (p.place_id, front_period(when))
        s = self._priors.get(key)
        if s is None:
            if len(self._priors) > 500_000:
                self._priors.clear()
            s = self._priors[key] = self._prior_of(p, when)
        return s

    @staticmethod
    def _prior_of(p: Place, when: date | None) -> float:
        """What is known of a candidate before reading the article: kind, size, country, the front."""
        s = 0.0
        if p.feature == "country":
            s += 0.5
        elif p.feature in ("oblast", "region"):
            s += 0.3
        elif p.feature == "feature":
            s += 0.2
        else:
            # Population counts from a town upward; below 1,000 (and GeoNames' many zeros) it says nothing.
            s += 0.1 * (math.log10(max(p.population, 1000)) - 3)
        if p.country_code == "UA":
            s += 0.15
        elif p.country_code == "RU":
            s += 0.08
        # ambiguous village names in war news are, far more often, the villages at the front
        return s + _front_bonus(p, when)

    def _relative(self, article: Article, mentions: list[Mention], i: int, ctx: _Ctx):  # noqa: ANN205 - returns a scorer or None
        """A scorer for "X, south of Y" / "X near Y" / "X, 30 km from Y" when Y is resolved."""
        if i + 1 >= len(mentions):
            return None
        nxt = mentions[i + 1]
        if i in ctx.relative:
            rm = ctx.relative[i]
        else:
            gap = article.text[mentions[i].char_end : nxt.char_start]
            rm = ctx.relative[i] = _RELATIVE.match(gap) if len(gap) <= 80 else None
        if not rm or nxt.place is None:
            return None
        ref = nxt.place
        direction = rm.group("dir").lower()
        km = float(rm.group("km")) if rm.group("km") else None
        bearing = _DIRECTIONS.get(direction)

        def score(p: Place) -> float:
            if p.place_id == ref.place_id:
                return -0.5
            d = haversine_km(p.latitude, p.longitude, ref.latitude, ref.longitude)
            limit = (km * 1.6 + 10) if km else 60.0
            if d > limit * 3:
                return -0.3
            bonus = 0.45 * math.exp(-max(0.0, d - (km or 0)) / limit)
            if bearing is not None and d > 1:
                b = bearing_deg(ref.latitude, ref.longitude, p.latitude, p.longitude)
                diff = abs((b - bearing + 180) % 360 - 180)
                bonus *= 1.0 if diff <= 60 else (0.5 if diff <= 100 else 0.1)
            return bonus

        return score

    @staticmethod
    def _decide(m: Mention) -> None:
        """Turn candidate scores into a choice and a confidence.

        The confidence is that of the location: a softmax share summed over the
        candidates that stand within a few km of the best one (GeoNames keeps
        old and new records of one village; a raion centroid sits on its
        town), times the name quality.
        """
        top = m.candidates[0].score
        tau = 0.08
        weights = {id(c): math.exp((c.score - top) / tau) for c in m.candidates}
        best = m.candidates[0]
        # Of near-duplicate records of one place (GeoNames keeps old and new ones) that score
        # alike, show the best documented: the one with a population.
        twins = [
            c
            for c in m.candidates[1:]
            if c.score >= best.score - 0.1
            and c.place.feature == best.place.feature
            and c.place.population > best.place.population
            and _close(best.place, c.place, 2.0)
        ]
        if twins:
            best = max(twins, key=lambda c: c.place.population)
            m.candidates.remove(best)
            m.candidates.insert(0, best)
        radius = 30.0 if best.place.feature in ("oblast", "region", "country") else 5.0
        near = sum(
            w
            for c in m.candidates
            if (w := weights[id(c)]) and (c is best or _close(best.place, c.place, radius))
        )
        share = near / sum(weights.values())
        for c in m.candidates:
            c.score = round(max(0.0, min(1.0, c.score)), 4)
        quality = min(1.0, 0.35 + 0.65 * best.name_score)
        conf = share * quality
        # A lone candidate has the whole share however weak it is: its own evidence has to hold.
        doubt = _doubt(best)
        if doubt:
            conf *= _DOUBT_FACTOR
        m.confidence = round(conf, 4)
        if m.note and (m.note.endswith(_AMBIGUOUS_NOTE) or m.note in _DOUBT_NOTES):
            m.note = None
        # Writers confuse oblasts (occupation-era lines, ACLED's own slips: "Berdiansk, Kherson"), hardly
        # countries: a place outside the country the text names is never placed.
        if conf >= config.MIN_CONFIDENCE and doubt != _DOUBT_OTHER_COUNTRY:
            m.status = "resolved"
            m.place = best.place
            m.geo_precision = best.place.geo_precision
            if best.place.feature == "settlement" and m.kind == "region":
                m.geo_precision = 2
        else:
            m.status = "ambiguous"
            m.place = None
            m.geo_precision = None
            m.note = m.note or doubt or f"{len(m.candidates)} candidates{_AMBIGUOUS_NOTE}"


#: After a country that qualifies a name: the phrase ends ("Madeira, Portugal, to Kyiv"; not "Russia's").
#: After a country: more names follow, so the country was one of a list, not a qualifier.
_LIST_AFTER = re.compile(r"\s*(?:,\s*[A-Z][\w'-]*\s*)*(?:,\s*)?(?:and|or|&)\s")
#: Words that make a name the port, airport, dam... rather than the town it is named after.
_FEATURE_WORDS = re.compile(
    r"\b(?:port|harbou?r|sea\s?port|airport|air\s?base|airfield|dam|bridge|power\s+(?:plant|station)|"
    r"plant|factory|mill|island|spit|peninsula|reservoir|terminal)s?\b",
    re.I,
)
#: How far from its town a feature named after it may lie.
_TOWN_FEATURE_KM = 15.0
#: Reason tags of a candidate outside the oblast the text names, and of one within a few km of it
#: (sources disagree on where oblast lines run through occupied land: "Logvinovo, Luhansk").
OTHER_OBLAST = "other-oblast"
OTHER_COUNTRY = "other-country"
BY_NAMED_OBLAST = "by-named-oblast"
_BORDER_KM = 25.0
#: Reason tag of a candidate found only by its sound (the skeleton lookup) that is a village far from
#: the lines of contact of the article's date.
SOUND_ALIKE_FAR = "sound-alike-far"
#: Farther than this from the front, a village matched only by sound needs the article's support.
_SOUND_ALIKE_FRONT_KM = 60.0
#: Towns from this size up are written about wherever they are.
_SOUND_ALIKE_TOWN = 20_000
#: Reasons that are the article's own evidence for a candidate (not its name, size or the front).
_SUPPORT = ("qualified", "admin-sentence", "corpus")
#: Scored reasons that count as support from this bonus up ("coherence+0.00" is no support).
_SUPPORT_SCORED = ("coherence+", "relative+")
_SUPPORT_MIN_BONUS = 0.05
#: Confidence kept when the best candidate's own evidence does not hold (see :func:`_doubt`).
_DOUBT_FACTOR = 0.5
_DOUBT_OTHER_OBLAST = "no place of this name in or next to the oblast the text names"
_DOUBT_SOUND_ALIKE = "matched only by sound, to a village far from the front the article does not support"
_DOUBT_OTHER_COUNTRY = "no place of this name in the country the text names"
_DOUBT_NOTES = (_DOUBT_OTHER_OBLAST, _DOUBT_SOUND_ALIKE, _DOUBT_OTHER_COUNTRY)


def _far_village(p: Place, when: date | None) -> bool:
    """A village or small town far from the front of ``when`` (False when no line is known then)."""
    if p.feature != "settlement" or p.population >= _SOUND_ALIKE_TOWN:
        return False
    km = km_to_front(p.latitude, p.longitude, when)
    return _SOUND_ALIKE_FRONT_KM < km < math.inf


def _supported(c: Candidate) -> bool:
    """Whether the article itself points at the candidate: a qualifier, an oblast nearby, a relative
    phrase, the corpus, or closeness to its other places."""
    for r in c.reasons:
        if r.startswith(_SUPPORT):
            return True
        if r.startswith(_SUPPORT_SCORED) and float(r[r.index("+") + 1 :]) >= _SUPPORT_MIN_BONUS:
            return True
    return False


def _doubt(best: Candidate) -> str | None:
    """Why the best candidate's evidence does not hold, or None.

    Two cases, both seen placing OSCE and ACLED reports hundreds of km away:
    the text qualifies the name with an oblast none of its places is in or
    next to ("Molochnyi, Kherson" when the gazetteer has Molochnyi only in
    Kharkiv and Sumy oblasts), and the only match is a sound-alike of a village far
    from the front that nothing else in the article supports ("Bohuslavske"
    heard as a Bogoslovskoye near Tula).
    """
    if OTHER_OBLAST in best.reasons and BY_NAMED_OBLAST not in best.reasons:
        return _DOUBT_OTHER_OBLAST
    if OTHER_COUNTRY in best.reasons:
        return _DOUBT_OTHER_COUNTRY
    if SOUND_ALIKE_FAR in best.reasons and not _supported(best):
        return _DOUBT_SOUND_ALIKE
    return None


def _short_form(surface: str, name: str) -> bool:
    """Whether ``surface`` is the first word(s) of ``name`` ("Rostov" of "Rostov-on-Don")."""
    words, full = norm_key(surface).split(), norm_key(name).replace("-", " ").split()
    return 0 < len(words) < len(full) and full[: len(words)] == words


#: Kinds of place that are no anchor of coherence: a country, and an oblast, whose point is its capital
#: (nearness to Kharkiv city says nothing of where in Kharkiv oblast; the oblast itself counts through
#: the admin-sentence bonus).
_NO_ANCHOR = ("country", "oblast", "region")


def _in_raion(p: Place, raions: list[Candidate]) -> bool:
    """Whether ``p`` lies in one of the raions (by its oblast and 2020 raion)."""
    return p.feature != "raion" and any(
        p.admin1 == r.place.admin1 and p.admin2 == r.place.admin2 for r in raions
    )


def _close(a: Place, b: Place, km: float) -> bool:
    if abs(a.latitude - b.latitude) > km / 100 or abs(a.longitude - b.longitude) > km / 60:
        return False
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= km


_AMBIGUOUS_NOTE = ", none clearly supported by the context"
#: "the Industrial district in Kharkiv", "Veretenivka neighbourhood of Sumy": a part of a city.
_CITY_PART_GAP = re.compile(
    r"\s+(?:district|neighbou?rhood|micro-?district|quarter|raion)(?P<plural>s)?\s+(?:in|of)\s+(?:the\s+)?"
    r"(?:city\s+of\s+)?",
    re.I,
)
_PART_WORD = re.compile(r"\b(?:district|neighbou?rhood|micro-?district|quarter|raion)$", re.I)
_IN_OF_GAP = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?(?:city\s+of\s+)?", re.I)
_IN_GAP = re.compile(r"\bin\b", re.I)
#: How far from a city's centre its named parts may lie (Kharkiv's districts reach ~15 km out).
_CITY_PART_KM = 25.0
#: The masculine adjective endings of raion and city-district names ("Halytskyi", "Kirovskiy", "Sobornyi").
_DISTRICT_ADJECTIVE = re.compile(r"(?:yi|iy|yy|ij|yj|ii|sky|ski)\b", re.IGNORECASE)
#: A misspelt name read in its named oblast: letters enough to make one slip safe, and the rapidfuzz
#: similarity (0-1) it needs ("starolasna"/"starolaspa" 0.9; a real other village is rarely that close).
_TYPO_MIN_LETTERS = 7
_TYPO_MIN_SIMILARITY = 0.88
#: A city large enough to be written with its districts.
_CITY_MIN_POPULATION = 50_000


def _city_of(m: Mention) -> Place | None:
    """The city a mention names, when one of its candidates is a city of some size."""
    cities = [c.place for c in m.candidates if c.place.feature == "settlement" and c.name_score >= 0.9]
    big = [p for p in cities if p.population >= _CITY_MIN_POPULATION]
    return max(big, key=lambda p: p.population) if big else None


#: A namesake this many times smaller than a big city of that name is marked down in scoring ("Geneva":
#: not one of the small American Genevas); lists drop only those 100x smaller (geomap._forms).
_SCORED_NAMESAKE_RATIO = 10
#: Score taken from a village sharing a big city's own name (:func:`geomap._forms.big_city_population`).
_NAMESAKE_PENALTY = 0.2


def _namesakes_front_edge(m: Mention, city_pop: int, when: date | None) -> float:
    """The best front prior among the settlements ten times smaller than the city the mention names."""
    return max(
        (
            _front_bonus(c.place, when)
            for c in m.candidates
            if c.place.feature == "settlement" and c.place.population * _SCORED_NAMESAKE_RATIO < city_pop
        ),
        default=0.0,
    )


def _front_bonus(p: Place, when: date | None) -> float:
    """The prior a village or town of Ukraine or Russia gets for lying near the line of contact."""
    if p.feature in ("settlement", "feature") and p.country_code in ("UA", "RU"):
        return 0.5 * math.exp(-km_to_front(p.latitude, p.longitude, when) / 25.0)
    return 0.0
NAMESAKE_OF_CITY = "namesake-of-city"
#: A city this size keeps the short forms GeoNames lists as its alternate names ("Rostov").
_METRO_POPULATION = 500_000
#: Schemes of the hand-written aliases (gazetteer/curated/aliases.tsv).
_CURATED_NAME = ("exonym", "historic")
#: Between a place and the oblast that qualifies it: "Kamyanka, Cherkasy", "Terny village, Donetsk",
#: "Andreevka – Donetsk region", "Vilcha checkpoint, Kyiv", "Kupiansk (Kharkiv oblast)".
_QUALIFIER_GAP = re.compile(
    r"(?:\s+(?:village|town|city|settlement|hamlet|checkpoint|station|district|area|airport|airfield|"
    r"port|bridge|dam|plant|base|mine|outskirts|suburb|raion|hromada|community))?"
    r"\s*(?:,|\(|–|—|-|\bin\b)\s*(?:the\s+)?",
    re.I,
)
