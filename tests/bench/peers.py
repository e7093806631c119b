"""The same corpus built by peers: Pelican (in a throw-away virtualenv) and Hugo when installed."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Callable

from tests.bench.aside import set_aside

PELICAN_CONF = """AUTHOR = "B. Writer"
SITENAME = "Benchmark Site"
SITEURL = ""
PATH = "content"
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
DEFAULT_PAGINATION = 10
"""


def _front(text: str) -> tuple[dict[str, str], str]:
    head, body = text.split("\n---\n", 1)
    meta = {}
    for line in head.splitlines()[1:]:
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip().strip('"')
    return meta, body


def export(site: Path, target: Path, kind: str) -> None:
    """Copy the posts (newest text only) in the peer's own format."""
    content = target / ("content" if kind == "pelican" else "content/posts")
    content.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(sorted((site / "posts").rglob("*.md"))):
        if ".versions" in str(path):
            continue
        meta, body = _front(path.read_text())
        body = re.sub(r"\]\(part:[^)]*\)", "](#)", body)
        tags = meta.get("tags", "[]").strip("[]")
        if kind == "pelican":
            head = f"Title: {meta['title']}\nDate: {meta['date'][:16].replace('T', ' ')}\nTags: {tags}\n"
        else:
            head = f"---\ntitle: \"{meta['title']}\"\ndate: {meta['date']}\ntags: [{tags}]\n---\n"
        (content / f"post-{number}.md").write_text(head + "\n" + body)


HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ .Site.BaseURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time>
{{ .Content }}
<p>{{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range (.Paginate .Pages).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
""",
}
"""A minimal theme, so that Hugo renders every page as Feuilleton does (without one it renders none)."""


def pelican(site: Path, work: Path, trash: Path) -> Callable[[], tuple[float, float]]:
    """Pelican set up on the corpus; the function returned times one cold build (seconds, peak MB)."""
    venv = work / "pelican-venv"
    if not (venv / "bin" / "pelican").exists():
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pelican[markdown]"], check=True)
    target = work / "pelican"
    shutil.rmtree(target, ignore_errors=True)
    export(site, target, "pelican")
    (target / "pelicanconf.py").write_text(PELICAN_CONF)
    command = [str(venv / "bin" / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    return lambda: timed(command, target, target / "output", trash)


def hugo(site: Path, work: Path, trash: Path) -> Callable[[], tuple[float, float]] | None:
    """Hugo set up on the corpus (None when it is not installed); the function returned times one cold build
    (seconds, peak MB)."""
    if not shutil.which("hugo"):
        return None
    target = work / "hugo"
    shutil.rmtree(target, ignore_errors=True)
    export(site, target, "hugo")
    (target / "hugo.toml").write_text('baseURL = "https://bench.example.org/"\ntitle = "Benchmark Site"\n'
                                      'paginate = 10\n')
    for name, text in HUGO_LAYOUTS.items():
        (target / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (target / "layouts" / name).write_text(text)
    return lambda: timed(["hugo", "--quiet"], target, target / "public", trash)


def timed(command: list[str], folder: Path, output: Path, trash: Path,
          env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and peak memory (MB, its largest process) of one build; its last output is set aside in
    ``trash``, as ours is (``aside.py``)."""
    set_aside(output, trash)
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    error = process.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, stderr=error)
    return seconds, usage.ru_maxrss / 1024


def runners(site: Path, work: Path, trash: Path) -> dict[str, Callable[[], tuple[float, float]] | None]:
    """Each peer's cold build, ready to be timed in turn with Feuilleton's."""
    work.mkdir(parents=True, exist_ok=True)
    return {"pelican": pelican(site, work, trash), "hugo": hugo(site, work, trash)}
