"""Property-based fuzzing of the whole pipeline.

Hypothesis generates small sites with hostile front matter (every YAML type,
huge and empty values, impossible dates and zones, control characters),
hostile Markdown (500-deep lists and quotes, 200,000-character lines, raw
HTML, unterminated constructs, ``part:`` references of every shape), odd
``series.toml`` and ``config.toml`` values and damaged revision archives,
then builds each one.  The only acceptable outcomes are a built site or a
``SiteError`` whose diagnostics all name a path and say something; never
another exception, never a hang.  Built sites must parse as HTML with exactly
one ``<main>`` per page and well-formed feeds, and a handful of them go
through the Nu HTML checker at the end of one test.

Runs are derandomized (no example database), so CI sees the same cases every
time; every case that once failed is kept as an ``@example``.
"""
from __future__ import annotations

import faulthandler
import json
import re
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import CONFIG, NOW, nu_errors
from engine.build import build
from engine.config import Options
from engine.errors import Diagnostic, Report, SiteError
from engine.model.dates import to_datetime
from engine.source.load import split_source
from engine.source.tomlfile import read_toml
from engine.source.versions import NewVersion, render_version_file

pytestmark = pytest.mark.slow  # fuzzing with hypothesis

GUARD_SECONDS = 30
"""Wall-clock limit for one generated case; a build of a tiny site takes well under a second."""
NU_SAMPLE = 8
"""Built sites kept for the one Nu checker run."""

_FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example, HealthCheck.filter_too_much])


def fuzz(max_examples: int) -> settings:
    """Reproducible settings: derandomized, no example database, no per-example deadline (``guard`` instead)."""
    return settings(_FUZZ, max_examples=max_examples)


# --- what a case is, and what may come of it ---------------------------------

Files = dict[str, str]
"""A generated site: ``{path relative to the site: exact text}``."""


@dataclass
class Tally:
    """Outcomes of one property, for the assertions at its end."""

    built: int = 0
    refused: int = 0
    checked_html: int = 0
    kept_for_nu: list[Path] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return self.built + self.refused

    def record(self, name: str, record_property) -> None:
        print(f"{name}: {self.cases} cases ({self.built} built, {self.refused} refused, "
              f"{self.checked_html} checked as HTML)")
        record_property(f"{name}_cases", self.cases)


class Hang(Exception):
    """A generated case ran longer than ``GUARD_SECONDS``."""


