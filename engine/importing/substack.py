"""Substack: the export (the zip Settings → Export writes, or that zip unpacked) → an ``ImportResult``.

The export holds ``posts.csv`` (one row a post: ``post_id``, ``post_date``, ``is_published``, ``type``,
``audience``, ``title``, ``subtitle``, …) and ``posts/<post_id>.html`` with each body (``post_id`` is
``123456.the-slug``; the number alone is not always unique); a ``page`` becomes a standalone page.  A
zip is read in memory, member by member: nothing is unpacked to disk, and a member whose name climbs
out of the archive (``../``, an absolute path) is never read.  Images stay on Substack's servers, so
their absolute addresses are kept.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from datetime import datetime
from html import unescape
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..errors import Diagnostic, SiteError
from ..model.slugs import slugify
from ..source.files import read_regular
from .html import convert, kept
from .model import ImportedPost, ImportResult, ReadOptions, Skipped, Where
from .series import by_title
from .substackhtml import components

log = logging.getLogger(__name__)

CSV = "posts.csv"
MAX_MEMBER = 64 * 1024 * 1024
"""A zip member larger than this once unpacked is refused (a zip bomb), not read."""


class _Export:
    """The files of an export, by their names inside it, from a zip or a folder."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.names: dict[str, str] = {}
        self.zip: zipfile.ZipFile | None = None
        if source.is_dir():
            for path in source.rglob("*"):
                if path.is_file() and not path.is_symlink():
                    self.names[path.relative_to(source).as_posix()] = path.relative_to(source).as_posix()
        else:
            try:
                self.zip = zipfile.ZipFile(source)
            except (zipfile.BadZipFile, OSError) as e:
                raise SiteError(Diagnostic(str(source), 0, f"not a readable zip file ({e})")) from e
            for info in self.zip.infolist():
                name = PurePosixPath(info.filename)
                if info.is_dir() or name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                    continue
                self.names[name.as_posix()] = info.filename
        top = min((n for n in self.names if n.rsplit("/", 1)[-1] == CSV), key=lambda n: n.count("/"), default=None)
        if top is None:
            raise SiteError(Diagnostic(str(source), 0, f"not a Substack export: no {CSV} in it"))
        self.root = top[:-len(CSV)]

    def shown(self, name: str) -> str:
        return f"{self.source}/{self.root}{name}" if self.source.is_dir() else f"{self.source}:{self.root}{name}"

    def read(self, name: str) -> bytes | None:
        member = self.names.get(self.root + name)
        if member is None:
            return None
        if self.zip is None:
            return read_regular(self.source / member)
        info = self.zip.getinfo(member)
        if info.file_size > MAX_MEMBER:
            raise SiteError(Diagnostic(self.shown(name), 0, f"unpacks to {info.file_size} bytes, more than a post "
                                       "can be; the export is damaged"))
        return self.zip.read(member)

    def find(self, prefix: str) -> str | None:
        """The name under the export's root that starts with ``prefix`` and ends in .html."""
        for name in self.names:
            rest = name[len(self.root):]
            if name.startswith(self.root) and rest.startswith(prefix) and rest.endswith(".html"):
                return rest
        return None


def read(source: Path, options: ReadOptions, progress: object = None) -> ImportResult:
    export = _Export(source)
    data = export.read(CSV) or b""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SiteError(Diagnostic(export.shown(CSV), data.count(b"\n", 0, e.start) + 1,
                                   "not UTF-8 text; export it from Substack again")) from e
    rows = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"post_id", "title"} - set(rows.fieldnames or ())
    if missing:
        raise SiteError(Diagnostic(export.shown(CSV), 1, f"not a Substack posts.csv: no {', '.join(sorted(missing))} "
                                   "column"))
    posts: list[ImportedPost] = []
    skipped: list[Skipped] = []
    all_rows, line = [], rows.line_num
    for row in rows:
        all_rows.append((line + 1, row))
        if None in row.values() or None in row:
            given = len(row) - (None in row) - sum(value is None for value in row.values())
            given += len(row.get(None) or ())  # type: ignore[call-overload]
            raise SiteError(Diagnostic(export.shown(CSV), line + 1, f"this row has {given} fields where the first "
                                       f"line names {len(rows.fieldnames or ())}: the file was cut short or edited; "
                                       "export it from Substack again"))
        line = rows.line_num
    missing = [Diagnostic(export.shown(CSV), line, f"post {_title(row) or row['post_id']!r}: its text "
                          f"(posts/{row['post_id'].strip()}.html) is not in the export: the export is incomplete; "
                          "export again from Substack, or take this row out of posts.csv to import the rest "
                          "without it")
               for line, row in all_rows if _kind(row) != "thread" and _text(row, export) is None]
    if missing:  # a post the site would silently lack, once its old address is gone
        raise SiteError(missing)
    for number, (line, row) in enumerate(all_rows, start=1):
        if progress is not None:
            progress.step(number, len(all_rows), "posts")  # type: ignore[attr-defined]
        where = Where(export.shown(CSV), line)
        post = _post(row, where, export, options, skipped)
        if post is not None:
            posts.append(post)
    if progress is not None:
        progress.close()  # type: ignore[attr-defined]
    series: dict = {}
    if options.series_from == "title":
        posts, series = by_title(posts, {}, "Series")
    elif options.series_from:
        skipped.append(Skipped(Where(str(source)), f"--series-from {options.series_from}", "a Substack export has "
                               "no categories or tags; only --series-from title finds series in it"))
    return ImportResult("substack", tuple(posts), series, tuple(skipped), origins=_origins(posts))


