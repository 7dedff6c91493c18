"""Properties, with Hypothesis: on any text the reading stages never raise, every problem they report
lies inside the file, and no body they pass renders active content.

Examples are kept few (tens to a few hundred per property) so that the suite stays fast; a failure
Hypothesis finds is replayed from its database and shrunk to a small input.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import papernotes.body as body_module
import papernotes.frontmatter as frontmatter_module
from papernotes.body import SAFE_SCHEMES, UNSAFE_TAGS, scan_body, url_scheme
from papernotes.data.survey import load_survey
from papernotes.data.tags import load_vocabulary
from papernotes.diagnostics import Diagnostic
from papernotes.fmcheck import validate_mapping
from papernotes.frontmatter import Split, parse_yaml, split_front_matter
from papernotes.load import load_note, read_text
from papernotes.paths import RESERVED_PARTS, SourcePath
from papernotes.records import NoteFile
from papernotes.schema import NOTE_FIELDS, PART_FIELDS
from support import REPO

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what the stages read: YAML and Markdown syntax mixed with arbitrary characters.
YAML_TOKENS = ["---", "...", "\n", "  ", "\t", ": ", "- ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", "!!python/name:os.system ", "!x ", "'", '"', "#"]
YAML_TOKENS += ["|", ">", "%YAML 1.1", "title", "tags", "sections", "summary", "status", "no", "5.3", "2024-01-01", "~", "\x07", "\ufeff", "é"]
MD_TOKENS = ["```", "~~~", "````", "`", "``", "\\", "\n", "\n\n", " ", "    ", "> ", "- ", "## ", "x", "[a]", "(", ")", "](", "]: ", "[r]:\n  ", "<", ">", "|"]
MD_TOKENS += ["\t", "<!--", "-->", "&#106;", "[@wei2025swerl]", "§5.3", "py", "\n```\n", "\n```py\n", "javascript:alert(1)", "java\nscript:alert(1)"]
MD_TOKENS += ["data:text/html,x", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<x:y onmouseover=alert(1)>", "<div onclick='a<b'>"]
MD_TOKENS += ["<a href=javascript:alert(1)>", " ~~~", "  ```", "\n    x", "> ```", "1. ", "``` x", "[^1]: "]


def mixed(tokens: list[str], max_size: int = 30) -> st.SearchStrategy[str]:
    """Strings built from syntax tokens and arbitrary text."""
    return st.lists(st.sampled_from(tokens) | st.text(max_size=5), max_size=max_size).map("".join)


def lines_of(text: str) -> int:
    return text.count("\n") + 1


def assert_inside(diags: Iterable[Diagnostic], lines: int) -> None:
    """Every problem is on a line of the file (0: the whole file) and at a column >= 0."""
    for d in diags:
        assert 0 <= d.line <= lines and d.col >= 0, d.render()


# --- front matter ---------------------------------------------------------------------------------


@FAST
@given(st.text() | mixed(YAML_TOKENS))
def test_split_front_matter_never_raises(text: str) -> None:
    """The splitter returns a split or a diagnostic for any text, with lines inside the file."""
    result = split_front_matter(text, "n.md")
    if isinstance(result, Diagnostic):
        assert_inside([result], lines_of(text))
    else:
        assert isinstance(result, Split)
        assert result.yaml_line == 2 and 2 <= result.body_line <= lines_of(text) + 1
        assert text.endswith(result.body)


def front_matter_note(yaml_text: str) -> str:
    return "---\n" + yaml_text + "\n---\n\nBody.\n"


@FAST
@given(st.text() | mixed(YAML_TOKENS))
def test_parse_yaml_and_validation_never_raise(yaml_text: str) -> None:
    """Any front matter is read and validated without an exception; every problem lies inside the file."""
    note = front_matter_note(yaml_text)
    split = split_front_matter(note, "n.md")
    if isinstance(split, Diagnostic):
        return
    node, diags = parse_yaml(split, "n.md")
    assert_inside(diags, lines_of(note))
    if node is not None:
        for fields in (NOTE_FIELDS, PART_FIELDS):
            _, problems = validate_mapping(node, fields, "n.md")
            assert_inside(problems, lines_of(note))


FIELD_VALUES = st.sampled_from(
    ["x", "no", "5.3", "[5.3]", '["5.3", "5.3"]', "[swe-agents, swe-\u0430gents]", "2024-01-01", "~", "{a: 1}", "[[a]]", '"<b>x</b>"', "[]", "!!binary aGk="]
)


@FAST
@given(st.dictionaries(st.sampled_from([f.name for f in NOTE_FIELDS] + ["extra", "on", "2020"]), FIELD_VALUES | st.text(max_size=20), max_size=9))
def test_validation_of_near_valid_front_matter_never_raises(fields: dict[str, str]) -> None:
    """Front matter with the schema's own keys and values of every shape is validated without an exception."""
    note = front_matter_note("\n".join(f"{k}: {v}" for k, v in fields.items()))
    split = split_front_matter(note, "n.md")
    assert isinstance(split, Split)
    node, diags = parse_yaml(split, "n.md")
    assert_inside(diags, lines_of(note))
    if node is not None:
        _, problems = validate_mapping(node, NOTE_FIELDS, "n.md")
        assert_inside(problems, lines_of(note))


