"""Prefix automata: try a regular expression only where one of its prefixes starts a word.

A long alternation (30 trigger rules, the date expressions, the stance cues) tried at every
position of a sentence is the events stage's main regex cost, and most positions cannot start a
match. The prefixes (up to ``length`` characters, default :data:`_PREFIX_LEN`) that any match can
start with are derived from the parsed pattern once; one Aho-Corasick pass over the sentence's
canonical form (:func:`_canon_text`) names the word starts where one occurs, and the pattern is
matched there only. The prefixes over-approximate (anything the analysis does not model ends a
prefix where it stands), so no match is lost.

Kept apart from :mod:`geomap._events_lexicon` so that :mod:`geomap.dates` can use it without
building the trigger automata.
"""

from __future__ import annotations

import re

_PREFIX_LEN = 10
_PREFIX_LIMIT = 20_000  # prefixes per rule before they are cut where they stand
_CANON_BLANK = re.compile(r"[^\w ]|_")
_CANON_DIGIT = re.compile(r"\d")


def _canon(c: str) -> str:
    """A character as the prefilter sees it: decimal digits "0", other word characters kept, the rest " "."""
    return "0" if c.isdecimal() else (c if c.isalnum() else " ")


def _canon_text(low: str) -> str:
    """``low`` with :func:`_canon` applied to every character, behind one space (a word start at 0)."""
    if low.isascii():
        return " " + low.translate(_CANON_ASCII)  # one C pass; the two substitutions cost 3x as much
    if _NON_ASCII_WORD.search(low) is None:
        # Why: a third of news sentences hold curly quotes or dashes, no other non-ASCII character.
        # Non-ASCII characters that are not word characters all canonicalise to " ", and so does
        # the "?" the ASCII codec puts in their place (one per code point, offsets kept).
        return " " + low.encode("ascii", "replace").decode("ascii").translate(_CANON_ASCII)
    return " " + _CANON_DIGIT.sub("0", _CANON_BLANK.sub(" ", low))


#: A non-ASCII word character (a letter or digit :func:`_canon` keeps or makes "0").
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")


#: :func:`_canon` of the ASCII characters (what the two substitutions of :func:`_canon_text` give).
_CANON_ASCII = str.maketrans(
    {chr(i): _CANON_DIGIT.sub("0", _CANON_BLANK.sub(" ", chr(i))) for i in range(128)}
)


