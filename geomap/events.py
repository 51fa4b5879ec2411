"""What happened where, when, and who says so: ACLED-style event records.

Pipeline position: ingest -> recognize -> resolve -> **events** -> render.

* :func:`classify` maps a sentence (or an ACLED note) to an ACLED event type
  and sub-event type with a precompiled trigger lexicon
  (:mod:`geomap._events_lexicon`); triggers in a forecast, an intention or a
  habit ("would launch", "with the aim of seizing", "often uses") or negated
  do not count, so such sentences are context.
* :func:`extract_events` turns resolved mentions into one record per
  (article, place, event): the clause around each mention is classified; a
  place named as a speaker's location ("In London, ... reported"), a title
  ("governor of the Kharkiv region"), an actor ("Moscow announced",
  "pro-Moscow", "received by Ukraine") or a container of a more precise place
  ("Lviv in western Ukraine") is context in that sentence. Sentences about
  the same place are combined (a generic "attack" joins the specific "guided
  aerial bomb" report), weapon and casualty counts are read from them and
  from the following sentences that continue the report without naming a new
  place. A region-level event repeated by a more precise event inside it in
  the same article becomes context (ACLED codes the most precise location).
* :func:`dedupe` merges the same event reported by several articles.

Weapon vocabulary (fixed, lower-case): shahed drone, drone, guided aerial
bomb, aerial bomb, aircraft, cruise missile, ballistic missile, missile, mlrs,
rocket, cluster munitions, artillery, mortar, tank, mine, ied, grenade, small
arms, chemical weapon.

Stance: "reported" (plain reporting), "claimed" (a party announces its own
success: a territorial gain, a shoot-down, or any explicit "claimed"),
"denied" ("denied", "fake seizure", "this was not the case") and "disputed"
(claim and denial of the same event in the article).
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from geomap import _events_lexicon as lx
from geomap._events_counts import count_fatalities, count_injured
from geomap._events_stance import stance as _stance
from geomap._geo import haversine_km
from geomap._text import fold, lower_twin, sentences, twin_text
from geomap._world import is_capital
from geomap.dates import date_range, resolve_relative
from geomap.model import Article, Event, Mention, Place, Sentence

__all__ = ["EventClass", "classify", "extract_events", "dedupe", "count_fatalities", "count_injured"]


@dataclass
class EventClass:
    """The ACLED class of a sentence.

    Attributes
    ----------
    event_type : str
        ACLED event_type ("Battles", "Explosions/Remote violence", ...).
    sub_event_type : str
        ACLED sub_event_type ("Armed clash", "Air/drone strike", ...).
    weapon : str or None
        Weapon from the fixed vocabulary (see module docstring).
    triggers : list of str
        The words that decided the class.
    """

    event_type: str
    sub_event_type: str
    weapon: str | None
    triggers: list[str] = field(default_factory=list)
    strength: int = 2  # 1: a generic attack word with no weapon named
    priority: int = 0


@dataclass(slots=True)
class _Trigger:
    name: str
    sub: str
    strength: int
    priority: int
    start: int
    end: int
    text: str


_TAGS = re.compile(r"\[[^\]]*\]")


def _lower(text: str) -> str:
    """Lower case with offsets kept (str.lower is, except for a few letters; then fold)."""
    low = text.lower()
    return low if len(low) == len(text) else fold(text)


def _untag(text: str) -> str:
    """Blank ACLED bracket tags ("[size=...]"), keeping offsets."""
    return _TAGS.sub(lambda m: " " * len(m.group(0)), text) if "[" in text else text


#: A capitalised word right before a position, after another word or a comma in the same sentence.
_NAME_BEFORE = re.compile(
    r"(?:[\w,;:]\s+|(?:^|[.!?][\"”’)]?\s)\s*(?!(?:It|This|That|He|She|They|What|Which|Everything|Nothing|All)\b))"
    r"([^\W\d_][\w'’-]*)"
    # "Tsukuryne in the Pokrovsk district was captured": the name and the district it is in
    r"(?:,?\s+(?:in|of)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+(?:district|region|oblast|raion|area|"
    r"hromada|community),?)?\s+"
    # "... was captured": a passive auxiliary between the name and a participle (group "aux")
    r"(?P<aux>(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:now\s+|fully\s+|completely\s+)?)?$"
)


def _after_name(text: str, pos: int, participle: bool = False) -> bool:
    """A name right before ``pos`` ("Robotyne had fallen"), and a passive auxiliary too for a bare
    participle ("Tsukuryne was captured"; not "Russia captured 12 soldiers")."""
    m = _NAME_BEFORE.search(text, max(0, pos - 80), pos)
    return m is not None and m.group(1)[0].isupper() and (not participle or m.group("aux") is not None)


def _find_triggers(text: str, bounds: list[int] | None = None) -> list[_Trigger]:
    """Triggers of ``text`` that report something that happened.

    ``bounds`` may be passed precomputed (:func:`_clause_bounds` of ``text``).
    """
    return _triggers_and_bounds(text, bounds)[0]


def _triggers_and_bounds(
    text: str, bounds: list[int] | None = None
) -> tuple[list[_Trigger], list[int] | None]:
    """:func:`_find_triggers` of ``text`` and its clause bounds, None when no trigger pattern matched.

    Why: the clause bounds are only needed around a trigger match, and two sentences in three that
    name a place have none; they are computed here, once, only when a match needs them.
    """
    low = _lower(text)
    matches = lx.trigger_matches(low)  # TRIGGERS tried only where a trigger prefix starts a word
    if not matches:
        return [], bounds
    out: list[_Trigger] = []
    if bounds is None:
        bounds = _clause_bounds(text)
    tw = twin_text(text)  # the modal and negation cues are searched case-sensitively in it when set
    modal, negation = (_TWIN[lx.MODAL], _TWIN[lx.NEGATION]) if tw is not None else (lx.MODAL, lx.NEGATION)
    seen = tw if tw is not None else text
    for m in matches:
        name = m.lastgroup
        if name is None:
            continue
        if any(m.group(g) is not None and not text[m.start(g)].isupper() for g in lx.CASE_GROUPS):
            continue
        if name in lx.AFTER_NAME_RULES and not _after_name(text, m.start(), m.group(0)[:1] not in "hH"):
            continue
        _n, sub, strength, prio, _p = lx.RULE_BY_NAME[name]
        cstart = bounds[bisect.bisect_right(bounds, m.start()) - 1]
        before = seen[max(cstart, m.start() - 70) : m.start()]
        if modal.search(before) or negation.search(before):
            continue
        if _not_happening(low, m.start(), m.end(), name, cstart, bounds):
            continue
        out.append(_Trigger(name, sub, strength, prio, m.start(), m.end(), m.group(0)))
    return out, bounds


def _not_happening(low: str, start: int, end: int, name: str, cstart: int, bounds: list[int]) -> bool:
    """Does the trigger ``low[start:end]`` name a warning, equipment or a figure of speech?

    Documented categories of general news prose (see :mod:`geomap._events_lexicon`): a warning
    ("rocket alarms", :data:`~geomap._events_lexicon.WARNING_AFTER`) or a forecast after the
    trigger ("an attack ... is imminent"), a trigger word modifying a materiel noun ("attack drones",
    "battle tanks", "cannon fodder", :data:`~geomap._events_lexicon.MODIFIER_AFTER`), a bare
    weapon noun in a clause about materiel ("supplying artillery", "shortages of artillery shells",
    :func:`~geomap._events_lexicon.materiel`), a diplomatic protest, a market rally, a tally of web "hits", a
    participle describing who holds a place ("occupied Crimea"), people liberated ("liberated
    us") and "fighting a war".
    """
    after = low[end : end + 40]
    if lx.WARNING_AFTER.match(after):
        return True
    # Why the literal gate: every forecast holds one of these verbs (the pattern alone costs 2 µs).
    if (
        " is " in after
        or " was " in after
        or " are " in after
        or " were " in after
        or " be " in after
        or " seem" in after
    ) and lx.FORECAST_AFTER.match(after):
        return True
    word = low[start:end]
    if word in lx.MODIFIER_WORDS and lx.MODIFIER_AFTER.match(after):
        return True
    if name == "protest" and (
        lx.DIPLOMATIC_BEFORE.search(low[max(0, start - 30) : start])
        or word.startswith("rall")
        and lx.MARKET_AFTER.match(after)
    ):
        return True
    if word == "hits" and lx.TALLY_BEFORE.search(low[max(0, start - 12) : start]):
        return True
    if name in ("capture", "regain") and word.startswith(("occupied", "liberated")):
        # "the occupied town of Avdiivka", "illegally occupied Crimea", "from liberated cities": a
        # participle used as an adjective describes who holds a place, not a change of hands
        if _ATTRIBUTIVE_BEFORE.search(low[max(0, start - 30) : start]):
            return True
    if name == "regain" and _PRONOUN_AFTER.match(after):
        return True  # "the armies that liberated us": people, not territory
    if name == "clash" and word.startswith(("fight", "fought")) and _WAR_AFTER.match(after):
        return True  # "fighting a war of attrition in Ukraine": the war, not one clash
    if lx.weapon_noun(name, word):
        cend = bounds[bisect.bisect_right(bounds, start)] if start < bounds[-1] else len(low)
        window = low[max(cstart, start - 70) : start] + " " + low[end : min(cend, end + 40)]
        if lx.materiel(window):
            return True
    return False


_ATTRIBUTIVE_BEFORE = re.compile(
    r"(?:(?:^|\W)(?:the|a|an|in|of|to|from|and|or|into|across|through|temporarily|illegally|partially|currently"
    r"|still|newly|recently|already|previously|formerly|other|its|their|all|remaining|now)\s+|-)$"
)
_PRONOUN_AFTER = re.compile(r"\s+(?:us|them|him|her|me|you|ourselves|themselves)\b")
_WAR_AFTER = re.compile(r"\s+(?:an?|the|this|that|its|his|her|their|our)\s+(?:[\w'’-]+\s+){0,3}?wars?\b")


_EXCESSIVE = re.compile(
    r"\b(?:opened\s+fire|fired|shot)\s+(?:\w+\s+){0,2}(?:on|at|into)\s+(?:the\s+)?(?:crowd|protesters|demonstrators|"
    r"participants|rally|people)|live\s+(?:ammunition|fire|gunfire|rounds)|(?:protesters|demonstrators|participants)"
    r"\s+(?:were|was)\s+(?:\w+\s+)?(?:injured|wounded|killed|beaten|shot)|(?:killed|injured|wounded)\s+(?:\w+\s+){0,2}"
    r"(?:protesters|demonstrators|participants)",
    re.IGNORECASE,
)
_INTERVENTION = re.compile(
    r"\b(?:dispers\w+|detain\w*|arrest\w*|warning\s+shots|in(?:to)?\s+the\s+air|stun\s+grenades?|smoke\s+(?:bombs?|"
    r"grenades?)|tear\s+gas|rubber\s+bullets|pushed|blocked|restrained|separated|broke\s+up|kettl\w+|opened\s+fire|"
    r"fired\s+shots)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _weapons(text: str) -> list[str]:
    return [lx.WEAPONS[int(m.lastgroup[1:])][0] for m in lx.weapon_matches(_lower(text)) if m.lastgroup]


def _pick_weapon(texts: list[str], sub: str) -> str | None:
    """The most specific weapon named in ``texts``, preferring the event's family."""
    found: list[str] = []
    for t in texts:
        found.extend(_weapons(t))
    if not found:
        return None
    fam = lx.SUB_FAMILY.get(sub)
    same = [w for w in found if lx.WEAPON_FAMILY[w] == fam]
    if sub == lx.DISRUPTED and not same:
        same = [w for w in found if lx.WEAPON_FAMILY[w] == "shelling"]
    pool = same or (found if fam is not None or sub in lx.SUCCESS_SUBS else [])
    if not pool:
        return None
    return min(pool, key=lambda w: lx.WEAPON_RANK[w])


def _decide(text: str, trigs: list[_Trigger], full: str | None = None, offset: int = 0) -> EventClass | None:
    """The event class of ``text`` given its live triggers.

    ``full`` is the whole sentence when ``text`` is one clause of it starting at
    ``offset``: who acted is looked for in the whole sentence.
    """
    if not trigs:
        return None
    best = max(trigs, key=lambda t: (t.priority, -t.start))
    if best.name == "vac" and len(trigs) > 1:
        # Civilians hit by artillery, missiles or aircraft are shelling/air strikes in ACLED.
        if any(lx.WEAPON_FAMILY[w] in ("shelling", "air") for w in _weapons(text)):
            rest = [t for t in trigs if t.name not in ("vac", "vac_weak")]
            if rest:
                best = max(rest, key=lambda t: (t.priority, -t.start))
    elif best.name in ("other", "change") and (generic := [t for t in trigs if t.name == "generic"]):
        # "killed in Russian strikes on a train station used for evacuations": people killed or
        # wounded by the attack make it the event; the evacuation or the deployment is its setting.
        if _HURT.search(text):
            best = generic[0]
    sub = best.sub
    strength = best.strength
    words = [best.text]
    if best.name == "protest":
        if _EXCESSIVE.search(text):
            sub = lx.EXCESSIVE
        elif _INTERVENTION.search(text):
            sub = lx.INTERVENTION
    elif best.name in ("capture", "regain"):
        sub = _territory_side(full if full is not None else text, _shift(best, offset))
    elif best.name == "generic":
        fams = [lx.WEAPON_FAMILY[w] for w in _weapons(text)]
        fam = next((f for f in fams if f in lx.FAMILY_SUB), None)
        if fam is not None:
            sub, strength = lx.FAMILY_SUB[fam], 2
        elif "ttack" in text and _GROUND_ATTACK.search(text):
            sub = lx.ARMED_CLASH  # troops attacking near a place, no fire named
    weapon = _pick_weapon([text], sub)
    others = [t.text for t in trigs if t is not best and lx.EVENT_TYPE_OF[t.sub] == lx.EVENT_TYPE_OF[sub]]
    return EventClass(lx.EVENT_TYPE_OF[sub], sub, weapon, words + others, strength, best.priority)


#: Troops attacking near a place or attacking troops, no weapon named: a ground attack ("Russian
#: forces unsuccessfully attacked near Kreminna", "attacked the regiment"), not a strike on a target.
_GROUND_ATTACK = re.compile(
    r"\b(?:forces|troops|units|infantry|soldiers|servicemen|fighters|assault\s+groups?|sabotage\s+groups?)"
    r"\s+(?:\w+\s+){0,2}?attack(?:ed|s|ing)?\s+(?:near|around|towards?|along|in\s+the\s+direction|"
    r"(?:the\s+|their\s+|enemy\s+|russian\s+|ukrainian\s+)*(?:positions|regiment|battalion|brigade|column|convoy|troops))\b",
    re.IGNORECASE,
)
#: People killed or wounded: what makes an attack, not its setting, the event of a sentence.
_HURT = re.compile(r"\b(?:killed|killing|wounded|wounding|injured|injuring|dead|died|casualties)\b", re.I)

_RUS_SUBJECT = re.compile(
    r"\b(?:russian|russia's|dpr|lpr|separatist|wagner)\s+(?:\w+\s+)?(?:forces|troops|army|military|units|fighters)\s+"
    r"(?:have\s+|had\s+|has\s+)?$",
    re.IGNORECASE,
)


#: Russia's groupings in its Defence Ministry's reports: "units of the Tsentr battlegroup liberated".
_RUS_GROUP = re.compile(
    r"\b(?:zapad|tsentr|yug|vostok|sever|dnepr)\s+(?:group(?:ing)?(?:\s+of\s+(?:forces|troops))?|battle\s*group)\b",
    re.IGNORECASE,
)
#: "its forces", "their troops": the side of the speaker or subject named before.
_OWN_FORCES = re.compile(
    r"\b(?:its|their)\s+(?:\w+\s+)?(?:forces|troops|army|units|servicemen|soldiers)\s+(?:have\s+|had\s+|has\s+)?$",
    re.IGNORECASE,
)


#: Capitals speaking for their governments ("Moscow said its forces...").
_MOSCOW = re.compile(r"\b(?:moscow|kremlin)\b", re.IGNORECASE)
_KYIV = re.compile(r"\b(?:kyiv|kiev)\b", re.IGNORECASE)


def _territory_side(text: str, trig: _Trigger) -> str:
    """Government regains (Ukrainian side) or Non-state actor overtakes (Russian side)."""
    before = text[: trig.start]
    if trig.name == "regain":
        # Only a Russian-side subject right before the verb makes a "recapture" theirs, or "its
        # forces" after a Russian speaker ("the Russian Defence Ministry said its forces liberated").
        window = text[max(0, trig.start - 60) : trig.start]
        if _RUS_SUBJECT.search(window) or _RUS_GROUP.search(window):
            return lx.NSA_OVERTAKES
        own = _OWN_FORCES.search(window)
        if own is not None:
            speaker = text[: max(0, trig.start - 60) + own.start()]
            ukr = [m.end() for rx in (lx.UKR_ACTOR, _KYIV) for m in rx.finditer(speaker)]
            rus = [m.end() for rx in (lx.RUS_ACTOR, _MOSCOW) for m in rx.finditer(speaker)]
            if rus and (not ukr or max(rus) > max(ukr)):
                return lx.NSA_OVERTAKES
        return lx.GOV_REGAINS
    ukr = [m.end() for m in lx.UKR_ACTOR.finditer(before)]
    rus = [m.end() for m in lx.RUS_ACTOR.finditer(before)]
    if ukr and (not rus or ukr[-1] > rus[-1]):
        return lx.GOV_REGAINS
    if not ukr and not rus:
        after = text[trig.end : trig.end + 60]
        a_ukr, a_rus = lx.UKR_ACTOR.search(after), lx.RUS_ACTOR.search(after)
        if a_ukr and (not a_rus or a_ukr.start() < a_rus.start()) and re.search(r"\bby\b", after):
            return lx.GOV_REGAINS
    return lx.NSA_OVERTAKES


def classify(sentence: str) -> EventClass | None:
    """ACLED event type and sub-event type of a sentence, clause or short report.

    Parameters
    ----------
    sentence : str
        English text. ACLED bracket tags ("[size=...]") are ignored.

    Returns
    -------
    EventClass or None
        The class with the weapon and trigger words, or None when nothing
        happened (diplomacy, forecasts, intentions, negations).
    """
    text = _untag(sentence)
    return _decide(text, _find_triggers(text))


def _clause_bounds(text: str) -> list[int]:
    tw = twin_text(text)
    if tw is None:
        splits = lx.CLAUSE_SPLIT.finditer(text)
    elif (
        any(w in tw for w in _CLAUSE_WORDS)
        or ("," in tw and _CLAUSE_AND.search(tw))
        or ("and" in tw and any(v in tw for v in _SECOND_VERBS))
    ):
        splits = _TWIN[lx.CLAUSE_SPLIT].finditer(tw)
    else:  # three sentences in four: no literal any split needs (a CLAUSE_SPLIT scan costs 5 µs)
        return [0, len(text) + 1]
    return [0] + [m.end() for m in splits] + [len(text) + 1]


#: Literals a CLAUSE_SPLIT match holds (lower case): a semicolon or colon, a separator word, "and" before
#: a second verb, or a comma and a conjunction.
_CLAUSE_WORDS = (";", ":", "after", "while", "whereas", "before", "though", "but")
_SECOND_VERBS = ("continue", "pressed", "kept", "then")
_CLAUSE_AND = re.compile(r",\s+(?:and|but|which|whereas)\s")


def _classify_at(
    text: str, start: int, trigs: list[_Trigger] | None = None, bounds: list[int] | None = None
) -> EventClass | None:
    """Class of the clause of ``text`` holding offset ``start``, else of the whole text.

    ``trigs`` and ``bounds`` may be passed precomputed (one scan per sentence).
    """
    if bounds is None:
        bounds = _clause_bounds(text)
    if trigs is None:
        trigs = _find_triggers(text)
    if not trigs:
        return None
    i = bisect.bisect_right(bounds, start) - 1
    c0, c1 = bounds[i], bounds[i + 1]
    local = [t for t in trigs if c0 <= t.start < c1]
    if local:
        return _decide(text[c0:c1], [_shift(t, -c0) for t in local], text, c0)
    if _VISIT.search(text, c0, c1):
        return None  # "Zelensky visited Kharkiv after the strike on Vovchansk": the visit is no event
    return _decide(text, trigs)


#: A clause about a visit, a meeting or a speech: it takes no event from another clause.
_VISIT = re.compile(
    r"\b(?:visit(?:ed|s|ing)?|toured|met\s+with|meets?\s+with|arrived|travell?ed|addressed|hosted|held\s+talks)\b",
    re.IGNORECASE,
)


def _clause_of(text: str, pos: int, bounds: list[int]) -> str:
    i = bisect.bisect_right(bounds, pos) - 1
    return text[bounds[i] : bounds[i + 1]]


def _shift(t: _Trigger, d: int) -> _Trigger:
    return _Trigger(t.name, t.sub, t.strength, t.priority, t.start + d, t.end + d, t.text)


# --- roles of a mention inside its sentence ----------------------------------------

_TITLE_BEFORE = re.compile(
    r"\b(?:mayor|governor|head|chief|administration|council|authorities|police|prosecutors?|ambassadors?|presidents?|"
    r"chancellors?|governments?|parliaments?|kings?|queens?|premiers?|leaders|"
    r"ministers?|ministry|commander|native|people|citizens|embassy|consulate|representatives?|deputy|"
    r"speaker|spokes\w+|leader|leadership|university|court)\s+of\s+(?:the\s+)?(?:city\s+of\s+|region\s+of\s+|"
    r"town\s+of\s+)?$",
    re.IGNORECASE,
)
#: "kidnapped the mayor of Dniprorudne": the office holder is the victim, the place the event's.
_VICTIM_VERB = re.compile(
    r"\b(?:kidnapp?\w*|abduct\w*|detain\w*|arrest\w*|kill(?:ed|ing)|murder\w*|shot|tortur\w*|beat(?:en)?|"
    r"attack\w*|threaten\w*|captured|seized|took|taken)\s+(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)
_ACTOR_AFTER = re.compile(
    r"^(?:'s|’s|-(?:appointed|backed|installed|based|led|friendly|leaning|aligned|controlled)|\s+(?:said|says|"
    r"announced|announces|claimed|claims|confirmed|confirms|denied|denies|accused(?!\s+of)|accuses|insisted|insists|warned|"
    r"warns|launched|lost|sent|wants|want|pursues?|faces?|took\s+the|would|will|should|must|could|plans|expects|"
    r"believes|hopes|demanded|demands|responded|retaliated|threatened|threatens|agreed|signed|supplied|received|"
    r"provided|delivered|condemned|rejected|urged|called\s+for|can|cannot|can't|can’t|has\s+had|have\s+had|"
    r"(?:has\s+|have\s+)?vowed|grappl\w+|needs|is\s+able|was\s+able|regime|junta|did\s+not|didn['’]t|"
    r"has\s+not|hasn['’]t|declined|refused))\b",
    re.IGNORECASE,
)
#: "between [the villages of] X and Y": one event, which ACLED places at X.
_BETWEEN_BEFORE = re.compile(
    r"\bbetween\s+(?:the\s+)?(?:(?:villages?|towns?|cities|settlements?)\s+(?:of\s+)?)?$", re.IGNORECASE
)
_AND_GAP = re.compile(r"\s+and\s+(?:the\s+)?(?:(?:village|town|city|settlement)\s+of\s+)?")
#: After a place: an armed group named after it, which is who acts, not where.
_ARMED_GROUP_AFTER = re.compile(r"\s+(?:rebels?|separatists?|militants?|militias?)\b")
_PRO_BEFORE = re.compile(
    r"(?:\bpro-|\banti-|\bby\s+|\bwith\s+|\bfrom\s+|\bagainst\s+|\bto\s+)$", re.IGNORECASE
)
_REFERENCE_BEFORE = re.compile(
    r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+(?:[\w-]+\s+)?(?:town|city|village|settlement)"
    r"\s+of\s+)?$",
    re.IGNORECASE,
)
#: After a town: it names a front ("the Pokrovsk direction", "the Lyman and Bakhmut directions").
_AXIS_AFTER = re.compile(r"\s+(?:and\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s+)?(?:directions?|axis|axes)\b")
#: How far a landmark town may be from what it locates.
_LANDMARK_KM = 30.0
#: Between two places, the second a landmark for the first: "the plant near Enerhodar", "Ivanivske,
#: outside Bakhmut".
_NEAR_GAP = re.compile(
    r"\s*,?\s*(?:near|outside|close\s+to)\s+(?:the\s+(?:town|city|village|settlement)\s+of\s+)?",
    re.IGNORECASE,
)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|over|across|throughout|into|inside|within|on|at|near|of|against|around|above|to)\s+"
    r"(?:the\s+)?(?:(?:north|south)?-?(?:east|west)ern\s+|northern\s+|southern\s+|central\s+|annexed\s+|occupied\s+)?$",
    re.IGNORECASE,
)
#: The last word of every match of the window patterns (all end at the mention): the lower-cased
#: window stripped of its trailing whitespace ends with one of them.
_TITLE_ENDS = ("of", "the")
_PRO_ENDS = ("pro-", "anti-", "by", "with", "from", "against", "to")
_REFERENCE_ENDS = ("of",)
_LOCATIVE_ENDS = (
    *("in", "over", "across", "throughout", "into", "inside", "within", "on", "at", "near", "of"),
    *("against", "around", "above", "to", "the", "ern", "central", "annexed", "occupied"),
)
_REGION_COMMA = re.compile(r"^\s*(?:region\s*)?(?:\([^)]*\)\s*)?,")
#: "..., not in Frankfurt", "rather than in Kyiv", "but not Warsaw": the text says it did not happen there.
_NEGATED_BEFORE = re.compile(
    r"\b(?:not|never|rather\s+than|instead\s+of)\s+(?:in|at|on|near|over)?\s*(?:the\s+)?$", re.I
)
#: "The Institute for the Study of War in Washington pointed out that ...", "Dan Sabbagh in Kyiv and
#: Luke Harding report": a place right after a named speaker and right before the speech verb is
#: the speaker's seat (or a reporter's dateline), not where the reported event happened.
_SEAT_BEFORE = re.compile(r"[A-Z][\w'’.-]*\s+(?:based\s+)?(?:in|from)\s+(?:the\s+)?$")
_SEAT_AFTER = re.compile(
    r"^(?:\s+and\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})?,?\s+(?:said|says|say|reported|reports?|pointed\s+out"
    r"|points\s+out|noted|notes|told|stated|wrote|writes|added|adds|estimated|estimates|assessed|assesses|believes"
    r"|announced|warned|warns|claimed|claims|observed|explained)\b"
)
#: "... Savur-Mohyla, located about five kilometers from the border between Ukraine and Russia's
#: Rostov Oblast": a place a distance is measured from is a reference, not the event's place.
_DISTANCE_BEFORE = re.compile(
    r"\b(?:km|kms|kilomet(?:er|re)s?|miles?|met(?:er|re)s?)\s+(?:\w+\s+)?(?:from|of|away\s+from|off)\s+"
    r"(?:the\s+)?(?:[\w'’-]+\s+){0,5}$",
    re.IGNORECASE,
)
_SPEAKER_FRAME = re.compile(r"^\s*(?:in|from)\s+(?:the\s+)?$", re.IGNORECASE)
_CONTAINER_GAP = re.compile(
    r"^\s*(?:\([^)]{0,30}\)\s*)?(?:,|\bin|(?:(?:districts?|areas?|parts?|outskirts|suburbs?|regions?)\s+)?\bof)\s+(?:the\s+)?(?:(?:north|south)?-?(?:east|west)ern\s+|northern\s+|"
    r"southern\s+|central\s+)?(?:part\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)


#: A year named as a time ("in 2014", "since 2016", "in November 2022", "Feb. 24, 2022", "2014-2015").
_YEAR = re.compile(
    r"(?:\b(?:in|since|of|from|until|till|by|before|after|during|early|late|mid-?|summer|spring|autumn|fall|winter"
    r"|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\.?\s+|\d{1,2},?\s+)"
    r"(?:the\s+(?:year\s+)?)?(?P<y>(?:19|20)\d\d)\b(?:\s*[-–]\s*(?P<y2>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)


def _history(text: str, published: date) -> bool:
    """Does ``text`` date what it tells to a year before the one before publication?

    An event sentence whose every year named as a time ("In 2016, ...", "in 2014-2015", "in
    1944") is at least two years older than the article is background history, which a map of
    the article's news does not show; a sentence with a recent year, or none, is not.
    """
    if "century" in text and _CENTURY.search(text):
        return True  # "captured by Russian imperialist forces in the 18th century"
    if not any(c.isdigit() for c in text):
        return False
    years = [int(m.group("y2") or m.group("y")) for m in _YEAR.finditer(text)]
    return bool(years) and max(years) < published.year - 1


#: A past century named as a time: "in the 18th century", "during the nineteenth century".
_CENTURY = re.compile(
    r"\b(?:in|during|since|by|until|from|of)\s+the\s+(?:(?:early|late|mid-?)\s+)?(?:1\d|20|[1-9])(?:st|nd|rd|th)"
    r"\s+century|\b(?:in|during)\s+the\s+(?:eighteenth|nineteenth|seventeenth|sixteenth|fifteenth|twelfth"
    r"|thirteenth|fourteenth|eleventh|tenth|ninth)\s+century",
    re.IGNORECASE,
)


#: "launched ... from (the territory of) X", "said from Berlin": where a weapon or a word set out,
#: at the end of the words before a mention (ACLED places a unit "from X" that fired, or people
#: "from X" who fled, at X: without such a verb, "from X" stays a place of the event).
_FROM_BEFORE = re.compile(
    r"\b(?:launch\w*|fired|firing|shot|took\s+off|taking\s+off|flew|flying|fly|coming|came|sent|released|"
    r"said|says|speaking|spoke|wrote|writing|told|announced)\b(?:\s+[\w'’-]+){0,5}?\s+"
    r"from\s+(?:the\s+)?(?:(?:territory|direction|side|area|airspace|waters|skies)\s+(?:of|over)\s+(?:the\s+)?)?"
    r"(?:occupied\s+|temporarily\s+occupied\s+|neighbou?ring\s+)?(?:russia['’]s\s+|belarus['’]s\s+)?$",
    re.IGNORECASE,
)
#: "... from (Russia's) X": the words right before a place something set out from.
_FROM_TAIL = re.compile(
    r"\b(?:drones?|missiles?|rockets?|shaheds?|bombers?|aircraft|jets?)\s+from\s+(?:russia['’]s\s+|belarus['’]s\s+)?$",
    re.IGNORECASE,
)
_LAUNCHED = re.compile(r"\b(?:launch(?:ed|es|ing)?|fired|released)\b", re.IGNORECASE)


def _is_origin(sent: Sentence, m: Mention, others: list[Mention] | None = None) -> bool:
    """Whether the mention is where something came from ("fired from Belgorod"), not where it went.

    With ``others`` (the sentence's mentions), an item of a list is an origin when the item before
    it is ("launched from Russia's Kursk and Bryansk regions").
    """
    rs = m.char_start - sent.start
    before = sent.text[max(0, rs - 60) : rs]
    if "from" in before:  # the literal first: most lack it
        if _FROM_BEFORE.search(before) is not None:
            return True
        # "launched 4 missiles from Kursk Oblast and 73 drones from Bryansk": the verb further back
        tail = _FROM_TAIL.search(before)
        if tail is not None and _LAUNCHED.search(sent.text, 0, rs - len(before) + tail.start()):
            return True
    ends = before.rstrip()  # before the next item of a list: "from Russia's Kursk and Bryansk regions"
    if others and ends and (ends[-1] == "," or ends.endswith((" and", " or"))):
        prev = _mention_before(m, others)
        gap = sent.text[prev.char_end - sent.start : rs] if prev is not None else ""
        return prev is not None and len(gap) <= 6 and _is_origin(sent, prev, others)
    return False


#: "Residents of X said": the people speak, X is where they live (not "forces of Russia launched",
#: nor "the authorities in Donetsk denied", where the place names the actor or the office).
_OBJECT_OF_PREPOSITION = re.compile(
    r"\b(?:residents|people|locals|inhabitants|villagers|civilians|families|witnesses)\s+(?:of|in|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: A possessive office after a name ("Kharkiv's mayor", "Sumy's regional military administration").
_OFFICE_AFTER = re.compile(
    r"['’]s\s+(?:[\w-]+\s+){0,2}?(?:mayor|governor|head|chief|administration|authorities|police|officials?|"
    r"council|prosecutors?|spokes\w+|ombudsman|leadership|commander|garrison|residents)\b",
    re.IGNORECASE,
)
#: After a name: it names a part of a city ("Saltivka district", "Oleksiivka neighbourhood").
_PART_AFTER = re.compile(r"\s+(?:district|neighbou?rhood|micro-?district|suburb|quarter)\b", re.IGNORECASE)
#: A verb in the active past right after a name: "Moscow pressed its offensive", "Kyiv intensified".
_ACTIVE_PAST_AFTER = re.compile(r"\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|again\s+)?[a-z]{2,}ed\b")
#: ... unless the place underwent it: "Kyiv shuddered under explosions", "Kharkiv suffered", "Odesa flooded".
_UNDERGOES_AFTER = re.compile(
    r"\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|again\s+)?(?:suffered|endured|shuddered|trembled|erupted|"
    r"flooded|burned|blazed|darkened|sheltered|experienced|awakened|rattled|reverberated|plunged|lost|faced)\b"
)
#: A possessive before a part of the city: "Kyiv's Independence Square", "Kharkiv's main railway station".
_LANDMARK_AFTER = re.compile(
    r"['’]s\s+(?:[\w'’-]+\s+){0,3}?(?:square|street|avenue|boulevard|embankment|park|maidan|metro|station|"
    r"airport|hospital|market|centre|center|downtown|outskirts|suburbs?|cathedral|monastery|university|"
    r"theatre|theater|mall|bridge|port)\b",
    re.IGNORECASE,
)


def _government_seat(m: Mention) -> bool:
    """A country, a region or a capital: a name whose possessive is its government's ("Kyiv's forces")."""
    p = m.place
    return p is not None and (p.feature != "settlement" or is_capital(p.name, p.country_code))


def _landmark_of(landmark: Place, p: Place | None) -> bool:
    """Whether ``landmark`` can locate ``p`` ("the plant near Enerhodar", "Liutizh, near Vyshhorod").

    A town locates a facility or a smaller village next to it; not a smaller place, nor one far off
    (then one of the two readings is wrong, and the event stays where the text puts it).
    """
    if p is None or p.place_id == landmark.place_id or landmark.feature != "settlement":
        return False
    if p.feature == "settlement" and p.population > landmark.population:
        return False  # "to Kherson, near Inzhenerne": the village locates the event, not the city
    return p.feature in ("settlement", "feature") and _within_km(p, landmark, _LANDMARK_KM)


def _mention_before(m: Mention, others: list[Mention]) -> Mention | None:
    """The mention of ``others`` that ends last before ``m`` starts (None when ``m`` comes first)."""
    return max((o for o in others if o.char_end <= m.char_start), key=lambda o: o.char_end, default=None)


def _mention_blocked(sent: Sentence, m: Mention, others: list[Mention]) -> str | None:
    """Why the mention cannot be an event location in its sentence, or None."""
    if m.note == "dateline":
        return "dateline"  # "LONDON (Reuters) -": where the story was filed
    rs, re_ = m.char_start - sent.start, m.char_end - sent.start
    before = sent.text[max(0, rs - 60) : rs]
    after = sent.text[re_ : re_ + 40]
    # The case-insensitive cues are searched case-sensitively in the lower-cased windows when they may.
    b_tw, a_tw = twin_text(before), twin_text(after)
    bt, b_p = (b_tw, _TWIN) if b_tw is not None else (before, _SAME)
    at, a_p = (a_tw, _TWIN) if a_tw is not None else (after, _SAME)
    # Why: the window patterns end at the mention ("...$"), so a search tries all 60 starts; the
    # lower-cased window's last word, which every match ends with, rules most of them out first.
    tail = b_tw.rstrip() if b_tw is not None else None
    title = b_p[_TITLE_BEFORE].search(bt) if tail is None or tail.endswith(_TITLE_ENDS) else None
    if title and not b_p[_VICTIM_VERB].search(bt[: title.start()]):
        return "title"  # "the governor of Kharkiv region said": the place names an office

    actor = a_p[_ACTOR_AFTER].match(at)
    if actor and actor.group(0)[:1] in ("'", "’") and _LANDMARK_AFTER.match(after):
        actor = None  # "rallied in Kyiv's Independence Square": a square of the city, not its government
    if (
        actor
        and not (actor.group(0)[:1] in ("'", "’") and not _government_seat(m))
        and not (actor.group(0)[:1].isspace() and _OBJECT_OF_PREPOSITION.search(before))
    ):
        # "Moscow said", "Russia's army"; not "Robotyne's ruins were shelled", nor "residents of
        # Kharkiv said" (the verb's subject is before the preposition)
        return "actor"
    if actor and _OFFICE_AFTER.match(after):
        return "title"  # "Kharkiv's mayor said": the place names an office
    if (
        not actor
        and "ed" in after
        and _government_seat(m)
        and _ACTIVE_PAST_AFTER.match(after)
        and not _UNDERGOES_AFTER.match(after)
        and not b_p[_LOCATIVE_BEFORE].search(bt)  # "activists in Kyiv protested": the activists did
    ):
        return "actor"  # "as Moscow pressed its offensive", "Kyiv stepped up": a government acting
    if ("rebel" in at or "separatist" in at or "milit" in at) and _ARMED_GROUP_AFTER.match(at):
        return "actor"  # "Donetsk rebels shelled Avdiivka", "clashed with Luhansk separatists near Kreminna"
    pro = b_p[_PRO_BEFORE].search(bt) if tail is None or tail.endswith(_PRO_ENDS) else None
    if pro and not pro.group(0).lower().startswith(("to", "from", "against")):
        return "actor"
    if (
        (tail is None or tail.endswith(_REFERENCE_ENDS))
        and b_p[_REFERENCE_BEFORE].search(bt)
        and any(o.char_end <= m.char_start and o.place is not None for o in others if o is not m)
    ):
        return "reference"  # "Andriivka, south of Bakhmut": the event is at the first place
    if any(o.char_end <= m.char_start and o.place is not None for o in others if o is not m) and (
        _DISTANCE_BEFORE.search(before)
    ):
        return "reference"  # "X, located 5 km from Y": the event is at X
    if ("direct" in after or "axis" in after or "axes" in after) and _AXIS_AFTER.match(after):
        # "In the Pokrovsk direction, ... near Myroliubivka, Lysivka": a front's name, where places follow
        stext, base = sent.text, sent.start
        if any(
            o.char_start >= m.char_end
            and o.place is not None
            and not _AXIS_AFTER.match(stext, o.char_end - base)
            for o in others
        ):
            return "axis"
    if m.place is not None and ("near" in before or "close" in before or "outside" in before):
        prev = _mention_before(m, others)
        if (
            prev is not None
            and _landmark_of(m.place, prev.place)
            and _NEAR_GAP.fullmatch(sent.text, prev.char_end - sent.start, rs)
        ):
            return "reference"  # "a drone hit the nuclear plant near Enerhodar": the event is at the plant
    if "between" in before and m.place is not None:
        prev = _mention_before(m, others)
        ps = prev.char_start - sent.start if prev is not None else 0
        if (
            prev is not None
            and prev.place is not None
            and _AND_GAP.fullmatch(sent.text, prev.char_end - sent.start, rs)
            and _BETWEEN_BEFORE.search(sent.text, max(0, ps - 40), ps)
        ):
            return "reference"  # "fighting between Vasylivka and Polohy": ACLED codes it at the first
    if _NEGATED_BEFORE.search(before):
        return "negated"  # "the airport in Donetsk was destroyed, not in Frankfurt": it did not happen there
    if _is_origin(sent, m, others) and any(
        o is not m and o.place is not None and m.place is not None and o.place.place_id != m.place.place_id
        and not _is_origin(sent, o, others)
        for o in others
    ):
        return "origin"  # "missiles fired from Belgorod struck Kharkiv": launched there, landed elsewhere
    if (
        _SEAT_BEFORE.search(before)
        and _SEAT_AFTER.match(sent.text[re_ : re_ + 60])
        and any(
            o.place is not None and m.place is not None and o.place.place_id != m.place.place_id
            for o in others
            if o is not m
        )
    ):
        return "speaker"  # the seat of who reports, when the report names another place
    if (m.geo_precision or 0) >= 4 and not (
        (tail is None or tail.endswith(_LOCATIVE_ENDS)) and b_p[_LOCATIVE_BEFORE].search(bt)
    ):
        return "actor"  # a country is a place of events only after "in/over/across/on ..."
    if rs < 12 and b_p[_SPEAKER_FRAME].match(bt) and _REGION_COMMA.match(after):
        # "In London, an assessment reported ... fighting in the Kherson region": the
        # speaker's place is context when the report names another place.
        if any(
            o.char_start > m.char_end
            and o.place is not None
            and m.place is not None
            and o.place.place_id != m.place.place_id
            for o in others
        ):
            return "speaker"
    if after[:3] in ("'s ", "’s ") and any(
        o.char_start == m.char_end + 3
        and o.place is not None
        and _PART_AFTER.match(sent.text, o.char_end - sent.start)
        for o in others
    ):
        return "container"  # "Kharkiv's Saltivka district was shelled": the event is in the district
    if m.place is not None and m.geo_precision is not None:
        for o in others:
            if o is m or o.place is None or o.char_end > m.char_start or m.char_start - o.char_end > 45:
                continue
            if (o.geo_precision or 9) < m.geo_precision and _search_ci(
                _CONTAINER_GAP, sent.text[o.char_end - sent.start : rs], match=True
            ):
                return "container"
    return None


#: Case-sensitive twins of the case-insensitive cue patterns, searched in :func:`twin_text` of the
#: text (same spans, about twice as fast); ``_SAME`` maps each pattern to itself for other text.
_TWIN: dict[re.Pattern[str], re.Pattern[str]] = {
    p: lower_twin(p)
    for p in (
        lx.MODAL,
        lx.NEGATION,
        lx.CLAUSE_SPLIT,
        _TITLE_BEFORE,
        _VICTIM_VERB,
        _ACTOR_AFTER,
        _PRO_BEFORE,
        _REFERENCE_BEFORE,
        _LOCATIVE_BEFORE,
        _SPEAKER_FRAME,
        _CONTAINER_GAP,
    )
}
_SAME: dict[re.Pattern[str], re.Pattern[str]] = {p: p for p in _TWIN}

def _search_ci(pattern: re.Pattern[str], text: str, *, match: bool = False) -> re.Match[str] | None:
    """``pattern.search(text)`` (``.match`` with ``match``) through its twin when it may."""
    tw = twin_text(text)
    if tw is not None:
        pattern, text = _TWIN[pattern], tw
    return pattern.match(text) if match else pattern.search(text)


# --- extraction ------------------------------------------------------------------------

_PREC_RANK = {"day": 0, "days": 1, "week": 2, "month": 3, "year": 4, None: 9}


@dataclass
class _Obs:
    """One mention read in its sentence."""

    mention: Mention
    sidx: int
    clause: str
    cls: EventClass | None
    date: date | None
    precision: str | None


@dataclass
class _Group:
    obs: list[_Obs]

    @property
    def lead(self) -> _Obs:
        return max(self.obs, key=lambda o: (o.cls.strength, o.cls.priority) if o.cls else (0, 0))


def _compatible(a: tuple[date | None, str | None], b: tuple[date | None, str | None]) -> bool:
    ra, rb = date_range(*a), date_range(*b)
    if ra is None or rb is None:
        return True
    return ra[0] <= rb[1] and rb[0] <= ra[1]


def _best_date(obs: list[_Obs]) -> tuple[date | None, str | None]:
    dated = [o for o in obs if o.date is not None]
    if not dated:
        return None, None
    o = min(dated, key=lambda o: (_PREC_RANK.get(o.precision, 9), o.mention.char_start))
    return o.date, o.precision


def _event_id(article_id: str, place_id: str, et: str | None, st: str | None, d: str | None) -> str:
    key = "|".join([article_id, place_id, et or "context", st or "", d or ""])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _inside(inner: Place, outer: Place) -> bool:
    """Is ``inner`` a place within region ``outer`` (same country, same admin1 or nearby)?"""
    if inner.country_code != outer.country_code:
        return False
    if inner.admin1 and outer.admin1:
        return inner.admin1 == outer.admin1
    return haversine_km(inner.latitude, inner.longitude, outer.latitude, outer.longitude) <= 150


def _headline_class(article: Article, sents: list[Sentence]) -> EventClass | None:
    """The attack an article reports in its title or first sentence, as a weak class (or None).

    Only violence (strikes, shelling, battles) is handed down: the lines of a roundup under
    "Russian attacks kill 6, injure 32 over past day" report casualties of those attacks.
    """
    for text in (article.title, sents[0].text if sents else ""):
        cls = classify(text) if text else None
        if cls is not None and cls.event_type in _VIOLENT_TYPES:
            # the evidence says where the class came from
            return dataclasses.replace(cls, strength=1, triggers=["headline: " + ", ".join(cls.triggers)])
    return None


_VIOLENT_TYPES = ("Explosions/Remote violence", "Battles")
#: Literals one of which every _HURT match holds, in the lower-cased text.
_HURT_WORDS = ("kille", "killi", "wound", "injur", "dead", "died", "casualties")


def _hurt(text: str) -> bool:
    """``_HURT.search(text)``, with the literals first (a tenth of sentences with places hold one)."""
    low = text.lower()
    return any(w in low for w in _HURT_WORDS) and _HURT.search(text) is not None
#: Russian non-state armed groups: what they take in Russia they overtake from its government.
_RU_NON_STATE = re.compile(
    r"\b(?:Wagner|Prigozhin|mutin\w+|coup|Volunteer\s+Corps|RDK|Freedom\s+of\s+Russia|Legion|partisans?|rebels?)\b"
)
#: The two sides of a change of control, swapped where the territory is Russia's.
_SIDES = {lx.GOV_REGAINS: lx.NSA_OVERTAKES, lx.NSA_OVERTAKES: lx.GOV_REGAINS}


def extract_events(article: Article, mentions: list[Mention]) -> list[Event]:
    """One event record per (article, place, event), context records for the rest.

    Parameters
    ----------
    article : Article
        The article; ``published`` anchors relative dates.
    mentions : list of Mention
        Mentions after resolution; only ``status == "resolved"`` mentions with a
        place produce records.

    Returns
    -------
    list of Event
        Records in order of first mention: role "event" with ACLED type,
        weapon, date, casualties, claimant and stance, or role "context" with
        those fields null.
    """
    text = article.text
    sents = sentences(text)
    starts = [s.start for s in sents]
    resolved = sorted(
        (m for m in mentions if m.status == "resolved" and m.place is not None), key=lambda m: m.char_start
    )
    by_sent: dict[int, list[Mention]] = {}
    for m in resolved:
        i = max(0, bisect.bisect_right(starts, m.char_start) - 1)
        by_sent.setdefault(i, []).append(m)

    obs_by_place: dict[str, list[_Obs]] = {}
    order: list[str] = []
    headline: list[EventClass | None] = []  # the article's lead class, computed on first need
    for i, ms in by_sent.items():
        s = sents[i]
        clean = _untag(s.text)
        # One scan per sentence, shared by its mentions; the clause bounds only when a trigger
        # pattern matched (without a live trigger no mention gets a class, and only classed
        # observations use their clause).
        trigs, bounds = _triggers_and_bounds(clean)
        inherited = None
        if not trigs and _hurt(clean):
            # "Kharkiv Oblast: One person was killed and five injured in Kupiansk." under the headline
            # "Russian attacks kill 6, injure 32": people hurt in a report of attacks were hurt by them
            if not headline:
                headline.append(_headline_class(article, sents))  # once an article
            if headline[0] is not None and (count_fatalities(clean) or count_injured(clean)):
                inherited = headline[0]
        sent_date: tuple[date | None, str | None] | None = None
        for m in ms:
            cls = None
            if trigs and _mention_blocked(s, m, ms) is None:
                cls = _classify_at(clean, m.char_start - s.start, trigs, bounds)
            elif inherited is not None and _mention_blocked(s, m, ms) is None:
                cls = inherited
            if cls is not None and article.published is not None and _history(s.text, article.published):
                cls = None  # "In 2014 ...", "the Warsaw Uprising in 1944": background, not this news
            if (
                cls is not None
                and cls.sub_event_type in _SIDES
                and m.place.country_code == "RU"  # type: ignore[union-attr]
                and not (cls.sub_event_type == lx.NSA_OVERTAKES and _RU_NON_STATE.search(clean))
            ):
                # in Russia the government is Russia's: Ukrainian forces taking Tetkino are the foreign
                # force overtaking territory, Russian forces retaking it the government regaining it
                # (not Wagner's mutineers nor the Russian Volunteer Corps, who are no government)
                sub = _SIDES[cls.sub_event_type]
                cls = dataclasses.replace(cls, sub_event_type=sub, event_type=lx.EVENT_TYPE_OF[sub])
            d: date | None = None
            p: str | None = None
            if cls is not None:
                if sent_date is None:
                    sent_date = resolve_relative(s.text, article.published)
                d, p = sent_date
            pid = m.place.place_id  # type: ignore[union-attr]
            if pid not in obs_by_place:
                order.append(pid)
            clause = ""
            if cls is not None and bounds is not None:
                clause = _clause_of(clean, m.char_start - s.start, bounds)
            obs_by_place.setdefault(pid, []).append(_Obs(m, i, clause, cls, d, p))

    def continuation(i: int) -> list[int]:
        # Following sentences of the same paragraph that name no place continue the report.
        out = []
        for j in range(i + 1, min(i + 3, len(sents))):
            if "\n" in text[sents[j - 1].end : sents[j].start] or j in by_sent:
                break
            out.append(j)
        return out

    records: list[tuple[_Group | None, _Obs, str]] = []
    for pid in order:
        obs = obs_by_place[pid]
        groups: list[_Group] = []
        for o in sorted(
            (o for o in obs if o.cls is not None), key=lambda o: (-o.cls.strength, o.mention.char_start)
        ):  # type: ignore[union-attr]
            for g in groups:
                lead = g.lead.cls
                assert lead is not None and o.cls is not None
                same_type = lead.event_type == o.cls.event_type
                same_sub = lead.sub_event_type == o.cls.sub_event_type or o.cls.strength < 2
                if same_type and same_sub and _compatible(_best_date(g.obs), (o.date, o.precision)):
                    g.obs.append(o)
                    break
            else:
                groups.append(_Group([o]))
        if groups:
            records.extend((g, g.lead, pid) for g in groups)
        else:
            records.append((None, obs[0], pid))

    events = [_build(article, sents, g, lead, continuation) for g, lead, _pid in records]
    _demote_repeated_regions(
        events, {id(e): lead.mention.place for e, (_g, lead, _p) in zip(events, records, strict=True)}
    )
    _share_casualties(events, [lead for _g, lead, _p in records], sents)
    # A place whose events were all demoted keeps one context record.
    out: list[Event] = []
    seen: set[tuple[str, str | None, str | None, str | None, str]] = set()
    for e in events:
        key = (e.place_id, e.event_type, e.sub_event_type, e.event_date, e.role)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    has_event = {e.place_id for e in out if e.role == "event"}
    out = [e for e in out if e.role == "event" or e.place_id not in has_event]
    ctx_seen: set[str] = set()
    final = []
    for e in sorted(out, key=lambda e: e.char_start):
        if e.role == "context":
            if e.place_id in ctx_seen:
                continue
            ctx_seen.add(e.place_id)
        final.append(e)
    return final


def _share_casualties(events: list[Event], leads: list[_Obs], sents: list[Sentence]) -> None:
    """One reported toll is counted once, however many event places its sentence names.

    ACLED divides a toll reported over several locations evenly among their events, the
    remainder to the first named ("Three civilians were killed [3 fatalities split among 2
    events]": Stoyanka 2, Moshchun 1), so that a sum over the data counts each death once.
    Here the same, for the injured too: "shelling killed three people in Selydove, Kurakhove
    and Pokrovsk" gives each town one. A part of a city named with the city ("the Saltivka
    and Oleksiivka neighbourhoods of Kharkiv", "the Azovstal plant in Mariupol") is the city's
    location: the toll is the city's, the part's event records none. Where the toll sits in
    one place's clause ("Cherkasy, where one person died, and the Kharkiv region") it is that
    place's alone.
    """
    for field_name, count in (("fatalities", count_fatalities), ("injured", count_injured)):
        by_source: dict[int, list[tuple[Event, _Obs]]] = {}
        for e, lead in zip(events, leads, strict=True):
            if e.role != "event" or not getattr(e, field_name):
                continue
            own = count(_untag(sents[lead.sidx].text))
            # the toll's sentence: the event's own, or the continuation that reported it
            source = lead.sidx if own == getattr(e, field_name) else -1 - lead.sidx
            by_source.setdefault(source, []).append((e, lead))
        for group in by_source.values():
            if len(group) > 1 and len({getattr(e, field_name) for e, _o in group}) == 1:
                _share(group, field_name, count)


def _share(group: list[tuple[Event, _Obs]], field_name: str, count: Callable[[str], int | None]) -> None:
    """Give one toll reported for the group's events to its clause's place, or divide it among them."""
    total: int = getattr(group[0][0], field_name)
    own = [count(o.clause) if o.clause else None for _e, o in group]
    if any(n == total for n in own) and not all(n == total for n in own):
        for (e, _o), n in zip(group, own, strict=True):
            setattr(e, field_name, total if n == total else None)  # the toll is another place's
        return
    bearers = []
    for e, o in group:
        if any(_part_of(o.mention.place, other.mention.place) for _f, other in group if other is not o):
            setattr(e, field_name, None)  # counted at the city it is part of
        else:
            bearers.append(e)
    if not bearers:
        return
    bearers.sort(key=lambda e: e.char_start)
    share, rest = divmod(total, len(bearers))
    for k, e in enumerate(bearers):
        setattr(e, field_name, share + (1 if k < rest else 0))


def _part_of(part: Place | None, city: Place | None) -> bool:
    """Whether ``part`` lies in ``city``: a site of a town, or a district of a city of 100,000.

    GeoNames gives a city's districts their own populations (Kharkiv's Saltivka 409,000), so a
    district is told from a town by its nearness to a bigger city, not by its size.
    """
    if part is None or city is None or city.feature != "settlement":
        return False
    if part.feature == "settlement" and not (_PART_CITY_MIN <= city.population > part.population):
        return False
    if part.feature in ("oblast", "region", "country", "raion", "hromada"):
        return False
    return _within_km(part, city, _PART_KM)


#: A city whose districts the press names with it, and how far they reach from its point.
_PART_CITY_MIN = 100_000
_PART_KM = 15.0


def _build(article: Article, sents: list[Sentence], g: _Group | None, lead: _Obs, continuation) -> Event:  # noqa: ANN001
    m = lead.mention
    place = m.place
    assert place is not None
    s = sents[lead.sidx]
    base = dict(
        article_id=article.article_id,
        mention=m.text,
        place_id=place.place_id,
        place_name=place.name,
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=m.geo_precision if m.geo_precision is not None else place.geo_precision,
        admin1=place.admin1,
        admin2=place.admin2,
        country_code=place.country_code,
        confidence=m.confidence,
        sentence=s.text,
        char_start=m.char_start,
        char_end=m.char_end,
        sentence_start=s.start,
        title=article.title,
        url=article.url,
        published=article.published.isoformat() if article.published else None,
        sources=[article.article_id],
    )
    if g is None or lead.cls is None:
        return Event(
            event_id=_event_id(article.article_id, place.place_id, None, None, None),
            role="context",
            event_type=None,
            sub_event_type=None,
            weapon=None,
            event_date=None,
            date_precision=None,
            claimed_by=None,
            stance="reported",
            fatalities=None,
            injured=None,
            triggers=[],
            **base,
        )
    cls = lead.cls
    idxs: list[int] = []
    for o in sorted(g.obs, key=lambda o: o.sidx):
        for j in [o.sidx, *continuation(o.sidx)]:
            if j not in idxs:
                idxs.append(j)
    texts = [_untag(sents[j].text) for j in idxs]
    member = {o.sidx for o in g.obs}
    # Claim and denial cues of a sentence naming the place count in the place's clause;
    # a continuation sentence ("this was not the case") counts whole.
    cue_texts = [o.clause for o in g.obs] + [t for j, t in zip(idxs, texts, strict=True) if j not in member]
    weapon = _pick_weapon([_untag(sents[o.sidx].text) for o in g.obs], cls.sub_event_type)
    weapon = weapon or _pick_weapon(texts, cls.sub_event_type)
    if cls.event_type == lx.BATTLES and cls.sub_event_type != lx.ARMED_CLASH:
        weapon = None  # a territorial change is not made by one weapon
    if cls.sub_event_type in (lx.GOV_REGAINS, lx.NSA_OVERTAKES):
        # "retook Zolotynka. No information on whether fighting took place.": a change of
        # hands that the report does not tie to fighting is a non-violent transfer (ACLED)
        for t in texts[1:]:
            found = classify(t)
            if found is not None and found.sub_event_type == lx.TRANSFER:
                cls = EventClass(lx.SD, lx.TRANSFER, None, [*cls.triggers, *found.triggers])
                break
    fat = [f for f in (count_fatalities(t) for t in texts) if f is not None]
    inj = [f for f in (count_injured(t) for t in texts) if f is not None]
    stance, claimant, denier = _stance(cue_texts, cls.sub_event_type, texts)
    claimed_by = claimant
    if denier and denier != claimant:
        claimed_by = f"{claimant}; denied by {denier}" if claimant else denier
    d, p = _best_date(g.obs)
    ev_date = d.isoformat() if d else None
    triggers: list[str] = []
    for o in g.obs:
        for t in o.cls.triggers if o.cls else []:
            if t not in triggers:
                triggers.append(t)
    return Event(
        event_id=_event_id(article.article_id, place.place_id, cls.event_type, cls.sub_event_type, ev_date),
        role="event",
        event_type=cls.event_type,
        sub_event_type=cls.sub_event_type,
        weapon=weapon,
        event_date=ev_date,
        date_precision=p if d else None,
        claimed_by=claimed_by,
        stance=stance,
        fatalities=max(fat) if fat else None,
        injured=max(inj) if inj else None,
        triggers=triggers,
        **base,
    )


def _demote_repeated_regions(events: list[Event], places: dict[int, Place | None]) -> None:
    """Summaries repeated by more precise events become context.

    A region-level event ("drones over the Moscow region") repeated by a more
    precise event inside the region ("Istra and Domodedovo districts"), and an
    event only located "near" a place ("shot down drones near Moscow") when the
    article names the places near it where that happened.
    """
    for e in events:
        outer = places.get(id(e))
        if e.role != "event" or outer is None:
            continue
        region = outer.feature in ("oblast", "region", "raion", "hromada")
        # a summary names the big city, the report the places around it ("near Moscow" ... "Istra")
        vicinity = (
            not region
            and outer.population >= 300_000
            and bool(_NEAR_BEFORE.search(e.sentence[: e.char_start - e.sentence_start]))
        )
        if not (region or vicinity):
            continue
        for f in events:
            inner = places.get(id(f))
            if f is e or f.role != "event" or inner is None:
                continue
            if region and f.geo_precision >= e.geo_precision:
                continue
            if vicinity and f.sentence_start == e.sentence_start:
                continue
            if (f.event_type, f.sub_event_type) != (e.event_type, e.sub_event_type):
                continue
            fd = (date.fromisoformat(f.event_date), f.date_precision) if f.event_date else (None, None)
            ed = (date.fromisoformat(e.event_date), e.date_precision) if e.event_date else (None, None)
            if not _compatible(fd, ed):
                continue
            if region and _inside(inner, outer) or vicinity and _within_km(inner, outer, 80.0):
                e.role = "context"
                e.event_type = e.sub_event_type = e.weapon = e.event_date = e.date_precision = None
                e.claimed_by = None
                e.stance = "reported"
                e.fatalities = e.injured = None
                e.triggers = []
                e.event_id = _event_id(e.article_id, e.place_id, None, None, None)
                break


#: "... near Moscow", "around Kharkiv", "outside Kyiv": the event is not at the place itself.
_NEAR_BEFORE = re.compile(
    r"\b(?:near|around|outside|close\s+to|in\s+the\s+vicinity\s+of)\s+(?:the\s+)?$", re.I
)


def _within_km(a: Place, b: Place, km: float) -> bool:
    return a.place_id != b.place_id and haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= km


def dedupe(events: list[Event]) -> list[Event]:
    """Merge the same event reported by several articles.

    Events with the same place_id, event_type, sub_event_type and event_date
    become one; ``sources`` lists the article ids (sorted), the evidence
    (sentence, mention, article fields, event_id) comes from the earliest
    published article (then the smallest article id), and the casualty counts
    are the largest reported. Context records and undated events are kept as
    they are: nothing shows they are one happening.

    Parameters
    ----------
    events : list of Event
        Records from :func:`extract_events` over many articles.

    Returns
    -------
    list of Event
        The merged records, in the order of their first occurrence.
    """
    groups: dict[tuple[str, str | None, str | None, str | None], list[Event]] = {}
    out: list[Event | tuple[str, str | None, str | None, str | None]] = []
    for e in events:
        if e.role != "event" or e.event_date is None:
            out.append(e)
            continue
        key = (e.place_id, e.event_type, e.sub_event_type, e.event_date)
        if key not in groups:
            groups[key] = []
            out.append(key)
        groups[key].append(e)
    result: list[Event] = []
    for item in out:
        if isinstance(item, Event):
            result.append(item)
            continue
        grp = groups[item]
        first = min(grp, key=lambda e: (e.published or "9999", e.article_id))
        sources = sorted({s for e in grp for s in (e.sources or [e.article_id])})
        fats = [e.fatalities for e in grp if e.fatalities is not None]
        injs = [e.injured for e in grp if e.injured is not None]
        stances = {e.stance for e in grp}
        merged = Event(**{**first.to_record(), "sources": sources})
        merged.fatalities = max(fats) if fats else None
        merged.injured = max(injs) if injs else None
        if "denied" in stances and stances & {"claimed", "reported"}:
            merged.stance = "disputed"
        result.append(merged)
    return result
