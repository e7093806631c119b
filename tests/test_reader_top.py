"""The top of a revised part, as a reader on a phone meets it, and the pages that show what changed.

The site is shaped like the essay Feuilleton was made for: Part 1 of 3 of a series, with long paragraphs
and a block quote, revised twice, given a three-paragraph update note that changes no word of the text,
and corrected once in silence.  Pages are opened in headless Chromium at a phone's 390 × 844 and a
desktop's width.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import CONFIG, NOW, SERIES, serving, write_site
from engine.build import build
from engine.commands.publish import publish
from engine.commands.revise import revise
from engine.config import load_config

SENTENCE = ("A city that declines to hold a person for federal agents does not thereby obstruct them, and the "
            "difference between the two is the whole of the argument that follows. ")
BODY = "\n\n".join([
    SENTENCE * 3 + "The question is older than the cities that ask it in the United States. It is not new.",
    "> No State shall be required to use its officers to carry out a federal program.",
    SENTENCE * 4 + "Three rights: speech, petition and the quiet refusal to assist.",
    "## What the statute says",
    SENTENCE * 5,
    SENTENCE * 3 + "To be continued in [Part 2](part:2).",
])
LONG_NOTE = ("Several readers asked whether the argument below survives the "
             "new executive order. It does, for the reasons the second part will set out.\n\n"
             + SENTENCE * 2 + "\n\n" + "The text below is unchanged; this note is the whole of the change.")


def seed_site(root: Path) -> Path:
    """The seed-shaped site in ``root``: Part 1 of 3 with three notes (one of three paragraphs, which adds
    nothing but itself) and a minor correction, and a post that was never revised."""
    write_site(root, {
        "posts/sanctuary-cities/series.toml": SERIES + '[[planned]]\npart = 2\ntitle = "The three statutes"\n'
                                              '[[planned]]\npart = 3\ntitle = "What cities may refuse"\n',
        "posts/sanctuary-cities/part-1.md": f"---\ntitle: \"Sanctuary cities and the limits of federal "
                                            f"commandeering\"\ndate: 2026-11-22T10:00:00\npart: 1\n---\n\n{BODY}\n",
        "posts/never-revised.md": "---\ntitle: A post never revised\ndate: 2026-11-20T10:00:00\n---\n\n"
                                  "Its one and only text.\n",
    }, CONFIG.replace("https://example.org/essays/", "https://example.org/"))  # served from the root
    config, _ = load_config(root)
    path = root / "posts/sanctuary-cities/part-1.md"
    publish(path, root, config, None, NOW)
    publish(root / "posts/never-revised.md", root, config, None, NOW)

    def edit(old: str, new: str) -> None:
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
    edit("in the United States. It is not new.",
         "in the United States (a claim the statute itself makes) and it is not new.")
    revise(path, root, config, "Corrected the history in the first paragraph.", "2026-11-24T09:00", False, NOW)
    edit("the whole of the argument that follows.", "the whole of the argument that folows.")
    revise(path, root, config, "Fixed a typo.", "2026-11-25T08:00", True, NOW)
    edit("Three rights: speech", "Three rights, speech")
    edit("folows.", "follows.")
    revise(path, root, config, "Tightened the list of rights in the third paragraph.", "2026-11-27T09:00", False, NOW)
    revise(path, root, config, LONG_NOTE, "2026-11-28T12:00", False, NOW)
    return root


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = seed_site(tmp_path_factory.mktemp("top") / "site")
    build(root, now=NOW)
    with serving(root / "output") as url:
        yield url, root / "output"


def opened(browser, url: str, width: int, height: int, scheme: str = "light") -> Page:
    page = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme).new_page()
    response = page.goto(url)
    assert response is not None and response.ok, url
    return page


PART = "/sanctuary-cities/part-1/"


@pytest.mark.slow
@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_with_three_notes_the_essay_starts_on_the_first_screen(browser, served, width: int, height: int) -> None:
    url, _ = served
    page = opened(browser, url + PART, width, height)
    assert page.locator(".revision-notes .note").count() == 3
    top = page.evaluate("document.querySelector('.essay > p').getBoundingClientRect().top")
    assert 0 < top < height - 40, f"the essay's first paragraph starts {top} px down at {width} × {height}"
    # and it is the essay: the first words of its first paragraph show on that screen
    first = page.locator(".essay > p").first
    assert first.text_content().startswith("A city that declines")


def page_html(output: Path, path: str) -> str:
    return (output / path.strip("/") / "index.html").read_text(encoding="utf-8")


def main_text(html: str) -> str:
    """The words a reader sees in the page's main content (or in a piece of a page)."""
    if "<main" in html:
        html = html[html.index("<main"):html.index("</main>")]
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_notes_are_dated_lines_and_the_long_one_opens_in_details(served) -> None:
    _, output = served
    html = page_html(output, PART)
    notes = html[html.index('<ul class="revision-notes">'):html.index('<div class="essay">')]
    folded = re.findall(r"<details>\s*<summary>(.*?)</summary>", notes, re.S)
    assert len(folded) == 1  # the three-paragraph note, and only it
    summary = " ".join(re.sub(r"<[^>]+>", "", folded[0]).split())
    assert summary.startswith("Update: November 28, 2026, 12:00 pm: Several readers asked whether")
    assert summary.endswith("…") and "The text below is unchanged" not in summary  # its first words only
    assert "The text below is unchanged; this note is the whole of the change." in notes  # the rest, one click away
    lines = main_text(notes)
    assert "Revised as of 9:00 am on November 27, 2026: Tightened the list of rights in the third paragraph. " \
           "— see what changed" in lines
    assert re.findall(r'href="([^"]+)"', notes) == ["/sanctuary-cities/part-1/v4/changes/",
                                                    "/sanctuary-cities/part-1/v2/changes/"]


