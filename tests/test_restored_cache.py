"""A build with the cache restored and ``output/`` empty (a hosting CI runner) gives a cold build's bytes.

Every case builds the site once (the cache a CI run would restore), then
deletes ``output/`` and its spare, changes something, and builds again;
the whole tree must be byte for byte what a cold build of the changed site,
in another folder with no cache, writes.  Kept pages must be used where
nothing they show changed (so the comparison is not won by rendering
everything), and a kept page that is damaged or foreign is rendered again.
"""
from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pytest

from conftest import NOW, post, snapshot, write_site
from engine.build import BuildResult, build
from engine.config import CACHE_DIR
from engine.source.versions import NewVersion, append
from engine.speed.cache import Cache
from engine.speed.store import Stored

SERIES = 'title = "Cities"\ndescription = "On cities."\nstatus = "ongoing"\n'
LATER = "2026-12-05T09:00:00"
"""The date of a scheduled post: a week after the tests' clock."""


def files(count: int = 3) -> dict[str, str]:
    """A series of three parts, ``count`` standalone essays, and a post scheduled for ``LATER``."""
    parts = {f"posts/cities/part-{n}.md": post(
        f"Part {n}", f"2026-10-0{n}T09:00:00", f"The opening of part {n}.\n\nA middle paragraph.\n\nThe close.",
        part=n, tags="[law]") for n in (1, 2, 3)}
    essays = {f"posts/essay-{n}.md": post(f"Essay {n}", f"2026-09-{n % 28 + 1:02d}T09:00:00",
                                          f"Essay {n} says one thing.", tags="[art]") for n in range(count)}
    return {"posts/cities/series.toml": SERIES, **parts, **essays,
            "posts/scheduled.md": post("Scheduled", LATER, "Not yet.")}


def empty_output(root: Path) -> None:
    """What a CI runner starts with: the cache restored, no ``output/`` and no spare beside it."""
    shutil.rmtree(root / "output")
    shutil.rmtree(root / ".feuilleton-spare-output", ignore_errors=True)


def cold_twin(root: Path, tmp_path: Path, now: datetime) -> dict[str, bytes | None]:
    """The output of a cold build of a copy of ``root`` (no cache, no output)."""
    twin = tmp_path / "twin"
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(root, twin, ignore=shutil.ignore_patterns("output", ".feuilleton-*"))
    build(twin, now=now)
    return snapshot(twin / "output")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def revise(root: Path) -> None:
    """Record part 2 as it stands as version 1, then change its text: a revision with a diff to show."""
    path = root / "posts/cities/part-2.md"
    append(path, 1, NewVersion(path.read_text(), datetime(2026, 10, 2, 13, tzinfo=timezone.utc), "", False))
    append(path, 2, NewVersion(path.read_text().replace("A middle paragraph.", "A revised middle."),
                               datetime(2026, 11, 20, 14, tzinfo=timezone.utc), "Sharpened the middle.", False))
    edit(path, "A middle paragraph.", "A revised middle.")


CHANGES: dict[str, Callable[[Path], None]] = {
    "nothing": lambda root: None,
    "a post": lambda root: edit(root / "posts/essay-1.md", "says one thing", "says another thing"),
    "a template": lambda root: write_site(root, {"templates/post.html": '{% extends "theme/post.html" %}'
                                                 '{% block title %}Mine: {{ super() }}{% endblock %}'}),
    "the date format in config": lambda root: edit(root / "config.toml", 'timezone = "America/New_York"\n',
                                                   'timezone = "America/New_York"\ndate_format = "d MMMM y"\n'),
    "the site title in config": lambda root: edit(root / "config.toml", "Test Site", "Another Site"),
    "a series": lambda root: edit(root / "posts/cities/series.toml", "On cities.", "On cities and towns."),
    "a revision": revise,
}

EVERY_PAGE = {"a template", "the date format in config", "the site title in config"}
"""Changes every page is rendered again for: the templates and the whole configuration are in every key."""


@pytest.mark.slow
@pytest.mark.parametrize("change", list(CHANGES))
def test_an_empty_output_with_the_cache_restored_is_a_cold_builds_bytes(tmp_path: Path, change: str) -> None:
    root = write_site(tmp_path / "site", files())
    first = build(root, now=NOW)
    empty_output(root)
    CHANGES[change](root)
    again = build(root, now=NOW)
    assert snapshot(root / "output") == cold_twin(root, tmp_path, NOW)
    if change == "nothing":
        assert again.rendered == 0
    elif change in EVERY_PAGE:
        assert again.rendered == first.rendered
    else:
        assert 0 < again.rendered < first.rendered  # kept pages were used for the pages the change left alone


