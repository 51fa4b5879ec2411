"""Who is cited for an event and how: the speaker, a claim, a denial (the events stage's stance).

:func:`stance` reads the clauses of one event for claim and denial cues ("claimed", "denied", "a
claim that could not be independently verified") and names the parties ("claimed by Russia; denied
by Ukraine"); :func:`speaker` finds who a sentence cites ("the Ukrainian Air Force said").
"""

from __future__ import annotations

import re
from functools import lru_cache

from geomap import _events_lexicon as lx
from geomap._events_prefix import prefix_search, word_start_automaton, word_starts
from geomap._text import lower_twin, twin_text

__all__ = ["CLAIM_WORD", "CUE_AUTO", "speaker", "stance"]

_ORG = (
    r"authorities|military|armed\s+forces|forces|officials?|ministry|governor|mayor|army|command|spokes\w+|"
    r"defen[cs]es?|administration|media|agency|service|council|correspondents?|sources?|troops|general\s+staff|"
    # the war's other claimants: "Russian milbloggers claimed", "Ukrainian Telegram channels reported"
    r"milbloggers?|(?:mil|war\s+)?bloggers?|telegram\s+channels?|channels?|analysts?|observers?|monitors?"
)
_NP = (
    r"(?:the\s+)?(?:[A-Z][\w'’.\-]*(?:\s+(?:of\s+the\s+|of\s+|for\s+)?[A-Z][\w'’.\-]*){0,5}(?:\s+(?:"
    + _ORG
    + r")){0,2}"
    r"|(?:a|an|the)\s+(?:[a-z]+\s+)?(?:" + _ORG + r"))"
)
_VERBS = (
    r"told|said|says|announced|claimed|claims|declared|reported|stated|wrote|denied|denies|added|confirmed|"
    r"detailed|indicated|noted|explained|insisted"
)
_SPEAKER_QUOTE = re.compile(
    r"[”\"]\s*,?\s*(?:(?P<a>" + _NP + r")\s+(?:" + _VERBS + r")\b|(?:" + _VERBS + r")\s+(?P<b>" + _NP + r"))"
)
#: The speaker is the subject of the speech verb, never the object of a preposition ("the mayor of
#: Melitopol, a city close to Crimea ..., said": neither Melitopol nor Crimea; "a district of Kharkiv
#: early on Wednesday, said the mayor": not Kharkiv), nor the tail of a longer name ("Ministry of
#: Foreign Affairs Radosław Sikorski": not "Affairs Radosław Sikorski").
_NOT_OBJECT = "".join(
    f"(?<!\\b{p}\\s)(?<!\\b{p}\\sthe\\s)"
    for p in (
        *("of", "to", "in", "on", "at", "near", "from", "for", "with", "into", "over", "across", "under"),
        *("against", "than", "about", "between", "behind", "through"),
    )
) + "".join(f"(?<![A-Z][\\w'’.-]{{{k}}}\\s)" for k in range(1, 16))
_SPEAKER_BEFORE = re.compile(
    _NOT_OBJECT + r"\b(?P<a>" + _NP + r")\s*,?(?:\s+[^,“”\"]{0,60},)?\s+(?:" + _VERBS + r")\b"
)
_SPEAKER_ACCORDING = re.compile(r"\baccording\s+to\s+(?:updates\s+from\s+)?(?P<a>" + _NP + r")")
_NOT_SPEAKER = re.compile(
    r"^(?:It|He|She|They|This|That|These|Which|There|We|I|Also|However|On|In|At|But|And)$"
    # a subordinating or linking word that starts the sentence is not part of the speaker's name
    r"|^(?:While|When|Whereas|Although|Though|As|Since|After|Before|Because|If|Unless|Meanwhile|But|And|Yet"
    r"|So|Then|Now|Once|Despite|With|As\s+well)\s"
    # a date is not a speaker ("early on Wednesday, said the mayor")
    r"|^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\b"
)


_SPEECH_VERB = re.compile(r"(?:" + _VERBS + r")\b")


@lru_cache(maxsize=4096)
def speaker(text: str) -> str | None:
    """Who is cited in ``text`` ("Ukrainian Air Force", "Pushilin"), or None."""
    # Each pattern needs a literal that most sentences lack: skip those that cannot match, in order.
    pats: list[re.Pattern[str]] = []
    if _SPEECH_VERB.search(text):  # the quote and before-verb patterns end on a speech verb
        if '"' in text or "”" in text:
            pats.append(_SPEAKER_QUOTE)
        pats.append(_SPEAKER_BEFORE)
    if "according" in text:
        pats.append(_SPEAKER_ACCORDING)
    for pat in pats:
        for m in pat.finditer(text):
            who = m.group("a") if "a" in pat.groupindex and m.group("a") else m.groupdict().get("b")
            if not who:
                continue
            who = re.sub(r"^(?:the|a|an|The|A|An)\s+", "", who.strip())
            if _NOT_SPEAKER.match(who) or len(who) < 3:
                continue
            return who
    return None