# --- a whole note, from bytes ---------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300) | mixed(YAML_TOKENS + MD_TOKENS).map(lambda s: ("---\n" + s).encode("utf-8", "surrogatepass")))
def test_load_note_never_raises_on_any_bytes(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    """Any bytes saved as a note are loaded or refused without an exception, with lines inside the file."""
    root = tmp_path_factory.mktemp("kb")
    (root / "notes" / "agents").mkdir(parents=True)
    (root / "notes" / "agents" / "n.md").write_bytes(raw)
    _, diags = load_note(root, NoteFile("agents", "n", SourcePath("notes/agents/n.md")))
    assert_inside(diags, raw.count(b"\n") + raw.count(b"\r") + 1)


# --- body -----------------------------------------------------------------------------------------


@FAST
@given(st.text() | mixed(MD_TOKENS), st.integers(min_value=1, max_value=50))
def test_scan_body_never_raises(body: str, first_line: int) -> None:
    """The body scan handles any text; every problem and record lies on a line of the body."""
    scan = scan_body(body, first_line, "n.md")
    last = first_line + body.count("\n")
    for d in scan.diags:
        assert first_line <= d.line <= last and d.col >= 1, d.render()
    for item in [*scan.links, *scan.citations, *scan.section_refs]:
        assert first_line <= item.line <= last and item.col >= 1
    assert all(first_line <= h.line <= last for h in scan.headings)


def _markdown_config() -> tuple[list[str], dict[str, Any]]:
    """The Markdown extensions of mkdocs.yml (MkDocs' own !ENV tags read as nothing)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name, conf = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        options[name] = conf or {}
    return names, options


EXTENSIONS, EXTENSION_OPTIONS = _markdown_config()


class _Active(HTMLParser):
    """Collects what in rendered HTML could run or load: unsafe elements, on* attributes, unsafe URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            elif name in {"href", "src"} and value and url_scheme(value) not in {"", *SAFE_SCHEMES}:
                self.found.append(f"{name}={value}")


def active_content(body: str) -> list[str]:
    html = markdown.markdown(body, extensions=EXTENSIONS, extension_configs=EXTENSION_OPTIONS)
    parser = _Active()
    parser.feed(html)
    parser.close()
    return parser.found


@settings(max_examples=300, deadline=None)
@given(mixed(MD_TOKENS, max_size=25))
def test_no_body_that_passes_renders_active_content(body: str) -> None:
    """Differential: a body with no HTML or URL error renders, with the site's Markdown extensions, to nothing that runs."""
    if any(d.code in {"PN301", "PN302", "PN303"} for d in scan_body(body, 1, "n.md").diags):
        return
    assert active_content(body) == []


def test_the_renderer_oracle_sees_active_content() -> None:
    """The differential oracle itself finds script, handlers and javascript: links in rendered HTML."""
    assert active_content("<script>x</script>\n") == ["<script>"]
    assert active_content("[a](javascript:alert(1))\n") == ["href=javascript:alert(1)"]
    assert active_content("```\n<script>x</script>\n```\n") == []


# --- data files -----------------------------------------------------------------------------------

SHAPES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _replace_one(tree: Any, data: st.DataObject) -> Any:
    """The tree with one value, chosen by Hypothesis at any depth, replaced by a value of any shape."""
    if isinstance(tree, dict) and tree and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(tree)))
        return {**tree, key: _replace_one(tree[key], data)}
    if isinstance(tree, list) and tree and data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(tree) - 1))
        return [*tree[:index], _replace_one(tree[index], data), *tree[index + 1 :]]
    return data.draw(SHAPES)


