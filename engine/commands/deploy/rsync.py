"""``rsync:DEST``: the built site mirrored to a folder over SSH (``user@host:/srv/www/essays/``) or on
this machine, by rsync.

``--delete`` only ever acts inside DEST, and DEST is checked first: an empty path, the root, a home folder
(``host:``, ``~``, ``/home/me``), a top-level system folder, ``..`` or the site's own folders are refused,
and so is a DEST that holds anything but a site Feuilleton built.
The source ends in ``/`` (its contents go into DEST, not a folder of its name), ``--protect-args`` keeps
the remote shell from splitting or expanding file names, ``--checksum`` sends only files whose bytes
changed, and ``--delete-after`` removes files only once every new one is in place.  Each file is written
beside its final name and renamed, so a reader never gets half a file; a run cut short leaves DEST with
some files new and some old, and running deploy again finishes it.
"""
from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

from ...output.write import MARK
from ...site import urls as U
from ...site.checks import MARK_BYTES
from ...source.files import read_start
from .scratch import folder as temporary_folder
from .target import Changes, Collected, Target

log = logging.getLogger(__name__)

_SYSTEM = frozenset({"bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root",
                     "run", "sbin", "srv", "sys", "tmp", "usr", "var", "Users", "Volumes", "Library", "System",
                     "private"})
"""Folders at the root of a system that are never a site's whole destination."""
_ITEM = re.compile(r"(?:[<>ch.][fdLDS][^ ]{9}|\*deleting  ) ")
"""An itemized line: 11 characters saying what changed (``>f+++++++++``, ``*deleting``), a space, the name
(rsync writes a control character in it as ``\\#012``)."""


def split(dest: str) -> tuple[str, str]:
    """``user@host:path`` → ``("user@host", "path")``; a local path → ``("", path)`` (rsync's rule: a
    colon before any slash names a host)."""
    head, colon, rest = dest.partition(":")
    if colon and "/" not in head:
        return head, rest
    return "", dest


def dest_problem(dest: str, site: Path) -> str | None:
    """Why rsync's ``--delete`` into ``dest`` could remove what is not the site's; None when it cannot."""
    host, path = split(dest)
    if not path.strip() or path.strip() in ("~", "~/", ".", "./"):
        return f"{dest!r} is a home folder (or none): name the site's own folder, e.g. {host or 'host'}:/srv/www/essays/"
    if path.startswith(("~", "$")):  # rsync is given the path as written (--protect-args): no shell expands it
        below = path.split("/", 1)[1] if path.startswith("~/") else "essays/"
        return (f"{dest!r}: `{path[0]}` is not expanded here (rsync gets the path as written, so it would make a "
                f"folder named `{path.split('/')[0]}`); write the folder relative to your home folder, "
                f"{host or 'host'}:{below}, or in full")
    if path.startswith("-") or host.startswith("-"):
        return f"{dest!r} would be read as an option by rsync"
    parts = [p for p in PurePosixPath(path).parts if p not in ("/", ".")]
    if ".." in parts:
        return f"{dest!r} climbs with `..`: write the folder's own path"
    if not parts or (path.startswith("/") and len(parts) == 1 and parts[0] in _SYSTEM):
        return f"{dest!r} is the root of a system or a folder at its top: name the site's own folder below it"
    if path.startswith("/") and parts[0] in ("home", "Users") and len(parts) <= 2 or parts[:1] == ["root"]:
        return f"{dest!r} is a home folder: name a folder of the site's own inside it"
    if not host:
        local = (site / path).resolve()
        if local == site or local in site.parents or site in local.parents:
            return f"{dest!r} is the site folder, one around it or one inside it, which --delete would empty"
    return None


def publish(target: Target, built: Path, dry_run: bool, say, progress: bool,
            guard=lambda changes, read: None) -> Changes:
    """Mirror ``built`` to the destination (``dry_run``: list what would change, send nothing); ``guard``
    sees the changes first (from a dry run), and may refuse them."""
    if shutil.which("rsync") is None:
        raise target.fail("rsync is not installed here: install it (apt install rsync, brew install rsync) "
                          "or deploy to a git: or dir: target; nothing was sent")
    problem = dest_problem(target.where, target.site)
    if problem:
        raise target.fail(f"rsync destination refused: {problem}")
    host, path = split(target.where)
    if not host and not (target.site / path).resolve().parent.is_dir():
        raise target.fail(f"rsync destination {target.where!r}: the folder it goes in, "
                          f"{(target.site / path).resolve().parent}, does not exist; create it first (rsync makes "
                          "the last folder only); nothing was sent")
    dest = (f"{host}:" if host else "") + (path if host else str((target.site / path).resolve()))
    dest = dest if dest.endswith("/") else dest + "/"
    args = ["rsync", "--recursive", "--links", "--times", "--checksum", "--delete-after", "--protect-args",
            "--itemize-changes", "--out-format=%i %n", "--omit-dir-times"]
    say(f"checking {dest}…")
    changes = _run([*args, "--dry-run", "--", str(built) + "/", dest], target, True)
    _only_a_built_site(target, dest)
    with temporary_folder() as copies:
        guard(changes, _Fetched(dest, [*changes.changed, *changes.removed, "sitemap.xml"], Path(copies)))
    if dry_run:
        return changes
    say(f"sending the site to {dest}…")
    return _run([*args, *(["--info=progress2"] if progress else []), "--", str(built) + "/", dest], target, False)


