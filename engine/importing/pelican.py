"""Pelican: a site folder (``pelicanconf.py``, ``content/``) → an ``ImportResult``.

``pelicanconf.py`` is Python, and importing must not run it: it is parsed with ``ast`` and only its
literal assignments are read (``ARTICLE_URL = "{date:%Y}/{slug}.html"``); any other statement is ignored
and reported.  Articles are Markdown with a metadata header (``Title:``, ``Date:``, ``Tags:``,
``Status:``, ``Series:`` of the pelican-series plugin, …) or reStructuredText with a title and a field
list; reStructuredText goes through docutils to HTML (with file insertion and raw HTML switched off, so
a source can neither read a file nor smuggle markup) and then to Markdown.  ``pages/`` holds pages.
``{static}``, ``{attach}`` and ``{filename}`` links become the site's copies and old addresses (in
reStructuredText, as in Pelican, only where docutils made them links: a literal shows them as written).  With
git, ``history.py`` adds each article's versions.
"""
from __future__ import annotations

import ast
import logging
import posixpath
import re
import string
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, Callable
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from anyascii import anyascii

from ..errors import Diagnostic, SiteError
from ..model.slugs import is_slug, slugify
from .folder import (Body, Files, gathering, held_whole, not_followed, raise_gathered, read_text, refused_links,
                     rewrite_links, text_line, text_list, to_date, walk_files)
from .history import Tracked, add_history
from .html import Converted, convert
from .model import Asset, ImportedPost, ImportResult, ReadOptions, SeriesInfo, Skipped, Where
from .pelicanfile import Parsed, line_of, parse, rst_html, settings_file
from .pelicantags import plugin_tags
from .series import CATEGORIES, folder_series

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {"PATH": "content", "ARTICLE_PATHS": [""], "PAGE_PATHS": ["pages"],
                            "ARTICLE_URL": "{slug}.html", "PAGE_URL": "pages/{slug}.html", "SITEURL": "",
                            "USE_FOLDER_AS_CATEGORY": True, "DEFAULT_CATEGORY": "misc", "TIMEZONE": None,
                            "ARTICLE_EXCLUDES": [], "PAGE_EXCLUDES": [],
                            "FILENAME_METADATA": r"(?P<date>\d{4}-\d{2}-\d{2}).*", "DEFAULT_DATE": None,
                            "DEFAULT_LANG": "en", "ARTICLE_LANG_URL": "{slug}-{lang}.html",
                            "PAGE_LANG_URL": "pages/{slug}-{lang}.html", "SLUGIFY_USE_UNICODE": False,
                            "SLUGIFY_PRESERVE_CASE": False,
                            "SLUG_REGEX_SUBSTITUTIONS": [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""),
                                                         (r"[-\s]+", "-")]}
"""Pelican's own defaults for the settings the import reads."""
TEXTS = (".md", ".markdown", ".mkd", ".mdown", ".rst")
_PELICAN_LINK = re.compile(r"(?:\{(?P<kind>static|attach|filename|tag|category|author|index)\}|"
                           r"\|(?P<old>static|attach|filename|tag|category|author)\|)(?P<path>[^\s\"')\]>]*)")
_UNSAFE = re.compile(r"^[ \t]*\.\.[ \t]+(raw|include|literalinclude|csv-table(?=::[^\n]*\n(?:[ \t]+[^\n]*\n)*?"
                     r"[ \t]+:(?:file|url):))::", re.M)


@dataclass
class _Site:
    root: Path
    content: Path
    settings: dict[str, Any]
    options: ReadOptions
    files: Files
    zone: Any
    skipped: list[Skipped] = field(default_factory=list)
    addresses: dict[str, str] = field(default_factory=dict)
    """A content file (``essays/x.md``) → its old address, for ``{filename}`` links."""
    converted: dict[str, tuple[Converted, dict[str, Asset]]] = field(default_factory=dict)
    """A file's name and rST body → its Markdown: the commits that change only the metadata need no
    docutils run."""


