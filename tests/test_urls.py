"""``engine/site/urls.py``: every output path and link decided in one place; tag folders; clashes; the
rewriting of links in an HTML fragment for the pages and feeds that show it."""
from __future__ import annotations

import hashlib

import pytest

from engine.site import urls as U

URLS = U.Urls("https://example.org/essays/")


# --- site paths and output files --------------------------------------------------

@pytest.mark.parametrize("site_path, output", [("", "index.html"), ("essay/", "essay/index.html"),
                                               ("cities/part-1/v2/changes/", "cities/part-1/v2/changes/index.html"),
                                               ("feed.xml", "feed.xml"), ("cities/atom.xml", "cities/atom.xml")])
def test_a_pretty_address_is_written_to_its_index_html_and_read_back(site_path: str, output: str) -> None:
    assert U.output_path(site_path) == output
    assert U.site_path(output) == site_path


def test_a_file_merely_named_like_an_index_is_not_taken_for_a_folders_page() -> None:
    assert U.site_path("notindex.html") == "notindex.html"
    assert U.site_path("a/notindex.html") == "a/notindex.html"


def test_addresses_of_a_post_its_versions_and_its_series() -> None:
    assert U.address(None, "essay") == "essay/"
    assert U.address("Ökonomie", "teil-1") == "ökonomie/teil-1/"  # the series folder is slugified
    assert U.address_series("ökonomie/teil-1/") == "ökonomie/" and U.address_series("essay/") is None
    assert U.version_path("essay/", 2) == "essay/v2/"
    assert U.changes_path("essay/", 2) == "essay/v2/changes/"
    assert U.series_path("Sanctuary Cities") == "sanctuary-cities/"
    assert [U.home_page_path(n) for n in (1, 2, 3)] == ["", "page/2/", "page/3/"]


def test_every_feed_folder_holds_rss_atom_and_json() -> None:
    assert U.fixed_files(["", "cities/"]) == ["sitemap.xml", "robots.txt", "theme/style.css",
                                              "feed.xml", "atom.xml", "feed.json",
                                              "cities/feed.xml", "cities/atom.xml", "cities/feed.json"]


# --- tag folders ---------------------------------------------------------------------

def test_a_tag_equal_to_its_slug_keeps_it_and_a_lookalike_gets_a_hash_of_its_name() -> None:
    segments = U.tag_segments(["Law", "law", "Ökonomie"])
    assert segments["law"] == "law" and segments["Ökonomie"] == "ökonomie"
    assert segments["Law"] == "law-" + hashlib.sha1(b"Law").hexdigest()[:6]


def test_of_two_spellings_neither_spelt_as_the_slug_one_keeps_the_address() -> None:
    """``İstanbul`` alone was at ``tags/istanbul/``; a post tagged ``İSTANBUL`` must not take that address from
    every reader's link: the spelling more posts use keeps it, of equals the first in order."""
    alone = U.tag_segments(["İstanbul"])
    tied = U.tag_segments(["İstanbul", "İSTANBUL"])
    assert alone["İstanbul"] == "istanbul" and "istanbul" in tied.values()
    assert tied["İSTANBUL"] == "istanbul"
    assert tied["İstanbul"] == "istanbul-" + hashlib.sha1("İstanbul".encode()).hexdigest()[:6]
    more = U.tag_segments(["İstanbul", "İstanbul", "İSTANBUL"])  # once per post that uses it
    assert more["İstanbul"] == "istanbul" and more["İSTANBUL"].startswith("istanbul-")


def test_a_long_tag_is_cut_between_characters_and_hashed() -> None:
    name = "日本" * 60 + "a"
    segment = U.tag_segments([name])[name]
    stem, _, digest = segment.rpartition("-")
    assert stem == "日本" * 13 and len(stem.encode()) <= U.MAX_TAG_SLUG  # 78 bytes: a 27th character would not fit
    assert digest == hashlib.sha1(name.encode()).hexdigest()[:6]
    assert U.tag_path(segment) == f"tags/{segment}/"


def test_cut_never_splits_a_character() -> None:
    assert U.cut("日本日本", 7) == "日本"  # 6 of 7 bytes: the third character needs 9
    assert U.cut("a-b-c", 2) == "a"  # and leaves no trailing hyphen


