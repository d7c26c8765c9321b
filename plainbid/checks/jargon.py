"""Jargon: glossary terms and acronyms, and whether the pack defines them.

The survey behind plainbid found jargon the first reason 47% of voluntary organisations could
not follow tender information; its first recommendation is to limit jargon and define every
technical term. A term defined in any document of the pack counts as defined for the pack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from plainbid.checks.base import CheckOutput, per_document
from plainbid.config import Settings
from plainbid.glossary import Entry, GlossaryError, form_key, load
from plainbid.model import Block, BlockKind, Document, Finding, Location, Pack, Rule, Severity
from plainbid.nlp import doc_text, parsed_blocks
from plainbid.terms import TermMatcher, bare_acronym, candidate_acronyms, defines, expansions

SURVEY = "Clinks/probation survey of 128 voluntary organisations (2022): recommendation 1"

JARGON_UNDEFINED = Rule(
    "PB101",
    "jargon-undefined",
    Severity.WARNING,
    "Jargon used but not defined anywhere in the pack.",
    "Applicants without a bid team cannot follow terms the pack never explains; define each "
    "technical term where it is first used or in a glossary section, or use the plainer words.",
    SURVEY,
    example="Bids must follow the TUPE rules.",
)
ACRONYM_UNEXPANDED = Rule(
    "PB102",
    "acronym-unexpanded",
    Severity.WARNING,
    "Acronym never spelled out in the pack.",
    "An acronym the reader has not met is a closed door; spell it out on first use, as in "
    "'Transfer of Undertakings (Protection of Employment) Regulations (TUPE)'.",
    SURVEY,
    example="Return the signed form to the RTO by Friday.",
)
JARGON_DEFINED = Rule(
    "PB103",
    "jargon-defined",
    Severity.INFO,
    "Jargon the pack defines: listed so the applicant's glossary can point to it.",
    "Defined jargon is fine; it is listed so that writers can see how much the reader must "
    "learn, and so that the applicant's glossary can point to the pack's own definition.",
    SURVEY,
    example=(
        "TUPE means the Transfer of Undertakings (Protection of Employment) Regulations "
        "2006. Staff may transfer under TUPE."
    ),
)
BUREAUCRATIC_WORD = Rule(
    "PB104",
    "bureaucratic-word",
    Severity.INFO,
    "A formal word where a plainer one says the same.",
    "Plain-English guides (GOV.UK style guide, Plain English Campaign) ask writers to prefer "
    "everyday words; each one saved is one less thing for a small charity to decode.",
    "https://www.gov.uk/guidance/style-guide/a-to-z",
    example="Bids must be submitted prior to the deadline.",
)
RULES = (JARGON_UNDEFINED, ACRONYM_UNEXPANDED, JARGON_DEFINED, BUREAUCRATIC_WORD)

_DEFINITIONS_HEADING = re.compile(
    r"\b(glossary|definitions?|interpretation|defined terms|abbreviations|acronyms|"
    r"terms used|key terms)\b",
    re.IGNORECASE,
)
_DEFINITIONS_COLUMN = re.compile(
    r"^(terms?|definitions?|meanings?|abbreviations?|acronyms?|descriptions?|explanations?)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=8)
def matcher_for(extra_glossaries: tuple[str, ...]) -> TermMatcher:
    """Load and validate the glossaries, and build their matcher: once per set of files."""
    matcher = TermMatcher(load(list(extra_glossaries)))
    problems = matcher.problems()
    if problems:
        raise GlossaryError(problems)
    return matcher


@dataclass
class _Use:
    """Every place one term (or acronym) is used in one document."""

    key: str
    entry: Entry | None
    surface: str
    locations: list[Location] = field(default_factory=list)
    excerpt: str = ""


@dataclass
class _Definition:
    path: str
    location: Location
    # The pack's own words: the defining sentence, glossary row or acronym expansion.
    text: str | None = None


def run(pack: Pack, settings: Settings) -> CheckOutput:
    glossaries = tuple(settings.glossaries)
    allowed = frozenset({form_key(term) for term in settings.allow} | set(settings.allow))
    scans = {document.path: _scan(document, glossaries, allowed) for document in pack.documents}
    # A term defined in any document is defined for the pack: the first definition wins.
    definitions: dict[str, _Definition] = {}
    for _, defined in scans.values():
        for key, definition in defined.items():
            definitions.setdefault(key, definition)
    output = CheckOutput()
    for document in pack.documents:
        terms = []
        for use in scans[document.path][0].values():
            definition = definitions.get(use.key)
            output.findings.append(_finding(document.path, use, definition))
            terms.append(_term_record(use, definition))
        output.document_data[document.path] = {"terms": terms}
    return output


@per_document
def _scan(
    document: Document, glossaries: tuple[str, ...], allowed: frozenset[str]
) -> tuple[dict[str, _Use], dict[str, _Definition]]:
    """The terms this document uses, and those it defines (first definition of each)."""
    matcher = matcher_for(glossaries)
    uses: dict[str, _Use] = {}
    definitions: dict[str, _Definition] = {}
    definition_rows = _definition_rows(document.blocks)
    for block, doc in zip(document.blocks, parsed_blocks(document), strict=True):
        row_definition = definition_rows.get(block.location)
        in_definitions = row_definition is not None or _in_definitions_section(block)
        expanded = expansions(doc)
        covered: set[int] = set()
        for hit in matcher.find(doc):
            entry = hit.entry
            if any(form_key(form) in allowed for form in entry.forms):
                continue
            covered.update(range(hit.span.start, hit.span.end))
            use = _record(uses, entry.term, entry, hit.span.text, block, doc)
            if entry.is_bureaucratic or use.key in definitions:
                continue
            expansion = next((expanded[f] for f in entry.forms if f in expanded), None)
            if in_definitions and hit.span.start <= 1:
                text = row_definition or doc_text(doc)
            elif defines(hit.span):
                text = hit.span.sent.text
            else:
                text = expansion
            if text:
                definitions[use.key] = _Definition(document.path, block.location, text)
        for span in candidate_acronyms(doc):
            short = bare_acronym(span.text)
            if span.start in covered or short in allowed:
                continue
            _record(uses, short, None, short, block, doc)
            text = expanded.get(short) or (
                (row_definition or doc_text(doc)) if in_definitions and span.start <= 1 else None
            )
            if text and short not in definitions:
                definitions[short] = _Definition(document.path, block.location, text)
    return uses, definitions


def _record(
    uses: dict[str, _Use], key: str, entry: Entry | None, surface: str, block: Block, doc: Doc
) -> _Use:
    use = uses.get(key)
    if use is None:
        use = uses[key] = _Use(key, entry, surface, excerpt=_excerpt(doc_text(doc), surface))
    use.locations.append(block.location)
    return use


def _excerpt(text: str, surface: str, width: int = 60) -> str:
    at = text.find(surface)
    at = max(at, 0)
    start = max(0, at - width)
    end = min(len(text), at + len(surface) + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _in_definitions_section(block: Block) -> bool:
    return bool(block.location.heading and _DEFINITIONS_HEADING.search(block.location.heading))


def _definition_rows(blocks: list[Block]) -> dict[Location, str]:
    """First-column cells of tables that define terms (under a glossary heading, or with a
    header row saying 'Term' / 'Definition' / 'Meaning'), each with the rest of its row."""
    tables: dict[int, list[Block]] = {}
    for block in blocks:
        if block.kind is BlockKind.TABLE_CELL and block.location.table is not None:
            tables.setdefault(block.location.table, []).append(block)
    rows: dict[Location, str] = {}
    for table_blocks in tables.values():
        header = [b.text.strip() for b in table_blocks if b.location.row == 1]
        if not (
            _in_definitions_section(table_blocks[0])
            or any(_DEFINITIONS_COLUMN.match(text) for text in header)
        ):
            continue
        for cell in table_blocks:
            if cell.location.column == 1:
                rest = [
                    b.text
                    for b in table_blocks
                    if b.location.row == cell.location.row and b is not cell
                ]
                rows[cell.location] = " ".join(rest) or cell.text
    return rows


def _finding(path: str, use: _Use, definition: _Definition | None) -> Finding:
    count = len(use.locations)
    times = f"{count} time{'s' if count != 1 else ''}"
    entry = use.entry
    data: dict[str, Any] = {"term": use.key, "count": count}
    if entry is None:
        if definition:
            where = f"{definition.path}, {definition.location.describe()}"
            rule, message = JARGON_DEFINED, f"'{use.surface}' ({times}) is spelled out at {where}"
            suggestion = definition.text
        else:
            rule = ACRONYM_UNEXPANDED
            message = f"'{use.surface}' is used {times} but never spelled out in the pack"
            suggestion = f"Spell it out where it is first used: 'Full name ({use.surface})'."
        return Finding(rule, path, message, use.locations[0], use.excerpt, suggestion, data)
    plainer = f" Plainer: '{entry.alternative}'." if entry.alternative else ""
    suggestion = f"It means: {entry.meaning}{plainer}"
    if entry.is_bureaucratic:
        rule = BUREAUCRATIC_WORD
        message = f"'{use.surface}' ({times}): a plainer word is '{entry.alternative}'"
    elif definition:
        where = f"{definition.path}, {definition.location.describe()}"
        rule, message = JARGON_DEFINED, f"'{use.surface}' ({times}) is defined at {where}"
    else:
        rule = JARGON_UNDEFINED
        message = f"'{use.surface}' is jargon, used {times} and never defined in the pack"
    data["category"] = entry.category
    return Finding(rule, path, message, use.locations[0], use.excerpt, suggestion, data)


def _term_record(use: _Use, definition: _Definition | None) -> dict[str, Any]:
    entry = use.entry
    return {
        "term": entry.term if entry else use.key,
        "category": entry.category if entry else "acronym",
        "first_seen_as": use.surface,
        "count": len(use.locations),
        "defined": definition is not None,
        "defined_at": (
            {"path": definition.path, "location": definition.location.as_dict()}
            if definition
            else None
        ),
        "plain_meaning": entry.meaning if entry else (definition.text if definition else None),
        "pack_definition": definition.text if definition else None,
        "plain_alternative": (entry.alternative or None) if entry else None,
        "source": entry.source if entry else None,
        "locations": [location.as_dict() for location in use.locations],
    }
