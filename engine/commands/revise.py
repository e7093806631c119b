"""``revise``: a version recorded with its note, the post's ``version`` pinned after it (see ``record.py``
for what both recording commands promise); version 1 of a post never recorded comes from git if git has it."""
from __future__ import annotations

import errno
import logging
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from ..config import Config
from ..errors import Diagnostic, Report, SiteError
from ..model.assemble import marked_draft
from ..site.checks import note_problem
from ..site.moves import last_recorded_at
from ..source.load import Source, split_text
from ..source.versions import NewVersion, archive_dir, read_archive, tidy_note
from .record import (
    Recorded,
    SavedMeanwhile,
    append_version,
    is_page,
    missing_id,
    parse_at,
    post_date,
    read_post,
    validate,
    version_address,
    with_version,
    write_post,
)

log = logging.getLogger(__name__)


def _check_note(shown: str, note: str, note_file: str | None) -> None:
    """A note no page can carry is refused before it is recorded (a build would stop at it): said at its line
    of ``note_file`` when it was read from one, else of ``--note``."""
    bad = note_problem(note)
    if bad:
        line, problem = bad
        if note_file:
            raise SiteError(Diagnostic(note_file, line, problem if line else f"the note {problem}"))
        raise SiteError(Diagnostic(shown, 0, f"--note, line {line}: {problem}" if line else f"--note {problem}"))


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
           now: datetime, note_file: str | None = None, together: frozenset[Path] = frozenset(),
           dry: bool = False) -> Recorded:
    """Record a revision of the post at ``path``.  ``together``: the other posts the same command records at
    the same moment, whose new places this one's references may read (``cli.cmd_revise``); ``dry``: refuse
    as the command would, and record nothing."""
    source = read_post(path, site)
    report = Report(site)
    shown = report.where(path)
    if is_page(source):
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
    _check_note(shown, note, note_file)
    versions = read_archive(path, config.timezone, report)
    report.raise_if_errors()
    messages: list[str] = []
    moment = parse_at(at, config, shown, now)
    if moment > now:
        raise SiteError(Diagnostic(shown, 0, f"--at {moment.isoformat()} is in the future; a revision cannot be "
                                   "recorded ahead of time"))
    entry_id = missing_id(source, site, config, post_date(source, config))
    first = None
    if versions:
        last = versions[-1]
        behind = source.meta.get("version") != last.number  # what an interrupted revise leaves
        if behind and source.text != last.text and last.text in (with_version(source, last.number),
                                                                 with_version(source, last.number, entry_id)):
            write_post(path, last.text)
            source = read_post(path, site)
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
        since = f"version {number - 1}" if versions else \
            "it went out (no version is recorded yet: the first revision records that text as version 1)"
        raise SiteError(Diagnostic(shown, 0, f"nothing to record: the text is unchanged since {since} "
                                   "and the note is empty (write one with --note or --note-file)"))
    if not note.strip():
        raise SiteError(Diagnostic(shown, 0, "a revision needs a note saying what changed (--note or --note-file); "
                                   "readers see it, or, with --minor, the history keeps it"))
    warnings, placed = validate(source, site, config, now, "revise", note=note, note_file=note_file,
                                together=together)
    address, moved = version_address(placed), placed is not None and last_recorded_at(placed) is not None
    if minor and not changed and not moved:
        raise SiteError(Diagnostic(shown, 0, "--minor records a silent correction, but the text is unchanged"))
    text = with_version(source, number, entry_id)  # before anything is recorded: it may refuse
    if dry:
        return Recorded((), number, warnings)
    if first is not None:
        messages.append(said)
        append_version(path, shown, 1, replace(first, recorded=now))
    append_version(path, shown, number, NewVersion(text, moment, tidy_note(note), minor, address=address, recorded=now))
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
    if moment == last_date and at is not None:  # two versions of one moment: which came first, no reader could tell
        raise SiteError(Diagnostic(shown, 0, f"--at {moment.isoformat()} is the moment of version {number - 1}; "
                                   "a revision comes after the version before it (a minute later will do)"))
    if moment < last_date:
        raise SiteError(Diagnostic(shown, 0, f"version {number - 1} is dated {last_date.isoformat()}, after now "
                                   f"({moment.isoformat()}), and versions are recorded in order; check this "
                                   "machine's clock, or wait until then"))


def _pin(path: Path, shown: str, read: str, pinned: str, number: int) -> list[str]:
    """Set ``version: number`` in the post (``pinned``: its text with it) unless the author changed the file
    since it was ``read``; what to tell them."""
    try:
        write_post(path, pinned, read)
    except SavedMeanwhile:
        return [f"{shown}: the file changed while recording; set `version: {number}` in it by hand"]
    except OSError as e:
        fix = "free some space on the disk" if e.errno in (errno.ENOSPC, errno.EDQUOT) else "make it writable"
        raise SiteError(Diagnostic(shown, 0, f"recorded version {number}, but could not set `version: {number}` "
                                   f"in the post ({e.strerror}); {fix}, then run `feuilleton revise` "
                                   "on it without a note to finish")) from e
    return []


def _first_version(path: Path, source: Source, config: Config) -> tuple[NewVersion, str]:
    """Version 1 of a post that is public but was never recorded, and what to say about it: its
    original text from git if git has it, else its text as it stands."""
    shown, first = source.shown, post_date(source, config)
    recovered = _from_git(path, first)
    if recovered:
        text, commit = recovered
        return (NewVersion(text.replace("\r\n", "\n"), first, "", False, origin=f"git {commit}"),
                f"{shown}: no version was recorded; recovered the original text from git commit {commit[:12]} "
                f"as version 1 ({first.isoformat()})")
    return (NewVersion(source.text, first, "", False, origin="unrecorded"),
            f"{shown}: the original text was never recorded and no git history has it; version 1 is the text "
            "as it stands now")
