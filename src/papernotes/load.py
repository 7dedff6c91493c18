"""Stage 1, load: find the notes and parts, read each file safely, parse its front matter and body.

`load_note` is a pure function of one file, so the conductor can share a large knowledge base between
processes. Every kind of authored file is read here, with the same safe reading: notes, part pages and
the introductions of generated pages; what was read is described by the records (`records`).
"""

from __future__ import annotations

import codecs
import errno
import operator
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from papernotes.body import scan_body
from papernotes.diagnostics import Diagnostic, Rule, diag
from papernotes.fmcheck import declared, validate_mapping
from papernotes.frontmatter import Split, parse_yaml, split_front_matter
from papernotes.kinds import Field
from papernotes.pages import INTRO_FOLDERS, intro_problem, intro_sites
from papernotes.paths import RESERVED_PARTS, SLUG_RE, SitePath, SourcePath, note_site, note_source, part_index_site, suggest_slug
from papernotes.records import Intro, KnowledgeData, Note, NoteFile, NoteMeta, Part
from papernotes.schema import NOTE_FIELDS, PART_FIELDS

MAX_NOTE_BYTES = 512 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; elsewhere read_text asks islink() first
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NAME = operator.attrgetter("name")


def discover(root: Path) -> tuple[list[str], list[NoteFile], list[Diagnostic]]:
    """List part folders and note files under `notes/`, refusing links and misplaced files."""
    notes_dir = root / "notes"
    parts: list[str] = []
    files: list[NoteFile] = []
    diags: list[Diagnostic] = []
    if notes_dir.is_symlink():
        return parts, files, [diag("symlink", "notes", 0, 0, "notes/ is a symbolic link; links are rejected and never followed")]
    if not notes_dir.is_dir():
        return parts, files, [diag("bad-location", "notes", 0, 0, "there is no notes/ folder")]
    for entry in sorted(os.scandir(notes_dir), key=lambda e: e.name):
        shown = f"notes/{entry.name}"
        if entry.is_symlink():
            diags.append(diag("symlink", shown, 0, 0, "symbolic links are not allowed under notes/"))
            continue
        if entry.is_file():
            if entry.name.endswith(".md") and entry.name != "index.md":  # notes/index.md introduces the home page
                diags.append(diag("bad-location", shown, 0, 0, "a note must sit in a part folder: notes/<part>/<slug>.md"))
            continue
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        if entry.name in INTRO_FOLDERS:
            continue  # introductions of generated pages: see discover_intros
        if entry.name in RESERVED_PARTS:
            diags.append(diag("reserved-part", shown, 0, 0, f"'{entry.name}' is reserved for a generated page", "rename the folder"))
            continue
        if not SLUG_RE.match(entry.name):
            diags.append(diag("bad-location", shown, 0, 0, "part folder names must be lowercase kebab-case"))
            continue
        parts.append(entry.name)
        files.extend(_part_files(notes_dir / entry.name, entry.name, diags))
    return parts, files, diags


def _part_files(folder: Path, part: str, diags: list[Diagnostic]) -> Iterable[NoteFile]:
    has_index = False
    for entry in sorted(os.scandir(folder), key=_NAME):
        name, slug = entry.name, entry.name[:-3]
        if entry.is_file(follow_symlinks=False) and name.endswith(".md") and name != "index.md" and SLUG_RE.match(slug):
            yield NoteFile(part, slug, note_source(part, slug))  # a note: the common case, as the steps below find it
            continue
        shown = f"notes/{part}/{name}"
        if entry.is_symlink():
            diags.append(diag("symlink", shown, 0, 0, "symbolic links are rejected and never followed"))
            continue
        if entry.is_dir():
            if not entry.name.startswith("."):
                diags.append(diag("bad-location", shown, 0, 0, "parts have no subfolders; put the note at notes/<part>/<slug>.md"))
            continue
        if not entry.name.endswith(".md"):
            continue
        if entry.name == "index.md":
            has_index = True
            continue
        if not entry.is_file(follow_symlinks=False):  # from the folder listing: no call, and never opened
            diags.append(_not_regular(shown))
            continue
        if not SLUG_RE.match(slug):
            diags.append(diag("bad-location", shown, 0, 0, f"'{slug}' is not a lowercase kebab-case slug", f"rename it to {suggest_slug(slug) or 'note'}.md"))
            continue
        yield NoteFile(part, slug, note_source(part, slug))
    if not has_index:
        diags.append(diag("missing-part-index", f"notes/{part}", 0, 0, f"part '{part}' has no index.md", "add one with title, summary, order and covers"))


