"""Stage 4, emit: pure functions from the linked corpus to staged files (Markdown, JSON, SVG).

Nothing here touches the disk or knows about the site engine beyond the Markdown it writes.
"""
