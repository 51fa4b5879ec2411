"""Candidates the name lookup cannot give, read from the form of a mention and its neighbours.

* an oblast's adjective in any of the languages the product reads ("Kharkivska", "Kharkovskaya",
  Polish "Chmielnicki", "the Chmielnica region"): the oblast;
* a big city's name with two adjacent letters swapped ("near Dontesk"): the city, with a note;
* coordinated lists of oblast names ("Zaporizhzhia, Kherson, Donetsk, and Luhansk oblasts",
  "cities such as Kharkiv, Sumy or Zaporizhzhia"): items of one list, not a place and its qualifier.

Private to :mod:`geomap.resolve`, which asks :class:`MentionForms` before scoring.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from geomap.model import Article, Candidate, Mention
from geomap.translit import adjective_stem, name_stem, oblast_adjectives, skeleton


class MentionForms:
    """Oblast adjectives, big-city typos and lists of oblast names, over one gazetteer.

    Parameters
    ----------
    gazetteer : Gazetteer
        Read through ``admin1_key``, ``region_place``, ``lookup`` and ``place``.
    """

    def __init__(self, gazetteer: object) -> None:
        self.gaz = gazetteer
        self._oblast_stems: dict[str, str] | None = None
        self._typo_cache: dict[str, tuple[list[Candidate], str]] = {}

    @property
    def oblast_stems(self) -> dict[str, str]:
        """Skeleton of an oblast's name stem -> its admin1 ("PLTV" -> "Poltava").

        Stems of every romanization of the oblast adjective ("Poltavs|ka", "Poltaw|ski",
        "Chmielnic|ki") and of the oblast's own name ("Poltav|a"), derived from the
        gazetteer's oblast records; a stem two oblasts share, or shorter than four
        consonant classes, is left out.
        """
        if self._oblast_stems is None:
            owners: dict[str, set[str]] = {}
            key = getattr(self.gaz, "admin1_key", None)
            for iso in _UA_OBLAST_ISO:
                admin1 = key(iso) if key else None
                place = self.gaz.region_place(admin1) if admin1 else None
                if place is None or place.feature != "oblast":
                    continue
                stems = {adjective_stem(f) for f, _s, _q in oblast_adjectives(place.name_uk, place.name_ru)}
                stems.add(name_stem(admin1))
                for st in stems:
                    sk = skeleton(st) if st else ""
                    if len(sk.replace(" ", "")) >= _MIN_STEM_SKELETON:
                        owners.setdefault(sk, set()).add(admin1)
            self._oblast_stems = {sk: next(iter(a)) for sk, a in owners.items() if len(a) == 1}
        return self._oblast_stems

    def add_candidates(self, m: Mention, text: str) -> None:
        """Candidates the name lookup cannot give: oblast adjectives, and a big city's misspelling.

        * An adjectival form ("Poltawski", "Mikołajowski", "Kharkovskaya", Polish "Chmielnicki") or a
          region-cued noun ("the Chmielnica region") whose stem sounds like an oblast's stem names
          that oblast: the oblast becomes a candidate, and the mention a region-level one.
        * A word nothing matches ("near Dontesk") that is one swap of two adjacent letters from
          the name of a city of :data:`_TYPO_MIN_POPULATION` or more gets that city as a candidate.
          Only names the gazetteer does not know at all are tried, so a real village's name is
          never re-read as a city's.
        """
        if " " in m.text.strip():
            return
        stem = adjective_stem(m.text)
        if stem is not None and _NAMES_A_THING.match(text, m.char_end):
            # "Kyivska Hydroelectric Power Plant", "Sumska street": the adjective names that thing
            stem = None
            m.candidates = [c for c in m.candidates if c.scheme != "adjective"]
        adjectives = [c for c in m.candidates if c.scheme == "adjective"]
        if adjectives and stem is not None and m.kind == "name":
            # the gazetteer knows the form as the oblast's adjective: a region-level mention, unless
            # a town's own name is spelled so at least as well ("Khmelnytskyi" is the city)
            towns = [c.name_score for c in m.candidates if c.place.feature == "settlement"]
            if max(towns, default=0.0) <= max(c.name_score for c in adjectives):
                m.kind = "region"
        if any(c.place.feature in ("oblast", "region") for c in m.candidates):
            return
        if stem is None and m.kind == "region":
            stem = name_stem(m.text)
        if stem is not None:
            admin1 = self.oblast_stems.get(skeleton(stem))
            region = self.gaz.region_place(admin1) if admin1 else None
            if region is not None:
                m.candidates.append(
                    Candidate(place=region, alias=m.text, scheme="adjective", name_score=_ADJECTIVE_SCORE)
                )
                if m.kind == "name":
                    m.kind = "region"
                return
        # Nothing matches, or only sound-alikes of small places ("Kharkhiv" sounds like Horokhiv,
        # a town of 10,000): a big city one slip of the keyboard away is the likelier reading.
        if m.match in ("none", "skeleton") and all(
            c.scheme == "skeleton" and c.place.population < _TYPO_MIN_POPULATION for c in m.candidates
        ):
            typos, slip = self._typo_candidates(m.text)
            if typos:
                m.candidates = list(typos)
                m.note = f"read as {typos[0].place.name} with {slip}"

    def _typo_candidates(self, word: str) -> tuple[list[Candidate], str]:
        """Cities of some size whose name is ``word`` with one slip undone, and what the slip was."""
        cached = self._typo_cache.get(word)
        if cached is not None:
            return cached
        best: dict[str, Candidate] = {}
        slip = ""
        for fixed, how in _one_slip_back(word):
            for h in self.gaz.lookup(fixed):
                if h.quality < 0.9:
                    continue  # an official or curated name, not a generated spelling
                p = self.gaz.place(h.place_id)
                if p.feature != "settlement" or p.population < _TYPO_MIN_POPULATION:
                    continue
                if p.place_id not in best:
                    best[p.place_id] = Candidate(place=p, alias=h.alias, scheme="typo", name_score=0.8)
                    slip = slip or how
        found = list(best.values())
        if len({(round(c.place.latitude), round(c.place.longitude)) for c in found}) > 1:
            found = []  # two different cities one slip away: no reading is safe
        if len(self._typo_cache) > 10_000:
            self._typo_cache.clear()
        self._typo_cache[word] = (found, slip)
        return found, slip

    def parallel_lists(self, article: Article, mentions: list[Mention]) -> frozenset[int]:
        """Mentions that are items of one coordinated list of oblast names.

        "Kharkiv, Sumy or Zaporizhzhia" names three places of one kind, none qualifies the one
        before. When the list says what kind ("Zaporizhzhia, Kherson, Donetsk, and Luhansk
        oblasts", "Mikołajowski, Chmielnicki and Poltawski" of which one is only an oblast), every
        item is read as an oblast. Returns the indexes of the items of such lists (three items or
        more; or two that a plural region word ends, or of which one is an oblast's adjective).
        """
        text = article.text
        key = getattr(self.gaz, "admin1_key", None)
        if key is None:
            return frozenset()
        listed: set[int] = set()
        i = 0
        n = len(mentions)
        while i < n:
            j = i
            joined = False
            while j + 1 < n:
                gap = text[mentions[j].char_end : mentions[j + 1].char_start]
                sep = LIST_SEP.fullmatch(gap)
                if not sep:
                    break
                conj = bool(sep.group("conj") or sep.group("conj2"))
                joined = joined or conj
                j += 1
                if conj:
                    break  # "A, B and C": the conjunction comes before the last item
            run = list(range(i, j + 1))
            i = j + 1 if j > i else i + 1
            if len(run) >= 3:
                self._city_list(mentions, run)
            if len(run) < 2 or not joined:
                continue
            names = [self._oblast_of(mentions[k], key) for k in run]
            if any(a is None for a in names):
                continue
            plural = (
                bool(_PLURAL_REGION.match(text, mentions[run[-1]].char_end))
                or (mentions[run[-1]].cue or "").lower() in _PLURAL_REGION_WORDS
            )
            oblast_only = any(
                mentions[k].candidates
                and all(c.place.feature in ("oblast", "region") for c in mentions[k].candidates)
                for k in run
            )
            # two items do for an oblast's adjective: "Chmielnicki and Poltawski" (Polish obwody)
            adjectival = any(
                mentions[k].candidates and all(c.scheme == "adjective" for c in mentions[k].candidates)
                for k in run
            )
            if len(run) < 3 and not (plural or adjectival):
                continue
            listed.update(run)
            if not (plural or oblast_only):
                # "cities such as Kharkiv, Sumy or Zaporizhzhia": a list of oblast names is of the
                # oblasts or their big cities, not of villages that share a big city's name
                for k in run:
                    self._drop_namesakes(mentions[k])
                continue
            for k, admin1 in zip(run, names, strict=True):
                m = mentions[k]
                if not any(c.place.feature in ("oblast", "region") for c in m.candidates):
                    # Ukraine's oblasts first, then Russia's ("from the Kursk and Bryansk regions")
                    region = self.gaz.region_place(admin1) or self.gaz.region_place(admin1, "RU")
                    if region is None:
                        continue
                    m.candidates.append(
                        Candidate(place=region, alias=m.text, scheme="region", name_score=0.95)
                    )
                if m.kind == "name":
                    m.kind = "region"
                    m.cue = m.cue or "list"
                if plural:  # "Zaporizhzhia, Kherson, Donetsk, and Luhansk oblasts": no town is meant
                    m.candidates = [c for c in m.candidates if c.place.feature in ("oblast", "region")]
        return frozenset(listed)

    @staticmethod
    def _city_list(mentions: list[Mention], run: list[int]) -> None:
        """In a list of big cities, each item is a big city: drop namesakes a hundred times smaller.

        "Paris, Berlin, Istanbul, Geneva, Brussels, New York, Beijing": "New York" there is the
        city of eight million, not Niu-York on the Donbas front (whose English name it also is).
        A list is of big cities when two thirds of its items (three or more) name one.
        """
        bigs = [_biggest_spelled(mentions[k]) for k in run]
        if sum(b >= BIG_CITY for b in bigs) * 3 < 2 * len(run):
            return
        for k, big in zip(run, bigs, strict=True):
            if big >= BIG_CITY:
                m = mentions[k]
                m.candidates = [
                    c
                    for c in m.candidates
                    if c.place.feature != "settlement" or c.place.population * NAMESAKE_RATIO >= big
                ]

    @staticmethod
    def _drop_namesakes(m: Mention) -> None:
        """Drop the settlement candidates a hundred times smaller than a big city of the same name."""
        big = big_city_population(m)
        if big:
            m.candidates = [
                c
                for c in m.candidates
                if c.place.feature != "settlement" or c.place.population * NAMESAKE_RATIO >= big
            ]

    @staticmethod
    def _oblast_of(m: Mention, key: Callable[[str], str | None]) -> str | None:
        """The admin1 a mention can name as an oblast: its spelling, or an oblast candidate's."""
        admin1 = key(m.text)
        if admin1 is None:
            admin1 = next((c.place.admin1 for c in m.candidates if c.place.feature == "oblast"), None)
        return admin1


def _biggest_settlement(m: Mention, *, min_score: float, not_schemes: tuple[str, ...]) -> int:
    """The population of the biggest settlement the mention names this well (0 when none)."""
    return max(
        (
            c.place.population
            for c in m.candidates
            if c.place.feature == "settlement" and c.name_score >= min_score and c.scheme not in not_schemes
        ),
        default=0,
    )


def _biggest_spelled(m: Mention) -> int:
    """The population of the biggest settlement the mention spells (a sound-alike or typo aside)."""
    return _biggest_settlement(m, min_score=0.8, not_schemes=("skeleton", "typo"))


def big_city_population(m: Mention) -> int:
    """The population of the biggest city (:data:`BIG_CITY` or more) the mention spells as its own
    name (not a sound-alike, typo or unvetted alternate), or 0."""
    pop = _biggest_settlement(m, min_score=0.9, not_schemes=_NOT_OWN_NAME)
    return pop if pop >= BIG_CITY else 0


#: A town this size is what its bare name means (Kostiantynivka, 67,000, against 34 hamlets and
#: villages of that name, several nearer the front); namesakes a hundred times smaller are marked.
BIG_CITY = 50_000
NAMESAKE_RATIO = 100
#: Schemes that do not make a name the city's own: a sound-alike, a typo, an unvetted alternate name.
_NOT_OWN_NAME = ("skeleton", "typo", "alternate")
#: After an adjectival name, a word that makes it the name of something else than the oblast: a
#: capitalised word other than a region word ("Kyivska Hydroelectric Power Plant"), or a common noun
#: of the things Ukrainian names by adjective (streets, hromadas, districts, stations, plants).
_NAMES_A_THING = re.compile(
    r"[ \t]+(?:(?!(?:Oblast|Region|Province|Obwód|Oblast')\b)[A-Z]|(?:street|avenue|square|hromada|"
    r"community|district|raion|station|plant|hpp|tpp|mine|village|settlement)\b)"
)
#: ISO 3166-2:UA codes of the oblasts (the adjective-stem table is built from these).
_UA_OBLAST_ISO = tuple(
    f"UA-{n}" for n in "05 07 09 12 14 18 21 23 26 32 35 46 48 51 53 56 59 61 63 65 68 71 74 77".split()
)
#: Shorter stems ("Sum", "Lviv") collide with other words; their oblasts' adjectives are exact aliases.
_MIN_STEM_SKELETON = 4
#: Name score of an oblast found by its adjective's stem (a transliteration, not a spelling it has).
_ADJECTIVE_SCORE = 0.9


def _one_slip_back(word: str) -> Iterator[tuple[str, str]]:
    """Spellings one keyboard slip from ``word``, with the slip: two adjacent letters swapped
    back ("Dontesk"), or, in words of six letters or more, one letter dropped ("Kharkhiv")."""
    for k in range(len(word) - 1):
        if word[k] != word[k + 1] and word[k].isalpha() and word[k + 1].isalpha():
            yield word[:k] + word[k + 1] + word[k] + word[k + 2 :], "two adjacent letters swapped"
    if len(word) >= 6:
        for fixed in dict.fromkeys(word[:k] + word[k + 1 :] for k in range(len(word))):
            yield fixed, "one letter too many"


#: A misspelt name is read as a city only from this size up (a typo of a village is a guess).
_TYPO_MIN_POPULATION = 100_000
#: Between two items of a list: a comma, "and", "or", ", and".
LIST_SEP = re.compile(r"\s*(?:,\s*(?P<conj>(?:and|or|&)\s+)?|\s+(?P<conj2>and|or|&)\s+)")
_PLURAL_REGION_WORDS = frozenset({"oblasts", "regions", "provinces", "oblasti", "oblasty"})
_PLURAL_REGION = re.compile(r"\s+(?:oblasts|regions|provinces)\b", re.I)
