"""``publish`` and ``revise``: the only commands that change the author's files.

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
import subprocess
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..build import build
from ..config import Config, Options
from ..errors import Diagnostic, Report, SiteError
from ..model.assemble import default_entry_id, marked_draft
from ..model.dates import check_offset, to_datetime
from ..model.types import Post, Version
from ..site import urls as U
from ..site.checks import link_problems, note_problem
from ..site.maker import PageMaker
from ..site.moves import last_recorded_at
from ..site.redirects import unrecorded_move
from ..source.files import read_regular, remove_stale_temps, replace_bytes
from ..source.load import Source, key_spans, read_source, split_source, split_text
from ..source.versions import NewVersion, VersionTaken, append, archive_dir, read_archive, replace_scheduled, tidy_note
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


def _read(path: Path, site: Path) -> Source:
    report = Report(site)
    source = read_source(path, report)
    report.raise_if_errors()
    assert source is not None
    return source


def _write_atomic(path: Path, text: str) -> None:
    """Write the post back as the author saves it: with a byte-order mark and CRLF line endings if the
    file had them (the text is read with both taken out)."""
    remove_stale_temps(path.parent, f".{path.name}.")
    try:
        before = read_regular(path)[:4096]
    except OSError:
        before = b""
    data = text.replace("\n", "\r\n") if b"\r\n" in before else text
    replace_bytes(path, ("\ufeff" if before.startswith(b"\xef\xbb\xbf") else "").encode() + data.encode("utf-8"))


def _set_front_matter(source: Source, drop: set[str], add: dict[str, str]) -> str:
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


def _pinned(source: Source, number: int, entry_id: str | None = None) -> str:
    """The post's text with ``version: number`` (what ``revise`` records and then writes back), and
    ``id: entry_id`` when given."""
    add = {"id": entry_id} if entry_id else {}
    return _set_front_matter(source, {"version"}, {**add, "version": str(number)})


def _missing_id(source: Source, site: Path, config: Config, published: datetime) -> str | None:
    """The feed entry id to pin, when the post has none: the one its entries have had so far, so that
    renaming the file later cannot change it."""
    if "id" in source.meta:
        return None
    return default_entry_id(config, source.path.relative_to(site / config.posts_dir).as_posix(), published)


def _is_page(source: Source) -> bool:
    """Whether the post is a standalone page (``layout: page``), which keeps no versions."""
    return source.meta.get("layout") == "page"


def _publish_page(path: Path, source: Source, site: Path, config: Config, at: str | None,
                  now: datetime) -> Recorded:
    """Make a drafted page public: drop ``draft`` (and the other ways of saying it) and, with ``--at``,
    date it; a page keeps no versions, so nothing is recorded."""
    shown = Report(site).where(path)
    hidden = marked_draft(source.meta)
    if not hidden and at is None:
        return Recorded((f"{shown}: a page, already public; a page records no versions, so there is nothing "
                         "to do",), 0)
    dated = {"date": parse_at(at, config, shown, now).isoformat()} if at is not None else {}
    drop = {*hidden, "draft", *(("date",) if dated else ())}
    text = _set_front_matter(source, drop, dated)
    warnings, _ = _validate_as(source, text, site, config, now, "publish")
    _write_atomic(path, text)
    when = f", dated {dated['date']}" if dated else ""
    return Recorded((f"{shown}: published (a page{when}; a page records no versions)",), 0, warnings)


def publish(path: Path, site: Path, config: Config, at: str | None, now: datetime) -> Recorded:
    source = _read(path, site)
    report = Report(site)
    shown = report.where(path)
    if _is_page(source):
        return _publish_page(path, source, site, config, at, now)
    versions = read_archive(path, config.timezone, report)
    report.raise_if_errors()
    if len(versions) == 1 and _not_out(versions[0], now) and not marked_draft(source.meta):
        return _publish_again(path, source, versions[0], site, config, at, now)
    if versions and marked_draft(source.meta):
        return _put_back(path, source, versions, site, config, at, now)
    if versions:
        raise SiteError(Diagnostic(shown, 0, "is already published with recorded versions; use `feuilleton revise`"))
    moment = parse_at(at, config, shown, now)
    draft = bool(marked_draft(source.meta))
    if draft or "date" not in source.meta:
        keeps_date = at is None and "date" in source.meta  # an --at given wins over a date the draft has
        moment = _date(source, config) if keeps_date else moment
        dated = {} if keeps_date else {"date": moment.isoformat()}
        drop = {*marked_draft(source.meta), "draft", "version", *(() if keeps_date else ("date",))}
        message = f"{shown}: published, dated {moment.isoformat()}"
    else:
        dated, drop = {}, {"version"}
        published = _date(source, config)
        if at is not None and moment != published:
            raise SiteError(Diagnostic(shown, source.line("date"), f"--at {moment.isoformat()}: the post is already "
                                       f"public, dated {published.isoformat()}, and version 1 is recorded at that "
                                       "date; to date it otherwise, edit its `date` and publish it without --at"))
        moment = published
        message = f"{shown}: already public; recording its text as version 1 at its date"
    # The check sees the post as publish leaves it, short of `version: 1` (its archive is written after the
    # check); a draft is checked as the draft it still is (the check then shows drafts), never made public first.
    checked = _set_front_matter(source, {"version"}, {}) if draft else _set_front_matter(source, drop, dated)
    warnings, placed = _validate_as(source, checked, site, config, now, "publish")
    entry_id = _missing_id(source, site, config, moment)
    _write_atomic(path, _set_front_matter(source, drop, {**dated, **({"id": entry_id} if entry_id else {}),
                                                        "version": "1"}))
    source = _read(path, site)
    _append(path, shown, 1, NewVersion(source.text, moment, "", False, address=_address(placed), recorded=now))
    return Recorded((message, f"{shown}: recorded version 1"), 1, warnings)


def _put_back(path: Path, source: Source, versions: tuple[Version, ...], site: Path, config: Config,
              at: str | None, now: datetime) -> Recorded:
    """A post taken down (``draft: true`` on a post with recorded versions) put back on the site: the keys
    that hid it go, and its versions and dates stay as they were recorded; nothing new is recorded."""
    shown = Report(site).where(path)
    hidden = marked_draft(source.meta)
    if at is not None:
        raise SiteError(Diagnostic(shown, source.line(hidden[0]), "was taken down and is put back with its "
                                   "recorded versions and their dates: leave --at out"))
    shown_again = _set_front_matter(source, set(hidden), {})
    warnings, _ = _validate_as(source, shown_again, site, config, now, "publish")
    _write_atomic(path, shown_again)
    return Recorded((f"{shown}: back on the site, with its {len(versions)} recorded "
                     f"version{'s' if len(versions) > 1 else ''}; if you changed it while it was down, record that "
                     "with `feuilleton revise`",), versions[-1].number, warnings)


def _not_out(first: Version, now: datetime) -> bool:
    """Whether version 1 is still ahead of every clock that has seen it, and so may be recorded anew:
    this command's, and the one that recorded it.  A version recorded at or after its own date was public
    from the start, whatever a clock that lags says now."""
    return first.date > now and (first.recorded is None or first.recorded < first.date)


def _publish_again(path: Path, source: Source, scheduled: Version, site: Path, config: Config, at: str | None,
                   now: datetime) -> Recorded:
    """Record version 1 anew for a post scheduled for later that the author changed before it is out:
    no reader has seen the old version 1 (builds leave the post out until its date), so nothing
    published is lost, and the post goes out with its text as it now stands."""
    shown = Report(site).where(path)
    written = _date(source, config)  # the post's own date, edited since it was scheduled or not
    moment = written if at is None else parse_at(at, config, shown, now)
    dated = {} if moment == written else {"date": moment.isoformat()}
    pinned = _set_front_matter(source, {"version", "date"} if dated else {"version"}, {**dated, "version": "1"})
    first = archive_dir(path) / "v1.md"
    before = first.read_bytes()
    seen = max(now, scheduled.recorded or now)  # the latest clock that has seen this post
    replace_scheduled(path, NewVersion(pinned, moment, "", False, recorded=seen))  # first: the check sees the new date
    try:
        warnings, placed = _validate_as(source, pinned, site, config, now, "publish")
    except BaseException:
        replace_bytes(first, before)  # nothing recorded after all
        raise
    if placed:  # its address is known now that the check has placed the post
        replace_scheduled(path, NewVersion(pinned, moment, "", False, address=_address(placed), recorded=seen))
    _write_atomic(path, pinned)
    when = "now" if moment <= now else f"on {moment.isoformat()}"
    return Recorded((f"{shown}: not out yet (it was to go out on {scheduled.date.isoformat()}); recorded its text "
                     f"again as version 1, to go out {when}",), 1, warnings)


def _validate_as(source: Source, text: str, site: Path, config: Config, now: datetime,
                 command: str) -> tuple[tuple[Diagnostic, ...], Post | None]:
    """``_validate`` as if the post held ``text``: the check reads that from memory, the file is untouched."""
    if text == source.text:
        return _validate(source, site, config, now, command)
    report = Report(site)
    pending = split_source(source.path, report.where(source.path), text.encode("utf-8"), report)
    report.raise_if_errors()
    assert pending is not None
    cache = Cache(site)
    cache.assume(source.path, pending)
    return _validate(pending, site, config, now, command, cache)


def _validate(source: Source, site: Path, config: Config, now: datetime, command: str,
              cache: Cache | None = None, note: str = "") -> tuple[tuple[Diagnostic, ...], Post | None]:
    """Stop before anything is recorded if a build would stop: at the errors ``feuilleton check``
    reports, or at one in this post.  Returns this post's warnings (they do not stop the command) and
    the post as the check placed it (None if it could not), whose address the version records.

    A plain check leaves drafts and posts dated later out, so for such a post the check shows them too;
    what that wider check alone finds wrong in *another* post does not stop the command.
    """
    report = Report(site)
    post, archive = report.where(source.path), report.where(archive_dir(source.path)) + "/"

    def own(d: Diagnostic) -> bool:
        return d.path == post or d.path.startswith(archive)

    draft = bool(marked_draft(source.meta))
    options = Options(drafts=draft, future=not draft and "date" in source.meta and _date(source, config) > now)
    cache = cache or Cache(site)
    try:
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
    moot = unrecorded_move(result.maker, placed) if placed and result.maker else None  # recorded now
    return tuple(d for d in result.warnings if own(d) and d != moot) + _note_warnings(placed, result.maker, note,
                                                                                       post), placed


def _address(post: Post | None) -> str:
    """What a version records as the post's address (nothing if the check could not place it)."""
    return U.post_path(post) if post else ""


