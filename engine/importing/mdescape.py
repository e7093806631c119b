"""Text from HTML made safe to stand in Markdown: what the engine's Markdown (CommonMark with tables, footnotes,
strikethrough) would read as markup is escaped with a backslash, and nothing else, since the author reads and
edits the file afterwards.

Inline marks are decided within one text node (``inline``), where a mark whose neighbour lies outside the node
is escaped, as it might pair with anything.  A block's start (``1986.``, ``- ``, ``# ``, ``>``, ``===``, a
table's delimiter row, a fence) is one only at the start of a line, which the text alone cannot know: ``inline``
marks the text that could start one with ``LINE_START``, and ``block_starts`` reads the finished Markdown and
escapes those at the start of a line, after nothing but the marks of their containers (quote, list item,
footnote, indentation)."""
from __future__ import annotations

import re

LINE_START = "\x02"
"""Put before text that would start a block if it began a line; ``block_starts`` takes it out."""

_BACKSLASH = re.compile(r"\\(?=[!-/:-@[-`{-~]|\n|\Z)")
"""A backslash Markdown would take as an escape or a line break (TeX's ``\\{``, ``\\(``, ``\\\\``): doubled, so
the page shows it as the old one did."""
_DELIMITERS = re.compile(r"\*+|_+|~+")
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)")
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?]|\Z)")
"""A ``<`` that may open raw HTML or an autolink (or does at the text's end, where the next text is unknown)."""
_LINK_MIDDLE = re.compile(r"\](?=[(\[])")
"""The ``](`` or ``][`` of an inline or reference link: with the ``]`` escaped, the ``[`` opens none."""
_CANDIDATE = re.compile(r"(?:^|(?<=\n)) ?(?=[0-9\-+*#>=|:~`\[_])")
"""Where a line may begin with a block's marker: the text's start, and after each of its line breaks."""


def inline(text: str) -> str:
    """``text`` (whitespace already normalised) with its inline marks escaped, and ``LINE_START`` where a line
    of it might begin a block."""
    text = _BACKSLASH.sub(r"\\\\", text)
    text = _DELIMITERS.sub(lambda m: _delimiter(m, text), text)
    text = text.replace("`", "\\`")
    text = _ENTITY.sub(r"\\&", text)
    text = _TAG_OPEN.sub(r"\\<", text)
    text = _LINK_MIDDLE.sub(r"\\]", text).replace("[^", "\\[^")
    return _CANDIDATE.sub(lambda m: m.group(0) + LINE_START, text)


def _delimiter(match: re.Match[str], text: str) -> str:
    """A run of ``*``, ``_`` or ``~`` escaped unless it can neither open nor close: spaces on both sides
    (``5 * 3``), or, for ``_`` and ``~``, letters or digits on both (``snake_case``)."""
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    run = match.group(0)
    if before and after and (before.isspace() and after.isspace()
                             or run[0] != "*" and _word(before) and _word(after)):
        return run
    return "".join("\\" + mark for mark in run)


def _word(char: str) -> bool:
    """A letter or digit, beside which ``_`` and ``~`` neither open nor close (CommonMark's intraword rule)."""
    return char.isalnum()

_CONTAINERS = re.compile(r"(?:[ \t]*(?:>|[-+*][ \t]|[0-9]{1,9}[.)][ \t]|\[\^[^\]\n]+\]:[ \t]))*[ \t]*")
"""What may stand before a block's first line: quote marks, list markers, a footnote's label, indentation."""
_BLOCK_MARKS = [re.compile(pattern) for pattern in (
    r"[0-9]{1,9}(?=[.)](?:[ \t]|$))",            # an ordered list's item: 1986. → 1986\.
    r"(?=[-+*](?:[ \t]|$))",                      # a bullet
    r"(?=#{1,6}(?:[ \t]|$))",                     # an ATX heading
    r"(?=>)",                                     # a quote
    r"(?=(?:=+|-+)[ \t]*$)",                      # a setext heading's underline, a rule
    r"(?=([-_*])[ \t]*(?:\1[ \t]*){2,}$)",        # a rule of spaced marks
    r"(?=~{3,}|`{3,})",                           # a fence
    r"(?=\|?[ \t]*:?-+:?[ \t]*\|)|(?=\|[ \t]*:?-+:?[ \t]*\|?[ \t]*$)",  # a table's delimiter row
    r"(?=\[[^\]\n]*\]:)",                         # a link's reference definition
)]


def block_starts(markdown: str) -> str:
    """``markdown`` with the text marked by ``LINE_START`` escaped where it begins a line's block, and the marks
    taken out."""
    if LINE_START not in markdown:
        return markdown
    return "\n".join(_line(line) if LINE_START in line else line for line in markdown.split("\n"))


def _line(line: str) -> str:
    before, _, rest = line.partition(LINE_START)
    rest = rest.replace(LINE_START, "")
    if not _CONTAINERS.fullmatch(before):
        return before + rest
    if _DASHES.match(rest):  # each escaped: "\\---" would show "-–", smart punctuation taking the other two
        return before + rest.replace("-", "\\-")
    for pattern in _BLOCK_MARKS:
        found = pattern.match(rest)
        if found:
            return before + rest[:found.end()] + "\\" + rest[found.end():]
    return before + rest


_DASHES = re.compile(r"-[ \t]*-[- \t]*$")
"""A line of dashes alone, a rule or a setext heading's underline."""
