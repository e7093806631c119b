"""A WXR export's XML, read safely: lxml with no entity expansion, no network and no huge trees, so an export
can neither reach out nor blow up; the control characters XML forbids taken out and reported, namespace
prefixes WordPress.com used without declaring them declared, and a file that is truncated, mis-encoded or not
XML a ``file:line`` error in plain words.  Elements are then read by their local names (``local``), as WXR's
namespaces moved from http to https."""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..errors import Diagnostic, SiteError
from ..source.files import read_regular
from .model import Skipped, Where


_XML_SAID = (
    (re.compile(r"xmlParseEntityRef: no name"), "an & that begins no character reference (write &amp; for one)"),
    (re.compile(r"EntityRef: expecting ';'"), "a character reference with no ; to end it"),
    (re.compile(r"CData section not finished"), "a CDATA section (<![CDATA[ … ]]>) not closed"),
    (re.compile(r"Opening and ending tag mismatch: (\S+) line \d+ and (\S+)"), r"<\1> closed by </\2>"),
    (re.compile(r"Premature end of data in tag (\S+).*"), r"the file ends inside <\1>"),
)


def _xml_reason(message: str, column: int | None) -> str:
    """libxml2's complaint in the words of the file it read: its first line, without the line and column it
    repeats (and the fragment of text it quotes), its jargon said plainly, and the column."""
    said = re.search(r"column (\d+)\s*\Z", message)
    column = int(said.group(1)) if said else column
    reason = re.sub(r",? line \d+, column \d+\s*\Z", "", message.strip()).splitlines()[0].strip().rstrip(",")
    for pattern, said in _XML_SAID:
        if pattern.match(reason):
            reason = pattern.sub(said, reason, count=1)
            break
    return f"{reason} (column {column})" if column else reason


def parse(source: Path, removed: list[Skipped]) -> etree._Element:
    """The export's XML, or a ``file:line`` error for a file that is truncated, mis-encoded or not XML; each
    control character XML forbids is taken out first, and named in ``removed``."""
    where = str(source)
    try:
        raw = read_regular(source)
    except OSError as e:
        raise SiteError(Diagnostic(where, 0, f"cannot read: {e.strerror}")) from e
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SiteError(Diagnostic(where, raw.count(b"\n", 0, raw.index(b"\x00")) + 1,
                                   "is a binary file, not a WordPress export (an XML file from Tools → Export)"))
    raw = _without_controls(raw, where, removed)
    try:
        return _declared(raw)
    except etree.XMLSyntaxError as e:
        line = e.lineno or 0
        reason = _xml_reason(e.msg or str(e), e.offset)
        if "not proper UTF-8" in reason or "encoding" in reason.lower():
            why = f"{reason}: the file is not in the encoding it declares (WordPress writes UTF-8); export it again"
        elif raw.rstrip().endswith(b"</rss>"):
            why = f"{reason}: the XML is broken here"
        elif not _ROOT.search(raw[:65536]):
            why = f"{reason}: this is not a WordPress export (an XML file from Tools → Export)"
        else:
            why = f"{reason}: the export is cut short (it does not end with </rss>); export it again"
        raise SiteError(Diagnostic(where, line, why)) from e


_CONTROL = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f]")
"""A control character XML 1.0 forbids (all but tab and the line ends; a NUL makes the file binary)."""


def _without_controls(raw: bytes, where: str, removed: list[Skipped]) -> bytes:
    """The export without the control characters XML forbids, each named with its line in ``removed``.
    WordPress exports a character pasted into a post (a backspace from Word) as it is, and its own importer
    then reads the file leniently; no page or feed can carry one.  A byte below 0x20 is that character in
    every encoding an export is in but UTF-16, whose files are left as they are."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or not _CONTROL.search(raw):
        return raw
    line, counted = 1, 0
    for found in _CONTROL.finditer(raw):
        line, counted = line + raw.count(b"\n", counted, found.start()), found.start()
        removed.append(Skipped(Where(where, line), f"control character U+{found.group()[0]:04X}",
                               "taken out: XML forbids it, and no page or feed can carry it"))
    return _CONTROL.sub(b"", raw)


_UNDECLARED = re.compile(r"Namespace prefix ([A-Za-z_][\w.-]*) (?:for [\w.-]+ )?on [\w.:-]+ is not defined")
_ROOT = re.compile(rb"<rss\b")


def _declared(raw: bytes) -> etree._Element:
    """The export parsed, each namespace prefix it uses without declaring declared on its ``<rss>``.
    WordPress.com's exports of the 2010s write ``<atom:link>`` in the channel with no ``xmlns:atom``; WordPress
    reads them, and the importer reads elements by their local names, so a stand-in namespace will do."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             remove_comments=False, strip_cdata=True)
    added: set[str] = set()
    while True:
        try:
            return etree.fromstring(raw, parser)
        except etree.XMLSyntaxError as e:
            found = _UNDECLARED.search(e.msg or str(e))
            root = _ROOT.search(raw)
            if found is None or root is None or found.group(1) in added or len(added) >= 16:
                raise
            added.add(found.group(1))
            declaration = f' xmlns:{found.group(1)}="urn:feuilleton:undeclared:{found.group(1)}"'.encode()
            raw = raw[:root.end()] + declaration + raw[root.end():]  # on the same line: lines keep their numbers


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def child_text(element: etree._Element, name: str) -> str:
    """The text of the first child named ``name`` in any namespace (WXR's moved from http to https)."""
    for child in element:
        if local_name(child) == name:
            return (child.text or "").strip() if name not in ("encoded",) else child.text or ""
    return ""


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]


def content(item: etree._Element, namespace_part: str) -> etree._Element | None:
    """``content:encoded`` or ``excerpt:encoded``: both are called ``encoded``, told apart by namespace."""
    for child in item:
        if local_name(child) == "encoded" and namespace_part in (etree.QName(child).namespace or ""):
            return child
    return None
