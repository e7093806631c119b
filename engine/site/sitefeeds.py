"""Which feeds a site has (the site's, each series', and the updates feed), and what their entries say.

An entry tells the story as the post's page does: a part's says which part of
which series it is, opens with the post's revision notes and ends with where
the series goes on; a revision's is dated as the site dates things, is
summed up by the first sentence of its note and shows the changed paragraphs.
Each entry is made once, however many feeds hold it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from gettext import NullTranslations
from html import escape

from ..locale import cldr_locale, direction
from ..model.dates import show_datetime, show_time
from ..model.packed import Packed
from ..model.types import Post, Version
from ..output.render import NOTES_SHOWN
from ..text.diff import Diff
from ..text.markdown import prose_text, summarize
from . import urls as U
from .feeds import (
    Candidate,
    Entry,
    Feed,
    Revision,
    first_sentence,
    newest,
    post_entry,
    redline,
    revision_entry,
    revision_id,
)
from .maker import PageMaker
from .moves import renamed_series
from .views import Note, PostView

log = logging.getLogger(__name__)


def count_summary(added: int, deleted: int, changed: int, moved: int,
                  text: NullTranslations = NullTranslations()) -> str:
    """"+48 words, −3 words, 2 paragraphs changed." in ``text``'s language, with its plural forms."""
    if not (added or deleted or changed or moved):  # a picture added or taken away changes no word
        return text.gettext("The text of the essay is unchanged.")
    counts = [(added, "+%(num)s word", "+%(num)s words"), (deleted, "−%(num)s word", "−%(num)s words"),
              (changed, "%(num)s paragraph changed", "%(num)s paragraphs changed"),
              (moved, "%(num)s paragraph moved", "%(num)s paragraphs moved")]
    parts = [text.ngettext(one, many, n) % {"num": n} for n, one, many in counts if n]  # never "−0 words"
    return text.gettext("%(items)s.") % {"items": text.gettext(", ").join(parts)}


class _Entries:
    """The entries of a site's feeds, each made once however many feeds hold it (the site's feed and a
    series' feed hold the same ones), and only if a feed keeps it."""

    def __init__(self, maker: PageMaker):
        self.maker = maker
        self.made: dict[str, Entry] = {}
        self.revisions: dict[str, tuple[PostView, Note]] = {}
        self.redlines: dict[str, str] = {}
        """A kept revision's id → its redline (``redlines_ahead``)."""
        self.diffs: dict[str, Diff] = {}
        """A kept revision's id → what changed in it, as its page of what changed counts it (``redlines_ahead``)."""

    def candidates(self, views: list[PostView], posts: bool = True) -> list[Candidate]:
        """Every entry a feed of ``views`` could hold (their revisions only, without ``posts``)."""
        found = []
        for view in views:
            if view.status != "published":
                continue
            if posts:
                found.append(((view.date, 0), view.entry_id, partial(self._once, view.entry_id,
                                                                partial(_post, self.maker, view))))
            for note in view.notes:
                key = revision_id(view.entry_id, note.number)
                self.revisions[key] = (view, note)
                found.append(((note.date, note.number), key, partial(self._once, key, partial(self._revision, key))))
        return found

    def kept(self, views: list[PostView], limit: int) -> list[Candidate]:
        """The entries a feed of posts and their revisions keeps: the ``limit`` newest posts and the ``limit``
        newest revisions, newest first, so that a part revised twenty times is still in its series' feed."""
        found = self.candidates(views)
        posts = [c for c in found if c[1] not in self.revisions]
        revisions = [c for c in found if c[1] in self.revisions]
        return newest(newest(posts, limit) + newest(revisions, limit), 2 * limit)

    def _once(self, key: str, make: Callable[[], Entry]) -> Entry:
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = make()
        return found

    def redlines_ahead(self, kept: list[list[Candidate]]) -> None:
        """Work out on all cores (or take from the cache) the redlines of the revisions the feeds keep, before
        their entries are made: one by one, at 5,000 posts, they took seconds."""
        keys = list(dict.fromkeys(key for entries in kept for _, key, _ in entries if key in self.revisions))
        marked = []
        for key in keys:
            self.diffs[key], shown = self.maker.compare(*self._texts(key))
            marked.append((Packed(shown),))  # packed as soon as made: at 10,000 posts they came to 120 MB at once
        self.redlines = dict(zip(keys, self.maker.cached.values("redline", _redline, marked)))

    def _texts(self, key: str) -> tuple[Post, Version, Version]:
        """The post of the revision ``key``, and its versions before and after."""
        view, note = self.revisions[key]
        post = self.maker.site.posts[view.key]
        return post, post.versions[note.number - 2], post.versions[note.number - 1]

    def _revision(self, key: str) -> Entry:
        """A kept revision's entry (its redline worked out by ``redlines_ahead``)."""
        # made once (``_once``): its diff and redline are needed no more
        return _revision(self.maker, *self.revisions[key], self.diffs.pop(key), self.redlines.pop(key))


