"""What ``publish`` (``publish.py``) and ``revise`` (``revise.py``), the only commands that change the author's
files, share: reading and rewriting a post's front matter, and the check before anything is recorded.

``publish`` makes a draft public (drops ``draft``, sets ``date`` and pins the
feed ``id``) and records version 1; on a standalone page (``layout: page``),
which keeps no versions, it only drops ``draft``, and ``revise`` refuses.  ``revise`` appends a version with its
note (and pins the ``id`` too, if the post has none yet).  Neither records
anything a build would then stop at: both first check the site as
``feuilleton check`` does, with the post as it is about to be recorded.
The post file is rewritten atomically; version files are created
atomically and never overwritten (see ``versions.py``), but for one that
no reader can have seen: ``publish`` run again on a post scheduled for
later records its version 1 anew.  ``revise`` records
the version first and then pins its number in the post, so an interrupted
``revise`` leaves the old state, the new one, or a recorded version the post
does not name yet: the build says so, and running ``revise`` again finishes
the job.  ``publish`` likewise runs again after an interruption.
"""
from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..build import build
from ..config import Config, Options
from ..errors import Diagnostic, Report, SiteError
from ..model.assemble import MISSING_DATE, default_entry_id, marked_draft
from ..model.dates import check_offset, to_datetime
from ..model.types import Post
from ..site import urls as U
from ..site.checks import unrecorded_edit
from ..site.linkchecks import announced_parts, link_problems, note_targets, unrecorded_referred
from ..text.footnotes import footnote_problems
from ..site.maker import PageMaker
from ..site.redirects import takes_version_pages, unrecorded_move, unrecorded_part
from ..source.files import inside, read_regular, remove_stale_temps, replace_bytes
from ..source.load import Source, key_spans, read_source, split_source
from ..source.versions import NewVersion, VersionTaken, append, archive_dir
from ..speed.cache import Cache
from ..text.markdown import source_lines

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recorded:
    """What a command did, for the CLI to say."""

    messages: tuple[str, ...]
    version: int
    warnings: tuple[Diagnostic, ...] = ()
    """What the check before recording found to warn about in this post (it did not stop the command)."""


def parse_at(value: str | None, config: Config, where: str, now: datetime) -> datetime:
    if value is None:
        return now.astimezone(config.timezone).replace(microsecond=0)
    try:
        moment = to_datetime(value, config.timezone)
        check_offset(moment)
    except ValueError as e:
        raise SiteError(Diagnostic(where, 0, f"--at: {e}")) from e
    return moment


def read_post(path: Path, site: Path) -> Source:
    """The post a command is about to change: refused if its file is read-only or has other names (hard
    links), since rewriting it would override the one and split the other."""
    report = Report(site)
    source = read_source(path, report)
    report.raise_if_errors()
    assert source is not None
    shown, mode = report.where(path), path.stat()
    if not inside(path.parent, site):  # the post's own link is refused as it is read
        raise SiteError(Diagnostic(shown, 0, f"lies out of the site (its folder leads to {os.path.realpath(path.parent)}"
                                   "), where the versions recorded beside it would be, and a build reads no recorded "
                                   "version from outside the site: move the folder into the site (a link to it from "
                                   "within the site is fine); nothing was recorded"))
    if not mode.st_mode & stat.S_IWUSR:
        raise SiteError(Diagnostic(shown, 0, "is read-only, and this command would rewrite it: make it "
                                   "writable (chmod u+w) and run the command again; nothing was recorded"))
    if mode.st_nlink > 1:
        raise SiteError(Diagnostic(shown, 0, f"has {mode.st_nlink - 1} other name(s) (a hard link), "
                                   "which rewriting it would leave with the old text: keep one name (or "
                                   "make the others symbolic links elsewhere) and run the command again; "
                                   "nothing was recorded"))
    return source


def unchanged_since(path: Path, read: str) -> bool:
    """Whether the post's file still holds ``read``, the text the command read: an editor may have saved it
    while the command checked the site, and writing back what was read would lose that save."""
    try:
        return read_regular(path).decode("utf-8-sig", "replace").replace("\r\n", "\n") == read
    except OSError:
        return False


class SavedMeanwhile(Exception):
    """The post's file changed between the command's reading it and its writing it back."""


