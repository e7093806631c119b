"""Page fingerprints: equal view data gives equal digests, and different data different ones."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from engine.speed.digest import Digester


@dataclass(frozen=True)
class View:
    title: str
    parts: tuple


def test_equal_data_gives_equal_digests_across_digesters():
    a = {"page": View("One", (1, 2)), "when": datetime(2026, 11, 28, tzinfo=timezone.utc), "n": None}
    b = {"n": None, "when": datetime(2026, 11, 28, tzinfo=timezone.utc), "page": View("One", (1, 2))}
    assert Digester()(a) == Digester()(b)


def test_values_that_concatenate_alike_are_told_apart():
    digest = Digester()
    assert digest([1, 23]) != digest([12, 3])
    assert digest(["ab", "c"]) != digest(["a", "bc"])
    assert digest([date(2026, 1, 1), 5]) != digest([date(2026, 1, 15)])
    assert digest({"a": "b"}) != digest({"ab": ""})
    assert digest(View("x", ())) != digest(View("", ("x",)))


def test_a_changed_field_changes_the_digest():
    digest = Digester()
    assert digest(View("One", (1, 2))) != digest(View("One", (1, 3)))
    assert digest(View("One", (1, 2))) != digest(View("Two", (1, 2)))
