"""TOML files with line numbers.

``tomllib`` parses but forgets where things were; the author needs
``config.toml:LINE`` in every message.  This module reads a TOML file and
records the line of each key (and of each ``[[array]]`` table) by a light
scan of the text, good enough to point at the right line.
"""
from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, SiteError
from .files import read_regular
from .textcheck import value_problem

log = logging.getLogger(__name__)

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")
_AT = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True)
class TomlFile:
    """A parsed TOML file and where each key was written."""

    path: Path
    """The file on disk."""
    shown: str
    """The path as messages show it."""
    data: dict[str, Any]
    """What tomllib read."""
    lines: dict[str, int]
    """``"table.key"`` (``"planned.0.part"`` for arrays of tables) → line."""

    def line(self, *keys: str | int) -> int:
        """The line of a key, falling back to its table, then to line 1."""
        parts = [str(k) for k in keys]
        while parts:
            found = self.lines.get(".".join(parts))
            if found:
                return found
            parts.pop()
        return 1

    def diagnostic(self, message: str, *keys: str | int, warning: bool = False) -> Diagnostic:
        return Diagnostic(self.shown, self.line(*keys), message, warning)


def key_lines(text: str) -> dict[str, int]:
    """Map dotted key paths to the line they are written on."""
    lines: dict[str, int] = {}
    table = ""
    counts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header:
            name = header.group(2).replace('"', "").replace("'", "")
            if header.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                table = f"{name}.{index}"
                lines.setdefault(name, number)
            else:
                table = name
            lines[table] = number
            continue
        key = _KEY.match(raw)
        if key:
            name = key.group(1).strip("\"'")
            lines[f"{table}.{name}" if table else name] = number
    return lines


def read_toml(path: Path, shown: str) -> TomlFile:
    """Read and parse a TOML file, turning every failure into a diagnostic (a named pipe in its place
    among them, which would otherwise make the command wait for ever)."""
    try:
        raw = read_regular(path)
    except OSError as e:
        raise SiteError(Diagnostic(shown, 0, f"cannot read: {e.strerror}")) from e
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as some editors save, is not the author's text
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise SiteError(Diagnostic(shown, line, "is not valid UTF-8; save it as UTF-8")) from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        found = _AT.search(str(e))
        line = int(found.group(1)) if found else 1
        message = _AT.sub("", str(e)).strip()
        if not found and "at end of document" in message:
            line = max(1, len(text.splitlines()))
            message = message.replace("(at end of document)", "").strip()
        raise SiteError(Diagnostic(shown, line, f"invalid TOML: {message}{_date_hint(text, line)}")) from e
    toml = TomlFile(path, shown, data, key_lines(text))
    escaped = value_problem(data)
    if escaped:
        keys, message = escaped
        raise SiteError(toml.diagnostic(message, *keys))
    return toml


_DATE = re.compile(r"=\s*(\d{4}-\d{2}-\d{2})")


def _date_hint(text: str, line: int) -> str:
    """What TOML's parser does not say when a date that is no day (``2027-01-32``) stops it: that the date is
    the trouble (it reads the digits as a date, fails, and then sees a number followed by more)."""
    lines = text.splitlines()
    found = _DATE.search(lines[line - 1]) if 0 < line <= len(lines) else None
    if found is None:
        return ""
    try:
        date.fromisoformat(found.group(1))
    except ValueError as e:
        return f" ({found.group(1)} is no date: {e})"
    return ""
