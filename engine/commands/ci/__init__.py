"""``init --ci github|gitlab``: a ready CI workflow that restores Feuilleton's cache, builds the site and
publishes it on GitHub or GitLab Pages.  The workflows are files beside this module, written as they are but
for the branch GitHub's runs on, which is the one the site's repository is on, and for where the runner
installs Feuilleton from (``source``); an existing file is never overwritten."""
from __future__ import annotations

import json
import logging
import re
import shlex
import subprocess
from pathlib import Path

from ...errors import Diagnostic, SiteError
from .source import Source, installed_source

log = logging.getLogger(__name__)

WORKFLOWS = {"github": ".github/workflows/feuilleton.yml", "gitlab": ".gitlab-ci.yml"}
"""Each CI's workflow file, from the site folder (the repository's root)."""


_INSTALL = "python -m pip install feuilleton"
"""The install command as the workflow files hold it, for ``source``'s requirement."""
_UNKNOWN = ("echo 'Write in this step where to install Feuilleton from, such as: python -m pip install "
            "\"feuilleton @ git+https://…/feuilleton.git@COMMIT\"' && exit 1")
"""The install step when no source a runner could reach is known: a run that stops and says why."""


def write_workflow(site: Path, kind: str, source: Source | None = None) -> tuple[Path, list[Diagnostic]]:
    """Write the ``kind`` workflow into ``site``, installing Feuilleton from ``source`` (by default, where the
    running one came from); returns its path and a warning if the runner may not be able to install it."""
    path = site / WORKFLOWS[kind]
    if path.exists():
        raise SiteError(Diagnostic(str(path), 0, "already exists; init never overwrites it (remove it to have "
                                   "Feuilleton's, or merge the two by hand)"))
    text = (Path(__file__).parent / f"{kind}.yml").read_text(encoding="utf-8")
    branch = _branch(site)
    if kind == "github" and branch and branch != "main":  # GitLab's names the default branch itself
        text = text.replace("branches: [main]", f"branches: [{json.dumps(branch)}]", 1)
    source = source or installed_source(site)
    command = f"python -m pip install {shlex.quote(source.requirement)}" if source.requirement else _UNKNOWN
    if kind == "gitlab" and "git+" in source.requirement:  # the slim image has no git for pip to clone with
        command = f"apt-get update -qq && apt-get install -y -qq git >/dev/null && {command}"
    line = text[:text.index(_INSTALL)].count("\n") + 1
    plain = re.fullmatch(r"[\w .=+-]+", command)  # else quoted, as YAML reads a JSON string
    text = text.replace(_INSTALL, command if plain else json.dumps(command, ensure_ascii=False), 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, [Diagnostic(str(path), line, source.advice, warning=True)] if source.advice else []


def _branch(site: Path) -> str | None:
    """The branch the site's repository is on (``master``, say), for the workflow to run on; None outside git."""
    try:
        done = subprocess.run(["git", "-C", str(site), "symbolic-ref", "--quiet", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None
