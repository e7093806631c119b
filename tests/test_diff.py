"""engine.text.diff: the page of what changed between two rendered versions.

Paired fixtures live in tests/fixtures/diff: NAME.old.html and NAME.new.html
go in, NAME.diff.html is the expected page (regenerate it on purpose only).
"""
from __future__ import annotations

import copy
import json
import os
import random
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from engine.text.cutting import character_words
from engine.text.diff import Diff, diff_html
from engine.text.opcodes import patience_opcodes

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# <ins>/<del> may not be children of these (the Nu checker rejects it).
NO_MARKERS_UNDER = frozenset("ul ol dl menu table thead tbody tfoot tr".split())
WORDS = ("court statute city federal state power law clause order agency public record policy "
         "reader argument history revision library license market owner right doctrine section").split()


class _NestingCheck(HTMLParser):
    """Every end tag closes the element opened last; no ins/del straight inside a list or table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("ins", "del") and self.stack and self.stack[-1] in NO_MARKERS_UNDER:
            self.errors.append(f"<{tag}> directly inside <{self.stack[-1]}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.errors.append(f"<{tag}/> is not a void element")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> while {self.stack[-1:]} is open")
        else:
            self.stack.pop()


def assert_well_nested(html: str) -> None:
    check = _NestingCheck()
    check.feed(html)
    check.close()
    assert check.errors == []
    assert check.stack == []


def parse_fragment(html: str) -> lxml.html.HtmlElement:
    """An HTML fragment as one element (a div around it), for its text and marks."""
    return lxml.html.fragment_fromstring(html, create_parent="div")


def marked(html: str, tag: str) -> list[str]:
    """The visible text of each <ins> or <del>, without its screen-reader label."""
    texts = []
    for el in parse_fragment(html).iter(tag):
        for label in el.find_class("visually-hidden"):
            label.drop_tree()
        texts.append(" ".join(el.text_content().split()))
    return texts


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>\n" for text in texts)


def new_text_shown(html: str) -> str:
    """What a reader of the diff sees of the new version: no deletions, notes, labels or summaries."""
    root = parse_fragment(html)
    for el in root.xpath("//del | //*[contains(@class, 'diff-note')] | //*[@class='visually-hidden'] | //summary"
                         " | //*[@class='diff-break']"):
        el.drop_tree()
    return " ".join(root.text_content().split())


def mutate(rng: random.Random, html: str) -> str:
    """A few random edits to rendered HTML: words added, dropped or emphasised, blocks moved or removed."""
    root = parse_fragment(html)
    for _ in range(rng.randint(1, 5)):
        texts = [el for el in root.iter() if el.text and el.text.strip() and el.tag not in ("pre", "code", "span")]
        roll, el = rng.random(), rng.choice(texts)
        words = el.text.split(" ")
        if roll < 0.3:
            words.insert(rng.randrange(len(words) + 1), rng.choice(WORDS))
            el.text = " ".join(words)
        elif roll < 0.45 and len(words) > 1:
            del words[rng.randrange(len(words))]
            el.text = " ".join(words)
        elif roll < 0.6:
            emphasis = lxml.html.fromstring(f"<em>{rng.choice(WORDS)}</em>")
            emphasis.tail, el.text = el.text, ""
            el.insert(0, emphasis)
        elif roll < 0.8:
            root.insert(rng.randrange(len(root) + 1), rng.choice(root))
        elif roll < 0.9 and len(root) > 1:
            victim = rng.choice([*root, *root.iter("li")])
            victim.getparent().remove(victim)
        else:
            twin = copy.deepcopy(rng.choice(root))
            for node in twin.iter(tag=etree.Element):
                node.attrib.pop("id", None)
            root.insert(rng.randrange(len(root) + 1), twin)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def make_long_essay_pair(seed: int, paragraphs_count: int = 100) -> tuple[str, str]:
    """Two rendered versions of a ~10,000-word essay, about a tenth of the sentences changed."""
    rng = random.Random(seed)

    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 20))]
        if rng.random() < 0.2:
            words[3] = f"<em>{words[3]}</em>"
        return " ".join(words).capitalize() + "."

    old = [[sentence() for _ in range(rng.randint(5, 8))] for _ in range(paragraphs_count)]
    new = []
    for para in old:
        revised = []
        for text in para:
            roll = rng.random()
            if roll < 0.04:
                revised.append(text.replace(" ", f" {rng.choice(WORDS)} ", 1))
            elif roll < 0.07:
                revised.extend([text, sentence()])
            elif roll >= 0.10:
                revised.append(text)
        new.append(revised or para)
    def render(paras: list[list[str]]) -> str:
        heading = '<h2 id="s{k}">Section {k}</h2>\n'
        return "".join(heading.format(k=k) * (k % 20 == 0) + f"<p>{' '.join(p)}</p>\n" for k, p in enumerate(paras))

    return render(old), render(new)


def test_a_known_edit_marks_exactly_the_changed_words() -> None:
    old = "<p>The quick brown fox jumps over the lazy dog.</p>"
    new = "<p>The quick red fox leaps over the lazy dog.</p>"
    diff = diff_html(old, new)
    assert marked(diff.html, "del") == ["brown", "jumps"]
    assert marked(diff.html, "ins") == ["red", "leaps"]
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed, diff.blocks_moved) == (2, 2, 1, 0)
    assert parse_fragment(diff.html).text_content().count("The quick") == 1


def test_a_short_paragraph_reworded_at_its_end_with_a_sentence_added_is_one_edited_paragraph() -> None:
    """Its words in common were under half, so it was struck whole and written again whole: "That is Printz,
    and it" read as removed and added, and one paragraph counted as two changed."""
    old = paragraphs("First paragraph stays.",
                     "That is <em>Printz</em>, and it is the whole ballgame for detainers.")
    new = paragraphs("First paragraph stays.", "That is <em>Printz</em>, and it decides most of the detainer cases. "
                     "A detainer is a request, not an order.")
    diff = diff_html(old, new)
    assert marked(diff.html, "del") == ["is the whole ballgame for detainers"]
    assert marked(diff.html, "ins") == ["decides most of the detainer cases. A detainer is a request, not an order"]
    assert (diff.words_deleted, diff.blocks_changed) == (6, 1)
    unrelated = diff_html(paragraphs("The court held that the city may refuse."),
                          paragraphs("A separate thought on lending and the library's shelves."))
    assert unrelated.blocks_changed == 2 and "block" in unrelated.html  # nothing alike: replaced whole


@pytest.mark.parametrize("first, second, touched, inserted", [
    ("The court held that the statute was void for vagueness.",
     "The court held that the search was lawful because the officers had a warrant.", ("had a", "had a valid"),
     ["valid"]),
    ("The first ruling came in March, and the city ignored it, which is why the case still matters today.",
     "The second ruling came in June, after the river flooded the lower town, which is why the case still matters "
     "today.", ("in June", "in late June"), ["late"]),
    ("本稿では次のように主張する。国家は谷の公立学校に資金を出すべきである。",
     "本稿では次のように主張する。川の水は流域に住むすべての人々のものである。", ("のである", "のであり、売ってはならない"),
     ["り、売ってはならない"]),
])
def test_of_two_paragraphs_that_begin_or_end_alike_the_one_cut_is_deleted_and_the_other_edited(
        first: str, second: str, touched: tuple[str, str], inserted: list[str]) -> None:
    """The first cut, the second touched: the first was shown rewritten into the second, and the second struck
    whole, which told readers the opposite of what happened (two paragraphs that share under half their words
    since the rule for blocks that begin alike; the same when they share more, before it)."""
    old = paragraphs("Opening.", first, second, "Closing.")
    diff = diff_html(old, paragraphs("Opening.", second.replace(*touched), "Closing."))
    struck = parse_fragment(diff.html).xpath("//del[@class='block']")
    assert [" ".join(b.text_content().split()) for b in struck] == [f"deleted: {first}"]
    assert diff.blocks_changed == 2 and diff.blocks_moved == 0
    assert marked(diff.html, "ins") == inserted


