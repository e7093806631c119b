"""``init --ci github|gitlab``: the workflow written is valid YAML with the cache restored, the build and
the deploy to Pages, and its build command, run as the CI runs it, builds the new site."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from engine.commands.ci import WORKFLOWS
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


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org",
                               "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.org"}).stdout.strip()


def _checkout(tmp_path: Path, origin: str | None, pushed: bool) -> tuple[Path, str]:
    """A folder Feuilleton could be installed from: a git checkout with one commit, ``origin`` set to
    ``origin`` (after pushing to a local bare repository, when ``pushed``)."""
    code = tmp_path / "feuilleton"
    code.mkdir()
    _git(code, "init", "-q", "-b", "main")
    (code / "pyproject.toml").write_text("[project]\nname = 'feuilleton'\n", encoding="utf-8")
    _git(code, "add", "-A")
    _git(code, "commit", "-q", "-m", "code")
    if pushed:
        bare = tmp_path / "bare.git"
        _git(tmp_path, "init", "-q", "--bare", str(bare))
        _git(code, "remote", "add", "origin", str(bare))
        _git(code, "push", "-q", "origin", "main")
        _git(code, "remote", "set-url", "origin", origin)
    elif origin:
        _git(code, "remote", "add", "origin", origin)
    return code, _git(code, "rev-parse", "HEAD")


def test_a_release_from_an_index_is_pinned() -> None:
    from engine.commands.ci.source import Source, source_of
    assert source_of("0.3.1", None, Path("/site")) == Source("feuilleton==0.3.1", "")


@pytest.mark.parametrize("url, expected", [
    ("https://github.com/me/feuilleton.git", "https://github.com/me/feuilleton.git"),
    ("ssh://git@github.com/me/feuilleton.git", "https://github.com/me/feuilleton.git"),
    ("https://me:token@codeberg.org/me/feuilleton", "https://codeberg.org/me/feuilleton"),
])
def test_an_install_from_git_is_installed_from_the_same_commit_over_https(url: str, expected: str) -> None:
    """pip's record of a git install (PEP 610) gives the runner the same commit, without the author's keys
    or credentials."""
    from engine.commands.ci.source import source_of
    record = json.dumps({"url": url, "vcs_info": {"vcs": "git", "commit_id": "a" * 40}})
    source = source_of("0.1.0", record, Path("/site"))
    assert source.requirement == f"feuilleton @ git+{expected}@{'a' * 40}" and source.advice == ""


def test_an_install_from_the_site_itself_is_installed_from_the_checkout(tmp_path: Path) -> None:
    """Feuilleton's own repository is also a site: its workflow installs the code beside the posts."""
    from engine.commands.ci.source import source_of
    record = json.dumps({"url": (tmp_path / "essays").as_uri(), "dir_info": {"editable": True}})
    (tmp_path / "essays").mkdir()
    assert source_of("0.1.0", record, tmp_path / "essays").requirement == "."


@pytest.mark.parametrize("pushed", [True, False])
def test_an_install_from_a_checkout_with_a_public_origin_uses_origin_at_its_commit(tmp_path: Path,
                                                                                  pushed: bool) -> None:
    from engine.commands.ci.source import source_of
    code, commit = _checkout(tmp_path, "git@github.com:me/feuilleton.git", pushed)
    record = json.dumps({"url": code.as_uri(), "dir_info": {"editable": True}})
    source = source_of("0.1.0", record, tmp_path / "essays")
    assert source.requirement == f"feuilleton @ git+https://github.com/me/feuilleton.git@{commit}"
    assert str(code) in source.advice and ("push commit" in source.advice) is not pushed


@pytest.mark.parametrize("origin", [None, "/srv/git/feuilleton.git", "file:///srv/git/feuilleton.git"])
def test_an_install_from_a_folder_no_runner_can_reach_is_a_warning(tmp_path: Path, origin: str | None) -> None:
    from engine.commands.ci.source import source_of
    code, _ = _checkout(tmp_path, origin, pushed=False)
    record = json.dumps({"url": code.as_uri(), "dir_info": {"editable": True}})
    source = source_of("0.1.0", record, tmp_path / "essays")
    assert source.requirement == ""  # never a guess at a name on PyPI, which anyone could claim
    assert f"installed from {code}, which a CI runner cannot reach" in source.advice


@pytest.mark.parametrize("kind, install", [("github", lambda flow: flow["jobs"]["build"]["steps"]),
                                           ("gitlab", lambda flow: flow["pages"]["script"])])
def test_the_workflow_installs_feuilleton_from_where_it_came(tmp_path: Path, kind: str, install) -> None:
    """A workflow that installs `feuilleton` by name fails on every runner while no release of that name
    is on PyPI: it installs the running Feuilleton as pip installed it, quoted for YAML and the shell."""
    from engine.commands.ci import WORKFLOWS, write_workflow
    from engine.commands.ci.source import Source
    site = tmp_path / "essays"
    site.mkdir()
    wanted = f"feuilleton @ git+https://github.com/me/feuilleton.git@{'b' * 40}"
    path, warnings = write_workflow(site, kind, Source(wanted))
    assert path == site / WORKFLOWS[kind] and warnings == []
    steps = install(yaml.safe_load(path.read_text(encoding="utf-8")))
    commands = [step["run"] if isinstance(step, dict) else step for step in steps
                if "pip install" in (step.get("run", "") if isinstance(step, dict) else step)]
    assert len(commands) == 1 and commands[0].endswith(f"python -m pip install '{wanted}'")
    assert commands[0].startswith("apt-get") is (kind == "gitlab")  # GitLab's slim image needs git first

    path.unlink()
    path, warnings = write_workflow(site, kind, Source("feuilleton==0.1.0", "cannot reach it"))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [str(w) for w in warnings] == [f"{path}:{warnings[0].line}: warning: cannot reach it"]
    assert lines[warnings[0].line - 1].strip().endswith("python -m pip install feuilleton==0.1.0")


