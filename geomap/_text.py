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
    if len(s) < 64:
        return s.translate(_FOLD_TABLE)  # one C pass; each code point is folded once per process
    # An article: translate() looks every character up in the table when the string is not ASCII.
    # str.lower() is one C pass, and _fold_char(c) == _fold_char(c.lower()) for every character that
    # lowers to one (tested over all of Unicode), so fold the lowered text: the backtick, then each
    # distinct non-ASCII character (a dozen in an article), one str.replace each -- twice as fast as
    # folding run by run. Not when a character lowers to two (length changes), for capital sigma,
    # which str.lower() lowers by context (final "ς"), not character by character, nor when a character
    # folds to another non-ASCII one ("ǣ" -> "æ", itself folded to "a"): replaced in turn, the result
    # would depend on the order of the replacements.
    low = s.lower()
    if len(low) == len(s) and "\u03a3" not in s:
        swaps = [(c, f) for c in set(_NON_ASCII_CHAR.findall(low)) if (f := _FOLD_TABLE[ord(c)]) != c]
        if all(f.isascii() for _c, f in swaps):
            if "`" in low:
                low = low.replace("`", "'")
            for c, f in swaps:
                low = low.replace(c, f)
            return low
    parts = _NON_ASCII_RUNS.split(s)
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].lower().replace("`", "'")
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].translate(_FOLD_TABLE)
    return "".join(parts)


#: Runs of non-ASCII characters, captured: ``split`` alternates ASCII and non-ASCII runs.
_NON_ASCII_RUNS = re.compile(r"([^\x00-\x7f]+)")
#: One non-ASCII character.
_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")


class _FoldTable(dict):
    """Code point -> folded character, filled on first sight (``str.translate`` calls ``__missing__``)."""

    def __missing__(self, code: int) -> str:
        out = _fold_char(chr(code))
        if len(self) < 65536:  # bounded: hostile text with every code point must not grow it forever
            self[code] = out
        return out


_FOLD_TABLE = _FoldTable()


#: What may follow a name that ends its phrase ("Narva, Estonia." / "Topolyne, Kherso,"): a stop,
#: comma, semicolon, colon, closing bracket or the end of the text.
PHRASE_END = re.compile(r"\s*(?:[,.;:)]|$)")
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
    if s.isalpha() and s.isascii():
        return s.lower()  # a plain word (most lookups): nothing to drop, join or strip
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
    """The recogniser's view of folded text: every non-alphanumeric char a space, one more at each end.

    Same offsets plus one. Automaton keys are whole words between spaces (:func:`whole_word_keys`),
    so the automaton reports only matches that begin and end a word: a few thousand per article
    instead of the hundred thousand short aliases found inside words, and a third of those that
    merely begin one ("a" in "after").
    """
    if folded.isascii():
        return " " + folded.translate(_SCAN_ASCII) + " "  # one C pass, four times the regex's speed
    # Folded news text is rarely non-ASCII but for punctuation (quotes, bullets): blank each distinct
    # non-ASCII non-word character (one str.replace each), and the text is ASCII, one C pass away.
    out = folded
    for c in set(_NON_ASCII_CHAR.findall(folded)):
        if _SCAN_BLANK.match(c):
            out = out.replace(c, " ")
    if out.isascii():
        return " " + out.translate(_SCAN_ASCII) + " "  # three times as fast as run by run
    # Letters beyond ASCII (Cyrillic): ASCII runs through the table, the rest through the regex
    # (twice as fast as the regex alone)
    parts = _NON_ASCII_RUNS.split(folded)
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].translate(_SCAN_ASCII)
    for i in range(1, len(parts), 2):
        parts[i] = _SCAN_BLANK.sub(" ", parts[i])
    return " " + "".join(parts) + " "


_NON_ALNUM = re.compile(r"[\W_]")
#: Same characters as ``_NON_ALNUM`` minus the plain space (a no-op replacement): a third fewer matches.
_SCAN_BLANK = re.compile(r"[^\w ]|_")
#: ``_SCAN_BLANK.sub(" ", c)`` of every ASCII character, as a translate table.
_SCAN_ASCII = str.maketrans({chr(i): _SCAN_BLANK.sub(" ", chr(i)) for i in range(128)})


def whole_word_keys(alias: str) -> set[str]:
    """Automaton keys of an alias in the :func:`scan_text` form: " chasiv yar ", a space at each end.

    Apostrophes and hyphens are spaces, as in the scan text. The end spaces make the automaton
    report whole words only; the word itself is ``key[1:-1]``.
    """
    out = set()
    for k in scan_keys(alias):
        w = _NON_ALNUM.sub(" ", k).strip()  # "Kharkiv Oblast." is " kharkiv oblast "
        if w:
            out.add(" " + w + " ")
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
#: The end punctuation is matched, not looked behind for (the ``(?<=[.!?…])`` form): a pattern that
#: starts with a character set lets the engine skip to the next candidate in C. The boundary proper
#: starts after it, where the look-behind form matched.
_BOUNDARY = re.compile(r"[.!?…]([\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-ZА-ЯІЇЄҐ0-9])|\n\s*\n|\n(?=\S)")


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
        closers = m.group(1)
        if closers is None:  # a blank line or a line break
            cut, newline = m.start(), True
        else:  # after end punctuation (matched as the first character)
            cut = m.start() + 1 + len(closers)  # closing quotes stay with their sentence
            newline = text[m.start() + 1] == "\n"
        tail = _abbrev_tail(text, start, cut)
        if tail is not None and tail.lower() in _ABBREV and not newline:
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