def test_a_paragraph_replaced_by_another_that_only_opens_alike_is_replaced_whole() -> None:
    """Seven words of sixty in common at the start: not one paragraph edited, whose few shared words left in the
    middle ("of the valley") would read as confetti."""
    old = paragraphs("Opening.", "In this essay I argue that the state must fund the public schools of the valley "
                     "out of its general revenue, because the towns on the river cannot raise enough from their own "
                     "taxes, and because a child there is owed the same education as a child in the capital.", "End.")
    new = paragraphs("Opening.", "In this essay I argue that the water in the river belongs to all of the people "
                     "who live along it, that no town may sell its share to a bottler from the capital, and that the "
                     "courts of the valley should say so before the next dry summer comes.", "End.")
    html = diff_html(old, new).html
    assert html.count('<del class="block">') == 1 and html.count('<ins class="block">') == 1


@pytest.mark.parametrize("old, new, deleted, inserted", [
    ("城市可以拒绝协助联邦移民执法，这是宪法第十修正案所保障的权利。", "城市可以拒绝协助联邦移民执法，这是美国宪法第十修正案所保障的权利。",
     [], ["美国"]),
    ("東京の議会は新しい条例を可決した。", "大阪の議会は新しい条例を可決した。", ["東京"], ["大阪"]),
    ("ย่อหน้าที่สองพูดถึงคำตัดสินของศาลในปีสองพันสิบหก", "ย่อหน้าที่สองพูดถึงคำตัดสินของศาลในปีสองพันสิบเจ็ด",
     ["หก"], ["เจ็ด"]),  # Thai: a letter keeps its vowel signs and tone marks
])
def test_chinese_and_japanese_edits_mark_the_changed_characters_not_the_paragraph(
        old: str, new: str, deleted: list[str], inserted: list[str]) -> None:
    """Words are not spaced apart in Chinese, Japanese or Thai: each character is a unit of the diff."""
    diff = diff_html(f"<p>{old}</p><p>第二段。</p>", f"<p>{new}</p><p>第二段。</p>")
    assert marked(diff.html, "del") == deleted and marked(diff.html, "ins") == inserted
    assert diff.blocks_changed == 1 and diff.words_added == len(character_words("".join(inserted)))


def test_summary_counts_for_an_edit_an_insertion_and_a_deletion() -> None:
    old = paragraphs("One two three four.", "Gone for good now.", "Stays the same here.")
    new = paragraphs("One two six four.", "Stays the same here.", "A fresh closing paragraph appears.")
    diff = diff_html(old, new)
    assert diff == Diff(diff.html, words_added=1 + 5, words_deleted=1 + 4, blocks_changed=3, blocks_moved=0)


def test_an_inserted_paragraph_is_one_marked_block() -> None:
    old = paragraphs("First paragraph stays.", "Last paragraph stays.")
    new = paragraphs("First paragraph stays.", "A whole new thought arrives.", "Last paragraph stays.")
    diff = diff_html(old, new)
    blocks = parse_fragment(diff.html).xpath("//ins[@class='block']")
    assert [" ".join(b.text_content().split()) for b in blocks] == ["inserted: A whole new thought arrives."]
    assert blocks[0].xpath("./p") and marked(diff.html, "del") == []
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (5, 0, 1)


def test_a_deleted_paragraph_is_one_marked_block_without_its_ids() -> None:
    old = '<h2 id="aside">Aside</h2>\n' + paragraphs("Kept text here.", "This goes away.")
    new = paragraphs("Kept text here.")
    diff = diff_html(old, new)
    deleted = parse_fragment(diff.html).xpath("//del[@class='block']")
    assert [" ".join(d.text_content().split()) for d in deleted] == ["deleted: Aside", "deleted: This goes away."]
    assert 'id="aside"' not in diff.html
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (0, 4, 2)


def test_a_moved_paragraph_reads_as_moved_and_appears_once() -> None:
    moving = "This paragraph travels to the end of the essay."
    old = paragraphs(moving, "Second stays.", "Third stays.", "Fourth stays.")
    new = paragraphs("Second stays.", "Third stays.", "Fourth stays.", moving)
    diff = diff_html(old, new)
    root = parse_fragment(diff.html)
    assert diff.blocks_moved == 1
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (0, 0, 0)
    assert root.text_content().count("travels to the end") == 1
    assert [p.text_content() for p in root.xpath("//p[contains(@class, 'moved')]")] == [moving]
    notes = [p.text_content() for p in root.find_class("diff-note")]
    assert notes == ["A paragraph moved from here to later in the essay.", "Moved from earlier in the essay."]
    assert marked(diff.html, "ins") == marked(diff.html, "del") == []


def test_inline_markup_changes_stay_well_nested_and_write_new_tags_once() -> None:
    old = '<p>This is a plain word and <a href="https://a.example/">a link</a> here, <em>two three</em> four.</p>'
    new = ('<p>This is a <em>plain</em> word and <a href="https://b.example/">a link</a> here, '
           "<em>two</em> three four five.</p>")
    diff = diff_html(old, new)
    assert_well_nested(diff.html)
    assert diff.html.count("<em>") == 2 and diff.html.count("</em>") == 2
    assert 'href="https://a.example/"' not in diff.html and diff.html.count('href="https://b.example/"') == 1
    assert "⟨https://a.example/⟩" in marked(diff.html, "del")  # where it led, shown as text
    assert "plain" in marked(diff.html, "del") and "plain" in marked(diff.html, "ins")
    assert "a link" not in " ".join(marked(diff.html, "del") + marked(diff.html, "ins"))  # its words did not change:
    assert "⟨https://a.example/⟩" in marked(diff.html, "del") and "⟨https://b.example/⟩" in marked(diff.html, "ins")
    assert "five" in marked(diff.html, "ins") and "four <ins>" in diff.html.replace(
        '<span class="visually-hidden">inserted: </span>', "")  # the period is kept, not inserted again


def test_a_replaced_image_or_video_without_alt_text_still_shows_that_it_went() -> None:
    old = ('<p>The map: <img src="/img/old-map.png?v=2" alt=""> as drawn.</p>\n'
           '<p>A clip <video src="clips/talk.mp4"></video> of the hearing, and <img src="a.png" alt="the  seal"></p>')
    old += ('\n<p>A plan <picture><source srcset="plan.webp" type="image/webp"><img src="plan.png" alt="">'
            '</picture> of the room.</p>')
    new = ('<p>The map: <img src="/img/new-map.png" alt=""> as drawn.</p>\n<p>A clip of the hearing, and more.</p>'
           '\n<p>A plan of the room.</p>')
    diff = diff_html(old, new)
    assert_well_nested(diff.html)
    assert marked(diff.html, "del") == ["[image: old-map.png]", "[video: talk.mp4]", "the seal", "[image: plan.png]"]
    assert parse_fragment(diff.html).xpath("//ins/img/@src") == ["/img/new-map.png"]
    assert diff.words_deleted == 0  # an image is no word


def test_inserted_and_deleted_list_items_are_marked_inside_the_li() -> None:
    old = '<ul>\n<li>alpha item</li>\n<li>beta item</li>\n</ul>\n<ol>\n<li id="n1">one</li>\n<li>two</li>\n</ol>'
    new = "<ul>\n<li>alpha item</li>\n<li>inserted item</li>\n<li>beta item</li>\n</ul>\n<ol>\n<li>two</li>\n</ol>"
    diff = diff_html(old, new)
    assert_well_nested(diff.html)
    root = parse_fragment(diff.html)
    assert root.xpath("//ul/ins | //ul/del | //ol/ins | //ol/del") == []
    assert [li.text_content() for li in root.xpath("//li[contains(@class, 'ins-block')]")] == ["inserted: inserted item"]
    assert [li.text_content() for li in root.xpath("//li[contains(@class, 'del-block')]")] == ["deleted: one"]
    assert root.xpath("//li[contains(@class, 'del-block')]/@id") == []
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (2, 1, 2)


