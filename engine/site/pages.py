"""The site → the list of pages to render.

``plan`` is the one place that knows which pages exist: home pages, posts,
old versions, what-changed pages, standalone pages, series, archive, tags,
updates, 404, sitemap and robots.txt.  It renders Markdown through the
caller's cache and hands every template small views (``views.py``).
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from functools import partial
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup

from ..errors import Diagnostic, SiteError
from ..locale import alphabetical
from ..model.dates import for_machines
from ..model.slugs import DEVICES_SHOWN
from ..model.types import Alias, Post, Site, Version
from ..output.render import Page
from ..speed.parallel import check_cancelled
from ..text.fragment import Fragment
from . import urls as U
from .maker import Cached, Meta, PageMaker, feed_links, json_ld
from .moves import renamed_series
from .views import Link, Note, PostView, grouped

log = logging.getLogger(__name__)


def _article_ld(maker: PageMaker, post: PostView) -> Markup:
    config = maker.config
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Article", "headline": post.title,
        "url": post.abs_url, "mainEntityOfPage": post.abs_url,
        "datePublished": for_machines(post.date).isoformat(), "dateModified": for_machines(post.updated).isoformat(),
        "author": {"@type": "Person", "name": config.author.name}, "inLanguage": post.language or config.language,
        "description": post.summary,
    }
    if post.tags:
        data["keywords"] = [t.title for t in post.tags]
    if post.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": post.series.title, "url": post.series.abs_url}
        data["position"] = post.part
    return json_ld(data)


def post_pages(maker: PageMaker) -> list[Page]:
    pages = []
    for key, view in maker.posts.items():
        check_cancelled()
        post = maker.site.posts[key]
        page = post_page(maker, post, view)
        pages.append(page)
        pages += version_pages(maker, post, view, page.context["page"])
    return pages


def post_page(maker: PageMaker, post: Post, view: PostView) -> Page:
    """The page of one post (``serve`` also calls this alone, to show an edit at once)."""
    site, urls = maker.site, maker.urls
    path = U.post_path(post)
    feeds = maker.site_view.feeds
    see_also: tuple[str, ...] = ()
    if view.series:
        feeds = feed_links(urls, U.series_path(post.series or ""), view.series.title) + feeds
        see_also = tuple(urls.absolute(U.post_path(site.posts[k]))
                         for k in site.series[post.series].parts if k != post.key)
    meta = maker.meta(view.title, path, view.summary, "article", feeds=feeds,
                        json_ld=_article_ld(maker, view), see_also=see_also, search=view.status == "published")
    return Page(path, "post.html", maker.context(meta, post=view), post.shown)


def standalone_pages(maker: PageMaker) -> list[Page]:
    """The page of each standalone page (``layout: page``): its title and text, in no listing."""
    pages = []
    for key in maker.site.pages:
        post = maker.site.posts[key]
        view = maker.post_view(post)
        path = U.post_path(post)
        pages.append(Page(path, "page.html", maker.context(maker.meta(view.title, path, view.summary), post=view),
                          post.shown))
    return pages


def version_pages(maker: PageMaker, post: Post, current: PostView, meta: Meta) -> list[Page]:
    urls, pages = maker.urls, []
    out = post.status == "published"  # a preview's page of a version no reader has is marked as no one's
    for index, version in enumerate(post.versions):
        note = current.history[index]
        path = U.version_path(post, version.number)
        said = version.language  # the page as it was published: in the language the version recorded
        text, day = maker.words(said), maker.day(version.date, said)
        vmeta = replace(meta, title=text.gettext("%(title)s (version of %(date)s)") % {
                            "title": maker.smart(version.title or post.title, said), "date": day},
                        url=urls.link(path), noindex=True, json_ld=Markup(""), search=False)
        newest = index == len(post.versions) - 1 and (version.title or post.title, version.body) == (
            post.title, post.body)  # the post page shows this very text
        pages.append(Page(path, "version.html", maker.context(vmeta, version=note, current=current,
                                                                note_language=post.language,
                                                                is_current_text=newest, owner=post.entry_id,
                                                                recorded=version.shown_digest if out else ""),
                          maker.source_name(version.path), partial(_old_post, maker, post, current, version, vmeta)))
        if index == 0:
            continue
        before = post.versions[index - 1]
        cpath = U.changes_path(post, version.number)
        text, day = maker.words(post.language), maker.day(version.date, post.language)
        cmeta = replace(meta, title=text.gettext("What changed in %(title)s on %(date)s") % {
                            "title": maker.smart(post.title, post.language), "date": day},
                        url=urls.link(cpath), noindex=True, json_ld=Markup(""), search=False)
        pages.append(Page(cpath, "changes.html",
                          maker.context(cmeta, post=current, version=note, previous=current.history[index - 1],
                                          cumulative=False,
                                          title_changed=before.title != version.title,
                                          old_title=maker.smart(before.title, before.language, post.language),
                                          front_changed=_front(before.head) != _front(version.head)),
                          maker.source_name(version.path), partial(_changes, maker, post, before, version)))
    if current.compare_url:
        pages.append(all_changes_page(maker, post, current, meta))
    return pages


def all_changes_page(maker: PageMaker, post: Post, current: PostView, meta: Meta) -> Page:
    """Everything that changed from the first version to the newest, on one page: what a reader who read the
    essay when it came out wants to see."""
    first, last = post.versions[0], post.versions[-1]
    path = U.all_changes_path(post)
    text = maker.words(post.language)
    cmeta = replace(meta, title=text.gettext("What changed in %(title)s since its first version") % {
                        "title": maker.smart(post.title, post.language)},
                    url=maker.urls.link(path), noindex=True, json_ld=Markup(""), search=False)
    return Page(path, "changes.html",
                maker.context(cmeta, post=current, version=current.history[-1], previous=current.history[0],
                              cumulative=True, title_changed=first.title != last.title,
                              old_title=maker.smart(first.title, first.language, post.language),
                              front_changed=_front(first.head) != _front(last.head)),
                maker.source_name(last.path), partial(_changes, maker, post, first, last))


def _old_post(maker: PageMaker, post: Post, current: PostView, version: Version, meta: Meta) -> dict[str, Any]:
    """An old version's view, and its page's description from its own text, not the current one."""
    view = maker.version_view(post, current, version)
    return {"post": view, "page": replace(meta, description=view.summary or meta.description)}


def _changes(maker: PageMaker, post: Post, before: Version, version: Version) -> dict[str, Any]:
    diff, changes = maker.compare(post, before, version)
    return {"diff": diff, "changes": changes}


def listing_pages(maker: PageMaker) -> list[Page]:
    config, urls = maker.config, maker.urls
    views = list(maker.posts.values())
    pages = []
    per = config.posts_per_page
    chunks = [views[i:i + per] for i in range(0, len(views), per)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        path = U.home_page_path(number)
        pagination = {"number": number, "count": len(chunks),
                      "prev": urls.link(U.home_page_path(number - 1)) if number > 1 else None,
                      "next": urls.link(U.home_page_path(number + 1)) if number < len(chunks) else None}
        title = config.title if number == 1 else maker.text.gettext("%(site)s — page %(number)s") % {
            "site": config.title, "number": number}
        meta = maker.meta(title, path, section=urls.link(U.HOME) if number > 1 else "")
        pages.append(Page(path, "index.html", maker.context(meta, posts=chunk, groups=grouped(chunk),
                                                              pagination=pagination), "the home page"))
    years: dict[int, list[PostView]] = {}
    for view in views:
        years.setdefault(view.date.astimezone(config.timezone).year, []).append(view)
    pages.append(Page(U.ARCHIVE, "archive.html",
                      maker.context(maker.meta(maker.text.gettext("Archive"), U.ARCHIVE), years=sorted(years.items(), reverse=True)),
                      "the archive"))
    tags: dict[str, list[PostView]] = {}
    for view in views:
        for tag in view.tags:
            tags.setdefault(tag.title, []).append(view)
    tag_links = [(Link(name, urls.link(U.tag_path(maker.tag_slugs[name]))), len(items))
                 for name, items in sorted(tags.items(), key=lambda kv: alphabetical(kv[0], maker.config.language))]
    pages.append(Page(U.TAGS, "tags.html", maker.context(maker.meta(maker.text.gettext("Tags"), U.TAGS), tags=tag_links),
                      "the tags index"))
    for name, items in tags.items():
        path = U.tag_path(maker.tag_slugs[name])
        pages.append(Page(path, "tag.html", maker.context(maker.meta(maker.text.gettext("Posts tagged “%(tag)s”") % {"tag": name}, path,
                                                                         section=urls.link(U.TAGS)),
                                                            tag=name, posts=items), f"the page of tag {name!r}"))
    return pages


def series_pages(maker: PageMaker) -> list[Page]:
    urls, pages = maker.urls, []
    views = list(maker.series_views.values())
    for view in views:
        path = U.series_path(view.slug)
        parts = [e for e in view.entries if e.url]
        series_posts = [maker.posts[k] for k in maker.site.series[view.slug].parts]
        languages = {post.language or maker.config.language for post in series_posts}
        data = {"@context": "https://schema.org", "@type": "CreativeWorkSeries", "name": view.title,
                "url": view.abs_url, "author": {"@type": "Person", "name": maker.config.author.name},
                # the language its parts are written in (the site's, where they differ)
                "inLanguage": languages.pop() if len(languages) == 1 else maker.config.language,
                "hasPart": [{"@type": "Article", "headline": e.title, "position": e.part,
                             "url": urljoin(urls.base_url, e.url or "")} for e in parts]}
        meta = maker.meta(view.title, path, "", feeds=feed_links(urls, path, view.title) + maker.site_view.feeds,
                            json_ld=json_ld(data), section=urls.link(U.SERIES_INDEX))
        pages.append(Page(path, "series.html", maker.context(meta, series=view, posts=series_posts),
                          maker.source_name(maker.site.series[view.slug].source)))
    pages.append(Page(U.SERIES_INDEX, "series_index.html",
                      maker.context(maker.meta(maker.text.gettext("Series"), U.SERIES_INDEX), all_series=views), "the series index"))
    return pages


def update_items(maker: PageMaker) -> list[tuple[PostView, Note]]:
    """Every major revision on the site, newest first, each note's links to a place in its post (``#x``)
    leading there."""
    items = [(view, _anchored(note, view.url)) for view in maker.posts.values() for note in view.notes]
    items.sort(key=lambda item: (item[1].date, item[0].key), reverse=True)
    return items


def _front(head: str) -> list[str]:
    """A recorded front matter's lines but those every version changes (``version``) or pins (``id``)."""
    return [line for line in head.splitlines() if not line.startswith(("version:", "id:"))]


