"""Find place mentions in article text.

Two passes over the folded text (:func:`geomap._text.fold` keeps offsets):

1. An Aho-Corasick automaton over every Latin-script gazetteer alias finds
   exact and variant names (leftmost-longest, on word boundaries). Matches are
   kept only when they look like names in English prose: capitalised, not a
   person ("Vitaly Kim"), not a media outlet ("Rossiya 24"), not a common
   English word unless the context signals a place ("in Split").
2. Capitalised words the automaton did not know are looked up by phonetic
   skeleton ("Kobyansk" -> Kupiansk) only where the text signals a place
   (a cue word such as "town of", "recaptured", "... region", or a Slavic
   place-name ending). A signalled word with no candidate is still reported,
   as an unresolved mention: honesty over silence.

The stage emits :class:`geomap.model.Mention` records with their gazetteer
candidates; :mod:`geomap.resolve` chooses among them.
"""

from __future__ import annotations

import gc
import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from geomap import config
from geomap._text import _SCAN_BLANK, PHRASE_END, fold, norm_key, route_end, scan_text
from geomap.model import AliasHit, Article, Candidate, Mention, Place
from geomap.translit import phonetic_similarity

# --- lexicon --------------------------------------------------------------------


def _read_list(name: str) -> frozenset[str]:
    path = config.CURATED_DIR / "lexicon" / name
    words: set[str] = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if name == "not_places.txt":
                words.add(norm_key(line))
            else:
                words.update(norm_key(w) for w in line.split())
    return frozenset(words)


@dataclass(frozen=True, slots=True)
class Lexicon:
    given_names: frozenset[str]
    public_figures: frozenset[str]
    titles: frozenset[str]
    not_places: frozenset[str]
    demonyms: frozenset[str]
    cues_before: frozenset[str]
    cues_after: frozenset[str]
    function_words: frozenset[str] = frozenset()
    weapon_names: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The word lists of gazetteer/lexicon/ (loaded once)."""
    return Lexicon(
        given_names=_read_list("given_names.txt"),
        public_figures=_read_list("public_figures.txt"),
        titles=_read_list("titles.txt"),
        not_places=_read_list("not_places.txt"),
        demonyms=_read_list("demonyms.txt"),
        cues_before=_read_list("cues_before.txt"),
        cues_after=_read_list("cues_after.txt"),
        function_words=_read_list("function_words.txt"),
        weapon_names=_read_list("weapon_names.txt"),
    )


#: gender-guesser's frequency columns (of a row's columns 30..) outside East Asia: columns 49 and
#: 51-53 (China, Japan, Korea, Vietnam) are left out, their romanised syllables ("In", "On", "Do",
#: "An", "The") being English words, written after the surname anyway.
_KEPT_SPANS = (slice(0, 49), slice(50, 51), slice(54, None))
#: The least frequency (gender-guesser's scale: 1 rare ... 13 extremely common) a name must have in
#: one country to count: the rarest entries are English words used once as a name ("Nova", "Red").
_MIN_NAME_FREQUENCY = 3


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Given names of gender-guesser's name dictionary (Jörg Michael's ``nam_dict.txt``), as norm keys.

    48,000 first names with their frequency in 55 countries, all of Europe and the former Soviet
    Union included; kept (about 14,000): names at least :data:`_MIN_NAME_FREQUENCY` common in some
    country outside East Asia. Used for the "First Surname" pair rule only (a first name is not a
    place-name blacklist: Sofia, Karolina and Marinka are places too).

    Returns
    -------
    frozenset of str
        The names' :func:`geomap._text.norm_key` forms (empty without gender-guesser).
    """
    try:
        from importlib.resources import files

        data = (files("gender_guesser") / "data" / "nam_dict.txt").read_text(encoding="utf-8")
    except (ImportError, OSError):  # pragma: no cover - gender-guesser is a declared dependency
        return frozenset()
    names: set[str] = set()
    for line in data.splitlines():
        line = line.strip()
        if not line or line[0] in "#=":
            continue
        # columns 30.. hold one frequency digit (hex, blank = none) per country; a final "$" closes the row
        freqs = line[30:-1]
        # the row's best digit outside East Asia (upper-case hex digits sort as their values)
        best = max("".join([freqs[span] for span in _KEPT_SPANS]).replace(" ", ""), default="0")
        if int(best, 16) < _MIN_NAME_FREQUENCY:
            continue
        name = line.split()[1]
        # "+" joins the parts of Arabic names: "Abd+al" is "Abdal", "Abd al" or "Abd-al"
        for joined in {name.replace("+", r) for r in ("", " ", "-")}:
            names.add(norm_key(joined))
    return frozenset(names)


