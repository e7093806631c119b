"""The floor: the least a build of the like-for-like archive costs in Python with the required libraries.

    python -m tests.bench.floor                  # 1,000 posts, 5 alternating runs
    python -m tests.bench.floor --posts 1000 --runs 7

Issue #22 asks for a cold build of the archive with no revisions in at most Hugo's time.  This shows
whether a Python build can meet that at all.  ``--build SITE OUT`` builds SITE's posts into OUT the way
the benchmark's Hugo does (``peers.HUGO_LAYOUTS``), and nothing more:

- each post's file read, its front matter parsed (PyYAML's C loader) and its Markdown rendered
  (pyromark, with Feuilleton's options);
- the same pages as Hugo, through Jinja: one page per post with its tags and its neighbours, the home
  page, ``/posts/`` and each tag's page in pages of 10, and the index of tags;
- an RSS feed of every list, with every post's summary, made by feedgen;
- on both cores (a pool of forked processes), written where it lands, with no check, no cache, no
  old versions, no series, no EPUB, no JSON Feed or Atom, and no swap into place.

The command itself alternates four cold builds of the same corpus, each in a fresh process:
``feuilleton build``; the same with the work that neither PRODUCT.md nor Hugo asks for left out (the
EPUBs, the JSON Feeds and the whole-series pages, switched off for the benchmark only); this floor; and
Hugo (when installed).  It prints their medians and the median of each run's ratio to ours.
"""
from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

BASE = "https://bench.example.org/"
PER_PAGE = 10
SUMMARY_WORDS = 70
"""Hugo's summary: the first 70 words of the text."""

_TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} | Benchmark Site</title>
{% if feed %}<link rel="alternate" type="application/rss+xml" href="{{ feed }}">{% endif %}
</head><body><header><a href="{{ base }}">Benchmark Site</a></header>
<main>{% block main %}{% endblock %}</main></body></html>
""",
    "single.html": """{% extends "base.html" %}{% block main %}<article><h1>{{ post.title }}</h1>
<time datetime="{{ post.date.isoformat() }}">{{ post.date.strftime("%B %-d, %Y") }}</time>
{{ post.html|safe }}
<p>{% for tag in post.tags %}<a href="/tags/{{ tag|urlencode }}/">{{ tag }}</a> {% endfor %}</p>
{% if before %}<a href="{{ before.url }}">{{ before.title }}</a>{% endif %}
{% if after %}<a href="{{ after.url }}">{{ after.title }}</a>{% endif %}
</article>{% endblock %}
""",
    "list.html": """{% extends "base.html" %}{% block main %}<h1>{{ title }}</h1>
{% for post in posts %}<article><h2><a href="{{ post.url }}">{{ post.title }}</a></h2>
<p>{{ post.summary }}</p></article>{% endfor %}
<nav>{% if number > 1 %}<a href="{{ path }}{% if number > 2 %}page/{{ number - 1 }}/{% endif %}">Newer</a>{% endif %}
{% if number < pages %}<a href="{{ path }}page/{{ number + 1 }}/">Older</a>{% endif %}</nav>{% endblock %}
""",
}
_TAG = re.compile(r"<[^>]+>")
_LEAN = """
import sys
from engine import build
from engine.output import outputs
from engine.site import feeds
outputs._books = lambda *args, **kwargs: []
build.whole_series_pages = lambda maker, views: []
feeds.json_feed = lambda *args, **kwargs: b"{}"
from engine.cli import main
sys.exit(main(["--site", sys.argv[1], "build", "-q"]))
"""
"""``feuilleton build`` without EPUBs, whole-series pages or JSON Feeds (each feed's ``feed.json`` is ``{}``)."""


@dataclass(slots=True)
class Post:
    title: str
    date: datetime
    tags: list[str]
    html: str
    summary: str
    url: str


def read(path: str) -> Post:
    """One post: its front matter, its Markdown rendered, its summary."""
    import pyromark
    import yaml

    options = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES  # Feuilleton's
               | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_SMART_PUNCTUATION)
    text = Path(path).read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    meta = yaml.load(head, Loader=yaml.CSafeLoader)
    html = pyromark.html(body, options=options)
    summary = " ".join(_TAG.sub(" ", html).split()[:SUMMARY_WORDS])
    date = meta["date"] if isinstance(meta["date"], datetime) else datetime.fromisoformat(str(meta["date"]))
    return Post(str(meta["title"]), date, [str(tag) for tag in meta.get("tags") or []], html, summary,
                f"/posts/{Path(path).parent.name}-{Path(path).stem}/")


_posts: list[Post] = []
_lists: list[tuple[str, str, list[Post]]] = []
_out = Path()


def _write(url: str, text: str) -> None:
    folder = _out / url.strip("/")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("index.xml" if text.startswith("<?xml") else "index.html")).write_text(text, encoding="utf-8")


def _env():
    from jinja2 import DictLoader, Environment
    return Environment(loader=DictLoader(_TEMPLATES), autoescape=True)


