"""The trigger lexicon of :mod:`geomap.events`: words that say what happened.

Every rule is (name, ACLED event_type, ACLED sub_event_type, strength,
priority, regex). All rules are compiled into one alternation with a named
group per rule, so a sentence is scanned once.

* ``strength`` 2 = the words name the kind of event ("airstrike", "shelled",
  "recaptured"); 1 = a generic attack word ("attacked", "struck", "explosions")
  whose sub-event type comes from the weapon named nearby (see
  :data:`WEAPONS`), Shelling/artillery/missile attack when none is named.
* ``priority`` decides between several events in one text: the most specific
  and most consequential wins (a protest fired upon is a protest event; a
  village retaken after a clash is a territorial change; an airstrike beside
  shelling is an air strike, as ACLED codes it).

The weapon vocabulary is fixed (lower-case): shahed drone, drone, guided aerial
bomb, aerial bomb, aircraft, cruise missile, ballistic missile, missile,
mlrs, rocket, cluster munitions, artillery, mortar, tank, mine, ied, grenade,
small arms, chemical weapon.
"""

from __future__ import annotations

import re
from functools import lru_cache

from geomap._events_prefix import (  # noqa: F401 - the _CANON patterns: tests read them here
    _CANON_BLANK,
    _CANON_DIGIT,
    _canon_text,
    _prefix_automaton,
    prefix_matches,
)

# ACLED strings (exact).
BATTLES = "Battles"
ERV = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
SD = "Strategic developments"

ARMED_CLASH = "Armed clash"
GOV_REGAINS = "Government regains territory"
NSA_OVERTAKES = "Non-state actor overtakes territory"
AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
EXPLOSIVE = "Remote explosive/landmine/IED"
GRENADE = "Grenade"
SUICIDE = "Suicide bomb"
CHEMICAL = "Chemical weapon"
ATTACK = "Attack"
ABDUCTION = "Abduction/forced disappearance"
SEXUAL = "Sexual violence"
PEACEFUL = "Peaceful protest"
INTERVENTION = "Protest with intervention"
EXCESSIVE = "Excessive force against protesters"
VIOLENT_DEMO = "Violent demonstration"
MOB = "Mob violence"
DISRUPTED = "Disrupted weapons use"
TRANSFER = "Non-violent transfer of territory"
ARRESTS = "Arrests"
LOOTING = "Looting/property destruction"
AGREEMENT = "Agreement"
CHANGE = "Change to group/activity"
HQ = "Headquarters or base established"
OTHER = "Other"

#: ACLED event_type of each sub_event_type.
EVENT_TYPE_OF: dict[str, str] = {
    ARMED_CLASH: BATTLES,
    GOV_REGAINS: BATTLES,
    NSA_OVERTAKES: BATTLES,
    AIR: ERV,
    SHELLING: ERV,
    EXPLOSIVE: ERV,
    GRENADE: ERV,
    SUICIDE: ERV,
    CHEMICAL: ERV,
    ATTACK: VAC,
    ABDUCTION: VAC,
    SEXUAL: VAC,
    PEACEFUL: PROTESTS,
    INTERVENTION: PROTESTS,
    EXCESSIVE: PROTESTS,
    VIOLENT_DEMO: RIOTS,
    MOB: RIOTS,
    DISRUPTED: SD,
    TRANSFER: SD,
    ARRESTS: SD,
    LOOTING: SD,
    AGREEMENT: SD,
    CHANGE: SD,
    HQ: SD,
    OTHER: SD,
}

#: Event types that put violence on the map.
VIOLENT_TYPES = frozenset({BATTLES, ERV, VAC, RIOTS})

#: Rockets as weapons, not space rockets or rocket science.
_ROCKETS = r"(?<!space\s)(?<!space-)rockets?\b(?!\s+(?:science|scientists?|engines?|fuel))"
_PROJECTILE = r"(?:drones?|uavs?|shaheds?|gerans?|missiles?|rockets?|projectiles?|bombs?|kamikaze"
_PROJECTILE += r"|quadcopters?)"
_DOWN = r"(?:shot\s+down|shoots?\s+down|shooting\s+(?:it|them)\s+down|intercept(?:ed|s|ing)?|down(?:ed|ing)"
_DOWN += r"|neutrali[sz]ed|destroyed|repelled)"