def read(source: Path, options: ReadOptions, progress: object = None) -> ImportResult:
    site = _site(source, options)
    links: list[Path] = []
    files = [p for p in walk_files(site.content, links) if p.suffix.lower() in TEXTS]
    site.skipped += not_followed(links, TEXTS, lambda path: _shown(path, site))
    read_in: list[tuple[ImportedPost, Path, str]] = []
    errors: list[Diagnostic] = []
    for number, path in enumerate(files, start=1):
        if progress is not None:
            progress.step(number, len(files), "files")  # type: ignore[attr-defined]
        post = gathering(errors, _read_one, path, site)
        if post is not None:
            read_in.append((post, path, _shown(path, site)))
    if progress is not None:
        progress.close()  # type: ignore[attr-defined]
    tracked = [t for post, path, shown in read_in if (t := gathering(errors, _converted, post, path, shown, site))]
    raise_gathered(errors)
    posts, notes = add_history(source, tracked, options)
    series = {p.series: SeriesInfo(p.series, str(p.extra.get("_series_title"))) for p in posts if p.series}
    posts, series = folder_series(posts, series, options.series_from, str(site.settings.get("SITENAME") or "Series"))
    origins = (str(site.settings.get("SITEURL") or ""),)
    return ImportResult("pelican", tuple(posts), series, tuple(site.skipped + notes), origins=origins)


def _shown(path: Path, site: _Site) -> str:
    return path.relative_to(site.root).as_posix()


def _site(source: Path, options: ReadOptions) -> _Site:
    skipped: list[Skipped] = []
    found = settings_file(source)
    if found is None:
        skipped.append(Skipped(Where("pelicanconf.py", 0), "settings", "no pelicanconf.py (nor another settings file "
                               "that sets SITENAME or SITEURL): Pelican's defaults are assumed, dates without a zone "
                               "in the site's timezone"))
    settings = {**DEFAULTS, **(settings_of(found, skipped) if found else {})}
    zone: Any = options.zone
    if isinstance(settings.get("TIMEZONE"), str):
        try:
            zone = ZoneInfo(settings["TIMEZONE"])
        except (ZoneInfoNotFoundError, ValueError):
            pass
    content = source / str(settings["PATH"])
    if not content.is_dir() and found is None:
        raise SiteError(Diagnostic(str(source), 0, f"no settings file (pelicanconf.py, or another that sets "
                                   f"SITENAME or SITEURL) and no {settings['PATH']}/ folder, where Pelican looks for "
                                   "content without one: is this the Pelican site's own folder?"))
    if not content.is_dir():
        raise SiteError(Diagnostic(str(found), 0, f"PATH {settings['PATH']!r}: no such folder of content"))
    base = urlsplit(str(settings.get("SITEURL") or "")).path
    theme = source / str(settings.get("THEME") or "") / "static" if settings.get("THEME") else None
    mounted = {str(settings.get("THEME_STATIC_DIR") or "theme"): theme} if theme and theme.is_dir() else {}
    files = Files(source if mounted else content, options, base, served=(content,), mounted=mounted)
    return _Site(source, content, settings, options, files, zone, skipped)


def settings_of(path: Path, skipped: list[Skipped]) -> dict[str, Any]:
    """The literal settings of a ``pelicanconf.py``, read without running it; the rest reported."""
    if not path.is_file():
        return {}
    shown = str(path.name)
    text = read_text(path, shown)
    try:
        tree = ast.parse(text, filename=shown)
    except SyntaxError as e:
        raise SiteError(Diagnostic(shown, e.lineno or 0, f"cannot read pelicanconf.py: {e.msg}")) from e
    found: dict[str, Any] = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) and node.value is not None else []
        names = [t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()]
        if not names:
            docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            if not docstring and not isinstance(node, (ast.Import, ast.ImportFrom)):
                skipped.append(Skipped(Where(shown, node.lineno), f"statement on line {node.lineno}",
                                       "pelicanconf.py is not run; only literal settings are read"))
            continue
        try:
            value = ast.literal_eval(node.value)  # type: ignore[arg-type]
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            skipped.append(Skipped(Where(shown, node.lineno), f"setting {names[0]}", "not a literal (it would have "
                                   "to be run to be known): ignored, Pelican's default is used"))
            continue
        for name in names:
            found[name] = value
    return found


def _read_one(path: Path, site: _Site) -> ImportedPost | None:
    shown = _shown(path, site)
    rel = path.relative_to(site.content)
    if not _read_by_pelican(rel, site):
        return None
    page = _under(rel, site.settings["PAGE_PATHS"])
    parsed = parse(read_text(path, shown), path.suffix.lower() == ".rst", shown)
    return _post(path, rel, shown, parsed, page, site)


