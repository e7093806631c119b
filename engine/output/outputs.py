"""Every file of the site, each written where it is rendered.

The paths of all pages, feeds and static files are settled first (two
sources claiming one path, or a static file in the way of a generated one,
is an error before anything is written).  Then pages and feeds are
rendered on all cores, and each worker hands its files straight to the
``Writer``, which builds the spare tree beside ``output/``: no page's bytes
travel back to the parent, and both cores write.  A page whose fingerprint
(templates + view data) matches the one last written is not rendered at
all; a rendered page whose bytes match the live file is not rewritten.
A page whose fingerprint is that of bytes the cache keeps (``speed/store.py``)
is not rendered either when ``output/`` lacks it, as on a CI runner that
restores the cache but not the site: the kept bytes are written instead.
The fingerprint covers everything a page's bytes depend on: its view data,
the templates and catalogs, the whole configuration (the date filters read
it), and the versions of Python and of the libraries that render.
"""
from __future__ import annotations

import dataclasses
import logging
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .. import THEME
from ..config import Config
from ..errors import Diagnostic, Report, SiteError
from ..model.dates import for_machines
from ..site import urls as U
from ..site.book import BookView
from ..site.checks import with_marker
from ..site.linkchecks import check_targets
from ..site.feeds import Feed, feed_paths, render_feed
from ..site.maker import PageMaker
from ..site.sitefeeds import all_feeds
from ..source.files import EDITOR_FILES, REPOSITORIES, NotRegular, read_regular
from ..speed.cache import Cache, fingerprint, rendered_key
from ..speed.digest import Digester
from ..speed.parallel import check_cancelled, parallel_map
from ..speed.store import Stored
from ..speed.uptodate import library_versions
from . import search
from .epub import CHAPTERS, BookImages, book_bytes
from .overrides import template_problems
from .render import Page, compile_templates, environment, render_page, templates_fingerprint, walk_within
from .search import index_site
from .write import Writer, WriteResult

log = logging.getLogger(__name__)


@dataclass
class Outputs:
    """What ``render_all`` did."""

    written: WriteResult | None
    """What changed in ``output/`` (None for ``check``, which writes nothing)."""
    fingerprints: dict[str, str]
    """Site path → fingerprint of the page or feed written there, for the next build."""
    rendered: int
    """Pages rendered (the rest were unchanged since the last build)."""
    feeds: int
    """Feed files (one per format in ``urls.FEEDS``, for each feed)."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """Static files left out (a link out of the site, a pipe), for the build's warnings."""
    files: frozenset[str] = frozenset()
    """Every file of the site (pages, feeds, the sitemap, static files): what ``output/`` holds after."""


class _Discard:
    """A writer for ``check``: everything is rendered, nothing is written."""

    def __enter__(self) -> _Discard:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def put(self, rel: str, data: bytes | None) -> bool:
        return False

    def finish(self, written: list[str]) -> None:
        return None


