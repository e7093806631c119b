"""Site search: the build indexes the posts' current text with Pagefind, and the search page finds it in a real
browser, served over HTTP below the site's base path; old versions and pages of what changed are not found;
without JavaScript the form leads to the archive; a failed index leaves the last output in place."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import EPOCH, SERIES, config_with, post, run_cli, serving
from conftest import write_site as write_any_site
from engine.build import build
from engine.output import search

pytestmark = pytest.mark.slow  # a real browser, Pagefind in a subprocess

BODY = ("The council voted on the ordinance after a long hearing.\n\n"
        "Its sponsors called the measure a quixotic gesture of welcome.\n")


def write_site(root: Path, files: dict[str, str]) -> Path:
    """A site that asks for search."""
    return write_any_site(root, files, config_with(search=True))


def cli(root: Path, *args: str) -> None:
    done = run_cli("--site", str(root), *args, env=EPOCH)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An essay published, then revised so that "quixotic" is only in its old version; built by the CLI."""
    root = write_site(tmp_path_factory.mktemp("search") / "site", {
        "posts/ordinance.md": post("The ordinance", "2026-11-01T09:00:00", BODY),
        "posts/other.md": post("Another essay", "2026-11-02T09:00:00", "Nothing about councils here.")})
    path = root / "posts/ordinance.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("quixotic", "hopeful"))
    cli(root, "revise", str(path), "--note", "A softer word.", "--at", "2026-11-03T09:00")
    cli(root, "build")
    return root


@pytest.fixture(scope="module")
def base_url(built: Path, tmp_path_factory: pytest.TempPathFactory):
    """The output served where base_url puts it: below /essays/."""
    www = tmp_path_factory.mktemp("www")
    (www / "essays").symlink_to(built / "output")
    with serving(www) as url:
        yield url + "/essays/"


def test_only_the_current_text_of_posts_is_marked_for_the_index(built: Path) -> None:
    out = built / "output"
    assert search.indexed(out)
    marked = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                    if "data-pagefind-body" in p.read_text())
    assert marked == ["ordinance/index.html", "other/index.html"]
    assert (out / "ordinance/v1/index.html").is_file() and (out / "ordinance/v2/changes/index.html").is_file()


def found(browser: Browser, url: str, words: str) -> tuple[str, list[str]]:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(url + "search/")
        page.wait_for_function("document.querySelector('.search-fallback').hidden")  # the index loaded
        page.fill("#search-words", words)
        page.wait_for_function("document.getElementById('search-status').textContent !== ''")
        return (page.text_content("#search-status") or "",
                [a.get_attribute("href") or "" for a in page.query_selector_all("#search-results a.search-title")])
    finally:
        page.close()


def test_the_search_page_finds_a_word_of_a_posts_current_text(browser: Browser, base_url: str) -> None:
    status, links = found(browser, base_url, "hopeful")
    assert status == "Essays that match:"
    assert links == ["/essays/ordinance/"]


def test_a_word_only_in_an_old_version_is_not_found(browser: Browser, base_url: str) -> None:
    status, links = found(browser, base_url, "quixotic")
    assert (status, links) == ("No essay matches.", [])


def test_the_box_to_follow_a_series_is_not_searched(browser: Browser, tmp_path: Path) -> None:
    """The newest part of an ongoing series ends with a box offering the series' feeds: the theme's words, not
    the essay's, so a search for them finds nothing, while the part's own words are found."""
    root = write_site(tmp_path / "site", {"posts/cities/series.toml": SERIES,
                                          "posts/cities/part-1.md": post("Introduction", part=1, body=BODY)})
    cli(root, "build")
    html = (root / "output/cities/part-1/index.html").read_text()
    assert '<section class="follow-series" aria-labelledby="part-end-follow" data-pagefind-ignore>' in html
    www = tmp_path / "www"
    www.mkdir()
    (www / "essays").symlink_to(root / "output")
    with serving(www) as url:
        assert found(browser, url + "/essays/", "quixotic") == ("Essays that match:", ["/essays/cities/part-1/"])
        for words in ("follow", "series feed"):
            assert found(browser, url + "/essays/", words) == ("No essay matches.", []), words


def test_without_javascript_the_form_leads_to_the_archive(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "search/")
    assert page.is_visible(".search-fallback")
    assert page.get_attribute(".search-fallback a", "href") == "/essays/archive/"
    page.fill("#search-words", "hopeful")
    page.click("button[type=submit]")
    assert page.url.startswith(base_url + "archive/")
    context.close()


