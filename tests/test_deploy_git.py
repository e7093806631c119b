"""``deploy`` to ``git:REMOTE#BRANCH``, with a bare repository on disk as the remote: the branch holds
exactly the built site, one commit a deploy on top of its history, and the author's own repository is
never touched."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CONFIG, EPOCH, assert_user_error, post, run_cli, snapshot

pytestmark = pytest.mark.slow


def git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(bare))
    return bare


def branch_files(bare: Path, branch: str = "gh-pages") -> dict[str, bytes]:
    names = git("--git-dir", str(bare), "ls-tree", "-r", "-z", "--name-only", branch).split("\0")
    return {name: subprocess.run(["git", "--git-dir", str(bare), "show", f"{branch}:{name}"], capture_output=True,
                                 check=True).stdout for name in names if name}


def deploy(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("deploy", *args, cwd=root, env={**EPOCH, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@x",
                                                   "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@x"})


CONFIG_DEPLOY = CONFIG + '\n[deploy]\ntarget = "git:../pages.git#gh-pages"\ncname = "essays.example.org"\n'


def test_the_branch_holds_exactly_the_built_site_and_keeps_its_history(site, tmp_path: Path) -> None:
    bare = remote(tmp_path)
    root = site({"posts/essay.md": post("Essay"), "posts/draft.md": post("Secret draft", draft="true"),
                 "posts/later.md": post("Later", date="2099-01-01")}, config=CONFIG_DEPLOY)
    assert run_cli("build", "--drafts", "--future", cwd=root, env=EPOCH).returncode == 0  # what deploy ignores
    done = deploy(root)
    assert done.returncode == 0, done.stderr
    assert "Deployed to git:../pages.git#gh-pages" in done.stdout
    first = branch_files(bare)
    assert run_cli("build", "--output", str(tmp_path / "plain"), cwd=root, env=EPOCH).returncode == 0
    built = snapshot(tmp_path / "plain")
    assert first == {**built, ".nojekyll": b"", "CNAME": b"essays.example.org\n"}
    assert not any("draft" in name or "later" in name for name in first)

    (root / "posts/essay.md").write_text(post("Essay", body="Revised text."), encoding="utf-8")
    dry = deploy(root, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "~ essay/index.html" in dry.stdout and "nothing was sent" in dry.stdout
    assert len(git("--git-dir", str(bare), "rev-list", "gh-pages").split()) == 1  # the dry run sent nothing
    assert deploy(root).returncode == 0
    log = git("--git-dir", str(bare), "rev-list", "--parents", "gh-pages").split("\n")
    newest, oldest = log[0].split(), log[1].split()
    assert len(newest) == 2 and newest[1] == oldest[0] and len(oldest) == 1  # one new commit on top of the first
    assert b"Revised text." in branch_files(bare)["essay/index.html"]
    again = deploy(root)
    assert "already has this site" in again.stdout
    assert len(git("--git-dir", str(bare), "rev-list", "gh-pages").split()) == 2


def test_the_authors_checkout_index_and_branch_are_untouched(site, tmp_path: Path) -> None:
    bare = remote(tmp_path)
    root = site({"posts/essay.md": post("Essay")})
    git("init", "--quiet", "-b", "main", cwd=root)
    git("-c", "user.name=A", "-c", "user.email=a@x", "add", ".", cwd=root)
    git("-c", "user.name=A", "-c", "user.email=a@x", "commit", "--quiet", "-m", "site", cwd=root)
    (root / "posts/essay.md").write_text(post("Essay", body="Unstaged edit."), encoding="utf-8")
    (root / "posts/new.md").write_text(post("New"), encoding="utf-8")
    git("add", "posts/new.md", cwd=root)
    (root / ".gitignore").write_text(".feuilleton-cache/\noutput/\n")  # as `init` writes it: a build's own folders
    git("add", ".gitignore", cwd=root)
    before = (git("status", "--porcelain", cwd=root), git("rev-parse", "HEAD", cwd=root),
              git("symbolic-ref", "HEAD", cwd=root), (root / ".git/index").read_bytes(), git("branch", "-a", cwd=root),
              snapshot(root / "posts"))
    done = deploy(root, "--to", f"git:{bare}#pages")
    assert done.returncode == 0, done.stderr
    after = (git("status", "--porcelain", cwd=root), git("rev-parse", "HEAD", cwd=root),
             git("symbolic-ref", "HEAD", cwd=root), (root / ".git/index").read_bytes(), git("branch", "-a", cwd=root),
             snapshot(root / "posts"))
    assert after == before
    assert b"Unstaged edit." in branch_files(bare, "pages")["essay/index.html"]  # the text as it stands


def test_a_remote_name_of_the_sites_own_repository_is_followed(site, tmp_path: Path) -> None:
    bare = remote(tmp_path)
    root = site({"posts/essay.md": post("Essay")})
    git("init", "--quiet", cwd=root)
    git("remote", "add", "origin", str(bare), cwd=root)
    assert deploy(root, "--to", "git:origin#gh-pages").returncode == 0
    assert "essay/index.html" in branch_files(bare)


def test_a_remote_whose_url_is_a_relative_path_is_read_from_the_top_of_the_work_tree(tmp_path: Path) -> None:
    """``git remote add origin ../pages.git`` in a repository whose site lies in a folder of it: ``git push
    origin`` reads the path from the top of the work tree, and so does the deploy (it ran from elsewhere)."""
    bare = remote(tmp_path)
    top = tmp_path / "repo"
    root = top / "site"
    root.mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    (root / "posts").mkdir()
    (root / "posts/essay.md").write_text(post("Essay"), encoding="utf-8")
    git("init", "--quiet", cwd=top)
    git("remote", "add", "origin", "../pages.git", cwd=top)
    done = deploy(root, "--to", "git:origin#gh-pages")
    assert done.returncode == 0, done.stderr
    assert "essay/index.html" in branch_files(bare)


def test_the_branch_that_holds_the_sites_own_source_is_refused(site, tmp_path: Path) -> None:
    """``#main`` for ``#gh-pages``: the push would replace the author's posts and versions with the built pages."""
    bare = remote(tmp_path)
    root = site({"posts/essay.md": post("Essay")})
    git("init", "--quiet", "-b", "main", cwd=root)
    git("remote", "add", "origin", str(bare), cwd=root)
    git("add", "-A", cwd=root)
    git("-c", "user.name=T", "-c", "user.email=t@x", "commit", "--quiet", "-m", "site", cwd=root)
    git("push", "--quiet", "origin", "main", cwd=root)
    before = git("--git-dir", str(bare), "rev-parse", "main")
    for args in (("--dry-run",), ()):
        done = deploy(root, "--to", "git:origin#main", *args)
        assert_user_error(done)
        assert "the branch holds the source of a site (config.toml, posts), not built pages" in done.stderr
        assert "deploy to a branch of its own, such as gh-pages; nothing was sent" in done.stderr
    assert git("--git-dir", str(bare), "rev-parse", "main") == before
    assert "posts/essay.md" in branch_files(bare, "main")
    assert deploy(root, "--to", "git:origin#gh-pages").returncode == 0


