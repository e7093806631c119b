"""A paragraph split in two or more, or two or more joined into one: found among the blocks of a changed
stretch, and shown as the words that changed and a ¶ where a paragraph now breaks (inserted) or no longer
does (deleted), not as every word deleted and inserted again."""

from __future__ import annotations

from collections import Counter

from .blocks import NO_PUNCTUATION, TEXT, Block, kind_of, pieces_of, text_of, units
from .worddiff import Tally, diff_words, hidden_label, start_tag

MAX_PARTS = 4  # the most paragraphs one is split into (or joined from) that a page of what changed shows as such


class Words:
    """Each block's words as they are compared for a split or a join (lower case, without punctuation),
    counted once."""

    def __init__(self, characters: bool) -> None:
        self.characters, self.seen = characters, {}

    def __call__(self, block: Block) -> Counter:
        key = id(block)
        if key not in self.seen:
            self.seen[key] = (block, Counter(units(text_of(block).translate(NO_PUNCTUATION).lower(), self.characters)))
        return self.seen[key][1]

    def length(self, block: Block) -> int:
        """How long a block's text is, which rules most pairs out before their words are counted."""
        key = -id(block) - 1
        if key not in self.seen:
            self.seen[key] = (block, len(text_of(block)))
        return self.seen[key][1]


def cut_into(words: Words, whole: Block, blocks: list[Block], after: range, aside: object) -> int:
    """How many blocks from ``after.start`` on are ``whole`` cut into paragraphs: the most, from two to
    ``MAX_PARTS``, of its kind, each mostly of its words, and between them nearly all of its words and
    little else; or 0."""
    if len(after) < 2 or words.length(blocks[after.start]) > 0.95 * words.length(whole):
        return 0  # a paragraph is split in two at least, and its first part is shorter than it
    if words.length(blocks[after.start]) + words.length(blocks[after.start + 1]) > 1.3 * words.length(whole) + 40 \
            or kind_of(whole) != TEXT:
        return 0  # and its first two parts not much longer than it (an edited paragraph, and the next one)
    total = words(whole)
    size = sum(total.values())
    together: Counter = Counter()
    found = covered = 0
    for m, at in enumerate(after[:MAX_PARTS], start=1):
        part = blocks[at]
        if at in aside or part.tag != whole.tag and {part.tag, whole.tag} != {"", "p"} or kind_of(part) != TEXT:
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


BREAK = "\ue000"
"""Where a paragraph was split, in the words compared (a character no text has: Unicode's private use)."""
PILCROW = '<span class="diff-break">¶</span>'
"""The proofreader's mark where a paragraph was split (inserted) or two were joined (deleted)."""


def render_split(whole: Block, parts: list[Block], tally: Tally) -> tuple[str, bool]:
    """A paragraph split in two or more: each part with the words that changed marked, and an inserted ¶ where
    the paragraph breaks (before, every word was shown deleted and inserted again)."""
    pieces: list = []
    for part in parts:
        pieces += [*pieces_of(part), f" {BREAK} "]
    inner, _ = diff_words(pieces_of(whole), pieces[:-1], tally)
    tally.changed += 1
    out = []
    for index, (part, html) in enumerate(zip(parts, inner.split(BREAK))):
        if index:  # a break is an inserted word: the first </ins> after it closes its insertion
            rest, _, after = html.partition("</ins>")
            html = f"<ins>{hidden_label('ins')}{rest.lstrip()}</ins>{after}" if rest.strip() else after.lstrip()
        if index < len(parts) - 1:  # and the last <ins> before it is open
            html = f"{html.rstrip()}{PILCROW}</ins>"
        out.append(f"{start_tag(part)}{html.strip()}</{part.tag}>")
    return "\n".join(out), True


def render_join(parts: list[Block], whole: Block, tally: Tally) -> tuple[str, bool]:
    """Two or more paragraphs joined into one: the words that changed marked, and a deleted ¶ where one ended."""
    pieces: list = []
    for part in parts:
        pieces += [*pieces_of(part), " ¶ "]
    inner, _ = diff_words(pieces[:-1], pieces_of(whole), tally)
    tally.changed += 1
    return f"{start_tag(whole)}{inner}</{whole.tag}>", True
