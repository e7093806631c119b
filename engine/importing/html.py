"""HTML from another tool → clean Markdown, with raw HTML wherever Markdown cannot say the same thing.

The conversion is markdownify's (MIT, BeautifulSoup underneath, one overridable method per tag), taught
what it would otherwise lose: an embed (``iframe``, ``video``, ``audio``, ``object``), a figure with a
caption and a definition list are kept as raw HTML blocks, and so is a table a pipe table cannot say
whole (merged cells, blocks in cells, no header row); inline elements Markdown has no syntax for
(``sub``, ``abbr``, ``kbd``, …) stay inline HTML.  A code block keeps its text to the character and its
language, without the line-number tables of Rouge, Pygments and Chroma.  Footnotes marked up the usual
ways (``<sup><a href="#fn1">``, an ordered list of notes with back-links) become Markdown footnotes.
Raw HTML keeps only attributes the HTML standard still has, so the page validates.  Links to files the
site now carries are rewritten by ``links`` before anything is converted.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html import escape
from typing import Callable

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter

from ..errors import Diagnostic, SiteError
from ..site.urls import well_formed
from ..source.textcheck import markdown_problem, without_forbidden
from ..text.markdown import heading_id
from ..text.markup import FOREIGN
from .code import backticks, code_cells, code_span, code_text, language
from .htmlnotes import FOOTNOTE_REF, footnotes
from .mdescape import LINE_START, block_starts, inline
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
    "param": {"name", "value"},
    "script": {"src", "async", "defer", "type"}, "ol": {"start", "reversed"}, "time": {"datetime"},
    "q": {"cite"}, "ins": {"cite", "datetime"}, "del": {"cite", "datetime"}, "data": {"value"},
}
"""Attributes raw HTML keeps; the rest (``frameborder``, ``cellpadding``, ``style``) are obsolete or
presentational, and the Nu checker refuses the obsolete ones."""
_BOOLEAN = {"allowfullscreen", "async", "defer", "controls", "loop", "muted", "playsinline", "reversed"}
"""Attributes that are on by being there."""
_LINK_ATTRS = (("a", "href"), ("img", "src"), ("source", "src"), ("video", "src"), ("video", "poster"),
               ("audio", "src"), ("iframe", "src"), ("embed", "src"), ("object", "data"))
_LINKED: dict[str, tuple[str, ...]] = {}
for _name, _attribute in _LINK_ATTRS:
    _LINKED[_name] = (*_LINKED.get(_name, ()), _attribute)
_BLOCKS = ("p", "ul", "ol", "div", "img", "pre", "blockquote", "table", "dl", "figure", "h1", "h2", "h3", "h4",
           "h5", "h6", "hr")
"""What a Markdown table cell cannot hold."""
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr")
_INLINE_HTML = ("sub", "sup", "abbr", "kbd", "samp", "var", "mark", "small", "cite", "q", "ins", "s", "u", "time",
                "dfn", "data", "bdi", "bdo", "ruby", "rt", "rp")
"""Inline elements Markdown has no syntax for: kept as inline HTML, their content converted."""
_LANGUAGE = ("lang", "dir")
"""What says in which language and direction an element's words are written, which Markdown cannot say."""
_MARKED_INLINE = ("span", "em", "i", "strong", "b", "del")
"""Inline elements kept as inline HTML when they carry ``_LANGUAGE`` (a ``span`` only then)."""
_MARKED_BLOCKS = ("p", "blockquote", "ul", "ol", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6")
"""Blocks whose ``_LANGUAGE`` a ``div`` around their Markdown keeps (an Arabic paragraph, right to left)."""
_TAG_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
"""A language tag a post's ``language`` may have (the build refuses any other)."""
_EMPHASIS = ("a", "b", "strong", "em", "i", "del", "s")
"""Elements markdownify writes with marks around their text (``*``, ``**``, ``~~``, ``[…](…)``)."""
_NOT_TEXT = ("img", "br", "iframe", "video", "audio", "object", "embed", "svg", "math", "input")
_RENAMED = {"tt": "code", "strike": "s", "acronym": "abbr"}
"""Obsolete elements → the ones HTML has for them now."""
_PRE_MARKUP = ("a", "b", "i", "em", "strong", "img", *_INLINE_HTML, "del")
"""Markup in a ``pre`` worth keeping it raw for: a fenced block would show only the text."""
_BLANK = re.compile(r"\n[ \t]*\n+")
_CLOSING_HASHES = re.compile(f"(^{LINE_START}?|[ \t])(#+)$")
"""Marks at a heading's end that ATX would drop as its closing sequence (``## Issue #``)."""
_ID = re.compile(r"[^\s\"'<>&]+")
"""An id worth keeping: one word, nothing that would need escaping in an attribute."""
_OPTIONS = {"heading_style": "ATX", "bullets": "-", "code_language": "", "strip_document": "strip"}
"""markdownify's options, for the text and its footnotes alike."""
_KEPT_LINE = "\x00line\x00"
"""An empty line of a code block, which the squeezing of blank lines must not take."""


@dataclass(frozen=True)
class Converted:
    """One document, converted."""

    markdown: str
    kept: tuple[str, ...]
    """What was kept as raw HTML (``iframe``, ``table with merged cells``, ``figure with a caption``)."""
    language: str | None = None
    """The language every word of the document is marked as written in (``lang="ar"`` on each paragraph, or on
    one element around them all), or None: a post in it can say so (``language: ar``)."""


def to_markdown(html: str, links: Callable[[str], str | None] | None = None) -> Converted:
    """``html`` (a fragment) as Markdown; ``links`` maps an address to the one to use instead (or None)."""
    soup = BeautifulSoup(html, "html.parser")
    for comment in [node for node in soup.descendants if isinstance(node, Comment)]:
        comment.extract()
    if links:
        _rewrite(soup, links)
    _tidy(soup)
    notes = footnotes(soup, lambda body: _Converter(**_OPTIONS).convert_soup(body))
    moved = _headings(soup)
    converter = _Converter(heading_ids=_page_heading_ids(soup), **_OPTIONS)
    markdown = converter.convert_soup(soup)
    for number in notes:
        markdown = markdown.replace(FOOTNOTE_REF.format(number), f"[^{number}]")
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip("\n")
    if notes:
        markdown += "\n\n" + "\n".join(f"[^{n}]: {text}" for n, text in notes.items())
    return Converted(block_starts(markdown).replace(_KEPT_LINE, "") + "\n", tuple(converter.kept) + moved,
                     _language(soup))


def _language(soup: BeautifulSoup) -> str | None:
    """The one language all the words of ``soup`` are marked with, or None."""
    found: set[str] = set()
    for text in soup.find_all(string=True):
        if not text.strip():
            continue
        marked = text.find_parent(lang=True)
        found.add(str(marked["lang"]).strip() if marked is not None else "")
        if len(found) > 1:
            return None
    language = found.pop() if found else ""
    return language if _TAG_LANGUAGE.fullmatch(language) else None


def _rewrite(soup: BeautifulSoup, links: Callable[[str], str | None]) -> None:
    for element in soup.find_all(_LINKED):
        for attribute in _LINKED[element.name]:
            value = element.get(attribute)
            new = links(value) if isinstance(value, str) and well_formed(value) else None
            if new is not None:
                element[attribute] = new
                if element.name == "img":  # the other sizes stay behind
                    element.attrs.pop("srcset", None)
                    element.attrs.pop("sizes", None)


def _tidy(soup: BeautifulSoup) -> None:
    """Obsolete elements renamed (docutils writes an inline literal as ``tt`` or ``span.docutils.literal``),
    and the text and line breaks between a table's rows and cells dropped: a browser moves them out of the
    table, and WordPress's paragraphs put a ``<br>`` at the end of every line of a classic post."""
    for element in soup.find_all(list(_RENAMED)):
        element.name = _RENAMED[element.name]
    for element in soup.select("span.docutils.literal"):
        element.name = "code"
    for part in soup.find_all(_TABLE_PARTS):
        for child in list(part.children):
            if isinstance(child, NavigableString) and not child.strip() or getattr(child, "name", "") == "br":
                child.extract()
    for element in reversed(soup.find_all(_EMPHASIS)):
        _spaces_out(element)


def _spaces_out(element: Tag) -> None:
    """The spaces at either end of an emphasis or a link moved out of it, whatever spaces they are: markdownify
    keeps a plain one beside the ``*`` and drops a no-break space (``<em>b&nbsp;</em>c`` became ``*b*c``, two
    words run together, as text pasted from a word processor has them), and an element of spaces alone went
    with its spaces.  Inner elements go first, so that an outer one moves out what they moved to its edges."""
    strings = [node for node in element.descendants if isinstance(node, NavigableString)]
    if not strings or element.find(_NOT_TEXT):
        return
    text = "".join(strings)
    if not text.strip():
        element.replace_with(NavigableString(_ASCII_SPACES.sub(" ", text)))
        return
    for leading in (True, False):
        strings = [node for node in element.descendants if isinstance(node, NavigableString)]
        edge = []
        for node in strings if leading else strings[::-1]:
            kept = node.lstrip() if leading else node.rstrip()
            edge.append((node, kept))
            if kept:
                break
        spaces = "".join(node[len(kept):] if not leading else node[:len(node) - len(kept)] for node, kept in edge)
        if not spaces.strip(" "):  # plain spaces, or none: markdownify keeps a plain one beside its marks
            continue
        for node, kept in edge:
            node.replace_with(NavigableString(kept))
        (element.insert_before if leading else element.insert_after)(NavigableString(_ASCII_SPACES.sub(" ", spaces)))


_ASCII_SPACES = re.compile(r"[ \t\n\r\f]+")


def _page_heading_ids(soup: BeautifulSoup) -> frozenset[str]:
    """The ids the page will give the headings of ``soup``, from their words."""
    return frozenset(heading_id(escape(heading.get_text(" "))) for heading in soup.find_all(_HEADINGS))


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


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


class _Converter(MarkdownConverter):
    """markdownify with what Markdown cannot say kept as HTML, and code taken from the tree."""

    def __init__(self, heading_ids: frozenset[str] = frozenset(), **options: object) -> None:
        super().__init__(**options)
        self.kept: list[str] = []
        self.heading_ids = set(heading_ids)
        """The ids the page gives its headings, and those anchors took: no id is given twice."""

    def raw(self, element: Tag, why: str) -> str:
        self.kept.append(why)
        return "\n\n" + raw_html(element) + "\n\n"

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """What Markdown would read as markup escaped (``mdescape``), and no more: markdownify escapes every
        ``*`` and ``_`` (``snake\\_case``) and, asked to, every ``#``, ``+`` and ``=`` wherever it stands."""
        return inline(text) if text else text

    def process_tag(self, node: Tag, parent_tags: set[str] | None = None) -> str:
        """An element Markdown cannot say is kept whole, before its children are converted (and counted);
        code is taken from the tree, since markdownify squeezes its spaces and escapes it."""
        parent_tags = parent_tags or set()
        if node.name == "pre" or node.name == "table" and code_cells(node):
            return self.code_block(node, parent_tags)
        if node.name == "code":
            return code_span(node.get_text())
        if "_noformat" not in parent_tags and (node.name in _INLINE_HTML or node.name in _MARKED_INLINE
                                                and any(node.get(key) for key in _LANGUAGE)):
            return self.inline_html(node, parent_tags)
        if node.name in _MARKED_BLOCKS and "_inline" not in parent_tags and any(node.get(key) for key in _LANGUAGE):
            return self.marked_block(node, parent_tags)
        why = _raw_reason(node)
        if why and "_inline" not in parent_tags:
            return self.raw(node, why)
        return super().process_tag(node, parent_tags)

    def code_block(self, node: Tag, parent_tags: set[str]) -> str:
        """A fenced block with the code's text and language, or, when the ``pre`` carries markup (a poem
        with its author in ``cite``), the ``pre`` itself."""
        text = code_text(node)
        if "_inline" in parent_tags:
            return code_span(text)
        if node.name == "pre" and not node.find("table") and node.find(_PRE_MARKUP):
            self.kept.append("preformatted text with markup")
            return "\n\n" + _kept_lines(raw_html(_plain_pre(node))) + "\n\n"
        fence = backticks(text, 3)
        return f"\n\n{fence}{language(node)}\n{_kept_lines(text)}\n{fence}\n\n"

    def marked_block(self, node: Tag, parent_tags: set[str]) -> str:
        """A block with a language or a direction of its own (``<p dir="rtl">``), as its Markdown inside a ``div``
        that says them, which Markdown passes through."""
        inner = super().process_tag(node, parent_tags).strip("\n")
        if not inner.strip():
            return inner
        attributes = "".join(f' {key}="{escape(str(node[key]).strip())}"' for key in _LANGUAGE if node.get(key))
        return f"\n\n<div{attributes}>\n\n{inner}\n\n</div>\n\n"

    def inline_html(self, node: Tag, parent_tags: set[str]) -> str:
        inside = parent_tags | {node.name}
        text = "".join(self.process_element(child, inside) for child in node.children)
        body = text.strip()
        if not body:
            return text
        before, after = (" " if text[:1].isspace() else ""), (" " if text[-1:].isspace() else "")
        return f"{before}{_start_tag(node)}{body}</{node.name}>{after}"

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:  # noqa: N802 (markdownify's name)
        """A heading whose words end in ``#`` keeps them (ATX would take them as its closing marks), and one with
        an id of its own (Gutenberg's "HTML anchor") keeps it, as an anchor at its start, as a Jekyll heading's
        ``{#id}`` does, so that links to it still arrive (none where the page gives a heading that id anyway)."""
        text = _CLOSING_HASHES.sub(r"\1\\\2", text.strip())
        name = el.get("id")
        if "_inline" not in parent_tags and isinstance(name, str) and _ID.fullmatch(name) \
                and name not in self.heading_ids:
            self.heading_ids.add(name)
            text = f'<a id="{escape(name)}"></a>' + text
        return super().convert_hN(n, el, text, parent_tags)

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"td", "th"}:  # a pipe table's cell is one line: the break stays HTML
            return "<br>" + text
        return super().convert_br(el, text, parent_tags)

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_td(el, text.replace("|", "\\|"), parent_tags)

    def convert_th(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_th(el, text.replace("|", "\\|"), parent_tags)


def _plain_pre(node: Tag) -> Tag:
    """A copy of the ``pre`` with WordPress's paragraphs and line breaks inside it undone."""
    copy = BeautifulSoup(str(node), "html.parser").pre
    for br in copy.find_all("br"):
        br.replace_with("" if str(br.next_sibling or "").startswith("\n") else "\n")
    for paragraph in copy.find_all("p"):
        paragraph.unwrap()
    return copy


def _kept_lines(text: str) -> str:
    return "\n".join(line or _KEPT_LINE for line in text.split("\n"))


def _start_tag(node: Tag) -> str:
    allowed = _GLOBAL | _ALLOWED.get(node.name, set())
    attributes = "".join(
        f' {key}="{escape(" ".join(value) if isinstance(value, list) else str(value))}"'
        for key, value in node.attrs.items() if key in allowed or key.startswith(("data-", "aria-")))
    return f"<{node.name}{attributes}>"


def _table_problem(table: Tag) -> str | None:
    """Why a pipe table cannot say all of ``table``, or None: it needs a header row of ``th`` (or a
    ``thead``), every row as wide as it, no caption, no merged cells, each cell one line of inline
    content (or one paragraph)."""
    rows = table.find_all("tr")
    head = rows[0].find_all(["td", "th"], recursive=False) if rows else []
    if not rows or not (rows[0].parent.name == "thead" or all(cell.name == "th" for cell in head)):
        return "table without a header row"
    if table.find("caption"):
        return "table with a caption"
    for number, row in enumerate(rows):
        cells = row.find_all(["td", "th"], recursive=False)
        if len(cells) != len(head):
            return "table with rows of different widths"
        if number and any(cell.name == "th" for cell in cells):
            return "table with headers in its rows"  # a pipe table's body has plain cells only
        for cell in cells:
            blocks = cell.find_all(_BLOCKS)
            if cell.get("colspan") or cell.get("rowspan") or blocks and not (
                    len(blocks) == 1 and blocks[0].name == "p" and blocks[0].parent is cell):
                return "table with merged cells or blocks in its cells"
    return None


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
        return _table_problem(node)
    if name == "dl":
        return "definition list"
    if name == "address":
        return "address (contact details, line by line)"
    return None


def raw_html(element: Tag) -> str:
    """``element`` as an HTML block Markdown passes through: only current attributes, images with an
    ``alt``, and no blank line (which would end the block; only ``</pre>`` ends a ``pre``)."""
    copy = BeautifulSoup(str(element), "html.parser")
    for tag in copy.find_all(True):
        if tag.name in FOREIGN or tag.find_parent(list(FOREIGN)) is not None:  # SVG, MathML: all but scripts
            tag.attrs = {k: v for k, v in tag.attrs.items() if not k.lower().startswith("on")}
            continue
        allowed = _GLOBAL | _ALLOWED.get(tag.name, set())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in allowed or k.startswith(("data-", "aria-"))}
        if tag.name == "img" and "alt" not in tag.attrs:
            tag["alt"] = ""
        for key in _BOOLEAN & set(tag.attrs):
            tag[key] = ""  # present or absent: `allowfullscreen="true"` is no value HTML allows
        if tag.name in ("iframe", "embed", "object"):  # as wide as the text at most, on a phone too
            tag["style"] = "max-width: 100%"
        if tag.name in ("td", "th"):
            for key in ("colspan", "rowspan"):
                if key in tag.attrs and not str(tag[key]).isdigit():
                    del tag[key]
    return str(copy).strip() if element.name == "pre" else _BLANK.sub("\n", str(copy).strip())


def convert(html: str, where: Where, links: Callable[[str], str | None] | None = None) -> Converted:
    """``to_markdown``, with a ``file:line`` error instead of Markdown no page can carry or a document
    too deeply nested to convert."""
    try:
        done = to_markdown(html, links)
    except RecursionError as e:
        raise SiteError(Diagnostic(where.path, where.line, "cannot convert this HTML: its elements are nested "
                                   "too deeply; flatten it in the source and export again")) from e
    problem = markdown_problem(without_forbidden(done.markdown)[0])  # such a character is taken out and reported
    if problem:                                                         # as the import writes the post
        raise SiteError(Diagnostic(where.path, where.line, f"cannot convert this HTML (line {problem[0]} of its "
                                   f"Markdown): {problem[1]}"))
    return done


def kept(where: Where, what: str) -> Skipped:
    """The report's line for something ``convert`` kept as raw HTML or changed on the way."""
    if what.startswith("headings renumbered") or ": headings renumbered" in what:
        return Skipped(where, what, "so that the page's outline has no gaps", kept=True)
    return Skipped(where, what, "kept as raw HTML: Markdown cannot say it", kept=True)
