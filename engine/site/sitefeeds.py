"""Which feeds a site has: the site's, each series', and the updates feed."""
from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial

from ..text.markdown import plain_text
from . import urls as U
from .feeds import Candidate, Entry, Feed, newest_first, post_entry, revision_entry, revision_id
from .moves import renamed_series
from .pages import PageMaker
from .views import PostView

log = logging.getLogger(__name__)


def change_summary(maker: PageMaker, view: PostView, number: int) -> str:
    post = maker.site.posts[view.key]
    before, after = post.versions[number - 2], post.versions[number - 1]
    diff = maker.diff(before.body, after.body)
    return count_summary(diff.words_added, diff.words_deleted, diff.blocks_changed, diff.blocks_moved)


def count_summary(added: int, deleted: int, changed: int, moved: int) -> str:
    if not (added or deleted or moved):
        return "The text of the essay is unchanged."
    parts = [f"+{added} word{'s' if added != 1 else ''}", f"−{deleted} word{'s' if deleted != 1 else ''}",
             f"{changed} paragraph{'s' if changed != 1 else ''} changed"]
    if moved:
        parts.append(f"{moved} paragraph{'s' if moved != 1 else ''} moved")
    return ", ".join(parts) + "."


def _entries(maker: PageMaker, views: list[PostView], posts: bool = True) -> list[Candidate]:
    """Every entry the feed could hold; ``newest_first`` makes only the ones it keeps."""
    candidates = []
    for view in views:
        if view.status != "published":
            continue
        if posts:
            candidates.append((view.date, view.entry_id, partial(post_entry, view)))
        for note in view.notes:
            candidates.append((note.date, revision_id(view.entry_id, note.number),
                               partial(_revision, maker, view, note)))
    return candidates


def _revision(maker: PageMaker, view: PostView, note) -> Entry:
    return revision_entry(view, note, change_summary(maker, view, note.number), maker.urls)


def all_feeds(maker: PageMaker) -> list[Feed]:
    config, urls = maker.config, maker.urls
    limit = config.feed_entries
    views = list(maker.posts.values())
    feeds = [Feed(config.title, config.description, urls.absolute(U.HOME), "",
                  newest_first(_entries(maker, views), limit)),
             Feed(f"{config.title}: updates", f"Every revision of an essay on {config.title}.",
                  urls.absolute(U.UPDATES), U.UPDATES, newest_first(_entries(maker, views, posts=False), limit))]
    by_series = {}
    for slug, series in maker.series_views.items():
        members = [maker.posts[k] for k in maker.site.series[slug].parts]
        description = plain_text(str(maker.cached.markdown(maker.site.series[slug].description)))
        by_series[slug] = Feed(f"{series.title} — {config.title}", description,
                               series.abs_url, U.series_path(slug), newest_first(_entries(maker, members), limit))
    feeds += by_series.values()
    # a feed reader cannot be sent on from a feed that is gone: a renamed series' feeds stay where they were
    # too, under the id they had (the page it names redirects)
    feeds += [replace(by_series[slug], prefix=old, home=urls.absolute(old))
              for old, slug in renamed_series(maker.site).items()]
    return feeds
