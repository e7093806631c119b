"""Where a CI runner installs Feuilleton from: the Feuilleton running here, as it was installed.

pip records how a package came (PEP 610's ``direct_url.json``): from an index, from a git URL at a
commit, or from a folder on this machine.  A runner can install the first two as they are.  A folder
it cannot reach, unless the folder is the site's own repository, or a git checkout whose ``origin``
a runner can clone; for anything else the install step stops the run until the author names a source.
"""
from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit


@dataclass(frozen=True)
class Source:
    """What ``pip install`` is given on the runner, and what the author should know about it."""

    requirement: str
    """A pip requirement: ``feuilleton==0.1.0``, ``feuilleton @ git+https://…@COMMIT`` or ``.``; empty when
    none a runner could install is known (never a guess at a name on PyPI, which anyone could claim)."""
    advice: str = ""
    """A warning for the author when the runner may not be able to install it as written; empty if it can."""


def installed_source(site: Path) -> Source:
    """The source of the Feuilleton that is running, for a workflow in ``site``."""
    dist = metadata.distribution("feuilleton")
    return source_of(dist.version, dist.read_text("direct_url.json"), site)


def source_of(version: str, direct_url: str | None, site: Path) -> Source:
    """The source for a Feuilleton of ``version`` installed as ``direct_url`` (PEP 610; None: from an index)."""
    release = f"feuilleton=={version}"
    if direct_url is None:
        return Source(release)
    info = json.loads(direct_url)
    url = info.get("url", "")
    vcs = info.get("vcs_info")
    if vcs and vcs.get("commit_id") and _public(url):
        return Source(f"feuilleton @ {vcs['vcs']}+{_public(url)}@{vcs['commit_id']}")
    if not vcs and not url.startswith("file:"):
        return Source(f"feuilleton @ {url}")  # an archive from the web
    folder = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
    if info.get("dir_info") is not None and _same(folder, site):
        return Source(".")  # the site is Feuilleton's own repository, as the example site is
    remote, commit, pushed = _checkout(folder) if info.get("dir_info") is not None else (None, None, False)
    if remote and commit:
        push = "" if pushed else f"; push commit {commit[:12]} there first, or the runner will not find it"
        return Source(f"feuilleton @ git+{remote}@{commit}",
                      f"the runner installs Feuilleton from {remote} at the commit {folder} is on{push}")
    return Source("", f"Feuilleton here was installed from {folder}, which a CI runner cannot reach: the "
                      "workflow's install step stops the run and says so until you "
                      "write there where the runner installs Feuilleton from, such as "
                      "pip install \"feuilleton @ git+https://…/feuilleton.git@COMMIT\"")


def _same(folder: Path, site: Path) -> bool:
    try:
        return folder.resolve() == site.resolve()
    except OSError:
        return False


def _checkout(folder: Path) -> tuple[str | None, str | None, bool]:
    """The public URL of ``folder``'s ``origin`` (None if it has none a runner could clone), the commit it
    is on, and whether a remote branch holds that commit."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    remote = _public(git("remote", "get-url", "origin") or "")
    commit = git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    pushed = bool(commit and git("branch", "--remotes", "--contains", commit))
    return remote, commit, pushed


_SCP = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+\.[\w.-]+):(?!//)(?P<path>[^\s]+)$")
"""``git@github.com:me/feuilleton.git``: the scp-like form of an SSH address."""


def _public(url: str) -> str | None:
    """``url`` as a runner without the author's keys clones it: SSH addresses become HTTPS, credentials
    are dropped; None for a path or ``file:`` URL on this machine."""
    scp = _SCP.match(url)
    if scp:
        return f"https://{scp['host']}/{scp['path']}"
    parts = urlsplit(url)
    if parts.scheme in ("ssh", "git+ssh", "git", "http", "https") and parts.hostname:
        host = parts.hostname + (f":{parts.port}" if parts.port and parts.scheme in ("http", "https") else "")
        scheme = parts.scheme if parts.scheme in ("http", "https") else "https"
        return urlunsplit((scheme, host, parts.path, "", ""))
    return None
