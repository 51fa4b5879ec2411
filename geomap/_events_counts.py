"""Casualty counts in English news text: "at least three people were killed".

Numbers may be digits ("26", "1,200") or words ("three", "twenty-one", "a
worker"). Each statement is read once; restating the same count ("killed 2
civilians ... 2 civilians died") is not counted twice, distinct statements
("one was killed ... a woman who later died") add up, and an explicit coding
note ("fatalities coded as 3", "345 fatalities") overrides the rest. "No
casualties" means 0.
"""

from __future__ import annotations

import re
from functools import lru_cache

from geomap._text import lower_twin, twin_text

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

_WORDNUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|"
    r"nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen)(?:\s+hundred)?"
)
_NUM_BODY = r"\d{1,3}(?:,\d{3})+|\d+|" + _WORDNUM + r"|an?\b"
# A count starts a word: the "an" of "Ukrainian" or the "one" of "someone" is no number.
_WORD_START = r"(?<![\w-])"
_NUM = _WORD_START + r"(?P<n>" + _NUM_BODY + r")"
_QUAL = (
    r"(?:(?:at\s+least|about|around|over|more\s+than|up\s+to|nearly|almost|some|another|a\s+total\s+of)\s+)?"
)
_WHO = (
    r"(?:people|persons?|civilians?|soldiers?|servicem[ae]n|service\s+members?|troops|residents?|children|child|"
    r"men|man|women|woman|boys?|girls?|teenagers?|workers?|employees?|police(?:\s*(?:m[ae]n|officers?))?|officers?|"
    r"fighters?|militants?|militiam[ae]n|combatants?|guards?|volunteers?|journalists?|members?|locals?|citizens?|"
    r"individuals?|victims?|minors?|rebels?|principal|priests?|couple|pilots?|crew(?:\s+members)?|passengers?|drivers?|paramedics?|rescuers?|doctors?|"
    r"firefighters?|family\s+members?|infants?|babies|baby|elderly|pensioners?|of\s+them|of\s+the\s+\w+)"
)
# Up to three adjectives between number and noun ("31 Russian servicemen", "a 14-year-old child").
_ADJ = r"(?:[\w'’-]+\s+){0,3}?"
_BE = r"(?:\s+(?:were|was|have\s+been|had\s+been|has\s+been|are|is|got|reportedly|later|also|all|then)){0,3}"
_KILLED = (
    r"(?:killed|dead|died|perished|shot\s+dead|lost\s+(?:their|his|her)\s+lives?|found\s+dead|fatally\s+\w+)"
)
_HURT = (
    r"(?:injured|wounded|hurt|hospitali[sz]ed|received\s+injuries|sustained\s+injuries|suffered\s+injuries)"
)

