"""Readability: textstat scores per document, section and paragraph; PB203 and PB204.

Scores come from `plainbid.readability_scores` (textstat 0.7.8, called thread-safely). A
section is a run of blocks under the same heading; a paragraph is one prose block (a paragraph,
list item, table cell or note). Paragraphs and sections are scored once they have
`MIN_WORDS` words (30), so that one long word cannot swing a score by several grades.

PB203 compares the Flesch-Kincaid grade with `target_grade`. A section above the target gives
one finding that lists its paragraphs above the target; a paragraph above the target inside a
section that is within it gets a finding of its own. So a hard specification gives a finding
per section, not one per clause, and a hard clause in an easy section is not lost.

Every word is counted by textstat once: each scored paragraph's text, and per section the text
of its other (shorter) paragraphs joined. A section's and the document's scores come from the
sums of those counts (`scores_from_counts`), which are textstat's counts of the section's or
document's joined text, so they are the scores textstat gives that text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plainbid.checks.base import CheckOutput, per_document
from plainbid.config import Settings
from plainbid.model import Block, Document, Finding, Location, Pack, Rule, Severity
from plainbid.readability_scores import (
    GRADE,
    LANG,
    MIN_WORDS,
    NO_TEXT,
    PROSE_KINDS,
    SCORES,
    Sentence,
    TextCounts,
    block_sentences,
    release_caches,
    scores,
    scores_from_counts,
    scoring_text,
    text_counts,
)

HARDEST_COUNT = 5

# What PB203 and PB204 both flag, shown by `plainbid rules`.
_HARD_PARAGRAPH = (
    "The Authority's procurement methodology necessitates comprehensive "
    "organisational documentation demonstrating institutional compliance with "
    "applicable statutory, regulatory and contractual obligations. Bidders must "
    "evidence operational sustainability, demonstrable financial resilience and "
    "organisational governance arrangements commensurate with contractual "
    "responsibilities."
)
GRADE_ABOVE_TARGET = Rule(
    "PB203",
    "grade-above-target",
    Severity.WARNING,
    "Paragraph or section harder to read than the target grade (9 by default).",
    "A Flesch-Kincaid grade of 9 is a reading age of about 14, the level UK councils set for "
    "what the public must read (GOV.UK aims lower, at a reading age of 9). Small charities "
    "read tender packs without a bid team; every grade above the target narrows who can bid.",
    "https://www.surreycc.gov.uk/website/writing-guide/reading-levels-for-web-pages",
    example=_HARD_PARAGRAPH,
)
HARDEST_PASSAGE = Rule(
    "PB204",
    "hardest-passage",
    Severity.INFO,
    "One of the five hardest paragraphs of the document, ranked.",
    "Rewriting a whole pack is rarely possible before a deadline; the hardest passages are "
    "where plainer words help the most readers, so they are listed first.",
    "https://www.gov.uk/guidance/content-design/writing-for-gov-uk",
    example=_HARD_PARAGRAPH,
)
RULES = (GRADE_ABOVE_TARGET, HARDEST_PASSAGE)


@dataclass
class _Paragraph:
    block: Block
    sentences: list[Sentence]
    words: int
    # textstat's counts and scores of the paragraph's text, when it has MIN_WORDS words.
    counts: TextCounts | None = None
    scores: dict[str, float | None] | None = None

    @property
    def grade(self) -> float | None:
        return self.scores[GRADE] if self.scores else None


@dataclass
class _Section:
    heading: str | None
    paragraphs: list[_Paragraph] = field(default_factory=list)
    counts: TextCounts = NO_TEXT
    scores: dict[str, float | None] | None = None

    @property
    def words(self) -> int:
        return sum(paragraph.words for paragraph in self.paragraphs)

    @property
    def sentence_count(self) -> int:
        return sum(len(paragraph.sentences) for paragraph in self.paragraphs)

    @property
    def grade(self) -> float | None:
        return self.scores[GRADE] if self.scores else None


def run(pack: Pack, settings: Settings) -> CheckOutput:
    output = CheckOutput()
    for document in pack.documents:
        data, findings = _check(document, settings.target_grade)
        output.document_data[document.path] = {"readability": data}
        output.findings.extend(findings)
    return output


def _section_counts(paragraphs: list[_Paragraph]) -> TextCounts:
    """textstat's counts of the section's text (`scoring_text` of all its sentences): its
    scored paragraphs' own counts, plus one count of its other paragraphs' text joined."""
    unscored = [s.text for p in paragraphs if p.counts is None for s in p.sentences]
    total = text_counts(scoring_text(unscored)) if unscored else NO_TEXT
    for paragraph in paragraphs:
        if paragraph.counts is not None:
            total += paragraph.counts
    return total


def _scored(words: int, counts: TextCounts) -> dict[str, float | None] | None:
    return scores_from_counts(counts) if words >= MIN_WORDS else None


@per_document
def _check(document: Document, target: float) -> tuple[dict[str, Any], list[Finding]]:
    try:
        return _scored_document(document, target)
    finally:
        release_caches()


def _scored_document(document: Document, target: float) -> tuple[dict[str, Any], list[Finding]]:
    paragraphs: list[_Paragraph] = []
    sections: list[_Section] = []
    for block, found in zip(document.blocks, block_sentences(document), strict=True):
        if block.kind not in PROSE_KINDS or not found:
            continue
        paragraph = _Paragraph(block, found, sum(s.words for s in found))
        if paragraph.words >= MIN_WORDS:
            text = scoring_text(s.text for s in found)
            # textstat's own scores; the counts come from its per-text caches, filled by them.
            paragraph.scores = scores(text)
            paragraph.counts = text_counts(text)
        paragraphs.append(paragraph)
        if not sections or sections[-1].heading != block.location.heading:
            sections.append(_Section(block.location.heading))
        sections[-1].paragraphs.append(paragraph)
    whole = NO_TEXT
    for section in sections:
        section.counts = _section_counts(section.paragraphs)
        section.scores = _scored(section.words, section.counts)
        whole += section.counts

    findings = _above_target(document.path, sections, target)
    ranked = sorted(
        (p for p in paragraphs if p.grade is not None),
        key=lambda p: -(p.grade or 0.0),
    )[:HARDEST_COUNT]
    findings += [_hardest(document.path, rank, p) for rank, p in enumerate(ranked, 1)]

    words = sum(p.words for p in paragraphs)
    data = {
        "language": LANG,
        "min_words": MIN_WORDS,
        "target_grade": target,
        "document": {
            "words": words,
            "sentences": sum(len(p.sentences) for p in paragraphs),
            **(_scored(words, whole) or _no_scores()),
        },
        "sections": [
            {
                "heading": section.heading,
                "location": section.paragraphs[0].block.location.as_dict(),
                "words": section.words,
                "sentences": section.sentence_count,
                **(section.scores or _no_scores()),
            }
            for section in sections
        ],
        "paragraphs": [
            {
                "location": p.block.location.as_dict(),
                "words": p.words,
                "sentences": len(p.sentences),
                **p.scores,
            }
            for p in paragraphs
            if p.scores
        ],
        "hardest": [
            {
                "rank": rank,
                "location": p.block.location.as_dict(),
                "grade": p.grade,
                "excerpt": _excerpt(p),
            }
            for rank, p in enumerate(ranked, 1)
        ],
    }
    return data, findings


def _no_scores() -> dict[str, None]:
    return dict.fromkeys(SCORES)


def _excerpt(paragraph: _Paragraph, width: int = 200) -> str:
    text = " ".join(s.text for s in paragraph.sentences)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _above_target(path: str, sections: list[_Section], target: float) -> list[Finding]:
    findings: list[Finding] = []
    for section in sections:
        hard = [p for p in section.paragraphs if p.grade is not None and p.grade > target]
        if section.grade is not None and section.grade > target:
            findings.append(_section_finding(path, section, hard, target))
        else:
            findings += [_paragraph_finding(path, p, target) for p in hard]
    return findings


def _section_finding(
    path: str, section: _Section, hard: list[_Paragraph], target: float
) -> Finding:
    name = f"Section '{section.heading}'" if section.heading else "Text before any heading"
    first = section.paragraphs[0]
    message = f"{name} reads at grade {section.grade:.1f} (target {target:g})"
    if hard:
        worst = max(p.grade or 0.0 for p in hard)
        count = f"{len(hard)} of its paragraphs" if len(hard) > 1 else "1 of its paragraphs"
        message += f"; {count} above the target, the hardest at grade {worst:.1f}"
    return Finding(
        GRADE_ABOVE_TARGET,
        path,
        message,
        first.block.location,
        _excerpt(first),
        "Start with its hardest paragraphs: shorter sentences, everyday words, and say who "
        "does what.",
        {
            "heading": section.heading,
            "grade": section.grade,
            "target": target,
            "words": section.words,
            "scores": section.scores,
            "paragraphs_above_target": [
                {"location": p.block.location.as_dict(), "grade": p.grade} for p in hard
            ],
        },
    )


def _paragraph_finding(path: str, paragraph: _Paragraph, target: float) -> Finding:
    return Finding(
        GRADE_ABOVE_TARGET,
        path,
        f"Paragraph reads at grade {paragraph.grade:.1f} (target {target:g})",
        paragraph.block.location,
        _excerpt(paragraph),
        "Use shorter sentences and everyday words; say who does what.",
        {"grade": paragraph.grade, "target": target, "scores": paragraph.scores},
    )


def _hardest(path: str, rank: int, paragraph: _Paragraph) -> Finding:
    location: Location = paragraph.block.location
    sentence_count = len(paragraph.sentences)
    return Finding(
        HARDEST_PASSAGE,
        path,
        f"Hardest passage {rank} of {HARDEST_COUNT}: grade {paragraph.grade:.1f}, "
        f"{paragraph.words} words in {sentence_count} sentence{'s' if sentence_count != 1 else ''}",
        location,
        _excerpt(paragraph),
        "Rewrite this first: split its sentences, use everyday words, say who does what.",
        {
            "rank": rank,
            "grade": paragraph.grade,
            "words": paragraph.words,
            "sentences": sentence_count,
            "scores": paragraph.scores,
        },
    )
