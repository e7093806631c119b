"""What kramdown, Jekyll's own Markdown, reads otherwise than the site's CommonMark.

Two things that every kramdown blog of any age holds, and that CommonMark
would show wrong:

- Math between ``$$`` (kramdown's one delimiter, for inline and display
  math alike) is TeX, which kramdown hands to MathJax untouched.  CommonMark
  reads it as Markdown: ``\\\\`` loses a backslash, ``\\{`` its backslash,
  ``*…*`` turns italic, ``'`` curly.  ``escape_math`` escapes what CommonMark
  would act on, so that the page shows the TeX exactly as written.
- Attribute lists (``{: .class}``, ``{:toc}`` after a ``* TOC`` item), which
  set classes and styles for the old theme, or ask for a table of contents.
  CommonMark shows them as text; ``attribute_lists`` takes them out.

Both leave code (fenced, indented and inline) alone, and report what they did.
"""
from __future__ import annotations

import logging
import re

from ..text.markdown import heading_id
from ..text.markup import without_code
from .model import Skipped, Where

log = logging.getLogger(__name__)

_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_BACKSLASH = re.compile(r"\\(?=[!-/:-@[-`{-~]|\n|\Z)")
"""A backslash CommonMark would take as an escape (``\\{``, ``\\\\``) or as a line break: doubled."""
_ACTIVE = re.compile(r"[*_`\[\]<>'\"~|&!]|-(?=-)|\.(?=\.\.)|^[ \t]*[#+=-]", re.M)
"""What CommonMark would read as markup inside math: emphasis, code, links, raw HTML, smart quotes and
dashes, entities, strikethrough, table cells, and a heading, list or underline at a line's start."""
_TOC = re.compile(r"^[ \t]*(?:[*+-]|1\.)[ \t]+TOC[ \t]*\n[ \t]*\{:toc\}[ \t]*\n?", re.M)
_IAL = re.compile(r"^[ \t]*\{:(?!:)[^}\n]*\}[ \t]*(?:\n|\Z)|\{:(?!:)[^}\n]*\}", re.M)
"""A block attribute list on a line of its own (the line goes), or a span's after it."""


def _prose(markdown: str) -> str:
    """``markdown`` with what Markdown shows as written blanked out, line breaks kept: code (fenced, inline,
    and indented after a blank line) and blocks of raw HTML (from a line that opens with a tag to the next
    blank line), where a backslash is no escape."""
    blanked = without_code(markdown, indented=True).split("\n")
    block = False
    for n, line in enumerate(blanked):
        block = bool(line.strip()) and (block or bool(_HTML_BLOCK.match(line)))
        if block:
            blanked[n] = " " * len(line)
    return "\n".join(blanked)


_HTML_BLOCK = re.compile(r" {0,3}<(?:/?(?:address|article|aside|blockquote|details|dialog|div|dl|fieldset|figcaption|"
                         r"figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|script|section|style|summary|"
                         r"table|tbody|td|tfoot|th|thead|tr|ul|iframe|center|textarea)\b|!--)", re.IGNORECASE)
"""A line that opens a block of raw HTML (not one that opens with ``<em>`` or an autolink, a paragraph's)."""
_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
"""A quotation's marks at a line's start, which a formula inside a blockquote carries on each line."""
_ID = r"""\{:?[^{}\n#]*(?:#|(?<![\w-])id=["']?)([A-Za-z][\w:.-]*)[^{}\n]*\}"""
"""An id in kramdown's braces: ``{#method}``, or in an attribute list, ``{: #method .wide}``, ``{: id="m"}``."""
_QUOTED = r"(?:[ \t]*>[ \t]?)*"
_LEAD = _QUOTED + r"[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?"
"""What may stand before a heading's ``#``: a quotation's marks, a list item's."""
_HEADING_ID = re.compile(r"^(" + _LEAD + r"#{1,6}[ \t].*?)[ \t]*" + _ID + r"[ \t]*$", re.M)
"""An ATX heading with its id at its end (``## The method {#method}``)."""
_SETEXT_ID = re.compile(r"^(" + _QUOTED + r"[ \t]*[^\s#>].*?)[ \t]*" + _ID + r"[ \t]*(?=\n" + _QUOTED +
                        r"[ \t]{0,3}(?:=+|-+)[ \t]*$)", re.M)
"""A setext heading's line with its id at its end, the line of ``=`` or ``-`` after it kept."""
_ID_AFTER = re.compile(r"^(" + _LEAD + r"#{1,6}[ \t].*?|" + _QUOTED + r"[ \t]*[^\s#>].*?\n" + _QUOTED +
                       r"[ \t]{0,3}(?:=+|-+)[ \t]*)\n" + _QUOTED + r"[ \t]*" + _ID + r"[ \t]*$", re.M)
"""A heading (ATX, or setext with its line of ``=``), then its attribute list with an id on the next line."""


