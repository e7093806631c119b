"""``publish`` and ``revise``: the only commands that change the author's files.

``publish`` makes a draft public (drops ``draft``, sets ``date`` and pins the
feed ``id``) and records version 1.  ``revise`` appends a version with its
note.  The post file is rewritten atomically; version files are created
atomically and never overwritten (see ``versions.py``).  ``revise`` records
the version first and then pins its number in the post, so an interrupted
``revise`` leaves the old state, the new one, or a recorded version the post
does not name yet: the build says so, and running ``revise`` again finishes
the job.  ``publish`` likewise runs again after an interruption.
"""
from __future__ import annotations

import logging
import os
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .assemble import default_entry_id
from .config import Config
from .dates import check_offset, to_datetime
from .errors import Diagnostic, Report, SiteError
from .load import Source, read_source
from .textcheck import markdown_problem
from .versions import Entry, VersionTaken, append, read_archive, remove_stale_temps

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recorded:
    """What a command did, for the CLI to say."""

    messages: tuple[str, ...]
    version: int


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
    remove_stale_temps(path.parent, f".{path.name}.")
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _set_front_matter(source: Source, drop: set[str], add: dict[str, str]) -> str:
    """Edit front-matter lines in place, keeping the author's formatting."""
    lines = source.text.split("\n")
    closing = source.body_line - 2
    kept = [line for line in lines[1:closing] if not any(re.match(rf"{re.escape(k)}\s*:", line) for k in drop)]
    kept += [f"{key}: {value}" for key, value in add.items()]
    return "\n".join([lines[0], *kept, *lines[closing:]])


def _pinned(source: Source, number: int) -> str:
    """The post's text with ``version: number`` (what ``revise`` records and then writes back)."""
    return _set_front_matter(source, {"version"}, {"version": str(number)})


def publish(path: Path, site: Path, config: Config, at: str | None, now: datetime) -> Recorded:
    source = _read(path, site)
    report = Report(site)
    shown = report.where(path)
    if read_archive(path, config.timezone, report) or report.errors:
        report.raise_if_errors()
        raise SiteError(Diagnostic(shown, 0, "is already published with recorded versions; use `feuilleton revise`"))
    messages = []
    moment = parse_at(at, config, shown, now)
    if source.meta.get("draft") is True or "date" not in source.meta:
        add = {}
        if "date" not in source.meta:
            add["date"] = moment.isoformat()
        else:
            moment = _date(source, config)
        key = path.relative_to(site / config.posts_dir).as_posix()
        if "id" not in source.meta:
            add["id"] = default_entry_id(config, key, moment)
        add["version"] = "1"
        _write_atomic(path, _set_front_matter(source, {"draft", "version"}, add))
        source = _read(path, site)
        messages.append(f"{shown}: published, dated {moment.isoformat()}")
    else:
        moment = _date(source, config)
        add = {"version": "1"}
        if "id" not in source.meta:
            key = path.relative_to(site / config.posts_dir).as_posix()
            add = {"id": default_entry_id(config, key, moment), **add}
        _write_atomic(path, _set_front_matter(source, {"version"}, add))
        source = _read(path, site)
        messages.append(f"{shown}: already public; recording its text as version 1 at its date")
    _append(path, shown, 1, Entry(source.text, moment, "", False))
    messages.append(f"{shown}: recorded version 1")
    return Recorded(tuple(messages), 1)


def _date(source: Source, config: Config) -> datetime:
    try:
        return to_datetime(source.meta.get("date"), config.timezone)
    except ValueError as e:
        raise SiteError(Diagnostic(source.shown, source.line("date"), f"`date`: {e}")) from e


def _append(path: Path, shown: str, number: int, entry: Entry) -> None:
    try:
        append(path, number, entry)
    except VersionTaken as e:
        raise SiteError(Diagnostic(shown, 0, f"version {number} was recorded by another command at the same time; "
                                   "check the archive and run the command again if your change is still unrecorded")) from e


def _from_git(path: Path) -> tuple[str, str] | None:
    """The text the file had when first committed, and that commit, if in git."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(path.parent), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    if (git("rev-parse", "--is-inside-work-tree") or "").strip() != "true":
        return None
    commits = (git("log", "--follow", "--diff-filter=A", "--format=%H", "--", path.name) or "").split()
    if not commits:
        return None
    text = git("show", f"{commits[-1]}:./{path.name}")
    return (text, commits[-1]) if text else None


def revise(path: Path, site: Path, config: Config, note: str, at: str | None, minor: bool,
           now: datetime) -> Recorded:
    source = _read(path, site)
    report = Report(site)
    shown = report.where(path)
    if source.meta.get("draft") is True or "date" not in source.meta:
        raise SiteError(Diagnostic(shown, source.line("draft"), "is not published yet; run `feuilleton publish` first"))
    bad_note = markdown_problem(note)
    if bad_note:
        raise SiteError(Diagnostic(shown, 0, f"--note, line {bad_note[0]}: {bad_note[1]}"))
    versions = read_archive(path, config.timezone, report)
    report.raise_if_errors()
    messages: list[str] = []
    moment = parse_at(at, config, shown, now)
    if moment > now:
        raise SiteError(Diagnostic(shown, 0, f"--at {moment.isoformat()} is in the future; a revision cannot be "
                                   "recorded ahead of time"))
    if not versions:
        first = _date(source, config)
        recovered = _from_git(path)
        if recovered:
            text, commit = recovered
            messages.append(f"{shown}: no version was recorded; recovered the original text from git commit "
                            f"{commit[:12]} as version 1 ({first.isoformat()})")
            _append(path, shown, 1, Entry(text.replace("\r\n", "\n"), first, "", False, origin=f"git {commit}"))
        else:
            messages.append(f"{shown}: the original text was never recorded and no git history has it; "
                            "version 1 is the text as it stands now")
            _append(path, shown, 1, Entry(source.text, first, "", False, origin="unrecorded"))
        versions = read_archive(path, config.timezone, report)
        report.raise_if_errors()
    last = versions[-1]
    if source.text != last.text and _pinned(source, last.number) == last.text:
        _write_atomic(path, last.text)
        source = _read(path, site)
        messages.append(f"{shown}: version {last.number} was recorded, but an interrupted command left this file "
                        f"without `version: {last.number}`; set it now")
        if not note.strip():
            return Recorded(tuple(messages), last.number)
    if moment < last.date:
        raise SiteError(Diagnostic(shown, 0, f"--at {moment.isoformat()} is earlier than version {last.number} "
                                   f"({last.date.isoformat()}); versions are recorded in order"))
    changed = last.text != source.text
    if not changed and not note.strip():
        raise SiteError(Diagnostic(shown, 0, f"nothing to record: the text is unchanged since version {last.number} "
                                   "and no note was given (use --note)"))
    if minor and not changed:
        raise SiteError(Diagnostic(shown, 0, "--minor records a silent correction, but the text is unchanged"))
    number = last.number + 1
    text = _pinned(source, number)
    _append(path, shown, number, Entry(text, moment, note.strip(), minor))
    if path.read_text(encoding="utf-8") == source.text:
        _write_atomic(path, text)
    else:
        messages.append(f"{shown}: the file changed while recording; set `version: {number}` in it by hand")
    kind = "minor correction" if minor else ("revision" if changed else "update note")
    messages.append(f"{shown}: recorded version {number} ({kind}, {moment.isoformat()})")
    return Recorded(tuple(messages), number)
