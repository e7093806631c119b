"""WordPress: a WXR export (Tools → Export, WXR 1.1 or 1.2) → an ``ImportResult``.

The XML is read safely in ``wxr.py``.  Posts and pages come with their categories, tags, excerpts, drafts and
old addresses; revision items become the post's history (as silent corrections: WordPress keeps no
notes); attachments are copied when the export sits beside its ``uploads`` folder.  Content is either
Gutenberg's (block comments around HTML: the comments go, the HTML stays) or the classic editor's
(paragraphs made from blank lines, as WordPress's ``wpautop`` does); ``[caption]`` becomes a figure and
every other shortcode stays visible and is reported.  Comments, menus, authors and anything WordPress
renders only at view time are reported, not silently lost.
"""
from __future__ import annotations

import html as html_module
import json
import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from ..errors import Diagnostic, SiteError
from ..model.aliases import alias_path
from ..model.dates import check_offset
from ..model.slugs import slugify
from ..site import urls as U
from ..speed.parallel import parallel_map
from ..text.markdown import prose_text
from .html import convert, kept, to_markdown
from .model import Asset, ImportedPost, ImportResult, ReadOptions, Revision, SeriesInfo, Skipped, Where, old_id
from .series import by_terms, by_title
from .wpcontent import autop, blocks, captions, code_shortcodes, embeds, shortcodes
from .wxr import child_text, children, content, parse

log = logging.getLogger(__name__)

DRAFTS = {"draft": "a draft", "pending": "pending review", "future": "scheduled", "private": "private"}
"""WordPress statuses imported as ``draft: true``, and how the report names them."""
_NO_DATE = "0000-00-00 00:00:00"


@dataclass
class _Export:
    """What the channel says, gathered before the items are converted."""

    path: Path
    base: str
    """The blog's address (``https://blog.example/``), which old permalinks start with."""
    title: str
    """The blog's name."""
    attachments: dict[str, str] = field(default_factory=dict)
    """Attachment id → its file's URL."""
    uploads: Path | None = None
    """The ``uploads`` folder beside the export, when there is one."""
    revisions: dict[str, list[etree._Element]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    reusable: dict[str, str] = field(default_factory=dict)
    """Reusable block id (an item of ``post_type`` wp_block) → its content, which a post that uses it shows."""
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict)
    """(``category`` or ``post_tag``, a term's slug) → the term's description, as HTML."""
    numbered: dict[str, list[str]] = field(default_factory=dict)
    """A post's number → the ids an earlier import wrote with that number (``_numbered``)."""
    hosts: frozenset[str] = frozenset()
    """The blog's hosts, without ``www.``: its address's, and those of its items' ids, which keep the address
    it had when each was written (a blog that moved links its old uploads under its old name)."""


