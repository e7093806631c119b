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
import string
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from lxml import etree

from .cutting import UNSPACED_RE, character_words
from .footnotes import numbered_as_in
from .tables import table_diff
from .worddiff import (
    WORD_RE,
    Tally,
    diff_words,
    element_pieces,
    escape_text,
    hidden_label,
    inner_html,
    outer_element,
    patience_opcodes,
    start_tag,
    without_ids,
    word_opcodes,
)

if TYPE_CHECKING:
    from .fragment import Fragment

log = logging.getLogger(__name__)

BLOCK_TAGS = frozenset(
    "address article aside blockquote dd details dialog div dl dt fieldset figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section table ul".split()
)
FLOW_TAGS = frozenset("article aside blockquote dd div footer header li main nav section".split())
LIST_TAGS, ITEM_TAGS = frozenset("dl menu ol ul".split()), frozenset("dd dt li".split())
# Changed as a whole: deleted and re-inserted.
ATOMIC_TAGS = frozenset("details dialog fieldset figure form hgroup hr math pre script style svg table".split())
TEXT, FLOW, LIST, ATOMIC = "text", "flow", "list", "atomic"
_CITATION_ID = re.compile(r' id="fnref-[^"]*"')
_HEADING_START = re.compile(r"<h[1-6][\s>]")
NO_PUNCTUATION = str.maketrans(string.punctuation, " " * len(string.punctuation))
PAIR_MIN = 0.5  # shared-word ratio from which two blocks count as one edited block
MIN_MOVE_WORDS = 3  # shorter identical blocks (rules, "* * *") are not reported as moved
MAX_PARTS = 4  # the most paragraphs one is split into (or joined from) that a page of what changed shows as such
LOOKAHEAD = 12  # how far ahead in a changed region a block's edited version is looked for
MAX_DEPTH = 250
"""Elements nested deeper than this are unwrapped when a text is too deep for libxml2's tree (255 levels)."""
_SPACED = BLOCK_TAGS | {"br"}
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


@dataclass(frozen=True)
class _Run:
    """Loose inline content between blocks, diffed like a paragraph without its tags."""

    pieces: tuple
    tag = ""


Block = Union[etree._Element, _Run]


def diff_html(old_html: str, new_html: str, *, context: int = 1) -> Diff:
    """Mark what changed from `old_html` to `new_html`, showing `context` unchanged blocks around each change."""
    tally = Tally()
    old_html = numbered_as_in(old_html, new_html)
    items = _diff_blocks(_blocks(_parse(old_html)), _blocks(_parse(new_html)), FLOW, tally)
    log.debug("diff: +%d -%d words, %d blocks changed", tally.added, tally.deleted, tally.changed)
    return Diff(_fold(items, max(context, 0)), tally.added, tally.deleted, tally.changed, tally.moved)


def _parse(html: str) -> etree._Element:
    """The fragment as the content of one element; libxml2 repairs whatever is unbalanced.

    libxml2 builds no tree deeper than 255 levels nor a text past 10 MB: it stops reading there and
    says so only in its error log.  Both versions would then end at the same place, and a change
    below it would read as no change; such a text is read again without those limits.
    """
    document = f"<html><body>{html}</body></html>"
    root, stopped = _read(document, etree.HTMLParser())
    if stopped:
        log.debug("diff: the HTML parser stopped early (%s); reading again without its limits", stopped)
        root, stopped = _read(document, etree.HTMLParser(target=_Unwrapping(), huge_tree=True))
    if stopped:
        raise ValueError(f"the HTML parser could not read this text to its end: {stopped}")
    body = root.find("body")
    for stray in list(body.itersiblings()):  # content after a stray </body>
        body.append(stray)
    return body


def _read(document: str, parser: etree.HTMLParser) -> tuple[etree._Element, str]:
    """The parsed document, and why the parser stopped before its end ("" if it did not)."""
    root = etree.HTML(document, parser)
    limits = [e.message for e in parser.error_log if e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT]
    return root, "; ".join(limits)


