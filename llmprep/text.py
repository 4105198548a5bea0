"""Clean user text on its way in, before any rule looks at its length.

Control characters (C0/C1, and format characters such as zero-width spaces and bidi overrides)
have no business in a title, a name or a location: they break XML (the Atom feed), confuse
searches and can disguise text. Multi-line text keeps its newlines and tabs.

Plain library code: imports no app.
"""

from __future__ import annotations

import unicodedata

_KEEP_IN_MULTILINE = {"\n", "\t"}


def _is_control(char: str) -> bool:
    # ZWJ (U+200D) is a format character that emoji sequences need.
    return unicodedata.category(char) in ("Cc", "Cf", "Cs") and char != "\u200d"


def single_line(text: str) -> str:
    """Control characters removed, every run of whitespace (newlines included) one space."""
    kept = (" " if char.isspace() else char for char in text)
    return " ".join("".join(char for char in kept if not _is_control(char)).split())


def multiline(text: str) -> str:
    """Control characters removed except newlines and tabs; CRLF becomes LF; outer whitespace
    stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char for char in text if char in _KEEP_IN_MULTILINE or not _is_control(char)
    ).strip()
