"""Split a note into front matter and body, and read the YAML without losing a line number.

The split follows the site engine's rule (`---` on line 1, closed by `---` or `...`). The YAML is composed
with libyaml's safe composer into nodes that keep their marks, then walked by hand: nothing is
constructed from a tag, aliases and merge keys are refused, duplicate keys are reported, and every
value remembers its line, column and whether it was quoted (to catch YAML 1.1 coercions later).

Long because the fast reader of the common subset, libyaml's composer with its error positions and the
walker must make the same nodes by the same scalar rules (a property test holds the fast reader to the
composer); kept together, those rules are written once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple

import yaml

from papernotes.diagnostics import Diagnostic, Rule, diag

try:  # libyaml is about 4x faster; fall back to the pure-Python composer where it is missing.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_RESOLVED: dict[tuple[str, bool, bool], str] = {}
_RESOLVED_MAX = 16384
_MEMO_LENGTH = 64
_RESOLVER = yaml.resolver.Resolver()  # the safe loaders' implicit resolvers (YAML 1.1), no path resolvers
_RESOLVABLE = frozenset(_RESOLVER.yaml_implicit_resolvers)  # first characters that some resolver may claim
_NO_WILDCARD = None not in _RESOLVABLE  # a resolver under None would be tried on every scalar
_QUOTES_OR_RESOLVABLE = _RESOLVABLE | {'"', "'"}


def _scalar_tag(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag the safe loader gives a scalar without an explicit tag. It depends only on the text
    and on whether it was plain, so short scalars (keys, tags, section numbers recur in every
    note) are remembered."""
    if implicit[0] and value and value[0] not in _RESOLVABLE and _NO_WILDCARD:
        return _STR  # no implicit resolver starts with this character: text
    if len(value) > _MEMO_LENGTH:
        return str(_RESOLVER.resolve(yaml.ScalarNode, value, implicit))  # type: ignore[no-untyped-call]
    key = (value, implicit[0], implicit[1])
    tag = _RESOLVED.get(key)
    if tag is None:
        tag = str(_RESOLVER.resolve(yaml.ScalarNode, value, implicit))  # type: ignore[no-untyped-call]
        if len(_RESOLVED) < _RESOLVED_MAX:
            _RESOLVED[key] = tag
    return tag


class _Loader(_SafeLoader):
    """The safe loader, with scalar tags resolved through `_scalar_tag`."""

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and value is not None:
            return _scalar_tag(value, implicit)
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


MAX_FRONT_MATTER = 64 * 1024
MAX_DEPTH = 16

_OPEN_RE = re.compile(r"---[ \t]*\n")
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

_TAG = "tag:yaml.org,2002:"
_ALIAS_RE = re.compile(r"(?:^|[\s\[{,:])\*[^\s\]},]+", re.MULTILINE)
_SEQ, _MAP, _STR, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "str", _TAG + "merge"
SCALAR_KINDS = {
    _TAG + "str": "str",
    _TAG + "int": "int",
    _TAG + "float": "float",
    _TAG + "bool": "bool",
    _TAG + "null": "null",
    _TAG + "timestamp": "timestamp",
}


@dataclass(frozen=True)
class Split:
    """A note cut in two. Lines are 1-based positions in the original file."""

    yaml_text: str
    yaml_line: int
    body: str
    body_line: int


class YNode(NamedTuple):
    """A YAML value with its position: scalar (`kind` str/int/…), `seq`, `map`, or `invalid` (rejected, already reported).

    A named tuple, not a dataclass: a front matter makes a few dozen of them, and a check of 10,000
    notes makes them a quarter of a million times."""

    kind: str
    value: YValue
    line: int
    col: int
    plain: bool = False
    raw: str = ""


class YEntry(NamedTuple):
    """One key of a mapping, with the key's own position."""

    key: str
    line: int
    col: int
    value: YNode


YValue = str | int | float | bool | None | dt.date | tuple[YNode, ...] | tuple[YEntry, ...]


