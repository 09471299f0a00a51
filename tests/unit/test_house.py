"""The shape of the house (docs/architecture.md), read from the source with ``ast``: the
rooms of the command line, the size of a module, no import cycle at module level, and
Typer's and click's internals touched in one module."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set

import akool_cli

PACKAGE = Path(akool_cli.__file__).parent
MAX_LINES = 350
# Modules above the limit, each at the size it may not grow past: none left.
OVER_THE_LIMIT: Dict[str, int] = {}
INTERNALS = ("typer.core", "typer.main", "typer._click", "typer.rich_utils", "click")


def _modules() -> Dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(tree: ast.Module) -> List[ast.stmt]:
    """The import statements run when the module is imported: at its top level, in an
    ``if``/``try`` there, but not under ``if TYPE_CHECKING`` nor in a function or class."""
    found: List[ast.stmt] = []
    todo: List[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop(0)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            todo += node.body + node.orelse
        elif isinstance(node, ast.Try):
            todo += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                todo += handler.body
    return found


def _graph() -> Dict[str, Set[str]]:
    modules = _modules()
    graph: Dict[str, Set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in _module_level_imports(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_among_modules_at_module_level():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_command_line_has_its_three_rooms_and_nothing_else_on_its_top_floor():
    top = sorted(p.name for p in (PACKAGE / "cli").iterdir() if p.name != "__pycache__")
    assert top == ["__init__.py", "app.py", "commands", "core", "ui"]


def test_no_module_is_over_the_limit_and_none_of_the_few_left_grows():
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text().splitlines())
        for path in _modules().values()
    }
    over = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert set(over) <= set(OVER_THE_LIMIT), "a module over 350 lines: split it"
    for name, lines in over.items():
        assert lines <= OVER_THE_LIMIT[name], f"{name} grew to {lines} lines"


def test_typer_and_click_internals_are_touched_in_one_module_only():
    touching = set()
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            if any(i == x or i.startswith(x + ".") for i in imported for x in INTERNALS):
                touching.add(name)
    assert touching == {"akool_cli.cli.core.click_compat"}


def test_the_leaves_at_the_top_import_nothing_of_ours():
    """The leaves (docs/architecture.md) serve every room, so they import no room."""
    graph = _graph()
    leaves = [
        name
        for name in graph
        if name.count(".") == 1
        and name.split(".")[1].startswith("_")
        and not name.endswith("__main__")
    ]
    assert "akool_cli._credential_kinds" in leaves and "akool_cli._ids" in leaves
    assert {leaf: graph[leaf] for leaf in leaves if graph[leaf]} == {}
