"""Smart punctuation for the plain text around an essay: titles, working titles and summaries.

Essays and notes get curly quotes, dashes and ellipses from pyromark as they
are rendered; a title or a summary is plain text, written in front matter or
``series.toml``, and would otherwise show the straight quotes and double
hyphens the author typed beside an essay that shows curly ones.  The same
engine does the same work here: the text is escaped so that nothing in it
is read as Markdown but the punctuation it turns.
"""
from __future__ import annotations

import functools
import html
import logging
import re

import pyromark

from .quotes import Marks, marks_for, protect, requote, restore

log = logging.getLogger(__name__)

_MARKUP = re.compile(r"""[\\!#$%&()*+,/:;<=>?@\[\]^_`{|}~]""")
"""ASCII punctuation that Markdown may read as markup: everything but the quotes, hyphens and periods that
smart punctuation turns."""
_LEAD = "x "
"""Put before the text so that nothing in it begins a line (a list, a heading, a rule)."""
_GERSHAYIM = re.compile("(?<=[\u05d0-\u05ea])[\u201c\u201d](?=[\u05d0-\u05ea])")
"""A quotation mark smart punctuation made of a ``"`` between two Hebrew letters: gershayim, which Hebrew
writers type as ``"`` (צה"ל, התשי"ט), and which is no quotation."""


_HEBREW = re.compile("[\u05d0-\u05ea]")
_SENTENCE_END = frozenset(".!?\n")
_BLOCK_START = re.compile(r"<(?:p|li|h[1-6]|blockquote|td|th|dd|dt|figcaption)[\s>]")


def hebrew_marks(html_text: str) -> str:
    """``html_text`` with each ``"`` typed as gershayim between two Hebrew letters, which smart punctuation
    made an opening or closing quotation mark (צה“ל), as the gershayim it is (צה״ל, U+05F4); unless the word
    it opens is closed by a quotation mark before the sentence ends (ב"הארץ", a name quoted after a one-letter
    prefix), which is then an opening and a closing mark."""
    if "\u201c" not in html_text and "\u201d" not in html_text:
        return html_text
    out = list(html_text)
    for found in _GERSHAYIM.finditer(html_text):
        at = found.start()
        if out[at] not in "\u201c\u201d":
            continue  # made the closing mark of a quotation opened before it
        closing = None if _quoting(html_text, at) else _closing_quote(html_text, at + 1)
        if closing is None:
            out[at] = "\u05f4"
        else:
            out[at], out[closing] = "\u201c", "\u201d"
    return "".join(out)


def _quoting(text: str, at: int) -> bool:
    """Whether ``text[at]`` lies inside a quotation opened earlier in its paragraph ("ראיתי את צה"ל"): the mark
    that closes it later is that quotation's, and the one at ``at`` is gershayim."""
    opened, start = 0, max(0, at - 600)
    for block in _BLOCK_START.finditer(text, start, at):  # a paragraph, an item, a cell: its own sentences
        start = block.end()
    for index in range(at - 1, start - 1, -1):  # a quotation may hold several sentences
        char = text[index]
        if char in "\u201c\u201d":
            before, after = text[index - 1:index], text[index + 1:index + 2]
            opened += 1 if not _HEBREW.match(before) and _HEBREW.match(after) else \
                -1 if _HEBREW.match(before) and not _HEBREW.match(after) else 0
    return opened > 0


def _closing_quote(text: str, start: int) -> int | None:
    """Where a quotation mark after a Hebrew letter closes what opened before ``start``, before the sentence
    ends or another quotation opens; tags are passed over."""
    at, end = start, min(len(text), start + 600)
    while at < end:
        char = text[at]
        if char == "<":
            at = text.find(">", at) + 1 or end
            continue
        if char in _SENTENCE_END:
            return None
        if char in "\u201c\u201d":
            after = text[at + 1:at + 2]
            return at if _HEBREW.match(text[at - 1]) and not _HEBREW.match(after) else None
        at += 1
    return None


@functools.lru_cache(maxsize=1 << 14)
def smart(text: str, language: str = "") -> str:
    """``text`` with curly quotes and apostrophes, en and em dashes for ``--`` and ``---`` and an ellipsis
    for ``...``, exactly as an essay's text gets them, its quotation marks as ``language`` writes them
    (``quotes.requote``); nothing else changes."""
    return restore(_turned(text, language)) if _turns(text) else text


_ENGLISH = Marks("\u201c", "\u201d", "\u2018", "\u2019")


def smart_inside(text: str, language: str = "", around: str | None = None) -> str:
    """``smart``, for a text in ``language`` set inside the quotation marks of ``around`` (by default the same
    language): “The ‘duty’ of asylum”, the theme quoting a title.  A quotation it holds takes the inner marks of
    ``around``, as one inside a quotation does in an essay; only those made of straight quotes, whose pairs are
    known: the marks the author typed are the author's."""
    if not _turns(text):
        return text
    marks = (marks_for(language) if language else None) or _ENGLISH
    inner = marks if around is None else (marks_for(around) if around else None) or _ENGLISH
    outer = {marks.open: inner.inner_open, marks.close: inner.inner_close}
    shown = _turned(text, language)  # the marks typed are still hidden here
    return restore(re.sub("|".join(map(re.escape, outer)), lambda found: outer[found.group(0)], shown))


def _turns(text: str) -> bool:
    """Whether smart punctuation has anything in ``text`` to turn."""
    return bool(text) and any(mark in text for mark in ("'", '"', "--", "..."))


def _turned(text: str, language: str) -> str:
    """``text`` made smart in ``language``, the curly marks the author typed still hidden (``quotes.protect``)."""
    return requote(_smart(protect(text)), marks_for(language) if language else None, markup=False)


def _smart(text: str) -> str:
    escaped = _MARKUP.sub(lambda m: "\\" + m.group(0), " ".join(text.split()))
    out = pyromark.html(_LEAD + escaped, options=pyromark.Options.ENABLE_SMART_PUNCTUATION)
    inner = out.strip()
    if not (inner.startswith("<p>" + _LEAD) and inner.endswith("</p>")) or "<" in inner[3:-4]:
        return text  # never expected; the text as written is always right to show
    return hebrew_marks(html.unescape(inner[3 + len(_LEAD):-4]))
