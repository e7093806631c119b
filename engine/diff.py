"""Two rendered versions of an essay → one readable page of what changed.

Readers of a revised essay want to see the essay itself with the edits marked
in place, not a line diff of Markdown.  So the diff works on rendered HTML:
top-level blocks are aligned first (cheap, and most blocks are untouched),
changed pairs of blocks are diffed word by word, containers (quotes, lists,
footnotes) are aligned recursively, a paragraph that only moved is reported as
moved, and long unchanged stretches are folded into ``<details>``.

The output is always well nested: the new version's tags are emitted exactly
once, deleted words are plain text inside ``<del>``, and ``<ins>``/``<del>``
are closed and reopened around tags rather than straddling them.
"""

from __future__ import annotations

import copy
import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html import escape

import lxml.html
from lxml import etree

log = logging.getLogger(__name__)

BLOCK_TAGS = frozenset(
    "address article aside blockquote details dialog div dl fieldset figure footer "
    "dd dt form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section table ul".split()
)
FLOW_TAGS = frozenset("article aside blockquote dd div footer header li main nav section".split())
LIST_TAGS = frozenset("dl menu ol ul".split())
ITEM_TAGS = frozenset("dd dt li".split())
# Diffed as a whole: a change deletes and re-inserts the block.
ATOMIC_TAGS = frozenset(
    "details dialog fieldset figure form hgroup hr math pre script style svg table template".split()
)
# Inside a paragraph these are one token each (voids, embedded content).
INLINE_ATOMIC = frozenset(
    "area audio br canvas embed iframe img input math object picture script select "
    "style svg template textarea video wbr".split()
)
TEXT, FLOW, LIST, ATOMIC = "text", "flow", "list", "atomic"
OPEN, CLOSE, UNIT = 0, 1, 2
CORE_RE = re.compile(r"(\w+(?:['’]\w+)*|[^\w\s])")
ESCAPE_RE = re.compile(r"[&<>]")
WS_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
PAIR_MIN = 0.5  # word-set similarity above which two changed blocks are one edited block
MIN_MOVE_WORDS = 3  # shorter identical blocks (rules, "* * *") are not reported as moved
DP_LIMIT = 40_000  # larger changed regions are not paired block by block
BAND = 12  # pairing only considers blocks this close to the region's diagonal


@dataclass(frozen=True)
class Diff:
    """The page of what changed between two rendered versions."""

    html: str
    """HTML fragment: the new essay with insertions, deletions and moves marked."""
    words_added: int
    """Words that are new in this version."""
    words_deleted: int
    """Words of the old version that are gone."""
    blocks_changed: int
    """Paragraphs, list items, headings and the like that were edited, added or removed."""
    blocks_moved: int
    """Blocks that only changed position."""


@dataclass(frozen=True)
class _Run:
    """Loose inline content between blocks, diffed like a paragraph without tags."""

    pieces: tuple
    """Strings and inline elements, in document order (tails as separate strings)."""
    tag = ""


@dataclass
class _Tally:
    """Counts gathered while rendering; becomes the numbers on `Diff`."""

    added: int = 0
    deleted: int = 0
    changed: int = 0
    moved: int = 0


def diff_html(old_html: str, new_html: str, *, context: int = 1) -> Diff:
    """Mark what changed from `old_html` to `new_html`, keeping `context` unchanged blocks around each change."""
    tally = _Tally()
    old_root = lxml.html.fragment_fromstring(old_html, create_parent="div")
    new_root = lxml.html.fragment_fromstring(new_html, create_parent="div")
    items = _diff_blocks(_blocks(old_root), _blocks(new_root), FLOW, tally)
    log.debug("diff: +%d -%d words, %d blocks changed", tally.added, tally.deleted, tally.changed)
    return Diff(_fold(items, max(context, 0)), tally.added, tally.deleted, tally.changed, tally.moved)