def stance(texts: list[str], sub: str, whole: list[str]) -> tuple[str, str | None, str | None]:
    """(stance, claimant, denier) over the clauses of one event; speakers from the ``whole`` sentences."""
    claim = deny = False
    claimant = denier = None
    denials_in_whole = any(w in tw for tw in whole for w in _DENIAL_WORDS)  # the same for every clause
    # Why lazily: a speaker of a whole sentence is only looked for when a clause has none (the
    # first sentence holding it) and when no claimant was found (the first sentence with one).
    for t in texts:
        who = speaker(t) or next(filter(None, (speaker(tw) for tw in whole if t in tw)), None)
        t_tw = twin_text(t)
        if t_tw is not None and CUE_AUTO is not None:
            # Why: one automaton pass names the few word starts where a cue may start; the three cue
            # alternations are tried there only instead of at every position (~18 µs a clause).
            starts = word_starts(CUE_AUTO, t_tw)
            d = prefix_search(_TWIN[lx.DENIAL], CUE_AUTO, t_tw, starts) is not None
            c = prefix_search(_TWIN[lx.CLAIM], CUE_AUTO, t_tw, starts) is not None and (
                sub in lx.SUCCESS_SUBS or _TWIN[CLAIM_WORD].search(t_tw) is not None
            )
            reports = (
                who is not None and prefix_search(_TWIN[lx.REPORTING], CUE_AUTO, t_tw, starts) is not None
            )
        else:
            tt, p = (t_tw, _TWIN) if t_tw is not None else (t, _SAME)
            d = p[lx.DENIAL].search(tt) is not None
            c = p[lx.CLAIM].search(tt) is not None and (
                sub in lx.SUCCESS_SUBS or p[CLAIM_WORD].search(tt) is not None
            )
            reports = who is not None and p[lx.REPORTING].search(tt) is not None
        c = c or (sub in lx.SUCCESS_SUBS and reports and not d)
        if not d and denials_in_whole:
            # "Russia claimed its forces captured Kurakhove; Ukraine denied it.": a later clause of the
            # sentence denies what this one says
            for tw in whole:
                k = tw.find(t)
                back = _DENIES_IT.search(tw, k + len(t)) if k >= 0 else None
                if back is not None:
                    d = True
                    denier = denier or back.group("by") or speaker(tw[k + len(t) :])
                    break
        owner = None
        if d and c and "laim" in t:
            # "Ukraine denied Russian claims that ...": the claim is Russia's, the denial Ukraine's
            found = _CLAIM_OWNER.search(t)
            owner = (found.group("o") or found.group("o2")) if found is not None else None
            if owner is not None:  # "Russian claims", "Moscow's claim": Russia's, Moscow's
                owner = re.sub(r"['’]s$", "", owner)
                owner = _OWNER_NAMES.get(owner, owner)
        if d:
            deny = True
            denier = denier or who
        if c:
            claim = True
            claimant = claimant or owner or who
        if not d and not c and claimant is None and who is not None:
            claimant = who
    claimant = claimant or next(filter(None, map(speaker, whole)), None)
    if claim and deny:
        return "disputed", claimant, denier
    if deny:
        return "denied", claimant, denier
    if claim:
        return "claimed", claimant, None
    return "reported", claimant, None


_OWNER_NAMES = {"Russian": "Russia", "Ukrainian": "Ukraine"}
#: Literals every _DENIES_IT match holds.
_DENIAL_WORDS = ("denie", "rejected", "refuted", "dismissed")
#: A later clause denying the one before: "; Ukraine denied it", ", but Kyiv rejected the claim".
_DENIES_IT = re.compile(
    r"(?:(?P<by>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})\s+)?(?:den(?:ied|ies)|rejected|refuted|dismissed)\s+"
    r"(?:it|this|that|the\s+(?:claims?|reports?|allegations?))\b"
)
#: Whose claim a denial answers: "Russian claims", "Moscow's claim", "claims by the Russian Defence Ministry".
_CLAIM_OWNER = re.compile(
    r"\b(?P<o>Russian|Ukrainian|Russia['’]s|Ukraine['’]s|Moscow['’]s|Kyiv['’]s|Kremlin['’]s|[A-Z][\w-]+['’]s)"
    r"\s+claims?\b|\bclaims?\s+(?:made\s+)?by\s+(?:the\s+)?(?P<o2>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})"
)
#: Words that make any report a party's claim, not only a success ("claimed", "unconfirmed reports").
CLAIM_WORD = re.compile(
    r"\b(?:claim|unconfirmed|unverified|could\s+not\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm))",
    re.IGNORECASE,
)

#: Case-sensitive twins of the cue patterns, searched in :func:`twin_text` of the text (same spans,
#: about twice as fast); ``_SAME`` maps each pattern to itself for other text.
_TWIN: dict[re.Pattern[str], re.Pattern[str]] = {
    p: lower_twin(p) for p in (lx.DENIAL, lx.CLAIM, lx.REPORTING, CLAIM_WORD)
}
_SAME: dict[re.Pattern[str], re.Pattern[str]] = {p: p for p in _TWIN}

#: One prefix automaton for the twins of the three stance cues: each starts with ``\b`` before
#: alternatives that all begin with a word character, so each match starts a word.
CUE_AUTO = word_start_automaton(tuple(_TWIN[p].pattern for p in (lx.DENIAL, lx.CLAIM, lx.REPORTING)))
