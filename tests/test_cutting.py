"""Text cut short (previews, summaries, a note's first sentence) ends at a character as the reader sees
it, and Chinese and Japanese text, written without spaces, is counted by its characters."""
from __future__ import annotations

import jinja2
import pytest

from engine.site.feeds import first_sentence
from engine.text.cutting import character_words, first_words, gist, grapheme_cut, shorten
from engine.text.markdown import summarize

FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"


@pytest.mark.parametrize("text", [
    "א" * 85 + FAMILY * 3 + "ב" * 190,
    "स्वतंत्रता" * 40,
    "e\u0301" * 200,
    "\U0001F44D\U0001F3FD" * 100,
])
def test_text_without_spaces_is_cut_at_a_whole_character(text: str) -> None:
    for at in range(1, 120):
        kept = grapheme_cut(text, at)
        assert text.startswith(kept) and len(kept) <= at
        rest = text[len(kept):]
        assert not kept.endswith(("\u200d", "\u094d")) and not rest.startswith(("\u0301", "\u093e", "\u200d",
                                                                                  "\U0001F3FD", "\u094d"))
    assert shorten(text, 90).endswith("…") and len(shorten(text, 90)) <= 90
    long = text * 2  # past the 300 characters a note's first sentence may take
    assert first_sentence(long).endswith("…") and long.startswith(first_sentence(long)[:-1])
    assert not long[len(first_sentence(long)) - 1:].startswith(("\u200d", "\U0001F3FD", "\u0301", "\u093e"))


def test_shorten_is_jinjas_truncate_for_text_with_spaces() -> None:
    env = jinja2.Environment()
    for text in ("Corrected the date of the ruling in the second paragraph, and a name." * 4, "Short.", "a " * 60):
        for length in (20, 90, 200):
            assert shorten(text, length) == env.from_string(
                f'{{{{ t|truncate({length}, end="…") }}}}').render(t=text)


def test_chinese_and_japanese_summaries_count_characters() -> None:
    essay = "<p>" + "城市可以拒绝协助联邦移民执法。" * 300 + "</p>"
    assert summarize(essay, 50) == ("城市可以拒绝协助联邦移民执法。" * 4)[:50] + "…"
    assert first_words("東京 の議会", 3) == ("東京 の", True)
    assert summarize("<p>English words, as before.</p>", 3) == "English words, as…"


@pytest.mark.parametrize("note, first", [
    ("重要な更新。第二の文。", "重要な更新。"),
    ("城市可以拒绝协助！然后。", "城市可以拒绝协助！"),
    ("עדכון חשוב. פסקה שנייה.", "עדכון חשוב."),
    ("यह पहला वाक्य है। यह दूसरा है।", "यह पहला वाक्य है।"),
    ("Πρώτη πρόταση. Δεύτερη πρόταση.", "Πρώτη πρόταση."),
])
def test_a_notes_first_sentence_in_scripts_without_capitals_or_spaces(note: str, first: str) -> None:
    assert first_sentence(note) == first


def test_thai_letters_keep_their_marks_and_summaries_count_four_to_a_word() -> None:
    assert character_words("ย่อหน้าที่สอง") == ["ย่", "อ", "ห", "น้", "า", "ที่", "ส", "อ", "ง"]
    essay = "<p>" + "ศาลตัดสินว่าเมืองมีสิทธิ์" * 200 + "</p>"
    shown = summarize(essay, 50)
    assert shown.endswith("…") and len(character_words(shown[:-1])) == 200  # fifty words' worth of letters
    assert not shown[:-1].endswith("\u0e31")  # never a vowel sign without its letter


@pytest.mark.parametrize("html, text", [
    ("<p>第一の段落。</p>\n<p>第二の段落。</p>", "第一の段落。第二の段落。"),  # Japanese paragraphs join as on a page
    ("<p>修订了数字。</p>\n<p><em>另见</em>第二部分。</p>", "修订了数字。另见第二部分。"),
    ("<p>First paragraph.</p>\n<p>Second   one.</p>", "First paragraph. Second one."),
    ("<p>แก้ไขตัวเลข</p>\n<p>ดูภาคสอง</p>", "แก้ไขตัวเลข ดูภาคสอง"),  # Thai puts a space between sentences
    ("<p>東京 and Osaka.</p>", "東京 and Osaka."),
    ('<p>The Second Circuit reversed the district court.<sup class="footnote-ref"><a href="#fn-op" id="fnref-op">1'
     '</a></sup> The reversal bears on it.</p>\n<section class="footnotes" aria-label="Footnotes">\n<ol>\n'
     '<li id="fn-op"><p>Doe v. Provider. <a href="#fnref-op" class="footnote-backref">↩</a></p></li>\n</ol>\n'
     "</section>\n", "The Second Circuit reversed the district court. The reversal bears on it."),  # not "court.1"
])
def test_gist_is_the_text_on_one_line_joined_as_its_script_is(html: str, text: str) -> None:
    assert gist(html) == text


def test_a_summary_joins_a_chinese_paragraph_to_the_next_without_a_space_whatever_it_begins_with() -> None:
    """"第一段结束了。 2016年…": the space was left when the next paragraph began with a digit or a bracket."""
    from engine.text.markdown import render, summarize
    assert summarize(render("第一段结束了。\n\n2016年，法院作出裁定。\n\n「引号」开头的段落。"), 50) == \
        "第一段结束了。2016年，法院作出裁定。「引号」开头的段落。"
    assert summarize(render("First part.\n\n中文段落。\n\nSecond part."), 50) == "First part. 中文段落。Second part."


def test_a_summary_keeps_the_no_break_spaces_of_its_text() -> None:
    """French « oui » holds its marks with narrow no-break spaces, and "10 km" its number with one: the
    summary made them plain spaces, at which a line may break."""
    from engine.text.markdown import render, summarize
    from engine.text.quotes import marks_for
    assert summarize(render('Il dit "oui" et   10\u00a0km.', marks_for("fr")), 40) == \
        "Il dit «\u202foui\u202f» et 10\u00a0km."
    assert summarize(render("one two three four", None), 2) == "one two…"


def test_a_series_description_keeps_its_no_break_spaces_in_the_series_feeds(site) -> None:
    """A French series' description lost the narrow no-break spaces of « l'eau » in its feeds' descriptions."""
    import feedparser
    from conftest import NOW, post
    from engine.build import build
    root = site({"posts/eau/series.toml": 'title = "Eau"\ndescription = "Une série sur \\"l\'eau\\"."\n',
                 "posts/eau/part-1.md": post("Un", part=1)})
    config = root / "config.toml"
    config.write_text(config.read_text().replace("timezone =", 'language = "fr"\ntimezone ='))
    build(root, now=NOW)
    feed = feedparser.parse((root / "output/eau/feed.xml").read_bytes())
    assert feed.feed.description == "Une série sur «\u202fl’eau\u202f»."


def test_a_gist_keeps_no_break_spaces() -> None:
    """A French note's « l’arrêt » lost its narrow no-break spaces in the gist shown beside it and in the
    history, and the guillemet could end a line."""
    from engine.text.cutting import gist
    assert gist("<p>J’ai corrigé «\u202fl’arrêt\u202f»,\n10\u00a0km &amp; <!-- x --><b>plus</b></p>") == \
        "J’ai corrigé «\u202fl’arrêt\u202f», 10\u00a0km & plus"