@pytest.mark.slow
def test_the_clock_past_a_scheduled_post_publishes_it_from_a_restored_cache(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", files())
    build(root, now=NOW)
    assert not (root / "output/scheduled").exists()
    empty_output(root)
    later = NOW + timedelta(days=10)
    again = build(root, now=later)
    built = snapshot(root / "output")
    assert "scheduled/index.html" in built and b"Not yet." in built["scheduled/index.html"]
    assert built == cold_twin(root, tmp_path, later)
    assert again.rendered > 0  # the home page, feeds and neighbours show the new post


@pytest.mark.slow
def test_a_site_rendered_on_several_workers_is_written_from_their_packs(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FEUILLETON_JOBS", "2")
    root = write_site(tmp_path / "site", files(count=90))
    first = build(root, now=NOW)
    assert first.pages > 64 and len(list((root / CACHE_DIR / "pages").glob("*.pack"))) >= 2  # one per worker
    empty_output(root)
    again = build(root, now=NOW)
    assert again.rendered == 0
    assert snapshot(root / "output") == cold_twin(root, tmp_path, NOW)


def packs(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR / "pages").glob("*.pack"))


def restored_build(root: Path) -> BuildResult:
    empty_output(root)
    return build(root, now=NOW)


@pytest.mark.slow
def test_a_damaged_pack_is_never_served_and_its_pages_are_rendered_again(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", files())
    build(root, now=NOW)
    cold = cold_twin(root, tmp_path, NOW)
    for pack in packs(root):
        data = bytearray(pack.read_bytes())
        for at in range(0, len(data), 97):  # a byte changed in every entry, whatever its compression
            data[at] ^= 0x55
        pack.write_bytes(bytes(data))
    again = restored_build(root)
    assert again.rendered > 0
    assert snapshot(root / "output") == cold


@pytest.mark.slow
def test_a_truncated_or_missing_pack_is_a_miss(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", files())
    build(root, now=NOW)
    cold = cold_twin(root, tmp_path, NOW)
    first, *rest = packs(root)
    os.truncate(first, first.stat().st_size // 2)
    for pack in rest:
        pack.unlink()
    assert restored_build(root).rendered > 0
    assert snapshot(root / "output") == cold


@pytest.mark.slow
def test_entries_swapped_in_the_index_are_caught_by_their_digests(tmp_path: Path) -> None:
    """An index that points a page at another page's intact bytes (a hand-edited or foreign cache)."""
    root = write_site(tmp_path / "site", files())
    build(root, now=NOW)
    cold = cold_twin(root, tmp_path, NOW)
    cache = Cache(root)
    table = cache.data["rendered"]
    keys = list(table)
    entries = [table[k] for k in keys]
    for key, entry in zip(keys, entries[1:] + entries[:1]):  # every page now points at its neighbour's bytes
        table[key] = Stored(entry.pack, entry.offset, entry.length, entry.size, table[key].digest)
    cache.persist()
    assert restored_build(root).rendered > 0
    assert snapshot(root / "output") == cold


@pytest.mark.slow
@pytest.mark.parametrize("name", ["../../../outside.pack", "/etc/passwd", "fifo"])
def test_a_pack_name_that_leaves_the_folder_or_a_pack_that_is_no_file_is_refused(tmp_path: Path, name: str) -> None:
    root = write_site(tmp_path / "site", files())
    build(root, now=NOW)
    cold = cold_twin(root, tmp_path, NOW)
    outside = tmp_path / "outside.pack"
    for pack in packs(root):
        shutil.copy(pack, outside)  # what the index would reach through the climbing name
        if name == "fifo":  # the pack's own name, but a pipe in its place: opening it must not wait
            pack.unlink()
            os.mkfifo(pack)
    cache = Cache(root)
    if name != "fifo":
        table = cache.data["rendered"]
        for key, entry in table.items():
            table[key] = Stored(name, entry.offset, entry.length, entry.size, entry.digest)
        cache.persist()
    assert restored_build(root).rendered > 0
    assert snapshot(root / "output") == cold


@pytest.mark.slow
def test_another_rendering_library_renders_everything_again(tmp_path: Path, monkeypatch) -> None:
    import engine.output.outputs as outputs

    root = write_site(tmp_path / "site", files())
    first = build(root, now=NOW)
    monkeypatch.setattr(outputs, "library_versions", lambda: "Jinja2 99.0")
    assert restored_build(root).rendered == first.rendered


@pytest.mark.slow
def test_packs_nothing_refers_to_are_removed_and_many_are_compacted(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", files())
    build(root, now=NOW)
    (root / CACHE_DIR / "pages" / ("0" * 32 + ".pack")).write_bytes(b"left by a killed build")
    for n in range(70):  # a long serve session: each edit leaves a small pack
        edit(root / "posts/essay-1.md", f"one thing{n or ''}", f"one thing{n + 1}")
        build(root, now=NOW)
    assert len(packs(root)) <= 65
    assert ("0" * 32 + ".pack") not in {p.name for p in packs(root)}
    assert restored_build(root).rendered == 0
    assert snapshot(root / "output") == cold_twin(root, tmp_path, NOW)


def test_nothing_changed_makes_no_book_and_no_diff_again(tmp_path: Path, monkeypatch) -> None:
    """The series' EPUB and every diff, the cumulative one of a post revised twice included, come from the
    cache when output/ is gone."""
    root = write_site(tmp_path / "site", files())
    revise(root)
    path = root / "posts/cities/part-2.md"
    append(path, 3, NewVersion(path.read_text().replace("The close.", "A new close."),
                               datetime(2026, 11, 22, 14, tzinfo=timezone.utc), "A new close.", False))
    edit(path, "The close.", "A new close.")
    build(root, now=NOW)
    before = snapshot(root / "output")
    assert any(name.endswith(".epub") for name in before) and any("/changes/" in name for name in before)
    empty_output(root)
    from engine.output import outputs
    from engine.speed import cache

    def never(*args):
        raise AssertionError("made again")
    monkeypatch.setattr(outputs, "book_bytes", never)
    monkeypatch.setattr(cache, "_diff_pair", never)
    build(root, now=NOW)
    assert snapshot(root / "output") == before
