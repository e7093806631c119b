"""``feuilleton import`` of a Substack export (tests/fixtures/import/substack, written here), as its
folder and as the zip Substack hands out, built and validated afterwards."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import feedparser
import pytest
import yaml

from conftest import EPOCH, broken_links, nu_errors, run_cli, snapshot, write_site
from engine.cli import main

EXPORT = Path(__file__).parent / "fixtures" / "import" / "substack"


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def zipped(tmp_path: Path, top: str = "") -> Path:
    """The fixture folder as a zip (as Substack sends it), its members under ``top``."""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        for path in sorted(EXPORT.rglob("*")):
            if path.is_file():
                zip_file.write(path, top + path.relative_to(EXPORT).as_posix())
    return archive


def test_the_export_folder_becomes_posts_with_drafts_summaries_and_old_addresses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(EXPORT)]) == 0
    out = capsys.readouterr().out
    posts = root / "posts"
    assert sorted(p.name for p in posts.glob("*.md")) == [
        "a-draft-letter.md", "about.md", "an-episode.md", "letters-from-the-bar-part-1.md",
        "letters-from-the-bar-part-2.md"]
    first = front(posts / "letters-from-the-bar-part-1.md")
    assert first["summary"] == "Why a lawyer writes letters"
    assert first["imported_from"] == "substack:111.letters-from-the-bar-part-1"
    assert first["aliases"] == ["/p/letters-from-the-bar-part-1/"] and str(first["date"]) == "2021-03-04 15:00:00+00:00"
    assert front(posts / "a-draft-letter.md")["draft"] is True and "date" not in front(posts / "a-draft-letter.md")
    text = (posts / "letters-from-the-bar-part-1.md").read_text()
    assert "Every week a client asks why I write these.[^1] This is the answer." in text
    assert "[^1]: Usually on a Monday." in text and "footnote" not in text
    assert "<figcaption>The office on a Monday</figcaption>" in text.replace(' class="image-caption"', "")
    assert "- They wait.\n- They keep." in text
    episode = (posts / "an-episode.md").read_text()
    assert "[Listen to the episode](https://cdn.example.org/episode-1.mp3)" in episode
    about = front(posts / "about.md")
    assert about["layout"] == "page" and "date" not in about and "aliases" not in about
    assert out.splitlines()[0] == ("substack: imported 4 posts, 1 page, 0 series, 0 versions, 0 images and files, "
                                   "4 aliases")
    assert f"  {EXPORT}/posts.csv:6: thread 'Ask Me Anything': a discussion thread, not a post" in out
    assert f"  {EXPORT}/posts.csv:4: post 'Letters from the Bar, Part 2': was for only_paid subscribers" in out


def test_the_zip_is_read_as_the_folder_and_a_second_run_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from_folder = write_site(tmp_path / "a", {})
    assert main(["--site", str(from_folder), "import", str(EXPORT), "--series-from", "title"]) == 0
    from_zip = write_site(tmp_path / "b", {})
    archive = zipped(tmp_path, top="export-2021/")
    assert main(["--site", str(from_zip), "import", str(archive), "--series-from", "title"]) == 0
    assert snapshot(from_zip / "posts") == snapshot(from_folder / "posts")
    assert front(from_zip / "posts/letters-from-the-bar/letters-from-the-bar-part-2.md")["part"] == 2
    assert (from_zip / "posts/letters-from-the-bar/series.toml").read_text().startswith(
        'title = "Letters from the Bar"\n')
    capsys.readouterr()
    before = snapshot(from_zip)
    assert main(["--site", str(from_zip), "import", str(archive), "--series-from", "title"]) == 0
    assert snapshot(from_zip) == before
    assert "5 posts were imported by an earlier run and are left as they are; nothing changed" in \
        capsys.readouterr().out


@pytest.mark.slow
def test_the_imported_site_builds_cleanly_and_validates(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {})
    done = run_cli("import", str(zipped(tmp_path)), "--series-from", "title", cwd=root)
    assert done.returncode == 0, done.stderr
    built = run_cli("build", cwd=root, env=EPOCH)
    assert built.returncode == 0 and "warning" not in built.stderr, built.stderr
    output = root / "output"
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["An Episode", "Letters from the Bar, Part 2",
                                               "Letters from the Bar, Part 1"]
    assert (output / "p/letters-from-the-bar-part-1/index.html").is_file()
    assert broken_links(output, "/essays/") == []
    assert nu_errors(output) == []


def test_a_title_and_subtitle_written_with_character_references_are_read_as_text(tmp_path: Path) -> None:
    export = Path(shutil.copytree(EXPORT, tmp_path / "export"))
    table = export / "posts.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(
        '"Letters from the Bar, Part 1",Why a lawyer writes letters',
        '"Letters from the Bar, Part 1 &#8212; Opening",&#x201C;Why&#x201D; a lawyer writes letters &amp; notes'),
        encoding="utf-8")
    root = write_site(tmp_path / "site", {})
    assert main(["--site", str(root), "import", str(export)]) == 0
    first = front(root / "posts/letters-from-the-bar-part-1.md")
    assert first["title"] == "Letters from the Bar, Part 1 \u2014 Opening"
    assert first["summary"] == "\u201cWhy\u201d a lawyer writes letters & notes"
