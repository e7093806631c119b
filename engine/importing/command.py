"""``feuilleton import``: tell what kind of archive SOURCE is, have its reader convert all of it, then write.

The order is the promise: every reader reads and converts the whole source into an ``ImportResult`` (a
bad source is a ``SiteError`` before anything is decided), ``write.plan`` decides every file and finds
every clash, and only then does ``apply.apply`` touch the site.  With ``--dry-run`` the plan is reported
and nothing is written.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..config import Config, load_config, still_example
from ..errors import Diagnostic, SiteError
from .apply import Plan, apply
from .gitlog import repository
from .hugoconfig import config_file
from .model import ImportResult, ReadOptions, Skipped, Where
from .pelicanfile import settings_file
from .report import Progress, progress_for, render_report
from .earlier import imported_paths, site_posts
from .write import plan

log = logging.getLogger(__name__)

READERS: dict[str, str] = {
    "wordpress": "wordpress",
    "substack": "substack",
    "feed": "feed",
    "jekyll": "jekyll",
    "hugo": "hugo",
    "pelican": "pelican",
}
"""Each kind → the module of this package that reads it; the module has ``read(source, options, progress)``
returning an ``ImportResult`` (``source``: a ``Path``, or a ``str`` URL for a feed).  Registering a reader is
one line here."""

KINDS = tuple(READERS)
SERIES_FROM = ("category", "tag", "title")
@dataclass(frozen=True)
class Imported:
    """What one run did (or, with ``--dry-run``, would do), for the CLI to print."""

    lines: tuple[str, ...]
    """The report."""
    plan: Plan
    written: bool


def import_into(args: argparse.Namespace, site: Path, now: datetime) -> Imported:
    """``feuilleton import`` with its parsed arguments, into ``site``."""
    config, _ = load_config(site)
    example = still_example(config, "importing")
    if example is not None and not args.dry_run:
        raise SiteError(example)
    if example is not None and not args.quiet:  # a dry run shows what would happen: the import would stop here
        print(Diagnostic(example.path, example.line, f"{example.message}; the import itself stops here until then",
                         warning=True), file=sys.stderr)
    options = ReadOptions(series_from=args.series_from, history=args.history,
                          minor_below=args.minor_below if args.minor_below is not None else ReadOptions.minor_below,
                          static_prefix=urlsplit(config.base_url).path or "/", zone=config.timezone,
                          language=config.language)
    if options.minor_below < 0:
        raise SiteError(Diagnostic("--minor-below", 0, f"must be 0 or more words, got {options.minor_below}"))
    progress = progress_for(sys.stderr, args.quiet)
    return run(args.source, site, config, args.kind, options, args.dry_run, now, progress,
               minor_asked=args.minor_below is not None)


def run(source: str, site: Path, config: Config, kind: str | None, options: ReadOptions, dry_run: bool,
        now: datetime, progress: Progress | None = None, minor_asked: bool = False) -> Imported:
    """Read SOURCE whole, plan every file, and write them unless ``dry_run``."""
    where = _source(source)
    if kind is not None:
        _reads(kind, where, source)
    kind = kind or detect(where)
    module = f"{__package__}.{READERS[kind]}"
    try:
        reader = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name != module:
            raise
        raise SiteError(Diagnostic(source, 0, f"reading {kind} archives is not part of this version")) from e
    read: Callable[..., ImportResult] = reader.read
    posts = site_posts(site, site / config.posts_dir, config.base_url)  # read once, for the readers and the plan
    earlier = imported_paths(posts)  # posts an earlier run imported: left as they are, their texts stop nothing
    options = replace(options, imported=frozenset(earlier), imported_paths=earlier)
    result = read(where, options, progress)
    unweighed = minor_asked and (_NO_COMMITS.get(kind) or (  # git is asked only when the flag was given
        None if options.history is not False and isinstance(where, Path) and repository(where) is not None
        else "weighs the changes of git commits, and none were read: the folder is not in git, or --no-history "
        "was given"))
    if unweighed:
        result = replace(result, skipped=(*result.skipped, Skipped(Where(source), f"--minor-below "
                         f"{options.minor_below}", unweighed)))
    planned = plan(result, site, config, now, posts)
    if not dry_run and planned.files:
        apply(planned, site)
    left = {p.where.path for p in result.posts if p.source_id in planned.already}  # their notes were said then
    result = replace(result, skipped=tuple(s for s in result.skipped if s.where.path not in left))
    lines = render_report(result, planned, dry_run=dry_run, site=site)
    return Imported(tuple(lines), planned, not dry_run and bool(planned.files))


_NO_COMMITS = {
    "wordpress": "weighs the changes of git commits; WordPress's own revisions are recorded as silent corrections "
                 "(it keeps no note saying which were updates)",
    "substack": "weighs the changes of git commits; a Substack export holds no earlier versions",
    "feed": "weighs the changes of git commits; a feed holds no earlier versions"}
"""Sources whose versions ``--minor-below`` does not weigh, and why."""


def _source(source: str) -> Path | str:
    """A URL stays a string; anything else is a path that must exist."""
    if urlsplit(source).scheme in ("http", "https"):
        return source
    path = Path(source)
    if not path.exists():
        raise SiteError(Diagnostic(source, 0, "no such file or folder to import"))
    return path


_FOLDERS = ("jekyll", "hugo", "pelican")
"""Kinds read from a site's folder; ``wordpress`` and ``feed`` read a file (a feed, also an address)."""


