"""Text that no page or feed can carry, found before anything is rendered.

XML 1.0 (the feeds) forbids most C0 control characters and the
non-characters U+FFFE/U+FFFF; HTML (the pages) calls every C0 and C1
control character and every Unicode non-character a parse error.  An
author never means one: they arrive pasted from another program, through a
YAML or TOML escape such as ``"\\x01"``, or as a Markdown character
reference such as ``&#1;``.  And lists or quotes nested hundreds of levels
deep make pages that browsers flatten.  Each is reported with its line
instead of crashing the feed writer or producing invalid HTML.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterator

log = logging.getLogger(__name__)

_BASIC = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufdd0-\\ufdef\\ufffe\\uffff]")
"""The forbidden characters of the Basic Multilingual Plane (a class ``re`` checks with one table look-up)."""
_ASTRAL = re.compile("[" + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 17)) + "]")
"""The non-characters U+1FFFE … U+10FFFF, rare enough to look for only in text that has astral characters."""


_PLAIN_BYTES = bytes(b for b in range(256) if b in b"\t\n\r" or b >= 0x20 and b != 0x7F)
"""Deleting these from a text's UTF-8 leaves only its C0 control characters and DELs."""
_SUSPECT = (b"\xc2", b"\xed", b"\xef\xb7", b"\xef\xbf", b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")
"""How UTF-8 begins the other forbidden characters: C1 controls (U+0080–U+009F), surrogates,
U+FDD0–U+FDEF and U+FFFE–U+FFFF, and anything astral (U+1FFFE and the like)."""


def forbidden(text: str) -> int:
    """Where the first character no page or feed can carry is (everything but tab, newline, carriage
    return and what both HTML and XML accept), or -1.

    Most texts are cleared in bytes: ``bytes.translate`` and substring
    searches run a dozen times faster than a character class.  The rest are
    searched with two classes, not one: a class that mixes astral
    characters with ranges is matched range by range, about fifteen times
    slower.  (A string has astral characters when UTF-16 needs surrogate
    pairs for it; encoding is faster than ``max(text)``.)
    """
    data = text.encode("utf-8", "surrogatepass")
    if not data.translate(None, _PLAIN_BYTES) and (text.isascii() or not any(s in data for s in _SUSPECT)):
        return -1
    found = _BASIC.search(text)
    at = found.start() if found else -1
    if not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text):  # astral
        astral = _ASTRAL.search(text, 0, at if at >= 0 else len(text))
        if astral:
            at = astral.start()
    return at


