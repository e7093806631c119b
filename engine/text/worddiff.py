"""Word by word: what changed inside one paragraph (or list item, heading, loose run of text).

``diff.py`` aligns an essay's blocks; each edited block comes here.  Its
inline content is flattened into one list of tokens — start tags, words and
the spaces between them — and the words, each keyed by the tags around it,
are compared (``opcodes.py``: difflib, and a very long paragraph first anchored on runs
of words found once in each version, by patience diff, so that its cost
stays near linear).  The new version's tags are written exactly once;
deleted words come back as plain text in ``<del>``, and ``<ins>`` is closed
and reopened around tags rather than straddling them, so the result stays
well nested.
"""
from __future__ import annotations

import copy
import logging
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import partial
from html import escape, unescape

from lxml import etree

from .cutting import UNSPACED_RE, character_words
from .opcodes import word_opcodes

log = logging.getLogger(__name__)

# One token each inside a paragraph.
INLINE_ATOMIC = frozenset(
    "area audio br canvas embed iframe img input math object picture script select style svg "
    "template textarea video wbr".split()
)
_KEPT = frozenset(("sup", "sub", "code"))
_ALT_RE = re.compile(r' alt="[^"]*"')
_HREF_RE = re.compile(r'<a [^>]*?href="([^"]*)"')
_HREF_ATTR_RE = re.compile(r' href="[^"]*"')
_ID_RE = re.compile(r' id="[^"]*"')
"""An element's id, which a word's key leaves out: it is no text, and a footnote citation's says which of the
note's citations it is (``fnref-a-2``), which changes when a paragraph citing the note moves."""
_PART_HREF_RE = re.compile(r' href="part:[^"]*"')
"""A ``part:`` link's target, which a word's key leaves out too: the texts a page of what changed compares have
each link to a part that is out made a link to its page (``maker.compare``), and one still written ``part:``
leads to no page yet, but is shown as forthcoming, whichever part it names: no address changed."""
ODD_SPACE_RE = re.compile(r"[^\S \t\n\r\f]")  # spaces str.split() would lose, such as no-break spaces
WORD_SPLIT_RE = re.compile(r"(\S+)")
ATTR_RE = re.compile(r"[^\s\"'<>/=]+\Z")  # names lxml keeps from broken markup, such as "<em", are dropped
ESCAPE_RE, WS_RE, WORD_RE = re.compile(r"[&<>]"), re.compile(r"\s+"), re.compile(r"\w")
EDGES_RE = re.compile(r"(\W*)(.*?\w)(\W*)\Z", re.DOTALL)
"""A word's leading punctuation, the word, its trailing punctuation: "(States." is "(", "States", "."."""
escape_text = partial(escape, quote=False)
LONG_INSERTION = 24
"""Words from which an insertion inside a paragraph is long: more than a line or two of the essay."""
"""How deep patience diff looks for anchors between anchors (patiencediff itself panics past 10)."""


@dataclass
class Tally:
    """The counts on `Diff`, gathered while rendering."""

    added: int = 0
    deleted: int = 0
    changed: int = 0
    moved: int = 0
    characters: bool | None = None
    """Whether the changed blocks hold Chinese or Japanese, whose characters are words of their own (looked
    for once for the whole diff, not in each run of text; None until then)."""


def element_pieces(el: etree._Element) -> list:
    """An element's text and child elements in order; comments drop out but their tails stay."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            out.append(child)
        out.append(child.tail or "")
    return out


def inner_html(el: etree._Element) -> str:
    """An element's content as HTML: its text and its children, without its own tags."""
    return "".join(escape_text(piece) if isinstance(piece, str) else outer_element(piece)
                   for piece in element_pieces(el))