def test_last_updated_leads_to_the_version_history(served) -> None:
    _, output = served
    html = page_html(output, PART)
    assert re.search(r'Last updated <a href="#history"><time datetime="[^"]+">November 28, 2026, 12:00 pm</time></a>',
                     html)
    assert html.count('id="history"') == 1 and '<section class="version-history" id="history"' in html


def test_a_post_never_revised_shows_no_history_of_one_version(served) -> None:
    _, output = served
    html = page_html(output, "/never-revised/")
    assert "version-history" not in html and "Read version 1" not in html and "First published." not in html
    assert "Last updated" not in html
    assert (output / "never-revised/v1/index.html").is_file()  # its permanent address stays


def test_an_old_version_says_how_many_times_it_was_revised_since(served) -> None:
    _, output = served
    words = main_text(page_html(output, PART + "v2/"))
    assert "This is an old version of this essay, from November 24, 2026, 9:00 am: it has been revised 3 times " \
           "since." in words
    html = page_html(output, PART + "v2/")
    start = html.index('class="old-version-banner"')
    banner = html[start:html.index("</div>", start)]
    assert '<a href="/sanctuary-cities/part-1/">Read the current version.</a>' in banner
    assert '<a href="/sanctuary-cities/part-1/v3/changes/">See what changed next</a>' in banner
    words = main_text(page_html(output, PART + "v4/"))
    assert "it has been revised 1 time since." in words
    assert "See what changed next" not in words  # version 5 only added its note


def test_a_revision_that_only_adds_a_note_links_to_no_page_of_what_changed(served) -> None:
    _, output = served
    target = "/sanctuary-cities/part-1/v5/changes/"
    for path in (PART, PART + "v4/", PART + "v5/", "/updates/", "/sanctuary-cities/part-1/changes/"):
        assert target not in page_html(output, path), path
    for feed in ("atom.xml", "feed.xml", "feed.json", "updates/atom.xml", "sanctuary-cities/atom.xml"):
        assert target not in (output / feed).read_text(encoding="utf-8"), feed
    html = page_html(output, PART)
    history = html[html.index('id="history"'):]
    version_5 = history[history.index('value="5"'):history.index("</li>", history.index('value="5"'))]
    assert "What changed" not in version_5 and "Read version 5" in version_5
    # an address a feed may have given out before still shows the note, with a way on
    old = page_html(output, target)
    assert "it adds only the note above" in main_text(old) and "<details open>" in old
    assert 'href="/sanctuary-cities/part-1/v4/changes/"' in old and 'href="/sanctuary-cities/part-1/"' in old


