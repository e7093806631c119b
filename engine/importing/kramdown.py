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
    blanked = without_code(markdown).split("\n")
    block, code = False, False
    for n, line in enumerate(blanked):
        blank = not line.strip()
        code = (code or n == 0 or not blanked[n - 1].strip()) and not block and \
            (line.startswith(("    ", "\t")) or (code and blank))
        block = not blank and (block or bool(_HTML_BLOCK.match(line)))
        if block or (code and not blank):
            blanked[n] = " " * len(line)
    return "\n".join(blanked)


_HTML_BLOCK = re.compile(r" {0,3}<(?:[A-Za-z][A-Za-z0-9-]*|/[A-Za-z]|!--)")
_HEADING_ID = re.compile(r"^(#{1,6}[ \t].*?)[ \t]*\{#([A-Za-z][\w:.-]*)\}[ \t]*$", re.M)


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
        tex = _BACKSLASH.sub(r"\\\\", markdown[start:end])
        out += [markdown[at:start], _ACTIVE.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], tex)]
        at = end
    return "".join(out) + markdown[at:]  # ``tidy.math_note`` names the post


def attribute_lists(markdown: str, where: Where, skipped: list[Skipped]) -> str:
    """``markdown`` without kramdown's attribute lists and its ``{:toc}``, outside code; each kind reported once,
    at its first line.  A heading's own id (``## The method {#method}``) is kept, as an anchor before it."""
    markdown = _heading_ids(markdown, where, skipped)
    if "{:" not in markdown:
        return markdown
    blanked = without_code(markdown)
    found = [(m.span(), "toc") for m in _TOC.finditer(blanked)]
    found += [(m.span(), "ial") for m in _IAL.finditer(blanked)
              if not any(s <= m.start() < e for (s, e), _ in found)]
    if not found:
        return markdown
    found.sort()
    for kind, what, why in (("toc", "kramdown table of contents ({:toc})", "left out: kramdown made it; the "
                             "site's pages have none"),
                            ("ial", "kramdown attribute list ({: …})", "left out: it set classes or styles of "
                             "the old theme")):
        first = next((start for (start, _), k in found if k == kind), None)
        if first is not None:
            line = where.line + markdown.count("\n", 0, first) if where.line else 0
            skipped.append(Skipped(Where(where.path, line), what, why))
    out, at = [], 0
    for (start, end), _ in found:
        out.append(markdown[at:start])
        at = end
    return "".join(out) + markdown[at:]


def _heading_ids(markdown: str, where: Where, skipped: list[Skipped]) -> str:
    """``markdown`` with each heading's kramdown id (``{#method}``) made an anchor of that id just before the
    heading, so that links to it still arrive; the first reported."""
    if "{#" not in markdown:
        return markdown
    blanked = without_code(markdown)
    found = [m for m in _HEADING_ID.finditer(blanked)]
    if not found:
        return markdown
    line = where.line + markdown.count("\n", 0, found[0].start()) if where.line else 0
    skipped.append(Skipped(Where(where.path, line), "kramdown heading id ({#…})", "kept as an anchor before the "
                           "heading, so that links to it still arrive", kept=True))
    out, at = [], 0
    for m in found:
        out += [markdown[at:m.start()], f'<a id="{m.group(2)}"></a>\n\n', markdown[m.start(1):m.end(1)]]
        at = m.end()
    return "".join(out) + markdown[at:]
