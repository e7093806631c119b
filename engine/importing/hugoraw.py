"""Raw HTML in a Hugo post, shown as the text the author wrote, where Hugo showed none of it.

goldmark, Hugo's Markdown renderer since 0.60, leaves every raw HTML block and inline tag out of the page
(``<!-- raw HTML omitted -->``) unless the site's settings say ``markup.goldmark.renderer.unsafe = true``
(``hugoconfig.raw_html_left_out``).  Such a site's readers never saw ``<NAME>`` in ``kubectl logs <NAME>``,
nor the Maven XML pasted outside a code block, as HTML: most of it is a placeholder or pasted code, which
the author meant as text.  Dropping it would lose the author's words; keeping it as HTML would publish
elements no reader saw (a ``<script>`` that never ran) and, unbalanced, stop the import.  So each inline
tag is escaped (``\\<NAME>``) and shows as written, each HTML block becomes a code block of its lines as
written, and comments, which show nothing either way, stay.  The post's report line says what was done.

Markdown is read as CommonMark reads it (pyromark), as goldmark does; a shortcode (``{{<note>}}``), the
code of a ``highlight`` shortcode and the body of a paired ``{{< >}}`` one, which Hugo gave the shortcode's
template as written, are Hugo's, not raw HTML, and are left as written; a line holding a shortcode goes
into no code block.
"""
from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field

import pyromark

log = logging.getLogger(__name__)

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES | pyromark.Options.ENABLE_STRIKETHROUGH
"""goldmark's extensions that Hugo turns on by default and that change where raw HTML can be (a table cell)."""
_COMMENTS = re.compile(rb"<!--.*?-->", re.S)
_TAG = re.compile(rb"<(?!!--)[^<>]*>?")
"""A tag in a line of an HTML block (a comment aside), as far as its ``>``."""
_QUOTES = re.compile(rb"[\"'\\]")
"""Quotation marks in a tag, which smart punctuation would curl once the tag is text, and backslashes, which
would escape what follows."""


@dataclass
class Shown:
    """What was done to one text's raw HTML, for its report line."""

    tags: list[str] = field(default_factory=list)
    """Each inline tag escaped, as written (``<NAME>``)."""
    blocks: list[int] = field(default_factory=list)
    """The line (of the file) of each HTML block made a code block."""
    first: int = 0
    """The first line (of the file) changed; 0 for none."""
    added: list[int] = field(default_factory=list)
    """The lines the fences added, each counted from 0 in the new text, in order."""

    def written(self, line: int) -> int:
        """The line (counted from 0) of the text as written that a line of the new text (not an added one)
        was: the lines a shortcode is reported at are the file's."""
        return line - bisect.bisect_left(self.added, line)

    def said(self) -> str:
        """The report's words for it: what was done, and where."""
        parts = []
        if self.tags:
            names = list(dict.fromkeys(_shortened(tag) for tag in self.tags))
            listed = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
            parts.append(f"{_count(len(self.tags), 'tag')} escaped to show as written ({listed})")
        if self.blocks:
            parts.append(f"{_count(len(self.blocks), 'HTML block')} shown as code ({_lines(self.blocks)})")
        return "; ".join(parts)


def shown_as_text(markdown: str, hugos: list[tuple[int, int]], first_line: int = 1) -> tuple[str, Shown]:
    """``markdown`` with its raw HTML made text (above), and what was done, its lines counted from
    ``first_line``; ``hugos``: the spans (character offsets) of the shortcodes, Hugo's own and no raw HTML:
    they read as plain words, as Hugo's stand-ins for them did when goldmark read the text."""
    if "<" not in markdown:
        return markdown, Shown()
    data = markdown.encode("utf-8")
    masked = bytearray(data)
    spans = sorted((len(markdown[:a].encode("utf-8")), len(markdown[:b].encode("utf-8"))) for a, b in hugos)
    for a, b in spans:
        masked[a:b] = re.sub(rb"[^\n]", b"x", data[a:b])
    inserts: list[tuple[int, bytes]] = []
    shown = Shown()
    lines = _Lines(data, first_line)
    block: list[tuple[int, int]] = []
    for event, span in pyromark.events_with_range(masked.decode("utf-8"), options=_OPTIONS):
        start, end = span["start"], span["end"]
        if event == {"Start": "HtmlBlock"}:
            block = []
        elif isinstance(event, dict) and "Html" in event:
            block.append((start, end))
        elif event == {"End": "HtmlBlock"}:
            inserts += _block(data, start, end, block, shown, lines, spans)
        elif isinstance(event, dict) and "InlineHtml" in event and not event["InlineHtml"].startswith("<!--"):
            inserts += _escaped(data, start, end)
            shown.tags.append(event["InlineHtml"])
            shown.first = shown.first or lines.at(start)
    if not inserts:
        return markdown, shown
    out, last, breaks = [], 0, 0
    for at, text in sorted(inserts, key=lambda insert: insert[0]):
        breaks += data.count(b"\n", last, at)
        if b"\n" in text:  # a fence's line, or, after a list marker, the line the block's first moved to
            shown.added.append(breaks + (not text.endswith(b"\n") or text.startswith(b"\n")))
        breaks += text.count(b"\n")
        out += [data[last:at], text]
        last = at
    return b"".join([*out, data[last:]]).decode("utf-8"), shown


