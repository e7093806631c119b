"""Jekyll: a site folder (``_config.yml``, ``_posts/``, ``_drafts/``, pages) → an ``ImportResult``.

Posts are ``_posts/YYYY-MM-DD-slug.md`` (or ``.markdown``, or ``.html`` converted to Markdown), in any
``_posts`` folder of the site; ``_drafts/`` holds drafts; a Markdown file with front matter in the site's
root or in ``_pages/`` is a page.  Each post's old address, from its ``permalink`` or the site's
``permalink`` style, joins its ``redirect_from`` list as its aliases.  Liquid that has a meaning without
Jekyll is carried out (``{% highlight %}`` becomes a fenced block, ``{{ site.baseurl }}`` and
``{% post_url %}`` become addresses, ``{% raw %}`` is unwrapped); every other tag stays in the text where
the author can see it, and the report names it.  With git, ``history.py`` adds each post's versions.
"""
from __future__ import annotations

import codecs
import functools
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from ..errors import Diagnostic, SiteError
from ..model.slugs import slugify
from ..source.files import read_regular
from .folder import (Body, Files, first_text, gathering, held_whole, misread, raise_gathered, read_text,
                     refused_links, not_followed, rewrite_links, split_front, text_line, text_list, to_date, walk_files,
                     without_title_heading)
from .history import Tracked, add_history
from .html import convert
from .jekyllread import collections, read_by_jekyll
from .kramdown import attribute_lists, escape_math
from .model import Asset, ImportedPost, ImportResult, ReadOptions, SeriesInfo, Skipped, Where
from .series import CATEGORIES, folder_series

log = logging.getLogger(__name__)

STYLES = {"date": "/:categories/:year/:month/:day/:title:output_ext",
          "pretty": "/:categories/:year/:month/:day/:title/",
          "ordinal": "/:categories/:year/:y_day/:title:output_ext",
          "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
          "none": "/:categories/:title:output_ext"}
