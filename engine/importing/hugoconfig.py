"""A Hugo site's configuration, read as ``hugo`` read it: the site's file (``hugo.toml``, ``config.yaml``…),
then the files in ``config/_default/`` and in ``config/production/`` over it (``markup.toml`` as ``markup``),
its setting names in lower case as Hugo reads them; the languages it names, each with the content folder of
its own, if it has one; and whether its Markdown renderer showed raw HTML, and which file says so."""
from __future__ import annotations

import json
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Diagnostic, SiteError
from .folder import read_text

log = logging.getLogger(__name__)

CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
           "config.json")


def config_file(source: Path) -> Path | None:
    """The first config file Hugo would read: in the site's folder, then in ``config/_default/``."""
    return next((folder / name for folder in (source, source / "config" / "_default") for name in CONFIGS
                 if (folder / name).is_file()), None)


def read_config(source: Path) -> dict[str, Any]:
    """The site's configuration as Hugo read it for its pages (``config_layers``, each over those before it,
    table by table), with ``languages.*`` beside the site's file as its ``languages`` when none says them."""
    config: dict[str, Any] = {}
    for _, layer in config_layers(source):
        config = _merged(config, layer)
    root = config_file(source)
    own = next((source / f"languages{suffix}" for suffix in dict.fromkeys(Path(n).suffix for n in CONFIGS)
                if (source / f"languages{suffix}").is_file()), None)
    if root is not None and root.parent == source and own is not None and "languages" not in config:
        config["languages"] = _parse_config(own, read_text(own, str(own)))
    return config


ENVIRONMENT = "production"
"""The environment ``hugo`` builds a site for unless told otherwise (``hugo server``'s is development)."""


def config_layers(source: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Each settings file Hugo reads, with its settings, in the order it reads them, a later one's settings
    over an earlier's: the site's file (``hugo.toml``, else ``config.toml``…), then those of
    ``config/_default/``, then those of ``config/production/``, each folder's in the order of their names;
    a ``hugo.*`` or ``config.*`` there holds settings of every kind, any other the settings of the key it is
    named after (``markup.toml``: ``markup``).  A language's own (``menus.fr.toml``) is left out."""
    layers: list[tuple[Path, dict[str, Any]]] = []
    root = next((source / name for name in CONFIGS if (source / name).is_file()), None)
    if root is not None:
        layers.append((root, _parse_config(root, read_text(root, str(root)))))
    suffixes = {Path(n).suffix for n in CONFIGS}
    for folder in (source / "config" / "_default", source / "config" / ENVIRONMENT):
        found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in suffixes
                       and "." not in p.stem) if folder.is_dir() else []
        for path in found:
            settings = _parse_config(path, read_text(path, str(path)))
            layers.append((path, settings if path.stem in ("hugo", "config") else {path.stem.lower(): settings}))
    return layers


