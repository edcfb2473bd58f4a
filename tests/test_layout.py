"""Where code lives: ``_async/`` holds only code that does I/O; everything pure is shared.

The build copies ``_async/`` into the sync twin, so anything pure there would exist twice (two
caches, two validators). This test reads the async source and allows, at module level, only:
imports, ``if TYPE_CHECKING`` blocks, the docstring, type variables, a logger and ``__all__``;
functions that are ``async``; and classes that do I/O (an ``async`` method, or a base class of
``_async/`` that has one).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ASYNC = ROOT / "workos_authkit" / "_async"
ALLOWED_ASSIGNMENTS = {"__all__", "logger", "T", "P"}
#: a package ``__init__`` may also resolve its names lazily (PEP 562)
ALLOWED_IN_INIT = {"_LAZY", "__getattr__"}


def _does_io(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.AsyncFunctionDef | ast.AsyncFor | ast.AsyncWith | ast.Await)
        for n in ast.walk(node)
    )


def _modules() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(ASYNC.rglob("*.py"))}


def _io_classes(modules: dict[Path, ast.Module]) -> set[str]:
    classes = {
        node.name: node
        for tree in modules.values()
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    io = {name for name, node in classes.items() if _does_io(node)}
    changed = True
    while changed:  # a subclass of an I/O class does I/O through it
        changed = False
        for name, node in classes.items():
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
            if name not in io and bases & io:
                io.add(name)
                changed = True
    return io


def problems_in(modules: dict[Path, ast.Module]) -> list[str]:
    io_classes = _io_classes(modules)
    found = []
    for path, tree in modules.items():
        where = path.relative_to(ROOT)
        for i, node in enumerate(tree.body):
            line = f"{where}:{node.lineno}"
            if isinstance(node, ast.Import | ast.ImportFrom | ast.AsyncFunctionDef):
                continue
            if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # docstring
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {t.id for t in targets if isinstance(t, ast.Name)}
                allowed = ALLOWED_ASSIGNMENTS | (
                    ALLOWED_IN_INIT if path.name == "__init__.py" else set()
                )
                if names and names <= allowed:
                    continue
                found.append(f"{line}: module-level value {ast.unparse(targets[0])} is pure")
            elif isinstance(node, ast.FunctionDef):
                found.append(f"{line}: function {node.name} does no I/O")
            elif isinstance(node, ast.ClassDef):
                if node.name not in io_classes:
                    found.append(f"{line}: class {node.name} does no I/O")
            else:
                found.append(f"{line}: unexpected {type(node).__name__}")
    return found


def test_async_tree_holds_only_io_code() -> None:
    assert problems_in(_modules()) == []


@pytest.mark.parametrize(
    ("code", "what"),
    [
        ("def helper(x: int) -> int:\n    return x\n", "function helper does no I/O"),
        ("class Settings:\n    x = 1\n", "class Settings does no I/O"),
        ("CACHE: dict[str, int] = {}\n", "module-level value CACHE is pure"),
    ],
)
def test_pure_code_in_the_async_tree_is_found(code: str, what: str) -> None:
    modules = _modules()
    first = next(iter(modules))
    modules[first] = ast.parse(code)
    assert any(what in p for p in problems_in(modules))
