"""The revision archive: read, verify, append.

Each post that has been published through ``feuilleton publish`` or
``revise`` has a folder beside it, ``<name>.versions/``, with one file per
version: ``v1.md``, ``v2.md``, …  A version file is a YAML header (number,
date, note, whether minor, the sha256 of the recorded text, and a seal: the
sha256 of number, date, kind and text together) followed by the exact text
of the post file at that moment.  The files are plain text, committed with
the site, and never rewritten: a build verifies every hash and stops if one
was altered or a version is missing.  The note sits outside the hashes, so a
typo in a note can be corrected by hand; so does the post's address at the
time (``series/slug/``), by which a build keeps links to a post whose slug or
file name changed after publication working.  Versions recorded before seals
existed carry none; their text is still verified, and a version without a
seal is refused where one must have been written: beside an ``address`` or a ``recorded`` moment, which
only a Feuilleton that seals writes.  A date tells nothing of the tool that recorded a version (a part
scheduled for later, a version recorded by an older copy of the tool), so none is refused for its date.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from dataclasses import dataclass, replace
from datetime import datetime, timezone, tzinfo
from functools import partial
from pathlib import Path
from typing import Any, Callable

import yaml

from ..errors import Report, meant
from ..model.dates import to_datetime
from ..model.packed import Packed
from ..model.slugs import is_slug
from ..model.types import Version
from .files import fsync_dir, inside, read_regular, remove_stale_temps, replace_bytes
from .load import SAFE_LOADER, VERSIONS_SUFFIX, Memo, Split, cannot_read, no_memo, read_split, split_text, walk
from .textcheck import nesting_problem

log = logging.getLogger(__name__)

_NAME = re.compile(r"^v([1-9][0-9]*)\.md$")


@dataclass(frozen=True)
class NewVersion:
    """What ``revise`` or ``publish`` asks to record."""

    text: str
    """The post file's whole text, as it stands."""
    date: datetime
    """When the version counts as recorded (aware)."""
    note: str
    """Markdown note; empty for none."""
    minor: bool
    """A silent correction."""
    origin: str = ""
    """For a reconstructed version 1: where its text came from."""
    address: str = ""
    """Where the post is on the site (``series/slug/``), so that its old pages can still be reached if that
    changes."""
    recorded: datetime | None = None
    """When the command ran, by the machine's clock (``date`` may lie ahead, for a post scheduled for later,
    or behind, for one back-dated)."""


def archive_dir(post_path: Path) -> Path:
    return post_path.with_name(post_path.stem + VERSIONS_SUFFIX)


def orphaned_archives(post_path: Path) -> list[Path]:
    """The version folders beside ``post_path`` whose post is not there: the versions of a post renamed without
    its folder, very likely this one's when it has none of its own."""
    try:
        return sorted(p for p in post_path.parent.glob("*" + VERSIONS_SUFFIX)
                      if p.is_dir() and not p.name.startswith((".", "_"))
                      and not p.with_name(p.name[:-len(VERSIONS_SUFFIX)] + ".md").exists())
    except OSError:
        return []


def renamed_without(post_path: Path) -> str:
    """What to do when ``post_path`` has no versions folder but others beside it lost their post; empty when
    none did."""
    orphans = orphaned_archives(post_path)
    if not orphans:
        return ""
    names = " or ".join(f"{p.name}/" for p in orphans[:3])
    posts = " or ".join(p.name[:-len(VERSIONS_SUFFIX)] + ".md" for p in orphans[:3])
    return (f"if this post was renamed from {posts}, "
            f"rename {names} to {archive_dir(post_path).name}/ with it, which keeps its published versions")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal(number: int, date: datetime, minor: bool, text_digest: str) -> str:
    """The hash that binds a version's number, moment and kind to its text; the note stays outside it."""
    record = f"{number}\n{date.astimezone(timezone.utc).isoformat()}\n{'minor' if minor else 'major'}\n{text_digest}"
    return hashlib.sha256(record.encode("utf-8")).hexdigest()


