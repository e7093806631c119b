"""The import benchmark: a synthetic WordPress export of N posts, imported into a fresh site.

    python -m tests.bench.import_corpus                   # 1,000 posts, 3 runs, prints the median
    python -m tests.bench.import_corpus --posts 5000 --runs 1
    python -m tests.bench.import_corpus --write export.xml  # only write the export

Each post is a few paragraphs of classic-editor or Gutenberg HTML with a list, a table, a footnote,
a captioned image on every tenth post, a category (every fifth post in a series by category), tags,
two saved revisions on every twentieth post and a comment; pages, drafts and menu items are mixed
in.  Every run is the command a user runs, ``feuilleton import``, in a fresh process, into a new
site, and its time includes starting Python.
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
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORDS = ("statute city federal enforcement refuse cooperate detainer warrant court county sheriff request "
         "information status citizenship commandeer anti-commandeering tenth amendment printz murphy congress "
         "spending clause grant condition policy practice").split()
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><link>https://bench.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://bench.example.org</wp:base_blog_url>
"""


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 20))
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random, number: int) -> str:
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(3, 8))]
    paragraphs[0] += f'<sup id="r{number}"><a href="#n{number}">1</a></sup>'
    extra = ["<ul><li>" + "</li><li>".join(_sentence(rng) for _ in range(3)) + "</li></ul>",
             "<table><tr><th>Year</th><th>Count</th></tr>" + "".join(
                 f"<tr><td>{2000 + i}</td><td>{rng.randint(1, 99)}</td></tr>" for i in range(4)) + "</table>",
             f'<ol><li id="n{number}">{_sentence(rng)} <a href="#r{number}">↩</a></li></ol>']
    if number % 10 == 0:
        extra.insert(0, f'[caption id="attachment_{number}" width="300"]<img src="https://bench.example.org/'
                     f'wp-content/uploads/img{number}.png" alt="Figure {number}" /> A figure[/caption]')
    if number % 2:
        return "\n\n".join(paragraphs + extra)
    return "\n\n".join(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs) + \
        "\n\n" + "\n\n".join(extra)


def _item(number: int, kind: str, status: str, title: str, date: datetime, content: str, parent: int = 0,
          terms: str = "", extra: str = "") -> str:
    slug = f"{number}-revision-v1" if kind == "revision" else f"post-{number}"
    return (f"<item><title><![CDATA[{title}]]></title><link>https://bench.example.org/{date:%Y/%m/%d}/{slug}/</link>"
            f'<guid isPermaLink="false">https://bench.example.org/?p={number}</guid>'
            f"<content:encoded><![CDATA[{content}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>"
            f"<wp:post_id>{number}</wp:post_id><wp:post_date><![CDATA[{date:%Y-%m-%d %H:%M:%S}]]></wp:post_date>"
            f"<wp:post_date_gmt><![CDATA[{date:%Y-%m-%d %H:%M:%S}]]></wp:post_date_gmt>"
            f"<wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status><![CDATA[{status}]]></wp:status>"
            f"<wp:post_parent>{parent}</wp:post_parent><wp:post_type><![CDATA[{kind}]]></wp:post_type>"
            f"{terms}{extra}</item>\n")


def generate(posts: int, seed: int = 1) -> str:
    """A WXR export with ``posts`` posts (and, besides them, a few pages, drafts, menu items, revisions)."""
    rng = random.Random(seed)
    start = datetime(2010, 1, 1, 12, tzinfo=timezone.utc)
    items = [HEAD]
    for number in range(1, posts + 1):
        date = start + timedelta(days=number)
        series = number % 5 == 0
        category = f"Series {number % 40 // 5}" if series else f"Topic {number % 7}"
        terms = (f'<category domain="category" nicename="c"><![CDATA[{category}]]></category>'
                 f'<category domain="post_tag" nicename="t"><![CDATA[tag {number % 13}]]></category>')
        comment = ("<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content><![CDATA[Thanks]]>"
                   "</wp:comment_content></wp:comment>")
        status = "draft" if number % 50 == 0 else "publish"
        body = _body(rng, number)
        items.append(_item(number, "post", status, f"Essay {number}", date, body, terms=terms, extra=comment))
        if number % 20 == 1:
            for version in (1, 2):
                items.append(_item(posts + 2 * number + version, "revision", "inherit", f"Essay {number}",
                                   date + timedelta(hours=version - 2 if version == 1 else 30),
                                   body.replace("Year", f"Year ({version})"), parent=number))
    for number in range(5):
        date = start + timedelta(days=number)
        items.append(_item(10 * posts + number, "page", "publish", f"Page {number}", date, _body(rng, number)))
        items.append(_item(20 * posts + number, "nav_menu_item", "publish", "", date, ""))
    items.append("</channel></rss>\n")
    return "".join(items)


def _run(export: Path, parent: Path) -> float:
    site = Path(tempfile.mkdtemp(dir=parent))
    (site / "posts").mkdir()
    (site / "config.toml").write_text('title = "Bench"\nbase_url = "https://bench.example.org/"\n'
                                      '[author]\nname = "A. Writer"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "engine", "--site", str(site), "import", str(export),
                           "--series-from", "category"], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    print(f"  {seconds:.2f} s: {done.stdout.splitlines()[0]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="only write the export to this file")
    args = parser.parse_args()
    text = generate(args.posts)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
        return
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.xml"
        export.write_text(text, encoding="utf-8")
        print(f"importing {args.posts} posts ({export.stat().st_size // 1024} KB of WXR), {args.runs} runs:")
        times = [_run(export, Path(folder)) for _ in range(args.runs)]
        print(f"median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