def _pieces(el) -> list:
    """The content of `el` as strings and child elements; comments drop out, their tails stay."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            out.append(child)
        out.append(child.tail or "")
    return out


def _blocks(container) -> list:
    """Children of a container as blocks: block elements, with loose inline content grouped into runs."""
    out: list = []
    run: list = []
    for piece in _pieces(container):
        if isinstance(piece, str) or piece.tag not in BLOCK_TAGS:
            run.append(piece)
            continue
        if any(not isinstance(p, str) or p.strip() for p in run):
            out.append(_Run(tuple(run)))
        out.append(piece)
        run = []
    if any(not isinstance(p, str) or p.strip() for p in run):
        out.append(_Run(tuple(run)))
    return out


def _kind(block) -> str:
    """How a block is diffed: word by word, by aligning children, or as a whole."""
    if isinstance(block, _Run):
        return TEXT
    if block.tag in ATOMIC_TAGS:
        return ATOMIC
    children = [p for p in _pieces(block) if not isinstance(p, str)]
    if block.tag in LIST_TAGS:
        loose = any(isinstance(p, _Run) for p in _blocks(block))
        return LIST if not loose and all(c.tag in ITEM_TAGS for c in children) else ATOMIC
    if any(c.tag in BLOCK_TAGS for c in children):
        return FLOW if block.tag in FLOW_TAGS else ATOMIC
    return TEXT


def _outer(block, strip_ids: bool = False) -> str:
    """Serialize a block; old content shown beside the new loses its ids so none is duplicated."""
    if isinstance(block, _Run):
        return "".join(escape(p, quote=False) if isinstance(p, str) else _outer(p, strip_ids) for p in block.pieces)
    if strip_ids:
        block = copy.deepcopy(block)
        for el in block.iter(tag=etree.Element):
            el.attrib.pop("id", None)
    return etree.tostring(block, method="html", encoding="unicode", with_tail=False)


def _inner(el, strip_ids: bool = False) -> str:
    return _outer(_Run(tuple(_pieces(el))), strip_ids)


def _start_tag(el, extra_class: str = "") -> str:
    attrs = dict(el.attrib)
    if extra_class:
        attrs["class"] = f"{attrs.get('class', '')} {extra_class}".strip()
    return f"<{el.tag}" + "".join(f' {k}="{escape(v)}"' for k, v in attrs.items()) + ">"


def _key(block) -> str:
    html = _outer(block)
    return html if block.tag == "pre" else " ".join(html.split())


def _text(block) -> str:
    if isinstance(block, _Run):
        return "".join(p if isinstance(p, str) else p.text_content() for p in block.pieces)
    return block.text_content()


def _leaves(block) -> int:
    """How many paragraphs, items and the like a block holds (at least one)."""
    if _kind(block) in (TEXT, ATOMIC):
        return 1
    return sum(_leaves(b) for b in _blocks(block)) or 1


def _diff_blocks(old: list, new: list, kind: str, tally: _Tally) -> list[tuple[str, bool]]:
    """Align two lists of sibling blocks and render each as (html, changed)."""
    okeys, nkeys = [_key(b) for b in old], [_key(b) for b in new]
    opcodes = SequenceMatcher(None, okeys, nkeys, autojunk=False).get_opcodes()
    moved = _find_moves(opcodes, okeys, nkeys, new) if kind == FLOW else {}
    ops: list[tuple] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            ops.extend(("equal", i, j1 + i - i1) for i in range(i1, i2))
        else:
            ops.extend(_pair_region(old, new, range(i1, i2), range(j1, j2), moved))
    where = {(op[0], op[-1]): k for k, op in enumerate(ops)}
    sources = {j: i for i, j in moved.items()}
    items = []
    for k, op in enumerate(ops):
        if op[0] == "away":
            later = where[("in", moved[op[1]])] > k
            items.append((_note(f"A {_noun(old[op[1]])} moved from here to {_side(later)} in the essay."), True))
        elif op[0] == "in":
            tally.moved += 1
            earlier = where[("away", sources[op[1]])] < k
            el = new[op[1]]
            note = _note(f"Moved from {_side(not earlier)} in the essay.")
            items.append((f"{note}\n{_start_tag(el, 'moved')}{_inner(el)}</{el.tag}>", True))
        elif op[0] == "equal":
            items.append((_outer(new[op[2]]), False))
        elif op[0] == "pair":
            items.append(_render_pair(old[op[1]], new[op[2]], kind, tally))
        else:
            block = old[op[1]] if op[0] == "del" else new[op[1]]
            _count_whole(block, op[0], tally)
            items.append((_whole(block, op[0], kind), True))
    return items


def _note(text: str) -> str:
    return f'<p class="diff-note">{text}</p>'


def _side(later: bool) -> str:
    return "later" if later else "earlier"


def _noun(block) -> str:
    nouns = {"blockquote": "quotation", "ul": "list", "ol": "list", "table": "table", "pre": "code block"}
    return "heading" if block.tag in ("h1", "h2", "h3", "h4", "h5", "h6") else nouns.get(block.tag, "paragraph")


def _find_moves(opcodes: list, okeys: list[str], nkeys: list[str], new: list) -> dict[int, int]:
    """Old index → new index of blocks that left one place and reappear unchanged at another."""
    gone: dict[str, list[int]] = {}
    for tag, i1, i2, _, _ in opcodes:
        if tag != "equal":
            for i in range(i1, i2):
                gone.setdefault(okeys[i], []).append(i)
    moved = {}
    for tag, _, _, j1, j2 in opcodes:
        for j in range(j1, j2) if tag != "equal" else ():
            candidates = gone.get(nkeys[j])
            if candidates and not isinstance(new[j], _Run) and len(_text(new[j]).split()) >= MIN_MOVE_WORDS:
                moved[candidates.pop(0)] = j
    return moved


def _pair_region(old: list, new: list, ois: range, njs: range, moved: dict[int, int]) -> list[tuple]:
    """Within one changed region, pair up edited blocks (same tag, similar words) in order."""
    taken = set(moved.values())
    sims = _similarities(old, new, ois, njs, moved, taken) if len(ois) * len(njs) <= DP_LIMIT else {}
    m, n = len(ois), len(njs)
    score = [[0.0] * (n + 1) for _ in range(m + 1)] if sims else []
    for a in range(m if sims else 0):
        for b in range(n):
            best = max(score[a][b + 1], score[a + 1][b])
            if (a, b) in sims:
                best = max(best, score[a][b] + sims[a, b])
            score[a + 1][b + 1] = best
    ops: list[tuple] = []
    a, b = m, n
    while a or b:
        if a and b and (a - 1, b - 1) in sims and score[a][b] == score[a - 1][b - 1] + sims[a - 1, b - 1]:
            a, b = a - 1, b - 1
            ops.append(("pair", ois[a], njs[b]))
        elif b and (not a or not sims or score[a][b] == score[a][b - 1]):
            b -= 1
            ops.append(("in" if njs[b] in taken else "ins", njs[b]))
        else:
            a -= 1
            ops.append(("away" if ois[a] in moved else "del", ois[a]))
    return ops[::-1]


def _similarities(old: list, new: list, ois: range, njs: range, moved: dict, taken: set) -> dict:
    """Word-set similarity of the block pairs near the region's diagonal that could be one edited block."""
    owords = [set(_text(old[i]).split()) for i in ois]
    nwords = [set(_text(new[j]).split()) for j in njs]
    m, n = len(ois), len(njs)
    sims: dict[tuple[int, int], float] = {}
    for a in range(m):
        centre = a * n // m
        for b in range(max(0, centre - BAND), min(n, centre + BAND + 1)):
            if old[ois[a]].tag != new[njs[b]].tag or ois[a] in moved or njs[b] in taken:
                continue
            total = len(owords[a]) + len(nwords[b])
            sim = 2 * len(owords[a] & nwords[b]) / total if total else 1.0
            if sim >= PAIR_MIN:
                sims[a, b] = sim
    return sims


