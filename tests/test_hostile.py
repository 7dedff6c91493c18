"""The hostile corpus: every input written to break the checker is caught clearly, nothing runs, nothing is lost.

Each case of tests/hostile/cases.yaml puts one hostile input into a fresh knowledge base: the bytes of
tests/hostile/<id>.<ext>, or, when the input is large or is a link, what a maker function below writes.
Then `papernotes check` runs, and for every case: it exits 1 (never 2, never a traceback) with exactly
the expected errors, each naming its file and line; no file under notes/ or data/ changed; and a
payload that would create a marker file did not run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from papernotes.cli import main
from papernotes.pipeline import check, stage_files
from support import KB, note_text

HOSTILE = Path(__file__).parent / "hostile"
CASES: list[dict[str, Any]] = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
NOTE = "notes/agents/hostile.md"
CANARY = "canary-d41d8cd98f00b204"
_EXPECT_RE = re.compile(r"^(PN\d{3}) (\+?)(\d+):(\d+)(?: (\S+))?$")
_COUNT_RE = re.compile(r"^(\d+) x (PN\d{3})(?: (\S+))?$")  # that many errors of one code on `to` (or a path), each at a place of its own

Maker = Callable[[KB, Path], "int | None"]  # returns the line offset of a '+n' expectation, if any
MAKERS: dict[str, Maker] = {}


def maker(func: Maker) -> Maker:
    """Register a function that writes a hostile input too large or too odd to commit."""
    MAKERS[func.__name__] = func
    return func


# --- makers ---------------------------------------------------------------------------------------


@maker
def front_matter_over_1mb(kb: KB, marker: Path) -> None:
    kb.write(NOTE, "---\n" + "".join(f"key{i}: {'x' * 100}\n" for i in range(11_000)) + "---\n\nBody.\n")


@maker
def front_matter_over_64k(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(summary='"' + "long " * 20_000 + '"'))


@maker
def nesting_5000_flow(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(cites="[" * 5000 + "]" * 5000))


@maker
def nesting_5000_block(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(cites="\n" + "- " * 5000 + "x"))


@maker
def huge_integer(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(title="1" + "0" * 5000))


@maker
def body_20mb(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(body="All work and no play. " * 1_000_000))


@maker
def line_3mb(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(body="x" * 3_000_000 + "\n"))


@maker
def line_20k(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(body="## What the survey says\n\n" + "word " * 4000 + "\n"))


@maker
def broken_links_3000(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(body="".join(f"[a](missing-{i}.md)\n" for i in range(3000))))


@maker
def broken_anchors_among_3000_headings(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(body="".join(f"## Heading {i}\n\n[a](#nowhere-{i})\n\n" for i in range(3000))))


@maker
def unknown_tags_8000(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(tags="[" + ", ".join(f"t{i}" for i in range(8000)) + "]"))  # 55 KB, under the 64 KiB limit


@maker
def raw_tags_20000(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(body="<b>x</b>\n" * 20_000))


@maker
def case_colliding_names(kb: KB, marker: Path) -> None:
    kb.write("notes/agents/hostile.md", note_text())
    kb.write("notes/agents/Hostile.md", note_text())


@maker
def same_id_in_two_parts(kb: KB, marker: Path) -> None:
    kb.write("notes/agents/hostile.md", note_text())
    kb.write("notes/safety/hostile.md", note_text())


def _outside(kb: KB, name: str, text: str) -> Path:
    """A file outside the repository, holding a secret that must never reach the site."""
    target = kb.root.parent / "outside" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


@maker
def symlink_note_outside(kb: KB, marker: Path) -> None:
    target = _outside(kb, "leak.md", note_text(body=f"## What the survey says\n\n{CANARY}\n"))
    (kb.root / NOTE).symlink_to(target)


@maker
def symlink_part_outside(kb: KB, marker: Path) -> None:
    target = _outside(kb, "part/leak.md", note_text(body=f"{CANARY}\n"))
    _outside(kb, "part/index.md", f"---\ntitle: Leak\nsummary: {CANARY}.\norder: 99\ncovers: everything\n---\n")
    (kb.root / "notes" / "leak").symlink_to(target.parent, target_is_directory=True)


@maker
def symlink_intro_outside(kb: KB, marker: Path) -> None:
    target = _outside(kb, "intro.md", f"{CANARY}\n")
    (kb.root / "notes" / "tags").mkdir()
    (kb.root / "notes" / "tags" / "swe-agents.md").symlink_to(target)


@maker
def symlink_notes_folder(kb: KB, marker: Path) -> None:
    outside = kb.root.parent / "outside-notes"
    shutil.move(kb.root / "notes", outside)
    (outside / "agents" / "leak.md").write_text(note_text(body=f"{CANARY}\n"), encoding="utf-8")
    (kb.root / "notes").symlink_to(outside, target_is_directory=True)


@maker
def symlink_tags_file(kb: KB, marker: Path) -> None:
    target = _outside(kb, "tags.yaml", (kb.root / "data" / "tags.yaml").read_text(encoding="utf-8"))
    (kb.root / "data" / "tags.yaml").unlink()
    (kb.root / "data" / "tags.yaml").symlink_to(target)


@maker
def symlink_bibliography(kb: KB, marker: Path) -> None:
    text = (kb.root / "data" / "references.bib").read_text(encoding="utf-8")
    target = _outside(kb, "references.bib", text.replace("title = {", f"title = {{{CANARY} ", 1))
    (kb.root / "data" / "references.bib").unlink()
    (kb.root / "data" / "references.bib").symlink_to(target)


@maker
def bib_field_1mb(kb: KB, marker: Path) -> int:
    bib = kb.root / "data" / "references.bib"
    lines = bib.read_text(encoding="utf-8").count("\n")
    with bib.open("a", encoding="utf-8") as handle:
        handle.write("\n@misc{hostile2025huge,\n  title = {" + "x" * 20_000 + "},\n  url = {https://example.org/}\n}\n")
    return lines


def _edit(kb: KB, rel: str, pattern: str, replacement: str) -> int:
    """Rewrite one data file with a regular expression that must match once; return the lines before the match."""
    path = kb.root / rel
    text = path.read_text(encoding="utf-8")
    found = list(re.finditer(pattern, text, flags=re.MULTILINE))
    assert len(found) == 1, f"{pattern!r} matched {len(found)} times in {rel}"
    path.write_text(text[: found[0].start()] + found[0].expand(replacement) + text[found[0].end() :], encoding="utf-8")
    return text.count("\n", 0, found[0].start())


@maker
def tag_removed_while_used(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text())
    _edit(kb, "data/tags.yaml", r"^  agent-training:\n(?:    .*\n)+", "")


@maker
def section_removed_while_used(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text(sections='["5.3.2"]'))
    _edit(kb, "data/survey.yaml", r"^  - number: ['\"]?5\.3\.2['\"]?\n(?:    .*\n)+", "")


@maker
def reference_removed_while_cited(kb: KB, marker: Path) -> None:
    kb.write(NOTE, note_text())
    _edit(kb, "data/references.bib", r"^@\w+\{wei2025swerl,\n(?:.*\n)*?\}\n", "")


@maker
def survey_version_is_text(kb: KB, marker: Path) -> int:
    return _edit(kb, "data/survey.yaml", r"^  version: 5$", "  version: five")


@maker
def survey_anchor_breakout(kb: KB, marker: Path) -> int:
    return _edit(kb, "data/survey.yaml", r"^(    anchor: )['\"]?S5\.SS3['\"]?$", r"\1'x) <script>alert(1)</script> ('")


@maker
def tag_aliases_not_a_list(kb: KB, marker: Path) -> int:
    return _edit(kb, "data/tags.yaml", r"^  swe-agents:\n", "  swe-agents:\n    aliases: 5\n")


@maker
def fifo_bibliography(kb: KB, marker: Path) -> None:
    (kb.root / "data" / "references.bib").unlink()
    os.mkfifo(kb.root / "data" / "references.bib")  # opening it for reading would block forever


@maker
def fifo_tags_file(kb: KB, marker: Path) -> None:
    (kb.root / "data" / "tags.yaml").unlink()
    os.mkfifo(kb.root / "data" / "tags.yaml")


@maker
def fifo_part_index(kb: KB, marker: Path) -> None:
    (kb.root / "notes" / "agents" / "index.md").unlink()
    os.mkfifo(kb.root / "notes" / "agents" / "index.md")


@maker
def fifo_note(kb: KB, marker: Path) -> None:
    os.mkfifo(kb.root / NOTE)


@maker
def newline_in_file_name(kb: KB, marker: Path) -> None:
    kb.write("notes/agents/forged.md:1:1:error:PN000\nx.md", note_text())


def _outside_folder(kb: KB) -> Path:
    """A folder outside the repository with a file in it, which a build must neither delete nor write into."""
    folder = kb.root.parent / "outside-out"
    folder.mkdir(exist_ok=True)
    (folder / "keep.txt").write_text(CANARY, encoding="utf-8")
    return folder


@maker
def build_links_outside(kb: KB, marker: Path) -> None:
    (kb.root / "build").symlink_to(_outside_folder(kb), target_is_directory=True)


@maker
def site_links_outside(kb: KB, marker: Path) -> None:
    (kb.root / "site").symlink_to(_outside_folder(kb), target_is_directory=True)


@maker
def staging_links_outside(kb: KB, marker: Path) -> None:
    (kb.root / "build").mkdir()
    (kb.root / "build" / "staging").symlink_to(_outside_folder(kb), target_is_directory=True)


@maker
def site_links_into_notes(kb: KB, marker: Path) -> None:
    (kb.root / "site").symlink_to(kb.root / "notes", target_is_directory=True)


@maker
def build_dangling_link(kb: KB, marker: Path) -> None:
    (kb.root / "build").symlink_to(kb.root.parent / "not-there", target_is_directory=True)


@maker
def build_is_a_file(kb: KB, marker: Path) -> None:
    (kb.root / "build").write_text("not a folder\n", encoding="utf-8")


@maker
def site_is_a_file(kb: KB, marker: Path) -> None:
    (kb.root / "site").write_text("not a folder\n", encoding="utf-8")


@maker
def staging_is_a_file(kb: KB, marker: Path) -> None:
    kb.write("build/staging", "not a folder\n")


@maker
def search_links_outside(kb: KB, marker: Path) -> None:
    (kb.root / "build").mkdir()
    (kb.root / "build" / "search").symlink_to(_outside_folder(kb), target_is_directory=True)


@maker
def search_is_a_file(kb: KB, marker: Path) -> None:
    kb.write("build/search", "not a folder\n")


# --- running a case -------------------------------------------------------------------------------


def place(case: dict[str, Any], kb: KB, marker: Path) -> int:
    """Put the case's input into the knowledge base; return the line offset of appended bytes."""
    if "make" in case:
        return MAKERS[case["make"]](kb, marker) or 0
    if "edit" in case:  # [pattern, replacement] applied once to the data file `to`
        return _edit(kb, case["to"], case["edit"][0], case["edit"][1].replace("@MARKER@", str(marker)))
    to = case.get("to", NOTE)
    data = (HOSTILE / f"{case['id']}{Path(to).suffix}").read_bytes().replace(b"@MARKER@", str(marker).encode())
    path = kb.root / to
    path.parent.mkdir(parents=True, exist_ok=True)
    if case.get("mode") == "append":
        original = path.read_bytes()
        path.write_bytes(original + data)
        return original.count(b"\n")
    path.write_bytes(data)
    return 0