def _class_chars(items: list) -> set[str] | None:  # noqa: ANN401 - sre parser internals
    import re._constants as sre

    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(_canon(chr(av)))
        elif op is sre.RANGE and av[1] - av[0] <= 2000:
            out.update(_canon(chr(x)) for x in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            out.add(" ")
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            out.add("0")
        else:
            return None  # negated sets, \w, ...: unknown
    return out


def _step(
    states: set[tuple[str, bool]], chars: set[str] | None, length: int = _PREFIX_LEN
) -> set[tuple[str, bool]]:
    out: set[tuple[str, bool]] = set()
    for s, live in states:
        if not live or chars is None:
            out.add((s, False))
            continue
        for c in chars:
            t = s + c
            out.add((t, len(t) < length))
    return out


def _prefixes(  # noqa: ANN401
    items: list, states: set[tuple[str, bool]], length: int = _PREFIX_LEN
) -> set[tuple[str, bool]]:
    """Prefix states after matching the parsed sequence ``items``: (prefix, can still grow).

    Prefixes stop growing at ``length`` characters.
    """
    import re._constants as sre

    for op, av in items:
        if not any(live for _s, live in states):
            break
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width: ignoring it only admits more
        if op is sre.LITERAL:
            states = _step(states, {_canon(chr(av))}, length)
        elif op is sre.IN:
            states = _step(states, _class_chars(av), length)
        elif op is sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            states = _prefixes(av[3].data, states, length)
        elif op is sre.BRANCH:
            states = set().union(*(_prefixes(b.data, states, length) for b in av[1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            cur, acc, i, ended = states, set(states) if lo == 0 else set(), 0, False
            for i in range(1, length + 2):
                cur = _prefixes(sub.data, cur, length)
                if i >= lo:
                    acc |= cur
                if (hi is not sre.MAXREPEAT and i >= hi) or not any(live for _s, live in cur):
                    ended = True
                    break
            if i < lo or not ended:
                acc |= {(s, False) for s, _live in cur}  # longer repeats extend these prefixes
            states = acc
        else:
            states = _step(states, None, length)  # anything else: the prefix ends here
        if len(states) > _PREFIX_LIMIT:
            states = {(s, False) for s, _live in states}
    return states


def _prefix_automaton(patterns: tuple[str, ...], length: int = _PREFIX_LEN):  # noqa: ANN202
    """The automaton of the shortest prefixes of the alternatives of a ``(?<!\\w)(?:...)`` pattern.

    Prefixes are cut at ``length`` characters (pyahocorasick has no type stubs).
    """
    import re._parser as sre_parse

    import ahocorasick

    auto = ahocorasick.Automaton()
    keys: set[str] = set()
    try:
        for pat in patterns:
            parsed = sre_parse.parse(pat)
            if parsed.state.flags & re.IGNORECASE:
                return None  # case-folded rules are not modelled
            for prefix, _live in _prefixes(parsed.data, {("", True)}, length):
                keys.add(" " + prefix)  # a match starts a word: after a non-word character or at 0
    except Exception:  # noqa: BLE001 - the sre parser is internal: if it changes, scan everything
        return None
    # Only the start of a prefix is used: a key with a shorter key as its prefix starts where that one
    # does, so it adds no start, only hits to iterate (4,920 keys -> 1,556; a quarter fewer hits).
    for key in keys:
        if not any(key[:i] in keys for i in range(1, len(key))):
            auto.add_word(key, key)
    auto.make_automaton()
    return auto


def word_start_automaton(  # noqa: ANN201 - pyahocorasick has no type stubs
    patterns: tuple[str, ...], length: int = _PREFIX_LEN
):
    """The prefix automaton of case-sensitive patterns whose every match starts a word, or None.

    Parameters
    ----------
    patterns : tuple of str
        Pattern sources (no ``re.IGNORECASE``); each match must start at a word character preceded
        by a non-word character or the start of the text (a leading ``\\b`` or ``(?<!\\w)`` before
        alternatives that all begin with a word character).
    length : int, optional
        Longest prefix kept: longer prefixes name fewer starts, and cost more keys to build
        (10 characters: 8-25 ms for a date pattern; 5: under 2 ms and nearly as selective).

    Returns
    -------
    ahocorasick.Automaton or None
        For :func:`prefix_search`; None when the patterns cannot be analysed (then it searches).
    """
    return _prefix_automaton(patterns, length)


def word_starts(auto, low: str) -> list[int]:  # noqa: ANN001 - pyahocorasick has no type stubs
    """The word starts of ``low`` where ``auto`` (:func:`word_start_automaton`) finds a prefix, in order.

    Parameters
    ----------
    auto : ahocorasick.Automaton
        A prefix automaton.
    low : str
        The text.

    Returns
    -------
    list of int
        Offsets into ``low``; every match of the automaton's patterns starts at one of them.
    """
    # A key " " + prefix ending at canon index e starts (its space) at e - len + 1: the prefix's
    # first character is at that index of ``low`` (the canon text has one leading space).
    return sorted({e - len(key) + 1 for e, key in auto.iter(_canon_text(low))})


def prefix_search(
    pattern: re.Pattern[str],
    auto,  # noqa: ANN001 - pyahocorasick has no type stubs
    low: str,
    starts: list[int] | None = None,
) -> re.Match[str] | None:
    """``pattern.search(low)``, trying ``pattern`` only where ``auto`` finds a prefix at a word start.

    ``search`` returns the match at the first position where ``pattern.match(low, pos)`` succeeds;
    the automaton's word starts hold every position a match can start at (see
    :func:`word_start_automaton`), so the first of them that matches gives the same match. Why: a
    long alternation tried at every position costs ~20 µs a sentence, the automaton pass ~4 µs.

    Parameters
    ----------
    pattern : re.Pattern
        The pattern :func:`word_start_automaton` analysed.
    auto : ahocorasick.Automaton or None
        Its automaton (or one built from several patterns, ``pattern`` among them); None searches.
    low : str
        The text.
    starts : list of int, optional
        :func:`word_starts` of ``auto`` in ``low`` when already found (several patterns, one pass).

    Returns
    -------
    re.Match or None
        What ``pattern.search(low)`` returns.
    """
    if auto is None:
        return pattern.search(low)
    match = pattern.match
    for p in word_starts(auto, low) if starts is None else starts:
        m = match(low, p)  # the leading \b or (?<!\w) still sees low[p - 1]
        if m is not None:
            return m
    return None


def prefix_matches(pattern: re.Pattern[str], auto, low: str) -> list[re.Match[str]]:  # noqa: ANN001
    """``list(pattern.finditer(low))``, matching only at the word starts where ``auto`` finds a prefix.

    Matching at those positions, left to right and past each match's end, finds the matches
    ``finditer`` finds (which tries every position).

    Parameters
    ----------
    pattern : re.Pattern
        A pattern whose every match starts a word (see :func:`word_start_automaton`).
    auto : ahocorasick.Automaton or None
        Its prefix automaton; None scans with ``finditer``.
    low : str
        The text.

    Returns
    -------
    list of re.Match
        The matches ``pattern.finditer(low)`` yields, in order.
    """
    if auto is None:
        return list(pattern.finditer(low))
    starts = word_starts(auto, low)
    out: list[re.Match[str]] = []
    last = 0
    match = pattern.match
    for p in starts:
        if p < last:
            continue  # inside the previous match: finditer resumes at its end
        m = match(low, p)  # the (?<!\w) lookbehind still sees low[p - 1]
        if m is not None:
            if m.end() == p:  # an empty match: finditer's resumption rules differ, scan it all
                return list(pattern.finditer(low))
            out.append(m)
            last = m.end()
    return out
