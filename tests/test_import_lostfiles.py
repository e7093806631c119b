"""The files a post's earlier versions link, read from the commits those versions came from (``lostfiles.py``):
a real repository made here, imported, built, and each old version's page checked to show the bytes its commit
held.  The repository helpers are ``test_import_history``'s."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EPOCH, run_cli, write_site
from engine.cli import main
from engine.importing.lostfiles import fingerprinted
from test_import_history import _blog, commit, git

pytestmark = pytest.mark.slow  # each test makes a repository and builds the site


def _static(site: Path) -> dict[str, bytes]:
    static = site / "static"
    return {p.relative_to(static).as_posix(): p.read_bytes() for p in static.rglob("*") if p.is_file()}


def _built(site: Path, page: str) -> str:
    built = run_cli("build", cwd=site, env=EPOCH)
    assert built.returncode == 0, built.stderr
    return (site / "output" / page / "index.html").read_text()


LONGER = "No pictures any more, and a longer sentence so that this is a revision with enough words changed.\n"


def test_a_relative_link_of_an_earlier_pelican_version_to_a_file_deleted_since_is_copied(tmp_path: Path) -> None:
    """``images/r.png`` in an article at ``/essay.html`` was ``/images/r.png``; once deleted, the old version
    linked ``images/r.png`` from its new address, and nothing was copied or said."""
    blog = _blog(tmp_path)
    head = "Title: Essay\nDate: 2020-01-01\nSlug: essay\n\n"
    commit(blog, {"pelicanconf.py": 'SITENAME = "Blog"\nPATH = "content"\nSTATIC_PATHS = ["images"]\n'
                                    'ARTICLE_URL = "{slug}.html"\nARTICLE_SAVE_AS = "{slug}.html"\n',
                  "content/images/r.png": "PNG red", "content/essay.md": head + "A chart: ![r](images/r.png)\n"},
           "essay", "2020-01-01T10:00:00Z")
    git(blog, "rm", "-q", "content/images/r.png")
    commit(blog, {"content/essay.md": head + LONGER}, "drop the chart", "2020-03-01T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(blog)]) == 0
    assert _static(site) == {"images/r.png": b"PNG red"}
    assert "![r](/essays/images/r.png)" in (site / "posts/essay.versions/v1.md").read_text()
    assert '<img src="/essays/images/r.png"' in _built(site, "essay/v1")
    assert (site / "output/images/r.png").read_bytes() == b"PNG red"


def test_relative_links_of_an_earlier_jekyll_version_are_read_from_the_posts_old_address(tmp_path: Path) -> None:
    """With ``permalink: /:title/``, ``../images/a.png`` and ``pics/b.png`` in ``/essay/`` were ``/images/a.png``
    and ``/essay/pics/b.png``.  Jekyll's reader read no relative link at all: the post's own were reported
    missing, and an old version's, to files deleted since, led nowhere without a word.  A draft, which had no
    address, keeps its relative links as written."""
    blog = _blog(tmp_path)
    head = "---\ntitle: Essay\ndate: 2020-01-01\n---\n"
    commit(blog, {"_config.yml": "title: Blog\npermalink: /:title/\n", "images/a.png": "PNG a",
                  "essay/pics/b.png": "PNG b", "images/kept.png": "PNG kept",
                  "_posts/2020-01-01-essay.md": head + "up ![a](../images/a.png) down ![b](pics/b.png)\n",
                  "_drafts/plan.md": "---\ntitle: Plan\n---\nSee ![p](pics/p.png)\n"},
           "essay", "2020-01-01T10:00:00Z")
    git(blog, "rm", "-rq", "images/a.png", "essay")
    commit(blog, {"_posts/2020-01-01-essay.md": head + LONGER + "\n![k](../images/kept.png)\n"}, "drop",
           "2020-03-01T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(blog)]) == 0
    assert _static(site) == {"images/a.png": b"PNG a", "essay/pics/b.png": b"PNG b", "images/kept.png": b"PNG kept"}
    assert "![k](/essays/images/kept.png)" in (site / "posts/essay.md").read_text()
    assert "See ![p](pics/p.png)" in (site / "posts/plan.md").read_text()  # a draft had no address on the old site
    page = _built(site, "essay/v1")
    assert '<img src="/essays/images/a.png"' in page and '<img src="/essays/essay/pics/b.png"' in page
    assert (site / "output/essay/pics/b.png").read_bytes() == b"PNG b"


def _replaced_images(tmp_path: Path) -> Path:
    """P1's first two versions show a red chart and a green photo; the third a yellow chart at the same path and
    no photo, deleted with it; later P2 adds a black photo at the photo's path."""
    blog = _blog(tmp_path)
    head = "---\ntitle: {}\ndate: {} 10:00:00 +0000\n---\n"
    p1, both = "_posts/2020-01-01-p1.md", "Chart: ![chart](/images/chart.png) photo: ![photo](/images/photo.png)"
    commit(blog, {"_config.yml": "title: Blog\n", "images/chart.png": "PNG red", "images/photo.png": "PNG green",
                  p1: head.format("P1", "2020-01-01") + f"{both}\n"}, "p1", "2020-01-01T10:00:00Z")
    commit(blog, {p1: head.format("P1", "2020-01-01") + f"Data of January. {both}\n"}, "say when",
           "2020-01-15T10:00:00Z")
    git(blog, "rm", "-q", "images/photo.png")
    commit(blog, {"images/chart.png": "PNG yellow", p1: head.format("P1", "2020-01-01") +
                  "Data of February: ![chart](/images/chart.png)\n"}, "new data", "2020-02-01T10:00:00Z")
    commit(blog, {"images/photo.png": "PNG black", "_posts/2020-04-01-p2.md": head.format("P2", "2020-04-01") +
                  "Another photo: ![photo](/images/photo.png)\n"}, "p2", "2020-04-01T10:00:00Z")
    return blog


