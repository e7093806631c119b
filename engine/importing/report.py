"""What an import says at the end, and the counter it shows on a terminal while it reads.

The report counts what came in (posts, pages, series, versions, files, old addresses), then lists
every thing left out or kept as raw HTML or visible text with its place in the source and why, so that
nothing an author had is dropped without a line saying so.
"""
from __future__ import annotations

import logging
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .apply import Plan
from .model import ImportResult, Skipped

log = logging.getLogger(__name__)


@dataclass
class Progress:
    """A counter line on a terminal (``reading 120/1000``); readers call ``step`` once per item."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    shown: int = -1

    def step(self, done: int, total: int, what: str = "items") -> None:
        percent = 100 * done // max(total, 1)
        if percent != self.shown:
            self.shown = percent
            print(f"\rreading {what}: {done}/{total}\033[K", end="", file=self.stream, flush=True)

    def close(self) -> None:
        if self.shown >= 0:
            print("\r\033[K", end="", file=self.stream, flush=True)


def progress_for(stream: TextIO, quiet: bool) -> Progress | None:
    """A ``Progress`` on a terminal; none when the output goes to a file or a test."""
    return Progress(stream) if stream.isatty() and not quiet else None


def render_report(result: ImportResult, planned: Plan, dry_run: bool, site: Path) -> list[str]:
    """The report's lines."""
    verb = "would import" if dry_run else "imported"
    lines = [f"{result.kind}: {verb} " + ", ".join(_counts(planned))]
    if planned.already:
        count = len(planned.already)
        lines.append(f"{count} post{' was' if count == 1 else 's were'} imported by an earlier run and "
                     f"{'is' if count == 1 else 'are'} left as {'it is' if count == 1 else 'they are'}"
                     + ("; nothing changed" if not planned.files else ""))
    kept = [s for s in (*result.skipped, *planned.notes) if s.kept]
    dropped = [s for s in (*result.skipped, *planned.notes) if not s.kept]
    if dropped:
        lines.append(f"left out ({len(dropped)}):")
        lines += _grouped(dropped)
    if kept:
        lines.append(f"kept as raw HTML or visible text, or changed on the way ({len(kept)}):")
        lines += _grouped(kept)
    if planned.menu:
        lines.append("pages can join the site's navigation with these lines in config.toml:")
        for title, address in planned.menu:
            lines += ["  [[menu]]", f"  title = {_toml(title)}", f"  url = \"/{address}\""]
    if dry_run:
        lines.append("dry run: nothing was written")
    return lines


def _grouped(items: list[Skipped]) -> list[str]:
    """One line per thing skipped; the same thing skipped for the same reason many times is one line
    with every place it was found."""
    groups: dict[tuple[str, str], list[Skipped]] = {}
    for item in sorted(items, key=lambda s: (s.where.path, s.where.line)):
        groups.setdefault((item.what, item.why), []).append(item)
    lines = []
    for (what, why), found in groups.items():
        if len(found) == 1:
            lines.append(f"  {found[0].where}: {what}: {why}")
            continue
        paths = dict.fromkeys(s.where.path for s in found)
        places = "; ".join(_place(path, [s.where.line for s in found if s.where.path == path]) for path in paths)
        lines.append(f"  {len(found)} × {what}: {why} ({places})")
    return lines


def _place(path: str, lines: list[int]) -> str:
    """``export.xml:12,40`` for the lines of ``path`` where something was found, each named once with how
    often it was found there (``6770 (38×)``: one item of an export holding 38 such blocks)."""
    counts = Counter(line for line in lines if line)
    if not counts:
        return path
    return f"{path}:" + ",".join(f"{line} ({n}×)" if n > 1 else str(line) for line, n in counts.items())


def _counts(planned: Plan) -> list[str]:
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"
    return [n(planned.count("post"), "post"), n(planned.count("page"), "page"),
            n(planned.count("series"), "series").replace("seriess", "series"), n(planned.versions, "version"),
            n(planned.count("asset"), "image and file").replace("image and files", "images and files"),
            n(planned.aliases, "alias").replace("aliass", "aliases")]


def _toml(text: str) -> str:
    import json
    return json.dumps(text, ensure_ascii=False)