def _note_warnings(post: Post | None, maker: PageMaker | None, note: str, shown: str) -> tuple[Diagnostic, ...]:
    """What a build will warn about in the links of the note being recorded, said now."""
    if not note or post is None or maker is None:
        return ()
    found = link_problems(maker, post, note)
    lines = source_lines(note, 1, [needle for needle, _ in found])
    return tuple(Diagnostic(shown, 0, f"--note, line {line}: {problem}", True)
                 for line, (_, problem) in zip(lines, found))


def _check_errors(site: Path, now: datetime, cache: Cache) -> list[Diagnostic]:
    """The errors ``feuilleton check`` reports."""
    try:
        build(site, Options(), now=now, write=False, cache=cache)
    except SiteError as e:
        return [d for d in e.diagnostics if not d.warning]
    return []


def _check_note(shown: str, note: str) -> None:
    """A note no page can carry is refused before it is recorded (a build would stop at it)."""
    bad = note_problem(note)
    if bad:
        line, problem = bad
        raise SiteError(Diagnostic(shown, 0, f"--note, line {line}: {problem}" if line else f"--note {problem}"))


def _date(source: Source, config: Config) -> datetime:
    try:
        return to_datetime(source.meta.get("date"), config.timezone)
    except ValueError as e:
        raise SiteError(Diagnostic(source.shown, source.line("date"), f"`date`: {e}")) from e