# (name, sub_event_type, strength, priority, pattern)
RULES: list[tuple[str, str, int, int, str]] = [
    ("suicide", SUICIDE, 2, 99, r"suicide\s+(?:bomb\w*|attack\w*|car\s+bomb)|blew\s+(?:him|her)self\s+up"),
    (
        "chemical",
        CHEMICAL,
        2,
        98,
        r"chemical\s+(?:weapons?|agents?|munitions?|attacks?)|poison(?:ous)?\s+gas|chloropicrin",
    ),
    ("sexual", SEXUAL, 2, 97, r"rap(?:ed|es|ing)|rape|sexual(?:ly)?\s+(?:assault\w*|abus\w*|violen\w*)"),
    ("riot", VIOLENT_DEMO, 2, 93, r"rioters?|riots?|clash(?:ed|es)?\s+with\s+(?:the\s+)?(?:riot\s+)?police"),
    ("mob", MOB, 2, 92, r"mob\s+(?:attack\w*|violence|justice)|lynch\w*|vigilantes?"),
    (
        "protest",
        PEACEFUL,
        2,
        90,
        r"protest(?:ed|s|ing|ers?)?|demonstrat(?:ed|ion|ions|ors?)|rall(?:y|ies|ied)|picket\w*"
        r"|torch\s+march|(?:gathered|assembled)\s+(?:[\w'’“”\"«»-]+\s+){0,6}(?:to\s+(?:commemorate|mark|honou?r|demand|support|call)"
        r"|demanding|protesting|calling\s+for|against|in\s+protest"
        r"|(?:in|for)\s+(?:a\s+)?(?:memory|support|commemorat))|commemorat\w+|march(?:ed)?\s+(?:through|against|in\s+support)",
    ),
    (
        "abduction",
        ABDUCTION,
        2,
        88,
        r"kidnapp?\w*|abduct\w*|taken\s+(?:as\s+)?hostages?|took\s+(?:[\w'’“”\"«»-]+\s+){0,3}hostages?"
        r"|forcibly\s+disappeared|forced\s+disappearance|went\s+missing|(?:took|taken)\s+(?:him|her|them)\s+away"
        r"|(?:to|in)\s+an\s+unknown\s+direction|(?:whereabouts|fate)\s+(?:is|are|remains?)\s+unknown",
    ),
    (
        "vac",
        ATTACK,
        2,
        86,
        r"shot\s+(?:and\s+killed|dead)|execut(?:ed|ion|ions|ing)|tortur\w*|massacre\w*|murder\w*"
        r"|mass\s+graves?|beat(?:en|ing)?\s+(?:up\s+)?(?:a|an|the|two|three|several|\w+\s+)?(?:civilians?|man|woman|men|women|"
        r"residents?|people|journalists?|volunteers?|activists?)"
        r"|(?:opened\s+fire|fired|shot)\s+(?:[\w'’“”\"«»-]+\s+){0,2}(?:at|on)\s+(?:[\w'’“”\"«»-]+\s+){0,3}(?:civilians\b|civilian\s+(?:man|woman|men|women|cars?|vehicles?)|cars?|vehicles?|"
        r"residents?|people|buses|bus|volunteers|evacuation|families|family|pedestrians?|cyclists?|man|woman|journalists?)"
        r"|human\s+shields?|hostages?\s+(?:were\s+)?killed",
    ),
    (
        "transfer",
        TRANSFER,
        2,
        84,
        r"no\s+information\s+(?:on|about)\s+whether\s+(?:[\w'’“”\"«»-]+\s+){0,3}(?:fighting|clash\w*)"
        r"|without\s+(?:a\s+)?(?:fight(?:ing)?|resistance|battle|clash\w*)|withdr[ae]w\w*\s+(?:[\w'’“”\"«»-]+\s+){0,3}from"
        r"|retreat(?:ed|s|ing)?\s+from|pull(?:ed|s)?\s+out\s+(?:of|from)|handed\s+over\s+(?:[\w'’“”\"«»-]+\s+){0,3}(?:control|to)"
        r"|surrender(?:ed|s)?\s+(?:the\s+)?(?:town|city|village)|left\s+the\s+(?:town|city|village|settlement|territory|area)"
        r"|no\s+fighting\s+(?:took\s+place|was\s+reported)",
    ),
    (
        "interception",
        DISRUPTED,
        2,
        82,
        _DOWN
        + r"\s+(?:[\w'’“”\"«»-]+\s+){0,5}?"
        + _PROJECTILE
        + r"|"
        + _PROJECTILE
        + r"\s+(?:(?:was|were|have\s+been|had\s+been|has\s+been|being|are|is)\s+)?(?:[\w'’“”\"«»-]+\s+){0,2}?"
        + _DOWN
        + r"|interceptions?|air\s+defen[cs]es?\s+(?:[\w'’“”\"«»-]+\s+){0,3}?"
        + r"(?:shot|destroyed|intercepted|downed|repelled|repulsed)"
        r"|weapons?\s+seizure|(?:seized|confiscated|found|discovered)\s+(?:[\w'’“”\"«»-]+\s+){0,4}?(?:weapons|ammunition|caches?|"
        r"explosives|grenades|arsenal|ships?)|caches?\s+of\s+(?:weapons|arms|ammunition)|defus\w+|demin\w+",
    ),
    (
        "regain",
        GOV_REGAINS,
        2,
        80,
        r"re-?took|re-?taken|re-?tak(?:e|es|ing)|recaptur\w+|regain\w*|liberat(?:ed|es|ing|ion)"
        r"|reclaim(?:ed|s|ing)?|de-?occup\w+|restored\s+(?:[\w'’“”\"«»-]+\s+){0,2}control|cleared\s+(?:[\w'’“”\"«»-]+\s+){0,2}of\s+(?:the\s+)?"
        r"(?:russians?|enemy|occupiers|invaders)|(?:back|returned)\s+under\s+(?:[\w'’“”\"«»-]+\s+){0,2}control|won\s+back"
        r"|pushed\s+(?:[\w'’“”\"«»-]+\s+){0,3}out\s+of",
    ),
    (
        "capture",
        NSA_OVERTAKES,
        2,
        78,
        r"(?:captur(?:ed|es|ing|e)|seiz(?:ed|es|ing|ure|e)|occup(?:ied|ies|y|ying)|took|taken|"
        r"tak(?:e|es|ing)|gain(?:ed|s|ing)?|establish(?:ed|ing)|assum(?:ed|ing))\s+(?:full\s+|the\s+|total\s+)?"
        r"control|(?:captur(?:ed|es|ing)|seiz(?:ed|es|ing|ure\s+of)|occup(?:ied|ies|ying|ation\s+of)|overr(?:a|u)n|took"
        r"\s+over|entered\s+and\s+took)\s+(?:the\s+)?(?:(?:town|village|city|settlement|locality|region|area|territory|"
        r"district|outskirts|airport|port|island|heights?)\b|(?!by\s)(?P<cap1>[a-z]))|(?:town|village|city|settlement|locality)\s+(?:was|"
        r"had\s+been|has\s+been)\s+(?:captured|seized|occupied|taken|overrun)|fell\s+(?:[\w'’“”\"«»-]+\s+)?to\s+(?:the\s+)?"
        r"(?:russian|enemy|occupiers|invaders)|gained\s+(?:the\s+)?territory|claimed\s+to\s+(?:gain|take|capture)"
        r"|fake\s+seizure|imaginary\s+seizure|(?:the\s+)?seizure\s+of"
        # "Russian forces entered Kyrylivka": ACLED codes troops entering a place as taking it
        r"|(?:troops|forces|units|soldiers|army|military)\s+(?:have\s+|had\s+|has\s+)?entered\s+(?:the\s+|an?\s+)?"
        r"(?:(?:town|village|city|settlement|locality)\b|(?!outskirts|the\s|an?\s)(?P<cap3>[a-z]))",
    ),
    (
        # "claims that Robotyne had fallen", "Tsukuryne was captured": taken, when a name stands right
        # before it (checked by the events stage: AFTER_NAME_RULES); not "fallen ill", "fallen by 10%"
        "fallen",
        NSA_OVERTAKES,
        2,
        78,
        r"(?:had|has|have)\s+(?:now\s+|finally\s+|already\s+)?fallen\b"
        r"(?!\s+(?:ill|silent|asleep|short|behind|apart|victim|prey|out|off|back|sharply|steeply|below|by\s+\d|to\s+\d))"
        # "Tsukuryne was captured by Russian forces" (not "was taken to hospital", "was taken aback"): the
        # participle, after a name and a passive auxiliary (the events stage checks both)
        r"|(?:captured|seized|occupied|overrun|taken)\b"
        r"(?!\s+(?:ill|aback|hostage|prisoners?|captive|into|to|away|for|seriously|by\s+surprise|in\s+by|from|off|out))",
    ),
    (
        "shootdown_aircraft",
        SHELLING,
        2,
        81,
        _DOWN + r"\s+(?:[\w'’“”\"«»-]+\s+){0,5}?(?:helicopters?|aircraft|planes?|"
        r"jets?|su-\d+|ka-52|mi-\d+|fighters?)\b",
    ),
    (
        "hq",
        HQ,
        2,
        76,
        r"(?:established|set\s+up|setting\s+up|built)\s+(?:an?\s+|the\s+)?(?:[\w'’“”\"«»-]+\s+){0,3}?(?:base|camp|"
        r"headquarters|hq|command\s+post|garrison|outpost)",
    ),
    (
        "looting",
        LOOTING,
        2,
        74,
        r"loot\w*|pillag\w*|plunder\w*|stole|stolen|steal\w*|robb(?:ed|ery|ing)"
        r"|property\s+destruction|vandali[sz]\w*",
    ),
    (
        "arson",
        LOOTING,
        2,
        33,
        r"set\s+(?:[\w'’“”\"«»-]+\s+)?on\s+fire|set\s+fire\s+to|burn(?:ed|t)\s+(?:down\s+)?"
        r"(?:the\s+)?(?:[\w'’“”\"«»-]+\s+){0,3}(?:office|building|house|car|flag)",
    ),
    (
        "vac_weak",
        ATTACK,
        2,
        34,
        r"(?:killed|shot|murdered|ran\s+over)\s+(?:an?|the|two|three|several|his|her|their)\s+"
        r"(?:[\w'’“”\"«»-]+\s+){0,3}?(?:civilians?|man|woman|activists?|couple|volunteers?|journalists?|priests?|physicist|"
        r"officials?|mayor|residents?|teachers?|doctors?|farmers?|drivers?|car|family|boy|girl|child|children)\b",
    ),
    (
        "air",
        AIR,
        2,
        70,
        r"air\s*-?\s*strikes?|airstrikes?|air\s+raids?|air\s+attacks?|aerial\s+(?:bomb\w*|attacks?|strikes?)"
        r"|bomb(?:ed|ing|ings)\b|bombard\w*\s+(?:[\w'’“”\"«»-]+\s+){0,5}?(?:from\s+the\s+air|aircraft|planes?|jets?)"
        r"|dropp(?:ed|ing)\s+(?:[\w'’“”\"«»-]+\s+){0,4}?(?:bombs?|munitions?|grenades?|explosives?)|bombs?\s+(?:was|were)\s+dropped"
        r"|drone\s+(?:strikes?|attacks?|raids?)|(?:kamikaze|attack|strike|shahed|suicide)\s+drones?\s+(?:[\w'’“”\"«»-]+\s+){0,3}?"
        r"(?:attack\w*|struck|hit|strik\w*|target\w*)|(?:drones?|uavs?|aircraft|planes?|jets?|helicopters?|aviation)\s+"
        r"(?:[\w'’“”\"«»-]+\s+){0,2}?(?:attack(?:ed|s)?|struck|hit|strik(?:es|ing)|target(?:ed|ing)|bomb\w*|fired|launched|dropped)"
        r"|(?:glide|guided)\s+(?:aerial\s+)?bombs?"
        r"|air\s+force\s+(?:[\w'’“”\"«»-]+\s+){0,3}?(?:fired|launched|missiles?|struck|hit|dropped|rockets?)|air\s+bombs?"
        r"|from\s+(?:aviation|aircraft|planes?|helicopters?|the\s+air)|with\s+(?:helicopters|aircraft|aviation)"
        r"|launch(?:ed|es|ing)\s+(?:[\w'’“”\"«»-]+\s+){0,4}?(?:drones?|uavs?|shaheds?|gerans?)\s+"
        r"(?:at|against|on|toward|towards|into)\b",
    ),
    (
        "explosive",
        EXPLOSIVE,
        2,
        66,
        r"land\s*-?mines?|(?:anti-?tank|anti-?personnel|naval)\s+mines?|improvised\s+explosive"
        r"|explosive\s+devices?|\bieds?\b|booby[\s-]?trap\w*|tripwires?|car\s+bombs?|(?:hit|struck|ran\s+(?:into|over)|"
        r"stepped\s+on|triggered|detonated|planted)\s+(?:an?\s+|the\s+)?(?:[\w'’“”\"«»-]+\s+)?mines?\b|mines?\s+(?:exploded|detonated|"
        r"blast)|mine\s+explosion|blew\s+up|blown\s+up|(?:was|were)\s+mined|sabotage\s+attack|explosives?\s+planted",
    ),
    (
        "grenade",
        GRENADE,
        2,
        64,
        r"(?:threw|thrown|throwing|hurled|lobbed)\s+(?:an?\s+)?(?:[\w'’“”\"«»-]+\s+)?grenades?"
        r"|hand\s+grenades?\s+(?:was|were)\s+thrown|grenade\s+attack",
    ),
    (
        "osce_clash",
        ARMED_CLASH,
        2,
        62,
        r"both\s+directions|shots?/bursts|bursts\s+of\s+fire|exchange[ds]?\s+(?:of\s+)?"
        r"(?:fire|gunfire)|firefights?\b|gun\s*fights?|fire\s*fights?\b",
    ),
    (
        "shelling",
        SHELLING,
        2,
        60,
        r"shell(?:ed|ing|s)\b|artillery|mortars?\b|howitzers?|" + _ROCKETS + r"|missiles?|mlrs"
        r"|multiple\s+(?:launch\s+)?rocket|grad\b|uragan|smerch|tornado-?s|himars|iskanders?|kalibr|tochka|kinzhal"
        r"|kh-\d+|s-300|tank\s+(?:fire|shells?)|cluster\s+(?:munitions?|bombs?|shells?)|heavy\s+weapons"
        r"|bombard(?:ed|ment|ing)|grenade\s+launchers?|\b\d{2,3}\s?mm\b(?!\s+(?:rifles?|pistols?))|cannons?\b",
    ),
    (
        "small_arms",
        ARMED_CLASH,
        2,
        63,
        r"small\s+arms|unspecified\s+weapons|responded\s+with\s+(?:fire|gunfire)|snipers?\b(?!\s+rifles?)"
        r"|returned\s+fire|repell?ed\s+by|repulsed|engaged\s+in\s+(?:an?\s+)?(?:offensive|battle|fighting|combat)",
    ),
    (
        "clash",
        ARMED_CLASH,
        2,
        61,
        r"clash(?:ed|es|ing)?|fighting|fought|battles?\b|battled|skirmish\w*|ambush\w*"
        r"|combat\s+(?:operations?|clash\w*|actions?)|in\s+combat|gun\s*battles?"
        r"|(?:assault|storm)(?:ed|ing|s)?\s+(?!shadows?\b|rifles?\b)(?:on\s+)?(?:the\s+)?(?:[\w'’“”\"«»-]+\s+){0,2}(?:positions?|town|village|city|"
        r"settlement|defen[cs]es?|lines?|(?P<cap2>[a-z]))|counter-?(?:attack|offensive)s?\b(?!\s+(?:will|would))"
        r"|offensives?\b(?!\s+(?:is\s+|was\s+|will\s+|would\s+)?(?:expected|planned|likely|imminent|coming))"
        r"|repel(?:led|s|ling)?\s+(?:[\w'’“”\"«»-]+\s+){0,3}(?:attacks?|assaults?|offensive|attempts?)"
        # the war reports' "conducted ground attacks near X": troops, not fire from afar
        r"|(?:ground|infantry|mechani[sz]ed|armou?red|tank)\s+(?:attacks?|assaults?|offensives?)"
        # "positional engagements continued near Kupiansk", "Ukrainian forces counterattacked"
        r"|(?:positional|ground|armed|combat|heavy|fierce)\s+engagements?|counter-?attack(?:ed|ing)",
    ),
    (
        "clash_weak",
        ARMED_CLASH,
        2,
        35,
        r"(?:heavy|significant|serious)\s+losses|suffered\s+(?:[\w'’“”\"«»-]+\s+)?losses"
        # Russian MoD's formulas: "defeated manpower and equipment of three brigades near X", "the enemy
        # lost up to 520 servicemen"; "continued the offensive towards X"
        r"|(?:defeated|inflicted\s+(?:fire\s+)?(?:damage|defeat)\s+on)\s+(?:the\s+)?(?:enemy\s+)?manpower"
        r"|lost\s+(?:up\s+to\s+|about\s+|over\s+|more\s+than\s+)?\d[\d,]*\s+(?:servicemen|soldiers|troops|personnel)"
        r"|offensive\s+(?:operations?\s+)?(?:towards?|on|against|near|in\s+the\s+direction\s+of)"
        # a bridgehead held or won ("established a bridgehead on the left bank near Krynky")
        r"|(?:establish\w*|held|holds?|holding|expand\w*|maintain\w*|secur\w*|seiz\w*)\s+(?:a\s+|the\s+|their\s+)?"
        r"bridgeheads?|bridgeheads?\s+(?:on|near|in|at|around)"
        # troops reaching a place ("Russian troops have entered the outskirts of Kupiansk"; not a law)
        r"|(?:troops|forces|units|soldiers|tanks|columns?|infantry|sabotage\s+groups?|assault\s+groups?)\s+"
        r"(?:have\s+|had\s+|has\s+)?(?:entered\s+the\s+outskirts|broke\s+into|infiltrated|reached)"
        r"|military\s+activity|machine\s*-?\s*guns?|gunfire"
        r"|(?:marginal|tactical|limited|confirmed)\s+(?:territorial\s+)?gains|gained\s+ground"
        # (not a team's: "advanced to the final in Kharkiv")
        r"|(?:advanced?|advancing|advances|broke\s+through|penetrat(?:ed|ing))"
        r"(?!\s+to\s+the\s+(?:semi-?|quarter-?)?finals?\b|\s+to\s+the\s+next\s+(?:round|stage))"
        r"\s+(?:[\w'’“”\"«»-]+\s+){0,3}?(?:towards?|near|"
        r"into|on|in|defen[cs]e|lines?|positions?|around|along|within|inside|outskirts"
        # ISW's "advanced west of Shcherbynivka", "advanced northeast of Pokrovsk"
        r"|(?:north|south)?-?(?:east|west)?(?<=[a-z])\s+of)",
    ),
    (
        "arrests",
        ARRESTS,
        2,
        50,
        r"arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|detention|taken\s+into\s+custody|apprehend\w*",
    ),
    (
        "agreement",
        AGREEMENT,
        2,
        48,
        r"cease-?fire|truce|(?:signed|reached|concluded)\s+(?:an?\s+)?(?:[\w'’“”\"«»-]+\s+){0,2}agreements?"
        r"|prisoners?\s+(?:of\s+war\s+)?(?:exchange|swap)|(?:exchange|swap)\s+of\s+prisoners"
        r"|(?:exchanged|swapped|returned)\s+(?:[\w'’-]+\s+){0,2}?(?:prisoners|pows|captives|bodies)"
        r"|agreed\s+(?:[\w'’“”\"«»-]+\s+){0,3}"
        r"(?:corridor|exchange|ceasefire)",
    ),
    (
        "change",
        CHANGE,
        2,
        46,
        r"movement\s+of\s+forces|change\s+to\s+(?:armed\s+)?group|columns?\s+of\s+(?:[\w'’“”\"«»-]+\s+){0,3}"
        r"(?:vehicles|tanks|troops|equipment)|(?:military\s+)?convoys?|(?:moving|moved|heading|advancing)\s+towards?"
        r"|arrived\s+(?:in|to|at)|landed\s+(?:near|in|at)|deploy(?:ed|ment|ing)|redeploy\w*|reinforcements?"
        r"|massing|amass\w*|joined\s+(?:the\s+)?(?:[\w'’“”\"«»-]+\s+){0,3}(?:battalion|forces|brigade|defen[cs]e|ranks|unit)"
        r"|mobili[sz]ation|troops?\s+(?:were\s+)?(?:seen|spotted|stationed)",
    ),
    ("other", OTHER, 2, 40, r"displacement|evacuat\w+|displaced|refugees|fled|humanitarian\s+corridors?"),
    (
        "generic",
        SHELLING,
        1,
        30,
        r"attack(?:ed|s|ing)?|projectiles?|shell\b|strikes?\b|struck|hit(?:s|ting)?\b|targeted|explosions?|blasts?\b"
        r"|fired\s+(?:at|on|upon)|opened\s+fire|under\s+fire|destroy(?:ed|ing)|damag(?:ed|ing)"
        # "drone debris fell on a house": what an attack dropped ("falling debris damaged" already)
        r"|debris\s+(?:[\w'’-]+\s+){0,3}?(?:fell|landed|crashed)\b",
    ),
]

