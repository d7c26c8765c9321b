"""Find the exact words a finding flags inside the text of its block.

A finding carries its block's location and an excerpt; inline suppression (which lines a
finding is on) and the annotated Word copy (which runs a comment covers) both need the flagged
words themselves. Checks flatten whitespace before they quote text, so matching here treats any
run of whitespace as one space.
"""

from __future__ import annotations

import re
from typing import Any

from plainbid.model import Finding

_ELLIPSIS = "…"


def flagged_text(finding: Finding, surfaces: dict[str, str]) -> tuple[str, bool] | None:
    """The words a finding is about, and whether they are a whole term (matched as words).

    `surfaces` maps a jargon term to the form it was first seen as in the document (the
    `terms` section of the report), since a jargon finding's excerpt is the term in context.
    """
    data: dict[str, Any] = finding.data
    term = data.get("term")
    if isinstance(term, str):
        surface = surfaces.get(term)
        if surface:
            return surface, True
    placeholders = data.get("placeholders")
    if isinstance(placeholders, list) and placeholders and isinstance(placeholders[0], dict):
        text = placeholders[0].get("text")
        if isinstance(text, str) and text.strip():
            return text, False
    phrases = data.get("phrases")
    if isinstance(phrases, list) and phrases and isinstance(phrases[0], dict):
        phrase = phrases[0].get("phrase")
        if isinstance(phrase, str) and phrase.strip():
            return phrase, True
    excerpt = finding.excerpt.strip().strip(_ELLIPSIS).strip()
    return (excerpt, False) if excerpt else None


def find_span(text: str, needle: str, whole_words: bool = False) -> tuple[int, int] | None:
    """Where `needle` occurs in `text` (any whitespace matching any whitespace), or None.

    Whole words are tried first when asked, then case-sensitive before case-insensitive.
    """
    pieces = needle.split()
    if not pieces:
        return None
    pattern = r"\s+".join(re.escape(piece) for piece in pieces)
    patterns = [rf"(?<!\w){pattern}(?!\w)", pattern] if whole_words else [pattern]
    for candidate in patterns:
        for flags in (0, re.IGNORECASE):
            match = re.search(candidate, text, flags)
            if match:
                return match.start(), match.end()
    return None


def term_surfaces(document_data: dict[str, Any]) -> dict[str, str]:
    """Jargon term -> the form it was first seen as, from a document's `terms` section."""
    surfaces: dict[str, str] = {}
    for record in document_data.get("terms") or []:
        if isinstance(record, dict) and record.get("term") and record.get("first_seen_as"):
            surfaces[record["term"]] = record["first_seen_as"]
    return surfaces
