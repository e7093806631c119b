"""Elements of HTML found by their start and end tags, without a regex's quadratic search for an end tag that
is not there: what the Markdown, footnote and ``part:`` passes over rendered HTML walk."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple


class Element(NamedTuple):
    """One element that ``elements`` found."""

    start: re.Match[str]
    """Its start tag, matched, with the groups of the start tag's pattern."""
    body: str
    """What stands between its start and end tags."""
    whole: str
    """The element as written, both tags included."""


def elements(text: str, start_tag: re.Pattern[str], end_tag: Callable[[re.Match[str]], re.Pattern[str]],
             nested: re.Pattern[str] | None = None) -> Iterator[Element]:
    """The elements of ``text`` that begin with ``start_tag`` and end at the first ``end_tag(start)`` after
    it, left to right, none inside the one before: what a regex ``start(.*?)end`` finds, without its
    cost.  Such a regex looks for an end tag to the end of the text again from every start tag that has
    none, in time that grows with the square of their number; here an end tag once missing after a place
    is not looked for after it again.  With ``nested``, the start tag of an element of the same name that
    the element may hold (a ``<div>`` an author wrote in a footnote), each such one's end tag is passed over;
    where the text never ends them all, every element ends at the first end tag, as without."""
    missing: dict[re.Pattern[str], int] = {}
    at = 0
    while (start := start_tag.search(text, at)) is not None:
        end_pattern, end = end_tag(start), None
        if nested is not None:
            end = _balanced(text, start.end(), nested, end_pattern)
            if end is None:
                nested = None  # not looked for again: each such search would read to the end of the text
        if end is None and start.end() < missing.get(end_pattern, len(text) + 1):
            end = end_pattern.search(text, start.end())
        if end is None:
            missing[end_pattern] = min(start.end(), missing.get(end_pattern, start.end()))
            at = start.start() + 1
            continue
        yield Element(start, text[start.end():end.start()], text[start.start():end.end()])
        at = end.end()


def _balanced(text: str, at: int, nested: re.Pattern[str], end_tag: re.Pattern[str]) -> re.Match[str] | None:
    """The end tag after ``at`` that ends the element begun before it, each ``nested`` start tag after it
    ended first (in the case the nested one's pattern is: ``</DIV>`` ends ``<DIV>``); None where the text ends
    first."""
    depth = 0
    tags = re.compile(f"(?:{nested.pattern})|(?P<end>{end_tag.pattern})", nested.flags)
    for tag in tags.finditer(text, at):
        if tag.group("end") is None:
            depth += 1
        elif depth == 0:
            return tag
        else:
            depth -= 1
    return None


def replace_elements(text: str, start_tag: re.Pattern[str], end_tag: Callable[[re.Match[str]], re.Pattern[str]],
                     replace: Callable[[Element], str], nested: re.Pattern[str] | None = None) -> str:
    """``text`` with each of its ``elements`` replaced by what ``replace`` makes of it."""
    pieces, done = [], 0
    for element in elements(text, start_tag, end_tag, nested):
        pieces += [text[done:element.start.start()], replace(element)]
        done = element.start.start() + len(element.whole)
    return "".join(pieces) + text[done:]