class _Unwrapping:
    """A parser target that builds the tree libxml2 would, except that elements nested deeper than
    ``MAX_DEPTH`` are unwrapped: their words stay, in the deepest element kept, with a space where a
    block began or ended so that no two words run together.  (libxml2 sends a target every start and
    end tag, however deep; the diff recurses through the tree, so it keeps to a depth it can walk.)"""

    def __init__(self) -> None:
        self.builder, self.depth = etree.TreeBuilder(parser=etree.HTMLParser()), 0  # lenient as libxml2 is

    def start(self, tag: str, attrib: dict) -> None:
        self.depth += 1
        if self.depth <= MAX_DEPTH:
            self.builder.start(tag, attrib)
        elif tag in _SPACED:
            self.builder.data(" ")

    def end(self, tag: str) -> None:
        if self.depth <= MAX_DEPTH:
            self.builder.end(tag)
        elif tag in _SPACED:
            self.builder.data(" ")
        self.depth -= 1

    def data(self, text: str) -> None:
        self.builder.data(text)

    def comment(self, text: str) -> None:
        if self.depth <= MAX_DEPTH:
            self.builder.comment(text)

    def close(self) -> etree._Element:
        return self.builder.close()


def _pieces(el: Block) -> list:
    """Text and child elements in order; comments drop out but their tails stay."""
    return list(el.pieces) if isinstance(el, _Run) else element_pieces(el)


def _blocks(container: etree._Element) -> list[Block]:
    """The children of a container: block elements, loose inline content grouped into runs."""
    out: list = []
    run: list = []
    for piece in [*_pieces(container), None]:
        if piece is not None and (isinstance(piece, str) or piece.tag not in BLOCK_TAGS):
            run.append(piece)
            continue
        if any(not isinstance(p, str) or p.strip() for p in run):
            out.append(_Run(tuple(run)))
        out.append(piece)
        run = []
    return out[:-1]


def _kind(block: Block) -> str:
    """Diffed word by word (text), by aligning children (flow, list), or as a whole (atomic)."""
    if isinstance(block, _Run):
        return TEXT
    if block.tag in ATOMIC_TAGS:
        return ATOMIC
    children = _blocks(block)
    if block.tag in LIST_TAGS:
        return LIST if all(c.tag in ITEM_TAGS for c in children) else ATOMIC
    if all(isinstance(c, _Run) for c in children):
        return TEXT
    return FLOW if block.tag in FLOW_TAGS else ATOMIC


def _outer(block: Block, strip_ids: bool = False) -> str:
    """Serialized block; old content shown beside the new loses its ids so none is duplicated."""
    if isinstance(block, _Run):
        return "".join(escape_text(p) if isinstance(p, str) else _outer(p, strip_ids) for p in block.pieces)
    return outer_element(without_ids(block) if strip_ids else block)


def _key(html: str) -> str:
    """A block's markup as it is aligned: without its citations' ids, which say which citation of a note it
    is (``fnref-a-2``, the second), so that a paragraph moved before another citing the same note is moved."""
    return _CITATION_ID.sub("", html) if "fnref-" in html else html


def _inner(el: etree._Element, strip_ids: bool = False) -> str:
    return _outer(_Run(tuple(_pieces(el))), strip_ids) if strip_ids else inner_html(el)


def _text(block: Block) -> str:
    """Text with a space wherever an element starts or ends, as the word diff splits it."""
    return " ".join(p if isinstance(p, str) else " ".join(p.itertext()) for p in _pieces(block))


def _units(text: str, characters: bool = True) -> list[str]:
    """A text's words split at spaces, and each Chinese or Japanese character one of its own (they are
    written without spaces between words), as the word diff splits them."""
    words = text.split()
    if characters and UNSPACED_RE.search(text):
        return [piece for word in words for piece in character_words(word)]
    return words