def without_ids(el: etree._Element) -> etree._Element:
    """A copy of ``el`` with no ``id`` in it: old content shown beside the new, which may give the ids again."""
    el = copy.deepcopy(el)
    for inner in el.iter(tag=etree.Element):
        inner.attrib.pop("id", None)
    return el


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
    characters: bool = False  # Chinese or Japanese characters are each a word (``Tally.characters``)
    raised: dict[int, str] = field(default_factory=dict)  # positions of words in <sup>, <sub> or <code>: which

    def add(self, pieces: list, path: str) -> _Tokens:
        """Append text (split into spaces and words), embedded units, and elements with their content."""
        for piece in pieces:
            if isinstance(piece, str):
                parts = _split(piece, self.characters)
                self.pos.extend(range(len(self.html) + 1, len(self.html) + len(parts), 2))
                self.units.extend([path + word for word in parts[1::2]] if path else parts[1::2])
                self.html.extend(parts)
            elif piece.tag in INLINE_ATOMIC:
                self.alts[len(self.html)] = escape_text(stand_in(piece))
                self.pos.append(len(self.html))
                self.html.append(outer_element(piece))
                self.units.append(path + _ALT_RE.sub("", self.html[-1]))  # a new description: shown apart
            else:
                start, opened = start_tag(piece), len(self.html)
                self.html.append(start)
                key = _ID_RE.sub("", start) if " id=" in start else start
                self.add(element_pieces(piece), path + (_PART_HREF_RE.sub("", key) if ' href="part:' in key else key))
                if piece.tag in _KEPT:  # a deleted footnote mark stays raised, not a digit in the line; code, code
                    self.raised.update((p, piece.tag) for p in range(opened + 1, len(self.html)) if p not in self.tags)
                self.pairs.append((opened, len(self.html)))
                self.tags.update((opened, len(self.html)))
                self.html.append(f"</{piece.tag}>")
        return self

    def plain(self, start: int, stop: int) -> str:
        """Units ``start``..``stop`` as text, with what stands for images and the like, and <sup>, <sub> and
        <code> kept around their words."""
        if not self.raised:
            return "".join(self.alts.get(p, "" if p in self.tags else self.html[p]) for p in range(start, stop))
        out, kept = [], None
        for p in range(start, stop):
            text = self.alts.get(p, "" if p in self.tags else self.html[p])
            if text and self.raised.get(p) != kept:
                out.append(f"</{kept}>" if kept else "")
                kept = self.raised.get(p)
                out.append(f"<{kept}>" if kept else "")
            out.append(text)
        return "".join(out) + (f"</{kept}>" if kept else "")

    def words(self, lo: int, hi: int) -> int:
        """How many of units ``lo``..``hi`` are words (not punctuation, not images).

        Only the edited stretches are counted, which are a small part of a paragraph as a rule."""
        html, alts = self.html, self.alts
        return sum(1 for p in self.pos[lo:hi] if p not in alts and (html[p][:1].isalnum()  # no search for most
                                                                     or WORD_RE.search(unescape(html[p])) is not None))

    def space(self, p: int) -> bool:
        return p not in self.tags and not self.html[p].strip()


def _split(text: str, characters: bool = True) -> list[str]:
    """Escaped spaces and words alternating, starting and ending with a (maybe empty) space.

    Each punctuation mark at either end of a word is a word of its own, with an empty space between:
    "States." that becomes "States (a claim" keeps "States" and loses only its period, and "rights:"
    that becomes "rights," changes only its colon.  Marks inside a word ("don't", "U.S") stay in it.
    """
    if ODD_SPACE_RE.search(text):
        parts = WORD_SPLIT_RE.split(text)
    else:  # str.split() is several times faster than any regex
        words = text.split()
        parts = [" "] * (2 * len(words) + 1)
        parts[1::2] = words
        parts[0], parts[-1] = (" " if text[:1].isspace() else ""), (" " if text[-1:].isspace() else "")
    if characters and UNSPACED_RE.search(text):
        parts = _by_character(parts)
    marked = [k for k in range(1, len(parts), 2) if not (parts[k][:1].isalnum() and (
        parts[k][-1:].isalnum() or _ends_word(parts[k][-1:])))]  # the call only for a word ending otherwise
    if marked:
        parts = _detached(parts, marked)
    return [escape_text(part) for part in parts] if ESCAPE_RE.search(text) else parts


def _by_character(parts: list[str]) -> list[str]:
    """Spaces and words alternating, each Chinese or Japanese character a word of its own (with an empty
    space on either side): with no spaces between their words, a paragraph would be one word, and a
    two-character edit would show it all deleted and inserted again."""
    out: list[str] = []
    for k, part in enumerate(parts):
        if k % 2 == 0 or not UNSPACED_RE.search(part):
            out.append(part)
            continue
        for piece in character_words(part):
            out += (piece, "")
        out.pop()
    return out


def _ends_word(char: str) -> bool:
    """Whether a word may end in ``char`` without punctuation after it: a letter, a digit, or a combining mark
    (the tone mark of Thai ช้, the vowel sign of Hindi हिन्दी), which is of the letter before it."""
    return char.isalnum() or unicodedata.category(char)[:1] == "M" if char else False


def _detached(parts: list[str], marked: list[int]) -> list[str]:
    """Spaces and words alternating, with the punctuation at each end of the ``marked`` words (those not
    beginning and ending with a letter or digit) as words of their own; a word without a letter or digit,
    such as a dash, stays whole."""
    out, last = [], 0
    for k in marked:
        edges = EDGES_RE.match(parts[k])
        if edges is None or not (edges.group(1) or edges.group(3)):
            continue
        lead, core, trail = edges.groups()
        kept = 0  # a vowel sign or tone mark ending the word is of it
        while kept < len(trail) and unicodedata.category(trail[kept])[:1] == "M":
            kept += 1
        core, trail = core + trail[:kept], trail[kept:]
        if not (lead or trail):
            continue
        out += parts[last:k]
        for piece in (*lead, core, *trail):
            out += (piece, "")
        out.pop()  # the word's own following space comes next
        last = k + 1
    return out + parts[last:] if out else parts