def test_every_marker_carries_a_label_for_screen_readers() -> None:
    diff = diff_html(paragraphs("Old words stay here.", "Removed."), paragraphs("New words stay here.", "Added."))
    markers = parse_fragment(diff.html).xpath("//ins | //del")
    assert markers
    for marker in markers:
        label = marker.xpath("./span[@class='visually-hidden']")
        assert label and label[0].text == ("inserted: " if marker.tag == "ins" else "deleted: ")


def test_a_table_that_kept_its_shape_is_marked_in_its_cells_and_code_is_replaced_whole() -> None:
    """A corrected figure shows in its cell; code, whose lines a word diff would tear, is replaced whole."""
    old = ("<table><thead><tr><th>Place</th><th>Count</th></tr></thead><tbody><tr><td>Ashford</td><td>137</td></tr>"
           "<tr><td>Brook</td><td>a <em>weir</em></td></tr></tbody></table>\n<pre><code>x = 1\n</code></pre>")
    new = old.replace("137", "286").replace("a <em>weir</em>", "a <em>weir</em> and a mill").replace("x = 1", "x = 2")
    diff = diff_html(old, new)
    assert_well_nested(diff.html)
    root = parse_fragment(diff.html)
    assert [m.tag for m in root.xpath("./*")] == ["table", "del", "ins"]  # the code block, whole
    cells = root.xpath("//td")
    assert [c.text_content() for c in cells] == ["Ashford", "deleted: 137inserted: 286", "Brook",
                                                 "a weir inserted: and a mill"]
    assert root.xpath("//td[2]/del")[0].text_content() == "deleted: 137"
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (5, 2, 2)


def test_a_table_whose_columns_changed_is_replaced_whole_outside_the_table() -> None:
    old = "<table><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    for new in ("<table><tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>",
                "<table><caption>Counts</caption><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"):
        diff = diff_html(old, new)
        assert_well_nested(diff.html)
        root = parse_fragment(diff.html)
        assert [m.tag for m in root.xpath("./*")] == ["del", "ins"]
        assert root.xpath("//table//ins | //table//del") == []


TABLE = ("<table><thead><tr><th>Year</th><th>Filings</th><th>Source</th></tr></thead><tbody>"
         "<tr><td>2014</td><td>120</td><td>Clerk</td></tr>"
         "<tr id=\"y2015\"><td>2015</td><td>131</td><td>Clerk</td></tr>"
         "<tr><td>2016</td><td>158</td><td>Clerk's annual report</td></tr>"
         "<tr><td>2017</td><td>160</td><td>Clerk</td></tr></tbody></table>")


def _rows(html: str) -> list[tuple[str, str]]:
    """Each body row's class and its cells' text, in the order shown."""
    return [(row.get("class", ""), " | ".join(" ".join(cell.text_content().split()) for cell in row))
            for row in parse_fragment(html).xpath("//tbody/tr")]


def test_a_table_that_gained_lost_and_edited_rows_is_marked_row_by_row() -> None:
    """A year's row added, one dropped, a figure corrected: the table stays one table, the row that went is
    struck out where it stood, the row that came is marked inserted, the corrected figure in its cell."""
    new = (TABLE.replace('<tr id="y2015"><td>2015</td><td>131</td><td>Clerk</td></tr>', "")
           .replace("<td>158</td>", "<td>163</td>")
           .replace("</tbody>", "<tr><td>2018</td><td>171</td><td>Clerk</td></tr></tbody>"))
    diff = diff_html(TABLE, new)
    assert_well_nested(diff.html)
    root = parse_fragment(diff.html)
    assert [m.tag for m in root.xpath("./*")] == ["table"]
    assert _rows(diff.html) == [
        ("", "2014 | 120 | Clerk"),
        ("del-block", "deleted: 2015 | deleted: 131 | deleted: Clerk"),
        ("", "2016 | deleted: 158inserted: 163 | Clerk's annual report"),
        ("", "2017 | 160 | Clerk"),
        ("ins-block", "inserted: 2018 | inserted: 171 | inserted: Clerk")]
    assert root.xpath("//*[@id]") == []  # the gone row's id is not shown again
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (4, 4, 1)


def test_rows_gone_from_the_end_and_a_section_emptied_keep_their_order() -> None:
    new = TABLE.replace("<tr><td>2016</td><td>158</td><td>Clerk's annual report</td></tr>", "") \
        .replace("<tr><td>2017</td><td>160</td><td>Clerk</td></tr>", "")
    assert [text for _, text in _rows(diff_html(TABLE, new).html)][2:] == [
        "deleted: 2016 | deleted: 158 | deleted: Clerk's annual report", "deleted: 2017 | deleted: 160 | deleted: Clerk"]
    head_only = "<table><thead><tr><th>Year</th></tr></thead><tbody></tbody></table>"
    was = "<table><thead><tr><th>Year</th></tr></thead><tbody><tr><td>2014</td></tr><tr><td>2015</td></tr></tbody></table>"
    diff = diff_html(was, head_only)
    assert_well_nested(diff.html)
    assert _rows(diff.html) == [("del-block", "deleted: 2014"), ("del-block", "deleted: 2015")]


def test_a_table_rewritten_row_for_row_is_replaced_whole() -> None:
    """Nothing of the old rows is left to set beside the new: two whole tables read better."""
    old = "<table><tbody><tr><td>alpha beta</td></tr><tr><td>gamma delta</td></tr></tbody></table>"
    new = "<table><tbody><tr><td>one two three</td></tr></tbody></table>"
    root = parse_fragment(diff_html(old, new).html)
    assert [m.tag for m in root.xpath("./*")] == ["del", "ins"]


def test_unchanged_runs_fold_around_the_change_keeping_context() -> None:
    texts = [f"Paragraph number {k} says something." for k in range(10)]
    edited = texts[:4] + ["Paragraph number 4 says something else."] + texts[5:]
    diff = diff_html(paragraphs(*texts), paragraphs(*edited), context=1)
    root = parse_fragment(diff.html)
    assert [s.text for s in root.xpath("//details[@class='unchanged']/summary")] == [
        "3 unchanged paragraphs", "4 unchanged paragraphs"]
    assert [p.text_content() for p in root.xpath("./p")] == [
        texts[3], "Paragraph number 4 says something inserted: else.", texts[5]]
    assert diff.blocks_changed == 1


def test_one_unchanged_block_is_shown_not_folded() -> None:
    diff = diff_html(paragraphs("Before.", "Middle.", "After."), paragraphs("Before.", "Centre.", "After."), context=0)
    assert "<details" not in diff.html and "Before." in diff.html and "After." in diff.html


def test_a_fold_of_a_heading_and_a_paragraph_counts_each_in_the_singular() -> None:
    old = paragraphs("One.", "Two.", "Three.") + '<h2 id="s">Section</h2>\n' + paragraphs("Four.", "Five.")
    new = old.replace("Five.", "Five, changed.")
    summaries = [s.text for s in parse_fragment(diff_html(old, new, context=0).html).xpath("//summary")]
    assert summaries == ["3 unchanged paragraphs"] and "Section" in diff_html(old, new, context=0).html


def test_the_heading_of_a_changed_section_stays_in_view() -> None:
    body = paragraphs(*(f"Paragraph {k} of the first section." for k in range(4)))
    later = paragraphs(*(f"Paragraph {k} of the second section." for k in range(5)))
    old = '<h2 id="a">The first section</h2>\n' + body + '<h2 id="b">The second section</h2>\n' + later
    new = old.replace("Paragraph 4 of the second section.", "Paragraph 4, rewritten, of the second section.")
    root = parse_fragment(diff_html(old, new, context=1).html)
    shown = [el.text_content() for el in root.xpath("./*[not(self::details)]")]
    assert shown[0] == "The second section"  # the heading of the change's section, though far above it
    assert [s.text for s in root.xpath("//summary")] == ["4 unchanged paragraphs and 1 heading",
                                                         "3 unchanged paragraphs"]


