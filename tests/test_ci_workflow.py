"""``init --ci github|gitlab``: the workflow written is valid YAML with the cache restored, the build and
the deploy to Pages, and its build command, run as the CI runs it, builds the new site."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import assert_user_error, run_cli

pytestmark = pytest.mark.slow
BIN = str(Path(sys.executable).parent)


def test_github_workflow_restores_the_cache_builds_and_deploys_to_pages(tmp_path: Path) -> None:
    site = tmp_path / "essays"
    done = run_cli("init", str(site), "--ci", "github")
    assert done.returncode == 0, done.stderr
    path = site / ".github/workflows/feuilleton.yml"
    assert f"created {path}" in done.stdout and (site / "config.toml").is_file()
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true; GitHub reads it as "on"
    assert "push" in triggers and flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = flow["jobs"]["build"]["steps"]
    names = [step["name"] for step in steps]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    build = next(step for step in steps if "feuilleton build" in step.get("run", ""))
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert cache["with"]["path"].rstrip("/") == ".feuilleton-cache" and "restore-keys" in cache["with"]
    assert names.index(cache["name"]) < names.index(build["name"]) < names.index(upload["name"])
    assert upload["with"]["path"].rstrip("/") == "output"
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])

    command = build["run"].replace("${{ steps.pages.outputs.base_url }}", "https://me.github.io/essays")
    ran = subprocess.run(["bash", "-c", command], cwd=site, capture_output=True, text=True,
                         env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"})
    assert ran.returncode == 0, ran.stderr
    assert (site / "output/sitemap.xml").is_file() and "https://me.github.io/essays/" in \
        (site / "output/robots.txt").read_text(encoding="utf-8")


def test_gitlab_workflow_caches_and_publishes_public_in_a_pages_job(tmp_path: Path) -> None:
    site = tmp_path / "essays"
    assert run_cli("init", str(site)).returncode == 0
    done = run_cli("init", str(site), "--ci", "gitlab")  # an existing site: only the workflow is added
    assert done.returncode == 0, done.stderr
    flow = yaml.safe_load((site / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    job = flow["pages"]
    assert ".feuilleton-cache/" in job["cache"]["paths"]
    assert job["artifacts"]["paths"] == ["public"]
    script = job["script"]
    build = next(line for line in script if line.startswith("feuilleton build"))
    ran = subprocess.run(["bash", "-c", build], cwd=site, capture_output=True, text=True,
                         env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}",
                              "CI_PAGES_URL": "https://me.gitlab.io/essays"})
    assert ran.returncode == 0, ran.stderr
    assert (site / "public/sitemap.xml").is_file()
    again = run_cli("init", str(site), "--ci", "gitlab")
    assert_user_error(again)
    assert "already exists" in again.stderr


@pytest.mark.parametrize("branch", ["master", "main", None])
def test_the_github_workflow_runs_on_the_branch_the_repository_is_on(tmp_path: Path, branch: str | None) -> None:
    """A repository whose branch is `master` would never publish with a workflow that waits for `main`."""
    site = tmp_path / "essays"
    site.mkdir()
    if branch:
        subprocess.run(["git", "init", "-q", "-b", branch, str(site)], check=True, capture_output=True)
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    done = run_cli("init", str(site), "--ci", "github", env=env)
    assert done.returncode == 0, done.stderr
    flow = yaml.safe_load((site / ".github/workflows/feuilleton.yml").read_text(encoding="utf-8"))
    assert flow.get("on", flow.get(True))["push"]["branches"] == [branch or "main"]
