"""Style: long sentences (PB201) and the passive voice (PB202).

Both are reported once per paragraph (block), listing every offending sentence or phrase in
`data`, so a 3,000-paragraph specification gives a finding per paragraph to fix rather than
several per paragraph.

The passive detector is rule-based on the blank spaCy pipeline (no tagger): a form of "be",
then at most two adverbs or "not", then a past participle: a word ending in "-ed" that the
lemma table knows as an inflection (so "need" and "hundred" are not participles), or one of the
irregular participles in `data/irregular_participles.txt`. Adjectives that look like
participles after "be" ("is based in", "are interested in") are left out. Reduced passives
without "be" ("the information requested") are not reported: they are what keeps a sentence
short. Precision and recall on a hand-labelled sample of the real corpus are measured by
tests/test_style.py (see docs/readability.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from plainbid.checks.base import CheckOutput, per_document
from plainbid.config import Settings
from plainbid.model import Block, Document, Finding, Pack, Rule, Severity
from plainbid.nlp import known_words, lemma_table
from plainbid.readability_scores import PROSE_KINDS, Sentence, block_sentences

GOV_UK_WRITING = "https://www.gov.uk/guidance/content-design/writing-for-gov-uk"

LONG_SENTENCE = Rule(
    "PB201",
    "long-sentence",
    Severity.WARNING,
    "Sentence longer than the limit (25 words by default).",
    "GOV.UK's guidance on writing for GOV.UK asks for sentences of 25 words or fewer: long "
    "sentences lose readers, and a reader who misses a condition in the middle of one can "
    "fail a bid on it. Split the sentence, or turn its conditions into a list.",
    GOV_UK_WRITING,
    example=(
        "Bidders who wish to be considered for the framework must submit their completed "
        "selection questionnaire together with the supporting documents listed in the "
        "schedule before the closing date stated above."
    ),
)
PASSIVE_VOICE = Rule(
    "PB202",
    "passive-voice",
    Severity.INFO,
    "Passive voice: the sentence does not say who does what.",
    "'Bids will be evaluated' leaves the applicant asking by whom, and by when; GOV.UK "
    "guidance asks for the active voice ('we will evaluate bids'). Some passives are right "
    "(when who acts does not matter); this is information, not an error.",
    GOV_UK_WRITING,
    example="Bids will be evaluated by a panel.",
)
RULES = (LONG_SENTENCE, PASSIVE_VOICE)

BE_FORMS = frozenset({"be", "am", "is", "are", "was", "were", "been", "being"})
# Words that may sit between "be" and the participle: "will not be", "is fully met".
_BETWEEN = frozenset(
    {"not", "n't", "never", "also", "then", "now", "already", "always", "still", "further",
     "hereby", "thereby", "therefore", "duly", "so", "all", "both", "each", "often", "once"}
)  # fmt: skip
_MAX_BETWEEN = 2
# "-ed" words that after "be" describe a state, not an action done to the subject: no one
# "bases" a supplier in Leeds. Ambiguous words ("prepared", "satisfied", "established") stay
# out of this list: most of their uses in tenders are passives ("reports are prepared by").
NOT_PASSIVE = frozenset(
    {"aged", "based", "committed", "concerned", "dedicated", "delighted", "experienced",
     "interested", "involved", "located", "married", "pleased", "related", "situated",
     "skilled", "supposed", "talented", "tired", "worried"}
)  # fmt: skip


@lru_cache(maxsize=1)
def irregular_participles() -> frozenset[str]:
    text = (
        resources.files("plainbid.checks")
        .joinpath("data", "irregular_participles.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def is_participle(word: str) -> bool:
    lower = word.lower()
    if lower in NOT_PASSIVE:
        return False
    if lower in irregular_participles():
        return True
    if len(lower) < 4 or not lower.endswith("ed") or not lower.isalpha():
        return False
    lemma = lemma_table().get(lower)
    if lemma is not None:
        return lemma != lower  # an inflection of another word: "agreed" -> "agree"
    # A base form the table knows ("need", "indeed", "hundred", "exceed") is no participle;
    # an unknown word ("novated") is most likely a verb of the trade.
    return lower not in known_words() and len(lower) > 4


def passive_phrases(span: Span) -> Iterator[Span]:
    """Each "be (+ up to two adverbs) + participle" in the span, as a span of the doc."""
    tokens = list(span)
    for index, token in enumerate(tokens):
        if token.lower_ not in BE_FORMS:
            continue
        for ahead in range(index + 1, min(index + 2 + _MAX_BETWEEN, len(tokens))):
            candidate: Token = tokens[ahead]
            if is_participle(candidate.text):
                yield span.doc[token.i : candidate.i + 1]
                break
            if not _is_between(candidate):
                break


def _is_between(token: Token) -> bool:
    lower = token.lower_
    return lower in _BETWEEN or (len(lower) > 3 and lower.endswith("ly") and lower.isalpha())


def run(pack: Pack, settings: Settings) -> CheckOutput:
    output = CheckOutput()
    for document in pack.documents:
        output.findings += _findings(document, settings.sentence_words)
    return output


@per_document
def _findings(document: Document, limit: int) -> list[Finding]:
    findings = []
    for block, found in zip(document.blocks, block_sentences(document), strict=True):
        if block.kind not in PROSE_KINDS:
            continue
        long = [sentence for sentence in found if sentence.words > limit]
        if long:
            findings.append(_long_finding(document.path, block, long, limit))
        passives = [
            (sentence, phrase) for sentence in found for phrase in passive_phrases(sentence.span)
        ]
        if passives:
            findings.append(_passive_finding(document.path, block, passives))
    return findings


def clip(text: str, width: int = 200) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _long_finding(path: str, block: Block, long: list[Sentence], limit: int) -> Finding:
    worst = max(long, key=lambda sentence: sentence.words)
    if len(long) == 1:
        message = f"Sentence of {worst.words} words (limit {limit})"
    else:
        counts = ", ".join(str(sentence.words) for sentence in long)
        message = f"{len(long)} sentences longer than {limit} words ({counts} words)"
    return Finding(
        LONG_SENTENCE,
        path,
        message,
        block.location,
        clip(worst.text),
        "Split it into sentences of one idea each; put conditions or steps in a list.",
        {
            "limit": limit,
            "sentences": [{"words": s.words, "text": clip(s.text, 120)} for s in long],
        },
    )


def _passive_finding(path: str, block: Block, passives: list[tuple[Sentence, Span]]) -> Finding:
    phrases = [phrase.text for _, phrase in passives]
    quoted = ", ".join(f"'{phrase}'" for phrase in dict.fromkeys(phrases))
    return Finding(
        PASSIVE_VOICE,
        path,
        f"Passive voice: {quoted}",
        block.location,
        clip(passives[0][0].text),
        "Say who does it: 'we will evaluate bids', not 'bids will be evaluated'.",
        {
            "phrases": [
                {"phrase": phrase.text, "sentence": clip(sentence.text, 120)}
                for sentence, phrase in passives
            ]
        },
    )
