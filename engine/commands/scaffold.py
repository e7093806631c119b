"""``init`` and ``new``: files for the author to start from, never overwriting."""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from ..config import EXAMPLE_AUTHOR, EXAMPLE_BASE_URL
from ..errors import Diagnostic, Report, SiteError
from ..model.assemble import BUNDLE_NAME
from ..model.slugs import slugify, windows_reserved
from ..site import urls as U
from ..source.files import read_regular
from ..source.load import SERIES_FILE, VERSIONS_SUFFIX, PostFile, load
from ..source.textcheck import character_problem

log = logging.getLogger(__name__)

MAX_STEM = 80
"""Bytes of a new post's file name before ``.md``."""

_CONFIG = '''title = "{title}"
base_url = "{base_url}"  # your site's address: posts' feed ids are made from it, for good
language = "en"      # the theme's words and dates: en, fr, de, es, it, pt, nl, ar, he (right to left)
timezone = "UTC"
description = ""
search = true        # a search page, with an index of the posts made at each build (Pagefind)

[author]
name = "{author}"
bio = "A sentence or two about you, in Markdown."
'''

_IGNORED = ("/output/", "/.feuilleton-*", ".*.tmp")
"""What git should leave out of a site: the built site, the cache and spare copies beside it, and the
temporary files (``.NAME.PID.tmp``) a command killed in the middle of writing may leave in ``posts/``."""
_GITIGNORE = ("# the built site, feuilleton's cache and spare copies, and what a killed command may leave\n"
              + "".join(f"{pattern}\n" for pattern in _IGNORED))
_TEMPLATES_README = """Put a template here to override the theme's template of the same name
(base.html, post.html, index.html, series.html, ...). An override can extend
the original: {% extends "theme/post.html" %} and replace one block.

To change the theme's words without copying a template, put the messages
you want to change in locale/<lang>/messages.po here (a gettext catalog;
see the theme's in engine/locale/ of Feuilleton).
"""


def init(target: Path) -> list[Path]:
    """A new site that builds at once."""
    if target.exists() and not target.is_dir():
        raise SiteError(Diagnostic(str(target), 0, "exists and is not a folder; choose another name"))
    if (target / "config.toml").exists():
        raise SiteError(Diagnostic(str(target / "config.toml"), 0, "already exists; init never overwrites a site"))
    try:
        return _init(target)
    except OSError as e:
        raise SiteError(Diagnostic(str(e.filename or target), 0, f"cannot create: {e.strerror}")) from e


