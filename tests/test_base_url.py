"""``build --base-url URL``: a build for another address (a deploy preview) links, feeds and canonical
links there, and the next plain build is back at config.toml's address."""
from __future__ import annotations

import feedparser
import pytest

from tests.conftest import EPOCH, post, run_cli

PREVIEW = "https://deploy-preview-7.example.net/"


@pytest.mark.slow
def test_a_preview_build_points_everything_at_its_address_and_the_next_build_undoes_it(site) -> None:
    root = site({"posts/essay.md": post("Essay", body="Text with [a link](other/).")})
    done = run_cli("build", "--base-url", PREVIEW.rstrip("/"), cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    out = root / "output"
    html = (out / "essay/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PREVIEW}essay/">' in html
    assert "example.org" not in html
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.entries[0].link == f"{PREVIEW}essay/"
    assert feedparser.parse((out / "atom.xml").read_bytes()).feed.link == PREVIEW
    assert f"Sitemap: {PREVIEW}sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")

    again = run_cli("build", cwd=root, env=EPOCH)  # not "nothing changed": the output is the preview's
    assert again.returncode == 0, again.stderr
    html = (out / "essay/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/essays/essay/">' in html
    assert PREVIEW not in (out / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("url", ["ftp://example.net/", "/relative/", "https://example.net/?x=1", "example.net"])
def test_a_base_url_that_is_no_sites_root_is_refused(site, url: str) -> None:
    root = site({"posts/essay.md": post("Essay")})
    done = run_cli("build", "--base-url", url, cwd=root)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--base-url" in done.stderr and "as config.toml's base_url" in done.stderr
    assert not (root / "output").exists()


def test_an_old_versions_links_from_the_domains_root_lead_into_the_site(site) -> None:
    """Version 1 wrote ``/img/map.png`` on a site at /essays/; the author mended the text and revised, but a
    recorded version is never rewritten: its page reads those links from the site's root."""
    root = site({"posts/essay.md": post("Essay", body="See ![the map](/img/map.png) and [the other](/other/)."),
                 "posts/other.md": post("Other"), "static/img/map.png": b"\x89PNG\r\n\x1a\n"})
    assert run_cli("publish", "posts/essay.md", cwd=root, env=EPOCH).returncode == 0
    essay = root / "posts/essay.md"
    mended = essay.read_text(encoding="utf-8").replace("(/img/", "(../img/").replace("(/other/)", "(../other/)")
    essay.write_text(mended, encoding="utf-8")
    assert run_cli("revise", "posts/essay.md", "--note", "Mended the links.", cwd=root, env=EPOCH).returncode == 0
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0 and "leaves the site" not in done.stderr, done.stderr
    old = (root / "output/essay/v1/index.html").read_text(encoding="utf-8")
    assert 'src="/essays/img/map.png"' in old and 'href="/essays/other/"' in old
    assert 'src="/img/' not in old and 'href="/other/"' not in old
