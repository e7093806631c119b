"""Accessibility of the example site in a real browser: axe-core, the keyboard, screen readers.

The example site is built once, served over real HTTP on 127.0.0.1 and opened
in headless Chromium.  Every page type is audited by axe-core in the light
and the dark colour scheme, at a phone's width and a desktop's; the post page
is walked with the Tab key; the what-changed page is read the way a screen
reader reads it.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from conftest import REPO, built_example, serving

pytestmark = pytest.mark.slow  # a real browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

PART_1 = "/lending-the-digital-shelf/part-1/"
CHANGES = PART_1 + "v3/changes/"
PAGES = {
    "home": "/",
    "post with notes": PART_1,
    "old version": PART_1 + "v1/",
    "what changed": CHANGES,
    "what changed since the first version": PART_1 + "changes/",
    "series": "/lending-the-digital-shelf/",
    "whole series": "/lending-the-digital-shelf/all/",
    "series index": "/series/",
    "archive": "/archive/",
    "tag": "/tags/copyright/",
    "tags index": "/tags/",
    "updates": "/updates/",
    "search": "/search/",
    "404": "/404.html",
}
MODES = [(scheme, width) for scheme in ("light", "dark") for width in (390, 1280)]

RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map(v => ({id: v.id, help: v.help,
        targets: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\\s+/g, " "))}));
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory):
    """The example site, built with the tests' clock and served on 127.0.0.1."""
    with serving(built_example(tmp_path_factory.mktemp("a11y") / "site")) as url:
        yield url


@pytest.fixture
def page(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def audit(page: Page) -> list[str]:
    """axe-core's violations on the page as it stands, one line per failing element."""
    return [f"{v['id']} ({v['help']}): {target}" for v in page.evaluate(RUN_AXE) for target in v["targets"]]


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations_in_any_scheme_or_width(page: Page, base_url: str, name: str) -> None:
    response = page.goto(base_url + PAGES[name])
    assert response is not None and response.ok, name
    page.add_script_tag(path=str(AXE))
    assert page.evaluate("typeof axe.run") == "function"
    if name.startswith("what changed"):  # audit the folded, unchanged paragraphs too
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    backgrounds = {}
    for scheme, width in MODES:
        page.emulate_media(color_scheme=scheme)
        page.set_viewport_size({"width": width, "height": 900})
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        violations = audit(page)
        assert violations == [], f"{name} ({PAGES[name]}), {scheme} scheme, {width} px:\n" + "\n".join(violations)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {width} px ({scheme})"
    assert backgrounds["light"] != backgrounds["dark"], "the dark colour scheme did not apply"


FOCUSABLE = """() => {
    const all = document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]');
    const shown = [...all].filter(el => el.tabIndex >= 0 && !el.closest('details:not([open]) > :not(summary)')
        && (el.getClientRects().length > 0 || el.classList.contains('skip-link')));
    shown.forEach((el, i) => el.dataset.focusIndex = String(i));
    return shown.length;
}"""

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    return {index: el.dataset.focusIndex ?? null, text: (el.textContent || '').trim().slice(0, 60),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
            footer: !!el.closest('.site-footer'), href: el.getAttribute('href')};
}"""


def test_skip_link_is_the_first_stop_and_moves_to_main(page: Page, base_url: str) -> None:
    page.goto(base_url + PART_1)
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first is not None and first["text"] == "Skip to content" and first["href"] == "#content", first
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0, "the focused skip link is off screen"
    assert first["outline"], "the focused skip link shows no focus outline"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#content'")
    top = page.evaluate("document.getElementById('content').getBoundingClientRect().top")
    assert abs(top) <= 2, f"main starts {top} px from the top after skipping"
    page.keyboard.press("Tab")
    inside = page.evaluate("!!document.activeElement.closest('main')")
    assert inside, "the Tab after the skip link does not continue inside main"


def test_every_link_on_the_post_page_is_reached_by_tab_with_a_visible_focus(page: Page, base_url: str) -> None:
    page.goto(base_url + PART_1)
    expected = page.evaluate(FOCUSABLE)
    assert expected > 40  # nav, notes, essay links, footnotes, table of contents, history, feeds
    reached: list[dict] = []
    for _ in range(expected + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (reached and focused["index"] == reached[0]["index"]):
            break
        reached.append(focused)
    indexes = [f["index"] for f in reached]
    assert None not in indexes, f"Tab stopped on something that is not a visible control: {reached}"
    assert indexes == [str(i) for i in range(expected)], "Tab does not visit every control in document order"
    assert [f["text"] for f in reached if f["footer"]] == ["RSS feed of The Long Margin", "Atom feed of The Long Margin",
                                                          "JSON feed of The Long Margin"]
    assert all(f["outline"] for f in reached), [f["text"] for f in reached if not f["outline"]]


LABELS = """() => [...document.querySelectorAll('.essay.diff ins, .essay.diff del')].map(el => {
    const first = el.firstChild;
    const label = first && first.nodeType === 1 && first.matches('span.visually-hidden') ? first : null;
    const box = label ? label.getBoundingClientRect() : null;
    return {tag: el.localName, label: label ? label.textContent : null,
            hidden: !!box && box.width <= 1 && box.height <= 1, words: el.textContent.trim()};
})"""


def test_every_insertion_and_deletion_is_announced(page: Page, base_url: str) -> None:
    page.goto(base_url + CHANGES)
    marks = page.evaluate(LABELS)
    assert {m["tag"] for m in marks} == {"ins", "del"}
    expected = {"ins": "inserted: ", "del": "deleted: "}
    wrong = [m for m in marks if m["label"] != expected[m["tag"]] or not m["hidden"]]
    assert wrong == [], wrong
    assert all(len(m["words"]) > len(m["label"]) for m in marks), "a change mark has a label but no words"


def test_a_changed_paragraph_reads_as_deleted_and_inserted_words(page: Page, base_url: str) -> None:
    page.goto(base_url + CHANGES)
    paragraph = page.locator(".essay.diff p", has_text="It would be convenient to treat all this")
    assert paragraph.count() == 1
    tree = paragraph.aria_snapshot()
    assert 'deletion: "deleted: exhausts"' in tree, tree
    assert 'insertion: "inserted: limits"' in tree, tree
    assert tree.index("deleted: exhausts") < tree.index("inserted: limits")


def test_on_paper_links_print_whole_and_added_words_do_not_look_like_links(page: Page, base_url: str) -> None:
    page.emulate_media(media="print")
    page.goto(base_url + PART_1)
    printed = page.locator('.essay a[href^="/"]').first.evaluate("a => getComputedStyle(a, '::after').content")
    # the address with its brackets in a left-to-right isolate (U+2066 … U+2069), for pages in Arabic or Hebrew
    assert printed == '" \u2066(https://essays.example.org/lending-the-digital-shelf/part-2/)\u2069"'
    page.goto(base_url + CHANGES)
    assert page.locator(".diff-legend").is_visible()  # the key to the marks is printed with them
    style = """e => { const s = getComputedStyle(e);
        return [s.fontWeight, s.textDecorationLine, s.textDecorationStyle].join(" "); }"""
    inserted = page.locator(".essay.diff ins:not(.block)").first.evaluate(style)
    link = page.locator(".essay.diff a[href]").first.evaluate(style)
    assert inserted != link
    assert inserted.startswith("700 underline double"), inserted
