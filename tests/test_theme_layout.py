"""The theme's layout in headless Chromium, on a site made to strain it: a revised table too wide for a phone,
whose pages of what changed (one cell corrected, then a row added, then a column) must scroll where the keyboard can
reach; a tag name longer than a phone is wide;
and the link to what changed under a revision's note on the updates page."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import EPOCH, NOW, REPO, post, run_cli, serving, write_site
from engine.build import build

pytestmark = pytest.mark.slow  # a real browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
LONG_TAG = "Rechtsschutzversicherungsgesellschaften"
TABLE = """\
| Jurisdiction | Ordinance | Enforcement | Cooperation | Detainers | Notification | Litigation | Appropriations |
|---|---|---|---|---|---|---|---|
| Philadelphia | Sanctuary | Restricted | Declined | Unhonored | Withheld | Pending | Unchanged |
| Pittsburgh | Welcoming | Permitted | Accepted | Honored | Provided | Dismissed | Increased |
"""
WIDTHS = (390, 1280)


def cli(root: Path, *args: str) -> None:
    done = run_cli("--site", str(root), *args, env=EPOCH)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory):
    """An essay with a table of eight columns and a long tag, published, revised in one cell, built and served
    where base_url puts it (below /essays/)."""
    root = write_site(tmp_path_factory.mktemp("layout") / "site", {
        "posts/cities.md": post("Eight cities", "2026-11-01T09:00:00",
                                f"Before the table.\n\n{TABLE}\nAfter the table.", tags=f"[{LONG_TAG}, law]")})
    path = root / "posts/cities.md"
    cli(root, "publish", str(path))
    path.write_text(path.read_text().replace("| Permitted |", "| Forbidden |"))
    cli(root, "revise", str(path), "--note", "Pittsburgh forbids it now.", "--at", "2026-11-05T09:00")
    row = "| Harrisburg | Welcoming | Permitted | Accepted | Honored | Provided | Dismissed | Increased |\n"
    path.write_text(path.read_text().replace("\nAfter the table.", row + "\nAfter the table."))
    cli(root, "revise", str(path), "--note", "Harrisburg added.", "--at", "2026-11-06T09:00")
    text = path.read_text().replace("| Appropriations |", "| Appropriations | Year |").replace("|---|\n", "|---|---|\n")
    path.write_text(text.replace("| Increased |", "| Increased | 2016 |").replace("| Unchanged |", "| Unchanged | 2016 |"))
    cli(root, "revise", str(path), "--note", "The year of each ordinance.", "--at", "2026-11-07T09:00")
    path.write_text(path.read_text().replace("| Increased | 2016 |", "| Increased | 2017 |"))
    cli(root, "revise", str(path), "--note", "Pittsburgh's came a year later.", "--at", "2026-11-08T09:00")
    build(root, now=NOW)
    www = root.parent / "www"
    www.mkdir()
    (www / "essays").symlink_to(root / "output")
    with serving(www) as url:
        yield url + "/essays/"


@pytest.fixture
def page(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


RUN_AXE = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
    .flatMap(v => v.nodes.map(n => v.id + ": " + n.target.join(" ")))"""

SCROLLERS = """() => [...document.querySelectorAll('.essay.diff .table-wrap, .essay.diff .table-wrap table')]
    .filter(el => getComputedStyle(el).overflowX !== 'visible')
    .map(el => ({tag: el.localName, wider: el.scrollWidth > el.clientWidth, tabindex: el.getAttribute('tabindex')}))"""


def test_a_changed_cell_is_marked_in_its_table_which_scrolls_in_its_wrapper(page: Page, base_url: str) -> None:
    """One cell corrected: the table is shown once, the change marked in that cell."""
    page.goto(base_url + "cities/v2/changes/")
    page.add_script_tag(path=str(AXE))
    assert page.locator(".essay.diff .table-wrap table").count() == 1
    assert page.locator(".essay.diff .table-wrap :is(ins, del).block").count() == 0
    assert page.locator(".essay.diff td del").text_content() == "deleted: Permitted"
    assert page.locator(".essay.diff td ins").text_content() == "inserted: Forbidden"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(RUN_AXE) == [], width
        assert page.evaluate(SCROLLERS) == [{"tag": "div", "wider": True, "tabindex": "0"}], width