@contextmanager
def guard(seconds: float = GUARD_SECONDS):
    """Fail one case that takes too long; kill the worker (with tracebacks) if even that cannot fire."""
    faulthandler.dump_traceback_later(seconds * 3, exit=True)
    in_main = threading.current_thread() is threading.main_thread()

    def expire(signum, frame):
        raise Hang(f"a generated case ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire) if in_main else None
    if in_main:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if in_main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()


_SHOWN = re.compile(r"^(?P<path>[^\n]+?)(?::(?P<line>[1-9][0-9]*))?: (?P<message>\S.*)$", re.DOTALL)


def assert_well_formed(diagnostic: Diagnostic) -> None:
    """A diagnostic names a file and says what is wrong: ``path:line: message`` or ``path: message``."""
    assert isinstance(diagnostic.path, str) and diagnostic.path.strip(), diagnostic
    assert isinstance(diagnostic.message, str) and diagnostic.message.strip(), diagnostic
    assert isinstance(diagnostic.line, int) and diagnostic.line >= 0, diagnostic
    assert "Traceback" not in diagnostic.message
    shown = _SHOWN.match(str(diagnostic))
    assert shown, str(diagnostic)
    assert shown.group("path") == diagnostic.path
    assert int(shown.group("line") or 0) == diagnostic.line


def write_files(root: Path, files: Files) -> Path:
    """Exactly these bytes (no dedenting), as UTF-8."""
    (root / "posts").mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return root


def outcome(files: Files, tally: Tally, *, options: Options = Options(), html_sample: bool = True,
            check_first: bool = False, nu_folder: Path | None = None) -> str:
    """Build ``files``; assert the outcome is a site or a clean SiteError."""
    with tempfile.TemporaryDirectory(prefix="feuilleton-fuzz-") as tmp, guard():
        root = write_files(Path(tmp) / "site", files)
        out = Path(tmp) / "out"
        try:
            if check_first:
                build(root, options, now=NOW, write=False)
            result = build(root, options, now=NOW, output=out)
        except SiteError as e:
            assert e.diagnostics, "a SiteError without diagnostics"
            assert any(not d.warning for d in e.diagnostics), [str(d) for d in e.diagnostics]
            for diagnostic in e.diagnostics:
                assert_well_formed(diagnostic)
            assert not out.exists(), "a failed build wrote output"
            tally.refused += 1
            return "refused"
        for warning in result.warnings:
            assert_well_formed(warning)
        assert (out / "index.html").is_file() and (out / "feed.xml").is_file()
        if html_sample:
            check_html(out)
            tally.checked_html += 1
            if nu_folder is not None and len(tally.kept_for_nu) < NU_SAMPLE:
                kept = nu_folder / f"site-{len(tally.kept_for_nu)}"
                shutil.copytree(out, kept)
                tally.kept_for_nu.append(kept)
        tally.built += 1
        return "built"


_HTML = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
_XML = lxml.etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def check_html(out: Path) -> None:
    """Cheap well-formedness: every page parses with one ``<main>``; feeds are XML or JSON."""
    pages = sorted(out.rglob("*.html"))
    assert pages
    for page in pages:
        data = page.read_bytes()
        assert data.lstrip().lower().startswith(b"<!doctype html>"), page
        tree = lxml.html.document_fromstring(data, parser=_HTML)
        assert len(tree.xpath("//main")) == 1, page
        assert tree.xpath("/html/head/title"), page
    for feed in sorted(out.rglob("*.xml")):
        lxml.etree.fromstring(feed.read_bytes(), parser=_XML)
    for feed in sorted(out.rglob("*.json")):
        json.loads(feed.read_bytes())


# --- strategies: front matter ---------------------------------------------------

ODD_DATES = [
    "2016-02-30", "2016-02-29", "2015-02-29", "2016-13-01", "2016-00-10", "0000-01-01", "0001-01-01",
    "9999-12-31", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "10000-01-01",
    "2016-11-22T10:00:00+25:00", "2016-11-22T10:00:00-24:00", "2016-11-22T10:00:00+14:30",
    "2016-11-22T10:00:00+14:00", "2016-11-22T25:00:00", "2016-11-22T23:60:00", "2016-11-22T10:00:61",
    "2016-11-22 10:00 Mars/Olympus", '"2016-11-22 10:00 Mars/Olympus"', '"2016-11-22 10:00 America"',
    '"2016-11-22 10:00 America/New_York"', '"2016-11-22 10:00 Etc/GMT+15"', '"2016-11-22 10:00 posix/UTC"',
    '"2016-11-22 10:00 __pycache__"', "2016-03-13T02:30:00", "2016-11-06T01:30:00", "2016-11-22t10:00:00z",
    '"2016-11-22T10:00Z"', '"+002016-11-22"', '"2016-W47"', '"2016-327"', '"20161122"', "12:30:00", "1479808800",
    "2016-11-22T10:00:00.123456789+01:00", '"yesterday"', '""', "~", "[2016-11-22]", "{date: 2016-11-22}",
    "2026-11-28T12:00:00", "2026-11-28T12:00:01", "2026-11-28T17:00:00Z", "2099-01-01",
]
NASTY_SCALARS = [
    "", "~", "null", "Null", "NULL", "true", "false", "yes", "no", "on", "off", "y", "n", ".nan", ".inf", "-.inf",
    "0", "-1", "1", "3", "1.5", "1e400", "0x1F", "0o17", "0b101", "1_000", "99999999999999999999", "-0",
    "'unterminated", '"unterminated', "[", "{a: 1", "[1, [2, [3]]]", "{}", "[]", "&anchor x", "*alias",
    "!!python/object/apply:os.system ['true']", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]",
    "!!float 3", "!!str 3", "!custom x", "|\n  block\n  text", ">-\n  folded", "|\n", ">", "- a\n- b",
    '"\\x01"', '"\\u0000"', '"\\ud800"', '"\\U0010FFFF"', '"\\uFFFE"', '"a\\tb"', '"\\e\\a"', "'it''s'",
    "\u202eevil", "\u00a0", "\ufeff", "é", "日本語", "👩‍👩‍👧", "x" * 5000, "<script>alert(1)</script>",
    "a: b", "- x", "? complex", "#comment", "%YAML 1.1", "---", "...", "@reserved", "`reserved",
    "\"multi\n  line\"", "key: [unclosed",
]
KNOWN_KEYS = ["title", "date", "part", "series", "summary", "tags", "slug", "draft", "id", "version"]

