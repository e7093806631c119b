"""Code in another tool's HTML → its text and language, as a Markdown code block or span shows them.

Highlighters wrap code in their own markup: Rouge, Pygments and Chroma number its lines in a table (a
cell of numbers, then the code) or in spans, and each names the language its own way.  What a reader
needs is the code's text to the character, without the numbers, and its language on the fence.
"""
from __future__ import annotations

import logging
import re

from bs4 import NavigableString, Tag

log = logging.getLogger(__name__)

_LINE_NUMBERS = {"lineno", "linenos", "ln", "lnt"}
"""Classes of the line numbers highlighters write inside the code (Pygments' and Chroma's inline ones)."""
_LANGUAGE = re.compile(r"^(?:language|lang|highlight)-([\w+#.-]+)$")
"""How a class names the code's language (``language-rust``, ``highlight-python``)."""


def backticks(text: str, least: int) -> str:
    """A fence of at least ``least`` backticks and longer than any run of them in ``text``, which it can then
    hold whole."""
    return "`" * max(least, 1 + max(map(len, re.findall(r"`+", text)), default=0))


def code_span(text: str) -> str:
    """``text`` as a code span that shows it exactly: a fence longer than any run of backticks in it (a
    line break in a code span shows as a space, and two would end the paragraph)."""
    text = text.replace("\n", " ")
    if not text:
        return ""
    fence = backticks(text, 1)
    padded = text.startswith("`") or text.endswith("`") or (text[0] == text[-1] == " " and text.strip())
    return f"{fence} {text} {fence}" if padded else f"{fence}{text}{fence}"


def code_cells(table: Tag) -> list[Tag] | None:
    """The code cells of a table that numbers a code block's lines (a cell of numbers, then the code),
    or None when ``table`` is another table."""
    cells = []
    for row in table.find_all("tr"):
        row_cells = row.find_all(["td", "th"], recursive=False)
        if len(row_cells) != 2 or not row_cells[1].find("pre") \
                or not all(word.isdigit() for word in row_cells[0].get_text().split()):
            return None
        cells.append(row_cells[1])
    return cells or None


def code_text(node: Tag) -> str:
    """What a code block shows: the text of its code, without line numbers, tags or the newline that
    HTML drops after ``<pre>``."""
    table = node if node.name == "table" else node.find("table")
    cells = code_cells(table) if table is not None else None
    parts = [_shown(cell).removeprefix("\n") for cell in cells] if cells else [_shown(node).removeprefix("\n")]
    return "".join(part if part.endswith("\n") else part + "\n" for part in parts).rstrip("\n")


def _shown(element: Tag) -> str:
    """``element``'s text as a ``pre`` shows it: a ``<br>`` is a line break (one, when WordPress put it
    before the line's own newline), line numbers are left out."""
    out = []
    for child in element.children:
        if isinstance(child, NavigableString):
            out.append(str(child))
        elif child.name == "br":
            out.append("" if str(child.next_sibling or "").startswith("\n") else "\n")
        elif isinstance(child, Tag) and not _LINE_NUMBERS.intersection(child.get("class") or ()):
            out.append(_shown(child))
    return "".join(out)


def language(node: Tag) -> str:
    """The code's language, as Rouge, Pygments, Chroma, highlight.js and docutils name it on the
    ``pre``, its ``code`` or the ``div``/``figure`` around them."""
    found = [node, *node.find_all(["pre", "code"])]
    parent = node.parent
    for _ in range(3):
        if parent is None or parent.name not in ("div", "figure"):
            break
        found.append(parent)
        parent = parent.parent
    for element in found:
        lang = element.get("data-lang")
        classes = list(element.get("class") or ())
        if element.name == "pre" and "code" in classes and "literal-block" in classes:  # docutils
            lang = lang or next((c for c in classes if c not in ("code", "literal-block")), None)
        lang = lang or next((m.group(1) for m in map(_LANGUAGE.match, classes) if m), None)
        if isinstance(lang, str) and re.fullmatch(r"[\w+#.-]+", lang):
            return lang
    return ""
