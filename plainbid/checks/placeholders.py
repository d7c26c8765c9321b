"""Unfilled template text (PB301): placeholders and drafting notes left in a published document.

Tender packs are built from templates ("[Insert Buyer's name]", "Lot [X]", "[Guidance: delete
this note]"). One left in tells applicants the pack was not finished, and often hides a fact
they need (a date, a value, who to contact). One finding per block, listing every placeholder
in it; the document's full list is also in JSON under `placeholders`.

Square brackets: in UK contract drafting, text in square brackets is text not yet agreed or
still to be chosen, so every bracketed span is reported, except brackets that are not template
text: footnote and citation marks ("[1]", "[a]", "[iv]"), "[sic]" and "[...]", a Markdown link
"[text](url)", brackets inside a word ("PA23[Tem]071"), the title after a clause number
("Clause 10 [Ending the contract]"), tick boxes beside Yes or No, and answer spaces meant for
the applicant ("[Supplier to insert]", "[Insert your response here]").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from plainbid.checks.base import CheckOutput, per_document
from plainbid.config import Settings
from plainbid.model import Block, BlockKind, Document, Finding, Pack, Rule, Severity

PLACEHOLDER = Rule(
    "PB301",
    "placeholder",
    Severity.WARNING,
    "Placeholder or drafting note left in the document.",
    "Template text such as '[Insert date]' or 'Lot [X]' tells applicants the pack is not "
    "finished and hides facts they need to bid (dates, values, contacts). Fill it in or delete "
    "it before publishing.",
    "Clinks/probation survey of 128 voluntary organisations (2022): missing information made "
    "bids impossible to price",
    example="The contract starts on [insert date].",
)
RULES = (PLACEHOLDER,)

_MAX_CARRIED = 2

_NOTE_START = re.compile(
    r"^\W*(?:(?:buyer|authority|council|drafting|drafter'?s?|editor'?s?|author'?s?)\s+)?"
    r"(?:guidance(?:\s+note)?|notes?|DN)\b",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"^\s*(?:working\s+|business\s+|calendar\s+)?(?:hours?|days?|weeks?|months?|years?|"
    r"minutes?|%|per\s*cent|percent)\b",
    re.IGNORECASE,
)
# Footnote and list marks ("[a]", "[iv]"; not "[x]", the usual unknown), "[sic]", "[...]".
_NOT_TEMPLATE = re.compile(
    r"^(?:[a-wyz]|i{1,3}|iv|vi{0,3}|ix|xi{1,3}|xiv|xvi{0,3}|sic|\.{3}|…|emphasis added)$",
    re.IGNORECASE,
)
_FOR_APPLICANT = re.compile(
    r"^(?:(?:the\s+)?(?:potential\s+)?(?:suppliers?|bidders?|tenderers?|applicants?|"
    r"providers?|respondents?|organisations?)(?:'s|’s)?\s+(?:to|must|should|may)\b"
    r"|(?:insert|enter|type|add|write)\s+(?:your|response|answer)"
    r"|your\s+(?:answer|response))",
    re.IGNORECASE,
)
_REFERENCE_BEFORE = re.compile(
    r"\b(?:clause|schedule|paragraph|section|annex|appendix|part|article)\s+[\w.]+\s*$",
    re.IGNORECASE,
)
_LINK_AFTER = re.compile(r"^(?:\([^\s()]+\)|:\s*(?:https?://|mailto:|www\.))")
_TICK_BOX = re.compile(r"^\s*(?:[xX✓✔]\s*)?$")
_YES_NO = re.compile(r"^\s*(?:yes|no)\b|\b(?:yes|no)\s*$", re.IGNORECASE)

# Placeholders that need no brackets. Each (kind, pattern).
_OTHER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("field", re.compile(r"<<[^<>\n]{1,80}>>|«[^«»\n]{1,80}»|\{\{[^{}\n]{1,80}\}\}")),
    # "(X) sides of A4", "£( )"; not "(x)", a roman ten in a list of clauses.
    ("blank", re.compile(r"[£$€]?\((?:\s*|X{1,4}|\.{2,}|…+|_+)\)")),
    # "xx/xx/xxxx"; not "DD/MM/YYYY", which tells the applicant how to write a date.
    ("date", re.compile(r"\b[xX]{1,2}[/.\-][xX]{1,2}[/.\-][xX]{2,4}\b")),
    ("x", re.compile(r"[£$€]\s?[Xx]+(?:[,.][Xx]+)*(?![\w])")),
    ("x", re.compile(r"(?<![\w£$€])X{3,}(?![\w])|(?<![\w])x{3,}(?![\w])")),
    ("tbc", re.compile(r"\bTB[CAD]\b")),
    (
        "tbc",
        re.compile(
            r"\bto\s+be\s+(?:confirmed|advised|announced)\b(?!\s+(?:by|in|within|with|at|"
            r"through|via|on|upon|from|to|when|if|for|after|before|prior|once|as|under)\b)",
            re.IGNORECASE,
        ),
    ),
)
# Drafting notes without brackets: "Note to Council officer: ...", "Drafting note: ...".
_NOTE_BLOCK = re.compile(
    r"^\W*(?:drafting\s+note|notes?\s+(?:to|for)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:officers?|buyers?|drafters?|draftsman|users?|authors?|commissioners?|council|"
    r"authority|authorities|editors?|procurement\s+team)|DN)\s*[:\-–—]",
    re.IGNORECASE,
)
_DELETE_NOTE = re.compile(
    r"\b(?:delete|remove)\s+(?:this|these|the)\s+(?:guidance\s+)?(?:notes?|guidance|text|"
    r"instructions?|boxe?s?|paragraphs?|comments?)\b(?:\s+(?:before|once|when|after)\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Placeholder:
    text: str
    kind: str  # bracket, guidance, blank, field, date, x, tbc, note
    start: int
    end: int


def find_placeholders(text: str, open_before: bool = False) -> tuple[list[Placeholder], bool]:
    """Every placeholder in one block's text, in order, and whether a bracketed guidance note
    is still open at the end (it runs on into the next paragraph). `open_before` says the
    previous block ended inside such a note, so a lone "]" here closes it."""
    found, still_open = _brackets(text, open_before)
    taken = [(p.start, p.end) for p in found]
    for kind, pattern in _OTHER_PATTERNS:
        for match in pattern.finditer(text):
            if not _overlaps(match.start(), match.end(), taken):
                found.append(Placeholder(match.group(), kind, match.start(), match.end()))
                taken.append((match.start(), match.end()))
    note = _NOTE_BLOCK.match(text)
    if note and not _overlaps(0, len(text), taken):
        found.append(Placeholder(text.strip(), "note", 0, len(text)))
        taken.append((0, len(text)))
    for match in _DELETE_NOTE.finditer(text):
        start, end = _sentence_around(text, match.start(), match.end())
        if not _overlaps(start, end, taken):
            found.append(Placeholder(text[start:end].strip(), "note", start, end))
            taken.append((start, end))
    found.sort(key=lambda p: p.start)
    return found, still_open


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    before = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    after = re.search(r"[.!?](?=\s|$)|\n", text[end:])
    return before + 1, (end + after.end()) if after else len(text)


def _brackets(text: str, open_before: bool) -> tuple[list[Placeholder], bool]:
    """Outermost square-bracket spans, and whether one is still open at the end: an unclosed
    "[" runs to the end of the block (and may close in the next)."""
    spans: list[tuple[int, int]] = []
    depth, start = (1, 0) if open_before else (0, -1)
    for index, char in enumerate(text):
        if char == "[":
            if depth == 0:
                start = index
            depth += 1
        elif char == "]" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, index + 1))
    if depth:
        # An unclosed "[" runs to the end of the block if it opens a note, else to the end of
        # its line: "[Clause 91 [of the ...]:" must not swallow the clause that follows.
        line_end = text.find("\n", start)
        note = _NOTE_START.match(text[start + 1 :]) or (open_before and not spans)
        spans.append((start, len(text) if note or line_end < 0 else line_end))
    found = []
    for start, end in spans:
        if _is_template(text, start, end):
            kind = "guidance" if open_before and start == 0 else None
            if start and text[start - 1] in "£$€":
                start -= 1
            span_text = text[start:end].strip()
            found.append(Placeholder(span_text, kind or _bracket_kind(span_text), start, end))
    # Only a guidance note runs on into the next paragraph; an unclosed "[Insert ..." is a
    # slip of the template, and carrying it on would swallow the headings that follow.
    still_open = bool(depth and found and found[-1].end == len(text))
    return found, still_open and found[-1].kind == "guidance"


def _bracket_kind(span_text: str) -> str:
    inner = span_text.lstrip("£$€[").rstrip("]").strip()
    if not inner:
        return "blank"
    return "guidance" if _NOTE_START.match(inner) else "bracket"


def _is_template(text: str, start: int, end: int) -> bool:
    inner = text[start:end].lstrip("[").rstrip("]").replace("\xa0", " ").strip()
    before, after = text[:start], text[end:]
    if start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
        return False  # part of a code or word: "PA23[Tem]071"
    if _LINK_AFTER.match(after):
        return False  # Markdown link "[text](url)" or link reference "[text]: url"
    if inner.isdigit():
        # "[1]" is a footnote or citation mark; "[5] working days" is a value to confirm.
        return bool(_UNIT_AFTER.match(after))
    if _NOT_TEMPLATE.match(inner):
        return False
    if _TICK_BOX.match(inner) and (_YES_NO.match(after) or _YES_NO.search(before)):
        return False
    if _FOR_APPLICANT.match(inner):
        return False
    return not (_REFERENCE_BEFORE.search(before) and not inner.lower().startswith("insert"))


def run(pack: Pack, settings: Settings) -> CheckOutput:
    output = CheckOutput()
    for document in pack.documents:
        findings, listed = _placeholders(document)
        output.findings += findings
        output.document_data[document.path] = {"placeholders": listed}
    return output


@per_document
def _placeholders(document: Document) -> tuple[list[Finding], list[dict[str, Any]]]:
    """The findings, and every placeholder for the JSON `placeholders` list."""
    findings: list[Finding] = []
    listed: list[dict[str, Any]] = []
    open_before, carried = False, 0
    previous_kind: BlockKind | None = None
    for block in document.blocks:
        # A note left open runs on into at most two more blocks of the same kind, and
        # not into one that opens a bracket of its own.
        carry = (
            open_before
            and carried < _MAX_CARRIED
            and block.kind is previous_kind
            and not block.text.lstrip().startswith("[")
        )
        carried = carried + 1 if carry else 0
        found, open_before = find_placeholders(block.text, carry)
        previous_kind = block.kind
        if not found:
            continue
        findings.append(_finding(document.path, block, found))
        listed += [
            {"text": p.text, "kind": p.kind, "location": block.location.as_dict()} for p in found
        ]
    return findings, listed


def _finding(path: str, block: Block, found: list[Placeholder]) -> Finding:
    shown = [_clip(p.text) for p in found]
    if len(found) == 1:
        message = f"Unfilled template text: {shown[0]}"
    else:
        message = f"{len(found)} pieces of unfilled template text: {', '.join(shown)}"
    first = found[0]
    start = max(0, first.start - 60)
    end = min(len(block.text), first.end + 60)
    excerpt = (
        ("…" if start else "")
        + block.text[start:end].strip()
        + ("…" if end < len(block.text) else "")
    )
    return Finding(
        PLACEHOLDER,
        path,
        message,
        block.location,
        excerpt,
        "Fill in or delete the template text, and delete drafting notes, before publishing.",
        {"placeholders": [{"text": p.text, "kind": p.kind} for p in found]},
    )


def _clip(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return f"'{flat if len(flat) <= width else flat[: width - 1].rstrip() + '…'}'"
