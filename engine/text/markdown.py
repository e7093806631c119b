"""Markdown → HTML, behind one small interface.

The engine is pyromark (pulldown-cmark): CommonMark with tables, footnotes,
strikethrough and smart punctuation at about 0.1 ms for a 2,000-word essay,
some seventy times faster than pure-Python parsers, with raw HTML passed
through (the author is trusted).  On top of pyromark's output this module has the footnotes gathered into one
numbered list with back links (``footnotes.py``), and adds heading ids and Pygments highlighting.
``part:`` links are left as ``href="part:…"``: ``parts.py`` resolves them per
build, so that the cached HTML stays valid when a part is published.
"""
from __future__ import annotations

import bisect
import html
import itertools
import logging
import re
from urllib.parse import unquote

import pyromark
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .cutting import first_words, join_paragraphs, spaced
from .elements import Element, elements, replace_elements
from .footnotes import gather_footnotes
from .markup import without_code
from .quotes import Marks, needs_code, protect, requote, restore
from .smart import hebrew_marks

log = logging.getLogger(__name__)

ENGINE_VERSION = f"pyromark {pyromark.__version__} / feuilleton 2"

_OPTIONS = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
            | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_SMART_PUNCTUATION)

_HEADING = re.compile(r"<h([1-6])>")
_HEADING_END = {str(level): re.compile(f"</h{level}>") for level in range(1, 7)}
_CODE = re.compile(r'<pre><code class="language-([\w+#.-]+)">')
_CODE_END = re.compile("</code></pre>")
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile("<p>")
_PARAGRAPH_END = re.compile("</p>")
_FOOTNOTE_MARK = re.compile('<sup class="footnote-ref">')
_SUP_END = re.compile("</sup>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BDI = re.compile(r"<bdi(?:\s[^>]*)?>")
"""A ``<bdi>``, whose words a summary keeps apart as U+2068 … U+2069 (first strong isolate … pop)."""
_FORMATTER = HtmlFormatter(nowrap=True)
_ADDRESS_GOES_ON = r"(?![\w/%~-]|\.\w)"
"""What follows a needle where it is only the start of a longer address (``part:7`` in ``part:70``)."""
_ADDRESS_END = re.compile(_ADDRESS_GOES_ON)
"""Every place in a text where an address can end."""


_PART_SCHEME = re.compile(r'href="(?!part:)(?i:part):')
"""``[Part 2](Part:2)``: a scheme is the same in any case (RFC 3986), and a capital is easy to type."""
_ANY_PART_SCHEME = re.compile(r"(?!part:)(?i:part):")


def render(text: str, marks: Marks | None = None) -> str:
    """Render Markdown; ``part:`` links are left for ``parts.resolve_parts``, their scheme in lower case.  With
    ``marks``, the quotation marks smart punctuation makes are the language's (``quotes``)."""
    code = without_code(text, indented=True) if needs_code(text) else None  # where a reference is no mark
    return restore(requote(_render(protect(text, code)), marks))


def _render(text: str) -> str:
    out = hebrew_marks(_PART_SCHEME.sub('href="part:', pyromark.html(text, options=_OPTIONS)))
    if "footnote-definition" in out or "footnote-reference" in out:
        out = gather_footnotes(out)
    out = _add_heading_ids(out)
    if "<table>" in out:
        out = _wrap_tables(out)
    if "<pre><code class=" in out:
        out = replace_elements(out, _CODE, lambda _: _CODE_END, _highlight)
    return out


_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_TABLE_WRAP = '<div class="table-wrap" role="region" tabindex="0" aria-label="Table">'


_HEADER_ROW = re.compile(r'aria-label="Table"><table>\s*(?:<caption[^>]*>(.*?)</caption>\s*)?(?:<thead>\s*)?'
                         r'(?:<tbody>\s*)?<tr[^>]*>(.*?)</tr>', re.DOTALL | re.IGNORECASE)
"""A wrapped table's caption, if it has one, and its first row: its header row, in a Markdown table."""
_CELL_END = re.compile(r"</t[hd]>", re.IGNORECASE)


def _wrap_tables(out: str) -> str:
    """Each table Markdown made (a bare ``<table>``) in a focusable wrapper that scrolls it on a narrow
    screen; its own ``</table>`` closes the wrapper, not that of a table written in HTML (``<table class>``).
    The wrapper is a region named after the table's caption or columns ("Table: Place, Count"; a table
    written in HTML without a header row, after its first row), so that two tables on a page are two
    landmarks a screen reader tells apart."""
    wrapped: list[bool] = []

    def tag(match: re.Match[str]) -> str:
        if not match.group(1):
            wrapped.append(match.group(0) == "<table>")
            return _TABLE_WRAP + match.group(0) if wrapped[-1] else match.group(0)
        return match.group(0) + "</div>" if wrapped and wrapped.pop() else match.group(0)

    def named(match: re.Match[str]) -> str:
        caption, row = match.groups()
        columns = " ".join(_TAG.sub("", caption).split()) if caption else ""
        columns = columns or ", ".join(filter(None, (" ".join(_TAG.sub("", cell).split())
                                                     for cell in _CELL_END.split(row))))
        if not columns:
            return match.group(0)
        columns = columns if len(columns) <= 80 else columns[:79].rsplit(" ", 1)[0] + "…"
        return f'aria-label="Table: {columns.replace(chr(34), "&quot;")}"' + match.group(0)[len('aria-label="Table"'):]
    return _HEADER_ROW.sub(named, _TABLE_TAG.sub(tag, out))


def plain_text(fragment: str) -> str:
    """The words of an HTML fragment, tags dropped, entities decoded."""
    return " ".join(html.unescape(_without_tags(fragment, " ")).split())


_BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|hr|dl|dt|dd|"
                        r"section|figure|figcaption)\b[^>]*>|<br\s*/?>", re.IGNORECASE)


