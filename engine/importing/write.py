"""The one writer of ``feuilleton import``: every reader's ``ImportResult`` becomes files in the site.

``plan`` decides everything first and writes nothing: each post's file (``posts/SLUG.md``, or
``posts/SERIES/SLUG.md`` beside a ``series.toml``), its front matter, its version archive (the same
sealed files ``publish`` and ``revise`` write, each version saying where it came from), and the assets
copied into ``static/``.  It recognizes posts an earlier run imported (by ``imported_from``) and leaves
them alone, and stops with every clash at once: a post, an address or a static file the site has
already.  ``apply.apply`` then writes the plan (``apply.py``).
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import yaml

from ..config import Config
from ..errors import Diagnostic, Report, SiteError
from ..model.aliases import FEED_ADDRESS, alias_path, feed_address
from ..model.assemble import default_entry_id
from ..model.slugs import check_slug, slugify
from ..site import urls as U
from ..source.files import read_regular
from ..source.load import SERIES_FILE, split_source
from ..source.textcheck import without_forbidden
from ..source.versions import NewVersion, archive_dir, read_archive
from .apply import NewArchive, NewFile, Plan
from .earlier import SitePost
from .folder import LFS_ADVICE, LFS_POINTER
from .history import tokens, words
from .model import Asset, ImportedPost, ImportResult, Skipped, Where
from .tidy import (Relinker, clear_series, closed_versions, distinct_ids, math_note, number_parts, one_spelling,
                   unclosed_html, without_strays, zone_note)

log = logging.getLogger(__name__)

RESERVED = U.SECTIONS | {"static", "feed", "index"} | U.ROOT_FILES
"""Slugs a post may not take at the top of the site: the site's own pages and folders."""


@dataclass
class _Site:
    """What the site holds already: addresses taken, imported ids, files."""

    posts_dir: Path
    taken: dict[str, str] = field(default_factory=dict)
    """Address → the existing post file that has it."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Site path of an alias (casefolded) → the existing post file that has it."""
    imported: dict[str, SitePost] = field(default_factory=dict)
    """Source id → the post an earlier run imported from it."""
    parts: dict[str, dict[int, str]] = field(default_factory=dict)
    """Series → each part number its posts claim → the post file that claims it."""
    sources: dict[str, set[str]] = field(default_factory=dict)
    """Series → the source ids its posts were imported from."""


def plan(result: ImportResult, site: Path, config: Config, now: datetime, posts: list[SitePost]) -> Plan:
    """Decide every file of the import; a ``SiteError`` with every clash, before anything is written.
    ``posts``: the site's post files (``earlier.site_posts``)."""
    posts_dir = site / config.posts_dir
    existing = _existing(site, posts_dir, posts)
    errors: list[Diagnostic] = []
    notes: list[Skipped] = []
    already = tuple(p.source_id for p in result.posts if p.source_id in existing.imported)
    notes += [note for p in result.posts if p.source_id in existing.imported
              for note in _newer_in_source(p, existing.imported[p.source_id], site, config)]
    todo = [p for p in result.posts if p.source_id not in existing.imported]
    todo = distinct_ids(one_spelling(number_parts(todo, notes), notes, config.slug_ascii), notes)
    result, todo = clear_series(result, todo, posts_dir, notes)
    result, todo = _beside_the_sites_series(result, todo, existing, notes)
    zone_note(todo, config.timezone, _shown(config.source, site), notes)
    math_note(todo, notes)
    placed: dict[str, ImportedPost] = {}
    files: list[NewFile] = []
    archives: list[NewArchive] = []
    menu: list[tuple[str, str]] = []
    aliases = 0
    slots: list[tuple[ImportedPost, str, Path]] = []
    for post in todo:
        slug = _free_slug(post, placed, existing, notes, errors)
        if slug is None:
            continue
        placed[U.address(post.series, slug)] = post
        folder = posts_dir / post.series if post.series else posts_dir
        path = folder / f"{slug}.md"
        if path.exists() or os.path.lexists(path):
            errors.append(Diagnostic(post.where.path, post.where.line, f"would be written as {_shown(path, site)}, "
                                     "which exists; nothing was imported: move that file away or import into "
                                     "another site"))
            continue
        if os.path.lexists(archive_dir(path)):  # a post's versions, left without it: the post would take them
            out = site / config.output_dir / U.version_path(U.address(post.series, slug), 1) / "index.html"
            errors.append(Diagnostic(post.where.path, post.where.line, _left_archive(path, site, config, post,
                                                                                     out.is_file())))
            continue
        slots.append((post, slug, path))
    addresses = _Addresses(config.base_url, existing, placed, {p.series for p in todo if p.series})
    relinker = Relinker(result.origins, U.Urls(config.base_url).base_path)
    for post, slug, path in slots:
        addresses.prefer(post, _shown(path, site))
        relinker.moved(post, U.address(post.series, slug))
    for post, slug, path in slots:
        post = closed_versions(without_strays(relinker.relinked(_visible(post, notes)), notes), notes)
        if post.layout == "page" and post.tags:  # a page is on no tag's page; the build would warn
            notes.append(Skipped(post.where, f"tags of the page {post.title!r}", "left out: a page is listed on "
                                 "no tag's page"))
            post = replace(post, tags=())
        if not _balanced(post, errors):
            continue
        key = path.relative_to(posts_dir).as_posix()
        post = replace(post, aliases=addresses.kept(post, U.address(post.series, slug), _shown(path, site),
                                                    notes, errors))
        aliases += len(post.aliases)
        texts, archive = _texts(post, slug, key, config, now, path)
        if not _reads_back(post, path, texts, site, errors):
            continue
        files.append(NewFile(path, texts.encode("utf-8"), "page" if post.layout == "page" else "post"))
        if archive:
            archives.append(archive)
        if post.layout == "page" and not post.draft and post.listed:
            menu.append((post.title, U.address(post.series, slug)))
    files += _series_files(result, todo, posts_dir, existing, errors)
    files += _asset_files(todo, site, errors, notes)
    if errors:
        raise SiteError([*errors, Diagnostic(str(site), 0, "nothing was written: the import stops at what "
                                             "is said above")])
    return Plan(tuple(files), tuple(archives), already, tuple(notes), aliases, tuple(menu))



