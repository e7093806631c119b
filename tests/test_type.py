"""The theme's type and small things in a real browser: the text face ships as subset WOFF2 with its licence,
loads without shifting the layout (even when it arrives late), and the site has a favicon."""
from __future__ import annotations

import time

import pytest
from fontTools.ttLib import TTFont
from playwright.sync_api import Browser, Route

from conftest import REPO, built_example, serving

pytestmark = pytest.mark.slow  # a real browser

PART = "/lending-the-digital-shelf/part-1/"
FONTS = REPO / "engine/theme/static/fonts"
CLS = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
        .observe({type: "layout-shift", buffered: true});
    document.fonts.ready.then(() => setTimeout(() => resolve(total), 1500));
})"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory):
    with serving(built_example(tmp_path_factory.mktemp("type") / "site")) as url:
        yield url


def test_the_text_face_is_subset_woff2_renamed_with_its_licence_beside_it() -> None:
    faces = sorted(FONTS.glob("*.woff2"))
    assert [f.name for f in faces] == [f"feuilleton-text-{s}.woff2" for s in ("bold-italic", "bold", "italic", "regular")]
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text()
    for face in faces:
        assert face.stat().st_size < 40_000, face  # subset: the whole Charis SIL is 750 KB a style
        font = TTFont(face)
        assert font.flavor == "woff2"
        assert font["name"].getDebugName(1) == "Feuilleton Text"  # "Charis" and "SIL" are reserved names
        assert 0x00E9 in font.getBestCmap() and 0x2019 in font.getBestCmap() and 0x0628 not in font.getBestCmap()


def measure(browser: Browser, url: str, delay: float) -> tuple[float, list[str]]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()

    def late(route: Route) -> None:
        time.sleep(delay)
        route.continue_()
    page.route("**/*.woff2", late)
    page.goto(url + PART, wait_until="load")
    shift = page.evaluate(CLS)
    used = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    context.close()
    return shift, used


def test_the_part_page_does_not_shift_when_the_face_arrives_in_time(browser: Browser, base_url: str) -> None:
    shift, used = measure(browser, base_url, 0)
    assert "Feuilleton Text" in used  # preloaded: the face is there for the first paint
    assert shift == 0


def test_the_part_page_does_not_shift_when_the_face_arrives_late(browser: Browser, base_url: str) -> None:
    """font-display: optional: a face that comes after the first paint is not swapped in."""
    shift, _ = measure(browser, base_url, 0.8)
    assert shift == 0


def test_every_page_names_the_favicon_and_it_is_there(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + PART)
    icon = page.get_attribute('link[rel="icon"]', "href")
    assert icon == "/theme/favicon.svg"
    response = page.request.get(base_url + icon)
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
    assert page.get_attribute('link[rel="preload"][as="font"]', "href") == "/theme/fonts/feuilleton-text-regular.woff2"
    page.close()