def read_archive(post_path: Path, zone: tzinfo, report: Report, memo: Memo = no_memo) -> tuple[Version, ...]:
    """Every recorded version of a post, verified; problems go to ``report``."""
    folder = archive_dir(post_path)
    if not folder.is_dir():
        if os.path.lexists(folder):
            what = "a link that leads to no folder" if folder.is_symlink() else "a file"
            report.error(folder, 0, f"is {what}, where the folder of {post_path.name}'s recorded versions belongs: "
                         "move it away, and put the folder back from git or a backup if the post has versions")
        return ()
    if folder.is_symlink() or not inside(folder, report.root):  # read afresh: where it leads is checked
        memo = no_memo
    numbered = {}
    try:
        children = sorted(folder.iterdir())
    except OSError as e:
        report.error(folder, 0, cannot_read(e))
        return ()
    for child in children:
        found = _NAME.match(child.name)
        if found:
            numbered[int(found.group(1))] = child
        elif not child.name.startswith("."):
            report.warn(child, 0, "not a version file (expected v1.md, v2.md, …); ignored")
    versions: list[Version] = []
    expected = 1
    for number in sorted(numbered):
        if number > expected:
            which = f"version {expected} is" if number == expected + 1 else f"versions {expected}–{number - 1} are"
            report.error(folder / f"v{expected}.md", 0, f"recorded {which} missing; restore it from git or a "
                         "backup (a recorded version is never deleted)")
        expected = number + 1
        path = numbered[number]
        try:
            read = (lambda: _read_version(path, number, zone, report))
            # a link is read each time: where it leads (out of the site?) is checked as it is read
            version = read() if path.is_symlink() else memo(path, path.stat(), read)
        except OSError as e:
            report.error(path, 0, cannot_read(e))
            continue
        if version is not None:
            versions.append(version)
    for earlier, later in zip(versions, versions[1:]):
        if later.date < earlier.date:
            report.error(later.path, 2, f"version {later.number} is dated before version {earlier.number}")
        if earlier.sealed and not later.sealed:  # as a Feuilleton from before seals writes it: one run again
            report.warn(later.path, 1, f"recorded version {later.number} has no seal, though version "
                        f"{earlier.number} has: a Feuilleton from before seals recorded it (run again by "
                        "mistake, or on another machine), or its seal was taken out (see the file's history in "
                        "git); its text is checked, but not its date or kind, and a version is never rewritten, "
                        "so this stays said: record with the newer Feuilleton from now on")
    return tuple(versions)


def reading(site_dir: Path, posts_dir: Path, zone: tzinfo) -> list[tuple[Path, Callable[[], Any]]]:
    """Every post and version file a build will read, each with how it is read (as ``load`` and
    ``read_archive`` read them), so that ``Cache.read_ahead`` can read them on all cores first.

    Problems are left for the pipeline to find and report: results with
    errors are not kept.
    """
    quiet = Report(site_dir)
    jobs: list[tuple[Path, Callable[[], Any]]] = []
    for post in walk(posts_dir, quiet):
        jobs.append((post, partial(read_split, post, quiet)))
        folder = archive_dir(post)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            found = _NAME.match(name)
            if found:
                path = folder / name
                jobs.append((path, partial(_read_version, path, int(found.group(1)), zone, quiet)))
    return jobs


def _note_lines(raw: bytes) -> range:
    """The lines of the ``note:`` key in a version file's header (the note comes last in it, and runs to the
    header's closing ``---``); empty if there is none."""
    lines, start = raw.split(b"\n"), 0
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() == b"---":
            return range(start, number + 1 if start else 0)
        if line.startswith(b"note:"):
            start = number
    return range(start, len(lines) + 1 if start else 0)


def _first_clause(message: str) -> str:
    """What is wrong, without the advice after it ("front matter is not closed: add a `---` line …"); where
    in its line, if the message says ("column 3: the control character U+0000 is invisible …")."""
    column, _, rest = message.partition(": ") if message.startswith("column ") else ("", "", message)
    clause = re.split(r"[:;] ", rest, maxsplit=1)[0]
    return f"{column}: {clause}" if column else clause


