"""A feed: an RSS or Atom file, or one at an http(s) address → an ``ImportResult``, through feedparser.

The universal fallback for a blog nothing else reads.  An entry's full content (``content:encoded``,
Atom's ``content``) is preferred to its summary, which is kept as the summary when both are there; an
entry with only a summary is imported with it and reported, since the feed may have cut the text
short.  Categories become tags (or series, with ``--series-from``), and the entry's link on the old
site becomes an alias when it lies on the feed's own site.  A feed that is not well-formed XML is
refused at its line: feedparser reads on past the break, and a feed cut short would give its last entry
part of its text, or none.
"""
from __future__ import annotations

import calendar
import hashlib
import logging
import re
import urllib.request
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from html import escape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.parsers import expat

import feedparser
from bs4 import BeautifulSoup

from ..errors import Diagnostic, SiteError
from ..model.slugs import slugify
from ..site import urls as U
from ..source.files import read_regular
from ..text.markdown import prose_text
from .html import convert, kept
from .model import ImportedPost, ImportResult, ReadOptions, Skipped, Where, old_id
from .series import by_terms, by_title

log = logging.getLogger(__name__)

_PAGE = re.compile(r"\.(?:s?html?|xhtml|php\d?|aspx?|jsp|cgi|md)$", re.IGNORECASE)
"""The extension of a page's file name on the old site, which the slug leaves out (a dot elsewhere is the
title's: ``u.s.-mobile-games``, ``adding-bigfoot.js-to-hugo``)."""
_END = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|RDF)>\s*$")
"""How a whole feed ends: a feed that does not was cut short (a download broken off)."""
MAX_BYTES = 64 * 1024 * 1024
TIMEOUT = 30


def read(source: Path | str, options: ReadOptions, progress: object = None) -> ImportResult:
    shown = str(source)
    data = _fetch(source) if isinstance(source, str) else _file(source)
    # no base for feedparser: an entry's links are read from the entry's own address (``_from``), not the feed's
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=True,
                              response_headers={"content-location": ""})
    if parsed.bozo and not parsed.entries:
        error = parsed.get("bozo_exception")
        line = error.getLineNumber() if hasattr(error, "getLineNumber") else 0
        raise SiteError(Diagnostic(shown, line or 0, f"not a readable RSS or Atom feed: {error}"))
    if not parsed.entries and not parsed.version:
        raise SiteError(Diagnostic(shown, 0, "not an RSS or Atom feed"))
    lines = _entry_lines(data, shown)
    lines = lines if len(lines) == len(parsed.entries) else [0] * len(parsed.entries)
    home = _absolute(parsed.feed.get("link") or "", source)
    site = urlsplit(home).netloc
    posts: list[ImportedPost] = []
    skipped: list[Skipped] = []
    terms: dict[str, list[str]] = {}
    for number, (entry, line) in enumerate(zip(parsed.entries, lines), start=1):
        if progress is not None:
            progress.step(number, len(parsed.entries), "entries")  # type: ignore[attr-defined]
        post = _entry(entry, number, Where(shown, line), _absolute(entry.get("link") or "", source), site, skipped)
        terms[post.source_id] = [t.get("term", "") for t in entry.get("tags", []) if t.get("term")]
        posts.append(post)
    if progress is not None:
        progress.close()  # type: ignore[attr-defined]
    series: dict = {}
    if options.series_from == "title":
        posts, series = by_title(posts, {k: v[0] for k, v in terms.items() if v}, parsed.feed.get("title") or "Series")
    elif options.series_from:
        posts, series = by_terms(posts, terms)
    origins = (f"{urlsplit(home).scheme}://{site}",) if site else ()  # an entry's alias is its path from the root
    return ImportResult("feed", tuple(posts), series, tuple(skipped), origins=origins)


def _absolute(link: str, source: Path | str) -> str:
    """An address the feed gives, from the feed's own address when it was fetched (``/note/x/`` in a feed at
    ``https://site/index.xml``); from a file, as it stands."""
    if not U.well_formed(link):
        return ""
    return urljoin(source, link) if isinstance(source, str) and link else link


