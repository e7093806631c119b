"""Footnotes in HTML from another tool, as Markdown footnotes: the usual markup (a ``<sup>`` link to a note in
a list, with links back) and a word processor's pasted into a blog (``[1]`` linked to ``#_ftn1``, the notes at
the end).  Each citation becomes a placeholder the converted text has in its place; ``html.py`` writes
``[^N]`` there."""
from __future__ import annotations

import re
from typing import Callable

from bs4 import BeautifulSoup, Tag

FOOTNOTE_REF = "\x00fn{}\x00"
"""What stands for citation N in the text until it is Markdown."""


def footnotes(soup: BeautifulSoup, text: Callable[[BeautifulSoup], str]) -> dict[int, str]:
    """Footnote references (a link in ``<sup>`` to a note in the same document) become placeholders, the
    notes become Markdown footnotes (``text``: a note's HTML as Markdown); returns number → the note's
    Markdown."""
    notes: dict[int, str] = {}
    for ref in soup.select("sup a[href^='#'], a.footnote-ref[href^='#'], a.footnote-anchor[href^='#']"):
        target = soup.find(id=ref["href"][1:]) if len(ref["href"]) > 1 else None
        if target is not None and target.name == "a" and target.parent is not None:  # a numbered anchor in the note
            target, number_anchor = target.parent, target
            number_anchor.decompose()
        if target is None or target.name not in ("li", "p", "div", "aside"):
            continue
        number = len(notes) + 1
        for back in target.select("a[href^='#']"):
            if back.get("href", "")[1:] in (ref.get("id"), (ref.parent or ref).get("id")) or "↩" in back.get_text():
                back.decompose()
        body = BeautifulSoup(target.decode_contents(), "html.parser")
        notes[number] = _indented(text(body).strip())
        (ref.parent if ref.parent and ref.parent.name == "sup" else ref).replace_with(FOOTNOTE_REF.format(number))
        container = target.parent
        target.decompose()
        while container is not None and container.name in ("ol", "ul", "div", "section", "aside", "hr") \
                and not container.get_text(strip=True):
            parent = container.parent
            previous = container.find_previous_sibling()
            container.decompose()
            if previous is not None and previous.name == "hr":
                previous.decompose()
            container = parent
    _word_footnotes(soup, notes, text)
    return notes


def _indented(note: str) -> str:
    """A note's Markdown as the body of its definition: every line after the first indented into the note,
    so that its lists, quotes, code and later paragraphs stay its own blocks, line by line (they were run
    into one line: "* a * b", code without its line breaks)."""
    lines = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", note).split("\n")
    return "\n".join([lines[0]] + [f"    {line}" if line.strip() else "" for line in lines[1:]])


_WORD_REF = re.compile(r"#_ftn(\d+)\Z")
_NOTE_ENDS = frozenset(("p", "div", "hr", "ul", "ol", "table", "blockquote", "pre", "figure", "h1", "h2", "h3", "h4",
                        "h5", "h6"))


def _word_footnotes(soup: BeautifulSoup, notes: dict[int, str], text: Callable[[BeautifulSoup], str]) -> None:
    """Footnotes as a word processor writes them, pasted into a blog: ``<a href="#_ftn1">[1]</a>`` in the
    text, and at the end a note that begins with ``<a href="#_ftnref1" name="_ftn1">[1]</a>``, often as a loose
    line after a rule; WordPress may have kept either attribute of the note's anchor, or both."""
    taken = False
    for ref in soup.select("a[href^='#_ftn']"):
        found = _WORD_REF.match(ref.get("href", ""))
        number = found.group(1) if found else ""
        back = (soup.find("a", href=f"#_ftnref{number}") or soup.find("a", attrs={"name": f"_ftn{number}"})
                or soup.find("a", id=f"_ftn{number}")) if found else None
        if back is None or back.parent is None:
            continue
        body: list = []
        for node in back.next_siblings:
            if isinstance(node, Tag) and (node.name in _NOTE_ENDS or node.name == "a"
                                          and node.get("href", "").startswith("#_ftnref")):
                break
            body.append(node)
        html = "".join(str(node) for node in body).strip()
        if not html:
            continue
        number, taken = len(notes) + 1, True
        inner = text(BeautifulSoup(html, "html.parser"))
        notes[number] = " ".join(inner.split())
        holder = ref.parent if ref.parent is not None and ref.parent.name == "sup" else ref
        holder.replace_with(FOOTNOTE_REF.format(number))
        container = back.parent
        for node in [back, *body]:
            node.extract()
        while container is not None and container.name in ("p", "div", "section") \
                and not container.get_text(strip=True) and not container.find(True):
            parent = container.parent
            container.decompose()
            container = parent
    if taken:
        for rule in soup.find_all("hr"):  # the rule a word processor draws above its notes, with nothing below now
            if not any(isinstance(node, Tag) or node.strip() for node in rule.next_siblings):
                rule.decompose()
