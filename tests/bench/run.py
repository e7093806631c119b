"""The benchmark: build a synthetic site cold, with a restored cache, warm, after a one-file edit, and
diff a long essay.

    python -m tests.bench.run                 # 100 and 1,000 posts, 5 runs each
    python -m tests.bench.run --posts 5000 --runs 3
    python -m tests.bench.run --posts 1000 5000 --builds-only   # no serve or diff figures
    python -m tests.bench.run --peers         # also Pelican (throw-away venv) and Hugo if installed, twice:
                                              # a minimal theme, and our pages' work (``hugo_work.py``)
    python -m tests.bench.run --diff-only     # only the diffs: a long essay, growth, one long paragraph

Prints a table of medians and peak memory.  Every build is the command a
user runs, ``feuilleton build``, in a fresh process (with Python's bytecode
cache on, as a user's Python has it); its time includes starting Python.
Each cold build (no cache, no output) is followed at once by a build with
the cache restored and ``output/`` gone, as on a hosting CI runner,
whose output must be byte for byte the cold build's; their ratio is the
median of those pairs' ratios.
The one-file edit goes through the same code path as ``serve``
(``Server.rebuild`` with its in-memory cache).  The corpus's files are
dated an hour back, as an author's files are: a build never trusts files
saved in the last two seconds to be unchanged.  With ``--peers``, every
cold build is followed at once by a cold build of each peer, and a peer's
ratio is the median of those pairs' ratios: this shared machine's speed
drifts by tens of percent over minutes, which would skew runs made apart.
No tree is deleted while builds are timed (``aside.py``): old outputs and
caches are set aside and removed at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from tests.bench import hugo_work, peers
from tests.bench.aside import empty, set_aside
from tests.bench.corpus import generate

REPO = Path(__file__).resolve().parents[2]

_CHILD = """
import json, resource, sys
from engine.cli import main
code = main(["--site", sys.argv[1], "build"])
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"code": code, "peak_mb": peak / 1024}))
"""
_SUMMARY = re.compile(r"Built (\d+) pages and (\d+) feeds .*; (\d+) files written")


def child_build(site: Path) -> dict:
    """``feuilleton build`` in a fresh interpreter; wall time includes start-up and imports."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, str(site)], capture_output=True, text=True, env=env,
                          check=True)
    wall = time.perf_counter() - started
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    pages, feeds, written = map(int, _SUMMARY.search(done.stdout).groups())
    return {**figures, "wall": wall, "pages": pages, "feeds": feeds, "written": written}


def age(root: Path, seconds: int = 3600) -> None:
    """Date every file of the corpus ``seconds`` back."""
    when = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (when, when))


def cold(site: Path, runs: int, peers_cold: dict[str, Callable[[], tuple[float, float]] | None], trash: Path,
         restored: list[dict] | None = None) -> tuple[list[dict], dict]:
    """Cold builds, each followed by one cold build of every peer, so that a ratio compares runs made
    moments apart on this shared machine, whose speed drifts over minutes.

    With a ``restored`` list, each cold build is also followed by a build with the cache kept and
    ``output/`` gone (what a hosting CI runner does), appended there with ``identical``: whether its
    output is byte for byte the cold build's.  What each build replaces is set aside in ``trash``, not
    deleted (``aside.py``).
    """
    results, theirs = [], {name: [] for name, run in peers_cold.items() if run}
    for _ in range(runs):
        for name in ("output", ".feuilleton-cache", ".feuilleton-spare-output"):
            set_aside(site / name, trash)
        os.sync()  # no build starts while the disk still writes the last one's files
        results.append(child_build(site))
        if restored is not None:
            built = tree_digest(site / "output")
            for name in ("output", ".feuilleton-spare-output"):
                set_aside(site / name, trash)
            os.sync()
            restored.append({**child_build(site), "identical": tree_digest(site / "output") == built})
        for name, times in theirs.items():
            times.append(peers_cold[name]())
    figures: dict = {name: None for name in peers_cold}
    for name, timed in theirs.items():
        times = [seconds for seconds, _ in timed]
        figures[f"{name}_peak_mb"] = max(peak for _, peak in timed)
        figures[name] = statistics.median(times)
        figures[f"{name}_ratio"] = statistics.median(r["wall"] / t for r, t in zip(results, times))
    return results, figures


