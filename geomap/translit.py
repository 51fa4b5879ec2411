"""Romanization variants of Ukrainian and Russian place names, and a phonetic skeleton.

The press spells one Ukrainian village in many ways: the 2010 national
romanization (Klishchiivka), the older BGN/PCGN style that GeoNames uses
(Kupyansk, Avdiyivka), French, German, Polish and Spanish renderings
(Klichtchiïvka, Awdijiwka, Czernihiw, Járkiv) and romanizations of the Russian
name (Kharkov, Artemovsk). :func:`romanizations` produces all of them from the
Cyrillic forms, so that the gazetteer can index every spelling a reader may
meet. Forms still not covered (Arabic-mediated "Kobyansk", "Rabutino") are
caught by :func:`skeleton`, a consonant key that ignores vowels and merges
letters that transliterations confuse.

Ukrainian schemes are written here (no library implements KMU 2010, and
unidecode applies Russian rules to Ukrainian letters); Russian schemes use the
``iuliia`` package, which must only be fed Russian text because it passes
``і ї є ґ`` through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import iuliia

from geomap._text import fold, norm_key

__all__ = [
    "is_cyrillic",
    "is_ukrainian",
    "is_russian",
    "kmu2010",
    "ru_from_uk",
    "romanizations",
    "skeleton",
    "oblast_adjectives",
    "adjective_stem",
    "name_stem",
    "SCHEME_QUALITY",
]

# --------------------------------------------------------------------------- detection

_CYR_LOWER = "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя"
_CYR_ALL = _CYR_LOWER + _CYR_LOWER.upper()
_APOS = "'ʼ’‘`´ʹʻ′"
_CYR_RE = re.compile(f"[{_CYR_ALL}]")
_UK_ONLY = set("іїєґІЇЄҐ")
_RU_ONLY = set("ыэёъЫЭЁЪ")
_CYR_VOWELS = "аеєиіїоуюяыэё"
# Patterns that only Ukrainian spelling produces: soft sign before к after с/ц
# (-ськ, -цьк), an apostrophe between letters (Куп'янськ), a neuter adjective
# or possessive ending in consonant + е (Опитне, Роботине; Russian has -ое, -о).
_UK_PATTERN = re.compile(
    f"[сц]ьк|[{_CYR_ALL}][{_APOS}][{_CYR_ALL}]|[бвгджзклмнпрстфхцчшщ]е(?![{_CYR_ALL}])|ьо",
    re.IGNORECASE,
)
_RU_PATTERN = re.compile(f"(?:ое|ая|ый|ой|ее|ье)(?![{_CYR_ALL}])", re.IGNORECASE)


def is_cyrillic(s: str) -> bool:
    """Tell whether ``s`` contains Cyrillic letters.

    Parameters
    ----------
    s : str
        Any text.

    Returns
    -------
    bool
        True when at least one Cyrillic letter (Ukrainian or Russian) occurs.
    """
    return bool(_CYR_RE.search(s))


def is_ukrainian(s: str) -> bool:
    """Tell whether ``s`` looks like Ukrainian Cyrillic.

    Parameters
    ----------
    s : str
        A name.

    Returns
    -------
    bool
        True for Cyrillic with a Ukrainian-only letter (і ї є ґ), or without
        Russian-only letters but with a Ukrainian spelling pattern (-ськ,
        an apostrophe between letters, a final consonant + е as in Опитне).
    """
    if not is_cyrillic(s):
        return False
    chars = set(s)
    if chars & _UK_ONLY:
        return True
    if chars & _RU_ONLY:
        return False
    return bool(_UK_PATTERN.search(s))


def is_russian(s: str) -> bool:
    """Tell whether ``s`` looks like Russian Cyrillic.

    Parameters
    ----------
    s : str
        A name.

    Returns
    -------
    bool
        True for Cyrillic with a Russian-only letter (ы э ё ъ), or without
        Ukrainian-only letters but with a Russian ending (-ое, -ая, -ый, -ой).
    """
    if not is_cyrillic(s):
        return False
    chars = set(s)
    if chars & _RU_ONLY:
        return True
    if chars & _UK_ONLY:
        return False
    return bool(_RU_PATTERN.search(s)) and not _UK_PATTERN.search(s)


# --------------------------------------------------------------------------- engine


def _case_like(src: str, out: str) -> str:
    """Give ``out`` the capitalisation of ``src`` (lower, Capitalised or UPPER)."""
    if not src or not src[0].isupper():
        return out
    if len(src) > 1 and src[1].isupper():
        return out.upper()
    return out[:1].upper() + out[1:]


def _table(pairs: dict[str, str]) -> dict[int, str]:
    """Translate table with upper-case keys added (``Ж`` -> ``Zh``)."""
    t: dict[int, str] = {}
    for k, v in pairs.items():
        t[ord(k)] = v
        up = k.upper()
        if up != k and len(up) == 1:
            t[ord(up)] = v[:1].upper() + v[1:]
    return t


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _rule(pattern: str, repl: dict[str, str]) -> _Rule:
    """A case-insensitive rewrite whose replacement is looked up by the lower-cased match."""
    rx = re.compile(pattern, re.IGNORECASE)

    def sub(m: re.Match[str]) -> str:
        src = m.group(0)
        return _case_like(src, repl[src.lower()])

    return rx, sub


class _Scheme:
    """A romanization: ordered context rules, then a per-letter table."""

    def __init__(self, rules: list[_Rule], letters: dict[str, str]) -> None:
        self.rules = rules
        self.table = _table(letters)

    def __call__(self, s: str) -> str:
        for rx, sub in self.rules:
            s = rx.sub(sub, s)
        out = s.translate(self.table)
        # An all-capitals word ("ЩАСТЯ") should stay all capitals after digraphs.
        if s.isupper() and len(s) > 1:
            out = out.upper()
        return out


# A position at the start of a word: no Cyrillic letter or apostrophe before.
_INIT = f"(?<![{_CYR_ALL}{_APOS}A-Za-z])"
# After a vowel, an apostrophe or a soft/hard sign: iotated letters are read [j]+vowel.
_AFTER_V = f"(?<=[{_CYR_VOWELS}{_CYR_VOWELS.upper()}{_APOS}ьъЬЪ])"
_APOS_DROP = {a: "" for a in _APOS}
_V_CLASS = f"[{_CYR_VOWELS}{_CYR_VOWELS.upper()}]"

_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ы": "y", "э": "e", "ё": "io", "ъ": "",
}

# KMU 2010 (Cabinet of Ministers resolution No. 55, 27 January 2010): є ї й ю я
# are ye yi y yu ya at the start of a word and ie i i iu ia elsewhere; зг is zgh
# (to keep it apart from ж = zh); the soft sign and the apostrophe are dropped.
_KMU = _Scheme(
    [
        _rule(f"{_INIT}[єїйюя]", {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}),
        _rule("зг", {"зг": "zgh"}),
    ],
    {**_COMMON, "є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia", **_APOS_DROP},
)

# BGN/PCGN 1965 for Ukrainian, as in most GeoNames names: iotated letters always
# ye yi yu ya, й is y (Kryvyy), the soft sign and apostrophe are written ' (Mar'yinka).
_BGN_UK = _Scheme(
    [],
    {**_COMMON, "є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya", "ь": "'",
     **{a: "'" for a in _APOS}},
)

# French press usage (Le Monde, AFP): ou, j for ж, ch for ш, tch, chtch, ï,
# ss for с between vowels (Lyssytchansk).
_FR_UK = _Scheme(
    [_rule(f"(?<={_V_CLASS})с(?={_V_CLASS})", {"с": "ss"})],
    {**_COMMON, "ж": "j", "у": "ou", "ч": "tch", "ш": "ch", "щ": "chtch", "є": "ie", "ї": "ï",
     "й": "ï", "ю": "iou", "я": "ia", **_APOS_DROP},
)

# German (Duden-style): w for в, s for з, sch for ж/ш, tsch, schtsch, z for ц,
# ch for х, j for й and iotation, ss between vowels (Lyssytschansk).
_DE_UK = _Scheme(
    [_rule(f"(?<={_V_CLASS})с(?={_V_CLASS})", {"с": "ss"})],
    {**_COMMON, "в": "w", "ж": "sch", "з": "s", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
     "щ": "schtsch", "є": "je", "ї": "ji", "й": "j", "ю": "ju", "я": "ja", **_APOS_DROP},
)

# Polish: w, ż, ch, c, cz, sz, szcz; ł for hard л; iotated letters ja/ju/je at the
# start or after a vowel and ia/iu/ie after a consonant (la/lu/le after л);
# soft sign softens the consonant (ць -> ć, нь -> ń, сь -> ś, зь -> ź).
_PL_COMMON_RULES = [
    _rule("л[яюєё]", {"ля": "la", "лю": "lu", "лє": "le", "лё": "lo"}),
    _rule(f"{_INIT}[яюєё]|{_AFTER_V}[яюєё]", {"я": "ja", "ю": "ju", "є": "je", "ё": "jo"}),
    _rule("[цнсзл]ь", {"ць": "ć", "нь": "ń", "сь": "ś", "зь": "ź", "ль": "l"}),
    _rule("л(?=[іїь])", {"л": "l"}),
]
_PL_LETTERS = {
    **_COMMON, "в": "w", "ж": "ż", "л": "ł", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz",
    "щ": "szcz", "є": "ie", "ї": "ji", "й": "j", "ю": "iu", "я": "ia", "ё": "io", **_APOS_DROP,
}
_PL_UK = _Scheme(_PL_COMMON_RULES, _PL_LETTERS)

# Spanish press (EFE, El País): j for х, i for и, y for initial iotation.
_ES_UK = _Scheme(
    [_rule(f"{_INIT}[єїйюя]", {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"})],
    {**_COMMON, "х": "j", "и": "i", "є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia",
     **_APOS_DROP},
)

# Russian press English (Reuters/AP before 2019): e for е except at the start
# (Yenakievo), ya/yu, y for ь before a vowel (Zaporozhye), -iy/-y adjective
# endings (Krasny, Krivoy).
_RU_PRESS = _Scheme(
    [
        _rule(f"{_INIT}е", {"е": "ye"}),
        _rule("[ьъ](?=[еёяюи])", {"ь": "y", "ъ": "y"}),
        _rule(f"ый(?![{_CYR_ALL}])", {"ый": "y"}),
    ],
    {**_COMMON, "г": "g", "и": "i", "й": "y", "е": "e", "ё": "e", "ю": "yu", "я": "ya",
     **_APOS_DROP},
)

# German from Russian: je/jo at the start or after a vowel, i for и, y for ы.
_DE_RU = _Scheme(
    [
        _rule(f"(?<={_V_CLASS})с(?={_V_CLASS})", {"с": "ss"}),
        _rule(f"{_INIT}[её]|{_AFTER_V}[её]", {"е": "je", "ё": "jo"}),
        _rule("(?<=[жшчщЖШЧЩ])ё", {"ё": "o"}),
    ],
    {**_COMMON, "г": "g", "в": "w", "ж": "sch", "з": "s", "х": "ch", "ц": "z", "ч": "tsch",
     "ш": "sch", "щ": "schtsch", "и": "i", "й": "j", "ё": "jo", "ю": "ju", "я": "ja",
     **_APOS_DROP},
)

# Polish from Russian: as Polish from Ukrainian, but е after a consonant is ie
# (Siewierodonieck), и is i (y after hard ж ш ц), ы is y.
_PL_RU = _Scheme(
    [
        _rule("(?<=[бвдзкмнпрстфБВДЗКМНПРСТФ])е", {"е": "ie"}),
        _rule(f"{_INIT}е|{_AFTER_V}е", {"е": "je"}),
        _rule("(?<=[жшцЖШЦ])и", {"и": "y"}),
        *_PL_COMMON_RULES,
        _rule("л(?=[еи])", {"л": "l"}),
    ],
    {**_PL_LETTERS, "г": "g", "и": "i", "й": "j", "ё": "io"},
)

# Spanish from Russian: j for х, i for и, y for initial iotation (Járkov, Jersón).
_ES_RU = _Scheme(
    [_rule(f"{_INIT}[еёюя]", {"е": "ye", "ё": "yo", "ю": "yu", "я": "ya"})],
    {**_COMMON, "г": "g", "х": "j", "и": "i", "й": "i", "е": "e", "ё": "io", "ю": "iu",
     "я": "ia", **_APOS_DROP},
)

_IULIIA: dict[str, object] = {
    "ru_bgn": iuliia.BGN_PCGN,
    "ru_wiki": iuliia.WIKIPEDIA,
    "ru_iso9": iuliia.GOST_779,
    "ru_sci": iuliia.SCIENTIFIC,
    "ru_fr": iuliia.MVD_310_FR,
}

#: Quality of each scheme (how likely a reader meets the spelling), 0-1.
SCHEME_QUALITY: dict[str, float] = {
    "kmu2010": 0.97,
    "bgn_uk": 0.92,
    "fr_uk": 0.8,
    "de_uk": 0.8,
    "pl_uk": 0.8,
    "es_uk": 0.78,
    "ru_bgn": 0.9,
    "ru_wiki": 0.9,
    "ru_press": 0.85,
    "ru_fr": 0.8,
    "ru_iso9": 0.7,
    "ru_sci": 0.7,
    "de_ru": 0.75,
    "pl_ru": 0.75,
    "es_ru": 0.75,
}

_UK_SCHEMES: list[tuple[str, Callable[[str], str]]] = [
    ("kmu2010", _KMU),
    ("bgn_uk", _BGN_UK),
    ("fr_uk", _FR_UK),
    ("de_uk", _DE_UK),
    ("pl_uk", _PL_UK),
    ("es_uk", _ES_UK),
]


def _iuliia_fn(schema: object) -> Callable[[str], str]:
    def run(s: str) -> str:
        out: str = schema.translate(s)  # type: ignore[attr-defined]
        if is_cyrillic(out):
            # Some schemas leave ё untouched; fall back to е.
            out = schema.translate(s.replace("ё", "е").replace("Ё", "Е"))  # type: ignore[attr-defined]
        return out

    return run


_RU_SCHEMES: list[tuple[str, Callable[[str], str]]] = [
    ("ru_bgn", _iuliia_fn(_IULIIA["ru_bgn"])),
    ("ru_wiki", _iuliia_fn(_IULIIA["ru_wiki"])),
    ("ru_press", _RU_PRESS),
    ("ru_fr", _iuliia_fn(_IULIIA["ru_fr"])),
    ("ru_iso9", _iuliia_fn(_IULIIA["ru_iso9"])),
    ("ru_sci", _iuliia_fn(_IULIIA["ru_sci"])),
    ("de_ru", _DE_RU),
    ("pl_ru", _PL_RU),
    ("es_ru", _ES_RU),
]


def kmu2010(uk: str) -> str:
    """Romanize Ukrainian Cyrillic by the official national system (KMU 2010).

    Parameters
    ----------
    uk : str
        Ukrainian Cyrillic text ("Кліщіївка", "Куп'янськ").

    Returns
    -------
    str
        The romanization with capitalisation kept ("Klishchiivka", "Kupiansk").
        Non-Cyrillic characters pass through.
    """
    return _KMU(uk)


# --------------------------------------------------------------------------- Russian from Ukrainian

_END = f"(?![{_CYR_ALL}])"
_HARD = "бвдзлмнпрстф"
# Word roots whose Russian form differs irregularly but often in place names
# (from general knowledge of Ukrainian/Russian toponymy). Applied at a word
# start or after a compound link vowel (Ново-, Старо-).
_ROOTS = {
    "кам'ян": "камен", "олекс": "алекс",
    "микол": "никол", "опит": "опыт", "рибн": "рыбн", "біл": "бел", "світл": "светл",
    "ліс": "лес", "піск": "песк", "піщ": "песч", "пісоч": "песоч", "сіл": "сел",
    "дніпр": "днепр", "сонячн": "солнечн", "хутір": "хутор", "вільн": "вольн",
    "кривий": "кривой", "щаст": "счаст", "глиб": "глуб", "дібров": "дубрав", "козач": "казач",
    "комиш": "камыш", "жовто": "желто", "безімен": "безымян", "запоріжжя": "запорожье",
}
_ROOT_ALT = "|".join(sorted(map(re.escape, _ROOTS), key=len, reverse=True))
_ROOT_RX = re.compile(f"(?:(?<![{_CYR_ALL}{_APOS}])|(?<=о))(?:{_ROOT_ALT})", re.IGNORECASE)

_APOS_RX = re.compile(f"[{_APOS}]")
_RU_FROM_UK_RULES: list[_Rule] = [
    # -ʼя, -ʼє and a doubled consonant + я at the end are Russian -ье (Підгірʼя -> Подгорье,
    # Суходілля -> Суходолье, Остапʼє -> Остапье).
    _rule(f"'[яє]{_END}", {"'я": "ье", "'є": "ье"}),
    _rule(f"(?:бб|вв|дд|жж|зз|лл|нн|рр|сс|тт|цц|чч|шш)я{_END}",
          {c + c + "я": c + "ье" for c in "бвджзлнрстцчш"}),
    # Apostrophe: nothing after labials (Купянск), ь after р (Марьинка), ъ after a prefix.
    _rule("(?<=[бпвмфБПВМФ])'", {"'": ""}),
    _rule("(?<=[рР])'", {"'": "ь"}),
    _rule(f"'(?=[{_CYR_ALL}])", {"'": "ъ"}),
    # Prefix під- is под-.
    _rule(f"{_INIT}під", {"під": "под"}),
    # -ськ, -цьк -> -ск, -цк.
    _rule("(?<=[сцСЦ])ь(?=[кК])", {"ь": ""}),
    # Closed syllable: -ів -> -ов (-ев after soft/sibilant), -їв -> -ев, also before -ка, -ськ, -ці;
    # final -іг, -ір -> -ог, -ор (Ріг, Хутір).
    _rule("(?<=[жчшщцйЖЧШЩЦЙ])ів(?=(?:ка|ськ|ск|ці|)(?![а-яіїєґ]))", {"ів": "ев"}),
    _rule("ів(?=(?:ка|ськ|ск|ці|ц[яі])?(?![а-яіїєґ]))", {"ів": "ов"}),
    _rule("ів(?=(?:ськ|ск))", {"ів": "ов"}),
    _rule("ії", {"ії": "ее"}),
    _rule("їв(?=(?:ка|ськ|ск)?(?![а-яіїєґ]))", {"їв": "ев"}),
    _rule(f"і(?=[гр]{_END})", {"і": "о"}),
    _rule("ьов", {"ьов": "ев"}),
    # Adjective and possessive endings: -ине -> -ино, -ове -> -овое, consonant + е -> -ое.
    _rule(f"ине{_END}", {"ине": "ино"}),
    _NEUTER := _rule(f"(?<=[бвгджзклмнпрстфхцчшщБВГДЖЗКЛМНПРСТФХЦЧШЩ])е{_END}", {"е": "ое"}),
    _rule(f"(?<=[{_HARD}])ий{_END}", {"ий": "ый"}),
    _rule(f"(?<=[сцнСЦН])ька{_END}|(?<=[сц])ка{_END}", {"ька": "кая", "ка": "кая"}),
    _rule(f"нна{_END}", {"нна": "нная"}),
    _rule(f"(?<=[нвлрдНВЛРД])а(?=[ -][{_CYR_ALL}])|(?<=ик)а(?=[ -][{_CYR_ALL}])", {"а": "ая"}),
    _rule(f"(?<=[кгхжчшщнКГХЖЧШЩН])і(?=[ -][{_CYR_ALL}])", {"і": "ие"}),
    _rule(f"(?<=[{_HARD}])і(?=[ -][{_CYR_ALL}])", {"і": "ые"}),
    _rule(f"є{_END}", {"є": "ее"}),
    # Plural -и after a hard consonant -> -ы (Суми -> Сумы); -ці -> -цы.
    _rule(f"(?<=[{_HARD}цЦ])и{_END}|(?<=[цЦ])і{_END}", {"и": "ы", "і": "ы"}),
    _rule("ьо", {"ьо": "е"}),
    _rule(f"{_INIT}е", {"е": "э"}),
    _rule(f"{_INIT}і", {"і": "и"}),
]
# The remaining і is Russian е more often than и (Зарічне -> Заречное, Мілове ->
# Меловое; measured on GeoNames pairs); the и reading is kept as a second candidate.
_RU_FROM_UK_TABLE = _table({"і": "е", "ї": "и", "є": "е", "ґ": "г"})
_RU_FROM_UK_TABLE_I = _table({"і": "и", "ї": "и", "є": "е", "ґ": "г"})
# The second reading of ambiguous endings: -ове, -еве are adjectives (-овое) or possessives (-ово).
_RU_ALT_END = re.compile(f"(?<=[оеОЕ])вое{_END}")


@lru_cache(maxsize=100_000)
def _ru_candidates(uk: str) -> tuple[str, ...]:
    """Likely Russian forms of a Ukrainian name, most likely first (at most 4)."""
    if not is_cyrillic(uk) or (set(uk) & _RU_ONLY):
        return ()
    base = _APOS_RX.sub("'", uk)
    base = _ROOT_RX.sub(lambda m: _case_like(m.group(0), _ROOTS[m.group(0).lower()]), base)
    s = noun = base
    for rule in _RU_FROM_UK_RULES:
        s = rule[0].sub(rule[1], s)
        if rule is not _NEUTER:
            noun = rule[0].sub(rule[1], noun)
    first = s.translate(_RU_FROM_UK_TABLE)
    # A final -е is an adjective's (Опитне -> Опытное) or a noun's (Гуляйполе stays Гуляйполе):
    # the noun reading comes last.
    out = [first, s.translate(_RU_FROM_UK_TABLE_I), _RU_ALT_END.sub("во", first)]
    out.append(noun.translate(_RU_FROM_UK_TABLE))
    return tuple(dict.fromkeys(out))


def ru_from_uk(uk: str) -> str | None:
    """Guess the Russian Cyrillic form of a Ukrainian name by regular correspondences.

    Parameters
    ----------
    uk : str
        Ukrainian Cyrillic name ("Андріївка", "Опитне").

    Returns
    -------
    str or None
        The likely Russian form ("Андреевка", "Опытное"), or None when ``uk``
        is not Cyrillic or is already Russian.

    Notes
    -----
    Rules: і -> е (и at a word start; о in a closed -ів, -іг, -ір), ї -> и (е in
    -їв), є -> е, ґ -> г, -е -> -ое after a consonant, -ине -> -ино, -ий -> -ый
    after a hard consonant, -ськ -> -ск, adjectives in multi-word names
    (Мала -> Малая, Нові -> Новые), apostrophe -> nothing, ь or ъ; plus a few
    common irregular roots (Олекс- -> Алекс-, Микол- -> Никол-). Measured
    exact agreement with GeoNames Russian forms is reported in the project notes.
    """
    cands = _ru_candidates(uk)
    return cands[0] if cands else None


# --------------------------------------------------------------------------- all variants


_STRESS = str.maketrans({"\u0301": None, "\u0300": None})


def romanizations(name_uk: str | None, name_ru: str | None) -> list[tuple[str, str, float]]:
    """All Latin spellings of a place name, best first.

    Parameters
    ----------
    name_uk : str or None
        Ukrainian Cyrillic name.
    name_ru : str or None
        Russian Cyrillic name. When missing, it is guessed with
        :func:`ru_from_uk` and its variants get 0.95 times their quality.

    Returns
    -------
    list of (str, str, float)
        ``(variant, scheme, quality)``, one per distinct :func:`geomap._text.norm_key`,
        sorted by decreasing quality. Schemes: kmu2010, bgn_uk, fr_uk, de_uk,
        pl_uk, es_uk (from Ukrainian); ru_bgn, ru_wiki, ru_press, ru_fr,
        ru_iso9, ru_sci, de_ru, pl_ru, es_ru (from Russian).
    """
    # Stress marks (Абле́ш in GeoNames) are not part of the spelling.
    uk = name_uk.translate(_STRESS) if name_uk else None
    ru = name_ru.translate(_STRESS) if name_ru else None
    return list(_romanizations(uk, ru))


@lru_cache(maxsize=200_000)
def _romanizations(name_uk: str | None, name_ru: str | None) -> tuple[tuple[str, str, float], ...]:
    best: dict[str, tuple[str, str, float]] = {}

    def add(variant: str, scheme: str, q: float) -> None:
        variant = variant.strip()
        if not variant or is_cyrillic(variant):
            return
        key = norm_key(variant)
        old = best.get(key)
        if old is None or q > old[2]:
            best[key] = (variant, scheme, q)

    if name_uk and is_cyrillic(name_uk):
        for scheme, fn in _UK_SCHEMES:
            add(fn(name_uk), scheme, SCHEME_QUALITY[scheme])
    if name_ru and is_cyrillic(name_ru):
        russian = [(name_ru, 1.0)]
    elif name_uk:
        # Guessed Russian forms: the first at 0.95 of the scheme quality, the others at 0.9.
        russian = [(r, 0.95 if i == 0 else 0.9) for i, r in enumerate(_ru_candidates(name_uk))]
    else:
        russian = []
    for ru, factor in russian:
        for scheme, fn in _RU_SCHEMES:
            add(fn(ru), scheme, round(SCHEME_QUALITY[scheme] * factor, 4))
    return tuple(sorted(best.values(), key=lambda v: -v[2]))


# --------------------------------------------------------------------------- skeleton

# Before folding: letters whose caron/dot carries the sound (ž = zh, š = sh).
_PRE = str.maketrans({"ž": "zh", "ż": "zh", "Ž": "zh", "Ż": "zh", "š": "sh", "Š": "sh",
                      "č": "ch", "Č": "ch", "ć": "ts", "Ć": "ts", "ß": "ss", "ŝ": "shch"})
# Longest first. Classes: C = sh/ch family (ш ч щ in every language), J = ж,
# H = kh/g/h (х г), P = p/b, V = f/v/w, S = s/z (German s is з), K = k/q/ck.
_CLUSTERS = [
    ("schtsch", "C"), ("shtsh", "C"), ("chtch", "C"), ("shch", "C"), ("szcz", "C"), ("tsch", "C"),
    ("sch", "C"), ("tch", "C"), ("sh", "C"), ("ch", "C"), ("sz", "C"), ("cz", "C"), ("zh", "J"),
    ("kh", "H"), ("ph", "V"), ("ck", "K"), ("tz", "TS"), ("ts", "TS"), ("x", "KS"),
]
_CLUSTER_RX = re.compile("|".join(re.escape(a) for a, _ in _CLUSTERS))
_CLUSTER_MAP = dict(_CLUSTERS)
_SINGLE = str.maketrans({
    "b": "P", "p": "P", "f": "V", "v": "V", "w": "V", "g": "H", "h": "H", "j": "J", "z": "S",
    "s": "S", "c": "TS", "q": "K", "k": "K",
    "a": "", "e": "", "i": "", "o": "", "u": "", "y": "", "'": "",
})
_NONWORD = re.compile(r"[^a-z' ]+")
_DOUBLE = re.compile(r"(.)\1+")
_LEAD_VOWEL = re.compile(r"^[aeiouy]+")


@lru_cache(maxsize=300_000)
def skeleton(s: str) -> str:
    """Phonetic consonant key of a name, shared by its transliteration variants.

    Parameters
    ----------
    s : str
        A Latin name in any romanization ("Kobyansk", "Klichtchiïvka"); a
        Cyrillic name is romanized with KMU 2010 first.

    Returns
    -------
    str
        Upper-case consonant classes per word, words joined by a space; a
        leading vowel becomes ``A``. ``skeleton("Kupiansk") == skeleton("Kobyansk")
        == "KPNSK"``; ``skeleton("Opytne") == skeleton("Obitny") == "APTN"``.
    """
    if is_cyrillic(s):
        s = kmu2010(s.translate(_STRESS))
    s = fold(s.translate(_PRE))
    s = _NONWORD.sub(" ", s.replace("-", " "))
    words = []
    for w in s.split():
        w = w.replace("'", "")
        lead = "A" if _LEAD_VOWEL.match(w) else ""
        w = _CLUSTER_RX.sub(lambda m: _CLUSTER_MAP[m.group(0)], w)
        w = _DOUBLE.sub(r"\1", (lead + w.translate(_SINGLE)).upper())
        if w:
            words.append(w)
    return " ".join(words)


# Vowels kept as three classes (Arabic-mediated spellings keep a/i/u only): a o u -> A, e i y -> I.
_VOWEL_CLASSES = str.maketrans({
    "b": "P", "p": "P", "f": "V", "v": "V", "w": "V", "g": "H", "h": "H", "j": "I", "z": "S",
    "s": "S", "c": "TS", "q": "K", "k": "K", "a": "A", "o": "A", "u": "A", "e": "I", "i": "I", "y": "I",
    "'": "",
})


@lru_cache(maxsize=300_000)
def phonetic_form(s: str) -> str:
    """The skeleton's consonant classes with vowels reduced to two classes.

    Used to grade a skeleton match: "Kobyansk" and "Kupiansk" give the same
    form, "Rabutino" and "Robotyne" differ by one final vowel, while
    "Ilyeshchenkovo" and "Ilchenkove" differ by a whole syllable.
    """
    if is_cyrillic(s):
        s = kmu2010(s.translate(_STRESS))
    s = fold(s.translate(_PRE))
    s = _NONWORD.sub(" ", s.replace("-", " "))
    words = []
    for w in s.split():
        w = _CLUSTER_RX.sub(lambda m: _CLUSTER_MAP[m.group(0)], w.replace("'", ""))
        w = _DOUBLE.sub(r"\1", w.translate(_VOWEL_CLASSES).upper())
        if w:
            words.append(w)
    return " ".join(words)


def phonetic_similarity(a: str, b: str) -> float:
    """Normalised edit similarity (0..1) of the phonetic forms of two names."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.normalized_similarity(phonetic_form(a), phonetic_form(b))