# "N (adj) who (were) killed", "killing N", "death(s) of N", "N dead/deaths/fatalities".
#: "Two people, including a child, were killed": who else the count holds, between commas.
_INCLUDING = r"(?:\s*,\s*(?:including|among\s+them)\s+[^,.;]{1,50},)?"
_K_SUBJ = re.compile(
    _QUAL + _NUM + r"\s+" + _ADJ + _WHO + _INCLUDING + _BE + r"\s+" + _KILLED + r"\b", re.IGNORECASE
)
_K_BARE = re.compile(
    r"(?<!\d\s)" + _QUAL + _NUM + r"(?:\s+(?:others?|more))?" + _BE + r"\s+(?:died|were\s+killed|"
    r"killed)\b",
    re.IGNORECASE,
)
_K_OBJ = re.compile(
    r"\b(?:killing|killed|kills|shot\s+dead|shooting\s+dead|claimed\s+the\s+lives\s+of|took\s+the\s+lives\s+of)\s+"
    + _QUAL
    + _NUM
    + r"\b(?!\s*(?:%|km|kilomet|tons?|houses?|buildings?|vehicles?|tanks?|units?|years?))",
    re.IGNORECASE,
)
_K_LOOSE = re.compile(
    _QUAL + _NUM + r"\s+(?:[\w'’-]+\s+){1,3}?(?:were|was|have\s+been|had\s+been)\s+(?:\w+\s+)?"
    r"(?:killed|found\s+dead|shot\s+dead)\b",
    re.IGNORECASE,
)
_K_AND = re.compile(
    _QUAL
    + _WORD_START
    + r"(?P<n>"
    + _NUM_BODY
    + r")\s+"
    + _ADJ
    + _WHO
    + r"\s+and\s+"
    + _QUAL
    + _WORD_START
    + r"(?P<m>"
    + _NUM_BODY
    + r")\s+"
    + _ADJ
    + _WHO
    + _BE
    + r"\s+"
    + _KILLED
    + r"\b",
    re.IGNORECASE,
)
_K_OF = re.compile(r"\b(?:death|deaths|killing)\s+of\s+" + _QUAL + _NUM + r"\s+" + _ADJ + _WHO, re.IGNORECASE)
#: "The death toll rose to 14", "the number of dead has risen to 51": the running total, which a
#: sentence's other counts ("after two more died") are part of.
_TOLL_VERB = (
    r"(?:\s+(?:has|had|have|now))?\s+(?:rose|risen|rises|climbed|reached|increased|grew|jumped|stands|stood|is|was|"
    r"went\s+up)\s+(?:to\s+|at\s+)?(?!an?\b)"
)
_K_TOLL = re.compile(
    r"\b(?:death\s+toll|toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|fatalities|victims|those\s+killed|people\s+killed))"
    + _TOLL_VERB + _QUAL + _NUM,
    re.IGNORECASE,
)
_H_TOLL = re.compile(
    r"\bnumber\s+of\s+(?:the\s+)?(?:injured|wounded|people\s+injured|people\s+wounded|injuries)"
    + _TOLL_VERB
    + _QUAL
    + _NUM,
    re.IGNORECASE,
)
_K_NOUN = re.compile(r"\b" + _QUAL + _NUM + r"\s+(?:dead|deaths|fatalities|killed)\b", re.IGNORECASE)
_K_CODED = re.compile(
    r"\bfatalities\s+(?:are\s+|were\s+)?coded\s+(?:as\s+)?(?P<n>\d+)|\b(?P<n2>\d+)\s+fatalities\s+"
    r"(?:are\s+|were\s+)?coded",
    re.IGNORECASE,
)

_H_SUBJ = re.compile(
    _QUAL + _NUM + r"\s+" + _ADJ + _WHO + _INCLUDING + _BE + r"\s+" + _HURT + r"\b", re.IGNORECASE
)
_H_BARE = re.compile(
    r"(?<!\d\s)" + _QUAL + _NUM + r"(?:\s+(?:others?|more))?" + _BE + r"\s+(?:were\s+)?(?:injured|"
    r"wounded|hurt)\b",
    re.IGNORECASE,
)
_H_OBJ = re.compile(
    r"\b(?:injuring|wounding|injured|wounded|injures|wounds)\s+" + _QUAL + _NUM + r"\b(?!\s*(?:%|km))",
    re.IGNORECASE,
)
_H_NOUN = re.compile(r"\b" + _QUAL + _NUM + r"\s+(?:injured|wounded|injuries)\b", re.IGNORECASE)
_H_RECV = re.compile(
    _QUAL + _NUM + r"\s+" + _ADJ + _WHO + r"\s+(?:received|sustained|suffered)\s+(?:\w+\s+)?injuries",
    re.IGNORECASE,
)