RULE_BY_NAME: dict[str, tuple[str, str, int, int, str]] = {r[0]: r for r in RULES}

# Scanned over ``_text.fold(text)`` (lower case, same length) without IGNORECASE,
# which is several times faster; the groups cap1/cap2/cap3 must be upper case in the
# original text (a proper name as the object of "captured"/"stormed").
TRIGGERS = re.compile(
    r"(?<!\w)(?:" + "|".join(f"(?P<{name}>{pat})" for name, _s, _st, _p, pat in RULES) + r")"
)
CASE_GROUPS = ("cap1", "cap2", "cap3")
#: Rules whose match must follow a capitalised name that does not open its sentence ("claims that
#: Robotyne had fallen"; not "Prices had fallen").
AFTER_NAME_RULES = frozenset({"fallen"})

# (weapon, family, pattern), most specific first: the first one found in a
# clause names the weapon of an event.
WEAPONS: list[tuple[str, str, str]] = [
    ("guided aerial bomb", "air", r"guided\s+(?:aerial\s+|air\s+)?bombs?|glide\s+bombs?|kabs?\b|umpk"),
    ("shahed drone", "air", r"shaheds?|gerans?(?:-2)?\b|shahed-136"),
    ("cluster munitions", "shelling", r"cluster\s+(?:munitions?|bombs?|shells?|rockets?)"),
    (
        "chemical weapon",
        "chemical",
        r"chemical\s+(?:weapons?|agents?|munitions?)|poison(?:ous)?\s+gas|chloropicrin",
    ),
    (
        "cruise missile",
        "shelling",
        r"cruise\s+missiles?|kalibrs?|kh-(?:101|555|55|22|59|31)|storm\s+shadows?|tomahawks?",
    ),
    (
        "ballistic missile",
        "shelling",
        r"ballistic\s+missiles?|iskanders?|kinzhals?|tochka(?:-u)?|kn-23|atacms",
    ),
    (
        "mlrs",
        "shelling",
        r"mlrs|multiple\s+(?:launch\s+)?rocket|rocket\s+launchers?|grads?\b|uragans?|smerch|"
        r"tornado-?s|himars|bm-\d+",
    ),
    ("drone", "air", r"drones?|uavs?|unmanned\s+aerial|bayraktars?|quadcopters?|lancets?|kamikaze"),
    (
        "aerial bomb",
        "air",
        r"aerial\s+bombs?|fab-\d+|bombs?\s+(?:was|were)\s+dropped|dropp\w+\s+(?:[\w'’“”\"«»-]+\s+){0,3}bombs?",
    ),
    ("missile", "shelling", r"missiles?|s-300"),
    ("mortar", "shelling", r"mortars?"),
    ("artillery", "shelling", r"artillery|howitzers?|shell(?:ed|ing|s)\b|cannon"),
    ("rocket", "shelling", _ROCKETS),
    (
        "mine",
        "explosive",
        r"land\s*-?mines?|(?:anti-?tank|anti-?personnel|naval)\s+mines?|\bmines?\b(?!\s+(?:and|of)\b)",
    ),
    ("ied", "explosive", r"\bieds?\b|improvised\s+explosive|explosive\s+devices?|car\s+bombs?"),
    ("grenade", "grenade", r"grenades?"),
    (
        "aircraft",
        "air",
        r"aircraft|warplanes?|fighter\s+jets?|jets?\b|planes?\b|helicopters?|aviation|air\s*strikes?|"
        r"airstrikes?|air\s+raids?|su-\d+|ka-52|mi-\d+",
    ),
    ("tank", "shelling", r"tanks?\s+(?:fire|shells?|fired)"),
    ("small arms", "clash", r"small\s+arms|machine\s*-?\s*guns?|rifles?|gunfire|sniper"),
]

