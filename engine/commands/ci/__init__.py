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

from ...config import load_config
from ...errors import Diagnostic, SiteError
from ...importing.gitlog import repository
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
    """Write the ``kind`` workflow, installing Feuilleton from ``source`` (by default, where the running one
    came from); returns its path and warnings: the runner may not be able to install it, or the site has a
    WebSub hub that no build tells.  A site in a folder of a larger repository gets its workflow at the top of
    that repository, where GitHub and GitLab look for one, building in the site's folder."""
    top = repository(site)
    within = site.resolve().relative_to(top).as_posix() if top and site.resolve() != top else ""
    path = (top if within else site) / WORKFLOWS[kind]
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
    plain = re.fullmatch(r"[\w .=+-]+", command)  # else quoted, as YAML reads a JSON string
    shown = command if plain else json.dumps(command, ensure_ascii=False)
    text = text.replace(_INSTALL, shown, 1)
    if within:
        text = _in_folder(text, kind, within)
    line = text[:text.index(shown)].count("\n") + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    warnings = [Diagnostic(str(path), line, source.advice, warning=True)] if source.advice else []
    if _has_hub(site):
        warnings.append(Diagnostic(str(site / "config.toml"), 0, "websub_hub is set, but only `feuilleton deploy` "
                                   "tells the hub of changed feeds, and this workflow publishes what `feuilleton "
                                   "build` makes: feed readers that wait for the hub hear of nothing it publishes; "
                                   "remove websub_hub, or deploy with `feuilleton deploy`", warning=True))
    return path, warnings


def _in_folder(text: str, kind: str, within: str) -> str:
    """The workflow for a site in the folder ``within`` of its repository: built there, its cache and
    output found there."""
    quoted = json.dumps(within, ensure_ascii=False)
    if kind == "github":
        text = text.replace("    runs-on: ubuntu-latest\n    steps:", "    runs-on: ubuntu-latest\n    defaults:\n"
                            f"      run:\n        working-directory: {quoted}\n    steps:", 1)
        text = text.replace("path: .feuilleton-cache/", f"path: {json.dumps(within + '/.feuilleton-cache/')}", 1)
        return text.replace("path: output/", f"path: {json.dumps(within + '/output/')}", 1)
    text = text.replace("      - .feuilleton-cache/", f"      - {json.dumps(within + '/.feuilleton-cache/')}", 1)
    return text.replace('    - feuilleton build --base-url "$CI_PAGES_URL" --output public',
                        "    - " + json.dumps(f'cd {shlex.quote(within)} && feuilleton build --base-url '
                                             '"$CI_PAGES_URL" --output "$CI_PROJECT_DIR/public"'), 1)


def _has_hub(site: Path) -> bool:
    try:
        return bool(load_config(site)[0].websub_hub)
    except SiteError:
        return False  # a config the build will report


def _branch(site: Path) -> str | None:
    """The branch the site's repository is on (``master``, say), for the workflow to run on; None outside git."""
    try:
        done = subprocess.run(["git", "-C", str(site), "symbolic-ref", "--quiet", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None