def discover_intros(root: Path) -> tuple[list[SourcePath], list[Diagnostic]]:
    """The Markdown files that may introduce a generated page: notes/index.md and those in the
    folders of generated pages (`pages.INTRO_FOLDERS`). Links are refused, never followed."""
    notes_dir = root / "notes"
    found: list[SourcePath] = []
    diags: list[Diagnostic] = []
    if notes_dir.is_symlink() or not notes_dir.is_dir():
        return found, diags  # reported by discover()
    for folder in sorted(INTRO_FOLDERS):
        path = notes_dir / folder
        if folder == "":
            home = notes_dir / "index.md"
            if home.is_symlink() or home.is_dir() or not os.path.lexists(home):
                continue  # a link, or a folder, is reported by discover()
            if home.is_file():
                found.append(SourcePath("notes/index.md"))
            else:
                diags.append(_not_regular("notes/index.md"))
            continue
        if path.is_symlink() or not path.is_dir():
            continue  # a link is reported by discover(); a file there is no folder of ours
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            shown = f"notes/{folder}/{entry.name}"
            if entry.is_symlink():
                diags.append(diag("symlink", shown, 0, 0, "symbolic links are rejected and never followed"))
            elif entry.is_dir():
                if not entry.name.startswith("."):
                    diags.append(diag("bad-location", shown, 0, 0, f"notes/{folder}/ has no subfolders: an introduction is a file notes/{folder}/<name>.md"))
            elif entry.name.endswith(".md"):
                if entry.is_file(follow_symlinks=False):
                    found.append(SourcePath(shown))
                else:
                    diags.append(_not_regular(shown))
    return found, diags


def load_intros(root: Path, data: KnowledgeData) -> tuple[list[Intro], list[Diagnostic]]:
    """Every introduction that names a generated page and loads; the problems of all of them. A file
    that names no page is refused (PN406) with the names it may take."""
    sources, diags = discover_intros(root)
    accepted = intro_sites(data)
    intros: list[Intro] = []
    for source in sources:
        problem = intro_problem(source, data, accepted)
        if problem is not None:
            diags.append(problem)
            continue
        intro, problems = load_intro(root, source)
        diags += problems
        if intro is not None:
            intros.append(intro)
    return intros, diags


def load_intro(root: Path, source: SourcePath) -> tuple[Intro | None, list[Diagnostic]]:
    """Read and scan one introduction. It has no front matter (the generated page has its title and
    description); a note's header pasted on top is reported, never shown."""
    text, diags = read_text(root, source)
    if text is None:
        return None, diags
    body, body_line = text, 1
    split = split_front_matter(text, source) if text.startswith("---") else None
    if isinstance(split, Split):
        body, body_line = split.body, split.body_line
        if split.yaml_text.strip():
            hint = "remove the lines from '---' to '---'"
            diags.append(diag("unknown-key", source, 2, 1, "an introduction has no front matter: the generated page has its own title", hint))
    scan = scan_body(body, body_line, source)
    diags.extend(scan.diags)
    return Intro(source, SitePath(source.removeprefix("notes/")), body, body_line, scan), diags


def _not_regular(source: str) -> Diagnostic:
    return diag("bad-location", source, 0, 0, "not a regular file (a FIFO, a device or a socket); it is never opened")