def write_back(path: Path, shown: str, read: str, text: str, command: str = "publish") -> None:
    """``write_post``, unless the file changed since the command read it (``read``): then nothing is written
    and the command stops, the author's save kept."""
    try:
        write_post(path, text, read)
    except SavedMeanwhile:
        raise SiteError(Diagnostic(shown, 0, f"changed while `{command}` was checking the site (saved in an "
                                   "editor?): it is left as you saved it and nothing was recorded; run "
                                   f"`feuilleton {command}` again")) from None


def write_post(path: Path, text: str, read: str | None = None) -> None:
    """Write the post back as the author saves it: with a byte-order mark if the file had one, and each line
    it kept with the ending it had (the text is read with both taken out); a line written anew ends as the
    file's first line does.  With ``read`` (the text the command read), ``SavedMeanwhile`` if the file holds
    another now, looked at first and again at the last moment before the new file takes its place."""
    def last_look() -> None:
        if read is not None and not unchanged_since(path, read):
            raise SavedMeanwhile(path)
    last_look()
    remove_stale_temps(path.parent, f".{path.name}.")
    try:
        before = read_regular(path)
    except OSError:
        before = b""
    data = with_endings(text, before.decode("utf-8-sig", "replace"))
    replace_bytes(path, ("\ufeff" if before.startswith(b"\xef\xbb\xbf") else "").encode() + data.encode("utf-8"),
                  last_look=last_look)


def with_endings(text: str, before: str) -> str:
    """``text`` (lines ending in LF) with the endings ``before`` gave the lines both begin or end with, and
    the ending of ``before``'s first line on the lines between (the front matter a command rewrote)."""
    old, new = re.split(r"(?<=\n)", before), re.split(r"(?<=\n)", text)
    start = 0
    while start < min(len(old), len(new)) and old[start].replace("\r\n", "\n") == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end].replace("\r\n", "\n") == new[-1 - end]:
        end += 1
    crlf = old[0].endswith("\r\n")
    between = [line[:-1] + "\r\n" if crlf and line.endswith("\n") else line for line in new[start:len(new) - end]]
    return "".join([*old[:start], *between, *old[len(old) - end:]])


def set_front_matter(source: Source, drop: set[str], add: dict[str, str]) -> str:
    """The post's text with top-level keys dropped and others added, the rest kept as the author wrote
    it.  A key is found by the parser's marks, never by a line that starts with its name (a multi-line
    value can hold such a line), and the result must read back as intended before anything uses it."""
    spans = key_spans(source)
    lines = source.text.split("\n")
    closing = source.body_line - 2
    gone = {number for key in drop if key in spans for number in range(spans[key][0], spans[key][1] + 1)}
    kept = [line for number, line in enumerate(lines[1:closing], start=2) if number not in gone]
    kept += [f"{key}: {value}" for key, value in add.items()]
    text = "\n".join([lines[0], *kept, *lines[closing:]])
    _check_reads_back(source, text, drop, add)
    return text


def _check_reads_back(source: Source, text: str, drop: set[str], add: dict[str, str]) -> None:
    """Refuse an edit whose text would not read back as the post with just those keys changed."""
    quiet = Report(source.path.parent)
    edited = split_source(source.path, source.shown, text.encode("utf-8"), quiet)
    added = split_source(source.path, source.shown, ("---\n" + "".join(f"{k}: {v}\n" for k, v in add.items())
                                                      + "---\n").encode("utf-8"), quiet)
    untouched = {k: v for k, v in source.meta.items() if k not in drop and k not in add}
    if edited is None or added is None or edited.body != source.body \
            or edited.meta != {**untouched, **added.meta}:
        keys = ", ".join(f"`{key}`" for key in dict.fromkeys([*sorted(drop), *add]))
        raise SiteError(Diagnostic(source.shown, 2, f"cannot set {keys}"
                                   " in this front matter without changing something else; nothing was "
                                   "changed or recorded: write its keys one per line (`key: value`) and try again"))


def with_version(source: Source, number: int, entry_id: str | None = None) -> str:
    """The post's text with ``version: number`` (what ``revise`` records and then writes back), and
    ``id: entry_id`` when given."""
    add = {"id": entry_id} if entry_id else {}
    return set_front_matter(source, {"version"}, {**add, "version": str(number)})