def _words(text: str, characters: bool = True) -> list[str]:
    return [word for word in _units(text, characters) if WORD_RE.search(word)]


def _leaves(block: Block) -> int:
    """How many paragraphs, items and the like a block holds (at least one)."""
    return 1 if _kind(block) in (TEXT, ATOMIC) else sum(map(_leaves, _blocks(block))) or 1


def _diff_blocks(old: list[Block], new: list[Block], kind: str, tally: Tally) -> list[tuple[str, bool]]:
    """Align sibling blocks and render each as (html, changed)."""
    shown = [_outer(b) for b in new]
    okeys, nkeys = [_key(_outer(b)) for b in old], [_key(html) for html in shown]  # markup is the alignment key
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
    where = {op: k for k, op in enumerate(ops)}
    items = []
    for k, (tag, *at) in enumerate(ops):
        if tag == "equal":
            items.append((shown[at[0]], False))
        elif tag == "pair":
            items.append(_render_pair(old[at[0]], new[at[1]], kind, tally))
        elif tag == "split":
            items.append(_render_split(old[at[0]], new[at[1]:at[2]], tally))
        elif tag == "join":
            items.append(_render_join(old[at[0]:at[1]], new[at[2]], tally))
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
            if kind == LIST:
                items.append((f"{start_tag(el, 'moved')}{note}{_inner(el)}</{el.tag}>", True))
            else:
                items.append((f"{note}\n{start_tag(el, 'moved')}{_inner(el)}</{el.tag}>", True))
        else:
            block = old[at[0]] if tag == "del" else new[at[0]]
            if tag == "ins":
                tally.added += len(_words(_text(block), tally.characters))
            else:
                tally.deleted += len(_words(_text(block), tally.characters))
            tally.changed += _leaves(block)
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
        if gone.get(nkeys[j]) and not isinstance(new[j], _Run) \
                and len(_units(_text(new[j]), characters)) >= MIN_MOVE_WORDS:
            moved[gone[nkeys[j]].pop(0)] = j
    return moved


def _pair_region(old: list[Block], new: list[Block], ois: range, njs: range, moved: dict[int, int],
                 characters: bool) -> list[tuple]:
    """In a changed region, pair each old block with the next similar new block of the same tag; a paragraph
    split in two or more (or two or more joined into one) is paired with its parts."""
    taken, ops, j = set(moved.values()), [], njs.start
    words = _Words(characters)
    joined = 0  # old blocks after ``i`` already joined into a new one
    for i in ois:
        if joined:
            joined -= 1
            continue
        ahead = range(j, min(njs.stop, j + LOOKAHEAD))
        match, likeness = None, 0.0
        if i not in moved:
            match = next((k for k in ahead if k not in taken
                          for likeness in [_likeness(old[i], new[k], characters)] if likeness >= PAIR_MIN), None)
        if i not in moved:
            near = [k for k in ahead[:3] if k not in taken]
            split = next(((k, m) for k in near
                          for m in [_parts(words, old[i], new, range(k, njs.stop), taken)] if m), None)
            join = None if split else next(((k, m) for k in near
                                            for m in [_parts(words, new[k], old, range(i, ois.stop), moved)] if m), None)
            if split or join:
                k, m = split or join
                ops.extend(("in" if n in taken else "ins", n) for n in range(j, k))
                ops.append(("split", i, k, k + m) if split else ("join", i, i + m, k))
                j, joined = (k + m, 0) if split else (k + 1, m - 1)
                continue
        if match is None:
            ops.append(("away" if i in moved else "del", i))
            continue
        ops.extend(("in" if k in taken else "ins", k) for k in range(j, match))
        ops.append(("pair", i, match))
        j = match + 1
    ops.extend(("in" if k in taken else "ins", k) for k in range(j, njs.stop))
    return ops


