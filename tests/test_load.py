"""Files → sources: the front-matter split, line numbers, and what is skipped."""
from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import EPOCH, assert_user_error, post, run_cli
from engine.errors import Report, SiteError
from engine.source.load import Sources, load


def load_site(root: Path) -> tuple[Sources, Report]:
    report = Report(root)
    sources = load(root, root / "posts", report)
    return sources, report


def messages(report: Report) -> list[str]:
    return [str(d) for d in report.items]


def only_error(root: Path) -> str:
    sources, report = load_site(root)
    assert sources.posts == ()
    assert len(report.items) == 1, messages(report)
    assert not report.items[0].warning
    return str(report.items[0])


# --- the split -------------------------------------------------------------

def test_a_good_file_splits_into_meta_and_body(site):
    root = site({"posts/essay.md": "---\ntitle: An Essay\ndate: 2016-11-22\ntags: [law]\n---\n\nFirst paragraph.\n"})
    sources, report = load_site(root)
    assert report.items == []
    (source,) = sources.posts
    assert source.meta == {"title": "An Essay", "date": date(2016, 11, 22), "tags": ["law"]}
    assert str(source.body) == "\nFirst paragraph.\n"
    assert source.body_line == 6
    assert source.key == "essay.md"
    assert source.shown == "posts/essay.md"
    assert source.folder is None


def test_key_lines_are_recorded(site):
    root = site({"posts/a.md": (
        "---\n"             # 1
        "title: A\n"        # 2
        "\n"                # 3
        "# a comment\n"     # 4
        "summary: >\n"      # 5
        "  folded\n"        # 6
        "  text\n"          # 7
        "tags:\n"           # 8
        "  - law\n"         # 9
        "draft: true\n"     # 10
        "---\n"             # 11
        "Body.\n")})        # 12
    (source,) = load_site(root)[0].posts
    assert dict(source.meta_lines) == {"title": 2, "summary": 5, "tags": 8, "draft": 10}
    assert source.line("tags") == 8
    assert source.line("absent") == 1
    assert str(source.body) == "Body.\n"
    assert source.body_line == 12


def test_malformed_yaml_reports_the_line_in_the_file(site):
    root = site({"posts/x.md": "---\ntitle: A\nsummary: value: other\n---\nBody.\n"})
    error = only_error(root)
    assert error.startswith("posts/x.md:3: invalid YAML in front matter: ")


def test_unclosed_flow_sequence_points_at_where_it_opens(site):
    root = site({"posts/x.md": "---\ntitle: A\ndate: 2016-11-22\ntags: [law\n---\nBody.\n"})
    # YAML notices only at the end of the front matter; the author needs line 4.
    error = only_error(root)
    assert error.startswith("posts/x.md:4: invalid YAML in front matter: ")


def test_unterminated_quote_points_at_where_it_opens(site):
    root = site({"posts/x.md": '---\ntitle: A\nsummary: "never closed\ndate: 2016-11-22\n---\nBody.\n'})
    assert only_error(root).startswith("posts/x.md:3: invalid YAML in front matter: ")


@pytest.mark.parametrize("front", [
    "title: A\n\tdate: 2016-11-22\nsummary: s\n",   # the bad line in the middle
    "title: A\n\tdate: 2016-11-22\n",                # the bad line last
])
def test_a_tab_in_front_matter_reports_its_line(site, front):
    root = site({"posts/x.md": f"---\n{front}---\nBody.\n"})
    assert only_error(root).startswith("posts/x.md:3: invalid YAML in front matter: ")


def test_bad_last_line_of_front_matter_reports_that_line(site):
    root = site({"posts/x.md": "---\ntitle: A\nsummary: one: two\n---\nBody.\n"})
    assert only_error(root).startswith("posts/x.md:3: invalid YAML in front matter: ")


def test_front_matter_that_is_a_list(site):
    root = site({"posts/x.md": "---\n- title\n- date\n---\nBody.\n"})
    error = only_error(root)
    assert error.startswith("posts/x.md:2: front matter must be a mapping")
    assert error.endswith("not a list")


