"""The ``feuilleton`` command's entry point: Ctrl-C while Python is still loading the engine (before
``cli.main`` can answer it) exits 130 without a traceback, as it does later; nothing has been done yet."""
from __future__ import annotations

import sys


def main() -> int:
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return run()