def expected(case: dict[str, Any], offset: int) -> list[tuple[str, str, int, int]]:
    """The case's expected errors as (code, path, line, col)."""
    out = []
    for entry in case["expect"]:
        if counted := _COUNT_RE.match(entry):
            out += [(counted.group(2), counted.group(3) or case.get("to", NOTE), -1, -1)] * int(counted.group(1))
            continue
        found = _EXPECT_RE.match(entry)
        assert found, f"{case['id']}: cannot read expectation {entry!r}"
        code, plus, line, col, path = found.groups()
        out.append((code, path or case.get("to", NOTE), int(line) + (offset if plus else 0), int(col)))
    return sorted(out)


def snapshot(root: Path, tops: tuple[str, ...] = ("notes", "data")) -> dict[str, str]:
    """Every file, folder and link under notes/ and data/, with a hash of its content (links are not followed)."""
    seen: dict[str, str] = {}
    for top in tops:
        start = root / top
        if start.is_symlink():
            seen[top] = "link:" + os.readlink(start)
            continue
        for folder, dirs, files in os.walk(start):
            for name in sorted(dirs + files):
                path = Path(folder) / name
                rel = path.relative_to(root).as_posix()
                if path.is_symlink():
                    seen[rel] = "link:" + os.readlink(path)
                elif path.is_fifo():
                    seen[rel] = "fifo"
                elif path.is_file():
                    seen[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
                else:
                    seen[rel] = "dir"
    return seen


def run_check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]], str]:
    """`papernotes check --format json` in-process: exit code, diagnostics, stderr."""
    capsys.readouterr()
    code = main(["--root", str(root), "check", "--format", "json"])
    out, err = capsys.readouterr()
    assert out, (code, err)
    return code, json.loads(out), err


