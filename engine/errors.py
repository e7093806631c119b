"""User-facing diagnostics.

Everything the author can get wrong is reported as a ``Diagnostic`` that
names a file and a line.  A stage collects all of its diagnostics and raises
one ``SiteError`` carrying them, so the author sees every problem at once;
the CLI is the only place that prints them.  Anything that is not a
``SiteError`` is a bug and keeps its traceback.
"""
from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one place of the author's files."""

    path: str
    """The file, relative to the site folder where possible."""
    line: int
    """1-based line number; 0 when the problem is about the whole file."""
    message: str
    """What is wrong and, where it helps, what to do about it."""
    warning: bool = False
    """A warning is reported but does not stop the build."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{self.message}"


class SiteError(Exception):
    """One or more user errors; the CLI prints them and exits with 1."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self):  # so that an error raised in a worker process arrives whole
        return (SiteError, (list(self.diagnostics),))


@dataclass
class Report:
    """Collects the diagnostics of one stage, then raises them together."""

    root: Path
    """The site folder; paths are shown relative to it."""
    items: list[Diagnostic] = field(default_factory=list)

    def where(self, path: Path | str) -> str:
        path = Path(path)
        if path.is_relative_to(self.root):  # as a rule: the site folder is resolved before it is read
            return path.relative_to(self.root).as_posix()
        real = self.root.resolve()
        try:
            return (path if path.is_relative_to(real) else path.resolve()).relative_to(real).as_posix()
        except ValueError:
            return str(path)

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Diagnostic(self.where(path), line, message))

    def warn(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Diagnostic(self.where(path), line, message, warning=True))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.warning]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.warning]

    def raise_if_errors(self) -> None:
        """Stop here if anything so far was an error (warnings ride along)."""
        if self.errors:
            raise SiteError(self.items)


def meant(key: str, known: Iterable[str], present: Iterable[object] = (), cutoff: float = 0.75) -> str | None:
    """The known key a misspelt one most likely stands for (``timezon`` → ``timezone``), unless that one is
    ``present`` already; None when none is close."""
    found = difflib.get_close_matches(key.lower(), list(known), n=1, cutoff=cutoff)
    return found[0] if found and found[0] not in present else None