@dataclass(frozen=True)
class _Lines:
    data: bytes
    first: int

    def at(self, offset: int) -> int:
        """The line of the file that a byte of the text stands on."""
        return self.first + self.data.count(b"\n", 0, offset)


def _block(data: bytes, start: int, end: int, lines: list[tuple[int, int]], shown: Shown,
           where: _Lines, hugos: list[tuple[int, int]]) -> list[tuple[int, bytes]]:
    """The insertions that fence an HTML block as code: before its first line, with that line's prefix (a
    list item's indentation, a block quote's ``>``), or, where the block starts on a list item's marker
    line (``2. <blockquote>``), after the marker, the block's first line moved below at its indentation;
    and after its last line.  Escaping its tags instead would turn the block into a paragraph, whose lines
    would then take in those below (code indented under a list item) as raw HTML.  A line that holds a
    shortcode (``hugos``, byte offsets) stays out of every fence, its own tags escaped: the shortcode stays
    one, its closing tag with it (``{{% note %}}`` around a ``<p>``)."""
    written = b"".join(data[a:b] for a, b in lines)
    if not _COMMENTS.sub(b"", written).strip():
        return []  # only comments: nothing shows, here or on the old site
    runs: list[list[tuple[int, int]]] = [[]]
    inserts: list[tuple[int, bytes]] = []
    for a, b in lines:
        if not any(x < b and a < y for x, y in hugos):
            runs[-1].append((a, b))
            continue
        runs.append([])
        for tag in _TAG.finditer(data, a, b):  # the rest of a shortcode's line, read as a paragraph's
            if not any(x < tag.end() and tag.start() < y for x, y in hugos):
                inserts += _escaped(data, tag.start(), tag.end())
                shown.tags.append(tag.group().decode("utf-8", "replace"))
                shown.first = min(shown.first or where.at(tag.start()), where.at(tag.start()))
    for run in runs:
        if run and _COMMENTS.sub(b"", b"".join(data[a:b] for a, b in run)).strip():
            inserts += _fenced(data, run[0][0], run[-1][1], shown, where)
    return inserts


def _fenced(data: bytes, start: int, end: int, shown: Shown, where: _Lines) -> list[tuple[int, bytes]]:
    """The fences around the lines of an HTML block from ``start`` to ``end`` (``_block``)."""
    line_start = data.rfind(b"\n", 0, start) + 1
    prefix = data[line_start:start]
    indent = re.sub(rb"[^>\t]", b" ", prefix)
    shown.blocks.append(where.at(start))
    shown.first = min(shown.first or shown.blocks[-1], shown.blocks[-1])
    ticks = max((len(run) for run in re.findall(rb"`+", data[line_start:end])), default=0)
    fence = b"`" * max(3, ticks + 1)
    opening = (line_start, prefix + fence + b"\n") if prefix == indent else (start, fence + b"\n" + indent)
    return [opening, (end, (b"" if data[end - 1:end] == b"\n" else b"\n") + indent + fence + b"\n")]


def _escaped(data: bytes, start: int, end: int) -> list[tuple[int, bytes]]:
    """The backslashes that make a tag text: before its ``<``, each quotation mark in it and each backslash."""
    return [(start, b"\\")] + [(m.start(), b"\\") for m in _QUOTES.finditer(data, start, end)]


def _shortened(tag: str) -> str:
    tag = " ".join(tag.split())
    return tag if len(tag) <= 24 else tag[:22] + "…>"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _lines(lines: list[int]) -> str:
    listed = ", ".join(map(str, lines[:6])) + (", …" if len(lines) > 6 else "")
    return f"line {listed}" if len(lines) == 1 else f"lines {listed}"
