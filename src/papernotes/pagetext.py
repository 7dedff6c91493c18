"""The one rule for a string that reaches a page, from a note, a part page or a data file: no
invisible or bidi-control characters, no line break where one line is meant, no HTML markup, and
a length limit. Escaping for the place a string lands is the emitter's job (emit/escape.py).
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")  # what a browser, YAML or Markdown may take for the end of a line


def text_problem(text: str, max_length: int = 0, *, one_line: bool = True) -> tuple[str, str] | None:
    """Why `text` may not reach a page (a code name and a message), or None."""
    bad = suspicious_char(text, ascii_only=False)
    if bad is not None:
        return "suspicious-characters", f"contains {char_name(bad)}"
    if one_line and (found := LINE_BREAK.search(text)):
        return "invalid-value", f"contains a line break ({char_name(found.group())}) where one line is meant"
    if TAG_LIKE.search(text):
        return "raw-html", "contains HTML markup"
    if max_length and len(text) > max_length:
        return "invalid-value", f"is {len(text):,} characters; at most {max_length:,}"
    return None


def char_name(ch: str) -> str:
    """`U+0430 CYRILLIC SMALL LETTER A`."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED CHARACTER')}"


def suspicious_char(text: str, *, ascii_only: bool) -> str | None:
    """The first invisible or bidi-control character, or (for identifiers) the first non-ASCII one."""
    found = INVISIBLE.search(text)
    if found:
        return found.group()
    if ascii_only and not text.isascii():
        for ch in text:
            if ord(ch) > 127:
                return ch
    return None
