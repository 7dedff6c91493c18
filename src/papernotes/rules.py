"""Every check of the engine in one list: the stages in the order a build runs them, each with the
modules that hold its checks and its literal tuple of rules (`Rule`: a name, the codes it declares,
the function that runs it).

A code of the registry (codes.py) is declared by exactly one rule; a rule may also reuse a code that
another declares. tests/test_rules.py holds this, and reads each module for the codes it emits.
"""

from __future__ import annotations

from typing import NamedTuple

from papernotes.body import BODY_RULES
from papernotes.data import DATA_RULES
from papernotes.diagnostics import Rule
from papernotes.engine.staging import OUTPUT_RULES
from papernotes.fmcheck import SCHEMA_RULES
from papernotes.frontmatter import FRONT_MATTER_RULES
from papernotes.link import CORPUS_RULES
from papernotes.load import FILE_RULES
from papernotes.pages import PAGE_RULES
from papernotes.validate import NOTE_RULES


class Stage(NamedTuple):
    """One stage: its name, the modules (relative to the package) whose diagnostics its rules declare, and the rules."""

    name: str
    modules: tuple[str, ...]
    rules: tuple[Rule, ...]


STAGES = (
    Stage("output folders", ("engine.staging",), OUTPUT_RULES),
    Stage("data files", ("data", "data.bibliography", "data.charts", "data.survey", "data.tags", "registries", "yamlfile"), DATA_RULES),
    Stage("notes tree", ("load",), FILE_RULES),
    Stage("generated pages", ("pages",), PAGE_RULES),
    Stage("front matter", ("frontmatter",), FRONT_MATTER_RULES),
    Stage("schema", ("fmcheck",), SCHEMA_RULES),
    Stage("body", ("body", "math"), BODY_RULES),
    Stage("note", ("validate",), NOTE_RULES),
    Stage("corpus", ("link",), CORPUS_RULES),
)


def all_rules() -> list[tuple[Stage, Rule]]:
    """Every rule with its stage, in order."""
    return [(stage, rule) for stage in STAGES for rule in stage.rules]