def test_front_matter_that_is_a_line_of_text_is_not_called_a_str(site):
    root = site({"posts/x.md": "---\njust a string\n---\nBody.\n"})
    assert only_error(root) == ("posts/x.md:2: front matter must be a mapping of keys to values (`title: …`), not "
                                "a line of text")


def test_lines_ended_by_a_carriage_return_alone_are_named(site):
    root = site({"posts/x.md": b'---\rtitle: "Old Mac"\rdate: 2024-01-01\r---\r\rText.\r'})
    assert only_error(root) == ("posts/x.md:1: ends its lines with a carriage return alone (as classic Mac OS did), "
                                "which no line break is here: save the file with LF (Unix) or CRLF (Windows) line "
                                "endings")


def test_front_matter_that_is_a_plain_string(site):
    root = site({"posts/x.md": "---\njust some words\n---\nBody.\n"})
    assert only_error(root).startswith("posts/x.md:2: front matter must be a mapping")


def test_front_matter_not_closed(site):
    root = site({"posts/x.md": "---\ntitle: A\ndate: 2016-11-22\n\nBody without a fence.\n"})
    assert only_error(root) == ("posts/x.md:1: front matter is not closed: "
                                "add a `---` line after the YAML that starts here")


def test_no_front_matter_at_all(site):
    root = site({"posts/x.md": "# A heading\n\nJust Markdown.\n"})
    error = only_error(root)
    assert error.startswith("posts/x.md:1: no front matter")


def test_front_matter_fence_must_be_the_first_line(site):
    root = site({"posts/x.md": b"\n---\ntitle: A\n---\nBody.\n"})  # bytes: not lstripped
    assert only_error(root).startswith("posts/x.md:1: no front matter")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file(site, content):
    root = site({"posts/x.md": content})
    assert only_error(root).startswith("posts/x.md:1: the file is empty")


def test_non_utf8_reports_the_line_of_the_bad_byte(site):
    root = site({"posts/x.md": b"---\ntitle: A\n---\n\nA caf\xe9 in Paris.\n"})
    error = only_error(root)
    assert error.startswith("posts/x.md:5: is not valid UTF-8")
    assert "0xe9" in error


def test_non_utf8_in_front_matter(site):
    root = site({"posts/x.md": b"---\ntitle: Caf\xe9\n---\nBody.\n"})
    assert only_error(root).startswith("posts/x.md:2: is not valid UTF-8")


def test_crlf_files(site):
    root = site({"posts/x.md": b"---\r\ntitle: A\r\ndate: 2016-11-22\r\n---\r\nBody.\r\nMore.\r\n"})
    sources, report = load_site(root)
    assert report.items == []
    (source,) = sources.posts
    assert source.meta == {"title": "A", "date": date(2016, 11, 22)}
    assert source.meta_lines["date"] == 3
    assert str(source.body) == "Body.\nMore.\n"
    assert source.body_line == 5
    assert "\r" not in source.text


def test_crlf_yaml_error_line(site):
    root = site({"posts/x.md": b"---\r\ntitle: A\r\nsummary: a: b\r\n---\r\nBody.\r\n"})
    assert only_error(root).startswith("posts/x.md:3: invalid YAML")


def test_byte_order_mark(site):
    root = site({"posts/x.md": b"\xef\xbb\xbf---\ntitle: A\n---\nBody.\n"})
    sources, report = load_site(root)
    assert report.items == []
    (source,) = sources.posts
    assert source.meta == {"title": "A"}
    assert source.meta_lines == {"title": 2}
    assert str(source.body) == "Body.\n"
    assert not source.text.startswith("\ufeff")


def test_empty_front_matter_is_an_empty_mapping(site):
    root = site({"posts/x.md": "---\n---\nBody.\n"})
    sources, report = load_site(root)
    assert report.items == []
    assert sources.posts[0].meta == {}
    assert sources.posts[0].body_line == 3


@pytest.mark.parametrize("written, line", [("title: A\ndate: 2016-11-22T10:00:00+25:00", 3),
                                           ("title: A\nsummary: s\ndate: 2016-02-30", 4)])
