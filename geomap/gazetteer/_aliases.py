"""Name forms of a place: script detection, Cyrillic name choice, romanizations, index keys.

Private to :mod:`geomap.gazetteer`. Everything here turns names into other
names or keys; nothing reads sources or writes files.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geomap._text import whole_word_keys
from geomap.gazetteer._records import ALTERNATE, OFFICIAL, Rec, norm_key

_LATIN_RX = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_CYR_RX = re.compile("[\u0400-\u052f]")
_ASCII_ALPHA_RX = re.compile("[A-Za-z]")

#: Letters only Ukrainian Cyrillic has.
UK_LETTERS = set("іїєґІЇЄҐ")
_OTHER_CYRILLIC = set("ўЎјЈљЉњЊћЋџЏђЂѓЃќЌѕЅӣӯҳқғҷӑӗҫ")

#: World-layer places (outside Ukraine and the Russian regions near it) enter the recognition
#: automaton only when they are towns (their name) or cities (also English-looking alternates):
#: villages abroad are not what war news names, and they would double the automaton's memory.
WORLD_SCAN_MIN_POP = 5000
WORLD_SCAN_ALT_MIN_POP = 50000


@lru_cache(maxsize=1 << 20)
def script_of(s: str) -> str:
    """The script of a name.

    Parameters
    ----------
    s : str
        A name.

    Returns
    -------
    str
        'latin', 'cyrillic', 'mixed' (Latin and Cyrillic) or 'other'.
    """
    if s.isascii():
        return "latin" if _ASCII_ALPHA_RX.search(s) else "other"
    latin = bool(_LATIN_RX.search(s))
    cyr = bool(_CYR_RX.search(s))
    rest = _CYR_RX.sub("", _LATIN_RX.sub("", s))
    if any(c.isalpha() for c in rest):
        return "other"
    if latin and cyr:
        return "mixed"
    if cyr:
        return "cyrillic"
    return "latin" if latin else "other"


def pick_cyrillic(cands: list[str], latin_name: str, tr: Any) -> tuple[str | None, str | None]:
    """Choose the Ukrainian and the Russian Cyrillic name among untagged alternates.

    Parameters
    ----------
    cands : list of str
        Cyrillic alternate names.
    latin_name : str
        The place's Latin name (a Ukrainian romanization for Ukrainian places).
    tr : module
        :mod:`geomap.translit`.

    Returns
    -------
    tuple of (str or None, str or None)
        ``(name_uk, name_ru)``; never the same string twice.
    """
    from rapidfuzz.fuzz import ratio

    # Belarusian (ў) and South Slavic (ј љ њ ...) names are neither Ukrainian nor Russian.
    cands = [c for c in cands if not _OTHER_CYRILLIC.intersection(c)]
    uk = [c for c in cands if tr.is_ukrainian(c)]
    ru = [c for c in cands if tr.is_russian(c)]
    neutral = [c for c in cands if not tr.is_ukrainian(c) and not tr.is_russian(c)]
    target = norm_key(latin_name)

    def best(options: list[str], floor: float) -> str | None:
        scored = [(ratio(norm_key(tr.kmu2010(o)), target), -len(o), o) for o in options]
        scored = [s for s in scored if s[0] >= floor]
        return max(scored)[2] if scored else None

    # Ukrainian-only letters or spelling make a name Ukrainian; else a neutral one that romanizes
    # like the GeoNames name (which is a Ukrainian romanization for Ukrainian places).
    name_uk = best(uk, 60) or best(neutral, 80)
    name_ru = best(ru, 50) or best([c for c in neutral if c != name_uk], 75)
    if name_ru is not None and name_ru == name_uk:
        name_ru = None
    return name_uk, name_ru


#: A Russian word-initial Е is "Ye" in BGN/PCGN and "E" in ISO 9, French and most press
#: (Еленовка: Yelenovka, Elenovka). GeoNames often holds only the BGN form of a Ukrainian place's
#: Russian name and no Russian Cyrillic to romanize again, so the E form is made from the Latin one.
_YE_RX = re.compile(r"\bYe(?=[a-z])")
E_FOR_YE = 0.75


def _e_for_ye(name: str) -> str | None:
    """The E-initial form of a BGN-style Latin name ('Yelenovka' -> 'Elenovka'); None if it has no Ye."""
    out = _YE_RX.sub("E", name)
    return out if out != name else None


def add_ua_names(rec: Rec, name: str, alternates: Iterable[str], tr: Any) -> None:
    """Add a Ukrainian place's Latin and Cyrillic alternates; fill name_uk/name_ru if unset.

    Parameters
    ----------
    rec : Rec
        The place.
    name : str
        Its GeoNames name (guides the Cyrillic choice).
    alternates : iterable of str
        GeoNames alternate names.
    tr : module
        :mod:`geomap.translit`.
    """
    cyr: list[str] = []
    for a in alternates:
        sc = script_of(a)
        if sc == "latin":
            rec.add(a, "alternate", ALTERNATE)
            rec.add(_e_for_ye(a), "ru_e", E_FOR_YE)
        elif sc == "cyrillic":
            cyr.append(a)
            rec.add(a, "alternate", ALTERNATE)
    if rec.name_uk is None or rec.name_ru is None:
        uk, ru = pick_cyrillic(cyr, name, tr)
        rec.name_uk = rec.name_uk or uk
        rec.name_ru = rec.name_ru or ru


def ru_latin(name_ru: str, tr: Any) -> str | None:
    """A Latin name for a Russian place: BGN/PCGN or Wikipedia-style romanization first.

    Parameters
    ----------
    name_ru : str
        Russian Cyrillic name.
    tr : module
        :mod:`geomap.translit`.

    Returns
    -------
    str or None
        The romanization, None when there is none.
    """
    for variant, scheme, _q in tr.romanizations(None, name_ru):
        if "bgn" in scheme.lower() or "wiki" in scheme.lower():
            return variant
    rom = tr.romanizations(None, name_ru)
    return rom[0][0] if rom else None


def _romanize_chunk(pairs: list[tuple[str | None, str | None]]) -> list[list[tuple[str, str, float]]]:
    from geomap import translit

    return [list(translit.romanizations(uk, ru)) for uk, ru in pairs]


def romanize_all(pairs: list[tuple[str | None, str | None]]) -> dict[tuple[str | None, str | None], list]:
    """Romanize name pairs, in a process pool when there are many.

    Parameters
    ----------
    pairs : list of (str or None, str or None)
        ``(name_uk, name_ru)`` pairs.

    Returns
    -------
    dict
        pair -> list of ``(variant, scheme, quality)`` from :func:`geomap.translit.romanizations`.
    """
    workers = min(4, os.cpu_count() or 1)
    if len(pairs) < 5000 or workers < 2:
        out = _romanize_chunk(pairs)
    else:
        import multiprocessing as mp

        size = math.ceil(len(pairs) / (workers * 4))
        chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        with ctx.Pool(workers) as pool:
            out = [x for part in pool.map(_romanize_chunk, chunks) for x in part]
    return dict(zip(pairs, out, strict=True))


def world_scannable(r: Rec, alias: str, scheme: str) -> bool:
    """Whether a world-layer alias enters the recognition automaton.

    Parameters
    ----------
    r : Rec
        A world-layer place.
    alias : str
        One of its Latin aliases.
    scheme : str
        The alias's scheme.

    Returns
    -------
    bool
        True for countries, towns' official names and cities' ASCII alternates.
    """
    if r.feature == "country":
        return True
    if scheme in ("official", "curated"):
        return r.population >= WORLD_SCAN_MIN_POP
    return alias.isascii() and r.population >= WORLD_SCAN_ALT_MIN_POP


@dataclass
class AliasTables:
    """The lookup tables of an index, keyed by place row id (1-based position in the records).

    Attributes
    ----------
    aliases : dict
        ``(norm_key, pid) -> (alias, scheme, quality)``, the best alias per key and place.
    skeletons : dict
        ``(skeleton, pid) -> (alias, quality)`` for skeleton-indexed places' Latin aliases.
    automaton_keys : dict
        scan key (" chasiv yar ") -> (norm_key, length of the words), the recognition automaton's words.
    """

    aliases: dict[tuple[str, int], tuple[str, str, float]] = field(default_factory=dict)
    skeletons: dict[tuple[str, int], tuple[str, float]] = field(default_factory=dict)
    automaton_keys: dict[str, tuple[str, int]] = field(default_factory=dict)


#: Generic terms of Ukrainian and Russian feature names and their English words, which English puts
#: after the name ("Tendrivska Kosa" is "Tendrivska Spit", "Ostriv Dzharylhach" "Dzharylhach Island")
#: or, for capes and lakes, before it ("Mys Tarkhankut" is "Cape Tarkhankut").
_GENERIC_TERMS = {
    "ostriv": "Island",
    "ostrov": "Island",
    "ostrovy": "Islands",
    "ostrova": "Islands",
    "pivostriv": "Peninsula",
    "poluostrov": "Peninsula",
    "kosa": "Spit",
    "vodoskhovyshche": "Reservoir",
    "vodokhranilishche": "Reservoir",
    "zatoka": "Bay",
    "zaliv": "Bay",
    "mys": "Cape",
    "ozero": "Lake",
}
_ENGLISH_BEFORE = frozenset({"Cape", "Lake"})
#: Below the official name: a translation of its generic term, not a name the place is given.
GENERIC_QUALITY = 0.93


def english_generic_forms(name: str) -> list[str]:
    """English forms of a feature name that carries a Ukrainian or Russian generic term.

    Parameters
    ----------
    name : str
        A feature's Latin name ("Tendrivska Kosa", "Ostriv Zmiyinyy", "Mys Tarkhankut").

    Returns
    -------
    list of str
        "Tendrivska Spit"; "Zmiyinyy Island"; "Cape Tarkhankut" (empty when no generic term).
    """
    words = name.split()
    if len(words) < 2:
        return []
    out = []
    for term, rest in ((words[0], words[1:]), (words[-1], words[:-1])):
        english = _GENERIC_TERMS.get(term.lower())
        if english:
            stem = " ".join(rest)
            out.append(f"{english} {stem}" if english in _ENGLISH_BEFORE else f"{stem} {english}")
    return out


def raion_adjective_forms(adjective: str) -> list[str]:
    """A raion's official adjective and the forms the press and ACLED also write.

    Parameters
    ----------
    adjective : str
        The KMU-2010 masculine adjective ("Korostenskyi").

    Returns
    -------
    list of str
        It, its feminine form (of "oblast" or "hromada", misapplied: "Korostenska district") and
        its Russian-style forms ("Korostenskiy", "Korostensky"); only the first for other endings.
    """
    if not adjective.endswith("skyi"):
        return [adjective]
    stem = adjective[:-2]
    return [adjective, stem + "a", stem + "iy", stem + "y"]


def alias_tables(recs: list[Rec], tr: Any) -> AliasTables:
    """Lookup keys, skeleton keys and automaton keys of every place's aliases.

    Adds each place's current name as an official alias first (the name may have
    changed since it was created).

    Parameters
    ----------
    recs : list of Rec
        The places, in index order (pid = position + 1).
    tr : module
        :mod:`geomap.translit` (for :func:`~geomap.translit.skeleton`).

    Returns
    -------
    AliasTables
    """
    t = AliasTables()
    for pid, r in enumerate(recs, start=1):
        r.add(r.name, "official", OFFICIAL)
        if r.feature == "feature":
            for form in english_generic_forms(r.name):
                r.add(form, "generic", GENERIC_QUALITY)
        elif r.feature == "raion" and "centre" in r.extra:
            r.add(f"{r.extra['centre']} District", "generic", GENERIC_QUALITY)  # "Kramatorsk district"
            if r.admin2:  # the official adjective: "Sumskyi district", "Sumskyi raion"
                for adjective in raion_adjective_forms(r.admin2):
                    r.add(f"{adjective} District", "generic", GENERIC_QUALITY)
                    r.add(f"{adjective} Raion", "generic", GENERIC_QUALITY)
        for alias, (scheme, q) in r.aliases.items():
            key = norm_key(alias)
            if not key or len(key) < 2:
                continue
            old = t.aliases.get((key, pid))
            if old is None or old[2] < q:
                t.aliases[(key, pid)] = (alias, scheme, q)
            if script_of(alias) != "latin":
                continue
            if r.skeleton:
                sk = tr.skeleton(alias)
                if sk:
                    olds = t.skeletons.get((sk, pid))
                    if olds is None or olds[1] < q:
                        t.skeletons[(sk, pid)] = (alias, q)
            if r.world and not world_scannable(r, alias, scheme):
                continue
            for sk in whole_word_keys(alias):
                t.automaton_keys.setdefault(sk, (key, len(sk) - 2))
    return t