def diff_words(old: list, new: list, tally: Tally) -> tuple[str, bool]:
    """The new inline content's HTML with inserted and deleted words marked.

    ``old`` and ``new`` are pieces: text and lxml elements, in order.
    """
    characters = tally.characters is not False
    o, n = _Tokens(characters=characters).add(old, ""), _Tokens(characters=characters).add(new, "")
    ops = _merge_equalities(word_opcodes(o.units, n.units), o)
    flagged = _wholly_inserted(n, ops)
    out: list[str] = []
    cur, changed = 0, False
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            for k in range(j1, j2) if o.alts and n.alts else ():
                if n.pos[k] in n.alts and o.alts.get(o.pos[i1 + k - j1]) != n.alts[n.pos[k]]:
                    out.append("".join(n.html[cur : n.pos[k] + 1]))
                    cur = n.pos[k] + 1
                    out.append(_described(o.alts[o.pos[i1 + k - j1]], n.alts[n.pos[k]], tally))
                    changed = True
            out.append("".join(n.html[cur : n.pos[j2 - 1] + 1]))
            cur = n.pos[j2 - 1] + 1
            continue
        restyled = [o.html[p] for p in o.pos[i1:i2]] == [n.html[p] for p in n.pos[j1:j2]]
        if not restyled:  # the same words made a link, emphasised, or led elsewhere: no word changed
            tally.added += n.words(j1, j2)
            tally.deleted += o.words(i1, i2)
        targets = _targets(o.units[i1:i2]), _targets(n.units[j1:j2])
        if restyled and targets[0] and targets[1] and targets[0] != targets[1] \
                and [_unlinked(u) for u in o.units[i1:i2]] == [_unlinked(u) for u in n.units[j1:j2]]:
            end = n.pos[j2 - 1] + 1  # only where the link leads changed: its words shown as they are, then that
            while end < len(n.html) and (n.html[end] == "" or n.html[end].startswith("</")):
                end += 1  # after the link, not in it
            out.append("".join(n.html[cur:end]))
            out.append(f'<del class="link-target">{hidden_label("del")}{_address(targets[0])}</del>'
                       f'<ins class="link-target">{hidden_label("ins")} {_address(targets[1])}</ins>')
            cur, changed = end, True
            continue
        clung = i1
        while clung < i2 and _attached(o, clung):  # marks that clung to the word before ("States." lost its period)
            clung += 1
        if clung > i1:
            changed |= _emit_deleted(o, i1, clung, "", out, clinging=True)
            i1 = clung
        while cur < len(n.html) and (n.space(cur) or n.html[cur].startswith("</")):  # deletions go outside
            out.append(n.html[cur])  # the elements that close after the last kept word
            cur += 1
        changed |= i2 > i1 and _emit_deleted(o, i1, i2, next((h for h in reversed(out) if h), ""), out)
        led = targets[0] != targets[1] and targets[0] and targets[1]
        if led:  # a link that leads elsewhere: where it led, and where it leads now, are what changed
            out.append(f'<del class="link-target">{hidden_label("del")}{_address(targets[0])}</del>')
        end = n.pos[j2 - 1] + 1 if j2 > j1 else cur
        while end < len(n.html) and (end in flagged or n.space(end)):
            end += 1
        while end > cur and n.space(end - 1):
            end -= 1
        changed |= _emit_inserted(n, range(cur, end), flagged, out)
        if led:
            out.append(f'<ins class="link-target">{hidden_label("ins")} {_address(targets[1])}</ins>')
        cur = end
    out.append("".join(n.html[cur:]))
    return "".join(out), changed


def _unlinked(unit: str) -> str:
    """A word's key without where its links lead."""
    return _HREF_ATTR_RE.sub("", unit) if "<a " in unit else unit


def _targets(units: list[str]) -> list[str]:
    """Where the links the words of ``units`` are in lead, in order, each once."""
    return list(dict.fromkeys(found for unit in units if "<a " in unit for found in _HREF_RE.findall(unit)))


def _address(targets: list[str]) -> str:
    """Where links lead, as a page of what changed shows it: left to right, its brackets unmirrored, in an
    Arabic or Hebrew essay too."""
    return f'<bdi dir="ltr">⟨{" ".join(targets)}⟩</bdi>'