_LOOK = ("rsync", "--list-only", "--recursive", "--protect-args", f"--filter=+ /{U.STYLE.split('/')[0]}/",
         f"--filter=+ /{U.STYLE}", "--filter=- /*/*")
"""rsync listing what a destination holds at its top, and its stylesheet: one connection, no folder read
deeper than the top's."""


def _only_a_built_site(target: Target, dest: str) -> None:
    """Refuse a destination that holds anything but a site Feuilleton built (its ``sitemap.xml`` and
    ``theme/style.css``), as ``dir:`` does: ``--delete`` would remove another site's folder, or files kept
    beside sites (``/srv/www/`` named for ``/srv/www/essays/``).  Empty or missing, it takes the site."""
    held = _held(target, dest)
    if not held or all(held.get(mark) == "-" for mark in (MARK, U.STYLE)):
        return
    top = [name + ("/" if kind == "d" else "") for name, kind in sorted(held.items()) if "/" not in name]
    shown = ", ".join(top[:5]) + (f" and {len(top) - 5} more" if len(top) > 5 else "")
    raise target.fail(f"rsync destination {dest} holds files that are not a site Feuilleton built (no {MARK} and "
                      f"{U.STYLE}): {shown}; rsync would delete them. Name the site's own folder (an empty or new "
                      "one), or empty this one; nothing was changed")


def _held(target: Target, dest: str) -> dict[str, str]:
    """What ``dest`` holds at its top (and ``theme/style.css``): each name with its kind as ``ls -l`` writes it
    (``-`` a file, ``d`` a folder, ``l`` a link); nothing when it does not exist yet."""
    done = subprocess.run([*_LOOK, "--", dest], capture_output=True, text=True, errors="replace")
    if done.returncode == 23 and "No such file or directory" in done.stderr:
        return {}  # rsync makes it
    if done.returncode != 0:
        raise target.fail(f"rsync could not list what {dest} holds (exit {done.returncode}): "
                          f"{done.stderr.strip()[-600:]}; nothing was changed")
    held = {}
    for line in done.stdout.splitlines():
        fields = line.split(None, 4)
        if len(fields) == 5 and fields[4] != ".":
            held[fields[4]] = fields[0][:1]
    return held


class _Fetched:
    """The destination's copies of the files the deploy's checks read (the version pages it would change or
    remove, and its sitemap), fetched in one rsync when first asked for; None for one it does not hold."""

    def __init__(self, dest: str, rels: list[str], folder: Path):
        self.dest, self.folder = dest, folder
        self.rels = [rel for rel in rels if rel == "sitemap.xml" or U.is_version_page(rel)]
        self.fetched = False

    def __call__(self, rel: str) -> bytes | None:
        if not self.fetched:
            self.fetched = True
            listed = self.folder / ".files"
            listed.write_text("".join(f"{rel}\n" for rel in self.rels), encoding="utf-8")
            subprocess.run(["rsync", "--protect-args", "--files-from", str(listed), "--", self.dest,
                            str(self.folder) + "/"], capture_output=True)  # one missing is left out: None
        return read_start(self.folder / rel, MARK_BYTES) if rel in self.rels else None


def _run(args: list[str], target: Target, dry_run: bool) -> Changes:
    """rsync, its itemized lines gathered (and its progress passed on to a terminal)."""
    collected = Collected()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
    assert process.stdout is not None and process.stderr is not None
    for line in process.stdout:
        line = line.rstrip("\n")
        code, name = line[:11], line[12:]
        if not _ITEM.match(line):
            if line.strip() and sys.stderr.isatty():
                print(line.strip()[:120], end="\r", file=sys.stderr, flush=True)  # progress
        elif code.startswith("*deleting"):
            collected.removed += [] if name.endswith("/") else [name]
        elif code[1] == "f" and code[0] in "<>":  # sent; ``.f..t......`` is a new time alone
            (collected.added if code[2:].startswith("+++++++") else collected.changed).append(name)
    error = process.stderr.read()
    if process.wait() != 0:
        state = "is as it was" if dry_run else ("may hold some new files beside old ones (files are replaced one "
                                               "by one, each whole; nothing is removed before the rest is in)")
        raise target.fail(f"rsync failed (exit {process.returncode}): {error.strip()[-600:]}; the destination "
                          f"{state}; running deploy again is safe")
    return collected.done()
