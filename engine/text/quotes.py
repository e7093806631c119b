"""Quotation marks as the text's language writes them.

Smart punctuation (pyromark's, for essays; ``smart.smart`` for titles) knows
English marks only: “double” and ‘single’, with ’ for the apostrophe too.  A
German essay wants „so“ and ‚so‘, a French one « ainsi » and “ainsi”, a
Japanese one 「こう」 and 『こう』.  The marks smart punctuation makes of the
straight quotes the author typed become the language's, as the CLDR's
delimiters give them (Babel does not carry those, so the table below holds the
languages whose marks differ from English).  Curly marks the author typed are
the author's: ``protect`` hides them from the smartening and ``restore``
puts them back, so that a German „so“ typed as such keeps its closing “.

A double mark opens where none is open and closes where one is, but where it
plainly does the other (``_run``): smart punctuation's own guess fails between
Chinese or Japanese characters, and inside the spaces of a French « ainsi ».
A single closing mark is also the apostrophe (“don’t”, “Peters’”), so ’
becomes the language's closing mark only where it
closes a ‘ opened before it in the same block and does not stand between two
letters.  Code, preformatted text, scripts and styles keep what the author
typed; so do tags and attributes.
"""
from __future__ import annotations

import functools
import logging
import re
from typing import NamedTuple
from urllib.parse import quote

from .cutting import UNSPACED_RE


log = logging.getLogger(__name__)


_YEAR = r"\d\d(?!\d)[^\W\d_]*"
"""A year's last two digits, and what a word adds to them ('90er, '90s); not a longer number ('1989 war …)."""


class Marks(NamedTuple):
    """A language's quotation marks: the outer pair, then the pair for a quotation inside a quotation; and what
    an apostrophe at a word's start stands before (a pattern), which smart punctuation takes for an opening
    single mark: a year ('90er) in any language, and a language's own elisions (German so 'n, 's)."""

    open: str
    close: str
    inner_open: str
    inner_close: str
    elided: str = _YEAR


_NNBSP = "\u202f"
"""French sets guillemets off from their words with a narrow no-break space, which no line ends at."""

_GERMAN = _YEAR + r"|n|ne|nen|nem|ner|s|m"
"""German's elisions at a word's start: so 'n Quatsch, 'ne Tasse, wie geht 's."""