SURVEY = yaml.safe_load((REPO / "data" / "survey.yaml").read_text(encoding="utf-8"))
TAGS = yaml.safe_load((REPO / "data" / "tags.yaml").read_text(encoding="utf-8"))


@settings(max_examples=60, deadline=None)
@given(st.data(), st.sampled_from(["survey", "tags"]))
def test_data_loaders_never_raise_on_a_value_of_the_wrong_shape(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, which: str) -> None:
    """survey.yaml or tags.yaml with any one value replaced by any shape loads or is refused, never raises."""
    tree = _replace_one(SURVEY if which == "survey" else TAGS, data)
    text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    path = tmp_path_factory.mktemp("data") / f"{which}.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, diags = (load_survey if which == "survey" else load_vocabulary)(path, f"data/{path.name}")
    assert_inside(diags, lines_of(text))
    if loaded is not None:
        assert repr(loaded)  # the records are complete enough to print


# --- the body scan's fast tokenizer ---------------------------------------------------------------

# The token grammar written plainly: every alternative at every position, with '^' for a line start.
# `_tokens` must find exactly these tokens; it only reorders the pattern so the engine can skip prose.
REFERENCE_TOKENS = re.compile(
    r"""
    (?P<heading>^(?P<hashes>\#{1,6})[ \t]+(?P<htext>[^\n]*?)[ \t\#]*$)
  | (?P<setext>^(?P<stext>[^\n\s|>*+\-\#][^\n]*+)\n(?P<sline>=+|-+)[ \t]*$)
  | (?P<refdef>^[ ]{0,3}\[(?P<refname>[^\]\n]+)\]:[ \t]*(?P<refurl><[^>\n]*>|\S+))
  | (?P<link>(?P<bang>!?)\[(?P<ltext>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\([ \t]*(?P<url><[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'))?[ \t]*\))
  | (?P<cite>\[(?P<ctext>[^\[\]\n]*@[^\[\]\n]*)\](?!\())
  | (?P<sec>§[ \u00a0]?(?P<secnum>[0-9]+(?:\.[0-9]+)*))
  | (?P<auto><(?P<autourl>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>)
  | (?P<comment><!--|<!\[CDATA\[|<![A-Za-z]|<\?)
  | (?P<tag></?(?P<tagname>[A-Za-z][A-Za-z0-9\-]*)(?=[\s/>])[^<>]{0,4000}>)
    """,
    re.MULTILINE | re.VERBOSE,
)
REFERENCE_UNSAFE = re.compile(
    r"""
    (?P<auto><(?P<autourl>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>)
  | (?P<comment><!--|<!\[CDATA\[|<![A-Za-z]|<\?)
  | (?P<tag><(?P<close>/?)(?P<tagname>[A-Za-z][^\s/<>@]*)(?=[\s/>]|\Z))
  | \]\((?=\s*(?P<dest><*[A-Za-z&\x00-\x1f\x7f][^ \t)>]{0,512}))
  | \]:(?=[ \t]*(?:\n[ \t]*)?(?P<refurl><*[A-Za-z&\x00-\x1f\x7f]\S{0,512}))
    """,
    re.VERBOSE,
)
TOKEN_GROUPS = ("htext", "stext", "sline", "refurl", "ltext", "url", "ctext", "secnum", "autourl", "tagname")