def render_all(site_dir: Path, config: Config, maker: PageMaker, pages: list[Page], cache: Cache, out: Path,
               write: bool = True, say=lambda text: None, bytecode: Path | None = None, index: bool = True) -> Outputs:
    """Render every page and feed, the sitemap and static files, and write them (``write=False``: check only),
    with the search index unless ``index`` is False."""
    env = environment(site_dir, config, bytecode)
    compile_templates(env, {page.template for page in pages})
    digest = Digester()
    templates = fingerprint(templates_fingerprint(site_dir), digest(dataclasses.replace(config, source=Path())).hex(),
                            library_versions(), maker.urls.base_url)
    jobs = [(U.output_path(page.path), page) for page in pages]  # one page per path: plan checked it
    say("gathering feeds")
    feeds = all_feeds(maker)
    books = [page.context["book"] for page in pages if isinstance(page.context.get("book"), BookView)]
    skipped = Report(site_dir)
    skipped.items.extend(template_problems(env, site_dir))
    static = static_files(site_dir, skipped)
    generated = {target for target, _ in jobs} | {n for feed in feeds for n in feed_paths(feed)}
    generated |= {U.SITEMAP, U.ROBOTS} | {book.book_path for book in books}
    _check_static(static, generated)
    check_targets(maker, generated | set(static), skipped)
    if config.search:
        _check_search(static)
        languages = {config.language} | {post.language for post in maker.site.posts.values() if post.language}
        unsplit = search.splits_words(languages, config.language)
        if unsplit and index:
            skipped.warn(config.source, 0, unsplit)
    indexer = _Index(config.language, bytecode.parent / "search" if bytecode is not None else None) \
        if index and config.search else None
    fingerprints: dict[str, str] = {}
    with Writer(out, generated | set(static), indexer, config.search) if write else _Discard() as writer:

        def render_and_write(job: tuple[str, Page]) -> tuple[str, bool, bool, Stored | None]:
            """In a worker: the page's fingerprint; whether it was rendered, whether its bytes are new, and
            where its bytes are kept."""
            target, page = job
            extra = page.deferred() if page.deferred is not None else None
            late = digest(extra).hex() if extra is not None else ""  # shared views come from the memo
            mark = fingerprint(templates, page.template, digest(page.context).hex(), late)
            if cache.page_fingerprint(out, target) == mark:
                return mark, False, writer.put(target, None), None
            key = rendered_key(mark, target)
            data = cache.rendered(key) if write else None
            if data is not None:
                return mark, False, writer.put(target, data), cache.data["rendered"][key]
            data = render_page(env, page, site_dir, page.view(extra))
            if page.template == "version.html" and page.context.get("recorded"):
                data = with_marker(data, page.context["recorded"], page.context["owner"])
            return mark, True, writer.put(target, data), cache.keep_rendered(key, data) if write else None

        say(f"rendering {len(pages)} pages")
        done = parallel_map(render_and_write, jobs)
        written = [target for (target, _), (_, _, new, _) in zip(jobs, done) if new]
        for (target, _), (mark, _, _, stored) in zip(jobs, done):
            fingerprints[target] = mark
            cache.kept_rendered(rendered_key(mark, target), stored)
        digest.forget_views()  # the feeds and books share few of the pages' views (1.3 MB at 1,000 posts)
        written += _feeds(feeds, maker, templates, cache, out, writer, digest, fingerprints, say, write)
        written += _books(env, books, maker, templates, cache, out, writer, digest, fingerprints, site_dir,
                          BookImages(static, maker.urls.base_url,
                                     any((site_dir / "templates" / name).exists() for name in CHAPTERS)), write)
        if indexer is not None:
            indexer.pages = sorted(target for target, page in jobs if _searched(page))
            indexer.key = fingerprint("search", templates, search.version(), search.FURNITURE,
                                      *[fingerprints[target] for target in indexer.pages])
        for path, data in _sitemap_and_robots(env, maker, pages, site_dir).items():
            written += [path] if writer.put(path, data) else []
        written += [path for path, data in static.items() if writer.put(path, data)]
        say(f"writing {out.name}/")
        result = writer.finish(written)
    return Outputs(result, fingerprints, sum(1 for _, rendered, _, _ in done if rendered),
                   len(U.FEEDS) * len(feeds), skipped.warnings, frozenset(generated | set(static)))


