"""Reading burden: words, pages, reading time and cross-references, per document and for the pack.

The survey behind plainbid found "the sheer volume of material" as much a barrier as jargon (one
framework ran to 16 documents), and that a call-off contract which keeps "referring back" to
the framework agreement was hard to follow and error-prone. So each document's JSON carries a
`burden` section, the pack's totals go under `pack.burden`, and PB302 flags a document that
sends its reader to other documents of the pack too often.

Cross-references are found in two forms: numbered ("clause 4.2", "Call-Off Schedule 5 (Pricing
Details)", "Annex A", "Attachment 2d", "paragraph 3 of the Framework Agreement") and named after
a pointing phrase ("as defined in the Call-Off Contract", "see the Framework Agreement"). A
reference is resolved to another document of the pack when its name or label matches that
document's file name, title or "Attachment N" label.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from plainbid.checks.base import CheckOutput, per_document
from plainbid.config import ConfigError, Settings
from plainbid.model import Block, BlockKind, Document, Finding, Location, Pack, Rule, Severity
from plainbid.nlp import count_words
from plainbid.readability_scores import block_sentences

SURVEY = (
    "Clinks/probation survey of 128 voluntary organisations (2022): referring back to the "
    "Framework Agreement from the Call-Off Contract"
)

CROSS_REFERENCES = Rule(
    "PB302",
    "cross-reference-burden",
    Severity.WARNING,
    "Document refers to other documents of the pack too often.",
    "Every reference to another document sends the applicant off to read it; the survey "
    "behind plainbid found contracts that keep referring back to the framework agreement hard "
    "to follow and error-prone. Bring what applicants need into the document, or summarise it.",
    SURVEY,
    example=(
        "Payment is as set out in the Framework Agreement. Disputes follow clause 9 of "
        "the Framework Agreement."
    ),
)
RULES = (CROSS_REFERENCES,)

_QUALIFIER = (
    r"(?:(?:Call[- ]?[Oo]ff|Joint|Framework|Bid\s+Pack|Order\s+Form|Core\s+Terms|Special)\s+){0,2}"
)
_KIND = (
    r"(?i:clauses?|sections?|paragraphs?|paras?\.?|schedules?|annex(?:es)?|appendix|"
    r"appendices|attachments?|parts?)"
)
# A number ("4.2", "6(a)", "2d") or a capital label ("A", "J1"); never a lower-case word, so
# "part of" and "section in" are not references.
_ID = (
    r"(?:\d{1,3}(?:\.\d{1,3})*[a-z]?(?:\([a-z0-9]{1,4}\))*|[A-Z]{1,2}\d{0,2}(?:\.\d{1,3})*)(?![\w])"
)
_WORD = r"[A-Z][\w’'\-]*"
_NAME = (
    rf"{_WORD}(?:\s+(?:(?:of|and|for|to|the|off|&)\s+)?(?:{_WORD}|\d{{1,3}}[a-z]?(?![\w]))){{0,7}}"
)
_NUMBERED = re.compile(
    rf"(?P<label>{_QUALIFIER}{_KIND}\s+{_ID})"
    rf"(?:\s*\((?P<title>[^()\n]{{2,80}})\))?"
    rf"(?:\s+(?:of|to|in)\s+(?:the\s+)?(?P<of>{_NAME}))?"
)
_DOCUMENT_WORDS = (
    r"(?:Agreement|Contract|Form|Specification|Terms|Conditions|Schedules?|Questionnaire|"
    r"Guidance|Pack|Documents?|Policy|Policies|Act|Regulations|Order|Tender|ITT|Notice|Manual|"
    r"Handbook|Guide|Framework|Standards?|Code|Procedure|Plan|Invitation\s+to\s+Tender|"
    r"Instructions|Response|Template|Annex|Appendix|Attachment)"
)
_CUE = (
    r"(?i:see|refer\s+to|referred\s+to\s+in|(?:as\s+)?defined\s+in|(?:as\s+)?set\s+out\s+in|"
    r"described\s+in|specified\s+in|detailed\s+in|listed\s+in|contained\s+in|stated\s+in|"
    r"provided\s+(?:for\s+)?in|in\s+accordance\s+with|pursuant\s+to|under|as\s+per|"
    r"subject\s+to|in\s+line\s+with|incorporated\s+into|found\s+in)"
)
_NAMED = re.compile(
    rf"\b{_CUE}\s+(?:the\s+)?(?P<name>(?:{_WORD}\s+(?:(?:of|and|for|to|off|&)\s+)?){{0,5}}"
    rf"{_DOCUMENT_WORDS})(?![\w])"
)
_FRAMEWORK_CODE = re.compile(r"\bRM\s?(\d{4})", re.IGNORECASE)
_LABEL = re.compile(r"\b(attachment|annex|appendix|schedule)[\s_\-]*(\d{1,2}[a-z]?|[a-z])\b", re.I)
_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"the", "of", "and", "for", "to", "a", "an", "&", "in", "this", "that"})
# One of these on its own names no particular document: "the Contract", "the Framework".
_GENERIC = frozenset(
    {"contract", "form", "terms", "schedule", "schedules", "document", "documents",
     "agreement", "guidance", "conditions", "pack", "framework", "annex", "appendix",
     "attachment", "part", "order", "tender", "notice", "policy", "plan", "response"}
)  # fmt: skip
_CODE_TOKEN = re.compile(r"^(?:[a-z]{1,2}\d[\w]*|\d+|v\d.*)$")
_TITLE_BLOCKS = 4
_CARRY_KINDS = (BlockKind.HEADER, BlockKind.FOOTER)


@dataclass(frozen=True)
class _PackEntry:
    path: str
    name_tokens: tuple[str, ...]
    title_tokens: tuple[tuple[str, ...], ...]
    labels: frozenset[str]
    codes: frozenset[str]
    # Annexes and parts the document holds itself: its "Annex 2" is not another file's.
    own_labels: frozenset[str]


@dataclass(frozen=True)
class CrossReference:
    text: str
    location: Location
    document: str | None  # the pack file it points to, when resolved


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in _TOKEN.findall(text.lower()) if t not in _STOP)


def _labels(text: str) -> set[str]:
    return {f"{kind.lower()} {ident.lower()}" for kind, ident in _LABEL.findall(text)}


@per_document
def _entry(document: Document) -> _PackEntry:
    stem = document.path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    name_tokens = tuple(t for t in _tokens(stem) if not _CODE_TOKEN.match(t))
    title_blocks = [b for b in document.blocks if b.kind in _CARRY_KINDS]
    body = [b for b in document.blocks if b.kind not in _CARRY_KINDS]
    title_blocks += body[:_TITLE_BLOCKS]
    titles = tuple(
        _tokens(line)
        for block in title_blocks
        for line in block.text.splitlines()
        if 0 < count_words(line) <= 15
    )
    label_text = stem.replace("-", " ").replace("_", " ") + "\n"
    label_text += "\n".join(block.text for block in title_blocks)
    codes = _FRAMEWORK_CODE.findall(label_text)
    own = {
        label
        for block in body
        if block.kind is BlockKind.HEADING
        or (block.kind is BlockKind.PARAGRAPH and count_words(block.text) <= 12)
        if _LABEL.match(block.text.strip())
        for label in _labels(block.text.strip()[:30])
        # Attachments are separate files of the pack by convention; annexes, appendices
        # and schedules with a title in the document are its own.
        if not label.startswith("attachment")
    }
    return _PackEntry(
        document.path,
        name_tokens,
        titles,
        frozenset(_labels(label_text)),
        frozenset(codes),
        frozenset(own),
    )


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


def _resolve(
    names: list[str], label: str | None, source: _PackEntry, entries: list[_PackEntry]
) -> str | None:
    if label and label in source.own_labels and not names:
        return None  # the document's own annex
    best: tuple[float, str] | None = None
    for entry in entries:
        if entry.path == source.path:
            continue
        if source.codes and entry.codes and not source.codes & entry.codes:
            continue  # another framework's document: same names, different pack
        score = 0.0
        # A bare label ("Annex 2") is weak evidence: it must come from the same framework
        # (or from a pack where no document names one).
        if label and label in entry.labels and source.codes == entry.codes:
            score = 1.0
        for name in names:
            tokens = _tokens(name)
            if not tokens or (len(tokens) == 1 and tokens[0] in _GENERIC):
                continue
            for haystack in (entry.name_tokens, *entry.title_tokens):
                if haystack and _contains(haystack, tokens):
                    score = max(score, len(tokens) / len(haystack))
        if score and (best is None or score > best[0]):
            best = (score, entry.path)
    return best[1] if best else None


@per_document
def document_words(document: Document) -> int:
    return sum(count_words(block.text) for block in document.blocks)


@per_document
def _counts_and_references(
    document: Document,
) -> tuple[int, int, list[tuple[str, list[str], str | None, Location]]]:
    """Words, sentences, and each cross-reference with the names that may resolve it."""
    words = document_words(document)
    sentence_count = 0
    references = []
    for block, found in zip(document.blocks, block_sentences(document), strict=True):
        sentence_count += len(found)
        if block.kind in (BlockKind.HEADING, *_CARRY_KINDS):
            continue
        for text, names, label in find_references(block.text):
            if not _is_title(block, text):
                references.append((text, names, label, block.location))
    return words, sentence_count, references


def find_references(text: str) -> list[tuple[str, list[str], str | None]]:
    """(reference text, names to resolve, "kind id" label) for each cross-reference in text."""
    found: list[tuple[int, int, str, list[str], str | None]] = []
    for match in _NUMBERED.finditer(text):
        label_text = match.group("label")
        labels = _labels(label_text)
        names = [n for n in (match.group("of"), match.group("title")) if n]
        if match.group("of"):
            # "paragraph 3 of the Framework Agreement": the reference points into that.
            labels = _labels(match.group("of"))
        label = next(iter(labels), None) if labels else None
        found.append((match.start(), match.end(), match.group().strip(), names, label))
    for match in _NAMED.finditer(text):
        start, end = match.span("name")
        if any(start < other_end and other_start < end for other_start, other_end, *_ in found):
            continue
        tokens = _tokens(match.group("name"))
        if len(tokens) == 1 and tokens[0] in _GENERIC:
            continue  # "under the Contract" points at nothing in particular
        found.append((start, end, match.group("name"), [match.group("name")], None))
    found.sort()
    return [(reference, names, label) for _, _, reference, names, label in found]


def _is_title(block: Block, reference: str) -> bool:
    """A paragraph that is only the reference ("ANNEX A") is the annex's own title."""
    return block.kind is BlockKind.PARAGRAPH and block.text.strip(" .:\t") == reference


