"""The registry of diagnostic codes: one stable code, a kebab-case name, a severity, one line of doc.

The site's "checks" page is generated from this table, and a test fails when a code the engine
emits is missing from it. Codes are grouped by hundreds:

- PN0xx reading a file (encoding, size, shape)
- PN1xx front matter (YAML and schema)
- PN2xx links, citations and survey references in the body
- PN3xx unsafe or raw HTML
- PN4xx the knowledge base as a whole (ids, data files)
- PN5xx content quality (length, citations, summary)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors fail `check`; warnings fail it only under `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """One kind of problem the checker reports."""

    code: str
    name: str
    severity: Severity
    doc: str


E, W = Severity.ERROR, Severity.WARNING

_ALL = [
    # --- reading files
    Code("PN001", "not-utf8", E, "The file is not valid UTF-8; save it as UTF-8."),
    Code("PN002", "binary-file", E, "The file contains NUL bytes, so it is not a text note."),
    Code("PN003", "file-too-large", E, "The note is larger than the 512 KiB a note may be."),
    Code("PN004", "empty-file", E, "The file is empty."),
    Code("PN005", "symlink", E, "Notes must be regular files; symbolic links are rejected and never followed."),
    Code("PN006", "bad-location", E, "A note must sit at notes/<part>/<slug>.md, with a lowercase kebab-case slug."),
    Code("PN007", "line-too-long", E, "A line is longer than 10,000 characters."),
    Code("PN008", "missing-part-index", E, "A part folder has no index.md giving its title and introduction."),
    # --- front matter
    Code("PN101", "no-front-matter", E, "The note does not start with YAML front matter between '---' lines."),
    Code("PN102", "unclosed-front-matter", E, "The front matter starts with '---' but never closes."),
    Code("PN103", "yaml-syntax", E, "The front matter is not valid YAML."),
    Code("PN104", "front-matter-not-mapping", E, "The front matter must be a mapping of keys to values."),
    Code("PN105", "duplicate-key", E, "A key appears twice in the front matter; YAML would silently keep the last."),
    Code("PN106", "yaml-coercion", E, "An unquoted value that YAML 1.1 reads as a boolean, number, date or null where text is expected (quote it)."),
    Code("PN107", "unknown-key", E, "A front-matter key that the schema does not know (typos must not pass silently)."),
    Code("PN108", "missing-key", E, "A required front-matter key is missing."),
    Code("PN109", "wrong-type", E, "A front-matter value has the wrong type or shape."),
    Code("PN110", "yaml-unsafe", E, "Anchors, aliases, merge keys and custom or Python tags are not allowed in front matter."),
    Code("PN111", "front-matter-too-large", E, "The front matter is larger than 64 KiB or nested too deeply."),
    Code("PN112", "non-string-key", E, "A front-matter key is not a plain string (for example 'on:' or '2020:')."),
    Code("PN113", "unknown-tag", E, "A tag that is not in data/tags.yaml."),
    Code("PN114", "tag-alias", W, "A tag given by one of its aliases; use the canonical tag."),
    Code("PN115", "unknown-section", E, "A survey section that is not in data/survey.yaml."),
    Code("PN116", "invalid-value", E, "A front-matter value breaks a rule of its field (length, pattern, allowed values)."),
    Code("PN117", "suspicious-characters", E, "Invisible, bidirectional or mixed-script characters in an identifier."),
    Code("PN118", "duplicate-item", W, "The same item is listed twice in a front-matter list."),
    # --- body
    Code("PN201", "unknown-citation", E, "A citation key that is not in data/references.bib."),
    Code("PN202", "unknown-section-ref", E, "An inline §-reference to a section that is not in data/survey.yaml."),
    Code("PN203", "broken-link", E, "A relative link to a page that does not exist."),
    Code("PN204", "broken-anchor", E, "A link to a heading anchor that does not exist on the target page."),
    Code("PN205", "link-outside-site", E, "A link that leaves the site's folder (for example ../../etc/passwd) or uses an absolute path."),
    Code("PN206", "body-h1", W, "The body has a level-1 heading; the page title comes from the front matter."),
    Code("PN207", "unknown-chart", E, "An image of a chart that is not defined in data/charts/."),
    Code(
        "PN208",
        "citation-after-brackets",
        E,
        "A [@key] citation right after ']' would be read as a reference link ([text][@key]); put a space or words between them.",
    ),
    Code("PN209", "blank-in-link-target", E, "A link target with a space or tab (not a quoted title); percent-encode it as %20."),
    Code(
        "PN210",
        "render-budget",
        E,
        "The body would take the renderer too long or nest too deep (too many brackets in one paragraph, too deep a quote); split or simplify it.",
    ),
    Code("PN211", "link-in-heading", E, "A link inside a heading; headings are not checked for links, so put the link in the text below."),
    Code(
        "PN220",
        "math-command",
        E,
        "A TeX command in $…$ or $$…$$ that is not on the allowlist of math commands (\\href, \\style, \\color… could reach the page).",
    ),
    Code("PN221", "math-character", E, "A character that is not allowed in TeX math, such as < > & or a quote (write \\lt, \\gt or a command)."),
    Code("PN222", "math-invalid", E, "TeX math that does not convert to MathML (for example an unclosed brace)."),
    # --- HTML
    Code("PN301", "unsafe-html", E, "HTML that can run script or load active content (<script>, <iframe>, <object>, <embed>, <svg>, <style>, on* attributes)."),
    Code("PN302", "raw-html", E, "Raw HTML is not allowed in notes; write Markdown."),
    Code("PN303", "unsafe-url", E, "A link or image URL with a scheme that can run code or embed content (javascript:, data:, vbscript:, file:)."),
    # --- knowledge base
    Code("PN401", "duplicate-id", E, "Two notes share one id (slugs are compared case-insensitively across all parts)."),
    Code("PN402", "data-file", E, "A data file (survey.yaml, tags.yaml, sources.yaml, glossary.yaml, a chart) is missing or malformed."),
    Code("PN403", "bibliography", E, "references.bib has a syntax error, a duplicate key or an oversized field."),
    Code("PN404", "uncited-reference", W, "A references.bib entry that no note cites."),
    Code("PN405", "unused-tag", W, "A tag in data/tags.yaml that fewer than two notes use (a tag must group notes)."),
    Code(
        "PN406",
        "reserved-part",
        E,
        "A folder under notes/ reserved for generated pages, or a file in one (notes/tags/, notes/survey/…) that introduces none of them: notes/tags/<tag>.md is named after a tag.",
    ),
    Code(
        "PN407",
        "unsafe-data-text",
        E,
        "Text in a data file with a control or bidirectional character, a line break where one line is meant, HTML markup, or too long.",
    ),
    Code("PN408", "bad-number", E, "A number in a data file that is not finite, is out of its range, or is too long to be a number."),
    Code("PN409", "output-folder", E, "build/ or site/ is a symbolic link, a file, or lies outside the repository: the build refuses to write there."),
    Code("PN440", "unknown-source", E, "A note's basis names a source that is not in data/sources.yaml."),
    Code("PN441", "glossary", E, "A data/glossary.yaml entry is malformed, spelled twice, or names a survey section that does not exist."),
    Code("PN442", "unused-glossary-term", W, "A glossary term that no note uses, by any of its spellings."),
    Code("PN443", "glossary-note", W, "A glossary term's best explanation names a note that does not exist."),
    # --- content quality
    Code("PN501", "note-length", W, "The body is outside 250-900 words."),
    Code("PN502", "few-citations", W, "A note (other than a chapter overview) cites fewer than two works."),
    Code("PN503", "summary-sentence", W, "The summary should be one sentence ending with a period."),
    Code("PN504", "missing-basis", W, "A reviewed note does not name the sources it rests on (basis) or how sure it is (confidence)."),
]

REGISTRY: dict[str, Code] = {c.code: c for c in _ALL}
BY_NAME: dict[str, Code] = {c.name: c for c in _ALL}


def lookup(name: str) -> Code:
    """Return the code registered under a kebab-case name; a missing name is a bug."""
    return BY_NAME[name]