json_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-10, max_value=10),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), max_size=20), st.sampled_from(["", " ", "x" * 10_000, "law", "cities"]))
json_values = st.recursive(json_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


yaml_value_text = st.one_of(
    json_values.map(_json),
    st.sampled_from(NASTY_SCALARS),
    st.sampled_from(ODD_DATES),
    st.text(max_size=30).filter(lambda s: "\n" not in s),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.sampled_from(["extra", "Title", "title ", "'quoted'", "1", "-",
                                                               "a b", "κλειδί", "null", "<<"]),
                 st.text(min_size=1, max_size=12).filter(lambda s: "\n" not in s))


CALM_VALUES = {
    "summary": ['"A summary."', '""', "~", '"<b>bold</b> & more"', '"' + "s" * 3000 + '"'],
    "tags": ["[law, cities]", "[]", "law, cities", '["x", "x", " ", "Law", "law"]', "[1, true, 2.5]"],
    "slug": ["custom-slug", "123", "a.b", "theme", "page", "ü-slug"],
    "draft": ["true", "false"],
    "id": ['"tag:example.org,2016:x"', '"urn:uuid:1"'],
}


@st.composite
def front_matter(draw, hostile: bool = True) -> str:
    """YAML text: a title and a date, then more keys; anything at all when ``hostile``."""
    lines = []
    good_title = st.sampled_from(['"An essay"', "Plain title", "'Quoted: yes'", '"Déjà vu — 日本"',
                                  "|\n  Block title",
                                  '"' + "T" * 2000 + '"', "<i>Raw</i> & title", "true", "2016"])
    if not rarely(draw, hostile, 10):
        lines.append("title: " + mostly(draw, good_title, yaml_value_text, hostile, 7))
    if not rarely(draw, hostile, 10):
        good_date = st.sampled_from(["2026-11-01T09:00:00", "2026-11-01", "2026-11-01T09:00:00-05:00",
                                     '"2026-11-01 09:00 Europe/Paris"', "2026-12-25", "2016-03-13T02:30:00"])
        lines.append("date: " + mostly(draw, good_date, st.sampled_from(ODD_DATES), hostile, 7))
    for _ in range(draw(st.integers(0, 3))):
        if hostile:
            key = draw(st.sampled_from(KNOWN_KEYS) if draw(st.integers(0, 9)) > 6 else keys)
            lines.append(f"{key}: {draw(yaml_value_text)}")
        elif draw(st.booleans()):
            key = draw(st.sampled_from(sorted(CALM_VALUES)))
            lines.append(f"{key}: {draw(st.sampled_from(CALM_VALUES[key]))}")
        else:
            key = draw(st.sampled_from(["extra", "subtitle", "κλειδί", "'quoted key'", "a b"]))
            lines.append(f"{key}: {draw(json_values.map(_json))}")
    if draw(st.booleans()):
        lines = draw(st.permutations(lines))
    return "\n".join(lines)


@st.composite
def post_text(draw, body: str | None = None, hostile: bool = True) -> str:
    meta = draw(front_matter(hostile))
    body = draw(st.text(max_size=200)) if body is None else body
    odd_openings = st.sampled_from(["--- \n", "---\r\n", "\ufeff---\n", "", "----\n"])
    opening = mostly(draw, st.just("---\n"), odd_openings, hostile)
    closing = mostly(draw, st.just("\n---\n"), st.sampled_from(["\n---", "\n--- \t\n", "\n...\n", "\n"]), hostile)
    return opening + meta + closing + body


# --- strategies: Markdown bodies ------------------------------------------------

PART_TARGETS = ["", "0", "-1", "1", "2", "3", "x/", "/3", "a/b/c", "99999999999999999999", "s/1", "s/2", "s/0",
                "s/-1", "s/99999999999999999999", "nope/1", "1.5", " 1", "1 ", "%31", "&#49;", "s%2F1", "../1",
                "s/", "/", "//", "s//1", "S/1", "٣", "１", "1e3", "+1", "0x1", "x" * 300]
BALANCED_HTML = [
    '<div class="note"><p>A note in raw HTML.</p></div>', "<p>Para <em>with</em> <strong>tags</strong>.</p>",
    '<abbr title="Immigration and Nationality Act">INA</abbr>', "<br>", "<!-- a comment -->",
    "<details><summary>More</summary><p>Hidden.</p></details>", "<sup>1</sup> <sub>2</sub> <kbd>Ctrl</kbd>",
    '<figure><img src="x.png" alt="x"><figcaption>Cap</figcaption></figure>', "&amp; &lt; &gt; &quot; &#169; &nbsp;",
    '<span lang="fr"><i>mutatis mutandis</i></span>', '<a href="https://example.org/?a=1&amp;b=2">link</a>',
    '<table><tr><td>1</td></tr></table>', "<hr>",
]
UNBALANCED_HTML = [
    "<div>", "</div>", "</main>", "<main>", "<main>x</main>", "</table></td>", "<script>x", "<style>", "<!-- open",
    "<textarea>", "<title>", "<body>", "<html>", "<p>un <b>closed", "<a href='x", "<![CDATA[", "<?php", "<!DOCTYPE x>",
    "<template>", "<xmp>", "<plaintext>", "<iframe>", "</article>", "<svg><foreignObject>", "<math><mi>",
]
UNTERMINATED = ["[x](", "[x](part:", "[x][", "![img](", "```", "```python\nx = 1", "~~~", "`code", "**bold", "_em",
                "[^note", "[^1]", "[^1]:", "<http://", "| a | b |\n|---", "> ", "* ", "1. ", "# ", "***", "\\",
                "&#", "&#x", "&#99999999;", "&nosuch;", "[x]: ", "[link]\n\n[link]:", "- [ ] task", "$$", "~~strike"]
PRINTABLE = st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Co", "Cn"])
"""Characters an author types (control characters have a property of their own: they are always refused)."""
SAFE_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Co", "Cn"], exclude_characters="<&"),
                    max_size=80)


@dataclass(frozen=True)
class Body:
    """Generated Markdown."""

    text: str
    balanced: bool
    """No raw HTML that could break the page around it (so the page must be valid HTML)."""