def run(pack: Pack, settings: Settings) -> CheckOutput:
    for name in ("reading_words_per_minute", "words_per_page"):
        if getattr(settings, name) <= 0:
            raise ConfigError(f"{name.replace('_', '-')} must be more than 0")
    output = CheckOutput()
    entries = [_entry(document) for document in pack.documents]
    totals: Counter[str] = Counter()
    estimated_any = False
    for document, entry in zip(pack.documents, entries, strict=True):
        burden, references = _burden(document, entry, entries, settings)
        output.document_data[document.path] = {"burden": burden}
        for key in ("words", "sentences", "pages", "cross_references", "cross_references_to_pack"):
            totals[key] += burden[key]
        estimated_any = estimated_any or burden["pages_estimated"]
        finding = _density_finding(document.path, burden, references, settings)
        if finding:
            output.findings.append(finding)
    output.pack_data["burden"] = {
        "documents": len(pack.documents),
        "words": totals["words"],
        "sentences": totals["sentences"],
        "pages": totals["pages"],
        "pages_estimated": estimated_any,
        "reading_minutes": _minutes(totals["words"], settings),
        "cross_references": totals["cross_references"],
        "cross_references_to_pack": totals["cross_references_to_pack"],
        "reading_words_per_minute": settings.reading_words_per_minute,
        "words_per_page": settings.words_per_page,
    }
    return output