def _read_version(path: Path, number: int, zone: tzinfo, report: Report) -> Version | None:
    try:
        raw = read_regular(path) if inside(path, report.root) else _outside(path)
    except OSError as e:
        report.error(path, 0, cannot_read(e))
        return None
    said = Report(report.root)
    outer = split_text(path, raw, said)
    if outer is None:  # what a post would be told to add is of no help: the version was cut short or emptied
        note = _note_lines(raw)
        for item in said.items:
            fix = ("delete it (only the note may be corrected by hand)" if "control character" in item.message
                   and item.line in note else
                   "if you edited its note, write it under `note: |`, each of its lines indented two spaces (a "
                   "note on the key's own line cannot hold a `: `); if not, restore the file from git or a backup"
                   ) if item.line in note else "restore the file from git or a backup"
            report.error(path, item.line, f"recorded version {number} is damaged ({_first_clause(item.message)}); "
                         f"{fix}")
        return None
    report.items.extend(said.items)
    head = outer.meta
    if not _known_keys(path, number, outer, report):
        return None
    for body in (outer.body.removesuffix("\n"), outer.body + "\n"):  # the final newline an editor adds, or takes
        if head.get("sha256") != digest(outer.body) and head.get("sha256") == digest(body):
            outer = replace(outer, body=body)
    if head.get("sha256") != digest(outer.body):
        report.error(path, outer.line("sha256"),
                     f"recorded version {number} was altered or truncated: its text no longer matches "
                     "its sha256; restore the file from git or a backup (if you only corrected its note, the "
                     "editor changed the text as it saved: spaces taken from the ends of lines, which in Markdown "
                     "break a line, or tabs made spaces; undo that save)")
        return None
    if head.get("version") != number:
        report.error(path, outer.line("version"), f"says version {head.get('version')!r} but is named v{number}.md")
        return None
    try:
        when = to_datetime(head.get("date"), zone)
    except ValueError as e:
        report.error(path, outer.line("date"), str(e))
        return None
    inner = split_text(path, outer.body.encode("utf-8"), Report(report.root))
    if inner is None:
        report.error(path, outer.body_line, "the recorded text has no readable front matter")
        return None
    note = head.get("note") or ""
    if not isinstance(note, str):  # a hand edit made it a list or a mapping, which would show as Python's
        report.error(path, outer.line("note"), f"the note of recorded version {number} is not text (YAML read it "
                     "as a list or a mapping): write it under `note: |`, each of its lines indented two spaces")
        return None
    deep = nesting_problem(str(note))
    if deep:
        report.error(path, outer.line("note"), f"the note: {deep[1]}")
        return None
    minor = bool(head.get("minor"))
    if number > 1 and not str(note).strip():
        report.error(path, outer.line("note") if "note" in head else 2,
                     f"recorded version {number} has no note, though every revision is recorded with one (was "
                     "`note:` emptied, or its lines' indent lost?): a note may be corrected by hand, not removed; "
                     "put it back under `note: |`, each line indented two spaces")
        return None
    if "seal" not in head and (head.get("address") or "recorded" in head):  # written only with a seal
        report.error(path, outer.line("sha256"), _unsealed(number))
        return None
    if "seal" in head and head["seal"] != seal(number, when, minor, head["sha256"]):
        report.error(path, outer.line("seal"),
                     f"recorded version {number} was altered: its date or whether it is minor no longer "
                     "matches its seal; restore the file from git or a backup (only the note may be "
                     "corrected by hand)")
        return None
    try:
        recorded = to_datetime(head["recorded"], zone) if "recorded" in head else None
    except ValueError as e:
        report.error(path, outer.line("recorded"), f"`recorded`: {e}")
        return None
    title, summary = inner.meta.get("title"), inner.meta.get("summary")
    address = head.get("address") or ""
    if address and not _is_address(str(address)):
        report.error(path, outer.line("address"), f"`address: {address}` is not an address on the site (like "
                     "series/slug/); correct it, or delete the line")
        return None
    return Version(number=number, date=when, note=tidy_note(str(note)), minor=minor,
                   title=str(title) if title is not None else "",
                   summary=str(summary).strip() if isinstance(summary, str) else "", body=Packed(inner.body),
                   head=outer.body[:len(outer.body) - len(inner.body)],  # so that head + body is the text exactly
                   body_line=outer.body_line + inner.body_line - 1, path=path,
                   note_line=_note_line(outer, str(note)), address=str(address),
                   slug=_plain(inner.meta.get("slug")), series=_plain(inner.meta.get("series")), recorded=recorded,
                   sealed="seal" in head, entry_id=_plain(inner.meta.get("id")), part=_whole(inner.meta.get("part")),
                   origin=_plain(head.get("origin")), language=_plain(inner.meta.get("language")))