# --- names no file system or Windows takes ------------------------------------------

def test_the_first_folder_windows_takes_for_a_device_is_named() -> None:
    assert U.device_folder("con/v1/") == "con/"
    assert U.device_folder("tags/aux.txt") == "tags/aux.txt"
    assert U.device_folder("essay/v1/") is None


def test_a_name_longer_than_file_systems_allow_is_named() -> None:
    long = "b" * (U.MAX_NAME + 1)
    assert U.too_long(f"a/{long}/index.html") == long
    assert U.too_long(f"a/{'b' * U.MAX_NAME}/index.html") is None


# --- clashes -------------------------------------------------------------------------

def test_a_file_where_another_output_needs_a_folder_is_a_clash() -> None:
    assert U.clashes(["essay", "essay/index.html", "index.html"]) == {"essay/index.html": "essay"}
    assert U.clashes(["a/b", "a/b/c/d.html", "a/bc.html"]) == {"a/b/c/d.html": "a/b"}  # at any depth
    assert U.clashes(["a/index.html", "ab/index.html", "a.html"]) == {}  # a shared prefix is no folder


# --- links ----------------------------------------------------------------------------

def test_links_carry_the_base_path_and_are_quoted() -> None:
    assert URLS.base_path == "/essays/"
    assert URLS.link("ökonomie/teil 1/") == "/essays/%C3%B6konomie/teil%201/"
    assert URLS.absolute("") == "https://example.org/essays/"
    assert U.Urls("https://example.org/").link("essay/") == "/essay/"


@pytest.mark.parametrize("url, local", [("/essays/x/", True), ("img/x.png", True), ("../x/", True),
                                        ("//evil.example/x", False), ("#note", False), ("", False),
                                        ("https://example.org/", False), ("mailto:a@example.org", False),
                                        ("part:2", False)])
def test_is_local_means_on_this_server(url: str, local: bool) -> None:
    assert U.is_local(url) is local


@pytest.mark.parametrize("html, local", [
    ('<a href="/x/">', True), ("<img src='/a.png'>", True), ('<a href="x/">', True), ('<a href="//e.org/x">', False),
    ('<a href="#n">', False), ('<a href="https://e.org/"><img src="data:,x">', False), ("href=/prose", False),
    ('<a data-href="/x">', False), ('<a href="mailto:a@e.org">', False)])
def test_link_kinds_says_no_local_link_only_where_addresses_finds_none(html: str, local: bool) -> None:
    assert U.link_kinds(html)[1] is local
    assert any(U.is_local(url) for url in U.addresses(html)) is local


@pytest.mark.parametrize("value, candidates", [
    ("a.png 1x, b.png 2x", [("a.png", "1x"), ("b.png", "2x")]),
    ("a.png 1x,b.png 2x", [("a.png", "1x"), ("b.png", "2x")]),
    ("a.png, b.png 2x", [("a.png", ""), ("b.png", "2x")]),
    # an image service's address holds commas: it runs to the next space, as a browser reads it
    ("https://cdn.example/fetch/w_424,c_limit/x.jpg 424w, https://cdn.example/fetch/w_848,c_limit/x.jpg 848w",
     [("https://cdn.example/fetch/w_424,c_limit/x.jpg", "424w"),
      ("https://cdn.example/fetch/w_848,c_limit/x.jpg", "848w")]),
    ("  ", []),
])
def test_a_srcset_is_read_as_html_reads_it(value: str, candidates: list[tuple[str, str]]) -> None:
    assert U.srcset(value) == candidates


def test_addresses_lists_every_link_and_each_srcset_candidate_in_order() -> None:
    html = '<img src="a.png" srcset="b.png 1x, /c.png 2x"><a data-href="no.html" href="#n">x</a><p>href=prose</p>'
    assert U.addresses(html) == ["a.png", "b.png", "/c.png", "#n"]


@pytest.mark.parametrize("html, relative", [('<a href="x/">', True), ("<img src=map.png>", True),
                                            ('<a href="/x/">', False), ('<a href="#n">', False),
                                            ('<a href="https://e.org/">', False), ('<a data-href="x">', False),
                                            ('<img srcset="/a.png 1x">', True)])  # a srcset is always looked at