#: norm_key of words seen in text: the same few thousand words recur in every article.
_nk = lru_cache(maxsize=65536)(norm_key)


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    """English word frequency (Zipf scale); high for common words."""
    freqs = _english_frequencies()
    if freqs is None:  # pragma: no cover - wordfreq is a declared dependency
        return 0.0
    if _PLAIN_WORD.fullmatch(word):
        return _plain_zipf(word, freqs)
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=1)
def _english_frequencies() -> dict[str, float] | None:
    """wordfreq's English word -> frequency table (loaded once; None without wordfreq)."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # pragma: no cover - wordfreq is a declared dependency
        return None
    return get_frequency_dict("en", "best")


#: Words wordfreq's English tokenizer keeps whole (one token, no digits, nothing to fold).
_PLAIN_WORD = re.compile(r"[a-z]+")


def _plain_zipf(word: str, freqs: dict[str, float] | None = None) -> float:
    """``wordfreq.zipf_frequency(word, "en")`` for a :data:`_PLAIN_WORD`, without tokenizing it.

    Same arithmetic as wordfreq's ``_word_frequency`` for one token: a cold parse meets a
    thousand new words, and tokenizing them was most of their cost. ``freqs`` is
    :func:`_english_frequencies` (looked up when not given).
    """
    if freqs is None:
        freqs = _english_frequencies() or {}
    freq = freqs.get(word)
    minimum = 1e-9  # zipf_to_freq(0): zipf_frequency's default floor
    if freq is None:
        unrounded = minimum
    else:
        unrounded = max(1.0 / (0.0 + 1.0 / freq), minimum)
        unrounded = round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)
    return round(math.log(unrounded, 10) + 9, 2)


#: Slavic place-name endings: an unknown capitalised word ending so is worth a skeleton lookup.
_PLACE_ENDING = re.compile(
    r"(?:[iy]v|ivk|ovk|evk|iivk|yivk|ivsk|sk|tsk|ske|ske|ne|ino|yno|ovo|evo|ove|eve|ivka|ovka|evka|ivske|ske"
    r"|ka|ky|ki|yar|pil|pol|grad|hrad|horod|gorod|ets|ovsk|evsk|insk|ynsk|ivtsi|ovtsi|ychi|ichi|ino)$"
)
#: Capitalised words of four letters or more: the only candidates for a skeleton lookup
#: (found by the regex engine, so lower-case prose costs nothing in Python).
#: The "no letter before" test comes after the capital ((?<!letter capital), two characters back): a
#: pattern that starts with a character set lets the engine skip to the next capital in C.
_CAP_WORD_RE = re.compile(r"[A-ZА-ЯІЇЄҐ](?<![^\W\d_'’\-][A-ZА-ЯІЇЄҐ])[^\W\d_'’\-]{3,}(?:[’'\-][^\W\d_]+)*")
_CAP_RE = re.compile(r"[A-ZА-ЯІЇЄҐ]")
#: ``\b([A-Z][a-z]+)\s+([A-Z][\w'’-]+)``, its word boundary tested after the capital (as above).
_NAME_PAIR = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]+)\s+([A-Z][\w'’-]+)")
#: "Kaja Kallas", "Frederick W. Kagan", "Linda Thomas-Greenfield": a capitalised word, an optional
#: middle initial, a capitalised word (the second read ahead, so that it may start the next pair).
#: A nickname in quotes (group 2) may stand between them ("Oleksandra “Sasha” Kuvshynova"); surname: group 3.
_FULL_NAME = re.compile(
    r"([A-Z](?<!\w[A-Z])[a-z]+)"
    r"(?=\s+(?:[\"“«‘]([A-Z][a-z]+)[\"”»’]\s+)?(?:[A-Z]\.\s+)?([A-Z][\w'’-]*[^\W_]))"
)
_POSSESSIVE = re.compile(r"['’]s$")
#: A title and what it is of, ending where a name starts: "ambassador to the Russian Federation ".
_TITLE_OF = re.compile(r"\b([A-Za-z]+)\s+(?:to|of|for)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,4}$")
_SPEECH_AFTER = re.compile(
    r"(?:'s|’s)?,?\s+(?:said|says|told|added|explained|wrote|stated|noted|stressed|"
    r"announced|insisted|claimed|argued|warned|replied|concluded)\b"
)
#: Prepositions whose object is a place, never the speaker of the verb after it.
_PLACE_PREPOSITIONS = frozenset(
    {"in", "near", "at", "around", "outside", "inside", "from", "to", "towards", "toward", "into", "over",
     "across", "of", "within", "on", "behind", "beyond", "west", "east", "north", "south"}
)
_INSTITUTION_OF = re.compile(
    r"\b(?:Forces|Force|Ministry|Minister|Service|Council|Guard|Army|Navy|Government|Embassy|Parliament|Bank|"
    r"Office|Committee|Bureau|President|Prosecutor|Court|Church|Patriarchate|University|Academy|Institute|"
    r"Administration|Rada|Cabinet|Command|Staff|Police)\s+of\s+(?:the\s+)?$"
)
_NUMBERED = re.compile(r"\s+(?:No\.?\s*)?\d+(?:/\d+)?\b(?!\s*(?:km|kilomet|mi|miles|m\b|%|people|times))")
_DISTRICT_AFTER = re.compile(r"\s+[-–—]\s+([A-Z][a-z'’]+(?:skyi|skyy|skiy|ivskyi|yi))\b")
_COORDINATED = re.compile(r"(?:,|\s+and|\s+or)\s+$")
#: ", Donetsk" or ", Luhansk oblast" after a word: the name that may be its oblast (group 1, tested
#: against the gazetteer's admin1 names).
_OBLAST_AFTER = re.compile(r",\s+([A-Z][^\W\d_]+(?:[’'\-][^\W\d_]+)?)(?![\w'’-])")

#: Words after a name that make it part of an organisation or outlet ("Kyiv Independent").
_ORG_AFTER = {
    "peoples",  # "Donetsk People's Militia / Republic": an armed group, not the city
    "militia",
    "channel",
    "tv",
    "television",
    "agency",
    "news",
    "times",
    "post",
    "press",
    "airlines",
    "airline",
    "university",
    "fc",
    "club",
    "stadium",
    "energy",
    "group",
    "bank",
    "company",
    "corporation",
    "institute",
    "brigade",
    "battalion",
    "regiment",
    "division",
    "corps",
    "patriarchate",
    "format",
    "accords",
    "accord",
    "protocol",
    "agreement",
    "agreements",
    "declaration",
    "summit",
    "convention",
    "process",
    "platform",
    "poshta",  # "Nova Poshta": the delivery company
    "gazeta",  # "Novaya Gazeta", "Rossiyskaya Gazeta": newspapers
    "zvezda",  # "Krasnaya Zvezda"
}


#: After a name that is only a place abroad: a shop or hotel named so, where the text is ("a strike on
#: the Metro supermarket in Kharkiv" is not Metro, Indonesia). A Ukrainian or Russian place's name stays
#: the place ("a Kharkiv supermarket").
_BUSINESS_OR_STREET = frozenset(
    "supermarket supermarkets hypermarket store stores shop mall hotel restaurant cafe café cinema "
    "street avenue boulevard lane".split()
)
_STREET_WORDS = frozenset("street avenue boulevard lane prospekt prospect highway".split())
#: Before a name: "on" or a house number ("111B"), which make "X street" a street's name, not "a Kyiv street".
_STREET_BEFORE = re.compile(r"(?:\bon|\b\d+[A-Za-z]?)\s+$")


def _street_name(text: str, start: int, end: int, important: bool) -> bool:
    """Whether the name at ``start:end``, before a street word, names the street (not its town).

    "on Sumska street", "111B Petrovskogo street", "Moscow Avenue in Kharkiv" are streets; "a Kyiv
    street" and "Kharkiv streets" are the city's. A city's name before a capitalised "Street" is the
    street's only with a sign besides the capital, which a title-cased headline ("Missiles Hit Kyiv
    Street") gives to every word.
    """
    word = _NEXT_WORD.match(text, end, end + 40)
    if word is None:
        return False
    if _STREET_BEFORE.search(text, max(0, start - 12), start):
        return True
    if not word.group(1)[0].isupper():
        return False
    return not important or bool(_IN_A_TOWN.match(text, word.end()))


_IN_A_TOWN = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?[A-Z]")


#: Heads of the names of meetings, formats and documents that take a place's name and one more
#: capitalised word ("Munich Security Conference", "Kyiv Security Forum", "Black Sea Grain
#: Initiative"): no physical place, so never the place where something happened.
_NAMED_AFTER_PLACE = frozenset(
    {"conference", "forum", "initiative", "summit", "format", "platform", "accords", "agreements",
     "declaration", "memorandum", "protocol", "communique", "charter", "compact", "dialogue"}
)


class TooManyMentions(Exception):
    """An article with more place-name matches than :data:`geomap.config.MAX_MENTIONS`."""


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    key: str
    hits: list[AliasHit]
    match: str  # exact | variant | skeleton | none
    looked_up: bool = False  # hits are exactly ``gaz.lookup(key)`` (an automaton span)


class Recognizer:
    """Finds place mentions in articles using a :class:`geomap.gazetteer.Gazetteer`.

    Parameters
    ----------
    gazetteer : Gazetteer
        A loaded gazetteer (its automaton is loaded on first use).
    """

    def __init__(self, gazetteer: object) -> None:
        self.gaz = gazetteer
        self.lex = lexicon()
        # Demonyms, given names, titles and public figures: never a place, whatever the context.
        # One set for the four (tested for every span and every unknown capitalised word).
        lex = self.lex
        self._not_names = lex.demonyms | lex.given_names | lex.titles | lex.public_figures
        self._automaton = None
        self._looked_up = 0  # characters scanned by SQLite lookups (see _hits)
        self._profiles: dict[str, tuple[int, bool, bool, bool]] = {}
        self._rows: dict[str, list[tuple[Place, str, str, float]]] = {}
        # One-off loads done here, with the gazetteer, rather than inside the first article:
        # wordfreq's import and English table (~0.25 s) and the not-place alternation.
        _zipf("the")
        _zipf("new york")  # and its tokenizer (plain words skip it)
        _not_place_regex(self.lex.not_places)
        first_names()  # gender-guesser's name dictionary (~65 ms)
        # phonetic_similarity imports rapidfuzz's distance module on its first call (~6 ms, a tenth
        # of a cold parse's recognition otherwise paid inside the first article with an unknown word).
        phonetic_similarity("kyiv", "kiev")
        # wordfreq's tables are 300,000 strings in lists, just made: the young generations' first
        # collection walks them all (~6 ms, in the first article otherwise). Collect those
        # generations now, with the load (a Pipeline then freezes them: pipeline._freeze_loaded_tables).
        gc.collect(1)

    def _hits(self, scan: str) -> Iterable[tuple[int, tuple[str, int]]]:
        """The automaton's hits in ``scan``: by SQLite lookups until loading the automaton pays.

        A process that parses a handful of articles (a rebuild after adding one, ``geomap parse
        one.txt``) never loads the automaton; one that goes on loads it after
        :data:`geomap.config.SCAN_LOOKUP_BYTES` of text. Both give the same hits.
        """
        gaz = self.gaz
        lookup = getattr(gaz, "scan_hits", None)
        if (
            self._automaton is None
            and lookup is not None
            and not gaz.automaton_loaded  # type: ignore[attr-defined]
            and self._looked_up + len(scan) <= config.SCAN_LOOKUP_BYTES
        ):
            self._looked_up += len(scan)
            return lookup(scan)
        return self.automaton.iter(scan)

    @property
    def automaton(self):  # noqa: ANN201 - pyahocorasick has no type stubs
        if self._automaton is None:
            self._automaton = self.gaz.automaton()  # type: ignore[attr-defined]
        return self._automaton

    # -- public --------------------------------------------------------------------

    def recognize(self, article: Article) -> list[Mention]:
        """Return the place mentions of ``article``, in text order, with candidates."""
        text = article.text
        folded = fold(text)
        scan = scan_text(folded)  # read by the automaton and the not-place prefilter
        found = self._automaton_spans(text, folded, scan)
        if len(found) > config.MAX_MENTIONS:
            raise TooManyMentions(_too_many())
        persons = self._persons(text)
        not_place = self._not_place_ranges(folded, scan)
        if "http" in text or "www." in text or "@" in text or "#" in text:
            # "kyivindependent.com/attack-on-kherson", "@Kharkiv_OVA", "#Odesa": addresses and tags
            not_place = sorted(not_place + [m.span() for m in _WEB_TOKEN.finditer(text)])
        # "Kaja Kallas": a first name and a surname, neither a place (the first name only there)
        named, ranges = self._full_names(text, found)
        if named:
            persons |= named
            not_place = sorted(not_place + ranges)
        spans = self._filter(found, text, folded, persons, not_place)
        if "attalion" in text or "egiment" in text or "rigade" in text:
            spans = _drop_units(spans, found, text)
        # Words the automaton knew but the filters rejected, and not-place phrases, stay rejected.
        taken = [(s.start, s.end) for s in found] + not_place
        spans += self._signalled_unknowns(text, folded, taken, {s.end for s in spans}, persons)
        spans = self._one_sense_per_article(spans, text, folded)
        spans = self._two_word_names(spans, text)
        spans = self._city_districts(spans, text)
        if "hromadas" in text or "communities" in text:
            spans = self._hromada_lists(spans, text)
        spans.sort(key=lambda s: s.start)
        return [self._to_mention(article.article_id, text, folded, s) for s in spans]

    # -- pass 1: automaton ---------------------------------------------------------

    def _automaton_spans(self, text: str, folded: str, scan: str) -> list[_Span]:
        # (start, -end, key): sorted as they are, leftmost first and the longest first at one start
        # (no key function: ten thousand hits an article). Two hits with the same start and end
        # are the same scan text, hence the same key: the third field never decides.
        found: list[tuple[int, int, str]] = []
        cap = 4 * config.MAX_MENTIONS
        # Keys are whole words between spaces (" kyiv "): scan_text's leading space shifts offsets by
        # one, so a match whose closing space is at scan index i ends at text offset i - 1 (exclusive).
        for end, (key, length) in self._hits(scan):
            end -= 1
            start = end - length
            if not text[start].isupper():
                continue  # place names are capitalised in English prose (most raw hits are common words)
            if " " in key and text.find("\n", start, end) >= 0:
                continue  # a name does not run across a line break ("Zaporizhzhia\nregion": two lines)
            found.append((start, -end, key))
            if len(found) > cap:  # stop early: memory stays bounded
                raise TooManyMentions(_too_many())
        # leftmost-longest, non-overlapping
        found.sort()
        self.gaz.prefetch(key for _s, _e, key in found)  # type: ignore[attr-defined] - one query for new names
        spans: list[_Span] = []
        last_end = -1
        for start, neg_end, key in found:
            if start < last_end:
                continue
            end = -neg_end
            hits = self.gaz.lookup(key)  # type: ignore[attr-defined]
            if not hits:
                continue
            exact = any(h.quality >= 0.99 for h in hits)
            spans.append(_Span(start, end, key, hits, "exact" if exact else "variant", looked_up=True))
            last_end = end
        # The places of names new to this recogniser, in one query (one per name cost 3x as much).
        rows = self._rows
        new = [h.place_id for s in spans if s.key not in rows for h in s.hits]
        if new:
            self.gaz.prefetch_places(new)  # type: ignore[attr-defined]
        return spans

    # -- filters ----------------------------------------------------------------------

    def _filter(
        self,
        spans: list[_Span],
        text: str,
        folded: str,
        persons: set[str],
        not_place_ranges: list[tuple[int, int]],
    ) -> list[_Span]:
        out: list[_Span] = []
        not_place = _Taken(not_place_ranges)  # a few ranges per article, tested for every span
        function_words = self.lex.function_words
        weapon_names = self.lex.weapon_names
        for s in spans:
            surface = text[s.start : s.end]
            if not _CAP_RE.match(surface):
                continue  # place names are capitalised in English prose
            if not_place.overlaps(s.start, s.end):
                continue
            if (
                s.key in self._not_names
                and not self._city_of_a_given_name(text, s)
                and not self._village_of_a_given_name(text, s)
            ):
                continue  # a demonym, a given name, a title or a public figure
            if s.key in function_words:
                continue  # "The", "As", "Can": never a place alone, whatever cue precedes it
            if _hyphen_compound(folded, s.start, s.end) and not route_end(text, s.start, s.end):
                continue  # "pro-Moscow", "Moscow-appointed", "Asia-Pacific", "France-Presse"
            if " " not in s.key and text.endswith("the ", 0, s.start) and self._river_or_ship(text, s):
                continue  # "across the Dnipro", "the Moskva sank": the river, the ship, not the town
            if s.key in weapon_names and _WEAPON_NOUN_AFTER.match(text, s.end):
                continue  # "a Krasnopol shell", "the Verba MANPADS": a weapon named like a village
            if _after_ship_word(text, s.start):
                continue  # "the landing ship Novocherkassk": a ship named after a town, hit elsewhere
            if s.key in persons or self._is_person(text, s.start, s.end):
                continue
            if _before_of(text, s.start) and _INSTITUTION_OF.search(text, max(0, s.start - 40), s.start):
                continue  # "Armed Forces of Ukraine", "Ministry of Defence of Russia": an institution
            if _NUMBERED.match(text, s.end) and not self._important(s):
                continue  # "Mine 6/7", "Unit 3": a numbered thing named after a place
            if self._speaks(text, s) and not self._important(s):
                continue  # "Lavrov said": a person, unless a capital speaking for its government
            if self._is_org_or_outlet(text, s.end):
                continue
            if self._inside_a_longer_name(text, s):
                continue  # "including Karpatska Sich", "at Feldman Ecopark": a unit's, a park's name
            nxt = _nk(_next_word(text, s.end) or "")
            if nxt in _BUSINESS_OR_STREET and not self._key_profile(s)[2]:
                continue  # "the Metro supermarket in Kharkiv": a shop named so, not Metro, Indonesia
            if nxt in _STREET_WORDS and _street_name(text, s.start, s.end, self._important(s)):
                continue  # "on Moscow Avenue", "111B Petrovskogo street": a street, in the town named
            if not self._plausible(s, text, folded):
                continue
            out.append(s)
        return out

    def _not_place_ranges(self, folded: str, scan: str) -> list[tuple[int, int]]:
        """Spans of the not-place phrases, as ``_not_place_regex(...).finditer(folded)`` finds them.

        The regex is tried only where a phrase's first word starts a word (``scan`` is
        :func:`scan_text` of ``folded``).
        """
        regex = _not_place_regex(self.lex.not_places)
        starts = _not_place_first_words(self.lex.not_places)
        if starts is None:
            return [(m.start(), m.end()) for m in regex.finditer(folded)]
        # A first-word key " word" ending at scan index e starts at folded index e - len(key) + 1 (the
        # scan text has one leading space); a match needs its first word after a non-word character.
        out: list[tuple[int, int]] = []
        last = 0
        match = regex.match
        for p in sorted({e - len(key) + 1 for e, key in starts.iter(scan)}):
            if p < last:
                continue  # inside the previous match: finditer resumes at its end
            m = match(folded, p)  # its (?<![\w]) still sees folded[p - 1]
            if m is not None:
                out.append((m.start(), m.end()))
                last = m.end()
        return out

    def _is_person(self, text: str, start: int, end: int) -> bool:
        prev = _prev_word(text, start)
        if prev and _CAP_RE.match(prev) and _nk(prev) in self.lex.given_names:
            # "Stanislav Kherson" would be a man; "at Stanislav, Kherson" is a village and its oblast
            return "," not in text[max(0, start - 3) : start]
        if prev and _nk(prev) in self.lex.titles and _CAP_RE.match(prev):
            return True
        return False

    def _persons(self, text: str) -> set[str]:
        """Surnames the article uses for people ("Sergei Lavrov" makes every "Lavrov" a person)."""
        found: set[str] = set()
        for m in _NAME_PAIR.finditer(text):
            first = _nk(m.group(1))
            if first in self.lex.given_names or first in self.lex.titles:
                found.add(_nk(m.group(2)))  # the surname's key only when the pair names a person
        return found

    def _full_names(self, text: str, found: list[_Span]) -> tuple[set[str], list[tuple[int, int]]]:
        """People named "First [M.] Surname" with a first name of :func:`first_names`.

        Returns the surnames' keys (every later use of the word is the person: "Timur Ivanov ...
        Ivanov, 48,") and the first names' ranges (not places there: "Kaja" is Kaya elsewhere).
        Guards, since many first names are places too: the first name is not a word the grammar
        or the lexicon knows otherwise (a title, a demonym, a common English word: "Will",
        "German"), nor a Ukrainian place after a place cue ("near Marinka Tuesday"); the second is
        no common word; the two words are not one gazetteer name ("Nova Kakhovka"), and neither is
        the very name of a country, an oblast or a city of 100,000 (Sofia, Georgia).
        A hand-written given name (never a place itself) gives its surname under the same guards
        for the second word ("John F. Kennedy": the middle initial hides it from :meth:`_persons`).
        """
        names = first_names()
        lex = self.lex
        keys: set[str] = set()
        ranges: list[tuple[int, int]] = []
        by_start = {s.start: s for s in found}
        spans = _Taken([(s.start, s.end) for s in found])
        other = lex.titles | lex.demonyms | lex.cues_after | lex.function_words
        for m in _FULL_NAME.finditer(text):
            first = _nk(m.group(1))
            # the hand-written given names are never places: only their surname is to learn here
            # ("John F. Kennedy": the middle initial hides it from _persons)
            hand = first in lex.given_names
            if not hand and (first not in names or first in other or first in self._not_names):
                continue
            if not hand and _zipf(first) >= 5.5:
                continue  # "Will", "Said", "May": a word of the sentence before a name, not a first name
            surname = m.group(3)
            if surname.isupper() or not any(c.islower() for c in surname):
                continue  # "Will NATO": an acronym
            b_start = m.start(3)
            b_key = _nk(_POSSESSIVE.sub("", surname))
            if b_key in other or b_key in lex.not_places:
                continue  # "Vice President", "Grace Russian", "Unity March": no surname
            if not hand and _zipf(b_key) >= 4.5:
                continue  # "near Marinka Tuesday": a common word after a town, rarely a surname
            # "Speaker Nancy Pelosi", "ambassador to the Russian Federation Nigel Casey": after a title
            # (and what it is of) the pair is a person even where a word of it is also a city's name
            titled = self._after_title(text, m.start(1))
            b = by_start.get(b_start)
            if b is not None and not titled and self._known_as(b):
                continue  # a first name before a city or a country is rather a headline's word
            if not hand:
                a = by_start.get(m.start(1))
                if a is not None and (a.end != m.end(1) or (not titled and self._known_as(a))):
                    continue  # "Nova Kakhovka" is one name; "Sofia" a capital
                if a is None and spans.overlaps(m.start(1), m.end(1)):
                    continue  # inside a longer name
                if a is not None and self._key_profile(a)[2] and self._place_cue_before(text, a.start):
                    continue  # "fighting near Marinka": a Ukrainian place after a place cue is the place
                ranges.append((m.start(1), m.end(1)))
            if m.group(2):
                ranges.append((m.start(2), m.end(2)))  # the nickname is the person too
            keys.add(b_key)
        return keys, ranges

    def _after_title(self, text: str, start: int) -> bool:
        """Whether a title, or a title and what it is of, ends right before ``start``.

        "Speaker Nancy", "ambassador to the Russian Federation Nigel", "Minister of Foreign Affairs
        Radosław": the title, then "to" / "of" / "for" and up to four capitalised words.
        """
        prev = _prev_word(text, start)
        if prev and _nk(prev) in self.lex.titles:
            return True
        m = _TITLE_OF.search(text, max(0, start - 90), start)
        return m is not None and _nk(m.group(1)) in self.lex.titles

    def _place_cue_before(self, text: str, start: int) -> bool:
        """Whether a place cue other than "to" / "from" precedes ``start`` ("near", "village of").

        "according to Kaja Kallas", "a letter from Timur Ivanov": those two precede people as often.
        """
        prev = _prev_word(text, start)
        return bool(prev) and _nk(prev) in self.lex.cues_before and _nk(prev) not in ("to", "from")

    def _known_as(self, s: _Span) -> bool:
        """Whether the span is the very name of a country, an oblast or a city of 100,000 or more.

        Only places whose own name is the word count: "Karolina" is also an alternate name of
        Carolina (Puerto Rico), "Ivanov" one of Ivanovo; "Sofia" and "Georgia" are the names.
        """
        ids = [h.place_id for h in s.hits if h.quality >= 0.99]
        if not ids:
            return False
        places = self.gaz.places(ids[:50])  # type: ignore[attr-defined]
        return any(
            (p.feature in ("country", "oblast", "region") or p.population >= 100_000) and _nk(p.name) == s.key
            for p in places
        )

    def _speaks(self, text: str, s: _Span) -> bool:
        if not _SPEECH_AFTER.match(text, s.end):
            return False
        # "Residents near Avdiivka said": the name is the object of a preposition, not the speaker
        prev = _prev_word(text, s.start)
        return not (prev and prev.lower() in _PLACE_PREPOSITIONS)

    def _city_of_a_given_name(self, text: str, s: _Span) -> bool:
        """ "in Vladimir", "Vladimir region": a city of 100,000 named like a person, said to be a place.

        Only after a place cue or before a region word, and not before another capitalised word
        ("in Vladimir Putin's view" is the man).
        """
        if s.key not in self.lex.given_names or self._key_profile(s)[0] < 100_000:
            return False
        # the city's own name, not an old name of another ("Stanislav" was Ivano-Frankivsk's)
        if not any(
            h.quality >= 0.97 and self.gaz.place(h.place_id).population >= 100_000  # type: ignore[attr-defined]
            for h in s.hits
        ):
            return False
        nxt = _next_word(text, s.end)
        if nxt and _nk(nxt) in _REGION_WORDS:
            return True
        if nxt and nxt[0].isupper():
            return False
        prev = _prev_word(text, s.start)
        return bool(prev and _nk(prev) in self.lex.cues_before)

    def _village_of_a_given_name(self, text: str, s: _Span) -> bool:
        """ "fired artillery at Stanislav, Kherson": a given name before an oblast holding a place so named.

        ACLED's "<place>, <oblast>": the village of Stanislav in Kherson oblast, not a man. The
        place must bear the name itself (not as an old name: "Stanislav" was also Ivano-Frankivsk's).
        """
        if s.key not in self.lex.given_names:
            return False
        admin1 = self._oblast_after(text, s.end)
        return admin1 is not None and any(
            h.quality >= 0.97 and self.gaz.place(h.place_id).admin1 == admin1  # type: ignore[attr-defined]
            for h in s.hits
        )

    def _river_or_ship(self, text: str, s: _Span) -> bool:
        """After a lower-case "the", a name whose places are all towns names something else.

        English puts no article before a town ("in Dnipro"), but does before a river or a ship
        ("across the Dnipro", "the Moskva sank"), and before an attributive use ("the Bakhmut
        direction", "the Kharkiv offensive"), which a word after the name marks: only a name
        followed by punctuation, the end or a function word is read as the river or the ship.
        """
        nxt = _NEXT_TOKEN.match(text, s.end)
        word = nxt.group(1) if nxt is not None else None
        if word and word.lower() in _RIVER_PARTS:
            return self._key_profile(s)[3]  # "the Dnipro delta", "the Dnipro floodplains": the river's
        if word and word.lower() not in self.lex.function_words:
            return False  # "the Bakhmut direction", "the Kharkiv Regional Administration"
        listed = nxt is not None and (
            nxt.group(0).endswith(("-", "–", "—"))
            or (nxt.group(0).endswith(",") and self._name_after(text, nxt.end()))
        )
        if listed or (word and word.lower() in ("and", "or", "nor")):
            return False  # "the Kirov and Levoberezhny neighborhoods", "the Kupiansk-Svatove line"
        return self._key_profile(s)[3]  # every place of the name is a town or village

    def _name_after(self, text: str, end: int) -> bool:
        """Whether a name follows ``end`` (after a comma: another item of a list, "the Kirov, Levoberezhny
        and Zavodskyi districts"), not a clause ("the Dnipro, the governor said", "the Dnipro, Russian
        bloggers said")."""
        m = _LIST_ITEM_AFTER.match(text, end)
        return m is not None and _nk(m.group(1)) not in self._not_names and m.group(1) not in _CLAUSE_OPENERS

    def _key_profile(self, s: _Span) -> tuple[int, bool, bool, bool]:
        """(largest population, names an admin area, names a Ukrainian/Russian place, names only
        settlements) of a key's places."""
        prof = self._profiles.get(s.key)
        if prof is None:
            places = self.gaz.places([h.place_id for h in s.hits[:50]])  # type: ignore[attr-defined]
            prof = (
                max((p.population for p in places), default=0),
                any(p.feature in ("country", "oblast", "region") for p in places),
                any(p.country_code in ("UA", "RU") for p in places),
                bool(places) and all(p.feature == "settlement" for p in places),
            )
            if len(self._profiles) > 100_000:
                self._profiles.clear()
            self._profiles[s.key] = prof
        return prof

    def _important(self, s: _Span) -> bool:
        big, admin, _ukr, _towns = self._key_profile(s)
        return admin or big >= 100_000

    def _inside_a_longer_name(self, text: str, s: _Span) -> bool:
        """Whether a small place's name ends a longer proper name: "Karpatska Sich", "Feldman Ecopark".

        The capitalised word before it, inside lower-case prose, is no place, name or cue of the
        lexicon; a title-cased headline ("Drone Hits Kupiansk Market") capitalises every word, so
        a capitalised word after the name, or the two before, make the rule step aside.
        """
        if s.start < 2 or text[s.start - 1] != " " or not text[s.start - 2].isalpha():
            return False  # the common case: no word right before
        m = _WORD_BEFORE_NAME.search(text, max(0, s.start - 60), s.start)
        if m is None or self._important(s):
            return False
        word = _nk(m.group(1))
        if word in self._not_names or word in self.lex.function_words or word in self.lex.cues_before:
            return False
        if word in _NAME_PREFIXES or _zipf(word) >= 3.5:
            return False  # "New Korotych", "Nova Kakhovka" in a spelling the gazetteer lacks: still the place
        nxt = _next_word(text, s.end)
        if nxt and nxt[0].isupper():
            return False
        return not self.gaz.lookup(word)  # type: ignore[attr-defined] - "Kharkiv Lozova": two places

    def _is_org_or_outlet(self, text: str, end: int) -> bool:
        # "Rossiya 24" and the other outlets named after places are in lexicon/not_places.txt
        nxt = _next_word(text, end)  # cached: the filters and the record ask for the same ends
        if nxt is None:
            return False
        if _nk(nxt) in _ORG_AFTER:
            return True
        # "Munich Security Conference", "Black Sea Grain Initiative": a meeting or a document
        # named after the place, one capitalised word between
        if not nxt[0].isupper():
            return False
        head = _next_word(text, _next_word_end(text, end))
        return bool(head and head[0].isupper() and _nk(head) in _NAMED_AFTER_PLACE)

    def _plausible(self, s: _Span, text: str, folded: str) -> bool:
        """Keep common-word or tiny-place matches only where the context signals a place."""
        big, admin, ukr, _towns = self._key_profile(s)
        zipf = _zipf(s.key) if " " not in s.key else 0.0
        abroad = not ukr and not admin and big < 100_000  # only towns abroad by that name
        if (
            abroad
            and (nxt := _next_word(text, s.end))
            and _CAP_RE.match(nxt)
            and _nk(nxt) not in self.lex.cues_after
        ):
            return False  # a first name ("Maia Sandu", "Ilan Shor"), not a town abroad
        if abroad and " " in s.key:
            zipf = _zipf(s.key)  # "Wood Green", "The Bridge": a common phrase before it is a town abroad
        if zipf < (2.9 if abroad else 3.5) and (ukr or admin or big >= 15_000) and (len(s.key) > 3 or admin):
            return True  # the common case: a real place name that is no English word
        cue = self._cue(text, folded, s.start, s.end)
        if zipf >= 4.3 and big < 1_000_000 and not admin:
            return cue is not None and not _sentence_initial(text, s.start)
        if not ukr and not admin and big < 15_000:
            # a hamlet abroad that shares a word with English prose: only with a cue
            return cue is not None and zipf < 3.5
        if abroad and zipf >= 2.9:
            # a town abroad named like a person or a thing ("Casey", "Pearl", "Dunkirk"): only with a cue
            return cue is not None and not _sentence_initial(text, s.start)
        if len(s.key) <= 3 and not admin:
            return cue is not None
        return True

    def _cue(self, text: str, folded: str, start: int, end: int) -> str | None:
        prev = _prev_word(text, start)
        if prev and _nk(prev) in self.lex.cues_before:
            return _nk(prev)
        nxt = _next_word(text, end)
        if nxt and _nk(nxt) in self.lex.cues_after:
            return _nk(nxt)
        # "the regions of Belgorod and Voronezh": a list after a cue
        window = folded[max(0, start - 40) : start]
        if " of " in window and _LIST_CUE.search(window):  # the literal test skips most windows
            return "list"
        return None

    # -- pass 2: unknown capitalised words where the text signals a place -----------

    def _signalled_unknowns(
        self, text: str, folded: str, taken: list[tuple[int, int]], place_ends: set[int], persons: set[str]
    ) -> list[_Span]:
        out: list[_Span] = []
        claimed = _Taken(taken)
        # claimed.overlaps inlined: it is asked for each of the article's capitalised words
        claimed_starts, claimed_reach = claimed.starts, claimed.reach
        not_names = self._not_names
        pair_end = -1
        for m in _CAP_WORD_RE.finditer(text):
            start, end = m.span()
            word = m.group(0)
            # (_CAP_WORD_RE's words are four letters or more and start with a _CAP_RE capital)
            if word.isupper():
                continue
            i = bisect_left(claimed_starts, end)
            if i and claimed_reach[i - 1] > start:
                continue  # claimed.overlaps(start, end)
            key = _nk(word)
            if key in not_names:
                continue  # a demonym, a given name, a title or a public figure
            if key in persons or _zipf(key) >= 3.5:
                continue  # a person of this article, or a common English word
            if self._is_person(text, start, end) or self._is_org_or_outlet(text, end):
                continue
            if _SPEECH_AFTER.match(text, end) or _hyphen_compound(folded, start, end):
                continue
            if start < pair_end:
                continue  # the second word of a two-word name found below
            nxt = _next_word(text, end)
            if nxt and _CAP_RE.match(nxt) and _nk(nxt) not in self.lex.cues_after:
                # part of a longer proper name ("Wang Yi", "Kim Jong"), unless the pair is a place
                # the press spelled its own way after a cue ("at Verhnya Syrovatka")
                pair = _NEXT_CAP_WORD.match(text, end)
                cue = pair and not claimed.overlaps(pair.start(1), pair.end())
                cue = cue and self._cue(text, folded, start, end)
                if cue:
                    hits = self._skeleton_hits(_nk(text[start : pair.end()]), strong=True)
                    if hits:
                        out.append(_Span(start, pair.end(), _nk(text[start : pair.end()]), hits, "skeleton"))
                        pair_end = pair.end()
                continue
            cue = self._cue(text, folded, start, end)
            if cue is None:
                # "Novopokrovka and Ilyeshchenkovo": a word coordinated with a place is signalled too
                co = _COORDINATED.search(text, max(0, start - 12), start)
                if co and co.start() in place_ends:
                    cue = "list"
            ending = bool(_PLACE_ENDING.search(key)) and _zipf(key) < 2.5
            if cue is None and not ending:
                continue
            if _sentence_initial(text, start) and cue is None and not ending:
                continue
            hits = self._skeleton_hits(key, strong=cue is not None)
            if hits:
                out.append(_Span(start, end, key, hits, "skeleton"))
            elif cue is not None and (
                ending
                or self._oblast_follows(text, end)
                or (
                    cue == "list"
                    and text[start - 2 : start] == ", "
                    and self._misspelt_oblast(text, end, word)
                )
            ):
                # "near Starolasna, Donetsk": a name the gazetteer lacks (here misspelled) is still a
                # mention, so the oblast after it qualifies it instead of standing for its capital;
                # so is a slip of the oblast's own name after a place ("Kamianka, Zaporizhzya."),
                # which the resolver reads as the oblast
                out.append(_Span(start, end, key, [], "none"))
        return out

    def _misspelt_oblast(self, text: str, end: int, word: str) -> bool:
        """Whether ``word``, ending a phrase, misspells an oblast's name ("Shelled Topolyne, Kherso.")."""
        return bool(PHRASE_END.match(text, end)) and (
            self.gaz.admin1_misspelling(word) is not None  # type: ignore[attr-defined]
        )

    def _oblast_follows(self, text: str, end: int) -> bool:
        """Whether ", <oblast or region>" follows ``end`` (ACLED's "near X, Donetsk")."""
        return self._oblast_after(text, end) is not None

    def _oblast_after(self, text: str, end: int) -> str | None:
        """The admin1 that ", <oblast or region>" after ``end`` names, or None."""
        m = _OBLAST_AFTER.match(text, end)
        return self.gaz.admin1_key(m.group(1)) if m else None  # type: ignore[attr-defined]

    def _skeleton_hits(self, key: str, *, strong: bool) -> list[AliasHit]:
        """Places whose skeleton equals the word's, graded by phonetic similarity.

        Spelling similarity says little for Arabic-mediated forms ("Obitny" and
        "Opytne" share 3 letters of 6); the vowel-class phonetic form compares
        them fairly, and a whole extra syllable ("Ilyeshchenkovo" against
        "Ilchenkove") still fails.
        """
        raw = self.gaz.lookup_skeleton(key)  # type: ignore[attr-defined]
        threshold = 0.85 if strong else 0.9
        best: dict[str, AliasHit] = {}
        for h in raw:
            sim = phonetic_similarity(key, h.alias)
            if sim < threshold:
                continue
            quality = round(0.6 + 0.3 * (sim - threshold) / (1 - threshold), 3)
            if h.place_id not in best or best[h.place_id].quality < quality:
                best[h.place_id] = AliasHit(h.place_id, h.alias, "skeleton", quality)
        return sorted(best.values(), key=lambda h: (-h.quality, h.place_id))

    # -- one sense per article ---------------------------------------------------------

    def _one_sense_per_article(self, spans: list[_Span], text: str, folded: str) -> list[_Span]:
        """A skeleton-matched word found once is the same place wherever else it appears."""
        known = {s.key: s for s in spans if s.match in ("skeleton", "none")}
        if not known:
            return spans
        claimed = _Taken([(s.start, s.end) for s in spans])
        extra: list[_Span] = []
        for key, s in known.items():
            for m in re.finditer(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded):
                if claimed.overlaps(m.start(), m.end()) or not _CAP_RE.match(text[m.start()]):
                    continue
                extra.append(_Span(m.start(), m.end(), key, s.hits, s.match))
        return spans + extra

    def _two_word_names(self, spans: list[_Span], text: str) -> list[_Span]:
        """ "Velikiy Sambir": the automaton knows "Velikiy" (a hamlet), the text means Velykyi Sambir.

        A found name followed by a capitalised word no other span claims becomes the two-word
        name when the pair's phonetic skeleton is a place's (cue words such as "Oblast" aside).
        """
        by_start = {s.start: s for s in spans}
        consumed: set[int] = set()
        out = []
        for s in sorted(spans, key=lambda s: s.start):
            if s.start in consumed:
                continue
            m = _NEXT_CAP_WORD.match(text, s.end)
            nxt = by_start.get(m.start(1)) if m else None
            # the next word may be a name of its own ("Velikiy" + "Sambir"), if it is all of that name
            if m and (nxt is None or nxt.end == m.end()) and _nk(m.group(1)) not in self.lex.cues_after:
                key = _nk(text[s.start : m.end()])
                hits = self._skeleton_hits(key, strong=True)
                if hits:
                    out.append(_Span(s.start, m.end(), key, hits, "skeleton"))
                    if nxt is not None:
                        consumed.add(nxt.start)
                    continue
                if s.key in _NAME_PREFIXES and (nxt is None or nxt.end == m.end()):
                    # "Novaya Sorochina", "Malaya Loknya": the adjective opens a two-word name the
                    # gazetteer lacks; alone it is no place ("Novaya" is a hamlet): left unplaced
                    out.append(_Span(s.start, m.end(), key, [], "none"))
                    if nxt is not None:
                        consumed.add(nxt.start)
                    continue
            out.append(s)
        return out

    def _city_districts(self, spans: list[_Span], text: str) -> list[_Span]:
        """ACLED-style "Donetsk - Petrovskyi": a city and one of its districts, as one mention."""
        out = []
        for s in spans:
            m = _DISTRICT_AFTER.match(text, s.end)
            if m and s.hits:
                query = f"{text[s.start : s.end]} - {m.group(1)}"
                found = self.gaz.search(query, limit=1, fuzzy=False)  # type: ignore[attr-defined]
                city = self.gaz.place(s.hits[0].place_id)  # type: ignore[attr-defined]
                if (
                    found
                    and found[0].place.admin1 == city.admin1
                    and found[0].place.place_id != city.place_id
                ):
                    c = found[0]
                    hit = AliasHit(c.place.place_id, query, "district", 0.95)
                    out.append(_Span(s.start, m.end(), norm_key(query), [hit], "variant"))
                    continue
            out.append(s)
        return out

    def _hromada_lists(self, spans: list[_Span], text: str) -> list[_Span]:
        """ "the Bilopilska, Krasnopilska and Velykopysarivska hromadas": each item is a hromada.

        Official reports list hromadas by their adjectives and name the kind once, in the
        plural; each adjective that is a hromada's name ("<adjective> hromada") becomes that
        hromada's mention, replacing what the word alone matched.
        """
        found: list[_Span] = []
        for kw in _HROMADA_PLURAL.finditer(text):
            # the list ends at the keyword: match it in the few hundred characters before
            m = _HROMADA_LIST_TO_END.search(text, max(0, kw.start() - 300), kw.end())
            if m is None:
                continue
            for w in _CAP_WORD_IN_LIST.finditer(text, m.start(), m.end()):
                key = norm_key(f"{w.group(0)} hromada")
                hits = self.gaz.lookup(key)  # type: ignore[attr-defined]
                if hits:
                    found.append(_Span(w.start(), w.end(), key, hits, "variant", looked_up=True))
        if not found:
            return spans
        taken = _Taken([(f.start, f.end) for f in found])
        return [s for s in spans if not taken.overlaps(s.start, s.end)] + found

    # -- records --------------------------------------------------------------------------

    def _candidate_rows(self, s: _Span) -> list[tuple[Place, str, str, float]]:
        """(place, alias, scheme, quality) of a span's hits, first hit per place, unknown ids skipped.

        A name's lookup hits are the same in every article: their rows are kept per key (the
        per-hit place fetch was a fifth of the recognition time).
        """
        cached = self._rows.get(s.key) if s.looked_up else None
        if cached is not None:
            return cached
        rows: list[tuple[Place, str, str, float]] = []
        seen: set[str] = set()
        places = {p.place_id: p for p in self.gaz.places([h.place_id for h in s.hits])}  # type: ignore[attr-defined]
        for h in s.hits:
            if h.place_id in seen or h.place_id not in places:
                continue
            seen.add(h.place_id)
            rows.append((places[h.place_id], h.alias, h.scheme, h.quality))
        if s.looked_up:
            if len(self._rows) > 100_000:
                self._rows.clear()
            self._rows[s.key] = rows
        return rows

    def _to_mention(self, article_id: str, text: str, folded: str, s: _Span) -> Mention:
        surface = text[s.start : s.end]
        kind, cue = self._kind(text, folded, s)
        # (place, alias, scheme, name_score): positional, the cheaper call for thousands of candidates
        cands = [Candidate(*row) for row in self._candidate_rows(s)]
        seen = {c.place.place_id for c in cands} if kind == "region" else set()
        if kind == "region":
            # "the western regions of Donetsk": the oblast itself is a candidate even if the bare
            # name is only an alias of the city
            admin1 = self.gaz.admin1_key(surface)  # type: ignore[attr-defined]
            region = self.gaz.region_place(admin1) if admin1 else None  # type: ignore[attr-defined]
            if region is not None and region.place_id not in seen:
                cands.append(Candidate(place=region, alias=surface, scheme="region", name_score=0.95))
        m = Mention(
            article_id=article_id,
            text=surface,
            char_start=s.start,
            char_end=s.end,
            match=s.match,
            kind=kind,
            cue=cue,
            candidates=cands,
        )
        if not cands:
            m.note = "no gazetteer entry matches this name or its spelling variants"
        return m

    def _kind(self, text: str, folded: str, s: _Span) -> tuple[str, str | None]:
        if s.key.endswith(_HROMADA_ENDS):
            return "region", "hromada"  # "Bilopilska hromada": the hromada, placed at its centre
        nxt = _next_word(text, s.end)
        if nxt and _nk(nxt) in _REGION_WORDS:
            return "region", _nk(nxt)
        # The article's folded text, sliced: fold works character by character (a backtick alone
        # folds apart, to "'" in non-ASCII text, and neither is a character _REGIONS_OF reads).
        window = folded[max(0, s.start - 40) : s.start]
        if " of " in window and _REGIONS_OF.search(window):  # the literal test skips most windows
            return "region", "regions of"
        cue = None
        prev = _prev_word(text, s.start)
        if prev and _nk(prev) in self.lex.cues_before:
            cue = _nk(prev)
        return "name", cue


# --- small helpers ---------------------------------------------------------------------


@lru_cache(maxsize=4)
def _not_place_regex(phrases: frozenset[str]) -> re.Pattern[str]:
    """Every not-place phrase as one regex, longest first (spaces match spaces or hyphens).

    The phrases are factored into a trie (``eu(?:rope)?``) rather than listed one by one: at
    each position the engine tests a few first characters instead of every phrase (twice as
    fast). A longer phrase is tried before its prefixes, like the longest-first alternation
    of the plain list, and the phrases matching at one position are prefixes of each other,
    so both forms find the same matches.
    """
    trie: dict[str | None, dict] = {}
    for p in phrases:
        node = trie
        for tok in _phrase_tokens(p):
            node = node.setdefault(tok, {})
        node[None] = {}  # a phrase ends here
    return re.compile(r"(?<![\w])(?:" + _trie_pattern(trie) + r")(?![\w])")


@lru_cache(maxsize=4)
def _not_place_first_words(phrases: frozenset[str]):  # noqa: ANN202 - pyahocorasick has no type stubs
    """An automaton of " " + each phrase's first word as :func:`scan_text` writes it (or None).

    A match of :func:`_not_place_regex` begins with a phrase's first word, after a non-word
    character (a space in the scan text): finding those in one pass, the regex is tried at a
    few dozen positions of an article instead of every one (three times faster).
    """
    import ahocorasick

    if not phrases or not all(p.split() for p in phrases):
        return None  # an empty phrase matches everywhere: scan with the regex
    auto = ahocorasick.Automaton()
    for p in phrases:
        key = " " + _SCAN_BLANK.sub(" ", p.split()[0])
        auto.add_word(key, key)
    auto.make_automaton()
    return auto


_GAP = " "  # the token of a space inside a phrase: one or more spaces or hyphens in text


def _phrase_tokens(phrase: str) -> list[str]:
    """Characters of a phrase, each run of spaces one :data:`_GAP` token."""
    out: list[str] = []
    for i, word in enumerate(phrase.split()):
        if i:
            out.append(_GAP)
        out.extend(word)
    return out


def _trie_pattern(node: dict) -> str:
    """The regex of a phrase trie node: its continuations (longer first), then the end if one ends here."""
    alts = [
        (r"[\s\-]+" if tok == _GAP else re.escape(tok)) + _trie_pattern(child)
        for tok, child in sorted((t, c) for t, c in node.items() if t is not None)
    ]
    if not alts:
        return ""
    body = "|".join(alts)
    if None in node:
        return f"(?:{body})?"  # greedy: the longer phrase first, then the one ending here
    return f"(?:{body})" if len(alts) > 1 else body


def _too_many() -> str:
    return f"more than {config.MAX_MENTIONS} place-name matches (limit GEOMAP_MAX_MENTIONS); article skipped"


def _hyphen_compound(folded: str, start: int, end: int) -> bool:
    before = start >= 2 and folded[start - 1] == "-" and folded[start - 2].isalpha()
    after = end + 1 < len(folded) and folded[end] == "-" and folded[end + 1].isalpha()
    return before or after


#: The end of the 40 characters before a name, read backwards: separators, then the word.
_PREV_REVERSED = re.compile(r"[\s,]*([\w'’.-]*)")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=8192)  # the filters, the cue test and the record ask it for the same spans
def _prev_word(text: str, start: int) -> str | None:
    r"""The word before ``start``: ``re.search(r"([^\W\d_][\w'’.-]*)[\s,]*$", window)``, without searching.

    The anchored search tries all 40 start positions of the window; the capture is the
    run of word characters before the trailing separators, from its first letter, so read
    that run backwards with one match and find its first letter.
    """
    run = _PREV_REVERSED.match(text[max(0, start - 40) : start][::-1]).group(1)[::-1]  # type: ignore[union-attr]
    first = _LETTER.search(run)
    if first is None:
        return None
    return run[first.start() :].rstrip(".")


#: One space or hyphen, then a capitalised word: the second half of "Velykyi Sambir", "Kalynove-Popasne".
_NEXT_CAP_WORD = re.compile(r"[ \-]([A-ZА-ЯІЇЄҐ][^\W\d_]{2,})(?![\w'’-])")
_NEXT_WORD = re.compile(r"(?:'s|’s)?[\s)]*\(?([^\W\d_][\w'’-]*)")
#: A lower-case word, then a capitalised one (group 1), then the name: "including Karpatska ".
_WORD_BEFORE_NAME = re.compile(r"(?<![\w'’-])[a-z][\w'’-]*,?\s+([A-Z][a-z][\w'’-]*) $")


#: A list of capitalised words closed by "hromadas" or "communities" ("the Bilopilska, Krasnopilska
#: and Velykopysarivska hromadas"), and its words; searched with the keyword's end as endpos, so
#: "$" anchors the list at the keyword.
_HROMADA_LIST_TO_END = re.compile(
    r"(?:[A-Z][\w'’-]+\s*,\s*)*(?:[A-Z][\w'’-]+\s*,?\s+(?:and|or)\s+)?[A-Z][\w'’-]+"
    r"\s+(?:territorial\s+)?(?:hromadas|communities)\b$"
)
_CAP_WORD_IN_LIST = re.compile(r"[A-Z][\w'’-]+")
_HROMADA_PLURAL = re.compile(r"\b(?:hromadas|communities)\b")

#: A weapon noun after a name: the name is the weapon's ("Vilkha rockets", "a Palianytsia missile-drone").
_WEAPON_NOUN_AFTER = re.compile(
    r"(?:-?\s*-?\s*(?:[A-Z0-9][\w-]*\s+)?)(?:systems?|missiles?|missile-drones?|shells?|rockets?|drones?|"
    r"launchers?|mlrs|manpads|projectiles?|complex(?:es)?|munitions?|rounds?|howitzers?|air\s+defen[cs]e|"
    r"sams?|interceptors?|bombers?|vehicles?|guns?)\b",
    re.IGNORECASE,
)

#: The last word of a hromada's name ("Bilopilska hromada", "Snovska community").
_HROMADA_ENDS = (" hromada", " community", " громада")


#: Kinds of vessel: a name right after one is the ship's ("the landing ship Saratov", 'the cruiser "Moskva"').
_SHIP_WORDS = frozenset(
    {
        *("cruiser", "frigate", "corvette", "destroyer", "warship", "flagship", "submarine", "ship"),
        *("vessel", "tanker", "minesweeper", "icebreaker", "ferry", "tugboat", "boat", "freighter"),
        "carrier",
    }
)
_SHIP_QUOTED = re.compile(r"\b(?:" + "|".join(sorted(_SHIP_WORDS)) + r")\s+[\"“«']$", re.IGNORECASE)


def _after_ship_word(text: str, start: int) -> bool:
    """Whether a kind of vessel stands right before ``start`` (a quote between allowed)."""
    if start and text[start - 1] in "\"“«'":
        return _SHIP_QUOTED.search(text, max(0, start - 30), start) is not None
    prev = _prev_word(text, start)
    return prev is not None and prev.lower() in _SHIP_WORDS


#: Adjectives that open two-word settlement names ("Novaya Sorochina", "Mala Tokmachka", "Velikiy
#: Burluk"): Russian and Ukrainian new/old, big/small, upper/lower, red, in the press's spellings.
_NAME_PREFIXES = frozenset(
    {
        *("novaya", "novoye", "novoe", "novyy", "novyi", "novy", "nova", "nove", "novi"),
        *("staraya", "staroye", "staroe", "staryy", "staryi", "stary", "stara", "stare", "stari"),
        *("malaya", "maloye", "maloe", "malyy", "malyi", "maly", "mala"),  # not Mali (a country), Male
        *("bolshaya", "bolshoye", "bolshoe", "bolshoy", "bolshoi"),
        *("velikaya", "velikoye", "velikiy", "velikiye"),
        *("velyka", "velyke", "velykyi", "velykyy", "velyki"),
        *("verkhnyaya", "verkhneye", "verkhniy", "verkhnia", "verkhnie", "verkhnii", "verkhni"),
        *("nizhnyaya", "nizhneye", "nizhniy", "nyzhnia", "nyzhnie", "nyzhnii", "nyzhni"),
        *("krasnaya", "krasnoye", "krasnoe", "krasnyy", "krasnyi", "krasny"),
    }
)

#: The word after a name, if a word comes before any punctuation (group 1 is None otherwise).
_NEXT_TOKEN = re.compile(r"[ \t]*(?:([^\W\d_][\w'’-]*)|\S|$)")
#: Parts of a river named after it, after "the X": "the Dnipro delta", "the Siverskyi Donets floodplain".
_RIVER_PARTS = frozenset(
    {"delta", "estuary", "floodplain", "floodplains", "riverbank", "riverbanks", "banks", "shallows"}
)
#: After "the X,": another name follows, so X is an item of a list ("the Kirov, Levoberezhny and
#: Zavodskyi districts"), not a river ending a clause ("the right bank of the Dnipro, the governor said").
_LIST_ITEM_AFTER = re.compile(r"\s*([A-Z][\w'’-]*)")
_CLAUSE_OPENERS = frozenset(
    {"The", "A", "An", "As", "But", "And", "Or", "While", "Which", "Who", "Where", "When"}
)


def _drop_units(spans: list[_Span], found: list[_Span], text: str) -> list[_Span]:
    """Drop names that name a military unit in this article ("the Azov Battalion ... Azov also captured").

    A name right before "Battalion", "Regiment" or "Brigade" is the unit's; its other bare uses in the
    same article are too, but for "Sea of Azov" and its kind (a name after "of").
    """
    units = {s.key for s in found if _UNIT_AFTER.match(text, s.end)}  # before the filters' verdicts
    if not units:
        return spans
    return [s for s in spans if s.key not in units or _OF_BEFORE.search(text, max(0, s.start - 12), s.start)]


#: A web address, a social-media handle or tag, the domain of an e-mail address: no place is mentioned
#: inside one. Each alternative starts with a literal, so the scan is quick ("press@Odesa.gov.ua" masks
#: "@Odesa").
_WEB_TOKEN = re.compile(r"(?:https?://|www\.)\S+|[@#]\w+")
#: After a name: the unit named after it ("Azov Battalion", "the Aidar battalion", "Kraken regiment").
_UNIT_AFTER = re.compile(r"\s+(?:battalion|regiment|brigade)s?\b", re.IGNORECASE)
_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=8192)  # the filters, the cue test and the record ask it for the same ends
def _next_word(text: str, end: int) -> str | None:
    m = _NEXT_WORD.match(text, end, end + 40)
    return m.group(1) if m else None


def _next_word_end(text: str, end: int) -> int:
    """Where the word after ``end`` ends (asked only for a capitalised next word)."""
    m = _NEXT_WORD.match(text, end, end + 40)
    return m.end() if m else end


_INITIAL = re.compile(r'(?:[.!?:]["”’)]?\s+|\n\s*|^\s*)["“‘(]?$')
#: Names listed after "regions of" ("the regions of Kherson, Zaporizhzhia and "), each closed by a
#: separator (one or two words each): "the region of the Russian Military Airport" lists nothing.
_LISTED = r"of (?:the )?(?:[^\W\d_]+(?: [^\W\d_]+)?(?:,| and| or) )*$"
_LIST_CUE = re.compile(r"\b(?:regions?|towns?|villages?|cities|settlements?|districts?) " + _LISTED)
_REGIONS_OF = re.compile(r"\b(?:regions?|oblasts?|provinces?) " + _LISTED)
_REGION_WORDS = frozenset({"region", "oblast", "province", "governorate", "krai", "regions", "oblasts"})


def _sentence_initial(text: str, start: int) -> bool:
    return start == 0 or bool(_INITIAL.search(text[max(0, start - 4) : start]))


def _before_of(text: str, start: int) -> bool:
    """Whether the text before ``start`` can end like ``_INSTITUTION_OF`` ("... of [the] "): a precheck."""
    if start == 0 or not text[start - 1].isspace():
        return False
    return text[max(0, start - 40) : start].rstrip().endswith(("of", "the"))


class _Taken:
    """Spans already claimed, for O(log n) overlap tests (a prefix maximum of their ends)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _b in spans]
        self.reach: list[int] = []
        top = -1
        for _a, b in spans:
            top = max(top, b)
            self.reach.append(top)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a claimed span."""
        i = bisect_left(self.starts, end)  # spans that start before `end`
        return i > 0 and self.reach[i - 1] > start
