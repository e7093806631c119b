"""The benchmark runs (a smoke test; its figures are not pass/fail)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow  # the benchmark's smoke test builds and diffs for real


def bench(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m tests.bench.MODULE ARGS`` from the repository, as the docs run it."""
    done = subprocess.run([sys.executable, "-m", f"tests.bench.{module}", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    return done


def test_benchmark_runs_and_prints_its_table(tmp_path) -> None:
    done = bench("run", "--posts", "12", "--runs", "1", "--keep", str(tmp_path))
    assert "| 12 |" in done.stdout
    assert "Word-level diff of a 10,000-word essay" in done.stdout
    assert "Diff with a third of the paragraphs edited: 15,000 words" in done.stdout


def test_each_cold_build_is_paired_with_one_of_each_peer(tmp_path, monkeypatch) -> None:
    import tests.bench.run as bench
    from tests.bench.corpus import generate

    site = generate(tmp_path / "site", 6)
    ours: list[dict] = []
    real = bench.child_build
    monkeypatch.setattr(bench, "child_build", lambda site: ours.append(real(site)) or ours[-1])
    timed_after = []

    def peer() -> tuple[float, float]:
        timed_after.append(len(ours))  # how many of our builds had run when the peer's was timed
        return 0.25, 40.0 + len(ours)

    results, figures = bench.cold(site, 3, {"peer": peer, "absent": None}, tmp_path / "trash")
    assert timed_after == [1, 2, 3]  # one peer build right after each of ours
    assert figures["peer"] == 0.25 and figures["absent"] is None and "absent_ratio" not in figures
    assert figures["peer_peak_mb"] == 43.0  # the largest of its runs
    assert figures["peer_ratio"] == sorted(r["wall"] / 0.25 for r in results)[1]
    assert all(r["code"] == 0 and r["pages"] > 0 for r in results)


def test_trees_cleared_between_timed_builds_wait_in_the_trash_until_the_end(tmp_path) -> None:
    import tests.bench.run as bench
    from tests.bench.aside import empty
    from tests.bench.corpus import generate

    site = generate(tmp_path / "site", 6)
    restored: list[dict] = []
    trash = tmp_path / "trash"
    bench.cold(site, 2, {}, trash, restored)
    aside = sorted(p.name.split("-", 1)[1] for p in trash.iterdir())
    # the first cold build's output and cache, and the output each restored build replaced
    assert aside == [".feuilleton-cache", "output", "output", "output"]
    assert all(r["identical"] for r in restored)
    assert (site / "output" / "index.html").is_file()  # the last build's, in place
    empty(trash)
    assert not trash.exists()


def test_the_floor_builds_hugos_pages_with_the_required_libraries(tmp_path) -> None:
    import feedparser

    from tests.bench.corpus import generate

    site = generate(tmp_path / "site", 24, revisions=False)
    out = tmp_path / "floor"
    done = bench("floor", "--build", str(site), str(out))
    posts = [p for p in (out / "posts").iterdir() if p.name != "page" and p.is_dir()]
    assert len(posts) == 24  # a page for each post, with its Markdown rendered
    assert "<blockquote>" in (posts[0] / "index.html").read_text()
    assert (out / "page" / "3" / "index.html").is_file() and not (out / "page" / "4").exists()  # 24 in tens
    home = feedparser.parse(str(out / "index.xml"))
    assert not home.bozo and len(home.entries) == 24  # every post, as Hugo's feeds hold them
    tags = [p.name for p in (out / "tags").iterdir() if p.is_dir()]
    assert tags and all(len(feedparser.parse(str(out / "tags" / t / "index.xml")).entries) >= 1 for t in tags)
    written = int(done.stderr.split()[0])
    assert written == sum(1 for p in out.rglob("*") if p.is_file())


def test_the_floor_is_timed_beside_our_build(tmp_path) -> None:
    done = bench("floor", "--posts", "12", "--runs", "1", "--keep", str(tmp_path))
    assert "| feuilleton build |" in done.stdout
    assert "| without EPUBs, JSON Feeds and whole-series pages |" in done.stdout
    assert "| the floor: Hugo's pages in Python, with the required libraries |" in done.stdout
    output = tmp_path / "site-12-unrevised" / "output"  # the lean build's, the last of ours
    assert (output / "index.html").is_file()
    assert not list(output.rglob("*.epub")) and not list(output.glob("*/all/index.html"))
    assert (output / "feed.json").read_text() == "{}" and "<entry>" in (output / "atom.xml").read_text()


def test_hugo_doing_our_pages_work_gets_each_series_as_a_section_of_weighted_parts(tmp_path) -> None:
    import tomllib

    from tests.bench import hugo_work
    from tests.bench.corpus import generate

    site = generate(tmp_path / "site", 24)  # with revisions: Hugo gets the newest text only
    hugo_work.export(site, tmp_path / "hugo")
    content = tmp_path / "hugo" / "content"
    series = sorted(p.parent for p in (site / "posts").glob("*/series.toml"))
    assert series
    for folder in series:
        index = (content / folder.name / "_index.md").read_text()
        assert f'title: "{tomllib.loads((folder / "series.toml").read_text())["title"]}"' in index
        for part in folder.glob("part-*.md"):
            number = part.stem.removeprefix("part-")
            text = (content / folder.name / part.name).read_text()
            assert f"\npart: {number}\nweight: {number}\n" in text
            assert "](part:" not in text  # Hugo cannot follow our part links: they lead to the part's page
    assert not list(content.rglob("*.versions*")) and not list(content.rglob("v*.md"))
    essays = [p for p in (site / "posts").glob("*.md")]
    assert essays and all((content / p.name).is_file() for p in essays)
    assert "layout: archive" in (content / "archive.md").read_text()