WEAPON_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(f"(?P<w{i}>{pat})" for i, (_n, _f, pat) in enumerate(WEAPONS)) + r")"
)

#: Family of each weapon (which sub_event_type a generic attack with it is).
WEAPON_FAMILY: dict[str, str] = {name: fam for name, fam, _ in WEAPONS}
WEAPON_RANK: dict[str, int] = {name: i for i, (name, _f, _p) in enumerate(WEAPONS)}

FAMILY_SUB: dict[str, str] = {
    "air": AIR,
    "shelling": SHELLING,
    "explosive": EXPLOSIVE,
    "grenade": GRENADE,
    "clash": ARMED_CLASH,
    "chemical": CHEMICAL,
}
SUB_FAMILY: dict[str, str] = {v: k for k, v in FAMILY_SUB.items()}
SUB_FAMILY[DISRUPTED] = "air"  # what is shot down: drones first, then missiles

# A trigger preceded in its clause by one of these is not a reported event:
# forecasts, intentions, habits, conditions.
MODAL = re.compile(
    r"\b(?:would|will|shall|could|might|expect\w*|plan(?:s|ned|ning)?|aim(?:s|ed)?\s+(?:of|to|at)|intend\w*|"
    r"threat\w*|prepar\w*|in\s+order\s+to|trying\s+to|try\s+to|ready\s+to|possib\w*|forecast\w*|predict\w*|"
    r"prevent\w*|if|unless|fears?|feared|warn\w*|danger\s+of|risk\s+of|often|usually|regularly|always|likely|"
    r"potential\w*|hypothetical|capab\w+|going\s+to|about\s+to|want\w*\s+to|seeks?\s+to|vow\w*|promis\w*|"
    r"earlier\s+in\s+the\s+(?:month|year)|previously|since\s+taking|deterr\w*|justif\w*)\b",
    re.IGNORECASE,
)
#: Cues of needs, abilities and requests (added to :data:`MODAL`): "Ukraine needs long-range missiles
#: to ...", "artillery that has allowed Ukraine to strike ...", "urged ... to provide": what a party
#: needs, asks for or is enabled to do has not happened.
MODAL = re.compile(
    MODAL.pattern[:-3]
    + r"|needs?|needed|needing|allow(?:s|ed|ing)?\s+(?:[\w'’-]+\s+){0,2}to|enabl\w*|abilit\w+|able\s+to"
    + r"|anticipat\w*|conditions\s+for|should|must|urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+for"
    + r"|ask(?:s|ed|ing)?\s+for|request\w*|right\s+to|permission\s+to|permit\w*\s+(?:[\w'’-]+\s+){0,2}to)\b",
    re.IGNORECASE,
)

