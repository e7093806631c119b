"""``config.toml`` → ``Config``: fields, defaults, and ``config.toml:LINE`` errors."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

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


def test_missing_title_is_reported_exactly(site):
    root = site({}, config="""\
        base_url = "https://example.org/"

        [author]
        name = "A"
        """)
    assert config_errors(root) == ["config.toml:1: missing required key `title`"]


def test_wrong_type_is_reported_on_its_line(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"
        language = "en"
        posts_per_page = "ten"

        [author]
        name = "A"
        """)
    errors = config_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml:4: `posts_per_page` ")
    assert "whole number" in errors[0]


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


def test_bad_timezone_is_reported_on_its_line(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"
        timezone = "Mars/Olympus"

        [author]
        name = "A"
        """)
    errors = config_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml:3: `timezone` ")
    assert "Mars/Olympus" in errors[0]


def test_relative_base_url_is_an_error(site):
    root = site({}, config="""\
        title = "T"
        base_url = "/essays/"

        [author]
        name = "A"
        """)
    errors = config_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml:2: `base_url` must be an absolute http(s) URL")


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


def test_warnings_ride_along_with_errors(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"
        colour = "blue"
        timezone = "Nowhere/Special"

        [author]
        name = "A"
        """)
    errors = config_errors(root)
    assert errors[0].startswith("config.toml:4: `timezone`")
    assert "config.toml:3: warning: unknown key `colour` (ignored)" in errors


def test_all_problems_are_reported_together(site):
    root = site({}, config="""\
        base_url = "https://example.org/"
        posts_per_page = "ten"
        timezone = "Mars/Olympus"

        [author]
        name = "A"
        """)
    lines = sorted(e.split(" ")[0] for e in config_errors(root))
    assert lines == ["config.toml:1:", "config.toml:2:", "config.toml:3:"]


def test_toml_syntax_error_names_its_line(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"
        language = = "en"

        [author]
        name = "A"
        """)
    errors = config_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml:3: invalid TOML: ")
    assert "(at line" not in errors[0]


def test_toml_error_in_a_later_table_names_its_line(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"

        [author
        name = "A"
        """)
    errors = config_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml:4: invalid TOML: ")


def test_toml_error_at_end_of_file_names_the_last_line(site):
    # tomllib says "(at end of document)" rather than "(at line N, …)" here;
    # the author still needs the line, which is the last one.
    root = site({"config.toml": b'title = "T"\nbase_url = "https://example.org/"\n\n[author]\nname = "A'},
                config=None)
    errors = config_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml:5: invalid TOML: ")
    assert "end of document)" not in errors[0]


def test_config_not_utf8_names_its_line(site):
    root = site({"config.toml": b'title = "T"\nbase_url = "https://example.org/"\ndescription = "caf\xe9"\n'},
                config=None)
    errors = config_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml:3: ")
    assert "UTF-8" in errors[0]


def test_missing_author_table(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"
        """)
    errors = config_errors(root)
    assert "config.toml:1: missing required table [author] with a `name`" in errors
    assert all("Traceback" not in e for e in errors)


def test_author_without_name_points_at_the_table(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"

        [author]
        bio = "Someone."
        """)
    assert config_errors(root) == ["config.toml:4: missing required key `author.name`"]


def test_author_that_is_not_a_table(site):
    root = site({}, config="""\
        title = "T"
        base_url = "https://example.org/"
        author = "A. Writer"
        """)
    errors = config_errors(root)
    assert errors[0] == "config.toml:3: `author` must be a table: [author]"


def test_missing_config_file_is_a_site_error(tmp_path):
    errors = config_errors(tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml: cannot read")


@pytest.mark.parametrize("value", ['"../elsewhere"', '"/srv/out"', '""'])
def test_output_dir_must_stay_inside_the_site(site, value):
    root = site({}, config=f"""\
        title = "T"
        base_url = "https://example.org/"
        output_dir = {value}

        [author]
        name = "A"
        """)
    errors = config_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith("config.toml:3: `output_dir` must be a folder name inside the site")


@pytest.mark.parametrize("line, message", [
    ('base_url = "https://example.org/?x=1#f"', "`base_url` must be the address of the site's root folder, without "
                                                "?query or #fragment"),
    ('language = "english please"', "`language` must be a language tag such as \"en\""),
    ('date_format = ""', "`date_format` must be a strftime pattern"),
    ('time_format = "noon"', "`time_format` must be a strftime pattern such as \"%-I:%M %P\", got 'noon': "
                             "without a % field, every time would read the same"),
    ('date_format = "%"', "`date_format` must be a strftime pattern"),
])
def test_values_that_would_make_broken_pages_are_errors_on_their_line(site, line, message):
    key = line.split(" =")[0]
    lines = [f'title = "T"', 'base_url = "https://example.org/"', line if key != "base_url" else "", "",
             "[author]", 'name = "A"']
    if key == "base_url":
        lines[1] = line
    root = site({}, config="\n".join(lines) + "\n")
    (error,) = config_errors(root)
    assert error.startswith(f"config.toml:{2 if key == 'base_url' else 3}: {message}"), error


def test_a_byte_order_mark_is_not_a_toml_error(site):
    root = site({}, config='\ufefftitle = "T"\nbase_url = "https://example.org/"\n\n[author]\nname = "A"\n')
    config, warnings = load_config(root)
    assert config.title == "T" and warnings == []


def test_unclosed_raw_html_in_the_bio_or_a_series_description_stops_the_build(site):
    from conftest import post, run_cli
    root = site({"posts/s/series.toml": 'title = "S"\ndescription = "An <em>open description"\n',
                 "posts/s/p.md": post("P", part=1)},
                config='title = "T"\nbase_url = "https://example.org/"\n\n[author]\nname = "A"\n'
                       'bio = "A writer. <div>Unclosed"\n')
    done = run_cli("build", cwd=root)
    assert done.returncode == 1
    assert "config.toml:6: `author.bio`: raw HTML: <div> is never closed" in done.stderr
    assert "posts/s/series.toml:2: `description`: raw HTML: <em> is never closed" in done.stderr
    assert not (root / "output").exists()
