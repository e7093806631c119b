"""What the readers of site folders (Jekyll, Hugo, Pelican) share: reading a source file as text, splitting
its front matter (YAML ``---``, TOML ``+++`` or JSON ``{``) with ``file:line`` errors, reading dates and
lists the ways those tools allow, and turning links to files the folder holds into ``Asset`` copies (never
of a file the new site makes itself, such as its feeds, nor of a template the old tool rendered).

A reader converts a post's whole file text with one function (``Convert``); ``history.py`` calls the same
function on every committed text of the file, so that old versions read as the current one does.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import posixpath
import re
import tomllib
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any, Callable, TypeVar
from urllib.parse import quote, unquote, urlsplit

import dateutil.parser
import yaml

from ..errors import Diagnostic, SiteError
from ..site import urls as U
from ..source.files import read_regular
from ..source.load import SAFE_LOADER
from ..text.markup import fill_closed_blank_lines
from .model import Asset, ReadOptions, Skipped, Where

log = logging.getLogger(__name__)

SKIP_DIRS = frozenset({".git", "_site", "public", "output", "node_modules", "vendor", ".jekyll-cache",
                       ".sass-cache", "__pycache__", "resources", ".hugo_build.lock"})
"""Folders of a site that hold what the tool made or fetched, never what the author wrote."""
_YAML = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)
_T = TypeVar("_T")
_TOML = re.compile(r"\A(?:\ufeff)?\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*\r?$\n?", re.S | re.M)
_LINK = re.compile(r"(?P<pre>!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?)(?P<url>[^)\s>]+)"
                   r"|(?P<apre>\b(?:src|href|poster)\s*=\s*[\"'])(?P<aurl>[^\"']+)"
                   r"|(?P<rpre>^[ ]{0,3}\[(?!\^)[^\]]+\]:[ \t]*<?)(?P<rurl>\S+?)(?=>?(?:\s|$))", re.M)
_CODE = re.compile(r"(^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n(?:.*\n)*?[ ]{0,3}\2[`~]*[ \t]*(?:\n|\Z)"
                   r"|(?<!`)(`+)(?!`)[^\n]*?(?:\n[^\n]+?)*?(?<!`)\3(?!`))", re.M)
"""A fenced code block (to its closing fence) or a code span (to the next run of as many backticks)."""
_FILES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".pdf", ".mp3", ".mp4", ".ogg",
                    ".webm", ".zip", ".txt", ".csv", ".json", ".ico", ".bmp", ".tif", ".tiff", ".asc", ".gpg",
                    ".pub", ".key", ".epub", ".mobi", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt",
                    ".pptx", ".odp", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".wav", ".m4a", ".flac", ".mov",
                    ".ipynb", ".py", ".r", ".tex", ".bib"})
"""What a link to a missing file ends in, to tell it from a link to another page of the old site."""
_FRONT_MATTER = re.compile(rb"\A(?:\xef\xbb\xbf)?---[ \t]*\r?\n")
"""How Jekyll tells a page it renders from a file it copies: the file opens with a ``---`` line."""
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
                 "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%d.%m.%Y %H:%M", "%d.%m.%Y")


@dataclass(frozen=True)
class Front:
    """A source file split at its front matter."""

    meta: dict[str, Any]
    body: str
    body_line: int
    """The 1-based line the body starts on."""


@dataclass(frozen=True)
class Body:
    """A post's text converted, and the files it links that the site must carry."""

    markdown: str
    assets: tuple[Asset, ...] = ()
    public: bool = True
    """False when this text says it is a draft (``draft: true``, ``published: false``, ``Status: draft``)."""
    title: str = ""
    """The title this text's front matter gives (empty for none)."""
    line: int = 0
    """The file's line the text starts on when it is the file's body line for line; 0 when it is not
    (converted from HTML, or Liquid that took or gave lines)."""
    summary: str | None = None
    """The summary this text gives (Hugo's: the words before its ``<!--more-->``, else its front matter's), empty
    for none; None where the reader does not say, and a version takes the post's."""