def test_an_earlier_version_links_its_own_copy_of_a_file_replaced_since_at_its_address(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before, ``/p1/v1/`` showed the yellow chart and the black photo, without a word: only a file the folder
    no longer held was read from a commit.  The versions that showed other bytes link a copy of them, one for
    both, and the report says so; the post, and the file at the address it links, are left as they are."""
    blog = _replaced_images(tmp_path)
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(blog)]) == 0
    said = capsys.readouterr().out
    red, green = fingerprinted("images/chart.png", b"PNG red"), fingerprinted("images/photo.png", b"PNG green")
    assert _static(site) == {"images/chart.png": b"PNG yellow", "images/photo.png": b"PNG black",
                             red: b"PNG red", green: b"PNG green"}
    for number in (1, 2):
        assert f"![chart](/essays/{red}) photo: ![photo](/essays/{green})" in \
            (site / f"posts/p1.versions/v{number}.md").read_text()
        assert f"_posts/2020-01-01-p1.md:1: linked file /images/chart.png: version {number} showed it as commit " \
            in said
    assert "![chart](/essays/images/chart.png)" in (site / "posts/p1.md").read_text()
    assert said.count("with other bytes than the source's file now: version ") == 4
    page = _built(site, "p1/v1")
    assert f'<img src="/essays/{red}"' in page and f'<img src="/essays/{green}"' in page
    assert (site / "output" / red).read_bytes() == b"PNG red"
    assert '<img src="/essays/images/photo.png"' in _built(site, "p2")
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file() and "output" not in path.parts}
    assert main(["--site", str(site), "import", str(blog)]) == 0  # a second run changes nothing
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file() and "output" not in path.parts} \
        == before


def test_a_hugo_posts_earlier_version_shows_the_image_its_commit_held(tmp_path: Path) -> None:
    """Hugo's reader did not look for the files old versions link: an image deleted from ``static/`` since left
    version 1 with a broken image, and one replaced since showed version 1 the new bytes."""
    blog = _blog(tmp_path)
    head = "---\ntitle: Essay\ndate: 2020-01-01T10:00:00Z\n---\n"
    commit(blog, {"hugo.toml": 'baseURL = "https://example.org/"\n', "static/images/gone.png": "PNG gone",
                  "static/images/chart.png": "PNG red",
                  "content/posts/essay.md": head + "Gone: ![g](/images/gone.png) chart: ![c](/images/chart.png)\n"},
           "essay", "2020-01-01T10:00:00Z")
    git(blog, "rm", "-q", "static/images/gone.png")
    commit(blog, {"static/images/chart.png": "PNG yellow",
                  "content/posts/essay.md": head + LONGER + "\n![c](/images/chart.png)\n"}, "new chart",
           "2020-03-01T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(blog), "--from", "hugo"]) == 0
    copy = fingerprinted("images/chart.png", b"PNG red")
    assert _static(site) == {"images/gone.png": b"PNG gone", "images/chart.png": b"PNG yellow", copy: b"PNG red"}
    page = _built(site, "essay/v1")
    assert '<img src="/essays/images/gone.png"' in page and f'<img src="/essays/{copy}"' in page
    assert f'<img src="/essays/{copy}"' not in _built(site, "essay")