def test_cname_is_judged_on_the_target_deployed_to(site, tmp_path: Path) -> None:
    """config.toml's target is a folder, ``--to`` a Pages branch: the CNAME is written there, and checked."""
    bare = remote(tmp_path)
    config = CONFIG + f'\n[deploy]\ntarget = "dir:{tmp_path}/www/site"\ncname = "essays.example.org"\n'
    root = site({"posts/essay.md": post("Essay")}, config=config)
    done = deploy(root, "--to", f"git:{bare}#gh-pages")
    assert done.returncode == 0, done.stderr
    assert branch_files(bare)["CNAME"] == b"essays.example.org\n"
    assert "left out" not in done.stderr
    assert "warning: `cname` essays.example.org makes the Pages site https://essays.example.org/, but base_url" \
        in done.stderr
    to_folder = deploy(root, "--dry-run")
    assert to_folder.returncode == 0, to_folder.stderr
    assert "a dir: target takes no CNAME file from it, so it is left out: the domain" in to_folder.stderr
    line = CONFIG.count("\n") + 4  # the cname key's, in config.toml as written above
    assert f"config.toml:{line}: warning: `cname` is written only into a git: target's branch" in to_folder.stderr
    assert "makes the Pages site" not in to_folder.stderr
    (root / "static").mkdir()
    (root / "static/CNAME").write_text("essays.example.org\n", encoding="utf-8")
    to_folder = deploy(root)
    assert to_folder.returncode == 0, to_folder.stderr
    assert "left out (static/CNAME is published as it is, as any file of static/)" in to_folder.stderr
    assert (tmp_path / "www/site/CNAME").read_bytes() == b"essays.example.org\n"


