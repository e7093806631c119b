"""``config.toml`` → a frozen ``Config``.

Every key a site may set is declared once in ``_FIELDS`` with its type and
default; the reader checks types, reports missing required keys and bad
values as ``config.toml:LINE`` errors, and warns about keys it does not know.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable
from urllib.parse import SplitResult, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import Diagnostic, SiteError, meant
from .locale import language_problem
from .model.dates import ENGLISH_DATE, ENGLISH_TIME, is_strftime, pattern_problem
from .source.textcheck import nesting_problem
from .source.tomlfile import TomlFile, read_toml

log = logging.getLogger(__name__)

CONFIG_FILE = "config.toml"
CACHE_DIR = ".feuilleton-cache"
"""Beside ``config.toml``: the cache and the last build's stamp, always safe to delete."""


@dataclass(frozen=True)
class Options:
    """What this build shows."""

    drafts: bool = False
    """Show drafts (``--drafts``)."""
    future: bool = False
    """Show posts dated after now (``--future``)."""


@dataclass(frozen=True)
class Author:
    """The person the site speaks for."""

    name: str
    """Shown in bylines, feeds and metadata."""
    bio: str
    """Markdown, shown at the end of every post."""
    email: str
    """Optional; used in feeds when given."""
    url: str
    """Optional; a page about the author."""


@dataclass(frozen=True)
class MenuEntry:
    """A link that ``[[menu]]`` adds to the site's navigation."""

    title: str
    """What the link says."""
    url: str
    """As written: a site path (``/about/``), a full URL (``https://…``, ``mailto:…``), or the path of a
    post file from the site folder (``posts/about.md``), which links to wherever that post is."""
    line: int
    """Its ``[[menu]]`` line in ``config.toml``."""

    @property
    def post_file(self) -> bool:
        """Whether ``url`` names a post file rather than an address."""
        return self.url.endswith(".md") and not self.url.startswith("/") and ":" not in self.url


@dataclass(frozen=True)
class Deploy:
    """Where ``feuilleton deploy`` publishes the site (``[deploy]``)."""

    target: str = ""
    """``git:REMOTE#BRANCH``, ``rsync:DEST`` or ``dir:PATH``; empty when the site names none."""
    cname: str = ""
    """The custom domain a Pages branch gets as its ``CNAME`` file; empty for none."""
    line: int = 0
    """The line of ``target`` in ``config.toml``, for what a deploy says about it."""


@dataclass(frozen=True)
class Config:
    """Site settings, read once per build."""

    title: str
    """The site's name."""
    base_url: str
    """Absolute URL of the site root, always ending in ``/``."""
    language: str
    """BCP 47 language tag for ``<html lang>`` and feeds."""
    timezone: ZoneInfo
    """Zone for dates written without one, and for display."""
    description: str
    """One line about the site (home page, feeds, Open Graph)."""
    author: Author
    """The author."""
    date_format: str
    """Dates: a length (``short``, ``medium``, ``long``, ``full``), a CLDR pattern (``d MMMM y``), or a
    strftime pattern (``%B %-d, %Y``, English only)."""
    time_format: str
    """Times, the same way: ``short``, ``h:mm a``, or ``%-I:%M %P`` → "12:00 pm"."""
    posts_per_page: int
    """Posts on each page of the home page."""
    feed_entries: int
    """How many posts a feed carries, newest first, and how many revisions beside them."""
    summary_words: int
    """Length of a summary made from the text when none is given."""
    copyright: str
    """Footer line; empty for none."""
    posts_dir: str
    """Folder of the author's Markdown, relative to the site."""
    output_dir: str
    """Folder of the generated site, relative to the site."""
    source: Path
    """The config file itself."""
    slug_ascii: bool = False
    """Slugs made from titles and tags spelled in ASCII (transliterated), not in the title's own script."""
    menu: tuple[MenuEntry, ...] = ()
    """Links ``[[menu]]`` adds to the site's navigation, in order."""
    search: bool = False
    """Site search: a Pagefind index of the posts' current text, a Search page and its link in the navigation.
    Off unless asked for (``init`` asks): indexing a thousand essays costs a cold build more than rendering
    them, and Pagefind's memory."""
    websub_hub: str = ""
    """A WebSub hub every feed names and ``deploy`` pings (an absolute http(s) URL); empty for none."""
    deploy: Deploy = Deploy()
    """``[deploy]``: the target and the Pages domain."""
    written_base_url: str = ""
    """``config.toml``'s ``base_url`` when this build is for another address (``build --base-url``, a
    preview or a Pages project address), else empty."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("must be a string")
    return value


def _markdown(value: Any) -> str:
    text = _text(value)
    deep = nesting_problem(text)
    if deep:
        raise TypeError(f"(line {deep[0]} of it): {deep[1]}")
    return text


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TypeError("must be a positive whole number")
    return value


def _zone(value: Any) -> ZoneInfo:
    name = _text(value)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as e:
        raise TypeError(f"unknown time zone {name!r}; use an IANA name such as \"America/New_York\"") from e


def base_url(value: Any) -> str:
    """An absolute http(s) URL of a site's root, ending in ``/`` (``TypeError`` says what is wrong)."""
    return _base_url(value)