# --------------------------------------------------------------------------- oblast adjectives

# Ukrainian and Russian name an oblast by an adjective ("Харківська область", "Харьковская область"),
# and so does the press that translates them: "Kharkivska", "Kharkovskaya", Polish "obwód charkowski",
# "Chmielnicki", "Poltawski": the feminine form (область) and the Polish masculine one (obwód).
_ADJ_UK_FEM = re.compile(r"ька$")
_ADJ_RU_FEM = re.compile(r"кая$")
#: Quality factor of an oblast's bare adjective against its full name ("Kharkivska oblast").
ADJECTIVE_FACTOR = 0.9
# Polish writes the masculine adjective -ski/-cki where the transliteration of -ский/-ський gives -skij/-skyj.
_PL_MASC = re.compile(r"(?<=k)(?:ij|yj)$")
#: The ending of an oblast adjective on a Latin form: s + k + a feminine ending of any romanization
#: (-ska, -skaya, -skaja, -skaia) or the Polish masculine -ski; -cka, -cki, -zka after the stem's c/z.
#: Not -ka alone ("Poltavka", "Andriivka" are villages), the neuter -ske ("Poltavske", a village), nor
#: the Ukrainian and Russian masculine -skyi, -skiy ("Kyivskyi": a raion or a city district).
_ADJ_ENDING = re.compile(r"(?:s|(?<=[cz]))k(?:aya|aja|aia|a|i)$", re.I)
_APOS_RE = re.compile(f"[{_APOS}ʹ]")


