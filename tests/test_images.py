"""The site's own images get their width and height from the file, so that the page keeps their place while
they load (``engine/site/images.py``); other images are left as the author wrote them."""
from __future__ import annotations

import lxml.html

from conftest import NOW, png, post
from engine.build import build
from engine.site.images import local_sizes, sized

BODY = """\
![A map](../img/map.png)

![The same map](/essays/img/map.png)

<img src="/essays/img/map.png" width="100" alt="Sized by hand">

![Elsewhere](https://example.com/far.png) and ![Missing](/essays/img/none.png)
"""


def test_an_essays_own_images_get_their_size_from_the_file(site) -> None:
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", BODY),
                 "static/img/map.png": png(640, 360)})
    build(root, now=NOW)
    images = {img.get("alt"): img for img in lxml.html.fromstring(
        (root / "output/essay/index.html").read_bytes()).iter("img")}
    assert (images["A map"].get("width"), images["A map"].get("height")) == ("640", "360")
    assert images["A map"].get("src") == "/essays/img/map.png"
    assert (images["The same map"].get("width"), images["The same map"].get("height")) == ("640", "360")
    assert images["Sized by hand"].get("width") == "100" and images["Sized by hand"].get("height") is None
    assert images["Elsewhere"].get("width") is None and images["Missing"].get("width") is None


def test_an_image_in_raw_html_gets_its_size_however_its_tag_is_spelled(site) -> None:
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", '<Img SRC="/essays/img/map.png" alt="Raw">'),
                 "static/img/map.png": png(64, 32)})
    build(root, now=NOW)
    img = lxml.html.fromstring((root / "output/essay/index.html").read_bytes()).find(".//img")
    assert (img.get("alt"), img.get("width"), img.get("height")) == ("Raw", "64", "32")


def test_a_changed_image_changes_the_size_the_page_gives(site) -> None:
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", "![A map](/essays/img/map.png)"),
                 "static/img/map.png": png(64, 32)})
    build(root, now=NOW)
    (root / "static/img/map.png").write_bytes(png(32, 64))
    build(root, now=NOW)
    img = lxml.html.fromstring((root / "output/essay/index.html").read_bytes()).find(".//img")
    assert (img.get("width"), img.get("height")) == ("32", "64")


def test_sizes_are_read_only_inside_the_static_folder(tmp_path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (tmp_path / "secret.png").write_bytes(png(5, 5))
    (static / "a.png").write_bytes(png(7, 3))
    html = '<p><img src="/a.png" alt=""><img src="/../secret.png" alt=""><img src="/a.png" height="2"></p>'
    sizes = local_sizes(html, "/", static)
    assert sizes == {"/a.png": (7, 3)}
    assert sized(html, sizes) == ('<p><img src="/a.png" alt="" width="7" height="3"><img src="/../secret.png" alt="">'
                                  '<img src="/a.png" height="2"></p>')


def test_an_svgs_size_is_given_in_whole_pixels(site) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10.4" height="20"><rect width="10" height="20"/></svg>'
    root = site({"posts/essay.md": post("An essay", "2026-11-01T09:00:00", "![A bar](/essays/img/bar.svg)"),
                 "static/img/bar.svg": svg})
    build(root, now=NOW)
    img = lxml.html.fromstring((root / "output/essay/index.html").read_bytes()).find(".//img")
    assert (img.get("width"), img.get("height")) == ("10", "20")