def reference_tokens(body: str) -> list[tuple[Any, ...]]:
    out = []
    for m in REFERENCE_TOKENS.finditer(body):
        kind = m.lastgroup
        start = m.start() + (kind == "link" and m.group("bang") == "!")  # a link token starts at its '['
        out.append((kind, start, m.end(), kind == "link" and m.group("bang") == "!", *(m.group(g) for g in TOKEN_GROUPS)))
    return out


def fast_tokens(body: str) -> list[tuple[Any, ...]]:
    out = []
    for m in body_module._tokens(body, body_module._Position(body, 1).starts):
        kind = m.lastgroup
        start = m.start(kind) if kind in body_module._LINE_KINDS else m.start()
        image = kind == "link" and body[start - 1 : start] == "!"
        groups = m.groupdict()  # the first line's match has only the line tokens' groups
        out.append((kind, start, m.end(), image, *(groups.get(g) for g in TOKEN_GROUPS)))
    return out


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed([*MD_TOKENS, "!", "![a](b)", "#", "# ", "\n===", "\n---", "[@k]", "§ 1", "<b>", "<?x", "<!x", "<![CDATA["], max_size=60))
@example("x\n---\n## h")
@example("# t\ny\n===\n[r]: javascript:x")
@example("a ![i](b.md) [l](c.md#d) [@k; @j] §5.3")
@example(" [r]: <u>\n<!x <b> <a:b c> <https://e.com>")
@example("<![CDATA[x](y) <!--[a](b)")
def test_fast_tokenizer_finds_what_the_plain_grammar_finds(body: str) -> None:
    assert fast_tokens(body) == reference_tokens(body)
    unsafe_groups = ("autourl", "tagname", "close", "dest", "refurl")
    fast = [(m.lastgroup, m.span(), *(m.group(g) for g in unsafe_groups)) for m in body_module._unsafe_matches(body)]
    assert fast == [(m.lastgroup, m.span(), *(m.group(g) for g in unsafe_groups)) for m in REFERENCE_UNSAFE.finditer(body)]


# --- the front matter's fast path -----------------------------------------------------------------

KEYS = ["title", "summary", "tags", "sections", "status", "updated", "cites", "yes", "No", "on", "null", "2024", "_x", "a-b", "x y", " title", "-", "?"]
SEPARATORS = [": ", ":  ", ":", " : ", ":\t", ": \t"]
CHARS = "aZ09 .,;:#'\"[]{}&*!|>%@`-?~\\/+_()é—\u2028\x85\ufeff\t\xa0\u2003😀"
SCALARS = [
    "x",
    "5.3",
    "7.3.1",
    "2026-11-28",
    "2026-13-45",
    "yes",
    "No",
    "null",
    "~",
    "0x1F",
    "1_000",
    "1e3",
    "12:30",
    "a: b",
    "a #b",
    "C#",
    "it's",
    "'q'",
    "'it''s'",
    '"d"',
]
SCALARS += [
    '"a\\"b"',
    '"a\\nb"',
    "'a: b'",
    '"x # y"',
    "&a x",
    "*a",
    "!!str x",
    "-x",
    "x ",
    " x",
    "[]",
    "[a]",
    "[a, b]",
    "[ a ,b ]",
    "['5.3', 5.3]",
    "[a, [b]]",
    "[a,]",
]
SCALARS += ["[yes, no, null]", '["a, b", c]', "[a b]", "[é]", "['é', x]", "[x:y]", "{a: b}", "|", ">", "Ünïcode text", "a\u2028b", "x\x85y"]