def prose_text(fragment: str, notes: bool = False) -> str:
    """The words of a rendered fragment as a reader reads them: a block (a paragraph, a list item) parts the
    words around it, an inline tag (emphasis, a highlighted token of code) does not ("*rivers*." stays
    "rivers."); footnotes and their marks go, as a text said in one breath has none, unless ``notes``."""
    if not notes:
        fragment = fragment.split('<section class="footnotes"', 1)[0]
        fragment = replace_elements(fragment, _FOOTNOTE_MARK, lambda _: _SUP_END, lambda _: "")
    return " ".join(spaced(html.unescape(_without_tags(_BLOCK_TAG.sub(" ", fragment), ""))))


def _inline_text(fragment: str) -> str:
    """The words of inline HTML, such as a paragraph's content: tags go without parting the words and
    punctuation they touch ("*in vino veritas*." stays "in vino veritas."); footnote marks go whole; an image
    among words is its text, as a screen reader reads it ("the river and a chart and"), one alone is none."""
    fragment = _BREAK.sub(" ", replace_elements(fragment, _FOOTNOTE_MARK, lambda _: _SUP_END, lambda _: ""))
    if "<img" in fragment:
        alone = not _without_tags(_IMAGE.sub("", fragment), "").strip()
        fragment = _IMAGE.sub(lambda image: "" if alone else image.group(1) or "", fragment)
    if "<bdi" in fragment:  # its isolation kept as text can keep it: "(8 U.S.C. § 1373)" in an Arabic line
        fragment = _BDI.sub("\u2068", fragment).replace("</bdi>", "\u2069")
    return " ".join(spaced(html.unescape(_without_tags(fragment, ""))))


_IMAGE = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*?(?:\salt="([^"]*)"(?:[^>"']|"[^"]*"|'[^']*')*)?>""")
"""An image's tag, with its text (``alt``) if it has one."""


def _without_tags(fragment: str, space: str) -> str:
    """``fragment`` with each tag replaced by ``space``.  No tag ends after the last ``>``, so the text
    after it is left out of the search: a regex would look there for a ``>`` from each ``<``."""
    cut = fragment.rfind(">") + 1
    return _TAG.sub(space, fragment[:cut]) + fragment[cut:]


def heading_id(markdown: str) -> str:
    """The id a heading whose Markdown is ``markdown`` gets as the first of its words on a page."""
    return HeadingIds(RESERVED_IDS).take(render(markdown).removeprefix("<p>").removesuffix("</p>\n"))


def _heading_base(text: str) -> str:
    """A heading's words as an id: lower case, punctuation dropped, spaces as hyphens."""
    base = re.sub(r"[^\w\s-]", "", plain_text(text).lower())
    return re.sub(r"[\s_-]+", "-", base).strip("-") or "section"


