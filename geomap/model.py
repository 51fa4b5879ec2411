"""The records that flow between pipeline stages.

Data flows one way: ingest -> recognize -> resolve -> events -> render.
Every stage takes and returns these plain dataclasses, so each stage can be
tested alone and the records serialise to JSON without custom encoders
(``dataclasses.asdict``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

#: Feature kinds a gazetteer place can have.
FeatureKind = Literal["settlement", "oblast", "raion", "hromada", "region", "country", "feature"]

#: Status of a mention after resolution.
MentionStatus = Literal["resolved", "ambiguous", "unresolved"]

#: Who stands behind a reported fact.
Stance = Literal["reported", "claimed", "denied", "disputed"]

#: ACLED geo_precision: 1 the settlement itself, 2 near it or part of a region,
#: 3 oblast/region level, 4 country.
GEO_PRECISION_BY_FEATURE: dict[str, int] = {
    "settlement": 1,
    "feature": 1,
    "hromada": 2,
    "raion": 2,
    "oblast": 3,
    "region": 3,
    "country": 4,
}


@dataclass(slots=True)
class Article:
    """One input article, as read by :mod:`geomap.ingest`.

    Attributes
    ----------
    article_id : str
        Stable identifier (file stem, or the ``id`` of a JSONL line).
    text : str
        The full article text; all character offsets refer to it.
    title : str
        First non-empty line of a text file, or the JSONL ``title``.
    published : datetime.date or None
        Publication date from metadata or a dateline near the top.
    url : str or None
        Source URL, when known (http(s) only).
    source_path : str or None
        Path of the file the article came from.
    published_source : str or None
        Where ``published`` came from: "metadata", "dateline", "filename".
    """

    article_id: str
    text: str
    title: str = ""
    published: date | None = None
    url: str | None = None
    source_path: str | None = None
    published_source: str | None = None


@dataclass(slots=True, frozen=True)
class Place:
    """One gazetteer entry.

    ``place_id`` is prefixed by its source: "geonames:713174",
    "hdx:UA1402001012", "curated:zaporizhzhia-npp".
    """

    place_id: str
    name: str
    latitude: float
    longitude: float
    feature: str  # one of FeatureKind
    country_code: str
    admin1: str | None = None
    admin2: str | None = None
    hromada: str | None = None
    population: int = 0
    name_uk: str | None = None
    name_ru: str | None = None
    source: str = ""
    admin1_code: str | None = None  # ISO 3166-2 for Ukraine ("UA-14"), GeoNames code elsewhere

    @property
    def geo_precision(self) -> int:
        return GEO_PRECISION_BY_FEATURE.get(self.feature, 1)


@dataclass(slots=True, frozen=True)
class AliasHit:
    """A gazetteer alias that matched a lookup key.

    ``quality`` ranks how the alias was obtained: 1.0 for an official or
    canonical name, lower for generated transliterations, lowest for a
    phonetic-skeleton match.
    """

    place_id: str
    alias: str
    scheme: str  # "official", "alternate", "kmu2010", "bgn_pcgn", "skeleton", "curated", ...
    quality: float


@dataclass(slots=True)
class Candidate:
    """A place a mention may refer to, with its score."""

    place: Place
    alias: str
    scheme: str
    name_score: float  # how well the surface matches the alias, 0..1
    score: float = 0.0  # after context scoring, 0..1
    reasons: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "place_id": self.place.place_id,
            "name": self.place.name,
            "admin1": self.place.admin1,
            "country_code": self.place.country_code,
            "score": round(self.score, 3),
        }


@dataclass(slots=True)
class Mention:
    """A span of article text that names (or may name) a place.

    ``text`` always equals ``article.text[char_start:char_end]``.
    """

    article_id: str
    text: str
    char_start: int
    char_end: int
    match: str  # "exact", "variant", "skeleton", "fuzzy"
    kind: str = "name"  # "name", "region" ("X region"/"X oblast"), "adjective" ("Crimean")
    cue: str | None = None  # the context word that signalled a place ("town of", "region")
    candidates: list[Candidate] = field(default_factory=list)
    # filled by resolve:
    status: str = "unresolved"  # one of MentionStatus
    place: Place | None = None
    confidence: float = 0.0
    geo_precision: int | None = None
    note: str | None = None  # why it was left unresolved / what boilerplate it is


@dataclass(slots=True)
class Sentence:
    """A sentence (or clause-bearing span) of an article."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Event:
    """One (article, place, event) record: the unit of `geomap parse` output.

    Field names follow the stable record schema; see :func:`Event.to_record`.
    """

    article_id: str
    event_id: str
    role: str  # "event" or "context"
    event_type: str | None
    sub_event_type: str | None
    weapon: str | None
    event_date: str | None
    date_precision: str | None  # "day", "days", "week", "month", "year", None
    mention: str
    place_id: str
    place_name: str
    latitude: float
    longitude: float
    geo_precision: int
    admin1: str | None
    admin2: str | None
    country_code: str
    confidence: float
    claimed_by: str | None
    stance: str
    fatalities: int | None
    sentence: str
    char_start: int
    char_end: int
    injured: int | None = None
    triggers: list[str] = field(default_factory=list)
    sentence_start: int = 0
    title: str = ""
    url: str | None = None
    published: str | None = None
    sources: list[str] = field(default_factory=list)  # article ids reporting it (after dedup)

    def to_record(self) -> dict[str, Any]:
        """Return the JSON-ready dict of the stable schema."""
        return asdict(self)


def mention_record(m: Mention) -> dict[str, Any]:
    """The `geomap parse --mentions` record of a mention."""
    place = m.place
    return {
        "article_id": m.article_id,
        "mention": m.text,
        "char_start": m.char_start,
        "char_end": m.char_end,
        "status": m.status,
        "place_id": place.place_id if place else None,
        "place_name": place.name if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "geo_precision": m.geo_precision,
        "score": round(m.confidence, 3),
        "match": m.match,
        "note": m.note,
        "candidates": [c.summary() for c in m.candidates[:5]],
    }
