"""Hugo: a site folder (``hugo.toml`` or ``config.*``, ``content/``) → an ``ImportResult``.

Every Markdown or HTML file under ``content/`` is a post, a page bundle's ``index.md`` too (its images come
along, at the address the bundle gave them); a file at the top of ``content/`` or of type ``page`` is a
page.  Front matter may be YAML (``---``), TOML (``+++``) or JSON.  ``_index.md`` files describe
sections and, under ``content/series/``, the series that the ``series`` taxonomy names; a headless bundle
(``headless: true``, ``build.render: never``) has no page and is left out.  Each post's old address comes
from its ``url``, the site's ``permalinks`` or Hugo's default, and joins its ``aliases``.  Shortcodes
with a meaning without Hugo are written out (``hugoshortcodes.py``); any other stays visible and is
reported.  Addresses are lower-cased as Hugo does unless the site says ``disablePathToLower``, and under
``canonifyURLs`` a relative link is read from the site's root.
A translation (``hello.fr.md``, or a file under its language's own ``contentDir``) is a post of its own
in that language, at its old address under ``/fr/``.  Where the site's settings had Hugo leave raw HTML out of
its pages (goldmark without ``unsafe``), the raw HTML of a Markdown post is shown as the text written
(``hugoraw.py``).  With git, ``history.py`` adds each post's versions, each text read as the current one is.
"""
from __future__ import annotations

import logging
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import Diagnostic, SiteError
from ..model.slugs import slugify
from ..text.markdown import prose_text, render
from .folder import (Body, Files, first_text, gathering, not_followed, raise_gathered, read_text, refused_links,
                     rewrite_links, split_front, text_line, text_list, to_date, walk_files)
from .history import Tracked, add_history
from .html import convert
from .hugoconfig import RawHtml, content_folders_then, content_languages, raw_html_left_out, read_config
from .hugoraw import Shown, shown_as_text
from .hugoshortcodes import hugos_own, shortcodes
from .model import Asset, ImportedPost, ImportResult, ReadOptions, SeriesInfo, Skipped, Where
from .series import CATEGORIES, folder_series

log = logging.getLogger(__name__)

CONTENT = (".md", ".markdown", ".mdown", ".html", ".htm")
_TOKEN = re.compile(r":(year|monthname|month|day|weekdayname|weekday|yearday|sections|section|title|slugorfilename|"
                    r"slugorcontentbasename|slug|filename|contentbasename)\b")


@dataclass
class _Site:
    root: Path
    content: Path
    config: dict[str, Any]
    options: ReadOptions
    files: Files
    zone: Any
    skipped: list[Skipped] = field(default_factory=list)
    series: dict[str, SeriesInfo] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)
    """A content file (``posts/x.md``, and without its extension) → its old address, for ``ref``."""
    strays: list[Path] = field(default_factory=list)
    """Files in ``content/`` that are neither content nor in a bundle: reported unless a post links them."""
    lower: bool = True
    """Hugo writes the addresses it makes from file names and titles in lower case, unless the site says
    ``disablePathToLower``; a ``url`` or an alias written in front matter is used as written either way."""
    languages: dict[str, Path | None] = field(default_factory=dict)
    """The site's ``[languages]``, each with the content folder of its own, if it has one (``contentDir``)."""
    default_language: str = "en"
    """``defaultContentLanguage``: the language whose pages have no ``/LANG/`` before their address (unless
    ``defaultContentLanguageInSubdir``)."""
    default_in_subdir: bool = False
    terms: dict[str, str] = field(default_factory=dict)
    """Each tag and category of the posts, by the address segment Hugo gave its page (``passons-le-c.a.p``)."""
    raw: RawHtml = RawHtml(False, "", "")
    """Whether Hugo's Markdown renderer left raw HTML out of the pages, and why (``hugoconfig.raw_html_left_out``):
    the posts' raw HTML is then shown as the text written (``hugoraw``)."""


