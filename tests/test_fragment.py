"""Rendered HTML kept as UTF-8: shown exactly as written, digested as the same text would be."""
from __future__ import annotations

import pickle

import jinja2
from markupsafe import Markup

from engine.digest import Digester
from engine.fragment import EMPTY, Fragment

HTML = "<p>“Quoted” — an em dash, <em>emphasis</em> &amp; an entity, and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 beyond the BMP.</p>"


def test_a_template_shows_it_unescaped_and_tests_it_for_emptiness() -> None:
    env = jinja2.Environment(autoescape=True)
    template = env.from_string("{% if html %}[{{ html }}]{% else %}none{% endif %}")
    assert template.render(html=Fragment(HTML)) == f"[{HTML}]"
    assert template.render(html=EMPTY) == "none"
    assert env.from_string("{{ html|striptags }}").render(html=Fragment(HTML)).startswith("“Quoted” — an em dash")


def test_it_gives_back_the_text_and_the_digest_of_the_text() -> None:
    fragment = Fragment(HTML)
    assert str(fragment) == HTML and Markup(fragment) == Markup(HTML) and f"{fragment}!" == HTML + "!"
    assert len(fragment.data) < len(HTML.encode("utf-16-le"))  # the point: less than two bytes a character
    assert Digester()(fragment) == Digester()(HTML)
    assert Fragment(HTML) == fragment and Fragment(HTML + " ") != fragment
    assert len({Fragment(HTML), Fragment(HTML), EMPTY}) == 2


def test_it_knows_whether_it_may_hold_part_links() -> None:
    assert Fragment('<a href="part:2">Part 2</a>').parts and not Fragment(HTML).parts


def test_it_pickles_whole() -> None:
    again = pickle.loads(pickle.dumps(Fragment(HTML), protocol=pickle.HIGHEST_PROTOCOL))
    assert str(again) == HTML and again.digest == Fragment(HTML).digest and again.parts is False