def _left_archive(path: Path, site: Path, config: Config, post: ImportedPost, published: bool) -> str:
    """Why a post cannot be imported where the versions of another are, and what to do: an import of this
    very source that was stopped left them (each came from one of this post's revisions, and no build has
    published them), or a post was deleted without them, whose versions may be public."""
    folder, read = archive_dir(path), Report(site)  # what is wrong with the folder, the build says
    recorded = read_archive(path, config.timezone, read)
    ours = {revision.origin for revision in post.history if revision.origin}
    left = bool(recorded) and not read.items and not published \
        and all(version.origin in ours for version in recorded)  # a version a revise recorded has no origin
    if folder.is_dir() and not any(folder.iterdir()):
        return (f"would be written as {_shown(path, site)}, but {_shown(folder, site)}/ is there, empty, where its "
                "recorded versions would go, as an import that was stopped can leave it; nothing was imported: "
                "delete that folder and run the import again")
    why = ("an import of this source that was stopped left them, and no build has published them: delete that "
           "folder and run the import again" if left else
           "they are a deleted post's, whose published versions keep their addresses: put that post back, or move "
           "the folder away if you mean it gone")
    return (f"would be written as {_shown(path, site)}, but {_shown(folder, site)}/ holds the recorded versions "
            f"of a post not there, which it would take for its own; nothing was imported: {why}")


def _in_section(path: str) -> bool:
    """Whether an old address lies among the site's own pages: in one of their folders, but under ``page/``
    only the home page's pages (``page/2/``), since a Hugo site keeps its standalone pages at ``/page/about/``."""
    top, _, rest = path.partition("/")
    if top != U.home_page_path(2).split("/")[0]:
        return top in U.SECTIONS
    return not rest.strip("/") or rest.strip("/").isdigit()