def split_front_matter(text: str, path: str) -> Split | Diagnostic:
    """Cut `text` (newlines already normalised) at its front matter, or say why it can't."""
    if not _OPEN_RE.match(text):
        return diag("no-front-matter", path, 1, 1, "the note must start with '---' on line 1", "add front matter; see CONTRIBUTING.md")
    start = text.index("\n") + 1
    close = _CLOSE_RE.search(text, start)
    if close is None:
        return diag("unclosed-front-matter", path, 1, 1, "front matter opened on line 1 is never closed", "end it with a '---' line")
    yaml_text = text[start : close.start()]
    body_start = close.end() + 1 if close.end() < len(text) else close.end()
    yaml_lines = yaml_text.count("\n")
    return Split(yaml_text, 2, text[body_start:], 2 + yaml_lines + 1)


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    """The character a YAML error mark points at, or ''."""
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if mark.column < len(line) else ""


_QUOTE_START_RE = re.compile(r"""^[ \t]*(?:-[ \t]+)*(?:[^\s"'#:][^:#]*:[ \t]+)?(["'])""")


def _unclosed_quote(text: str, last: int) -> tuple[int, int] | None:
    """(line, column) from 0 of the last quote that opens a value on lines 0..`last` and is not
    closed on its own line: where a YAML error about a later line usually starts."""
    found = None
    for number, line in enumerate(text.split("\n")[: last + 1]):
        m = _QUOTE_START_RE.match(line)
        if m is None:
            continue
        rest = line[m.end() :]
        closed = '"' in re.sub(r"\\.", "", rest) if m.group(1) == '"' else "'" in rest.replace("''", "")
        if not closed:
            found = (number, m.start(1))
    return found


def _flow_depth(text: str) -> int:
    """Deepest nesting of flow brackets, a cheap guard before handing text to the C composer."""
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return deepest


# --- the common case, without the composer ------------------------------------------------------
#
# Most front matter is a handful of `key: value` lines whose values are one-line plain or quoted
# scalars or flow lists of them. `_simple_mapping` reads exactly that subset into the same `YNode`s
# the composer and walker would make, and gives up (returns None) on anything else: comments, tabs,
# block lists, multi-line or escaped scalars, anchors, tags, a ':' or '#' in a plain scalar, a
# repeated key. The full path then reads the text. A property test holds the two to the same result.

# the characters libyaml reads without complaint and without a line break of its own (YAML 1.1 also
# breaks lines at U+0085, U+2028 and U+2029); a tab or any other character sends the text to libyaml
_ORDINARY_RE = re.compile("[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_LINE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*): +(.*)")  # the value's trailing spaces are stripped after
_PLAIN_RE = re.compile(r"[A-Za-z0-9][^:#]*")  # a block plain scalar: no indicator first, no ': ' or ' #' inside
_QUOTED_RE = re.compile(r"\"[^\"\\]*\"|'[^']*'")  # no escapes: the text between the quotes is the value
_FLOW_ITEM = r"""\"[^\"\\\n]*\"|'[^'\n]*'|[A-Za-z0-9][A-Za-z0-9._/+-]*"""
_FLOW_RE = re.compile(r"\[ *(?:(?:" + _FLOW_ITEM + r") *(?:, *(?:" + _FLOW_ITEM + r") *)*)?\]")
_FLOW_ITEM_RE = re.compile(_FLOW_ITEM)


def _simple_scalar(text: str, line: int, col: int) -> YNode | None:
    """A plain or quoted scalar of the simple subset (see `_simple_mapping`)."""
    first = text[0]
    if first == '"' or first == "'":
        value = text[1:-1]
        return _record(YNode, ("str", value, line, col, False, value))
    if first not in _RESOLVABLE and _NO_WILDCARD:
        return _record(YNode, ("str", text, line, col, True, text))  # no resolver claims it: text, the common case
    kind = SCALAR_KINDS.get(_scalar_tag(text, (True, False)))
    return None if kind is None else _scalar_node(kind, text, line, col, plain=True)


_TEXT_KEYS: set[str] = set()  # keys already known to read as text (a key that does not is never added)

