"""TeX math in a note body (`$…$` inline, `$$…$$` alone on a line): found, checked and turned into
MathML at build time, so that nothing is loaded from elsewhere and the math reads without JavaScript.

TeX is untrusted input like the rest of a note. latex2mathml passes `\\text{<script>}` through and
turns `\\href`, `\\style` or `\\color` into attributes, so only an allowlist of commands and
characters is accepted, and the MathML it writes is checked again element by element.
"""

from __future__ import annotations

import re
from typing import NamedTuple

DISPLAY = re.compile(r"(?m)^[ \t]*\$\$(?P<tex>[^$\n]+)\$\$[ \t]*$")
INLINE = re.compile(r"(?<![\\$\w])\$(?=[^\s$])(?P<tex>[^$\n]*?[^\s$\\])\$(?![\d$\w])")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
# Letters, digits, blanks, ASCII operators and brackets, Greek letters and a few math symbols.
_ALLOWED_CHARS = re.compile(r"[A-Za-z0-9 \t+\-*/=()\[\]{}|,.;:!?^_'~\\\u0391-\u03c9\u00b7\u00d7\u2032\u221e\u2248\u2264\u2265\u2212]*")
COMMANDS = frozenset(
    [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "varepsilon",
        "zeta",
        "eta",
        "theta",
        "vartheta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "pi",
        "rho",
        "sigma",
        "tau",
        "upsilon",
        "phi",
        "varphi",
        "chi",
        "psi",
        "omega",
        "Gamma",
        "Delta",
        "Theta",
        "Lambda",
        "Xi",
        "Pi",
        "Sigma",
        "Phi",
        "Psi",
        "Omega",
        "infty",
        "frac",
        "dfrac",
        "tfrac",
        "sqrt",
        "left",
        "right",
        "cdot",
        "times",
        "div",
        "pm",
        "mp",
        "approx",
        "sim",
        "simeq",
        "propto",
        "le",
        "leq",
        "ge",
        "geq",
        "lt",
        "gt",
        "ne",
        "neq",
        "ll",
        "gg",
        "sum",
        "prod",
        "int",
        "log",
        "ln",
        "exp",
        "min",
        "max",
        "arg",
        "argmin",
        "argmax",
        "lim",
        "sup",
        "inf",
        "mathrm",
        "mathbf",
        "mathit",
        "mathcal",
        "text",
        "operatorname",
        "hat",
        "bar",
        "tilde",
        "vec",
        "dot",
        "ldots",
        "cdots",
        "dots",
        "in",
        "notin",
        "subset",
        "subseteq",
        "cup",
        "cap",
        "forall",
        "exists",
        "partial",
        "nabla",
        "to",
        "rightarrow",
        "leftarrow",
        "mid",
        "quad",
        "qquad",
        ",",
        ";",
        "!",
        "{",
        "}",
        "|",
        "_",
    ]
)
_ELEMENTS = frozenset(
    [
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "mfrac",
        "msqrt",
        "mroot",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "semantics",
    ]
)
_ATTRS = frozenset(
    [
        "xmlns",
        "display",
        "stretchy",
        "fence",
        "form",
        "mathvariant",
        "accent",
        "accentunder",
        "separator",
        "lspace",
        "rspace",
        "width",
        "minsize",
        "maxsize",
        "movablelimits",
        "largeop",
        "symmetric",
        "columnalign",
    ]
)
_MARKDOWN_ACTIVE = re.compile(r"[\\`*_\[\]]")


class MathProblem(NamedTuple):
    """What is wrong with a piece of TeX, and where in it (0-based)."""

    offset: int
    name: str
    message: str


def find_math(body: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, tex, display) for every math span, in order; display lines first claim their text."""
    found = [(m.start(), m.end(), m.group("tex").strip(), True) for m in DISPLAY.finditer(body)]
    taken = [(s, e) for s, e, _, _ in found]
    for m in INLINE.finditer(body):
        if not any(s <= m.start() < e for s, e in taken):
            found.append((m.start(), m.end(), m.group("tex"), False))
    return sorted(found)


def problems(tex: str) -> list[MathProblem]:
    """Commands outside the allowlist, characters outside the allowed set, and TeX that does not convert."""
    out: list[MathProblem] = []
    match = _ALLOWED_CHARS.match(tex)
    if match is not None and match.end() < len(tex):
        bad = tex[match.end()]
        out.append(MathProblem(match.end(), "math-character", f"the character {bad!r} is not allowed in math (write \\lt, \\gt or a command)"))
    for m in _COMMAND.finditer(tex):
        if m.group(1) not in COMMANDS:
            out.append(MathProblem(m.start(), "math-command", f"'\\{m.group(1)}' is not an allowed TeX command"))
    if not out and _unbalanced(tex) is not None:
        out.append(MathProblem(_unbalanced(tex) or 0, "math-invalid", "the braces { } do not pair up"))
    if not out:
        try:
            to_mathml(tex, display=False)
        except Exception as exc:  # latex2mathml raises many kinds of error on bad input
            out.append(MathProblem(0, "math-invalid", f"the TeX does not convert to MathML ({type(exc).__name__})"))
    return out


def _unbalanced(tex: str) -> int | None:
    """The offset of the first brace that does not pair up, or None."""
    opened: list[int] = []
    for m in re.finditer(r"\\.|[{}]", tex):
        if m.group() == "{":
            opened.append(m.start())
        elif m.group() == "}":
            if not opened:
                return m.start()
            opened.pop()
    return opened[0] if opened else None


def _check_tree(markup: str) -> None:
    """Raise ValueError unless every element and attribute of the MathML is on the allowlist."""
    from xml.etree import ElementTree  # imported only where a note has math, as the converter is

    root = ElementTree.fromstring(markup)  # noqa: S314 - our own converter's output, not a file from outside
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        if name not in _ELEMENTS or any(a.rpartition("}")[2] not in _ATTRS for a in element.attrib):
            raise ValueError(f"unexpected MathML element or attribute in <{name}>")


def _inert_text(markup: str) -> str:
    """Characters that Markdown would act on, inside text nodes, as character references."""
    return re.sub(r">([^<]+)<", lambda m: ">" + _MARKDOWN_ACTIVE.sub(lambda c: f"&#{ord(c.group())};", m.group(1)) + "<", markup)


def to_mathml(tex: str, *, display: bool) -> str:
    """MathML for checked TeX, on one line, safe to place in staged Markdown."""
    from latex2mathml.converter import convert  # imported only where a note has math

    markup = convert(tex, display="block" if display else "inline")
    _check_tree(markup)
    return _inert_text(markup.replace("\n", ""))