_NONE = re.compile(
    r"\b(?:no\s+(?:reported\s+)?(?:casualties|fatalities|deaths|victims|injuries|one\s+was\s+(?:killed|hurt|injured)|"
    r"injuries\s+or\s+fatalities)|no-?one\s+was\s+(?:killed|hurt|injured)|nobody\s+was\s+(?:killed|hurt|injured)|"
    r"without\s+casualties|(?:did\s+not|didn't)\s+report\s+(?:any\s+)?casualties|there\s+were\s+no\s+"
    r"(?:casualties|fatalities|victims|injuries|deaths)|casualties\s+were\s+(?:not|avoided))",
    re.IGNORECASE,
)
_NO_DEATHS = re.compile(
    r"\bno\s+(?:one\s+was\s+killed|deaths|fatalities|dead)\b|\bnobody\s+(?:was\s+)?killed", re.IGNORECASE
)


# Cheap gates: the count patterns only run on text that names a death or an injury.
_KILL_WORD = re.compile(r"kill|dead|died|death|fatalit|perish|lives|casualt|victim", re.IGNORECASE)
_HURT_WORD = re.compile(r"injur|wound|hurt|hospitali|casualt|victim", re.IGNORECASE)


def word_to_int(s: str) -> int | None:
    """Parse "26", "1,200", "three", "twenty-one", "two hundred", "a" into an int."""
    s = s.lower().strip()
    if s in ("a", "an"):
        return 1
    if s.replace(",", "").isdigit():
        return int(s.replace(",", ""))
    mult = 1
    if s.endswith(" hundred"):
        mult = 100
        s = s[: -len(" hundred")].strip()
    if "-" in s:
        t, u = s.split("-", 1)
        if t in _TENS and u in _UNITS:
            return (_TENS[t] + _UNITS[u]) * mult
        return None
    if s in _UNITS:
        return _UNITS[s] * mult
    if s in _TENS:
        return _TENS[s] * mult
    return None


def _collect(text: str, patterns: list[re.Pattern[str]]) -> list[tuple[int, int, int]]:
    """(start, end, value) of non-overlapping count statements."""
    found: list[tuple[int, int, int]] = []
    for pat in patterns:
        need = _NEEDS.get(pat)
        if need is not None and not any(w in text for w in need):
            continue  # no match without one of these words: skip a scan from every position
        for m in pat.finditer(text):
            v = word_to_int(m.group("n"))
            if v is None or v > 100000:
                continue
            if m.group("n").lower() in ("a", "an") and pat in _NO_ARTICLE:
                continue  # "a killed" is not a count
            if any(m.start() < e and s < m.end() for s, e, _ in found):
                continue
            found.append((m.start(), m.end(), v))
    return found


#: Patterns where "a"/"an" is no count (and their lower-case twins).
_NO_ARTICLE = frozenset({_K_BARE, _H_BARE, _K_NOUN, _H_NOUN})

#: Case-sensitive twins of the patterns, for :func:`geomap._text.twin_text` of a sentence (most have
#: one): the same spans, found twice as fast; every group read here is lower-cased anyway.
_LOW: dict[re.Pattern[str], re.Pattern[str]] = {
    p: lower_twin(p)
    for p in (
        _KILL_WORD,
        _HURT_WORD,
        _K_CODED,
        _K_AND,
        _K_OF,
        _K_SUBJ,
        _K_OBJ,
        _K_NOUN,
        _K_LOOSE,
        _K_BARE,
        _NONE,
        _NO_DEATHS,
        _H_RECV,
        _H_SUBJ,
        _H_OBJ,
        _H_NOUN,
        _H_BARE,
        _K_TOLL,
        _H_TOLL,
    )
}
_NO_ARTICLE = _NO_ARTICLE | {_LOW[p] for p in _NO_ARTICLE}

