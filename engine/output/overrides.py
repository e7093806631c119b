"""What a site's own templates do that it cannot mean: the mistakes Jinja passes over in silence.

A template in ``templates/`` replaces the theme's of the same name, and one that extends a theme's template
fills its blocks.  Three mistakes build without a word and change nothing: a file under ``templates/theme/``
(``theme/NAME`` is always the theme's own), a name that is the theme's but for its letter case or its
``.htm`` (which a case-blind disk, on macOS or Windows, would use after all), and a block the templates it
extends do not have (``{% block esay %}``); and a catalog of the site's words where none is read
(``locale/fr/LC_MESSAGES/messages.po``, the theme's layout).  Each is a warning with its file and line.
"""
from __future__ import annotations

import logging
from pathlib import Path

import jinja2
from jinja2 import nodes

from .. import THEME
from ..errors import Diagnostic, Report, SiteError
from ..source.files import is_regular
from .render import walk_within

log = logging.getLogger(__name__)

_MOST = 12
"""Blocks named in a warning, at most."""


def template_problems(env: jinja2.Environment, site_dir: Path) -> list[Diagnostic]:
    """A warning for each site template that is never used as its author meant."""
    folder = site_dir / "templates"
    if not folder.is_dir():
        return []
    report = Report(site_dir)
    theme = {path.relative_to(THEME).as_posix() for path in THEME.rglob("*") if path.is_file()}
    by_case = {name.casefold(): name for name in theme}
    found = [Diagnostic(report.where(path), 0, f"is a folder, so no page uses it and the theme's {by_case[name]} is "
                        "used instead: a template is a file", True)
             for name, path in sorted(_folders(folder).items()) if name in by_case]
    for name, path in walk_within(folder, site_dir):
        if path.name.startswith(".") or path.is_symlink() or not is_regular(path):
            continue  # a link, a pipe: the build says what is wrong with it, where a page uses it
        shown = report.where(path)
        if path.suffix == ".po" and not _site_catalog(name):
            parts = name.split("/")
            meant = f"templates/locale/{parts[1]}/messages.po" if len(parts) > 2 and parts[0] == "locale" \
                else "templates/locale/LANGUAGE/messages.po"
            found.append(Diagnostic(shown, 0, f"is never read: a site's own words for a language are in {meant}",
                                    True))
            continue
        if name.casefold().startswith("theme/"):
            found.append(Diagnostic(shown, 0, f"is never used: theme/{name[6:]} is always the theme's own template; "
                                    f"to change it, write templates/{name[6:]}", True))
            continue
        meant = by_case.get(name.casefold())
        if meant and meant != name:
            found.append(Diagnostic(shown, 0, f"is no template of the theme, and no page uses it: did you mean "
                                    f"templates/{meant}? (a disk blind to letter case, on macOS or Windows, would "
                                    "use it after all)", True))
            continue
        meant = by_case.get(name.casefold() + "l") if name.casefold().endswith(".htm") else None
        if meant:
            found.append(Diagnostic(shown, 0, f"is no template of the theme, and no page uses it: did you mean "
                                    f"templates/{meant}?", True))
            continue
        if path.suffix in (".html", ".xml"):
            found += _unknown_blocks(env, name, shown)
    return found


def _site_catalog(name: str) -> bool:
    """Whether a ``.po`` file in ``templates/`` is where a site's catalog is read from (``locale/fr/messages.po``),
    not where the theme keeps its own (``locale/fr/LC_MESSAGES/messages.po``) or anywhere else."""
    parts = name.split("/")
    return len(parts) == 3 and parts[0] == "locale" and parts[2] == "messages.po"


def _unknown_blocks(env: jinja2.Environment, name: str, shown: str) -> list[Diagnostic]:
    """A warning for each block of the template ``name`` that none of the templates it extends has."""
    try:
        tree = env.parse(env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
    except (jinja2.TemplateError, SiteError, OSError, UnicodeDecodeError):
        return []  # the build says what is wrong with it, where a page uses it
    parent = _extends(tree)
    if parent is None:
        return []
    chain, known = _blocks_of(env, parent)
    if known is None:
        return []
    said = ", ".join(sorted(known)[:_MOST]) + (", …" if len(known) > _MOST else "")
    called = {node.attr for node in tree.find_all(nodes.Getattr)  # ``{{ self.NAME() }}``: shown where called
              if isinstance(node.node, nodes.Name) and node.node.name == "self"}
    return [Diagnostic(shown, block.lineno, f"block `{block.name}` is in none of the templates it extends "
                       f"({', '.join(chain)}), so it is never shown; their blocks: {said}", True)
            for block in _own_blocks(tree) if block.name not in known and block.name not in called]


def _blocks_of(env: jinja2.Environment, name: str) -> tuple[list[str], set[str] | None]:
    """The templates ``name`` is, and extends in turn, and every block they have (None if one cannot be read)."""
    chain: list[str] = []
    known: set[str] = set()
    while name is not None and name not in chain and len(chain) < 16:
        try:
            tree = env.parse(env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
        except (jinja2.TemplateError, SiteError, OSError, UnicodeDecodeError):
            return chain, None
        chain.append(name)
        known.update(block.name for block in tree.find_all(nodes.Block))
        name = _extends(tree)  # type: ignore[assignment]
    return chain, known


def _extends(tree: nodes.Template) -> str | None:
    """The template this one extends, when it names it as it is (not by an expression)."""
    found = tree.find(nodes.Extends)
    return found.template.value if found is not None and isinstance(found.template, nodes.Const) \
        and isinstance(found.template.value, str) else None


def _own_blocks(node: nodes.Node) -> list[nodes.Block]:
    """The blocks a child template defines at its top: a block inside another is shown within it."""
    found = []
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Block):
            found.append(child)
        else:
            found += _own_blocks(child)
    return found


def _folders(folder: Path) -> dict[str, Path]:
    """The folders under ``folder`` named like a file (``post.html/``), by their path in it in lower case."""
    try:
        return {path.relative_to(folder).as_posix().casefold(): path for path in folder.rglob("*.*")
                if path.is_dir() and not path.is_symlink()}
    except OSError:
        return {}
