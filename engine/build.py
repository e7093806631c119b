"""The pipeline, as a literal list of steps: load → model → render → write.

``build`` reads every source and assembles the whole model before rendering
anything; ``check`` is the same pipeline stopping short of writing.  Pages
whose inputs (templates + view data) did not change since the last build are
not rendered again, and files whose bytes did not change are not rewritten.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import uptodate, urls as U
from .assemble import assemble
from .cache import Cache, fingerprint
from .config import CACHE_DIR, Config, Options, load_config
from .dates import build_time
from .errors import Diagnostic, Report, SiteError
from .digest import Digester
from .feeds import feed_paths, render_feed
from .load import load
from .parallel import parallel_map
from .pages import Planner, Tools, plan
from .render import THEME, Page, environment, render_page, templates_fingerprint
from .sitefeeds import all_feeds
from .write import WriteResult, write_output

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

    ``progress(text)`` is told which stage is running, for a terminal.
    """
    say = progress or (lambda text: None)
    started = time.perf_counter()
    site_dir = site_dir.resolve()
    now = now or build_time()
    report = Report(site_dir)
    config, config_warnings = load_config(site_dir)
    report.items.extend(config_warnings)
    inputs = uptodate.scan(site_dir, site_dir / config.posts_dir)
    say("reading the cache")
    cache = cache or Cache(site_dir, enabled=use_cache)
    say("reading posts")
    sources = load(site_dir, site_dir / config.posts_dir, report, cache.by_stat)
    site = assemble(sources, config, now, options, report, cache.by_stat)
    say("rendering Markdown and diffs")
    cache.prepare(*work_ahead(site))
    planner, pages = plan(site, Tools(markdown=cache.markdown, diff=cache.diff, derived=cache.derived))
    check_part_references(planner, report)
    check_markup(planner, report)
    if not write:
        report_schedule(site, report)
    report.raise_if_errors()
    out = (output or site_dir / config.output_dir).resolve()
    files, fingerprints, rendered = render_all(site_dir, config, planner, pages, cache, out, say,
                                               bytecode=site_dir / CACHE_DIR / "jinja" if write and use_cache else None)
    result = BuildResult(pages=len(pages), feeds=sum(1 for p in files if p.endswith((".xml", ".json"))
                                                     and not p.endswith("sitemap.xml")),
                         rendered=rendered, warnings=report.warnings, planner=planner)
    result.output = out
    if write:
        say(f"writing {out.name}/")
        uptodate.remove(site_dir / CACHE_DIR)
        result.written = write_output(out, files)
        written = uptodate.snapshot(out)
        cache.save(out, fingerprints, written, persist)
        if use_cache and persist:
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
    return [(post.body, post.body_line, post.path)] + [(v.note, 0, v.path) for v in post.versions if v.note]


def check_markup(planner: Planner, report: Report) -> None:
    """Unbalanced raw HTML in an essay or a note would break its page: an error, with its line."""
    from .markup import unbalanced
    for post in planner.site.posts.values():
        for text, first, path in authored_markdown(post):
            if "<" not in text:
                continue
            for tag, problem in unbalanced(planner.tools.markdown(text))[:3]:
                index = max(text.find(f"<{tag}"), text.find(f"</{tag}"))
                line = (first or 1) + (text.count("\n", 0, index) if index >= 0 else 0)
                report.error(path, line, f"raw HTML: {problem}")


def check_part_references(planner: Planner, report: Report) -> None:
    """Warn, with file and line, about ``part:`` links to parts neither out nor planned."""
    from .markdown import part_targets, source_line
    for post in planner.site.posts.values():
        for text, first, path in authored_markdown(post):
            for target in part_targets(planner.tools.markdown(text)):
                if not planner.resolver.known(target, post.series):
                    where = "this series" if "/" not in target else "that series"
                    report.warn(path, source_line(text, first or 1, target),
                                f"`part:{target}` refers to a part that is neither published nor planned in {where}")