def _moment(maker: PageMaker, moment: datetime, language: str) -> str:
    """A date and time as the pages' ``datetime`` filter shows it (the date alone for a date without a time)."""
    config, local = maker.config, moment.astimezone(maker.config.timezone)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return maker.day(moment, language)
    return show_datetime(local, config.date_format, config.time_format, cldr_locale(language or config.language))


def _redline(compared: Packed) -> str:
    return redline(str(compared))


def _revision(maker: PageMaker, view: PostView, note: Note, diff: Diff, redlined: str) -> Entry:
    """A revision's entry: dated in its title as the site dates things (with the time too when an earlier
    revision of the post has the same day), summed up by its note's first sentence, with what ``diff``
    counts and the changed paragraphs (``redlined``)."""
    text, language = maker.words(view.language), view.language
    counts = count_summary(diff.words_added, diff.words_deleted, diff.blocks_changed, diff.blocks_moved, text)
    day = maker.day(note.date, language)
    when = day
    same_day = [n for n in view.notes if n.number < note.number and maker.day(n.date, language) == day]
    if same_day:
        def clock(moment: datetime) -> str:
            return show_time(moment.astimezone(maker.config.timezone), maker.config.time_format,
                             cldr_locale(language or maker.config.language))
        when = text.gettext("%(time)s on %(date)s") % {"time": clock(note.date), "date": day}
        if any(clock(n.date) == clock(note.date) for n in same_day):  # two in one minute: titles told apart
            when += text.gettext(", ") + text.gettext("version %(number)s") % {"number": note.number}
    said = summarize(str(note.html), 1 << 20)  # the words of its opening paragraphs, footnote marks left out
    versions = maker.site.posts[view.key].versions
    version = versions[note.number - 1]
    title = maker.smart(version.title, view.language) if version.title else view.title  # as its page shows
    before = versions[note.number - 2] if note.number > 1 else None
    if before is not None and (before.title or view.title) != (version.title or view.title) and not (
            diff.words_added or diff.words_deleted or diff.blocks_changed or diff.blocks_moved):
        counts = text.gettext("The title changed; the text of the essay is unchanged.")
    return revision_entry(view, note, Revision(
        text.gettext("Updated: %(title)s — %(date)s") % {"title": title, "date": when},
        first_sentence(said) if said else counts, counts, redlined, text.gettext("See what changed")),
        maker.urls)


def _post(maker: PageMaker, view: PostView) -> Entry:
    """A post's entry, with what the top and the end of its page say around the essay."""
    return post_entry(view, _top(maker, view), _end(maker, view))


def _top(maker: PageMaker, view: PostView) -> str:
    """"Part 2 of 3 · Series", then the revision notes, newest first, each dated, as the page opens: the
    newest three, and a link to the others."""
    text, out = maker.words(view.language), []
    series = view.series
    if series is not None and view.part is not None:
        label = (text.gettext("Part %(part)s of %(total)s") % {"part": view.part, "total": series.total}
                 if series.total and series.total >= view.part else text.gettext("Part %(part)s") % {"part": view.part})
        out.append(f'<p><em>{escape(label, quote=False)} · <a href="{escape(series.abs_url)}">'
                   f'{escape(series.title, quote=False)}</a></em></p>\n')
    folded = len(view.notes) - NOTES_SHOWN if len(view.notes) > NOTES_SHOWN + 1 else 0
    for note in view.notes[:len(view.notes) - folded]:
        label = _note_label(maker, note, view.language, text)
        out.append(f"<p><strong>{escape(label, quote=False)}</strong></p>\n{note.html}")
        if note.changes_url:
            out.append(f'<p><a href="{escape(note.changes_url)}">'
                       f'{escape(text.gettext("See what changed"), quote=False)}</a></p>\n')
    if folded:  # each is an entry of its own too, while it is among the feed's newest
        earlier = text.ngettext("%(num)s earlier update", "%(num)s earlier updates", folded) % {"num": folded}
        out.append(f'<p><a href="{escape(view.abs_url)}#history">{escape(earlier, quote=False)}</a></p>\n')
    if view.notes:
        out.append("<hr>\n")
    return "".join(out)