def _entry_lines(data: bytes, shown: str) -> list[int]:
    """The line each entry (``<item>``, ``<entry>``) starts on, or a ``file:line`` error for a feed that is
    not well-formed XML: feedparser reads on past the break, and a feed cut short would give its last
    entry a part of its text, or none.  Expat reads it without fetching anything (no external entities)."""
    parser = expat.ParserCreate()
    lines: list[int] = []

    def start(name: str, attributes: dict) -> None:
        if name.rsplit(":", 1)[-1] in ("item", "entry"):
            lines.append(parser.CurrentLineNumber)
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        if e.code == expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY] and _END.search(data[-4096:]):
            return []  # an HTML entity (&nbsp;) no DTD defines, which every feed reader takes: the lines unknown
        reason = expat.errors.messages[e.code] if e.code in expat.errors.messages else str(e)
        raise SiteError(Diagnostic(shown, e.lineno, f"not well-formed XML ({reason}, column {e.offset + 1}): "
                                   f"{_broken(e, data)}")) from e
    return lines


def _broken(error: expat.ExpatError, data: bytes) -> str:
    """Why a feed is not well-formed, as far as its bytes tell, and what to do."""
    if error.code == expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN] and _misencoded(data):
        return "the file is not in the encoding it declares (UTF-8 unless it says otherwise); fetch or export it again"
    if _END.search(data[-4096:]):
        return "the XML is broken here"
    return "the feed is cut short (it does not end with its </rss> or </feed>); fetch or export it again"


_DECLARED = re.compile(rb"""\s*<\?xml[^>]*?encoding=["']([A-Za-z0-9._-]+)""")


def _misencoded(data: bytes) -> bool:
    """Whether the feed's bytes are not in the encoding it declares (Latin-1 in a feed that says nothing)."""
    declared = _DECLARED.match(data.removeprefix(b"\xef\xbb\xbf"))
    try:
        data.decode(declared.group(1).decode("ascii") if declared else "utf-8")
    except (UnicodeDecodeError, LookupError):
        return True
    return False


def _file(path: Path) -> bytes:
    try:
        return read_regular(path)
    except OSError as e:
        raise SiteError(Diagnostic(str(path), 0, f"cannot read: {e.strerror}")) from e


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "feuilleton-import"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except (OSError, ValueError) as e:
        raise SiteError(Diagnostic(url, 0, f"cannot fetch the feed: {e}")) from e
    if len(data) > MAX_BYTES:
        raise SiteError(Diagnostic(url, 0, f"the feed is larger than {MAX_BYTES // 2**20} MB"))
    return data


def _entry(entry: dict, number: int, where: Where, link: str, site: str, skipped: list[Skipped]) -> ImportedPost:
    title = _title(entry)
    label = f"entry {number} ({title or entry.get('id') or 'untitled'!s})"
    contents = entry.get("content") or []
    chosen = next((c for c in contents if "html" in (c.get("type") or "")), contents[0] if contents else None)
    full = _html(chosen) if chosen is not None else None
    summary_html = _html(entry.get("summary_detail") or {"value": entry.get("summary") or ""})
    if full is None:
        skipped.append(Skipped(where, label, "the feed has only a summary of it, imported as the text; the feed may "
                               "have cut it short", kept=True))
    files: list[str] = []
    converted = convert(full if full is not None else summary_html, where, _from(link, files) if link else None)
    if files:
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        skipped.append(Skipped(where, f"{label}: {len(files)} file{'s' if len(files) > 1 else ''} of the old site "
                               f"({shown})", "a feed carries no files, and its address names no host: copy them "
                               "into static/ at those paths"))
    for what in dict.fromkeys(converted.kept):
        skipped.append(kept(where, f"{label}: {what}"))
    parts = urlsplit(link)
    # feedparser gives an entry with no summary its content as one: that is no summary of the author's
    summary = prose_text(summary_html) if full is not None and summary_html and summary_html != full else ""
    date = _date(entry)
    if date is None:
        raise SiteError(Diagnostic(where.path, where.line, f"{label}: no date (published or updated); a post "
                                   "needs one"))
    markdown = _enclosures(entry, link, converted.markdown, where, label, skipped)
    return ImportedPost(
        source_id=f"feed:{entry.get('id') or link or _digest(title, date)}", where=where,
        title=title or "Untitled", slug=slugify(_name(parts.path) or title or str(number)), markdown=markdown,
        date=date, summary=" ".join(summary.split()),
        tags=tuple(dict.fromkeys(t.get("term", "").strip() for t in entry.get("tags", []) if t.get("term"))),
        aliases=(parts.path,) if parts.netloc == site and parts.path not in ("", "/") and not parts.query else (),
        entry_id=old_id(entry.get("id")))  # the id its subscribers' readers know it by