def test_a_row_added_is_marked_in_its_table_which_scrolls_in_its_wrapper(page: Page, base_url: str) -> None:
    """A row added: the table is shown once, the new row's cells marked inserted."""
    page.goto(base_url + "cities/v3/changes/")
    page.add_script_tag(path=str(AXE))
    assert page.locator(".essay.diff .table-wrap table").count() == 1
    assert page.locator(".essay.diff .table-wrap :is(ins, del).block").count() == 0
    assert page.locator(".essay.diff tr.ins-block td ins").count() == 8
    assert page.locator(".essay.diff tr.ins-block td").first.text_content() == "inserted: Harrisburg"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(RUN_AXE) == [], width
        assert page.evaluate(SCROLLERS) == [{"tag": "div", "wider": True, "tabindex": "0"}], width


def test_a_wide_table_replaced_whole_scrolls_in_its_focusable_wrapper(page: Page, base_url: str) -> None:
    """A column added: the old table and the new are shown whole, each scrolling in its wrapper."""
    page.goto(base_url + "cities/v4/changes/")
    page.add_script_tag(path=str(AXE))
    assert page.locator(".essay.diff .table-wrap > del.block > table").count() == 1  # the case: a table changed
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(RUN_AXE) == [], width
        assert page.evaluate(SCROLLERS) == [{"tag": "div", "wider": True, "tabindex": "0"}], width
        marks = page.evaluate("""() => [...document.querySelectorAll('.table-wrap > :is(ins, del)')].map(mark =>
            mark.getBoundingClientRect().width - mark.querySelector('table').getBoundingClientRect().width)""")
        assert len(marks) == 2 and all(0 <= m < 30 for m in marks), marks  # the mark's colour spans its table


def test_a_changed_cell_out_of_sight_in_its_table_does_not_widen_the_page(page: Page, base_url: str) -> None:
    """The last column's cell changed: what a screen reader hears before it ("deleted: "), placed out of sight,
    stays inside the table's box, which scrolls; before, the page itself panned sideways on a phone."""
    page.goto(base_url + "cities/v5/changes/")
    assert page.locator(".essay.diff td del").first.text_content() == "deleted: 2016"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth") <= 0


def test_a_long_tag_name_breaks_inside_its_pill_and_others_keep_one_line(page: Page, base_url: str) -> None:
    page.goto(base_url + "tags/")
    lines = """name => [...document.querySelectorAll('.tag-list a')].find(a => a.textContent === name)
        .getClientRects().length"""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        sideways = page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
        assert sideways <= 0, f"the tags page scrolls sideways by {sideways} px at {width} px"
        assert page.evaluate(lines, "law") == 1, width
        assert (page.evaluate(lines, LONG_TAG) > 1) == (width == 390), width  # broken only where it must be


def test_the_link_to_what_changed_is_the_size_of_the_note_above_it(page: Page, base_url: str) -> None:
    page.goto(base_url + "updates/")
    size = "selector => getComputedStyle(document.querySelector(selector)).fontSize"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        note, link = page.evaluate(size, ".update .note-body p"), page.evaluate(size, ".update .see-changes a")
        assert note == link, f"the note's text is {note} and its link {link} at {width} px"


COMPOUND = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"
"""A German statute's name: one word wider than a phone."""


def test_a_title_with_a_word_wider_than_a_phone_wraps_in_every_list_of_parts(browser: Browser,
                                                                              tmp_path: Path) -> None:
    """The archive, a series' contents (on its parts and its whole page) and the previous-part box wrap the
    word, as the post's heading does, rather than make the page scroll sideways."""
    root = write_site(tmp_path / "site", {
        "posts/law/series.toml": 'title = "Labels"\n',
        "posts/law/part-1.md": post(f"Das {COMPOUND}", "2026-11-01T09:00:00", "One.", part=1),
        "posts/law/part-2.md": post("After it", "2026-11-02T09:00:00", "Two.", part=2)})
    build(root, now=NOW)
    www = tmp_path / "www"
    www.mkdir()
    (www / "essays").symlink_to(root / "output")
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    with serving(www) as url:
        for path in ("archive/", "law/part-1/", "law/part-2/", "law/all/"):
            page.goto(f"{url}/essays/{path}")
            assert COMPOUND in page.content(), path
            sideways = page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
            assert sideways <= 0, f"/{path} scrolls sideways by {sideways} px at 390 px"
    context.close()