def lower_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-sensitive twin of an ``re.IGNORECASE`` pattern, to search :func:`twin_text` with.

    When ``low = twin_text(text)`` is not None, ``lower_twin(p).search(low)`` finds the spans
    ``p.search(text)`` finds (same offsets), with groups in lower case: a case-insensitive
    search folds every character it compares, the twin compares them as they are (about twice
    as fast).

    Parameters
    ----------
    pattern : re.Pattern
        A compiled ``re.IGNORECASE`` pattern whose letters are all ASCII lower case.

    Returns
    -------
    re.Pattern
        The same pattern without ``re.IGNORECASE`` (the pattern itself, also right on the
        lower-cased text, should Python's internal regex parser be unavailable).

    Raises
    ------
    ValueError
        When the pattern holds a letter other than a-z (an upper-case one the twin would never
        match) or a case-sensitive group (which the lower-cased text would match wrongly).
    """
    if not pattern.flags & re.IGNORECASE:
        raise ValueError("lower_twin expects an re.IGNORECASE pattern")
    try:  # the regex parser is internal: without it, the pattern itself (as right, only slower)
        import re._constants as sre_constants
        import re._parser as sre_parse

        parsed = sre_parse.parse(pattern.pattern, pattern.flags & ~re.IGNORECASE)
        named = sre_constants._NamedIntConstant
    except (ImportError, AttributeError):  # pragma: no cover - CPython 3.11-3.13 have both
        return pattern

    def cased(c: str) -> bool:
        # a letter whose case a case-insensitive match ignores, other than ASCII lower case
        return c.lower() != c.upper() and not ("a" <= c <= "z")

    def vet(node: object) -> None:
        # A parsed pattern nests (opcode, argument) pairs in lists, tuples and SubPatterns.
        if isinstance(node, sre_parse.SubPattern):
            vet(node.data)
        elif isinstance(node, (list, tuple)):
            if len(node) == 2 and isinstance(node[0], named):
                op, arg = node
                if op in (sre_constants.LITERAL, sre_constants.NOT_LITERAL) and cased(chr(arg)):
                    raise ValueError(f"letter {chr(arg)!r} in {pattern.pattern!r}")
                if op is sre_constants.RANGE and any(cased(chr(c)) for c in range(arg[0], arg[1] + 1)):
                    raise ValueError(f"range of letters other than a-z in {pattern.pattern!r}")
                if op is sre_constants.SUBPATTERN and arg[2] & re.IGNORECASE:
                    raise ValueError(f"a case-sensitive group (?-i:...) in {pattern.pattern!r}")
            for item in node:
                vet(item)

    vet(parsed)
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


#: The non-ASCII characters an ``re.IGNORECASE`` pattern matches to an ASCII letter (İ, ı, ſ and the
#: Kelvin sign; computed over all of Unicode): lower-casing the text would not keep those matches.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def twin_text(text: str) -> str | None:
    """``text.lower()`` when :func:`lower_twin` patterns may search it in place of ``text``, else None.

    Lower-casing must keep every offset (no character becomes two) and every case-insensitive
    match of an ASCII lower-case letter (see :data:`_FOLDS_TO_ASCII`).
    """
    low = text.lower()
    if text.isascii():
        return low
    if len(low) != len(text) or _FOLDS_TO_ASCII.search(text):
        return None
    return low


#: What a route between two places is called ("the Bakhmut-Kostiantynivka highway").
_ROUTE_WORD = (
    r"\s+(?:road|highway|motorway|railway|rail\s+line|route|axis|direction|line|front|corridor|pipeline|border)s?\b"
)
_ROUTE_AFTER_FIRST = re.compile(r"[-–—][^\W\d_][\w'’]*" + _ROUTE_WORD)
_ROUTE_AFTER_LAST = re.compile(_ROUTE_WORD)
_ROUTE_BEFORE_LAST = re.compile(r"[^\W\d_][\w'’]*[-–—]$")


def route_end(text: str, start: int, end: int) -> bool:
    """Whether the name is one end of a route named by both ("the Pokrovsk-Kostiantynivka road")."""
    if _ROUTE_AFTER_FIRST.match(text, end):
        nxt = text[end + 1 : end + 2]
        return nxt.isupper()
    if _ROUTE_AFTER_LAST.match(text, end):
        m = _ROUTE_BEFORE_LAST.search(text, max(0, start - 40), start)
        return m is not None and m.group(0)[0].isupper()
    return False
