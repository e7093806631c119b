"""A Hugo site's configuration: the first file Hugo would read (``hugo.toml``, ``config.yaml``, or those in
``config/_default/``, with ``languages.*`` and ``markup.*`` beside them), its setting names in lower case as
Hugo reads them, the languages it names, each with the content folder of its own, if it has one, and whether
its Markdown renderer showed raw HTML."""
from __future__ import annotations

import json
import logging
import re
import tomllib
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
    """The site's configuration (``config_file``), with ``languages.*`` and ``markup.*`` beside it or in
    ``config/_default/`` as its ``languages`` and ``markup`` (Hugo reads a file there named after a key as
    that key)."""
    path = config_file(source)
    if path is None:
        return {}
    config = _parse_config(path, read_text(path, str(path)))
    for key in ("languages", "markup"):
        own = next((folder / f"{key}{suffix}" for folder in dict.fromkeys((path.parent, source / "config" / "_default"))
                    for suffix in dict.fromkeys(Path(n).suffix for n in CONFIGS)
                    if (folder / f"{key}{suffix}").is_file()), None)
        if own is not None and key not in config:
            config[key] = _parse_config(own, read_text(own, str(own)))
    return config


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


def raw_html_left_out(config: dict[str, Any], source: Path) -> str | None:
    """Why Hugo left the raw HTML of the site's Markdown out of its pages, for the report; None when it showed
    it.  goldmark, Hugo's Markdown renderer since 0.60, writes ``<!-- raw HTML omitted -->`` in its place
    unless the settings say ``markup.goldmark.renderer.unsafe = true``; blackfriday (Hugo's before, or named
    by ``markup.defaultMarkdownHandler``) and pandoc showed it."""
    shown = config_file(source)
    named = shown.relative_to(source).as_posix() if shown else "the site's settings"
    handler = str(_setting(config, "markup", "defaultmarkdownhandler") or "").lower()
    if handler and handler != "goldmark":
        return None
    unsafe = _setting(config, "markup", "goldmark", "renderer", "unsafe")
    if unsafe is True or str(unsafe).lower() == "true":
        return None
    if unsafe is not None:
        return f"{named} sets markup.goldmark.renderer.unsafe to {json.dumps(unsafe)}"
    if not handler:
        pinned = _pinned_version(source)
        if pinned is not None and pinned < (0, 60):
            return None  # blackfriday, which showed raw HTML, was the default before 0.60
    return f"{named} does not set markup.goldmark.renderer.unsafe, false unless set since Hugo 0.60"


def _setting(config: dict[str, Any], *keys: str) -> object:
    """A nested setting, its names in any case as Hugo reads them; None when it is not set."""
    found: object = config
    for key in keys:
        if not isinstance(found, dict):
            return None
        found = next((v for k, v in found.items() if str(k).lower() == key), None)
    return found


_VERSION = re.compile(r"""(?im)^\s*-?\s*["']?hugo[_-]version["']?\s*[:=]\s*["']?v?(\d+)\.(\d+)""")
"""``HUGO_VERSION = "0.55.6"`` (netlify.toml), ``hugo-version: '0.54.0'`` (a GitHub workflow)."""


def _pinned_version(source: Path) -> tuple[int, int] | None:
    """The Hugo version the site's build settings pin (netlify.toml, a GitHub workflow); None when none says."""
    places = [source / "netlify.toml", *sorted((source / ".github" / "workflows").glob("*.y*ml"))]
    for place in places:
        if place.is_file() and not place.is_symlink():
            found = _VERSION.search(place.read_text(encoding="utf-8", errors="replace"))
            if found:
                return int(found.group(1)), int(found.group(2))
    return None