def read(source: Path, options: ReadOptions, progress: object = None) -> ImportResult:
    site = _site(source, options)
    links: list[Path] = []
    files = walk_files(site.content, links)
    content = site.content.resolve()
    for place in dict.fromkeys(p for p in site.languages.values() if p and not p.is_relative_to(content)):
        files += walk_files(place, links) if place.is_dir() else []  # a language's own contentDir, beside content/
    site.skipped += not_followed(links, (".md", ".markdown", ".html"), lambda path: _shown(path, site))
    bundles = {p.parent for p in files if p.suffix.lower() in (".md", ".markdown", ".html")
               and _language(p, site)[1] == "index"}
    read_in: list[tuple[ImportedPost, Path, str]] = []
    errors: list[Diagnostic] = []
    for number, path in enumerate(files, start=1):
        if progress is not None:
            progress.step(number, len(files), "files")  # type: ignore[attr-defined]
        post = gathering(errors, _read_one, path, bundles, site)
        if post is not None:
            read_in.append((post, path, _shown(path, site)))
    if progress is not None:
        progress.close()  # type: ignore[attr-defined]
    site.terms = {hugo_path(term).casefold(): term for post, _, _ in read_in for term in post.tags}
    tracked = [t for post, path, shown in read_in
               if (t := gathering(errors, _converted, post, path, shown, bundles, site))]
    raise_gathered(errors)
    posts, notes = add_history(source, tracked, options)
    posts = [_dated(p, site) for p in posts]
    _said_raw(site, history=any(p.history for p in posts))
    linked = {a.source for p in posts for a in p.assets}
    site.skipped += [Skipped(Where(_shown(p, site), 1), f"file {_shown(p, site)}", "not content, in no page bundle "
                             "and linked by no post: not imported") for p in site.strays if p.resolve() not in linked]
    series = {p.series: site.series.get(p.series) or SeriesInfo(p.series, str(p.extra.get("_series_title")))
              for p in posts if p.series}
    posts, series = folder_series(posts, series, options.series_from, str(site.config.get("title") or "Series"))
    origins = (str(site.config.get("baseurl") or ""),)
    return ImportResult("hugo", tuple(posts), series, tuple(site.skipped + notes), origins=origins)


def _shown(path: Path, site: _Site) -> str:
    return path.relative_to(site.root).as_posix()


RAW = "raw HTML Hugo left out"
"""What the report calls raw HTML shown as text where Hugo showed none of it."""


def _said_raw(site: _Site, history: bool) -> None:
    """One line above the posts' own that says why their raw HTML is text now, and how to have it read as HTML."""
    count = sum(s.what == RAW for s in site.skipped)
    if not count or not site.raw.left_out:
        return
    where = Where(site.raw.file, 0)
    versions = "; every version from git is read so too, by the settings the site has now" if history else ""
    site.skipped.append(Skipped(where, f"raw HTML in {count} post{'s' if count > 1 else ''}", "Hugo showed none of "
                                f"it ({site.raw.why}): its pages held <!-- raw HTML omitted --> instead. Each "
                                "tag is escaped to show as the text written, each HTML block shown as code, comments "
                                f"kept{versions}. If the old site showed raw HTML, set unsafe = true under "
                                f"{site.raw.table} in {site.raw.file} and import again", kept=True))


MORE = "<!--more-->"
"""Hugo's summary divider: the text before it is the post's summary, over the front matter's ``summary``."""


def _lead(markdown: str) -> str:
    """The words before the post's summary divider, as plain text, as Hugo's lists showed them (``.Summary``,
    checked on Hugo 0.111); empty where the post has none (outside code)."""
    if MORE not in markdown or MORE not in render(markdown):
        return ""
    return prose_text(render(markdown.split(MORE, 1)[0]))


def _raw_html_why(path: Path, site: _Site) -> str:
    """Why the raw HTML left in a post's text is what Hugo showed, for an error at an element it leaves open."""
    if path.suffix.lower() in (".html", ".htm"):
        return "Hugo showed an .html content file as written"
    if site.raw.left_out:  # all else is escaped or fenced
        return "it is in the body of a {{< >}} shortcode, which Hugo gave the shortcode's template as written"
    return site.raw.why