_POST_LINK = re.compile(r"\((https?)://([^/\s()<>]+)(/p/[^/?#\s()<>]+)/?[?#)\s]")
"""A link in a post's Markdown to a post on a Substack (``https://villes.substack.com/p/premier``)."""


def _origins(posts: list[ImportedPost]) -> tuple[str, ...]:
    """The publication's addresses, as its posts linked one another: the export does not say where it was
    (``villes.substack.com``, or a domain of the author's), so a host counts as it when a link there leads to
    ``/p/<slug>`` of a post in the export."""
    aliases = {alias.rstrip("/").casefold() for post in posts for alias in post.aliases}
    hosts = {f"{scheme}://{host}" for post in posts for scheme, host, path in _POST_LINK.findall(post.markdown)
             if unquote(path).casefold() in aliases}
    return tuple(sorted(hosts))


def _post(row: dict[str, str], where: Where, export: _Export, options: ReadOptions,
          skipped: list[Skipped]) -> ImportedPost | None:
    post_id = (row.get("post_id") or "").strip()
    title = _title(row)
    kind = _kind(row)
    if kind == "thread":
        skipped.append(Skipped(where, f"thread {title or post_id!r}", "a discussion thread, not a post"))
        return None
    number, _, slug = post_id.partition(".")
    name = _text(row, export)
    assert name is not None, "read() refuses an export that lacks a post's text"
    raw = export.read(name) or b""
    try:
        html = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SiteError(Diagnostic(export.shown(name), raw.count(b"\n", 0, e.start) + 1, "not UTF-8 text")) from e
    html, said = components(html)
    for what, why, carried in said:
        skipped.append(Skipped(Where(export.shown(name)), what, why, kept=carried))
    converted = convert(html, Where(export.shown(name)))
    for what in dict.fromkeys(converted.kept):
        skipped.append(kept(Where(export.shown(name)), what))
    published = (row.get("is_published") or "").strip().lower() == "true"
    if not published:
        skipped.append(Skipped(where, f"post {title!r}", "not published on Substack: imported as a draft", kept=True))
    if kind == "podcast" and row.get("podcast_url"):
        skipped.append(Skipped(where, f"podcast {title!r}", "the episode's audio stays on Substack; the post links it",
                               kept=True))
    if (row.get("audience") or "everyone").strip() not in ("everyone", ""):
        skipped.append(Skipped(where, f"post {title!r}", f"was for {row['audience']} subscribers on Substack; it is "
                               "public on the site", kept=True))
    body = converted.markdown
    if kind == "podcast" and row.get("podcast_url"):
        body = f"[Listen to the episode]({row['podcast_url'].strip()})\n\n" + body
    slug = slugify(slug or title or number)
    page = kind == "page"
    return ImportedPost(
        source_id=f"substack:{post_id}", where=where, title=title or "Untitled", slug=slug, markdown=body,
        date=None if page else _date(row.get("post_date") or "", where, published, options),
        layout="page" if page else "post", draft=not published, summary=unescape(row.get("subtitle") or "").strip(),
        aliases=() if page else (f"/p/{slug}/",))


def _title(row: dict[str, str]) -> str:
    return unescape(row.get("title") or "").strip()  # the export writes `&#x201C;` for a curly quote


def _kind(row: dict[str, str]) -> str:
    return (row.get("type") or "newsletter").strip()


def _text(row: dict[str, str], export: _Export) -> str | None:
    """The name of the post's HTML in the export (``posts/<post_id>.html``, or another file of its number)."""
    post_id = (row.get("post_id") or "").strip()
    if f"{export.root}posts/{post_id}.html" in export.names:
        return f"posts/{post_id}.html"
    return export.find(f"posts/{post_id.partition('.')[0]}.")


def _date(value: str, where: Where, required: bool, options: ReadOptions) -> datetime | None:
    if not value.strip():
        if required:
            raise SiteError(Diagnostic(where.path, where.line, "a published post without a post_date"))
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as e:
        raise SiteError(Diagnostic(where.path, where.line, f"post_date {value!r} is not a date (ISO 8601)")) from e
    moment = moment.replace(microsecond=0)  # Substack writes milliseconds no reader sees
    return moment if moment.tzinfo else moment.replace(tzinfo=options.zone)