_LINE_RE = re.compile(r"^(.*):(\d+):(\d+): (error|warning) (PN\d{3}) ")


def run_command(root: Path, command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]], str]:
    """`papernotes stage` or `build` in-process: exit code, the diagnostics it printed (one per line), stderr."""
    capsys.readouterr()
    code = main(["--root", str(root), command])
    out, err = capsys.readouterr()
    found = [m for line in (out + err).splitlines() if (m := _LINE_RE.match(line))]
    return code, [{"path": m[1], "line": int(m[2]), "col": int(m[3]), "severity": m[4], "code": m[5]} for m in found], err


CHECKED = [c for c in CASES if "command" not in c]
COMMANDS = [c for c in CASES if "command" in c]


@pytest.mark.parametrize("case", COMMANDS, ids=[c["id"] for c in COMMANDS])
def test_output_folder_is_refused(case: dict[str, Any], kb: KB, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`stage` or `build` with an output folder that is not ours exits 2 with the expected errors; nothing is written or deleted anywhere."""
    kb.write(NOTE, note_text())
    place(case, kb, tmp_path / "payload-ran")
    outside = kb.root.parent / "outside-out"
    before = snapshot(kb.root, ("notes", "data", "build", "site")), snapshot(kb.root.parent, ("outside-out",)) if outside.exists() else {}
    code, diags, err = run_command(kb.root, case["command"], capsys)
    assert "Traceback" not in err and code == case.get("exit", 2), err
    assert sorted((d["code"], d["path"], d["line"], d["col"]) for d in diags if d["severity"] == "error") == expected(case, 0)
    after = snapshot(kb.root, ("notes", "data", "build", "site")), snapshot(kb.root.parent, ("outside-out",)) if outside.exists() else {}
    assert after == before
    assert not [p for p in kb.root.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("case", CHECKED, ids=[c["id"] for c in CHECKED])
def test_hostile_input_is_caught(case: dict[str, Any], kb: KB, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The input fails check with exactly the expected errors at their lines; nothing changes, nothing runs."""
    if case.get("needs") == "libyaml" and not yaml.__with_libyaml__:
        pytest.skip("the expected line comes from libyaml's nesting limit")
    marker = tmp_path / "payload-ran"
    offset = place(case, kb, marker)
    before = snapshot(kb.root)
    code, diags, err = run_check(kb.root, capsys)
    assert "Traceback" not in err and "internal error" not in err, err
    assert code == 1
    errors = [d for d in diags if d["severity"] == "error"]
    assert all(d["path"] and d["line"] >= 0 and d["col"] >= 0 for d in errors)
    wanted = expected(case, offset)
    counted = {(code, path) for code, path, line, _ in wanted if line == -1}  # 'N x CODE': N distinct places, not listed
    assert len({(d["code"], d["path"], d["line"], d["col"]) for d in errors if (d["code"], d["path"]) in counted}) == sum(w[2] == -1 for w in wanted)
    found = [(d["code"], d["path"], -1, -1) if (d["code"], d["path"]) in counted else (d["code"], d["path"], d["line"], d["col"]) for d in errors]
    assert sorted(found) == wanted
    assert snapshot(kb.root) == before
    assert not marker.exists()
    # the check shared between processes finds what the single-process one finds
    assert check(kb.root, workers=2, corpus=False).diagnostics == check(kb.root, workers=1).diagnostics
    assert not marker.exists()


# --- the corpus itself ----------------------------------------------------------------------------

FAMILIES = {
    "enc": "encoding",
    "fm": "front-matter shape",
    "yaml": "YAML",
    "id": "tags and ids",
    "body": "body",
    "data": "data files",
    "out": "output folders",
}


def family(case: dict[str, Any]) -> str:
    prefix = case["id"].split("-")[0]
    return "data" if prefix in {"bib", "tags", "survey", "chart", "data"} else prefix


def test_corpus_covers_every_family() -> None:
    """At least 200 cases with unique ids, at least 60 of them for data files and output folders, and every family represented."""
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 200 and len(set(ids)) == len(ids)
    assert sum(family(c) in {"data", "out"} for c in CASES) >= 60
    assert {family(c) for c in CASES} == set(FAMILIES)


def test_every_corpus_file_and_maker_is_used() -> None:
    """Each file under tests/hostile/ and each maker belongs to exactly one case."""
    used = {f"{c['id']}{Path(c.get('to', NOTE)).suffix}" for c in CASES if "make" not in c and "edit" not in c}
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name not in {"cases.yaml", ".gitattributes"}}
    assert used == on_disk
    assert sorted(c["make"] for c in CASES if "make" in c) == sorted(MAKERS)


