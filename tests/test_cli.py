"""The ``feuilleton`` command end to end, in a subprocess, as an author runs it."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import EPOCH, REPO, SERIES, assert_user_error, post, run_cli, snapshot, write_site

# --- init and new --------------------------------------------------------------

@pytest.mark.slow
def test_init_then_build(tmp_path):
    target = tmp_path / "new-site"
    done = run_cli("init", str(target), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (target / "config.toml").is_file()
    assert (target / "posts").is_dir()
    built = run_cli("build", cwd=target, env=EPOCH)
    assert built.returncode == 0, built.stderr
    assert (target / "output/index.html").is_file()
    assert "Traceback" not in built.stderr


def test_init_refuses_an_existing_site(tmp_path):
    target = tmp_path / "site"
    assert run_cli("init", str(target)).returncode == 0
    (target / "config.toml").write_text("title = \"Mine\"\n", encoding="utf-8")
    done = run_cli("init", str(target))
    assert_user_error(done)
    assert "already exists" in done.stderr
    assert "config.toml" in done.stderr
    assert (target / "config.toml").read_text(encoding="utf-8") == "title = \"Mine\"\n"


def test_init_onto_an_existing_file_is_a_user_error(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("my notes\n", encoding="utf-8")
    done = run_cli("init", str(target), cwd=tmp_path)
    assert_user_error(done)
    assert "notes.txt" in done.stderr
    assert target.read_text(encoding="utf-8") == "my notes\n"

# what an atomic write names its temporary file, in posts/ and in an archive, as a kill may leave it
TEMPORARIES = ["posts/.essay.md.4242.tmp", "posts/cities/part-1.versions/.v2.4242.tmp"]
IGNORED = {"output/index.html", ".feuilleton-cache/x", ".feuilleton-spare-output/index.html", *TEMPORARIES}
KEPT = {"config.toml", "posts/essay.md", "posts/cities/part-1.versions/v2.md", "templates/post.html"}


def ignored(repo: Path, paths: set[str]) -> set[str]:
    """Which of ``paths`` git leaves out in ``repo``."""
    done = subprocess.run(["git", "-C", str(repo), "check-ignore", "--no-index", "--stdin"], input="\n".join(paths),
                          capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return set(done.stdout.split())


def test_init_makes_git_leave_out_the_output_and_what_a_killed_command_leaves(tmp_path):
    target = tmp_path / "site"
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    assert run_cli("init", str(target)).returncode == 0
    assert ignored(target, IGNORED | KEPT) == IGNORED


def test_init_adds_to_a_gitignore_already_there_and_keeps_every_line_of_it(tmp_path):
    target = tmp_path / "site"
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    mine = "*.pyc\n/output/"  # no newline at its end
    (target / ".gitignore").write_text(mine, encoding="utf-8")
    done = run_cli("init", str(target))
    assert done.returncode == 0, done.stderr
    text = (target / ".gitignore").read_text(encoding="utf-8")
    assert text.startswith(mine + "\n") and text.count("/output/") == 1
    assert ".gitignore" in done.stderr  # the author hears of the lines added
    assert ignored(target, IGNORED | KEPT | {"x.pyc"}) == IGNORED | {"x.pyc"}


def test_this_repositorys_gitignore_leaves_out_what_a_killed_command_leaves():
    shown = {"posts/.the-dated-correction.md.4242.tmp", "posts/lending-the-digital-shelf/part-1.versions/.v5.4242.tmp"}
    assert ignored(REPO, shown | {"posts/the-dated-correction.md"}) == shown


def test_new_prints_a_path_and_never_overwrites(site):
    root = site({})
    first = run_cli("new", "My Title", cwd=root)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "posts/my-title.md"
    made = root / "posts/my-title.md"
    assert made.is_file()
    assert 'title: "My Title"' in made.read_text(encoding="utf-8")
    assert "draft: true" in made.read_text(encoding="utf-8")
    made.write_text(made.read_text(encoding="utf-8") + "\nMy precious words.\n", encoding="utf-8")
    kept = made.read_bytes()

    second = run_cli("new", "My Title", cwd=root)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "posts/my-title-2.md"
    assert (root / "posts/my-title-2.md").is_file()
    assert made.read_bytes() == kept


@pytest.mark.parametrize("title, made", [('Der "Fluss": Teil\\Zwei', "posts/der-fluss-teil-zwei.md"),
                                         ("Law and/or order", "posts/law-and-or-order.md")])
def test_new_reads_a_slash_between_words_as_a_space_between_them(site, title, made):
    """"Teil\\Zwei" made ``teilzwei``: the two words ran together in the file name and the address."""
    done = run_cli("new", title, cwd=site({}))
    assert done.returncode == 0 and done.stdout.strip() == made, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("title", ["都市の聖域と連邦移民法執行の協力義務に関する考察" * 4, "word " * 100])
def test_new_cuts_a_long_titles_file_name_at_a_word(site, title):
    root = site({})
    done = run_cli("new", title, cwd=root)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    made = root / done.stdout.strip()
    assert made.is_file() and len(made.stem.encode()) <= 80
    assert title.strip() in made.read_text(encoding="utf-8")  # the title itself is whole
    assert run_cli("check", "--drafts", cwd=root, env=EPOCH).returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("title, made", [("Updates", "posts/updates-2.md"), ("Tags", "posts/tags-2.md"),
                                         ("Cities", "posts/cities-2.md"), ("Search", "posts/search-2.md"),
                                         ("Pagefind", "posts/pagefind-2.md"), ("Index", "posts/index-2.md")])
def test_new_keeps_clear_of_the_sites_own_addresses(site, title, made):
    """``new "Index"`` made ``posts/index.md``, which the next build warned is at /index/ by mistake."""
    root = site({"posts/cities/series.toml": 'title = "Cities"\n'})
    done = run_cli("new", title, cwd=root)
    assert done.returncode == 0 and done.stdout.strip() == made
    checked = run_cli("check", "--drafts", cwd=root, env=EPOCH)
    assert checked.returncode == 0 and "warning" not in checked.stderr, checked.stderr
    published = run_cli("publish", made, cwd=root, env=EPOCH)
    assert published.returncode == 0 and "warning" not in published.stderr, published.stderr  # out as it is


@pytest.mark.slow
def test_new_post_is_a_valid_draft(site):
    root = site({})
    assert run_cli("new", "A Title: With \"Quotes\"", cwd=root).returncode == 0
    done = run_cli("check", "--drafts", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_new_in_a_series_folder(site):
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("Introduction", part=1)})
    done = run_cli("new", "The Statutes", "--series", "cities", cwd=root)
    assert done.returncode == 0, done.stderr
    rel = done.stdout.strip()
    assert rel == "posts/cities/part-2.md"
    text = (root / rel).read_text(encoding="utf-8")
    assert "part: 2" in text
    assert "draft: true" in text
    assert 'title: "The Statutes"' in text
    checked = run_cli("check", "--drafts", cwd=root, env=EPOCH)
    assert checked.returncode == 0, checked.stderr


def test_new_leaves_the_name_of_a_deleted_post_whose_versions_are_still_there(site):
    """part-2.md deleted, part-2.versions/ left: a new part-2.md would take that history (and stop every
    build); the draft is part-2-2.md, still part 2."""
    root = site({"posts/cities/series.toml": SERIES, "posts/cities/part-1.md": post("One", part=1),
                 "posts/cities/part-2.versions/v1.md": "left behind\n"})
    done = run_cli("new", "A new second part", "--series", "cities", cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "posts/cities/part-2-2.md"
    assert "part: 2" in (root / "posts/cities/part-2-2.md").read_text(encoding="utf-8")
    assert not (root / "posts/cities/part-2.md").exists()


@pytest.mark.slow
def test_new_in_a_series_never_claims_a_taken_part(site):
    # Part 2 is not written yet, part 3 is: the new draft must not claim part 3 again.
    root = site({"posts/cities/series.toml": SERIES,
                 "posts/cities/part-1.md": post("One", part=1),
                 "posts/cities/part-3.md": post("Three", part=3)})
    done = run_cli("new", "Another", "--series", "cities", cwd=root)
    assert done.returncode == 0, done.stderr
    checked = run_cli("check", "--drafts", cwd=root, env=EPOCH)
    assert checked.returncode == 0, checked.stderr
    assert "claimed by both" not in checked.stderr


def test_new_with_an_unknown_series(site):
    root = site({})
    done = run_cli("new", "X", "--series", "nope", cwd=root)
    assert_user_error(done)
    assert "unknown series `nope`" in done.stderr
    assert list((root / "posts").iterdir()) == []


@pytest.mark.parametrize("args, error", [
    (["new", ""], 'title: is empty: every post needs one, as in feuilleton new "A Title"'),
    (["new", "   "], 'title: is empty: every post needs one, as in feuilleton new "A Title"'),
    (["new", "Two\nlines"], "title: must be one line"),
    (["new", "X", "--series", "cities", "--part", "0"], "--part 0: part numbers count from 1"),
    (["new", "X", "--series", "cities", "--part", "-2"], "--part -2: part numbers count from 1"),
    (["new", "X", "--part", "3"], "--part 3: a part belongs to a series: add --series SLUG"),
    (["new", "X", "--series", "cities", "--part", "1"],
     "posts/cities/part-1.md:4: already claims part 1 of series `cities`: choose another --part, "
     "or leave --part out for the next free one (2)"),
    (["new", "X", "--series", "../cities", "--part", "2"], "--series ../cities: is a series' slug"),
])
def test_new_refuses_what_it_cannot_build(site, args, error):
    root = site({"posts/cities/series.toml": SERIES, "posts/cities/part-1.md": post("One", part=1)})
    before = snapshot(root)
    done = run_cli(*args, cwd=root)
    assert_user_error(done)
    assert done.stderr.startswith(error), done.stderr
    assert done.stdout == ""
    assert snapshot(root) == before  # no file written


def test_new_with_a_free_part_in_a_series(site):
    root = site({"posts/cities/series.toml": SERIES, "posts/cities/part-1.md": post("One", part=1)})
    done = run_cli("new", "Five", "--series", "cities", "--part", "5", cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "posts/cities/part-5.md"
    assert "part: 5" in (root / "posts/cities/part-5.md").read_text(encoding="utf-8")


# --- errors (what check prints for an invalid site: tests/cases/invalid/) ---------

def test_serve_refuses_a_port_out_of_range(site):
    root = site({})
    done = run_cli("serve", "--port", "70000", cwd=root)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--port: '70000' is not a port number (0 to 65535)" in done.stderr
    assert not (root / "output").exists()


def test_publish_help_says_that_at_wins():
    done = run_cli("publish", "--help")
    assert done.returncode == 0
    assert "replaces a date the draft has" in " ".join(done.stdout.split())


@pytest.mark.slow
def test_revise_refusal_through_the_cli(site):
    root = site({"posts/essay.md": post("Essay")})
    path = root / "posts/essay.md"
    assert run_cli("publish", str(path), cwd=root, env=EPOCH).returncode == 0
    done = run_cli("revise", str(path), cwd=root, env=EPOCH)
    assert_user_error(done)
    assert "nothing to record" in done.stderr
    assert (root / "posts/essay.versions/v1.md").is_file()
    assert not (root / "posts/essay.versions/v2.md").exists()


# --- check and build -------------------------------------------------------------

def good_site(site) -> Path:
    return site({
        "posts/essay.md": post("An Essay", tags="[law]"),
        "posts/cities/series.toml": SERIES + '\n[[planned]]\npart = 2\ntitle = "The statutes"\n',
        "posts/cities/part-1.md": post("Introduction", part=1, body="See [Part 2](part:2)."),
    })


@pytest.mark.slow
def test_check_writes_nothing(site):
    root = good_site(site)
    before = snapshot(root, folders=True)
    done = run_cli("check", cwd=root, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert not (root / "output").exists()
    assert snapshot(root, folders=True) == before


@pytest.mark.slow
def test_failed_build_leaves_output_untouched(site):
    root = good_site(site)
    first = run_cli("build", cwd=root, env=EPOCH)
    assert first.returncode == 0, first.stderr
    assert (root / "output/index.html").is_file()
    before = snapshot(root / "output")
    names_before = sorted(p.name for p in root.iterdir())

    (root / "posts/essay.md").write_text("---\ntitle: [broken\n---\nBody.\n", encoding="utf-8")
    (root / "posts/new.md").write_text(post("A new post that must not appear"), encoding="utf-8")
    second = run_cli("build", cwd=root, env=EPOCH)
    assert_user_error(second)
    assert "posts/essay.md:" in second.stderr

    assert snapshot(root / "output") == before
    assert sorted(p.name for p in root.iterdir()) == names_before  # no staging folder left behind


def test_site_option_from_another_folder(site, tmp_path):
    root = good_site(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_cli("--site", str(root), "build", cwd=elsewhere, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert (root / "output/index.html").is_file()
    assert list(elsewhere.iterdir()) == []


def test_new_with_site_option_from_another_folder(site, tmp_path):
    root = site({})
    done = run_cli("--site", str(root), "new", "Elsewhere", cwd=root.parent)
    assert done.returncode == 0, done.stderr
    printed = done.stdout.strip()
    assert printed == f"{root.name}/posts/elsewhere.md"  # a path the shell and an editor find from here
    assert (root.parent / printed).is_file()
    published = run_cli("--site", str(root), "publish", printed, cwd=root.parent)
    assert published.returncode == 0, published.stderr


@pytest.mark.slow
def test_build_is_reproducible(site):
    root = good_site(site)
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0
    first = snapshot(root / "output")
    assert run_cli("build", cwd=root, env=EPOCH).returncode == 0
    assert snapshot(root / "output") == first


@pytest.mark.slow
def test_an_unusable_cache_folder_only_slows_the_build(site):
    root = site({"posts/essay.md": post("Essay")})
    (root / ".feuilleton-cache").write_text("not a folder")
    done = run_cli("--site", str(root), "build")
    assert done.returncode == 0, done.stderr
    assert (root / "output" / "essay" / "index.html").is_file()
    assert "cannot write the cache" in done.stderr


def test_site_option_given_a_file_says_so(site):
    root = site({})
    done = run_cli("--site", str(root / "config.toml"), "build", cwd=root)
    assert done.returncode == 1
    assert done.stderr == f"{root / 'config.toml'}: is a file; --site takes the site's folder (the one with config.toml)\n"


def test_init_prints_a_command_that_works_for_a_folder_with_spaces(tmp_path):
    import shlex
    done = run_cli("init", str(tmp_path / "my site ü"), cwd=tmp_path)
    assert done.returncode == 0
    command = done.stdout.split("`")[1]
    args = shlex.split(command)
    assert args[:3] == ["feuilleton", "--site", str(tmp_path / "my site ü")]
    assert run_cli(*args[1:], cwd=tmp_path).returncode == 0


def test_an_option_is_never_abbreviated(tmp_path) -> None:
    """``--draft`` is not ``--drafts``: a mistyped option is an error with the usage (exit 2), not a guess."""
    done = run_cli("--site", str(tmp_path), "build", "--draft")
    assert done.returncode == 2 and "unrecognized arguments: --draft" in done.stderr


def test_a_note_file_saved_with_a_byte_order_mark_gives_the_note_without_it(site) -> None:
    root = site({"posts/essay.md": post("An essay", body="First text.")})
    assert run_cli("--site", str(root), "publish", "posts/essay.md").returncode == 0
    (root / "posts/essay.md").write_text((root / "posts/essay.md").read_text().replace("First", "Second"))
    (root / "note.md").write_bytes("\ufeffThanks to a reader.\r\n".encode("utf-8"))
    done = run_cli("--site", str(root), "revise", "posts/essay.md", "--note-file", str(root / "note.md"))
    assert done.returncode == 0, done.stderr
    import yaml

    head = yaml.safe_load((root / "posts/essay.versions/v2.md").read_text(encoding="utf-8").split("---\n")[1])
    assert head["note"].strip() == "Thanks to a reader."
    (root / "posts/essay.md").write_text((root / "posts/essay.md").read_text().replace("Second", "Third"))
    done = run_cli("--site", str(root), "revise", "posts/essay.md", "--note", "\ufeffPasted with its mark.")
    assert done.returncode == 0, done.stderr
    head = yaml.safe_load((root / "posts/essay.versions/v3.md").read_text(encoding="utf-8").split("---\n")[1])
    assert head["note"].strip() == "Pasted with its mark."


@pytest.mark.parametrize("broken", ["posts/s/part-2.md", "posts/s/series.toml"])
def test_new_in_a_series_with_a_file_that_does_not_load_numbers_no_part(site, broken) -> None:
    """A post that does not load may claim any part: a number picked without it could be taken."""
    root = site({"posts/s/series.toml": 'title = "S"\n',
                 "posts/s/part-1.md": "---\ntitle: One\npart: 1\ndraft: true\n---\nx\n",
                 "posts/s/part-2.md": "---\ntitle: Two\npart: 2\ndraft: true\n---\nx\n"})
    (root / broken).write_text("title = \n" if broken.endswith(".toml") else
                               "---\ntitle: \"Two: the sequel\npart: 2\ndraft: true\n---\nx\n")
    before = snapshot(root / "posts")
    done = run_cli("new", "Three", "--series", "s", cwd=root)
    assert_user_error(done)
    assert done.stderr.startswith(broken + ":")
    assert "--series s: which parts the series has cannot be told" in done.stderr
    assert snapshot(root / "posts") == before


@pytest.mark.parametrize("part", ["part: two\n", 'part: "2"\n', "part: 0\n", ""])
def test_new_in_a_series_with_a_part_number_it_cannot_read_numbers_no_part(site, part) -> None:
    root = site({"posts/s/series.toml": 'title = "S"\n',
                 "posts/s/part-1.md": "---\ntitle: One\npart: 1\ndraft: true\n---\nx\n",
                 "posts/s/part-2.md": f"---\ntitle: Two\n{part}draft: true\n---\nx\n"})
    before = snapshot(root / "posts")
    done = run_cli("new", "Three", "--series", "s", cwd=root)
    assert_user_error(done)
    assert done.stderr.startswith("posts/s/part-2.md:") and "mend it first (--series s)" in done.stderr
    assert snapshot(root / "posts") == before


def test_the_summary_counts_in_the_singular_and_the_plural(tmp_path: Path) -> None:
    from engine.cli import _summary
    assert _summary("Built", 1, 1, 1, 0.1, tmp_path, tmp_path / "output", 1) == \
        "Built 1 page and 1 feed into output/ in 0.10 s (1 warning; 1 file written)"
    assert _summary("Checked", 2, 0, 0, 0.1, tmp_path) == "Checked 2 pages and 0 feeds in 0.10 s (0 warnings)"


def test_ctrl_c_while_the_engine_loads_exits_130_without_a_traceback(monkeypatch, capsys) -> None:
    """The entry point answers Ctrl-C that comes before ``cli.main`` can (while its modules load)."""
    import sys

    import engine.launch

    class Interrupted:
        def find_spec(self, name: str, path: object, target: object = None) -> None:
            if name == "engine.cli":
                raise KeyboardInterrupt

    monkeypatch.delitem(sys.modules, "engine.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [Interrupted(), *sys.meta_path])
    assert engine.launch.main() == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_the_command_is_the_entry_point_that_answers_early_ctrl_c() -> None:
    import tomllib
    scripts = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"feuilleton": "engine.launch:main"}


def test_deploys_summary_counts_files_in_the_singular_and_says_a_dry_run_has_nothing_to_send(tmp_path: Path) -> None:
    from tests.conftest import EPOCH, post, write_site
    root = write_site(tmp_path / "site", {"posts/essay.md": post("Essay")})
    target = f"dir:{tmp_path / 'www'}"
    first = run_cli("--site", str(root), "deploy", "--to", target, env=EPOCH)
    assert first.returncode == 0 and " files added, 0 changed, 0 removed." in first.stdout, first.stdout
    (root / "posts/essay.md").write_text(post("Essay", body="Other words."))
    dry = run_cli("--site", str(root), "deploy", "--to", target, "--dry-run", env=EPOCH)
    assert "would add 0 files, change " in dry.stdout and "; nothing was sent." in dry.stdout
    assert run_cli("--site", str(root), "deploy", "--to", target, env=EPOCH).returncode == 0
    same = run_cli("--site", str(root), "deploy", "--to", target, "--dry-run", env=EPOCH)
    assert same.stdout.startswith("dir:") and same.stdout.rstrip().endswith(  # no blank line before it
        "already has this site: nothing would be sent."), same.stdout


def test_new_finds_a_series_named_by_its_address(site):
    """``posts/River-Law/`` is at /river-law/: ``--series river-law`` means it (it was "unknown series")."""
    root = site({"posts/River-Law/series.toml": 'title = "River law"\n'})
    done = run_cli("new", "X", "--series", "river-law", "--part", "3", cwd=root)
    assert done.returncode == 0, done.stderr
    assert (root / "posts/River-Law/part-3.md").is_file()
    refused = run_cli("new", "Y", "--series", "sea-law", cwd=root)
    assert_user_error(refused)
    assert "unknown series `sea-law` (the series here: `River-Law`)" in refused.stderr


def test_new_takes_no_address_a_file_there_has_in_other_letters(site):
    """An earlier Feuilleton's ``new "น้ำใจ"`` named the file with AM split, and ``Essay.md`` is at /essay/: a
    new post with the same title gets the next free address, not a clash the build then reports between two
    names that look alike."""
    import unicodedata
    split = unicodedata.normalize("NFKC", "น้ำใจ")
    root = site({f"posts/{split}.md": post("น้ำใจ"), "posts/Essay.md": post("Essay")})
    for title in ("น้ำใจ", "Essay"):
        assert run_cli("new", title, cwd=root).returncode == 0
    assert (root / "posts/น้ำใจ-2.md").is_file() and (root / "posts/essay-2.md").is_file()


def test_a_site_still_at_inits_example_address_is_told_before_its_feed_ids_are_made_from_it(tmp_path):
    """Followed as written, the README's tour published posts whose feed ids, made for good from ``base_url``,
    were ``tag:example.org,…``, and built pages whose canonical addresses were example.org's, without a word."""
    site = tmp_path / "notes"
    made = run_cli("init", str(site))
    assert made.returncode == 0 and "set its title, base_url and [author] in config.toml" in made.stdout
    built = run_cli("build", cwd=site)
    assert built.returncode == 0 and built.stderr.startswith(
        "config.toml:2: warning: `base_url` is still the example address `init` wrote (https://example.org/): set "
        "your site's own before you publish, since each post's feed id is made from it"), built.stderr
    assert run_cli("new", "Weirs", cwd=site).returncode == 0
    refused = run_cli("publish", "posts/weirs.md", cwd=site)  # the moment its feed id would be made, for good
    assert refused.returncode == 1 and refused.stderr.startswith(
        "config.toml:2: `base_url` is still the example address `init` wrote (https://example.org/): set your site's "
        "own (and [author]) before publishing"), refused.stderr
    assert "id:" not in (site / "posts/weirs.md").read_text()
    export = tmp_path / "feed.xml"  # an import's dry run, which exited 0 with a clean report, says so too
    export.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://t.example/'
                      "</link><item><title>A</title><link>https://t.example/a</link><pubDate>Mon, 02 Nov 2026 09:00:00"
                      " +0000</pubDate><description>Text.</description></item></channel></rss>", encoding="utf-8")
    dry = run_cli("import", str(export), "--dry-run", cwd=site)
    assert dry.returncode == 0 and dry.stderr.startswith("config.toml:2: warning: `base_url` is still the example"), \
        dry.stderr
    assert "the import itself stops here until then" in dry.stderr
    config = site / "config.toml"
    config.write_text(config.read_text().replace("https://example.org/", "https://notes.example.net/"))
    assert run_cli("build", cwd=site).stderr == ""
    assert run_cli("publish", "posts/weirs.md", cwd=site).returncode == 0


def test_the_version_installed_is_told():
    from importlib.metadata import version
    done = run_cli("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"feuilleton {version('feuilleton')}"


def test_a_note_that_starts_with_a_dash_is_refused_with_how_to_give_it(tmp_path: Path) -> None:
    """``--note "-v was the wrong flag"`` read as an option: argparse said only "expected one argument"."""
    root = write_site(tmp_path / "site", {"posts/p.md": post("P", body="Text.")})
    done = run_cli("revise", "posts/p.md", "--note", "-v was the wrong flag", cwd=root)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.rstrip().endswith("error: argument --note: expected one argument (a value that starts with -, "
                                         "which reads as an option, is written with =: --note='-…', or read from a "
                                         "file with --note-file)"), done.stderr