def test_a_timestamp_no_calendar_has_is_read_as_text_and_named_at_its_line(site, written: str, line: int):
    """Valid YAML, no date: the text stays, for the date's own check (``check`` then names it at its line)."""
    root = site({"posts/x.md": f"---\n{written}\n---\nBody.\n"})
    sources, report = load_site(root)
    assert report.items == [] and sources.posts[0].meta["date"] == written.rpartition("date: ")[2]
    done = run_cli("check", cwd=root)
    assert done.returncode == 1
    assert f"posts/x.md:{line}: `date`: cannot read '{written.rpartition('date: ')[2]}' as a date" in done.stderr


def test_yaml_datetime_values_pass_through(site):
    root = site({"posts/x.md": "---\ntitle: A\ndate: 2016-11-22T10:00:00\n---\nBody.\n"})
    (source,) = load_site(root)[0].posts
    assert source.meta["date"] == datetime(2016, 11, 22, 10, 0)


# --- the walk --------------------------------------------------------------

def test_all_errors_of_the_stage_are_collected(site):
    root = site({
        "posts/a.md": "---\ntitle: A\nsummary: a: b\n---\n",
        "posts/b.md": "no front matter\n",
        "posts/c.md": post("Fine"),
    })
    sources, report = load_site(root)
    assert [p.key for p in sources.posts] == ["c.md"]
    assert sorted(d.path for d in report.errors) == ["posts/a.md", "posts/b.md"]
    with pytest.raises(SiteError) as caught:
        report.raise_if_errors()
    assert len(caught.value.diagnostics) == 2


def test_versions_folders_and_hidden_files_are_skipped(site):
    root = site({
        "posts/a.md": post("A"),
        "posts/a.versions/v1.md": "---\nversion: 1\n---\nnot a post\n",
        "posts/.hidden.md": "garbage without front matter",
        "posts/.drafts/secret.md": "garbage",
        "posts/_partial.md": "garbage",
        "posts/notes.txt": "not markdown",
        "posts/s/series.toml": 'title = "S"\n',
        "posts/s/part-1.md": post("One", part=1),
        "posts/s/part-1.versions/v1.md": "garbage",
        "posts/s/.part-2.md.swp": "garbage",
    })
    sources, report = load_site(root)
    assert report.items == []
    assert [p.key for p in sources.posts] == ["a.md", "s/part-1.md"]


@pytest.mark.slow
def test_a_markdown_file_not_named_md_is_a_warning_that_says_how_to_name_it(site):
    """``essay.markdown`` and ``Other.MD`` were left out without a word: no page, and check and build said
    nothing."""
    root = site({"posts/essay.markdown": post("Saved as markdown"), "posts/Other.MD": post("Saved as MD"),
                 "posts/2026/notes.mdown": post("Notes"), "posts/a.md": post("A"), "posts/a.Markdown": post("A again"),
                 "posts/notes.txt": "not markdown", "posts/.x.markdown.swp": "an editor's"})
    left_out = "warning: is left out: only a file whose name ends in `.md` is a post"
    said = [f"posts/2026/notes.mdown: {left_out}; rename it to notes.md",
            f"posts/Other.MD: {left_out}; rename it to Other.md",
            f"posts/a.Markdown: {left_out}, and a.md is here too; if this is another post, give it a name of its own "
            "that ends in `.md`",
            f"posts/essay.markdown: {left_out}; rename it to essay.md"]
    for command in ("check", "build"):
        done = run_cli(command, cwd=root, env=EPOCH)
        assert done.returncode == 0, done.stderr
        assert [line for line in done.stderr.splitlines() if line.startswith("posts/")] == said, done.stderr
    refused = run_cli("publish", "posts/Other.MD", cwd=root, env=EPOCH)
    assert_user_error(refused)
    assert "posts/Other.MD: is no post: only a file whose name ends in `.md` is one; rename it to Other.md" \
        in refused.stderr
    for name in ("essay", "Other"):
        next(root.glob(f"posts/{name}.*")).rename(root / f"posts/{name}.md")  # as the warnings say
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 0 and "essay" not in done.stderr and "Other" not in done.stderr, done.stderr
    assert (root / "output/essay/index.html").is_file() and (root / "output/other/index.html").is_file()


