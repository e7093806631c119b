"""An essay's rendered HTML as the page of what changed reads it: parsed whatever its depth, and cut into
blocks (paragraphs, lists, quotations, and runs of loose inline content), each of a kind that says how it is
compared: word by word (text), by aligning its children (flow, list), or as a whole (atomic)."""

from __future__ import annotations

import logging
import string
from dataclasses import dataclass
from typing import Union

from lxml import etree

from .cutting import UNSPACED_RE, character_words
from .worddiff import WORD_RE, element_pieces, escape_text, inner_html, outer_element, without_ids

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
NO_PUNCTUATION = str.maketrans(string.punctuation, " " * len(string.punctuation))
MAX_DEPTH = 250
"""Elements nested deeper than this are unwrapped when a text is too deep for libxml2's tree (255 levels)."""
_SPACED = BLOCK_TAGS | {"br"}


@dataclass(frozen=True)
class Run:
    """Loose inline content between blocks, diffed like a paragraph without its tags."""

    pieces: tuple
    tag = ""


Block = Union[etree._Element, Run]


def parse(html: str) -> etree._Element:
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


def pieces_of(el: Block) -> list:
    """Text and child elements in order; comments drop out but their tails stay."""
    return list(el.pieces) if isinstance(el, Run) else element_pieces(el)


def blocks_of(container: etree._Element) -> list[Block]:
    """The children of a container: block elements, loose inline content grouped into runs."""
    out: list = []
    run: list = []
    for piece in [*pieces_of(container), None]:
        if piece is not None and (isinstance(piece, str) or piece.tag not in BLOCK_TAGS):
            run.append(piece)
            continue
        if any(not isinstance(p, str) or p.strip() for p in run):
            out.append(Run(tuple(run)))
        out.append(piece)
        run = []
    return out[:-1]


def kind_of(block: Block) -> str:
    """Diffed word by word (text), by aligning children (flow, list), or as a whole (atomic)."""
    if isinstance(block, Run):
        return TEXT
    if block.tag in ATOMIC_TAGS:
        return ATOMIC
    children = blocks_of(block)
    if block.tag in LIST_TAGS:
        return LIST if all(c.tag in ITEM_TAGS for c in children) else ATOMIC
    if all(isinstance(c, Run) for c in children):
        return TEXT
    return FLOW if block.tag in FLOW_TAGS else ATOMIC


def block_html(block: Block, strip_ids: bool = False) -> str:
    """Serialized block; old content shown beside the new loses its ids so none is duplicated."""
    if isinstance(block, Run):
        return "".join(escape_text(p) if isinstance(p, str) else block_html(p, strip_ids) for p in block.pieces)
    return outer_element(without_ids(block) if strip_ids else block)


def content_html(el: etree._Element, strip_ids: bool = False) -> str:
    return block_html(Run(tuple(pieces_of(el))), strip_ids) if strip_ids else inner_html(el)


def text_of(block: Block) -> str:
    """Text with a space wherever an element starts or ends, as the word diff splits it; a footnote's mark is
    no word of it (its number is the note's place in the list, which moves when another note comes or goes)."""
    return " ".join(p if isinstance(p, str) else _text_in(p) for p in pieces_of(block))


def _text_in(el: etree._Element) -> str:
    if el.tag == "sup" and el.get("class") == "footnote-ref":
        return ""
    if el.find('.//sup[@class="footnote-ref"]') is None:
        return " ".join(el.itertext())
    out = [el.text or ""]
    for child in el:
        out += [_text_in(child) if isinstance(child.tag, str) else "", child.tail or ""]
    return " ".join(out)


def units(text: str, characters: bool = True) -> list[str]:
    """A text's words split at spaces, and each Chinese or Japanese character one of its own (they are
    written without spaces between words), as the word diff splits them."""
    words = text.split()
    if characters and UNSPACED_RE.search(text):
        return [piece for word in words for piece in character_words(word)]
    return words


def words_of(text: str, characters: bool = True) -> list[str]:
    return [word for word in units(text, characters) if WORD_RE.search(word)]


def leaves(block: Block) -> int:
    """How many paragraphs, items and the like a block holds (at least one)."""
    return 1 if kind_of(block) in (TEXT, ATOMIC) else sum(map(leaves, blocks_of(block))) or 1
