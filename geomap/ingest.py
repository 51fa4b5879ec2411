"""Read articles: text, Markdown, HTML and JSONL files, directories, stdin.

Scraped input is hostile and broken, so reading never raises on content: a
file that cannot be used is skipped with a :class:`Skipped` note naming it and
the reason, and the caller reports the notes. Only a path that does not
exist is an error (:class:`InputError`), since nothing useful can be done.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

from geomap import config
from geomap.model import Article

SUFFIXES = {".txt", ".md", ".html", ".htm", ".jsonl"}


class InputError(Exception):
    """An input path that cannot be read at all (one-line message)."""


@dataclass(slots=True, frozen=True)
class Skipped:
    """A file or line left out of the run, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


# --- decoding ----------------------------------------------------------------


def decode_bytes(data: bytes) -> str | None:
    """Decode article bytes, detecting the encoding; None for binary data.

    BOMs are honoured first (UTF-8, UTF-16), then strict UTF-8, then
    charset-normalizer's best guess among the encodings scraped news comes in
    (cp1251, latin-1, ...).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if _looks_utf16(data):
        for enc in ("utf-16-le", "utf-16-be"):
            text = data.decode(enc, errors="replace")
            if _binary_share(text) < 0.02 and sum(c.isalpha() for c in text[:2000]) > len(text[:2000]) * 0.5:
                return text
    if b"\x00" in data[:4096]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(
        data, cp_isolation=["cp1251", "latin_1", "cp1252", "koi8_r", "iso8859_5", "utf_8"]
    ).best()
    if best is None:
        return None
    text = str(best)
    if _binary_share(text) > 0.05:
        return None
    return text


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: one byte of each pair is nearly constant (0x00 Latin, 0x04 Cyrillic)."""
    head = data[:2000]
    if len(head) < 16 or len(data) % 2:
        return False
    for column in (head[1::2], head[0::2]):
        counts = sorted((column.count(b) for b in set(column)), reverse=True)
        if sum(counts[:2]) / len(column) > 0.9 and len(set(column)) <= 3:
            return True
    return False


def _binary_share(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd")
    return bad / len(sample)


# --- HTML ------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """Keeps readable text; drops scripts, styles, navigation and comments."""

    DROP = {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "noscript",
        "template",
        "svg",
        "form",
        "iframe",
        "button",
        "select",
    }
    BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "figcaption",
        "title",
        "ul",
        "ol",
        "table",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DROP:
            self.depth += 1
        elif tag == "title":
            self._in_title = True
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.DROP and self.depth:
            self.depth -= 1
        elif tag == "title":
            self._in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if not self.depth:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """Reduce an HTML page to (title, text)."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - malformed markup must not stop a run
        pass
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n[ \n]*", "\n", text)
    lines = [ln.strip() for ln in text.split("\n")]
    out = "\n\n".join(ln for ln in lines if ln)
    return " ".join(parser.title.split()), out


# --- articles ------------------------------------------------------------------

_FILENAME_DATE = re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")


#: Invisible format characters of scraped pages (soft hyphens, zero-width spaces and joiners, word
#: joiners, byte-order and direction marks): "Kup\u00adiansk" is Kupiansk to a reader, so to the parser.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
             "\u2066\u2067\u2068\u2069"),
    None,
)


#: An HTML character reference: "&amp;", "&nbsp;", "&#8217;", "&#x2019;".
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#[xX][0-9A-Fa-f]{2,5});")


def make_article(
    article_id: str,
    text: str,
    *,
    title: str | None = None,
    published: date | None = None,
    url: str | None = None,
    source_path: str | None = None,
) -> Article:
    """Build an :class:`Article`, finding its title and publication date.

    The title defaults to the first non-empty line. The publication date comes
    from metadata, else a dateline near the top, else the weekday/day/month
    reasoning of :func:`geomap.dates.infer_publication_date`, else a date in
    the file name.
    """
    from geomap import dates

    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    if "&" in text and _ENTITY.search(text):
        # feeds and scraped text carry HTML entities ("Kharkiv &amp; Odesa", "Kryvyi Rih&#8217;s")
        text = html.unescape(text).translate(_INVISIBLE)
    if title is None:
        title = _first_title_line(text)
    source = "metadata" if published else None
    if published is None:
        published = dates.find_dateline(text)
        source = "dateline" if published else None
    if published is None:
        published, _precision = dates.infer_publication_date(text)
        source = "inferred" if published else None
    if published is None and source_path:
        m = _FILENAME_DATE.search(Path(source_path).name)
        if m:
            try:
                published = date(int(m[1]), int(m[2]), int(m[3]))
                source = "filename"
            except ValueError:
                published = None
    if url is not None and not re.match(r"^https?://", url, re.I):
        url = None
    return Article(
        article_id=article_id,
        text=text,
        title=title[:300],
        published=published,
        url=url,
        source_path=source_path,
        published_source=source,
    )


def _first_title_line(text: str) -> str:
    """First non-empty line, skipping page furniture such as "15 C" or a bare date line."""
    lines = [ln.strip() for ln in text.split("\n")[:40] if ln.strip()]
    for ln in lines[:8]:
        if len(ln.split()) >= 3 and not re.fullmatch(r"[\w ,.:]*\b(19|20)\d\d\b[\w ,.:]*", ln):
            return ln
    return lines[0] if lines else ""


def _parse_iso_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def read_jsonl(stream: IO[str], where: str, skipped: list[Skipped]) -> Iterator[Article]:
    """Articles from JSONL lines with "id" and "text" (and optional "title", "published", "url")."""
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            skipped.append(Skipped(f"{where}:{lineno}", f"malformed JSON ({exc.msg})"))
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            skipped.append(Skipped(f"{where}:{lineno}", 'not an object with a "text" string'))
            continue
        art_id = str(obj.get("id") or f"{Path(where).stem}-{lineno}")
        text = obj["text"]
        if len(text.encode("utf-8", errors="replace")) > config.MAX_ARTICLE_BYTES:
            skipped.append(
                Skipped(f"{where}:{lineno}", f"article larger than {config.MAX_ARTICLE_BYTES} bytes")
            )
            continue
        title = obj.get("title") if isinstance(obj.get("title"), str) else None
        if "<" in text and re.search(r"<(html|body|p|div|script)\b", text[:5000], re.I):
            html_title, text = html_to_text(text)
            title = title or html_title or None
        yield make_article(
            _safe_id(art_id),
            text,
            title=title,
            published=_parse_iso_date(obj.get("published")),
            url=obj.get("url") if isinstance(obj.get("url"), str) else None,
            source_path=where,
        )


def _safe_id(raw: str) -> str:
    """Article ids become file names on the site: keep them to a safe alphabet."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", raw).strip("._")[:120]
    return cleaned or "article"


