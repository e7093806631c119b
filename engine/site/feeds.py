"""RSS 2.0 and Atom through feedgen, and JSON Feed 1.1.

A feed holds posts and, as entries of their own, major revisions ("Updated:
TITLE — DATE", linking to what changed, with the changed paragraphs marked up
inline).  Entry ids never change: a post's is its ``entry_id``; a revision's
is a UUID derived from that id and the version number.  feedgen's traps are avoided on purpose: ``add_entry`` is told to
append (it prepends by default), and ``updated``/``lastBuildDate`` are set
from content (they default to the clock, which would break reproducibility).
"""
from __future__ import annotations

import html
import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from lxml import etree
from lxml import html as lxml_html

from ..locale import direction
from ..model.dates import for_machines
from ..model.packed import Packed
from ..text.cutting import grapheme_cut
from . import urls as U
from .views import Note, PostView

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """One feed entry.  ``content`` is the page's HTML as the site shows it (one object shared with the
    page and every feed that lists the post); its links are made absolute, against ``url``, when the
    feed is rendered."""

    id: str
    title: str
    url: str
    published: datetime
    updated: datetime
    content: Packed
    """A post's rendered essay (a ``Fragment``), or what a revision's entry says, packed: the feeds hold
    their entries until the last is written."""
    summary: str
    tags: tuple[str, ...]
    language: str = ""
    """The post's own language, when not the site's (Atom's ``xml:lang``, JSON Feed's ``language``)."""
    before: str = ""
    """HTML shown above ``content`` (a part's place in its series, its revision notes)."""
    after: str = ""
    """HTML shown below ``content`` (where the series goes on)."""

    def html(self) -> str:
        """The whole content, as written once into each of the feed's formats."""
        return f"{self.before}{self.content}{self.after}" if self.before or self.after else str(self.content)


@dataclass(frozen=True)
class Feed:
    """One feed's identity; it is written as RSS, Atom and JSON Feed."""

    title: str
    description: str
    home: str
    """Absolute URL of the page the feed belongs to."""
    prefix: str
    """Site path the feed files live under (``""`` for the site)."""
    entries: tuple[Entry, ...]
    hub: str = ""
    """The WebSub hub the feed names (``websub_hub``), beside its ``self`` link; empty for none."""
    quiet: datetime | None = None
    """When a feed with no entries (a series with only planned parts, the updates of a site not yet revised)
    says it last changed: when the site's first post was published (it has been empty since); on a site with
    none, a fixed moment (2000-01-01), so that the same site builds to the same bytes."""


def revision_id(entry_id: str, number: int) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{entry_id}#v{number}')}"


def post_entry(post: PostView, before: str = "", after: str = "") -> Entry:
    return Entry(post.entry_id, post.title, post.abs_url, post.date, post.updated, post.html, post.summary,
                 tuple(t.title for t in post.tags), post.language, before, after)


@dataclass(frozen=True)
class Revision:
    """What a revision's entry says, in the post's language."""

    title: str
    """"Updated: TITLE — DATE", the date as the site shows dates."""
    summary: str
    """Plain text: the note's first sentence, or the count of what changed for a revision without a note."""
    counts: str
    """"+48 words, −3 words, 2 paragraphs changed." or that the text is unchanged."""
    redline: str
    """The changed paragraphs with their insertions and deletions marked (empty when the text is unchanged)."""
    see: str
    """"See what changed", the link's words."""


def revision_entry(post: PostView, note: Note, said: Revision, urls: U.Urls) -> Entry:
    """A revision's own entry: its note, the count of what changed, a link to the page of what changed and
    the changed paragraphs themselves."""
    page = urljoin(urls.base_url, note.changes_url or note.url)
    # a revision that only adds its note has no page of what changed: its note is the change
    link = f' <a href="{html.escape(page)}">{html.escape(said.see, quote=False)}</a>.' if note.changes_url else ""
    body = Packed(f"{note.html}<p>{html.escape(said.counts, quote=False)}{link}</p>{said.redline}")
    return Entry(revision_id(post.entry_id, note.number), said.title, page, note.date, note.date, body,
                 said.summary, tuple(t.title for t in post.tags), post.language)


INSERTED = "background:#dcf5e3;color:#0b4a1f;text-decoration:underline"
"""Inline styles for a feed's ``<ins>``/``<del>``: readers drop style sheets, and some keep ``style``."""
DELETED = "background:#fbe3e3;color:#7a1010;text-decoration:line-through"
MARK = "background:#fbe3e3;color:#7a1010;text-decoration:none;border:1px dashed #7a1010"
"""A punctuation mark deleted alone, boxed as the page boxes it (struck through, a comma reads as a semicolon),
with a border: feed readers' sanitizers keep it, and drop an outline."""
MOVED = "border-left:3px dotted #777;padding-left:0.6em"
"""A moved paragraph's bar, as the page draws it."""
_SHOWN = ("p", "li", "blockquote", "pre", "table", "ul", "ol", "dl", "section", "figure", "div")


