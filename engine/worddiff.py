"""Word by word: what changed inside one paragraph (or list item, heading, loose run of text).

``diff.py`` aligns an essay's blocks; each edited block comes here.  Its
inline content is flattened into one list of tokens — start tags, words and
the spaces between them — and the words, each keyed by the tags around it,
are compared with difflib.  The new version's tags are written exactly
once; deleted words come back as plain text in ``<del>``, and ``<ins>`` is
closed and reopened around tags rather than straddling them, so the result
stays well nested.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import partial
from html import escape, unescape

from lxml import etree

log = logging.getLogger(__name__)

# One token each inside a paragraph.
INLINE_ATOMIC = frozenset(
    "area audio br canvas embed iframe img input math object picture script select style svg "
    "template textarea video wbr".split()
)
ODD_SPACE_RE = re.compile(r"[^\S \t\n\r\f]")  # spaces str.split() would lose, such as no-break spaces
WORD_SPLIT_RE = re.compile(r"(\S+)")
ATTR_RE = re.compile(r"[^\s\"'<>/=]+\Z")  # names lxml keeps from broken markup, such as "<em", are dropped
ESCAPE_RE, WS_RE, WORD_RE = re.compile(r"[&<>]"), re.compile(r"\s+"), re.compile(r"\w")
escape_text = partial(escape, quote=False)


@dataclass
class Tally:
    """The counts on `Diff`, gathered while rendering."""

    added: int = 0
    deleted: int = 0
    changed: int = 0
    moved: int = 0


def element_pieces(el: etree._Element) -> list:
    """An element's text and child elements in order; comments drop out but their tails stay."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            out.append(child)
        out.append(child.tail or "")
    return out


def outer_element(el: etree._Element) -> str:
    return etree.tostring(el, method="html", encoding="unicode", with_tail=False)


def start_tag(el: etree._Element, extra_class: str = "") -> str:
    attrs = dict(el.attrib)
    if extra_class:
        attrs["class"] = f"{attrs.get('class', '')} {extra_class}".strip()
    return f"<{el.tag}" + "".join(f' {k}="{escape(v)}"' for k, v in attrs.items() if ATTR_RE.match(k)) + ">"


_MEDIA = {"img": "image", "picture": "image", "svg": "figure", "canvas": "figure", "video": "video", "audio": "audio",
          "iframe": "embedded page", "embed": "embedded content", "object": "embedded content", "math": "formula"}
"""What a deleted element shows as when it has no text of its own to leave."""


def stand_in(el: etree._Element) -> str:
    """The text a deleted image, video or the like leaves in a ``<del>``: its alt text, or else what it was
    and its file's name ("[image: old-map.png]"), so that a reader sees it went (the file itself may be gone)."""
    if el.tag == "picture":  # its <img> has the alt text and the fallback file
        el = next(el.iter("img"), el)
    alt = " ".join((el.get("alt") or "").split())
    if alt or el.tag not in _MEDIA:
        return alt
    source = el.get("src") or el.get("data") or next((s.get("src") for s in el.iter("source") if s.get("src")), "")
    name = source.split("?")[0].split("#")[0].rstrip("/").rpartition("/")[2]
    return f"[{_MEDIA[el.tag]}: {name}]" if name and not source.startswith("data:") else f"[{_MEDIA[el.tag]}]"


@dataclass
class _Tokens:
    """Inline content as one token list (tags, words, the spaces between) plus indexes into it."""

    html: list[str] = field(default_factory=list)  # what to write for each token
    units: list[str] = field(default_factory=list)  # what is diffed: each word keyed by the start tags around it
    pos: list[int] = field(default_factory=list)  # where each unit sits in `html`
    tags: set[int] = field(default_factory=set)  # positions of tags
    pairs: list[tuple[int, int]] = field(default_factory=list)  # positions of each element's start and end tag
    alts: dict[int, str] = field(default_factory=dict)  # text a deleted image and the like leaves

    def add(self, pieces: list, path: str) -> _Tokens:
        """Append text (split into spaces and words), embedded units, and elements with their content."""
        for piece in pieces:
            if isinstance(piece, str):
                parts = _split(piece)
                self.pos.extend(range(len(self.html) + 1, len(self.html) + len(parts), 2))
                self.units.extend([path + word for word in parts[1::2]] if path else parts[1::2])
                self.html.extend(parts)
            elif piece.tag in INLINE_ATOMIC:
                self.alts[len(self.html)] = escape_text(stand_in(piece))
                self.pos.append(len(self.html))
                self.html.append(outer_element(piece))
                self.units.append(self.html[-1])
            else:
                start, opened = start_tag(piece), len(self.html)
                self.html.append(start)
                self.add(element_pieces(piece), path + start)
                self.pairs.append((opened, len(self.html)))
                self.tags.update((opened, len(self.html)))
                self.html.append(f"</{piece.tag}>")
        return self

    def plain(self, start: int, stop: int) -> str:
        return "".join(self.alts.get(p, "" if p in self.tags else self.html[p]) for p in range(start, stop))

    def words(self, lo: int, hi: int) -> int:
        """How many of units ``lo``..``hi`` are words (not punctuation, not images).

        Only the edited stretches are counted, which are a small part of a paragraph as a rule."""
        html, alts = self.html, self.alts
        return sum(1 for p in self.pos[lo:hi] if p not in alts and (html[p][:1].isalnum()  # no search for most
                                                                     or WORD_RE.search(unescape(html[p])) is not None))

    def space(self, p: int) -> bool:
        return p not in self.tags and not self.html[p].strip()