def test_series_folders_are_found(site):
    root = site({
        "posts/s/series.toml": 'title = "S"\nstatus = "ongoing"\n',
        "posts/s/part-1.md": post("One", part=1),
        "posts/plain/essay.md": post("In a plain folder"),
        "posts/top.md": post("Top"),
    })
    sources, report = load_site(root)
    assert report.items == []
    by_key = {p.key: p for p in sources.posts}
    assert by_key["s/part-1.md"].folder == "s"
    assert by_key["plain/essay.md"].folder is None
    assert by_key["top.md"].folder is None
    assert [(slug, toml.data["title"]) for slug, toml in sources.series] == [("s", "S")]
    assert sources.series[0][1].line("status") == 2


def test_a_broken_series_toml_is_collected_with_post_errors(site):
    root = site({
        "posts/s/series.toml": 'title = "S"\nstatus = \n',
        "posts/x.md": "no front matter\n",
    })
    _, report = load_site(root)
    assert sorted(str(d).split(" ")[0] for d in report.errors) == ["posts/s/series.toml:2:", "posts/x.md:1:"]


def test_missing_posts_folder(tmp_path):
    (tmp_path / "config.toml").write_text("")
    report = Report(tmp_path)
    with pytest.raises(SiteError) as caught:
        load(tmp_path, tmp_path / "posts", report)
    assert "posts" in str(caught.value)
    assert "does not exist" in str(caught.value)


def _forbidden_by_definition(char: str) -> bool:
    """XML 1.0's and HTML's rules, spelled out one character at a time."""
    code = ord(char)
    if char in "\t\n\r":
        return False
    return (code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF
            or (code & 0xFFFE) == 0xFFFE)


@pytest.mark.parametrize("char", [chr(c) for c in (*range(0, 0xA1), 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFDCF,
                                                   0xFDD0, 0xFDEF, 0xFDF0, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000,
                                                   0x1F600, 0x1FFFD, 0x1FFFE, 0x1FFFF, 0x2FFFE, 0x10FFFD,
                                                   0x10FFFE, 0x10FFFF)])
def test_forbidden_finds_exactly_the_characters_pages_and_feeds_cannot_carry(char):
    from engine.source.textcheck import forbidden
    expected = 5 if _forbidden_by_definition(char) else -1
    assert forbidden(f"Caf\u00e9 {char} \U0001F600 x") == expected
    assert forbidden(f"plain {char}") == (6 if expected >= 0 else -1)


def test_forbidden_agrees_with_the_definition_on_mixed_texts():
    """Texts that are cleared in bytes and texts that are searched alike: the first forbidden character."""
    import random

    from engine.source.textcheck import forbidden
    rng = random.Random(11)
    alphabet = [*"abc \t\n\r—“”é", "\u00a0", "\u00ad", "\u0085", "\x01", "\x7f", "\ud55c", "\ud800", "\ufdd0",
                "\ufdf0", "\ufffd", "\uffff", "\U0001F600", "\U0001FFFE", "\U0010FFFD"]
    weights = [40] * 11 + [1] * 14
    for _ in range(4000):
        text = "".join(rng.choices(alphabet, weights, k=rng.randint(0, 30)))
        expected = next((i for i, char in enumerate(text) if _forbidden_by_definition(char)), -1)
        assert forbidden(text) == expected, repr(text)


def test_forbidden_reports_the_first_of_several():
    from engine.source.textcheck import forbidden
    assert forbidden("ab\U0001FFFEcd\x01") == 2
    assert forbidden("ab\x01cd\U0001FFFE") == 2