class _Addresses:
    """Which of an imported post's old addresses can become its ``aliases`` so that the site builds: each
    as the build reads it (``/a``, ``/a/`` and ``/A/`` are one address), none another page's, a file the
    site generates, the home page, or an old address another post already keeps."""

    def __init__(self, base_url: str, existing: _Site, placed: dict[str, ImportedPost], series: set[str]):
        self.base_url, self.existing = base_url, existing
        self.pages = {a.casefold() for a in (*existing.taken, *placed, *map(U.series_path, series))}
        self.generated = {f.casefold() for f in U.fixed_files(U.feed_prefixes(series, ()))} | \
            {f.casefold() for f in U.ROOT_FILES}
        self.claimed: dict[str, str] = {}
        """Site path (casefolded) → the file of the imported post that keeps it."""
        self.first: dict[str, str] = {}
        """The same, for each post's first old address (where the old site had it), which no other post's
        list of old addresses may take from it."""

    def prefer(self, post: ImportedPost, file: str) -> None:
        """Note where the post itself was on the old site, before any post's aliases are kept."""
        for written in post.aliases[:1]:
            try:
                self.first.setdefault(self._path(written).casefold(), file)
            except ValueError:
                pass

    def _path(self, written: str) -> str:
        """The site path an old address names (``alias_path``)."""
        return alias_path(_single_slash(written), self.base_url)

    def kept(self, post: ImportedPost, own: str, file: str, notes: list[Skipped],
             errors: list[Diagnostic]) -> tuple[str, ...]:
        """The post's aliases that will redirect to it; each left out is in ``notes`` (or, taken by a post the
        site has already, in ``errors``: which of the two should keep it is the author's to say)."""
        kept: dict[str, str] = {}
        for written in post.aliases:
            try:
                path = self._path(written)
            except ValueError as e:
                notes.append(Skipped(post.where, f"old address {written}", f"no alias: it {e}"))
                continue
            key = path.casefold()
            if key == own.casefold() and path != own:
                notes.append(Skipped(post.where, f"old address {written}", f"differs from the new one, /{own}, only "
                                     "in the case of its letters: a host that tells them apart (GitHub Pages, S3, "
                                     "nginx) answers old links with 404 unless its own rules redirect them"))
            if key in kept or key == own.casefold():
                continue  # the same address written another way, or where the post now is
            why = ("is the home page's address" if not path else
                   f"is taken by {self.existing.aliases[key]} in the site" if key in self.existing.aliases else
                   "is the address of a page of the site" if key in self.pages
                   or _in_section(key) else
                   "is the address of a file the site generates" if key.rstrip("/") in self.generated else
                   f"is already an alias of {self.claimed[key]}" if key in self.claimed else
                   f"is where {self.first[key]} was" if self.first.get(key, file) != file else
                   FEED_ADDRESS if feed_address(path) else None)
            if why is None:
                kept[key] = _single_slash(written)
                self.claimed[key] = file
            elif key in self.existing.aliases:
                errors.append(Diagnostic(post.where.path, post.where.line, f"its old address {written} {why}; "
                                         "nothing was imported: remove the alias from one of them"))
            else:
                notes.append(Skipped(post.where, f"old address {written}", f"no alias: it {why}"))
        return tuple(kept.values())


def _single_slash(written: str) -> str:
    """An old address as a path: a feed's ``//2022/…`` (a site that doubled its slash) as ``/2022/…``."""
    return "/" + written.lstrip("/") if written.startswith("//") else written


def _visible(post: ImportedPost, notes: list[Skipped]) -> ImportedPost:
    """The post with each character no page can carry (a backspace pasted in years ago) taken out of its
    text, its versions' and their notes, and reported: the build refuses such a character, and a recorded
    version cannot be mended afterwards."""
    def clean(text: str, which: str) -> str:
        kept, taken = without_forbidden(text)
        notes.extend(Skipped(post.where, f"{which}, line {line}", f"{name} taken out: no page or feed can carry it",
                             kept=True) for line, name in taken)
        return kept
    history = tuple(replace(r, markdown=clean(r.markdown, f"the text of version {number}"),
                            note=clean(r.note, f"the note of version {number}"),
                            title=clean(r.title, f"the title of version {number}"))
                    for number, r in enumerate(post.history, start=1))
    return replace(post, title=clean(post.title, "its title"), summary=clean(post.summary, "its summary"),
                   markdown=clean(post.markdown, "its text"), history=history)


def _balanced(post: ImportedPost, errors: list[Diagnostic]) -> bool:
    """Whether the raw HTML in the post's text closes what it opens, as the build requires of an essay (an
    error at the source otherwise: the old tool may have been forgiving, and only the author can say what
    was meant).  Older versions, which cannot be mended once recorded, have what they left open closed
    (``tidy.closed_versions``), and their notes are plain text: only the text is asked."""
    problems = unclosed_html(post)
    errors += problems
    return not problems


def _existing(site: Path, posts_dir: Path, posts: list[SitePost]) -> _Site:
    """Every address the site's posts have now, their aliases, and the sources earlier imports came from."""
    found = _Site(posts_dir)
    for post in posts:
        shown, imported = _shown(post.path, site), post.meta.get("imported_from")
        found.taken[post.address] = shown
        if isinstance(imported, str):
            found.imported.setdefault(imported, post)
        if post.series:
            if isinstance(post.meta.get("part"), int):
                found.parts.setdefault(post.series, {}).setdefault(post.meta["part"], shown)
            if isinstance(imported, str):
                found.sources.setdefault(post.series, set()).add(imported)
        for alias in post.aliases:
            found.aliases.setdefault(alias.casefold(), shown)
    if posts_dir.is_dir():
        for toml in posts_dir.glob(f"*/{SERIES_FILE}"):
            found.taken.setdefault(U.series_path(toml.parent.name), _shown(toml, site))
    return found