def test_a_failed_index_leaves_the_last_output(tmp_path: Path) -> None:
    """Pagefind fails (a file stands where the new tree's index folder goes): the build stops with a message
    before the swap, and output/ is the last good site, with its index."""
    root = write_site(tmp_path / "site", {"posts/a.md": post("A", "2026-11-01T09:00:00", "First words.")})
    cli(root, "build")
    before = (root / "output/a/index.html").read_bytes()
    (root / "posts/a.md").write_text(post("A", "2026-11-01T09:00:00", "Second words."))
    (root / ".feuilleton-spare-output").mkdir(exist_ok=True)
    (root / ".feuilleton-spare-output" / search.FOLDER).write_text("in the way")
    done = run_cli("--site", str(root), "build", env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "cannot index the site for search: Pagefind failed" in done.stderr
    assert (root / "output/a/index.html").read_bytes() == before and search.indexed(root / "output")
    (root / ".feuilleton-spare-output" / search.FOLDER).unlink()
    cli(root, "build")  # the next build indexes the new text
    assert b"Second words." in (root / "output/a/index.html").read_bytes() and search.indexed(root / "output")


def test_a_build_without_the_index_leaves_none_and_the_next_build_makes_it(tmp_path: Path) -> None:
    """As under ``serve``: a build that changes the site but makes no index leaves none (never one of older
    pages), and the next ``build``, even with nothing else to do, makes it."""
    root = write_site(tmp_path / "site", {"posts/a.md": post("A", "2026-11-01T09:00:00", "First words.")})
    cli(root, "build")
    (root / "posts/a.md").write_text(post("A", "2026-11-01T09:00:00", "Second words."))
    build(root, index=False, persist=False)
    assert not (root / "output" / search.FOLDER).exists()
    cli(root, "build")
    assert search.indexed(root / "output")
    done = run_cli("--site", str(root), "build", env=EPOCH)  # nothing changed: the stamp holds, index and all
    assert done.returncode == 0 and search.indexed(root / "output")


def test_a_site_that_does_not_ask_for_search_has_no_index_page_or_link(tmp_path: Path) -> None:
    root = write_any_site(tmp_path / "site", {"posts/a.md": post("A", "2026-11-01T09:00:00", "First words.")})
    cli(root, "build")
    out = root / "output"
    assert not (out / search.FOLDER).exists() and not (out / "search").exists()
    assert "/essays/search/" not in (out / "index.html").read_text()
    assert not (root / ".feuilleton-cache" / "search").exists()


def test_an_index_of_the_same_pages_is_copied_from_the_cache_not_made_again(tmp_path: Path, monkeypatch) -> None:
    """A CI runner that restored the cache and starts without output/ gets the same index without Pagefind;
    a post whose text changed is indexed again."""
    root = write_site(tmp_path / "site", {"posts/a.md": post("A", "2026-11-01T09:00:00", "First words.")})
    build(root)
    made = {p.relative_to(root / "output"): p.read_bytes() for p in (root / "output" / search.FOLDER).rglob("*")
            if p.is_file()}
    shutil.rmtree(root / "output")
    calls = []
    monkeypatch.setattr(search.subprocess, "run", lambda *a, **k: calls.append(a))  # Pagefind cannot run
    build(root)
    again = {p.relative_to(root / "output"): p.read_bytes() for p in (root / "output" / search.FOLDER).rglob("*")
             if p.is_file()}
    assert calls == [] and again == made and search.indexed(root / "output")
    monkeypatch.undo()
    (root / "posts/a.md").write_text(post("A", "2026-11-01T09:00:00", "Second words, quite different."))
    build(root)
    assert search.indexed(root / "output")
    fresh = {p.relative_to(root / "output") for p in (root / "output" / search.FOLDER).rglob("*.pf_fragment")}
    assert fresh and fresh != {p for p in made if p.suffix == ".pf_fragment"}


def test_a_kept_index_holding_a_link_is_not_copied(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"posts/a.md": post("A", "2026-11-01T09:00:00", "First words.")})
    build(root)
    kept = root / ".feuilleton-cache" / "search" / search.FOLDER
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the site")
    (kept / "leak.txt").symlink_to(secret)
    shutil.rmtree(root / "output")
    build(root)  # the kept copy is refused: Pagefind indexes again
    assert search.indexed(root / "output") and not (root / "output" / search.FOLDER / "leak.txt").exists()