def test_init_warns_when_the_running_feuilleton_came_from_a_folder_a_runner_cannot_reach(tmp_path: Path) -> None:
    """The test run's Feuilleton is this checkout (its origin, if any, is a folder): `init --ci` says so,
    at the install step's line, and still writes the workflow."""
    from engine.commands.ci.source import installed_source
    site = tmp_path / "essays"
    done = run_cli("init", str(site), "--ci", "github")
    assert done.returncode == 0, done.stderr
    source = installed_source(site)
    path = site / ".github/workflows/feuilleton.yml"
    if source.advice:
        assert f"{path}:" in done.stderr and "warning:" in done.stderr and source.advice in done.stderr
    else:
        assert done.stderr == ""
    assert source.requirement in path.read_text(encoding="utf-8")


def test_with_no_source_a_runner_can_reach_the_install_step_stops_the_run_and_says_why(tmp_path: Path) -> None:
    from engine.commands.ci import write_workflow
    from engine.commands.ci.source import Source
    site = tmp_path / "essays"
    site.mkdir()
    path, warnings = write_workflow(site, "github", Source("", "cannot reach it"))
    step = next(s for s in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
                if s.get("name") == "Install Feuilleton")
    ran = subprocess.run(["bash", "-c", step["run"]], capture_output=True, text=True)
    assert ran.returncode == 1 and "Write in this step where to install Feuilleton from" in ran.stdout
    assert "pip install feuilleton" not in path.read_text(encoding="utf-8")
    assert [str(w) for w in warnings] == [f"{path}:{warnings[0].line}: warning: cannot reach it"]


def test_gitlabs_slim_image_gets_git_for_an_install_from_git(tmp_path: Path) -> None:
    from engine.commands.ci import write_workflow
    from engine.commands.ci.source import Source
    site = tmp_path / "essays"
    site.mkdir()
    wanted = f"feuilleton @ git+https://github.com/me/feuilleton.git@{'c' * 40}"
    path, _ = write_workflow(site, "gitlab", Source(wanted))
    script = yaml.safe_load(path.read_text(encoding="utf-8"))["pages"]["script"]
    install = next(line for line in script if "pip install" in line)
    assert install.index("apt-get install -y -qq git") < install.index(f"python -m pip install '{wanted}'")


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_a_site_in_a_folder_of_a_larger_repository_gets_its_workflow_at_the_top(tmp_path: Path, kind: str) -> None:
    """GitHub and GitLab read a workflow only at the top of the repository: one inside the site's folder
    would never run."""
    top = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "-b", "main", str(top)], check=True, capture_output=True)
    site = top / "writing" / "my essays"
    done = run_cli("init", "writing/my essays", "--ci", kind, cwd=top)
    assert done.returncode == 0, done.stderr
    assert f"created {WORKFLOWS[kind]}\n" in done.stdout  # as every other line says it: from here
    assert not (site / ".github").exists() and not (site / ".gitlab-ci.yml").exists()
    if kind == "github":
        flow = yaml.safe_load((top / ".github/workflows/feuilleton.yml").read_text(encoding="utf-8"))
        job = flow["jobs"]["build"]
        assert job["defaults"]["run"]["working-directory"] == "writing/my essays"
        cache = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/cache@"))
        upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-pages"))
        assert cache["with"]["path"] == "writing/my essays/.feuilleton-cache/"
        assert upload["with"]["path"] == "writing/my essays/output/"
        build = next(step["run"] for step in job["steps"] if "feuilleton build" in step.get("run", ""))
        build, cwd = build.replace("${{ steps.pages.outputs.base_url }}", "https://me.github.io/essays"), site
        built = site / "output"
    else:
        job = yaml.safe_load((top / ".gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
        assert job["cache"]["paths"][0] == "writing/my essays/.feuilleton-cache/"
        build, cwd, built = next(line for line in job["script"] if "feuilleton build" in line), top, top / "public"
    ran = subprocess.run(["bash", "-c", build], cwd=cwd, capture_output=True, text=True,
                         env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "CI_PROJECT_DIR": str(top),
                              "CI_PAGES_URL": "https://me.gitlab.io/essays"})
    assert ran.returncode == 0, ran.stderr
    assert (built / "sitemap.xml").is_file()


def test_the_github_workflow_uploads_what_it_built_whatever_output_dir_says(tmp_path: Path) -> None:
    site = tmp_path / "essays"
    assert run_cli("init", str(site)).returncode == 0
    config = site / "config.toml"
    config.write_text('output_dir = "_site"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("init", str(site), "--ci", "github").returncode == 0
    flow = yaml.safe_load((site / ".github/workflows/feuilleton.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    build = next(step["run"] for step in steps if "feuilleton build" in step.get("run", ""))
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    ran = subprocess.run(["bash", "-c", build.replace("${{ steps.pages.outputs.base_url }}", "https://me.github.io/e")],
                         cwd=site, capture_output=True, text=True,
                         env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"})
    assert ran.returncode == 0, ran.stderr
    assert (site / upload["with"]["path"] / "sitemap.xml").is_file()


def test_a_site_with_a_websub_hub_is_told_that_a_workflow_build_tells_it_nothing(tmp_path: Path) -> None:
    site = tmp_path / "essays"
    assert run_cli("init", str(site)).returncode == 0
    config = site / "config.toml"
    config.write_text('websub_hub = "https://hub.example/"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    done = run_cli("init", str(site), "--ci", "gitlab")
    assert done.returncode == 0
    assert f"{config}: warning: websub_hub is set, but only `feuilleton deploy` tells the hub" in done.stderr
