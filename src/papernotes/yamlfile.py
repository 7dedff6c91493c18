"""Reading a data file as positioned YAML: one reader for survey.yaml, tags.yaml, the charts and
the registries, with the same limits and the same diagnostics."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from papernotes.diagnostics import Diagnostic, diag
from papernotes.frontmatter import Split, YEntry, YNode, parse_yaml
from papernotes.pagetext import text_problem

MAX_DATA_FILE = 1024 * 1024
MAX_DATA_PIECES = 40_000  # lines plus commas of a YAML data file
MAX_DATA_TEXT = 2000  # one string of a data file: a description, a title, a source


def read_yaml_file(path: Path, shown: str) -> tuple[YNode | None, list[Diagnostic]]:
    """Parse one data file (a regular file, UTF-8, within the size limits) into positioned YAML; every
    string in it is held to the rule for page text."""
    try:
        if problem := not_regular(path):
            return None, [diag("data-file", shown, 0, 0, problem)]
        raw = path.read_bytes()
        if len(raw) > MAX_DATA_FILE:
            return None, [diag("data-file", shown, 0, 0, f"file is {len(raw):,} bytes; at most {MAX_DATA_FILE:,}")]
        pieces = raw.count(b"\n") + raw.count(b",")
        if pieces > MAX_DATA_PIECES:  # a bound on YAML nodes, so on the composer's time and memory
            return None, [diag("data-file", shown, 0, 0, f"the file has {pieces:,} lines and commas; at most {MAX_DATA_PIECES:,}")]
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        return None, [not_utf8("data-file", shown, exc)]
    except OSError as exc:
        return None, [diag("data-file", shown, 0, 0, f"cannot read: {exc}")]
    node, problems = parse_yaml(Split(text, 1, "", 0), shown, limit=MAX_DATA_FILE)
    return node, [_as_data(d) for d in problems] + (text_problems(node, shown) if node is not None else [])


def text_problems(node: YNode, shown: str) -> list[Diagnostic]:
    """Every string of a data file (keys too) held to the rule for text that reaches a page."""
    out: list[Diagnostic] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if item.kind == "str":
            assert isinstance(item.value, str)
            if problem := text_problem(item.value, MAX_DATA_TEXT):
                out.append(diag("unsafe-data-text", shown, item.line, item.col, f"this text {problem[1]}", "write one plain line"))
        elif item.kind in ("seq", "map"):
            assert isinstance(item.value, tuple)
            for child in item.value:
                if isinstance(child, YEntry):
                    if problem := text_problem(child.key, 200):
                        out.append(diag("unsafe-data-text", shown, child.line, child.col, f"this key {problem[1]}", "write one plain line"))
                    stack.append(child.value)
                elif isinstance(child, YNode):
                    stack.append(child)
    return sorted(out)


def not_regular(path: Path) -> str:
    """Why `path` may not be read, judged without opening it (a FIFO would block, a device never end), or ''."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "file is missing (or a symbolic link)"
    if stat.S_ISLNK(mode):
        return "file is missing (or a symbolic link)"
    return "" if stat.S_ISREG(mode) else "not a regular file (a FIFO, a device or a socket); it is never opened"


def not_utf8(name: str, shown: str, exc: UnicodeDecodeError) -> Diagnostic:
    """A diagnostic at the first byte that is not UTF-8."""
    raw = exc.object
    line = raw.count(b"\n", 0, exc.start) + 1
    col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return diag(name, shown, line, col, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", "save the file as UTF-8")


def _as_data(d: Diagnostic) -> Diagnostic:
    return diag("data-file", d.path, d.line, d.col, f"{d.name}: {d.message}", d.hint)


def plain(node: YNode) -> Any:
    """A YNode as plain Python values."""
    if node.kind == "seq":
        assert isinstance(node.value, tuple)
        return [plain(n) for n in node.value if isinstance(n, YNode)]
    if node.kind == "map":
        assert isinstance(node.value, tuple)
        return {e.key: plain(e.value) for e in node.value if isinstance(e, YEntry)}
    return node.value


def map_entries(node: YNode | None) -> tuple[YEntry, ...]:
    """The entries of a mapping node; () for anything else."""
    if node is None or node.kind != "map":
        return ()
    assert isinstance(node.value, tuple)
    return tuple(e for e in node.value if isinstance(e, YEntry))


def get_entry(node: YNode | None, key: str) -> YEntry | None:
    """The entry of a mapping node with this key, or None."""
    for e in map_entries(node):
        if e.key == key:
            return e
    return None