def redline(diff_html: str) -> str:
    """The changed blocks of a rendered diff, each after the heading it falls under: what a feed reader
    shows of what changed.  Unchanged runs go, and with them the hints only screen readers were meant to
    hear (a feed reader shows them, since it drops the class that hides them)."""
    if "<ins" not in diff_html and "<del" not in diff_html and 'class="moved"' not in diff_html:
        return ""
    kept: list[str] = []
    heading = None
    blocks = [block for block in lxml_html.fragments_fromstring(diff_html) if not isinstance(block, str)]
    for at, block in enumerate(blocks):
        if block.tag == "details":
            continue
        if "diff-note" in block.classes and not (at + 1 < len(blocks) and "moved" in blocks[at + 1].classes):
            continue  # "moved from here": the paragraphs around the place it left are not in the feed
        if block.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            heading = block
        whole = block.tag in ("ins", "del") and "block" in block.classes  # a paragraph (a picture) added or gone
        changed = whole or block.find(".//ins") is not None or block.find(".//del") is not None
        if whole or block.tag in _SHOWN and (changed or "moved" in block.classes or "diff-note" in block.classes):
            if heading is not None and heading is not block:
                kept.append(_serialize(heading))
            heading = None
            kept.append(_serialize(block))
        elif block.tag.startswith("h") and changed:
            kept.append(_serialize(block))
            heading = None
    return "<hr>" + "".join(kept) if kept else ""


def _serialize(block) -> str:
    for hidden in block.find_class("visually-hidden"):
        hidden.drop_tree()
    for fold in block.find_class("unchanged-notes"):  # a fold of unchanged footnotes: a feed reader shows no fold
        fold.drop_tree()
    if "moved" in block.classes:
        block.set("style", MOVED)
    for mark, style in (("ins", INSERTED), ("del", DELETED)):
        for element in block.iter(mark):
            element.set("style", MARK if "mark" in element.classes else style)
    if "diff-note" in block.classes:
        block.attrib.pop("class")
        block.set("style", "font-style:italic")
    return lxml_html.tostring(block, encoding="unicode", with_tail=False) + "\n"


def first_sentence(text: str, limit: int = 300) -> str:
    """The first sentence of plain text (a stop followed by a capital starts the next, unless the stop ends
    an abbreviation: "City v. State", "the U.S. Code", "J. Smith"), cut at a word before ``limit``
    characters."""
    match = next((m for m in _SENTENCE_END.finditer(text) if not _abbreviated(text, m.start())), None)
    sentence = text[:match.end()].rstrip() if match else text
    if len(sentence) <= limit:
        return sentence
    return grapheme_cut(sentence, limit).rsplit(" ", 1)[0].rstrip(",;:") + "…"


_SENTENCE_END = re.compile(r"[.!?…][\"”’»)]*\s+(?=[\"“‘«(¿¡]?[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΆ-Ϋ\u0590-\u05ff\u0600-\u06ff\u0900-\u097f])"
                           r"|[。！？][」』）》\"”’]*|।\s+")
"""A sentence's end: a stop, then a space and a capital or a letter of a script without capitals (Hebrew,
Arabic, Devanagari); a Chinese or Japanese full stop, which no space follows; a danda."""
_WORD_BEFORE = re.compile(r"[\w.]+$")
_ABBREVIATIONS = frozenset(
    "v vs cf al etc art arts sec secs ch chs cl para paras vol vols fig figs ed eds mr mrs ms dr prof st jr "
    "sr hon rev gen col capt sen rep gov inc ltd co corp dept univ assn ca approx op cit ibid supp ct cir app"
    .split())
"""Words a stop ends without ending the sentence, as notes on legal and scholarly essays use them."""


def _abbreviated(text: str, stop: int) -> bool:
    """Whether the stop at ``stop`` ends an abbreviation: a word listed above, a single letter (an initial),
    or one with stops inside it ("U.S", "e.g")."""
    if text[stop] != ".":
        return False
    word = _WORD_BEFORE.search(text, max(0, stop - 40), stop)
    if word is None:
        return False
    word_text = word.group(0).strip(".")
    return len(word_text) == 1 and word_text.isalpha() or "." in word_text or word_text.lower() in _ABBREVIATIONS


Candidate = tuple[tuple[datetime, int], str, Callable[[], Entry]]
"""An entry a feed could hold, as ``((published, version number), id, make)``: two revisions recorded in
the same second keep their order by number (their ids are random-looking)."""


def newest(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """The ``limit`` newest of ``(published, id, make)`` candidates, unmade: only those kept are made."""
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)  # newest first; then the later version
    return candidates[:limit]