def test_identical_input_is_one_folded_run_and_zero_counts() -> None:
    html = '<h2 id="a">A</h2>\n' + paragraphs("One.", "Two.")
    diff = diff_html(html, html)
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed, diff.blocks_moved) == (0, 0, 0, 0)
    assert diff.html.startswith('<details class="unchanged"><summary>2 unchanged paragraphs and 1 heading'
                                '</summary>\n')  # a reader looking for a section knows it is folded here
    assert diff.html.endswith("</details>\n") and diff.html.count("<details") == 1
    assert "<ins" not in diff.html and "<del" not in diff.html and "Two." in diff.html


@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".old.html") for p in FIXTURES.glob("*.old.html")))
def test_paired_fixtures(name: str) -> None:
    old = (FIXTURES / f"{name}.old.html").read_text()
    new = (FIXTURES / f"{name}.new.html").read_text()
    diff = diff_html(old, new)
    assert diff.html == (FIXTURES / f"{name}.diff.html").read_text()
    assert_well_nested(diff.html)


@pytest.mark.slow
def test_output_does_not_depend_on_hash_randomisation() -> None:
    script = ("import sys; from pathlib import Path; from engine.text.diff import diff_html; "
              f"f = Path({str(FIXTURES)!r}); sys.stdout.write(diff_html((f / 'essay.old.html').read_text(), "
              "(f / 'essay.new.html').read_text(), context=0).html)")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           cwd=Path(__file__).parent.parent, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] and "<del" in runs[0]


def test_a_long_revised_essay_is_well_nested_and_folded() -> None:
    """(Its speed is measured by tests/bench, not asserted here.)"""
    old, new = make_long_essay_pair(seed=7)
    diff = diff_html(old, new)
    assert_well_nested(diff.html)
    assert diff.words_added > 0 and diff.words_deleted > 0 and 0 < diff.blocks_changed < 105
    assert "unchanged paragraph" in diff.html


@pytest.mark.slow
def test_random_revisions_stay_valid_and_show_the_whole_new_text() -> None:
    rng = random.Random(2026)
    base = (FIXTURES / "essay.old.html").read_text()
    for case in range(150):
        old = mutate(rng, base) if case % 2 else base
        new = mutate(rng, old)
        diff = diff_html(old, new, context=case % 3)
        assert_well_nested(diff.html)
        ids = re.findall(r' id="([^"]+)"', diff.html)
        assert len(ids) == len(set(ids)), case
        assert new_text_shown(diff.html) == " ".join(parse_fragment(new).text_content().split()), case


@pytest.mark.parametrize("tag", ["div", "span", "blockquote"])
@pytest.mark.parametrize("depth", [300, 3000])
def test_a_word_changed_below_the_html_parsers_depth_limit_is_still_marked(tag: str, depth: int) -> None:
    """libxml2 builds no tree deeper than 255 levels and stops reading there without a word."""
    deep = f"<{tag}>" * depth + "The old word is here." + f"</{tag}>" * depth
    old = paragraphs("A first paragraph.") + f"<p>{deep}</p>\n" + paragraphs("A last paragraph.")
    diff = diff_html(old, old.replace("old word", "new word"))
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (1, 1, 1)
    assert marked(diff.html, "del") == ["old"] and marked(diff.html, "ins") == ["new"]
    assert "A last paragraph." in diff.html
    assert_well_nested(diff.html)


def test_blocks_nested_below_the_parsers_depth_limit_keep_their_words_apart() -> None:
    deep = "<div>" * 400 + "".join(f"<div>word{k}</div>" for k in range(3)) + "</div>" * 400
    diff = diff_html(deep, deep.replace("word1", "other"))
    assert marked(diff.html, "del") == ["word1"] and marked(diff.html, "ins") == ["other"]


@pytest.mark.slow
def test_a_revision_inside_raw_html_nested_300_deep_has_a_page_that_shows_it(site) -> None:
    from conftest import NOW, post, run_cli
    from engine.build import build

    deep = "<div>" * 300 + "\nThe old word is here.\n" + "</div>" * 300
    root = site({"posts/essay.md": post("An essay", body=f"A first paragraph.\n\n{deep}\n\nA last paragraph.")})
    path, epoch = root / "posts/essay.md", {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    assert run_cli("--site", str(root), "publish", str(path), env=epoch).returncode == 0
    path.write_text(path.read_text().replace("old word", "new word"))
    done = run_cli("--site", str(root), "revise", str(path), "--note", "A word.", "--at", "2026-11-03T09:00", env=epoch)
    assert done.returncode == 0, done.stderr
    build(root, now=NOW)
    page = (root / "output/essay/v2/changes/index.html").read_text()
    main = page[page.index("<main"):page.index("</main>") + 7]
    assert "did not change" not in page
    assert "new" in marked(main, "ins") and "old" in marked(main, "del")


def test_markup_libxml2_repairs_is_read_the_same_in_a_text_too_deep_for_its_tree() -> None:
    odd = '<p x"y=1 <em title=a>The old <sp:an a:b=c 1=2>word</sp:an> here.</p>'
    old = "<div>" * 200 + odd + "<span>" * 100 + "deep" + "</span>" * 100 + "</div>" * 200
    diff = diff_html(old, old.replace("old", "new"))
    assert marked(diff.html, "del") == ["old"] and marked(diff.html, "ins") == ["new"]
    assert '<p title="a">' in diff.html and '<sp:an a:b="c" 1="2">word</sp:an>' in diff.html


def diff_within(seconds: float, old: str, new: str) -> Diff:
    """``diff_html(old, new)`` in a subprocess that is stopped after ``seconds``, so that a diff that
    has grown slow fails here instead of hanging the suite."""
    script = ("import json, sys; from dataclasses import astuple; from engine.text.diff import diff_html; "
              "print(json.dumps(astuple(diff_html(*json.load(sys.stdin)))))")
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps([old, new]), capture_output=True,
                          text=True, timeout=seconds, check=True, cwd=Path(__file__).parent.parent)
    return Diff(*json.loads(done.stdout))


def one_long_paragraph(words: int, seed: int, vocabulary: list[str], stop: int = 0) -> list[str]:
    """Words drawn from ``vocabulary``, every ``stop``-th ending a sentence (none if 0)."""
    rng = random.Random(seed)
    out = [rng.choice(vocabulary) for _ in range(words)]
    for k in range(stop - 1, words, stop or words + 1):
        out[k] += "."
    return out


@pytest.mark.slow
@pytest.mark.parametrize("stop", [17, 0], ids=["sentences", "no full stop"])
def test_one_paragraph_of_50000_words_with_every_50th_changed_is_diffed_in_seconds_word_by_word(stop: int) -> None:
    """SequenceMatcher over the whole paragraph took 56 s for 10,000 words and hours for 50,000."""
    old = one_long_paragraph(50_000, 11, WORDS, stop)
    new = ["changed" if k % 50 == 25 else word for k, word in enumerate(old)]
    diff = diff_within(10, f"<p>{' '.join(old)}</p>", f"<p>{' '.join(new)}</p>")
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (1000, 1000, 1)
    assert marked(diff.html, "ins") == ["changed"] * 1000
    assert marked(diff.html, "del") == old[25::50]


@pytest.mark.slow
@pytest.mark.parametrize("case", ["one word", "two words", "a refrain"])
def test_a_long_paragraph_too_repetitive_to_anchor_is_diffed_coarsely_in_seconds(case: str) -> None:
    words = {"one word": ["la"] * 50_000, "two words": one_long_paragraph(50_000, 5, ["la", "di"]),
             "a refrain": (["la"] * 10 + ["di"]) * 4_545}[case]
    new = ["da" if k % 50 == 25 else word for k, word in enumerate(words)]
    old_html, new_html = f"<p>{' '.join(words)}</p>", f"<p>{' '.join(new)}</p>"
    diff = diff_within(10, old_html, new_html)
    assert diff.words_added >= 1000 and diff.blocks_changed == 1
    assert new_text_shown(diff.html) == " ".join(new)
    assert_well_nested(diff.html)