def _base_url(value: Any) -> str:
    url = _text(value)
    try:
        parts = urlsplit(url)
    except ValueError as e:  # a host in brackets that is no IPv6 address
        raise TypeError(f"must be an absolute http(s) URL, got {url!r} ({e})") from e
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TypeError(f"must be an absolute http(s) URL, got {url!r}")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise TypeError(f"must be the address of the site's root folder, without ?query or #fragment, got {url!r}")
    if any(c.isspace() for c in url):
        raise TypeError(f"holds a space (every page's links and the feeds would carry it): take out the spaces "
                        f"around it, and write one in the path as %20, got {url!r}")
    if parts.username is not None or parts.password is not None:
        raise TypeError(f"holds a user name or password, which every page, feed and the sitemap would publish: "
                        f"write the address without `user@`, got {url!r}")
    if any(unquote(segment) in (".", "..") for segment in parts.path.split("/")):  # %2e%2e is .. to a browser
        raise TypeError(f"has a `.` or `..` in its path, which no reader's link would keep: write the folder's "
                        f"own address, got {url!r}")
    problem = _host_problem(parts)
    if problem:
        raise TypeError(f"{problem}, which no reader could reach (and each post's feed id, made from it when its "
                        f"first version is recorded, would keep it for good), got {url!r}")
    return url if url.endswith("/") else url + "/"


_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
"""One label of a host name as DNS and browsers take it (an underscore too, which some hosts' names have)."""


