"""Pages on paper, printed by headless Chromium to PDF and read back with pypdf: the page's own address and
the addresses of the next part, the series' contents and the versions are printed; the history's dots stay
inside the page; no sheet holds the author's bio alone."""
from __future__ import annotations

import io

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from conftest import NOW, built_example, post, serving, write_site
from engine.build import build

pytestmark = pytest.mark.slow  # a real browser

PART = "/lending-the-digital-shelf/part-1/"
ORIGIN = "https://essays.example.org"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    with serving(built_example(tmp_path_factory.mktemp("print") / "site")) as url:
        yield url


def sheets(browser: Browser, url: str) -> list[str]:
    page = browser.new_page()
    page.goto(url)
    pdf = page.pdf(format="A4")
    page.close()
    return [" ".join(sheet.extract_text().split()) for sheet in PdfReader(io.BytesIO(pdf)).pages]


def test_a_printed_part_gives_its_address_and_those_of_its_links(browser: Browser, example: str) -> None:
    text = "".join(sheets(browser, example + PART)).replace(" ", "")  # a long address breaks across lines
    assert text.startswith(f"TheLongMargin{ORIGIN}{PART}Thelicenseisnotabook")
    assert f"Exhaustionwithoutanobject({ORIGIN}/lending-the-digital-shelf/part-2/)" in text  # the next part
    assert f"({ORIGIN}/lending-the-digital-shelf/)" in text  # the series' contents
    assert f"({ORIGIN}/lending-the-digital-shelf/part-1/v1/)" in text  # a version in the history
    assert f"({ORIGIN}/lending-the-digital-shelf/part-1/v3/changes/)" in text  # what changed in it
    assert "audiobooks." in text and "audiobooks.—" not in text  # a short note's hidden link leaves no dash


@pytest.mark.parametrize("path", ["v1/", "v3/changes/", "changes/"])
def test_an_old_version_and_a_page_of_what_changed_print_their_own_address(browser: Browser, example: str,
                                                                           path: str) -> None:
    """Not the essay's, which their canonical link names: the printout is of this version, or of this change."""
    text = "".join(sheets(browser, example + PART + path)).replace(" ", "")
    assert text.startswith(f"TheLongMargin{ORIGIN}{PART}{path}"), text[:120]


def test_the_historys_dots_lie_inside_the_printed_page(browser: Browser, example: str) -> None:
    page = browser.new_page()
    page.goto(example + PART)
    page.emulate_media(media="print")
    lefts = page.evaluate("""() => [...document.querySelectorAll('ol.history > li')].map(li => {
        const dot = getComputedStyle(li, '::before');
        return li.getBoundingClientRect().left + parseFloat(dot.insetInlineStart || dot.left)
            - li.closest('main').getBoundingClientRect().left; })""")
    page.close()
    assert lefts and min(lefts) >= 0


@pytest.fixture(scope="module")
def long_posts(tmp_path_factory: pytest.TempPathFactory):
    """Essays of 10 to 29 paragraphs: some end near the foot of a sheet, where a bio after them went over."""
    paragraph = "The ordinance asks the city's officers to decline a detainer request. " * 6
    files = {f"posts/essay-{n}.md": post(f"Essay {n}", f"2026-10-{n - 9:02d}T09:00:00", "\n\n".join([paragraph] * n))
             for n in range(10, 30)}
    root = write_site(tmp_path_factory.mktemp("long") / "site", files)
    build(root, now=NOW)
    www = root.parent / "www"
    www.mkdir()
    (www / "essays").symlink_to(root / "output")  # served where base_url puts it, style sheet and all
    with serving(www) as url:
        yield url


def test_no_printed_sheet_holds_the_bio_alone(browser: Browser, long_posts: str) -> None:
    for n in range(10, 30):
        printed = sheets(browser, f"{long_posts}/essays/essay-{n}/")
        bio_sheets = [s for s in printed if "immigration lawyer in New York" in s]
        assert len(bio_sheets) == 1, n
        assert "The ordinance asks" in bio_sheets[0], (n, bio_sheets[0])  # never on a sheet of its own
        assert all(printed), n  # and no sheet left blank


def test_the_whole_series_on_paper_begins_each_part_on_a_sheet(browser: Browser, example: str) -> None:
    printed = sheets(browser, example + "/lending-the-digital-shelf/all/")
    starts = [i for i, sheet in enumerate(printed) if sheet.startswith(("PART 1", "PART 2"))]
    assert len(starts) == 2 and starts[0] >= 1, [sheet[:60] for sheet in printed]  # after the contents
    text = "".join(printed).replace(" ", "")
    assert f"Thispartonitsownpage({ORIGIN}/lending-the-digital-shelf/part-2/)" in text
    assert "EPUB" not in text and "Backtothecontents" not in text  # of no use on paper
