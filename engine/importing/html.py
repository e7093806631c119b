"""HTML from another tool → clean Markdown, with raw HTML wherever Markdown cannot say the same thing.

The conversion is markdownify's (MIT, BeautifulSoup underneath, one overridable method per tag), taught
what it would otherwise lose: an embed (``iframe``, ``video``, ``audio``, ``object``) and a figure with
a caption are kept as raw HTML blocks, and so is a table with merged or nested cells; footnotes marked
up the usual ways (``<sup><a href="#fn1">``, an ordered list of notes with back-links) become Markdown
footnotes.  Raw HTML keeps only attributes the HTML standard still has, so the page validates.  Links
to files the site now carries are rewritten by ``links`` before anything is converted.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Callable

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import MarkdownConverter

from ..errors import Diagnostic, SiteError
from ..source.textcheck import markdown_problem
from .model import Skipped, Where

log = logging.getLogger(__name__)

EMBEDS = ("iframe", "video", "audio", "object", "embed", "script", "form", "svg", "math")
"""Elements Markdown has no words for: kept as raw HTML."""
_GLOBAL = {"id", "class", "lang", "dir", "title"}
_ALLOWED = {
    "a": {"href"}, "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy", "sandbox"},
    "video": {"src", "controls", "poster", "width", "height", "preload", "loop", "muted", "playsinline"},
    "audio": {"src", "controls", "preload", "loop", "muted"}, "source": {"src", "type", "srcset", "media", "sizes"},
    "td": {"colspan", "rowspan", "headers"}, "th": {"colspan", "rowspan", "headers", "scope"},
    "object": {"data", "type", "width", "height"}, "embed": {"src", "type", "width", "height"},
    "script": {"src", "async", "defer", "type"}, "ol": {"start", "reversed"}, "time": {"datetime"},
}
"""Attributes raw HTML keeps; the rest (``frameborder``, ``cellpadding``, ``style``) are obsolete or
presentational, and the Nu checker refuses the obsolete ones."""
_LINK_ATTRS = (("a", "href"), ("img", "src"), ("source", "src"), ("video", "src"), ("video", "poster"),
               ("audio", "src"), ("iframe", "src"), ("embed", "src"), ("object", "data"))
_LINKED: dict[str, tuple[str, ...]] = {}
for _name, _attribute in _LINK_ATTRS:
    _LINKED[_name] = (*_LINKED.get(_name, ()), _attribute)
_BLOCKS = ("p", "ul", "ol", "div", "br", "img", "pre", "blockquote")
"""What a Markdown table cell cannot hold."""
_BLANK = re.compile(r"\n[ \t]*\n+")
_FOOTNOTE_REF = "\x00fn{}\x00"


@dataclass(frozen=True)
class Converted:
    """One document, converted."""

    markdown: str
    kept: tuple[str, ...]
    """What was kept as raw HTML (``iframe``, ``table with merged cells``, ``figure with a caption``)."""


def to_markdown(html: str, links: Callable[[str], str | None] | None = None) -> Converted:
    """``html`` (a fragment) as Markdown; ``links`` maps an address to the one to use instead (or None)."""
    soup = BeautifulSoup(html, "html.parser")
    for comment in [node for node in soup.descendants if isinstance(node, Comment)]:
        comment.extract()
    if links:
        _rewrite(soup, links)
    notes = _footnotes(soup)
    moved = _headings(soup)
    converter = _Converter(heading_style="ATX", bullets="-", escape_misc=False, code_language="",
                           strip_document="strip")
    markdown = converter.convert_soup(soup)
    for number in notes:
        markdown = markdown.replace(_FOOTNOTE_REF.format(number), f"[^{number}]")
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip("\n")
    if notes:
        markdown += "\n\n" + "\n".join(f"[^{n}]: {text}" for n, text in notes.items())
    return Converted(markdown + "\n", tuple(converter.kept) + moved)


def _rewrite(soup: BeautifulSoup, links: Callable[[str], str | None]) -> None:
    for element in soup.find_all(_LINKED):
        for attribute in _LINKED[element.name]:
            value = element.get(attribute)
            new = links(value) if isinstance(value, str) else None
            if new is not None:
                element[attribute] = new
                if element.name == "img":  # the other sizes stay behind
                    element.attrs.pop("srcset", None)
                    element.attrs.pop("sizes", None)


def _headings(soup: BeautifulSoup) -> tuple[str, ...]:
    """Heading levels renumbered from 2 in the order of their rank (h3, h5 → h2, h3), so that none skips
    a level after the page's title (a ``h1``); what was renumbered, for the report."""
    found = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    levels = sorted({int(h.name[1]) for h in found})
    new = {level: f"h{min(rank, 6)}" for rank, level in enumerate(levels, start=2)}
    if all(f"h{level}" == name for level, name in new.items()):
        return ()
    for heading in found:
        heading.name = new[int(heading.name[1])]
    shown = ", ".join(f"h{level} as {name}" for level, name in new.items() if f"h{level}" != name)
    return (f"headings renumbered ({shown}) to follow the title",)