def _host_problem(parts: SplitResult) -> str:
    """What makes an address's host or port one no browser goes to (``essays..example.org``,
    ``-bad-.example.org``, port 99999 or 0), or ""."""
    try:
        port = parts.port
    except ValueError:
        return "has a port that is not a number from 1 to 65535"
    if port == 0:
        return "has port 0"
    host = parts.hostname or ""
    if host.startswith("[") or ":" in host:
        try:
            ipaddress.IPv6Address(host.strip("[]"))
        except ValueError:
            return f"has a host, {host}, that is no IPv6 address"
        return ""
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"has a host name, {host}, with an empty or overlong part"
    labels = ascii_host.removesuffix(".").split(".")
    if not ascii_host or len(ascii_host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return (f"has a host name, {host}, that is not one: each part between dots is 1 to 63 letters, digits or "
                "hyphens, not starting or ending with a hyphen")
    return ""


def _hub(value: Any) -> str:
    url = _text(value)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TypeError(f"must be an absolute http(s) URL (the hub's address), got {url!r}")
    return url


DEPLOY_KINDS = ("git:", "rsync:", "dir:")


def deploy_target(value: Any) -> str:
    """A `[deploy] target` (or `--to`) of a known kind with what it needs (`TypeError` says what is wrong)."""
    target = _text(value)
    if not target.startswith(DEPLOY_KINDS) or not target.partition(":")[2].strip():
        raise TypeError(f"must be \"git:REMOTE#BRANCH\", \"rsync:DEST\" or \"dir:PATH\", got {target!r}")
    remote, hash_, branch = target[len("git:"):].rpartition("#")
    if target.startswith("git:") and not (hash_ and remote.strip() and branch.strip()):
        raise TypeError(f"names a git remote and a branch, as \"git:REMOTE#BRANCH\" (e.g. "
                        f"\"git:git@github.com:me/essays.git#gh-pages\"), got {target!r}")
    if target.startswith("git:") and _BAD_BRANCH.search(branch.strip()):
        raise TypeError(f"names the branch {branch.strip()!r}, which git cannot make (no spaces, no \"..\", none of "
                        "~ ^ : ? * [ \\, not starting with - or /, not ending with / . or .lock, not HEAD nor "
                        "refs/…); e.g. \"gh-pages\"")
    return target


_BAD_BRANCH = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|^[-/.]|/\.|[/.]$|\.lock$|^@$|^HEAD$|^refs/")
"""What ``git check-ref-format --branch`` refuses in a branch name."""


_HOST = re.compile(r"(?=.{1,253}\Z)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+\Z")


def _cname(value: Any) -> str:
    name = _text(value)
    if not _HOST.match(name):
        raise TypeError(f"must be a domain name such as \"essays.example.org\" (no scheme, no path), got {name!r}")
    return name


_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")


def _language(value: Any) -> str:
    tag = _text(value)
    if not _LANGUAGE.match(tag):
        hint = f"; did you mean {tag.replace('_', '-')!r}?" if _LANGUAGE.match(tag.replace("_", "-")) else ""
        raise TypeError(f"must be a language tag such as \"en\", \"en-GB\" or \"de\" (BCP 47), got {tag!r}{hint}")
    return tag


def _format(what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        pattern = _text(value)
        problem = pattern_problem(pattern, what)
        if problem:
            raise TypeError(problem)
        return pattern
    return check


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


def _relative_dir(value: Any) -> str:
    name = _text(value)
    if not name or Path(name).is_absolute() or ".." in Path(name).parts:
        raise TypeError("must be a folder name inside the site")
    if name.startswith("~"):  # a shell's home folder, which a path in a file is not: a folder named ``~`` here
        raise TypeError("must be a folder name inside the site (a `~` here is no home folder, but a folder "
                        "named `~`)")
    return name


REQUIRED = object()
_Field = tuple[Any, Callable[[Any], Any]]

_FIELDS: dict[str, _Field] = {
    "title": (REQUIRED, _text),
    "base_url": (REQUIRED, _base_url),
    "language": ("en", _language),
    "timezone": ("UTC", _zone),
    "description": ("", _text),
    "date_format": (ENGLISH_DATE, _format("date")),
    "time_format": (ENGLISH_TIME, _format("time")),
    "posts_per_page": (10, _count),
    "feed_entries": (20, _count),
    "summary_words": (50, _count),
    "copyright": ("", _text),
    "posts_dir": ("posts", _relative_dir),
    "output_dir": ("output", _relative_dir),
    "slug_ascii": (False, _flag),
    "search": (False, _flag),
    "websub_hub": ("", _hub),
}

_DEPLOY_FIELDS: dict[str, _Field] = {"target": ("", deploy_target), "cname": ("", _cname)}

_AUTHOR_FIELDS: dict[str, _Field] = {
    "name": (REQUIRED, _text),
    "bio": ("", _markdown),
    "email": ("", _text),
    "url": ("", _text),
}


_TABLES = ("author", "menu", "deploy")
"""The tables ``config.toml`` may hold beside its plain keys."""


def _coerce(toml: TomlFile, table: dict[str, Any], fields: dict[str, _Field],
            prefix: tuple[str, ...], problems: list[Diagnostic]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, (default, convert) in fields.items():
        where = (*prefix, key)
        if key not in table:
            if default == "":
                values[key] = default
                continue
            if default is REQUIRED:
                name = ".".join(where)
                problems.append(toml.diagnostic(f"missing required key `{name}`", *prefix))
            values[key] = default if default is REQUIRED else convert(default)
            continue
        try:
            values[key] = convert(table[key])
        except TypeError as e:
            problems.append(toml.diagnostic(f"`{'.'.join(where)}` {e}", *where))
    known = [*fields, *(() if prefix else _TABLES)]
    for key in table:
        if key not in known:
            close = meant(key, known, table)
            hint = f"; did you mean `{'.'.join((*prefix, close))}`?" if close else ""
            if prefix and key in _FIELDS:  # written at the end of the file, below a table: TOML puts it in there
                hint = (f"; `{key}` is a top-level key, and TOML reads every key below [{prefix[0]}] as part of it: "
                        f"move it above the first [table]")
            problems.append(toml.diagnostic(f"unknown key `{'.'.join((*prefix, key))}` (ignored){hint}",
                                            *prefix, key, warning=True))
    return values


SOURCE_FOLDERS = ("templates", "static")
"""Folders of the author's own beside ``posts_dir``; a build replaces its output folder wholesale."""


def overlap(output_dir: object, posts_dir: object) -> str | None:
    """Why the output folder would swallow the author's files, or None (both relative to the site)."""
    if not isinstance(output_dir, str) or not isinstance(posts_dir, str):
        return None
    out = PurePosixPath(output_dir)
    if out == PurePosixPath("."):
        return "is the site folder itself; a build replaces its output folder, so give it one of its own"
    if out.parts[0].casefold().startswith(".feuilleton-"):  # the cache, and the spare output beside a build's
        return (f"{str(out)!r} is a folder Feuilleton keeps for itself (its cache, or the spare it builds beside "
                "the output), which would then be published; give the generated site a folder of its own, such as "
                "\"output\"")
    for name in (posts_dir, *SOURCE_FOLDERS):
        folder = PurePosixPath(name)
        if out == folder or folder in out.parents or out in folder.parents or folder == PurePosixPath("."):
            return (f"{str(out)!r} overlaps the site's own {str(folder)}/ folder, which a build would replace; "
                    "give the generated site a folder of its own, such as \"output\"")
    return None


def overlap_on_disk(site: Path, output_dir: object, posts_dir: object) -> str | None:
    """``overlap`` for the folders as they are on disk, every link followed: an output folder that is a
    link to ``posts/``, to a folder around it or to the site itself would be replaced by a build."""
    if not isinstance(output_dir, str) or not isinstance(posts_dir, str):
        return None
    root, out = Path(os.path.realpath(site)), Path(os.path.realpath(site / output_dir))
    if out == root or out in root.parents:
        return (f"{output_dir!r} leads (through a link) to {out}, the site folder or one around it, which a "
                "build would replace; give the generated site a folder of its own, such as \"output\"")
    for name in (posts_dir, *SOURCE_FOLDERS):
        folder = Path(os.path.realpath(site / name))
        if out == folder or folder in out.parents or out in folder.parents:
            return (f"{output_dir!r} leads (through a link) to {out}, which overlaps the site's own {name}/ "
                    "folder, which a build would replace; give the generated site a folder of its own, such "
                    "as \"output\"")
    return None


def _english_only(toml: TomlFile, values: dict[str, Any]) -> list[Diagnostic]:
    """A warning for what a site in another language than English would still show in English: a
    language CLDR does not know or the theme has no catalog for, and each strftime pattern written for it,
    which names months and days in English (the default patterns, which mean the language's ``long`` date
    and ``short`` time in any other language, are not warned about)."""
    language = values.get("language")
    if not isinstance(language, str) or language.split("-")[0].lower() == "en":
        return []
    found = []
    untranslated = language_problem(language, toml.path.parent) if "language" in toml.data else None
    if untranslated:
        found.append(toml.diagnostic(f"`language`: {untranslated}", "language", warning=True))
    for key, example in (("date_format", "long"), ("time_format", "short")):
        written = toml.data.get(key)
        if isinstance(written, str) and is_strftime(written) and written not in (ENGLISH_DATE, ENGLISH_TIME):
            found.append(toml.diagnostic(f"`{key}` {written!r} is a strftime pattern, which shows dates in English "
                                         f"only; for dates in {language!r}, write a CLDR pattern or a length "
                                         f"instead: {key} = \"{example}\"", key, warning=True))
    return found


_MENU_KEYS = ("title", "url")
_MENU_SCHEMES = ("http", "https", "mailto")


def _menu_url(url: str) -> str | None:
    """Why a ``[[menu]]`` url links nowhere (None if it links somewhere)."""
    scheme = urlsplit(url).scheme.lower() if ":" in url else ""
    if scheme == "part":
        return "`part:` references work in Markdown only: write the part's address (/series/part-1/)"
    if scheme and scheme not in _MENU_SCHEMES:
        return f"must be an http(s) or mailto: address, a site path or a post file, not a {scheme}: address"
    if not scheme and not url.startswith("/") and not url.endswith(".md"):
        return ("must be a site path from the root (/about/), a full URL (https://…) or the path of a post "
                "file (posts/about.md)")
    if not scheme and url.startswith("/") and ".." in url.split("?")[0].split("#")[0].split("/"):
        return "may not contain `..`: write the address as readers reach it"
    return None


def _menu(toml: TomlFile, problems: list[Diagnostic]) -> tuple[MenuEntry, ...]:
    """The ``[[menu]]`` entries, each with a text ``title`` and a ``url`` that links somewhere."""
    entries = toml.data.get("menu", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(toml.diagnostic("`menu` must be [[menu]] tables, each with a `title` and a `url`", "menu"))
        return ()
    found = []
    for index, entry in enumerate(entries):
        where, ok = ("menu", index), True
        for key in _MENU_KEYS:
            value = entry.get(key)
            if key not in entry:
                problems.append(toml.diagnostic(f"[[menu]] entry {index + 1} has no `{key}`", *where))
            elif not isinstance(value, str) or not value.strip():
                problems.append(toml.diagnostic(f"[[menu]] `{key}` must be a non-empty string", *where, key))
            elif key == "url" and _menu_url(value.strip()):
                why = _menu_url(value.strip())
                problems.append(toml.diagnostic(f"[[menu]] `url` {value!r}: {why}", *where, key))
            else:
                continue
            ok = False
        for key in entry:
            if key not in _MENU_KEYS:
                problems.append(toml.diagnostic(f"unknown key `{key}` in [[menu]] (ignored); an entry has a `title` "
                                                "and a `url`", *where, key, warning=True))
        if ok:
            found.append(MenuEntry(entry["title"].strip(), entry["url"].strip(), toml.line(*where)))
    return tuple(found)


def load_config(site: Path) -> tuple[Config, list[Diagnostic]]:
    """Read ``config.toml``; returns the config and its warnings, or raises."""
    toml = read_toml(site / CONFIG_FILE, CONFIG_FILE)
    problems: list[Diagnostic] = []
    values = _coerce(toml, toml.data, _FIELDS, (), problems)
    author_table = toml.data.get("author")
    if author_table is None:
        problems.append(toml.diagnostic("missing required table [author] with a `name`"))
    elif not isinstance(author_table, dict):
        problems.append(toml.diagnostic("`author` must be a table: [author]", "author"))
    table_ok = isinstance(author_table, dict)  # without one, its keys are not reported missing one by one
    author = _coerce(toml, author_table if table_ok else {}, _AUTHOR_FIELDS, ("author",), problems if table_ok else [])
    menu = _menu(toml, problems)
    deploy = _deploy(toml, problems)
    written = overlap(values.get("output_dir"), values.get("posts_dir"))
    linked = None if written else overlap_on_disk(site, values.get("output_dir"), values.get("posts_dir"))
    if written and "output_dir" not in toml.data:  # the default output folder, which posts_dir names
        problems.append(toml.diagnostic(f"`posts_dir` {values.get('posts_dir')!r} is where the generated site "
                                        "goes (`output_dir`, \"output\" by default), which a build replaces; "
                                        "keep the posts in a folder of their own, such as \"posts\"", "posts_dir"))
    elif written or linked and "output_dir" in toml.data:
        problems.append(toml.diagnostic(f"`output_dir` {written or linked}", "output_dir"))
    elif linked:  # the default folder, made a link by hand: the link is to blame, not config.toml
        target = linked.split(", which a build", 1)[0].split(" leads (through a link) to ", 1)[1]
        problems.append(Diagnostic(str(values.get("output_dir")), 0, f"is a link to {target}, which a build "
                                   "would replace: remove the link (a build makes the folder itself)"))
    problems += _cname_problem(toml, values.get("base_url"), deploy)
    problems += _english_only(toml, values)
    if _as_init_wrote(values.get("base_url"), author.get("name")):
        problems.append(toml.diagnostic(f"{_EXAMPLE} before you publish, since each post's feed id is made from it "
                                        "when its first version is recorded, for good, and every page's canonical "
                                        "address and every feed link lead there", "base_url", warning=True))
    errors = [p for p in problems if not p.warning]
    if errors:
        raise SiteError(problems)
    return Config(author=Author(**author), source=toml.path, menu=menu, deploy=deploy, **values), problems


EXAMPLE_BASE_URL, EXAMPLE_AUTHOR = "https://example.org/", "Your Name"
"""The ``base_url`` and author's name ``init`` writes, for the author to replace."""
_EXAMPLE = f"`base_url` is still the example address `init` wrote ({EXAMPLE_BASE_URL}): set your site's own"


def _as_init_wrote(base_url: object, author: object) -> bool:
    """Whether ``base_url`` and the author's name are still the example ``init`` wrote."""
    return base_url == EXAMPLE_BASE_URL and author == EXAMPLE_AUTHOR


def still_example(config: Config, what: str) -> Diagnostic | None:
    """The error for recording feed ids (``what``: publishing a post, importing) while ``base_url`` and the
    author are still ``init``'s example: each id is made from ``base_url`` then, for good."""
    if not _as_init_wrote(config.base_url, config.author.name):
        return None
    line = read_toml(config.source, "config.toml").line("base_url")
    return Diagnostic("config.toml", line, f"{_EXAMPLE} (and [author]) before {what}, since each post's feed id "
                      "is made from it now, for good")


def _cname_problem(toml: TomlFile, base_url: object, deploy: Deploy) -> list[Diagnostic]:
    """A warning when ``cname`` names another address than ``base_url``'s: Pages serves the site at the
    domain's root, where the links ``base_url`` makes would not lead.  A target that is no Pages branch
    (``dir:``, ``rsync:``) takes no ``CNAME``: ``deploy`` says so of the target it deploys to."""
    if not deploy.cname or not isinstance(base_url, str) or deploy.target.partition(":")[0] not in ("git", ""):
        return []
    problem = cname_mismatch(deploy.cname, base_url)
    return [toml.diagnostic(problem, "deploy", "cname", warning=True)] if problem else []


def cname_mismatch(cname: str, base_url: str) -> str | None:
    """What is wrong with publishing ``base_url``'s site on Pages under the domain ``cname``, or None."""
    parts = urlsplit(base_url)
    if (parts.hostname or "") == cname.lower().rstrip(".") and parts.path in ("", "/"):
        return None
    return (f"`cname` {cname} makes the Pages site https://{cname}/, but base_url is {base_url}, where every link "
            f"leads: set base_url = \"https://{cname}/\", or leave cname out")


def _deploy(toml: TomlFile, problems: list[Diagnostic]) -> Deploy:
    """``[deploy]``: ``target`` and ``cname``, each checked at its line."""
    table = toml.data.get("deploy", {})
    if not isinstance(table, dict):
        problems.append(toml.diagnostic("`deploy` must be a table: [deploy] with a `target`", "deploy"))
        return Deploy()
    values = _coerce(toml, table, _DEPLOY_FIELDS, ("deploy",), problems)
    return Deploy(values.get("target", ""), values.get("cname", ""), toml.line("deploy", "target") if "target" in table else 0)
