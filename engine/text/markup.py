"""Is the author's raw HTML balanced?

Markdown passes raw HTML through, so an unclosed ``<div>`` or a stray
``</main>`` in an essay would publish a page with broken structure.  This
module checks a rendered fragment the way a browser's tree builder would see
it: void elements need no end tag, elements whose end tag HTML allows to be
omitted (``p``, ``li``, table parts …) may be closed implicitly, and anything
else left open or closed without being opened is reported.
"""
from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

log = logging.getLogger(__name__)

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
OPTIONAL_END = frozenset("p li dt dd tr td th thead tbody tfoot option optgroup rp rt colgroup caption".split())


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.problems.append((tag, f"<{tag}/> is not a void element; write <{tag}></{tag}>"))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag not in self.stack:
            self.problems.append((tag, f"</{tag}> closes an element that was never opened"))
            return
        while self.stack:
            top = self.stack.pop()
            if top == tag:
                return
            if top not in OPTIONAL_END:
                self.problems.append((top, f"<{top}> is never closed (</{tag}> comes first)"))


def unbalanced(fragment: str) -> list[tuple[str, str]]:
    """``(tag, problem)`` for every structural mistake in an HTML fragment."""
    if "<" not in fragment:
        return []
    checker = _Balance()
    checker.feed(fragment)
    checker.close()
    problems = checker.problems
    problems += [(tag, f"<{tag}> is never closed") for tag in checker.stack if tag not in OPTIONAL_END]
    if fragment.count("<!--") > fragment.count("-->"):
        problems.append(("!--", "an HTML comment <!-- is never closed with -->, which would hide the rest of the page"))
    return problems


def unbalanced_lines(markdown: str, fragment: str) -> list[tuple[int, str]]:
    """``(line, "raw HTML: problem")`` for each structural mistake in ``fragment``, the HTML rendered from
    ``markdown``: the line (counted from 1) is where the faulty tag appears in the Markdown, found by
    pairing its start and end tags there (an element never closed is an open one left over, one never
    opened a stray end tag), else where the tag first appears."""
    found = []
    left: dict[tuple[str, bool], list[int]] = {}
    for tag, problem in unbalanced(fragment):
        stray = problem.endswith("never opened")
        if (tag, stray) not in left:
            left[(tag, stray)] = _unpaired(markdown, tag)[stray]
        places = left[(tag, stray)]
        index = places.pop(0) if places and "is not a void element" not in problem else \
            max(markdown.find(f"<{tag}"), markdown.find(f"</{tag}"))
        found.append((1 + (markdown.count("\n", 0, index) if index >= 0 else 0), f"raw HTML: {problem}"))
    return found


def _unpaired(markdown: str, tag: str) -> tuple[list[int], list[int]]:
    """Where ``tag``'s start tags that no end tag closes, and its end tags that close none, stand in
    ``markdown`` (each end tag paired with the nearest open one; code and ``<tag/>`` left out)."""
    opened: list[int] = []
    strays: list[int] = []
    for m in re.finditer(rf"<(/?){re.escape(tag)}(?=[\s/>])[^<>]*?(/?)>", _without_code(markdown), re.IGNORECASE):
        if m.group(2):
            continue  # <span/>: reported as not void, opens nothing
        if not m.group(1):
            opened.append(m.start())
        elif opened:
            opened.pop()
        else:
            strays.append(m.start())
    return opened, strays


_CODE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$|(`+)(?!`).+?(?<!`)\2(?!`)", re.MULTILINE | re.DOTALL)


def _without_code(markdown: str) -> str:
    """``markdown`` with its code blocks and code spans blanked out, line breaks kept: tags shown as code
    are no tags."""
    return _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), markdown)