def _note_label(maker: PageMaker, note: Note, language: str, text) -> str:
    """A note's label as the page words it (the theme's ``note_label``): "Update: DATE:" for a long note,
    else "Revised as of TIME on DATE:" (or "Revised on DATE:" for a date without a time)."""
    if note.long:
        return text.gettext("Update: %(date)s:") % {"date": _moment(maker, note.date, language)}
    local, day = note.date.astimezone(maker.config.timezone), maker.day(note.date, language)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        said = text.gettext("Revised on %(date)s:") if note.html else text.gettext("Revised on %(date)s.")
        return said % {"date": day}
    clock = show_time(local, maker.config.time_format, cldr_locale(language or maker.config.language))
    said = text.gettext("Revised as of %(moment)s:") if note.html else text.gettext("Revised as of %(moment)s.")
    return said % {"moment": text.gettext("%(time)s on %(date)s") % {"time": clock, "date": day}}


def _end(maker: PageMaker, view: PostView) -> str:
    """Where the series goes on: "Continued in Part 3: TITLE" (a link), "To be continued in Part 3: …" or
    "This concludes the series."."""
    c, text = view.continuation, maker.words(view.language)
    if c is None:
        return ""
    title = escape(c.title, quote=False)
    own = c.language or maker.config.language  # a title in another language than the entry's says so, as on pages
    marks = "" if own == (view.language or maker.config.language) else f' lang="{own}" dir="{direction(own)}"'
    if c.kind == "next":
        link = f'<a href="{escape(c.url or "")}"{marks}>{title}</a>'
        said = text.gettext("Continued in Part %(part)s: %(title)s") % {"part": c.part, "title": link}
    elif c.kind == "forthcoming" and c.date:  # worded as the page words it, a date passed too
        said = (text.gettext("To be continued in Part %(part)s: %(title)s (was planned for %(date)s)") if c.overdue
                else text.gettext("To be continued in Part %(part)s: %(title)s (planned for %(date)s)")) % {
            "part": c.part, "title": f"<em{marks}>{title}</em>", "date": escape(maker.day(c.date, view.language))}
    elif c.kind == "forthcoming":
        said = text.gettext("To be continued in Part %(part)s: %(title)s") % {"part": c.part,
                                                                               "title": f"<em{marks}>{title}</em>"}
    elif c.kind == "unknown":
        said = text.gettext("To be continued in Part %(part)s.") % {"part": c.part}
    else:
        said = text.gettext("This concludes the series.")
    return f"<hr>\n<p><strong>{said}</strong></p>\n"


def all_feeds(maker: PageMaker) -> list[Feed]:
    config, urls = maker.config, maker.urls
    limit, entries = config.feed_entries, _Entries(maker)
    views = list(maker.posts.values())
    feeds = [Feed(config.title, config.description, urls.absolute(U.HOME), "", ()),
             Feed(maker.text.gettext("%(site)s: updates") % {"site": config.title},
                  maker.text.gettext("Every revision of an essay on %(site)s.") % {"site": config.title},
                  urls.absolute(U.UPDATES), U.UPDATES, ())]
    kept = [entries.kept(views, limit), newest(entries.candidates(views, posts=False), limit)]
    for slug, series in maker.series_views.items():
        members = [maker.posts[k] for k in maker.site.series[slug].parts]
        description = prose_text(str(maker.cached.markdown(maker.site.series[slug].description)))
        feeds.append(Feed(f"{series.title} — {config.title}", description, series.abs_url, U.series_path(slug), ()))
        kept.append(entries.kept(members, limit))
    entries.redlines_ahead(kept)
    feeds = [replace(feed, entries=tuple(make() for _, _, make in chosen)) for feed, chosen in zip(feeds, kept)]
    # an empty feed has been so since the site's first post: a date that a new post or series does not move
    quiet = min((maker.site.posts[key].date for key in maker.site.order), default=None)
    feeds = [feed if feed.entries or quiet is None else replace(feed, quiet=quiet) for feed in feeds]
    by_series = dict(zip(maker.series_views, feeds[2:]))
    # a feed reader cannot be sent on from a feed that is gone: a renamed series' feeds stay where they were
    # too, under the id they had (the page it names redirects)
    feeds += [replace(by_series[slug], prefix=old, home=urls.absolute(old))
              for old, slug in renamed_series(maker.site).items()]
    return [replace(feed, hub=config.websub_hub) for feed in feeds] if config.websub_hub else feeds