def test_a_branch_holding_the_site_in_a_folder_of_a_larger_repository_is_refused(tmp_path: Path) -> None:
    """The site is ``essays/`` of the author's repository, whose ``main`` has no config.toml at its top, or,
    pushed before the site was added, none at all: a commit the checkout is built on."""
    from tests.conftest import write_site
    bare, top = remote(tmp_path), tmp_path / "repo"
    top.mkdir()
    (top / "README.md").write_text("Other work.\n", encoding="utf-8")
    git("init", "--quiet", "-b", "main", cwd=top)
    git("remote", "add", "origin", str(bare), cwd=top)
    commit = ("-c", "user.name=T", "-c", "user.email=t@x", "commit", "--quiet")
    git("add", "-A", cwd=top)
    git(*commit, "-m", "other work", cwd=top)
    git("push", "--quiet", "origin", "main", cwd=top)
    root = write_site(top / "essays", {"posts/essay.md": post("Essay")}, config=CONFIG)
    git("add", "-A", cwd=top)
    git(*commit, "-m", "the essays", cwd=top)
    early = deploy(root, "--to", "git:origin#main")
    assert_user_error(early)
    assert "which the site's checkout is built on" in early.stderr
    git("push", "--quiet", "origin", "main", cwd=top)
    done = deploy(root, "--to", "git:origin#main")
    assert_user_error(done)
    assert "the branch holds the source of a site (essays/config.toml, essays/posts)" in done.stderr
    assert {"README.md", "essays/posts/essay.md"} <= set(branch_files(bare, "main"))
    assert deploy(root, "--to", "git:origin#gh-pages").returncode == 0


def test_a_site_that_publishes_a_config_toml_of_its_own_deploys_again(site, tmp_path: Path) -> None:
    """``static/config.toml`` lands at the branch's top: the deploy after the first must not take it for the
    site's source."""
    bare = remote(tmp_path)
    root = site({"posts/essay.md": post("Essay"), "static/config.toml": "[tool]\nname = 'x'\n"})
    for body in ("First.", "Second."):
        (root / "posts/essay.md").write_text(post("Essay", body=body), encoding="utf-8")
        done = deploy(root, "--to", f"git:{bare}#gh-pages")
        assert done.returncode == 0, done.stderr
    assert b"Second." in branch_files(bare)["essay/index.html"]


def test_a_static_cname_naming_another_domain_is_a_warning(site, tmp_path: Path) -> None:
    bare = remote(tmp_path)
    root = site({"posts/essay.md": post("Essay"), "static/CNAME": "www.other.example\n"}, config=CONFIG_DEPLOY)
    done = deploy(root, "--to", f"git:{bare}#gh-pages")
    assert done.returncode == 0, done.stderr
    assert ("static/CNAME:1: warning: names www.other.example, but [deploy] cname is essays.example.org, which the "
            "deploy writes in its place: keep one of the two") in done.stderr
    assert branch_files(bare)["CNAME"] == b"essays.example.org\n"