@pytest.mark.slow
def test_a_changed_code_block_of_50000_words_is_counted_in_seconds() -> None:
    old = one_long_paragraph(50_000, 13, WORDS, 17)
    new = ["changed" if k % 50 == 25 else word for k, word in enumerate(old)]
    diff = diff_within(10, f"<pre><code>{' '.join(old)}</code></pre>", f"<pre><code>{' '.join(new)}</code></pre>")
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (1000, 1000, 1)


def test_blocks_repeated_within_repeats_eleven_levels_deep_are_aligned_without_a_crash() -> None:
    """patiencediff panics once its search between anchors goes more than ten levels deep."""
    def nested(level: int) -> list[str]:
        return ["Again."] if level == 0 else [*nested(level - 1), f"Level {level}.", *nested(level - 1)]

    old = paragraphs("The old opening.", *nested(11), "The old close.")
    new = old.replace("The old opening.", "A new start.").replace("The old close.", "A new end.")
    diff = diff_html(old, new)
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (6, 6, 4)


def test_block_alignment_is_patiencediffs_wherever_patiencediff_answers() -> None:
    from patiencediff import PatienceSequenceMatcher

    rng = random.Random(16)
    for case in range(3000):
        letters = "abcdefgh"[: rng.randint(2, 8)]
        old = [rng.choice(letters) for _ in range(rng.randrange(30))]
        new = [rng.choice(letters) for _ in range(rng.randrange(30))] if case % 5 == 0 else mutated(rng, old, letters)
        assert patience_opcodes(old, new) == [tuple(op) for op in PatienceSequenceMatcher(None, old, new).get_opcodes()]


def mutated(rng: random.Random, items: list[str], letters: str) -> list[str]:
    out = list(items)
    for _ in range(rng.randrange(6)):
        at = rng.randrange(len(out) + 1)
        if rng.random() < 0.5 or not out[at:]:
            out.insert(at, rng.choice(letters))
        else:
            del out[at]
    return out


def without_labels(html: str) -> str:
    return re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)


def test_a_period_that_gives_way_to_a_parenthesis_is_the_only_thing_removed() -> None:
    diff = diff_html("<p>Cities in the United States. They refuse.</p>",
                     "<p>Cities in the United States (a claim the statute makes) refuse.</p>")
    html = without_labels(diff.html)
    assert ('United States<del class="mark">.</del> <del>They </del><ins>(a claim the statute makes)</ins> '
            "refuse.") in html
    assert "States" not in " ".join(marked(diff.html, "del") + marked(diff.html, "ins"))  # no "~~States.~~ States"
    assert (diff.words_added, diff.words_deleted) == (5, 1)


def test_a_colon_become_a_comma_changes_the_mark_alone() -> None:
    diff = diff_html("<p>Three rights: speech, press and assembly.</p>",
                     "<p>Three rights, speech, press and assembly.</p>")
    assert without_labels(diff.html) == \
        '<p>Three rights<del class="mark">:</del><ins>,</ins> speech, press and assembly.</p>\n'
    assert (diff.words_added, diff.words_deleted) == (0, 0)


def test_marks_at_both_ends_of_a_word_stay_with_the_text_around_a_changed_word() -> None:
    diff = diff_html("<p>He said “no.” Then <em>left.</em> Quietly.</p>",
                     "<p>He said “yes.” Then <em>left</em> quietly.</p>")
    html = without_labels(diff.html)
    assert "“<del>no</del><ins>yes</ins>.”" in html
    assert '<em>left<del class="mark">.</del></em>' in html
    assert marked(diff.html, "del") == ["no", ".", "Quietly"] and marked(diff.html, "ins") == ["yes", "quietly"]
    assert_well_nested(diff.html)
    assert new_text_shown(diff.html) == "He said “yes.” Then left quietly."


def test_marks_inside_a_word_stay_in_it() -> None:
    diff = diff_html("<p>The U.S. can't refuse.</p>", "<p>The U.S. can't decline.</p>")
    assert marked(diff.html, "del") == ["refuse"] and marked(diff.html, "ins") == ["decline"]
    assert "U.S. can't" in without_labels(diff.html)


def _rendered(text: str) -> str:
    from engine.text.markdown import render
    return render(text)


NOTES = "\n\n[^a]: Id. at 530.\n[^b]: 410 U.S. 113.\n[^c]: Supra note 1.\n[^d]: 5 U.S. 137.\n[^e]: Id.\n"


def test_a_deleted_footnote_is_the_only_change_though_every_later_one_is_numbered_anew() -> None:
    """Deleting note 1 of 5 renumbers notes 2–5 in the page; none of that is the author's change to show."""
    old = _rendered("First claim.[^a] Second claim.[^b]\n\nThird.[^c] Fourth.[^d] Fifth.[^e]" + NOTES)
    new = _rendered("First claim. Second claim.[^b]\n\nThird.[^c] Fourth.[^d] Fifth.[^e]"
                    + NOTES.replace("[^a]: Id. at 530.\n", ""))
    found = diff_html(old, new)
    html = str(found.html)
    assert found.blocks_changed == 2  # the paragraph that cited it, and the note itself
    assert html.count("<del") == 2 and "<ins" not in html
    assert "Third.<sup" in html.replace("\n", "")  # the second paragraph shown as it was, unmarked


def test_a_note_cited_twice_keeps_both_ways_back_unchanged_when_an_earlier_note_goes() -> None:
    """Note b, cited twice, becomes note 1 when note a goes: both ways back are renumbered, neither marked."""
    old = _rendered("First.[^a] Second.[^b]\n\nThird, again.[^b]" + NOTES)
    new = _rendered("First. Second.[^b]\n\nThird, again.[^b]" + NOTES.replace("[^a]: Id. at 530.\n", ""))
    html = str(diff_html(old, new).html)
    assert 'aria-label="Back to reference 1, citation 2"' in html
    assert "Back to reference 2" not in html and "<ins" not in html


def test_a_paragraph_moved_with_its_footnotes_is_shown_as_moved() -> None:
    old = _rendered("An opening line with enough words.[^a]\n\nThe holding in five clear words.[^b]\n\n"
                    "The dissent in several more words.[^c]" + NOTES)
    new = _rendered("The holding in five clear words.[^b]\n\nAn opening line with enough words.[^a]\n\n"
                    "The dissent in several more words.[^c]" + NOTES)
    found = diff_html(old, new)
    assert found.blocks_moved == 1 and found.words_added == found.words_deleted == 0


def test_labels_renumbered_by_hand_for_a_new_first_note_show_only_that_note_as_new() -> None:
    """A legal writer adds a note before the others and renames ``[^1]``, ``[^2]`` to ``[^2]``, ``[^3]``: the notes
    are the same notes by their text.  Paired by label, the old marks were struck with the numbers their labels
    have now (a "4" replaced by a "4"), and each unchanged note's ways back struck and inserted again."""
    old = _rendered("Retention.[^1] Access.[^2]\n\nThe court held it valid.[^1]\n\n"
                    "[^1]: Doe v. Provider, 123 F.4th 456.\n[^2]: H.R. Rep. No. 118-10.\n")
    new = _rendered("Retention, as amended.[^1] See also[^2] Access.[^3]\n\nThe court held it valid.[^2]\n\n"
                    "[^1]: Pub. L. No. 118-2.\n[^2]: Doe v. Provider, 123 F.4th 456.\n[^3]: H.R. Rep. No. 118-10.\n")
    found = diff_html(old, new)
    html = without_labels(str(found.html))
    assert marked(html, "del") == ["."], html  # only the period that gave way
    assert "The court held it valid." in html and "<li id=\"fn-2\"><p>Doe" in html
    assert found.blocks_changed == 2  # the paragraph with the new citation, and the new note
    assert found.words_added == 9 and found.words_deleted == 0


