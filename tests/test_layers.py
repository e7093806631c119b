"""The engine's imports follow its stages: no module imports one that imports it back, and a stage reaches
up to a later one only through the few doors listed here (docs/contributing.md explains each)."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"

STAGES = ("source", "model", "text", "site", "output", "importing", "commands")
"""Sub-packages in pipeline order.  The top-level modules (cli, build, config, errors) stand around them,
and ``speed`` (cache, parallel workers, the no-change stamp) serves every stage."""

DOORS = {
    ("source", "model"): "the archive reads versions into the model's own types, dates and slugs",
    ("model", "site"): "assemble refuses two posts at one address, which site.urls decides",
    ("text", "site"): "a fragment knows whether site.urls may need to rebase its links",
    ("site", "output"): "pages are planned as output.render.Page records",
}
"""Imports from a stage to a later one, each with the reason it is allowed."""


def _imports(path: Path) -> set[str]:
    """Engine modules that ``path`` imports, at any depth of the file, as dotted names."""
    module = ".".join(path.relative_to(ENGINE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for guard in [n for n in ast.walk(tree) if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"]:
        guard.body = []  # names for type checkers only: never imported at run time
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            name = ".".join(base + ([node.module] if node.module else []))
            found |= {_module(f"{name}.{alias.name}") or _module(name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("engine"):
            found |= {_module(f"{node.module}.{alias.name}") or _module(node.module) for alias in node.names}
    return {name for name in found if name and name != module}


def _module(name: str) -> str | None:
    """``name`` if it is an engine module or package, else None."""
    path = ENGINE.parent / Path(*name.split("."))
    return name if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file() else None


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in ENGINE.rglob("*.py"):
        name = ".".join(path.relative_to(ENGINE.parent).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = _imports(path)
    return graph


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else None


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = _graph()
    cycles = []

    def visit(node: str, trail: list[str], done: set[str]) -> None:
        for child in sorted(graph.get(node, ())):
            if child in trail:
                cycles.append(trail[trail.index(child):] + [child])
            elif child not in done:
                visit(child, trail + [child], done)
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start], done)
    assert cycles == []


def test_a_stage_reaches_a_later_one_only_through_a_listed_door() -> None:
    order = {stage: k for k, stage in enumerate(STAGES)}
    upward = set()
    for module, imported in _graph().items():
        for name in imported:
            here, there = _stage(module), _stage(name)
            if here and there and order[there] > order[here]:
                upward.add((here, there))
    assert sorted(upward - set(DOORS)) == []


def test_every_listed_door_is_still_used() -> None:
    """A door nobody goes through any more is closed here, so that the list stays the truth."""
    order = {stage: k for k, stage in enumerate(STAGES)}
    used = {(_stage(m), _stage(n)) for m, names in _graph().items() for n in names
            if _stage(m) and _stage(n) and order[_stage(n)] > order[_stage(m)]}
    assert sorted(set(DOORS) - used) == []