def _init(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    made = []
    title = target.resolve().name.replace('"', "")
    for rel, text in (("config.toml", _CONFIG.format(title=title, base_url=EXAMPLE_BASE_URL, author=EXAMPLE_AUTHOR)),
                      (".gitignore", _GITIGNORE), ("templates/README.txt", _TEMPLATES_README)):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            made.append(path)
        elif rel == ".gitignore":
            _add_ignored(path)
    (target / "posts").mkdir(exist_ok=True)
    return made


def _add_ignored(path: Path) -> None:
    """Add what a site's git should leave out to a ``.gitignore`` the folder already has, after its own
    lines, which stay as they are (a site started in an existing repository would otherwise commit its
    output and stray temporary files)."""
    try:
        old = read_regular(path)
    except OSError as e:
        raise SiteError(Diagnostic(str(path), 0, f"cannot read: {e.strerror}")) from e
    present = {line.strip() for line in old.decode("utf-8", "replace").splitlines()}
    missing = [pattern for pattern in _IGNORED if pattern not in present]
    if not missing:
        return
    added = "# added by feuilleton init\n" + "".join(f"{pattern}\n" for pattern in missing)
    with path.open("ab") as handle:
        handle.write((b"\n" if old and not old.endswith(b"\n") else b"") + added.encode())
    log.warning("%s: added %s, so that git leaves them out", path, " ".join(missing))


def claimed_parts(posts_dir: Path, series: str) -> dict[int, PostFile]:
    """The part numbers the series' posts already claim (in its folder or via ``series:``), each with
    the first post that claims it.

    A file that does not load may claim any part (``series:`` can put a post anywhere in its series), so
    while one does not, the parts are not known: its errors stop the command, as they would stop a build.
    """
    report = Report(posts_dir.parent)
    sources = load(posts_dir.parent, posts_dir, report)
    if report.errors:
        raise SiteError([*report.errors, Diagnostic(f"--series {series}", 0, "which parts the series has "
                                                    "cannot be told while a file above does not load: mend it "
                                                    "first")])
    claimed: dict[int, PostFile] = {}
    for source in sources.posts:
        part = source.meta.get("part")
        if source.folder != series and source.meta.get("series") != series:
            continue
        if not isinstance(part, int) or isinstance(part, bool) or part < 1:
            said = "has no `part`" if part is None else f"`part: {part!r}` is no whole number from 1"
            raise SiteError(Diagnostic(source.shown, source.line("part"), f"{said}, so which parts the series "
                                       f"has cannot be told: mend it first (--series {series})"))
        claimed.setdefault(part, source)
    return claimed


def _create(path: Path, text: str) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except BaseException as e:  # a full disk, Ctrl-C: no empty post is left for every build to stop at
        path.unlink(missing_ok=True)
        if isinstance(e, OSError) and e.filename is None:
            raise OSError(e.errno, e.strerror, str(path)) from e
        raise
    return True


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_post(posts_dir: Path, title: str, series: str | None, part: int | None, ascii: bool = False) -> Path:
    """A draft post file with a free name; prints nothing, returns the path.

    What a build would refuse (no title, a part number below 1, a part outside a series or one the
    series already has) is refused here, before any file is written.
    """
    title = title.strip()
    _check_title(title)
    if part is not None and part < 1:
        raise SiteError(Diagnostic(f"--part {part}", 0, "part numbers count from 1"))
    if part is not None and not series:
        raise SiteError(Diagnostic(f"--part {part}", 0, "a part belongs to a series: add --series SLUG "
                                   "(the name of a folder under posts/ that has series.toml)"))
    folder = posts_dir
    if series:
        if Path(series).name != series or series in (".", ".."):
            raise SiteError(Diagnostic(f"--series {series}", 0, "is a series' slug, the name of its folder under "
                                       "posts/, not a path"))
        folder = posts_dir / series
        if not (folder / SERIES_FILE).is_file():
            series = _series_named(posts_dir, series)
            folder = posts_dir / series
        claimed = claimed_parts(posts_dir, series)
        free = 1 + max(claimed, default=0)
        if part in claimed:
            raise SiteError(Diagnostic(claimed[part].shown, claimed[part].line("part"),
                                       f"already claims part {part} of series `{series}`: choose another --part, "
                                       f"or leave --part out for the next free one ({free})"))
        if part is None:
            part = free
    lines = ["---", f"title: {_yaml_string(title)}", "draft: true"]
    if part is not None:
        lines.append(f"part: {part}")
    if series and folder == posts_dir:
        lines.append(f"series: {series}")
    lines += ['summary: ""', "tags: []", "---", "", "Write here.", ""]
    folder.mkdir(parents=True, exist_ok=True)
    base = f"part-{part}" if series and part else _file_stem(title, ascii)
    reserved = _site_sections(posts_dir) if folder == posts_dir else set()
    # the addresses of the files there: one an earlier Feuilleton named (น้ําใจ.md, AM split) is น้ำใจ's too
    taken = {slugify(path.name.removesuffix(".md").removesuffix(VERSIONS_SUFFIX)) for path in folder.iterdir()
             if path.name.endswith((".md", VERSIONS_SUFFIX))} if folder.is_dir() else set()
    for n in range(1, 1000):
        stem = base if n == 1 else f"{base}-{n}"
        usable = stem not in reserved and not windows_reserved(stem)  # con.md: no Windows could hold it
        usable = usable and slugify(stem) not in taken
        # a deleted post's versions left behind would be read as this draft's: its name is taken too
        usable = usable and not os.path.lexists(folder / f"{stem}{VERSIONS_SUFFIX}")
        if usable and _create(folder / f"{stem}.md", "\n".join(lines)):
            return folder / f"{stem}.md"
    raise SiteError(Diagnostic(str(folder), 0, "no free file name found"))


def _site_sections(posts_dir: Path) -> set[str]:
    """Top-level addresses a standalone post cannot take: the site's own pages' (updates/, tags/, …), the
    series' (a folder of posts/), and /index/, which the build warns a post's file name makes by mistake."""
    return U.SECTIONS | {BUNDLE_NAME} | {entry.name for entry in posts_dir.iterdir() if entry.is_dir()}


def _file_stem(title: str, ascii: bool = False) -> str:
    """The title's slug as a file name (in ASCII with ``ascii``): a long title's is cut at a word, short
    enough for any file system (and for the URL it becomes)."""
    slug = slugify(re.sub(r"[\\/|]", " ", title), ascii)  # "Part I\\II", "and/or": two words, not one
    if len(slug.encode()) <= MAX_STEM:
        return slug
    short = U.cut(slug, MAX_STEM)
    return short.rsplit("-", 1)[0] if "-" in short else short


def _series_named(posts_dir: Path, asked: str) -> str:
    """The folder of the series ``--series`` names by its address (``river-law`` for ``posts/River-Law/``,
    whose pages are at ``/river-law/``) or in other letters; an error naming the series there are, if none."""
    series = sorted(path.parent.name for path in posts_dir.glob(f"*/{SERIES_FILE}") if path.is_file())
    found = [name for name in series if name.casefold() == asked.casefold() or slugify(name) == asked]
    if len(found) == 1:
        return found[0]
    names = ", ".join(f"`{name}`" for name in series) or "none yet"
    raise SiteError(Diagnostic((posts_dir / asked / SERIES_FILE).relative_to(posts_dir.parent).as_posix(), 0,
                               f"unknown series `{asked}` (the series here: {names}): give the name of a series' "
                               f"folder, or create {SERIES_FILE} in that folder first"))


def _check_title(title: str) -> None:
    """A title a post can carry: not empty, one line, no invisible control characters."""
    if not title:
        raise SiteError(Diagnostic("title", 0, 'is empty: every post needs one, as in feuilleton new "A Title"'))
    if "\n" in title or "\r" in title:
        raise SiteError(Diagnostic("title", 0, "must be one line"))
    bad = character_problem(title)
    if bad:
        raise SiteError(Diagnostic("title", 0, bad[1]))