def _append(path: Path, shown: str, number: int, entry: NewVersion) -> None:
    try:
        append(path, number, entry)
    except VersionTaken as e:
        raise SiteError(Diagnostic(shown, 0, f"version {number} was recorded by another command at the same time; "
                                   "check the archive and run the command again if your change is still unrecorded")) from e


def _from_git(path: Path, published: datetime) -> tuple[str, str] | None:
    """The text the file had when the post was published, and that commit, if in git: as the import reads a
    history, the last commit at or before ``published`` (the first when all came later), the file followed
    through its renames, and a text marked a draft never taken, since it was never public."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(path.parent), *args], capture_output=True, text=True, timeout=30,
                                  encoding="utf-8", errors="replace")
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    if (git("rev-parse", "--is-inside-work-tree") or "").strip() != "true":
        return None
    top = Path((git("rev-parse", "--show-toplevel") or "").strip() or path.parent)
    log_ = git("log", "--follow", "--first-parent", "-m", "--format=%x1e%H %aI", "--name-only", "--", path.name) or ""
    commits = []  # (id, date, the file's name then, from the top), newest first
    for record in log_.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, moment = head.split()
        name = next((n for n in names.splitlines() if n.strip()), "")
        if name:
            commits.append((commit, datetime.fromisoformat(moment), name))
    def public(commit: str, name: str) -> str | None:
        text = git("show", f"{commit}:{name}")
        found = None if text is None else split_text(top / name, text.encode("utf-8"), Report(top))
        return text if found is not None and not marked_draft(found.meta) else None

    # newest first up to the post's date, then (when none was public by then) oldest first: each text read once
    before = [c for c in commits if c[1] <= published]
    for commit, _, name in [*before, *reversed([c for c in commits if c[1] > published])]:
        text = public(commit, name)
        if text is not None:
            return text, commit
    return None


def revise(path: Path, site: Path, config: Config, note: str, at: str | None, minor: bool,
           now: datetime) -> Recorded:
    source = _read(path, site)
    report = Report(site)
    shown = report.where(path)
    if _is_page(source):
        raise SiteError(Diagnostic(shown, source.line("layout"), "is a page (`layout: page`), and a page keeps no "
                                   "versions: edit it and build, nothing is recorded; to revise it in the open, with "
                                   "dated notes, make it a post (remove `layout: page`, give it a `date` and run "
                                   "`feuilleton publish`)"))
    hidden = marked_draft(source.meta)
    if hidden and archive_dir(path).is_dir() and any(archive_dir(path).glob("v*.md")):
        raise SiteError(Diagnostic(shown, source.line(hidden[0]), f"is taken down (`{hidden[0]}`), so a revision "
                                   "would reach no reader; put it back with `feuilleton publish` first"))
    if hidden or "date" not in source.meta:
        raise SiteError(Diagnostic(shown, source.line(hidden[0] if hidden else "draft"), "is not published yet; "
                                   "run `feuilleton publish` first"))
    _check_note(shown, note)
    versions = read_archive(path, config.timezone, report)
    report.raise_if_errors()
    messages: list[str] = []
    moment = parse_at(at, config, shown, now)
    if moment > now:
        raise SiteError(Diagnostic(shown, 0, f"--at {moment.isoformat()} is in the future; a revision cannot be "
                                   "recorded ahead of time"))
    entry_id = _missing_id(source, site, config, _date(source, config))
    first = None
    if versions:
        last = versions[-1]
        behind = source.meta.get("version") != last.number  # what an interrupted revise leaves
        if behind and source.text != last.text and last.text in (_pinned(source, last.number),
                                                                 _pinned(source, last.number, entry_id)):
            _write_atomic(path, last.text)
            source = _read(path, site)
            entry_id = None if "id" in source.meta else entry_id
            messages.append(f"{shown}: version {last.number} was recorded, but an interrupted command left this "
                            f"file without `version: {last.number}`; set it now")
            if not note.strip() or (tidy_note(note) == last.note and minor == last.minor):
                return Recorded(tuple(messages), last.number)  # the interrupted command, run again: done now
        number, last_text, last_date = last.number + 1, last.text, last.date
    else:
        first, said = _first_version(path, source, config)
        number, last_text, last_date = 2, first.text, first.date
    _check_order(shown, moment, number, last_date, at)
    changed = last_text != source.text
    if versions and not changed and note.strip() and (tidy_note(note), minor) == (versions[-1].note,
                                                                                 versions[-1].minor):
        raise SiteError(Diagnostic(shown, 0, f"nothing new to record: version {number - 1} already records this "
                                   "note on this text (was the command run twice?)"))
    if not changed and not note.strip():
        raise SiteError(Diagnostic(shown, 0, f"nothing to record: the text is unchanged since version {number - 1} "
                                   "and no note was given (use --note)"))
    if not note.strip():
        raise SiteError(Diagnostic(shown, 0, "a revision needs a note saying what changed (--note or --note-file); "
                                   "readers see it, or, with --minor, the history keeps it"))
    warnings, placed = _validate(source, site, config, now, "revise", note=note)
    address, moved = _address(placed), placed is not None and last_recorded_at(placed) is not None
    if minor and not changed and not moved:
        raise SiteError(Diagnostic(shown, 0, "--minor records a silent correction, but the text is unchanged"))
    text = _pinned(source, number, entry_id)  # before anything is recorded: it may refuse
    if first is not None:
        messages.append(said)
        _append(path, shown, 1, replace(first, recorded=now))
    _append(path, shown, number, NewVersion(text, moment, tidy_note(note), minor, address=address, recorded=now))
    messages += _pin(path, shown, source.text, text, number)
    if minor and not changed:  # the post moved: where it is now is what this version records
        kind = f"moved to {address}"
    else:
        kind = "minor correction" if minor else ("revision" if changed else "update note")
    messages.append(f"{shown}: recorded version {number} ({kind}, {moment.isoformat()})")
    return Recorded(tuple(messages), number, warnings)


def _check_order(shown: str, moment: datetime, number: int, last_date: datetime, at: str | None) -> None:
    """A revision comes after the version before it (and after publication)."""
    if moment < last_date and number == 2 and at is None:
        raise SiteError(Diagnostic(shown, 0, f"is not out yet: it is scheduled for {last_date.isoformat()}, and "
                                   "a revision comes after publication; to change the text it goes out with, "
                                   "run `feuilleton publish` on it again"))
    if moment < last_date and at is not None:
        raise SiteError(Diagnostic(shown, 0, f"--at {moment.isoformat()} is earlier than version {number - 1} "
                                   f"({last_date.isoformat()}); versions are recorded in order"))
    if moment < last_date:
        raise SiteError(Diagnostic(shown, 0, f"version {number - 1} is dated {last_date.isoformat()}, after now "
                                   f"({moment.isoformat()}), and versions are recorded in order; check this "
                                   "machine's clock, or wait until then"))


def _pin(path: Path, shown: str, read: str, pinned: str, number: int) -> list[str]:
    """Set ``version: number`` in the post (``pinned``: its text with it) unless the author changed the file
    since it was ``read``; what to tell them."""
    if read_regular(path).decode("utf-8-sig").replace("\r\n", "\n") != read:
        return [f"{shown}: the file changed while recording; set `version: {number}` in it by hand"]
    try:
        _write_atomic(path, pinned)
    except OSError as e:
        raise SiteError(Diagnostic(shown, 0, f"recorded version {number}, but could not set `version: {number}` "
                                   f"in the post ({e.strerror}); make it writable, then run `feuilleton revise` "
                                   "on it without a note to finish")) from e
    return []


def _first_version(path: Path, source: Source, config: Config) -> tuple[NewVersion, str]:
    """Version 1 of a post that is public but was never recorded, and what to say about it: its
    original text from git if git has it, else its text as it stands."""
    shown, first = source.shown, _date(source, config)
    recovered = _from_git(path, first)
    if recovered:
        text, commit = recovered
        return (NewVersion(text.replace("\r\n", "\n"), first, "", False, origin=f"git {commit}"),
                f"{shown}: no version was recorded; recovered the original text from git commit {commit[:12]} "
                f"as version 1 ({first.isoformat()})")
    return (NewVersion(source.text, first, "", False, origin="unrecorded"),
            f"{shown}: the original text was never recorded and no git history has it; version 1 is the text "
            "as it stands now")