def read(source: Path, options: ReadOptions, progress: object = None) -> ImportResult:
    removed: list[Skipped] = []
    root = parse(source, removed)
    channel = root.find("channel")
    if channel is None or root.tag != "rss":
        raise SiteError(Diagnostic(str(source), getattr(root, "sourceline", 0) or 0,
                                   "not a WordPress export: no <rss><channel> (export it from Tools → Export)"))
    if not child_text(channel, "wxr_version") and not any(child_text(item, "post_type")
                                                           for item in channel.findall("item")):
        raise SiteError(Diagnostic(str(source), getattr(channel, "sourceline", 0) or 0,
                                   "an RSS feed, not a WordPress export (it names no wp:wxr_version and no post "
                                   "types): import it with --from feed, or export the blog from Tools → Export"))
    export = _Export(source, child_text(channel, "base_blog_url") or child_text(channel, "link") or "",
                     child_text(channel, "title"), uploads=_uploads(source), skipped=removed,
                     descriptions=_descriptions(channel), numbered=_numbered(options.imported_paths))
    items = channel.findall("item")
    export.hosts = frozenset(_host(url) for url in [export.base, child_text(channel, "base_site_url"),
                                                    *(item.findtext("guid") or "" for item in items)] if _host(url))
    for item in items:
        kind = child_text(item, "post_type")
        if kind == "attachment":
            export.attachments[child_text(item, "post_id")] = child_text(item, "attachment_url")
        elif kind == "revision":
            export.revisions.setdefault(child_text(item, "post_parent"), []).append(item)
        elif kind == "wp_block":
            element = content(item, "purl.org/rss/1.0/modules/content")
            export.reusable[child_text(item, "post_id")] = element.text or "" if element is not None else ""
    _authors(channel, export)
    parent = os.getpid()

    def convert_item(number: int) -> tuple[ImportedPost | None, list[Skipped]]:
        if progress is not None and os.getpid() == parent:  # the parent's share stands for the whole
            progress.step(number + 1, len(items), "items")  # type: ignore[attr-defined]
        own = replace(export, skipped=[])
        return _item(items[number], own, options), own.skipped

    posts: list[ImportedPost] = []
    by_id: dict[str, etree._Element] = {}
    for item, (post, skipped) in zip(items, parallel_map(convert_item, range(len(items)))):
        export.skipped.extend(skipped)
        if post is not None:
            posts.append(post)
            by_id[post.source_id] = item
    if progress is not None:
        progress.close()  # type: ignore[attr-defined]
    posts, series = _series(posts, by_id, options, export)
    return ImportResult("wordpress", tuple(posts), series, tuple(export.skipped), origins=(export.base,))


def _uploads(source: Path) -> Path | None:
    for candidate in (source.parent / "uploads", source.parent / "wp-content" / "uploads"):
        if candidate.is_dir():
            return candidate
    return None


def _authors(channel: etree._Element, export: _Export) -> None:
    for author in children(channel, "author"):
        name = child_text(author, "author_display_name") or child_text(author, "author_login")
        export.skipped.append(Skipped(Where(str(export.path), author.sourceline or 0), f"author {name}",
                                      "authors are not imported: the site's author is [author] in config.toml"))


def _item(item: etree._Element, export: _Export, options: ReadOptions) -> ImportedPost | None:
    where = Where(str(export.path), item.sourceline or 0)
    kind, status = child_text(item, "post_type"), child_text(item, "status")
    title = _title(item)
    if kind in ("attachment", "revision"):
        return None
    if kind == "wp_block":
        export.skipped.append(Skipped(where, f"reusable block {title!r}", "not a post: its content is put into "
                                      "each post that uses it", kept=True))
        return None
    if kind == "nav_menu_item":
        export.skipped.append(Skipped(where, "nav menu item", "menus are not imported; pages can join the site's "
                                      "navigation with [[menu]] in config.toml"))
        return None
    if kind not in ("post", "page"):
        export.skipped.append(Skipped(where, f"{kind or 'item'} {title!r}".strip(), f"post type {kind!r} is not "
                                      "a post or a page"))
        return None
    if status in ("trash", "auto-draft", "inherit"):
        export.skipped.append(Skipped(where, f"{kind} {title!r}", f"status {status!r}: not content"))
        return None
    post_id = child_text(item, "post_id")
    comments = children(item, "comment")
    if comments:
        export.skipped.append(Skipped(where, f"{len(comments)} comment(s) on {title!r}",
                                      "comments are not imported (a static site has none)"))
    hidden = DRAFTS.get(status) or ("password-protected" if child_text(item, "post_password") else "")
    draft = bool(hidden)
    if draft:
        export.skipped.append(Skipped(where, f"{kind} {title!r}", f"{hidden} on WordPress: imported as a draft "
                                      "(draft: true)", kept=True))
    assets: dict[str, Asset] = {}
    body = _markdown(item, where, export, options, assets)
    date = _date(item, where, options, required=not draft and kind == "post")
    excerpt = content(item, "excerpt")
    slug, aliases = _slug(item), _aliases(item, where, export)
    return ImportedPost(
        source_id=_identity(post_id, aliases, slug, export, options), where=where,
        title=title or _untitled(where, export), slug=slug,
        markdown=body, date=None if kind == "page" else date, layout="page" if kind == "page" else "post",
        draft=draft, summary=_excerpt(excerpt.text or "") if excerpt is not None else "",
        tags=_tags(item), aliases=aliases, assets=tuple(assets.values()),
        entry_id=old_id(child_text(item, "guid")) if kind == "post" else "",  # what its feed items said
        history=_history(item, body, date, export, options, assets)
        if not draft and kind == "post" and options.history is not False else ())