def test_the_quick_nesting_screen_never_hides_a_deep_line(monkeypatch):
    """The one-search screen in ``nesting_problem`` agrees with the line-by-line estimate alone."""
    import random
    import re

    from engine.source import textcheck
    rng = random.Random(5)
    marks = [" ", "\t", ">", "- ", "* ", "+ ", "1. ", "2) ", "  ", "\t\t"]
    texts = [rng.choice(["", "para\n"]) + "".join(rng.choice(marks) for _ in range(rng.randint(20, 80))) + "text\n"
             for _ in range(3000)]
    screened = [textcheck.nesting_problem(text) for text in texts]
    monkeypatch.setattr(textcheck, "_DEEP_PREFIX", re.compile(""))  # every text goes line by line
    assert screened == [textcheck.nesting_problem(text) for text in texts]
    assert sum(found is not None for found in screened) > 100  # deep lines were among them


@pytest.mark.parametrize("written", ["No", "Off", "yes", "9:30", "010", "3.10", "1_000", "2016-11-22", "null text"])
def test_a_title_stays_as_written_where_yaml_would_read_another_type(site, written):
    root = site({"posts/p.md": f"---\ntitle: {written}\ntags: [yes, no, 12, law]\n---\nBody.\n"})
    sources, report = load_site(root)
    assert not report.items
    meta = sources.posts[0].meta
    assert meta["title"] == written
    assert meta["tags"] == ["yes", "no", "12", "law"]


def test_a_key_given_twice_is_an_error_at_the_second(site):
    root = site({"posts/p.md": '---\ntitle: "One"\nsummary: "S."\ntitle: Other\n---\nBody.\n'})
    assert only_error(root) == ("posts/p.md:4: `title` is given twice (also on line 2); only one can count: "
                                "remove the other")


@pytest.mark.parametrize("front, expected", [
    ('title: "First part\'\nsummary: "One."\ntags: [a]',
     "posts/p.md:2: invalid YAML in front matter: a quote opened on this line is not closed on it"),
    ('title: x\nsummary "One."\ntags: [a]', "posts/p.md:3: invalid YAML in front matter: could not find expected ':'"),
    ('title: x\ntags: [law, cities\nsummary: y', "posts/p.md:3: invalid YAML in front matter: did not find expected ',' or ']'"),
    ('title: "a long\n  title"\nsummary: [x', "posts/p.md:4: invalid YAML in front matter: did not find expected ',' or ']'"),
    # `new` writes `summary: ""`: the title's quote ends at its first `"`, and the second opens one that never ends
    ('title: "The unclosed\ndate: 2026-01-05\nsummary: ""',
     "posts/p.md:2: invalid YAML in front matter: a quote opened on this line is not closed on it"),
    ('title: "The unclosed\ndate: 2026-01-05',
     "posts/p.md:2: invalid YAML in front matter: a quote opened on this line is not closed on it"),
    ('title: "a long\n  title"\nsummary: "x',
     "posts/p.md:4: invalid YAML in front matter: a quote opened on this line is not closed on it"),
])
def test_a_yaml_mistake_is_reported_on_the_line_where_it_is(site, front, expected):
    root = site({"posts/p.md": f"---\n{front}\n---\nBody.\n"})
    assert only_error(root) == expected


def test_a_link_loop_a_pipe_and_a_dangling_link_are_skipped_with_warnings(site):

    from conftest import run_cli
    root = site({"posts/a.md": post("A")})
    (root / "posts/loop").symlink_to("../posts")
    os.mkfifo(root / "posts/pipe.md")  # reading it would wait forever for a writer
    (root / "posts/gone.md").symlink_to("/nowhere/at/all.md")
    (root / "posts/self.md").symlink_to("self.md")  # following it fails (ELOOP) rather than finding nothing
    for _ in range(2):  # the second build checks what changed, walking the same folders
        done = run_cli("build", cwd=root)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "posts/loop: warning: leads back to a folder already read (a link in a loop): skipped" in done.stderr
        assert "posts/pipe.md: warning: is not a regular file: skipped" in done.stderr
        assert "posts/gone.md: warning: is a link to nothing: skipped" in done.stderr
        assert "posts/self.md: warning: is a link to nothing: skipped" in done.stderr
    assert (root / "output/a/index.html").is_file()