def _newer_in_source(post: ImportedPost, had: SitePost, site: Path, config: Config) -> list[Skipped]:
    """What the report says of a post an earlier run imported whose source has versions since (commits, saved
    revisions), or, where the site recorded none of it, another text than the site's: an import never changes
    a post it made, so they are not brought, and the author is told."""
    quiet = Report(site)  # the build says what is wrong with an archive
    path = had.path
    recorded = read_archive(path, config.timezone, quiet)
    if not recorded:
        return _otherwise_in_source(post, had, site)
    origins = {version.origin for version in recorded}
    newer = [r for r in post.history if r.origin and r.origin not in origins]
    if not recorded or not newer or tokens(newer[-1].markdown) == tokens(str(recorded[-1].body)):
        return []  # none recorded to compare; or the newest committed since just as it was imported
    count = f"{len(newer)} version{'s' if len(newer) > 1 else ''}"
    return [Skipped(post.where, f"{count} newer than the import", f"the source has them since {_shown(path, site)} "
                    f"was imported (the newest: {newer[-1].date:%Y-%m-%d}, {newer[-1].origin}); an import leaves a "
                    "post it made as it is: record each with `feuilleton revise`, or remove the post and its "
                    ".versions/ folder (and any revision recorded since) and import again")]


def _otherwise_in_source(post: ImportedPost, had: SitePost, site: Path) -> list[Skipped]:
    """What the report says of a post an earlier run imported, no version of which the site has recorded, whose
    text or title in the source is not the site's: the author kept writing on the old site, or edited the
    imported post since; the words a reader reads are compared, not the links the import led to the site."""
    if words(post.markdown) == words(str(had.body)) and post.title == str(had.meta.get("title", post.title)):
        return []
    return [Skipped(post.where, "a text other than the site's", f"the source's is not the one in "
                    f"{_shown(had.path, site)} (written since on the old site, or edited here since the import); an "
                    "import leaves a post it made as it is: to bring the source's, copy it in by hand, or remove "
                    "the post (and its .versions/ folder, if any) and import again")]


def _beside_the_sites_series(result: ImportResult, posts: list[ImportedPost], existing: _Site,
                             notes: list[Skipped]) -> tuple[ImportResult, list[ImportedPost]]:
    """The imported posts of a series whose folder the site has already.  Where an earlier run of this source
    brought some of its posts, it is that series, on the old site since: the new parts join it, numbered
    after the site's last where their numbers are taken.  Otherwise it is another series of the same name (the
    author's own, or another blog's), which the imported parts would have joined, each part number then
    claimed twice: they go to a folder of their own, ``SLUG-2``."""
    ids = {p.source_id for p in result.posts}
    renamed: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for slug in dict.fromkeys(p.series for p in posts if p.series):
        if not (existing.posts_dir / slug / SERIES_FILE).exists():
            continue
        taken = existing.parts.get(slug, {})
        members = [p for p in posts if p.series == slug]
        if existing.sources.get(slug, set()) & ids:
            if any(p.part in taken for p in members):
                last = max(taken, default=0)
                ordered = sorted(members, key=lambda p: (p.part or 10**9, p.date or datetime.max.astimezone(), p.title))
                numbers.update({p.source_id: last + n for n, p in enumerate(ordered, start=1)})
                notes.append(Skipped(Where(slug), f"series {slug}", f"the site has parts of it an earlier import "
                                     f"brought, up to part {last}: the new parts are numbered after it", kept=True))
            continue
        new, number = f"{slug}-2", 3
        while (existing.posts_dir / new).exists() or new in renamed.values() or any(p.series == new for p in posts):
            new, number = f"{slug}-{number}", number + 1
        renamed[slug] = new
        notes.append(Skipped(Where(slug), f"series {slug}", f"the site has a series of its own in posts/{slug}/: "
                             f"the imported one is written as {new}/", kept=True))
    if not renamed and not numbers:
        return result, posts
    series = {renamed.get(k, k): replace(v, slug=renamed.get(k, k)) for k, v in result.series.items()}
    return replace(result, series=series), [replace(p, series=renamed.get(p.series or "", p.series),
                                                    part=numbers.get(p.source_id, p.part)) for p in posts]


