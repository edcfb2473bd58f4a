"""The route table: every registered route is a spec operation (by ``operationId``), the AuthKit
ones are exactly those of the vendored operations list, and the fake's package has no import
circle."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from tests.spec_contract import spec
from workos_authkit.testing._fake.router import ROUTES

OPS: list[dict[str, str]] = json.loads((Path(__file__).parent / "authkit_ops.json").read_text())

# Spec operations the fake serves although they are not AuthKit's: tests create organizations
# over HTTP with them.
OUTSIDE_AUTHKIT = {
    "OrganizationsController_create",
    "OrganizationsController_list",
    "OrganizationsController_find",
}
# The fake's own pages, no spec operation: the sign-in form posts to the authorize URL.
FAKE_ONLY = {("POST", "/user_management/authorize")}

TESTING = Path(__file__).resolve().parents[2] / "workos_authkit" / "testing"


def test_registered_routes_are_the_authkit_operations() -> None:
    registered = {r.operation_id for r in ROUTES if r.operation_id is not None}
    assert registered == {op["operationId"] for op in OPS} | OUTSIDE_AUTHKIT
    assert {(r.method, r.template) for r in ROUTES if r.operation_id is None} == FAKE_ONLY
    ids = [r.operation_id for r in ROUTES if r.operation_id is not None]
    assert len(ids) == len(set(ids)), "one route per operation"


def test_each_route_is_served_at_its_operations_method_and_path() -> None:
    by_id = {op["operationId"]: (op["method"], op["path"]) for op in OPS}
    for r in ROUTES:
        if r.operation_id is None:
            continue
        # the spec's own template, parameter names included
        concrete = r.template.replace("{", "x").replace("}", "")
        assert spec().operation(r.method, concrete).operation_id == r.operation_id, r
        if r.operation_id in by_id:
            assert by_id[r.operation_id] == (r.method, r.template), r


def _imports(path: Path, package: str) -> set[str]:
    """Modules of ``workos_authkit.testing`` that ``path`` imports (any depth, lazily or not)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")
            base = base[: len(base) - node.level + 1]
            target = ".".join([*base, node.module] if node.module else base)
            if target.startswith("workos_authkit.testing"):
                found.add(target)
    return found


def _module_name(path: Path) -> str:
    rel = path.relative_to(TESTING.parent.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_circle_in_the_testing_package() -> None:
    graph: dict[str, set[str]] = {}
    for path in TESTING.rglob("*.py"):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        graph[name] = {m for m in _imports(path, package) if m != name}
    # the package's own __init__ re-exports lazily; start from every module but the package itself
    seen: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state = seen.get(node)
        assert state != 1, "import circle: " + " -> ".join([*stack, node])
        if state == 2:
            return
        seen[node] = 1
        for dep in sorted(graph.get(node, ())):
            if dep in graph and dep != "workos_authkit.testing":
                visit(dep, [*stack, node])
        seen[node] = 2

    for name in sorted(graph):
        visit(name, [])
    assert "workos_authkit.testing._fake.fake" in graph
    assert not graph["workos_authkit.testing._transport"] & {
        n for n in graph if n.startswith("workos_authkit.testing._fake")
    }


def test_every_route_module_is_small() -> None:
    for path in (TESTING / "_fake").glob("*.py"):
        assert len(path.read_text().splitlines()) <= 400, path.name
