"""Text folding and sentence splitting shared by the gazetteer and the parser.

Two normal forms:

* :func:`fold` maps a string character by character (``len(fold(s)) ==
  len(s)``): lower case, Latin diacritics stripped, every apostrophe-like
  character to ``'`` and every dash to ``-``. Because it keeps offsets, the
  recogniser scans ``fold(article.text)`` and reports spans of the original.
* :func:`norm_key` is the lookup key of a name: ``fold`` plus apostrophes
  dropped, hyphens and runs of spaces turned into one space. Gazetteer alias
  tables are keyed by it.

Cyrillic keeps its letters (``й``, ``ї``, ``ё`` are not decomposed), so
Ukrainian and Russian names stay distinguishable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from geomap.model import Sentence

APOSTROPHES = "'’‘ʼʹ`´′ʻ"
DASHES = "-‐‑‒–—―−"
_SPECIAL = {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "s", "æ": "a", "œ": "o", "þ": "t", "ð": "d"}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in APOSTROPHES:
        return "'"
    if c in DASHES:
        return "-"
    low = c.lower()
    if len(low) != 1:
        low = c
    if low.isascii():
        return low
    if low in _SPECIAL:
        return _SPECIAL[low]
    code = ord(low)
    # Strip marks from Latin letters only: Cyrillic й/ї/ё must survive.
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        base = unicodedata.normalize("NFKD", low)[0]
        return base if len(base) == 1 else low
    if unicodedata.category(low) == "Zs":
        return " "
    return low


def fold(s: str) -> str:
    """Fold ``s`` for matching, keeping its length.

    Parameters
    ----------
    s : str
        Any text.

    Returns
    -------
    str
        Lower-cased text of the same length, Latin diacritics removed,
        apostrophes and dashes unified.
    """
    if s.isascii():
        return s.lower()
    return "".join(_fold_char(c) for c in s)


_SPACES = re.compile(r"[\s\-]+")


def norm_key(s: str) -> str:
    """Return the alias-table key of a name.

    Parameters
    ----------
    s : str
        A place name as written ("Mar’yinka", "Chasiv-Yar", "KLICHTCHIÏVKA").

    Returns
    -------
    str
        "maryinka", "chasiv yar", "klichtchiivka".
    """
    f = fold(s).replace("'", "")
    return _SPACES.sub(" ", f).strip(" .,")


def scan_keys(alias: str) -> set[str]:
    """Forms of an alias to put in the recognition automaton.

    The automaton scans ``fold(text)``, where apostrophes and hyphens remain,
    so each alias is entered with and without them.
    """
    f = fold(alias).strip()
    forms = {f, f.replace("'", "")}
    for g in list(forms):
        forms.add(g.replace("-", " "))
        forms.add(g.replace(" ", "-"))
    return {g for g in forms if g}


def scan_text(folded: str) -> str:
    """The recogniser's view of folded text: a leading space, every non-alphanumeric char a space.

    Same offsets plus one. Automaton keys start with a space (:func:`word_start_keys`), so
    the automaton reports only matches that begin a word: a few thousand per article instead
    of the hundred thousand short aliases found inside words.
    """
    return " " + _NON_ALNUM.sub(" ", folded)


_NON_ALNUM = re.compile(r"[\W_]")


def word_start_keys(alias: str) -> set[str]:
    """Automaton keys of an alias in the :func:`scan_text` form (apostrophes and hyphens as spaces)."""
    out = set()
    for k in scan_keys(alias):
        w = _NON_ALNUM.sub(" ", k).strip()  # "Kharkiv Oblast." must not end on a space
        if w:
            out.add(" " + w)
    return out


def is_word_char(c: str) -> bool:
    return c.isalnum()


# Sentence boundaries: end punctuation followed by space and an upper-case
# letter or quote, or a blank line. Abbreviations that end in a period are
# protected.
_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "sgt",
    "st",
    "no",
    "vs",
    "u.s",
    "u.k",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "km",
    "approx",
    "e.g",
    "i.e",
    "etc",
    "maj",
    "capt",
    "gov",
    "sen",
    "rep",
}
_BOUNDARY = re.compile(r"(?<=[.!?…])([\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-ZА-ЯІЇЄҐ0-9])|\n\s*\n|\n(?=\S)")


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with offsets.

    Parameters
    ----------
    text : str
        Article text.

    Returns
    -------
    list of Sentence
        Non-empty spans in order; ``text[s.start:s.end] == s.text``.
    """
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.start() + len(m.group(1) or "")  # closing quotes stay with their sentence
        prev = text[start:cut]
        tail = re.search(r"([A-Za-z.]+)\.\s*$", prev)
        if tail and tail.group(1).lower() in _ABBREV and not m.group(0).startswith("\n"):
            continue
        _append(out, text, start, cut)
        start = m.end()
    _append(out, text, start, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))


def iter_words(text: str) -> Iterator[re.Match[str]]:
    """Words (letters, digits, inner apostrophes and hyphens) with offsets."""
    return _WORD.finditer(text)


_WORD = re.compile(r"[^\W_](?:[^\W_]|['’ʼ\-](?=[^\W_]))*")
