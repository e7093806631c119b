"""A Hugo site's configuration: the first file Hugo would read (``hugo.toml``, ``config.yaml``, or those in
``config/_default/``, with ``languages.*`` beside them), its setting names in lower case as Hugo reads them,
and the languages it names, each with the content folder of its own, if it has one."""
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
    """The site's configuration (``config_file``); in ``config/_default/``, with ``languages.*`` beside it as
    its ``languages`` (Hugo reads a file there named after a key as that key)."""
    path = config_file(source)
    if path is None:
        return {}
    config = _parse_config(path, read_text(path, str(path)))
    own = next((path.parent / f"languages{suffix}" for suffix in dict.fromkeys(Path(n).suffix for n in CONFIGS)
                if (path.parent / f"languages{suffix}").is_file()), None)
    if own is not None and "languages" not in config:
        config["languages"] = _parse_config(own, read_text(own, str(own)))
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
    languages: dict[str, Path | None] = {}
    found = config.get("languages")
    for name, settings in found.items() if isinstance(found, dict) else ():
        folder = next((v for k, v in settings.items() if k.lower() == "contentdir"), None) \
            if isinstance(settings, dict) else None
        languages[str(name).lower()] = (source / folder).resolve() if isinstance(folder, str) and folder else None
    return languages