@st.composite
def blocks(draw) -> Body:
    kind = draw(st.sampled_from(["text", "rawtext", "list", "quote", "long", "html", "badhtml", "unterminated",
                                 "part", "code", "footnote", "heading", "table", "emphasis", "mixed"]))
    if kind == "text":
        return Body(draw(SAFE_TEXT), True)
    if kind == "rawtext":
        text = draw(st.text(PRINTABLE, max_size=80) if draw(st.integers(0, 9)) else st.text(max_size=80))
        return Body(text, "<" not in text and "&" not in text)
    if kind == "list":
        depth = draw(st.sampled_from([1, 2, 3, 10, 50, 100, 101, 500]))
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "+ ", "- [x] "]))
        indent = draw(st.sampled_from([2, 3, 4]))
        return Body("\n".join(" " * (indent * i) + marker + f"item {i}" for i in range(depth)), True)
    if kind == "quote":
        depth = draw(st.sampled_from([1, 2, 3, 50, 100, 101, 500]))
        return Body(">" * depth + " quoted " + draw(SAFE_TEXT), True)
    if kind == "long":
        size = draw(st.sampled_from([1_000, 50_000, 200_000]))
        unit = draw(st.sampled_from(["word ", "x", "*a* ", "[l](part:2) ", "a\u0301 "]))
        return Body((unit * (size // len(unit) + 1))[:size], True)
    if kind == "html":
        return Body(draw(st.sampled_from(BALANCED_HTML)), True)
    if kind == "badhtml":
        return Body(draw(st.sampled_from(UNBALANCED_HTML)), False)
    if kind == "unterminated":
        return Body(draw(st.sampled_from(UNTERMINATED)), True)
    if kind == "part":
        plain = SAFE_TEXT.filter(lambda s: not re.search(r"[\s()\[\]<>\\]", s))
        target = draw(st.one_of(st.sampled_from(PART_TARGETS), plain))
        label = draw(st.sampled_from(["Part 2", "", "*em*", "[nested]", "`code`"]))
        form = draw(st.sampled_from([f"[{label}](part:{target})", f"[{label}](<part:{target}>)",
                                     f"[{label}][r]\n\n[r]: part:{target}", f"<part:{target}>", f"part:{target}"]))
        return Body(form, True)
    if kind == "code":
        lang = draw(st.sampled_from(["", "python", "html", "nosuchlang", 'x"y', "c++", "{.class}"]))
        return Body(f"```{lang}\n{draw(st.text(PRINTABLE, max_size=80)).replace('```', '')}\n```", True)
    if kind == "footnote":
        name = draw(st.sampled_from(["1", "a b", "note", "x" * 50, "^", "1"]))
        return Body(f"Text[^{name}] again[^{name}].\n\n[^{name}]: The note.\n[^{name}]: Twice.", True)
    if kind == "heading":
        level = draw(st.integers(1, 7))
        text = draw(st.sampled_from(["main", "content", "", "Part 2", "x" * 300, "Same", "Same"]))
        return Body("#" * level + " " + text, True)
    if kind == "table":
        cols = draw(st.integers(1, 30))
        return Body("|" + "a|" * cols + "\n|" + "-|" * cols + "\n|" + "1|" * (cols + 3), True)
    if kind == "emphasis":
        mark = draw(st.sampled_from(["*", "_", "**", "~~", "[", "`"]))
        return Body(mark * draw(st.sampled_from([10, 1000, 20_000])), True)
    return Body(draw(st.text(st.sampled_from("*_`[]()!#>-+|\\:\n &;x"), max_size=200)), True)


@st.composite
def bodies(draw) -> Body:
    parts = draw(st.lists(blocks(), min_size=0, max_size=6))
    joiner = draw(st.sampled_from(["\n\n", "\n", ""]))
    return Body(joiner.join(p.text for p in parts), all(p.balanced for p in parts))


# --- strategies: TOML ----------------------------------------------------------

TOML_ODD = ["1979-05-27", "1979-05-27T07:32:00", "1979-05-27T07:32:00Z", "1979-05-27T07:32:00+25:00",
            "07:32:00", "2016-02-30", '"2016-02-30"', '"2016-11-22 10:00 Mars/Olympus"', "0000-01-01",
            "inf", "nan", "-0", "0x10", "1e999", "99999999999999999999", "9223372036854775807", "-9223372036854775808",
            "[1, [2]]", "{a = 1}", "[]", "{}", "true", "\"\"", "'''multi\nline'''", '"""x"""', '"\\u0001"', '"\\uFFFE"',
            '"\\ud800"', "'unterminated", "[", "x"]
toml_leaves = st.one_of(st.booleans(), st.integers(), st.integers(-3, 5), st.floats(allow_nan=False),
                        st.text(max_size=30), st.sampled_from(["ongoing", "complete", "Ongoing", "", " "]))


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


toml_values = st.one_of(toml_leaves.map(_toml), st.lists(toml_leaves, max_size=3).map(_toml), st.sampled_from(TOML_ODD))


def mostly(draw, good, bad, hostile: bool, odds: int = 8) -> str:
    """``good`` eight times in ten when ``hostile``, always otherwise: half the cases should build."""
    return draw(bad if hostile and draw(st.integers(0, 9)) >= odds else good)


def rarely(draw, hostile: bool, one_in: int) -> bool:
    return hostile and draw(st.integers(0, one_in - 1)) == 0


@st.composite
def series_toml(draw, hostile: bool = True) -> str:
    lines = []
    if not rarely(draw, hostile, 20):
        lines.append("title = " + mostly(draw, st.sampled_from(['"Cities"', '"Ünïcode ✓"']), toml_values, hostile))
    for key in draw(st.lists(st.sampled_from(["description", "status", "extra"]), max_size=2, unique=True)):
        good = {"description": st.sampled_from(['"About *cities*."', '""', '"[p2](part:2)"']),
                "status": st.sampled_from(['"ongoing"', '"complete"']), "extra": st.just('"x"')}[key]
        lines.append(f"{key} = {mostly(draw, good, toml_values, hostile, 6)}")
    for _ in range(draw(st.integers(0, 3))):
        lines.append("[[planned]]")
        lines.append("part = " + mostly(draw, st.sampled_from(["2", "3", "4"]), toml_values, hostile))
        lines.append("title = " + mostly(draw, st.sampled_from(['"Next"', '"Later"']), toml_values, hostile))
        if draw(st.booleans()):
            lines.append("date = " + mostly(draw, st.sampled_from(["2026-12-01", "2026-12-01T09:00:00"]),
                                            st.sampled_from(TOML_ODD), hostile, 5))
        if rarely(draw, hostile, 10):
            lines.append(f"other = {draw(toml_values)}")
    if rarely(draw, hostile, 10):
        lines.append(draw(st.sampled_from(["[planned]", "[[planned]", "title = ", "= 1", "[a.b]\nc = 1", "\x01",
                                           "description = 1\ndescription = 2", "planned = 3"])))
    return "\n".join(lines) + "\n"


CONFIG_VALUES = {
    "title": ['"Test Site"', '""', "1", '"\\u0001"', '"' + "t" * 5000 + '"', '"<b>&amp;</b>"'],
    "base_url": ['"https://example.org/essays/"', '"https://example.org"', '"ftp://x/"', '"/relative/"', '""',
                 '"https://ex ample.org/"', '"https://example.org/a b/"', '"https://example.org/?q=1#f"',
                 '"http://[::1]/"', '"https://例え.jp/"', '"https://example.org/%zz/"', "1"],
    "timezone": ['"America/New_York"', '"UTC"', '"Mars/Olympus"', '"+25:00"', '"America"', '"Etc/GMT-14"',
                 '"Pacific/Kiritimati"', '"Pacific/Pago_Pago"', '""', '"../etc"', '"posix/UTC"', "1"],
    "language": ['"en"', '""', '"fr-CA"', '"not a tag"', '"<x>"', "[]"],
    "date_format": ['"%B %-d, %Y"', '"%"', '"%Q"', '"%-"', '""', '"%Y%Y%Y%Y"', '"<b>%d</b>"', '"%s"', "3"],
    "time_format": ['"%-I:%M %P"', '"%"', '"%Z%z"', '""', '"%c"', "true"],
    "posts_per_page": ["10", "1", "0", "-1", "99999999999", "true", '"10"', "1.5"],
    "feed_entries": ["20", "1", "0", "99999999999"],
    "summary_words": ["50", "1", "0", "99999999999"],
    "description": ['""', '"A site."', "[]"],
    "copyright": ['""', '"© me"'],
    "posts_dir": ['"posts"', '"."', '""', '"/abs"', '"../x"', '"nope"', '"config.toml"'],
    "output_dir": ['"output"', '"posts"', '"."', '""', '"../x"'],
}


AUTHOR_NAMES = ['"A. Writer"', '""', "1", '"<i>x</i>"']
AUTHOR_BIOS = ['"A *bio*."', '""', '"[x](part:1)"', '"<div>"', "[1]", '"&#1;"']


@st.composite
def config_toml(draw, hostile: bool = True) -> str:
    settled = {"title": '"Test Site"', "base_url": '"https://example.org/essays/"', "timezone": '"America/New_York"'}
    for key in draw(st.lists(st.sampled_from(sorted(CONFIG_VALUES)), max_size=2, unique=True)):
        settled[key] = mostly(draw, st.sampled_from(CONFIG_VALUES[key][:1]), st.sampled_from(CONFIG_VALUES[key]),
                              hostile, 0)
    if rarely(draw, hostile, 20):
        settled.pop(draw(st.sampled_from(["title", "base_url"])))
    lines = [f"{key} = {value}" for key, value in settled.items()]
    if not rarely(draw, hostile, 20):
        name = mostly(draw, st.just('"A. Writer"'), st.sampled_from(AUTHOR_NAMES), hostile)
        bio = mostly(draw, st.just('"A *bio*."'), st.sampled_from(AUTHOR_BIOS), hostile)
        lines += ["", "[author]", f"name = {name}", f"bio = {bio}"]
        if rarely(draw, hostile, 5):
            lines.append(f"{draw(st.sampled_from(['email', 'url', 'extra']))} = {draw(toml_values)}")
    else:
        lines.append(draw(st.sampled_from(["author = 1", "author = \"x\"", ""])))
    return "\n".join(lines) + "\n"


# --- strategies: whole sites ----------------------------------------------------

@st.composite
def fm_sites(draw) -> Files:
    """One or two posts with fuzzed front matter and plain bodies (half the cases calm)."""
    files = {"config.toml": CONFIG}
    hostile = draw(st.booleans())
    for index in range(draw(st.integers(1, 2))):
        name = draw(st.sampled_from([f"post-{index}.md", f"é-{index}.md", f"{index}.md", f"Post {index}.md"]))
        body = draw(st.sampled_from(["Some text.", "", "Text with [x](part:2)."]))
        files[f"posts/{name}"] = draw(post_text(body=body, hostile=hostile))
    return files


@st.composite
def body_sites(draw) -> tuple[Files, bool]:
    """A series with two parts and a standalone post, with fuzzed Markdown bodies."""
    files = {"config.toml": CONFIG,
             "posts/s/series.toml": ('title = "S"\ndescription = "About *s*."\n\n'
                                     '[[planned]]\npart = 3\ntitle = "Later"\n')}
    balanced = True
    for rel, meta in (("posts/s/part-1.md", 'title: "One"\ndate: 2026-11-01T09:00:00\npart: 1'),
                      ("posts/s/part-2.md", 'title: "Two"\ndate: 2026-11-02T09:00:00\npart: 2'),
                      ("posts/alone.md", 'title: "Alone"\ndate: 2026-11-03T09:00:00\ntags: [law, x]')):
        body = draw(bodies())
        balanced = balanced and body.balanced
        files[rel] = f"---\n{meta}\n---\n{body.text}\n"
    return files, balanced


@st.composite
def series_sites(draw) -> Files:
    """Fuzzed series.toml and config.toml around posts whose parts may clash (half the cases calm)."""
    hostile = draw(st.booleans())
    files = {"config.toml": draw(config_toml(hostile))}
    slugs = st.sampled_from(["s", "t", "S", "a b", "x.y", "404", "tags", "feed.xml", "ü"])
    for slug in draw(st.lists(slugs, min_size=1, max_size=2, unique=True)):
        files[f"posts/{slug}/series.toml"] = draw(series_toml(hostile))
        for index in range(draw(st.integers(0, 3))):
            part = mostly(draw, st.just(str(index + 1)), st.sampled_from(
                ["1", "2", "0", "-1", "99999999999999999999", "x", "[1]", "true", None]), hostile, 7)
            extra = mostly(draw, st.sampled_from(["", "\ndraft: true", "\ndate: 2099-01-01"]),
                           st.sampled_from(["\nseries: t", "\nseries: nope", "\nslug: same", "\nversion: 2"]),
                           hostile, 6)
            meta = f'title: "P{index}"\ndate: 2026-11-0{index + 1}T09:00:00'
            meta += (f"\npart: {part}" if part else "") + extra
            target = draw(st.sampled_from(PART_TARGETS))
            files[f"posts/{slug}/p{index}.md"] = f"---\n{meta}\n---\nSee [next](part:{target}).\n"
    if draw(st.booleans()):
        series = mostly(draw, st.sampled_from(["s", "t"]), st.sampled_from(["nope", "[s]", "''"]), hostile)
        files["posts/outside.md"] = (f"---\ntitle: Outside\ndate: 2026-11-05T09:00:00\nseries: {series}\npart: "
                                     f"{draw(st.sampled_from(['1', '4', '2']))}\n---\nOut.\n")
    return files


def _version(number: int, text: str, when: str, note: str, minor: bool) -> str:
    """A version file as ``revise`` writes it; ``when`` is in the site's zone, as the post's ``date``."""
    return render_version_file(number, NewVersion(text, to_datetime(when, ZoneInfo("America/New_York")), note, minor))


@st.composite
def archive_sites(draw) -> tuple[Files, bool]:
    """A post with a revision archive: good, damaged, gapped or oddly named."""
    base = '---\ntitle: "Essay"\ndate: 2026-11-01T09:00:00\n'
    versions = draw(st.integers(0, 3))
    files = {"config.toml": CONFIG}
    balanced = True
    texts = []
    for number in range(1, versions + 1):
        body = draw(bodies())
        balanced = balanced and body.balanced
        texts.append(f"{base}version: {number}\n---\n{body.text}\n")
    later = st.sampled_from(["2026-11-01T09:00:00", "2026-11-02T09:00:00", "2026-11-20T12:00:00", "2026-11-28T11:59:00"])
    dates = ["2026-11-01T09:00:00"] + sorted(draw(st.lists(later, min_size=versions, max_size=versions)))[1:]
    # version 1 is published at the post's `date`; the later ones in order
    for number, (text, when) in enumerate(zip(texts, dates), start=1):
        note_body = draw(bodies()) if number > 1 or draw(st.booleans()) else Body("", True)
        if number > 1 and not note_body.text.strip():  # every revision is recorded with a note
            note_body = Body("Revised.", True)
        balanced = balanced and note_body.balanced
        data = _version(number, text, when, note_body.text, draw(st.booleans()))
        damage = draw(st.sampled_from(["none"] * 6 + ["hash", "number", "date", "garbage", "empty", "missing",
                                                      "rename", "note"]))
        name = f"v{number}.md"
        if damage == "hash":
            data = data + "tampered\n"
        elif damage == "number":
            data = data.replace(f"version: {number}\n", "version: 7\n", 1)
        elif damage == "date":
            data = re.sub(r"^date: .*$", f"date: {draw(st.sampled_from(ODD_DATES))}", data, count=1, flags=re.M)
        elif damage == "garbage":
            data = draw(st.text(max_size=100))
        elif damage == "empty":
            data = ""
        elif damage == "missing":
            continue
        elif damage == "rename":
            name = draw(st.sampled_from(["v0.md", "v01.md", "V1.md", "v1.txt", "v99999999999999999999.md", ".v1.md"]))
        elif damage == "note":
            note = f"note: {draw(yaml_value_text)}"
            data = re.sub(r"^note: .*$", lambda _: note, data, count=1, flags=re.M)  # a backslash as written
        files[f"posts/essay.versions/{name}"] = data
    current = texts[-1] if texts else base + "---\nFirst text.\n"
    if draw(st.booleans()):
        current = current.replace("\n---\n", "\n---\n\nEdited since.\n", 1)
    files["posts/essay.md"] = current
    return files, balanced


# --- the properties ---------------------------------------------------------------

def one_post(text: str, config: str = CONFIG) -> Files:
    return {"config.toml": config, "posts/a.md": text}


GOOD = "---\ntitle: A\ndate: 2016-01-01\n---\nx\n"


# Cases that once failed (each crashed with something other than a SiteError), kept as regressions:
@example(files=one_post('---\ntitle: "a\\x01b"\ndate: 2016-01-01\n---\nx\n'),  # lxml ValueError in the feeds
         drafts=False, future=False)
@example(files=one_post("---\ntitle: a\ndate: 2016-01-01\n---\nx\x01 y\n"), drafts=False, future=False)
@example(files=one_post('---\ntitle: a\ndate: 2016-01-01\ntags: ["\\x01", "..", "#"]\n---\nx\n'),
         drafts=False, future=False)
@example(files=one_post("---\ntitle: a\ndate: 2016-01-01\n---\n&#x1; &#12; &#xFFFE; \ufffe\n"),
         drafts=False, future=False)
@example(files=one_post("---\ntitle: a\u0085b\ndate: 2016-01-01\n---\nx\n"), drafts=False, future=False)
@example(files=one_post(GOOD, CONFIG.replace('"Test Site"', '"Test\\u0001Site"')), drafts=False, future=False)
@example(files=one_post("---\ntitle: A\ndate: 0001-01-01T00:00:00+14:00\n---\nx\n"),  # OverflowError
         drafts=False, future=False)
@example(files=one_post("---\ntitle: A\ndate: '0001-01-01T00:00:00+14:00'\n---\nx\n"), drafts=False, future=False)
@example(files=one_post("---\ntitle: A\ndate: 9999-12-31T23:59:59-14:00\n---\nx\n"), drafts=False, future=True)
@example(files=one_post("---\ntitle: A\ndate: 2016-01-01 10:00 America\n---\nx\n"),  # IsADirectoryError
         drafts=False, future=False)
@example(files=one_post(GOOD, CONFIG.replace("America/New_York", "America")), drafts=False, future=False)
@example(files=one_post("---\ntitle: A\ndate: 2016-01-01\nslug: feed.xml\n---\nx\n"),  # IsADirectoryError
         drafts=False, future=False)
@example(files=one_post("---\ntitle: A\ndate: 2016-01-01\nslug: index.html\n---\nx\n"), drafts=False, future=False)
@fuzz(130)
@given(files=fm_sites(), drafts=st.booleans(), future=st.booleans())
def _front_matter_case(files: Files, drafts: bool, future: bool) -> None:
    outcome(files, _FRONT_MATTER, options=Options(drafts=drafts, future=future), check_first=True)


_FRONT_MATTER = Tally()


def test_front_matter_builds_or_fails_cleanly(record_property) -> None:
    _front_matter_case()
    _FRONT_MATTER.record("front matter", record_property)
    assert _FRONT_MATTER.built >= 10 and _FRONT_MATTER.refused >= 10


def test_markdown_bodies_build_valid_pages(tmp_path: Path, record_property) -> None:
    tally = Tally()
    nu_folder = tmp_path / "nu"
    nu_folder.mkdir()

    @example(pair=({"config.toml": CONFIG, "posts/s/series.toml": 'title = "S"\n',
                    "posts/s/p.md": "---\ntitle: P\ndate: 2016-01-01\npart: 1\n---\n" +
                    " ".join(f"[r](part:{t})" for t in PART_TARGETS) + "\n"}, True))
    @example(pair=({"config.toml": CONFIG, "posts/a.md": "---\ntitle: A\ndate: 2016-01-01\n---\n" +
                    "\n".join("  " * i + "- x" for i in range(500)) + "\n\n" + ">" * 500 + " q\n\n" + "word " * 40_000
                    + "\n\n[x](\n\n```\nunclosed <b>\n"}, True))
    @fuzz(100)
    @given(pair=body_sites())
    def case(pair: tuple[Files, bool]) -> None:
        files, balanced = pair
        outcome(files, tally, html_sample=balanced, nu_folder=nu_folder)

    case()
    tally.record("markdown bodies", record_property)
    assert tally.built >= 50 and tally.checked_html >= 20
    assert len(tally.kept_for_nu) == NU_SAMPLE
    assert nu_errors(nu_folder) == []


# Hung, counting through every missing part number:
@example(files={"config.toml": CONFIG, "posts/s/p1.md": "---\ntitle: P\ndate: 2016-01-01\npart: 1\n---\nx\n",
                "posts/s/series.toml": 'title = "S"\n[[planned]]\npart = 99999999999999999\ntitle = "x"\n'})
@example(files={"config.toml": CONFIG, "posts/s/series.toml": 'title = "S"\n',
                "posts/s/p1.md": "---\ntitle: P\ndate: 2016-01-01\npart: 99999999999999999999\n---\nx\n"})
# Crashed the feed writer (lxml ValueError):
@example(files={"config.toml": CONFIG, "posts/s/series.toml": 'title = "S\\u0001"\ndescription = "\\u0000"\n',
                "posts/s/p1.md": "---\ntitle: P\ndate: 2016-01-01\npart: 1\n---\nx\n"})
@fuzz(110)
@given(files=series_sites())
def _series_case(files: Files) -> None:
    outcome(files, _SERIES)


_SERIES = Tally()


def test_series_and_config_build_or_fail_cleanly(record_property) -> None:
    _series_case()
    _SERIES.record("series and config", record_property)
    assert _SERIES.built >= 10 and _SERIES.refused >= 10


PINNED = "---\ntitle: E\ndate: 2026-11-01T09:00:00\nversion: 1\n---\nx\n"


# Hung, counting through every missing version number:
@example(pair=({"config.toml": CONFIG, "posts/essay.md": "---\ntitle: E\ndate: 2026-11-01T09:00:00\n---\nx\n",
                "posts/essay.versions/v99999999999999999999.md": "x"}, True))
# Crashed the feed writer (a note recorded with a control character):
@example(pair=({"config.toml": CONFIG, "posts/essay.md": PINNED,
                "posts/essay.versions/v1.md": _version(1, PINNED, "2026-11-01T09:00:00", "A note\x01", False)}, True))
@fuzz(70)
@given(pair=archive_sites())
def _archive_case(pair: tuple[Files, bool]) -> None:
    files, balanced = pair
    outcome(files, _ARCHIVES, html_sample=balanced)


_ARCHIVES = Tally()


def test_revision_archives_build_or_fail_cleanly(record_property) -> None:
    _archive_case()
    _ARCHIVES.record("revision archives", record_property)
    assert _ARCHIVES.built >= 10 and _ARCHIVES.refused >= 10


# --- the readers on their own (cheap, so many more cases) ---------------------------

_READERS = {"bytes": 0, "toml": 0}


@fuzz(400)
@given(raw=st.one_of(st.binary(max_size=300), post_text().map(lambda t: t.encode("utf-8", "surrogatepass"))))
def _bytes_case(raw: bytes) -> None:
    _READERS["bytes"] += 1
    report = Report(Path("/site"))
    with guard():
        source = split_source(Path("/site/posts/x.md"), "posts/x.md", raw, report)
    if source is None:
        assert report.errors
    else:
        assert isinstance(source.meta, dict) and all(isinstance(k, str) for k in source.meta)
        assert source.body_line >= 2
    for diagnostic in report.items:
        assert_well_formed(diagnostic)


def test_any_bytes_split_or_report(record_property) -> None:
    _bytes_case()
    print(f"post files from bytes: {_READERS['bytes']} cases")
    record_property("bytes_cases", _READERS["bytes"])
    assert _READERS["bytes"] >= 100


@fuzz(300)
@given(text=st.one_of(series_toml(), config_toml(), st.text(max_size=200)))
def _toml_case(text: str) -> None:
    _READERS["toml"] += 1
    with tempfile.TemporaryDirectory() as tmp, guard():
        path = Path(tmp) / "series.toml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            toml = read_toml(path, "posts/s/series.toml")
        except SiteError as e:
            for diagnostic in e.diagnostics:
                assert_well_formed(diagnostic)
        else:
            assert isinstance(toml.data, dict)
            assert all(line >= 1 for line in toml.lines.values())


def test_any_toml_reads_or_reports(record_property) -> None:
    _toml_case()
    print(f"TOML texts: {_READERS['toml']} cases")
    record_property("toml_cases", _READERS["toml"])
    assert _READERS["toml"] >= 100