def test_a_failing_build_deploys_nothing(site, tmp_path: Path) -> None:
    bare = remote(tmp_path)
    root = site({"posts/essay.md": post("Essay"), "posts/bad.md": "---\ntitle: [unclosed\n---\nText\n"})
    done = deploy(root, "--to", f"git:{bare}#gh-pages")
    assert_user_error(done)
    assert "posts/bad.md:" in done.stderr and "nothing was deployed" in done.stderr
    assert git("--git-dir", str(bare), "for-each-ref") == ""


def test_a_push_that_fails_says_so_and_what_state_the_branch_is_in(site, tmp_path: Path) -> None:
    root = site({"posts/essay.md": post("Essay")})
    done = deploy(root, "--to", f"git:{tmp_path / 'nowhere.git'}#gh-pages")
    assert_user_error(done)
    assert "cannot reach the git remote" in done.stderr and "nothing was sent" in done.stderr
    bare = remote(tmp_path)
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho refused by the server >&2\nexit 1\n")
    hook.chmod(0o755)
    done = deploy(root, "--to", f"git:{bare}#gh-pages")
    assert_user_error(done)
    assert "git push" in done.stderr and "refused by the server" in done.stderr
    assert "not created" in done.stderr and "running deploy again is safe" in done.stderr
    hook.unlink()
    assert deploy(root, "--to", f"git:{bare}#gh-pages").returncode == 0  # and rerunning it works


def test_a_bad_target_in_config_is_an_error_at_its_line(site) -> None:
    root = site({"posts/essay.md": post("Essay")}, config=CONFIG + '\n[deploy]\ntarget = "ftp://host/x"\n')
    done = run_cli("deploy", cwd=root)
    assert_user_error(done)
    assert 'config.toml:10: `deploy.target` must be "git:REMOTE#BRANCH", "rsync:DEST" or "dir:PATH"' in done.stderr
    root2 = site({"posts/essay.md": post("Essay")})
    done = run_cli("deploy", cwd=root2)
    assert_user_error(done)
    assert "no deploy target" in done.stderr


@pytest.mark.parametrize("branch", ["gh pages", "bad..name", "-x", "pages.lock", "a:b", "HEAD", "refs/heads/gh-pages"])
def test_a_branch_git_cannot_make_is_an_error_at_its_line_before_anything_is_built(site, branch: str) -> None:
    """It passed ``check`` and ``--dry-run``, then failed at the push, saying running deploy again was safe."""
    root = site({"posts/essay.md": post("Essay")}, config=CONFIG + f'\n[deploy]\ntarget = "git:/tmp/x.git#{branch}"\n')
    for args in (("check",), ("deploy", "--dry-run"), ("deploy",)):
        done = run_cli(*args, cwd=root)
        assert_user_error(done)
        assert f"config.toml:10: `deploy.target` names the branch {branch!r}, which git cannot make" in done.stderr
    assert not (root / "output").exists()


def test_with_no_target_a_misspelt_deploy_table_is_pointed_out(site) -> None:
    """``[deploi]``: being told to add a ``[deploy]`` table one believes one has, without the config's own
    "did you mean", sends an author hunting."""
    root = site({"posts/essay.md": post("Essay")}, config=CONFIG + '\n[deploi]\ntarget = "dir:/tmp/x"\n')
    done = run_cli("deploy", cwd=root)
    assert_user_error(done)
    lines = done.stderr.splitlines()
    assert lines[0] == "config.toml:9: warning: unknown key `deploi` (ignored); did you mean `deploy`?"
    assert lines[1].startswith("config.toml: no deploy target: add [deploy] target")