def _whole(block, side: str, kind: str) -> str:
    """A wholly inserted or deleted block, marked so that the container stays valid."""
    hidden = f'<span class="visually-hidden">{"inserted" if side == "ins" else "deleted"}: </span>'
    if kind != LIST:
        return f'<{side} class="block">{hidden}{_outer(block, strip_ids=side == "del")}</{side}>'
    shown = copy.deepcopy(block) if side == "del" else block
    if side == "del":
        shown.attrib.pop("id", None)
    inner = _inner(shown, strip_ids=side == "del")
    return f"{_start_tag(shown, f'{side}-block')}<{side}>{hidden}{inner}</{side}></{block.tag}>"


def _count_whole(block, side: str, tally: _Tally) -> None:
    words = len(WORD_RE.findall(_text(block)))
    if side == "ins":
        tally.added += words
    else:
        tally.deleted += words
    tally.changed += _leaves(block)


def _render_pair(old, new, kind: str, tally: _Tally) -> tuple[str, bool]:
    """Two versions of one block: diff words, recurse into children, or replace it whole."""
    old_kind, new_kind = _kind(old), _kind(new)
    if old_kind != new_kind or new_kind == ATOMIC:
        opcodes = SequenceMatcher(None, WORD_RE.findall(_text(old)), WORD_RE.findall(_text(new)), autojunk=False)
        for tag, i1, i2, j1, j2 in opcodes.get_opcodes():
            tally.deleted += (i2 - i1) * (tag != "equal")
            tally.added += (j2 - j1) * (tag != "equal")
        tally.changed += 1
        return f"{_whole(old, 'del', kind)}\n{_whole(new, 'ins', kind)}", True
    if new_kind == TEXT:
        inner, changed = _diff_words(old, new, tally)
        tally.changed += changed
    else:
        items = _diff_blocks(_blocks(old), _blocks(new), new_kind, tally)
        inner, changed = "\n" + "\n".join(html for html, _ in items) + "\n", any(c for _, c in items)
    if isinstance(new, _Run):
        return inner, changed
    return f"{_start_tag(new)}{inner}</{new.tag}>", changed


