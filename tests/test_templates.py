"""A site's own templates: mistakes in them are reported where they are, as `file:line`."""
from __future__ import annotations

from conftest import NOW, post, run_cli

EPOCH = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}


def test_a_missing_include_is_blamed_on_the_template_and_line_that_asks_for_it(site):
    root = site({"posts/essay.md": post("Essay"),
                 "templates/post.html": '{% extends "theme/post.html" %}\n{% block content %}\n'
                                        '{% include "nope.html" %}\n{% endblock %}\n'})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("templates/post.html:3: template not found: nope.html"), done.stderr
    assert not (root / "output").exists()


def test_a_missing_parent_template_is_blamed_on_the_child(site):
    root = site({"posts/essay.md": post("Essay"),
                 "templates/post.html": '{# mine #}\n{% extends "theme/nothing.html" %}\n'})
    done = run_cli("build", cwd=root, env=EPOCH)
    assert done.returncode == 1
    assert done.stderr.startswith("templates/post.html:2: template not found: theme/nothing.html"), done.stderr