def _identity(post_id: str, aliases: tuple[str, ...], slug: str, export: _Export, options: ReadOptions) -> str:
    """The post's ``imported_from``: the blog's address with the post's number in it
    (``wordpress:blog.example/?p=12``), since every blog numbers its posts from 1.  A post the site has under
    the same number with no blog (``wordpress:12``, as earlier versions wrote it) or another blog's address
    (the blog moved) is this one, and keeps its id so that a second run changes nothing, only when it answers
    at one of this post's old addresses, or, for a post that had none (a draft), at its slug; another blog's
    post 12 is imported beside it."""
    blog = _blog(export.base)
    own = f"wordpress:{blog}/?p={post_id}" if blog else f"wordpress:{post_id}"
    if own in options.imported:
        return own
    mine = set()
    for alias in aliases:
        try:
            mine.add(alias_path(alias, export.base).casefold())
        except ValueError:
            continue
    for earlier in export.numbered.get(post_id, ()):
        paths = options.imported_paths[earlier]
        if mine & paths if mine else any(path.rstrip("/").rsplit("/", 1)[-1] == slug.casefold() for path in paths):
            return earlier
    return own


def _numbered(imported: Iterable[str]) -> dict[str, list[str]]:
    """The WordPress ids an earlier import wrote (``wordpress:12``, ``wordpress:blog.example/?p=12``) by the
    post's number."""
    found: dict[str, list[str]] = {}
    for key in imported:
        number = key.rpartition("/?p=")[2] if "/?p=" in key else key.removeprefix("wordpress:")
        if key.startswith("wordpress:") and number.isdigit():
            found.setdefault(number, []).append(key)
    return found


def _blog(base: str) -> str:
    """The blog an export is of, as its posts' ids name it: its address without the scheme, ``www.`` or a
    closing slash (``blog.example/essays``), so that a blog moved to https is the same blog."""
    parts = urlsplit(base.strip())
    host = parts.netloc.lower().rpartition("@")[2].removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" if host else ""


def _untitled(where: Where, export: _Export) -> str:
    export.skipped.append(Skipped(where, "empty title", "titled \"Untitled\" (every post needs a title)", kept=True))
    return "Untitled"


def _slug(item: etree._Element) -> str:
    name = unquote(child_text(item, "post_name"))
    return slugify(name or child_text(item, "title") or child_text(item, "post_id"))


def _date(item: etree._Element, where: Where, options: ReadOptions, required: bool) -> datetime | None:
    gmt, local = child_text(item, "post_date_gmt"), child_text(item, "post_date")
    try:
        if gmt and gmt != _NO_DATE:
            moment = datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
            return _as_written(moment, local)
        if local and local != _NO_DATE:
            return datetime.strptime(local, "%Y-%m-%d %H:%M:%S").replace(tzinfo=options.zone)
    except ValueError as e:
        raise SiteError(Diagnostic(where.path, where.line, f"post_date {gmt or local!r} is not a date "
                                   "(YYYY-MM-DD HH:MM:SS)")) from e
    if required:
        raise SiteError(Diagnostic(where.path, where.line, "a published post without a date (post_date)"))
    return None


def _as_written(moment: datetime, local: str) -> datetime:
    """``moment`` at the offset the blog showed it at (``post_date`` beside ``post_date_gmt``), so that the
    post's ``date`` reads as the author saw it; in UTC if the two do not make an offset a clock can have."""
    try:
        offset = datetime.strptime(local, "%Y-%m-%d %H:%M:%S") - moment.replace(tzinfo=None)
        written = moment.astimezone(timezone(offset))
        check_offset(written)  # at most ±14:00
    except ValueError:
        return moment
    return moment if offset.total_seconds() % 900 else written  # whole quarter hours, as zones' offsets are