class _Words:
    """Each block's words as they are compared for a split or a join (lower case, without punctuation),
    counted once."""

    def __init__(self, characters: bool) -> None:
        self.characters, self.seen = characters, {}

    def __call__(self, block: Block) -> Counter:
        key = id(block)
        if key not in self.seen:
            self.seen[key] = (block, Counter(_units(_text(block).translate(NO_PUNCTUATION).lower(), self.characters)))
        return self.seen[key][1]

    def length(self, block: Block) -> int:
        """How long a block's text is, which rules most pairs out before their words are counted."""
        key = -id(block) - 1
        if key not in self.seen:
            self.seen[key] = (block, len(_text(block)))
        return self.seen[key][1]


def _parts(words: _Words, whole: Block, blocks: list[Block], after: range, aside: object) -> int:
    """How many blocks from ``after.start`` on are ``whole`` cut into paragraphs: the most, from two to
    ``MAX_PARTS``, of its kind, each mostly of its words, and between them nearly all of its words and
    little else; or 0."""
    if len(after) < 2 or words.length(blocks[after.start]) > 0.95 * words.length(whole) or _kind(whole) != TEXT:
        return 0  # a paragraph is split in two at least, and its first part is shorter than it
    total = words(whole)
    size = sum(total.values())
    together: Counter = Counter()
    found = covered = 0
    for m, at in enumerate(after[:MAX_PARTS], start=1):
        part = blocks[at]
        if at in aside or part.tag != whole.tag and {part.tag, whole.tag} != {"", "p"} or _kind(part) != TEXT:
            break
        own = words(part)
        if not own or sum((own & total).values()) < 0.6 * sum(own.values()):
            break
        together += own
        now = sum((together & total).values())
        if now <= covered:  # it adds nothing of the paragraph: another paragraph that repeats it
            break
        covered = now
        if m >= 2 and covered >= 0.85 * max(size, sum(together.values())):
            found = m
    return found


def _similar(a: Block, b: Block, characters: bool) -> bool:
    return _likeness(a, b, characters) >= PAIR_MIN


def _likeness(a: Block, b: Block, characters: bool) -> float:
    """How alike two blocks are: the share of their words (as sets) they have in common, 0 for blocks of
    different kinds."""
    if a.tag != b.tag and {a.tag, b.tag} != {"", "p"}:
        return 0.0
    if _notes(a) and _notes(b):  # an essay's notes, however changed
        return 1.0
    words_a, words_b = (set(_units(_text(x).translate(NO_PUNCTUATION).lower(), characters)) for x in (a, b))
    total = len(words_a) + len(words_b)
    return 2 * len(words_a & words_b) / total if total else 1.0


def _whole(block: Block, side: str, kind: str) -> str:
    """A wholly inserted or deleted block, marked so its container stays valid (no <ins> in a <ul>)."""
    hidden = hidden_label(side)
    if kind != LIST:
        return f'<{side} class="block">{hidden}{_outer(block, strip_ids=side == "del")}</{side}>'
    item = copy.deepcopy(block)
    if side == "del":
        item.attrib.pop("id", None)
        parent = block.getparent()
        if parent is not None and parent.tag == "ol" and item.tag == "li" and "value" not in item.attrib:
            start = parent.get("start", "1")  # the number it had, not one of the list it is shown in
            items = [child for child in parent if child.tag == "li"]
            item.set("value", str((int(start) if start.isdigit() else 1) + items.index(block)))
    inner = _inner(item, strip_ids=side == "del")
    return f"{start_tag(item, f'{side}-block')}<{side}>{hidden}{inner}</{side}></{item.tag}>"


