"""Files → raw source records, with line numbers, and no interpretation.

``load`` walks ``posts/``, splits each Markdown file into YAML front matter
and body itself (python-frontmatter silently returns no metadata when it
cannot split a file; we never want that), parses the YAML with
libyaml's safe loader, and remembers the line of every top-level key — from the
parser's nodes, so that later stages can say ``file:line``.  Anchors and
aliases are refused: nine nested aliases make a value of 9^9 items that
every later stage would walk.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from ..errors import Report, SiteError
from ..model.packed import Packed
from ..speed.parallel import check_cancelled
from .files import BROKEN_LINK, entry_is, inside, read_regular
from .textcheck import character_problem, nesting_problem, value_problem
from .tomlfile import TomlFile, read_toml

log = logging.getLogger(__name__)

SERIES_FILE = "series.toml"
VERSIONS_SUFFIX = ".versions"
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """libyaml's safe loader, but a bad timestamp is a marked error, not a crash."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as e:
        raise yaml.constructor.ConstructorError(
            None, None, f"cannot read {node.value!r} as a date ({e})", node.start_mark) from e


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
SAFE_LOADER = _Loader


class _FrontLoader(_Loader):
    """A post's front matter: a timestamp no calendar has (``date: 2026-13-45``) stays the text it is, for the
    key's own check to name as no date at its line, as it does the same date in quotes; the YAML is valid."""


