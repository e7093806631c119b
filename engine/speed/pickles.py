"""Reading back what Feuilleton pickled, and nothing else.

The cache and the up-to-date stamp live in ``.feuilleton-cache/`` inside the
site folder, where a collaborator's commit, a restored CI cache or a hand can
put any file.  A plain unpickler runs whatever a pickle names; this one only
builds the engine's own data classes and the few standard types they hold,
and refuses everything else, so a foreign cache is thrown away, never run.
"""
from __future__ import annotations

import dataclasses
import datetime
import importlib
import io
import logging
import pathlib
import pickle
import zoneinfo
from typing import Any, BinaryIO

log = logging.getLogger(__name__)

_STANDARD = {("datetime", name): getattr(datetime, name) for name in ("date", "datetime", "time", "timedelta",
                                                                        "timezone")}
_STANDARD |= {("pathlib", name): getattr(pathlib, name) for name in ("PosixPath", "PurePosixPath")}
_STANDARD[("zoneinfo", "ZoneInfo")] = zoneinfo.ZoneInfo


def _zone_getattr(owner: object, name: str) -> Any:
    """The one ``getattr`` a pickle may ask for: how a ``ZoneInfo`` is rebuilt."""
    if owner is zoneinfo.ZoneInfo and name == "_unpickle":
        return zoneinfo.ZoneInfo._unpickle
    raise pickle.UnpicklingError(f"refused: getattr({owner!r}, {name!r})")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _STANDARD:
            return _STANDARD[module, name]
        if (module, name) == ("builtins", "getattr"):
            return _zone_getattr
        if module.startswith("engine.") and "." not in name:
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and (dataclasses.is_dataclass(found) or getattr(found, "PICKLED", False)):
                return found
        raise pickle.UnpicklingError(f"refused: {module}.{name} is not something Feuilleton pickles")


def load(handle: BinaryIO) -> Any:
    """One pickled value from ``handle``; ``pickle.UnpicklingError`` for anything Feuilleton did not write."""
    return _Unpickler(handle).load()


def loads(data: bytes) -> Any:
    return load(io.BytesIO(data))