def _footnotes(soup: BeautifulSoup) -> dict[int, str]:
    """Footnote references (a link in ``<sup>`` to a note in the same document) become placeholders, the
    notes become Markdown footnotes; returns number → the note's Markdown."""
    notes: dict[int, str] = {}
    for ref in soup.select("sup a[href^='#'], a.footnote-ref[href^='#'], a.footnote-anchor[href^='#']"):
        target = soup.find(id=ref["href"][1:]) if len(ref["href"]) > 1 else None
        if target is not None and target.name == "a" and target.parent is not None:  # a numbered anchor in the note
            target, number_anchor = target.parent, target
            number_anchor.decompose()
        if target is None or target.name not in ("li", "p", "div", "aside"):
            continue
        number = len(notes) + 1
        for back in target.select("a[href^='#']"):
            if back.get("href", "")[1:] in (ref.get("id"), (ref.parent or ref).get("id")) or "↩" in back.get_text():
                back.decompose()
        body = BeautifulSoup(target.decode_contents(), "html.parser")
        inner = _Converter(escape_misc=False, strip_document="strip").convert_soup(body).strip()
        notes[number] = re.sub(r"\s*\n\s*", " ", inner)
        (ref.parent if ref.parent and ref.parent.name == "sup" else ref).replace_with(_FOOTNOTE_REF.format(number))
        container = target.parent
        target.decompose()
        while container is not None and container.name in ("ol", "ul", "div", "section", "aside", "hr") \
                and not container.get_text(strip=True):
            parent = container.parent
            previous = container.find_previous_sibling()
            container.decompose()
            if previous is not None and previous.name == "hr":
                previous.decompose()
            container = parent
    return notes


class _Converter(MarkdownConverter):
    """markdownify with embeds, captioned figures and merged-cell tables kept as raw HTML."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)
        self.kept: list[str] = []

    def raw(self, element: Tag, why: str) -> str:
        self.kept.append(why)
        return "\n\n" + raw_html(element) + "\n\n"

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = super().escape(text, parent_tags)
        return text.replace("<", "\\<") if text else text

    def process_tag(self, node: Tag, parent_tags: set[str] | None = None) -> str:
        """An element Markdown cannot say is kept whole, before its children are converted (and counted)."""
        why = _raw_reason(node)
        if why and "_inline" not in (parent_tags or ()):
            return self.raw(node, why)
        return super().process_tag(node, parent_tags)

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_td(el, text.replace("|", "\\|"), parent_tags)

    def convert_th(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_th(el, text.replace("|", "\\|"), parent_tags)



def _raw_reason(node: Tag) -> str | None:
    """Why ``node`` stays raw HTML, or None when Markdown can say it."""
    name = node.name
    if name in EMBEDS:
        return "iframe (an embed)" if name == "iframe" else name
    if name == "figure" and node.find("figcaption"):
        return "figure with a caption"
    embedded = node.find(EMBEDS) if name == "figure" else None
    if embedded is not None:
        return _raw_reason(embedded)
    if name == "table":
        cells = node.find_all(["td", "th"])
        if node.find("table") or any(c.get("colspan") or c.get("rowspan") or c.find(_BLOCKS) for c in cells):
            return "table with merged cells or blocks in its cells"
    return None


def raw_html(element: Tag) -> str:
    """``element`` as an HTML block Markdown passes through: only current attributes, images with an
    ``alt``, and no blank line (which would end the block)."""
    copy = BeautifulSoup(str(element), "html.parser")
    for tag in copy.find_all(True):
        allowed = _GLOBAL | _ALLOWED.get(tag.name, set())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in allowed or k.startswith(("data-", "aria-"))}
        if tag.name == "img" and "alt" not in tag.attrs:
            tag["alt"] = ""
        if tag.name in ("iframe", "embed", "object"):  # as wide as the text at most, on a phone too
            tag["style"] = "max-width: 100%"
        if tag.name in ("td", "th"):
            for key in ("colspan", "rowspan"):
                if key in tag.attrs and not str(tag[key]).isdigit():
                    del tag[key]
    return _BLANK.sub("\n", str(copy).strip())


def convert(html: str, where: Where, links: Callable[[str], str | None] | None = None) -> Converted:
    """``to_markdown``, with a ``file:line`` error instead of Markdown no page can carry or a document
    too deeply nested to convert."""
    try:
        done = to_markdown(html, links)
    except RecursionError as e:
        raise SiteError(Diagnostic(where.path, where.line, "cannot convert this HTML: its elements are nested "
                                   "too deeply; flatten it in the source and export again")) from e
    problem = markdown_problem(done.markdown)
    if problem:
        raise SiteError(Diagnostic(where.path, where.line, f"cannot convert this HTML (line {problem[0]} of its "
                                   f"Markdown): {problem[1]}"))
    return done


def kept(where: Where, what: str) -> Skipped:
    """The report's line for something ``convert`` kept as raw HTML or changed on the way."""
    if what.startswith("headings renumbered") or ": headings renumbered" in what:
        return Skipped(where, what, "so that the page's outline has no gaps", kept=True)
    return Skipped(where, what, "kept as raw HTML: Markdown cannot say it", kept=True)
