"""Hugo set up to do the work our theme does for the same posts, so that "ours ÷ Hugo" can be read both
ways: against ``peers.hugo`` (a minimal theme: each post's title, date, text and tags; RSS with summaries,
Hugo's default) and against this one.

What this theme makes, as ours does for an archive without recorded revisions:
- each series a section: its page lists every part with its date, and each part's page shows "Part N of
  M", the series' contents, the previous and next part, the author's bio and the series' feeds;
- each series read whole on one page (``/series-n/whole/``);
- RSS, Atom and JSON Feed for the site and for each series, each with the 20 newest entries in full;
- a home page of the latest posts (10 a page), an archive of every post, tag pages.

What it does not make, since Hugo has no way to: the EPUB of each series, and old versions and pages of
what changed (the corpus with revisions gives Hugo the newest text only, as ``peers.hugo`` does).
"""
from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Callable

from tests.bench.peers import _front, timed

CONFIG = """baseURL = "https://bench.example.org/"
title = "Benchmark Site"
paginate = 10
rssLimit = 20

[params]
author = "B. Writer"
bio = "B. Writer writes benchmarks."

[taxonomies]
tag = "tags"

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]

[mediaTypes."application/feed+json"]
suffixes = ["json"]

[outputFormats.Atom]
mediaType = "application/atom+xml"
baseName = "atom"
rel = "alternate"

[outputFormats.JSONFeed]
mediaType = "application/feed+json"
baseName = "feed"
rel = "alternate"
isPlainText = true

[outputFormats.Whole]
mediaType = "text/html"
path = "whole"
baseName = "index"
rel = "alternate"

[outputs]
home = ["HTML", "RSS", "Atom", "JSONFeed"]
section = ["HTML", "RSS", "Atom", "JSONFeed", "Whole"]
taxonomy = ["HTML"]
term = ["HTML"]
"""