class HeadingIds:
    """Hands out the ids of one page's headings, each unique: a repeated heading takes its words with the
    first free ``-2``, ``-3`` … after them.  Where each one's count stopped is kept, so that a page of
    thousands of equal headings does not count up from ``-2`` again for each (an id once taken stays
    taken, so the first free number never moves back)."""

    def __init__(self, taken: frozenset[str] = frozenset()):
        self.taken: set[str] = set(taken)
        self.next: dict[str, int] = {}

    def take(self, text: str) -> str:
        """The id of a heading whose inner HTML is ``text``, from now on taken."""
        base = candidate = _heading_base(text)
        if _FOOTNOTE_ID.match(candidate):  # "FN 1" would be footnote 1's id, where its link leads
            base = candidate = f"section-{candidate}"
        if candidate in self.taken:
            n = self.next.get(base, 2)
            while f"{base}-{n}" in self.taken:
                n += 1
            self.next[base] = n + 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


_FOOTNOTE_ID = re.compile(r"fn(?:ref)?-")
"""The start of a footnote's id and its references' (``footnotes.py``), which no heading's id may take."""

RESERVED_IDS = frozenset({"content", "top", "main", "footnotes", "site-header", "site-footer", "history",
                          "history-title"})
"""Ids the theme uses; headings never take them."""


def _add_heading_ids(out: str) -> str:
    ids = HeadingIds(RESERVED_IDS)
    return replace_elements(out, _HEADING, lambda start: _HEADING_END[start.group(1)], lambda h: (
        f'<h{h.start.group(1)} id="{ids.take(h.body)}">{h.body}</h{h.start.group(1)}>'))


def _highlight(block: Element) -> str:
    language, code = block.start.group(1), html.unescape(block.body)
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return block.whole
    body = highlight(code, lexer, _FORMATTER)
    return f'<pre class="highlight"><code class="language-{language}">{body}</code></pre>'


def source_lines(markdown: str, first_line: int, needles: list[str]) -> list[int]:
    """The line of each needle, in ``markdown`` that starts on ``first_line``: the Nth time a needle is asked
    for, its Nth occurrence, so that warnings about a link written twice point at each (a needle found
    fewer times gets its last place, as a reference definition used twice; one not found, the first line).
    """
    if not needles:
        return []
    if any(needle.startswith("part:") for needle in needles):  # as ``render`` reads ``Part:2``; the same length
        markdown = _ANY_PART_SCHEME.sub("part:", markdown)
    # an address as the page has it (``%7Bfilename%7D``, ``&amp;``) may be written otherwise (``{filename}``)
    written = {needle: unquote(html.unescape(needle)) for needle in needles}
    places = _whole_addresses(markdown, set(needles) | set(written.values()))
    breaks = [m.start() for m in re.finditer("\n", markdown)]
    asked: dict[str, int] = {}
    lines = []
    for needle in needles:
        found, nth = places[needle] or places[written[needle]], asked.get(needle, 0)
        asked[needle] = nth + 1
        lines.append(first_line + bisect.bisect_left(breaks, found[min(nth, len(found) - 1)]) if found else first_line)
    return lines


def _whole_addresses(markdown: str, needles: set[str]) -> dict[str, list[int]]:
    """Where each needle stands in ``markdown`` ending as a whole address, left to right, none overlapping
    the one before it.  Every such place ends where an address can end, so the text is read once for
    those ends, and each needle length looks up the characters just before each end, rather than each
    needle reading the whole text: a post with thousands of different links stays fast."""
    by_length: dict[int, set[str]] = {}
    for needle in needles:
        by_length.setdefault(len(needle), set()).add(needle)
    ends = [m.start() for m in _ADDRESS_END.finditer(markdown)]
    found: dict[str, list[int]] = {needle: [] for needle in needles}
    for length, group in by_length.items():
        for end in ends[bisect.bisect_left(ends, length):]:
            word = markdown[end - length:end]
            if word in group:
                places = found[word]
                if not places or end - length >= places[-1] + length:
                    places.append(end - length)
    return found


def summarize(fragment: str, words: int) -> str:
    """The first words of the first paragraphs of a rendered fragment (a Chinese or Japanese character
    counts as a word)."""
    fragment = fragment.split('<section class="footnotes"', 1)[0]  # the notes are not the opening words
    paragraphs = [p.body for p in itertools.islice(elements(fragment, _PARAGRAPH, lambda _: _PARAGRAPH_END), 3)]
    text = join_paragraphs([t for t in map(_inline_text, paragraphs) if t]) if paragraphs else plain_text(fragment)
    shown, cut = first_words(text, words)
    return shown + ("…" if cut else "")
