"""TeX math: found outside code, checked as untrusted input, turned into MathML at build time."""

from __future__ import annotations

import pytest

from papernotes.body import scan_body
from papernotes.math import find_math, problems, to_mathml


def codes(body: str) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in scan_body(body, 10, "n.md").diags]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("the loss $L_\\infty$ stays\n", []),
        ("$$L(N) = \\left(\\frac{N_c}{N}\\right)^{\\alpha_N}$$\n", []),
        ("x $\\href{javascript:alert(1)}{y}$\n", [("PN220", 10, 4)]),
        ("x $\\style{color:red}{y}$\n", [("PN220", 10, 4)]),
        ('x $\\text{a"b}$\n', [("PN221", 10, 11)]),
        ("$$\\frac{a$$\n", [("PN222", 10, 8)]),
        ("x $y^$\n", [("PN222", 10, 4)]),
        ("x $a<b$\n", [("PN221", 10, 5)]),
        ("x $\\text{<script>}$\n", [("PN221", 10, 10), ("PN301", 10, 10)]),
        ("`$\\href{x}{y}$` in code\n", []),
        ("```\n$\\href{x}{y}$\n```\n", []),
        ("costs $5 and $10 each\n", []),
        ("| revenue | ~$500M |\n", []),
    ],
)
def test_math_is_checked(body: str, expected: list[tuple[str, int, int]]) -> None:
    """Commands off the allowlist, unsafe characters and TeX that does not convert are errors at their
    position; the raw-HTML check still sees inside math; code and prices are no math."""
    assert codes(body) == expected


def test_math_becomes_a_span_and_hides_citations_inside_it() -> None:
    """A math span replaces the citation-like text inside it; the text around keeps its spans."""
    scan = scan_body("see $x [@smith2020a]$ and [@smith2020b]\n", 1, "n.md")
    assert [(s.kind, s.values) for s in scan.spans] == [("math", ("x [@smith2020a]", "inline")), ("cite", ("smith2020b",))]


def test_find_math_tells_display_from_inline() -> None:
    """`$$…$$` alone on a line is display math, `$…$` inline."""
    assert find_math("a $x$ b\n$$ y $$\n") == [(2, 5, "x", False), (8, 15, "y", True)]


def test_mathml_is_inert_for_markdown() -> None:
    """Markdown-active characters in MathML text are character references, and display math is a block."""
    out = to_mathml("\\text{a*b_c}", display=True)
    assert out.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">')
    assert "a&#42;b&#95;c" in out and "\n" not in out


def test_unexpected_mathml_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the converter ever wrote an element outside the allowlist, emitting fails instead of passing it on."""
    import latex2mathml.converter

    monkeypatch.setattr(latex2mathml.converter, "convert", lambda tex, display: '<math><mrow href="javascript:x"/></math>')
    with pytest.raises(ValueError, match="unexpected MathML"):
        to_mathml("x", display=False)


def test_the_allowlist_accepts_the_notes_formulas() -> None:
    """The formulas the notes use pass every check."""
    assert problems("L(N, D) = \\left(\\frac{N_c}{N}\\right)^{\\alpha_N} + L_\\infty") == []
    assert problems("\\mathrm{pass}^k") == []
