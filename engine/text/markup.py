"""Is the author's raw HTML balanced?

Markdown passes raw HTML through, so an unclosed ``<div>`` or a stray
``</main>`` in an essay would publish a page with broken structure.  This
module checks a rendered fragment the way a browser's tree builder would see
it: void elements need no end tag, elements whose end tag HTML allows to be
omitted (``p``, ``li``, table parts …) may be closed implicitly, and anything
else left open or closed without being opened is reported.
"""
from __future__ import annotations

import bisect
import logging
import re
from collections import Counter, deque
from collections.abc import Iterator
from html.parser import HTMLParser

log = logging.getLogger(__name__)

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split()
                 + "basefont bgsound frame keygen param".split())
"""Elements without an end tag: HTML's void elements, and the obsolete ones its parser reads the same way
(``<param>`` in an old ``<object>`` video embed)."""
FOREIGN = frozenset({"svg", "math"})
"""SVG and MathML, inside which any element may close itself (``<rect … />``)."""
OPTIONAL_END = frozenset("p li dt dd tr td th thead tbody tfoot option optgroup rp rt colgroup caption".split())


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.open = Counter[str]()
        """How many of each tag the stack holds: asking a deep stack whether it holds one is slow."""
        self.problems: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)
            self.open[tag] += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag not in VOID and tag not in FOREIGN and not any(self.open[name] for name in FOREIGN):
            self.problems.append((tag, f"<{tag}/> is not a void element; write <{tag}></{tag}>"))

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """``<![CDATA[…]]>`` as Python reads it; any other ``<![`` (``<![DATA[``, a typo in a pasted sample),
        which Python refuses with an exception, as a browser reads it: a comment that the first ``>`` ends."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.open[tag]:
            self.problems.append((tag, f"</{tag}> closes an element that was never opened"))
            return
        while self.stack:
            top = self.stack.pop()
            self.open[top] -= 1
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


def close_open_elements(markdown: str, fragment: str) -> tuple[str, list[str]]:
    """``markdown`` (rendered as ``fragment``) with the elements its raw HTML leaves open, and a comment never
    closed, closed at its end, innermost first, each end tag a line of its own (a raw HTML block Markdown
    passes through); and the tags closed.  The text then shows on a page as a browser showed it on its own: an
    element open to the end of the text, not around the rest of the page."""
    if "<" not in fragment:
        return markdown, []
    checker = _Balance()
    checker.feed(fragment)
    checker.close()
    left = [tag for tag in checker.stack if tag not in OPTIONAL_END]
    comment = fragment.count("<!--") > fragment.count("-->")
    if not left and not comment:
        return markdown, []
    ends = (["-->"] if comment else []) + [f"</{tag}>" for tag in reversed(left)]
    return markdown.rstrip("\n") + "\n\n" + "\n".join(ends) + "\n", ["!--"] * comment + left[::-1]


def unbalanced_lines(markdown: str, fragment: str) -> list[tuple[int, str]]:
    """``(line, "raw HTML: problem")`` for each structural mistake in ``fragment``, the HTML rendered from
    ``markdown``: the line (counted from 1) is where the faulty tag appears in the Markdown, found by
    pairing its start and end tags there (an element never closed is an open one left over, one never
    opened a stray end tag), else where the tag first appears."""
    problems = unbalanced(fragment)
    unpaired = _unpaired(markdown, {tag for tag, _ in problems})
    paired: list[int | None] = []
    for tag, problem in problems:
        left = unpaired[tag][problem.endswith("never opened")]
        paired.append(left.popleft() if left and "is not a void element" not in problem else None)
    first = _first_written(markdown, {tag for (tag, _), at in zip(problems, paired) if at is None})
    across = _across_lines(markdown, {tag for (tag, problem), at in zip(problems, paired)
                                      if at is None and "is not a void element" not in problem})
    breaks = [m.start() for m in re.finditer("\n", markdown)]
    prose = without_code(markdown) if any("is not a void element" in problem for _, problem in problems) else ""
    closed = {tag: deque(m.start() for m in re.finditer(rf"<{re.escape(tag)}\b[^<>]*/\s*>", prose, re.I))
              for tag, problem in problems if "is not a void element" in problem}  # each <a/> where it is written
    found = []
    for (tag, problem), at in zip(problems, paired):
        if at is None and "is not a void element" in problem and closed[tag]:
            at = closed[tag].popleft()
        index = at if at is not None else across[tag][problem.endswith("never opened")] if tag in across \
            else first[tag]
        if index < 0 and tag == "p":  # a paragraph Markdown made: most often a blank line left inside raw HTML
            blank = _blank_inside(markdown)
            if blank is not None:
                line, opened, since = blank
                above = f"{line - since} line{'s' if line - since > 1 else ''} above"
                said = (line, f"raw HTML: a blank line inside <{opened}> (opened {above}) ends the HTML block "
                        "there, and Markdown reads what follows as a paragraph: remove the blank line")
                if said not in found:
                    found.append(said)
                continue
        found.append((1 + (bisect.bisect_left(breaks, index) if index >= 0 else 0), f"raw HTML: {problem}"))
    return found


def drop_stray_end_tags(markdown: str, fragment: str) -> tuple[str, list[tuple[int, str]]]:
    """``markdown`` (rendered as ``fragment``) without the end tags written in it that close nothing (a stray
    ``</a>``), which a browser drops; and ``(line, tag)`` for each one dropped."""
    strays = {tag for tag, problem in unbalanced(fragment) if problem.endswith("was never opened")}
    if not strays:
        return markdown, []
    spans = sorted((at, at + len(found.group(0)), tag) for tag, (_, left) in _unpaired(markdown, strays).items()
                   for at in left if (found := re.match(r"</[^<>]*>", markdown[at:])))
    dropped, out, last = [], [], 0
    for start, end, tag in spans:
        out.append(markdown[last:start])
        dropped.append((markdown.count("\n", 0, start) + 1, tag))
        last = end
    return "".join([*out, markdown[last:]]), dropped


_Element = tuple[str, int, str]
"""An element of raw HTML: its name, where its start tag stands, the start tag."""


def _html_walk(markdown: str, code_blank: bool) -> Iterator[tuple[int, str, _Element | None, list[_Element]]]:
    """Raw HTML as ``markdown`` holds it (its code aside), in order: ``(at, kind, element, open)`` for each
    blank line (``kind`` ``"blank"``; with ``code_blank``, a line of code counts as one), each element opened
    (``"open"``) and each closed by its end tag (``"close"``), with the elements open after it, outermost
    first.  An end tag that closes nothing open is no event; one that closes an element closes those opened
    inside it too."""
    text = without_code(markdown)
    blanks = re.finditer(r"\n[ \t]*(?=\n)", text if code_blank else markdown)
    events = sorted([(m.start(), m) for m in _ANY_TAG.finditer(text)] + [(m.start(), None) for m in blanks],
                    key=lambda e: e[0])
    stack: list[_Element] = []
    for at, tag in events:
        if tag is None:
            yield at, "blank", None, stack
            continue
        name = tag.group(2).lower()
        if tag.group(3) or name in VOID or name.startswith("!"):
            continue
        if not tag.group(1):
            stack.append((name, at, tag.group(0)))
            yield at, "open", stack[-1], stack
        elif any(element[0] == name for element in stack):
            while (closed := stack.pop())[0] != name:
                pass
            yield at, "close", closed, stack


def _blank_inside(markdown: str) -> tuple[int, str, int] | None:
    """``(line of the blank line, the element it stands in, that element's line)`` for the first blank line
    inside an element of raw HTML left open above it (code aside); None if there is none."""
    for at, kind, _, open_ in _html_walk(markdown, code_blank=True):
        if kind == "blank" and open_:
            name, opened, _ = open_[-1]
            return markdown.count("\n", 0, at) + 2, name, markdown.count("\n", 0, opened) + 1
    return None


def fill_closed_blank_lines(markdown: str) -> tuple[str, list[int]]:
    """``markdown`` with each blank line that stands inside an element of raw HTML closed further down made
    ``<!-- -->``, and the lines so filled (counted from 1).  kramdown and Python-Markdown read such an element
    whole, blank lines and all (an ``<svg>`` drawn over forty lines); CommonMark ends it at the first blank
    line, and reads the rest as paragraphs.  The comment shows nothing, in a ``<pre>`` too, where the line
    stays.  A blank line in an element never closed is left: only the author can say where it ends; so is
    one in an element that holds a fence (Markdown inside, set apart by its blank lines on purpose), in one
    CommonMark reads whole too (``<pre>``, ``<script>``, ``<style>``, ``<textarea>``), and in one marked
    ``markdown="1"`` (kramdown reads Markdown inside, its blank lines with it)."""
    fences = [m.start() for m in _CODE.finditer(markdown) if m.group(1)]
    pending: list[int] = []
    filled: list[int] = []
    for at, kind, element, open_ in _html_walk(markdown, code_blank=False):
        if kind == "blank" and open_:
            pending.append(at + 1)  # where the blank line starts
        elif kind == "close" and not open_ and element is not None:  # the outermost element, now closed
            name, opened, start = element
            kept = name in ("pre", "script", "style", "textarea") or "markdown=" in start.lower() or \
                any(opened < fence < at for fence in fences)
            filled, pending = filled + ([] if kept else pending), []
    lines = [markdown.count("\n", 0, start) + 1 for start in filled]
    for start in reversed(filled):
        end = markdown.index("\n", start)
        markdown = markdown[:start] + "<!-- -->" + markdown[end:]
    return markdown, lines


def _first_written(markdown: str, tags: set[str]) -> dict[str, int]:
    """For each of ``tags``, the later of the places where ``<tag`` and ``</tag`` first stand in
    ``markdown`` (-1 for neither), found in one reading of its ``<`` signs rather than a search of the
    whole text for each tag."""
    if not tags:
        return {}
    needles = {f"<{tag}" for tag in tags} | {f"</{tag}" for tag in tags}
    lengths = sorted({len(needle) for needle in needles})
    first: dict[str, int] = {}
    for m in re.finditer("<", markdown):
        for length in lengths:
            written = markdown[m.start():m.start() + length]
            if written in needles:
                first.setdefault(written, m.start())
    return {tag: max(first.get(f"<{tag}", -1), first.get(f"</{tag}", -1)) for tag in tags}


def _unpaired(markdown: str, tags: set[str]) -> dict[str, tuple[deque[int], deque[int]]]:
    """For each of ``tags``: where its start tags that no end tag closes, and its end tags that close
    none, stand in ``markdown`` (each end tag paired with the nearest open one; code and ``<tag/>`` left
    out).  Tags of plain ASCII, as every HTML element's, are paired in one reading of the text; any
    other is looked for on its own."""
    text = without_code(markdown)
    plain = {tag for tag in tags if tag.isascii() and not _NOT_IN_NAME.search(tag)}
    found = {tag: _pair(_tags_named(text, tag)) for tag in tags - plain}
    written: dict[str, list[re.Match[str]]] = {tag: [] for tag in plain}
    for m in _ANY_TAG.finditer(text):
        name = m.group(2).translate(_ASCII_FOLD).lower()
        if name in written:
            written[name].append(m)
    found.update((tag, _pair(matches)) for tag, matches in written.items())
    return found


def _pair(matches) -> tuple[deque[int], deque[int]]:
    """Where the start tags among ``matches`` that no end tag closes, and the end tags that close none,
    stand."""
    opened: list[int] = []
    strays: deque[int] = deque()
    for m in matches:
        if m.group(3):
            continue  # <span/>: reported as not void, opens nothing
        if not m.group(1):
            opened.append(m.start())
        elif opened:
            opened.pop()
        else:
            strays.append(m.start())
    return deque(opened), strays


def _across_lines(markdown: str, tags: set[str]) -> dict[str, tuple[int, int]]:
    """For each of ``tags`` whose start and end tags all pair up in ``markdown`` and yet are unbalanced in
    its HTML, where the first such pair written over more than one line stands (its start tag, its end tag):
    Markdown ends a list item or a paragraph between the lines and splits the element in two."""
    text = without_code(markdown) if tags else ""
    found: dict[str, tuple[int, int]] = {}
    for tag in tags:
        opened: list[int] = []
        for m in _tags_named(text, tag):
            if m.group(3):
                continue
            if not m.group(1):
                opened.append(m.start())
            elif opened and "\n" in text[(start := opened.pop()):m.start()]:
                found[tag] = (start, m.start())
                break
    return found


def _tags_named(text: str, tag: str) -> list[re.Match[str]]:
    """The start and end tags named ``tag`` in ``text``, in any case, grouped as ``_ANY_TAG`` groups them."""
    return list(re.finditer(rf"<(/?)({re.escape(tag)})(?=[\s/>])[^<>]*?(/?)>", text, re.IGNORECASE))


_ANY_TAG = re.compile(r"<(/?)([^\s/<>]+)(?=[\s/>])[^<>]*?(/?)>")
"""A start or end tag whose name holds no space, ``/``, ``<`` or ``>``: a tag of such a name written in
any case is found here as it is by ``_tags_named``."""
_NOT_IN_NAME = re.compile(r"[\s/<>]")
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""The only characters beyond ASCII that a case-blind regex takes for ASCII letters (İ, ı, ſ and the
Kelvin sign), and the only ones whose lower case holds an ASCII letter: folded with them, a name written
in any case reads as a plain tag exactly when ``_tags_named`` would find it under that tag."""


_CODE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$|(`+)(?!`).+?(?<!`)\2(?!`)", re.MULTILINE | re.DOTALL)


def without_code(markdown: str, indented: bool = False) -> str:
    """``markdown`` with its code blocks and code spans blanked out, line breaks kept: tags shown as code
    are no tags.  With ``indented``, code blocks indented four spaces are blanked too (not a list item's
    paragraph so indented)."""
    blanked = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), markdown)
    if not indented or "\n    " not in blanked and "\n\t" not in blanked:
        return blanked
    lines = blanked.split("\n")
    code, listed, after_blank = False, False, True
    for n, line in enumerate(lines):
        blank = not line.strip()
        inset = line.startswith(("    ", "\t"))
        if not blank and not inset:
            listed = bool(_LIST_ITEM.match(line)) or (listed and not after_blank and not _BLOCK_START.match(line))
        code = not listed and inset and (code or after_blank) or (code and blank)
        if code and not blank:
            lines[n] = " " * len(line)
        after_blank = blank
    return "\n".join(lines)


_LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|\d{1,9}[.)])[ \t]")
_BLOCK_START = re.compile(r" {0,3}(?:#|>|```|~~~)")