@dataclass
class _Tokens:
    """A paragraph's inline content as parallel lists: tags, units (words, marks) and the spaces between."""

    html: list[str] = field(default_factory=list)
    """What to write for each token."""
    keys: list = field(default_factory=list)
    """Per token: a unit's key (the start tags around it, then the word), "" for a space, None for a tag."""
    plain: list[str] = field(default_factory=list)
    """Per token: the escaped text it leaves when deleted ("" for a tag)."""
    units: list[str] = field(default_factory=list)
    """The keys of the units alone: what is diffed."""
    pos: list[int] = field(default_factory=list)
    """Where each unit sits among the tokens."""
    pairs: list[tuple[int, int]] = field(default_factory=list)
    """Token positions of each element's start and end tag."""

    def add(self, pieces: list, path: str) -> _Tokens:
        for piece in pieces:
            if isinstance(piece, str):
                self._text(piece, path)
            elif piece.tag in INLINE_ATOMIC:
                html = _outer(piece)
                self.pos.append(len(self.html))
                self.units.append(html)
                self._push(html, html, _escape(piece.get("alt", "")))
            else:
                start, opened = _start_tag(piece), len(self.html)
                self._push(start, None, "")
                self.add(_pieces(piece), path + start)
                self.pairs.append((opened, len(self.html)))
                self._push(f"</{piece.tag}>", None, "")
        return self

    def _text(self, text: str, path: str) -> None:
        # split() with a capturing group alternates space, unit, space, …, space.
        parts = CORE_RE.split(text)
        if ESCAPE_RE.search(text):
            parts = [_escape(part) for part in parts]
        keys = parts.copy()
        keys[0::2] = [""] * len(keys[0::2])
        if path:
            keys[1::2] = [path + core for core in parts[1::2]]
        self.pos.extend(range(len(self.html) + 1, len(self.html) + len(parts), 2))
        self.units.extend(keys[1::2])
        self.html.extend(parts)
        self.keys.extend(keys)
        self.plain.extend(parts)

    def _push(self, html: str, key: str | None, plain: str) -> None:
        self.html.append(html)
        self.keys.append(key)
        self.plain.append(plain)


def _escape(text: str) -> str:
    return escape(text, quote=False)


def _words(keys: list) -> int:
    return sum(1 for k in keys if k[-1].isalnum() or k[-1] == "_")


def _diff_words(old, new, tally: _Tally) -> tuple[str, bool]:
    """The new block's inner HTML with inserted and deleted words marked.

    The new side's tags are written once; deleted units become plain text in
    a <del> placed right after the last kept unit before them.
    """
    o = _Tokens().add(list(old.pieces) if isinstance(old, _Run) else _pieces(old), "")
    n = _Tokens().add(list(new.pieces) if isinstance(new, _Run) else _pieces(new), "")
    ops = _merge_equalities(_opcodes(o.units, n.units), o.units)
    flagged = _wholly_inserted(n, ops)
    out: list[str] = []
    cur, changed = 0, False
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            end = n.pos[j2 - 1] + 1
            out.append("".join(n.html[cur:end]))
            cur = end
            continue
        while cur < len(n.keys) and n.keys[cur] == "":
            out.append(n.html[cur])
            cur += 1
        tally.added += _words(n.units[j1:j2])
        tally.deleted += _words(o.units[i1:i2])
        if i2 > i1:
            changed |= _emit_deleted(o, i1, i2, n.html[cur - 1] if cur else "", out)
        end = n.pos[j2 - 1] + 1 if j2 > j1 else cur
        while end < len(n.keys) and (end in flagged or n.keys[end] == ""):
            end += 1
        while end > cur and n.keys[end - 1] == "":
            end -= 1
        changed |= _emit_inserted(n, range(cur, end), flagged, out)
        cur = end
    out.append("".join(n.html[cur:]))
    return "".join(out), changed