@st.composite
def front_matter_lines(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        key = draw(st.sampled_from(KEYS))
        value = draw(st.sampled_from(SCALARS) | st.text(alphabet=CHARS, max_size=12))
        lines.append(key + draw(st.sampled_from(SEPARATORS)) + value + draw(st.sampled_from(["", " ", "  ", "\t", " # c"])))
        lines += [""] * draw(st.integers(min_value=0, max_value=1))
        lines += [draw(st.sampled_from(["", " ", "  ", "\xa0", "\u2003", "\t", "#"]))] * draw(st.integers(min_value=0, max_value=1))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter_lines())
@example("title: A note\nsummary: It's about (things), [mostly].\nsections: ['5.3', 6.1]\ntags: [a-b, c]\nupdated: 2026-11-28\n")
@example("title: yes\nsections: [5.3]\norder: 12\nx: 0o17\n")
@example("title: 'a: b'\nsummary: \"c # d\"\ntags: ['é', \"x\"]\n")
@example("title: a\n\xa0\n")
@example("tags: ['😀', x, \"é😀\", y]\n")
def test_simple_front_matter_reads_as_libyaml_reads_it(text: str) -> None:
    """Whatever the fast path accepts, libyaml's composer and the walker read the same way."""
    fast = frontmatter_module._simple_mapping(text, 2)
    if fast is None:
        return
    full, problems = frontmatter_module.composed(Split(text, 2, "", 0), "n.md")
    assert problems == []
    assert full == fast


@given(st.from_regex(r"[-+]?[0-9_]{1,5}(\.[0-9_]{0,3})?(e[-+]?[0-9]{1,2})?", fullmatch=True))
@example("0")
@example("012")
@example("10.50")
def test_numbers_are_constructed_as_yaml_reads_them(raw: str) -> None:
    """A number read without a loader (plain decimals) is what PyYAML's safe loader makes of it."""
    expected = yaml.safe_load(raw)
    for kind in ("int", "float"):
        value = frontmatter_module._construct(kind, raw)
        assert (value, type(value)) == (expected, type(expected))


def test_notes_take_the_fast_path(tmp_path: Path) -> None:
    """The real notes and the benchmark's notes are read without the composer (so it is what is measured)."""
    from papernotes_bench.synth import generate

    root = generate(tmp_path / "kb", 60, seed=8)
    notes = [
        p for base in (REPO, root) for p in sorted((base / "notes").glob("*/*.md")) if p.parent.name not in RESERVED_PARTS
    ]  # introductions have no front matter
    assert len(notes) > 100
    for path in notes:
        split = split_front_matter(path.read_text(encoding="utf-8"), "n.md")
        assert isinstance(split, Split)
        assert frontmatter_module._simple_mapping(split.yaml_text, split.yaml_line) is not None, path


SPACES = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u200b\u2028\u2029\u202f\u205f\u3000\u3001\u2014é\xc2§\U0001f600ab"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=SPACES, max_size=40) | st.text(max_size=40))
@example("a\u2000b")
@example("§ 5.3 — a\xa0b")
def test_count_words_is_str_split(text: str) -> None:
    assert body_module.count_words(text) == len(text.split())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xef\xbb"]), st.binary(max_size=12).filter(lambda b: b"\x00" not in b))
@example(b"\xef\xbb\xbf", b"ab\n\xff")
@example(b"\xef\xbb\xbf", b"\n\n\xff")
def test_a_note_is_decoded_as_the_utf_8_sig_codec_decodes_it(bom: bytes, data: bytes) -> None:
    """The text of a file, or where its first bad byte is in the file, as `bytes.decode("utf-8-sig")` sees them
    (the codec counts from after a BOM: `exc.object` is what it decoded)."""
    raw = bom + data
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "n.md").write_bytes(raw)
        text, problems = read_text(Path(folder), "n.md")
    try:
        expected = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = exc.start + len(raw) - len(exc.object)
        assert text is None and problems[0].name == "not-utf8"
        assert problems[0].line == raw.count(b"\n", 0, at) + 1 and f"0x{raw[at]:02x}" in problems[0].message
        assert problems[0].col == at - raw.rfind(b"\n", 0, at)
        return
    if raw:
        assert text == expected.replace("\r\n", "\n").replace("\r", "\n") and problems == []