def test_a_bad_cname_or_hub_is_an_error_at_its_line(site) -> None:
    root = site({"posts/essay.md": post("Essay")}, config='websub_hub = "hub.example.net"\n' + CONFIG +
                '\n[deploy]\ntarget = "git:x#y"\ncname = "https://essays.example.org/"\n')
    done = run_cli("build", cwd=root)
    assert_user_error(done)
    assert "config.toml:1: `websub_hub` must be an absolute http(s) URL" in done.stderr
    assert "config.toml:12: `deploy.cname` must be a domain name" in done.stderr


def test_a_push_that_lost_a_race_names_the_commit_the_branch_moved_to(site, tmp_path: Path, monkeypatch) -> None:
    """Another push won meanwhile: the branch is not "as before", and the message says where it is."""
    import engine.commands.deploy.git as deploy_git
    from engine.commands.deploy import deploy as deploy_now
    from engine.errors import SiteError
    root = site({"posts/essay.md": post("Essay")})
    bare = remote(tmp_path)
    assert deploy(root, "--to", f"git:{bare}#gh-pages").returncode == 0
    (root / "posts/essay.md").write_text(post("Essay", body="New words."))
    real = deploy_git._commit

    def raced(*args, **kwargs):  # another machine's push lands between this deploy's fetch and its push
        tip = subprocess.run(["git", "-C", str(bare), "rev-parse", "gh-pages"], capture_output=True, text=True,
                             check=True).stdout.strip()
        other = subprocess.run(["git", "-C", str(bare), "commit-tree", "-p", tip, "-m", "other",
                                "4b825dc642cb6eb9a060e54bf8d69288fbee4904"], capture_output=True, text=True,
                               check=True, env={**os.environ, "GIT_AUTHOR_NAME": "O", "GIT_AUTHOR_EMAIL": "o@x",
                                                "GIT_COMMITTER_NAME": "O", "GIT_COMMITTER_EMAIL": "o@x"}).stdout.strip()
        subprocess.run(["git", "-C", str(bare), "update-ref", "refs/heads/gh-pages", other], check=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(deploy_git, "_commit", raced)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "T")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "t@x")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "T")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "t@x")
    with pytest.raises(SiteError) as raised:
        deploy_now(root, f"git:{bare}#gh-pages", False)
    moved = subprocess.run(["git", "-C", str(bare), "rev-parse", "gh-pages"], capture_output=True,
                           text=True).stdout.strip()
    assert f"is at {moved[:12]}, which another push put there meanwhile" in str(raised.value)


def test_a_deploy_removes_the_folders_a_killed_deploy_left_in_the_temporary_folder(tmp_path: Path) -> None:
    """A deploy killed outright (SIGKILL) cannot remove its temporary folders, up to 28 MB each; the next one
    removes those of processes that are gone, once an hour old, and nothing else."""
    import time

    from engine.commands.deploy import scratch
    ended = subprocess.Popen(["true"])
    ended.wait()
    hour_ago = time.time() - 2 * scratch.STALE
    made = {}
    for name, pid, old in (("dead-old", ended.pid, True), ("dead-new", ended.pid, False),
                           ("alive-old", os.getpid(), True)):
        made[name] = tmp_path / f"{scratch.PREFIX}{pid}-{name}"
        (made[name] / "site").mkdir(parents=True)
        (made[name] / "site/index.html").write_text("x")
        if old:
            os.utime(made[name], (hour_ago, hour_ago))
    other = tmp_path / "feuilleton-deploy-notours"
    other.mkdir()
    os.utime(other, (hour_ago, hour_ago))
    assert scratch.sweep(tmp_path) == [made["dead-old"]]
    assert not made["dead-old"].exists() and made["dead-new"].is_dir() and made["alive-old"].is_dir()
    assert other.is_dir()
    with scratch.folder() as folder:
        assert Path(folder).name.startswith(f"{scratch.PREFIX}{os.getpid()}-")
