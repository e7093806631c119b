"""Sources + config + ``now`` → the site model.

Front matter is coerced through one table of converters; unknown keys become
``extra`` and a warning.  Then posts are filtered (drafts, future dates),
series are put together (parts ordered, planned parts, gaps) and every rule
that spans files is checked.  Assembling is cheap and always done whole.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from datetime import datetime
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from ..config import Config, Options
from ..errors import Report, meant
from ..locale import catalog_folder, language_problem
from ..site import urls as U
from ..source.load import Memo, PostFile, Sources, no_memo
from ..source.versions import read_archive, renamed_without
from ..speed.parallel import check_cancelled
from .aliases import alias_list, read_aliases
from .dates import check_offset, days_kept, to_datetime
from .series import assemble_series
from .slugs import check_slug, slug_before_marks, slugify, without_marks
from .types import Alias, Post, Site, Version

log = logging.getLogger(__name__)

LAYOUTS = ("post", "page")
BUNDLE_NAME = "index"
"""The file name of every post in a Hugo bundle (``content/x/index.md``): a post named so, at /index/, is warned
about (its address was meant to be its folder's), and ``new`` names no post so."""
"""What ``layout:`` may say: an essay, or a standalone page (About, Contact) outside every listing."""

def _text(value: Any, zone: Any) -> str:
    if isinstance(value, (dict, list)):
        raise ValueError("must be text, not a list or mapping")
    if isinstance(value, bytes):
        raise ValueError("must be text, not binary data")
    return "" if value is None else str(value).strip()


def _date(value: Any, zone: Any) -> datetime:
    moment = to_datetime(value, zone)
    check_offset(moment)
    return moment


def _tags(value: Any, zone: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [t for t in value.split(",")]
    if not isinstance(value, list) or any(isinstance(t, (dict, list)) for t in value):
        raise ValueError("must be a list such as [law, cities]")
    seen: dict[str, None] = {}
    for tag in value:
        name = unicodedata.normalize("NFC", str(tag).strip())  # "café" typed either way is one tag
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


def _flag(value: Any, zone: Any) -> bool:
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
        raise ValueError(f"must be true or false, got the text {value!r}: write it without quotes")
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, got {'nothing' if value is None else repr(value)}")
    return value


def _slug(value: Any, zone: Any) -> str:
    slug = unicodedata.normalize("NFC", _text(value, zone))  # "café" pasted from a macOS name spells é in two
    check_slug(slug)
    if slug in U.ROOT_FILES:
        raise ValueError(f"slug {slug!r} is the name of a file the site generates; choose another")
    return slug


def _same_name(one: str, other: str) -> bool:
    """Whether two names are one, however each spells its accents ("café" pasted from a macOS name spells é
    as e and a combining mark)."""
    return one == other or unicodedata.normalize("NFC", one) == unicodedata.normalize("NFC", other)


def _layout(value: Any, zone: Any) -> str:
    if value not in LAYOUTS:
        raise ValueError(f"must be `post` (the default) or `page` (a standalone page such as About), got {value!r}")
    return value


def _language(value: Any, zone: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", value):
        meant = value.replace("_", "-") if isinstance(value, str) else ""
        hint = f"; did you mean {meant!r}?" if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", meant) else ""
        raise ValueError(f"must be a language tag such as \"fr\", \"pt-BR\" or \"ar\" (BCP 47), got {value!r}{hint}")
    return value


def _count(value: Any, zone: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"must be a positive whole number, got {value!r}")
    return value


_CONVERTERS: dict[str, Callable[[Any, Any], Any]] = {
    "title": _text, "date": _date, "part": _count, "series": _text, "summary": _text,
    "tags": _tags, "slug": _slug, "draft": _flag, "id": _text, "version": _count, "imported_from": _text,
    "aliases": alias_list, "layout": _layout, "language": _language,
}


def _coerce(source: PostFile, config: Config, report: Report) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    ok = True
    for key, value in source.meta.items():
        convert = _CONVERTERS.get(key)
        if convert is None:
            continue
        try:
            values[key] = convert(value, config.timezone)
        except ValueError as e:
            report.error(source.path, source.line(key), f"`{key}`: {e}")
            ok = False
    if not values.get("title") and (ok or "title" not in source.meta):  # a title of the wrong type is said
        report.error(source.path, source.line("title") if "title" in source.meta else 1,
                     "missing `title`: every post needs one (title: \"…\")")
        ok = False
    _other_drafts(source, values, report)
    for key in source.meta:
        if key in _CONVERTERS or key in marked_draft(source.meta):
            continue
        close = meant(key, _CONVERTERS, source.meta)
        if close == "draft":  # a draft published by a typo cannot be taken back
            report.error(source.path, source.line(key), f"unknown front-matter key `{key}`: did you mean `draft`?")
            ok = False
        else:
            hint = f"; did you mean `{close}`?" if close else " (ignored: no page shows it)"
            report.warn(source.path, source.line(key), f"unknown front-matter key `{key}`{hint}")
    return values if ok else None


MISSING_DATE = "missing `date`: a published post needs one (or mark it `draft: true`, or run `feuilleton publish`)"
"""The error at a post with neither ``date`` nor ``draft``: ``publish`` run on another such post goes ahead."""
_HIDDEN_STATUS = frozenset({"draft", "private", "pending", "unpublished", "trash", "future", "hidden"})
"""``status`` values that other tools (WordPress and its exporters among them) give a post not out."""
_HIDING_FLAGS = ("private", "hidden", "unlisted")
"""Keys whose truth keeps a post from readers in other tools."""


def _shown(value: Any) -> bool:
    """Whether a ``published`` value says yes (anything else, ``"false"`` and an empty value too, says no)."""
    return value is True or str(value).strip().lower() in ("true", "yes")


def _words(value: Any) -> set[str]:
    return {str(item).strip().lower() for item in (value if isinstance(value, list) else [value])}


def marked_draft(meta: dict[str, Any]) -> tuple[str, ...]:
    """The front-matter keys that keep a post a draft: ``draft: true`` or another tool's way of saying it
    (Jekyll's ``published: false``, a ``status`` such as ``draft`` or ``private``, ``hidden: true``), all
    read as ``draft: true``: a post published against its author's word cannot be taken back."""
    keys = ["draft"] if meta.get("draft") is True else []
    if "published" in meta and not _shown(meta["published"]):
        keys.append("published")
    if "status" in meta and _words(meta["status"]) & _HIDDEN_STATUS:
        keys.append("status")
    keys += [key for key in _HIDING_FLAGS if key in meta and _shown(meta[key])]
    return tuple(keys)


def _other_drafts(source: PostFile, values: dict[str, Any], report: Report) -> None:
    """Mark a post hidden another tool's way a draft, and say so."""
    for key in marked_draft(source.meta):
        if key != "draft":
            values["draft"] = True
            report.warn(source.path, source.line(key), f"`{key}: {str(source.meta[key]).lower()}` is read as "
                        "`draft: true`: the post stays off the site; write `draft: true` instead (`feuilleton "
                        "publish` removes either when it publishes the post)")


def default_entry_id(config: Config, key: str, published: datetime) -> str:
    """A tag URI that survives title and slug changes (RFC 4151), under the host of the site's own
    ``base_url`` (a preview's ``--base-url`` is an address, not the site's name)."""
    host = urlsplit(config.written_base_url or config.base_url).hostname or "localhost"
    return f"tag:{host},{published.date().isoformat()}:{key.removesuffix('.md')}"


def _check_pin(source: PostFile, pinned: int, versions: tuple[Version, ...], report: Report,
               archive_read: bool) -> None:
    """``version: N`` in the post names its newest recorded version; a lost or unpinned one is reported.

    ``archive_read`` is False when reading the archive already reported errors (then those say it all).
    """
    archive = f"{source.path.stem}.versions"
    if pinned > len(versions) and archive_read:
        renamed = renamed_without(source.path) if not versions else ""
        interrupted = (f"{renamed}; otherwise " if renamed else
                       f"if `feuilleton publish` was interrupted, run it again: feuilleton publish {source.shown}; "
                       "otherwise " if pinned == 1 and not versions else "")
        report.error(source.path, source.line("version"),
                     f"says version {pinned} was recorded, but the archive has {len(versions) or 'no versions'}: "
                     f"{archive}/v{pinned}.md is missing; {interrupted}restore it from git or a backup "
                     "(a recorded version is never deleted)")
    elif "version" in source.meta and pinned < len(versions):
        newest = versions[-1].number
        report.warn(source.path, source.line("version"),
                    f"says `version: {pinned}`, but version {newest} is recorded in {archive}/ (a `feuilleton "
                    "revise` was interrupted before it could update this line, or an older copy of the file was "
                    f"put back): set `version: {newest}` here, or let the next `revise` set it")


def build_post(source: PostFile, config: Config, now: datetime, report: Report,
               memo: Memo = no_memo, series_names: Iterable[str] = ()) -> Post | None:
    """A post from its file and recorded versions (``series_names``: the series folders' names, to which a
    ``series:`` spelling an accent otherwise, as a letter and a combining mark, is matched)."""
    check_cancelled()
    values = _coerce(source, config, report)
    if values is None:
        return None
    draft = values.get("draft", False)
    date = values.get("date")
    page = values.get("layout") == "page"
    if page and not _fits_a_page(source, values, report):
        return None
    if date is None and not draft and not page:
        report.error(source.path, 1, MISSING_DATE)
        return None
    date = date or now
    errors_before = len(report.errors)
    versions = days_kept(read_archive(source.path, config.timezone, report, memo), config.timezone, now)
    archive_read = len(report.errors) == errors_before
    _check_pin(source, values.get("version", 0), versions, report, archive_read)
    # a version that failed to read is reported; the rest, one short, would only mislead the checks below
    known = versions if archive_read else ()
    if known and draft:
        report.warn(source.path, source.line("draft"), f"`draft: true` takes a published post off the site, and "
                    f"the permanent addresses of its {len(known)} recorded "
                    f"version{'' if len(known) == 1 else 's'} with it")
    elif known and date != known[0].date and date.replace(tzinfo=None) == known[0].date.replace(tzinfo=None):
        date = known[0].date  # the site's timezone changed under a time written without a zone: no edit, and
        # the moment recorded at publication stays the post's, on its page and in its feed entry (a day without
        # a time stays that day: ``days_kept``)
    elif known and date != known[0].date and known[0].date > now:
        report.error(source.path, source.line("date"), f"`date` says {date.isoformat()}, but version 1 was recorded "
                     f"to go out on {known[0].date.isoformat()}; to move it, run `feuilleton publish` on the post "
                     "again (it is not out yet)")
    elif known and date != known[0].date:
        report.error(source.path, source.line("date"), f"`date` says {date.isoformat()}, but version 1 was "
                     f"published at {known[0].date.isoformat()}, and a post's date is its first version's: "
                     "set it back")
    if page and known:
        report.error(source.path, source.line("layout"), f"a page keeps no versions, but this post has {len(known)} "
                     "recorded, whose permanent addresses a page would drop: remove `layout: page`")
    out = date <= now or (known and known[0].recorded is not None and known[0].recorded >= known[0].date)
    status = "draft" if draft else ("published" if out else "future")  # recorded as out: out, though this clock
    # lags (a machine's, or SOURCE_DATE_EPOCH from an older commit), as `publish` holds it: its pages stay
    entry_id = "" if page else values.get("id") or default_entry_id(config, source.key, date)
    if not page:  # a page with versions is an error of its own above
        _check_entry_id(source, entry_id, known, report)
    extra = {k: v for k, v in source.meta.items() if k not in _CONVERTERS}
    slug, series = values.get("slug") or slugify(source.path.stem), values.get("series") or source.folder
    if "series" in values:
        series = next((name for name in series_names if _same_name(name, series)), series)
    if slug == BUNDLE_NAME and "slug" not in values and not versions:  # a bundle as Hugo has it: content/x/index.md
        report.warn(source.path, 1, f"is published at /{U.address(series, slug)}, since a post's file name is its "
                    "address: name the file for the post (what index.md's folder was called), or give it a `slug:`")
    aliases = read_aliases(source, values.get("aliases", ()), config.base_url, U.address(series, slug), report)
    if not versions or not versions[0].address:  # public before any version said where: an older address
        aliases += _address_before_marks(source, series, slug if "slug" in values else None, aliases)
    return Post(
        key=source.key, path=source.path, shown=source.shown, title=values["title"], slug=slug, date=date,
        summary=values.get("summary", ""), tags=values.get("tags", ()), status=status,
        series=series, part=values.get("part"),
        entry_id=entry_id,
        body=source.body, body_line=source.body_line, versions=versions, extra=Site.freeze(extra),
        lines=Site.freeze(dict(source.meta_lines)),
        moved_from=_moved_from(source, versions, series, slug), aliases=aliases, layout=values.get("layout", "post"),
        imported_from=values.get("imported_from", ""), language=values.get("language", ""))


def _address_before_marks(source: PostFile, series: str | None, written: str | None,
                          aliases: tuple[Alias, ...]) -> tuple[Alias, ...]:
    """The address a post (or its series) named in an Indic or Thai script had before slugs kept vowel
    signs, as an alias (a post with versions is followed there by the address they recorded); ``written``:
    the slug its front matter gives, which did not change."""
    slug = written or slugify(source.path.stem)
    now = U.address(series, slug)
    marks = U.address(without_marks(series) if series else None, written or slug_before_marks(source.path.stem))
    am = U.address_split_am(series, slug, bool(written))
    taken = {now, *(alias.path for alias in aliases)}
    return tuple(Alias(before, 0) for before in dict.fromkeys((marks, am)) if before not in taken)


def _fits_a_page(source: PostFile, values: dict[str, Any], report: Report) -> bool:
    """A page (``layout: page``) stands alone: no part of a series, nor in a series folder."""
    for key in ("part", "series"):
        if key in values:
            report.error(source.path, source.line(key), f"`{key}`: a page (`layout: page`) is no part of a series: "
                         f"remove `{key}`, or `layout: page` to make it a post")
            return False
    if source.folder:
        report.error(source.path, source.line("layout"), f"a page (`layout: page`) stands alone, but this file is "
                     f"in the series folder {source.folder}/: move it out of the folder, or remove `layout: page`")
        return False
    if values.get("tags"):  # `new` writes `tags: []` into every post, pages too
        report.warn(source.path, source.line("tags"), "a page (`layout: page`) is on no tag's page: its `tags` are "
                    "not shown")
    return True


def _check_entry_id(source: PostFile, entry_id: str, versions: tuple[Version, ...], report: Report) -> None:
    """A post's feed id never changes once recorded: feed readers take a new id for a new post."""
    recorded = next(((v.number, v.entry_id) for v in reversed(versions) if v.entry_id), None)
    if recorded and recorded[1] != entry_id:
        number, pinned = recorded
        said = f"`id` says {entry_id}" if "id" in source.meta else "`id` is missing"
        report.error(source.path, source.line("id"), f"{said}, but version {number} was recorded with `id: {pinned}`, "
                     "and a post's feed id never changes (feed readers would take it for a new post): set it back")


def _check_shared_ids(posts: list[Post], report: Report) -> None:
    """Two posts with one feed id would be merged, or one dropped, by feed readers (a copied file keeps it).
    The post whose recorded versions hold the id, recorded where it is, owns it; the error is the copy's,
    wherever it sorts, and whether or not its ``.versions/`` folder was copied too."""
    def copy_last(post: Post) -> tuple[bool, bool, str]:
        recorded = any(v.entry_id == post.entry_id for v in post.versions)
        here = not post.versions or post.versions[-1].address in ("", U.address(post.series, post.slug))
        return not recorded, not here, post.key

    first: dict[str, Post] = {}
    for post in sorted(posts, key=copy_last):
        other = first.setdefault(post.entry_id, post)
        if other is not post:
            report.error(post.path, post.lines.get("id", 1), f"`id: {post.entry_id}` is also the feed id of "
                         f"{other.shown} (line {other.lines.get('id', 1)}), and feed readers would merge the two "
                         "posts or drop one; a copy needs its own: delete this `id` line and `version` with it "
                         "(`feuilleton publish` pins a new one)")


def _moved_from(source: PostFile, versions: tuple[Version, ...], series: str | None,
                slug: str) -> tuple[tuple[str, int], ...]:
    """Each other address the post's versions were recorded at, with the newest version recorded there.

    A version records its address; one recorded before versions did is placed by the ``slug`` and
    ``series`` its front matter had, in the post's present file and folder (which catches a changed slug,
    not a renamed file), as the Feuilleton that recorded it spelled them (Thai and Lao AM split: ``split_am``).
    """
    newest: dict[str, int] = {}
    for version in versions:
        at = version.address
        if not at:
            try:
                then = _slug(version.slug, None) if version.slug else slugify(source.path.stem)
            except ValueError:
                continue
            at = U.address_split_am(version.series or source.folder, then, bool(version.slug))
        newest[at] = version.number
    newest.pop(U.address(series, slug), None)
    return tuple(newest.items())


def assemble(sources: Sources, config: Config, now: datetime, options: Options, report: Report,
             memo: Memo = no_memo) -> Site:
    """Build the whole site model; errors are collected in ``report``, then raised."""
    names = [name for name, _ in sources.series]
    all_posts = [p for p in (build_post(s, config, now, report, memo, names) for s in sources.posts) if p]
    shown = [p for p in all_posts if p.status == "published"
             or (p.status == "draft" and options.drafts) or (p.status == "future" and options.future)]
    series = assemble_series(sources, all_posts, shown, config, report)
    _check_shared_ids([p for p in all_posts if (p.status != "draft" or options.drafts) and p.entry_id], report)
    _check_post_languages(shown, config, report)
    report.raise_if_errors()
    shown.sort(key=lambda p: (p.date, p.key), reverse=True)
    shown_keys = {p.key for p in shown}
    return Site(config=config, now=now, posts=Site.freeze({p.key: p for p in shown}),
                order=tuple(p.key for p in shown if p.layout == "post"), series=Site.freeze(series),
                held_back=tuple(p for p in all_posts if p.key not in shown_keys),
                pages=tuple(sorted(p.key for p in shown if p.layout == "page")))


def _check_post_languages(posts: list[Post], config: Config, report: Report) -> None:
    """Warn, once per language, at the first post written in it, of a post ``language`` whose words the theme
    shows in English (no catalog of the theme's or the site's for it), as a site's ``language`` is warned of:
    "Published", "Part 7" in a Hebrew post, laid out right to left."""
    by_language: dict[str, list[Post]] = {}  # by the catalog that would give their words: ja, ja-JP and JA one
    for post in sorted(posts, key=lambda p: p.key):
        if post.language and post.language != config.language:
            by_language.setdefault(catalog_folder(post.language), []).append(post)
    for written in by_language.values():
        language = written[0].language
        problem = language_problem(language, config.source.parent)
        if problem:
            more = f" ({len(written) - 1} more post{'s' if len(written) > 2 else ''} in it)" if len(written) > 1 else ""
            report.warn(written[0].path, written[0].lines.get("language", 1), f"`language: {language}`: {problem}"
                        f"{more}")