def _feeds(feeds: list[Feed], maker: PageMaker, templates: str, cache: Cache, out: Path, writer,
           digest: Digester, fingerprints: dict[str, str], say, write: bool) -> list[str]:
    """Render the feeds that changed (on all cores) and write them; returns the paths with new bytes.
    A feed whose every file the cache keeps is written from those bytes, unrendered."""
    config = maker.config
    stale, written = [], []
    for feed in feeds:
        check_cancelled()
        mark = fingerprint("feed", templates, digest(feed).hex())
        names = feed_paths(feed)
        fingerprints.update(dict.fromkeys(names, mark))
        if all(cache.page_fingerprint(out, n) == mark for n in names):
            written += [n for n in names if writer.put(n, None)]
        else:
            stale.append((feed, mark))
    author, language = config.author.name, config.language

    def render(job: tuple[Feed, str]) -> tuple[list[str], dict[str, Stored | None]]:
        feed, mark = job
        keys = {name: rendered_key(mark, name) for name in feed_paths(feed)}
        made = {name: cache.rendered(key) for name, key in keys.items()} if write else {}
        if made and all(data is not None for data in made.values()):
            stored = {keys[name]: cache.data["rendered"][keys[name]] for name in made}
        else:
            made = render_feed(feed, maker.urls, author, language)
            stored = {keys[name]: cache.keep_rendered(keys[name], data) for name, data in made.items()} \
                if write else {}
        return [path for path, data in made.items() if writer.put(path, data)], stored

    say(f"rendering {len(stale)} of {len(feeds)} feeds")
    for paths, stored in parallel_map(render, stale):
        written += paths
        for key, entry in stored.items():
            cache.kept_rendered(key, entry)
    return written


def _books(env, books: list[BookView], maker: PageMaker, templates: str, cache: Cache, out: Path, writer,
           digest: Digester, fingerprints: dict[str, str], site_dir: Path, images: BookImages,
           write: bool = True) -> list[str]:
    """Make the EPUB of each series whose book changed (its texts, or the bytes of an image it holds) on
    all cores, and write it; an unchanged one is kept as it is, and one the cache keeps (``output/`` gone)
    is written from those bytes.  Returns the paths with new bytes."""
    stale = []
    for book in books:
        mark = fingerprint("epub", templates, digest(book).hex(), digest(maker.site_view).hex(),
                           *images.shown(book, maker.site_view))
        fingerprints[book.book_path] = mark
        if cache.page_fingerprint(out, book.book_path) == mark:
            writer.put(book.book_path, None)
        else:
            stale.append((book, mark))

    def make(job: tuple[BookView, str]) -> tuple[bool, Stored | None]:
        book, mark = job
        key = rendered_key(mark, book.book_path)
        data = cache.rendered(key) if write else None
        if data is not None:
            return writer.put(book.book_path, data), cache.data["rendered"][key]
        data = book_bytes(env, book, maker.site_view, site_dir, images)
        return writer.put(book.book_path, data), cache.keep_rendered(key, data) if write else None

    written = []
    for (book, mark), (new, stored) in zip(stale, parallel_map(make, stale)):
        written += [book.book_path] if new else []
        cache.kept_rendered(rendered_key(mark, book.book_path), stored)
    return written


def _sitemap_and_robots(env, maker: PageMaker, pages: list[Page], site_dir: Path) -> dict[str, bytes]:
    sitemap = Page(U.SITEMAP, "sitemap.xml", {"entries": sitemap_entries(maker, pages)}, "sitemap")
    robots = Page(U.ROBOTS, "robots.txt", {"sitemap_url": maker.urls.absolute(U.SITEMAP)}, "robots")
    return {U.SITEMAP: render_page(env, sitemap, site_dir), U.ROBOTS: render_page(env, robots, site_dir)}


def _check_static(static: dict[str, bytes], generated: set[str]) -> None:
    """A static file may not replace a generated one, nor sit where a generated one needs a folder, in letters
    of either case (``static/Feed.XML`` replaces ``feed.xml`` on a disk of macOS or Windows)."""
    made = {path.casefold(): path for path in generated}
    folders = {parent.casefold(): parent for path in generated for parent in _parents(path)}
    clashes = []
    for path in static:
        key, above = path.casefold(), [made[p.casefold()] for p in _parents(path) if p.casefold() in made]
        taken = made.get(key) or folders.get(key) or (above[0] if above else None)
        if taken is not None:
            case = "" if path == taken or path.startswith(taken + "/") or taken.startswith(path + "/") else \
                U.CASE_BLIND
            clashes.append(Diagnostic(f"static/{path}", 0, f"would replace or block the generated {taken}{case}; "
                                                            "rename or move it"))
    if clashes:
        raise SiteError(clashes)