_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,9}));")
MAX_NESTING = 100
"""Lists and quotes nested deeper than this make pages that browsers flatten (and the Nu checker rejects)."""
_CONTAINER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_DEEP_PREFIX = re.compile(r"[ \t>*+\-0-9.)]{%d}" % (MAX_NESTING // 2))
"""A line nested deeper than ``MAX_NESTING`` starts with at least half as many of these characters
(a tab counts as two levels at most): two quick searches rule most texts out."""
_DEEP_PREFIX_LATER = re.compile("\n" + _DEEP_PREFIX.pattern)
"""The same after a newline (a search that starts with a literal is ten times faster than ``^`` with
``re.MULTILINE``)."""


def name_char(char: str) -> str:
    """``the control character U+0001`` and the like."""
    code = ord(char)
    kind = "control character" if code < 0xA0 else ("surrogate" if 0xD800 <= code <= 0xDFFF else "non-character")
    return f"the {kind} U+{code:04X}"


def character_problem(text: str) -> tuple[int, str] | None:
    """A forbidden character, raw or as a character reference: ``(line, message)``."""
    at = forbidden(text)
    if at >= 0:
        column = at - text.rfind("\n", 0, at)
        return (text.count("\n", 0, at) + 1, f"column {column}: {name_char(text[at])} is invisible and cannot "
                "appear in pages or feeds; delete it (it is often pasted in from another program)")
    for match in _REFERENCE.finditer(text):
        hex_digits, digits = match.groups()
        code = int(hex_digits, 16) if hex_digits else int(digits)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            continue  # Markdown turns these into U+FFFD, which is harmless
        if forbidden(chr(code)) == 0:
            return (text.count("\n", 0, match.start()) + 1,
                    f"`{match.group(0)}` names {name_char(chr(code))}, which pages and feeds cannot carry; remove it")
    return None


def without_forbidden(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without the characters no page can carry, written raw or as a character reference, and
    ``(line, name)`` of each taken out: for a text that cannot be mended at its source (a version in a git
    history).  A reference Markdown turns into U+FFFD stays, as ``character_problem`` lets it."""
    taken: list[tuple[int, str]] = []
    while (at := forbidden(text)) >= 0:
        taken.append((text.count("\n", 0, at) + 1, name_char(text[at])))
        text = text[:at] + text[at + 1:]

    def reference(match: re.Match[str]) -> str:
        hex_digits, digits = match.groups()
        code = int(hex_digits, 16) if hex_digits else int(digits)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or forbidden(chr(code)) != 0:
            return match.group(0)
        taken.append((text.count("\n", 0, match.start()) + 1, f"`{match.group(0)}` ({name_char(chr(code))})"))
        return ""
    return _REFERENCE.sub(reference, text) if "&#" in text else text, taken


def nesting_problem(markdown: str) -> tuple[int, str] | None:
    """The first line whose list/quote nesting looks deeper than ``MAX_NESTING``: ``(line, message)``.

    An estimate from the line's prefix: each ``>`` and list marker is a level,
    and so is every two columns of indentation (nested items are indented
    under their parents).  Lines inside fenced code are skipped.
    """
    if not (_DEEP_PREFIX.match(markdown) or _DEEP_PREFIX_LATER.search(markdown)):
        return None
    fence = ""
    for number, line in enumerate(markdown.split("\n"), start=1):
        if fence:
            inside = line.lstrip(" \t>")
            if inside.startswith(fence) and not inside.strip(fence[0]).strip():
                fence = ""
            continue
        if len(line) <= MAX_NESTING and not any(mark in line for mark in ("\t", "```", "~~~")):
            continue  # without tabs, every level takes at least one character
        levels, at = 0, 0
        prefix = _CONTAINER.match(line)
        while prefix:
            levels += 1 + prefix.group(0).expandtabs(4).count(" ") // 2
            at = prefix.end()
            prefix = _CONTAINER.match(line, at)
        rest = line[at:].expandtabs(4)
        text = rest.lstrip(" ")
        opening = _FENCE.match(text)
        if opening:
            fence = opening.group(1)
            continue
        if text:
            levels += (len(rest) - len(text)) // 2
        if levels > MAX_NESTING:
            return number, (f"lists or quotes are nested about {levels} levels deep here; "
                            f"pages cannot show more than {MAX_NESTING} levels: flatten them")
    return None


def markdown_problem(markdown: str) -> tuple[int, str] | None:
    """What is wrong with a piece of Markdown (a body, a note), if anything: ``(line, message)``."""
    return character_problem(markdown) or nesting_problem(markdown)


def value_problem(value: Any, path: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str] | None:
    """A forbidden character in a parsed YAML/TOML value (an escape such as ``"\\x01"``): ``(key path, message)``."""
    for keys, char in _forbidden_in_value(value, path):
        return keys, (f"`{'.'.join(keys)}` holds {name_char(char)} (written as an escape); "
                      "pages and feeds cannot carry it: remove it")
    return None


def _forbidden_in_value(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        at = forbidden(value)
        if at >= 0:
            yield path, value[at]
    elif isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            at = forbidden(name)
            if at >= 0:
                yield (*path, name), name[at]
            yield from _forbidden_in_value(item, (*path, name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _forbidden_in_value(item, (*path, str(index)))