# --- what must be accepted ------------------------------------------------------------------------


def test_clean_knowledge_base_passes(kb: KB, capsys: pytest.CaptureFixture[str]) -> None:
    """Without hostile input the same knowledge base passes, so each case's exit 1 is its own doing."""
    kb.write(NOTE, note_text())
    code, diags, _ = run_check(kb.root, capsys)
    assert code == 0 and not [d for d in diags if d["severity"] == "error"]


def test_bom_and_crlf_are_accepted(kb: KB) -> None:
    """A UTF-8 byte-order mark and CRLF line endings pass and stage exactly like the plain file."""
    plain = note_text()
    kb.write(NOTE, plain)
    expected_pages = stage_files(kb.check())
    kb.write(NOTE, b"\xef\xbb\xbf" + plain.replace("\n", "\r\n").encode())
    result = kb.check()
    assert result.errors == 0
    assert stage_files(result) == expected_pages


# --- links out of the repository ------------------------------------------------------------------


@pytest.mark.parametrize("make", ["symlink_note_outside", "symlink_part_outside", "symlink_bibliography", "symlink_intro_outside"])
def test_symlink_target_never_reaches_the_site(make: str, kb: KB, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A link out of the repository is never read: its secret is in no staged file, and stage refuses to run."""
    kb.write("notes/agents/good.md", note_text())
    MAKERS[make](kb, tmp_path / "unused")
    result = check(kb.root, workers=1)
    assert result.errors > 0
    if result.corpus is not None:
        assert not [rel for rel, text in stage_files(result).items() if CANARY in text]
    assert main(["--root", str(kb.root), "stage"]) == 1
    assert not (kb.root / "build").exists()
    assert CANARY not in capsys.readouterr().out


# --- build ----------------------------------------------------------------------------------------


def site_hashes(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def test_build_refuses_an_invalid_knowledge_base(kb: KB) -> None:
    """`papernotes build` on a knowledge base with a hostile note stops before staging and writes no site."""
    kb.write(NOTE, (HOSTILE / "body-script.md").read_bytes())
    assert main(["--root", str(kb.root), "build"]) == 1
    assert not (kb.root / "site").exists() and not (kb.root / "build").exists()


def test_failed_build_leaves_the_previous_site(kb: KB) -> None:
    """After a good build, a build refused by check and a build failed by mkdocs both leave site/ byte for byte."""
    kb.write(NOTE, note_text())
    assert main(["--root", str(kb.root), "build"]) == 0
    site = kb.root / "site"
    before = site_hashes(site)
    assert "agents/hostile/index.html" in before

    kb.write(NOTE, (HOSTILE / "body-script.md").read_bytes())
    assert main(["--root", str(kb.root), "build"]) == 1
    assert site_hashes(site) == before

    kb.write(NOTE, note_text(title="A retitled note"))
    config = kb.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nnot_a_mkdocs_option: 1\n", encoding="utf-8")
    assert main(["--root", str(kb.root), "build"]) == 1
    assert "A retitled note" in (kb.root / "build" / "staging" / "agents" / "hostile.md").read_text(encoding="utf-8")  # mkdocs ran, and failed
    assert site_hashes(site) == before
    assert not [p.name for p in (kb.root / "build").iterdir() if p.name.startswith(".site-")]