def test_the_first_version_compared_with_the_newest_on_one_page(served) -> None:
    _, output = served
    assert '<a href="/sanctuary-cities/part-1/changes/">Compare with the first version</a>' in page_html(output, PART)
    html = page_html(output, "/sanctuary-cities/part-1/changes/")
    words = main_text(html)
    assert "What changed in Sanctuary cities and the limits of federal commandeering since its first version" in words
    assert "From version 1 of November 22, 2026, 10:00 am to version 5 of November 28, 2026, 12:00 pm" in words
    diff = html[html.index('<div class="essay diff">'):]
    assert "inserted: </span>(a claim the statute itself makes)" in diff  # version 2's change
    assert 'rights<del class="mark"><span class="visually-hidden">deleted: </span>:</del><ins>' in diff  # version 4's
    assert "folows" not in diff  # a typo made and mended between them is no change
    assert '<meta name="robots" content="noindex">' in html  # as every page of what changed
    assert "/sanctuary-cities/part-1/changes/" not in (output / "sitemap.xml").read_text()
    assert "Compare with the first version" not in page_html(output, "/never-revised/")


@pytest.mark.slow
def test_the_first_change_shows_on_a_phones_first_screen(browser, served) -> None:
    url, _ = served
    page = opened(browser, url + PART + "v4/changes/", 390, 844)
    top = page.evaluate("document.querySelector('.essay.diff ins, .essay.diff del').getBoundingClientRect().top")
    assert 0 < top < 844 - 30, f"the first change is {top} px down"
    assert page.locator(".diff-chips .chip").all_text_contents() == ["added", "removed"]
    legend = page.locator("details.diff-legend")
    assert not legend.evaluate("d => d.open") and not page.get_by_text("Added words are underlined").is_visible()
    legend.locator("summary").click()
    assert page.get_by_text("Added words are underlined").is_visible()
    nav = page.locator("nav.changes-nav")
    assert nav.get_by_role("link", name="Older change").get_attribute("href") == PART + "v3/changes/"
    assert nav.get_by_role("link", name="Newer change").count() == 0  # version 5 only added its note
    assert nav.get_by_role("link", name="Back to the essay").get_attribute("href") == PART
    page = opened(browser, url + PART + "v2/changes/", 390, 844)
    nav = page.locator("nav.changes-nav")
    assert nav.get_by_role("link", name="Newer change").get_attribute("href") == PART + "v3/changes/"
    assert nav.get_by_role("link", name="Older change").count() == 0