_FIRST_HEADING = re.compile(r"\A(?P<blank>(?:[ \t]*\n)*)(?:#[ \t]+(?P<atx>[^\n]*?)(?:[ \t]+#+)?[ \t]*"
                            r"|(?P<setext>[^\n]+)\n=+[ \t]*)(?:\n|\Z)")


def without_title_heading(markdown: str, title: str) -> tuple[str, bool]:
    """``markdown`` without a first heading of level 1 that repeats ``title`` (``{{ page.title }}`` over a row
    of ``=``, as Jekyll's themes of old wrote): the page shows the title as its heading, and a second would
    say it twice.  Its lines are left blank, so that the text's lines still are the file's.  Also whether
    there was one."""
    found = _FIRST_HEADING.match(markdown)
    heading = found and (found.group("atx") if found.group("atx") is not None else found.group("setext"))
    if not heading or _plain(heading) != _plain(title):
        return markdown, False
    return "\n" * found.group(0).count("\n") + markdown[found.end():], True


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*_`\\]", "", text).casefold().split())


def text_line(markdown: str, source: str, body_line: int) -> int:
    """``Body.line`` of ``markdown``, made from ``source``, a body that starts on line ``body_line``: where
    the text starts once its leading blank lines are gone, if it has as many lines as ``source``."""
    if markdown.count("\n") != source.count("\n") or body_line < 1:
        return 0
    return body_line + len(markdown) - len(markdown.lstrip("\n"))


Convert = Callable[[str], Body]
"""A post file's whole text → its body as the reader converts it (a ``SiteError`` on a broken file)."""


def read_text(path: Path, shown: str, encoding: str = "utf-8") -> str:
    """A source file as text (UTF-8, or the ``encoding`` the old site read it in; a byte order mark dropped), or a
    ``file:line`` error."""
    try:
        raw = read_regular(path)
    except OSError as e:
        raise SiteError(Diagnostic(shown, 0, f"cannot read: {e.strerror}")) from e
    return decode(raw, shown, encoding)


LFS_POINTER = b"version https://git-lfs.github.com/spec/"
"""How a file kept in Git LFS opens in a checkout that has not fetched it (``actions/checkout`` without
``lfs: true``): a few lines that name it, in its place."""
LFS_ADVICE = "run `git lfs pull` in the source, then import again"


def decode(raw: bytes, shown: str, encoding: str = "utf-8") -> str:
    if raw.startswith(LFS_POINTER):
        raise SiteError(Diagnostic(shown, 1, f"is a Git LFS pointer, not the post's text: {LFS_ADVICE}"))
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise SiteError(Diagnostic(shown, line, "is a binary file, not a text post; move it out of the posts"))
    if encoding == "iso8859-1":  # typed on Windows: “ ” … are cp1252's, as browsers read ISO-8859-1 too
        with contextlib.suppress(UnicodeDecodeError):  # but for the five bytes cp1252 leaves undefined
            return raw.decode("cp1252").replace("\r\n", "\n")
    try:
        return raw.decode("utf-8-sig" if encoding == "utf-8" else encoding).replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        if encoding == "utf-8":
            raise SiteError(Diagnostic(shown, line, "is not UTF-8 text: save it as UTF-8 and import again")) from e
        raise SiteError(Diagnostic(shown, line, f"is not text in {encoding}, the encoding the site's settings name: "
                                   "set `encoding` to the one its files are in, or save this one in it")) from e


def misread(raw: bytes, encoding: str) -> tuple[str, str] | None:
    """For bytes read in an ``encoding`` other than UTF-8 (``ISO-8859-1``) that are UTF-8 text beyond ASCII, as
    text in that encoding all but never is, their first word so written and as that encoding reads it
    (``Café``, ``CafÃ©``); None for any other bytes."""
    if encoding == "utf-8" or raw.isascii():
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    found = re.search(r"\w*[^\x00-\x7f]+\w*", text)
    if found is None:  # a byte order mark alone
        return None
    word = found.group(0)
    try:
        return word, decode(word.encode("utf-8"), "", encoding)
    except SiteError:  # a word cut where that encoding's characters are not
        return word, "?"


def split_front(text: str, shown: str, required: bool = False) -> Front:
    """``text`` split at its YAML, TOML or JSON front matter; a broken one is an error at its line."""
    found = _YAML.match(text)
    if found:
        return Front(_yaml(found.group(1), shown), text[found.end():], text.count("\n", 0, found.end()) + 1)
    found = _TOML.match(text)
    if found:
        return Front(_toml(found.group(1), shown), text[found.end():], text.count("\n", 0, found.end()) + 1)
    if text.lstrip("\ufeff").startswith("{"):
        return _json(text.lstrip("\ufeff"), shown)
    if text.startswith(("---", "+++")):
        raise SiteError(Diagnostic(shown, 1, f"the front matter opened by {text[:3]} is never closed: add a "
                                   f"line {text[:3]} after its last key"))
    if required:
        raise SiteError(Diagnostic(shown, 1, "has no front matter (--- … ---)"))
    return Front({}, text, 1)


def _yaml(front: str, shown: str) -> dict[str, Any]:
    try:
        meta = yaml.load(front, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader, libyaml's when there is one)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 2 if mark else 1
        raise SiteError(Diagnostic(shown, line, f"broken front matter: {e.problem or e}")) from e
    except yaml.YAMLError as e:
        raise SiteError(Diagnostic(shown, 1, f"broken front matter: {e}")) from e
    return _mapping(meta, shown, 2)


def _toml(front: str, shown: str) -> dict[str, Any]:
    try:
        return tomllib.loads(front)
    except tomllib.TOMLDecodeError as e:
        found = re.search(r"\(at line (\d+), column \d+\)", str(e))
        line = int(found.group(1)) + 1 if found else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise SiteError(Diagnostic(shown, line, f"broken TOML front matter: {message}")) from e


def _json(text: str, shown: str) -> Front:
    decoder = json.JSONDecoder()
    try:
        meta, end = decoder.raw_decode(text)
    except json.JSONDecodeError as e:
        raise SiteError(Diagnostic(shown, e.lineno, f"broken JSON front matter: {e.msg}")) from e
    return Front(_mapping(meta, shown, 1), text[end:].lstrip("\n"), text.count("\n", 0, end) + 2)


def _mapping(meta: object, shown: str, line: int) -> dict[str, Any]:
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise SiteError(Diagnostic(shown, line, "the front matter must be keys and values (key: value)"))
    return {str(k): v for k, v in meta.items()}


def to_date(value: object, where: Where, zone: tzinfo, key: str = "date") -> datetime:
    """A date as those tools write it (``2016-11-28``, ``2016-11-28 10:00:00 -0500``, ISO 8601, a YAML or
    TOML date), aware; one without a zone is in ``zone``."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        moment = _parse_date(value.strip(), where, key)
    else:
        raise SiteError(Diagnostic(where.path, where.line, f"{key}: {value!r} is not a date (write 2016-11-28 or "
                                   "2016-11-28 10:00:00)"))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _parse_date(text: str, where: Where, key: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace(" Z", "Z"))
    except ValueError:
        pass
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    with warnings.catch_warnings():  # a zone named by letters (EDT) is read in the site's zone, as Pelican does
        warnings.simplefilter("ignore", dateutil.parser.UnknownTimezoneWarning)
        try:
            return dateutil.parser.parse(text)
        except (ValueError, OverflowError):
            pass
    raise SiteError(Diagnostic(where.path, where.line, f"{key}: {text!r} is not a date (write 2016-11-28 or "
                               "2016-11-28 10:00:00)"))


def text_list(value: object, split: str = ",") -> tuple[str, ...]:
    """Tags or categories written as a list or as one string (``a, b`` or, for Jekyll, ``a b``)."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else re.split(split, str(value))
    return tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def first_text(value: object) -> str:
    """The first of a list (``series: [Sanctuary Cities]``) or the text itself."""
    if isinstance(value, list):
        return str(value[0]).strip() if value else ""
    return str(value).strip() if value is not None else ""


def gathering(errors: list[Diagnostic], read: Callable[..., _T], *args: Any) -> _T | None:
    """``read(*args)``, or None with its error's diagnostics added to ``errors``, which the reader raises once
    every file is read: an import names every file it cannot read in one run, not the first of a hundred."""
    try:
        return read(*args)
    except SiteError as e:
        errors.extend(e.diagnostics)
        return None


def raise_gathered(errors: list[Diagnostic]) -> None:
    if errors:
        raise SiteError(errors)


def held_whole(markdown: str, where: Where, tool: str, skipped: list[Skipped]) -> str:
    """A post's Markdown with the blank lines inside its closed elements of raw HTML filled (``markup.
    fill_closed_blank_lines``), as ``tool`` read such an element whole, and the report told where."""
    if "<" not in markdown:
        return markdown
    markdown, lines = fill_closed_blank_lines(markdown)
    if lines:
        skipped.append(Skipped(Where(where.path, where.line + lines[0] - 1), "blank lines inside raw HTML",
                               f"{tool} read the element whole, and Markdown would end it at a blank line: "
                               f"{len(lines)} filled with <!-- -->, which shows nothing", kept=True))
    return markdown


def rewrite_links(markdown: str, link: Callable[[str], str | None]) -> str:
    """Every link and image address in Markdown and in its raw HTML passed through ``link`` (None keeps it);
    a code block or span, which shows a link as text (a post about Markdown), is left as written."""
    def one(found: re.Match[str]) -> str:
        for pre, url in (("pre", "url"), ("apre", "aurl"), ("rpre", "rurl")):
            if found.group(url) is not None:
                if pre == "apre" and not _in_tag(found.string, found.start()):
                    return found.group(0)  # `src="x.png"` in prose (a shortcode shown as text) is no link
                new = link(found.group(url)) if U.well_formed(found.group(url)) else None
                before = found.group(pre)
                if pre == "pre" and "](" in before[1:-2]:  # a link around an image: the image's address too
                    before = before[0] + _LINK.sub(one, before[1:])
                return before + (new if new is not None else found.group(url))
        return found.group(0)
    out, at = [], 0
    for code in _CODE.finditer(markdown):
        out += [_LINK.sub(one, markdown[at:code.start()]), code.group(0)]
        at = code.end()
    return "".join([*out, _LINK.sub(one, markdown[at:])])


def _in_tag(text: str, at: int) -> bool:
    """Whether ``at`` lies inside a start tag (``<img … src=`` rather than prose that says ``src=``)."""
    start = text.rfind("<", 0, at)
    return start >= 0 and ">" not in text[start:at] and text[start + 1:start + 2].isalpha()


class Files:
    """Links to files the site folder holds, made into ``Asset`` copies under ``static/``."""

    def __init__(self, root: Path, options: ReadOptions, base_path: str = "/", served: tuple[Path, ...] = (),
                 rendered: str = "", relative_from_root: bool = False, mounted: dict[str, Path] | None = None
                 ) -> None:
        self.root = root.resolve()
        self.options = options
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        """The old site's path prefix (Jekyll ``baseurl``, Hugo ``baseURL``'s path), which links may carry."""
        self.served = tuple(p.resolve() for p in served) or (self.root,)
        """The folders whose files the old site served from its root (Hugo's ``static/`` and ``content/``)."""
        self.rendered = rendered
        """The tool's name when a file that opens with front matter is a page it rendered (Jekyll), not a
        file it copied: such a file is never copied as it is."""
        self.relative_from_root = relative_from_root
        """A relative link was read from the old site's root (Hugo's ``canonifyURLs``), not from the page."""
        self.mounted = {prefix.strip("/") + "/": folder.resolve() for prefix, folder in (mounted or {}).items()}
        """Folders the old site served under a path of their own (Pelican's theme's ``static/`` at ``/theme/``)."""

    def linker(self, found: dict[str, Asset], near: Path | None = None, into: str = "",
               refused: dict[str, str] | None = None, source: Path | None = None,
               page: str = "") -> Callable[[str], str | None]:
        """A ``link`` for ``rewrite_links``: an address from the site's root (``/assets/map.png``) or, with
        ``near``, relative to that folder (a page bundle's ``map.png``, copied to ``into/map.png``).  A
        linked file that is not copied (the new site makes its own, or the old one rendered it) goes into
        ``refused`` with the reason, by the link's address.  With ``source`` (the folder of the post's
        file), a relative path that leads from there into a folder the old site served
        (``../../static/images/map.png``, written so that the file shows in a preview of the repository)
        is that served file.  With ``page`` (the post's address on the old site), a relative link to a file
        is read from there (``beside``)."""
        def link(url: str) -> str | None:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path or url.startswith(("#", "mailto:")):
                return None
            path = unquote(parts.path)
            candidates, from_root = self._candidates(self.beside(path, page) or path, near, into, source)
            tail = f"#{parts.fragment}" if parts.fragment else ""
            for local, target in candidates:
                asset = self._asset(local, target)
                if asset is None:
                    continue
                why = self._not_copied(asset)
                if why is None:
                    found[asset.target] = asset
                    return self.options.static_url(asset.target) + tail
                if refused is not None:
                    refused.setdefault(url, why)
                break
            else:
                if refused is not None and PurePosixPath(parts.path).suffix.lower() in _FILES:
                    refused.setdefault(url, "no such file in the source: the link leads nowhere until the file "
                                            "is put in static/")
            if from_root is not None:  # another page of the old site: the same path under the new site's root
                return self.options.static_prefix + quote(from_root, safe="/-_.~%") + tail
            return None
        return link

    def beside(self, path: str, page: str) -> str | None:
        """The old site's address (with its base path) of what a relative link's ``path`` led to from the page
        at ``page`` (``/2016/11/essay.html``), as a browser read it there, when that is a file: one the folder
        holds, or one named as a file is (``images/map.png``), which an earlier version may link and the folder
        no longer hold.  None for anything else: a path from the root, a page, a placeholder the old tool fills
        in (Pelican's ``{author}``)."""
        if not page or not path or path.startswith(("/", "{", "|")):
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page.lstrip("/")), path)).lstrip("/")
        if not target:
            return None
        address = self.base_path + target
        if PurePosixPath(target).suffix.lower() in _FILES:
            return address
        return address if any(place.is_file() for place, _ in self._candidates(address, None, "")[0]) else None

    def file_places(self, address: str) -> tuple[str, list[Path]] | None:
        """For an address a converted text links under the new site's root that names a file (``/images/a.gif``),
        its target under ``static/`` and the places the old site served it from, in the order a link is looked
        up in: where the folder holds it now, or where a version's commit may have held it (an image moved,
        deleted or replaced since).  None for an address of a page, of another site, or of a file the new site
        makes itself."""
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or not parts.path.startswith(self.options.static_prefix):
            return None
        target = unquote(parts.path[len(self.options.static_prefix):])
        if PurePosixPath(target).suffix.lower() not in _FILES or ".." in PurePosixPath(target).parts or \
                made_by_site(target):
            return None
        mounted = [folder / target[len(prefix):] for prefix, folder in self.mounted.items()
                   if target.startswith(prefix)]
        return target, [*mounted, *(folder / target for folder in self.served)]

    def copied(self, data: bytes) -> bool:
        """Whether the old tool copied a file of these bytes as it is (not a page it rendered from a template)."""
        return not (self.rendered and _FRONT_MATTER.match(data))

    def _candidates(self, path: str, near: Path | None, into: str,
                    source: Path | None = None) -> tuple[list[tuple[Path, str]], str | None]:
        """Where a linked path may be (each a file and its target under ``static/``), and the path from the
        old site's root when the link was read from there."""
        if path.startswith("/"):
            relative = path[len(self.base_path):] if path.startswith(self.base_path) else path.lstrip("/")
            mounted = [(folder / relative[len(prefix):], relative) for prefix, folder in self.mounted.items()
                       if relative.startswith(prefix)]
            return [*mounted, *((folder / relative, relative) for folder in self.served)], relative
        found = []
        if near is not None:
            found.append((near / path, (into.strip("/") + "/" + path) if into else path))
        climbs = ".." in PurePosixPath(path).parts
        if source is not None and climbs:
            beside = Path(os.path.normpath(source.resolve() / path))
            served = next((folder for folder in self.served if beside.is_relative_to(folder)), None)
            if served is not None:
                relative = beside.relative_to(served).as_posix()
                return [*found, (beside, relative)], relative
        if not self.relative_from_root or climbs:
            return found, None
        relative = "/".join(part for part in path.split("/") if part != ".")
        return found + [(folder / relative, relative) for folder in self.served], relative

    def _asset(self, local: Path, target: str) -> Asset | None:
        if ".." in Path(target).parts or local.suffix.lower() in (".md", ".markdown", ".html", ".htm", ".rst"):
            return None
        try:
            resolved = local.resolve()
        except OSError:
            return None
        if not resolved.is_relative_to(self.root) or not resolved.is_file() or local.is_symlink():
            return None
        # ``./images/a.jpg`` and ``images/a.jpg`` (two versions of one post may spell it either way) are one copy
        return Asset(resolved, "/".join(part for part in target.split("/") if part not in ("", ".")))

    def _not_copied(self, asset: Asset) -> str | None:
        """Why a linked file is not copied, or None to copy it."""
        folder, _, name = asset.target.rpartition("/")
        if folder and name in U.FEEDS.values():
            return (f"{asset.target} has the name of a feed, which the new site keeps for its own feeds (a series' "
                    "folder holds them): not copied; check where the link should lead")
        if made_by_site(asset.target):
            return (f"the new site makes its own {asset.target}: the old file is not copied (the link leads to "
                    "the new one)")
        if self.rendered and _opens_with_front_matter(asset.source):
            return (f"a page {self.rendered} made from a template (it opens with front matter), not a file to "
                    "copy: not copied; the link keeps its path, check where it should lead")
        return None


def made_by_site(target: str) -> bool:
    """Whether the site writes a file of its own at ``target`` (under the output's root), so that
    ``static/`` may not hold one there: a feed in any folder, the sitemap, robots.txt, the home and 404
    pages, what static hosts read, the theme's stylesheet and script, the search index."""
    return target in U.ROOT_FILES or target.rpartition("/")[2] in U.FEEDS.values() or \
        target in (U.STYLE, U.SEARCH_SCRIPT) or target.startswith(U.SEARCH_INDEX)


def _opens_with_front_matter(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return _FRONT_MATTER.match(file.read(64)) is not None
    except OSError:
        return False


def refused_links(refused: dict[str, str], text: str, where: Where) -> list[Skipped]:
    """The links ``Files.linker`` did not copy, each reported at its line in ``text`` (which begins on
    ``where.line`` of its file), or at ``where`` when the text does not hold it as written."""
    found = []
    for url, why in refused.items():
        at = text.find(url)
        line = where.line + text.count("\n", 0, at) if at >= 0 else where.line
        found.append(Skipped(Where(where.path, line), f"linked file {url}", why))
    return found


def walk_files(root: Path, links: list[Path] | None = None) -> list[Path]:
    """Every regular file under ``root``, sorted, not following links (each is added to ``links``) and leaving out
    the tool's own folders."""
    found: list[Path] = []
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        if path.is_symlink():
            if links is not None:
                links.append(path)
            continue
        if path.is_dir():
            if path.name not in SKIP_DIRS and not path.name.startswith("."):
                found += walk_files(path, links)
        elif path.is_file():
            found.append(path)
    return found


def not_followed(links: list[Path], suffixes: tuple[str, ...] | frozenset[str],
                 shown: Callable[[Path], str]) -> list[Skipped]:
    """A report line for each link among the source's texts and folders (a post kept elsewhere and linked in),
    which the import does not follow: what it names may lie outside the source, or anywhere on the disk."""
    return [Skipped(Where(shown(path), 1), f"link {shown(path)}", f"a link to {os.readlink(path)}, which the import "
                    "does not follow: not imported (put the file itself in its place and import again)")
            for path in links if path.suffix.lower() in suffixes or path.is_dir()]
