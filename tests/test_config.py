"""``config.toml`` → ``Config``: fields, defaults, warnings, and values refused.  A config that stops the
build, with its exact ``config.toml:LINE: message``, is a case in ``tests/cases/invalid/config-*``."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import CONFIG, EPOCH, assert_user_error, run_cli
from engine.config import Config, load_config
from engine.errors import SiteError


def config_errors(site: Path) -> list[str]:
    with pytest.raises(SiteError) as caught:
        load_config(site)
    return [str(d) for d in caught.value.diagnostics]


def test_good_config_becomes_fields(site):
    root = site({}, config="""\
        title = "Notes from the Bar"
        base_url = "https://essays.example.org/law"
        language = "de"
        timezone = "Europe/Berlin"
        posts_per_page = 5

        [author]
        name = "A. Writer"
        bio = "A. Writer is an *immigration lawyer*."
        """)
    config, warnings = load_config(root)
    assert isinstance(config, Config)
    assert warnings == []
    assert config.title == "Notes from the Bar"
    assert config.base_url == "https://essays.example.org/law/"
    assert config.language == "de"
    assert config.timezone == ZoneInfo("Europe/Berlin")
    assert isinstance(config.timezone, ZoneInfo)
    assert config.posts_per_page == 5
    assert config.author.name == "A. Writer"
    assert config.author.bio == "A. Writer is an *immigration lawyer*."
    assert config.source == root / "config.toml"


def test_base_url_with_slash_is_kept_as_is(site):
    root = site({})  # conftest CONFIG: https://example.org/essays/
    config, _ = load_config(root)
    assert config.base_url == "https://example.org/essays/"


def test_defaults_fill_what_is_not_given(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org"

        [author]
        name = "A"
        """)
    config, _ = load_config(root)
    assert config.base_url == "https://example.org/"
    assert config.language == "en"
    assert config.timezone == ZoneInfo("UTC")
    assert config.description == ""
    assert config.posts_per_page == 10
    assert config.feed_entries == 20
    assert config.posts_dir == "posts"
    assert config.output_dir == "output"
    assert config.author.bio == ""
    assert config.author.email == ""


def test_config_is_frozen(site):
    config, _ = load_config(site({}))
    with pytest.raises(AttributeError):
        config.title = "Other"  # type: ignore[misc]


@pytest.mark.parametrize("value", ["0", "-3", "true", "2.5"])
def test_posts_per_page_must_be_a_positive_whole_number(site, value):
    root = site({}, config=f"""\
        title = "T"
        base_url = "https://example.org/"
        posts_per_page = {value}

        [author]
        name = "A"
        """)
    assert [e.split(" ", 2)[:2] for e in config_errors(root)] == [["config.toml:3:", "`posts_per_page`"]]


def test_unknown_key_is_a_warning_with_its_line(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"
        colour = "blue"

        [author]
        name = "A"
        nickname = "Al"
        """)
    config, warnings = load_config(root)
    assert config.title == "T"
    assert [str(w) for w in warnings] == [
        "config.toml:3: warning: unknown key `colour` (ignored)",
        "config.toml:7: warning: unknown key `author.nickname` (ignored)",
    ]
    assert all(w.warning for w in warnings)


def test_a_misspelt_key_is_named_with_the_one_meant(site):
    """``timezon`` is ignored, so every date would be read in UTC: the warning says which key was meant."""
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"
        timezon = "Europe/Berlin"
        Title = "Twice"

        [author]
        name = "A"
        emial = "a@example.org"

        [deploi]
        target = "out"
        """)
    config, warnings = load_config(root)
    assert config.timezone.key == "UTC"
    assert [str(w) for w in warnings] == [
        "config.toml:3: warning: unknown key `timezon` (ignored); did you mean `timezone`?",
        "config.toml:4: warning: unknown key `Title` (ignored)",  # `title` is there already
        "config.toml:10: warning: unknown key `deploi` (ignored); did you mean `deploy`?",
        "config.toml:8: warning: unknown key `author.emial` (ignored); did you mean `author.email`?",
    ]


