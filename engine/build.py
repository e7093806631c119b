"""The pipeline, as a literal list of stages: config → sources → model → pages → checks → render and write.

``build`` reads every source and assembles the whole model before rendering
anything; ``check`` is the same pipeline stopping short of writing.  Around
the stages, ``Kept`` holds what a build keeps for the next: the cache (pages
whose inputs did not change are not rendered again, files whose bytes did not
change are not rewritten) and the stamp with which ``feuilleton build`` can
tell, before running any of this, that nothing changed.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable

from .config import CACHE_DIR, Config, Options, load_config
from .errors import Diagnostic, Report
from .model.assemble import assemble
from .model.dates import build_time
from .model.types import Site
from .output.outputs import render_all
from .output.render import Page
from .output.write import WriteResult
from .site.book import book_views, whole_series_pages
from .site.checks import check_published_versions, check_site
from .site.hosting import hosting_pages
from .site.maker import Cached, PageMaker
from .site.moves import renamed_series
from .site.pages import check_paths, fixed_files, plan
from .site.redirects import redirect_pages
from .source.load import Sources, load
from .source.versions import reading
from .speed.cache import Cache
from .speed.kept import Kept
from .speed.parallel import check_cancelled

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
    maker: PageMaker | None = None
    """The assembled site and its views (``serve`` uses them for previews)."""
    cache: Cache | None = None
    """The cache the build used and kept (``deploy`` asks it whose each version page was)."""
    files: frozenset[str] = frozenset()
    """Every file of the site, written or (``check``) not: what links into the site may lead to."""


def build(site_dir: Path, options: Options = Options(), *, now: datetime | None = None,
          output: Path | None = None, write: bool = True, use_cache: bool = True,
          progress=None, cache: Cache | None = None, persist: bool = True,
          base_url: str | None = None, index: bool = True) -> BuildResult:
    """Build (or, with ``write=False``, check) the site in ``site_dir``.

    ``progress(text)`` is told which stage is running, for a terminal.  Within
    ``parallel.cancelled_by(event)``, the build stops with ``Cancelled`` at the
    next stage or page once the event is set, before ``output/`` is touched.  ``base_url`` builds for
    another address than ``config.toml``'s (a preview, or a CI run for its Pages address); such a build leaves no
    stamp, so that the next build for the site's own address is never taken for one with nothing to do, but keeps
    its cache: every page's fingerprint holds the address it was rendered for, so a build for another address
    renders its own pages and a build for the same one (the next CI run) reuses them.  ``index=False`` leaves the
    search index out (``serve``); the next build that indexes makes it.
    """
    started, say = time.perf_counter(), _progress(progress)
    site_dir = site_dir.resolve()
    report = Report(site_dir)
    config = read_config(site_dir, report)
    if base_url is not None:
        config = replace(config, base_url=base_url, written_base_url=config.base_url)
    posts_dir = site_dir / config.posts_dir
    kept = Kept(site_dir, posts_dir, options, cache, use_cache,
                stamped=write and use_cache and persist and base_url is None)

    say("reading posts")
    sources = read_sources(site_dir, posts_dir, config, report, kept.cache)
    site = assemble(sources, config, now or build_time(), options, report, kept.cache.by_stat)
    say("rendering Markdown and diffs")
    kept.prepare(site)
    maker, pages = plan_site(site, kept.cache)
    kept.cache.diffs_ahead(maker.all_compared(), lambda job: maker.compared(*job))  # before pages and feeds
    check_site(maker, pages, report, schedule=not write)
    out = (output or site_dir / config.output_dir).resolve()
    check_published_versions(site, out, report, pages, kept.cache.version_owners_in(out),
                             kept.cache.version_texts_in(out), kept.cache.written_in(out))
    report.raise_if_errors()

    if write:
        kept.writing()
    made = render_all(site_dir, config, maker, pages, kept.cache, out, write, say,
                      bytecode=site_dir / CACHE_DIR / "jinja" if write and use_cache else None, index=index)
    warnings = report.warnings + made.warnings
    if write:
        kept.save(site, out, made.fingerprints, persist, len(pages), made.feeds, warnings, made.files)
    return BuildResult(pages=len(pages), feeds=made.feeds, rendered=made.rendered, warnings=warnings,
                       maker=maker, written=made.written, output=out, seconds=time.perf_counter() - started,
                       cache=kept.cache, files=made.files)


def read_config(site_dir: Path, report: Report) -> Config:
    """``config.toml``, its warnings into ``report``."""
    config, warnings = load_config(site_dir)
    report.items.extend(warnings)
    return config


def read_sources(site_dir: Path, posts_dir: Path, config: Config, report: Report, cache: Cache) -> Sources:
    """Every post, version and ``series.toml``: read on all cores first, then split in order."""
    cache.read_ahead(reading(site_dir, posts_dir, config.timezone))
    return load(site_dir, posts_dir, report, cache.by_stat)


def plan_site(site: Site, cache: Cache) -> tuple[PageMaker, list[Page]]:
    """Every page of the site with its views (each series read whole among them), the redirects moved posts
    left, the files static hosts read (``_redirects``, ``_headers``), and no two claiming one output path."""
    maker, pages = plan(site, Cached(markdown=cache.markdown, diff=cache.diff, value=cache.value,
                                      values=cache.values))
    pages += whole_series_pages(maker, book_views(maker))
    pages += redirect_pages(maker, {page.path for page in pages} | set(fixed_files(site)))
    pages += hosting_pages(maker, pages, renamed_series(site))
    check_paths(site, pages)
    return maker, pages


def _progress(progress: Callable[[str], None] | None) -> Callable[[str], None]:
    """How stages announce themselves: to ``progress`` if given, and to cancellation in any case."""
    def say(text: str) -> None:
        check_cancelled()
        if progress is not None:
            progress(text)
    return say
