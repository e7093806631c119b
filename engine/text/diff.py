"""Two rendered versions of an essay → one readable page of what changed.

Readers of a revised essay want the essay itself with the edits marked in
place, not a line diff of Markdown. So this works on rendered HTML: top-level
blocks are aligned first (most are untouched; patience diff, anchored on
blocks that occur once in each version, keeps this linear), edited blocks are diffed word
by word (``worddiff.py``), containers (quotes, lists, footnotes) are aligned
recursively, a paragraph that only moved is reported as moved, and long
unchanged stretches fold into ``<details>``.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .blocks import (
    ATOMIC,
    FLOW,
    LIST,
    NO_PUNCTUATION,
    TEXT,
    Block,
    Run,
    block_html,
    blocks_of,
    content_html,
    kind_of,
    leaves,
    parse,
    pieces_of,
    text_of,
    units,
    words_of,
)
from .cutting import UNSPACED_RE
from .footnotes import numbered_as_in
from .likeness import Likeness, is_notes
from .opcodes import patience_opcodes, word_opcodes
from .splits import Words, cut_into, render_join, render_split
from .tables import table_diff
from .worddiff import Tally, diff_words, hidden_label, start_tag

if TYPE_CHECKING:
    from .fragment import Fragment

log = logging.getLogger(__name__)

_CITATION_ID = re.compile(r' id="fnref-[^"]*"')
_HEADING_START = re.compile(r"<h[1-6][\s>]")
MIN_MOVE_WORDS = 3  # shorter identical blocks (rules, "* * *") are not reported as moved
MOVED_EDITED_MIN = 0.7  # shared-word ratio from which a paragraph deleted here and inserted there moved, edited
MAX_MOVE_PAIRS = 2_500  # how many deleted and inserted paragraphs, multiplied, are compared for such moves
LOOKAHEAD = 12  # how far ahead in a changed region a block's edited version is looked for
NOUNS = {"blockquote": "quotation", "ul": "list", "ol": "list", "table": "table", "pre": "code block",
         **{f"h{level}": "heading" for level in range(1, 7)}}


@dataclass(frozen=True)
class Diff:
    """The page of what changed between two rendered versions."""

    html: str | Fragment
    """HTML fragment: the new essay with insertions, deletions and moves marked (a ``str`` as made here;
    the cache keeps it as a ``Fragment``, so read it with ``str()``)."""
    words_added: int
    """Words new in this version."""
    words_deleted: int
    """Words of the old version that are gone."""
    blocks_changed: int
    """Paragraphs, list items, headings and the like edited, added or removed."""
    blocks_moved: int
    """Blocks that only changed position."""


def diff_html(old_html: str, new_html: str, *, context: int = 1) -> Diff:
    """Mark what changed from `old_html` to `new_html`, showing `context` unchanged blocks around each change."""
    tally = Tally()
    old_html = numbered_as_in(old_html, new_html)
    items = _diff_blocks(blocks_of(parse(old_html)), blocks_of(parse(new_html)), FLOW, tally)
    log.debug("diff: +%d -%d words, %d blocks changed", tally.added, tally.deleted, tally.changed)
    return Diff(_fold(items, max(context, 0)), tally.added, tally.deleted, tally.changed, tally.moved)
def _key(html: str) -> str:
    """A block's markup as it is aligned: without its citations' ids, which say which citation of a note it
    is (``fnref-a-2``, the second), so that a paragraph moved before another citing the same note is moved."""
    return _CITATION_ID.sub("", html) if "fnref-" in html else html
def _diff_blocks(old: list[Block], new: list[Block], kind: str, tally: Tally) -> list[tuple[str, bool]]:
    """Align sibling blocks and render each as (html, changed)."""
    shown = [block_html(b) for b in new]
    okeys, nkeys = [_key(block_html(b)) for b in old], [_key(html) for html in shown]  # markup is the alignment key
    # Patience diff anchors on blocks found once in each version, as an essay's paragraphs are: linear
    # where difflib's matcher is quadratic once many blocks change.
    opcodes = patience_opcodes(okeys, nkeys)
    if tally.characters is None:  # the first, outermost blocks: only the changed ones are read word by word
        changed = [okeys[i] for tag, i1, i2, _, _ in opcodes if tag != "equal" for i in range(i1, i2)]
        changed += [nkeys[j] for tag, _, _, j1, j2 in opcodes if tag != "equal" for j in range(j1, j2)]
        tally.characters = any(UNSPACED_RE.search(key) for key in changed)
    moved = _find_moves(opcodes, okeys, nkeys, new, tally.characters) if kind in (FLOW, LIST) else {}
    ops: list[tuple] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            ops.extend(("equal", j) for j in range(j1, j2))
        else:
            ops.extend(_pair_region(old, new, range(i1, i2), range(j1, j2), moved, tally.characters))
    edited = _edited_moves(ops, old, new, moved, tally.characters) if kind in (FLOW, LIST) else set()
    if edited:
        gone = {i for i, j in moved.items() if j in edited}
        ops = [("away", op[1]) if op[0] == "del" and op[1] in gone else ("in", op[1]) if op[0] == "ins"
               and op[1] in edited else op for op in ops]
    where = {op: k for k, op in enumerate(ops)}
    items = []
    for k, (tag, *at) in enumerate(ops):
        if tag == "equal":
            items.append((shown[at[0]], False))
        elif tag == "pair":
            items.append(_render_pair(old[at[0]], new[at[1]], kind, tally))
        elif tag == "split":
            items.append(render_split(old[at[0]], new[at[1]:at[2]], tally))
        elif tag == "join":
            items.append(render_join(old[at[0]:at[1]], new[at[2]], tally))
        elif tag == "away" and kind == LIST:  # an item moved within its list: said where it is now
            continue
        elif tag == "away":
            side = "later" if where["in", moved[at[0]]] > k else "earlier"
            noun = NOUNS.get(old[at[0]].tag, "paragraph")
            items.append((f'<p class="diff-note">A {noun} moved from here to {side} in the essay.</p>', True))
        elif tag == "in":
            tally.moved += 1
            side = "earlier" if where["away", next(i for i, j in moved.items() if j == at[0])] < k else "later"
            el = new[at[0]]
            note = f'<p class="diff-note">Moved from {side} in the essay.</p>'
            inner = content_html(el)
            if at[0] in edited:  # and edited there: its words marked as a paragraph edited in place
                was = next(old[i] for i, j in moved.items() if j == at[0])
                inner, changed = diff_words(pieces_of(was), pieces_of(el), tally)
                tally.changed += changed
            if kind == LIST:
                items.append((f"{start_tag(el, 'moved')}{note}{inner}</{el.tag}>", True))
            else:
                items.append((f"{note}\n{start_tag(el, 'moved')}{inner}</{el.tag}>", True))
        else:
            block = old[at[0]] if tag == "del" else new[at[0]]
            if tag == "ins":
                tally.added += len(words_of(text_of(block), tally.characters))
            else:
                tally.deleted += len(words_of(text_of(block), tally.characters))
            tally.changed += leaves(block)
            items.append((_whole(block, tag, kind), True))
    return items


def _find_moves(opcodes: list[tuple], okeys: list[str], nkeys: list[str], new: list[Block],
                characters: bool) -> dict[int, int]:
    """Old index → new index of blocks that left one place and reappear unchanged at another."""
    gone: dict[str, list[int]] = {}
    for i in (i for tag, i1, i2, _, _ in opcodes if tag != "equal" for i in range(i1, i2)):
        gone.setdefault(okeys[i], []).append(i)
    moved = {}
    for j in (j for tag, _, _, j1, j2 in opcodes if tag != "equal" for j in range(j1, j2)):
        if gone.get(nkeys[j]) and not isinstance(new[j], Run) \
                and len(units(text_of(new[j]), characters)) >= MIN_MOVE_WORDS:
            moved[gone[nkeys[j]].pop(0)] = j
    return moved


def _edited_moves(ops: list[tuple], old: list[Block], new: list[Block], moved: dict[int, int],
                  characters: bool) -> set[int]:
    """Paragraphs deleted in one place and inserted in another with most of their words (a paragraph moved,
    then edited): each added to ``moved`` (old index → new), and the new indexes returned.  The page showed
    such a paragraph deleted whole and inserted whole, and counted all its words twice."""
    gone = [op[1] for op in ops if op[0] == "del" and _movable(old[op[1]], characters)]
    came = [op[1] for op in ops if op[0] == "ins" and _movable(new[op[1]], characters)]
    if not gone or not came or len(gone) * len(came) > MAX_MOVE_PAIRS:
        return set()
    words = {("old", i): _word_set(old[i], characters) for i in gone} | {("new", j): _word_set(new[j], characters)
                                                                         for j in came}
    alike = sorted(((2 * len(words["old", i] & words["new", j]) / (len(words["old", i]) + len(words["new", j])), i, j)
                    for i in gone for j in came if old[i].tag == new[j].tag), reverse=True)
    found: set[int] = set()
    for likeness, i, j in alike:
        if likeness < MOVED_EDITED_MIN:
            break
        if i not in moved and j not in found:
            moved[i] = j
            found.add(j)
    return found


def _movable(block: Block, characters: bool) -> bool:
    return not isinstance(block, Run) and kind_of(block) == TEXT and len(units(text_of(block), characters)) >= \
        MIN_MOVE_WORDS


def _word_set(block: Block, characters: bool) -> set[str]:
    return set(units(text_of(block).translate(NO_PUNCTUATION).lower(), characters)) or {""}


def _pair_region(old: list[Block], new: list[Block], ois: range, njs: range, moved: dict[int, int],
                 characters: bool) -> list[tuple]:
    """In a changed region, pair each old block with the next similar new block of the same tag; a paragraph
    split in two or more (or two or more joined into one) is paired with its parts."""
    taken, ops, j = set(moved.values()), [], njs.start
    words = Words(characters)
    like = Likeness(old, new, characters)
    joined = 0  # old blocks after ``i`` already joined into a new one
    for i in ois:
        if joined:
            joined -= 1
            continue
        ahead = range(j, min(njs.stop, j + LOOKAHEAD))
        match = None if i in moved else next((k for k in ahead if k not in taken and like(i, k)), None)
        if match is not None and i + 1 in ois and i + 1 not in moved and like.rather(i, match, range(j, match), taken):
            match = None  # the next old block is that new one, or one before it: this one went
        cut = None if i in moved else _cut(words, old, new, i, [k for k in ahead[:3] if k not in taken],
                                           range(i, ois.stop), range(j, njs.stop), taken, moved)
        if cut is not None:
            how, k, m = cut
            ops.extend(("in" if n in taken else "ins", n) for n in range(j, k))
            ops.append(("split", i, k, k + m) if how == "split" else ("join", i, i + m, k))
            j, joined = (k + m, 0) if how == "split" else (k + 1, m - 1)
            continue
        if match is None:
            ops.append(("away" if i in moved else "del", i))
            continue
        ops.extend(("in" if k in taken else "ins", k) for k in range(j, match))
        ops.append(("pair", i, match))
        j = match + 1
    ops.extend(("in" if k in taken else "ins", k) for k in range(j, njs.stop))
    return ops
def _cut(words: Words, old: list[Block], new: list[Block], i: int, near: list[int], olds: range, news: range,
         taken: set[int], moved: dict[int, int]) -> tuple[str, int, int] | None:
    """Old block ``i`` split into new blocks from one of ``near`` on, or old blocks from ``i`` on joined into
    one of them: ("split" or "join", the first new block, how many blocks it was cut into), or None."""
    for k in near:
        m = cut_into(words, old[i], new, range(k, news.stop), taken)
        if m:
            return "split", k, m
    for k in near:
        m = cut_into(words, new[k], old, olds, moved)
        if m:
            return "join", k, m
    return None


def _whole(block: Block, side: str, kind: str) -> str:
    """A wholly inserted or deleted block, marked so its container stays valid (no <ins> in a <ul>)."""
    hidden = hidden_label(side)
    if kind != LIST:
        return f'<{side} class="block">{hidden}{block_html(block, strip_ids=side == "del")}</{side}>'
    item = copy.deepcopy(block)
    if side == "del":
        item.attrib.pop("id", None)
        parent = block.getparent()
        if parent is not None and parent.tag == "ol" and item.tag == "li" and "value" not in item.attrib:
            start = parent.get("start", "1")  # the number it had, not one of the list it is shown in
            items = [child for child in parent if child.tag == "li"]
            item.set("value", str((int(start) if start.isdigit() else 1) + items.index(block)))
    inner = content_html(item, strip_ids=side == "del")
    return f"{start_tag(item, f'{side}-block')}<{side}>{hidden}{inner}</{side}></{item.tag}>"


def _render_pair(old: Block, new: Block, kind: str, tally: Tally) -> tuple[str, bool]:
    """Two versions of one block: diff its words, align its children, or replace it whole."""
    if not isinstance(old, Run) and not isinstance(new, Run) and old.tag == new.tag == "table":
        marked = table_diff(old, new, tally, lambda text: words_of(text, tally.characters))
        if marked is not None:
            return marked
    kinds = {kind_of(old), kind_of(new)}
    if _same_code(old, new):  # a language given to a code block (```sh), or taken away: its colours, not its text
        return block_html(new), False
    if ATOMIC in kinds or (len(kinds) > 1 and kinds != {TEXT, FLOW}):
        words = word_opcodes(words_of(text_of(old), tally.characters), words_of(text_of(new), tally.characters))
        tally.deleted += sum(i2 - i1 for tag, i1, i2, _, _ in words if tag != "equal")
        tally.added += sum(j2 - j1 for tag, _, _, j1, j2 in words if tag != "equal")
        tally.changed += 1
        return f"{_whole(old, 'del', kind)}\n{_whole(new, 'ins', kind)}", True
    if kinds == {TEXT}:
        inner, changed = diff_words(pieces_of(old), pieces_of(new), tally)
        tally.changed += changed
    else:  # a list item that became loose (<li><p>) is aligned as a container too
        items = _diff_blocks(blocks_of(old), blocks_of(new), LIST if LIST in kinds else FLOW, tally)
        if not isinstance(new, Run) and new.tag == "ol":
            start = new.get("start", "1")
            shown = _numbered(items, int(start) if start.isdigit() else 1, fold=is_notes(new))
        else:
            shown = [html for html, _ in items]
        inner, changed = "\n" + "\n".join(shown) + "\n", any(c for _, c in items)
    return (inner if isinstance(new, Run) else f"{start_tag(new)}{inner}</{new.tag}>"), changed


def _fold(items: list[tuple[str, bool]], context: int) -> str:
    """Keep `context` unchanged blocks around each change, and the heading of the section it is in, so
    that a reader knows where it is; fold the rest into <details>."""
    near = {k + d for k, (_, changed) in enumerate(items) if changed for d in range(-context, context + 1)}
    heading = None
    for k, (html, changed) in enumerate(items):
        heading = k if _HEADING_START.match(html) else heading
        if changed and heading is not None:
            near.add(heading)
    out: list[str] = []
    hidden: list[str] = []
    for k, (html, _) in enumerate(items):
        if k not in near:
            hidden.append(html)
            continue
        out += _details(hidden)
        out.append(html)
        hidden = []
    return "".join(f"{html}\n" for html in out + _details(hidden))


def _numbered(items: list[tuple[str, bool]], number: int, fold: bool, context: int = 1) -> list[str]:
    """The items of a numbered list on a page of what changed, each keeping the number it shows: a deleted one
    says the number it had (``_whole``; a footnote's, ``numbered_as_in``), and the item after it its own, which
    the deleted one would otherwise push on by one.  ``fold``: the list is the footnotes, whose runs of
    unchanged notes away from a change fold as paragraphs do (an essay of ninety notes showed them all for one
    pinpoint corrected); the fold's own list starts at its first, and the note after it says its own."""
    near = {k + d for k, (_, changed) in enumerate(items) if changed for d in range(-context, context + 1)} if fold \
        else set(range(len(items)))
    out: list[str] = []
    k, renumber = 0, False
    while k < len(items):
        end = k
        while end < len(items) and end not in near:
            end += 1
        if end - k >= 2:
            hidden = "\n".join(html for html, _ in items[k:end])
            out.append(f'<li class="unchanged-notes"><details class="unchanged"><summary>{end - k} unchanged notes'
                       f'</summary>\n<ol start="{number}">\n{hidden}\n</ol></details></li>')
            k, number, renumber = end, number + end - k, True
            continue
        html = items[k][0]
        if not html.startswith("<li"):  # not an item (in a list libxml2 repaired): left as it is
            out.append(html)
            k += 1
            continue
        if "del-block" in html[:html.find(">")]:
            out.append(html)
            k, renumber = k + 1, True
            continue
        out.append(html.replace("<li", f'<li value="{number}"', 1) if renumber else html)
        k, number, renumber = k + 1, number + 1, False
    return out


def _details(hidden: list[str]) -> list[str]:
    """A fold of unchanged blocks; its summary counts headings apart, so that a reader looking for a
    section knows it is inside ("3 unchanged paragraphs and 1 heading")."""
    if len(hidden) < 2:  # a fold of one block would hide no more than it takes to open
        return hidden
    headings = sum(1 for html in hidden if _HEADING_START.match(html))
    counts = [(len(hidden) - headings, "paragraph"), (headings, "heading")]
    said = " and ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts if n)
    return [f'<details class="unchanged"><summary>{said.replace(" ", " unchanged ", 1)}</summary>', *hidden,
            "</details>"]


def _same_code(old: Block, new: Block) -> bool:
    """Whether two blocks are code blocks with the same text, whatever its highlighting."""
    return not isinstance(old, Run) and not isinstance(new, Run) and old.tag == new.tag == "pre" \
        and "".join(old.itertext()) == "".join(new.itertext())