def _read_by_pelican(rel: Path, site: _Site) -> bool:
    """Whether Pelican reads the file at ``rel`` in its content folder as an article or a page: under
    ``ARTICLE_PATHS`` or ``PAGE_PATHS``, and not under that kind's excludes."""
    page = _under(rel, site.settings["PAGE_PATHS"])
    if not page and not _under(rel, site.settings["ARTICLE_PATHS"]):
        return False
    return not _under(rel, site.settings["ARTICLE_EXCLUDES"] if not page else site.settings["PAGE_EXCLUDES"])


def _under(rel: Path, folders: object) -> bool:
    if not isinstance(folders, (list, tuple)):
        return False
    return any(not str(f).strip("/") or rel.is_relative_to(str(f).strip("/")) for f in folders)


def _from_file(path: Path, meta: dict[str, str], site: _Site) -> dict[str, str]:
    """The metadata with what Pelican reads from the file's name (``FILENAME_METADATA``: by default a date,
    ``2012-11-30-notes.md``) and its ``DEFAULT_DATE`` (a literal date, or ``"fs"``: the file's time), where the
    file says nothing of its own."""
    found = dict(meta)
    try:
        named = re.match(str(site.settings["FILENAME_METADATA"]), path.stem)
    except re.error:
        site.skipped.append(Skipped(Where("pelicanconf.py", 0), "setting FILENAME_METADATA", "not a pattern "
                                    "Python reads: ignored"))
        named = None
    for key, value in (named.groupdict() if named else {}).items():
        if value and key.lower() not in found:
            found[key.lower()] = value
    default = site.settings.get("DEFAULT_DATE")
    if "date" not in found and default == "fs":
        found["date"] = datetime.fromtimestamp(path.stat().st_mtime, site.zone or timezone.utc).isoformat()
    elif "date" not in found and isinstance(default, (tuple, list)) and 3 <= len(default) <= 6 and all(
            isinstance(n, int) for n in default):
        found["date"] = datetime(*default).isoformat()  # type: ignore[misc]
    return found


def _post(path: Path, rel: Path, shown: str, parsed: Parsed, page: bool, site: _Site) -> ImportedPost:
    meta = _from_file(path, parsed.meta, site)
    where = Where(shown, 1)
    if not parsed.title:
        raise SiteError(Diagnostic(shown, 1, "no Title: in the metadata header"))
    status = meta.get("status", "published").lower()
    draft = status == "draft" or status == "hidden" and not page
    if draft:
        why = "a draft on Pelican" if status == "draft" else "hidden on Pelican (published, in no list)"
        site.skipped.append(Skipped(where, f"{'page' if page else 'article'} {shown}", f"{why}: imported as a "
                                    "draft (draft: true)", kept=True))
    date = to_date(meta["date"], Where(shown, line_of(parsed, "date")), site.zone) if meta.get("date") else None
    if date is None and not page and not draft:
        raise SiteError(Diagnostic(shown, 1, "an article without a Date:, none in its file name and no literal "
                                   "DEFAULT_DATE in pelicanconf.py; add one"))
    category = meta.get("category") or (rel.parts[0] if len(rel.parts) > 1 and site.settings[
        "USE_FOLDER_AS_CATEGORY"] and not page else "")
    slug = meta.get("slug") or pelican_slug(parsed.title, site.settings)
    old = _address(meta, slug, category, date, page, site)
    if _translation(meta, site):  # beside the original, which keeps the slug
        slug = f"{slug}-{meta['lang'].lower()}"
    site.addresses[rel.as_posix()] = old
    series = meta.get("series", "").strip()
    index = meta.get("series_index", "").strip()
    extra: dict[str, object] = {"_series_title": series} if series else {}
    extra[CATEGORIES] = (category,) if category else ()
    language = (meta.get("lang") or str(site.settings["DEFAULT_LANG"])).replace("_", "-")  # fr_FR: fr-FR
    if language.lower() != site.options.language.lower():  # written in another language than the new site's
        extra["language"] = language
    for key in ("author", "authors"):
        if meta.get(key):
            site.skipped.append(Skipped(where, f"{key} {meta[key]}", "authors are not imported: the site's author "
                                        "is [author] in config.toml"))
    return ImportedPost(
        source_id=f"pelican:{shown}", where=where, title=parsed.title, slug=slug if is_slug(slug) else slugify(slug),
        markdown="",
        date=None if page else date, layout="page" if page else "post", draft=draft,
        summary=_plain(meta.get("summary", "")), tags=tuple(dict.fromkeys(
            t for t in (category, *text_list(meta.get("tags"), r"[,;]")) if t)),
        series=slugify(series) if series else None, part=int(index) if index.isdigit() and int(index) > 0 else None,
        aliases=() if draft else (old,), extra=extra, listed=status != "hidden")


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).strip()