HEADER_KEYS = ("version", "date", "minor", "sha256", "seal", "recorded", "address", "origin", "note")
"""Every key ``render_version_file`` writes: any other is a hand edit gone wrong (``nite:``), and what it
held (a note) would be lost without a word."""


def _known_keys(path: Path, number: int, header: Split, report: Report) -> bool:
    """Whether the header of version ``number`` holds only keys a version file has; an error for each other."""
    strays = [key for key in header.meta if key not in HEADER_KEYS]
    note = header.meta_lines.get("note", 0)
    for key in strays:
        line = header.line(str(key))
        close = meant(str(key), HEADER_KEYS, header.meta, cutoff=0.6)
        if note and line > note:  # a line of the note that lost its indent reads as a key
            hint = "if this line belongs to the note above it, indent it two spaces, as the note's other lines are"
        elif close:
            hint = f"did you mean `{close}`? (only the note may be corrected by hand)"
        else:
            hint = f"a version's header holds only {', '.join(f'`{k}`' for k in HEADER_KEYS)}; delete the line"
        report.error(path, line, f"recorded version {number}: unknown key `{key}`: {hint}")
    return not strays


def _unsealed(number: int) -> str:
    return (f"recorded version {number} has no seal, but every version recorded since seals exist has one (its "
            "date and kind are bound to its text): restore the file from git or a backup (only the note may be "
            "corrected by hand)")


def _outside(path: Path) -> bytes:
    raise OSError(0, f"it links out of the site (to {os.path.realpath(path)}); a recorded version is a file "
                  "of the site: put the file itself here", str(path))


