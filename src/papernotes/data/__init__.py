"""The knowledge base's data files: one loader per file (survey.yaml, tags.yaml, references.bib,
the charts; the registries in `papernotes.registries`), each returning frozen records
(`papernotes.records`) and diagnostics. The fields each file may hold are declared in `schema.py`.
"""

from __future__ import annotations

from pathlib import Path

from papernotes.codes import Severity
from papernotes.data.bibliography import load_references
from papernotes.data.charts import load_charts
from papernotes.data.survey import load_survey
from papernotes.data.tags import load_vocabulary
from papernotes.diagnostics import Diagnostic, Rule, diag
from papernotes.records import KnowledgeData
from papernotes.registries import glossary_notes, load_glossary, load_sources, unused_terms
from papernotes.yamlfile import read_yaml_file


def load_data(root: Path) -> tuple[KnowledgeData | None, list[Diagnostic]]:
    """Load every data file; None when one the engine cannot do without is unusable."""
    if (root / "data").is_symlink():
        return None, [diag("data-file", "data", 0, 0, "data/ is a symbolic link; links are rejected and never followed")]
    survey, d1 = load_survey(root / "data" / "survey.yaml")
    vocab, d2 = load_vocabulary(root / "data" / "tags.yaml")
    refs, d3 = load_references(root / "data" / "references.bib")
    charts, d4 = load_charts(root / "data" / "charts")
    sources, d5 = load_sources(root)
    diags = [*d1, *d2, *d3, *d4, *d5]
    if survey is None or vocab is None:
        return None, diags
    # a broken table of contents is reported once, not again for every glossary term that names a section
    glossary, d6 = load_glossary(root, None if any(d.severity is Severity.ERROR for d in d1) else survey.by_number)
    return KnowledgeData(survey, vocab, refs, charts, sources, glossary), [*diags, *d6]


# What the data files are checked for, in the order load_data reads them; the last two run once the notes
# are read (link.corpus_warnings), since they ask what the notes use.
DATA_RULES = (
    Rule("yaml-files", ("unsafe-data-text",), read_yaml_file, reuses=("data-file",)),
    Rule("data-files", ("data-file",), load_data),
    Rule("bibliography", ("bibliography",), load_references),
    Rule("chart-numbers", ("bad-number",), load_charts, reuses=("data-file",)),
    Rule("glossary", ("glossary",), load_glossary, reuses=("data-file",)),
    Rule("unused-glossary-terms", ("unused-glossary-term",), unused_terms),
    Rule("glossary-notes", ("glossary-note",), glossary_notes),
)