def _described(old: str, new: str, tally: Tally) -> str:
    """An image whose description (its alt text) changed, the file the same: the description's words marked,
    after the image, since a sighted reader sees no description."""
    html, _ = diff_words([unescape(old)], [unescape(new)], Tally(characters=tally.characters))  # no words of it
    return f' <span class="diff-alt">[{html}]</span>'


def _attached(o: _Tokens, i: int) -> bool:
    """Whether old unit ``i`` followed the word before it with no space (a period, a closing quote, a footnote
    mark: nothing between them but the tags its elements open with)."""
    if i == 0:
        return False
    for p in range(o.pos[i - 1] + 1, o.pos[i]):
        if (o.html[p].startswith("</") if p in o.tags else o.html[p]):  # an element closed, or a space
            return False
    return True


def _emit_deleted(o: _Tokens, i1: int, i2: int, before: str, out: list[str], clinging: bool = False) -> bool:
    """Old units i1..i2 as plain text in a <del>, keeping the space that separated them from what precedes
    (``clinging``: they follow the last kept word at once, and the new text's own space comes after them)."""
    start, stop = o.pos[i1], (o.pos[i2] if i2 < len(o.pos) else len(o.html))
    gone = WS_RE.sub(" ", o.plain(start, stop))
    gone = gone.rstrip() if i2 == len(o.pos) or clinging else gone
    if start and o.plain(start - 1, start)[-1:].isspace() and before and not before[-1].isspace():
        gone = " " + gone
    if gone.strip():
        out.append(_marked("del", gone, mark=len(gone.strip()) <= 2 and not WORD_RE.search(gone)))
    return bool(gone.strip())




def _merge_equalities(ops: list[tuple], o: _Tokens) -> list[tuple]:
    """Fold trivial matches (punctuation, one word between longer edits) into the edits around them; in
    Chinese or Japanese, where each character is a word, a run of characters no longer than the edits on both
    sides of it (a rewritten clause shares a few kana with the one it replaces: "たち", "って"), so that the
    clause reads deleted, then inserted, not as fragments of both."""
    out: list[tuple] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" and 0 < k < len(ops) - 1 and i2 - i1 <= 2:
            shortest = min(max(op[2] - op[1], op[4] - op[3]) for op in (ops[k - 1], ops[k + 1]))
            tag = "replace" if o.words(i1, i2) == 0 or (o.words(i1, i2) == 1 and shortest >= 3) else tag
        if tag == "equal" and 0 < k < len(ops) - 1 and o.characters and _unspaced(o, i1, i2):
            before = max(out[-1][2] - out[-1][1], out[-1][4] - out[-1][3]) if out else 0
            after = max(ops[k + 1][2] - ops[k + 1][1], ops[k + 1][4] - ops[k + 1][3])
            tag = "replace" if i2 - i1 <= min(before, after) else tag
        if out and (tag == "equal") == (out[-1][0] == "equal"):
            out[-1] = ("equal" if tag == "equal" else "replace", out[-1][1], i2, out[-1][3], j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _unspaced(o: _Tokens, i1: int, i2: int) -> bool:
    """Whether units ``i1``..``i2`` are all characters of a script written without spaces."""
    return all(UNSPACED_RE.match(o.html[p]) for p in o.pos[i1:i2])


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
    """An inserted stretch, with <ins> closed around tags not wholly inside it; one of more than
    ``LONG_INSERTION`` words is marked ``long`` (the theme gives it a bar in the margin, not an underline
    under every line)."""
    run: list[str] = []
    visible = changed = False
    words = 0
    for p in [*span, None]:
        if p is not None and (p not in n.tags or p in flagged):
            run.append(n.html[p])
            if p not in n.tags and not n.space(p):
                visible = True
                words += WORD_RE.search(n.html[p]) is not None
            continue
        out.append(_marked("ins", "".join(run), words > LONG_INSERTION) if visible else "".join(run))
        changed, run, visible, words = changed or visible, [], False, 0
        if p is not None:
            out.append(n.html[p])
    return changed


def hidden_label(tag: str) -> str:
    """What a screen reader says before an ``ins`` or ``del``: "inserted: " or "deleted: ", in English like every
    word ``text/`` writes into cached HTML (``locale/marks.py`` puts it in the page's language)."""
    return f'<span class="visually-hidden">{"inserted" if tag == "ins" else "deleted"}: </span>'


def _marked(tag: str, html: str, long: bool = False, mark: bool = False) -> str:
    """``html`` inserted or deleted; ``long``: an insertion of more than a line or two; ``mark``: a deleted
    punctuation mark alone, which the theme boxes rather than strikes (a comma struck through reads as a
    semicolon)."""
    start = f'<{tag} class="long">' if long else f'<{tag} class="mark">' if mark else f"<{tag}>"
    return f"{start}{hidden_label(tag)}{html}</{tag}>"