# Named tuples on the hot path are made by tuple.__new__, which skips the Python-level __new__ of
# the class (about half the cost of a record); the fields are given in full and in order.
_record = tuple.__new__


def _simple_mapping(text: str, first_line: int) -> YNode | None:
    """The front matter as `YNode`s when it is in the simple subset, else None."""
    if not _ORDINARY_RE.fullmatch(text):
        return None
    entries: list[YEntry] = []
    keys: set[str] = set()
    line = first_line - 1
    for line_text in text.split("\n"):
        line += 1
        if not line_text.strip(" "):
            continue  # blank for YAML: spaces only (str.isspace would also take U+00A0, which YAML reads as text)
        found = _LINE_RE.fullmatch(line_text)
        if found is None:
            return None
        key, value = found.groups()
        value = value.rstrip(" ")
        if not value or key in keys or (key not in _TEXT_KEYS and not _text_key(key)):
            return None
        keys.add(key)
        node = _simple_value(value, line, found.start(2) + 1)
        if node is None:
            return None
        entries.append(_record(YEntry, (key, line, 1, node)))
    if not entries:
        return None
    return _record(YNode, ("map", tuple(entries), entries[0].line, 1, False, ""))


def _text_key(key: str) -> bool:
    """Whether a key reads as text (not as a number, a boolean or null), remembered for the next notes."""
    if key in _TEXT_KEYS:
        return True
    if _scalar_tag(key, (True, False)) != _STR:
        return False
    if len(_TEXT_KEYS) < _RESOLVED_MAX:
        _TEXT_KEYS.add(key)
    return True


def _simple_value(value: str, line: int, col: int) -> YNode | None:
    """A value of the simple subset: a flow list of scalars, or one scalar; None for anything else."""
    if value[0] == "[":
        if not _FLOW_RE.fullmatch(value):
            return None
        items: list[YNode] = []
        for item in _FLOW_ITEM_RE.finditer(value):
            text = item.group()
            if text[0] not in _QUOTES_OR_RESOLVABLE and _NO_WILDCARD:  # _simple_scalar's common case, without the call
                node: YNode | None = _record(YNode, ("str", text, line, col + item.start(), True, text))
            else:
                node = _simple_scalar(text, line, col + item.start())
            if node is None:
                return None
            items.append(node)
        return _record(YNode, ("seq", tuple(items), line, col, False, ""))
    if not (_PLAIN_RE.fullmatch(value) or _QUOTED_RE.fullmatch(value)):
        return None
    return _simple_scalar(value, line, col)


def parse_yaml(split: Split, path: str, limit: int = MAX_FRONT_MATTER) -> tuple[YNode | None, list[Diagnostic]]:
    """Compose the front matter into `YNode`s; report every problem found on the way."""
    if len(split.yaml_text) > limit:
        return None, [diag("front-matter-too-large", path, 1, 1, f"front matter is {len(split.yaml_text):,} characters; at most {limit:,}")]
    if split.yaml_text.count("[") + split.yaml_text.count("{") > MAX_DEPTH and _flow_depth(split.yaml_text) > MAX_DEPTH:
        return None, [diag("front-matter-too-large", path, 1, 1, f"front matter nests deeper than {MAX_DEPTH} levels")]
    if not split.yaml_text.strip():
        return None, [diag("front-matter-not-mapping", path, 1, 1, "front matter is empty")]
    simple = _simple_mapping(split.yaml_text, split.yaml_line)
    if simple is not None:
        return simple, []
    return composed(split, path)


