"""What an import evens out across the posts it brings, before anything is written.

One spelling for each tag: other tools keep apart what a Feuilleton site
joins.  WordPress has categories and tags (a category ``Markup`` beside a tag
``markup``), and case or a hyphen (``first sale``, ``first-sale``) makes two
tags anywhere.  Here, each name is one tag as its address has it; so the
import gives all the posts the spelling most of them use (``usual_spelling``,
the one the build's warning names too), and the report says which it joined.

One feed id for each post: an export can give two items one ``guid`` (a post
copied on WordPress keeps it), and a site whose two posts share an ``id`` does
not build.  The earliest post keeps it; the others get ids of their own.

Links between posts: a post that linked another by its address on the old site
(``https://old.example/2016/11/22/part-1/``, or ``/2016/11/22/part-1/`` as
``{% post_url %}`` wrote it) links it at its address on the new one, which
outlives the old domain; the old address stays an alias that redirects.

Stray end tags: a ``</a>`` that closes nothing is dropped by every browser, and
was by the old site; the site's check would stop at it, so the import drops it
too, from every text of the post, and says where.

Math: a site shows ``$$…$$`` as written (it typesets none), where the old
one ran MathJax over it; the report names each post that has some.

One clock: a post keeps the offset its old site dated it at, but the site
shows every date in its own ``timezone``; when most posts were dated at other
offsets than that zone's, the report says to set it.

Series: parts numbered by date where the source gave none (or one twice), and
a series folder that would take a post's old address (``/trip/``) named apart.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..errors import Diagnostic
from ..model.slugs import slugify, usual_spelling
from ..source.load import SERIES_FILE
from ..source.textcheck import without_forbidden
from ..text.markdown import render
from ..text.markup import close_open_elements, drop_stray_end_tags, unbalanced, unbalanced_lines, without_code
from .folder import rewrite_links
from .model import ImportedPost, ImportResult, Skipped, Where


def one_spelling(posts: list[ImportedPost], notes: list[Skipped], ascii: bool = False) -> list[ImportedPost]:
    """``posts`` with each tag in the spelling most of them use, and a note for each tag spelt several ways."""
    used: dict[str, Counter[str]] = {}
    for post in posts:
        for name in post.tags:
            used.setdefault(slugify(name, ascii), Counter())[name] += 1
    chosen: dict[str, str] = {}
    for slug, counts in used.items():
        best = usual_spelling(counts, slug)
        chosen.update((name, best) for name in counts)
        if len(counts) > 1:
            where = next(p.where for p in posts if any(n in counts and n != best for n in p.tags))
            spelt = ", ".join(f"`{name}`" for name in counts)
            notes.append(Skipped(where, f"tags {spelt}", f"joined as one tag, `{best}`: the site would give each "
                                 "spelling a tag page of its own", kept=True))
    return [replace(post, tags=tuple(dict.fromkeys(chosen[name] for name in post.tags))) if post.tags else post
            for post in posts]


def distinct_ids(posts: list[ImportedPost], notes: list[Skipped]) -> list[ImportedPost]:
    """``posts`` with each old feed id kept by the earliest post that has it; the others lose it (and get the
    id a new post would have), each with a note."""
    first: dict[str, ImportedPost] = {}
    for post in sorted(posts, key=lambda p: (p.date is None, p.date or 0, p.where.path, p.where.line)):
        if post.entry_id:
            first.setdefault(post.entry_id, post)
    done = []
    for post in posts:
        keeper = first.get(post.entry_id)
        if keeper is not None and keeper is not post:
            notes.append(Skipped(post.where, f"feed id {post.entry_id}", f"is also the id of {keeper.title!r} "
                                 f"({keeper.where}), which keeps it: this post gets an id of its own, since feed "
                                 "readers would take two posts with one id for one", kept=True))
            post = replace(post, entry_id="")
        done.append(post)
    return done


def zone_note(posts: list[ImportedPost], zone: tzinfo, config: str, notes: list[Skipped]) -> None:
    """A note when most posts were dated at an offset from UTC (the old site's clock) that the site's
    ``timezone`` does not have at those moments: every time shown would move, some dates to another day."""
    local = [p.date for p in posts if p.date is not None and p.date.utcoffset() not in (None, timedelta(0))]
    dated = sum(p.date is not None for p in posts)
    differ = [moment for moment in local if moment.astimezone(zone).utcoffset() != moment.utcoffset()]
    if not differ or len(local) * 2 <= dated or len(differ) * 2 <= len(local):
        return
    offsets = " or ".join(_offset(o) for o, _ in Counter(m.utcoffset() for m in differ).most_common(2))
    notes.append(Skipped(Where(config), "timezone", f"most posts were dated at {offsets}, the old site's clock, but "
                         f"the site shows every date in its `timezone`, {zone}, at another hour and some on another "
                         "day: set `timezone` in config.toml to the zone the old site used", kept=True))


def _offset(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta(0)).total_seconds() // 60)
    return f"UTC{'+' if minutes >= 0 else '−'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


_MATH = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)", re.S)


def math_note(posts: list[ImportedPost], notes: list[Skipped]) -> None:
    """A note for each post with TeX math (``$$…$$``, ``\\[…\\]``) outside code: shown as written."""
    for post in posts:
        text = without_code(post.markdown, indented=True)
        found = _MATH.search(text)
        if found is None:
            continue
        line = post.text_line + text.count("\n", 0, found.start()) if post.text_line else post.where.line
        what = "math ($$ … $$)" if line else f"math ($$ … $$) in {post.title!r}"  # a feed's entries have no line
        notes.append(Skipped(Where(post.where.path, line), what, "shown as written, in TeX: the site "
                             "typesets no math (the old one ran MathJax or KaTeX over it)", kept=True))


class Relinker:
    """Links to the posts of an import, from their old addresses to their new ones (``relinked``)."""

    def __init__(self, origins: tuple[str, ...], base_path: str):
        self.origins = tuple(o.rstrip("/").split("://", 1)[-1].casefold() for o in origins if "://" in o)
        """The old site's addresses, without their scheme (``old.example/blog``): http and https alike."""
        self.base_path = base_path
        self.below = [f"/{origin.partition('/')[2]}" for origin in self.origins if origin.partition("/")[2]] + \
            [o.rstrip("/") for o in origins if o.startswith("/") and o.strip("/")]
        """The old site's own base paths (``/blog``), which its root-relative links carry: an origin given as a
        path alone is one (Jekyll's ``baseurl`` without a ``url``, which GitHub Pages fills in)."""
        self.new: dict[str, str] = {}
        """An old address's path (casefolded, without its last ``/``) → the post's site path now."""

    def moved(self, post: ImportedPost, site_path: str) -> None:
        """``post`` is at ``site_path`` (``series/slug/``) on the new site."""
        for alias in post.aliases:
            self.new.setdefault(unquote(alias).rstrip("/").casefold(), site_path)

    def relinked(self, post: ImportedPost) -> ImportedPost:
        """``post`` with its links to other posts of the import made their new addresses, in every text it had
        (its versions too, so that each still differs from the next by what the author changed)."""
        if not self.new:
            return post
        history = tuple(replace(r, markdown=rewrite_links(r.markdown, self._link)) for r in post.history)
        return replace(post, markdown=rewrite_links(post.markdown, self._link), history=history)

    def _link(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            at = f"{parts.netloc}{parts.path}".casefold()
            base = next((o for o in self.origins if at == o or at.startswith(o + "/")), None)
            if base is None:
                return None
            path = parts.path[len(base) - len(parts.netloc):] or "/"
        elif not parts.scheme and not parts.netloc and url.startswith("/"):
            path = parts.path
            for bases in ([self.base_path.rstrip("/")], self.below):  # the new site's, then the old one's
                below = next((b for b in bases if b and path.casefold().startswith(b.casefold() + "/")), "")
                path = path[len(below):]  # ``/blog/2016/…`` on a site that lived at /blog/
        else:
            return None
        found = self.new.get(unquote(path).rstrip("/").casefold())
        if found is None:
            return None
        return self.base_path + quote(found) + (f"?{parts.query}" if parts.query else "") + \
            (f"#{parts.fragment}" if parts.fragment else "")


def without_strays(post: ImportedPost, notes: list[Skipped]) -> ImportedPost:
    """``post`` without the end tags that close nothing in its text and its versions' texts (each a note)."""
    if "</" not in post.markdown and not any("</" in r.markdown for r in post.history):
        return post
    markdown, dropped = _dropped(post.markdown)
    for line, tag in dropped:
        where = Where(post.where.path, post.text_line + line - 1 if post.text_line else post.where.line)
        notes.append(Skipped(where, f"a stray </{tag}>", "it closed nothing: dropped, as browsers drop it (the "
                             "site's check would stop at it)", kept=True))
    if not dropped and not post.history:
        return post
    history = tuple(replace(r, markdown=_dropped(r.markdown)[0]) for r in post.history)
    return replace(post, markdown=markdown, history=history)


def closed_versions(post: ImportedPost, notes: list[Skipped]) -> ImportedPost:
    """``post`` with the raw HTML its older versions leave open closed at the end of each (a note each): a
    version cannot be mended once recorded, and its page would take the rest of the page into the element.
    The current text is the author's to mend (the import stops at it), and so is a version that is that text."""
    if not any("<" in r.markdown and r.markdown != post.markdown for r in post.history):
        return post
    history = list(post.history)
    for number, revision in enumerate(post.history, start=1):
        if "<" not in revision.markdown or revision.markdown == post.markdown:
            continue
        fragment = render(revision.markdown)
        markdown, closed = close_open_elements(revision.markdown, fragment)
        if closed:
            history[number - 1] = replace(revision, markdown=markdown)
            shown = ", ".join("<!--" if tag == "!--" else f"<{tag}>" for tag in closed)
            notes.append(Skipped(post.where, f"version {number} ({revision.origin})", f"raw HTML never closed "
                                 f"({shown}): closed at the end of that version's text, as a browser closed it, "
                                 "so that its page keeps its shape", kept=True))
        left = list(dict.fromkeys(problem for _, problem in unbalanced(render(markdown) if closed else fragment)))
        if left:  # closed inside another element (``<b>`` left open in a paragraph): only its author could say where
            notes.append(Skipped(post.where, f"version {number} ({revision.origin})", f"raw HTML left as it was "
                                 f"({'; '.join(left[:3])}): its page shows it as a browser does, and may not pass the "
                                 "Nu HTML checker", kept=True))
    return replace(post, history=tuple(history))


def unclosed_html(post: ImportedPost) -> list[Diagnostic]:
    """An error for each line of the post's text whose raw HTML leaves an element open or closes one never
    opened, the first twelve, at the line of the author's file where known: the build requires an essay's
    HTML to close what it opens, and only the author can say what was meant (the old tool may have forgiven
    it).  The text is asked as the writer holds it, its stray end tags dropped (``without_strays``) and the
    characters no page can carry taken out, so that a reader can ask it too, before a long walk of its
    history."""
    markdown = _dropped(without_forbidden(post.markdown)[0])[0]
    if "<" not in markdown:
        return []
    problems = list(dict.fromkeys(unbalanced_lines(markdown, render(markdown))))  # each line once
    errors = []
    for line, problem in problems[:12]:  # the author's own file: the line an editor jumps to, where known
        at, said = (post.text_line + line - 1, "") if post.text_line else \
            (post.where.line, f"line {line} of its text: ")
        why = f"; raw HTML is read as HTML here: {post.raw_html_why}" if post.raw_html_why else ""
        errors.append(Diagnostic(post.where.path, at, f"{said}{problem}{why}; nothing was imported: mend it in the "
                                 "source"))
    return errors


def _dropped(markdown: str) -> tuple[str, list[tuple[int, str]]]:
    return drop_stray_end_tags(markdown, render(markdown)) if "</" in markdown else (markdown, [])


def number_parts(posts: list[ImportedPost], notes: list[Skipped]) -> list[ImportedPost]:
    """Parts of each series numbered 1, 2, … by date where the reader gave none or gave one twice."""
    by_series: dict[str, list[ImportedPost]] = {}
    for post in posts:
        if post.series:
            by_series.setdefault(post.series, []).append(post)
    renumbered: dict[str, int] = {}
    for slug, members in by_series.items():
        parts = [p.part for p in members]
        if all(parts) and len(set(parts)) == len(parts):
            continue
        ordered = sorted(members, key=lambda p: (p.part or 10**9, p.date or datetime.max.astimezone(), p.title))
        for number, post in enumerate(ordered, start=1):
            renumbered[post.source_id] = number
        notes.append(Skipped(Where(slug), f"series {slug}", "parts numbered by date (the source gave none, or "
                             "gave one twice)", kept=True))
    return [replace(p, part=renumbered[p.source_id]) if p.source_id in renumbered else p for p in posts]


def clear_series(result: ImportResult, posts: list[ImportedPost], posts_dir: Path, notes: list[Skipped]
                  ) -> tuple[ImportResult, list[ImportedPost]]:
    """A new series' folder named like a post's old address (``/trip/``, where the first part of the series
    ``trip`` was) would take that address from the post: the folder is ``trip-series`` instead."""
    old = {a.strip("/").casefold() for p in posts for a in p.aliases if a.strip("/") and "/" not in a.strip("/")}
    taken = {p.series for p in posts if p.series}
    renamed: dict[str, str] = {}
    for slug in sorted(taken):
        if slug.casefold() not in old or (posts_dir / slug / SERIES_FILE).exists():
            continue
        new, number = f"{slug}-series", 2
        while new.casefold() in old or new in taken or (posts_dir / new).exists():
            new, number = f"{slug}-series-{number}", number + 1
        renamed[slug] = new
        taken.add(new)
        notes.append(Skipped(Where(slug), f"series {slug}", f"its folder would take the old address /{slug}/ of a "
                             f"post: written as {new}/", kept=True))
    if not renamed:
        return result, posts
    series = {renamed.get(k, k): replace(v, slug=renamed.get(k, k)) for k, v in result.series.items()}
    return replace(result, series=series), [replace(p, series=renamed.get(p.series or "", p.series)) for p in posts]