def test_a_fragment_has_relative_links_only_where_rebase_changes_something(html: str, relative: bool) -> None:
    assert U.link_kinds(html)[0] is relative
    if not relative:
        assert URLS.rebase(html, "law/part-1/") == html


REBASED = {
    "every address attribute, and nothing else": (
        '<img src="../../img/x.png" srcset="../../img/x.png 1x, https://cdn.example/x2.png 2x" alt="">'
        '<video poster="still.jpg"></video><a HREF="../part-2/">two</a><a data-href="../x/">data</a>'
        '<img src=map.png alt=""><a class=x href=../part-3/>three</a><p>Set href=../y in prose.</p>',
        '<img src="/essays/img/x.png" srcset="/essays/img/x.png 1x, https://cdn.example/x2.png 2x" alt="">'
        '<video poster="/essays/law/part-1/still.jpg"></video><a HREF="/essays/law/part-2/">two</a>'
        '<a data-href="../x/">data</a><img src="/essays/law/part-1/map.png" alt="">'
        '<a class=x href="/essays/law/part-3/">three</a><p>Set href=../y in prose.</p>'),
    "raw HTML as a browser reads it, and only the links that change": (
        '<iframe src=https://video.example/embed/abc?start=30 width=560></iframe>'
        '<a href=?q=1&amp;r=2>query</a><img alt="a > b" src=gt.png><a href = spaced.html>spaced</a>'
        '<p>a < b href=foo, and <code>&lt;a href=x&gt;</code></p><img src=data:image/gif;base64,R0lGOD=>',
        '<iframe src=https://video.example/embed/abc?start=30 width=560></iframe>'
        '<a href="/essays/law/part-1/?q=1&amp;r=2">query</a><img alt="a > b" src="/essays/law/part-1/gt.png">'
        '<a href = "/essays/law/part-1/spaced.html">spaced</a>'
        '<p>a < b href=foo, and <code>&lt;a href=x&gt;</code></p><img src=data:image/gif;base64,R0lGOD=>'),
}


@pytest.mark.parametrize("case", REBASED)
def test_relative_links_are_read_from_the_posts_page(case: str) -> None:
    html, rebased = REBASED[case]
    assert URLS.rebase(html, "law/part-1/") == rebased


def test_a_feed_makes_an_unquoted_link_absolute_and_keeps_a_value_that_holds_an_equals_sign() -> None:
    html = REBASED["raw HTML as a browser reads it, and only the links that change"][0]
    assert URLS.absolutize(html, "https://example.org/essays/law/part-1/").startswith(
        '<iframe src=https://video.example/embed/abc?start=30 width=560></iframe>'
        '<a href="https://example.org/essays/law/part-1/?q=1&amp;r=2">query</a>')


def test_a_feed_makes_root_relative_links_absolute_and_leaves_other_sites_alone() -> None:
    html = '<a href="/essays/x/">x</a> <a href="https://other.example/y">y</a> <a href="#fn-1">1</a>'
    assert URLS.absolutize(html, "https://example.org/essays/law/part-1/") == (
        '<a href="https://example.org/essays/x/">x</a> <a href="https://other.example/y">y</a> '
        '<a href="https://example.org/essays/law/part-1/#fn-1">1</a>')


def test_a_bare_value_holding_a_quote_is_quoted_safely() -> None:
    assert URLS.rebase('<a href=a"b>x</a>', "p/") == '<a href="/essays/p/a&quot;b">x</a>'


@pytest.mark.parametrize("url, shown", [
    ("https://e.org/%E6%B0%B4/part-1/", "https://e.org/水/part-1/"),
    ("https://e.org/a%20b/%25/%2F/", "https://e.org/a%20b/%25/%2F/"),  # a space, % and / stay escaped
    ("https://e.org/%E6%B0/", "https://e.org/%E6%B0/"),  # not UTF-8: as written
    ("https://e.org/caf%C3%A9%20noir/", "https://e.org/café%20noir/"),
])
def test_readable_shows_letters_as_themselves(url: str, shown: str) -> None:
    assert U.readable(url) == shown
