"""The Jinja environment and the list of pages a site consists of.

Templates are looked up on a search path: the site's ``templates/`` first,
then the built-in theme, which is also reachable as ``theme/NAME`` so that
an override can ``{% extends "theme/post.html" %}`` and change one block.
``plan`` turns the site into ``Page`` jobs (output path, template,
context); rendering a job is a pure function of those, which is what lets
the writer skip jobs whose inputs did not change.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
from babel import Locale
from jinja2.loaders import split_template_path
from markupsafe import Markup

from .. import THEME
from ..config import Config
from ..errors import Diagnostic, Report, SiteError
from ..locale import LOCALE, cldr_locale, direction, translations
from ..locale.grammar import agree
from ..model.dates import for_machines, show_date, show_datetime, show_time
from ..site.urls import readable
from ..source.files import BROKEN_LINK, inside, is_regular, read_regular
from ..text.cutting import gist, shorten
from .undefined import Explained

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Page:
    """One file of the output, not yet rendered."""

    path: str
    """Site path, e.g. ``series/x/`` or ``sitemap.xml``."""
    template: str
    """Template name."""
    context: dict[str, Any]
    """What the template sees (views only)."""
    source: str
    """What it comes from, for collision messages."""
    deferred: Callable[[], dict[str, Any]] | None = None
    """The rest of the context, worked out only when the page is rendered, on a worker: an old
    version's view or a diff's HTML, which the build's main process then never holds."""

    def view(self, late: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole context (``late``: what ``deferred`` gave, if it was already called)."""
        if self.deferred is None:
            return self.context
        return {**self.context, **(self.deferred() if late is None else late)}


def _date_only(local: datetime) -> bool:
    """Midnight to the second: a date written without a time (``clock`` then shows none, ``datetime`` the
    date alone)."""
    return (local.hour, local.minute, local.second) == (0, 0, 0)


def page_language(context: jinja2.runtime.Context, default: str) -> str:
    """The language a page is written in: its post's, if the post says; on a page without a post, the one its
    context names as ``chapter_language`` (an EPUB's title page, in the book's language); else the site's."""
    post = context.get("post")
    if post is not None:
        return getattr(post, "language", "") or default
    return context.get("chapter_language") or default


def _dates(config: Config, show: Callable[[datetime, Locale], str]) -> Callable[..., str]:
    """A date filter: ``show`` of ``moment`` in the site's zone and the page's language, or in ``language``
    when given (``part.as_of|date(post.language)``: a filter does not see a post set in a loop, as ``_`` does).

    Every page shows the dates of its series' parts and its post's versions,
    so each moment is formatted once per build and language, not once per
    page.  The key holds the UTC offset because two moments in the repeated
    hour of a clock change compare equal.
    """
    @functools.lru_cache(maxsize=1 << 14)
    def formatted(moment: datetime, offset: object, language: str) -> str:
        return show(moment.astimezone(config.timezone), cldr_locale(language))

    @jinja2.pass_context
    def date_filter(context: jinja2.runtime.Context, moment: datetime | None, language: str = "") -> str:
        if moment is None:
            return ""
        return formatted(moment, moment.utcoffset(), language or page_language(context, config.language))
    return date_filter


NOTES_SHOWN = 3
"""Revision notes a post shows at its top (a page's ``revision_notes``, a feed's entry) before the older ones fold
into one line: an essay revised every week had its first words pages down."""
_FILLED = frozenset({str, Markup, int})
"""The values a filled string is remembered by: equal values give equal strings (a ``Markup`` value is not
escaped where its equal ``str`` is, so each value's type is part of the key)."""
_FILLED_MAX = 1 << 16

_PLACEHOLDER = re.compile(r"%\(\w+\)s")
_ENGLISH = re.compile(r"[A-Za-z]{2}")
"""A message with a word of English in it, its placeholders aside."""


def _install_i18n(env: jinja2.Environment, config: Config, site_dir: Path) -> None:
    """Theme strings through gettext, in each page's language (``_``, ``gettext``, ``ngettext`` with
    newstyle placeholders), and ``language()``/``direction()`` for ``lang`` and ``dir``.

    The callables keep Jinja's newstyle meaning (the translation is a ``%`` format, its values escaped)
    but are our own: a page asks for some thirty strings, most without values, and Jinja's would look
    each up through two context calls and format it again on every page.  Here a string without values
    is translated and formatted once per language for the environment's life.
    """
    env.add_extension("jinja2.ext.i18n")
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    words = functools.lru_cache(maxsize=None)(lambda language: translations(language, site_dir))
    # one lookup per language for the environment's life: a changed catalog changes the templates'
    # fingerprint, and with it the environment
    plain: dict[tuple[str, str, bool], str] = {}

    def shown(text: str, escape: bool) -> str:
        return Markup(text) if escape else text

    def translated(language: str, text: str, message: str) -> str:
        """``text``, the translation of ``message``; an English message no catalog translated, on a right-to-left
        page (a Hebrew site with no catalog yet), isolated as left to right, and each value in it by its own
        first letter, so that "First published." does not read ".First published" and a Hebrew date keeps
        its order inside an English label."""
        if text == message and direction(language) == "rtl" and _ENGLISH.search(_PLACEHOLDER.sub("", message)):
            return "\u2066" + _PLACEHOLDER.sub("\u2068\\g<0>\u2069", text) + "\u2069"  # a value (a date) in its own
        return text

    filled: dict[tuple[Any, ...], str] = {}
    """Strings with values, each filled once: a series' contents asks "Part %(part)s" for each part on the page
    of every part, and a date's label comes back on every page that lists the post."""

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **values: Any) -> str:
        language, escape = page_language(context, config.language), context.eval_ctx.autoescape
        if values:
            said = (language, message, escape, *((k, type(v), v) for k, v in values.items())) \
                if all(type(v) in _FILLED for v in values.values()) else None
            found = filled.get(said) if said is not None else None
            if found is None:
                text = agree(language, translated(language, words(language).gettext(message), message), values)
                found = shown(text, escape) % values
                if said is not None:
                    if len(filled) > _FILLED_MAX:  # a long ``serve`` session: start again rather than grow
                        filled.clear()
                    filled[said] = found
            return found
        key = (language, message, escape)
        found = plain.get(key)
        if found is None:
            text = translated(language, words(language).gettext(message), message)
            found = plain[key] = shown(text, escape) % {}
        return found

    @jinja2.pass_context
    def ngettext(context: jinja2.runtime.Context, one: str, many: str, n: int, **values: Any) -> str:
        values.setdefault("num", n)
        language = page_language(context, config.language)
        text = agree(language, translated(language, words(language).ngettext(one, many, n), one if n == 1 else many),
                     values)
        return shown(text, context.eval_ctx.autoescape) % values

    env.globals.update(gettext=gettext, ngettext=ngettext, _=gettext)
    env.globals["language"] = jinja2.pass_context(lambda context: page_language(context, config.language))
    env.globals["direction"] = jinja2.pass_context(lambda context: direction(page_language(context, config.language)))
    env.globals["direction_of"] = direction

    def other(context: jinja2.runtime.Context, tag: str) -> str:
        """``tag`` (a post's ``language``, empty for the site's) when it is not the page's language, else empty."""
        own = tag or config.language
        return "" if own == page_language(context, config.language) else own

    @jinja2.pass_context
    def lang_attrs(context: jinja2.runtime.Context, tag: str) -> Markup:
        """`` lang="…" dir="…"`` for words in ``tag`` when it is not the page's language; nothing when it is.
        A function, not a macro: a page asks it for every part it lists."""
        own = other(context, tag)
        return Markup(' lang="%s" dir="%s"') % (own, direction(own)) if own else Markup("")

    @jinja2.pass_context
    def hreflang_attr(context: jinja2.runtime.Context, tag: str) -> Markup:
        """`` hreflang="…"`` for a link to a post in ``tag``, on the same terms as ``lang_attrs``."""
        own = other(context, tag)
        return Markup(' hreflang="%s"') % own if own else Markup("")

    @jinja2.pass_context
    def notes_lang(context: jinja2.runtime.Context) -> Markup:
        """``lang_attrs`` for the words of revision notes, which are in the post's language now: on the page of
        a version recorded in another language, the context names that (``note_language``); elsewhere nothing."""
        tag = context.get("note_language")
        return lang_attrs(context, tag) if tag is not None else Markup("")

    env.globals.update(lang_attrs=lang_attrs, hreflang_attr=hreflang_attr, notes_lang=notes_lang,
                       notes_shown=NOTES_SHOWN)