def _emit_deleted(o: _Tokens, i1: int, i2: int, before: str, out: list[str]) -> bool:
    """Write old units i1..i2 as plain text in a <del>, with the space that used to precede them."""
    start = o.pos[i1]
    stop = o.pos[i2] if i2 < len(o.pos) else len(o.plain)
    gone = WS_RE.sub(" ", "".join(o.plain[start:stop]))
    if i2 == len(o.pos):
        gone = gone.rstrip()
    if start and o.plain[start - 1][-1:].isspace() and before and not before[-1].isspace():
        gone = " " + gone
    if not gone.strip():
        return False
    out.append(_marked("del", gone))
    return True


def _opcodes(a: list, b: list) -> list[tuple]:
    """difflib opcodes, with the common head and tail matched before SequenceMatcher sees the middle."""
    limit, head, tail = min(len(a), len(b)), 0, 0
    while head < limit and a[head] == b[head]:
        head += 1
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle = SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False)
    ops = [("equal", 0, head, 0, head)] if head else []
    ops += [(t, i1 + head, i2 + head, j1 + head, j2 + head) for t, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return ops


def _merge_equalities(ops: list[tuple], okeys: list) -> list[tuple]:
    """Fold trivial matches (punctuation, one word between long edits) into the edits around them."""
    out: list[tuple] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" and 0 < k < len(ops) - 1 and i2 - i1 <= 4:
            words = _words(okeys[i1:i2])
            sizes = [max(op[2] - op[1], op[4] - op[3]) for op in (ops[k - 1], ops[k + 1])]
            if words == 0 or (words == 1 and min(sizes) >= 3):
                tag = "replace"
        if out and (tag == "equal") == (out[-1][0] == "equal"):
            out[-1] = ("equal" if tag == "equal" else "replace", out[-1][1], i2, out[-1][3], j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _wholly_inserted(n: _Tokens, ops: list[tuple]) -> set[int]:
    """Tags that an <ins> may enclose: elements with no units, or all units in one inserted run."""
    starts = [op[3] for op in ops]
    flagged: set[int] = set()
    for opened, closed in n.pairs:
        lo, hi = bisect_right(n.pos, opened), bisect_left(n.pos, closed)
        tag, _, _, j1, j2 = ops[max(bisect_right(starts, lo) - 1, 0)] if ops else ("equal", 0, 0, 0, 0)
        if hi == lo or (tag != "equal" and j1 <= lo and hi <= j2):
            flagged.update((opened, closed))
    return flagged


def _emit_inserted(n: _Tokens, span: range, flagged: set[int], out: list[str]) -> bool:
    """Write an inserted stretch, closing <ins> around tags that are not wholly inside it."""
    run: list[str] = []
    visible = changed = False
    for p in [*span, None]:
        if p is not None and (n.keys[p] is not None or p in flagged):
            run.append(n.html[p])
            visible = visible or bool(n.keys[p])
            continue
        out.append(_marked("ins", "".join(run)) if visible else "".join(run))
        changed, run, visible = changed or visible, [], False
        if p is not None:
            out.append(n.html[p])
    return changed


def _marked(tag: str, html: str) -> str:
    label = "inserted" if tag == "ins" else "deleted"
    return f'<{tag}><span class="visually-hidden">{label}: </span>{html}</{tag}>'


def _fold(items: list[tuple[str, bool]], context: int) -> str:
    """Keep `context` unchanged blocks around each change; fold the rest into <details>."""
    keep = [False] * len(items)
    for k, (_, changed) in enumerate(items):
        if changed:
            for x in range(max(0, k - context), min(len(items), k + context + 1)):
                keep[x] = True
    out: list[str] = []
    hidden: list[str] = []
    for (html, _), kept in zip(items, keep):
        if not kept:
            hidden.append(html)
            continue
        out.extend(_details(hidden))
        hidden = []
        out.append(html)
    out.extend(_details(hidden))
    return "\n".join(out) + ("\n" if out else "")


def _details(hidden: list[str]) -> list[str]:
    if not hidden:
        return []
    noun = "paragraph" if len(hidden) == 1 else "paragraphs"
    summary = f'<details class="unchanged"><summary>{len(hidden)} unchanged {noun}</summary>'
    return [summary, *hidden, "</details>"]
