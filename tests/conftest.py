"""Shared fixtures: a throwaway knowledge base built from the real data files."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import KB, note_text


@pytest.fixture()
def kb(tmp_path: Path) -> KB:
    """An empty knowledge base with the real data files."""
    return KB(tmp_path / "kb")


@pytest.fixture()
def make_note() -> Callable[..., str]:
    """The note_text builder."""
    return note_text