def missing_id(source: Source, site: Path, config: Config, published: datetime) -> str | None:
    """The feed entry id to pin, when the post has none: the one its entries have had so far, so that
    renaming the file later cannot change it."""
    if "id" in source.meta:
        return None
    posts = site / config.posts_dir  # maybe a link (to a synced folder): the post is read where it leads
    where = source.path.relative_to(posts) if source.path.is_relative_to(posts) else \
        source.path.resolve().relative_to(posts.resolve())
    return default_entry_id(config, where.as_posix(), published)


def is_page(source: Source) -> bool:
    """Whether the post is a standalone page (``layout: page``), which keeps no versions."""
    return source.meta.get("layout") == "page"


def validate_as(source: Source, text: str, site: Path, config: Config, now: datetime,
                 command: str) -> tuple[tuple[Diagnostic, ...], Post | None]:
    """``validate`` as if the post held ``text``: the check reads that from memory, the file is untouched."""
    if text == source.text:
        return validate(source, site, config, now, command)
    report = Report(site)
    pending = split_source(source.path, report.where(source.path), text.encode("utf-8"), report)
    report.raise_if_errors()
    assert pending is not None
    cache = Cache(site)
    cache.assume(source.path, pending)
    return validate(pending, site, config, now, command, cache)


def validate(source: Source, site: Path, config: Config, now: datetime, command: str,
              cache: Cache | None = None, note: str = "", note_file: str | None = None,
              together: frozenset[Path] = frozenset()) -> tuple[tuple[Diagnostic, ...], Post | None]:
    """Stop before anything is recorded if a build would stop: at the errors ``feuilleton check``
    reports, or at one in this post.  Returns this post's warnings (they do not stop the command) and
    the post as the check placed it (None if it could not), whose address the version records.

    A plain check leaves drafts and posts dated later out, so for such a post the check shows them too;
    what that wider check alone finds wrong in *another* post does not stop the command.
    """
    report = Report(site)
    post, archive = report.where(source.path), report.where(archive_dir(source.path)) + "/"

    def own(d: Diagnostic) -> bool:  # at this post, or at another that it clashes with, naming it
        return d.path == post or d.path.startswith(archive) or f"{post} " in f"{d.message} "

    draft = bool(marked_draft(source.meta))
    options = Options(drafts=draft, future=not draft and "date" in source.meta and post_date(source, config) > now)
    cache = cache or Cache(site)
    undated: list[Diagnostic] = []  # other posts with no date, checked as the drafts they are until published
    try:
        try:
            result = build(site, options, now=now, write=False, cache=cache)
        except SiteError as e:
            undated = [d for d in e.diagnostics if d.message == MISSING_DATE and not own(d)]
            if not undated or not _held_back(site, undated, cache):
                raise
            result = build(site, options, now=now, write=False, cache=cache)
    except SiteError as e:
        errors = [d for d in e.diagnostics if not d.warning]
        if options != Options() and not all(own(d) for d in errors):
            errors = list(dict.fromkeys([*(d for d in errors if own(d)), *_check_errors(site, now, cache)]))
        if errors:
            raise SiteError([*errors, Diagnostic(post, 0, "nothing was recorded: a build would stop at the errors "
                                                 f"above; fix them, then run `feuilleton {command}` again")]) from e
        return (), None
    placed = next((p for p in result.maker.site.posts.values() if p.path == source.path), None) \
        if result.maker else None
    taken = takes_version_pages(result.maker, placed) if placed and result.maker else None
    if taken is not None:  # an error once the version this command records is there
        raise SiteError([taken, Diagnostic(post, 0, "nothing was recorded: a build would stop at the error above; "
                                           f"fix it, then run `feuilleton {command}` again")])
    pending = _referred_unrecorded(result.maker, placed, together) if placed and result.maker else []
    if pending:  # the version would read the reference as the record has it, not as the site shows it
        last = "run the command above, which records them at one moment" if all(
            "Record both at once" in d.message for d in pending) else \
            f"record that first, then run `feuilleton {command}` again"
        raise SiteError([*pending, Diagnostic(post, 0, f"nothing was recorded: {last}")])
    moot = unrecorded_move(result.maker, placed) if placed and result.maker else None  # recorded now
    pin = placed.lines.get("version") if placed else None  # ``version:`` behind: the command sets it now
    renumbered = unrecorded_part(result.maker, placed) if placed and result.maker else None  # recorded now
    edited = unrecorded_edit(placed) if placed else None  # recorded now
    # a reference to a part not out when the last version was recorded: the version recorded now reads it now
    announced = {said for _, said in announced_parts(result.maker, placed)} if placed and result.maker else set()

    def said(d: Diagnostic) -> bool:
        recorded_now = d.warning and d.path == post and ((pin and d.line == pin) or d.message == edited
                                                         or d.message in announced)
        return own(d) and d not in (moot, renumbered) and not recorded_now
    next_ones = tuple(Diagnostic(d.path, d.line, "has no `date` either, and stops a build until it is published "
                                 f"too (`feuilleton publish {d.path}`) or marked `draft: true`", True) for d in undated)
    return tuple(filter(said, result.warnings)) + next_ones + _note_warnings(
        placed, result.maker, note, post, note_file, result.files), placed