#: Words one of which every match of a lower-case twin holds (its closing verb or noun, read off the
#: pattern: _KILLED, _HURT and the final alternations). Why: these patterns start with an optional
#: qualifier and a number that may start anywhere ("an" in "Ukrainian"), so a scan tries every
#: position (~20 µs a sentence); a sentence that names a death by "death" or "casualties" alone
#: cannot match them.
_NEEDS: dict[re.Pattern[str], tuple[str, ...]] = {
    _LOW[_K_SUBJ]: ("killed", "dead", "died", "perished", "lost", "fatally"),
    _LOW[_K_AND]: ("killed", "dead", "died", "perished", "lost", "fatally"),
    _LOW[_K_LOOSE]: ("killed", "dead"),
    _LOW[_K_BARE]: ("died", "killed"),
    _LOW[_K_NOUN]: ("dead", "deaths", "fatalities", "killed"),
    _LOW[_H_SUBJ]: ("injured", "wounded", "hurt", "hospitali", "injuries"),
    _LOW[_H_RECV]: ("injuries",),
    _LOW[_H_BARE]: ("injured", "wounded", "hurt"),
    _LOW[_H_NOUN]: ("injured", "wounded", "injuries"),
}
_SAME: dict[re.Pattern[str], re.Pattern[str]] = {p: p for p in _LOW}


def _patterns(text: str) -> tuple[str, dict[re.Pattern[str], re.Pattern[str]]]:
    """The text to search and the patterns to search it with (lower-case twins where they may)."""
    low = twin_text(text)
    if low is not None:
        return low, _LOW
    return text, _SAME


def _toll(text: str, pattern: re.Pattern[str]) -> int | None:
    """The largest running total the text states ("the death toll rose to 14"), or None."""
    low = text.lower()
    if "toll" not in low and "number of" not in low:
        return None  # no match without one of these: skip the scan
    values = [word_to_int(m.group("n")) for m in pattern.finditer(text)]
    counts = [v for v in values if v is not None and v <= 100000]
    return max(counts) if counts else None


def _sum_distinct(found: list[tuple[int, int, int]]) -> int:
    # The same number stated twice is one statement repeated.
    seen: list[int] = []
    total = 0
    for _s, _e, v in sorted(found):
        if v in seen:
            continue
        seen.append(v)
        total += v
    return total


@lru_cache(maxsize=4096)
def count_fatalities(text: str) -> int | None:
    """Number of people reported killed in ``text``.

    Parameters
    ----------
    text : str
        A sentence or a short report.

    Returns
    -------
    int or None
        The count, 0 when the text says there were no casualties, None when it
        says nothing about deaths.
    """
    text, p = _patterns(text)
    if not p[_KILL_WORD].search(text):
        return None
    coded = p[_K_CODED].search(text)
    if coded:
        return int(coded.group("n") or coded.group("n2"))
    toll = _toll(text, p[_K_TOLL])
    if toll is not None:
        return toll
    found = []
    k_and = p[_K_AND]
    need = _NEEDS.get(k_and)
    for m in k_and.finditer(text) if need is None or any(w in text for w in need) else ():
        a, b = word_to_int(m.group("n")), word_to_int(m.group("m"))
        if a is not None and b is not None:
            found.append((m.start(), m.end(), a + b))
    found += [
        f
        for f in _collect(text, [p[_K_OF], p[_K_SUBJ], p[_K_OBJ], p[_K_NOUN], p[_K_LOOSE], p[_K_BARE]])
        if not any(f[0] < e and s < f[1] for s, e, _ in found)
    ]
    if found:
        return _sum_distinct(found)
    if p[_NONE].search(text) or p[_NO_DEATHS].search(text):
        return 0
    return None


@lru_cache(maxsize=4096)
def count_injured(text: str) -> int | None:
    """Number of people reported injured in ``text`` (0 for "no casualties", None if unstated)."""
    text, p = _patterns(text)
    if not p[_HURT_WORD].search(text):
        return None
    toll = _toll(text, p[_H_TOLL])
    if toll is not None:
        return toll
    found = _collect(text, [p[_H_RECV], p[_H_SUBJ], p[_H_OBJ], p[_H_NOUN], p[_H_BARE]])
    if found:
        return _sum_distinct(found)
    if p[_NONE].search(text):
        return 0
    return None