def read_text(root: Path, source: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a note as text: size, NUL, UTF-8 (a BOM is accepted) and line endings are handled here."""
    path = os.path.join(root, source)
    if not _NOFOLLOW and os.path.islink(path):
        return None, [diag("symlink", source, 0, 0, "symbolic links are rejected and never followed")]
    try:  # O_NOFOLLOW refuses a link; O_NONBLOCK keeps a FIFO (swapped in since `discover`) from blocking
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            return None, [diag("symlink", source, 0, 0, "symbolic links are rejected and never followed")]
        return None, [diag("bad-location", source, 0, 0, f"cannot read: {exc.strerror}")]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [_not_regular(source)]
        size = info.st_size
        if size > MAX_NOTE_BYTES:
            return None, [diag("file-too-large", source, 0, 0, f"file is {size:,} bytes; at most {MAX_NOTE_BYTES:,}")]
        if size == 0:
            return None, [diag("empty-file", source, 0, 0, "the file is empty")]
        raw = os.read(fd, size + 1)  # not MAX_NOTE_BYTES: a buffer that large costs more than the read
    finally:
        os.close(fd)
    if b"\x00" in raw:
        return None, [diag("binary-file", source, raw.count(b"\n", 0, raw.index(b"\x00")) + 1, 1, "the file contains NUL bytes; it is not text")]
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:  # what the utf-8-sig codec does (a BOM is dropped, then UTF-8), without its Python-level call
        text = raw[bom:].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = bom + exc.start  # the codec counts from after the BOM; the line and column are the file's
        line = raw.count(b"\n", 0, at) + 1
        col = at - (raw.rfind(b"\n", 0, at) + 1) + 1
        return None, [diag("not-utf8", source, line, col, f"byte 0x{raw[at]:02x} is not valid UTF-8", "save the file as UTF-8")]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def read_front_matter(text: str, source: str, fields: tuple[Field, ...], diags: list[Diagnostic]) -> tuple[dict[str, Any] | None, Split | None]:
    """Split, parse and validate front matter against `fields`; problems go to `diags`.

    Returns the values (None unless every required field is valid) and the split (None without front matter).
    """
    split = split_front_matter(text, source)
    if isinstance(split, Diagnostic):
        diags.append(split)
        return None, None
    node, problems = parse_yaml(split, source)
    diags.extend(problems)
    if node is None:
        return None, split
    values, problems = validate_mapping(node, fields, source)
    diags.extend(problems)
    if any(f.name not in values for f in declared(fields)[1]):
        return None, split
    return values, split


def load_note(root: Path, file: NoteFile) -> tuple[Note | None, list[Diagnostic]]:
    """Read, split, parse and scan one note; never raises on bad input."""
    text, diags = read_text(root, file.source)
    if text is None:
        return None, diags
    values, split = read_front_matter(text, file.source, NOTE_FIELDS, diags)
    if split is None:
        return None, diags
    scan = scan_body(split.body, split.body_line, file.source)
    diags.extend(scan.diags)
    if values is None:
        return None, diags
    meta = NoteMeta(**values)  # an absent optional key takes the record's default, the declared empty value
    note = Note(file.slug, file.part, file.source, note_site(file.part, file.slug), meta, split.body, split.body_line, scan)
    return note, diags


def load_parts(root: Path, names: list[str]) -> tuple[list[Part], list[Diagnostic]]:
    """Every part's index page that loads, and the problems of all of them."""
    parts: list[Part] = []
    diags: list[Diagnostic] = []
    for name in names:
        part, problems = load_part(root, name)
        diags += problems
        if part is not None:
            parts.append(part)
    return parts, diags


def load_part(root: Path, name: str) -> tuple[Part | None, list[Diagnostic]]:
    """Read a part's authored index.md."""
    source = SourcePath(f"notes/{name}/index.md")
    try:
        mode = os.lstat(root / source).st_mode
    except OSError:
        return None, []  # reported by discover()
    if not stat.S_ISREG(mode) and not stat.S_ISLNK(mode):
        return None, [_not_regular(source)]  # never opened
    text, diags = read_text(root, source)
    if text is None:
        return None, diags
    values, split = read_front_matter(text, source, PART_FIELDS, diags)
    if split is None or values is None:
        return None, diags
    scan = scan_body(split.body, split.body_line, source)
    diags.extend(scan.diags)
    return Part(name, values["title"], values["summary"], values["order"], values["covers"], split.body, source, part_index_site(name), scan), diags


# What reading the notes/ tree checks, in order: the layout of the folders (parts, introductions) before a file is opened, then each file's bytes.
FILE_RULES = (
    Rule("layout", ("bad-location", "symlink", "missing-part-index"), discover, reuses=("reserved-part",)),
    Rule("read", ("file-too-large", "empty-file", "binary-file", "not-utf8"), read_text, reuses=("symlink", "bad-location")),
    Rule("introduction-header", ("unknown-key",), load_intro),
)
