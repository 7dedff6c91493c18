"""Emit the whole staged tree from the linked corpus: a mapping of staged path to content."""

from __future__ import annotations

from collections.abc import Mapping

from papernotes import paths
from papernotes.emit import glossary, listings, survey_map
from papernotes.emit.bibliography import bibliography_page
from papernotes.emit.machine import chart_svgs, notes_json
from papernotes.emit.note_page import note_page
from papernotes.link import Corpus


def emit_site(corpus: Corpus, changed: Mapping[str, int] | None = None) -> dict[str, str]:
    """Every generated file; nothing is written here. `changed` maps a note's source path to the
    time of its last commit, where git knows it."""
    cov = survey_map.coverage(corpus)
    files: dict[str, str] = {
        paths.HOME: listings.home_page(corpus, cov, changed or {}),
        paths.TAG_INDEX: listings.tag_index(corpus),
        paths.SURVEY_MAP: survey_map.survey_map(corpus, cov),
        survey_map.COVERAGE_SVG: survey_map.coverage_svg(corpus, cov),
        paths.BIBLIOGRAPHY: bibliography_page(corpus),
        paths.CHECKS: listings.checks_page(),
        paths.GLOSSARY: glossary.glossary_page(corpus),
        paths.SOURCES: glossary.sources_page(corpus),
        paths.EXPLORE: listings.explore_page(corpus),
        paths.NOTES_JSON: notes_json(corpus),
    }
    for part in corpus.parts:
        files[part.site] = listings.part_page(part, corpus)
    for tag in corpus.data.vocab.tags:
        files[paths.tag_site(tag)] = listings.tag_page(tag, corpus)
    for note in corpus.notes:
        files[note.site] = note_page(note, corpus)
    files.update(chart_svgs(corpus))
    return dict(sorted(files.items()))