#: Materiel talk (general news, not incident reports): a weapon named as a thing supplied, sent,
#: needed, produced, stocked, bought, sold or sanctioned ("supplying long-range artillery", "a
#: delivery of Stinger missiles", "shortages of artillery shells", "the production of rockets")
#: is equipment, not a strike. Only a bare weapon noun (see :func:`weapon_noun`) is read against
#: these cues (:func:`materiel`); a verb of attack ("shelled", "struck") in the clause still reports a strike.
#: The words are matched whole (:data:`MATERIEL_WORDS`), by their start (:data:`MATERIEL_STARTS`)
#: or as phrases (:data:`MATERIEL_PHRASES`) in the lower-cased clause around the weapon noun; a word
#: split is ~4x faster than one alternation searched at every position.
MATERIEL_WORDS = frozenset(
    "send sends sending sent aid package assistance arms weapons demand sale sales sold bought budget "
    "billion classes type types model models fleet stationed pull pulls pulled pulling delivery deliveries "
    "deliver delivers delivered delivering supply supplies supplied supplying shipped shipping shipment "
    "shipments".split()
)
MATERIEL_STARTS = (
    *("provid", "transfer", "donat", "furnish", "equip", "shortage", "lack", "ration", "stock", "reserve"),
    *("inventor", "arsenal", "produc", "manufactur", "purchas", "buy", "acqui", "import", "export", "sell"),
    *("sanction", "spend", "spent", "possess", "withdr", "obtain", "receiv"),
)
MATERIEL_PHRASES = ("armed with", "short of", "range of")
_WORD = re.compile(r"[a-z]+")


