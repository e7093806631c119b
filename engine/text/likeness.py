"""How alike two blocks of an essay's versions are: whether the newer is the older edited, or another block.

Two blocks are one block edited when they share at least half their words, or, when they begin or end with
the same words (a sentence added, the last one reworded), 30% of them.  Of two old blocks that begin alike,
the first cut and the second touched, the second is the one edited: a block is left deleted when the next
old block is more like the new one.
"""
from __future__ import annotations

from .blocks import NO_PUNCTUATION, Block, Run, text_of, units

PAIR_MIN = 0.5  # shared-word ratio from which two blocks count as one edited block
EDGE_PAIR_MIN = 0.3  # the same, for two blocks that begin or end alike (a sentence added, the last reworded)
EDGE_WORDS = 4  # how many words (or, in scripts written without spaces, twice as many characters) they share there
EDGE_SHARE = 1 / 3  # and what share of the shorter block that must be ("In this essay I argue that" opens many)


class Likeness:
    """How alike old block ``i`` and new block ``k`` of a changed region are, their words read once each."""

    def __init__(self, old: list[Block], new: list[Block], characters: bool):
        self.old, self.new, self.characters = old, new, characters
        self.seqs: dict[tuple[bool, int], list[str]] = {}

    def _seq(self, is_old: bool, index: int) -> list[str]:
        found = self.seqs.get((is_old, index))
        if found is None:
            block = (self.old if is_old else self.new)[index]
            found = self.seqs[is_old, index] = units(text_of(block).translate(NO_PUNCTUATION).lower(), self.characters)
        return found

    def score(self, i: int, k: int) -> float:
        """The share of words the two have in common (0 to 1), if they count as one block edited, else 0:
        at least half, or 30% for two that begin or end with the same words, a third of the shorter or more."""
        a, b = self.old[i], self.new[k]
        if a.tag != b.tag and {a.tag, b.tag} != {"", "p"}:
            return 0.0
        if is_notes(a) and is_notes(b):  # an essay's notes, however changed
            return 1.0
        seq_a, seq_b = self._seq(True, i), self._seq(False, k)
        words_a, words_b = set(seq_a), set(seq_b)
        total = len(words_a) + len(words_b)
        if not total:
            return 1.0
        shared = 2 * len(words_a & words_b) / total
        edge = max(EDGE_WORDS * (2 if self.characters else 1), EDGE_SHARE * min(len(seq_a), len(seq_b)))
        return shared if shared >= PAIR_MIN or shared >= EDGE_PAIR_MIN and _edge(seq_a, seq_b) >= edge else 0.0

    def __call__(self, i: int, k: int) -> bool:
        return self.score(i, k) > 0

    def rather(self, i: int, k: int, skipped: range, taken: set[int]) -> bool:
        """Whether old block ``i + 1`` is more like new block ``k`` than ``i`` is, or much like a new block
        ``i``'s pairing with ``k`` would pass over: then ``i`` was deleted, and the next is the one edited
        (two paragraphs that begin alike, the first cut and the second touched)."""
        return self.score(i + 1, k) > self.score(i, k) or any(
            self.score(i + 1, n) >= PAIR_MIN for n in skipped if n not in taken)


def _edge(a: list[str], b: list[str]) -> int:
    """How many words two blocks share at their start or at their end, whichever is more."""
    start = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    end = next((k for k, (x, y) in enumerate(zip(reversed(a), reversed(b))) if x != y), min(len(a), len(b)))
    return max(start, end)


def is_notes(block: Block) -> bool:
    """Whether a block is an essay's footnotes, or their list."""
    if isinstance(block, Run) or block.tag not in ("section", "ol"):
        return False
    section = block if block.tag == "section" else block.getparent()
    return section is not None and section.tag == "section" and section.get("class") == "footnotes"
