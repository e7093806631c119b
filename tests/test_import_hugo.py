"""``feuilleton import`` of a Hugo site folder (tests/fixtures/import/hugo, written here): YAML, TOML and
JSON front matter, permalinks and aliases, the series taxonomy with its _index.md, a page bundle and its
image, shortcodes written out or kept visible, headless bundles and stray files reported; broken front
matter stops everything; the imported site builds and validates."""
from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest
import yaml

from conftest import EPOCH, broken_links, nu_errors, run_cli, snapshot, write_site
from engine.cli import main
from engine.importing.hugo import read
from engine.importing.model import ReadOptions

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "hugo"


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The fixture copied out of this repository, so that its git history is not read."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "hugo"))


def test_the_reader_finds_posts_pages_series_and_old_addresses(source: Path) -> None:
    result = read(source, ReadOptions(static_prefix="/essays/"))
    by_id = {p.source_id: p for p in result.posts}
    assert sorted(by_id) == ["hugo:content/about.md", "hugo:content/notes/json-note.md",
                             "hugo:content/posts/the-courts/index.md", "hugo:content/posts/the-question.md",
                             "hugo:content/posts/unfinished.md"]
    question = by_id["hugo:content/posts/the-question.md"]
    assert question.slug == "sanctuary-question" and question.series == "sanctuary-cities"
    assert question.aliases == ("/2016/11/sanctuary-question/", "/sanctuary/", "/posts/old-question")
    assert question.tags == ("law", "immigration") and question.summary == "Whether a city may refuse to help."
    courts = by_id["hugo:content/posts/the-courts/index.md"]  # a bundle, TOML front matter
    assert courts.slug == "the-courts" and courts.date is not None
    assert courts.date.isoformat() == "2016-11-29T09:00:00-05:00"
    assert [a.target for a in courts.assets] == ["2016/11/the-courts/courthouse.png"]
    assert sorted(a.target for a in question.assets) == ["images/map.png", "posts/images/seal.png"]
    note = by_id["hugo:content/notes/json-note.md"]  # JSON front matter, the default address
    assert note.aliases == ("/notes/json-note/",) and note.summary == "Front matter in JSON."
    assert by_id["hugo:content/about.md"].layout == "page" and by_id["hugo:content/posts/unfinished.md"].draft
    assert result.series["sanctuary-cities"].description == ("Whether a city may refuse to help federal "
                                                             "immigration enforcement.")
    left_out = {s.what for s in result.skipped if not s.kept}
    assert left_out == {"the home page (content/_index.md)", "section posts (content/posts/_index.md)",
                        "headless bundle content/headless-gallery/index.md", "file content/notes/data.csv"}


def test_shortcodes_are_written_out_or_kept_visible(source: Path) -> None:
    result = read(source, ReadOptions(static_prefix="/essays/"))
    by_id = {p.source_id: p.markdown for p in result.posts}
    question = by_id["hugo:content/posts/the-question.md"]
    assert ('<figure><img src="/essays/images/map.png" alt="A map of the cities"><figcaption>Cities that limit '
            "cooperation, 2016</figcaption></figure>") in question
    assert "```go\nfunc mayRefuse(c City) bool { return c.SharesNothing }\n```" in question
    assert "[the statutes](/essays/2016/11/the-courts/)" in question  # ref, to its old address
    assert "![The seal](/essays/posts/images/seal.png)" in question  # a file of content/, under the old baseURL
    assert '<script src="https://gist.github.com/someone/0123abcd.js"></script>' in question
    courts = by_id["hugo:content/posts/the-courts/index.md"]
    assert "![The courthouse](/essays/2016/11/the-courts/courthouse.png)" in courts
    assert '<iframe src="https://www.youtube-nocookie.com/embed/abc123"' in courts
    assert '{{< tweet user="someone" id="123" >}}' in courts
    assert 'write {{< figure src="x.png" >}}.' in courts  # an escaped shortcode is shown as written
    reported = {(str(s.where), s.what) for s in result.skipped if s.kept}
    assert ("content/posts/the-courts/index.md:13", "shortcode {{< tweet >}}") in reported


@pytest.mark.parametrize("name, text, line, message", [
    ("posts/bad-toml.md", '+++\ntitle = "A"\ndate = 2016-13-45\n+++\nText.\n', 3, "broken TOML front matter"),
    ("posts/bad-yaml.md", "---\ntitle: [A\n---\nText.\n", 3, "broken front matter"),
    ("posts/bad-json.md", '{\n  "title": "A",\n  "date": \n}\nText.\n', 4, "broken JSON front matter"),
    ("posts/bad-date.md", "---\ntitle: A\ndate: next tuesday\n---\nText.\n", 1, "date: 'next tuesday' is not a date"),
])
def test_broken_front_matter_is_an_error_at_its_line_and_nothing_is_written(
        tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, line: int,
        message: str) -> None:
    (source / "content" / name).write_text(text)
    root = write_site(tmp_path / "site", {})
    before = snapshot(root)
    assert main(["--site", str(root), "import", str(source)]) == 1
    err = capsys.readouterr().err
    assert f"content/{name}:{line}: {message}" in err, err
    assert snapshot(root) == before


@pytest.mark.slow
def test_the_imported_hugo_site_builds_cleanly_and_validates(tmp_path: Path, source: Path) -> None:
    root = write_site(tmp_path / "site", {})
    done = run_cli("import", str(source), cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ("hugo: imported 4 posts, 1 page, 1 series, 0 versions, 3 images and "
                                           "files, 5 aliases")
    assert front(root / "posts/sanctuary-cities/the-courts.md")["part"] == 2
    assert "description" in (root / "posts/sanctuary-cities/series.toml").read_text()
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "error" not in built.stderr.lower(), built.stderr
    output = root / "output"
    feed = feedparser.parse((output / "atom.xml").read_bytes())
    assert not feed.bozo and {e.title for e in feed.entries} == {"The Question", "The Courts", "A Note in JSON"}
    assert "sanctuary-cities/sanctuary-question/" in (output / "2016/11/sanctuary-question/index.html").read_text()
    assert (output / "2016/11/the-courts/courthouse.png").is_file()
    assert broken_links(output, "/essays/") == []
    assert nu_errors(output) == []
    again = run_cli("import", str(source), cwd=root)
    assert again.returncode == 0 and "nothing changed" in again.stdout