def render_all(site_dir: Path, config: Config, planner: Planner, pages: list[Page], cache: Cache,
               out: Path, say=lambda text: None, bytecode: Path | None = None) -> tuple[dict[str, bytes | None], dict[str, str], int]:
    """Every output file: pages (skipping unchanged ones), feeds, sitemap, static files."""
    env = environment(site_dir, config, bytecode)
    templates = templates_fingerprint(site_dir)
    files: dict[str, bytes | None] = {}
    sources: dict[str, str] = {}
    fingerprints: dict[str, str] = {}
    problems: list[Diagnostic] = []
    todo: list[tuple[str, Page]] = []
    for page in pages:
        target = U.output_path(page.path)
        if target in sources:
            problems.append(Diagnostic(page.source, 0, f"would be written to {target}, which "
                                       f"{sources[target]} also claims; change a slug"))
            continue
        sources[target] = page.source
        todo.append((target, page))
    if problems:
        raise SiteError(problems)
    say(f"rendering {len(pages)} pages")
    digest = Digester()

    def render_if_changed(job: tuple[str, Page]) -> tuple[str, bytes | None]:
        """In a worker: the page's fingerprint, and its bytes unless the last build wrote the same page."""
        target, page = job
        mark = fingerprint(templates, page.template, digest(page.context).hex())
        return mark, None if cache.page_fingerprint(out, target) == mark else render_page(env, page, site_dir)

    for (target, _), (mark, data) in zip(todo, parallel_map(render_if_changed, todo)):
        fingerprints[target], files[target] = mark, data
    rendered = sum(1 for target, _ in todo if files[target] is not None)
    stale = []
    say("gathering feeds")
    feeds = all_feeds(planner)
    for feed in feeds:
        mark = fingerprint("feed", planner.urls.base_url, config.author.name, config.language, digest(feed).hex())
        names = feed_paths(feed)
        if all(cache.page_fingerprint(out, n) == mark for n in names):
            files.update(dict.fromkeys(names))
        else:
            stale.append(feed)
        fingerprints.update(dict.fromkeys(names, mark))
    author, language = config.author.name, config.language
    say(f"rendering {len(stale)} of {len(feeds)} feeds")
    for made in parallel_map(lambda feed: render_feed(feed, planner.urls, author, language), stale):
        files.update(made)
    files[U.SITEMAP] = render_page(env, Page(U.SITEMAP, "sitemap.xml", {"entries": sitemap_entries(planner, pages)},
                                             "sitemap"), site_dir)
    files[U.ROBOTS] = render_page(env, Page(U.ROBOTS, "robots.txt",
                                            {"sitemap_url": planner.urls.absolute(U.SITEMAP)}, "robots"), site_dir)
    generated = set(files)
    folders = {parent for path in generated for parent in _parents(path)}
    clashes = []
    for path, data in static_files(site_dir).items():
        if path in generated or path in folders or any(p in generated for p in _parents(path)):
            clashes.append(Diagnostic(f"static/{path}", 0, f"would replace or block the generated {path}; "
                                      "rename or move it"))
        files[path] = data
    if clashes:
        raise SiteError(clashes)
    return files, fingerprints, rendered


def sitemap_entries(planner: Planner, pages: list[Page]) -> list[tuple[str, str]]:
    entries = []
    for page in pages:
        meta = page.context.get("page")
        if meta is None or meta.noindex:
            continue
        post = page.context.get("post")
        lastmod = post.updated.isoformat() if post is not None and page.template == "post.html" else ""
        entries.append((planner.urls.absolute(page.path), lastmod))
    return entries


def _parents(path: str) -> list[str]:
    """``a/b/c.html`` → ``["a", "a/b"]``: the folders a file needs."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def static_files(site_dir: Path) -> dict[str, bytes]:
    """The theme's static files under ``theme/``, then the site's ``static/`` at the root."""
    found: dict[str, bytes] = {}
    problems = []
    for folder, prefix in ((THEME / "static", "theme/"), (site_dir / "static", "")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    try:
                        found[prefix + path.relative_to(folder).as_posix()] = path.read_bytes()
                    except OSError as e:
                        problems.append(Diagnostic(str(path.relative_to(site_dir) if path.is_relative_to(site_dir)
                                                       else path), 0, f"cannot read ({e.strerror}); if it was "
                                                   "just moved or deleted, run the command again"))
    if problems:
        raise SiteError(problems)
    return found