def _excerpt(text: str) -> str:
    """The excerpt as WordPress shows it, as plain text: its character references (``l&#8217;on``, ``&amp;``)
    read, and any markup read as text."""
    return (prose_text(text) if re.search(r"<[A-Za-z/!]", text) else html_module.unescape(text)).strip()


def _term(element: etree._Element) -> str:
    """A category's or tag's name as WordPress shows it: stored with its ``&`` and ``'`` as references
    (``Law &amp; Order``, ``l&#039;homme``), which it reads when it shows the name."""
    return html_module.unescape((element.text or "").strip()).strip()


def _tags(item: etree._Element) -> tuple[str, ...]:
    names = [_term(c) for c in children(item, "category")
             if c.get("domain") in ("category", "post_tag") and c.get("nicename") != "uncategorized"]
    return tuple(dict.fromkeys(n for n in names if n))


def _aliases(item: etree._Element, where: Where, export: _Export) -> tuple[str, ...]:
    """The permalink's path (from the blog's root); a ``?p=ID`` address is reported as out of reach."""
    link = child_text(item, "link")
    found = []
    for address in dict.fromkeys(a for a in (link, child_text(item, "guid")) if a):
        if not U.well_formed(address):
            export.skipped.append(Skipped(where, f"address {address}", "not a well-formed address", kept=False))
            continue
        parts = urlsplit(address)
        if parts.query:
            export.skipped.append(Skipped(where, f"address {parts.path or '/'}?{parts.query}", "a query address "
                                          "cannot be redirected by a static host", kept=False))
            continue
        if address != link:
            continue
        base_path = urlsplit(export.base).path.rstrip("/")
        path = re.sub(r"/{2,}", "/", unquote(parts.path))
        if base_path and path.startswith(base_path + "/"):
            path = path[len(base_path):]
        if path not in ("", "/"):
            found.append(path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/")
    if found and found[0].endswith("/"):  # a post in pages (``<!--nextpage-->``): WordPress served its page 2 at
        found += [f"{found[0]}{page}/" for page in range(2, _pages(item) + 1)]  # ``…/slug/2/``; here it is one page
    return tuple(found + _old_slugs(item, found[0]) if found else found)


def _old_slugs(item: etree._Element, path: str) -> list[str]:
    """The permalink at each slug the post had before it was renamed (``_wp_old_slug``, which WordPress keeps
    to redirect those addresses): ``path`` with the old slug where the current one is; none when the blog's
    permalinks hold no slug (``/archives/123``)."""
    current = unquote(child_text(item, "post_name"))
    segments = path.split("/")
    if not current or current not in segments:
        return []
    at = len(segments) - 1 - segments[::-1].index(current)
    olds = [unquote(child_text(meta, "meta_value")) for meta in children(item, "postmeta")
            if child_text(meta, "meta_key") == "_wp_old_slug"]
    return ["/".join([*segments[:at], old, *segments[at + 1:]]) for old in dict.fromkeys(olds)
            if old and old != current and "/" not in old]


_NEXT_PAGE = re.compile(r"<!--\s*nextpage\s*-->")


def _pages(item: etree._Element) -> int:
    """How many pages WordPress split a post into."""
    element = content(item, "purl.org/rss/1.0/modules/content")
    return 1 + len(_NEXT_PAGE.findall(element.text or "")) if element is not None else 1


def _markdown(item: etree._Element, where: Where, export: _Export, options: ReadOptions,
              assets: dict[str, Asset]) -> str:
    element = content(item, "purl.org/rss/1.0/modules/content")
    html = element.text or "" if element is not None else ""
    line = element.sourceline if element is not None and element.sourceline else where.line
    return _convert(html, Where(where.path, line), item, export, options, assets)


def _convert(html: str, where: Where, item: etree._Element, export: _Export, options: ReadOptions,
             assets: dict[str, Asset]) -> str:
    """One body (the post's or a revision's) of WordPress HTML as Markdown."""
    html = code_shortcodes(html)
    html = blocks(html, where, export.skipped, export.reusable) if "<!-- wp:" in html else autop(html)
    html = captions(html)
    html = embeds(html, where, export.skipped)
    shortcodes(html, where, export.skipped)
    html += _block_footnotes(item)
    converted = convert(html, where, _linker(export, options, assets, where))
    for what in Counter(converted.kept):
        export.skipped.append(kept(where, what))
    return converted.markdown




def _block_footnotes(item: etree._Element) -> str:
    """The notes of Gutenberg's footnotes block, kept in the post's metadata, as a list the converter reads."""
    for meta in children(item, "postmeta"):
        if child_text(meta, "meta_key") == "footnotes":
            try:
                notes = json.loads(child_text(meta, "meta_value") or "[]")
            except ValueError:
                return ""
            items = "".join(f'<li id="{n.get("id", "")}">{n.get("content", "")}</li>' for n in notes
                            if isinstance(n, dict))
            return f"<ol>{items}</ol>" if items else ""
    return ""


def _host(url: str) -> str:
    host = urlsplit(url.strip()).hostname or ""
    return host.removeprefix("www.")


def _linker(export: _Export, options: ReadOptions, assets: dict[str, Asset],
            where: Where) -> Callable[[str], str | None]:
    """Maps an address in a post to the site's copy of the file, when the export's uploads folder has it; an
    upload it lacks, which stays on the old site, is named in the report (once a post)."""
    def link(url: str) -> str | None:
        absolute = urljoin(export.base.rstrip("/") + "/", url)
        path = unquote(urlsplit(absolute).path)
        marker = "/wp-content/uploads/"
        if marker not in path or _host(absolute) not in export.hosts:
            return absolute if url.startswith("/") and export.base else None
        relative = path.split(marker, 1)[1]
        local = export.uploads / relative if export.uploads is not None else None
        if local is None or ".." in Path(relative).parts or not local.is_file():
            what = f"file {absolute}"
            if not any(skipped.what == what and skipped.where == where for skipped in export.skipped):
                export.skipped.append(Skipped(where, what, "left on the old site, where the post links to it: put the "
                                              "site's uploads folder beside the export and import again" if local is
                                              None else "not in the uploads folder beside the export: it stays "
                                              "linked on the old site"))
            return absolute if url.startswith("/") else None
        target = "wp-content/uploads/" + relative
        assets[target] = Asset(local, target)
        return options.static_url(target)
    return link


def _history(item: etree._Element, body: str, date: datetime | None, export: _Export, options: ReadOptions,
             assets: dict[str, Asset]) -> tuple[Revision, ...]:
    """The post's revision items as versions: version 1 is the text at publication, each later saved
    revision a silent correction, the last the text as exported."""
    saved = [r for r in export.revisions.get(child_text(item, "post_id"), [])
             if "autosave" not in child_text(r, "post_name")]
    if not saved or date is None:
        return ()
    dated = sorted(((_date(r, Where(str(export.path), r.sourceline or 0), options, True), r) for r in saved),
                   key=lambda pair: pair[0] or date)
    before = [(d, r) for d, r in dated if d is not None and d <= date]
    after = [(d, r) for d, r in dated if d is not None and d > date]
    first = before[-1][1] if before else dated[0][1]
    texts = [Revision(_revision_text(first, export, options, assets, item), date, "",
                      origin=f"wordpress revision {child_text(first, 'post_id')}", title=_title(first))]
    for moment, revision in after:
        text = _revision_text(revision, export, options, assets, item)
        if text != texts[-1].markdown:
            texts.append(Revision(text, moment or date, "Corrected on WordPress", minor=True,
                                  origin=f"wordpress revision {child_text(revision, 'post_id')}",
                                  title=_title(revision)))
    if body != texts[-1].markdown:
        modified = child_text(item, "post_modified_gmt")
        moment = texts[-1].date
        if modified and modified != _NO_DATE:
            moment = max(moment, datetime.strptime(modified, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc))
        texts.append(Revision(body, moment, "Corrected on WordPress", minor=True,
                              origin=f"wordpress post {child_text(item, 'post_id')}"))
    return tuple(texts)  # saved once and never changed: version 1 alone, the text readers read


def _title(item: etree._Element) -> str:
    """An item's title as WordPress shows it: its markup (``Title <em>With</em> Markup``, ``&amp;``) read as
    text, since a title here is plain text.  A revision keeps the title the post had when it was saved."""
    return prose_text(child_text(item, "title"))


def _revision_text(revision: etree._Element, export: _Export, options: ReadOptions, assets: dict[str, Asset],
                   parent: etree._Element) -> str:
    # what a revision's text holds is reported once, for the post
    quiet = _Export(export.path, export.base, export.title, export.attachments, export.uploads,
                    reusable=export.reusable)
    where = Where(str(export.path), revision.sourceline or 0)
    element = content(revision, "purl.org/rss/1.0/modules/content")
    return _convert(element.text or "" if element is not None else "", where, parent, quiet, options, assets)


def _series(posts: list[ImportedPost], by_id: dict[str, etree._Element], options: ReadOptions,
            export: _Export) -> tuple[list[ImportedPost], dict[str, SeriesInfo]]:
    """Posts grouped into series as ``--series-from`` says: by category, by tag, or by title (``by_id``: each
    post's item)."""

    def terms(domain: str) -> dict[str, list[str]]:
        return {p.source_id: [_term(t) for t in children(by_id[p.source_id], "category")
                              if t.get("domain") == domain and t.get("nicename") != "uncategorized"
                              and _term(t)] for p in posts}
    if options.series_from == "title":
        firsts = {key: found[0] for key, found in terms("category").items() if found}
        return by_title(posts, firsts, export.title or "Series")
    if options.series_from in ("category", "tag"):
        domain = "category" if options.series_from == "category" else "post_tag"
        posts, series = by_terms(posts, terms(domain))
        return _as_terms(posts, series, by_id, domain, options, export)
    return posts, {}


def _as_terms(posts: list[ImportedPost], series: dict[str, SeriesInfo], by_id: dict[str, etree._Element],
              domain: str, options: ReadOptions, export: _Export) -> tuple[list[ImportedPost], dict[str, SeriesInfo]]:
    """Each series made from a term named as WordPress named the term: its folder by the term's own slug
    (``frontieres`` for "Frontières"), its description the term's.  A series an earlier import made keeps its
    folder, so that new parts join their series."""
    slugs: dict[str, str] = {}
    for post in posts:
        for term in children(by_id[post.source_id], "category"):
            if post.series and term.get("domain") == domain and slugify(_term(term)) == post.series:
                slugs.setdefault(post.series, slugify(unquote(term.get("nicename") or "")) or post.series)
    earlier = {path.split("/", 1)[0] for post in posts for path in options.imported_paths.get(post.source_id, ())}
    renamed = {old: new for old, new in slugs.items()
               if old.casefold() not in earlier and (new == old or new not in series)}
    named = {}
    for old, info in series.items():
        slug = renamed.get(old, old)
        html = export.descriptions.get((domain, slugs.get(old, old)), "")
        named[slug] = replace(info, slug=slug, description=to_markdown(html).markdown.strip() if html.strip() else "")
    return [replace(p, series=renamed.get(p.series, p.series)) if p.series else p for p in posts], named


def _descriptions(channel: etree._Element) -> dict[tuple[str, str], str]:
    """Each category's and tag's description, by its slug."""
    found = {}
    for domain, name, slug, description in (("category", "category", "category_nicename", "category_description"),
                                            ("post_tag", "tag", "tag_slug", "tag_description")):
        for term in children(channel, name):
            if child_text(term, description):
                found[(domain, slugify(unquote(child_text(term, slug))))] = child_text(term, description)
    return found