def read_file(path: Path, skipped: list[Skipped]) -> Iterator[Article]:
    """Articles from one file (one article, or one per JSONL line)."""
    where = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        skipped.append(Skipped(where, f"cannot read ({exc.strerror})"))
        return
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl_file(path, skipped)
        return
    if size > config.MAX_ARTICLE_BYTES:
        skipped.append(Skipped(where, f"larger than {config.MAX_ARTICLE_BYTES} bytes"))
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        skipped.append(Skipped(where, f"cannot read ({exc.strerror})"))
        return
    text = decode_bytes(data)
    if text is None:
        skipped.append(Skipped(where, "binary or undecodable content"))
        return
    title = None
    if path.suffix.lower() in {".html", ".htm"} or re.match(r"\s*(<!doctype html|<html)", text[:200], re.I):
        html_title, text = html_to_text(text)
        title = html_title or None
    yield make_article(_safe_id(path.stem), text, title=title, source_path=where)


def _read_jsonl_file(path: Path, skipped: list[Skipped]) -> Iterator[Article]:
    """A JSONL corpus, streamed line by line: memory stays flat for a gigabyte of articles.

    JSON text is UTF-8 (RFC 8259); a BOM is accepted, undecodable bytes become U+FFFD.
    """
    where = str(path)
    try:
        with path.open("rb") as fh:
            if b"\x00" in fh.read(4096):
                skipped.append(Skipped(where, "binary content (NUL bytes) in a JSONL file"))
                return
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            yield from read_jsonl(fh, where, skipped)
    except OSError as exc:
        skipped.append(Skipped(where, f"cannot read ({exc.strerror})"))


def iter_paths(inputs: Iterable[str | Path]) -> Iterator[Path | str]:
    """Expand inputs into files (directories recursively, sorted); "-" passes through."""
    for raw in inputs:
        if str(raw) == "-":
            yield "-"
            continue
        p = Path(raw)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES)
        elif p.is_file():
            yield p
        else:
            raise InputError(f"{p}: no such file or directory")


def read_articles(inputs: Iterable[str | Path], skipped: list[Skipped] | None = None) -> Iterator[Article]:
    """Read every article of the given files, directories or "-" (JSONL on stdin).

    Parameters
    ----------
    inputs : iterable of str or Path
        Files (.txt, .md, .html, .jsonl), directories (read recursively) or "-".
    skipped : list of Skipped, optional
        Receives a note for every file or line left out, and why.

    Yields
    ------
    Article
        In input order; duplicate ids get a numeric suffix.
    """
    notes = skipped if skipped is not None else []
    seen: dict[str, int] = {}
    for item in iter_paths(inputs):
        if item == "-":
            arts: Iterable[Article] = read_jsonl(sys.stdin, "<stdin>", notes)
        else:
            arts = read_file(item, notes)  # type: ignore[arg-type]
        for art in arts:
            n = seen.get(art.article_id, 0)
            seen[art.article_id] = n + 1
            if n:
                art.article_id = f"{art.article_id}-{n + 1}"
            yield art
