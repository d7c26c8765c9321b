"""The checks, each a small module with `RULES` and `run(pack, settings) -> CheckOutput`.

To add a check, write its module and list it in `CHECKS`; its rules then appear in the docs,
in `plainbid rules` and in SARIF without further wiring.
"""

from __future__ import annotations

from typing import Any

from plainbid.nlp import import_spacy

# The checks import spaCy: first, without its command line.
import_spacy()

from plainbid.checks import (  # noqa: E402
    burden,
    contract_value,
    demands,
    jargon,
    placeholders,
    proportionality,
    questions,
    readability,
    style,
)
from plainbid.checks.base import Check, CheckOutput, per_document  # noqa: E402
from plainbid.config import Settings  # noqa: E402
from plainbid.model import Document, Pack, Rule  # noqa: E402

CHECKS: list[Check] = [
    jargon,
    style,
    readability,
    placeholders,
    burden,
    questions,
    demands,
    contract_value,
    proportionality,
]


# Whether this process has warmed up before (see `warm_up`).
_warmed_up = False


def warm_up(settings: Settings, split: bool = False) -> None:
    """Build what every check needs whatever the document (spaCy's pipeline, the word list,
    the glossaries' matcher, the pronouncing dictionary and hyphenation patterns) once, before
    worker processes are forked, so that no worker builds it again. Raises `GlossaryError`
    before any document is read.

    With `split` (each document checked by two processes: `analyse`), what only one of those
    processes needs is left to it, to be built while the other works: the dictionary and the
    patterns to the readability process, and the matcher to the worker. Glossaries the
    settings add are still validated here first; plainbid's own are validated by its tests.
    That is for a process that checks once (the command); one that checks again (a program
    using the Python API) builds everything here on its second check and keeps it.
    """
    from plainbid.nlp import known_words, pipeline
    from plainbid.readability_scores import preload

    global _warmed_up
    leave = split and not _warmed_up
    _warmed_up = True
    pipeline()
    known_words()
    if not leave or settings.glossaries:
        jargon.matcher_for(tuple(settings.glossaries))
    if not leave:
        preload()


def analyse(document: Document, settings: Settings, split: bool = False) -> Document:
    """Do the document's own share of every check, kept in its cache (`per_document`).

    Run in the worker process that read the document, so a pack's documents are analysed side
    by side and under the worker's time and memory limits. Each check runs on a pack of this
    document alone; its output is dropped, since the pack-wide pass will say the same with the
    whole pack in view. A check that fails here fails again there (`per_document` keeps the
    failure), where it is reported.

    With `split` (a CPU to spare, as for one document on two cores: the pre-commit case), the
    readability check runs in a second process meanwhile (`isolation.start_beside`), which
    loads the pronouncing dictionary and hyphenation patterns itself: they and the glossary
    matcher are most of the fixed cost of checking one document.
    """
    notes = list(document.notes)
    if split:
        from plainbid.readers.isolation import start_beside

        on_the_side = [readability]
        side = start_beside(lambda: _shares(document, settings, on_the_side))
        _shares(document, settings, [check for check in CHECKS if check not in on_the_side])
        for key, value in side().items():
            document.cache.setdefault(key, value)
    else:
        _shares(document, settings, CHECKS)
    document.notes = notes  # a check's note about the pack is added once, by that pass
    return document


def _shares(document: Document, settings: Settings, checks: list[Check]) -> dict[Any, Any]:
    """Run `checks` on a pack of `document` alone; return what they added to its cache."""
    before = set(document.cache)
    alone = Pack(documents=[document])
    for check in checks:
        try:
            check.run(alone, settings)
        except (MemoryError, RecursionError):
            raise
        except Exception:  # reported by the pack-wide pass
            pass
    return {key: value for key, value in document.cache.items() if key not in before}


def all_rules() -> list[Rule]:
    """Every rule: the checks' own, and PB901 for inline comments that accept nothing."""
    from plainbid.suppress import RULES as SUPPRESSION_RULES

    rules = [rule for check in CHECKS for rule in check.RULES] + list(SUPPRESSION_RULES)
    return sorted(rules, key=lambda r: r.code)


__all__ = ["CHECKS", "Check", "CheckOutput", "all_rules", "analyse", "per_document", "warm_up"]
