"""Which feeds a site has: the site's, each series', and the updates feed."""
from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from gettext import NullTranslations

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
    return count_summary(diff.words_added, diff.words_deleted, diff.blocks_changed, diff.blocks_moved,
                         maker.words(view.language))


def count_summary(added: int, deleted: int, changed: int, moved: int,
                  text: NullTranslations = NullTranslations()) -> str:
    """"+48 words, −3 words, 2 paragraphs changed." in ``text``'s language, with its plural forms."""
    if not (added or deleted or moved):
        return text.gettext("The text of the essay is unchanged.")
    parts = [text.ngettext("+%(num)s word", "+%(num)s words", added) % {"num": added},
             text.ngettext("−%(num)s word", "−%(num)s words", deleted) % {"num": deleted},
             text.ngettext("%(num)s paragraph changed", "%(num)s paragraphs changed", changed) % {"num": changed}]
    if moved:
        parts.append(text.ngettext("%(num)s paragraph moved", "%(num)s paragraphs moved", moved) % {"num": moved})
    return text.gettext("%(items)s.") % {"items": text.gettext(", ").join(parts)}


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
    return revision_entry(view, note, change_summary(maker, view, note.number), maker.urls,
                          maker.words(view.language))


def all_feeds(maker: PageMaker) -> list[Feed]:
    config, urls = maker.config, maker.urls
    limit = config.feed_entries
    views = list(maker.posts.values())
    feeds = [Feed(config.title, config.description, urls.absolute(U.HOME), "",
                  newest_first(_entries(maker, views), limit)),
             Feed(maker.text.gettext("%(site)s: updates") % {"site": config.title},
                  maker.text.gettext("Every revision of an essay on %(site)s.") % {"site": config.title},
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
    return [replace(feed, hub=config.websub_hub) for feed in feeds] if config.websub_hub else feeds