def _shown(path: Path, site: Path) -> str:
    return path.relative_to(site).as_posix() if path.is_relative_to(site) else str(path)


def _free_slug(post: ImportedPost, placed: dict[str, ImportedPost], existing: _Site, notes: list[Skipped],
               errors: list[Diagnostic]) -> str | None:
    """The post's slug, made valid, with ``-2``, ``-3`` … if another imported post took it."""
    slug = post.slug if _valid(post.slug) else slugify(post.slug or post.title)
    if not post.series and slug in RESERVED:
        slug = f"{slug}-post"
    address = U.address(post.series, slug)
    if address in existing.taken:
        errors.append(Diagnostic(post.where.path, post.where.line, f"its address /{address} is taken by "
                                 f"{existing.taken[address]} in the site; nothing was imported: rename one of them"))
        return None
    number, base = 2, slug
    while address in placed or address in existing.taken or (not post.series and U.series_path(slug) in placed):
        slug = f"{base}-{number}"
        address, number = U.address(post.series, slug), number + 1
    if slug != base:
        notes.append(Skipped(post.where, f"slug {base}", f"taken by another imported post; written as {slug}",
                             kept=True))
    return slug


def _reads_back(post: ImportedPost, path: Path, text: str, site: Path, errors: list[Diagnostic]) -> bool:
    """Whether the file about to be written reads back as a post; an error at the source otherwise."""
    report = Report(site)
    source = split_source(path, _shown(path, site), text.encode("utf-8"), report)
    if source is None or report.errors:
        problems = "; ".join(d.message for d in report.errors) or "unreadable"
        errors.append(Diagnostic(post.where.path, post.where.line, f"cannot be converted into a post: {problems}"))
        return False
    return True


def _valid(slug: str) -> bool:
    try:
        check_slug(slug)
    except ValueError:
        return False
    return slug == slugify(slug)


def _texts(post: ImportedPost, slug: str, key: str, config: Config, now: datetime,
           path: Path) -> tuple[str, NewArchive | None]:
    """The post file's text and, for a published post with history, its archive (whose last version is
    that same text, as ``revise`` leaves it)."""
    recorded = post.history and not post.draft and post.layout != "page" and post.date is not None \
        and post.date <= now
    if not recorded:
        return front_matter(post, slug, {}) + post.markdown, None
    assert post.date is not None
    entry_id = post.entry_id or default_entry_id(config, key, post.date)
    address = U.address(post.series, slug)
    versions = []
    for number, revision in enumerate(post.history, start=1):
        then = post
        if number < len(post.history):  # an earlier text: its own title and summary, where the source says
            then = replace(then, title=revision.title or then.title,
                           summary=then.summary if revision.summary is None else revision.summary)
        text = front_matter(then, slug, {"id": entry_id, "version": number}) + revision.markdown
        date = post.date if number == 1 else max(revision.date, post.date)
        versions.append(NewVersion(text, date, revision.note if number > 1 else "", revision.minor and number > 1,
                                   origin=revision.origin, address=address, recorded=now))
    return versions[-1].text, NewArchive(path, tuple(versions))


def front_matter(post: ImportedPost, slug: str, pinned: dict[str, object]) -> str:
    """The post's front matter, ``---`` to ``---`` and a blank line, in the order an author would write it."""
    lines = [_pair("title", post.title)]
    if post.date is not None and post.layout != "page":
        lines.append(f"date: {post.date.isoformat()}")
    if slug != slugify(slug):
        lines.append(_pair("slug", slug))
    if post.series and post.part:
        lines.append(f"part: {post.part}")
    if post.layout == "page":
        lines.append("layout: page")
    if post.tags:
        lines.append(_pair("tags", list(post.tags)))
    if post.summary:
        lines.append(_pair("summary", post.summary))
    if post.draft:
        lines.append("draft: true")
    if post.aliases:
        lines.append(_pair("aliases", list(post.aliases)))
    lines += [_pair(k, v) for k, v in post.extra.items()]
    lines.append(_pair("imported_from", post.source_id))
    if post.entry_id and "id" not in pinned and post.layout != "page":
        lines.append(_pair("id", post.entry_id))
    lines += [_pair(k, v) for k, v in pinned.items()]
    body = post.markdown
    return "---\n" + "\n".join(lines) + "\n---\n" + ("" if body.startswith("\n") else "\n")