def _referred_unrecorded(maker: PageMaker, post: Post, together: frozenset[Path]) -> list[Diagnostic]:
    """``linkchecks.unrecorded_referred``'s errors, each at its line of the post's file."""
    found = unrecorded_referred(maker, post, together)
    lines = source_lines(str(post.body), post.body_line or 1, [needle for needle, _ in found])
    return [Diagnostic(post.shown, line, problem) for line, (_, problem) in zip(lines, found)]


def version_address(post: Post | None) -> str:
    """What a version records as the post's address (nothing if the check could not place it)."""
    return U.post_path(post) if post else ""


def _note_warnings(post: Post | None, maker: PageMaker | None, note: str, shown: str,
                   note_file: str | None = None, files: frozenset[str] = frozenset()) -> tuple[Diagnostic, ...]:
    """What a build will warn about in the links and footnotes of the note being recorded, said now, while it
    can be mended (once recorded, the note is sealed in its version): at their lines of ``note_file`` when the
    note was read from one.  ``files``: every file of the site, where its links into the site may lead."""
    if not note or post is None or maker is None:
        return ()
    found = link_problems(maker, post, note) + footnote_problems(str(maker.cached.markdown(note)), note, "note")
    if files:  # with the pages of the version being recorded, which the note may well link
        number = post.versions[-1].number + 1 if post.versions else 1
        files = files | {U.output_path(path) for path in (U.version_path(post, number), U.changes_path(post, number),
                                                         U.all_changes_path(post))}
        found += note_targets(maker, post, note, files)
    lines = source_lines(note, 1, [needle for needle, _ in found])
    return tuple(Diagnostic(note_file, line, problem, True) if note_file
                 else Diagnostic(shown, 0, f"--note, line {line}: {problem}", True)
                 for line, (_, problem) in zip(lines, found))


def _held_back(site: Path, undated: list[Diagnostic], cache: Cache) -> bool:
    """Have the check read each of the other posts with no ``date`` (``undated``: their errors) as a draft,
    which is what it is until it is published in turn: each would otherwise stop the ``publish`` of every
    other, and the error at each says to run ``publish``.  False if one cannot be read so."""
    for d in undated:
        report = Report(site)
        path = site / d.path
        try:
            source = split_source(path, d.path, read_regular(path), report)
        except OSError:
            return False
        if source is None or report.errors:
            return False
        cache.assume(path, replace(source, meta={**source.meta, "draft": True}))
    return True


def _check_errors(site: Path, now: datetime, cache: Cache) -> list[Diagnostic]:
    """The errors ``feuilleton check`` reports."""
    try:
        build(site, Options(), now=now, write=False, cache=cache)
    except SiteError as e:
        return [d for d in e.diagnostics if not d.warning]
    return []


def post_date(source: Source, config: Config) -> datetime:
    try:
        return to_datetime(source.meta.get("date"), config.timezone)
    except ValueError as e:
        raise SiteError(Diagnostic(source.shown, source.line("date"), f"`date`: {e}")) from e


def append_version(path: Path, shown: str, number: int, entry: NewVersion) -> None:
    """Record version ``number``, never over one another command recorded meanwhile."""
    try:
        append(path, number, entry)
    except OSError as e:  # a full disk, a read-only folder: the version file was never put in place
        raise SiteError(Diagnostic(shown, 0, f"could not record version {number} in "
                                   f"{archive_dir(path).name}/ ({e.strerror or e}): nothing was recorded; "
                                   "make room (or make the folder writable) and run the command again")) from e
    except VersionTaken as e:
        raise SiteError(Diagnostic(shown, 0, f"version {number} was recorded by another command at the same time; "
                                   "check the archive and run the command again if your change is still "
                                   "unrecorded")) from e