def _anchored(note: Note, post_link: str) -> Note:
    html = str(note.html)
    if "#" not in html:
        return note
    shown = U.anchored_to(html, post_link)
    return note if shown == html else replace(note, html=Fragment(shown))


def other_pages(maker: PageMaker) -> list[Page]:
    urls = maker.urls
    gettext = maker.text.gettext
    feeds = feed_links(urls, U.UPDATES, gettext("%(site)s: updates") % {"site": maker.config.title}) + maker.site_view.feeds
    pages = [Page(U.UPDATES, "updates.html",
                  maker.context(maker.meta(gettext("All updates"), U.UPDATES, feeds=feeds), updates=update_items(maker)),
                  "the updates page"),
             Page(U.NOT_FOUND, "404.html", maker.context(maker.meta(gettext("Page not found"), U.NOT_FOUND, noindex=True)),
                  "the 404 page")]
    if maker.config.search:
        pages.append(Page(U.SEARCH, "search.html",
                          maker.context(maker.meta(gettext("Search"), U.SEARCH, noindex=True),
                                        archive=urls.link(U.ARCHIVE), bundle=urls.link(U.SEARCH_INDEX),
                                        script=urls.link(U.SEARCH_SCRIPT)), "the search page"))
    return pages


def fixed_files(site: Site) -> list[str]:
    """Output files that are not pages: feeds (a renamed series' under its old address too), sitemap,
    robots.txt, the stylesheet, the EPUB of each series with a part out."""
    return U.fixed_files(U.feed_prefixes(site.series, renamed_series(site)), books(site))


