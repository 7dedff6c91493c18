"""The shape of src/papernotes, held by tests: imports go down the layers and never round in a cycle,
and a long module says why it is long.

Imports are read with `ast` from every module, those inside functions (deferred) and under
`if TYPE_CHECKING:` included: both still tie the importer to what it imports.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from support import REPO

SRC = REPO / "src"
PACKAGE = "papernotes"
# The layers, lowest first. A module may import modules of its own layer or of a lower one. Names are
# relative to the package; a name covers its submodules too ("emit" is emit/ and everything in it).
# A module that is in no layer fails the test: place it here when it is added.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("__init__", "codes", "diagnostics", "records", "paths", "parallel", "hints", "pagetext")),
    ("reading", ("yamlfile", "frontmatter", "kinds", "schema", "fmcheck", "body", "math", "data", "registries", "pages", "load", "history")),
    ("checking", ("validate", "link")),
    ("emitting", ("emit",)),
    ("conducting", ("pipeline", "changes")),
    ("site engine", ("engine", "rules")),
    ("command line", ("cli", "scaffold", "__main__")),
)
MAX_LINES = 300
LONG_BECAUSE = "Long because"


def module_name(path: Path) -> str:
    """`papernotes.emit.site` for src/papernotes/emit/site.py; a package's __init__ is the package."""
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def imported_names(path: Path, name: str) -> Iterator[tuple[str, int, bool]]:
    """(module or module.attribute, line, whether it is `from … import`) of every import in the file, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, False
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the importer's package, one level up per extra dot
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno, True


def import_graph() -> tuple[dict[str, dict[str, int]], list[str]]:
    """Module -> {imported module of the package: line}, and the imports of modules that do not exist."""
    known = modules()
    graph: dict[str, dict[str, int]] = {name: {} for name in known}
    unknown = []
    for name, path in known.items():
        for target, line, from_import in imported_names(path, name):
            if target != PACKAGE and not target.startswith(PACKAGE + "."):
                continue
            # `from a.b import c` imports the module a.b.c when there is one, else the name c of a.b
            found = target if target in known or not from_import else target.rpartition(".")[0]
            if found not in known:
                unknown.append(f"{path.relative_to(REPO)}:{line} imports {target}, which is no module")
            elif found != name:
                graph[name].setdefault(found, line)
    return graph, unknown


def layer_of(name: str) -> int | None:
    """The index of the module's layer; None when no entry of LAYERS covers it."""
    rel = "__init__" if name == PACKAGE else name.removeprefix(PACKAGE + ".")
    for index, (_, members) in enumerate(LAYERS):
        if any(rel == m or rel.startswith(m + ".") for m in members):
            return index
    return None


def layer_problems(graph: dict[str, dict[str, int]]) -> list[str]:
    problems = []
    for name in graph:
        if layer_of(name) is None:
            problems.append(f"module {name} has no layer: add it to LAYERS in tests/test_architecture.py")
    for name, targets in graph.items():
        mine = layer_of(name)
        for target, line in targets.items():
            theirs = layer_of(target)
            if mine is not None and theirs is not None and theirs > mine:
                problems.append(f"{name} ({LAYERS[mine][0]}) imports {target} ({LAYERS[theirs][0]}), a higher layer, on line {line}")
    return problems


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle through each group of modules that import each other (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_import_of_the_package_is_of_a_module() -> None:
    """An import of papernotes.x names a module that exists (a moved module leaves no stale import behind)."""
    _, unknown = import_graph()
    assert unknown == []


def test_the_graph_sees_deferred_and_type_checking_imports() -> None:
    """The walker finds an import inside a function (the conductor's emitters) and one under TYPE_CHECKING (the CLI's)."""
    graph, _ = import_graph()
    assert "papernotes.emit.site" in graph["papernotes.pipeline"]
    assert "papernotes.pipeline" in graph["papernotes.cli"]
    assert "papernotes.engine.serve" in graph["papernotes.cli"]


def test_imports_go_down_the_layers() -> None:
    """Every module has a layer, and none imports a module of a higher layer."""
    graph, _ = import_graph()
    assert layer_problems(graph) == []


def test_no_import_cycle() -> None:
    """No group of modules imports each other, even through a deferred or TYPE_CHECKING import."""
    graph, _ = import_graph()
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """A guard on the guard: a → b → c → a is reported, a lone self-contained module is not."""
    assert cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [["a", "b", "c"]]


def test_a_long_module_says_why() -> None:
    """A module of more than 300 lines has a paragraph in its docstring that starts with "Long because" (see CONTRIBUTING.md)."""
    unexplained = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        doc = ast.get_docstring(ast.parse(text)) or ""
        if lines > MAX_LINES and not any(line.startswith(LONG_BECAUSE) for line in doc.splitlines()):
            unexplained.append(f"{name}: {lines} lines")
    assert unexplained == []
