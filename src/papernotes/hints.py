"""Hints for diagnostics: the 'did you mean …?' that follows an unknown name."""

from __future__ import annotations

from collections.abc import Sequence


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """A 'did you mean …?' hint, or ''."""
    import difflib  # only a problem needs a hint

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    if not close:
        folded = {c.casefold(): c for c in candidates}
        if word.casefold() in folded:
            close = [folded[word.casefold()]]
    return f"did you mean '{close[0]}'?" if close else ""