def materiel(window: str) -> bool:
    """Does the lower-cased ``window`` talk about materiel (see :data:`MATERIEL_WORDS`)?"""
    for w in _WORD.findall(window):
        if w in MATERIEL_WORDS or w.startswith(MATERIEL_STARTS):
            return True
    return any(p in window for p in MATERIEL_PHRASES)


#: Warnings are not strikes: "rocket alarms every day", "the air raid alert was lifted".
WARNING_AFTER = re.compile(r"\s*-?\s*(?:alerts?|alarms?|sirens?|warnings?|shelters?)\b")

#: A forecast after the trigger: "an attack on Japan is imminent", "strikes were expected".
FORECAST_AFTER = re.compile(
    r"(?:\s+(?!(?:is|was|are|were)\b)[\w'’-]+){0,3}?\s+(?:is|was|are|were|would\s+be|will\s+be|seems?|seemed)\s+"
    r"(?:\w+\s+)?(?:imminent|expected|planned|looming|feared|inevitable"
    r"|(?:likely|possible|probable|unlikely)(?=\s*(?:[.,;:]|$)))\b"
)

#: A trigger word used as the modifier of a materiel noun names equipment or a figure of speech,
#: not an event: "attack drones", "battle tanks", "infantry fighting vehicles", "battle-tested
#: systems", "cannon fodder", "strike groups".
MODIFIER_AFTER = re.compile(
    r"\s*-?\s*(?:drones?|helicopters?|aircraft|jets?|planes?|submarines?|ships?|vessels?|vehicles?|tanks?"
    r"|groups?|tested|ready|fodder|brigades?|units?|capabilit\w+|systems?|weapons?|troops?|power|zones?"
    r"|potential|fatigue|experience|formations?|readiness|missiles?|munitions?|rockets?)\b"
)
#: A diplomatic protest is a note, not a demonstration: "summoned the ambassador in strong protest",
#: "lodged a protest with the embassy".
DIPLOMATIC_BEFORE = re.compile(
    r"(?:\b(?:strong|formal|diplomatic|official|firm|vigorous)\s+|\blodg\w+\s+(?:an?\s+)?(?:\w+\s+)?|\bnotes?\s+of\s+)$"
)
#: Prices rally by a figure: "the gas price rallies more than 10 percent" is a market, not a protest.
MARKET_AFTER = re.compile(r"\s+(?:(?:more|less)\s+than\s+|over\s+|nearly\s+|almost\s+|about\s+|by\s+)?\d")
#: A count of "hits" is a tally (web page hits), not strikes: "receiving 1.5 million hits a month".
TALLY_BEFORE = re.compile(r"(?:\bmillion|\bthousand|\bbillion|\d)\s+$")

