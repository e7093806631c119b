"""Quotation marks as the text's language writes them.

Smart punctuation (pyromark's, for essays; ``smart.smart`` for titles) knows
English marks only: “double” and ‘single’, with ’ for the apostrophe too.  A
German essay wants „so“ and ‚so‘, a French one « ainsi » and “ainsi”, a
Japanese one 「こう」 and 『こう』.  ``requote`` turns the English marks of
text already made smart into the language's, as the CLDR's delimiters give
them (Babel does not carry those, so the table below holds the languages
whose marks differ from English).

A double mark is opening or closing as smart punctuation decided.  A single
closing mark is also the apostrophe (“don’t”, “Peters’”), so ’ becomes the
language's closing mark only where it closes a ‘ opened before it in the same
block and does not stand between two letters.  Code, preformatted text,
scripts and styles keep what the author typed; so do tags and attributes.
"""
from __future__ import annotations

import functools
import logging
import re
from typing import NamedTuple

log = logging.getLogger(__name__)


class Marks(NamedTuple):
    """A language's quotation marks: the outer pair, then the pair for a quotation inside a quotation."""

    open: str
    close: str
    inner_open: str
    inner_close: str


_NNBSP = "\u202f"
"""French sets guillemets off from their words with a narrow no-break space, which no line ends at."""

_MARKS = {
    "de": Marks("„", "“", "‚", "‘"),
    "de-ch": Marks("«", "»", "‹", "›"),
    "de-li": Marks("«", "»", "‹", "›"),
    "fr": Marks("«" + _NNBSP, _NNBSP + "»", "“", "”"),
    "fr-ch": Marks("«", "»", "‹", "›"),
    "es": Marks("«", "»", "“", "”"),
    "it": Marks("«", "»", "“", "”"),
    "pt-pt": Marks("«", "»", "“", "”"),
    "ru": Marks("«", "»", "„", "“"),
    "uk": Marks("«", "»", "„", "“"),
    "be": Marks("«", "»", "„", "“"),
    "pl": Marks("„", "”", "«", "»"),
    "cs": Marks("„", "“", "‚", "‘"),
    "sk": Marks("„", "“", "‚", "‘"),
    "hu": Marks("„", "”", "»", "«"),
    "sv": Marks("”", "”", "’", "’"),
    "fi": Marks("”", "”", "’", "’"),
    "nb": Marks("«", "»", "‘", "’"),
    "nn": Marks("«", "»", "‘", "’"),
    "no": Marks("«", "»", "‘", "’"),
    "el": Marks("«", "»", "“", "”"),
    "ja": Marks("「", "」", "『", "』"),
    "zh-hant": Marks("「", "」", "『", "』"),
    "zh-tw": Marks("「", "」", "『", "』"),
    "zh-hk": Marks("「", "」", "『", "』"),
}


@functools.lru_cache(maxsize=256)
def marks_for(language: str) -> Marks | None:
    """The marks of ``language`` (a BCP 47 tag), or None where they are English's and nothing changes."""
    parts = language.replace("_", "-").lower().split("-")
    for size in range(len(parts), 0, -1):
        found = _MARKS.get("-".join(parts[:size]))
        if found is not None:
            return found
        if size == 2 and parts[0] == "zh" and parts[1] in ("hant", "tw", "hk", "mo"):
            return _MARKS["zh-hant"]
    return None


_QUOTES = "\u201c\u201d\u2018\u2019"
_KEPT = ("code", "pre", "kbd", "samp", "script", "style", "textarea", "math", "svg")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>|<!--.*?-->", re.DOTALL)
_BLOCK = frozenset({"p", "li", "blockquote", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
                    "figcaption", "div", "section", "aside", "summary", "caption", "br", "hr"})


def requote(text: str, marks: Marks | None, markup: bool = True) -> str:
    """``text`` (HTML, or plain text with ``markup=False``) with English quotation marks made ``marks``."""
    if marks is None or not any(mark in text for mark in _QUOTES):
        return text
    out: list[str] = []
    kept, opened = 0, 0  # how deep inside elements that keep their text; single quotes open in this block
    at = 0
    for tag in _TAG.finditer(text) if markup else ():
        opened = _run(text[at:tag.start()], marks, out, opened) if not kept else _as_is(text[at:tag.start()], out)
        out.append(tag.group(0))
        name = (tag.group(2) or "").lower()
        if name in _KEPT and not tag.group(0).endswith("/>"):
            kept = max(kept - 1, 0) if tag.group(1) else kept + 1
        if name in _BLOCK:
            opened = 0
        at = tag.end()
    if kept:
        _as_is(text[at:], out)
    else:
        _run(text[at:], marks, out, opened)
    return "".join(out)


def _as_is(text: str, out: list[str]) -> int:
    out.append(text)
    return 0


def _run(text: str, marks: Marks, out: list[str], opened: int) -> int:
    """Append ``text`` requoted to ``out``; returns how many single quotes are left open."""
    if not any(mark in text for mark in _QUOTES):
        out.append(text)
        return opened
    chars = list(text)
    for i, char in enumerate(chars):
        if char == "\u201c":
            chars[i] = marks.open
        elif char == "\u201d":
            chars[i] = marks.close
        elif char == "\u2018":
            chars[i], opened = marks.inner_open, opened + 1
        elif char == "\u2019" and opened and not (_letter(text, i - 1) and _letter(text, i + 1)):
            chars[i], opened = marks.inner_close, opened - 1
    out.append("".join(chars))
    return opened


def _letter(text: str, at: int) -> bool:
    return 0 <= at < len(text) and text[at].isalnum()


def quoted(html: object) -> bool:
    """Whether ``html`` (a fragment: ``str()`` gives its text) holds a quotation mark ``requote`` would change."""
    text = str(html)
    return "\u201c" in text or "\u201d" in text or "\u2018" in text