def test_a_top_level_key_written_below_a_table_is_told_to_move_up(site):
    """``date_format`` added at the end of the file lands in ``[deploy]``: TOML's rule, which the warning
    names, since the key itself is right."""
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"

        [author]
        name = "A"

        [deploy]
        target = "dir:/srv/essays"
        date_format = "long"
        """)
    config, warnings = load_config(root)
    assert [str(w) for w in warnings] == [
        "config.toml:9: warning: unknown key `deploy.date_format` (ignored); `date_format` is a top-level key, and "
        "TOML reads every key below [deploy] as part of it: move it above the first [table]"]


def test_missing_config_file_is_a_site_error(tmp_path):
    errors = config_errors(tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml: cannot read")


INSIDE = "`output_dir` must be a folder name inside the site"
OWN = "is a folder Feuilleton keeps for itself (its cache, or the spare"
"""Feuilleton's own folders: the cache (with every page kept for a CI runner) was published, and a spare of the
spare appeared."""


@pytest.mark.parametrize("value, said", [('"../elsewhere"', INSIDE), ('"/srv/out"', INSIDE), ('""', INSIDE),
                                         ('"~"', INSIDE), ('"~/site"', INSIDE), ('".feuilleton-cache"', OWN),
                                         ('".feuilleton-cache/site"', OWN), ('".feuilleton-spare-output"', OWN),
                                         ('".Feuilleton-Cache"', OWN)])
def test_output_dir_must_be_a_folder_of_the_sites_own(site, value, said):
    root = site({}, config=f"""\
        title = "T"
        base_url = "https://example.org/"
        output_dir = {value}

        [author]
        name = "A"
        """)
    errors = config_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml:3: `output_dir` ") and said in errors[0], errors


@pytest.mark.parametrize("line, message", [
    ('base_url = "https://example.org/?x=1#f"', "`base_url` must be the address of the site's root folder, without "
                                                "?query or #fragment"),
    # pasted with spaces, it put " https://example.org/ /a/" in every canonical link, feed and the sitemap
    ('base_url = " https://example.org/ "', "`base_url` holds a space (every page's links and the feeds would "
                                            "carry it): take out the spaces around it"),
    ('base_url = "https://me:secret@example.org/"', "`base_url` holds a user name or password, which every page, "
                                                    "feed and the sitemap would publish"),
    ('base_url = "https://example.org/a/../b/"', "`base_url` has a `.` or `..` in its path"),
    ('base_url = "https://example.org/%2e%2e/"', "`base_url` has a `.` or `..` in its path"),
    ('language = "english please"', "`language` must be a language tag such as \"en\""),
    ('date_format = ""', "`date_format` must be a length (short, medium, long, full), a CLDR pattern"),
    ('time_format = "noon"', "`time_format` must be a length (short, medium, long, full), a CLDR pattern such as "
                             "\"h:mm a\" or a strftime pattern such as \"%-I:%M %P\", got 'noon': without a field, "
                             "every time would read the same"),
    ('date_format = "%"', "`date_format` must be a length (short, medium, long, full), a CLDR pattern"),
    # a field of the other kind made every page with a date a template error, or a traceback
    ('date_format = "d MMMM y, h:mm a"', "`date_format` must show a date alone, but 'd MMMM y, h:mm a' has the time "
                                         "fields h, mm, a (letters stand for fields; put words between single "
                                         "quotes, as in \"'at' h:mm a\"); the time has its own time_format"),
    ('date_format = "MMMM d, y (zzzz)"', "`date_format` must show a date alone, but 'MMMM d, y (zzzz)' has the "
                                         "time field zzzz"),
    ('time_format = "HH:mm y"', "`time_format` must show a time of day alone, but 'HH:mm y' has the date field y"),
    # strftime as well: "November 28, 2016 12:00, 12:00 pm" on every note
    ('date_format = "%B %-d, %Y %H:%M"', "`date_format` must show a date alone, but '%B %-d, %Y %H:%M' has the "
                                         "time fields %H, %M; the time has its own time_format"),
    ('date_format = "%c"', "`date_format` must show a date alone, but '%c' has the time field %c"),
    # a field strftime does not know, or a % left at the end, was printed as it stands: "March %Q, 2026"
    ('date_format = "%B %Q, %Y"', "`date_format` has '%Q', which is no strftime field, so every date would show it "
                                  "as it stands ('%B %Q, %Y'); use strftime's fields (such as %d, %B, %Y), and write "
                                  "%% for a percent sign"),
    ('date_format = "%d %Ed %Y"', "`date_format` has '%Ed', which is no strftime field"),
    ('date_format = "%d %b %Y %"', "`date_format` ends in '%', a % with no field after it, so every date would show "
                                   "it as it stands ('%d %b %Y %'); finish the field (such as %d, %B, %Y), or write "
                                   "%% for a percent sign"),
    ('time_format = "%H:%M %-"', "`time_format` ends in '%-', a % with no field after it"),
    ('time_format = "%H:%M, %d %b"', "`time_format` must show a time of day alone, but '%H:%M, %d %b' has the "
                                     "date fields %d, %b; the date has its own date_format"),
])
def test_values_that_would_make_broken_pages_are_errors_on_their_line(site, line, message):
    key = line.split(" =")[0]
    lines = ['title = "T"', 'base_url = "https://example.org/"', line if key != "base_url" else "", "",
             "[author]", 'name = "A"']
    if key == "base_url":
        lines[1] = line
    root = site({}, config="\n".join(lines) + "\n")
    (error,) = config_errors(root)
    assert error.startswith(f"config.toml:{2 if key == 'base_url' else 3}: {message}"), error


@pytest.mark.parametrize("key, pattern", [("date_format", "%B %-d, %Y"), ("date_format", "%e %^B %Ey (%%)"),
                                          ("date_format", "%d.%m.%Y%n"), ("date_format", "%OB %10d, %#b %_d %0e"),
                                          ("time_format", "%-I:%M %P"), ("time_format", "%OH h %EX %Z")])
def test_strftime_patterns_the_c_library_reads_are_accepted(site, key, pattern):
    root = site({}, config=f'title = "T"\nbase_url = "https://example.org/"\n{key} = "{pattern}"\n\n'
                           '[author]\nname = "A"\n')
    config, _ = load_config(root)
    assert getattr(config, key) == pattern


def test_a_byte_order_mark_is_not_a_toml_error(site):
    root = site({}, config='\ufefftitle = "T"\nbase_url = "https://example.org/"\n\n[author]\nname = "A"\n')
    config, warnings = load_config(root)
    assert config.title == "T" and warnings == []




def test_posts_dir_naming_the_default_output_folder_is_its_own_error(site):
    root = site({}, config='title = "T"\nbase_url = "https://example.org/"\nposts_dir = "output"\n\n[author]\nname = "A"\n')
    (error,) = config_errors(root)
    assert error == ("config.toml:3: `posts_dir` 'output' is where the generated site goes (`output_dir`, \"output\" "
                     "by default), which a build replaces; keep the posts in a folder of their own, such as \"posts\"")


@pytest.mark.parametrize("base_url, warned", [("https://example.org/essays/", True), ("https://other.org/", True),
                                               ("https://essays.example.org/", False)])
def test_a_cname_that_is_not_base_urls_domain_is_a_warning(site, base_url, warned):
    root = site({}, config=f'title = "T"\nbase_url = "{base_url}"\n\n[author]\nname = "A"\n\n'
                           '[deploy]\ntarget = "git:origin#gh-pages"\ncname = "essays.example.org"\n')
    _, warnings = load_config(root)
    found = [str(w) for w in warnings]
    assert found == ([f"config.toml:9: warning: `cname` essays.example.org makes the Pages site "
                      f"https://essays.example.org/, but base_url is {base_url}, where every link leads: set base_url "
                      "= \"https://essays.example.org/\", or leave cname out"] if warned else [])


@pytest.mark.parametrize("target", ['dir:/srv/www/essays', 'rsync:me@host:/srv/www/essays/'])
def test_a_cname_with_a_target_that_takes_none_is_left_to_deploy(site, target):
    """``deploy --to git:…`` may still use it: what it does is said by ``deploy``, of the target it goes to."""
    root = site({}, config=f'title = "T"\nbase_url = "https://example.org/essays/"\n\n[author]\nname = "A"\n\n'
                           f'[deploy]\ntarget = "{target}"\ncname = "essays.example.org"\n')
    _, warnings = load_config(root)
    assert warnings == []



@pytest.mark.parametrize("url, said", [
    ("https://essays..example.org/", "has a host name, essays..example.org, with an empty or overlong part"),
    ("https://-bad-.example.org/", "has a host name, -bad-.example.org, that is not one"),
    ("https://essays.example.org:99999/", "has a port that is not a number from 1 to 65535"),
    ("https://essays.example.org:0/", "has port 0"),
    ("https://essays.example.org:web/", "has a port that is not a number from 1 to 65535"),
    ("http://[zz]/", "must be an absolute http(s) URL"),
])
def test_a_base_url_no_reader_could_reach_is_an_error_before_a_feed_id_keeps_it(site, url, said):
    """``publish`` made each post's feed id, for good, from ``essays..example.org``, and every canonical link led
    there; the check said nothing."""
    root = site({}, config=f'title = "T"\nbase_url = "{url}"\n\n[author]\nname = "A"\n')
    (error,) = config_errors(root)
    assert error.startswith(f"config.toml:2: `base_url` {said}"), error


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/essays/", "http://[::1]:8000/", "https://bücher.example/",
                                 "http://localhost:1313/", "https://example.org./", "https://my_host.example/"])
def test_a_base_url_of_any_host_a_browser_reaches_is_taken(site, url):
    root = site({}, config=f'title = "T"\nbase_url = "{url}"\n\n[author]\nname = "A"\n')
    config, _ = load_config(root)
    assert config.base_url == url


@pytest.mark.parametrize("written, line, folder", [('posts_dir = "essays"\n', 3, "essays"), ("", 1, "posts")])
def test_a_posts_folder_that_does_not_exist_is_an_error_at_the_line_of_posts_dir(site, written, line, folder):
    """It was ``config.toml: the posts folder essays does not exist``, the only config error without a line: the
    line of ``posts_dir``, or line 1 where the default holds."""
    root = site({}, config=CONFIG.replace("timezone", written + "timezone", 1))
    (root / "posts").rmdir()
    assert root.joinpath("config.toml").read_text().splitlines()[line - 1].startswith(written.strip() or "title")
    for command in ("check", "build"):
        done = run_cli(command, cwd=root, env=EPOCH)
        assert_user_error(done)
        assert done.stderr.splitlines() == [f"config.toml:{line}: the posts folder {folder} does not exist: create "
                                            "it, or set `posts_dir` to the folder your posts are in"]