def _generator(feed: Feed, contents: list[str], urls: U.Urls, kind: str, author: str,
               language: str) -> FeedGenerator:
    fg = FeedGenerator()
    if kind == "rss":
        fg.load_extension("dc", atom=False, rss=True)  # RSS's <author> wants an e-mail; dc:creator takes a name
    self_url = urls.absolute(U.feed_path(feed.prefix, kind))
    fg.id(feed.home)
    fg.title(feed.title)
    fg.author({"name": author})
    fg.link(href=self_url, rel="self")
    if feed.hub and kind == "atom":
        fg.link(href=feed.hub, rel="hub")  # RSS: feedgen writes only atom:link rel=self; ``_rss_hub`` adds it
    fg.link(href=feed.home, rel="alternate")  # last: feedgen makes the last link RSS's channel <link>
    fg.language(language)
    fg.description(_text(feed.description or feed.title, kind))
    fg.generator("Feuilleton")  # no uri: the project has no home of its own online yet
    newest = max((e.updated for e in feed.entries), default=feed.quiet or datetime(2000, 1, 1, tzinfo=timezone.utc))
    fg.updated(for_machines(newest))
    fg.lastBuildDate(for_machines(newest))
    for item, content in zip(feed.entries, contents):
        fe = fg.add_entry(order="append")
        fe.id(item.id)
        fe.guid(item.id, permalink=False)
        fe.title(item.title)
        fe.link(href=item.url, rel="alternate")
        fe.published(for_machines(item.published))
        fe.updated(for_machines(item.updated))
        fe.summary(item.summary) if kind == "atom" else fe.description(_text(item.summary, kind))
        fe.content(content, type="html" if kind == "atom" else "CDATA")
        fe.author({"name": author})
        if kind == "rss":
            fe.dc.dc_creator(author)
            if item.language and item.language != language:  # Atom says it by xml:lang (``_entry_languages``)
                fe.dc.dc_language(item.language)
        for tag in item.tags:
            fe.category(term=tag)
    return fg


def _text(plain: str, kind: str) -> str:
    """Plain text for a feed element: RSS readers take ``description`` as HTML, so it is escaped there."""
    return html.escape(plain, quote=False) if kind == "rss" else plain


def feed_paths(feed: Feed) -> list[str]:
    return [U.feed_path(feed.prefix, kind) for kind in U.FEEDS]


def render_feed(feed: Feed, urls: U.Urls, author: str, language: str) -> dict[str, bytes]:
    """Site path → bytes for the RSS, Atom and JSON versions of one feed."""
    contents = [_directed(urls.absolutize(e.html(), e.url), e.language or language) for e in feed.entries]
    out = {}
    rss = _generator(feed, contents, urls, "rss", author, language)
    out[U.feed_path(feed.prefix, "rss")] = _rss_hub(rss.rss_str(pretty=True), feed.hub)
    atom = _generator(feed, contents, urls, "atom", author, language)
    out[U.feed_path(feed.prefix, "atom")] = _entry_languages(atom.atom_str(pretty=True), feed.entries)
    out[U.feed_path(feed.prefix, "json")] = json_feed(feed, contents, urls, author, language)
    return out


def _directed(content: str, language: str) -> str:
    """An entry's content in a right-to-left language, marked so (``dir="rtl"``): a feed reader shows it in
    its own page, which the post's page direction does not reach."""
    return f'<div dir="rtl">\n{content}</div>\n' if direction(language) == "rtl" else content


def _rss_hub(rss: bytes, hub: str) -> bytes:
    """RSS with ``<atom:link rel="hub">`` beside its ``rel="self"`` one, for WebSub (none without a hub)."""
    if not hub:
        return rss
    root = etree.fromstring(rss, etree.XMLParser(strip_cdata=False, resolve_entities=False, huge_tree=True))
    channel = root.find("channel")
    own = channel.find("{http://www.w3.org/2005/Atom}link")
    link = etree.Element("{http://www.w3.org/2005/Atom}link", href=hub, rel="hub")
    link.tail = own.tail
    own.addnext(link)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def _entry_languages(atom: bytes, entries: tuple[Entry, ...]) -> bytes:
    """Atom with ``xml:lang`` on each entry in another language than the feed's (feedgen sets none)."""
    if not any(e.language for e in entries):
        return atom
    root = etree.fromstring(atom, etree.XMLParser(resolve_entities=False, huge_tree=True))
    for element, entry in zip(root.iterfind("{http://www.w3.org/2005/Atom}entry"), entries):
        if entry.language:
            element.set("{http://www.w3.org/XML/1998/namespace}lang", entry.language)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def json_feed(feed: Feed, contents: list[str], urls: U.Urls, author: str, language: str) -> bytes:
    data = {
        "version": "https://jsonfeed.org/version/1.1", "title": feed.title, "home_page_url": feed.home,
        "feed_url": urls.absolute(U.feed_path(feed.prefix, "json")), "description": feed.description,
        "language": language, "authors": [{"name": author}],
        **({"hubs": [{"type": "WebSub", "url": feed.hub}]} if feed.hub else {}),
        "items": [{"id": e.id, "url": e.url, "title": e.title, "content_html": html, "summary": e.summary,
                   "date_published": for_machines(e.published).isoformat(),
                   "date_modified": for_machines(e.updated).isoformat(),
                   **({"tags": list(e.tags)} if e.tags else {}), **({"language": e.language} if e.language else {})} for e, html in zip(feed.entries, contents)],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