#: Trigger words that may be such a modifier.
MODIFIER_WORDS = frozenset(
    {"attack", "battle", "fighting", "combat", "strike", "assault", "cannon", "cannons", "missile", "rocket"}
)


def weapon_noun(name: str, text: str) -> bool:
    """Is the trigger ``text`` of rule ``name`` a bare weapon noun ("artillery", "missiles")?

    Such a trigger reports a strike only where nothing says the weapon is materiel (see
    :func:`materiel`); verbs and event nouns ("shelled", "shelling", "bombardment") are not.
    """
    return name == "shelling" and not text.startswith(("shelled", "shelling", "bombard"))


NEGATION = re.compile(
    r"\b(?:no|not|never|nor|without|n't|neither)\s+(?:[\w'’“”\"«»-]+\s+){0,1}$", re.IGNORECASE
)

# Who acted: decides Government regains vs Non-state actor overtakes.
UKR_ACTOR = re.compile(
    r"\b(?:ukrainian|ukraine's|ukraine|zsu|afu|kyiv's|kiev's|government(?:al)?\s+forces|our\s+(?:forces|troops|"
    r"soldiers|defenders)|defenders|national\s+guard|territorial\s+defen[cs]e)\b",
    re.IGNORECASE,
)
RUS_ACTOR = re.compile(
    r"\b(?:russian|russia's|russia|dpr|lpr|separatists?|wagner|occupiers|occupying|invaders|pro-russian|rebels?|naf|"
    r"chechen|kadyrov\w*|donetsk\s+people's|luhansk\s+people's|enemy)\b",
    re.IGNORECASE,
)

