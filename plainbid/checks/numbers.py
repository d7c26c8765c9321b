"""Numbers written as words in tender text ("three case studies", "no more than two sides")."""

from __future__ import annotations

NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if value
}


def to_number(raw: str) -> float | None:
    """'three' -> 3, '1,000' -> 1000, '2.5' -> 2.5; None when it is neither."""
    raw = raw.strip().lower().replace(",", "")
    if raw in NUMBER_WORDS:
        return NUMBER_WORDS[raw]
    try:
        return float(raw)
    except ValueError:
        return None
