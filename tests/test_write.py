"""``engine/output/write.py``: the site is written into a spare tree beside ``output/`` and swapped in only
when it is complete; bytes that did not change are linked, not rewritten; a write that does not finish
leaves ``output/`` as it was."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import snapshot
from engine.errors import SiteError
from engine.output.write import KEEP, Writer, WriteResult

SITE = {"index.html": b"<p>home</p>", "essay/index.html": b"<p>essay</p>", "sitemap.xml": b"<urlset/>"}


def write_output(out: Path, files: dict[str, bytes | None]) -> WriteResult:
    """Make ``out`` hold exactly ``files`` (``None``: keep the live file), as a build's writing does."""
    with Writer(out, files) as writer:
        return writer.finish([rel for rel, data in files.items() if writer.put(rel, data)])


def inodes(out: Path) -> dict[str, int]:
    return {rel: (out / rel).stat().st_ino for rel in snapshot(out)}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding ``SITE``, written twice so that the spare tree exists too."""
    out = tmp_path / "output"
    write_output(out, SITE)
    write_output(out, {**SITE, "index.html": b"<p>home, again</p>"})
    write_output(out, SITE)
    return out


def test_a_first_write_makes_the_folder_with_exactly_the_files(tmp_path: Path) -> None:
    out = tmp_path / "output"
    result = write_output(out, SITE)
    assert snapshot(out) == SITE
    assert (result.written, result.removed, result.kept) == (sorted(SITE), [], 0)


def test_the_same_bytes_again_touch_nothing(out: Path) -> None:
    before = inodes(out), out.stat().st_ino, {rel: (out / rel).stat().st_mtime_ns for rel in SITE}
    result = write_output(out, SITE)
    assert (result.written, result.removed, result.kept) == ([], [], 3)
    assert (inodes(out), out.stat().st_ino, {rel: (out / rel).stat().st_mtime_ns for rel in SITE}) == before


def test_a_change_swaps_in_a_new_tree_that_shares_the_unchanged_files(out: Path) -> None:
    spare = out.with_name(".feuilleton-spare-output")
    before, folder = inodes(out), out.stat().st_ino
    result = write_output(out, {**SITE, "essay/index.html": b"<p>essay, revised</p>"})
    assert result.written == ["essay/index.html"] and result.kept == 2
    assert snapshot(out) == {**SITE, "essay/index.html": b"<p>essay, revised</p>"}
    assert out.stat().st_ino != folder  # a whole other folder took output/'s name
    after = inodes(out)
    assert after["index.html"] == before["index.html"] and after["sitemap.xml"] == before["sitemap.xml"]
    assert after["essay/index.html"] != before["essay/index.html"]
    assert snapshot(spare) == SITE  # the tree as it was one build earlier, untouched by the new bytes


def test_a_file_no_longer_planned_is_removed_with_its_empty_folder(out: Path) -> None:
    result = write_output(out, {"index.html": SITE["index.html"], "sitemap.xml": SITE["sitemap.xml"]})
    assert result.removed == ["essay/index.html"] and result.written == []
    assert not (out / "essay").exists()


def test_keep_takes_the_live_files_bytes(out: Path) -> None:
    result = write_output(out, {**SITE, "essay/index.html": KEEP, "new.html": b"new"})
    assert result.written == ["new.html"]
    assert (out / "essay/index.html").read_bytes() == SITE["essay/index.html"]


def test_a_write_left_unfinished_leaves_the_output_as_it_was(out: Path) -> None:
    before = snapshot(out, folders=True)
    with pytest.raises(RuntimeError), Writer(out, [*SITE, "new.html"]) as writer:
        assert writer.put("new.html", b"half a site") is True
        assert writer.put("index.html", b"<p>changed</p>") is True
        raise RuntimeError("the build failed")
    assert snapshot(out, folders=True) == before
    write_output(out, SITE)  # and the next write puts the spare right
    assert snapshot(out) == SITE and snapshot(out.with_name(".feuilleton-spare-output")) == SITE


def test_a_folder_feuilleton_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "letter.txt").write_bytes(b"Dear reader")
    with pytest.raises(SiteError) as caught:
        write_output(out, SITE)
    assert "holds files but no sitemap.xml" in str(caught.value)
    assert snapshot(out) == {"letter.txt": b"Dear reader"}


def test_hidden_files_the_site_does_not_make_stay_in_the_output(out: Path) -> None:
    (out / ".nojekyll").write_bytes(b"")
    write_output(out, {**SITE, "index.html": b"<p>new home</p>"})
    assert (out / ".nojekyll").is_file()
    assert not os.path.lexists(out.with_name(".feuilleton-spare-output") / ".nojekyll")
