"""Front-matter splitting and YAML reading, table-tested."""

from __future__ import annotations

import pytest

from papernotes.diagnostics import Diagnostic
from papernotes.frontmatter import Split, mapping, parse_yaml, split_front_matter


@pytest.mark.parametrize(
    ("text", "yaml_text", "body", "body_line"),
    [
        ("---\na: 1\n---\nbody\n", "a: 1\n", "body\n", 4),
        ("---\na: 1\nb: 2\n...\nbody", "a: 1\nb: 2\n", "body", 5),
        ("---  \na: 1\n---\n", "a: 1\n", "", 4),
        ("---\na: 1\n---", "a: 1\n", "", 4),
    ],
)
def test_split(text: str, yaml_text: str, body: str, body_line: int) -> None:
    """The front matter is cut out as MkDocs does, and the body keeps its first line number."""
    split = split_front_matter(text, "n.md")
    assert isinstance(split, Split)
    assert (split.yaml_text, split.body, split.body_line) == (yaml_text, body, body_line)


@pytest.mark.parametrize(
    ("text", "code"),
    [("no front matter\n", "PN101"), ("\n---\na: 1\n---\n", "PN101"), ("---\na: 1\n", "PN102"), ("----\na: 1\n---\n", "PN101")],
)
def test_split_problems(text: str, code: str) -> None:
    """Missing or unclosed front matter is reported on line 1."""
    problem = split_front_matter(text, "n.md")
    assert isinstance(problem, Diagnostic)
    assert (problem.code, problem.line) == (code, 1)


def _parse(yaml_text: str) -> tuple[object, list[Diagnostic]]:
    return parse_yaml(Split(yaml_text, 2, "", 0), "n.md")


def test_values_keep_positions_and_quoting() -> None:
    """Each value remembers its line, column, kind and whether it was quoted."""
    node, diags = _parse('title: x\nsections: [5.3, "4.1"]\nupdated: 2026-11-28\n')
    assert not diags
    entries = mapping(node)  # type: ignore[arg-type]
    first, second = entries["sections"].value.value  # type: ignore[union-attr, misc]
    assert (first.kind, first.plain, first.line, first.col) == ("float", True, 3, 12)
    assert (second.kind, second.plain, second.value) == ("str", False, "4.1")
    assert entries["updated"].value.kind == "timestamp"
    assert entries["title"].line == 2


@pytest.mark.parametrize(
    ("yaml_text", "code", "line"),
    [
        ("a: 1\na: 2\n", "PN105", 3),
        ("on: 1\n", "PN112", 2),
        ("2020: x\n", "PN112", 2),
        ("a: !!python/object/apply:os.system [x]\n", "PN110", 2),
        ("a: &x [1]\nb: *x\n", "PN110", 3),
        ("<<: {a: 1}\n", "PN110", 2),
        ("a: !custom x\n", "PN110", 2),
        ("a: [\n", "PN103", 2),
        ("a:\n\tb: 1\n", "PN103", 3),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "PN111", 1),
        ("a: " + "x" * 70_000 + "\n", "PN111", 1),
    ],
)
def test_yaml_problems(yaml_text: str, code: str, line: int) -> None:
    """Unsafe or broken YAML is reported with a code and the line it happens on."""
    _, diags = _parse(yaml_text)
    assert [(d.code, d.line) for d in diags][:1] == [(code, line)]


def test_billion_laughs_is_refused_quickly() -> None:
    """An alias bomb is refused at its first alias instead of being expanded."""
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    node, diags = _parse(bomb)
    assert [d.code for d in diags] == ["PN110"]
    assert node is not None