def test_a_post_whose_name_is_not_utf8_is_an_error_that_names_it(site):

    from conftest import run_cli
    root = site({"posts/a.md": post("A")})
    Path(os.fsdecode(bytes(root / "posts") + b"/caf\xe9.md")).write_text(post("Café"))  # Latin-1, as old tools save
    done = run_cli("build", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("posts/caf\\udce9.md: its name is not UTF-8 text")


def test_a_series_toml_that_links_to_itself_is_named(site):
    from conftest import run_cli
    root = site({"posts/a.md": post("A"), "posts/s/part-1.md": post("One", part=1)})
    (root / "posts/s/series.toml").symlink_to("series.toml")
    done = run_cli("build", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("posts/s/series.toml: is a link to nothing (or in a loop of links)")


def test_a_posts_folder_that_links_to_itself_is_named(site):
    import shutil

    from conftest import run_cli
    root = site({"posts/a.md": post("A")})
    shutil.rmtree(root / "posts")
    (root / "posts").symlink_to("posts")
    done = run_cli("build", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("posts: the posts folder is a link to nothing (or in a loop of links)")


# --- front matter read from the parser's nodes --------------------------------

def test_a_line_inside_a_multi_line_value_is_no_key(site):
    root = site({"posts/a.md": "---\ntitle: \"Why\"\nsummary: \"The council's\ntitle: of events.\"\n---\n\nBody.\n"})
    sources, report = load_site(root)
    assert report.items == [], messages(report)  # not "`title` is given twice"
    (source,) = sources.posts
    assert source.meta["summary"] == "The council's title: of events."
    assert source.meta_lines == {"title": 2, "summary": 3}


def alias_bomb(levels: int = 9) -> str:
    lines = ["---", "title: Bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join([*lines, "---", "", "Body."]) + "\n"


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_alias_bomb_is_refused_at_once(site, command):
    root = site({"posts/bomb.md": alias_bomb()})
    done = run_cli(command, cwd=root, timeout=30)  # each level multiplied the work by nine
    assert done.returncode == 1
    assert done.stderr == ("posts/bomb.md:4: front matter may not use YAML anchors and aliases (`&name`, "
                           "`*name`): write the value out where it is used\n")


def test_a_value_that_holds_itself_is_refused_without_a_traceback(site):
    root = site({"posts/loop.md": "---\ntitle: Loop\nsummary: fine\nloop: &a [*a]\n---\n\nBody.\n"})
    assert only_error(root) == ("posts/loop.md:4: front matter may not use YAML anchors and aliases (`&name`, "
                                "`*name`): write the value out where it is used")


def test_comments_alone_are_an_empty_front_matter(site):
    root = site({"posts/a.md": "---\n# nothing yet\n---\n\nBody.\n"})
    sources, report = load_site(root)
    assert sources.posts[0].meta == {} and report.items == []


def test_a_post_that_links_out_of_the_site_is_not_read(site, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(post("Private notes", body="Not for the site."))
    root = site({"posts/essay.md": post("Essay")})
    (root / "posts/notes.md").symlink_to(outside)
    sources, report = load_site(root)
    assert [source.key for source in sources.posts] == ["essay.md"]
    assert messages(report) == [f"posts/notes.md: warning: links out of the site (to {outside}), and nothing is read "
                                "from outside it: skipped; copy the file into the site instead"]


def test_a_post_name_too_long_for_its_versions_folder_is_an_error_that_says_so(site):
    """A legal 251-byte name (about 125 Arabic, Cyrillic or accented letters): the folder of its versions,
    NAME.versions, cannot exist, and every command stopped at "File name too long" with a path and no fix."""
    name = "é" * 124 + ".md"
    root = site({f"posts/{name}": post("Long", "2026-11-01T09:00:00", "Body."),
                 f"posts/{'é' * 120}.md": post("Just short enough", "2026-11-02T09:00:00", "Body.")})
    done = run_cli("build", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == (f"posts/{name}: its name is 251 bytes long, and the folder of its recorded versions, "
                           f"{'é' * 12}….versions, would be longer than the 255 bytes a file name may have: shorten "
                           "the name (a `slug:` can keep its address)\n"), done.stderr