def tree_digest(root: Path) -> str:
    """One digest of every file's path and bytes under ``root``."""
    import hashlib
    digest = hashlib.blake2b()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def warm(site: Path, runs: int) -> tuple[list[dict], int]:
    child_build(site)
    before = {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*") if p.is_file()}
    results = [child_build(site) for _ in range(runs)]
    after = {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*") if p.is_file()}
    rewritten = sum(1 for p in after if before.get(p) != after[p])
    return results, rewritten


def one_edit(site: Path, runs: int) -> tuple[list[float], list[float]]:
    """Edit one paragraph of one part and handle it as ``serve`` does.

    Returns the seconds until the edited page is shown (``serve``'s fast
    path, after the watcher has seen the save and the burst has settled) and
    the seconds of the full rebuild that follows.
    """
    from engine.commands.serve import SETTLE, Server
    from engine.config import Options
    server = Server(site.resolve(), Options(), quiet=True, verbose=False)
    server.rebuild()
    target = sorted((site.resolve() / "posts").glob("series-*/part-2.md"))[0]
    original = target.read_text()
    shown, full = [], []
    for run in range(runs):
        target.write_text(original.replace("A section heading", f"A section heading, edit {run}"))
        started = time.perf_counter()
        server.try_fast_path([str(target)])
        shown.append(time.perf_counter() - started + SETTLE)
        started = time.perf_counter()
        server.rebuild()
        full.append(time.perf_counter() - started)
    assert len(server.fast) == runs, "the fast path was not taken"
    target.write_text(original)
    return shown, full


def save_during_rebuild(site: Path, runs: int, rebuild_seconds: float) -> list[float]:
    """Save a part, then save it again while the rebuild that follows is under way, with ``serve``'s
    own loop running; returns the seconds from the second save until its page is shown (served from memory
    by the fast path, or on disk)."""
    from engine.commands.serve import SETTLE, Server
    from engine.config import Options
    server = Server(site.resolve(), Options(), quiet=True, verbose=False)
    server.rebuild()
    target = sorted((site.resolve() / "posts").glob("series-*/part-2.md"))[0]
    page = server.out / target.relative_to(site.resolve() / "posts").with_suffix("") / "index.html"
    original = target.read_text()
    loop = threading.Thread(target=server.loop, daemon=True)
    loop.start()

    def save(text: str) -> None:  # as the watcher reports a save
        target.write_text(original.replace("A section heading", text))
        server.paths.append(str(target))
        server.changed.set()

    seen = []
    for run in range(runs):
        done = len(server.rebuilds)
        save(f"A first save {run}")
        time.sleep(SETTLE + rebuild_seconds / 2)  # halfway through the rebuild it set off
        started = time.perf_counter()
        save(f"A second save {run}")
        _wait(lambda: f"A second save {run}".encode() in (server.ahead.get(page.resolve()) or page.read_bytes()),
              0.001)
        seen.append(time.perf_counter() - started)
        _wait(lambda: len(server.rebuilds) > done, 0.01)  # the rebuild after it is done: next round
    server.stopping.set()
    server.changed.set()
    loop.join()
    target.write_text(original)
    return seen


def _wait(condition: Callable[[], bool], step: float, limit: float = 120) -> None:
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise AssertionError("serve's loop did not get there")
        time.sleep(step)


def long_diff(runs: int) -> float:
    import random

    from engine.text.diff import diff_html
    from engine.text.markdown import render
    from tests.bench.corpus import essay, revise
    from tests.bench.corpus import render as text
    rng = random.Random(7)
    paras = essay(rng, 10_000, None)
    old, new = render(text(paras)), render(text(revise(rng, paras)))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        diff_html(old, new)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def diff_growth(sizes: tuple[int, ...] = (15_000, 60_000, 240_000)) -> list[tuple[int, float]]:
    """The diff of ever longer essays with a third of their paragraphs edited: (words, seconds) for each,
    to show that the cost grows with the essay, not with its square."""
    import random

    from engine.text.diff import diff_html
    from engine.text.markdown import render
    from tests.bench.corpus import edit_every_third, essay
    from tests.bench.corpus import render as text
    found = []
    for words in sizes:
        rng = random.Random(3)
        paras = essay(rng, words, None)
        old, new = render(text(paras)), render(text(edit_every_third(rng, paras)))
        started = time.perf_counter()
        diff_html(old, new)
        found.append((words, time.perf_counter() - started))
    return found


def long_paragraph(runs: int, sizes: tuple[int, ...] = (10_000, 20_000, 50_000)) -> list[tuple[int, float]]:
    """The diff of one paragraph with every 50th word changed, as (words, median seconds) for each size:
    an essay written with single newlines between its paragraphs is one paragraph."""
    import random

    from engine.text.diff import diff_html
    from engine.text.markdown import render
    from tests.bench.corpus import sentence
    rng = random.Random(5)
    lines: list[list[str]] = []
    while sum(map(len, lines)) < max(sizes):
        lines.append(sentence(rng).split())
    found = []
    for words in sizes:
        old = [word for line in lines for word in line][:words]
        new = ["changed" if k % 50 == 25 else word for k, word in enumerate(old)]
        old_html, new_html = (render("\n".join(" ".join(ws[k:k + 15]) for k in range(0, words, 15)))
                              for ws in (old, new))
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            diff_html(old_html, new_html)
            times.append(time.perf_counter() - started)
        found.append((words, statistics.median(times)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peers", action="store_true")
    parser.add_argument("--keep", type=Path, help="build the corpora here and keep them")
    parser.add_argument("--like-for-like", action="store_true",
                        help="also build each size with no recorded revisions, as peers that keep no old versions")
    parser.add_argument("--diff-only", action="store_true", help="build no site: time the diffs only")
    parser.add_argument("--builds-only", action="store_true",
                        help="cold, restored-cache, warm and one-edit builds only: no serve save or diff figures")
    args = parser.parse_args()
    if args.diff_only:
        args.posts = []
    work = args.keep or Path(tempfile.mkdtemp(prefix="feuilleton-bench-"))
    trash = work / "trash"  # what the timed builds clear away waits here until the end (``aside.py``)
    rows = []
    sizes = [(n, True) for n in args.posts]
    if args.like_for_like:
        sizes = [(n, revised) for n in args.posts for revised in (False, True)]
    for n, revised in sizes:
        site = generate(work / f"site-{n}{'' if revised else '-unrevised'}", n, revisions=revised)
        age(site)
        restored: list[dict] = []
        place = work / f"peers-{n}{'' if revised else '-unrevised'}"
        theirs_cold = {**peers.runners(site, place, trash), "hugo_work": hugo_work.runner(site, place, trash)} \
            if args.peers else {}
        cold_runs, theirs = cold(site, args.runs, theirs_cold, trash, restored)
        warm_runs, rewritten = warm(site, args.runs)
        shown, full = one_edit(site, args.runs)
        meanwhile = [0.0] if args.builds_only else save_during_rebuild(site, args.runs, statistics.median(full))
        row = {"posts": n, "revised": revised, "pages": cold_runs[0]["pages"], "feeds": cold_runs[0]["feeds"],
               "cold": statistics.median([r["wall"] for r in cold_runs]),
               "cold_peak_mb": max(r["peak_mb"] for r in cold_runs),
               "restored": statistics.median([r["wall"] for r in restored]),
               "restored_ratio": statistics.median(r["wall"] / c["wall"] for r, c in zip(restored, cold_runs)),
               "restored_peak_mb": max(r["peak_mb"] for r in restored),
               "restored_identical": all(r["identical"] for r in restored),
               "warm": statistics.median([r["wall"] for r in warm_runs]), "warm_rewritten": rewritten,
               "warm_peak_mb": max(r["peak_mb"] for r in warm_runs),
               "edit_shown": statistics.median(shown), "edit_full": statistics.median(full),
               "edit_meanwhile": statistics.median(meanwhile)}
        row.update(theirs)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    empty(trash)  # nothing more is timed that creates many files
    if args.builds_only:
        print_builds(rows)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return
    diff_seconds = long_diff(max(args.runs, 5))
    print_table(rows, diff_seconds, diff_growth(), long_paragraph(max(args.runs, 3)))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def print_table(rows: list[dict], diff_seconds: float, growth: list[tuple[int, float]],
                paragraph: list[tuple[int, float]]) -> None:
    if rows:
        print_builds(rows)
    print(f"\nWord-level diff of a 10,000-word essay with ~10% of sentences changed: {diff_seconds * 1000:.0f} ms (median)")
    (words, first), (most, last) = growth[0], growth[-1]
    print("Diff with a third of the paragraphs edited: "
          + ", ".join(f"{w:,} words {s * 1000:.0f} ms" for w, s in growth)
          + f" ({last / first:.1f}× the time for {most / words:.0f}× the words)")
    print("One paragraph with every 50th word changed: "
          + ", ".join(f"{w:,} words {s * 1000:.0f} ms" for w, s in paragraph) + " (median)")


def print_builds(rows: list[dict]) -> None:
    print("| posts | pages + feeds | cold build | peak memory | cache restored, output/ empty (ratio to cold; "
          "peak memory) | warm, nothing changed (files rewritten) "
          "| serve, one edit: page shown | serve, one edit: full rebuild "
          "| serve, a save during that rebuild: page shown |"
          + (" Pelican cold (peak memory) | Hugo cold, minimal theme (peak memory) "
             "| Hugo cold, our pages' work (peak memory) |" if "pelican" in rows[0] else ""))
    print("|---|---|---|---|---|---|---|---|---|" + ("---|---|---|" if "pelican" in rows[0] else ""))
    for r in rows:
        same = "" if r["restored_identical"] else ", OUTPUT DIFFERS FROM THE COLD BUILD'S"
        posts = f"{r['posts']:,}" + ("" if r.get("revised", True) else ", no revisions")
        line = (f"| {posts} | {r['pages']:,} + {r['feeds']:,} | {r['cold']:.2f} s | {r['cold_peak_mb']:.0f} MB "
                f"| {r['restored']:.2f} s ({r['restored_ratio']:.2f}×; {r['restored_peak_mb']:.0f} MB{same}) "
                f"| {r['warm']:.2f} s ({r['warm_rewritten']}) | {r['edit_shown'] * 1000:.0f} ms "
                f"| {r['edit_full']:.2f} s | {r['edit_meanwhile'] * 1000:.0f} ms |")
        if "pelican" in r:
            ratio = lambda name: (f"{r[name]:.2f} s (ours: {r[name + '_ratio']:.2f}×; {r[name + '_peak_mb']:.0f} MB)"
                                  if r[name] else "not installed")
            line += f" {ratio('pelican')} | {ratio('hugo')} | {ratio('hugo_work')} |"
        print(line)


if __name__ == "__main__":
    main()
