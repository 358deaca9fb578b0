"""The layer contract (issue 21): data flows one way — scenario → model (+ rules) →
result → analysis → exports → app (the one pipeline) → the rooms on top (squad, living plan, batch) → the
command line — and no module imports one of a higher layer, at run time or for types.
A new arrow upward fails here; the known ones are listed, to be removed, never added."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "src" / "strideplan"

#: each top-level module (or subpackage) of strideplan, by layer, lowest first
LAYERS: list[tuple[str, set[str]]] = [
    ("foundation", {"__init__", "__version__", "catalog", "safe_text", "interrupt", "load"}),
    ("scenario", {"scenario"}),
    ("model", {"calendar", "plan", "model", "rules", "prescription"}),
    ("result", {"result"}),
    ("analysis", {"check", "explain", "shortfalls", "compare"}),
    ("exports", {"excel", "sheets", "terminal"}),
    ("app", {"app"}),  # the one pipeline: solve, self-check, findings, the why
    ("rooms", {"squad", "living", "batch"}),  # a squad, the living plan, many files
    ("command line", {"cli", "entry"}),
]

#: arrows upward that exist today, to be removed (never to be added to)
KNOWN_UPWARD: set[tuple[str, str]] = {
    ("result", "explain"),  # a type hint only (TYPE_CHECKING): the explanation's class
}


def _layer(module: str) -> int:
    for i, (_, names) in enumerate(LAYERS):
        if module in names:
            return i
    raise AssertionError(f"strideplan.{module} has no layer: add it to LAYERS")


def _arrows() -> set[tuple[str, str]]:
    """(importer, imported) top-level modules of every strideplan import, function-local
    and TYPE_CHECKING ones included."""
    out = set()
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        here = parts[0] if parts[-1] != "__init__" or len(parts) > 1 else "__init__"
        package = parts[:-1]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
                names = [target[0]] if target else [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("strideplan."):
                names = [node.module.split(".")[1]]
            elif isinstance(node, ast.Import):
                names = [
                    a.name.split(".")[1] for a in node.names if a.name.startswith("strideplan.")
                ]
            else:
                continue
            out |= {(here, name) for name in names if name != here}
    return out


def test_every_module_has_a_layer():
    modules = {p.stem for p in PACKAGE.glob("*.py")} | {
        p.parent.name for p in PACKAGE.glob("*/__init__.py")
    }
    for module in modules:
        _layer(module)


def test_no_module_imports_a_higher_layer():
    upward = {(a, b) for a, b in _arrows() if _layer(b) > _layer(a)}
    new = upward - KNOWN_UPWARD
    assert not new, "imports against the flow: " + ", ".join(f"{a} -> {b}" for a, b in sorted(new))
    assert KNOWN_UPWARD <= upward, "a known arrow is gone: remove it from KNOWN_UPWARD"


def test_no_private_name_crosses_a_module():
    """A name with a leading underscore is its module's own: another module that needs
    it gets a public name (issue 21)."""
    crossing = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (
                node.level or (node.module or "").startswith("strideplan")
            ):
                crossing += [
                    f"{path.relative_to(PACKAGE)}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert crossing == []