def pages(share: range) -> int:
    """The post pages with these indexes; returns how many files were written."""
    single = _env().get_template("single.html")
    for k in share:
        post = _posts[k]
        _write(post.url, single.render(post=post, title=post.title, base=BASE, feed=None,
                                       before=_posts[k + 1] if k + 1 < len(_posts) else None,
                                       after=_posts[k - 1] if k else None))
    return len(share)


def listing(index: int) -> int:
    """One list (home, ``/posts/``, a tag): its pages and its RSS feed; returns how many files were written."""
    from feedgen.feed import FeedGenerator
    title, path, posts = _lists[index]
    template = _env().get_template("list.html")
    count = max(1, math.ceil(len(posts) / PER_PAGE))
    for number in range(1, count + 1):
        url = path if number == 1 else f"{path}page/{number}/"
        _write(url, template.render(title=title, base=BASE, feed=f"{path}index.xml", path=path, number=number,
                                    pages=count, posts=posts[(number - 1) * PER_PAGE:number * PER_PAGE]))
    feed = FeedGenerator()
    feed.title(title)
    feed.link(href=BASE + path.lstrip("/"))
    feed.description(f"Recent content in {title}")
    for post in reversed(posts):
        entry = feed.add_entry()
        entry.title(post.title)
        entry.link(href=BASE + post.url.lstrip("/"))
        entry.guid(BASE + post.url.lstrip("/"))
        entry.pubDate(post.date)
        entry.description(post.summary)
    _write(path, feed.rss_str(pretty=False).decode("utf-8"))
    return count + 1


def build(site: Path, out: Path) -> int:
    """Build ``site``'s posts into ``out`` (see the module's text); returns how many files were written."""
    global _out
    _out = out
    files = sorted(str(p) for p in (site / "posts").rglob("*.md") if ".versions" not in p.parent.name)
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        _posts[:] = sorted(pool.map(read, files, chunksize=25), key=lambda post: post.date, reverse=True)
    tags: dict[str, list[Post]] = {}
    for post in _posts:
        for tag in post.tags:
            tags.setdefault(tag, []).append(post)
    _lists[:] = [("Benchmark Site", "/", _posts), ("Posts", "/posts/", _posts),
                 *((tag, f"/tags/{tag}/", posts) for tag, posts in sorted(tags.items()))]
    shares = [range(k, min(k + 50, len(_posts))) for k in range(0, len(_posts), 50)]
    with context.Pool(2) as pool:  # forked after the posts are read: the workers hold them
        written = sum(pool.map(pages, shares, chunksize=1)) + sum(pool.map(listing, range(len(_lists)), chunksize=1))
    index = _env().get_template("list.html").render(
        title="Tags", base=BASE, feed=None, path="/tags/", number=1, pages=1,
        posts=[Post(tag, _posts[0].date, [], "", f"{len(posts)} posts", f"/tags/{tag}/") for tag, posts in tags.items()])
    _write("/tags/", index)
    return written + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--build", nargs=2, type=Path, metavar=("SITE", "OUT"), help="build the floor only")
    args = parser.parse_args()
    if args.build:
        started = time.perf_counter()
        written = build(*args.build)
        print(f"{written} files in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        return
    compare(args.posts, args.runs, args.keep)


def compare(n: int, runs: int, keep: Path | None) -> None:
    """Alternate cold builds of the floor, of Feuilleton and of Hugo on one corpus; print the figures."""
    import shutil

    from tests.bench import peers
    from tests.bench.aside import empty, set_aside
    from tests.bench.corpus import generate
    from tests.bench.run import REPO, age, cold

    work = keep or Path(tempfile.mkdtemp(prefix="feuilleton-floor-"))
    trash = work / "trash"
    site = generate(work / f"site-{n}-unrevised", n, revisions=False)
    age(site)
    out = work / "floor-output"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    floor = lambda: peers.timed([sys.executable, "-m", "tests.bench.floor", "--build", str(site), str(out)],
                                REPO, out, trash, env)

    def lean() -> tuple[float, float]:
        for name in (".feuilleton-cache", ".feuilleton-spare-output"):  # cold, as ours
            set_aside(site / name, trash)
        return peers.timed([sys.executable, "-c", _LEAN, str(site)], REPO, site / "output", trash, env)

    others = {"lean": lean, "floor": floor, "hugo": peers.hugo(site, work / "peers", trash)}
    results, figures = cold(site, runs, others, trash)
    empty(trash)
    ours = statistics.median(r["wall"] for r in results)
    print(f"| {n:,} posts, no revisions, cold | time | ours ÷ it | peak memory |\n|---|---|---|---|")
    print(f"| feuilleton build | {ours:.2f} s | | {max(r['peak_mb'] for r in results):.0f} MB |")
    rows = {"lean": "without EPUBs, JSON Feeds and whole-series pages",
            "floor": "the floor: Hugo's pages in Python, with the required libraries", "hugo": "Hugo"}
    for name, title in rows.items():
        if figures[name]:
            print(f"| {title} | {figures[name]:.2f} s | {figures[name + '_ratio']:.2f}× "
                  f"| {figures[name + '_peak_mb']:.0f} MB |")
    print(f"\nMedians of {runs} alternating runs; each ratio is the median of the runs' ratios.")
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
