"""Imports point down only: `bot/` (application) may use `catalog/` (data) and `models/` (ML); those two use
neither each other nor `bot/`.

An AST walk over every .py file of the three packages (nothing is imported or run). Every import counts,
wherever it is written: top level, inside a function, under `if TYPE_CHECKING:`, relative (`from ..bot import x`)
or dynamic with a literal name (`importlib.import_module("bot.x")`, `__import__("bot")`). Relative imports are
resolved like Python does; they cannot leave their top-level package (Python refuses that).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "catalog", "models")
# package -> the packages it must not import
FORBIDDEN: Mapping[str, frozenset[str]] = {
    "catalog": frozenset({"bot", "models"}),
    "models": frozenset({"bot", "catalog"}),
    "bot": frozenset(),
}


@dataclass(frozen=True, order=True)
class Edge:
    source: str  # package the importing file belongs to
    target: str  # package it imports
    where: str  # path:line of the import, relative to the root


def _module_name(root: Path, path: Path) -> tuple[str, bool]:
    """Dotted module name of `path` under `root`, and whether it is a package's __init__."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_init = parts[-1] == "__init__"
    if is_init:
        parts = parts[:-1]
    return ".".join(parts), is_init


def _resolve_relative(module: str, is_init: bool, level: int, name: str | None) -> str | None:
    """Absolute name of `from <level dots><name> import …` written in `module`; None when it climbs above the
    top-level package (an ImportError in Python: "attempted relative import beyond top-level package")."""
    package = module.split(".") if is_init else module.split(".")[:-1]
    if level > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, *([name] if name else [])]) or None


def _imported_names(tree: ast.AST, module: str, is_init: bool) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                target = _resolve_relative(module, is_init, node.level, node.module)
                if target is None:
                    continue
                # `from .. import bot` names a module too
                yield target, node.lineno
                if node.module is None:
                    for alias in node.names:
                        yield f"{target}.{alias.name}", node.lineno
            elif node.module:
                yield node.module, node.lineno
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                yield node.args[0].value, node.lineno


def package_edges(root: Path, packages: tuple[str, ...] = PACKAGES) -> list[Edge]:
    """Every import from one of `packages` (directories under `root`) into another one."""
    edges = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            module, is_init = _module_name(root, path)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for name, line in _imported_names(tree, module, is_init):
                target = name.split(".")[0]
                if target in packages and target != package:
                    edges.append(Edge(package, target, f"{path.relative_to(root)}:{line}"))
    return sorted(set(edges))


def violations(root: Path, forbidden: Mapping[str, frozenset[str]] = FORBIDDEN) -> list[str]:
    """One line per import that points the wrong way."""
    return [
        f"{e.where}: {e.source} imports {e.target}"
        for e in package_edges(root, tuple(forbidden))
        if e.target in forbidden[e.source]
    ]


def cycles(edges: list[Edge]) -> list[list[str]]:
    """Cycles of the package graph (each as [a, b, …, a]), found by depth-first search."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
    found: list[list[str]] = []
    seen_cycles: set[frozenset[str]] = set()

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycle = [*path[path.index(nxt) :], nxt]
                if frozenset(cycle) not in seen_cycles:
                    seen_cycles.add(frozenset(cycle))
                    found.append(cycle)
            else:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


# ------------------------------------------------------------------------------------------------- the tree


@functools.cache
def _repository_edges() -> tuple[Edge, ...]:
    """The repository's own import edges, parsed once for the tests below (an AST walk of ~200 files)."""
    return tuple(package_edges(ROOT))


def test_catalog_and_models_import_neither_each_other_nor_bot() -> None:
    wrong = [f"{e.where}: {e.source} imports {e.target}" for e in _repository_edges() if e.target in FORBIDDEN[e.source]]
    assert wrong == []


def test_no_cycles_between_bot_catalog_and_models() -> None:
    edges = list(_repository_edges())
    assert cycles(edges) == []
    assert {(e.source, e.target) for e in edges} <= {("bot", "catalog"), ("bot", "models")}


# --------------------------------------------------------------------------------------------- the checker


def _tree(tmp_path: Path, files: Mapping[str, str]) -> Path:
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return tmp_path


def test_the_checker_passes_a_tree_whose_imports_point_down(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "bot/app.py": "import catalog.store\nfrom models import index\nfrom . import helpers\n",
            "catalog/store.py": "from catalog.schema import Base\nfrom .schema import Base as B\nimport sqlalchemy\n",
            "catalog/sub/__init__.py": "from .. import schema\nfrom ..schema import Base\n",
            "models/index.py": "import numpy\nfrom models.embedders import E\n",
        },
    )
    assert violations(root) == []
    assert cycles(package_edges(root)) == []


def test_the_checker_fails_a_tree_with_imports_pointing_the_wrong_way(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "bot/app.py": "import catalog.store\n",
            "catalog/console/web.py": "from bot.messages import Reply\n",  # the old cycle
            "catalog/late.py": "def f():\n    import bot.engine\n",  # inside a function
            "catalog/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from models.index import FaqIndex\n",
            "catalog/dyn.py": "import importlib\nimportlib.import_module('bot.console')\n",
            "models/train.py": "from catalog.store import CatalogStore\n",
            "models/ok.py": "import botocore\nimport catalogue\n",  # names that merely start alike
        },
    )
    found = violations(root)
    assert found == [
        "catalog/console/web.py:1: catalog imports bot",
        "catalog/dyn.py:2: catalog imports bot",
        "catalog/late.py:2: catalog imports bot",
        "catalog/typed.py:3: catalog imports models",
        "models/train.py:1: models imports catalog",
    ]
    found_cycles = cycles(package_edges(root))
    assert ["bot", "catalog", "bot"] in found_cycles and ["catalog", "models", "catalog"] in found_cycles


def test_relative_imports_resolve_like_python(tmp_path: Path) -> None:
    assert _resolve_relative("catalog.store", False, 1, "schema") == "catalog.schema"
    assert _resolve_relative("catalog.sub", True, 1, "x") == "catalog.sub.x"
    assert _resolve_relative("catalog.sub", True, 2, None) == "catalog"
    assert _resolve_relative("catalog.a.b", False, 2, "schema") == "catalog.schema"
    assert _resolve_relative("catalog.a.b", False, 3, "bot") is None  # beyond the top-level package
    assert _resolve_relative("catalog.store", False, 2, "bot") is None