def _reads(kind: str, where: Path | str, source: str) -> None:
    """Refuse ``--from KIND`` for a source that kind cannot be (a file given as a Jekyll site would import
    nothing, and say only that)."""
    folder = isinstance(where, Path) and where.is_dir()
    seems = _folder_kind(where) if folder and kind in _FOLDERS else None  # type: ignore[arg-type]
    if seems not in (None, kind):
        raise SiteError(Diagnostic(source, 0, f"--from {kind}, but this folder looks like a {seems} site: leave "
                                   f"out --from, or write --from {seems}"))
    if kind in _FOLDERS and not folder or kind in ("wordpress", "feed") and folder:
        what = "a site's folder" if kind in _FOLDERS else "a file" + (" or an address" if kind == "feed" else "")
        seems = None
        try:
            seems = detect(where)
        except SiteError:
            pass
        hint = f"; it looks like a {seems} archive: leave out --from, or write --from {seems}" if seems else ""
        raise SiteError(Diagnostic(source, 0, f"--from {kind} reads {what}, and this is "
                                   f"{'a folder' if folder else 'no folder'}{hint}"))


def detect(source: Path | str) -> str:
    """The kind of archive SOURCE is, from what it holds; a ``SiteError`` that says ``--from`` when unsure."""
    if isinstance(source, str):
        return "feed"
    kind = _folder_kind(source) if source.is_dir() else _file_kind(source)
    if kind is None:
        raise SiteError(Diagnostic(str(source), 0, "cannot tell what kind of archive this is; name it with "
                                   f"--from ({', '.join(KINDS)})"))
    log.info("%s: read as %s", source, kind)
    return kind


def _folder_kind(folder: Path) -> str | None:
    if (folder / "posts.csv").is_file():
        return "substack"
    if settings_file(folder) is not None:
        return "pelican"
    if (folder / "_config.yml").is_file() or (folder / "_posts").is_dir():
        return "jekyll"
    if (folder / "content").is_dir() and config_file(folder) is not None:
        return "hugo"
    return None


def _file_kind(path: Path) -> str | None:
    if zipfile.is_zipfile(path):
        return "substack"
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as e:
        raise SiteError(Diagnostic(str(path), 0, f"cannot read: {e.strerror}")) from e
    if b"wordpress.org/export/" in head or b"<wp:wxr_version" in head:
        return "wordpress"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(marker in text for marker in (b"<rss", b"<feed", b"<rdf:rdf")):
        return "wordpress" if b"xmlns:wp=" in text else "feed"
    return None