def _site(source: Path, options: ReadOptions) -> _Site:
    config = read_config(source)
    zone: Any = options.zone
    if isinstance(config.get("timezone"), str):
        try:
            zone = ZoneInfo(config["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            pass
    base = urlsplit(str(config.get("baseurl") or "")).path
    content = source / str(config.get("contentdir") or "content")
    if not content.is_dir():
        raise SiteError(Diagnostic(str(source), 0, "a Hugo site has a content/ folder, and this one has none"))
    files = Files(source, options, base, (source / "static", content),
                  relative_from_root=config.get("canonifyurls") is True)
    return _Site(source, content, config, options, files, zone, lower=config.get("disablepathtolower") is not True,
                 raw=raw_html_left_out(source),
                 languages=content_languages(config, source),
                 default_language=str(config.get("defaultcontentlanguage") or "en").lower(),
                 default_in_subdir=config.get("defaultcontentlanguageinsubdir") is True)


def _language(path: Path, site: _Site) -> tuple[str, str]:
    """A content file's language and its name without it: ``hello.fr.md`` is ``hello`` in French, as a file
    under French's own ``contentDir`` is; any other is in the default language."""
    stem = path.stem
    base, dot, code = stem.rpartition(".")
    if dot and code.lower() in site.languages and base:
        return code.lower(), base
    return next((lang for lang, _ in _own_folder(path, site)), site.default_language), stem


def _content_rel(path: Path, site: _Site) -> Path:
    """A content file's path below the content folder it is in: its language's own (``content/fr/``), if
    it is in one, else ``content/``."""
    for _, rel in _own_folder(path, site):
        return rel
    try:
        return path.relative_to(site.content)
    except ValueError:  # a path from git, resolved
        return path.resolve().relative_to(site.content.resolve())


def _own_folder(path: Path, site: _Site) -> Iterator[tuple[str, Path]]:
    """The language whose own ``contentDir`` holds ``path``, and the path below it; nothing on a site whose
    languages share ``content/`` (the path is then not resolved at all)."""
    if not any(site.languages.values()):
        return
    resolved = path.resolve()
    for language, place in site.languages.items():
        if place and resolved.is_relative_to(place):
            yield language, resolved.relative_to(place)
            return


def _read_one(path: Path, bundles: set[Path], site: _Site) -> ImportedPost | None:
    shown = _shown(path, site)
    where = Where(shown, 1)
    rel = _content_rel(path, site)
    if path.suffix.lower() not in CONTENT:
        if not any(path.is_relative_to(b) for b in bundles):
            site.strays.append(path)
        return None
    name = _language(path, site)[1]
    if name == "_index":
        _section(path, rel, shown, site)
        return None
    inside = next((b for b in bundles if path.is_relative_to(b) and path.parent != b or
                   path.parent == b and name != "index"), None)
    if inside is not None:
        site.skipped.append(Skipped(where, f"file {shown}", "a text file inside a page bundle (a resource of "
                                    f"{_shown(inside, site)}): not imported"))
        return None
    front = split_front(read_text(path, shown), shown)
    meta = front.meta
    output = str(meta.get("url") or "")
    if PurePosixPath(output.rstrip("/")).suffix.lower() in (".json", ".xml", ".txt", ".csv", ".js"):
        site.skipped.append(Skipped(where, f"file {shown}", f"Hugo renders it as {output} with a layout of its own "
                                    "(data, not a page): not imported"))
        return None
    build = meta.get("build") or meta.get("_build") or {}
    if meta.get("headless") is True or (isinstance(build, dict) and str(build.get("render")).lower() in (
            "never", "false")):
        site.skipped.append(Skipped(where, f"headless bundle {shown}", "Hugo makes no page of it: not imported"))
        return None
    return _post(path, rel, shown, meta, site)


def _section(path: Path, rel: Path, shown: str, site: _Site) -> None:
    meta = split_front(read_text(path, shown), shown).meta
    parts = rel.parts[:-1]
    if len(parts) == 2 and parts[0] == "series":
        language = _language(path, site)[0]
        slug = slugify(parts[1]) + ("" if language == site.default_language else f"-{language}")
        site.series[slug] = SeriesInfo(slug, str(meta.get("title") or parts[1]),
                                       str(meta.get("description") or meta.get("summary") or "").strip())
        return
    what = "the home page" if not parts else f"section {'/'.join(parts)}"
    site.skipped.append(Skipped(Where(shown, 1), f"{what} ({shown})", "a list page Hugo makes from the "
                                "section: the site makes its own lists, so only its text is left out"))


def _post(path: Path, rel: Path, shown: str, meta: dict[str, Any], site: _Site) -> ImportedPost:
    where = Where(shown, 1)
    language, stem = _language(path, site)
    bundle = stem == "index"
    name = rel.parent.name if bundle else stem
    section = rel.parts[0] if len(rel.parts) > (2 if bundle else 1) else ""
    layout = "page" if not section or meta.get("type") == "page" or meta.get("layout") == "page" or \
        section in ("page", "pages") else "post"
    moment = meta.get("publishDate") or meta.get("publishdate") or meta.get("pubdate") or meta.get("date")
    date = to_date(moment, where, site.zone, "date") if moment and layout == "post" else None
    draft = meta.get("draft") is True
    if draft:
        site.skipped.append(Skipped(where, f"post {shown}", "a draft on Hugo: imported as a draft (draft: true)",
                                    kept=True))
    if meta.get("expiryDate") or meta.get("expirydate"):
        site.skipped.append(Skipped(where, f"expiryDate of {shown}", "a static site cannot take a post down on a "
                                    "date: the post stays published", kept=True))
    slug = str(meta.get("slug") or name)
    title = str(meta.get("title") or " ".join(w.capitalize() for w in re.split(r"[-_\s]+", name) if w))
    translated = language != site.default_language
    rooted = isinstance(meta.get("url"), str) and meta["url"].strip().startswith("/")  # from the site's root
    prefix = f"/{language}" if site.languages and (translated or site.default_in_subdir) and not rooted else ""
    old = prefix + _address(meta, rel.with_name(stem + rel.suffix), section, slug, name, title, date, site)
    site.addresses[rel.as_posix()] = old
    site.addresses[rel.with_suffix("").as_posix()] = old
    folder = prefix + _cased("/" + "/".join(rel.parts[:-2 if bundle else -1]), site)
    aliases = [] if draft else [old, *(a if str(a).startswith("/") else f"{folder.rstrip('/')}/{a}"
                                       for a in text_list(meta.get("aliases")))]
    series_name = first_text(meta.get("series"))
    extra: dict[str, object] = {"_series_title": series_name} if series_name else {}
    extra[CATEGORIES] = text_list(meta.get("categories"))
    if translated or site.languages and language != site.options.language:  # written in another than the site's
        extra["language"] = language
    own = f"-{language}" if translated else ""
    return ImportedPost(
        source_id=f"hugo:{shown}", where=where, title=title, slug=slugify(slug) + own, markdown="", date=date,
        layout=layout, draft=draft, summary=str(meta.get("summary") or meta.get("description") or "").strip(),
        tags=tuple(dict.fromkeys((*text_list(meta.get("categories")), *text_list(meta.get("tags"))))),
        series=slugify(series_name) + own if series_name else None, aliases=tuple(aliases),
        extra=extra)


def _address(meta: dict[str, Any], rel: Path, section: str, slug: str, name: str, title: str,
             date: datetime | None, site: _Site) -> str:
    """The address Hugo gave the page: its ``url`` as written, the section's ``permalinks`` pattern, or the
    default (both in lower case unless the site says ``disablePathToLower``)."""
    if isinstance(meta.get("url"), str) and meta["url"].strip():
        return "/" + meta["url"].strip().lstrip("/")
    ugly = site.config.get("uglyurls") is True
    patterns = site.config.get("permalinks") or {}
    if isinstance(patterns.get("page"), dict):
        patterns = patterns["page"]
    pattern = patterns.get(section) if isinstance(patterns, dict) and section else None
    folders = rel.parts[:-2] if rel.stem == "index" else rel.parts[:-1]
    if not isinstance(pattern, str):
        base = _cased("/" + "/".join(map(hugo_path, (*folders, slug))), site)
        return (base + ".html") if ugly else base + "/"
    moment = date or datetime(1, 1, 1)
    values = {"year": f"{moment:%Y}", "month": f"{moment:%m}", "monthname": f"{moment:%B}".lower(),
              "day": f"{moment:%d}", "weekday": str(moment.isoweekday() % 7), "weekdayname": f"{moment:%A}".lower(),
              "yearday": str(moment.timetuple().tm_yday), "section": section, "sections": "/".join(folders),
              "title": _urlize(title, site), "slug": _urlize(str(meta.get("slug") or title), site),
              "filename": hugo_path(name), "slugorfilename": hugo_path(str(meta.get("slug") or name)),
              "contentbasename": hugo_path(name), "slugorcontentbasename": hugo_path(str(meta.get("slug") or name))}
    address = _TOKEN.sub(lambda m: values[m.group(1)], pattern)
    return _cased(re.sub(r"/{2,}", "/", "/" + address + ("" if address.endswith("/") or ugly else "/")), site)


def hugo_path(text: str) -> str:
    """A name as Hugo puts it into an address (its ``UnicodeSanitize``): letters, digits, marks and
    ``._-#+~@`` kept, a run of spaces between them one hyphen, anything else dropped: the file
    ``AI & Java : passer.md`` was at ``ai-java-passer/``."""
    kept: list[str] = []
    space = hyphen = False
    for char in text:
        if char.isalnum() or unicodedata.category(char).startswith("M") or char in "._-#+~@":
            if space and not hyphen and char != "-":
                kept.append("-")
            kept.append(char)
            space, hyphen = False, char == "-"
        elif kept and char.isspace():
            space = True
    return "".join(kept) or text  # nothing Hugo keeps (``???.md``): as written, rather than no name at all


def _cased(address: str, site: _Site) -> str:
    """An address Hugo made, in lower case unless the site says ``disablePathToLower``."""
    return address.lower() if site.lower else address


def _urlize(text: str, site: _Site) -> str:
    """A title or slug as Hugo puts it into an address (its ``URLize``): ``hugo_path``'s characters, in
    lower case unless the site says ``disablePathToLower`` ("Go 1.22 — what's new" was ``go-1.22-whats-new``)."""
    return _cased(hugo_path(text), site)


def _dated(post: ImportedPost, site: _Site) -> ImportedPost:
    """A post with neither a date nor a history to date it is imported as a draft, and the report says so."""
    if post.layout != "post" or post.date is not None or post.draft:
        return post
    site.skipped.append(Skipped(post.where, f"post {post.where.path}", "no date (date, publishDate) and no git "
                                "history to take one from: imported as a draft", kept=True))
    return replace(post, draft=True, aliases=())


def _converted(post: ImportedPost, path: Path, shown: str, bundles: set[Path], site: _Site) -> Tracked:
    bundle = path.parent if path.parent in bundles else None
    into = _bundle_target(post, next(iter(post.aliases), "")) if bundle else ""

    def convert_again(text: str) -> Body:
        return _convert(text, path, shown, bundle, into, site, [])
    body = _convert(read_text(path, shown), path, shown, bundle, into, site, site.skipped)
    assets = {a.target: a for a in body.assets}
    if bundle is not None:
        for resource in sorted(bundle.iterdir()):
            if resource.is_file() and not resource.is_symlink() and resource.suffix.lower() in (
                    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".pdf"):
                target = f"{into}/{resource.name}"
                assets.setdefault(target, Asset(resource.resolve(), target))

    def as_then(then: Path, text: str) -> ImportedPost | None:
        places = [site.content.resolve(), *(p for p in site.languages.values() if p)]
        if not any(then.is_relative_to(p) for p in places) or then.suffix.lower() not in CONTENT or \
                _language(then, site)[1] == "_index":
            return None
        rel = _content_rel(then, site)  # below its language's own contentDir, if it is in one
        shown_then = then.resolve().relative_to(site.root.resolve()).as_posix()
        scratch = replace(site, skipped=[], addresses={})
        return _post(then, rel, shown_then, split_front(text, shown_then).meta, scratch)

    def read_then(name: str, settings: bytes | None) -> bool:
        """Hugo reads its content folders alone: those the settings file a commit left named; before today's
        settings file was (another name, ``hugo.toml`` for ``config.yaml``), today's folders and the default."""
        named = content_folders_then(settings) if settings is not None else None
        places = [site.root / folder for folder in named] if named is not None else \
            [place for place in (site.content, *site.languages.values(), site.root / "content") if place]
        then = (site.root / name).resolve()
        return any(then.is_relative_to(place.resolve()) for place in places)
    return Tracked(replace(post, markdown=body.markdown, assets=tuple(assets.values()), text_line=body.line,
                           raw_html_why=_raw_html_why(path, site), summary=_lead(body.markdown) or post.summary),
                   path, convert_again, read_then=read_then, as_then=as_then, files=site.files)


def _term(target: str, site: _Site) -> str | None:
    """The tag or category a path within the old site names (``tags/python/``, ``categories/law/_index.md``),
    found among the posts' own by the address Hugo gave it; None for any other path."""
    parts = [part for part in target.split("/") if part]
    if len(parts) < 2 or parts[0] not in ("tags", "categories") or len(parts) > 3 or \
            len(parts) == 3 and not parts[2].startswith("_index."):
        return None
    return site.terms.get(parts[1].casefold())


def _bundle_target(post: ImportedPost, into: str) -> str:
    return into.strip("/") or f"{post.series or ''}/{post.slug}".strip("/")


def _convert(text: str, path: Path, shown: str, bundle: Path | None, into: str, site: _Site,
             skipped: list[Skipped]) -> Body:
    front = split_front(text, shown)
    where = Where(shown, front.body_line)
    assets: dict[str, Asset] = {}
    refused: dict[str, str] = {}
    files = site.files.linker(assets, near=bundle, into=into.strip("/"), refused=refused, source=path.parent)
    text, done = front.body, Shown()
    if site.raw.left_out and path.suffix.lower() not in (".html", ".htm"):  # HTML files Hugo showed
        text, done = shown_as_text(text, hugos_own(text), front.body_line)
        if done.first:
            skipped.append(Skipped(Where(shown, done.first), RAW, done.said(), kept=True))
    body = shortcodes(text, where, site.addresses, site.files.base_path, skipped, files, done.written)
    folder = _content_rel(path, site).parent.as_posix()

    def link(url: str) -> str | None:
        """A link to another content file (``../contact/index.md``, which a theme's render hook makes the
        page's address) leads to that page's old address, which the import then maps to its new one."""
        written, hash_, fragment = url.partition("#")
        if ":" in written.split("/")[0] or not written:
            return files(url)
        target = written.lstrip("/") if written.startswith("/") else posixpath.normpath(
            posixpath.join(folder, unquote(written)))
        if PurePosixPath(written).suffix.lower() in CONTENT:
            address = site.addresses.get(target) or site.addresses.get(PurePosixPath(target).with_suffix("").as_posix())
            if address:
                return site.files.base_path.rstrip("/") + address + hash_ + fragment
        term = _term(target, site)
        if term is not None:  # a tag's or category's page (its address, or its _index.md): the site's tag page
            return site.options.static_url(f"tags/{slugify(term)}/") + hash_ + fragment
        return files(url)
    if path.suffix.lower() in (".html", ".htm"):
        done = convert(body, where, link)
        for what in dict.fromkeys(done.kept):
            skipped.append(Skipped(where, what, "kept as raw HTML: Markdown cannot say it", kept=True))
        markdown, line = done.markdown, 0
    else:
        markdown = rewrite_links(body, link)
        line = text_line(markdown, front.body, front.body_line)
    skipped += refused_links(refused, front.body, where)
    return Body(markdown.strip("\n") + "\n", tuple(assets.values()), front.meta.get("draft") is not True,
                str(front.meta.get("title") or "").strip(), line, _lead(markdown) or str(
                    front.meta.get("summary") or front.meta.get("description") or "").strip())