class _Formatter(string.Formatter):
    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        if "." in field_name or "[" in field_name:  # no attribute or item access: only the values given
            raise KeyError(field_name)
        return super().get_field(field_name, args, kwargs)


def _address(meta: dict[str, str], slug: str, category: str, date: datetime | None, page: bool, site: _Site) -> str:
    """The article's address on the Pelican site: its ``Url``/``Save_as``, or ``ARTICLE_URL``/``PAGE_URL``, or
    for a translation (a ``Lang`` other than ``DEFAULT_LANG``) ``ARTICLE_LANG_URL``/``PAGE_LANG_URL``."""
    kind = "PAGE" if page else "ARTICLE"
    setting = f"{kind}_LANG_URL" if _translation(meta, site) else f"{kind}_URL"
    pattern = meta.get("url") or meta.get("save_as") or str(site.settings[setting])
    values = {"slug": slug, "category": pelican_slug(category, site.settings) if category else "misc",
              "date": date or datetime(1970, 1, 1), "lang": meta.get("lang", "en"), "author": "", "path": ""}
    try:
        address = _Formatter().format(pattern, **values)
    except (KeyError, ValueError, IndexError):
        address = f"{slug}.html"
    address = "/" + address.lstrip("/")
    return address[: -len("index.html")] if address.endswith("/index.html") else address


def pelican_slug(text: str, settings: dict[str, Any]) -> str:
    """A slug as Pelican makes one from a title or a category: in Latin letters unless ``SLUGIFY_USE_UNICODE``
    (through anyascii, where Pelican uses Unidecode: they agree on accented Latin letters), then
    ``SLUG_REGEX_SUBSTITUTIONS``, then in lower case.  "Paniers bio à 5e ?!" was ``paniers-bio-a-5e``."""
    text = unicodedata.normalize("NFKC", re.sub(r"<[^>]*>", "", text))
    text = text if settings.get("SLUGIFY_USE_UNICODE") is True else anyascii(text)
    substitutions = settings.get("SLUG_REGEX_SUBSTITUTIONS")
    for pattern, replacement in substitutions if isinstance(substitutions, (list, tuple)) else []:
        try:
            text = re.sub(unicodedata.normalize("NFKC", pattern), unicodedata.normalize("NFKC", replacement), text,
                          flags=re.IGNORECASE)
        except (re.error, TypeError):
            continue  # a pattern Pelican would have stopped at: the old address is a guess either way
    text = text if settings.get("SLUGIFY_PRESERVE_CASE") is True else text.lower()
    return text.strip() or slugify(text)


def _translation(meta: dict[str, str], site: _Site) -> bool:
    """Whether the file is a translation of another (its ``Lang`` not the site's ``DEFAULT_LANG``)."""
    return bool(meta.get("lang")) and meta["lang"].lower() != str(site.settings["DEFAULT_LANG"]).lower()


def _converted(post: ImportedPost, path: Path, shown: str, site: _Site) -> Tracked:
    def convert_again(text: str) -> Body:
        return _convert(text, path, shown, site, [])
    body = _convert(read_text(path, shown), path, shown, site, site.skipped)

    def as_then(then: Path, text: str) -> ImportedPost | None:
        content = site.content.resolve()
        if not then.is_relative_to(content) or then.suffix.lower() not in TEXTS:
            return None
        rel = then.relative_to(content)
        shown_then = _shown(site.content / rel, site)
        page = _under(rel, site.settings["PAGE_PATHS"])
        scratch = replace(site, skipped=[], addresses={})
        return None if page else _post(site.content / rel, rel, shown_then,
                                       parse(text, then.suffix.lower() == ".rst", shown_then), page, scratch)

    def read_then(name: str, settings: bytes | None) -> bool:  # as today's settings say Pelican reads (PATH, …)
        then, content = (site.root / name).resolve(), site.content.resolve()
        return then.is_relative_to(content) and _read_by_pelican(then.relative_to(content), site)
    return Tracked(replace(post, markdown=body.markdown, assets=body.assets, text_line=body.line), path,
                   convert_again, read_then=read_then, as_then=as_then, files=site.files)