"""Jekyll's named permalink styles."""
TEXT = (".md", ".markdown", ".mkd", ".mkdn", ".html")
_POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})-(?P<slug>.+)\.(?P<ext>md|markdown|mkd|mkdn|html)$")
_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+(?P<lang>[\w+#.-]+)(?P<opts>[^%]*)-?%\}\n?(?P<code>.*?)"
                        r"\{%-?\s*endhighlight\s*-?%\}", re.S)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(?P<text>.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_TAG = re.compile(r"\{%-?\s*(?P<name>\w+)(?P<args>.*?)-?%\}|\{\{-?\s*(?P<expr>.*?)\s*-?\}\}", re.S)
_URL_FILTER = re.compile(r"""(?P<q>['"])(?P<path>[^'"{}|]*)(?P=q)\s*\|\s*(?:relative_url|absolute_url)""")
"""``'/assets/x.png' | relative_url``: a literal path of the site, with the filter that makes it an address."""
_PROTECT = "\x00raw{}{}\x00"
"""What stands in for a carried-out block while the other tags are read: its number, and as many line
breaks as the block had, so that a tag below it is reported at its line in the file."""


@dataclass
class _Site:
    """The site's settings and what reading it found."""

    root: Path
    config: dict[str, Any]
    options: ReadOptions
    files: Files
    zone: Any
    skipped: list[Skipped] = field(default_factory=list)
    addresses: dict[str, str] = field(default_factory=dict)
    """A post's file name without its extension (``2016-11-28-slug``) → its old address, for ``post_url``."""
    encoding: str = "utf-8"
    """What Jekyll read the site's files in (``encoding`` in ``_config.yml``), as Python names it."""


def read(source: Path, options: ReadOptions, progress: object = None) -> ImportResult:
    site = _site(source, options)
    links: list[Path] = []
    found = [(path, *_kind(path, source)) for path in _sources(source, links)]
    site.skipped += not_followed(links, TEXT, lambda path: path.relative_to(source).as_posix())
    read_in: list[tuple[ImportedPost, Path, str]] = []
    errors: list[Diagnostic] = []
    for number, (path, kind, shown) in enumerate(found, start=1):
        if progress is not None:
            progress.step(number, len(found), "files")  # type: ignore[attr-defined]
        post = gathering(errors, _read_one, path, kind, shown, site)
        if post is not None:
            read_in.append((post, path, shown))
    if progress is not None:
        progress.close()  # type: ignore[attr-defined]
    tracked = [t for post, path, shown in read_in if (t := gathering(errors, _converted, post, path, shown, site))]
    raise_gathered(errors)
    posts, notes = add_history(source, tracked, options)
    series = {p.series: SeriesInfo(p.series, str(p.extra.get("_series_title", p.series))) for p in posts if p.series}
    posts, series = folder_series(posts, series, options.series_from, str(site.config.get("title") or "Series"))
    origin = f"{str(site.config.get('url') or '').rstrip('/')}/{str(site.config.get('baseurl') or '').strip('/')}"
    return ImportResult("jekyll", tuple(posts), series, tuple(site.skipped + notes), origins=(origin,))


def _converted(post: ImportedPost, path: Path, shown: str, site: _Site) -> Tracked:
    """The post with its body converted (once every old address is known, for ``post_url``)."""
    body = _convert(read_text(path, shown, site.encoding), path, shown, site, site.skipped)
    site.skipped += _misread(path, shown, site)

    def convert_again(old: str) -> Body:
        return _convert(old, path, shown, site, [])

    def public_path(name: str) -> bool:
        return "_drafts" not in Path(name).parts

    def read_then(name: str, settings: bytes | None) -> bool:
        return read_by_jekyll(name, settings, site.config)

    def as_then(then: Path, text: str) -> ImportedPost | None:
        root = site.root.resolve()
        if not then.is_relative_to(root):
            return None
        kind, shown_then = _kind(site.root / then.relative_to(root), site.root)
        scratch = replace(site, skipped=[], addresses={})
        return _post(site.root / shown_then, kind, shown_then, split_front(text, shown_then).meta, scratch) \
            if kind == "post" else None
    return Tracked(replace(post, markdown=body.markdown, assets=body.assets, text_line=body.line), path,
                   convert_again, public_path, read_then, as_then, site.encoding, _encoding_then, site.files)


def _site(source: Path, options: ReadOptions) -> _Site:
    config_path = source / "_config.yml"
    config: dict[str, Any] = {}
    text = ""
    if config_path.is_file():
        text = read_text(config_path, str(config_path))
        try:
            loaded = yaml.safe_load(text)
        except yaml.MarkedYAMLError as e:
            line = e.problem_mark.line + 1 if e.problem_mark else 0
            raise SiteError(Diagnostic(str(config_path), line, f"cannot read _config.yml: {e.problem or e}")) from e
        config = loaded if isinstance(loaded, dict) else {}
    zone: Any = options.zone
    if isinstance(config.get("timezone"), str):
        try:
            zone = ZoneInfo(config["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            pass
    base = str(config.get("baseurl") or "")
    return _Site(source, config, options, Files(source, options, base, rendered="Jekyll"), zone,
                 encoding=_encoding(config, text, str(config_path)))


def _encoding(config: dict[str, Any], text: str, shown: str) -> str:
    """The ``encoding`` Jekyll reads the site's files in (``bom|utf-8`` as Ruby writes it), as Python names it."""
    named = config.get("encoding")
    if named is None:
        return "utf-8"
    try:
        found = codecs.lookup(str(named).lower().removeprefix("bom|")).name
    except LookupError as e:
        line = next((n for n, row in enumerate(text.splitlines(), 1) if row.startswith("encoding")), 0)
        raise SiteError(Diagnostic(shown, line, f"encoding: {named!r} is no encoding Python knows; write the one "
                                   "Jekyll reads the files in, such as ISO-8859-1 or UTF-8")) from e
    return "utf-8" if found == "utf-8" else found


def _misread(path: Path, shown: str, site: _Site) -> list[Skipped]:
    """A report line for a file that is UTF-8 though ``_config.yml`` names another ``encoding``, in which Jekyll
    read it, and the import too: what its pages showed, but perhaps not what the author meant."""
    sample = misread(read_regular(path), site.encoding) if site.encoding != "utf-8" else None
    if sample is None:
        return []
    named = site.config.get("encoding")
    return [Skipped(Where(shown, 1), f"UTF-8 text read in {named}", f"the file is UTF-8, but _config.yml says "
                    f"`encoding: {named}`, in which Jekyll read it: imported as Jekyll read it (“{sample[0]}” as "
                    f"“{sample[1]}”); if that is not what the site showed, save the file in {named} (or, if every "
                    "post is UTF-8, take `encoding` out of _config.yml), commit, and import again", kept=True)]


@functools.lru_cache(maxsize=32)
def _encoding_then(settings: bytes) -> str | None:
    """The ``encoding`` a ``_config.yml`` as a commit left it names (UTF-8 when it names none); None when
    that file cannot be read, or names no encoding Python knows."""
    try:
        loaded = yaml.safe_load(settings.decode("utf-8-sig"))
        return _encoding(loaded if isinstance(loaded, dict) else {}, "", "_config.yml")
    except (UnicodeDecodeError, yaml.YAMLError, SiteError):
        return None


def _sources(source: Path, links: list[Path] | None = None) -> list[Path]:
    return [p for p in walk_files(source, links) if p.suffix.lower() in TEXT]


def _kind(path: Path, root: Path) -> tuple[str, str]:
    """``post``, ``draft``, ``page`` or ``other``, and the file's name as the report shows it."""
    rel = path.relative_to(root)
    parts = rel.parts
    shown = rel.as_posix()
    if "_posts" in parts[:-1]:
        return "post", shown
    if parts[0] == "_drafts":
        return "draft", shown
    if (len(parts) == 1 or parts[0] == "_pages") and path.suffix.lower() != ".html":
        return "page", shown
    if len(parts) == 1 and path.suffix.lower() == ".html":
        return "template", shown
    return "other", shown


def _read_one(path: Path, kind: str, shown: str, site: _Site) -> ImportedPost | None:
    where = Where(shown, 1)
    collection = shown.split("/")[0][1:] if shown.startswith("_") and "/" in shown else ""
    if kind == "other" and collection in collections(site.config):
        site.skipped.append(Skipped(where, f"file {shown}", f"a document of the collection `{collection}`, which "
                                    "the site has no notion of: not imported (make it a post or a page by hand)"))
        return None
    if kind in ("template", "other"):
        if kind == "template" or not shown.startswith("_"):
            site.skipped.append(Skipped(where, f"file {shown}", "a template or a file outside _posts, _drafts and "
                                        "the site's pages: not imported"))
        return None
    if kind == "page" and path.stem == "404":
        site.skipped.append(Skipped(where, f"page {shown}", "the site makes its own 404 page: not imported"))
        return None
    text = read_text(path, shown, site.encoding)
    if kind == "page" and not text.startswith(("---", "\ufeff---")):
        if path.name.lower() not in ("readme.md", "license.md", "changelog.md", "contributing.md"):
            site.skipped.append(Skipped(where, f"file {shown}", "no front matter: Jekyll copies it as it is"))
        return None
    front = split_front(text, shown)
    if kind == "page" and (path.stem == "index" or front.meta.get("layout") in ("home", "default")):
        site.skipped.append(Skipped(where, f"page {shown}", "the home page or a list made by the theme: not imported"))
        return None
    return _post(path, kind, shown, front.meta, site)


def _post(path: Path, kind: str, shown: str, meta: dict[str, Any], site: _Site) -> ImportedPost | None:
    where = Where(shown, 1)
    named = _POST_NAME.match(path.name)
    if kind == "post" and not named:
        site.skipped.append(Skipped(where, f"file {shown}", "not named YYYY-MM-DD-slug, so Jekyll does not "
                                    "publish it: not imported"))
        return None
    stem = named.group("slug") if named else path.stem
    slug = str(meta.get("slug") or stem)
    layout = "page" if kind == "page" or meta.get("layout") == "page" and kind != "post" else "post"
    date = None
    if layout == "post" and ("date" in meta or named):
        date = to_date(meta["date"] if meta.get("date") else named.group("date"), where, site.zone)  # type: ignore[union-attr]
    draft = kind == "draft" or meta.get("published") is False
    if draft:
        site.skipped.append(Skipped(where, f"post {shown}", "a draft on Jekyll: imported as a draft (draft: true)",
                                    kept=True))
    categories = text_list(meta.get("categories") or meta.get("category"), r"[\s,]+" if isinstance(
        meta.get("categories"), str) else ",")
    parts = Path(shown).parts
    folders = parts[:parts.index("_posts")] if "_posts" in parts else ()
    tags = text_list(meta.get("tags"), r"\s+") if isinstance(meta.get("tags"), str) else text_list(meta.get("tags"))
    series_name = first_text(meta.get("series"))
    extra: dict[str, object] = {"_series_title": series_name} if series_name else {}
    extra[CATEGORIES] = categories
    if isinstance(meta.get("lang"), str):
        extra["language"] = meta["lang"]
    old = _address(meta, slug, stem, folders + categories, date, layout, path, site)
    if named and kind == "post":
        site.addresses[path.stem] = old
    site.addresses[path.relative_to(site.root).as_posix()] = old
    aliases = [] if draft else [old, *(str(a) for a in _redirects(meta.get("redirect_from")))]
    return ImportedPost(
        source_id=f"jekyll:{shown}", where=where, title=str(meta.get("title") or _titled(stem)), slug=slugify(slug),
        markdown="", date=date, layout=layout, draft=draft, summary=str(meta.get("excerpt") or "").strip(),
        tags=tuple(dict.fromkeys((*categories, *tags))), series=slugify(series_name) if series_name else None,
        part=meta["part"] if isinstance(meta.get("part"), int) and not isinstance(meta.get("part"), bool) else None,
        aliases=tuple(a if a.startswith("/") else "/" + a for a in aliases if a), extra=extra)


def _stem(path: Path) -> str:
    named = _POST_NAME.match(path.name)
    return named.group("slug") if named else path.stem


def _titled(stem: str) -> str:
    return " ".join(w.capitalize() for w in re.split(r"[-_\s]+", stem) if w)


def _redirects(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _address(meta: dict[str, Any], slug: str, stem: str, categories: tuple[str, ...], date: datetime | None,
             layout: str, path: Path, site: _Site) -> str:
    """The address Jekyll gave the file: its own ``permalink``, or the site's style filled in."""
    own = meta.get("permalink")
    if isinstance(own, str) and own.strip():
        pattern = own.strip()
    elif layout == "page":
        rel = path.relative_to(site.root).with_suffix("")
        rel = Path(*rel.parts[1:]) if rel.parts[0] == "_pages" else rel
        pretty = str(site.config.get("permalink") or "date") == "pretty" or str(
            site.config.get("permalink") or "").endswith("/")
        return "/" + rel.as_posix() + ("/" if pretty else ".html")
    else:
        style = str(site.config.get("permalink") or "date")
        pattern = STYLES.get(style, style)
    if date is None:
        date = datetime.now(site.zone)
    values = {
        "year": f"{date:%Y}", "month": f"{date:%m}", "day": f"{date:%d}", "i_month": str(date.month),
        "i_day": str(date.day), "short_year": f"{date:%y}", "y_day": f"{date:%j}", "hour": f"{date:%H}",
        "minute": f"{date:%M}", "second": f"{date:%S}", "week": f"{date:%V}", "short_day": f"{date:%a}",
        "long_month": f"{date:%B}", "short_month": f"{date:%b}", "title": slug, "slug": slugify(slug),
        "categories": "/".join(quote(c.lower()) for c in categories), "output_ext": ".html", "name": stem,
        "path": path.relative_to(site.root).with_suffix("").as_posix(),
    }
    address = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
    address = re.sub(r"/{2,}", "/", "/" + address)
    return address


def _convert(text: str, path: Path, shown: str, site: _Site, skipped: list[Skipped]) -> Body:
    """A post file's body as the site will carry it."""
    front = split_front(text, shown)
    page = {"page.title": str(front.meta.get("title") or _titled(_stem(path))),
            "page.excerpt": str(front.meta.get("excerpt") or "")}
    body = _liquid(front.body, Where(shown, front.body_line), site, skipped, page)
    assets: dict[str, Asset] = {}
    refused: dict[str, str] = {}
    rel = path.relative_to(site.root)  # a relative link is read from the post's old address; a draft had none
    own = "" if "_drafts" in rel.parts else site.addresses.get(rel.as_posix(), "")
    link = site.files.linker(assets, refused=refused, page=own)
    if path.suffix.lower() == ".html":
        done = convert(body, Where(shown, front.body_line), link)
        for what in dict.fromkeys(done.kept):
            skipped.append(Skipped(Where(shown, front.body_line), what, "kept as raw HTML: Markdown cannot say it",
                                   kept=True))
        markdown, line = done.markdown, 0
    else:
        markdown, repeated = without_title_heading(rewrite_links(body, link), page["page.title"])
        if repeated:
            skipped.append(Skipped(Where(shown, front.body_line), "heading repeating the title", "left out: the "
                                   "page shows the title as its heading", kept=True))
        if _kramdown(site.config):
            markdown = escape_math(attribute_lists(markdown, Where(shown, front.body_line), skipped))
        if _reads_html_whole(site.config):
            markdown = held_whole(markdown, Where(shown, front.body_line), "kramdown", skipped)
        line = text_line(markdown, front.body, front.body_line)
    skipped += refused_links(refused, front.body, Where(shown, front.body_line))
    public = front.meta.get("published") is not False and front.meta.get("draft") is not True
    return Body(markdown.strip("\n") + "\n", tuple(assets.values()), public, page["page.title"].strip(), line)


def _liquid(body: str, where: Where, site: _Site, skipped: list[Skipped], page: dict[str, str]) -> str:
    """Liquid carried out where it means the same without Jekyll; any other tag kept visible and reported."""
    protected: list[tuple[str, str]] = []

    def keep(text: str, found: re.Match[str]) -> str:
        stand_in = _PROTECT.format(len(protected), "\n" * found.group(0).count("\n"))
        protected.append((stand_in, text))
        return stand_in

    body = _RAW.sub(lambda m: keep(m.group("text"), m), body)
    body = _HIGHLIGHT.sub(lambda m: keep(_alone(m, _fence(m.group("lang"), m.group("code"))), m), body)
    body = re.sub(r"(?ms)^(```|~~~).*?^\1[ \t]*$", lambda m: keep(m.group(0), m), body)

    def tag(found: re.Match[str]) -> str:
        line = where.line + body.count("\n", 0, found.start())
        done = _tag(found, site, page)
        if done is None:
            expr = " ".join(found.group("expr").split()) if found.group("expr") is not None else ""
            what = f"Liquid {{% {found.group('name')} %}}" if found.group("name") else "Liquid {{ " + \
                (expr if len(expr) <= 60 else expr[:59] + "…") + " }}"  # as written, filters and all
            skipped.append(Skipped(Where(where.path, line), what, "Jekyll renders it, Feuilleton cannot: kept as "
                                   "visible text for you to replace", kept=True))
            return found.group(0)
        return done
    body = _TAG.sub(tag, body)
    for stand_in, text in reversed(protected):  # a later block may hold an earlier one's stand-in
        body = body.replace(stand_in, text)
    return body


def _kramdown(config: dict[str, Any]) -> bool:
    """Whether the site's Markdown is kramdown, Jekyll's own (a CommonMark reader is ``markdown: GFM``)."""
    return str(config.get("markdown") or "kramdown").lower() == "kramdown"


def _reads_html_whole(config: dict[str, Any]) -> bool:
    """Whether the site's Markdown took an element of raw HTML whole, blank lines and all: kramdown does,
    unless told ``parse_block_html: true``; a CommonMark reader (``markdown: GFM``) does not."""
    options = config.get("kramdown") if isinstance(config.get("kramdown"), dict) else {}
    return _kramdown(config) and options.get("parse_block_html") is not True


def _alone(found: re.Match[str], block: str) -> str:
    """A block set apart by blank lines: inside ``<div>…</div>`` (where Liquid made the code HTML, and kramdown
    kept it so) a fence would be raw HTML to Markdown, ``</a>`` in the code and all, and a blank line in the
    code would end the element; blank lines around it close the HTML before it and open it again after."""
    before, after = found.string[:found.start()], found.string[found.end():]
    head = "" if not before.strip() or before.endswith("\n\n") else "\n" if before.endswith("\n") else "\n\n"
    tail = "" if not after.strip() or after.startswith("\n\n") else "\n" if after.startswith("\n") else "\n\n"
    return head + block + tail


def _fence(lang: str, code: str) -> str:
    ticks = "~~~~" if "```" in code else "```"
    return f"{ticks}{lang}\n{code.rstrip()}\n{ticks}"


def _tag(found: re.Match[str], site: _Site, page: dict[str, str]) -> str | None:
    """What one Liquid tag or output says, or None when only Jekyll could say it."""
    if found.group("expr") is not None:
        expr = found.group("expr").strip()
        if page.get(expr):
            return page[expr]
        if expr == "site.baseurl":
            return site.files.base_path.rstrip("/")  # as Jekyll wrote it; links are then read from the old root
        if expr == "site.url":
            return ""
        literal = _URL_FILTER.fullmatch(expr)
        if literal is not None:  # a path of the site's, made an address as Jekyll's docs link assets
            return site.files.base_path.rstrip("/") + "/" + literal.group("path").lstrip("/")
        return None
    name, args = found.group("name"), found.group("args").strip()
    if name == "post_url":
        address = site.addresses.get(args.split()[0].split("/")[-1]) if args else None
        return site.files.base_path.rstrip("/") + address if address else None
    if name == "link":
        address = site.addresses.get(args.strip().strip("'\"").lstrip("/")) if args else None
        return site.files.base_path.rstrip("/") + address if address else None
    return None