def _title(entry: dict) -> str:
    """The entry's title as text: Atom's ``type="html"`` and ``"xhtml"`` titles are markup
    (``L&rsquo;exil &amp; le retour``), which the site would show as written."""
    detail = entry.get("title_detail") or {}
    title = entry.get("title") or ""
    if "html" in (detail.get("type") or ""):
        title = BeautifulSoup(title, "html.parser").get_text()
    return " ".join(title.split())


def _html(content: dict) -> str:
    """A content or summary as HTML: Atom's ``type="text"`` is plain text, where ``<b>`` is what the reader
    saw and a blank line parts two paragraphs."""
    value = content.get("value") or ""
    if content.get("type") != "text/plain":
        return value
    return "".join(f"<p>{escape(block.strip())}</p>\n" for block in re.split(r"\n[ \t]*\n", value) if block.strip())


def _name(path: str) -> str:
    """The slug an entry's address gives: its last part without a page's extension, or, for a page kept as a
    folder's ``index.html``, the folder's name."""
    found = path.rstrip("/").split("/")
    name = _PAGE.sub("", unquote(found[-1]))
    if name.casefold() in ("index", "default") and name != unquote(found[-1]) and len(found) > 2:
        return _PAGE.sub("", unquote(found[-2]))
    return name


def _digest(title: str, date: datetime) -> str:
    """An identity for an entry with neither id nor link, which stays the same as the feed gains entries."""
    return hashlib.sha256(f"{title}\n{date.isoformat()}".encode()).hexdigest()[:16]


_LISTEN = {"audio": "Listen to the episode", "video": "Watch the video"}


def _enclosures(entry: dict, link: str, markdown: str, where: Where, label: str, skipped: list[Skipped]) -> str:
    """``markdown`` with a link to each file the entry carried as an enclosure (a podcast's audio) that its
    text does not link already, first; each is reported."""
    added = []
    for enclosure in entry.get("enclosures") or ():
        address = enclosure.get("href") or ""
        if not U.well_formed(address) or not address.strip():
            continue
        address = urljoin(link, address.strip()) if link else address.strip()
        if address in markdown or address in added:
            continue
        kind = (enclosure.get("type") or "").partition("/")[0]
        name = re.sub(r"([][\\])", r"\\\1", unquote(urlsplit(address).path.rsplit("/", 1)[-1]))
        text = _LISTEN.get(kind) or f"The attached file ({name})"
        added.append(f"[{text}](<{address}>)" if re.search(r"[\s()<>]", address) else f"[{text}]({address})")
        skipped.append(Skipped(where, f"{label}: enclosure {address}", "the file stays where the feed had it; the "
                               "post links it", kept=True))
    return "".join(f"{line}\n\n" for line in added) + markdown


def _from(link: str, files: list[str]) -> Callable[[str], str | None]:
    """Links and images in an entry, read from the entry's own address, as its page on the old site read
    them (a feed of ``img/a.png`` leaves the base to its reader): absolute, so that they still lead there.
    A feed whose addresses name no host (``/post/x/``) leaves them from the root; the files among them, which
    no build has, go into ``files``."""
    def absolute(address: str) -> str | None:
        if address.startswith("#") or urlsplit(address).scheme:
            return None
        found = urljoin(link, address)
        name = urlsplit(found).path.rsplit("/", 1)[-1]
        if "://" not in found and "." in name and not _PAGE.search(name) and found not in files:
            files.append(found)
        return found
    return absolute


def _date(entry: dict) -> datetime | None:
    """When the entry was published, at the offset the feed gave it (the old site's clock)."""
    for key in ("published", "updated"):
        moment = entry.get(f"{key}_parsed")
        if not moment:
            continue
        utc = datetime.fromtimestamp(calendar.timegm(moment), tz=timezone.utc)
        written = _written(entry.get(key) or "")
        return utc.astimezone(written.tzinfo) if written is not None and written == utc else utc
    return None


def _written(text: str) -> datetime | None:
    """The date as the feed wrote it, with its offset: RFC 822 (RSS) or ISO 8601 (Atom)."""
    try:
        found = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            found = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return found if found.tzinfo is not None else None