def _convert(text: str, path: Path, shown: str, site: _Site, skipped: list[Skipped]) -> Body:
    parsed = parse(text, path.suffix.lower() == ".rst", shown)
    where = Where(shown, parsed.body_line)
    folder = path.parent.relative_to(site.content).as_posix()
    own = site.addresses.get(path.relative_to(site.content).as_posix(), "")
    assets: dict[str, Asset] = {}
    refused: dict[str, str] = {}
    link = site.files.linker(assets, refused=refused, page=own)
    if parsed.rst:
        body = parsed.body
        for found in _UNSAFE.finditer(body):
            line = where.line + body.count("\n", 0, found.start())
            skipped.append(Skipped(Where(shown, line), f"directive .. {found.group(1)}::", "it reads a file or "
                                   "passes raw markup through, which the import never does: left out"))
        links = _html_links(body, folder, where, site, skipped, link)
        done, linked = site.converted.get(shown + "\n" + body) or (convert(rst_html(body, where), where, links),
                                                                  dict(assets))
        site.converted[shown + "\n" + body] = (done, linked)
        assets.update(linked)
        for what in dict.fromkeys(done.kept):
            skipped.append(Skipped(where, what, "kept as raw HTML: Markdown cannot say it", kept=True))
        markdown, line = done.markdown, 0
    else:
        body = plugin_tags(parsed.body, where, skipped)
        markdown = rewrite_links(body, _html_links(body, folder, where, site, skipped, link))
        markdown = held_whole(markdown, where, "Python-Markdown", skipped)
        line = text_line(markdown, parsed.body, parsed.body_line)
    skipped += refused_links(refused, parsed.body, where)
    public = parsed.meta.get("status", "published").lower() not in ("draft", "hidden")
    title = str(parsed.meta.get("title") or "").strip()
    return Body(markdown.strip("\n") + "\n", tuple(assets.values()), public, title, line)


def _html_links(body: str, folder: str, where: Where, site: _Site, skipped: list[Skipped],
                link: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """A ``link`` that resolves ``{static}/images/x.png`` and ``{filename}essay.md`` to the old site's
    addresses (which ``link`` then maps) as Pelican does: in links only (docutils' ``href`` and ``src``, a
    Markdown link), so that code that shows ``{filename}`` keeps it.  ``{tag}`` and the like stay, reported.
    A relative link to a file (``images/x.png``), which none of those name, ``link`` reads from the article's
    old address, as a browser read it there."""
    def one(url: str) -> str | None:
        term = _PELICAN_LINK.fullmatch(url)
        if term and (term.group("kind") or term.group("old")) in ("tag", "category"):
            # a tag's or a category's page: categories come in as tags, so the site's page of that tag
            path = term.group("path")
            cut = min((at for at in (path.find("#"), path.find("?")) if at >= 0), default=len(path))
            return site.options.static_url(f"tags/{slugify(unquote(path[:cut].strip('/')))}/") + path[cut:]

        def each(found: re.Match[str]) -> str:
            new = _pelican_link(found, folder, site)
            if new is None:
                at = max(body.find(found.group(0)), 0)
                _unresolved(found.group(0), where.line + body.count("\n", 0, at), where, skipped)
            return found.group(0) if new is None else new
        resolved = _PELICAN_LINK.sub(each, url)
        return link(resolved) or (resolved if resolved != url else None)
    return one


def _pelican_link(found: re.Match[str], folder: str, site: _Site) -> str | None:
    """The old site's address of one ``{kind}path`` link, or None when only Pelican can make it."""
    base = site.files.base_path.rstrip("/")
    kind = found.group("kind") or found.group("old")
    path = found.group("path")
    target = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path))
    target = target.removeprefix("./")  # cat1/../x.rst is x.rst
    if kind in ("static", "attach"):
        return f"{base}/{target}"
    page, hash_, fragment = target.partition("#")
    if kind == "filename" and page in site.addresses:
        return base + site.addresses[page] + hash_ + fragment  # ``#sec`` of the article, as Pelican kept it
    if kind == "filename" and PurePosixPath(target.split("#")[0]).suffix.lower() not in TEXTS:
        return f"{base}/{target}"  # a file of the site's, not an article: Pelican links it as {static} does
    return None


def _unresolved(written: str, line: int, where: Where, skipped: list[Skipped]) -> None:
    missing = written.startswith(("{filename}", "|filename|"))  # an article or page the source does not hold
    why = "no article or page of the source is there (moved or deleted?)" if missing else \
        "Pelican makes it, Feuilleton cannot"
    skipped.append(Skipped(Where(where.path, line), f"link {written[:50]}", f"{why}: kept as written", kept=True))