def composed(split: Split, path: str) -> tuple[YNode | None, list[Diagnostic]]:
    """Front matter read by libyaml's composer and walked by hand: any YAML, every problem reported."""
    try:
        node = yaml.compose(split.yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        # where the unclosed construct starts, except for a composer error (a second document, a
        # repeated anchor), whose problem is where the offending part is
        composer = isinstance(exc, yaml.composer.ComposerError)
        mark = (exc.problem_mark if composer else exc.context_mark) or exc.problem_mark or exc.context_mark
        last = max(split.yaml_text.rstrip("\n").count("\n"), 0)
        at_end = mark is not None and mark.line > last
        line = split.yaml_line + (min(mark.line, last) if mark else 0)
        col = 1 if at_end or mark is None else mark.column + 1
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if exc.context and exc.problem and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            problem = f"{problem} ({exc.context})" if composer else f"{problem} ({exc.context} that starts here)"
        hint = "YAML does not allow tabs for indentation; use spaces" if _char_at(split.yaml_text, mark) == "\t" else ""
        quote = _unclosed_quote(split.yaml_text, exc.problem_mark.line if exc.problem_mark else last) if not composer else None
        if quote is not None and (mark is None or quote[0] >= mark.line):
            line, col = split.yaml_line + quote[0], quote[1] + 1
            problem, hint = f"a quoted value opens here and is not closed on its line ({problem})", "close the quote on the same line"
        return None, [diag("yaml-syntax", path, line, col, problem, hint)]
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        char = getattr(exc, "character", None)
        at = split.yaml_text.find(chr(char)) if isinstance(char, int) else -1  # libyaml's position counts bytes, not characters
        line = split.yaml_line + max(split.yaml_text.count("\n", 0, at), 0)
        col = at - (split.yaml_text.rfind("\n", 0, at) + 1) + 1 if at >= 0 else 1
        return None, [diag("yaml-syntax", path, line, col, str(exc).splitlines()[0])]
    except RecursionError:
        return None, [diag("front-matter-too-large", path, 1, 1, "front matter nests too deeply")]
    if node is None:
        return None, [diag("front-matter-not-mapping", path, 1, 1, "front matter is empty")]
    walker = _Walker(path, split.yaml_line, split.yaml_text)
    result = walker.walk(node, 0)
    return result, walker.diags


_ScalarNode, _SequenceNode, _MappingNode = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


class _Walker:
    """Turn composed nodes into `YNode`s, refusing what a note's front matter must not contain."""

    def __init__(self, path: str, first_line: int, text: str) -> None:
        self.path = path
        self.text = text
        self.alias_reported = False
        self.offset = first_line
        # The composer hands back the same node for an alias. Without an '&' there is no anchor,
        # so no alias either (an alias to an unknown anchor is a composer error).
        self.seen: set[int] | None = set() if "&" in text else None
        self.diags: list[Diagnostic] = []

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return self.offset + node.start_mark.line, node.start_mark.column + 1

    def _problem(self, name: str, node: yaml.Node, message: str, hint: str = "") -> None:
        line, col = self._pos(node)
        self.diags.append(diag(name, self.path, line, col, message, hint))

    def _alias(self, node: yaml.Node) -> None:
        if self.alias_reported:
            return
        self.alias_reported = True
        found = _ALIAS_RE.search(self.text)
        line, col = self._pos(node)
        if found:
            at = found.start() + found.group().index("*")
            line = self.offset + self.text.count("\n", 0, at)
            col = at - (self.text.rfind("\n", 0, at) + 1) + 1
        self.diags.append(diag("yaml-unsafe", self.path, line, col, "aliases are not allowed in front matter", "write the value out"))

    def walk(self, node: yaml.Node, depth: int) -> YNode | None:
        seen = self.seen
        if seen is not None:
            if id(node) in seen:
                self._alias(node)
                return None
            seen.add(id(node))
        if depth > MAX_DEPTH:
            self._problem("front-matter-too-large", node, f"front matter nests deeper than {MAX_DEPTH} levels")
            return None
        mark = node.start_mark
        line, col = self.offset + mark.line, mark.column + 1
        if isinstance(node, _ScalarNode):
            tag = node.tag
            if tag == _STR:  # nearly every value: no construction needed
                return YNode("str", node.value, line, col, not node.style, node.value)
            return self._scalar(node, line, col)
        if isinstance(node, _SequenceNode):
            if node.tag != _SEQ:
                self._problem("yaml-unsafe", node, f"tag {node.tag!r} is not allowed")
                return None
            walk = self.walk
            items = tuple(i for i in [walk(child, depth + 1) for child in node.value] if i is not None)
            return YNode("seq", items, line, col)
        if isinstance(node, _MappingNode):
            if node.tag != _MAP:
                self._problem("yaml-unsafe", node, f"tag {node.tag!r} is not allowed")
                return None
            return YNode("map", self._entries(node, depth), line, col)
        return None  # pragma: no cover - the composer makes no other node kinds

    def _entries(self, node: yaml.MappingNode, depth: int) -> tuple[YEntry, ...]:
        entries: list[YEntry] = []
        keys: dict[str, int] = {}
        offset = self.offset
        for key_node, value_node in node.value:
            if not isinstance(key_node, _ScalarNode) or key_node.tag != _STR:
                if key_node.tag == _MERGE:
                    self._problem("yaml-unsafe", key_node, "merge keys ('<<') are not allowed")
                    continue
                raw = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                self._problem(
                    "non-string-key", key_node, f"key {raw!r} is not a plain string (YAML reads it as {key_node.tag.removeprefix(_TAG)})", f'quote it: "{raw}"'
                )
                continue
            key = key_node.value
            mark = key_node.start_mark
            kline = offset + mark.line
            if key in keys:
                self._problem("duplicate-key", key_node, f"key '{key}' is repeated (first on line {keys[key]})", "remove one of them")
                continue
            keys[key] = kline
            value = self.walk(value_node, depth + 1)
            # a rejected value keeps its key present (already reported; no 'missing key' on top)
            entries.append(YEntry(key, kline, mark.column + 1, value if value is not None else YNode("invalid", None, *self._pos(value_node))))
        return tuple(entries)

    def _scalar(self, node: yaml.ScalarNode, line: int, col: int) -> YNode | None:
        kind = SCALAR_KINDS.get(node.tag)
        if kind is None:
            self._problem("yaml-unsafe", node, f"tag {node.tag!r} is not allowed", "remove the tag")
            return None
        return _scalar_node(kind, node.value, line, col, plain=not node.style)


def _scalar_node(kind: str, raw: str, line: int, col: int, *, plain: bool) -> YNode:
    """A scalar of a resolved kind, constructed as YAML 1.1 would; text when construction fails."""
    if kind == "str":
        return YNode("str", raw, line, col, plain, raw)
    try:
        return YNode(kind, _construct(kind, raw), line, col, plain, raw)
    except (ValueError, OverflowError):
        return YNode("str", raw, line, col, plain, raw)


_DECIMAL_RE = re.compile(r"(?:0|[1-9][0-9]*)(\.[0-9]+)?")


def _construct(kind: str, raw: str) -> YValue:
    """Build a scalar the way YAML 1.1 (PyYAML's safe loader) would."""
    if kind == "str":
        return raw
    if kind == "null":
        return None
    if kind == "bool":
        return raw.lower() in {"yes", "true", "on", "y"}
    if kind == "timestamp":
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    decimal = _DECIMAL_RE.fullmatch(raw)  # no sign, underscore, base prefix, leading zero, exponent or ':'
    if decimal is not None:  # read as YAML 1.1 reads the plain text (as safe_load below does), without a loader
        return float(raw) if decimal.group(1) else int(raw)
    value: YValue = yaml.safe_load(raw)  # an int, float or timestamp the resolver already matched
    return value


def mapping(node: YNode) -> dict[str, YEntry]:
    """The entries of a `map` node by key."""
    assert node.kind == "map" and isinstance(node.value, tuple)
    return {e.key: e for e in node.value if isinstance(e, YEntry)}


# What reading front matter checks, in order: the '---' fences, then the YAML (one pass that builds the nodes).
FRONT_MATTER_RULES = (
    Rule("fences", ("no-front-matter", "unclosed-front-matter"), split_front_matter),
    Rule(
        "yaml",
        ("yaml-syntax", "yaml-unsafe", "front-matter-too-large", "front-matter-not-mapping", "duplicate-key", "non-string-key"),
        parse_yaml,
    ),
)
