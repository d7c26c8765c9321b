"""What else a bid demands: case studies and references (and how many), and the attachments and
evidence an applicant must gather (policies, insurance, accreditations, accounts, credit
reports, bonds and guarantees, CVs, method statements), each with where the pack asks for it.

A mention counts only in a sentence that asks for something ("provide", "upload", "submit",
"attach", "evidence", "copy of", "must have"…), so a policy named in passing is not a demand.
The facts the proportionality scorer needs are kept too: audited accounts or insurance demanded
at bid stage, a credit score used as pass/fail, a minimum turnover, a selection stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from plainbid.checks.base import CheckOutput, per_document
from plainbid.checks.contract_value import parse_amount
from plainbid.checks.numbers import NUMBER_WORDS
from plainbid.config import Settings
from plainbid.model import BlockKind, Document, Location, Pack, Rule
from plainbid.nlp import flatten, may_contain

RULES: tuple[Rule, ...] = ()

# "a case study" asks for one.
_COUNT_WORDS = {"a": 1, "an": 1, **NUMBER_WORDS}
_N = r"(\d{1,2}|" + "|".join(w for w in _COUNT_WORDS if len(w) > 2) + r")"

# (kind, label, pattern): kind groups what the scorer and the applicant's checklist read.
_EVIDENCE: list[tuple[str, str, re.Pattern[str]]] = [
    (kind, label, re.compile(pattern, re.I))
    for kind, label, pattern in [
        ("case_study", "case studies", r"case[- ]stud(?:y|ies)"),
        (
            "reference",
            "references",
            r"\b(?:client|customer|trade|bank|character|professional|contract)\s+referees?\b|"
            r"\breferees?\b|\b(?:provide|supply|submit|give|include|name)\b[^.]{0,40}"
            r"\breferences\b|\breferences\s+from\b|\bexample (?:customer )?contracts?\b|"
            r"\bprincipal contracts\b",
        ),
        ("policy", "safeguarding policy", r"safeguarding(?: \w+)? polic"),
        ("policy", "health and safety policy", r"health (?:and|&) safety (?:\w+ )?polic"),
        (
            "policy",
            "equality policy",
            r"equal(?:ity|ities)(?: and diversity| diversity and inclusion| and inclusion)? polic|"
            r"\bEDI polic|diversity polic",
        ),
        (
            "policy",
            "data protection policy",
            r"data protection polic|GDPR polic|information governance polic|privacy polic",
        ),
        ("policy", "cyber security policy", r"cyber[- ]security polic|information security polic"),
        ("policy", "business continuity plan", r"business continuity (?:plan|polic)"),
        (
            "policy",
            "modern slavery statement",
            r"(?:modern )?slavery (?:and human trafficking )?statement",
        ),
        ("policy", "carbon reduction plan", r"carbon reduction plan"),
        ("accreditation", "Cyber Essentials", r"cyber essentials(?: plus)?"),
        ("accreditation", "ISO certification", r"\bISO\s?\d{4,5}(?:-\d+)?"),
        (
            "insurance",
            "insurance certificates",
            r"insurance (?:certificate|cover|polic(?:y|ies)|schedule)|certificates? of insurance|"
            r"(?:employer['’]?s|public|professional|product) (?:\(compulsory\) )?liability "
            r"insurance|professional indemnity(?: insurance)?",
        ),
        (
            "accounts",
            "audited accounts",
            r"audited (?:annual |financial )?(?:accounts|financial statements)",
        ),
        (
            "accounts",
            "financial accounts",
            r"(?:annual|statutory|parent company|charity) accounts|financial statements|"
            r"profit (?:&|and) loss|cash ?flow forecast|bank letter",
        ),
        (
            "credit",
            "credit report or score",
            r"credit (?:report|score|rating|check|reference)s?|dun (?:&|and) bradstreet|"
            r"creditsafe|experian",
        ),
        (
            "guarantee",
            "bond or parent company guarantee",
            r"performance bond|parent company guarantee|\bguarantee\b|\bbond\b",
        ),
        ("cv", "CVs", r"\bCVs?\b|\bCV['’]s\b|curricul(?:um|a) vitae"),
        ("method_statement", "method statements", r"method statements?"),
    ]
]
# Every alternative of every _EVIDENCE pattern spells one of these words, so a text holding
# none of them names no evidence: about 91% of blocks stop here, before the 19 patterns. Keep
# it in step with _EVIDENCE (a test in tests/test_demands.py checks every alternative).
_EVIDENCE_WORDS = tuple(
    "case refere example principal polic continuity statement carbon cyber iso insurance "
    "indemnity audited accounts profit forecast letter credit bradstreet experian bond "
    "guarantee cv curricul".split()
)
_ASKS = re.compile(
    r"\b(?:provide|submit|upload|attach|include|enclose|supply|send|cop(?:y|ies) of|evidence|"
    r"must (?:have|hold|be)|required|requirement|certificat|confirm (?:that )?you have|"
    r"demonstrate|produce|hold)\b",
    re.I,
)
_LATER = re.compile(
    r"prior to (?:the )?(?:commencement|start)|(?:on|at|upon|before|following) (?:the )?"
    r"(?:contract )?award|if (?:you are )?successful|commit to obtain|before the contract "
    r"(?:starts|begins|commences)|at contract award stage|by the (?:contract )?start|"
    r"(?:prior to|before) (?:contract )?signature|where (?:the law|legislation) requires|"
    r"legal requirement|required by law|legally required",
    re.I,
)
_PASS_FAIL = re.compile(
    r"pass\s*/\s*fail|\bfail\b|minimum|below|exclud|reject|threshold|at least|score of|"
    r"rating of",
    re.I,
)
_YEARS = re.compile(
    rf"(?:last|previous|past|most recent)\s+{_N}\s+(?:financial\s+|trading\s+)?years|"
    rf"\b{_N}\s+years['’]?\s+(?:of\s+)?(?:audited\s+)?(?:accounts|financial statements)",
    re.I,
)
_COUNT = re.compile(
    r"\b(?:at least|a minimum of|minimum of|up to|no more than|maximum of)?\s*\(?"
    rf"(\d{{1,2}}|{'|'.join(_COUNT_WORDS)})\)?\s+"
    r"(?:\(\d+\)\s+)?(?:[\w-]+\s+){0,2}(?:case[- ]stud(?:y|ies)|references|referees|"
    r"example (?:customer )?contracts)",
    re.I,
)
_TURNOVER = re.compile(
    r"(?:minimum (?:annual |yearly )?turnover(?: requirement)?(?: of| is| must be|:)?|"
    r"turnover (?:of |must be |should be |must exceed |should exceed )?(?:at least|not less than|"
    r"no less than|in excess of|more than|above|exceeding|greater than)|"
    r"turnover (?:must|should) (?:be|exceed))\s*(?:at least\s+)?"
    r"(?:£|GBP\s?)\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(k|m|mn|bn|thousand|million|billion)\b)?",
    re.I,
)
_TURNOVER_MULTIPLE = re.compile(
    r"turnover[^.]{0,60}?\b(\d+(?:\.\d+)?|two|three|four|five)\s*(?:x|times)\b[^.]{0,40}"
    r"(?:contract|annual) value",
    re.I,
)
_SELECTION = re.compile(
    r"selection questionnaire|pre-?qualification questionnaire|\bPQQ\b|\bSQ\b|"
    r"conditions of participation|pre-?qualification stage|selection stage",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(])")


@dataclass
class Demand:
    kind: str
    label: str
    location: Location
    excerpt: str
    count: int | None = None
    years: int | None = None
    at_bid_stage: bool = True
    pass_fail: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "count": self.count,
            "years": self.years,
            "at_bid_stage": self.at_bid_stage,
            "pass_fail": self.pass_fail,
            "excerpt": self.excerpt,
            "location": self.location.as_dict(),
        }


@dataclass
class Turnover:
    amount_gbp: float | None
    multiple: float | None
    excerpt: str
    location: Location


def _number(raw: str) -> int:
    raw = raw.lower()
    return _COUNT_WORDS.get(raw) or int(raw)


def _short(text: str, size: int = 200) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def demands_in_text(text: str, location: Location) -> list[Demand]:
    """Every demand in one block of text, one per kind of evidence and sentence."""
    found: list[Demand] = []
    if not may_contain(text, _EVIDENCE_WORDS):
        return found
    for sentence in _SENTENCE.split(flatten(text)):
        if not _ASKS.search(sentence) or not may_contain(sentence, _EVIDENCE_WORDS):
            continue
        labels: set[str] = set()
        for kind, label, pattern in _EVIDENCE:
            if label in labels or not pattern.search(sentence):
                continue
            if label == "financial accounts" and "audited accounts" in labels:
                continue
            labels.add(label)
            demand = Demand(kind, label, location, _short(sentence))
            if kind in ("case_study", "reference"):
                for count in _COUNT.finditer(sentence):
                    if (kind == "case_study") == bool(re.search("case", count.group(0), re.I)):
                        demand.count = _number(count.group(1))
                        break
            if kind == "accounts":
                years = _YEARS.search(sentence)
                if years:
                    demand.years = _number(next(g for g in years.groups() if g))
            if kind in ("insurance", "accounts"):
                demand.at_bid_stage = not _LATER.search(sentence)
            if kind == "credit":
                demand.pass_fail = bool(_PASS_FAIL.search(sentence))
            found.append(demand)
    return found


@per_document
def find_demands(document: Document) -> list[Demand]:
    """Every demand in the document, found once per document (the demands and
    proportionality checks both read them): do not change them."""
    demands: list[Demand] = []
    for block in document.blocks:
        if block.kind in (BlockKind.HEADER, BlockKind.FOOTER):
            continue
        demands.extend(demands_in_text(block.text, block.location))
    return demands


@per_document
def find_turnover(document: Document) -> list[Turnover]:
    """Minimum turnover demands: an amount, or a multiple of the contract value."""
    found: list[Turnover] = []
    for block in document.blocks:
        if "turnover" not in block.text.lower():  # flattening changes only spaces
            continue
        text = flatten(block.text)
        for sentence in _SENTENCE.split(text):
            for match in _TURNOVER.finditer(sentence):
                amount = parse_amount(match.group(1), match.group(2))
                found.append(Turnover(amount, None, _short(sentence), block.location))
            multiple = _TURNOVER_MULTIPLE.search(sentence)
            if multiple:
                raw = multiple.group(1).lower()
                value = float(_COUNT_WORDS.get(raw) or raw)
                found.append(Turnover(None, value, _short(sentence), block.location))
    return found


@per_document
def find_selection_stage(document: Document) -> Location | None:
    """Where the pack shows a selection (pre-qualification) stage, if it does."""
    for block in document.blocks:
        if _SELECTION.search(block.text):
            return block.location
    return None


def pack_counts(demands: list[Demand]) -> dict[str, int]:
    """Case studies and references asked for (a count where stated, else one per request),
    and distinct attachments (each kind of evidence once)."""
    case_studies = sum(d.count or 1 for d in demands if d.kind == "case_study")
    references = sum(d.count or 1 for d in demands if d.kind == "reference")
    attachments = len({d.label for d in demands if d.kind not in ("case_study", "reference")})
    return {"case_studies": case_studies, "references": references, "attachments": attachments}


def run(pack: Pack, settings: Settings) -> CheckOutput:
    output = CheckOutput()
    everything: list[Demand] = []
    for document in pack.documents:
        demands = find_demands(document)
        everything.extend(demands)
        output.document_data[document.path] = {"demands": [d.as_dict() for d in demands]}
    output.pack_data.update(pack_counts(everything))
    return output