def books(site: Site) -> list[str]:
    """The series that have a page of the whole series and an EPUB: those with a published part."""
    return [slug for slug, series in site.series.items() if series.parts]


def check_paths(site: Site, pages: list[Page]) -> None:
    """Stop before writing a page that needs a folder where a file goes, a name too long for a disk, or a
    folder Windows would take for a device."""
    owners: dict[str, Page] = {}
    problems: dict[str, str] = {}
    named = {alias.path: (post, alias) for post in site.posts.values() for alias in post.aliases}
    for page in pages:
        path = U.output_path(page.path)
        first = owners.setdefault(path, page)
        if first is not page and page.template == "redirect.html" and page.path in named:
            owners[path] = page  # an alias is what to change, whatever else is there
        if first is not page:
            one, other = sorted((first.source, page.source))
            alike = str(one) != str(other) and \
                unicodedata.normalize("NFC", str(one)) == unicodedata.normalize("NFC", str(other))
            fix = ("their names look alike, but one spells its accents as separate marks, as some systems save "
                   "names: rename one") if alike else "change a slug"
            problems.setdefault(path, f"would be written to {path}, which {one} and {other} both claim; {fix}")
    targets = {path: page.source for path, page in owners.items()}
    fixed = fixed_files(site)
    for path, file in U.clashes([*targets, *fixed]).items():
        if path in targets:
            case = "" if path.startswith(file + "/") else U.CASE_BLIND
            problems.setdefault(path, f"would be written to {path}, but {file} is already a file of the site "
                                      f"(a feed, the sitemap or another page){case}; choose another slug")
    slugged = {U.output_path(U.post_path(p)) for p in site.posts.values() if "slug" in p.lines}
    aliased = {U.output_path(path) for path in named}

    def _changeable(path: str) -> tuple[bool, bool]:
        """What of two clashing paths to blame: an alias (removed at its line), else a slug (changed)."""
        return path in aliased, path in slugged
    folded: dict[str, str] = {}
    for path in sorted([*fixed, *targets], key=lambda path: (path not in fixed, path)):  # the site's own first
        first = folded.setdefault(path.casefold(), path)
        if first == path:
            continue
        blamed, other = (first, path) if _changeable(first) > _changeable(path) else (path, first)
        if blamed not in targets:
            continue  # two files the site generates: their own checks name what makes them
        of = targets.get(other, "a file the site generates")
        problems.setdefault(blamed, f"would be written to {blamed}, which a disk blind to case, as on macOS and "
                                    f"Windows, takes for {other} ({of}), the one overwriting the other; change a slug")
    if site.config.search:
        for path in targets:
            if path.startswith(U.SEARCH_INDEX):
                problems.setdefault(path, f"would be written to {path}, inside {U.SEARCH_INDEX}, where the search "
                                          "index goes; choose another slug")
    for path in targets:
        name = U.too_long(path)
        if name:
            problems.setdefault(path, f"would be written to a folder named {name[:24]}…, which is "
                                      f"{len(name.encode())} bytes long; file systems allow {U.MAX_NAME}: "
                                      "choose a shorter slug")
    found: dict[tuple[str, int], str] = {}
    for path, message in sorted(problems.items()):
        page = owners[path]
        if page.template == "redirect.html" and page.path in named:  # an alias: it is the alias to change
            post, alias = named[page.path]
            found.setdefault((post.shown, alias.line), f"alias /{alias.path}: {message.rsplit('; ', 1)[0]}; "
                                                       "remove it")
            continue
        posts = [p for p in site.posts.values() if path.startswith(U.post_path(p))]
        post = next((p for p in posts if "slug" in p.lines), posts[0] if posts else None)  # a slug can be changed
        where = (post.shown, post.lines.get("slug", 1)) if post else (targets[path], 0)
        found.setdefault(where, message)
    diagnostics = [Diagnostic(path, line, message) for (path, line), message in found.items()]
    diagnostics += _device_names(site, pages, named)
    if diagnostics:
        raise SiteError(diagnostics)


