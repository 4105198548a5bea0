"""Highlighted titles and snippets: everything is escaped first, then the spans whose analysed
terms the query reached are wrapped in <mark>. The same analysis as the index decides what a
match is, so "RMS Norm" is marked for a query "rmsnorm" and 低秩适配 for "LoRA"."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analysis import normalise_with_map, terms

SNIPPET_LENGTH = 160
SNIPPET_BEFORE = 40
_SPACE = re.compile(r"\s+")


def highlight(text: str, query_terms: set[str]) -> SafeString:
    """`text` escaped, with the words that match `query_terms` in <mark>."""
    if not text:
        return mark_safe("")
    normal, mapping = normalise_with_map(text)
    spans = sorted(
        (mapping[t.start], mapping[t.end - 1] + 1)
        for t in terms(normal)
        if t.term in query_terms and t.end > t.start
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, last = [], 0
    for start, end in merged:
        pieces.append(escape(text[last:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece is escaped above


def forms_pattern(forms: list[str]) -> re.Pattern | None:
    """A regex finding any of the surface `forms` in raw text; Latin forms also with spaces or
    hyphens between their letters ("rms norm" finds "RMS-Norm")."""
    alternatives = []
    for form in forms:
        compact = re.sub(r"[\s\-_./]", "", form)
        if not compact:
            continue
        if compact.isascii():
            alternatives.append(r"[\s\-_./]{0,2}".join(re.escape(c) for c in compact))
        else:
            alternatives.append(re.escape(form))
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


def snippet(texts: list[str], query_terms: set[str], pattern: re.Pattern | None) -> SafeString:
    """A window of the first text (details, then answers, best first) that mentions the query,
    highlighted; empty when none does."""
    if pattern is None:
        return mark_safe("")
    for text in texts:
        flat = _SPACE.sub(" ", text or "").strip()
        found = pattern.search(flat)
        if not found:
            continue
        start = max(0, found.start() - SNIPPET_BEFORE)
        end = min(len(flat), start + SNIPPET_LENGTH)
        window = highlight(flat[start:end], query_terms)
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(flat) else ""
        return mark_safe(f"{prefix}{window}{suffix}")  # highlight() escaped it
    return mark_safe("")