_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ .Title }} | {{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats }}
<link rel="alternate" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ .Site.BaseURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "archive/" | relURL }}">Archive</a> <a href="{{ "tags/" | relURL }}">Tags</a></nav></header>
"""

_FOOT = """<footer><p>{{ .Site.Params.author }}: {{ .Site.Params.bio | markdownify }}</p></footer></body></html>
"""

LAYOUTS = {
    "_default/baseof.html": _HEAD + '<main>{{ block "main" . }}{{ end }}</main>\n' + _FOOT,
    "_default/single.html": """{{ define "main" }}<article>
{{ $series := .CurrentSection }}{{ $parts := $series.Pages.ByWeight }}
{{ if .Params.part }}<p>Part {{ .Params.part }} of {{ len $parts }} of
<a href="{{ $series.RelPermalink }}">{{ $series.Title }}</a></p>{{ end }}
<h1>{{ .Title }}</h1>
<p>Published <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">
{{ .Date.Format "January 2, 2006, 3:04 pm" }}</time>
{{ if ne .Lastmod .Date }}, updated <time>{{ .Lastmod.Format "January 2, 2006" }}</time>{{ end }}</p>
{{ .Content }}
<p>{{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
{{ if .Params.part }}<nav>
{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">Part {{ .Params.part }}: {{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">Part {{ .Params.part }}: {{ .Title }}</a>{{ end }}
</nav>
<section><h2>{{ $series.Title }}</h2><ol>{{ range $parts }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "January 2, 2006" }}</time></li>{{ end }}</ol>
<p><a href="{{ $series.RelPermalink }}whole/">Read the series whole</a></p></section>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Params.description }}<p>{{ . }}</p>{{ end }}
{{ if eq .Kind "section" }}<ol>{{ range .Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "January 2, 2006" }}</time> {{ .Summary }}</li>{{ end }}</ol>
{{ else }}{{ range (.Paginate .Pages).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time>{{ .Date.Format "January 2, 2006" }}</time><p>{{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}{{ end }}
""",
    "_default/list.whole.html": _HEAD + """<main><h1>{{ .Title }}</h1>
{{ range .Pages.ByWeight }}<article><h2 id="part-{{ .Params.part }}">Part {{ .Params.part }}: {{ .Title }}</h2>
<time>{{ .Date.Format "January 2, 2006" }}</time>{{ .Content }}</article>{{ end }}</main>
""" + _FOOT,
    "_default/archive.html": """{{ define "main" }}<h1>Archive</h1><ul>
{{ range .Site.RegularPages.ByDate.Reverse }}{{ if ne .Layout "archive" }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "January 2, 2006" }}</time></li>{{ end }}{{ end }}</ul>{{ end }}
""",
    "_default/list.rss.xml": """{{- $pages := .RegularPages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end -}}
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0"><channel><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<description>{{ .Title }}</description><language>en</language>
{{ range first 20 $pages.ByDate.Reverse }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<guid>{{ .Permalink }}</guid><pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate>
<author>{{ .Site.Params.author }}</author><description>{{ .Content | html }}</description></item>{{ end }}
</channel></rss>
""",
    "_default/list.atom.xml": """{{- $pages := .RegularPages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end -}}
{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom"><title>{{ .Title }}</title><id>{{ .Permalink }}</id>
<link href="{{ .Permalink }}"/><updated>{{ now.Format "2006-01-02T15:04:05Z07:00" }}</updated>
{{ range first 20 $pages.ByDate.Reverse }}<entry><title>{{ .Title }}</title><id>{{ .Permalink }}</id>
<link href="{{ .Permalink }}"/><updated>{{ .Lastmod.Format "2006-01-02T15:04:05Z07:00" }}</updated>
<author><name>{{ .Site.Params.author }}</name></author>
<content type="html">{{ .Content | html }}</content></entry>{{ end }}
</feed>
""",
    "_default/list.jsonfeed.json": """{{ $pages := .RegularPages }}
{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ $items := slice }}{{ range first 20 $pages.ByDate.Reverse }}{{ $items = $items | append (dict "id" .Permalink
"url" .Permalink "title" .Title "content_html" .Content
"date_published" (.Date.Format "2006-01-02T15:04:05Z07:00")) }}{{ end }}
{{ dict "version" "https://jsonfeed.org/version/1.1" "title" .Title "home_page_url" .Permalink
"items" $items | jsonify }}
""",
}


def export(site: Path, target: Path) -> None:
    """The corpus's posts (newest text only): each series a section with its parts weighted by number,
    each essay at the top, as our addresses have them."""
    content = target / "content"
    content.mkdir(parents=True)
    for path in sorted((site / "posts").rglob("*.md")):
        if ".versions" in str(path):
            continue
        meta, body = _front(path.read_text())
        body = re.sub(r"\]\(part:([^)]*)\)", r"](../part-\1/)", body)
        head = f"---\ntitle: \"{meta['title']}\"\ndate: {meta['date']}\ntags: [{meta.get('tags', '[]').strip('[]')}]\n"
        if "part" in meta:
            head += f"part: {meta['part']}\nweight: {meta['part']}\n"
        relative = path.relative_to(site / "posts")
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(head + "---\n\n" + body)
    for toml in (site / "posts").glob("*/series.toml"):
        series = tomllib.loads(toml.read_text())
        (content / toml.parent.name / "_index.md").write_text(
            f"---\ntitle: \"{series['title']}\"\ndescription: \"{series.get('description', '')}\"\n---\n")
    (content / "archive.md").write_text("---\ntitle: Archive\nlayout: archive\n---\n")


def runner(site: Path, work: Path, trash: Path) -> Callable[[], tuple[float, float]] | None:
    """Hugo with this theme on the corpus (None when Hugo is not installed); the function returned times one
    cold build (seconds, peak MB)."""
    if not shutil.which("hugo"):
        return None
    target = work / "hugo-work"
    shutil.rmtree(target, ignore_errors=True)
    export(site, target)
    (target / "hugo.toml").write_text(CONFIG)
    for name, text in LAYOUTS.items():
        (target / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (target / "layouts" / name).write_text(text)
    return lambda: timed(["hugo", "--quiet"], target, target / "public", trash)