def _split(text: str) -> list[str]:
    """Escaped spaces and words alternating, starting and ending with a (maybe empty) space."""
    if ODD_SPACE_RE.search(text):
        parts = WORD_SPLIT_RE.split(text)
    else:  # str.split() is several times faster than any regex
        words = text.split()
        parts = [" "] * (2 * len(words) + 1)
        parts[1::2] = words
        parts[0], parts[-1] = (" " if text[:1].isspace() else ""), (" " if text[-1:].isspace() else "")
    return [escape_text(part) for part in parts] if ESCAPE_RE.search(text) else parts


def diff_words(old: list, new: list, tally: Tally) -> tuple[str, bool]:
    """The new inline content's HTML with inserted and deleted words marked.

    ``old`` and ``new`` are pieces: text and lxml elements, in order.
    """
    o, n = _Tokens().add(old, ""), _Tokens().add(new, "")
    ops = _merge_equalities(_opcodes(o.units, n.units), o)
    flagged = _wholly_inserted(n, ops)
    out: list[str] = []
    cur, changed = 0, False
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            out.append("".join(n.html[cur : n.pos[j2 - 1] + 1]))
            cur = n.pos[j2 - 1] + 1
            continue
        while cur < len(n.html) and (n.space(cur) or n.html[cur].startswith("</")):  # deletions go outside
            out.append(n.html[cur])  # the elements that close after the last kept word
            cur += 1
        tally.added += n.words(j1, j2)
        tally.deleted += o.words(i1, i2)
        changed |= i2 > i1 and _emit_deleted(o, i1, i2, next((h for h in reversed(out) if h), ""), out)
        end = n.pos[j2 - 1] + 1 if j2 > j1 else cur
        while end < len(n.html) and (end in flagged or n.space(end)):
            end += 1
        while end > cur and n.space(end - 1):
            end -= 1
        changed |= _emit_inserted(n, range(cur, end), flagged, out)
        cur = end
    out.append("".join(n.html[cur:]))
    return "".join(out), changed


def _emit_deleted(o: _Tokens, i1: int, i2: int, before: str, out: list[str]) -> bool:
    """Old units i1..i2 as plain text in a <del>, keeping the space that separated them from what precedes."""
    start, stop = o.pos[i1], (o.pos[i2] if i2 < len(o.pos) else len(o.html))
    gone = WS_RE.sub(" ", o.plain(start, stop))
    gone = gone.rstrip() if i2 == len(o.pos) else gone
    if start and o.plain(start - 1, start)[-1:].isspace() and before and not before[-1].isspace():
        gone = " " + gone
    if gone.strip():
        out.append(_marked("del", gone))
    return bool(gone.strip())


def _opcodes(a: list, b: list) -> list[tuple]:
    """difflib opcodes; the common head and tail are matched before SequenceMatcher sees the middle."""
    head = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    pairs = zip(reversed(a[head:]), reversed(b[head:]))
    tail = next((k for k, (x, y) in enumerate(pairs) if x != y), min(len(a), len(b)) - head)
    middle = SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False)
    ops = [("equal", 0, head, 0, head)] if head else []
    ops += [(t, i1 + head, i2 + head, j1 + head, j2 + head) for t, i1, i2, j1, j2 in middle.get_opcodes()]
    return ops + ([("equal", len(a) - tail, len(a), len(b) - tail, len(b))] if tail else [])


def _merge_equalities(ops: list[tuple], o: _Tokens) -> list[tuple]:
    """Fold trivial matches (punctuation, one word between longer edits) into the edits around them."""
    out: list[tuple] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" and 0 < k < len(ops) - 1 and i2 - i1 <= 2:
            shortest = min(max(op[2] - op[1], op[4] - op[3]) for op in (ops[k - 1], ops[k + 1]))
            tag = "replace" if o.words(i1, i2) == 0 or (o.words(i1, i2) == 1 and shortest >= 3) else tag
        if out and (tag == "equal") == (out[-1][0] == "equal"):
            out[-1] = ("equal" if tag == "equal" else "replace", out[-1][1], i2, out[-1][3], j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _wholly_inserted(n: _Tokens, ops: list[tuple]) -> set[int]:
    """Tags an <ins> may enclose: of elements without words, or whose words are all in one inserted run."""
    starts = [op[3] for op in ops]
    flagged: set[int] = set()
    for opened, closed in n.pairs:
        lo, hi = bisect_right(n.pos, opened), bisect_left(n.pos, closed)
        tag, _, _, j1, j2 = ops[max(bisect_right(starts, lo) - 1, 0)] if ops else ("equal", 0, 0, 0, 0)
        if hi == lo or (tag != "equal" and j1 <= lo and hi <= j2):
            flagged.update((opened, closed))
    return flagged


def _emit_inserted(n: _Tokens, span: range, flagged: set[int], out: list[str]) -> bool:
    """An inserted stretch, with <ins> closed around tags not wholly inside it."""
    run: list[str] = []
    visible = changed = False
    for p in [*span, None]:
        if p is not None and (p not in n.tags or p in flagged):
            run.append(n.html[p])
            visible = visible or (p not in n.tags and not n.space(p))
            continue
        out.append(_marked("ins", "".join(run)) if visible else "".join(run))
        changed, run, visible = changed or visible, [], False
        if p is not None:
            out.append(n.html[p])
    return changed


def _marked(tag: str, html: str) -> str:
    label = "inserted" if tag == "ins" else "deleted"
    return f'<{tag}><span class="visually-hidden">{label}: </span>{html}</{tag}>'