def escape_math(markdown: str) -> str:
    """``markdown`` with each ``$$…$$`` outside code and raw HTML escaped so that the page shows the TeX as
    written."""
    if "$$" not in markdown:
        return markdown
    blanked = _prose(markdown)
    spans = [found.span(1) for found in _MATH.finditer(blanked)]
    if not spans:
        return markdown
    out, at = [], 0
    for start, end in spans:
        out += [markdown[at:start], _escaped(markdown[start:end])]
        at = end
    return "".join(out) + markdown[at:]  # ``tidy.math_note`` names the post


def _escaped(tex: str) -> str:
    """TeX escaped where Markdown would act on it, but for a blockquote's marks at the start of its lines."""
    out, at = [], 0
    for prefix in list(_PREFIX.finditer(tex)) + [None]:
        piece = tex[at:prefix.start() if prefix else len(tex)]
        piece = _BACKSLASH.sub(r"\\\\", piece)
        out.append(_ACTIVE.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], piece))
        if prefix is not None:
            out.append(prefix.group(0))
            at = prefix.end()
    return "".join(out)


def attribute_lists(markdown: str, where: Where, skipped: list[Skipped]) -> str:
    """``markdown`` without kramdown's attribute lists and its ``{:toc}``, outside code; each kind reported once,
    at its first line in the file.  A heading's own id (``## The method {#method}``) is kept, as an anchor."""
    headings = _heading_id_matches(markdown)
    written = _lists(markdown)  # where the file has them, for the report
    ids = [m.span() for m in headings]
    for kind, what, why in (("toc", "kramdown table of contents ({:toc})", "left out: kramdown made it; the "
                             "site's pages have none"),
                            ("ial", "kramdown attribute list ({: …})", "left out: it set classes or styles of "
                             "the old theme")):
        first = next((start for (start, _), k in written if k == kind and not any(s <= start < e for s, e in ids)),
                     None)
        if first is not None:
            line = where.line + markdown.count("\n", 0, first) if where.line else 0
            skipped.append(Skipped(Where(where.path, line), what, why))
    markdown = _heading_ids(markdown, headings, where, skipped)
    out, at = [], 0
    for (start, end), _ in _lists(markdown):
        out.append(markdown[at:start])
        at = end
    return "".join(out) + markdown[at:]


def _lists(markdown: str) -> list[tuple[tuple[int, int], str]]:
    """Where ``markdown`` has a table of contents (``toc``) or an attribute list (``ial``) outside code."""
    if "{:" not in markdown:
        return []
    blanked = without_code(markdown)
    found = [(m.span(), "toc") for m in _TOC.finditer(blanked)]
    found += [(m.span(), "ial") for m in _IAL.finditer(blanked) if not any(s <= m.start() < e for (s, e), _ in found)]
    return sorted(found)


def _heading_ids(markdown: str, found: list[re.Match[str]], where: Where, skipped: list[Skipped]) -> str:
    """``markdown`` with each heading's kramdown id (``## The method {#method}``, the same on a setext heading's
    line, or ``{: #method}`` on the line after it) made an anchor of that id at the heading's start, so that
    links to it still arrive (none where the heading gets that id anyway: the first of its words on the
    page; ``found``: ``_heading_id_matches``); the first reported."""
    if not found:
        return markdown
    line = where.line + markdown.count("\n", 0, found[0].start()) if where.line else 0
    skipped.append(Skipped(Where(where.path, line), "kramdown heading id ({#…})", "kept as an anchor at the "
                           "heading's start, so that links to it still arrive", kept=True))
    taken = {heading_id(m.group(2)) for m in _ANY_HEADING.finditer(without_code(markdown))}
    out, at = [], 0
    for m in found:
        if m.start() < at:
            continue  # one heading, two ways of giving its id: the first counts
        heading, name = markdown[m.start(1):m.end(1)], m.group(2)
        lead = re.match(_LEAD + r"(?:#{1,6}[ \t]+)?", heading)
        start = lead.end() if lead else 0
        text, rest = (heading[start:].split("\n", 1) + [""])[:2]  # a setext heading's line, then its underline
        anchor = "" if name in taken else f'<a id="{name}"></a>'  # a heading has that id already: one id, one place
        taken.add(name)
        out += [markdown[at:m.start()], heading[:start], anchor, text, "\n" + rest if rest else ""]
        at = m.end()
    return "".join(out) + markdown[at:]


def _heading_id_matches(markdown: str) -> list[re.Match[str]]:
    """The headings with a kramdown id, outside code, in order."""
    if "{#" not in markdown and "{:" not in markdown:
        return []
    blanked = without_code(markdown)
    found = [m for pattern in (_HEADING_ID, _SETEXT_ID, _ID_AFTER) for m in pattern.finditer(markdown)
             if blanked[m.start(2) - 1:m.end(2)] == markdown[m.start(2) - 1:m.end(2)]]  # not in code
    return sorted(found, key=lambda m: m.start())


_ANY_HEADING = re.compile(r"^" + _LEAD + r"(#{1,6}[ \t]+)?(.+?)[ \t]*(?:\{[^{}\n]*\})?[ \t]*$"
                          r"(?(1)|(?=\n[ \t]{0,3}(?:=+|-+)[ \t]*$))", re.M)
"""Every heading's words, for the ids the page gives them."""
