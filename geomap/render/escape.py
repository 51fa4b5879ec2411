"""Escaping for every context the site writes untrusted text into.

Article text and gazetteer names are untrusted: a sentence can contain
``</script>``, ``<img onerror=...>``, ``${...}`` or U+2028. folium inserts
Popup/Tooltip strings as raw HTML and Leaflet's layer control uses
``innerHTML``, so each context gets its own escaper and nothing untrusted
reaches a page without going through one of these.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any
from urllib.parse import urlsplit

# Characters that are harmless inside a JSON string but dangerous around it:
# "<" starts "</script>" / "<!--", ">" ends "-->", "&" starts entities in
# XHTML, U+2028/2029 were line terminators in pre-ES2019 JS, "`" closes a
# template literal if the JSON is ever pasted into one.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    "`": "\\u0060",
}


def html_text(s: object) -> str:
    """Escape a value for an HTML text node.

    Parameters
    ----------
    s : object
        Any value; ``None`` becomes the empty string.

    Returns
    -------
    str
        Text with ``&``, ``<``, ``>`` (and quotes, harmlessly) escaped.
    """
    if s is None:
        return ""
    return html.escape(str(s), quote=True)


def html_attr(s: object) -> str:
    """Escape a value for a double- or single-quoted HTML attribute.

    Parameters
    ----------
    s : object
        Any value; ``None`` becomes the empty string.

    Returns
    -------
    str
        Text with ``& < > " '`` escaped, plus backticks (old IE treated them
        as attribute quotes).
    """
    if s is None:
        return ""
    return html.escape(str(s), quote=True).replace("`", "&#96;")


def json_for_script(obj: Any) -> str:
    """Serialise ``obj`` as JSON that is safe inside an inline ``<script>``.

    The output is valid JSON (``json.loads`` gives ``obj`` back) and valid JS,
    never contains ``</``, ``<!--``, raw U+2028/U+2029 or backticks, and is
    deterministic (keys sorted). NaN and infinities are rejected.

    Parameters
    ----------
    obj : Any
        A JSON-serialisable value.

    Returns
    -------
    str
        The escaped JSON text.
    """
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    # Only string contents can hold these characters in JSON, and a \uXXXX
    # escape means the same thing there, so a plain translate is exact.
    # str.replace per character is C-speed; translate() with a dict table walks the (tens of MB) text
    # in Python-level lookups. The characters are distinct and no replacement contains another.
    for ch, rep in _SCRIPT_ESCAPES.items():
        if ch in text:
            text = text.replace(ch, rep)
    return text


def js_string(s: object) -> str:
    """Return a JS string literal (with quotes) safe inside ``<script>``.

    Parameters
    ----------
    s : object
        Value to quote; ``None`` becomes ``""``.

    Returns
    -------
    str
        A double-quoted JSON string literal; ``json.loads`` returns the input.
    """
    return json_for_script("" if s is None else str(s))


#: Whitespace, control characters and what could close an attribute or a script string.
_UNSAFE_URL_CHAR = re.compile("[\x00-\x20\x7f\u2028\u2029\"'<>`\\\\]")


def safe_url(u: object) -> str | None:
    """Return ``u`` if it is an absolute http(s) URL, else ``None``.

    Rejects ``javascript:``, ``data:``, protocol-relative and relative URLs,
    and anything with whitespace or control characters (which browsers strip,
    turning ``java\\tscript:`` into ``javascript:``).

    Parameters
    ----------
    u : object
        Candidate URL.

    Returns
    -------
    str or None
        The URL unchanged, or None when it is not safe to link to.
    """
    if not isinstance(u, str) or not u or len(u) > 4096:
        return None
    if _UNSAFE_URL_CHAR.search(u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return u


def finite_or_none(x: object) -> float | None:
    """Return ``x`` as a float when it is a finite number, else None (JSON has no NaN)."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    f = float(x)
    return f if math.isfinite(f) else None
