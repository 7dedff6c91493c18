"""Which site engine renders the staged tree: MkDocs 1.6 (the default) or ProperDocs, the maintained
continuation of MkDocs 1.6, chosen with the PAPERNOTES_ENGINE environment variable.

Both read the same `mkdocs.yml` and the same staging, with the same theme (mkdocs-material) and
Markdown extensions, and both run as `python -m <module> build` in a subprocess: papernotes never
imports either. They can be installed side by side (ProperDocs answers the theme's `mkdocs.*`
imports with its own modules only in its own process).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass

VARIABLE = "PAPERNOTES_ENGINE"
CONFIG = "mkdocs.yml"  # the configuration both engines read


@dataclass(frozen=True)
class SiteEngine:
    """An engine: the name PAPERNOTES_ENGINE gives, the module run as `python -m`, how to install it."""

    name: str
    module: str
    install: str


ENGINES = {
    "mkdocs": SiteEngine("mkdocs", "mkdocs", "pip install papernotes (MkDocs is one of its dependencies)"),
    "properdocs": SiteEngine("properdocs", "properdocs", "pip install 'papernotes[properdocs]'"),
}
DEFAULT = ENGINES["mkdocs"]


class EngineError(ValueError):
    """PAPERNOTES_ENGINE names no engine, or one that is not installed."""


def named_engine(environ: Mapping[str, str] = os.environ) -> SiteEngine:
    """The engine PAPERNOTES_ENGINE names (MkDocs when it is unset or empty), installed or not."""
    name = environ.get(VARIABLE, "").strip()
    if not name:
        return DEFAULT
    engine = ENGINES.get(name.lower())
    if engine is None:
        raise EngineError(f"{VARIABLE}={name!r} is not a site engine; choose one of: {', '.join(ENGINES)}")
    return engine


def selected_engine(environ: Mapping[str, str] = os.environ) -> SiteEngine:
    """The engine to run; EngineError when PAPERNOTES_ENGINE is wrong or the engine is not installed."""
    engine = named_engine(environ)
    if importlib.util.find_spec(engine.module) is None:
        raise EngineError(f"the site engine {engine.name} is not installed: {engine.install}")
    return engine


def build_summary(environ: Mapping[str, str] = os.environ) -> str:
    """What the build step runs, for the command line's help: `mkdocs build --strict` unless another engine is chosen."""
    try:
        engine = named_engine(environ)
    except EngineError:
        engine = DEFAULT
    return f"{engine.name} build --strict"
