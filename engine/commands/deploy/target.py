"""What ``deploy`` publishes to and what it changed there: the parsed target, the list of changed files
every kind of target reports the same way, and the one error a deploy raises."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import Diagnostic, SiteError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """A deploy's destination, as ``[deploy] target`` or ``--to`` wrote it."""

    kind: str
    """``git``, ``rsync`` or ``dir``."""
    where: str
    """What follows the kind: ``REMOTE#BRANCH``, the rsync destination, or the folder."""
    said: str
    """Where it was written, for messages: ``config.toml:12`` or ``--to``."""
    site: Path
    """The site folder (a relative local path is read from there)."""

    def fail(self, message: str) -> SiteError:
        """A user error about this target, said at the place that named it."""
        path, _, line = self.said.partition(":")
        return SiteError(Diagnostic(path, int(line or 0), message))


@dataclass(frozen=True)
class Changes:
    """What a deploy changed on its target (or, dry, would change): site paths, sorted."""

    added: tuple[str, ...] = ()
    """Files the target did not have."""
    changed: tuple[str, ...] = ()
    """Files whose bytes differ."""
    removed: tuple[str, ...] = ()
    """Files the target has and the site no longer does."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def lines(self) -> list[str]:
        """One line a file: ``+ added``, ``~ changed``, ``- removed``."""
        return [*(f"+ {p}" for p in self.added), *(f"~ {p}" for p in self.changed), *(f"- {p}" for p in self.removed)]


@dataclass
class Collected:
    """Changes gathered one by one (a target's report is parsed a line at a time)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def done(self) -> Changes:
        return Changes(tuple(sorted(self.added)), tuple(sorted(self.changed)), tuple(sorted(self.removed)))


def compare(new: dict[str, bytes | Path], old: dict[str, bytes | Path]) -> Changes:
    """The changes from the files ``old`` to the files ``new`` (path → bytes, or a file to read)."""
    def data(value: bytes | Path) -> bytes:
        return value if isinstance(value, bytes) else value.read_bytes()
    return Changes(tuple(sorted(set(new) - set(old))),
                   tuple(sorted(p for p in set(new) & set(old) if data(new[p]) != data(old[p]))),
                   tuple(sorted(set(old) - set(new))))


def parse(text: str, said: str, site: Path) -> Target:
    """``git:…``, ``rsync:…`` or ``dir:…`` → a ``Target`` (``config.py`` checked the form of one from
    ``config.toml``; ``--to`` is checked the same way here)."""
    from ...config import deploy_target
    try:
        deploy_target(text)
    except TypeError as e:
        raise SiteError(Diagnostic(said.partition(":")[0], int(said.partition(":")[2] or 0),
                                   f"deploy target {e}")) from e
    kind, _, where = text.partition(":")
    return Target(kind, where.strip(), said, site)


def tree(root: Path) -> dict[str, Path]:
    """Every file under ``root`` by its site path (``a/b.html``), links not followed."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = path
    return found