def _merged(under: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over``'s settings over ``under``'s, a table's key by key, names in any case as Hugo reads them."""
    merged = dict(under)
    for key, value in over.items():
        same = next((k for k in merged if str(k).lower() == str(key).lower()), key)
        if isinstance(value, dict) and isinstance(merged.get(same), dict):
            value = _merged(merged.pop(same), value)
        else:
            merged.pop(same, None)
        merged[key] = value
    return merged


def _parse_config(path: Path, text: str) -> dict[str, Any]:
    shown = str(path)
    try:
        if path.suffix == ".toml":
            loaded: object = tomllib.loads(text)
        elif path.suffix == ".json":
            loaded = json.loads(text)
        else:
            loaded = yaml.safe_load(text)
    except tomllib.TOMLDecodeError as e:
        found = re.search(r"at line (\d+)", str(e))
        raise SiteError(Diagnostic(shown, int(found.group(1)) if found else 0, f"cannot read: {e}")) from e
    except json.JSONDecodeError as e:
        raise SiteError(Diagnostic(shown, e.lineno, f"cannot read: {e.msg}")) from e
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 0
        raise SiteError(Diagnostic(shown, line, f"cannot read: {e.problem or e}")) from e
    # Hugo reads its settings' names in any case (canonifyURLs, canonifyurls): kept here in lower case
    return {str(k).lower(): v for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def content_languages(config: dict[str, Any], source: Path) -> dict[str, Path | None]:
    """The site's ``[languages]``, by code in lower case, each with its own ``contentDir`` (resolved), if any."""
    return {name: (source / folder).resolve() if folder else None for name, folder in _language_folders(config).items()}


def _language_folders(config: dict[str, Any]) -> dict[str, str | None]:
    """Each of the site's ``[languages]``, by code in lower case, with its own ``contentDir`` as written, if any."""
    languages: dict[str, str | None] = {}
    found = config.get("languages")
    for name, settings in found.items() if isinstance(found, dict) else ():
        folder = next((v for k, v in settings.items() if str(k).lower() == "contentdir"), None) \
            if isinstance(settings, dict) else None
        languages[str(name).lower()] = folder if isinstance(folder, str) and folder else None
    return languages


def content_folders_then(settings: bytes) -> list[str] | None:
    """The folders, from the site's top, that Hugo read content from as a settings file a commit left said (its
    ``contentDir``, ``content`` by default, and each language's own); None for settings that cannot be read.  The
    file's name is not known here: TOML, JSON and YAML are tried in turn, as each refuses the others' text."""
    try:
        text = settings.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    loaded: object = None
    for parse in (tomllib.loads, json.loads, yaml.safe_load):
        try:
            loaded = parse(text)
        except (tomllib.TOMLDecodeError, json.JSONDecodeError, yaml.YAMLError):
            continue
        break
    if not isinstance(loaded, dict):
        return None
    config = {str(k).lower(): v for k, v in loaded.items()}
    own = config.get("contentdir")
    folders = [own.strip("/") if isinstance(own, str) and own.strip("/") else "content"]
    return folders + [folder.strip("/") for folder in _language_folders(config).values() if folder]


@dataclass(frozen=True)
class RawHtml:
    """Whether Hugo's Markdown renderer left the raw HTML of the site's Markdown out of its pages, and what in
    the source says so, for the report."""

    left_out: bool
    why: str
    """The setting or pin that says it, with its file: ``config/_default/markup.toml sets
    markup.goldmark.renderer.unsafe to false``."""
    file: str
    """The file the report names (from the site's folder): the one that says it; when none does, the one to
    say it in (``config/_default/markup.toml`` where there is one, else the site's settings file)."""

    @property
    def table(self) -> str:
        """The table of ``file`` that ``unsafe`` is under: ``markup.toml`` holds ``markup``'s settings."""
        return "[goldmark.renderer]" if Path(self.file).stem == "markup" else "[markup.goldmark.renderer]"


def raw_html_left_out(source: Path) -> RawHtml:
    """Whether Hugo left the raw HTML of the site's Markdown out of its pages.  goldmark, Hugo's Markdown
    renderer since 0.60, writes ``<!-- raw HTML omitted -->`` in its place unless the settings say
    ``markup.goldmark.renderer.unsafe = true``; blackfriday (Hugo's before, or named by
    ``markup.defaultMarkdownHandler``) and pandoc showed it.  Each setting is the one of the last file Hugo
    read that says it (``config_layers``)."""
    layers = config_layers(source)
    shown = next((path for path, layer in reversed(layers) if path.stem == "markup"
                  and path.parent.name == "_default"), config_file(source))  # where unsafe = true would go
    named = shown.relative_to(source).as_posix() if shown else "hugo.toml"
    handler, handler_file = _last_set(layers, source, "markup", "defaultmarkdownhandler")
    if handler is not None and str(handler).lower() not in ("", "goldmark"):
        return RawHtml(False, f"{handler_file} sets markup.defaultMarkdownHandler to {json.dumps(handler)}",
                       handler_file)
    unsafe, unsafe_file = _last_set(layers, source, "markup", "goldmark", "renderer", "unsafe")
    if unsafe is True or str(unsafe).lower() == "true":
        return RawHtml(False, f"{unsafe_file} sets markup.goldmark.renderer.unsafe to {json.dumps(unsafe)}",
                       unsafe_file)
    if unsafe is not None:
        return RawHtml(True, f"{unsafe_file} sets markup.goldmark.renderer.unsafe to {json.dumps(unsafe)}",
                       unsafe_file)
    pinned = _pinned_version(source) if handler is None else None
    if pinned is not None and pinned[0] < (0, 60):  # blackfriday, which showed raw HTML, was the default then
        return RawHtml(False, f"{pinned[1]}, older than 0.60, whose renderer, blackfriday, showed raw HTML",
                       named)
    return RawHtml(True, "no settings file sets markup.goldmark.renderer.unsafe, false unless set since Hugo 0.60"
                   + (f"; {pinned[1]}" if pinned else ""), named)


def _last_set(layers: list[tuple[Path, dict[str, Any]]], source: Path, *keys: str) -> tuple[object, str]:
    """A setting as the last file that says it says it, and that file (from the site's folder); (None, "")
    when none does."""
    for path, layer in reversed(layers):
        found = _setting(layer, *keys)
        if found is not None:
            return found, path.relative_to(source).as_posix()
    return None, ""


def _setting(config: dict[str, Any], *keys: str) -> object:
    """A nested setting, its names in any case as Hugo reads them; None when it is not set."""
    found: object = config
    for key in keys:
        if not isinstance(found, dict):
            return None
        found = next((v for k, v in found.items() if str(k).lower() == key), None)
    return found


_VERSION = re.compile(r"""(?im)^\s*-?\s*["']?hugo[_-]version["']?\s*[:=]\s*["']?(v?(\d+)\.(\d+)[\w.-]*)""")
"""``HUGO_VERSION = "0.55.6"`` (netlify.toml), ``hugo-version: '0.54.0'`` (a GitHub workflow)."""
_NETLIFY = (("context", "production", "environment"), ("build", "environment"))
"""Where netlify.toml names the environment of a production deploy: its own context's over the build's."""


def _pinned_version(source: Path) -> tuple[tuple[int, int], str] | None:
    """The Hugo version the site's build settings pin for what readers saw, and the words that say where (a
    production deploy on Netlify, a GitHub workflow); None when none says."""
    netlify = source / "netlify.toml"
    if netlify.is_file() and not netlify.is_symlink():
        text = netlify.read_text(encoding="utf-8", errors="replace")
        try:
            settings = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            settings = None
        for table in _NETLIFY if settings is not None else ():
            written = _setting(settings, *table, "hugo_version")
            found = _VERSION.match(f"HUGO_VERSION = {written}") if isinstance(written, str) else None
            if found:
                return _version(found), (f"netlify.toml pins Hugo {found.group(1)} for production deploys, in "
                                         f"[{'.'.join(table)}]")
        found = _VERSION.search(text) if settings is None else None
        if found:
            return _version(found), f"netlify.toml pins Hugo {found.group(1)}"
    for place in sorted((source / ".github" / "workflows").glob("*.y*ml")):
        if place.is_file() and not place.is_symlink():
            found = _VERSION.search(place.read_text(encoding="utf-8", errors="replace"))
            if found:
                return _version(found), f"{place.relative_to(source).as_posix()} pins Hugo {found.group(1)}"
    return None


def _version(found: re.Match[str]) -> tuple[int, int]:
    return int(found.group(2)), int(found.group(3))
