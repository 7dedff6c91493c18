"""Emit the whole staged tree from the linked corpus: a mapping of staged path to content.

Every emitter has one signature, `(corpus, context) -> {staged path: content}`, and is listed once,
in order, in `EMITTERS` with the declaration of the pages it writes (`papernotes.pages`, which the
link stage reads too). tests/test_pages.py fails when the two disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from papernotes import pages, paths
from papernotes.emit import glossary, listings, survey_map
from papernotes.emit.bibliography import bibliography_page
from papernotes.emit.context import LinkingSentences
from papernotes.emit.machine import chart_svgs, notes_json
from papernotes.emit.note_page import note_page
from papernotes.emit.prose import intro
from papernotes.records import Corpus


@dataclass(frozen=True)
class Context:
    """What the emitters share beside the corpus, worked out once."""

    coverage: survey_map.Coverage
    changed: Mapping[str, int] = field(default_factory=dict)  # a note's source path -> the time of its last commit, where git knows it


Files = dict[str, str]


@dataclass(frozen=True)
class Emitter:
    """The declaration of the pages it writes, and the function that writes them."""

    pages: pages.Pages
    emit: Callable[[Corpus, Context], Files]


def _home(corpus: Corpus, context: Context) -> Files:
    return {paths.HOME: listings.home_page(corpus, context.coverage, context.changed)}


def _notes(corpus: Corpus, context: Context) -> Files:
    sentences = LinkingSentences()
    return {note.site: note_page(note, corpus, sentences) for note in corpus.notes}


def _parts(corpus: Corpus, context: Context) -> Files:
    return {part.site: listings.part_page(part, corpus) for part in corpus.parts}


def _tag_index(corpus: Corpus, context: Context) -> Files:
    return {paths.TAG_INDEX: listings.tag_index(corpus)}


def _tags(corpus: Corpus, context: Context) -> Files:
    return {paths.tag_site(tag): listings.tag_page(tag, corpus) for tag in corpus.data.vocab.tags}


def _survey_map(corpus: Corpus, context: Context) -> Files:
    return {paths.SURVEY_MAP: survey_map.survey_map(corpus, context.coverage)}


def _coverage_chart(corpus: Corpus, context: Context) -> Files:
    return {paths.COVERAGE_SVG: survey_map.coverage_svg(corpus, context.coverage)}


def _bibliography(corpus: Corpus, context: Context) -> Files:
    return {paths.BIBLIOGRAPHY: bibliography_page(corpus)}


def _glossary(corpus: Corpus, context: Context) -> Files:
    return {paths.GLOSSARY: glossary.glossary_page(corpus)}


def _sources(corpus: Corpus, context: Context) -> Files:
    return {paths.SOURCES: glossary.sources_page(corpus)}


def _explore(corpus: Corpus, context: Context) -> Files:
    return {paths.EXPLORE: listings.explore_page(corpus)}


def _checks(corpus: Corpus, context: Context) -> Files:
    return {paths.CHECKS: listings.checks_page(intro(corpus, paths.CHECKS))}


def _notes_json(corpus: Corpus, context: Context) -> Files:
    return {paths.NOTES_JSON: notes_json(corpus)}


def _charts(corpus: Corpus, context: Context) -> Files:
    return chart_svgs(corpus)


EMITTERS: tuple[Emitter, ...] = (
    Emitter(pages.HOME, _home),
    Emitter(pages.NOTE_PAGES, _notes),
    Emitter(pages.PART_PAGES, _parts),
    Emitter(pages.TAG_INDEX, _tag_index),
    Emitter(pages.TAG_PAGES, _tags),
    Emitter(pages.SURVEY_MAP, _survey_map),
    Emitter(pages.COVERAGE_CHART, _coverage_chart),
    Emitter(pages.BIBLIOGRAPHY, _bibliography),
    Emitter(pages.GLOSSARY, _glossary),
    Emitter(pages.SOURCES, _sources),
    Emitter(pages.EXPLORE, _explore),
    Emitter(pages.CHECKS, _checks),
    Emitter(pages.NOTES_JSON, _notes_json),
    Emitter(pages.CHARTS, _charts),
)


def emit_site(corpus: Corpus, changed: Mapping[str, int] | None = None) -> Files:
    """Every generated file; nothing is written here. `changed` maps a note's source path to the
    time of its last commit, where git knows it."""
    context = Context(survey_map.coverage(corpus), changed or {})
    files: Files = {}
    for emitter in EMITTERS:
        written = emitter.emit(corpus, context)
        if not files.keys().isdisjoint(written):
            raise ValueError(f"{emitter.pages.name}: {sorted(files.keys() & written.keys())[0]} is written twice")
        files.update(written)
    return dict(sorted(files.items()))
