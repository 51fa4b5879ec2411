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
    return s.translate(_FOLD_TABLE)  # one C pass; each code point is folded once per process


class _FoldTable(dict):
    """Code point -> folded character, filled on first sight (``str.translate`` calls ``__missing__``)."""

    def __missing__(self, code: int) -> str:
        out = _fold_char(chr(code))
        if len(self) < 65536:  # bounded: hostile text with every code point must not grow it forever
            self[code] = out
        return out


_FOLD_TABLE = _FoldTable()


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
    return " " + _SCAN_BLANK.sub(" ", folded)


_NON_ALNUM = re.compile(r"[\W_]")
#: Same characters as ``_NON_ALNUM`` minus the plain space (a no-op replacement): a third fewer matches.
_SCAN_BLANK = re.compile(r"[^\w ]|_")


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
        Non-empty spans in order; ``text[s.start:s.end] == s.text``. A new list of new
        records on every call (the split itself is cached: recognition, resolution and
        events each ask for the same article's sentences).
    """
    return [Sentence(a, b, text[a:b]) for a, b in _sentence_bounds(text)]


@lru_cache(maxsize=4)  # the article in hand: resolve and events split it after each other
def _sentence_bounds(text: str) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.start() + len(m.group(1) or "")  # closing quotes stay with their sentence
        tail = _abbrev_tail(text, start, cut)
        if tail is not None and tail.lower() in _ABBREV and not m.group(0).startswith("\n"):
            continue
        _append(out, text, start, cut)
        start = m.end()
    _append(out, text, start, len(text))
    return tuple(out)


_TAIL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")


def _abbrev_tail(text: str, start: int, cut: int) -> str | None:
    r"""What ``re.search(r"([A-Za-z.]+)\.\s*$", text[start:cut])`` captures, read from the end.

    The regex tries every start position of the sentence (quadratic in its length); the
    capture is the run of ``[A-Za-z.]`` before the final period, so walk back from there.
    """
    j = cut
    while j > start and text[j - 1].isspace():  # ``\s`` is ``str.isspace`` for str patterns
        j -= 1
    j -= 1  # the final period
    if j <= start or text[j] != ".":
        return None
    i = j
    while i > start and text[i - 1] in _TAIL_CHARS:
        i -= 1
    return text[i:j] if i < j else None


def _append(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def iter_words(text: str) -> Iterator[re.Match[str]]:
    """Words (letters, digits, inner apostrophes and hyphens) with offsets."""
    return _WORD.finditer(text)


_WORD = re.compile(r"[^\W_](?:[^\W_]|['’ʼ\-](?=[^\W_]))*")
