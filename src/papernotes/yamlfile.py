"""Reading a data file as positioned YAML: one reader for survey.yaml, tags.yaml, the charts and
the registries, with the same limits and the same diagnostics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from papernotes.diagnostics import Diagnostic, diag
from papernotes.frontmatter import Split, YEntry, YNode, parse_yaml

MAX_DATA_FILE = 4 * 1024 * 1024


def read_yaml_file(path: Path, shown: str) -> tuple[YNode | None, list[Diagnostic]]:
    """Parse one data file (a regular file, UTF-8, at most MAX_DATA_FILE bytes) into positioned YAML."""
    try:
        if path.is_symlink() or not path.is_file():
            return None, [diag("data-file", shown, 0, 0, "file is missing (or a symbolic link)")]
        raw = path.read_bytes()
        if len(raw) > MAX_DATA_FILE:
            return None, [diag("data-file", shown, 0, 0, f"file is {len(raw):,} bytes; at most {MAX_DATA_FILE:,}")]
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        return None, [not_utf8("data-file", shown, exc)]
    except OSError as exc:
        return None, [diag("data-file", shown, 0, 0, f"cannot read: {exc}")]
    node, problems = parse_yaml(Split(text, 1, "", 0), shown, limit=MAX_DATA_FILE)
    return node, [_as_data(d) for d in problems]


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
