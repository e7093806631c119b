"""Rebuilds do only the work whose inputs changed, and never change the result."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import NOW, post
from engine.build import build
from engine.commands.serve import Server
from engine.config import Options

SERIES = 'title = "Cities"\ndescription = "On cities."\nstatus = "ongoing"\n'


def files(site) -> dict[str, str]:
    parts = {f"posts/cities/part-{n}.md": post(
        f"Part {n}", f"2026-10-0{n}T09:00:00",
        f"The opening of part {n}.\n\nA middle paragraph of part {n}.\n\nThe close.",
        part=n, summary=f'"Part {n} in short."', tags="[law]") for n in (1, 2, 3)}
    return {"posts/cities/series.toml": SERIES, **parts,
            "posts/other.md": post("Other", "2026-09-01T09:00:00", "Unrelated.", tags="[art]")}


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def edit_middle_of_part_2(root: Path) -> None:
    path = root / "posts/cities/part-2.md"
    path.write_text(path.read_text().replace("A middle paragraph", "A rewritten middle paragraph"))


EXPECTED = {"cities/part-2/index.html", "feed.xml", "atom.xml", "feed.json",
            "cities/feed.xml", "cities/atom.xml", "cities/feed.json", "cities/all/index.html", "cities/cities.epub"}
"""A part's page, the feeds that carry it, and the series read whole: on one page and as a book."""


def test_a_one_file_edit_rewrites_only_what_depends_on_it(site) -> None:
    root = site(files(site))
    build(root, now=NOW)
    before = snapshot(root / "output")
    edit_middle_of_part_2(root)
    result = build(root, now=NOW)
    after = snapshot(root / "output")
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == EXPECTED
    assert set(result.written.written) == EXPECTED
    assert "A rewritten middle paragraph" in (root / "output/cities/part-2/index.html").read_text()


def test_the_serve_path_rewrites_the_same_files(site) -> None:
    root = site(files(site))
    server = Server(root, Options(), quiet=True, verbose=False)
    server.rebuild()
    before = snapshot(root / "output")
    edit_middle_of_part_2(root)
    server.rebuild()
    after = snapshot(root / "output")
    assert {path for path in after if after[path] != before.get(path)} == EXPECTED


def test_nothing_changed_means_nothing_rendered_or_written(site) -> None:
    root = site(files(site))
    build(root, now=NOW)
    before = snapshot(root / "output")
    result = build(root, now=NOW)
    assert result.rendered == 0 and result.written.written == []
    assert snapshot(root / "output") == before


def test_a_build_without_the_cache_gives_the_same_bytes(site, tmp_path: Path) -> None:
    root = site(files(site))
    build(root, now=NOW)
    edit_middle_of_part_2(root)
    build(root, now=NOW)  # warm, incremental
    warm = {p.relative_to(root / "output"): p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    shutil.rmtree(root / ".feuilleton-cache")
    build(root, now=NOW, output=tmp_path / "cold")
    cold = {p.relative_to(tmp_path / "cold"): p.read_bytes() for p in (tmp_path / "cold").rglob("*") if p.is_file()}
    assert warm == cold


def test_a_change_of_the_sites_language_or_its_own_words_leaves_no_old_word_in_a_summary(site, tmp_path: Path) -> None:
    """A summary worked out from an essay that links a part not out yet says "(not yet published)": it was
    remembered in the language of the build that made it, on the home page, the feeds and the part's own
    meta description, through every later build, until the essay itself changed."""
    files_ = files(site)
    files_["posts/cities/series.toml"] += '[[planned]]\npart = 4\ntitle = "Next"\n'
    files_["posts/cities/part-1.md"] = post("Part 1", "2026-10-01T09:00:00",
                                            "As [Part 4](part:4) will show, rivers run.", part=1)
    root = site(files_)
    build(root, now=NOW)
    config = root / "config.toml"
    for change in (lambda: config.write_text('language = "fr"\n' + config.read_text()),
                   lambda: (root / "templates/locale/fr").mkdir(parents=True) or
                   (root / "templates/locale/fr/messages.po").write_text(
                       'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       'msgid "not yet published"\nmsgstr "à paraître"\n', encoding="utf-8")):
        change()
        build(root, now=NOW)
        warm = (root / "output/index.html").read_text(encoding="utf-8")
        cold = tmp_path / f"cold-{len(list(tmp_path.iterdir()))}"
        build(root, now=NOW, output=cold, use_cache=False)
        assert warm == (cold / "index.html").read_text(encoding="utf-8")
        assert "(not yet published)" not in warm
    assert "Part 4 (à paraître)" in warm


def test_a_template_change_rerenders_the_pages_that_use_it(site) -> None:
    root = site(files(site))
    build(root, now=NOW)
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/tag.html").write_text('{% extends "theme/tag.html" %}{% block title %}Tagged!{% endblock %}')
    result = build(root, now=NOW)
    assert set(result.written.written) == {"tags/law/index.html", "tags/art/index.html"}
    assert "Tagged!" in (root / "output/tags/law/index.html").read_text()


def test_serve_shows_a_body_edit_at_once_then_rebuilds_the_rest(site) -> None:
    root = site(files(site)).resolve()
    server = Server(root, Options(), quiet=True, verbose=False)
    server.rebuild()
    edit_middle_of_part_2(root)
    server.try_fast_path([str(root / "posts/cities/part-2.md")])
    assert len(server.fast) == 1
    target = root / "output/cities/part-2/index.html"
    page = server.ahead[target].decode()  # shown from memory, output/ a whole build meanwhile
    assert "A rewritten middle paragraph" in page and "A rewritten middle paragraph" not in target.read_text()
    assert "A rewritten middle paragraph" not in (root / "output/feed.xml").read_text()  # not yet
    server.rebuild()
    assert target.read_text() == page and not server.ahead  # the full build agrees
    assert "A rewritten middle paragraph" in (root / "output/feed.xml").read_text()


def test_a_front_matter_edit_takes_the_full_path(site) -> None:
    root = site(files(site)).resolve()
    server = Server(root, Options(), quiet=True, verbose=False)
    server.rebuild()
    path = root / "posts/cities/part-2.md"
    path.write_text(path.read_text().replace('title: "Part 2"', 'title: "Part Two"'))
    server.try_fast_path([str(path)])
    assert server.fast == []
    assert "Part Two" not in (root / "output/cities/part-2/index.html").read_text()