def test_a_deleted_notes_mark_and_entry_keep_the_number_readers_saw_and_the_next_note_its_own() -> None:
    """Note 2 of 3 deleted: its struck mark says 2, raised as a mark, not a digit in the line; its struck entry
    is numbered 2 and leads back nowhere; note 3, now 2, is numbered 2 (the deleted entry took a number of
    the list, and every note after it was shown one too high)."""
    old = _rendered("First.[^a] Second.[^b] Third.[^c]\n\n[^a]: Alpha note.\n[^b]: Beta note.\n[^c]: Gamma note.\n")
    new = _rendered("First.[^a] Second. Third.[^c]\n\n[^a]: Alpha note.\n[^c]: Gamma note.\n")
    html = without_labels(str(diff_html(old, new).html))
    assert "Second.<del><sup>2</sup></del>" in html, html
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    entries = tree.xpath("//section[@class='footnotes']/ol/li")
    assert [(li.get("class"), li.get("value"), "".join(li.itertext()).strip()[:5]) for li in entries] == [
        (None, None, "Alpha"), ("del-block", "2", "Beta "), (None, "2", "Gamma")]
    assert not entries[1].xpath(".//a")  # the citation it led back to is gone


def test_a_note_deleted_whose_label_a_new_note_took_is_deleted_and_the_new_one_inserted() -> None:
    old = _rendered("Claim.[^1] Other.[^2]\n\n[^1]: Smith v. Jones, 5 U.S. 1.\n[^2]: Id. at 4.\n")
    new = _rendered("Claim. Other.[^1] Later.[^2]\n\n[^1]: Id. at 4.\n[^2]: A wholly new authority here.\n")
    html = without_labels(str(diff_html(old, new).html))
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    entries = tree.xpath("//section[@class='footnotes']/ol/li")
    assert [(li.get("class"), "".join(li.itertext()).strip()[:5]) for li in entries] == [
        ("del-block", "Smith"), (None, "Id. a"), ("ins-block", "A who")]
    assert "Claim.<del><sup>1</sup></del> Other.<sup" in html  # "Id." keeps its place: only Smith's mark went


def test_a_paragraph_moved_before_another_citing_the_same_note_is_shown_as_moved() -> None:
    """The paragraph moved up was the note's second citation and is now its first (``fnref-b-2`` became
    ``fnref-b``): that made it another paragraph, shown deleted and inserted whole, "−14 words"."""
    notes = "\n\n[^a]: Id. at 530.\n[^b]: H.R. Rep. No. 118-10.\n"
    old = _rendered("Opening words of the essay here.[^a]\n\nThe access standard, as the House put it.[^b]\n\n"
                    "The legislative history in some detail.[^b]" + notes)
    new = _rendered("Opening words of the essay here.[^a]\n\nThe legislative history in some detail.[^b]\n\n"
                    "The access standard, as the House put it.[^b]" + notes)
    found = diff_html(old, new)
    assert found.blocks_moved == 1 and found.words_added == found.words_deleted == 0, found.html
    assert "<del" not in found.html.replace('<p class="diff-note">', "")


SPLIT = ["The council met on Tuesday to hear the residents of the lower ward.",
         "Their complaint was the weir, which had flooded the same streets three times."]


def test_a_paragraph_split_in_two_marks_only_the_break() -> None:
    """One paragraph made two, no word changed: every word was shown deleted and inserted again, "+14 words,
    −14 words"."""
    found = diff_html(_rendered(f"Intro stays.\n\n{SPLIT[0]} {SPLIT[1]}\n\nEnd stays."),
                      _rendered(f"Intro stays.\n\n{SPLIT[0]}\n\n{SPLIT[1]}\n\nEnd stays."))
    assert (found.words_added, found.words_deleted, found.blocks_changed) == (0, 0, 1)
    assert marked(found.html, "del") == [] and marked(found.html, "ins") == ["¶"]
    tree = parse_fragment(without_labels(found.html))
    assert [" ".join(p.text_content().split()) for p in tree.xpath("./p")] == [
        "Intro stays.", f"{SPLIT[0]} ¶", SPLIT[1], "End stays."]
    assert_well_nested(found.html)


def test_paragraphs_joined_mark_only_where_one_ended() -> None:
    found = diff_html(_rendered(f"{SPLIT[0]}\n\n{SPLIT[1]}\n\nAnd a third, after them, apart."),
                      _rendered(f"{SPLIT[0]} {SPLIT[1]}\n\nAnd a third, after them, apart."))
    assert (found.words_added, found.words_deleted, found.blocks_changed) == (0, 0, 1)
    assert marked(found.html, "del") == ["¶"] and marked(found.html, "ins") == []
    assert new_text_shown(found.html) == f"{SPLIT[0]} {SPLIT[1]} And a third, after them, apart."


def test_a_split_with_its_own_edits_shows_them_in_each_part() -> None:
    """A semicolon made a full stop, and the clause after it a paragraph with a capital and a new word: in
    three parts, each part keeps its own marks, and the insertion the break is in stays well nested."""
    old = "The weir held; its keeper slept. The river rose at dawn and the lower ward flooded again before noon."
    new = ("The weir held.\n\nIts keeper slept soundly.\n\n"
           "The river rose at dawn and the lower ward flooded again before noon.")
    found = diff_html(_rendered(old), _rendered(new))
    html = without_labels(found.html)
    assert_well_nested(found.html)
    assert marked(found.html, "del") == [";", "its", "."], html
    assert marked(found.html, "ins") == [".¶", "Its", "soundly.¶"], html
    assert new_text_shown(found.html) == new.replace("\n\n", " ")
    assert (found.words_added, found.words_deleted, found.blocks_changed) == (2, 1, 1)


def test_an_edited_paragraph_and_a_new_one_after_it_are_not_a_split() -> None:
    found = diff_html(_rendered(f"{SPLIT[0]}\n\nEnd stays."),
                      _rendered(f"{SPLIT[0]} Then they left.\n\nThe mayor, the council met again.\n\nEnd stays."))
    assert "¶" not in found.html and found.blocks_changed == 2


def test_a_link_that_leads_elsewhere_shows_both_addresses_and_changes_no_word() -> None:
    """A corrected citation's address: the words were shown struck and inserted again, "+2 words, −2 words",
    and neither address could be seen."""
    found = diff_html(_rendered("See the [parish records](https://example.org/a) now."),
                      _rendered("See the [parish records](https://example.org/b) now."))
    assert (found.words_added, found.words_deleted, found.blocks_changed) == (0, 0, 1)
    assert marked(found.html, "del")[-1] == "⟨https://example.org/a⟩"
    assert marked(found.html, "ins")[-1] == "⟨https://example.org/b⟩"
    assert new_text_shown(found.html).startswith("See the parish records")
    assert_well_nested(found.html)
    reworded = diff_html(_rendered("See the [parish records](https://example.org/a) now."),
                         _rendered("See the [parish books](https://example.org/b) now."))
    assert marked(reworded.html, "del")[-1] == "⟨https://example.org/a⟩"  # its words changed, and where it leads
    assert marked(reworded.html, "ins")[-1] == "⟨https://example.org/b⟩"


def test_a_part_reference_still_to_resolve_is_no_address_to_show() -> None:
    """A page of what changed has the ``part:`` links to parts that are out made links to their pages before it
    compares; one still written ``part:`` leads to a part not out, which readers see as forthcoming, whichever
    it names: no address to show, where ``⟨part:3⟩`` and ``⟨part:4⟩`` were shown."""
    found = diff_html(_rendered("See [the clubs](part:3) now."), _rendered("See [the clubs](part:4) now."))
    assert (found.words_added, found.words_deleted, found.blocks_changed) == (0, 0, 0)
    assert found.html == '<p>See <a href="part:4">the clubs</a> now.</p>\n'
    for old, new in (("https://example.org/a", "part:4"), ("part:3", "https://example.org/b")):
        found = diff_html(_rendered(f"See [the clubs]({old}) now."), _rendered(f"See [the clubs]({new}) now."))
        assert (found.words_added, found.words_deleted) == (0, 0)  # a link taken out or put in, as any other
        assert "⟨" not in found.html and marked(found.html, "del") == ["the clubs"]


def test_emphasis_given_to_words_changes_no_word() -> None:
    found = diff_html(_rendered("The only right that nobody disputes."),
                      _rendered("The *only right* that nobody disputes."))
    assert (found.words_added, found.words_deleted, found.blocks_changed) == (0, 0, 1)
    assert "<em>only right</em>" in found.html