def _render_pair(old: Block, new: Block, kind: str, tally: Tally) -> tuple[str, bool]:
    """Two versions of one block: diff its words, align its children, or replace it whole."""
    if not isinstance(old, _Run) and not isinstance(new, _Run) and old.tag == new.tag == "table":
        marked = table_diff(old, new, tally, lambda text: _words(text, tally.characters))
        if marked is not None:
            return marked
    kinds = {_kind(old), _kind(new)}
    if _same_code(old, new):  # a language given to a code block (```sh), or taken away: its colours, not its text
        return _outer(new), False
    if ATOMIC in kinds or (len(kinds) > 1 and kinds != {TEXT, FLOW}):
        words = word_opcodes(_words(_text(old), tally.characters), _words(_text(new), tally.characters))
        tally.deleted += sum(i2 - i1 for tag, i1, i2, _, _ in words if tag != "equal")
        tally.added += sum(j2 - j1 for tag, _, _, j1, j2 in words if tag != "equal")
        tally.changed += 1
        return f"{_whole(old, 'del', kind)}\n{_whole(new, 'ins', kind)}", True
    if kinds == {TEXT}:
        inner, changed = diff_words(_pieces(old), _pieces(new), tally)
        tally.changed += changed
    else:  # a list item that became loose (<li><p>) is aligned as a container too
        items = _diff_blocks(_blocks(old), _blocks(new), LIST if LIST in kinds else FLOW, tally)
        if not isinstance(new, _Run) and new.tag == "ol":
            start = new.get("start", "1")
            shown = _numbered(items, int(start) if start.isdigit() else 1, fold=_notes(new))
        else:
            shown = [html for html, _ in items]
        inner, changed = "\n" + "\n".join(shown) + "\n", any(c for _, c in items)
    return (inner if isinstance(new, _Run) else f"{start_tag(new)}{inner}</{new.tag}>"), changed


def _notes(block: Block) -> bool:
    """Whether a block is an essay's footnotes, or their list."""
    if isinstance(block, _Run) or block.tag not in ("section", "ol"):
        return False
    section = block if block.tag == "section" else block.getparent()
    return section is not None and section.tag == "section" and section.get("class") == "footnotes"


_BREAK = "\ue000"
"""Where a paragraph was split, in the words compared (a character no text has: Unicode's private use)."""
PILCROW = '<span class="diff-break">¶</span>'
"""The proofreader's mark where a paragraph was split (inserted) or two were joined (deleted)."""


def _render_split(whole: Block, parts: list[Block], tally: Tally) -> tuple[str, bool]:
    """A paragraph split in two or more: each part with the words that changed marked, and an inserted ¶ where
    the paragraph breaks (before, every word was shown deleted and inserted again)."""
    pieces: list = []
    for part in parts:
        pieces += [*_pieces(part), f" {_BREAK} "]
    inner, _ = diff_words(_pieces(whole), pieces[:-1], tally)
    tally.changed += 1
    out = []
    for index, (part, html) in enumerate(zip(parts, inner.split(_BREAK))):
        if index:  # a break is an inserted word: the first </ins> after it closes its insertion
            rest, _, after = html.partition("</ins>")
            html = f"<ins>{hidden_label('ins')}{rest.lstrip()}</ins>{after}" if rest.strip() else after.lstrip()
        if index < len(parts) - 1:  # and the last <ins> before it is open
            html = f"{html.rstrip()}{PILCROW}</ins>"
        out.append(f"{start_tag(part)}{html.strip()}</{part.tag}>")
    return "\n".join(out), True


def _render_join(parts: list[Block], whole: Block, tally: Tally) -> tuple[str, bool]:
    """Two or more paragraphs joined into one: the words that changed marked, and a deleted ¶ where one ended."""
    pieces: list = []
    for part in parts:
        pieces += [*_pieces(part), " ¶ "]
    inner, _ = diff_words(pieces[:-1], _pieces(whole), tally)
    tally.changed += 1
    return f"{start_tag(whole)}{inner}</{whole.tag}>", True


def _same_code(old: Block, new: Block) -> bool:
    """Whether two blocks are code blocks with the same text, whatever its highlighting."""
    return not isinstance(old, _Run) and not isinstance(new, _Run) and old.tag == new.tag == "pre" \
        and "".join(old.itertext()) == "".join(new.itertext())


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