def _pair(key: str, value: object) -> str:
    return yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=False, width=10**6,
                          sort_keys=False).rstrip("\n")


def _series_files(result: ImportResult, posts: list[ImportedPost], posts_dir: Path, existing: _Site,
                  errors: list[Diagnostic]) -> list[NewFile]:
    files = []
    for slug in dict.fromkeys(p.series for p in posts if p.series):
        toml = posts_dir / slug / SERIES_FILE
        if toml.exists():
            continue  # the series is the site's already (an earlier import, or the author's): its parts join it
        info = result.series.get(slug)
        title = info.title if info else slug.replace("-", " ").title()
        if U.series_path(slug) in existing.taken:
            errors.append(Diagnostic(str(posts_dir / slug), 0, f"the series {slug!r} would take the address "
                                     f"/{U.series_path(slug)} of {existing.taken[U.series_path(slug)]}"))
            continue
        text = f"title = {json.dumps(title, ensure_ascii=False)}\n"
        if info and info.description:
            text += f"description = {json.dumps(info.description, ensure_ascii=False)}\n"
        unfinished = any(p.draft for p in posts if p.series == slug)
        text += f'status = "{"ongoing" if unfinished else "complete"}"\n'
        files.append(NewFile(toml, text.encode("utf-8"), "series"))
    return files


def _asset_files(posts: list[ImportedPost], site: Path, errors: list[Diagnostic],
                 notes: list[Skipped]) -> list[NewFile]:
    files: dict[str, tuple[NewFile, Asset]] = {}
    for post in posts:
        for asset in post.assets:
            target = site / "static" / asset.target
            if not target.is_relative_to(site / "static") or ".." in Path(asset.target).parts:
                continue
            if asset.target in files:
                _one_file(files[asset.target], asset, post, notes)
                continue
            data = _asset_data(asset, post, errors)
            if data is None:
                continue
            if os.path.lexists(target):
                if target.is_file() and read_regular(target) == data:
                    continue  # copied by an earlier run, or the same file the author has
                if asset.commit:  # an earlier version's file: the site's own stays, and that version shows it
                    notes.append(Skipped(post.where, f"linked file /{asset.target}", f"an earlier version showed "
                                         f"it as commit {asset.commit[:12]} left it, but {_shown(target, site)} "
                                         "exists with other bytes: not copied, and that version shows the site's "
                                         "file"))
                    continue
                errors.append(Diagnostic(_shown(target, site), 0, f"exists with other bytes than {asset.source}, "
                                         f"which {post.where} links; nothing was imported: move one of them"))
                continue
            files[asset.target] = (NewFile(target, data, "asset"), asset)
    return [new for new, _ in files.values()]


def _asset_data(asset: Asset, post: ImportedPost, errors: list[Diagnostic]) -> bytes | None:
    """The bytes of a file a post links, or None with what is wrong added to ``errors``."""
    if asset.data is not None:
        return asset.data  # an earlier version's file, read from its commit
    try:
        data = read_regular(asset.source)
    except OSError as e:
        errors.append(Diagnostic(str(asset.source), 0, f"cannot read the file {post.where} links: {e.strerror}"))
        return None
    if data.startswith(LFS_POINTER):
        errors.append(Diagnostic(str(asset.source), 1, f"is a Git LFS pointer, not the file {post.where} links; "
                                 f"nothing was imported: {LFS_ADVICE}"))
        return None
    return data


def _one_file(copied: tuple[NewFile, Asset], asset: Asset, post: ImportedPost, notes: list[Skipped]) -> None:
    """Report a file a post links that another, with other bytes, takes the place of in ``static/`` (one of them
    an earlier version's, from its commit): one file per address, and what links the other shows this one."""
    new, first = copied
    if (asset.commit or first.commit) and asset != first and \
            (asset.data if asset.data is not None else _bytes(asset.source)) != new.data:
        linker = f"an earlier version showed it as commit {asset.commit[:12]} left it" if asset.commit else \
            "the post links the source's file"
        notes.append(Skipped(post.where, f"linked file /{asset.target}", f"{linker}, but static/{asset.target} "
                             f"holds {_whose(first)}, with other bytes: {'that version' if asset.commit else 'it'} "
                             "shows that one"))


def _whose(asset: Asset) -> str:
    return f"commit {asset.commit[:12]}'s" if asset.commit else "the source's file"


def _bytes(path: Path) -> bytes | None:
    try:
        return read_regular(path)
    except OSError:
        return None
