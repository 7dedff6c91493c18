"""data/survey.yaml: the survey's identity, pinned to one version, and its table of contents."""

from __future__ import annotations

from pathlib import Path

from papernotes.diagnostics import Diagnostic, diag
from papernotes.frontmatter import YNode
from papernotes.records import Section, Survey, Topic
from papernotes.schema import SECTION_FIELDS, SURVEY_FIELDS, TOPIC_FIELDS
from papernotes.yamlfile import get_entry, map_entries, plain, read_yaml_file

_SURVEY = {f.name: f for f in SURVEY_FIELDS}
_SECTION = {f.name: f for f in SECTION_FIELDS}


def load_survey(path: Path, shown: str = "data/survey.yaml") -> tuple[Survey | None, list[Diagnostic]]:
    """Read the survey's identity and table of contents."""
    root, diags = read_yaml_file(path, shown)
    if root is None:
        return None, diags
    ident = get_entry(root, "survey")
    secs = get_entry(root, "sections")
    if ident is None or ident.value.kind != "map" or secs is None or secs.value.kind != "seq":
        return None, [*diags, diag("data-file", shown, 1, 1, "needs a 'survey' mapping and a 'sections' list")]
    info = plain(ident.value)
    missing = [f.name for f in SURVEY_FIELDS if f.required and f.name not in info]
    if missing:
        return None, [*diags, diag("data-file", shown, ident.line, ident.col, f"'survey' lacks {', '.join(missing)}")]
    wrong = [
        diag("data-file", shown, e.line, e.col, f"survey.{e.key} {reason}")
        for e in map_entries(ident.value)
        if e.key in _SURVEY and (reason := _SURVEY[e.key].kind.problem(info[e.key]))
    ]
    if wrong:
        return None, [*diags, *wrong]
    sections: list[Section] = []
    seen: dict[str, int] = {}
    assert isinstance(secs.value.value, tuple)
    for item in secs.value.value:
        assert isinstance(item, YNode)
        sec = _section(item, shown, diags)
        if sec is None:
            continue
        if sec.number in seen:
            diags.append(diag("data-file", shown, item.line, item.col, f"section {sec.number} is listed twice (first on line {seen[sec.number]})"))
            continue
        seen[sec.number] = item.line
        sections.append(sec)
    sections.sort(key=lambda s: s.key)
    for sec in sections:
        if sec.parent and sec.parent not in seen:
            diags.append(diag("data-file", shown, seen[sec.number], 1, f"section {sec.number} has no parent section {sec.parent}"))
    found = get_entry(root, "sources")
    raw_sources = plain(found.value) if found else {}
    if not isinstance(raw_sources, dict):
        diags.append(diag("data-file", shown, found.line if found else 1, found.col if found else 1, "'sources' must be a mapping"))
        raw_sources = {}
    sources = tuple((k, str(v.get("what", "")), str(v.get("where", ""))) for k, v in raw_sources.items() if isinstance(v, dict))
    survey = Survey(
        arxiv=str(info["arxiv"]),
        version=int(info["version"]),
        title=str(info["title"]),
        short_title=str(info.get("short_title", info["title"])),
        authors=tuple(str(a) for a in info["authors"]),
        date=str(info["date"]),
        first_submitted=str(info.get("first_submitted", "")),
        pages=int(info.get("pages", 0)),
        doi=str(info.get("doi", "")),
        sections=tuple(sections),
        sources=sources,
        by_number={s.number: s for s in sections},
    )
    return survey, diags


def _section(item: YNode, shown: str, diags: list[Diagnostic]) -> Section | None:
    data = plain(item)
    if not isinstance(data, dict):
        diags.append(diag("data-file", shown, item.line, item.col, "a section must be a mapping"))
        return None
    number = data.get("number")
    if reason := _SECTION["number"].kind.problem(number):
        diags.append(diag("data-file", shown, item.line, item.col, f"section number {number!r} {reason}"))
        return None
    if any(f.kind.problem(data.get(f.name)) for f in SECTION_FIELDS if f.required):
        diags.append(
            diag("data-file", shown, item.line, item.col, f"section {number} needs a title, confidence (seen|inferred) and title_wording (exact|translated)")
        )
        return None
    for e in map_entries(item):  # a bad optional field is reported and dropped; the section stays (its children need it)
        f = _SECTION.get(e.key)
        if f is not None and not f.required and (reason := f.kind.problem(data[e.key])):
            diags.append(diag("data-file", shown, e.line, e.col, f"section {number}: '{e.key}' {reason}"))
            del data[e.key]
    values = {f.name: f.value_in(data) for f in SECTION_FIELDS}
    values["sources"] = tuple(values["sources"])
    values["topics"] = tuple(Topic(**{f.name: f.value_in(t) for f in TOPIC_FIELDS}) for t in values["topics"])
    return Section(**values)