def test_an_images_new_description_is_shown_beside_it() -> None:
    """Only the alt text changed: the old one was shown struck, and the new one nowhere a sighted reader sees."""
    found = diff_html(_rendered("Look: ![A weir looking upstream](/img/weir.png) here."),
                      _rendered("Look: ![A weir looking downstream](/img/weir.png) here."))
    html = without_labels(found.html)
    assert '<img src="/img/weir.png" alt="A weir looking downstream">' in html
    assert "[A weir looking <del>upstream</del><ins>downstream</ins>]" in html, html
    assert (found.words_added, found.words_deleted, found.blocks_changed) == (0, 0, 1)  # a description: no word


def test_numbered_list_items_keep_their_numbers_beside_a_deleted_one() -> None:
    """Beta moved first in a three-item list: shown inserted above and deleted below, the deleted item took
    a number, and Gamma was shown as item 4 of a list that never had one."""
    def numbers(old: str, new: str) -> list[tuple[str, str]]:
        tree = lxml.html.fromstring(f"<div>{diff_html(_rendered(old), _rendered(new)).html}</div>")
        (listed,) = tree.xpath("//ol")
        counter, shown = int(listed.get("start", "1")), []
        for li in listed.xpath("./li"):  # as a browser numbers them
            counter = int(li.get("value", counter))
            shown.append((str(counter), " ".join(li.text_content().split()[-2:])))
            counter += 1
        return shown
    assert numbers("1. Alpha one\n2. Beta two\n3. Gamma three\n", "1. Beta two\n2. Alpha one\n3. Gamma three\n") \
        == [("1", "Beta two"), ("2", "Alpha one"), ("2", "Beta two"), ("3", "Gamma three")]
    assert numbers("3. Alpha one\n4. Beta two\n5. Gamma three\n", "3. Alpha one\n4. Gamma three\n") == [
        ("3", "Alpha one"), ("4", "Beta two"), ("4", "Gamma three")]


IBID = ["Para one cites Smith on the long history of the public right to fish from both banks.",
        "Para two cites the same work again for the point about the weir and the mill.",
        "Para three cites Jones on the statute the town council relied upon to close the path.",
        "Para four cites the same work again for the point about the ford and the minutes."]


def ibid_essay(order: list[int], renumbered: bool) -> str:
    """Paragraphs of ``IBID`` in ``order``, each citing its note (Smith, Ibid., Jones, Ibid.), labelled as
    they were at first or, ``renumbered``, by hand in the order they are cited now."""
    texts = {0: "Smith, Rivers, p. 4.", 1: "Ibid.", 2: "Jones, Water, p. 9.", 3: "Ibid."}
    labels = {k: (order.index(k) + 1 if renumbered else k + 1) for k in order}
    return ("\n\n".join(f"{IBID[k]}[^{labels[k]}]" for k in order) + "\n\n"
            + "".join(f"[^{labels[k]}]: {texts[k]}\n" for k in sorted(order, key=labels.get)))


@pytest.mark.parametrize("renumbered", [False, True])
def test_notes_of_the_same_text_are_told_apart_by_where_they_are_cited(renumbered: bool) -> None:
    """Legal essays are full of "Ibid.": paired by text alone, a deleted paragraph's note took another's
    (its struck mark said 3, a number it never had, linked to another paragraph's note) and a moved paragraph
    was shown deleted and inserted again."""
    first = _rendered(ibid_essay([0, 1, 2, 3], False))
    gone = diff_html(first, _rendered(ibid_essay([0, 2, 3], renumbered)))
    html = without_labels(gone.html)
    assert '<del class="block"><p>Para two' in html  # its struck mark says 2, and leads nowhere:
    assert re.search(r'the weir and the mill\.<sup class="footnote-ref">2</sup></p></del>', html), html
    assert (gone.words_added, gone.blocks_changed) == (0, 2)  # the paragraph, and its note
    moved = diff_html(first, _rendered(ibid_essay([0, 2, 3, 1], renumbered)))
    assert (moved.blocks_moved, moved.words_added, moved.words_deleted, moved.blocks_changed) == (1, 0, 0, 0)


def test_notes_of_the_same_text_after_several_citations_in_a_paragraph_are_told_apart() -> None:
    """``Claim.[^3] So the books say.[^4]``, [^4] being "Ibid.", in each of three paragraphs, and the middle one
    deleted: the words before a note's citation held the number of the note cited before it, which the
    deletion changed, so the notes were paired wrongly and the middle paragraph shown rewritten into the third."""
    def essay(paragraphs: list[tuple[str, str, str]]) -> str:
        body = "\n\n".join(f"{claim}[^{2 * k + 1}] So the {books} books say.[^{2 * k + 2}]"
                            for k, (claim, books, _) in enumerate(paragraphs))
        notes = "".join(f"[^{2 * k + 1}]: {note}\n[^{2 * k + 2}]: Ibid.\n" for k, (_, _, note) in enumerate(paragraphs))
        return f"{body}\n\n{notes}"
    three = [("The river was public for centuries, and anglers fished it.", "old", "Smith, p. 4."),
             ("Parliament confirmed that right in a statute.", "law", "Jones, p. 9."),
             ("The courts read the statute narrowly.", "case", "Brown, p. 2.")]
    found = diff_html(_rendered(essay(three)), _rendered(essay([three[0], three[2]])))
    html = without_labels(found.html)
    assert '<del class="block"><p>Parliament confirmed that right in a statute.<sup class="footnote-ref">3</sup> ' \
           'So the law books say.<sup class="footnote-ref">4</sup></p></del>' in html, html
    assert found.words_added == 0 and marked(found.html, "ins") == []
    assert [li.get("value") for li in parse_fragment(html).xpath("//li[@class='del-block']")] == ["3", "4"]
    assert found.words_deleted == 12 + 4  # the paragraph's words and its notes', not their marks' numbers


def test_japanese_notes_renumbered_for_a_new_first_one_are_no_change() -> None:
    """The words before a citation were counted by spaces, which Japanese has none of: the context was the
    whole paragraph, an edit anywhere in it parted the notes, and renumbered citations showed as changed."""
    old = ("川の権利は古くから認められてきた。[^1]村の人々は毎朝そこで魚を捕った。[^2]\n\n議会は法律でその権利を確認した。[^3]"
           "\n\n[^1]: 田中、四頁。\n[^2]: 同上、五頁以下を参照。\n[^3]: 鈴木、九頁。\n")
    new = ("新しい段落が最初に加わった。[^1]\n\n川の権利は古くから認められてきた。[^2]村の人々は毎朝そこで魚を捕った。[^3]\n\n"
           "議会は法律でその権利を確認した。[^4]\n\n[^1]: 新しい注。\n[^2]: 田中、四頁。\n[^3]: 同上、六頁以下を参照。\n"
           "[^4]: 鈴木、九頁。\n")  # and note 2, now 3, edited: its words are its characters
    found = diff_html(_rendered(old), _rendered(new))
    assert marked(found.html, "del") == ["五"] and marked(found.html, "ins")[-1] == "六", found.html
    assert found.blocks_changed == 3  # the new paragraph, its note, and the note edited


@pytest.mark.parametrize("parts", [
    ["The council met on Tuesday to hear the residents of the lower ward about the weir and the mill race.",
     "It adjourned."],
    ["It opened.", "The council met on Tuesday to hear the residents of the lower ward about the weir and the race."],
    ["The council met on Tuesday to hear the residents of the lower ward about the weir.",
     "Their complaint was the mill race, which had flooded the same streets three times.", "It adjourned."],
])
def test_a_short_piece_split_off_a_paragraph_is_a_split_too(parts: list[str]) -> None:
    """A last (or first) sentence made a paragraph of its own was shown deleted and inserted again whole."""
    found = diff_html(_rendered(" ".join(parts) + "\n\nAfter."), _rendered("\n\n".join(parts) + "\n\nAfter."))
    assert (found.words_added, found.words_deleted, found.blocks_changed) == (0, 0, 1), found.html
    assert marked(found.html, "ins") == ["¶"] * (len(parts) - 1)


