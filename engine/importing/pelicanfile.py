"""A Pelican content file read: its metadata header (Markdown's ``Key: value`` lines, or reStructuredText's
title and field list), its body, and reStructuredText made HTML by docutils with file insertion and raw
HTML switched off, so that a source can neither read a file nor smuggle markup into the site."""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, SiteError
from ..source.files import read_regular
from .model import Where

log = logging.getLogger(__name__)

_META_LINE = re.compile(r"^(?P<key>[A-Za-z][\w-]*)[ \t]*:[ \t]*(?P<value>.*)$")
_RST_TITLE = re.compile(r"\A\s*(?:(?P<over>([=\-`:'\"~^_*+#<>])\2{2,})[ \t]*\n)?[ \t]*(?P<title>[^\n]*\S)[ \t]*\n"
                        r"(?P<under>([=\-`:'\"~^_*+#<>])\5{2,})[ \t]*\n")
_RST_FIELD = re.compile(r"^:(?P<key>[^:\n]+):[ \t]*(?P<value>.*)$")
_DOCUTILS = {"file_insertion_enabled": False, "raw_enabled": False, "report_level": 5, "halt_level": 5,
             "doctitle_xform": False, "_disable_config": True, "syntax_highlight": "none", "input_encoding": "unicode",
             "output_encoding": "unicode", "embed_stylesheet": False, "math_output": "HTML"}
"""docutils settings: no file read, no raw HTML, no config file, messages kept out of the page."""


_SETS_SITE = re.compile(r"^(SITENAME|SITEURL)\s*=", re.MULTILINE)
"""A line of a settings file that names the site, as Pelican's own do."""


def settings_file(source: Path) -> Path | None:
    """The site's settings: ``pelicanconf.py``, or another ``*conf*.py`` that sets Pelican's ``SITENAME`` or
    ``SITEURL`` (``pelican -s pelican.conf.py``), never ``publishconf.py``, which only adds to one of them;
    else ``settings.py`` or another ``*settings*.py`` that does (``pelican -s settings.py``)."""
    if (source / "pelicanconf.py").is_file():
        return source / "pelicanconf.py"
    for path in [*sorted(source.glob("*conf*.py")), *sorted(source.glob("*settings*.py"))]:
        try:
            if path.name != "publishconf.py" and _SETS_SITE.search(read_regular(path).decode("utf-8", "replace")):
                return path
        except OSError:  # a folder, a pipe, a link to nothing: no settings
            continue
    return None


@dataclass(frozen=True)
class Parsed:
    """A content file read: its metadata, title and body, and where the body starts."""

    meta: dict[str, str]
    """Keys in lower case."""
    title: str
    body: str
    body_line: int
    rst: bool


def parse(text: str, rst: bool, shown: str) -> Parsed:
    """A source's metadata (keys in lower case), title and body: Markdown's header or rST's title and fields."""
    return _parse_rst(text, shown) if rst else _parse_markdown(text, shown)


def _parse_markdown(text: str, shown: str) -> Parsed:
    lines = text.split("\n")
    meta: dict[str, str] = {}
    index, key = 0, ""
    if lines and lines[0].strip() == "---":
        index = 1
    while index < len(lines):
        line = lines[index]
        found = _META_LINE.match(line)
        if found and not line.startswith((" ", "\t")):
            key = found.group("key").lower()
            meta[key] = found.group("value").strip()
        elif key and line.startswith(("    ", "\t")) and line.strip():
            meta[key] = (meta[key] + " " + line.strip()).strip()
        elif line.strip() in ("---", "...") and meta:
            index += 1
            break
        elif not line.strip() or not meta:
            break
        else:
            raise SiteError(Diagnostic(shown, index + 1, f"broken metadata header: {line.strip()[:40]!r} is not "
                                       "Key: value (end the header with a blank line)"))
        index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    return Parsed(meta, meta.get("title", ""), "\n".join(lines[index:]), index + 1, False)


def _parse_rst(text: str, shown: str) -> Parsed:
    found = _RST_TITLE.match(text)
    title, at = (found.group("title").strip(), found.end()) if found else ("", 0)
    lines = text[at:].split("\n")
    meta: dict[str, str] = {}
    index, key = 0, ""
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines):
        field_line = _RST_FIELD.match(lines[index])
        if field_line:
            key = field_line.group("key").strip().lower()
            meta[key] = field_line.group("value").strip()
        elif key and lines[index].startswith((" ", "\t")) and lines[index].strip():
            meta[key] = (meta[key] + " " + lines[index].strip()).strip()
        else:
            break
        index += 1
    line = text.count("\n", 0, at) + index + 1
    if "title" in meta:
        title = meta["title"]
    if not title:
        raise SiteError(Diagnostic(shown, 1, "no title: start with the title underlined (=====) or a :title: field"))
    return Parsed(meta, title, "\n".join(lines[index:]), line, True)


def line_of(parsed: Parsed, key: str) -> int:
    """The line of a key of a Markdown header (reST's field lines are not kept: 1)."""
    return 1 + list(parsed.meta).index(key) if key in parsed.meta and not parsed.rst else 1


def rst_html(text: str, where: Where) -> str:
    """reStructuredText as an HTML fragment, through docutils with nothing read from disk and no raw HTML."""
    from docutils.core import publish_parts
    from docutils.utils import SystemMessage

    settings = {**_DOCUTILS, "warning_stream": io.StringIO()}
    try:
        return publish_parts(source=text, source_path=where.path, writer="html5",
                             settings_overrides=settings)["body"]
    except (SystemMessage, ValueError, AttributeError) as e:
        raise SiteError(Diagnostic(where.path, where.line, f"cannot convert this reStructuredText: {e}")) from e