def _device_names(site: Site, pages: list[Page], aliases: dict[str, tuple[Post, Alias]]) -> list[Diagnostic]:
    """Each folder of the output that Windows would take for a device (``con/``), said once, to the file
    whose name it comes from: a post's file, a series' folder or an alias (``aliases``: by its path; a ``slug:``
    never is one: ``assemble`` refuses it at its line)."""
    posts = {U.post_path(post): post.shown for post in site.posts.values()}
    series = {U.series_path(slug) for slug in site.series}
    sources = {page.path: page.source for page in pages}
    found: dict[str, Diagnostic] = {}
    for path in sorted(sources):
        folder = U.device_folder(path)
        if folder is None or folder in found:
            continue
        name = folder.rstrip("/").rpartition("/")[2]
        why = (f"its address would be {folder}, but Windows takes a folder named {name} for a device "
               f"({DEVICES_SHOWN}), so the site could not be checked out, copied or served there")
        if folder in posts:
            found[folder] = Diagnostic(posts[folder], 0, f"{why}: rename the file (and its .versions folder, "
                                                         "if it has one), or give it a `slug:`")
        elif folder in series:
            found[folder] = Diagnostic(sources[folder], 0, f"{why}: rename the folder")
        elif folder in aliases:
            post, alias = aliases[folder]
            found[folder] = Diagnostic(post.shown, alias.line, f"alias /{alias.path}: {why}: remove it")
        else:
            found[folder] = Diagnostic(sources.get(folder, sources[path]), 0, f"{why}: choose another name")
    return list(found.values())


def plan(site: Site, cached: Cached) -> tuple[PageMaker, list[Page]]:
    """Every HTML page of the site but the redirects moved posts leave (``redirects.py``); feeds, sitemap
    and static files come separately."""
    maker = PageMaker(site, cached)
    pages = (post_pages(maker) + standalone_pages(maker) + listing_pages(maker) + series_pages(maker)
             + other_pages(maker))
    return maker, pages