def test_a_post_where_the_index_goes_is_an_error_at_its_file(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"posts/pagefind.md": post("Finding pages", "2026-11-01T09:00:00", "Words.")})
    done = run_cli("--site", str(root), "build", env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("posts/pagefind.md:1: would be written to pagefind/index.html, inside "
                                  "pagefind/, where the search index goes"), done.stderr
    plain = write_any_site(tmp_path / "plain", {"posts/pagefind.md": post("Finding pages", "2026-11-01T09:00:00",
                                                                          "Words.")})
    cli(plain, "build")  # a site without search may have it
    assert (plain / "output/pagefind/index.html").is_file()


def test_a_static_file_where_the_index_goes_is_an_error_naming_it(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"posts/a.md": post("A", "2026-11-01T09:00:00", "Words."),
                                          "static/pagefind/old.js": "// left from another tool"})
    done = run_cli("--site", str(root), "build", env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "static/pagefind/old.js" in done.stderr and "where the search index goes" in done.stderr


def test_a_footnotes_way_back_is_not_searched(browser: Browser, tmp_path: Path) -> None:
    """The "↩" that leads from a footnote back to its mark is the page's furniture, not the essay's words."""
    body = "A claim about the ledger.[^1]\n\n[^1]: Zanzibar ledger, folio nine."
    root = write_site(tmp_path / "site", {"posts/essay.md": post("An essay", body=body)})
    cli(root, "build")
    www = tmp_path / "www"
    www.mkdir()
    (www / "essays").symlink_to(root / "output")
    with serving(www) as url:
        page = browser.new_page()
        try:
            page.goto(url + "/essays/search/")
            page.wait_for_function("document.querySelector('.search-fallback').hidden")
            page.fill("#search-words", "folio")
            page.wait_for_selector("#search-results .search-excerpt")
            excerpt = page.text_content("#search-results .search-excerpt") or ""
        finally:
            page.close()
    assert "folio nine" in excerpt and "↩" not in excerpt


def test_a_word_inside_japanese_text_is_found(browser: Browser, tmp_path: Path) -> None:
    """Japanese is written without spaces between words: Pagefind's extended build splits it."""
    config = config_with(search=True, language="ja")
    root = write_any_site(tmp_path / "site", {
        "posts/police.md": post("協力の拒否", "2026-11-01T09:00:00", "市は連邦警察への協力を拒否している。これは主権の問題である。"),
        "posts/other.md": post("別の話", "2026-11-02T09:00:00", "図書館の本は誰のものか。")}, config)
    done = run_cli("--site", str(root), "build", env=EPOCH)
    assert done.returncode == 0 and "search finds only whole runs" not in done.stderr, done.stderr
    www = tmp_path / "www"
    www.mkdir()
    (www / "essays").symlink_to(root / "output")
    with serving(www) as url:
        assert found(browser, url + "/essays/", "警察")[1] == ["/essays/police/"]
        assert found(browser, url + "/essays/", "図書館")[1] == ["/essays/other/"]


def test_without_the_extended_build_a_chinese_or_japanese_site_is_warned(monkeypatch) -> None:
    import sys
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)  # as if not installed
    said = search.splits_words({"en", "zh-Hant"}, "en")
    assert said is not None and "zh-Hant" in said and "pip install 'feuilleton[cjk]'" in said
    assert search.splits_words({"en", "fr"}, "en") is None
    monkeypatch.delitem(sys.modules, "pagefind_bin_extended")
    assert search.splits_words({"ja"}, "ja") is None  # installed here, as the test extras install it


def test_posts_whose_words_search_cannot_split_are_warned_of() -> None:
    """A Japanese post on an English site is indexed in English, which splits no Japanese (the extended
    build splits it only in a site indexed in Chinese or Japanese); Thai is split in none."""
    said = search.splits_words({"en", "ja"}, "en")
    assert said is not None and "in the posts in ja: every page is indexed in the search page's language (en)" in said
    assert search.splits_words({"zh-Hans", "ja"}, "zh-Hans") is None
    thai = search.splits_words({"en", "th"}, "en")
    assert thai is not None and "in th, which is written without spaces" in thai


def test_a_result_in_another_language_is_marked_with_its_language_and_direction(browser: Browser,
                                                                               tmp_path: Path) -> None:
    """On a German site, an Arabic post found: its title and excerpt are laid out right to left and read in
    Arabic (as every other list of the site marks them); a German one is left to the page's language."""
    root = write_any_site(tmp_path / "site", {
        "posts/rat.md": post("Der Stadtrat", "2026-11-01T09:00:00", "Der Stadtrat stimmte über die Satzung ab."),
        "posts/madina.md": post("المدن الملاذ", "2026-11-02T09:00:00", "صوّت المجلس على Satzung المدينة.",
                                language="ar")}, config_with(search=True, language="de"))
    cli(root, "build")
    www = tmp_path / "www"
    www.mkdir()
    (www / "essays").symlink_to(root / "output")
    with serving(www) as url:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url + "/essays/search/?q=Satzung")
        page.wait_for_function("document.querySelectorAll('#search-results li').length === 2")
        marks = page.eval_on_selector_all("#search-results li", "items => items.map(li => "
                                          "[li.querySelector('a').getAttribute('href'), li.lang, li.dir])")
        page.close()
    assert sorted(marks) == [["/essays/madina/", "ar", "rtl"], ["/essays/rat/", "", ""]]
