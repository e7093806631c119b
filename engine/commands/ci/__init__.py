"""``init --ci github|gitlab``: a ready CI workflow that restores Feuilleton's cache, builds the site and
publishes it on GitHub or GitLab Pages.  The workflows are files beside this module, written as they are;
an existing file is never overwritten."""
from __future__ import annotations

import logging
from pathlib import Path

from ...errors import Diagnostic, SiteError

log = logging.getLogger(__name__)

WORKFLOWS = {"github": ".github/workflows/feuilleton.yml", "gitlab": ".gitlab-ci.yml"}
"""Each CI's workflow file, from the site folder (the repository's root)."""


def write_workflow(site: Path, kind: str) -> Path:
    """Write the ``kind`` workflow into ``site``; returns its path."""
    path = site / WORKFLOWS[kind]
    if path.exists():
        raise SiteError(Diagnostic(str(path), 0, "already exists; init never overwrites it (remove it to have "
                                   "Feuilleton's, or merge the two by hand)"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((Path(__file__).parent / f"{kind}.yml").read_bytes())
    return path