def _is_address(value: str) -> bool:
    """Whether a hand-edited ``address`` is one a post can have: ``slug/`` or ``series/slug/``, each a slug
    a build accepts (nothing hidden, like ``.git/``, nothing that leaves the output folder)."""
    parts = value.split("/")
    return len(parts) in (2, 3) and parts[-1] == "" and all(is_slug(part) and part == part.strip()
                                                            for part in parts[:-1])


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _whole(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _note_line(header: Split, note: str) -> int:
    """Where the note's text starts: after ``note: |`` (as ``revise`` writes it) and any blank lines the
    note's text begins with, or on the key's own line for a note written inline."""
    key_line = header.meta_lines.get("note", 0)
    if not key_line:
        return 0
    block = re.match(r"note:\s*[|>]", header.head.splitlines()[key_line - 1]) is not None
    return key_line + block + (len(note) - len(note.lstrip("\n")))


def render_version_file(number: int, entry: NewVersion) -> str:
    text_digest = digest(entry.text)
    head: dict[str, object] = {"version": number, "date": entry.date.isoformat(), "minor": entry.minor,
                               "sha256": text_digest, "seal": seal(number, entry.date, entry.minor, text_digest)}
    if entry.recorded:
        head["recorded"] = entry.recorded.isoformat()
    if entry.address:
        head["address"] = entry.address
    if entry.origin:
        head["origin"] = entry.origin
    note = tidy_note(entry.note) + "\n" if entry.note else ""
    header = yaml.dump(head, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=78)
    if note:
        header += _note_block(note) or yaml.dump({"note": note}, Dumper=_Dumper, allow_unicode=True, width=78)
    return f"---\n{header}---\n{entry.text}"


def _note_block(note: str) -> str | None:
    """``note: |`` and the note's lines indented under it, as an author can edit it, for any note that YAML's
    block can hold: PyYAML would write one with a Markdown hard break (two spaces at a line's end) or a tab
    as a quoted line of ``\\n`` escapes, which no one can edit.  None when the block does not read back
    as the very note (a character a block cannot carry): the caller writes it as PyYAML does."""
    indicator = "2" if note[:1] in " \t" else ""  # a first line that starts with a space says how deep it is
    block = "note: |" + indicator + "\n" + "".join(f"  {line}\n" if line else "\n" for line in note.split("\n")[:-1])
    try:
        read = yaml.load(block, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return None
    return block if read == {"note": note} else None


def tidy_note(note: str) -> str:
    """A note as it is kept: without the blank lines around it and the spaces after it, which Markdown
    ignores, but with the indent of its first line, which Markdown reads (four spaces make a code block)."""
    return _BLANK_START.sub("", note).rstrip()


_BLANK_START = re.compile(r"\A(?:[ \t]*\n)+")


class _Dumper(yaml.SafeDumper):
    """Writes multi-line notes as readable ``|`` blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


class VersionTaken(Exception):
    """Another process recorded this version number first."""


def _private(post_path: Path) -> int | None:
    """The post file's permissions when others may not read it (a private draft): its versions get them, and
    its versions folder is closed to others too; None for a post others may read."""
    try:
        mode = stat.S_IMODE(post_path.stat().st_mode)
    except OSError:
        return None
    return mode if not mode & 0o044 else None


def append(post_path: Path, number: int, entry: NewVersion) -> Path:
    """Write version ``number`` atomically, never over an existing file; a private post's versions are as
    private as it is."""
    folder = archive_dir(post_path)
    private = _private(post_path)
    folder.mkdir(exist_ok=True)
    if private is not None:  # new or not, closed to others
        folder.chmod(stat.S_IMODE(folder.stat().st_mode) & ~0o077)
    remove_stale_temps(folder, ".v")
    final = folder / f"v{number}.md"
    data = render_version_file(number, entry).encode("utf-8")
    try:
        if not _link_anonymous(folder, data, final, private):
            temp = folder / f".v{number}.{os.getpid()}.tmp"
            try:
                with open(temp, "wb") as handle:
                    if private is not None:
                        os.fchmod(handle.fileno(), private)
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.link(temp, final)
            finally:
                temp.unlink(missing_ok=True)
    except FileExistsError as e:  # linking never overwrites: the number was taken meanwhile
        raise VersionTaken(str(final)) from e
    fsync_dir(folder)
    return final


def replace_scheduled(post_path: Path, entry: NewVersion) -> Path:
    """Write version 1 anew, over a version 1 that is not out yet (``publish`` again on a post scheduled
    for later): the one case where a recorded version is replaced, since no reader has seen it."""
    final = archive_dir(post_path) / "v1.md"
    replace_bytes(final, render_version_file(1, entry).encode("utf-8"))
    return final


def _link_anonymous(folder: Path, data: bytes, final: Path, mode: int | None = None) -> bool:
    """Write ``data`` to a file without a name and link it in as ``final`` (Linux's ``O_TMPFILE``): a
    process killed at any moment leaves no temporary file.  False where the system cannot."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return False
    try:
        fd = os.open(folder, flag | os.O_WRONLY, 0o666)  # as open() makes files: the umask decides
    except OSError:  # a file system without it
        return False
    with os.fdopen(fd, "wb") as handle:
        if mode is not None:
            os.fchmod(fd, mode)
        handle.write(data)
        handle.flush()
        os.fsync(fd)
        parent = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:  # with a folder descriptor, os.link calls linkat(…, AT_SYMLINK_FOLLOW): the unnamed file is linked
            os.link(f"/proc/self/fd/{fd}", final.name, dst_dir_fd=parent)
        except FileExistsError:
            raise
        except OSError:  # a kernel or sandbox that refuses to link it
            return False
        finally:
            os.close(parent)
    return True