@pytest.mark.slow
def test_on_paper_only_the_changed_paragraphs_print_and_a_deletion_is_struck_heavily(browser, served) -> None:
    url, _ = served
    page = opened(browser, url + PART + "v4/changes/", 1280, 900)
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('.essay.diff > *')]
        .filter(el => getComputedStyle(el).display !== 'none')
        .map(el => el.localName + ':' + el.textContent.slice(0, 30))""")
    assert shown == ["p:A city that declines to hold a"] * 2, shown  # the first and the third paragraph
    assert not page.locator("details.unchanged").first.is_visible()
    thickness = page.locator(".essay.diff del").first.evaluate(
        "d => parseFloat(getComputedStyle(d).textDecorationThickness)")
    assert thickness >= 2, thickness  # more than a hairline
    assert page.get_by_text("Added words are underlined").is_visible()  # the key, printed with the marks


LONG = "This whole sentence is new, and it runs on well past a line or two of the essay: " * 2
KEPT = ("The first words of a paragraph that stays much as it was, in a city that declines to hold anyone. ",
        "The last words of it, which stay as they were written in November.")


def test_a_long_insertion_is_marked_in_the_margin_not_underlined_line_by_line(tmp_path: Path, browser) -> None:
    from engine.text.diff import diff_html
    diff = diff_html(f"<p>{KEPT[0]}{KEPT[1]}</p>", f"<p>{KEPT[0]}{LONG}{KEPT[1]}</p>")
    assert '<ins class="long">' in diff.html
    short = diff_html("<p>The first words.</p>", "<p>The first two words.</p>")
    assert '<ins class="long">' not in short.html and "<ins>" in short.html
    root = write_site(tmp_path / "site", {"posts/a.md": "---\ntitle: A\ndate: 2026-11-01T09:00:00\n---\n\n"
                                                        f"{KEPT[0]}{KEPT[1]}\n"},
                      CONFIG.replace("https://example.org/essays/", "https://example.org/"))
    config, _ = load_config(root)
    path = root / "posts/a.md"
    publish(path, root, config, None, NOW)
    path.write_text(path.read_text().replace("The last words", LONG + "The last words"))
    revise(path, root, config, "Added a long sentence.", "2026-11-02T09:00", False, NOW)
    build(root, now=NOW)
    with serving(root / "output") as url:
        page = opened(browser, url + "/a/v2/changes/", 390, 844)
        long = page.locator(".essay.diff ins.long")
        assert long.evaluate("i => getComputedStyle(i).textDecorationLine") == "none"
        assert long.evaluate("i => getComputedStyle(i).backgroundColor") != "rgba(0, 0, 0, 0)"
        bar = long.evaluate("i => getComputedStyle(i.parentElement).borderInlineStartWidth")
        assert float(bar.removesuffix("px")) >= 3
        page.context.close()


@pytest.mark.slow
def test_with_eight_notes_the_older_ones_fold_and_the_essay_still_starts_on_a_phones_first_screen(
        browser, tmp_path: Path) -> None:
    """An essay revised every week: each note is a line of its own, and with eight the first paragraph sat
    below a phone's first screen.  The three newest show; the five before them fold into one line, opened
    to all of them in order."""
    root = write_site(tmp_path / "site", {
        "posts/weekly.md": "---\ntitle: A weekly essay\ndate: 2026-11-01T09:00:00\n---\n\n"
                           "First paragraph of the essay.\n\nSecond, round 0.\n"},
                      CONFIG.replace("https://example.org/essays/", "https://example.org/"))  # served from the root
    config, _ = load_config(root)
    path = root / "posts/weekly.md"
    publish(path, root, config, None, NOW)
    for week in range(1, 9):
        path.write_text(path.read_text().replace(f"round {week - 1}.", f"round {week}."))
        revise(path, root, config, f"Changed the second paragraph, round {week}.", f"2026-11-{week + 1:02d}T09:00",
               False, NOW)
    build(root, now=NOW)
    with serving(root / "output") as url:
        page = opened(browser, url + "/weekly/", 390, 844)
        top = page.evaluate("document.querySelector('.essay > p').getBoundingClientRect().top")
        assert 0 < top < 844 - 40, f"the essay's first paragraph starts {top} px down"
        visible = [text.strip() for text in page.locator(".revision-notes .note-text:visible").all_text_contents()]
        assert visible == [f"Changed the second paragraph, round {week}." for week in (8, 7, 6)]
        summary = page.locator(".earlier-notes summary")
        assert summary.text_content().strip() == "5 earlier updates"
        summary.click()
        visible = [text.strip() for text in page.locator(".revision-notes .note-text:visible").all_text_contents()]
        assert visible == [f"Changed the second paragraph, round {week}." for week in range(8, 0, -1)]
        paper = opened(browser, url + "/weekly/", 800, 1100)
        paper.emulate_media(media="print")  # a sheet opens nothing: every note is printed, and no fold's line
        printed = paper.evaluate("[...document.querySelectorAll('.revision-notes .note-text')]"
                                 ".filter(note => note.getClientRects().length).map(note => note.textContent.trim())")
        assert printed == visible and not paper.locator(".earlier-notes summary").is_visible()
