"""The git history benchmark: a Jekyll site in a repository of N commits, imported with its history.

    python -m tests.bench.import_history                  # 200 commits over 40 posts, 3 runs, the median
    python -m tests.bench.import_history --commits 1000 --posts 100 --runs 1

The repository is made once with ``git fast-import`` (so that making it takes no time worth counting):
each commit changes one post (a sentence added, a word corrected, now and then only the front matter or
the whitespace, every tenth a rename), dated a day after the last.  Each run is ``feuilleton import``
as a user runs it, in a fresh process, into a new site; its time includes starting Python, reading
every post, the one ``git log`` walk, the one ``git cat-file`` and writing the archives.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORDS = ("statute city federal enforcement refuse cooperate detainer warrant court county sheriff request "
         "information status citizenship commandeer tenth amendment congress spending clause grant").split()
START = 1479808800  # 2016-11-22 10:00 UTC


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(10, 18))).capitalize() + "."


def make_repository(folder: Path, commits: int, posts: int, seed: int = 1) -> None:
    """A Jekyll site of ``posts`` posts whose history has ``commits`` commits, through ``git fast-import``."""
    rng = random.Random(seed)
    names = [f"_posts/2016-11-{1 + n % 28:02d}-essay-{n}.md" for n in range(posts)]
    heads = [f"---\ntitle: Essay {n}\ndate: 2016-11-{1 + n % 28:02d} 09:00:00 +0000\ntags: [law]\n---\n"
             for n in range(posts)]
    bodies = [[_sentence(rng) for _ in range(6)] for _ in range(posts)]
    stream: list[bytes] = []

    def blob(path: str, text: str) -> None:
        data = text.encode("utf-8")
        stream.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")

    for number in range(commits):
        moment = START + number * 86400
        post = number % posts
        operations: list[bytes] = []
        stream_start = len(stream)
        if number < posts:
            subject = f"Write essay {post}"
            blob(names[post], heads[post] + "\n\n".join(bodies[post]) + "\n")
        else:
            kind = number % 10
            if kind == 0:
                old, names[post] = names[post], names[post].replace(".md", "-revised.md")
                stream.append(f"R {old} {names[post]}\n".encode())
                subject = f"Rename essay {post}"
            elif kind == 1:
                heads[post] = heads[post].replace("tags: [law]", "tags: [law, cities]")
                subject = f"Tag essay {post}"
            elif kind == 2:
                subject = f"Reflow essay {post}"
            elif kind in (3, 4):
                sentence = bodies[post][rng.randrange(len(bodies[post]))]
                bodies[post][bodies[post].index(sentence)] = sentence.replace(" ", " the ", 1)
                subject = f"Correct essay {post}"
            else:
                bodies[post].append(_sentence(rng))
                subject = f"Add to essay {post}"
            separator = "\n\n\n" if kind == 2 else "\n\n"
            blob(names[post], heads[post] + separator.join(bodies[post]) + "\n")
        operations = stream[stream_start:]
        del stream[stream_start:]
        message = subject.encode()
        stream.append(b"commit refs/heads/main\n" + f"author A. Writer <a@example.org> {moment} +0000\n".encode()
                      + f"committer A. Writer <a@example.org> {moment} +0000\n".encode()
                      + f"data {len(message)}\n".encode() + message + b"\n"
                      + b"".join(operations) + b"\n")
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    subprocess.run(["git", "-C", str(folder), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(folder), "checkout", "-q", "-f", "main"], check=True)


def run_once(source: Path, work: Path) -> tuple[float, str]:
    site = work / f"site-{time.monotonic_ns()}"
    (site / "posts").mkdir(parents=True)
    (site / "config.toml").write_text('title = "Bench"\nbase_url = "https://bench.example.org/"\n'
                                      '[author]\nname = "A. Writer"\n')
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "engine", "import", str(source)], cwd=site, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return elapsed, done.stdout.splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--posts", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        source = work / "blog"
        make_repository(source, args.commits, args.posts)
        times, line = [], ""
        for _ in range(args.runs):
            elapsed, line = run_once(source, work)
            times.append(elapsed)
        print(line)
        print(f"{args.commits} commits over {args.posts} posts: median {statistics.median(times):.2f} s "
              f"of {args.runs} run(s) ({', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