_MARKS = {
    "de": Marks("„", "“", "‚", "‘", _GERMAN),
    "de-ch": Marks("«", "»", "‹", "›", _GERMAN),
    "de-li": Marks("«", "»", "‹", "›", _GERMAN),
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
    "he": Marks("”", "”", "’", "’"),  # as the theme's Hebrew words quote a title: ”כותרת”
    "sv": Marks("”", "”", "’", "’"),
    "fi": Marks("”", "”", "’", "’"),
    "nb": Marks("«", "»", "‘", "’"),
    "nn": Marks("«", "»", "‘", "’"),
    "no": Marks("«", "»", "‘", "’"),
    "el": Marks("«", "»", "“", "”"),
    "ja": Marks("「", "」", "『", "』"),
    "zh": Marks("“", "”", "‘", "’"),  # English's marks, but paired as beside any Chinese text (``_run``)
    "ko": Marks("“", "”", "‘", "’"),  # and in Korean, whose particles follow a closing mark: “피난처”는
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


_KEPT = ("code", "pre", "kbd", "samp", "var", "tt", "script", "style", "textarea", "math", "svg")
"""Elements whose text is code or raw, kept as typed."""
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>|<!--.*?-->", re.DOTALL)
_BLOCK = frozenset({"p", "li", "blockquote", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
                    "figcaption", "div", "section", "aside", "summary", "caption", "hr"})
"""Elements a quotation does not run across (a line break inside a paragraph it does)."""


_ATTRIBUTE = re.compile(r'(\salt=")([^"]*)"')
"""An image's text, which smart punctuation curls as it does the essay's (a link's title it leaves straight)."""

_TYPED = "\u201c\u201d\u2018\u2019"
_PLAIN = "\"'-."
"""What smart punctuation turns (quotes, ``--``, ``...``), kept as typed in code written as HTML."""
_HIDDEN = "\ufdd0\ufdd1\ufdd2\ufdd3\ufdd4\ufdd5\ufdd6\ufdd7"
"""Noncharacters, which no text of the site may hold (``textcheck``), standing in for curly marks typed, and for
the plain punctuation of code written as HTML."""
_HIDE = str.maketrans(_TYPED, _HIDDEN[:4])
_HIDE_PLAIN = str.maketrans(_PLAIN, _HIDDEN[4:])
_SHOWN = _TYPED + _PLAIN
"""What each stand-in of ``_HIDDEN`` stands for."""
_SHOW = str.maketrans(_HIDDEN, _SHOWN)
_ENCODED = re.compile("%EF%B7%9([0-7])", re.IGNORECASE)
"""A stand-in in an address, which Markdown percent-encodes: ``[x](https://example.org/o’brien)``."""


_ENTITY = re.compile(r"&(?:(ldquo|rdquo|lsquo|rsquo)|#(8220|8221|8216|8217)|#[xX](201[cCdD89]));")
_NAMED = {"ldquo": 0, "rdquo": 1, "lsquo": 2, "rsquo": 3, "8220": 0, "8221": 1, "8216": 2, "8217": 3}
_RAW_CODE = re.compile(f"<(/?)({'|'.join(_KEPT)})\\b[^<>]*>", re.IGNORECASE)
"""Code written as HTML (``<code>grep "x"</code>``, an inline ``<script>``), whose text Markdown reads as prose,
and whose punctuation smart punctuation would turn as SmartyPants never did."""


def needs_code(text: str) -> bool:
    """Whether ``protect`` needs ``text`` with its code blanked: it has code written as HTML, or references."""
    return "&" in text and _ENTITY.search(text) is not None or "<" in text and _RAW_CODE.search(text) is not None


def protect(text: str, code: str | None = None) -> str:
    """``text`` with the curly quotation marks the author typed hidden from smart punctuation and ``requote``:
    as characters, and in Markdown (``code``: the text with its code blanked, as ``markup.without_code`` gives
    it) as character references outside code (``&bdquo;Das&ldquo;``, not ``\\&ldquo;``); plain text shows a
    reference as typed.  In Markdown, the quotes, hyphens and periods of code written as HTML are hidden too."""
    if code is not None and "<" in code:
        parts, at, inside = [], 0, None  # the element open, and where its text starts
        for tag in _RAW_CODE.finditer(code):
            name = tag.group(2).lower()
            if inside is None and not tag.group(1):
                inside = name, tag.end()
            elif inside is not None and tag.group(1) and name == inside[0]:
                parts += [text[at:inside[1]], _hide_plain(text[inside[1]:tag.start()])]
                at, inside = tag.start(), None
        text = "".join(parts) + text[at:] if parts else text
    if code is not None and "&" in text and _ENTITY.search(text):
        text = _ENTITY.sub(lambda m: _HIDDEN[_NAMED[m.group(1) or m.group(2) or str(int(m.group(3), 16))]]
                           if code[m.start()] == "&" and not _escaped(text, m.start()) else m.group(0), text)
    return text.translate(_HIDE) if any(mark in text for mark in _TYPED) else text


_MARKUP_OR_ESCAPE = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|\\[\\\"'.-]", re.DOTALL)
"""In code written as HTML, what keeps its punctuation for Markdown to read: its elements' tags (their
attributes), comments, and a character escaped with a backslash, which Markdown shows as typed anyway."""


def _hide_plain(code: str) -> str:
    """The text of code written as HTML with its quotes, hyphens and periods hidden, but for its tags,
    comments and escapes."""
    out, at = [], 0
    for kept in _MARKUP_OR_ESCAPE.finditer(code):
        out += [code[at:kept.start()].translate(_HIDE_PLAIN), kept.group(0)]
        at = kept.end()
    return "".join(out) + code[at:].translate(_HIDE_PLAIN)


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows a backslash that escapes it (an odd number of them)."""
    start = at
    while start and text[start - 1] == "\\":
        start -= 1
    return (at - start) % 2 == 1


def restore(text: str) -> str:
    """``protect`` undone, in text and in addresses.  A hidden ``"`` comes back as ``&quot;``, as Markdown
    writes one (it may stand in an attribute: an image's text), but in a script or a style, which read no
    references."""
    if "%" in text and _ENCODED.search(text):
        text = _ENCODED.sub(lambda m: quote(_SHOWN[int(m.group(1))], safe=""), text)
    if "\ufdd4" in text:
        parts = _RAW_TEXT.split(text)
        text = "".join(part if index % 2 else part.replace("\ufdd4", "&quot;") for index, part in enumerate(parts))
    return text.translate(_SHOW) if any(mark in text for mark in _HIDDEN) else text


_RAW_TEXT = re.compile(r"(<(?:script|style)\b.*?</(?:script|style)\s*>)", re.IGNORECASE | re.DOTALL)
"""A script or a style, whose text reads no references."""


_INCH = re.compile(r"(?<=\d)\u201c(?=[\s.,;:!?)\]<-]|$)")
"""An opening mark smart punctuation made of an inch mark (27"), which SmartyPants makes a closing one (27”)."""


def requote(text: str, marks: Marks | None, markup: bool = True) -> str:
    """``text`` (HTML, or plain text with ``markup=False``), made smart from ``protect``'s text, with the
    English marks smart punctuation made turned into ``marks``; with none, English's (an inch mark closes)."""
    if marks is None:
        return _INCH.sub("\u201d", text) if "\u201c" in text else text
    if not any(mark in text for mark in _TYPED):
        return text
    out: list[str] = []
    kept, state = 0, _State(text)  # how deep inside elements that keep their text; what is open in this block
    at = 0
    for tag in _TAG.finditer(text) if markup else ():
        opens = not tag.group(1) and (tag.group(2) or "").lower() not in _BLOCK  # words follow in an element
        state.offset = at
        if not kept:
            _run(text[at:tag.start()], marks, out, state, opens)
        else:
            out.append(text[at:tag.start()])
            state.last = text[at:tag.start()][-1:] or state.last  # `main`’s: a word's end, in code
        name = (tag.group(2) or "").lower()
        out.append(_attributes(tag.group(0), marks) if not kept and name and not tag.group(1) else tag.group(0))
        if name in _KEPT and not tag.group(0).endswith("/>"):
            kept = max(kept - 1, 0) if tag.group(1) else kept + 1
        if name in _BLOCK:
            state = _State(text)
        at = tag.end()
    state.offset = at
    if not kept:
        _run(text[at:], marks, out, state, False)
    else:
        out.append(text[at:])
    return "".join(out)


def _attributes(tag: str, marks: Marks) -> str:
    """An opening tag with the words of its ``alt`` requoted, a text of its own."""
    if not any(mark in tag for mark in _TYPED):
        return tag
    return _ATTRIBUTE.sub(lambda m: m.group(1) + requote(m.group(2), marks, markup=False) + '"', tag)


class _State:
    """What a block's quotation marks so far leave: single and double quotes open, the last character; and the
    whole text with where the run in hand starts in it, to look ahead."""

    def __init__(self, whole: str) -> None:
        self.singles, self.doubles, self.last = 0, 0, ""
        self.whole, self.offset = whole, 0

    def closes_all(self, at: int, open_then: int) -> bool:
        """Whether the double marks after ``at`` (in the run) in its block can close ``open_then`` quotations,
        each other quotation among them opened and closed: else the mark at ``at`` is taken otherwise (a stray
        opening mark, a typo, must not make every later quotation of the paragraph an inner one)."""
        start = self.offset + at + 1
        end = _BLOCK_TAG.search(self.whole, start)
        rest = self.whole[start:end.start() if end else len(self.whole)]
        left = rest.count("\u201c") + rest.count("\u201d") - open_then
        return left >= 0 and left % 2 == 0


_BLOCK_TAG = re.compile(f"</?(?:{'|'.join(sorted(_BLOCK))})\\b", re.IGNORECASE)


@functools.lru_cache(maxsize=64)
def _elided(marks: Marks) -> re.Pattern[str]:
    """``marks.elided`` as a whole word."""
    return re.compile(f"(?:{marks.elided})(?![^\\W\\d_])")

_CLOSING_CONTEXT = ".,;:!?)]}»…"
"""What a closing mark is followed by (beside a space or the end)."""


def _run(text: str, marks: Marks, out: list[str], state: _State, more: bool) -> None:
    """Append ``text`` requoted to ``out``; ``more``: an element follows, whose words a mark at the end opens.

    A double mark opens where none is open and closes where one is, whatever smart punctuation guessed
    (it guesses opening each time beside Chinese or Japanese characters, and inside the spaces of a French
    « ainsi »), except where it plainly does the other: a mark after a word and before a space or a stop
    closes (an inch mark, 27"), and one after a space and before a word opens."""
    if not any(mark in text for mark in _TYPED):
        out.append(text)
        state.last = text[-1:] or state.last
        return
    chars = list(text)
    for i, char in enumerate(chars):
        if char == "\u2019" and _opens_word(text, i, state.last):
            char = "\u2018"  # smart punctuation's guess where a particle follows the closing mark (Korean '법'이)
        if char == "\u201c" or char == "\u201d":
            before = text[i - 1] if i else state.last
            after = text[i + 1] if i + 1 < len(text) else ("x" if more else "")
            spaced_before = not before or before.isspace() or before in "([{"
            ends_after = not after or after.isspace() or after in _CLOSING_CONTEXT
            unspaced = UNSPACED_RE.search(before + after)
            if before.isdigit() and (unspaced or not after.isalnum()) and \
                    (not state.doubles or state.closes_all(i, state.doubles)):
                chars[i] = "\u2033"  # nothing is open, or what is open closes later: an inch mark (27″,
                continue  # „einen 27″-Monitor“), a double prime, in any language's text
            if unspaced:  # no spaces to tell by: the one open closes (「……そうか」)
                closes = state.doubles > 0
            elif state.doubles:
                closes = not (spaced_before and not ends_after)
            else:
                closes = not spaced_before and ends_after
            if closes:  # a quotation inside a quotation has the inner marks: «Он сказал „Нет“ и ушёл»
                chars[i] = marks.inner_close if state.doubles > 1 else marks.close
                state.doubles = max(state.doubles - 1, 0)
            elif state.doubles and not state.closes_all(i, state.doubles + 1):
                chars[i] = marks.open  # a stray mark before (an unclosed quotation): this one opens anew
            else:
                chars[i] = marks.inner_open if state.doubles else marks.open
                state.doubles += 1
            if chars[i].endswith(_NNBSP) and after == " ":
                chars[i + 1] = ""  # « ainsi » typed with its spaces: the narrow one only
            elif chars[i].startswith(_NNBSP) and i and text[i - 1] == " ":
                chars[i - 1] = ""
        elif char == "\u2018" and (elided := _elided(marks).match(text, i + 1)) and \
                (text[elided.end():elided.end() + 1] != "\u2019" or elided.group(0) == "n"):
            chars[i] = "\u2019"  # an apostrophe for letters left out at a word's start: so 'n, '90er, 'tis
            # (not a quoted letter or number, closed at once: 'S', '1989'; but Rock 'n' Roll)
        elif char == "\u2018":
            chars[i], state.singles = marks.inner_open, state.singles + 1
        elif char == "\u2019" and _beside_unspaced(text[i - 1] if i else state.last, text[i + 1:i + 2]):
            # no apostrophe between Chinese or Japanese characters: 私たちは’安全な’都市 quotes
            chars[i] = marks.inner_close if state.singles else marks.inner_open
            state.singles += -1 if state.singles else 1
        elif char == "\u2019" and state.singles and not (_letter(text, i - 1) and _letter(text, i + 1)):
            chars[i], state.singles = marks.inner_close, state.singles - 1
    out.append("".join(chars))
    state.last = text[-1:] or state.last


def _opens_word(text: str, at: int, last: str) -> bool:
    """Whether the ’ at ``at`` opens a Korean quotation, which smart punctuation took for an apostrophe because
    a particle follows its closing mark ('법'이): at a word's start (after a space, a bracket or an opening
    double mark), closed by a ’ after a later word's end that a Hangul syllable follows."""
    before = text[at - 1] if at else last
    if not (not before or before.isspace() or before in "([{\u201c") or not text[at + 1:at + 2].isalnum():
        return False
    closing = text.find("\u2019", at + 2)
    return closing > 0 and text[closing - 1].isalnum() and _HANGUL.match(text, closing + 1) is not None


_HANGUL = re.compile("[\uac00-\ud7a3]")


def _beside_unspaced(before: str, after: str) -> bool:
    """Whether a ’ stands beside a Chinese or Japanese character, with no Latin letter before it (the
    apostrophe of "Peters’の本")."""
    return bool(UNSPACED_RE.search(before + after)) and not (before.isascii() and before.isalpha())


def _letter(text: str, at: int) -> bool:
    return 0 <= at < len(text) and text[at].isalnum()