def _minutes(words: int, settings: Settings) -> float:
    return round(words / settings.reading_words_per_minute, 1)


def _burden(
    document: Document, entry: _PackEntry, entries: list[_PackEntry], settings: Settings
) -> tuple[dict[str, Any], list[CrossReference]]:
    words, sentence_count, found = _counts_and_references(document)
    references = [
        CrossReference(" ".join(text.split()), location, _resolve(names, label, entry, entries))
        for text, names, label, location in found
    ]
    estimated = document.pages is None
    pages = document.pages if not estimated else math.ceil(words / settings.words_per_page)
    to_pack = [reference for reference in references if reference.document]
    return (
        {
            "words": words,
            "sentences": sentence_count,
            "pages": pages,
            "pages_estimated": estimated,
            "reading_minutes": _minutes(words, settings),
            "cross_references": len(references),
            "cross_references_to_pack": len(to_pack),
            "cross_references_per_1000_words": _per_1000(len(to_pack), words),
            "cross_reference_targets": [
                {
                    "text": reference.text,
                    "location": reference.location.as_dict(),
                    "document": reference.document,
                }
                for reference in references
            ],
        },
        references,
    )


def _per_1000(count: int, words: int) -> float:
    return round(count * 1000 / words, 2) if words else 0.0


def _density_finding(
    path: str, burden: dict[str, Any], references: list[CrossReference], settings: Settings
) -> Finding | None:
    limit = settings.cross_references_per_1000_words
    rate = burden["cross_references_per_1000_words"]
    if rate <= limit:
        return None
    to_pack = [reference for reference in references if reference.document]
    by_document = Counter(reference.document for reference in to_pack)
    listed = ", ".join(
        f"{name.replace(chr(92), '/').rsplit('/', 1)[-1]} {count}"
        for name, count in by_document.most_common()
    )
    first = to_pack[0]
    return Finding(
        CROSS_REFERENCES,
        path,
        f"Refers to other documents of the pack {len(to_pack)} times, {rate:g} per 1,000 words "
        f"(limit {limit:g}): {listed}",
        first.location,
        first.text,
        "Bring what the applicant needs from those documents into this one, or summarise it "
        "where it is referred to.",
        {
            "count": len(to_pack),
            "per_1000_words": rate,
            "limit": limit,
            "documents": dict(by_document),
        },
    )
