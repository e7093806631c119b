"""Rendered HTML kept as UTF-8: shown exactly as written, digested as the same text would be."""
from __future__ import annotations

import pickle
import tracemalloc

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from engine.speed.digest import Digester
from engine.text.fragment import EMPTY, Fragment, Resolved

HTML = "<p>“Quoted” — an em dash, <em>emphasis</em> &amp; an entity, and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 beyond the BMP.</p>"


def test_a_template_shows_it_unescaped_and_tests_it_for_emptiness() -> None:
    env = jinja2.Environment(autoescape=True)
    template = env.from_string("{% if html %}[{{ html }}]{% else %}none{% endif %}")
    assert template.render(html=Fragment(HTML)) == f"[{HTML}]"
    assert template.render(html=EMPTY) == "none"
    assert env.from_string("{{ html|striptags }}").render(html=Fragment(HTML)).startswith("“Quoted” — an em dash")


def test_a_template_override_may_use_it_as_the_markup_it_stands_for() -> None:
    template = jinja2.Environment(autoescape=True).from_string(
        "{{ html|length }} {{ 'emphasis' in html }} {{ html.striptags()|wordcount }} {{ html|truncate(12) }}")
    shown = template.render(html=Fragment(HTML))
    assert shown == template.render(html=Markup(HTML))
    assert shown == f"{len(HTML)} True 12 <p>“Quote..."


def test_it_gives_back_the_text_and_the_digest_of_the_text() -> None:
    fragment = Fragment(HTML)
    assert str(fragment) == HTML and Markup(fragment) == Markup(HTML) and f"{fragment}!" == HTML + "!"
    assert len(Fragment(HTML * 20).data) < len(HTML * 20) / 4  # the point: a build holds much less
    assert Digester()(fragment) == Digester()(HTML)
    assert Fragment(HTML) == fragment and Fragment(HTML + " ") != fragment
    assert len({Fragment(HTML), Fragment(HTML), EMPTY}) == 2


def test_it_lists_the_part_links_it_holds() -> None:
    linked = Fragment('<a href="part:2">Part 2</a> and <a href="part:other/3" class="x">its sequel</a>')
    assert linked.parts == ("2", "other/3") and Fragment(HTML).parts == () and Fragment("depart: now").parts == ()


def test_it_pickles_whole() -> None:
    again = pickle.loads(pickle.dumps(Fragment(HTML), protocol=pickle.HIGHEST_PROTOCOL))
    assert str(again) == HTML and again.digest == Fragment(HTML).digest and again.parts == ()


def test_it_holds_little_more_than_its_compressed_bytes() -> None:
    html = HTML * 200  # 20 KB that compress to a few hundred bytes
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        fragments = [Fragment(f"{html}{n}") for n in range(20)]
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert all(len(f.data) < len(html) / 20 for f in fragments)
    assert held < sum(len(f.data) + 400 for f in fragments)  # not the worst-case buffer the compressor filled


def test_a_resolved_fragment_shows_its_links_resolved_and_digests_what_they_resolve_to() -> None:
    linked = Fragment('<p>See <a href="part:2">Part 2</a>.</p>')
    out = Resolved(linked, lambda html: html.replace("part:2", "/series/two/"), b"[('/series/two/', '')]")
    forthcoming = Resolved(linked, lambda html: html.replace("part:2", "#"), b"[(None, 'forthcoming')]")
    env = jinja2.Environment(autoescape=True)
    assert env.from_string("{{ html }}").render(html=out) == '<p>See <a href="/series/two/">Part 2</a>.</p>'
    assert Digester()(out) != Digester()(forthcoming) != Digester()(linked)
    assert out and not out.parts


def test_it_knows_whether_it_has_links_that_depend_on_the_page_they_are_on() -> None:
    depends = ['<a href="x/">', '<p><a title="t" HREF="../y">', "<img src='map.png'>", '<a\thref="?page=2">',
               '<img alt="" srcset="a.png 2x">', '<video poster="still.jpg">', '<img src=map.png>']
    does_not = ['<a href="/x/">', '<a href="https://e.org/">', '<a href="#note">', '<a href="part:s/2">',
                '<a href="">', '<a href=/x/>', '<a href=>', '<a data-href="x">', 'xhref="y"', '<a title="x/y" id="z">', "<p>No links.</p>"]
    assert [Fragment(html).relative for html in depends] == [True] * len(depends)
    assert [Fragment(html).relative for html in does_not] == [False] * len(does_not)


_NAMES = st.sampled_from(["href", "HREF", "src", "srcset", "poster", "data-href", "class", "title"])
_VALUES = st.sampled_from(["x.png", "../y/", "/root/", "#note", "?q=1", "https://e.org/a", "", " ../z.png",
                           "a=b", "/abs.png 1x, rel.png 2x", "part:2", "mailto:a@e.org"])
_QUOTES = st.sampled_from(['"', "'", ""])
_ATTRIBUTES = st.builds(lambda name, value, quote, space: f"{space}{name}={quote}{value}{quote}" if quote or (
    value and " " not in value) else f"{space}{name}", _NAMES, _VALUES, _QUOTES, st.sampled_from([" ", "\n", ""]))
_PIECES = st.one_of(st.builds(lambda attrs: "<a" + "".join(attrs) + ">", st.lists(_ATTRIBUTES, max_size=3)),
                    st.sampled_from(["text ", "a < b ", "</a>", "<code>&lt;a href=x&gt;</code>", "<p>", "=", ">"]))


@pytest.mark.slow
@given(st.lists(_PIECES, max_size=8).map("".join))
def test_a_fragment_said_to_have_no_relative_links_is_one_rebase_leaves_alone(html: str) -> None:
    from engine.site.urls import Urls
    assert Fragment(html).relative or Urls("https://example.org/essays/").rebase(html, "law/part-1/") == html


@pytest.mark.parametrize("html, shows", [('<p><img src="/a.png" alt=""></p>', True), ('<p><IMG SRC="/a.png"></p>', True),
                                         ('<p><Img src="/a.png"></p>', True), ("<p>an image, imagined</p>", False)])
def test_it_knows_whether_it_shows_an_image_however_the_tag_is_spelled(html: str, shows: bool) -> None:
    assert Fragment(html).images is shows