def _text_if_no_date(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_FrontLoader.add_constructor("tag:yaml.org,2002:timestamp", _text_if_no_date)
"""For other readers of front matter (the importers): a date that cannot be is an error at its line."""

TEXT_KEYS = frozenset({"title", "summary", "series", "slug", "id", "note"})
"""Keys whose values are text, and stay as written even where YAML would read another type."""
TEXT_LISTS = frozenset({"tags"})
"""Keys whose values are lists of text, likewise."""
_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Source:
    """One Markdown file split into front matter and body."""

    path: Path
    """The file on disk."""
    shown: str
    """The path as messages show it (relative to the site)."""
    head: str
    """The file up to ``body``: the front matter and its fences (``head + body`` is the file as read)."""
    meta: dict[str, Any]
    """The front matter as YAML gave it."""
    meta_lines: dict[str, int]
    """Line of each top-level front-matter key."""
    body: Packed
    """The Markdown after the closing ``---``, packed: a build holds every post's (``str()`` gives it)."""
    body_line: int
    """Line number of the first line of ``body``."""

    @property
    def text(self) -> str:
        """The whole file as read."""
        return self.head + str(self.body)

    def line(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


@dataclass(frozen=True)
class PostFile(Source):
    """A post under ``posts/``."""

    key: str = ""
    """Path relative to ``posts/`` (POSIX), the post's identity in the model."""
    folder: str | None = None
    """The series folder it sits in, if any."""


@dataclass(frozen=True)
class Sources:
    """Everything ``posts/`` holds, before interpretation."""

    posts: tuple[PostFile, ...]
    """Every post file, in path order."""
    series: tuple[tuple[str, TomlFile], ...]
    """``(slug, series.toml)`` for each series folder, in path order."""


def split_source(path: Path, shown: str, raw: bytes, report: Report) -> Source | None:
    """Split one file's bytes; report problems and return None on failure."""
    found = split_text(path, raw, report)
    return None if found is None else Source(path, shown, found.head, found.meta, found.meta_lines,
                                             Packed(found.body), found.body_line)


@dataclass(frozen=True)
class Split:
    """A file split as ``Source`` has it, its body still a string (``split_text``)."""

    head: str
    meta: dict[str, Any]
    meta_lines: dict[str, int]
    body: str
    body_line: int

    def line(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


def split_text(path: Path, raw: bytes, report: Report) -> Split | None:
    """``split_source``, the body left a string, for a caller that reads on into it."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        report.error(path, line, f"is not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8")
        return None
    if not text.strip():
        report.error(path, 1, "the file is empty; a post needs front matter with at least a title")
        return None
    if raw[:6] in (b"-\x00-\x00-\x00", b"\x00-\x00-\x00-") or raw[:8] in (b"-\x00\x00\x00-\x00\x00\x00",
                                                                    b"\x00\x00\x00-\x00\x00\x00-"):
        wide = "UTF-16" if raw[:6] in (b"-\x00-\x00-\x00", b"\x00-\x00-\x00-") else "UTF-32"  # "---", zeros beside
        report.error(path, 1, f"is saved as {wide} (zero bytes beside each character); save the file as UTF-8")
        return None
    if re.match(r"---[ \t]*\r(?!\n)", text):
        report.error(path, 1, "ends its lines with a carriage return alone (as classic Mac OS did), which no line "
                     "break is here: save the file with LF (Unix) or CRLF (Windows) line endings")
        return None
    if not re.match(r"---[ \t]*\r?\n", text):
        report.error(path, 1, "no front matter: start the file with a `---` line, then `title: …`, then `---`")
        return None
    text = text.replace("\r\n", "\n")
    bad = character_problem(text)
    if bad:
        report.error(path, *bad)
        return None
    start = text.index("\n") + 1
    closing = _FENCE.search(text, start)
    if not closing:
        report.error(path, 1, "front matter is not closed: add a `---` line after the YAML that starts here")
        return None
    front = text[start:closing.start()]
    end = text.find("\n", closing.end())
    head, body = (text, "") if end < 0 else (text[:end + 1], text[end + 1:])
    body_line = text.count("\n", 0, closing.start()) + 2
    parsed = _parse_yaml(path, front, report)
    if parsed is None:
        return None
    meta, lines = parsed
    escaped = value_problem(meta)
    if escaped:
        keys, message = escaped
        report.error(path, lines.get(keys[0], 2), message)
        return None
    deep = nesting_problem(body)
    if deep:
        report.error(path, body_line + deep[0] - 1, deep[1])
        return None
    return Split(head, meta, lines, body, body_line)


def _parse_yaml(path: Path, front: str, report: Report) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The front matter's mapping and the line of each top-level key, read from the parser's nodes (a
    line inside a multi-line value that looks like ``key:`` is no key)."""
    if not front.strip():
        return {}, {}
    loader = _FrontLoader(front)
    try:
        root = loader.get_single_node()
        if root is None:  # comments only
            return {}, {}
        if not isinstance(root, yaml.MappingNode):
            kind = "a list" if isinstance(root, yaml.SequenceNode) else "a line of text"
            report.error(path, 2, f"front matter must be a mapping of keys to values (`title: …`), not {kind}")
            return None
        lines = _key_lines(path, front, root, report)
        if lines is None:
            return None
        _keep_text_as_written(root)
        meta = loader.construct_document(root)
    except yaml.MarkedYAMLError as e:
        _yaml_error(path, front, e, report)
        return None
    except yaml.YAMLError as e:
        report.error(path, 2, f"invalid YAML in front matter: {e}")
        return None
    finally:
        loader.dispose()
    return {str(k): v for k, v in meta.items()}, lines


def _key_lines(path: Path, front: str, root: yaml.MappingNode, report: Report) -> dict[str, int] | None:
    """Line of each top-level key; a key given twice, or an alias anywhere, is reported."""
    if "&" in front and _aliased(root):
        line = _alias_line(front)
        report.error(path, line, "front matter may not use YAML anchors and aliases (`&name`, `*name`): "
                                 "write the value out where it is used")
        return None
    lines: dict[str, int] = {}
    for key, _ in root.value:
        line = key.start_mark.line + 2
        if not isinstance(key, yaml.ScalarNode):
            report.error(path, line, "a key must be a name (`title:`), not a list or a mapping: write it as one")
            return None
        name = str(key.value)
        if name in lines:
            report.error(path, line, f"`{name}` is given twice (also on line {lines[name]}); only one can count: "
                                     "remove the other")
            return None
        lines[name] = line
    return lines


def key_spans(source: Source) -> dict[str, tuple[int, int]]:
    """The first and last line (in the file) of each top-level key with its value, from the parser's
    marks, so that a tool editing a key never mistakes a line inside another value for it."""
    front = "\n".join(source.head.split("\n")[1:source.body_line - 2])  # between the fences
    loader = _FrontLoader(front)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    spans: dict[str, tuple[int, int]] = {}
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        end = value.end_mark
        last = end.line - 1 if end.column == 0 and end.line > key.start_mark.line else end.line
        spans[str(key.value)] = (key.start_mark.line + 2, last + 2)
    return spans


def _aliased(root: yaml.Node) -> bool:
    """Whether a node is reached twice: the composer hands an alias back as the very node it names, so
    a value used again (or holding itself) is one seen before on the walk."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _alias_line(front: str) -> int:
    """The line (as reported) of the first alias in the front matter."""
    for token in yaml.scan(front, Loader=_Loader):
        if isinstance(token, yaml.AliasToken):
            return token.start_mark.line + 2
    return 2


def _yaml_error(path: Path, front: str, e: yaml.MarkedYAMLError, report: Report) -> None:
    mark = e.problem_mark or e.context_mark
    started = e.context_mark is not None and (e.context or "").startswith(_STARTS)
    if e.context_mark and mark and (mark.line >= front.count("\n") or started):
        mark = e.context_mark  # an unclosed construct is noticed further on; point at its start
    line = mark.line + 2 if mark else 2
    opened = None if started else _unclosed_quote(front, line)
    if e.context == "while scanning a quoted scalar" and e.context_mark is not None:
        # ``summary: ""`` after a title left open: the title's quote ends at the first ``"``, and the second
        # opens a quote that never ends; a quote that is the first of its line is the one left open
        before = front.split("\n")[e.context_mark.line][:e.context_mark.column]
        opened = (_unclosed_quote(front, line) if '"' in before or "'" in before else None) or line
    if opened is not None:
        report.error(path, opened, "invalid YAML in front matter: a quote opened on this line is not closed on it")
    else:
        report.error(path, line, f"invalid YAML in front matter: {e.problem or e}{_yaml_hint(front, line, e)}")


def _yaml_hint(front: str, line: int, e: yaml.MarkedYAMLError) -> str:
    """What libyaml's words mean for the two slips authors make most: a tab (YAML indents with spaces only),
    and a second ``: `` in a value left unquoted (``title: Update: the sequel``)."""
    text = (front.split("\n") + [""])[max(line - 2, 0)]
    if "\t" in text and "cannot start any token" in (e.problem or ""):
        return "; YAML takes no tabs here: indent with spaces"
    if (e.problem or "").startswith("mapping values are not allowed"):
        key, _, value = text.partition(":")
        if value.strip() and not value.strip().startswith(("'", '"')):
            quote = "'" if '"' in value else '"'
            return f"; a value with \": \" in it needs quotes: {key.strip()}: {quote}{value.strip()}{quote}"
    return ""


_STARTS = ("while parsing a flow", "while scanning a simple key", "while scanning a quoted scalar")
"""libyaml's contexts that mark where the construct it could not finish starts."""
_QUOTED = re.compile(r"""[^\s#:\-][^:]*:[ \t]+(["'])(.*)""")


def _unclosed_quote(front: str, before: int) -> int | None:
    """The line (as reported) of a top-level value before line ``before`` whose opening quote is not closed
    on its line: YAML reads on into the next lines and stumbles further down."""
    for number, text in enumerate(front.split("\n")[:max(before - 1, 0)], start=2):
        found = _QUOTED.match(text)
        if found is None:
            continue
        quote, rest = found.groups()
        closed = re.search(r'(?<!\\)"' if quote == '"' else "'", rest)
        if closed is None:
            return number
    return None


def _keep_text_as_written(root: yaml.MappingNode) -> None:
    """Text keys keep what the author wrote where YAML would read another type: ``title: No`` stays
    "No", not false, and ``title: 9:30`` "9:30", not 570."""
    for key, value in root.value:
        if key.value in TEXT_KEYS:
            _as_text(value)
        elif key.value in TEXT_LISTS and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                _as_text(item)


def _as_text(node: yaml.Node) -> None:
    if isinstance(node, yaml.ScalarNode) and node.tag not in (_STR, _NULL) and node.value != "":
        node.tag = _STR


Memo = Callable[[Path, os.stat_result, Callable[[], Any]], Any]
"""Remembers a result per file while the file's size, mtime and inode stay the same."""


def no_memo(path: Path, stat: os.stat_result, fn: Callable[[], Any]) -> Any:
    return fn()


_NAME_MAX = 255
"""The bytes a file's name may have on the disks authors use (ext4, APFS, NTFS in UTF-16 aside)."""


def _archive_name(name: str) -> str:
    """The name of the folder that holds the recorded versions of the post file ``name``."""
    return name.removesuffix(".md") + VERSIONS_SUFFIX


def read_source(path: Path, report: Report, memo: Memo = no_memo) -> Source | None:
    """Read and split one file (remembered by ``memo`` while unchanged on disk)."""
    try:
        stat = path.stat()
        if path.is_symlink():  # read each time: where a link leads is checked as it is read
            return read_split(path, report)
        return memo(path, stat, lambda: read_split(path, report))
    except OSError as e:
        report.error(path, 0, cannot_read(e))
        return None


def cannot_read(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "vanished while the site was being read (moved or deleted just then?); run the command again"
    return f"cannot read: {error.strerror}"


def read_split(path: Path, report: Report) -> Source | None:
    return split_source(path, report.where(path), read_regular(path), report)


def read_post(path: Path, posts_dir: Path, report: Report, folder: str | None,
              memo: Memo = no_memo) -> PostFile | None:
    source = read_source(path, report, memo)
    if source is None:
        return None
    key = path.relative_to(posts_dir).as_posix()
    return PostFile(**vars(source), key=key, folder=folder)


def walk(posts_dir: Path, report: Report) -> list[Path]:
    """Markdown files under ``posts/``, skipping hidden things and archives; a folder reached twice (a
    link back up the tree) and anything but a regular file (a pipe, a device, a dangling link) are
    skipped with a warning, so that reading never loops or blocks.  A ``series.toml`` anywhere but in a
    folder directly in ``posts/`` is an error (its folder would be no series, and its parts standalone
    posts), and a Markdown file not named ``*.md`` is a warning (it would be left out without a word)."""
    return _walk(posts_dir, posts_dir, report, set())


def _walk(folder: Path, posts_dir: Path, report: Report, seen: set[str]) -> list[Path]:
    found: list[Path] = []
    real = os.path.realpath(folder)
    if real in seen:
        report.warn(folder, 0, "leads back to a folder already read (a link in a loop): skipped")
        return found
    seen.add(real)
    try:
        with os.scandir(folder) as listing:  # an entry knows its type: no stat per file, as a Path's would
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as e:
        report.error(folder, 0, cannot_read(e))
        return found
    names = {entry.name for entry in entries}
    for entry in entries:
        name, path = entry.name, Path(entry.path)
        if name.endswith(VERSIONS_SUFFIX) and not name.startswith((".", "_")):
            post = name[:-len(VERSIONS_SUFFIX)] + ".md"
            if post not in names and entry_is(entry.is_dir):
                report.warn(path, 0, f"holds the recorded versions of {post}, which is not here: if the post was "
                            f"renamed, rename this folder with it (NAME.md keeps its versions in NAME{VERSIONS_SUFFIX}/); "
                            "if it was taken down, its permanent addresses are gone")
        if name.startswith((".", "_")) or name.endswith(VERSIONS_SUFFIX):
            continue
        if entry.is_symlink() and os.path.exists(path) and not inside(path, report.root):
            report.warn(path, 0, f"links out of the site (to {os.path.realpath(path)}), and nothing is read from "
                        "outside it: skipped; copy the file into the site instead")
        elif entry_is(entry.is_dir):
            found.extend(_walk(path, posts_dir, report, seen))
        elif name == SERIES_FILE and len(path.relative_to(posts_dir).parts) != 2:
            report.error(path, 1, _misplaced_series(path, posts_dir, report))
        elif name.endswith(".md") and entry_is(entry.is_file) and not name.isascii() and not _utf8(name):
            report.error(path, 0, "its name is not UTF-8 text (saved so on another system, or by an old tool), "
                         "and a post's name makes its address: rename the file")
        elif name.endswith(".md") and entry_is(entry.is_file) and len(_archive_name(name).encode()) > _NAME_MAX:
            report.error(path, 0, f"its name is {len(name.encode())} bytes long, and the folder of its recorded "
                         f"versions, {_archive_name(name)[:12]}…{VERSIONS_SUFFIX}, would be longer than the "
                         f"{_NAME_MAX} bytes a file name may have: shorten the name (a `slug:` can keep its address)")
        elif name.endswith(".md") and entry_is(entry.is_file):
            found.append(path)
        elif name.endswith(".md"):
            what = "a link to nothing" if entry.is_symlink() and not os.path.exists(path) else "not a regular file"
            report.warn(path, 0, f"is {what}: skipped")
        elif as_post_name(name) and entry_is(entry.is_file):
            report.warn(path, 0, _misnamed(name, names))
    return found


MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".markdn", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext"})
"""The endings editors and other engines give Markdown files, in lower case: only ``.md`` itself makes a post."""


def as_post_name(name: str) -> str | None:
    """The name a Markdown file saved with another ending (``essay.markdown``, ``Other.MD``) needs to be read as a
    post; None for a post's own name and for any other file."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or name.endswith(".md") or f".{suffix.lower()}" not in MARKDOWN_SUFFIXES:
        return None
    return f"{stem}.md"


def _misnamed(name: str, names: set[str]) -> str:
    """What to do about a Markdown file whose name does not end in ``.md``."""
    wanted = as_post_name(name)
    if wanted in names:
        return (f"is left out: only a file whose name ends in `.md` is a post, and {wanted} is here too; if this "
                "is another post, give it a name of its own that ends in `.md`")
    return f"is left out: only a file whose name ends in `.md` is a post; rename it to {wanted}"


def _misplaced_series(path: Path, posts_dir: Path, report: Report) -> str:
    """Why a ``series.toml`` not in a folder directly in ``posts/`` is read by nothing, and where it goes."""
    top = report.where(posts_dir)
    if path.parent == posts_dir:
        return (f"{top}/ itself is no series, and no {SERIES_FILE} is read here: a series is a folder directly "
                f"in {top}/ (its name is the series' address); move this file, with the series' parts, into a "
                f"folder named for the series ({top}/SLUG/)")
    slug, within = path.parent.name, report.where(path.parent.parent)
    return (f"a series folder must be directly in {top}/ (its name is the series' address), and {slug}/ is in "
            f"{within}/, where no {SERIES_FILE} is read: move the folder to {top}/{slug}/")


def _utf8(name: str) -> bool:
    """Whether a file name decoded from the disk was UTF-8 (Python keeps other bytes as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _config_line(site: Path, key: str) -> int:
    """The line of ``key`` in the site's ``config.toml``: line 1 where it is not written (its default holds)."""
    try:
        return read_toml(site / "config.toml", "config.toml").line(key)
    except SiteError:  # read before this, so hardly: the message still names the file
        return 0


def load(site: Path, posts_dir: Path, report: Report, memo: Memo = no_memo) -> Sources:
    """Read every post file and every ``series.toml`` under ``posts_dir``."""
    if not posts_dir.is_dir():
        if os.path.islink(posts_dir) and not os.path.exists(posts_dir):
            report.error(posts_dir, 0, f"the posts folder {BROKEN_LINK}: point it at the folder of posts, or put "
                         "the folder itself here")
        else:
            what = "is a file, not a folder" if os.path.lexists(posts_dir) else "does not exist"
            report.error(site / "config.toml", _config_line(site, "posts_dir"), f"the posts folder "
                         f"{report.where(posts_dir)} {what}: create it, or set `posts_dir` to the folder your "
                         "posts are in")
        report.raise_if_errors()
    series: list[tuple[str, TomlFile]] = []
    with os.scandir(posts_dir) as listing:
        folders_here = sorted(Path(entry.path) for entry in listing if entry_is(entry.is_dir))
    for toml_path in (folder / SERIES_FILE for folder in folders_here):
        if not os.path.lexists(toml_path):
            continue
        if not os.path.exists(toml_path):
            report.error(toml_path, 0, f"{BROKEN_LINK}, so the series cannot be read: put the file itself here, "
                         "or point the link at it")
        elif not inside(toml_path, report.root):  # its parts cannot be placed without it: an error
            report.error(toml_path, 0, f"links out of the site (to {os.path.realpath(toml_path)}), and nothing is "
                         "read from outside it; copy the file into the site instead")
        else:
            try:
                series.append((toml_path.parent.name, read_toml(toml_path, report.where(toml_path))))
            except SiteError as e:
                report.items.extend(e.diagnostics)
    folders = {slug for slug, _ in series}
    posts = []
    for path in walk(posts_dir, report):
        check_cancelled()
        rel = path.relative_to(posts_dir).parts
        folder = rel[0] if len(rel) == 2 and rel[0] in folders else None
        post = read_post(path, posts_dir, report, folder, memo)
        if post is not None:
            posts.append(post)
    return Sources(tuple(posts), tuple(series))
