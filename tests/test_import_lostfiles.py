"""The files a post's earlier versions link, read from the commits those versions came from (``lostfiles.py``):
a real repository made here, imported, built, and each old version's page checked to show the bytes its commit
held.  The repository helpers are ``test_import_history``'s."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EPOCH, run_cli, write_site
from engine.cli import main
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
    missing, and an old version's, to files deleted since, led nowhere without a word."""
    blog = _blog(tmp_path)
    head = "---\ntitle: Essay\ndate: 2020-01-01\n---\n"
    commit(blog, {"_config.yml": "title: Blog\npermalink: /:title/\n", "images/a.png": "PNG a",
                  "essay/pics/b.png": "PNG b", "images/kept.png": "PNG kept",
                  "_posts/2020-01-01-essay.md": head + "up ![a](../images/a.png) down ![b](pics/b.png)\n"},
           "essay", "2020-01-01T10:00:00Z")
    git(blog, "rm", "-rq", "images/a.png", "essay")
    commit(blog, {"_posts/2020-01-01-essay.md": head + LONGER + "\n![k](../images/kept.png)\n"}, "drop",
           "2020-03-01T10:00:00Z")
    site = write_site(tmp_path / "site", {})
    assert main(["--site", str(site), "import", str(blog)]) == 0
    assert _static(site) == {"images/a.png": b"PNG a", "essay/pics/b.png": b"PNG b", "images/kept.png": b"PNG kept"}
    assert "![k](/essays/images/kept.png)" in (site / "posts/essay.md").read_text()
    page = _built(site, "essay/v1")
    assert '<img src="/essays/images/a.png"' in page and '<img src="/essays/essay/pics/b.png"' in page
    assert (site / "output/essay/pics/b.png").read_bytes() == b"PNG b"
