"""The stages' rules (papernotes.rules.STAGES) against the codes registry and the code: every
registered code is declared by exactly one rule, and every code a stage's modules emit is one its
rules declare or reuse, read from the source with `ast`.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from papernotes.codes import BY_NAME, REGISTRY
from papernotes.rules import STAGES, Stage, all_rules
from support import REPO

PACKAGE = REPO / "src" / "papernotes"
# Calls whose argument at this index is a code's name: diag() itself, and the helpers that pass their
# `name` on to diag (so the literal is at the helper's call).
NAMING_CALLS = {"diag": 0, "_problem": 0, "not_utf8": 0, "MathProblem": 1}
# The functions that call diag() with a name that is not a literal: each is one of NAMING_CALLS or
# passes on what one of them named. A new one must be added here (and its literals read above).
INDIRECT = {("frontmatter", "_problem"), ("yamlfile", "not_utf8"), ("body", "_math_spans")}


def module_path(name: str) -> Path:
    path = PACKAGE.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def emitted(tree: ast.AST) -> tuple[list[tuple[str, int]], set[str]]:
    """The literal code names a module passes to diag() (or a naming helper), with their lines; and
    the functions in it that call diag() with a name that is not a literal."""
    literals: list[tuple[str, int]] = []
    indirect: set[str] = set()
    for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        for node in ast.walk(func):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            if name not in NAMING_CALLS or len(node.args) <= NAMING_CALLS[name]:
                continue
            arg = node.args[NAMING_CALLS[name]]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                literals.append((arg.value, node.lineno))
            elif name == "diag":
                indirect.add(func.name)
    return literals, indirect


def parsed(name: str) -> ast.AST:
    path = module_path(name)
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def stage_codes(stage: Stage) -> set[str]:
    return {code for rule in stage.rules for code in (*rule.codes, *rule.reuses)}


def test_every_registered_code_is_declared_by_exactly_one_rule() -> None:
    declared = Counter(code for _, rule in all_rules() for code in rule.codes)
    assert sorted(set(BY_NAME) - set(declared)) == [], "registered codes no rule declares"
    assert sorted(code for code, n in declared.items() if n > 1) == [], "codes declared by two rules"


def test_every_rule_declares_registered_codes() -> None:
    names = [(stage.name, rule.name) for stage, rule in all_rules()]
    assert len(names) == len(set(names)), "two rules of a stage share a name"
    for stage, rule in all_rules():
        assert rule.codes, f"{stage.name}/{rule.name} declares no code"
        assert callable(rule.check)
        unknown = [c for c in (*rule.codes, *rule.reuses) if c not in BY_NAME]
        assert unknown == [], f"{stage.name}/{rule.name} names codes that are not in codes.py"
        assert not set(rule.codes) & set(rule.reuses), f"{stage.name}/{rule.name} reuses a code it declares"


def test_every_module_that_emits_belongs_to_a_stage() -> None:
    owned = {m for stage in STAGES for m in stage.modules}
    assert len(owned) == sum(len(stage.modules) for stage in STAGES), "a module is in two stages"
    emitting = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        literals, indirect = emitted(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if literals or indirect:
            emitting.add(module_of(path))
    assert sorted(emitting - owned) == [], "modules that emit diagnostics but are in no stage of papernotes.rules"


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_each_code_a_stage_emits_is_declared_by_its_rules(stage: Stage) -> None:
    known = stage_codes(stage)
    found: set[str] = set()
    for name in stage.modules:
        literals, indirect = emitted(parsed(name))
        found |= {code for code, _ in literals}
        undeclared = [f"{module_path(name).relative_to(REPO)}:{line}: {code}" for code, line in literals if code not in known]
        assert undeclared == [], f"codes emitted in the {stage.name} stage that none of its rules declares or reuses"
        assert {(name, f) for f in indirect} <= INDIRECT, f"{name} calls diag() with a name that is not a literal"
    declared = {code for rule in stage.rules for code in rule.codes}
    assert sorted(declared - found) == [], f"codes the {stage.name} stage declares but none of its modules emits"


def test_the_golden_cases_emit_only_declared_codes() -> None:
    declared = {code for _, rule in all_rules() for code in rule.codes}
    line = re.compile(r":\d+:\d+: (?:error|warning) (PN\d{3}) ([a-z0-9-]+): ")
    seen = set()
    for expected in sorted((REPO / "tests" / "golden").glob("*/expected.txt")):
        for text in expected.read_text(encoding="utf-8").splitlines():
            m = line.search(text)
            assert m, f"{expected}: unreadable line {text!r}"
            assert REGISTRY[m.group(1)].name == m.group(2)
            seen.add(m.group(2))
    assert seen, "no golden case was read"
    assert sorted(seen - declared) == []