def test_a_split_inside_a_list_item_is_a_split() -> None:
    """The item was one line of text and is now two paragraphs: its second sentence was struck whole and
    inserted again."""
    found = diff_html(_rendered(f"- {SPLIT[0]} {SPLIT[1]}\n- item two\n"),
                      _rendered(f"- {SPLIT[0]}\n\n  {SPLIT[1]}\n- item two\n"))
    assert (found.words_added, found.words_deleted) == (0, 0), found.html
    assert marked(found.html, "ins") == ["¶"] and marked(found.html, "del") == []


def test_a_paragraph_moved_then_edited_is_shown_as_moved_with_its_edit_marked() -> None:
    """Moved in one revision and given a word in a later one: the page since the first version showed it
    deleted whole and inserted whole, and counted all its words twice."""
    moving = "The moving paragraph says quite a few words about the weir and the mill."
    found = diff_html(_rendered(f"Intro stays here.\n\n{moving}\n\nMiddle one.\n\nAnother middle.\n\nEnd stays."),
                      _rendered("Intro stays here.\n\nMiddle one.\n\nAnother middle.\n\n"
                                + moving.replace("few words", "few clear words") + "\n\nEnd stays."))
    assert (found.words_added, found.words_deleted, found.blocks_moved) == (1, 0, 1), found.html
    assert marked(found.html, "ins") == ["clear"] and "<del" not in found.html
    assert '<p class="moved">The moving paragraph says quite a few <ins>' in found.html


def test_a_list_item_moved_within_its_list_is_shown_as_moved() -> None:
    """Reordered items were shown inserted above and deleted below, "+3 words, −3 words", in a list of four
    items that had three."""
    found = diff_html(_rendered("1. Alpha one two\n2. Beta three four\n3. Gamma five six\n"),
                      _rendered("1. Beta three four\n2. Alpha one two\n3. Gamma five six\n"))
    assert (found.words_added, found.words_deleted, found.blocks_moved) == (0, 0, 1)
    tree = parse_fragment(without_labels(found.html))
    assert [(li.get("class"), li.text_content()) for li in tree.xpath("//ol/li")] == [
        ("moved", "Moved from later in the essay.Beta three four"), (None, "Alpha one two"), (None, "Gamma five six")]
    assert "<del" not in found.html and "<ins" not in found.html


def test_a_deleted_word_of_inline_code_is_shown_as_code() -> None:
    html = without_labels(diff_html("<p>Entry <code>PATH-0423 / FP</code> here.</p>",
                                    "<p>Entry <code>PATH-0424 / FP</code> here.</p>").html)
    assert re.search(r"<del><code>PATH-0423 ?</code></del><code><ins>PATH-0424</ins> / FP</code>", html), html


def test_a_deleted_exponent_stays_raised() -> None:
    html = without_labels(diff_html("<p>Area is x<sup>2</sup> here.</p>", "<p>Area is x<sup>3</sup> here.</p>").html)
    assert "x<del><sup>2</sup></del><ins><sup>3</sup></ins> here" in html, html


def test_unchanged_footnotes_fold_as_paragraphs_do_and_keep_their_numbers() -> None:
    """One pinpoint corrected in note 6 of 10: the other notes, away from it, fold; each keeps its number."""
    notes = "".join(f"[^{n}]: Note number {n} here.\n" for n in range(1, 11))
    cites = " ".join(f"Claim {n}.[^{n}]" for n in range(1, 11))
    found = diff_html(_rendered(f"{cites}\n\n{notes}"),
                      _rendered(f"{cites}\n\n" + notes.replace("Note number 6 here", "Note number 6 there")))
    tree = lxml.html.fromstring(f"<div>{found.html}</div>")
    (listed,) = tree.xpath("//section[@class='footnotes']/ol")
    folds = listed.xpath("./li[@class='unchanged-notes']/details/ol")
    assert [(fold.get("start"), len(fold)) for fold in folds] == [("1", 4), ("8", 3)]
    assert [li.get("id") for li in listed.xpath("./li[@id]")] == ["fn-5", "fn-6", "fn-7"]
    assert listed.xpath("./li[@id='fn-5']")[0].get("value") == "5"  # numbered on after the fold
    assert [s.text for s in listed.xpath(".//summary")] == ["4 unchanged notes", "3 unchanged notes"]


def test_a_fold_of_notes_is_named_in_the_pages_language() -> None:
    from engine.locale import translations
    from engine.locale.marks import localize
    html = '<details class="unchanged"><summary>4 unchanged notes</summary></details>'
    assert "<summary>4 notes inchangées</summary>" in localize(html, translations("fr"))
    assert "<summary>4 unveränderte Fußnoten</summary>" in localize(html, translations("de"))


def test_a_tone_mark_or_vowel_sign_changed_is_shown_with_its_letter() -> None:
    """ใช้ (use) made ใช่ (yes): the tone mark was cut from its consonant as if it were punctuation, and the
    reader saw ``ใช<del>้</del><ins>่</ins>``, one mark drawn over the other; so was a Hindi vowel sign."""
    thai = diff_html("<p>ชาวบ้านใช้น้ำจากแม่น้ำ</p>", "<p>ชาวบ้านใช่น้ำจากแม่น้ำ</p>").html
    assert re.search(r"<del>(<span[^>]*>[^<]*</span>)?ช้</del><ins>(<span[^>]*>[^<]*</span>)?ช่</ins>", thai), thai
    hindi = diff_html("<p>यह हिन्दी है।</p>", "<p>यह हिन्दू है।</p>").html
    assert re.search(r"<del>(<span[^>]*>[^<]*</span>)?हिन्दी ?</del><ins>(<span[^>]*>[^<]*</span>)?हिन्दू</ins>", hindi)
    english = diff_html("<p>rights: here</p>", "<p>rights, here</p>").html  # punctuation still apart
    assert "rights<del" in english


def test_a_rewritten_japanese_clause_reads_deleted_then_inserted_not_as_fragments() -> None:
    """Each character is a word in Japanese, and a rewritten clause shares a few kana with the one it replaces
    (たち, って): the reader saw 村人 deleted, the new clause's first half, たち kept, the old clause's rest
    deleted... one edit is one deletion and one insertion; a one-character change stays one character."""
    def shown(old: str, new: str) -> str:
        return re.sub(r'<span class="visually-hidden">[^<]*</span>', "", diff_html(old, new).html)
    kept = "<p>この川は何千年もの間、私たちの村を流れてきた。"
    rewritten = shown(kept + "村人たちは川の水で田畑を耕し、魚を獲って暮らしてきた。</p>",
                      kept + "しかし近年、上流のダム建設によって水量は大きく減り、"
                      "村の若者たちの多くは都会へと出て行ってしまった。</p>")
    assert rewritten.count("<del>") == 1 and rewritten.count("<ins") == 1, rewritten
    assert "<del>村人たちは川の水で田畑を耕し、魚を獲って暮らしてき</del>" in rewritten
    assert shown("<p>村々は何百年も続いた。</p>", "<p>村人は何千年も続いた。</p>") == \
        "<p>村<del>々</del><ins>人</ins>は何<del>百</del><ins>千</ins>年も続いた。</p>\n"


def test_a_language_given_to_a_code_block_is_no_change_of_its_text() -> None:
    """```` ``` ```` made ```` ```sh ````: the block's words are the same, only its colours differ; it was
    shown deleted whole and inserted again."""
    from engine.text.markdown import render
    before = render("Intro.\n\n```\nls -la /srv\n```\n\nEnd.")
    diff = diff_html(before, render("Intro.\n\n```sh\nls -la /srv\n```\n\nEnd."))
    assert "<del" not in diff.html and "<ins" not in diff.html
    assert (diff.words_added, diff.words_deleted, diff.blocks_changed) == (0, 0, 0)
    changed = diff_html(before, render("Intro.\n\n```sh\nls -l /srv\n```\n\nEnd."))  # a real change still shows
    assert "<del" in changed.html and changed.blocks_changed == 1