# Stance cues.
DENIAL = re.compile(
    r"\b(?:den(?:ied|ies|y|ying|ial)|refut\w+|reject(?:ed|s)?\s+(?:the\s+)?(?:claims?|reports?)|(?:was|is|were|are)\s+"
    r"not\s+(?:the\s+case|true)|fake|imaginary|false|untrue|fabricat\w+|dismiss(?:ed|es)?\s+(?:[\w'’“”\"«»-]+\s+){0,2}"
    r"(?:claims?|reports?)|did\s+not\s+(?:happen|take\s+place)|disinformation|not\s+(?:been\s+)?confirmed|"
    r"no\s+truth)\b",
    re.IGNORECASE,
)
CLAIM = re.compile(
    r"\b(?:claim\w*|announc\w*|declar\w*|boast\w*|assert\w*|insist\w*|unconfirmed|unverified"
    # "Reuters could not independently verify the report": a party's word, not an established fact
    r"|could\s+not\s+(?:be\s+)?(?:independently\s+)?(?:verif\w+|confirm\w*))\b",
    re.IGNORECASE,
)
REPORTING = re.compile(
    r"\b(?:said|says|say|stated|reported|told|wrote|according\s+to|added|confirmed|detailed|indicated|noted)\b",
    re.IGNORECASE,
)

#: Sub-event types that are a party's success, so a party saying so is a claim.
SUCCESS_SUBS = frozenset({GOV_REGAINS, NSA_OVERTAKES, DISRUPTED, TRANSFER})

# Clause boundaries inside a sentence.
# (The lookahead names the first character every alternative needs: most positions fail at once.)
CLAUSE_SPLIT = re.compile(
    r"(?=[\s;:,])(?:\s*[;:]\s+|\s+(?:after|while|whereas|before|although|though|but)\s+"
    r"|,\s+(?:and|but|which|whereas)\s+"
    # "liberated Ugledar and continued the offensive towards Kurakhovo": a second verb, a second event
    r"|\s+and\s+(?=(?:continued|continues|pressed|kept|then)\s))",
    re.IGNORECASE,
)


# --- a prefilter for TRIGGERS ----------------------------------------------------------------
#
# Most sentences that name a place report nothing (on real news three in four): scanning them
# with the 30-rule TRIGGERS alternation is the events stage's main cost. A prefix automaton of the
# rules (:mod:`geomap._events_prefix`) names the word starts where a trigger may start: if none
# does, TRIGGERS cannot match, and where some do it is tried there only.


@lru_cache(maxsize=1)
def _trigger_prefix_automaton():  # noqa: ANN202 - pyahocorasick has no type stubs
    """The automaton of the shortest trigger prefixes (built in ~0.05 s), or None: always scan."""
    return _prefix_automaton(tuple(pat for _n, _s, _st, _p, pat in RULES))


@lru_cache(maxsize=1)
def _weapon_prefix_automaton():  # noqa: ANN202 - pyahocorasick has no type stubs
    """The automaton of the shortest weapon prefixes, or None: always scan."""
    return _prefix_automaton(tuple(pat for _n, _f, pat in WEAPONS))


def may_trigger(low: str) -> bool:
    """False only when ``TRIGGERS`` cannot match ``low`` (the lower-cased text it scans).

    Parameters
    ----------
    low : str
        The text as TRIGGERS scans it.

    Returns
    -------
    bool
        Whether some trigger prefix occurs at a word start (a necessary condition).
    """
    auto = _trigger_prefix_automaton()
    if auto is None:
        return True
    for _hit in auto.iter(_canon_text(low)):
        return True
    return False


def trigger_matches(low: str) -> list[re.Match[str]]:
    """``list(TRIGGERS.finditer(low))``, trying TRIGGERS only where a trigger prefix starts a word.

    ``finditer`` tries the 30-rule alternation at every position; a match can only start where
    the prefix automaton reports a prefix (the prefixes over-approximate), so matching at those
    positions, left to right and past each match's end, finds the same matches (about 4x faster).

    Parameters
    ----------
    low : str
        The text as TRIGGERS scans it.

    Returns
    -------
    list of re.Match
        The matches ``TRIGGERS.finditer(low)`` yields, in order.
    """
    return prefix_matches(TRIGGERS, _trigger_prefix_automaton(), low)


def weapon_matches(low: str) -> list[re.Match[str]]:
    """``list(WEAPON_RE.finditer(low))``, trying WEAPON_RE only where a weapon prefix starts a word.

    Like :func:`trigger_matches`: WEAPON_RE starts with ``(?<!\\w)`` too.
    """
    return prefix_matches(WEAPON_RE, _weapon_prefix_automaton(), low)


_trigger_prefix_automaton()  # built with the rules, at import, like TRIGGERS itself
_weapon_prefix_automaton()
