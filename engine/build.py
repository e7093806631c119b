"""The pipeline, as a literal list of steps: load → model → render → write.

``build`` reads every source and assembles the whole model before rendering
anything; ``check`` is the same pipeline stopping short of writing.  Pages
whose inputs (templates + view data) did not change since the last build are
not rendered again, and files whose bytes did not change are not rewritten.
A build that succeeds leaves a stamp of what it read and wrote, with which
``feuilleton build`` can tell, before running any of this, that nothing
changed (``uptodate.py``).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .config import CACHE_DIR, Options, load_config
from .errors import Diagnostic, Report
from .model.assemble import assemble
from .model.dates import build_time
from .model.types import Post
from .output.outputs import render_all
from .output.render import Page
from .output.write import WriteResult
from .site import urls as U
from .site.pages import Planner, Tools, check_paths, fixed_files, plan
from .site.redirects import move_problems, redirect_pages
from .source.load import load
from .source.versions import reading
from .speed import uptodate
from .speed.cache import Cache
from .speed.parallel import check_cancelled
from .text.markdown import source_lines
from .text.parts import part_problems

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    """What a build did, for the summary line and for tests."""

    pages: int = 0
    feeds: int = 0
    rendered: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    written: WriteResult | None = None
    seconds: float = 0.0
    output: Path | None = None
    planner: Planner | None = None
    """The assembled site and its views (``serve`` uses them for previews)."""


def build(site_dir: Path, options: Options = Options(), *, now: datetime | None = None,
          output: Path | None = None, write: bool = True, use_cache: bool = True,
          progress=None, cache: Cache | None = None, persist: bool = True) -> BuildResult:
    """Build (or, with ``write=False``, check) the site in ``site_dir``.

    ``progress(text)`` is told which stage is running, for a terminal.  Within
    ``parallel.cancelled_by(event)``, the build stops with ``Cancelled`` at the
    next stage or page once the event is set, before ``output/`` is touched.
    """

    def say(text: str) -> None:
        check_cancelled()
        if progress is not None:
            progress(text)

    started = time.perf_counter()
    site_dir = site_dir.resolve()
    now = now or build_time()
    report = Report(site_dir)
    config, config_warnings = load_config(site_dir)
    report.items.extend(config_warnings)
    stamped = write and use_cache and persist  # ``serve`` and ``check`` leave no stamp: no need to scan
    inputs = uptodate.scan(site_dir, site_dir / config.posts_dir) if stamped else None
    say("reading the cache")
    cache = cache or Cache(site_dir, enabled=use_cache)
    say("reading posts")
    cache.read_ahead(reading(site_dir, site_dir / config.posts_dir, config.timezone))
    sources = load(site_dir, site_dir / config.posts_dir, report, cache.by_stat)
    site = assemble(sources, config, now, options, report, cache.by_stat)
    say("rendering Markdown and diffs")
    cache.prepare(*work_ahead(site))
    planner, pages = plan(site, Tools(markdown=cache.markdown, diff=cache.diff, derived=cache.derived,
                                     derive_all=cache.derive_all))
    pages += redirect_pages(planner, {page.path for page in pages} | set(fixed_files(site)))
    check_paths(site, pages)
    check_links(planner, report)
    check_moves(planner, pages, report)
    check_markup(planner, report)
    if not write:
        report_schedule(site, report)
    report.raise_if_errors()
    out = (output or site_dir / config.output_dir).resolve()
    if write:
        uptodate.remove(site_dir / CACHE_DIR)
    made = render_all(site_dir, config, planner, pages, cache, out, write, say,
                      bytecode=site_dir / CACHE_DIR / "jinja" if write and use_cache else None)
    result = BuildResult(pages=len(pages), feeds=made.feeds, rendered=made.rendered,
                         warnings=report.warnings + made.warnings,
                         planner=planner, written=made.written, output=out)
    if write:
        written = uptodate.snapshot(out)
        cache.save(out, made.fingerprints, written, persist)
        if inputs is not None:
            uptodate.save(site_dir / CACHE_DIR, stamp(site_dir, options, site, inputs, written, result))
    result.seconds = time.perf_counter() - started
    return result


def stamp(site_dir: Path, options: Options, site, inputs: uptodate.Inputs,
          written: dict[str, uptodate.FileState], result: BuildResult) -> uptodate.Stamp:
    """What this build read and wrote, so that the next one can tell whether it has anything to do."""
    posts = [*site.posts.values(), *site.held_back]
    published = [p.date for p in posts if p.status == "published"]
    future = [p.date for p in posts if p.status == "future"]
    undated_drafts = options.drafts and any(p.status == "draft" and p.date == site.now for p in posts)
    return uptodate.Stamp(
        key=uptodate.key(site_dir, options.drafts, options.future, result.output), inputs=inputs,
        valid_from=max(published, default=None),
        valid_until=site.now if undated_drafts else min(future, default=None),  # they are dated "now"
        output=written, pages=result.pages, feeds=result.feeds, warnings=tuple(result.warnings))


def work_ahead(site) -> tuple[list[str], list[tuple[str, str]]]:
    """The Markdown texts and version pairs the pages will need, so they can be done in parallel."""
    texts = [site.config.author.bio, *(s.description for s in site.series.values())]
    pairs = []
    for post in site.posts.values():
        texts.append(post.body)
        texts += [v.body for v in post.versions] + [v.note for v in post.versions if v.note]
        pairs += [(a.body, b.body) for a, b in zip(post.versions, post.versions[1:])]
    return texts, pairs


def report_schedule(site, report: Report) -> None:
    """For ``check``: when each future-dated post will go out."""
    zone = site.config.timezone
    for post in sorted(site.held_back, key=lambda p: p.date):
        if post.status != "future":
            continue
        what = f"part {post.part} of `{post.series}`" if post.series and post.part else "this post"
        when = post.date.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        report.warn(post.path, post.line("date"), f"{what} is dated {when}: it is published by the first "
                    "build after that moment (run `feuilleton build` then, or use --future to preview it)")


def authored_markdown(post) -> list[tuple[str, int, Path]]:
    """The Markdown an author wrote for a post — its essay and its notes — with where each starts."""
    return [(post.body, post.body_line, post.path)] + [(v.note, v.note_line, v.path) for v in post.versions if v.note]


def check_markup(planner: Planner, report: Report) -> None:
    """Unbalanced raw HTML in an essay, a note, the author's bio or a series description would break
    the pages that show it: an error, with its line (a TOML value's: the line its key is on)."""
    from .source.tomlfile import read_toml
    from .text.markup import unbalanced_lines
    for post in planner.site.posts.values():
        for text, first, path in authored_markdown(post):
            if "<" not in text:
                continue
            for line, problem in unbalanced_lines(text, str(planner.tools.markdown(text)))[:3]:
                report.error(path, (first or 1) + line - 1, problem)
    config = planner.site.config
    tomls = [(config.author.bio, config.source, ("author", "bio"))]
    tomls += [(s.description, s.source, ("description",)) for s in planner.site.series.values()]
    for text, path, keys in tomls:
        if "<" in text:
            for _, problem in unbalanced_lines(text, str(planner.tools.markdown(text)))[:1]:
                report.error(path, read_toml(path, report.where(path)).line(*keys), f"`{'.'.join(keys)}`: {problem}")


def check_links(planner: Planner, report: Report) -> None:
    """Warn, with file and line, about the links a build can tell are wrong (``link_problems``)."""
    for post in planner.site.posts.values():
        for text, first, path in authored_markdown(post):
            found = link_problems(planner, post, text)
            lines = source_lines(text, first or 1, [needle for needle, _ in found])
            for line, (_, problem) in zip(lines, found):
                report.warn(path, line, problem)


def check_moves(planner: Planner, pages: list[Page], report: Report) -> None:
    """Warn about posts that moved: an old address another page took, and a move not yet recorded
    (``moves.move_problems``)."""
    report.items.extend(move_problems(planner, pages))


def link_problems(planner: Planner, post: Post, text: str) -> list[tuple[str, str]]:
    """``(what to look for in the text to find its line, the warning)`` for each wrong link in ``text``, an
    essay or note of ``post``: a ``part:`` link to a part neither out nor planned, and, on a site living
    below a domain's root (``base_url`` with a path), a link that leaves it: ``/img/map.png``, or
    ``../../img/map.png`` climbing out, on a site at ``/essays/``.  Such a link works nowhere but in a
    preview that serves the site at the root, which ``serve`` does not."""
    html = planner.tools.markdown(text)
    found = part_problems(planner.parts, html.parts, post.series)
    base = planner.urls.base_path
    if base == "/" or "/" not in text:
        return found
    page = planner.urls.link(U.post_path(post))
    for url in dict.fromkeys(filter(U.is_local, U.addresses(str(html)))):
        target = urlsplit(urljoin(page, unescape(url))).path
        if not target.startswith(base) and target + "/" != base:
            found.append((url, f"link to {url} leaves the site, which lives at {base} (base_url): write "
                               f"{base}{target[1:]}, or a link relative to this post that stays inside it"))
    return found
