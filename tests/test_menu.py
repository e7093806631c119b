"""``[[menu]]`` in config.toml: links added to the site's navigation on every page, the current one
marked ``aria-current="page"``; entries checked with their lines."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BROWSER_ARGS, CHROMIUM, CONFIG, NOW, post, serving
from engine.build import build
from engine.config import load_config

ABOUT = "---\ntitle: \"About\"\nlayout: page\n---\n\nWho writes here.\n"
MENU = CONFIG + """
[[menu]]
title = "About"
url = "/about/"

[[menu]]
title = "Contact"
url = "posts/contact.md"

[[menu]]
title = "Elsewhere"
url = "https://elsewhere.example.net/me"
"""


def _nav(html: str) -> list[tuple[str, str, bool]]:
    """``(title, href, current)`` of each link in the site navigation."""
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    return [(title, href, bool(current)) for href, current, title in
            re.findall(r'<a href="([^"]*)"( aria-current="page")?[^>]*>([^<]*)</a>', nav)]


def test_menu_entries_are_read_with_their_lines(site) -> None:
    config, warnings = load_config(site({}, config=MENU))
    assert [(e.title, e.url, e.line) for e in config.menu] == [
        ("About", "/about/", 9), ("Contact", "posts/contact.md", 13), ("Elsewhere", "https://elsewhere.example.net/me", 17)]
    assert warnings == []


def test_a_site_without_a_menu_has_the_navigation_it_had(site) -> None:
    root = site({"posts/essay.md": post("Essay")})
    build(root, now=NOW)
    titles = [title for title, _, _ in _nav((root / "output/index.html").read_text(encoding="utf-8"))]
    assert titles == ["Home", "Series", "Archive", "Updates", "Tags"]


def test_menu_links_are_on_every_page_and_mark_the_current_one(site) -> None:
    root = site({"posts/about.md": ABOUT, "posts/contact.md": ABOUT.replace("About", "Write to me"),
                 "posts/essay.md": post("Essay")}, config=MENU)
    result = build(root, now=NOW)
    assert not result.warnings
    out = root / "output"
    menu = [("About", "/essays/about/"), ("Contact", "/essays/contact/"),
            ("Elsewhere", "https://elsewhere.example.net/me")]
    for page in ("index.html", "essay/index.html", "archive/index.html", "404.html", "contact/index.html"):
        links = _nav((out / page).read_text(encoding="utf-8"))
        assert [(t, h) for t, h, _ in links][-3:] == menu, page
    about = _nav((out / "about/index.html").read_text(encoding="utf-8"))
    assert [t for t, _, current in about if current] == ["About"]
    contact = _nav((out / "contact/index.html").read_text(encoding="utf-8"))
    assert [t for t, _, current in contact if current] == ["Contact"]


@pytest.mark.parametrize("language", ["pt", "es", "en"])
def test_the_404_page_lists_the_menu_as_the_author_named_it(site, language: str) -> None:
    """Woven into "Try the home page, …, about or lisboa", the menu's names were lowered and joined into a
    sentence they are no words of (a Spanish "o otoño" wanted "u")."""
    config = MENU.replace("timezone", f'language = "{language}"\ntimezone', 1).replace('"Contact"', '"Otoño"')
    root = site({"posts/about.md": ABOUT, "posts/contact.md": ABOUT.replace("About", "Write to me"),
                 "posts/essay.md": post("Essay")}, config=config)
    build(root, now=NOW)
    page = (root / "output" / "404.html").read_text(encoding="utf-8")
    listed = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', page.split('class="not-found-links"')[1])
    assert listed[-3:] == [("/essays/about/", "About"), ("/essays/contact/", "Otoño"),
                           ("https://elsewhere.example.net/me", "Elsewhere")]
    assert "otoño" not in page and "about" not in page.split("<h1")[1].split("not-found-links")[0]


def test_a_menu_entry_that_leads_nowhere_is_a_warning_with_its_line(site) -> None:
    config = CONFIG + '\n[[menu]]\ntitle = "Gone"\nurl = "/abuot/"\n\n[[menu]]\ntitle = "Draft"\nurl = "about.md"\n'
    root = site({"posts/about.md": ABOUT.replace("layout: page", "layout: page\ndraft: true")}, config=config)
    result = build(root, now=NOW)
    assert [(w.path, w.line, w.warning) for w in result.warnings] == [("config.toml", 9, True), ("config.toml", 13, True)]
    assert "/abuot/ is no page of the site" in result.warnings[0].message
    assert "about.md is no post this build shows" in result.warnings[1].message
    titles = [t for t, _, _ in _nav((root / "output/index.html").read_text(encoding="utf-8"))]
    assert titles[-1] == "Gone" and "Draft" not in titles


@pytest.mark.slow
def test_the_current_menu_link_is_marked_and_fits_at_phone_and_desktop_widths(site, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright
    root = site({"posts/about.md": ABOUT, "posts/contact.md": ABOUT, "posts/essay.md": post("Essay")}, config=MENU)
    build(root, now=NOW)
    with serving(root / "output") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(f"{base}/about/")
            link = page.locator('.site-nav a[aria-current="page"]')
            assert link.inner_text() == "About"
            box = link.bounding_box()
            assert box and 0 <= box["x"] and box["x"] + box["width"] <= width  # not cut off on a phone
            page.close()
        browser.close()