def _install_dates(env: jinja2.Environment, config: Config) -> None:
    """The date filters: ``date``, ``time``, ``clock`` (none for a date without a time), ``datetime``,
    ``iso`` and ``year``."""
    day, hour = config.date_format, config.time_format
    env.filters["date"] = _dates(config, lambda local, locale: show_date(local, day, locale))
    env.filters["time"] = _dates(config, lambda local, locale: show_time(local, hour, locale))
    env.filters["clock"] = _dates(config, lambda local, locale: "" if _date_only(local)
                                  else show_time(local, hour, locale))
    env.filters["datetime"] = _dates(config, lambda local, locale: show_date(local, day, locale)
                                     if _date_only(local) else show_datetime(local, day, hour, locale))
    env.filters["iso"] = _dates(config, lambda local, locale: for_machines(local).isoformat(timespec="seconds"))
    env.filters["year"] = lambda m: m.astimezone(config.timezone).year


def environment(site_dir: Path, config: Config, bytecode: Path | None = None) -> jinja2.Environment:
    """The Jinja environment; reused while templates and config are unchanged.

    ``bytecode`` is a folder where compiled templates are kept between runs.
    """
    return _environment(site_dir, config, templates_fingerprint(site_dir), bytecode)


class _SiteTemplates(jinja2.BaseLoader):
    """The site's own templates, read as every file of the site is: a regular file only, and never
    through a link out of the site, which would print what it points at (``/etc/passwd``) into pages.
    A page that uses such a template stops the build with an error: falling back to the theme's would
    publish pages the author did not design.  A byte-order mark, as an editor may save, is dropped; a
    template that is not UTF-8 (saved as Latin-1, say) is an error at its line."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.site_dir.joinpath("templates", *split_template_path(template))
        if not os.path.lexists(path) or path.is_dir():
            raise jinja2.TemplateNotFound(template)
        if not path.exists():  # a link to nothing, or round a loop of links: the theme's would stand in unseen
            raise SiteError(Diagnostic(Report(self.site_dir).where(path), 0, f"{BROKEN_LINK}, so the theme's "
                                       "template would be used unseen: point it at the template, or remove it to "
                                       "use the theme's"))
        data = _site_template(path, self.site_dir)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise jinja2.TemplateSyntaxError(f"not UTF-8 text (byte 0x{data[e.start]:02x}): save the template as "
                                             "UTF-8", data.count(b"\n", 0, e.start) + 1, template, str(path)) from e
        read = _modified(path)
        return source.removeprefix("\ufeff"), str(path), lambda: _modified(path) == read


def _site_template(path: Path, site_dir: Path) -> bytes:
    """The bytes of one of the site's templates; a ``SiteError`` naming it if it lies outside the site or
    is not a regular file (a named pipe would make the build wait for ever)."""
    shown = Report(site_dir).where(path)
    if not inside(path, site_dir):
        raise SiteError(Diagnostic(shown, 0, f"links out of the site (to {os.path.realpath(path)}), and no template "
                                   "is read from outside it; copy the file into templates/ in place of the link"))
    try:
        return read_regular(path)
    except OSError as e:
        raise SiteError(Diagnostic(shown, 0, f"cannot read: {e.strerror}")) from e


def _modified(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@functools.lru_cache(maxsize=4)
def _environment(site_dir: Path, config: Config, fingerprint: str, bytecode: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(THEME)})]
    # first: ``theme/NAME`` is always the theme's own, whatever templates/theme/ holds
    if (site_dir / "templates").is_dir():  # a folder linked out of the site too: each template says so
        loaders.append(_SiteTemplates(site_dir))
    loaders.append(jinja2.FileSystemLoader(THEME))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             undefined=Explained, trim_blocks=True, lstrip_blocks=True,
                             auto_reload=False, cache_size=-1, bytecode_cache=_bytecode_cache(bytecode))
    _install_dates(env, config)
    _install_i18n(env, config, site_dir)
    env.filters["plural"] = lambda n, one, many: one if n == 1 else many
    env.filters["shorten"] = shorten
    env.filters["gist"] = gist
    env.filters["readable"] = readable
    return env


def _bytecode_cache(site_folder: Path | None) -> jinja2.BytecodeCache | None:
    """Compiled templates for the site whose cache would be ``site_folder``.  They are Python code, so they
    are kept in the user's own cache folder (``$XDG_CACHE_HOME/feuilleton``), one folder per site, never in
    the site folder, where a committed or restored file would run with the next build."""
    if site_folder is None:
        return None
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "feuilleton" / "jinja"
    folder = home / hashlib.sha256(str(site_folder.resolve()).encode()).hexdigest()[:24]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # an unusable cache folder only makes the build slower
    return jinja2.FileSystemBytecodeCache(str(folder))


def templates_fingerprint(site_dir: Path) -> str:
    """A hash of every template that could be used: changes invalidate pages.

    Links to folders within the site are followed, as the loader follows them; a template that could
    not be used (a link out of the site, a pipe) counts by its name alone and is never opened.
    """
    digest = hashlib.sha256()
    for folder, root in ((site_dir / "templates", site_dir), (THEME, THEME), (LOCALE, LOCALE)):
        for rel, path in walk_within(folder, root):
            try:
                digest.update(os.fsencode(rel) + b"\0" + (read_regular(path) if is_regular(path) else b"\0unusable"))
            except OSError:  # os.fsencode: a name need not be UTF-8, and no page can use one that is not
                digest.update(os.fsencode(rel) + b"\0\0unreadable")
    return digest.hexdigest()


def walk_within(folder: Path, root: Path, skipped: Callable[[Path, str], None] = lambda path, why: None,
                holders: frozenset[str] = frozenset(), rel: str = "",
                unentered: frozenset[str] = frozenset()) -> Iterator[tuple[str, Path]]:
    """``(path below folder, path)`` for everything under ``folder`` but folders, in name order, and nothing
    under a folder named in ``unentered``.

    A link to a folder is followed only where it stays within ``root`` and does not lead back to a
    folder that holds it; a link that leaves ``root`` or leads nowhere is not yielded.  ``skipped``
    hears of each such link and what became of it, for a warning.
    """
    if folder.is_symlink() and not _followed(folder, root, skipped):
        return
    real = os.path.realpath(folder)
    if real in holders:
        skipped(folder, "leads back to a folder that holds it (a link in a loop): skipped")
        return
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.is_dir():
            if entry.name not in unentered:
                yield from walk_within(entry, root, skipped, holders | {real}, f"{rel}{entry.name}/", unentered)
        elif not entry.is_symlink() or _followed(entry, root, skipped):
            yield f"{rel}{entry.name}", entry


def _followed(link: Path, root: Path, skipped: Callable[[Path, str], None]) -> bool:
    """Whether a link leads to something within ``root``; if not, ``skipped`` is told why."""
    if not link.exists():
        skipped(link, "is a link to nothing: skipped")
        return False
    if inside(link, root):
        return True
    what = "folder" if link.is_dir() else "file"
    skipped(link, f"links out of the site (to {os.path.realpath(link)}), and nothing is read from outside it: "
            f"skipped; copy the {what} into the site instead")
    return False


def compile_templates(env: jinja2.Environment, names: set[str]) -> None:
    """Compile templates now, so that forked workers inherit them instead of each compiling its own.

    A template with a mistake is skipped here: rendering a page with it
    reports the mistake with its file and line.
    """
    for name in sorted(names):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            continue


def render_page(env: jinja2.Environment, page: Page, site_dir: Path, view: dict[str, Any] | None = None) -> bytes:
    """Render one page (with ``view``, its whole context, if already worked out); template mistakes
    become ``file:line`` errors."""
    try:
        template = env.get_template(page.template)
        return template.render(page.view() if view is None else view).encode("utf-8")
    except jinja2.TemplateSyntaxError as e:
        raise SiteError(Diagnostic(_template_name(e.filename, site_dir), e.lineno or 0,
                                   f"template syntax error: {e.message}")) from e
    except jinja2.TemplateNotFound as e:  # blamed on the template that includes or extends it, if any
        where, line = _template_frame(e, site_dir)
        raise SiteError(Diagnostic(where or page.source, line, f"template not found: {e.name}")) from e
    except jinja2.UndefinedError as e:
        where, line = _template_frame(e, site_dir)
        raise SiteError(Diagnostic(where, line, f"template error while rendering {page.path or '/'}: {e.message}")) from e
    except RecursionError as e:  # {% extends "post.html" %} in the site's own post.html
        where, line = _template_frame(e, site_dir)
        name = Path(str(where)).name
        hint = f'; to build on the theme\'s {name}, write {{% extends "theme/{name}" %}}' if (THEME / name).is_file() else ""
        raise SiteError(Diagnostic(where or page.source, line, f"template extends or includes itself without end"
                                   f"{hint}")) from e
    except (TypeError, ValueError, AttributeError, KeyError, ZeroDivisionError) as e:
        where, line = _template_frame(e, site_dir)
        if where is None:
            raise
        raise SiteError(Diagnostic(where, line, f"template error while rendering {page.path or '/'}: {e}")) from e


def _template_name(filename: str | None, site_dir: Path) -> str:
    if not filename:
        return "templates"
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(site_dir.resolve()))
    except ValueError:
        return f"theme/{path.name}"


def _template_frame(error: BaseException, site_dir: Path) -> tuple[Any, int]:
    """The innermost template frame of a traceback: (file, line)."""
    found: tuple[Any, int] = (None, 0)
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            found = (_template_name(template.filename, site_dir), template.get_corresponding_lineno(tb.tb_lineno))
        elif code.co_filename.endswith((".html", ".xml", ".txt")):
            found = (_template_name(code.co_filename, site_dir), tb.tb_lineno)
        tb = tb.tb_next
    return found