def sitemap_entries(maker: PageMaker, pages: list[Page]) -> list[tuple[str, str]]:
    entries = []
    for page in pages:
        meta = page.context.get("page")
        if meta is None or meta.noindex:
            continue
        post = page.context.get("post")
        lastmod = for_machines(post.updated).isoformat() if post is not None and page.template == "post.html" else ""
        entries.append((maker.urls.absolute(page.path), lastmod))
    return entries


class _Index:
    """The search index for the writer to make in the built tree; its ``key`` (the fingerprints of the pages
    it reads) is known once they are rendered."""

    def __init__(self, language: str, kept: Path | None):
        self.language, self.kept, self.key = language, kept, ""
        self.pages: list[str] = []
        """The output paths of the pages the index reads."""

    def __call__(self, tree: Path) -> None:
        index_site(tree, self.language, self.kept, self.key, self.pages)


def _searched(page: Page) -> bool:
    """Whether Pagefind reads the page: a post's current text."""
    return bool(getattr(page.context.get("page"), "search", False))


def _check_search(static: dict[str, bytes]) -> None:
    """No file of ``static/`` may lie where the search index goes (``check_paths`` says so of posts)."""
    taken = sorted(path for path in static if path.startswith(U.SEARCH_INDEX))
    if taken:
        raise SiteError(Diagnostic(f"static/{taken[0]}", 0, f"lies in {U.SEARCH_INDEX}, where the search index "
                                   "goes (search = true); move it"))


def _parents(path: str) -> list[str]:
    """``a/b/c.html`` → ``["a", "a/b"]``: the folders a file needs."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def static_files(site_dir: Path, report: Report) -> dict[str, bytes]:
    """The theme's static files under ``theme/``, then the site's ``static/`` at the root.

    Only what lies in the site is published: a link that leads out of it (``static/passwd.txt`` →
    ``/etc/passwd``), a pipe or a device is skipped with a warning in ``report``; a file that cannot be
    read is an error there, raised once all are seen.
    """
    found: dict[str, bytes] = {}
    for folder, prefix, root in ((THEME / "static", "theme/", THEME), (site_dir / "static", "", site_dir)):
        for rel, path in walk_within(folder, root, lambda path, why: report.warn(path, 0, why), unentered=REPOSITORIES):
            data = None if _unpublished(path.name) else _read_static(path, report)
            if data is not None and not prefix and _in_the_way(rel, found):  # as any file the build makes
                report.error(path, 0, f"would replace or block the theme's own {_in_the_way(rel, found)}; rename "
                             "or move it (to restyle the site, add a stylesheet of your own: see the guide's "
                             "Theming)")
            elif data is not None:
                found[prefix + rel] = data
    report.raise_if_errors()
    return found


def _unpublished(name: str) -> bool:
    """A file of ``static/`` that is never copied: hidden (``.DS_Store``), or an editor's (``notes.md~``,
    ``#notes.md#``, a swap file), as Jekyll leaves them out."""
    return name.startswith(".") or EDITOR_FILES.search(name) is not None


def _in_the_way(rel: str, theme: dict[str, bytes]) -> str | None:
    """The theme's file that a site's static file at ``rel`` would replace, or block as a folder or a file where
    one of its folders is."""
    if not rel.casefold().startswith("theme/"):
        return None
    key = rel.casefold()  # as a disk blind to letter case (macOS, Windows) would put them in one place
    return next((name for name in theme if name.startswith("theme/") and (
        name.casefold() == key or name.casefold().startswith(key + "/") or key.startswith(name.casefold() + "/"))),
        None)


def _read_static(path: Path, report: Report) -> bytes | None:
    """The bytes of a static file; None, with a warning, for a pipe, a device or a socket, which are never
    opened (a pipe would make the build wait for ever)."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(path, mode)
        return read_regular(path)
    except NotRegular as e:
        report.warn(path, 0, f"is {e.strerror}: skipped")
    except OSError as e:
        report.error(path, 0, f"cannot read ({e.strerror}); if it was just moved or deleted, run the command again")
    return None