def oblast_adjectives(name_uk: str | None, name_ru: str | None) -> list[tuple[str, str, float]]:
    """Latin spellings of the adjective an oblast is named by, best first.

    Parameters
    ----------
    name_uk : str or None
        The oblast's Ukrainian name ("Харківська область").
    name_ru : str or None
        Its Russian name ("Харьковская область").

    Returns
    -------
    list of (str, str, float)
        ``(form, scheme, quality)``: the feminine form in every romanization of
        :func:`romanizations` ("Kharkivska", "Kharkovskaya", "Charkowskaja") and the Polish
        masculine form ("Charkowski", "Chmielnicki", "Poltawski"), at
        :data:`ADJECTIVE_FACTOR` times the scheme's quality. Empty when the name is not an
        adjective (Crimea, the cities with special status).
    """
    adj_uk = name_uk.split()[0] if name_uk and name_uk.split() else ""
    adj_ru = name_ru.split()[0] if name_ru and name_ru.split() else ""
    adj_uk = adj_uk if _ADJ_UK_FEM.search(adj_uk) else ""
    adj_ru = adj_ru if _ADJ_RU_FEM.search(adj_ru) else ""
    if not adj_uk and not adj_ru:
        return []
    pairs = [
        (adj_uk or None, adj_ru or None),
        (_ADJ_UK_FEM.sub("ький", adj_uk) or None, _ADJ_RU_FEM.sub("кий", adj_ru) or None),
    ]
    best: dict[str, tuple[str, str, float]] = {}
    for masculine, (uk, ru) in enumerate(pairs):
        for form, scheme, q in romanizations(uk, ru):
            if not masculine:
                forms = [form]
            elif scheme.startswith(("pl_", "de_")) and _PL_MASC.search(form):
                # Only Polish names the oblast (obwód) with the masculine: Ukrainian and Russian
                # "Kyivskyi", "Kharkovskiy" name a raion or a city district (район). (A Polish form
                # folds to the German one: "Połtawskij" is kept as "Poltawskij", de_ru.)
                forms = [_PL_MASC.sub("i", form)]
            else:
                continue
            for f in forms:
                key = norm_key(f)
                if key not in best or best[key][2] < q * ADJECTIVE_FACTOR:
                    best[key] = (f, scheme, round(q * ADJECTIVE_FACTOR, 3))
    return sorted(best.values(), key=lambda v: -v[2])


@lru_cache(maxsize=65_536)  # asked for every mention; the same names recur in every article
def adjective_stem(word: str) -> str | None:
    """The stem of a Latin adjectival place form ("Poltawski" -> "Poltaw"), or None if it is none.

    Neuter forms (-ske, -skoye: "Poltavske" is a village's name) and the Ukrainian and Russian
    masculine ones (-skyi, -skiy: a raion's name) are not oblast adjectives.
    """
    word = _APOS_RE.sub("", fold(word))
    m = _ADJ_ENDING.search(word)
    if not m or m.start() < 3:
        return None
    return word[: m.start()]


def name_stem(word: str) -> str:
    """A noun place form without its final vowels ("Chmielnica" -> "Chmielnic", "Poltava" -> "Poltav")."""
    return re.sub(r"[aeiouyąęіїаеиоуяюыэ]+$", "", word, flags=re.I) or word
