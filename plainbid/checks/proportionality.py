"""Is what the bid demands proportionate to the contract? Missing facts (PB304) and the band (PB401).

The Procurement Act 2023 requires the procedure to be "a proportionate means" of awarding the
contract, having regard to its nature, complexity and cost (s.20(3)), conditions of
participation to be proportionate (s.22), and buyers to have regard to the barriers small
organisations face (s.12(4)). This module reads what the other checks found (questions, demands,
value) by calling their pure functions, weighs each demand against the contract's value, and
gives a band with its reasons, each reason naming its rule and its source. Every threshold is a
setting; each default's source is below and in docs/proportionality.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from plainbid.checks import contract_value, demands, questions
from plainbid.checks.base import CheckOutput, per_document
from plainbid.config import Settings
from plainbid.model import Block, BlockKind, Document, Finding, Location, Pack, Rule, Severity
from plainbid.nlp import flatten

# Sources for each default and rule (see docs/proportionality.md for the full list).
SURVEY = "Clinks/probation survey of 128 voluntary organisations (2022)"
SOURCE_WORDS = (
    f"{SURVEY}: 20,000+ words for a contract under £100k a year was 'disproportionate and far "
    "too onerous' (200 words per £1k a year); Procurement Act 2023 s.20(3)"
)
SOURCE_TURNOVER = (
    "PCR 2015 reg 58 (minimum yearly turnover must not exceed twice the estimated contract "
    "value except in duly justified cases); Health Care Services (Provider Selection Regime) "
    "Regulations 2023 Sch 16 para 3(3)"
)
SOURCE_ACCOUNTS = (
    "Procurement Act 2023 s.22 and Cabinet Office guidance on conditions of participation: "
    "audited accounts may be required only where the law already requires the supplier's "
    "accounts to be audited (Companies Act 2006 Part 16)"
)
SOURCE_INSURANCE = (
    "Procurement Act 2023 s.22 and Cabinet Office guidance on conditions of participation: "
    "insurance relating to the contract cannot be required to be in place before award"
)
SOURCE_CREDIT = (
    "localgovernmentlawyer.co.uk 'Kept in check' (undisclosed credit-agency formulas risk a "
    f"transparency challenge); NFB survey (13% of councils used credit checks as pass/fail); {SURVEY}"
)
SOURCE_SELECTION = (
    "Procurement Act 2023 s.85 (no restriction on suitability grounds for regulated "
    "below-threshold contracts); PCR 2015 reg 111; thresholds from 1 January 2026 (PPN 023): "
    "£135,018 central government, £207,720 sub-central goods and services, £663,540 light touch"
)
SOURCE_SHORT = f"{SURVEY}: 250 words to describe experience and delivery model was too little"
SOURCE_LOTS = f"{SURVEY}: the same questions were asked whatever the contract's value"
SOURCE_MISSING = (
    f"{SURVEY}: missing TUPE, volume and location information made bids impossible to price; "
    "Procurement Act 2023 s.12(4)"
)
SOURCE_TIME = (
    "Procurement Act 2023 s.54: minimum 25 days from the tender notice for tenders submitted "
    "electronically in the open and competitive flexible procedures (10 days with a "
    "qualifying planned procurement notice or in urgency); no minimum for light touch contracts"
)
SOURCE_RATES = (
    "plainbid defaults, no official figure: 250 finished words an hour of bid writing, £30 an "
    "hour staff cost, 500 words a side of A4, 6 characters a word; set your own"
)

MISSING_INFORMATION = Rule(
    "PB304",
    "missing-information",
    Severity.INFO,
    "The pack leaves out a fact an applicant needs to decide whether and how to bid.",
    "Charities could not price bids that gave no TUPE staff data, referral volumes or "
    "locations; a pack should state the contract's value and length, the deadlines, how bids "
    "are scored, the volumes, any staff transferring under TUPE, and where the work is.",
    SOURCE_MISSING,
    example="The contract starts in April.",
)
DISPROPORTIONATE = Rule(
    "PB401",
    "disproportionate-burden",
    Severity.WARNING,
    "What the bid demands looks out of proportion to the contract's value.",
    "The Procurement Act 2023 requires procedures and conditions to be proportionate to the "
    "contract's nature, complexity and cost (s.20(3), s.22) and buyers to consider the "
    "barriers small organisations face (s.12(4)); the reasons name the demands to review.",
    "Procurement Act 2023 s.20(3), s.22, s.12(4)",
    example=(
        "The contract is worth £20,000 a year. Answer each of the ten questions below in "
        "no more than 2,000 words."
    ),
)
RULES = (MISSING_INFORMATION, DISPROPORTIONATE)

_BANDS = ("proportionate", "review", "disproportionate")

_DATE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?"
    r"\s+(\d{4})\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DEADLINE = re.compile(
    r"(?:submission|tender|response|return|closing) (?:deadline|date)|deadline for "
    r"(?:submission|tenders|responses|receipt|bids)|closing date|must be (?:submitted|received|"
    r"returned|uploaded) (?:by|no later than|before)|tender deadline|bids? (?:are )?due",
    re.I,
)
_CLARIFICATION = re.compile(r"clarification", re.I)
_ISSUE = re.compile(
    r"issue date|date of issue|issued on|published on|date issued|(?:ITT|tender|invitation)"
    r"[^.]{0,30}(?:issued|published)|tender notice published",
    re.I,
)
_WEIGHTS = re.compile(
    r"(?:quality|price|cost|technical|social value|commercial)[^.%]{0,40}\d{1,3}(?:\.\d+)?\s?%|"
    r"\d{1,3}(?:\.\d+)?\s?%[^.]{0,30}(?:quality|price|cost|technical|social value|commercial)|"
    r"\bweighting",
    re.I,
)
_VOLUMES = re.compile(
    r"\b\d[\d,]*\s+(?:\w+\s+)?(?:referrals|service users|clients|people|participants|sites|"
    r"locations|beds|cases|learners|patients|households|visits|premises|properties|users)\b|"
    r"(?:volume|number) of (?:referrals|service users|clients|sites|cases|people|users)"
    r"[^.]{0,60}\d",
    re.I,
)
_TUPE = re.compile(r"\bTUPE\b|transfer of undertakings", re.I)
_TUPE_INFO = re.compile(
    r"employee liability information|\bELI\b|staff (?:list|information|data)|TUPE "
    r"(?:information|data|list)|anonymised|\d+\s+(?:\w+\s+)?(?:staff|employees|FTE|posts)"
    r"[^.]{0,80}(?:transfer|TUPE)|(?:transfer|TUPE)[^.]{0,80}\d+\s+(?:\w+\s+)?(?:staff|"
    r"employees|FTE|posts)|no (?:staff|employees) (?:are expected to |will )?transfer|"
    r"TUPE (?:does|will) not apply",
    re.I,
)
_PLACE = re.compile(
    r"\b(?:locations?|geograph\w*|regions?|borough|county|district|postcodes?|delivered "
    r"(?:in|across|at|throughout)|based (?:in|at)|nationwide|national coverage|UK[- ]wide|"
    r"across (?:England|Wales|Scotland|the UK|Great Britain)|site address)\b",
    re.I,
)
_WHOLE_SERVICE = re.compile(
    r"\b(?:describe|explain|outline|set out|tell us about|provide (?:a |an )?(?:description|"
    r"overview|summary) of)\b[^?.]{0,40}\b(?:your|the) (?:whole |proposed |overall |full )?"
    r"(?:service|delivery model|organisation['’]?s? experience|experience|organisation|"
    r"approach to (?:delivering|delivery of|providing) (?:the|this) (?:service|contract)|"
    r"proposal)\b",
    re.I,
)
_PROCEDURE = [
    (re.compile(r"light[- ]touch", re.I), "light touch", None),
    (re.compile(r"competitive flexible", re.I), "competitive flexible", 25),
    (re.compile(r"open procedure", re.I), "open", 25),
]


@dataclass
class Reason:
    rule: str
    level: str  # "review" | "disproportionate"
    message: str
    source: str
    location: Location | None = None
    path: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "source": self.source,
        }


def _dates(text: str) -> list[date]:
    found = []
    for match in _DATE.finditer(text):
        try:
            if match.group(1):
                month = _MONTHS.index(match.group(2).lower()[:3]) + 1
                found.append(date(int(match.group(3)), month, int(match.group(1))))
            else:
                found.append(date(int(match.group(6)), int(match.group(5)), int(match.group(4))))
        except ValueError:
            continue
    return found


@per_document
def _document_sentences(document: Document) -> list[tuple[Location, str]]:
    """Every sentence of the document, and each table row read across as one line, since a
    timetable gives the event in one cell and its date in the next."""
    out = []
    rows: dict[tuple[int, int], list[Block]] = {}
    for block in document.blocks:
        for sentence in re.split(r"(?<=[.;!?])\s+", flatten(block.text)):
            out.append((block.location, sentence))
        if block.kind is BlockKind.TABLE_CELL:
            rows.setdefault((block.location.table, block.location.row), []).append(block)
    for cells in rows.values():
        if len(cells) > 1:
            line = " – ".join(flatten(cell.text) for cell in cells)
            out.append((cells[0].location, line))
    return out


def _first_dated(
    pack: Pack, cue: re.Pattern[str], exclude: re.Pattern[str] | None = None
) -> date | None:
    """The date in the pack's first sentence that has `cue` (and not `exclude`) and a date."""
    return next(
        (found for d in pack.documents if (found := _first_dated_in(d, cue, exclude))), None
    )


@per_document
def _first_dated_in(
    document: Document, cue: re.Pattern[str], exclude: re.Pattern[str] | None = None
) -> date | None:
    for _, sentence in _document_sentences(document):
        # Every date `_DATE` finds has a digit, and most sentences have none: looking for one
        # first skips the cue's slow case-blind search there (0.4 -> 0.1 s on 100k words).
        if not _DIGIT.search(sentence):
            continue
        if cue.search(sentence) and not (exclude and exclude.search(sentence)):
            dates = _dates(sentence)
            if dates:
                return dates[0]
    return None


def _mentions(pack: Pack, pattern: re.Pattern[str]) -> bool:
    return any(_document_mentions(document, pattern) for document in pack.documents)


@per_document
def _document_mentions(document: Document, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(" ".join(sentence for _, sentence in _document_sentences(document))))


def submission_deadline(pack: Pack) -> date | None:
    """The date bids are due, where the pack gives one."""
    return _first_dated(pack, _DEADLINE, _CLARIFICATION)


def time_to_respond(pack: Pack) -> dict[str, Any] | None:
    """Days between the issue date and the submission deadline, where both are given, with the
    statutory minimum for the procedure where the pack names it (Procurement Act 2023 s.54)."""
    issued = _first_dated(pack, _ISSUE)
    deadline = _first_dated(pack, _DEADLINE, _CLARIFICATION)
    if not issued or not deadline:
        return None
    procedure, minimum = None, None
    for pattern, name, days in _PROCEDURE:
        if _mentions(pack, pattern):
            procedure, minimum = name, days
            break
    return {
        "issue_date": issued.isoformat(),
        "deadline": deadline.isoformat(),
        "days": (deadline - issued).days,
        "procedure": procedure,
        "statutory_minimum_days": minimum,
        "source": SOURCE_TIME,
    }


def missing_information(
    pack: Pack, value: contract_value.ContractValue | None, years: float | None, weighted: bool
) -> list[tuple[str, str]]:
    """(item, what to add) for each fact the pack does not give."""
    missing = []
    if value is None:
        missing.append(
            ("contract value", "State the estimated contract value (a year and in total).")
        )
    if years is None:
        missing.append(("duration", "State how long the contract runs, with any extensions."))
    if not _first_dated(pack, _DEADLINE, _CLARIFICATION):
        missing.append(("submission deadline", "Give the date and time bids are due."))
    if not _first_dated(pack, _CLARIFICATION):
        missing.append(
            ("clarification deadline", "Give the last date for clarification questions.")
        )
    if not weighted and not _mentions(pack, _WEIGHTS):
        missing.append(
            ("evaluation criteria and weightings", "Say how bids are scored and weighted.")
        )
    if not _mentions(pack, _VOLUMES):
        missing.append(("volumes", "Give expected volumes: service users, referrals, sites."))
    if _mentions(pack, _TUPE) and not _mentions(pack, _TUPE_INFO):
        missing.append(
            (
                "TUPE staff information",
                "TUPE is mentioned: give anonymised staff numbers and costs.",
            )
        )
    if not _mentions(pack, _PLACE):
        missing.append(("location", "Say where the service is delivered (area, sites)."))
    return missing


def _lot_reason(
    values: list[contract_value.ContractValue], found: list[questions.Question], settings: Settings
) -> Reason | None:
    lots = [v for v in values if v.lot is not None and v.amount_gbp > 0]
    if len(lots) < 2:
        return None
    low = min(lots, key=lambda v: v.amount_gbp)
    high = max(lots, key=lambda v: v.amount_gbp)
    ratio = high.amount_gbp / low.amount_gbp
    if ratio < settings.lot_value_ratio:
        return None
    by_lot: dict[str, list[tuple[str, int | None]]] = {}
    shared = []
    for question in found:
        if question.limit is None:
            continue
        key = (question.limit.unit, question.limit.amount)
        named = {m.group(1) for m in re.finditer(r"\bLot\s+(\d+[a-z]?|[A-Z])\b", question.text)}
        if not named:
            shared.append(key)
        for lot in named:
            by_lot.setdefault(lot, []).append(key)
    same = sorted(by_lot.get(low.lot, [])) == sorted(by_lot.get(high.lot, [])) or not by_lot
    if not same:
        return None
    return Reason(
        "same-questions-across-lots",
        "review",
        f"Lot {high.lot} (£{high.amount_gbp:,.0f}) is worth {ratio:.0f} times lot {low.lot} "
        f"(£{low.amount_gbp:,.0f}) but asks the same questions and limits; ask less for the "
        "smaller lot.",
        SOURCE_LOTS,
    )


def _one_per_rule(reasons: list[Reason]) -> list[Reason]:
    """The first reason of each rule, saying how many more places ask the same."""
    kept: dict[str, Reason] = {}
    extra: dict[str, int] = {}
    for reason in reasons:
        if reason.rule in kept:
            extra[reason.rule] = extra.get(reason.rule, 0) + 1
        else:
            kept[reason.rule] = reason
    for rule, count in extra.items():
        kept[rule].message += f" (and {count} more place{'s' if count > 1 else ''})"
    return list(kept.values())


def score(
    pack: Pack, settings: Settings
) -> tuple[dict[str, Any], list[Reason], list[tuple[str, str]]]:
    """The proportionality section, its reasons, and the missing facts."""
    try:
        values, _ = contract_value.pack_values(pack, settings)
    except contract_value.OcdsError:
        values = []
    whole = contract_value.main_value(values)
    if whole is None and values:
        whole = max(values, key=lambda v: v.amount_gbp)  # lots only: the largest lot
    years = (whole.years if whole else None) or settings.years
    if years is None:
        years = next(
            (d[0] for d in (contract_value.find_duration(doc) for doc in pack.documents) if d), None
        )
    if whole is not None and whole.years is None and years is not None:
        whole.years = years
    found_at = [(doc.path, q) for doc in pack.documents for q in questions.find_questions(doc)]
    asked_at = [(doc.path, d) for doc in pack.documents for d in demands.find_demands(doc)]
    found = [q for _, q in found_at]
    asked = [d for _, d in asked_at]
    words = questions.words_to_write(found, settings)
    attachments = demands.pack_counts(asked)["attachments"]

    total = whole.amount_gbp if whole else None
    annual = None
    if whole is not None:
        annual = whole.annual()
        if annual is None:  # a total with no length: read it as one year (the smaller burden ratio)
            annual = whole.amount_gbp
    hours = round(words / settings.words_per_hour, 1) if settings.words_per_hour else None
    cost = round(hours * settings.hourly_rate_gbp) if hours is not None else None
    per_1k = round(words / (annual / 1000), 1) if annual else None
    share = round(cost / annual, 4) if annual and cost is not None else None

    reasons: list[Reason] = []
    if per_1k is not None and words:
        if per_1k >= settings.disproportionate_words_per_1k:
            level = "disproportionate"
        elif per_1k >= settings.review_words_per_1k:
            level = "review"
        else:
            level = None
        if level:
            reasons.append(
                Reason(
                    "words-per-value",
                    level,
                    f"{words:,} words to write for £{annual:,.0f} a year: {per_1k:g} words per "
                    f"£1k a year (review at {settings.review_words_per_1k:g}, disproportionate "
                    f"at {settings.disproportionate_words_per_1k:g}).",
                    SOURCE_WORDS,
                )
            )
    for document in pack.documents:
        for turnover in demands.find_turnover(document):
            multiple = turnover.multiple
            if multiple is None and turnover.amount_gbp and annual:
                multiple = turnover.amount_gbp / annual
            if multiple is not None and multiple > settings.turnover_multiple:
                reasons.append(
                    Reason(
                        "turnover-above-multiple",
                        "disproportionate",
                        f"Minimum turnover is {multiple:.1f} times the yearly contract value "
                        f"(more than {settings.turnover_multiple:g} times needs a stated "
                        f"justification): {turnover.excerpt}",
                        SOURCE_TURNOVER,
                        turnover.location,
                        document.path,
                    )
                )
    for path, demand in asked_at:
        if demand.label == "audited accounts" and demand.at_bid_stage:
            reasons.append(
                Reason(
                    "audited-accounts",
                    "review",
                    "Audited accounts are asked for; only suppliers the law requires to audit "
                    f"can be asked for them: {demand.excerpt}",
                    SOURCE_ACCOUNTS,
                    demand.location,
                    path,
                )
            )
        elif demand.kind == "insurance" and demand.at_bid_stage:
            reasons.append(
                Reason(
                    "insurance-at-bid-stage",
                    "review",
                    "Insurance is asked to be in place at bid stage; ask instead for a "
                    f"commitment to have it from the contract's start: {demand.excerpt}",
                    SOURCE_INSURANCE,
                    demand.location,
                    path,
                )
            )
        elif demand.kind == "credit" and demand.pass_fail:
            reasons.append(
                Reason(
                    "credit-score-pass-fail",
                    "review",
                    f"A credit score or report is used as a pass/fail test: {demand.excerpt}",
                    SOURCE_CREDIT,
                    demand.location,
                    path,
                )
            )
    if total is not None:
        gross = whole.gross_gbp or (
            total * (1 + settings.vat_rate) if whole.vat == "excluded" else total
        )
        if gross < settings.selection_threshold_gbp:
            stage = next(
                (
                    (doc, loc)
                    for doc in pack.documents
                    if (loc := demands.find_selection_stage(doc))
                ),
                None,
            )
            if stage is not None:
                reasons.append(
                    Reason(
                        "selection-below-threshold",
                        "disproportionate",
                        f"A selection (pre-qualification) stage on a contract worth £{gross:,.0f} "
                        f"including VAT, below the £{settings.selection_threshold_gbp:,.0f} "
                        "threshold.",
                        SOURCE_SELECTION,
                        stage[1],
                        stage[0].path,
                    )
                )
    for path, question in found_at:
        limit = question.limit
        if (
            limit is not None
            and limit.unit == "words"
            and limit.amount is not None
            and limit.amount <= settings.short_limit_words
            and limit.per is None
            and _WHOLE_SERVICE.search(question.text)
        ):
            reasons.append(
                Reason(
                    "short-limit-for-whole-service",
                    "review",
                    f"{limit.amount} words to describe a whole service or approach (at most "
                    f"{settings.short_limit_words} is too short to assess): "
                    f"{questions._short(question.text, 120)}",
                    SOURCE_SHORT,
                    question.location,
                    path,
                )
            )
    reasons = _one_per_rule(reasons)
    lot_reason = _lot_reason(values, found, settings)
    if lot_reason:
        reasons.append(lot_reason)
    timing = time_to_respond(pack)
    if (
        timing
        and timing["statutory_minimum_days"]
        and timing["days"] < timing["statutory_minimum_days"]
    ):
        reasons.append(
            Reason(
                "time-below-statutory-minimum",
                "disproportionate",
                f"{timing['days']} days to respond, below the {timing['statutory_minimum_days']}-day "
                f"minimum for the {timing['procedure']} procedure.",
                SOURCE_TIME,
            )
        )
    weighted = any(q.weighting for q in found)
    missing = missing_information(pack, whole, years, weighted)
    if missing and whole is not None:
        reasons.append(
            Reason(
                "missing-information",
                "review",
                "The pack does not give: " + ", ".join(item for item, _ in missing) + ".",
                SOURCE_MISSING,
            )
        )
    levels = [r.level for r in reasons if r.rule != "missing-information" or whole is not None]
    if any(level == "disproportionate" for level in levels):
        band = "disproportionate"
    elif levels:
        band = "review"
    elif whole is None:
        band = "unknown"
    else:
        band = "proportionate"
    section = {
        "contract_value_gbp": contract_value._round(total),
        "annual_value_gbp": contract_value._round(round(annual, 2)) if annual else None,
        "years": years,
        "words_to_write": words,
        "attachments": attachments,
        "words_per_1k_gbp_per_year": per_1k,
        "estimated_bid_hours": hours,
        "estimated_bid_cost_gbp": cost,
        "bid_cost_share": share,
        "band": band,
        "reasons": [reason.as_dict() for reason in reasons],
        "time_to_respond": timing,
        "deadline": deadline.isoformat() if (deadline := submission_deadline(pack)) else None,
        "missing_information": [item for item, _ in missing],
        "rates": {
            "words_per_hour": settings.words_per_hour,
            "hourly_rate_gbp": settings.hourly_rate_gbp,
            "words_per_page": settings.words_per_page,
            "characters_per_word": settings.characters_per_word,
            "source": SOURCE_RATES,
        },
    }
    return section, reasons, missing


def run(pack: Pack, settings: Settings) -> CheckOutput:
    output = CheckOutput()
    if not pack.documents:
        return output
    section, reasons, missing = score(pack, settings)
    output.pack_data["proportionality"] = section
    first = pack.documents[0].path
    for item, advice in missing:
        output.findings.append(
            Finding(
                MISSING_INFORMATION,
                first,
                f"Missing information: {item}. {advice}",
                Location(),
                "",
                advice,
                {"item": item},
            )
        )
    if section["band"] in ("review", "disproportionate"):
        names = "; ".join(reason.message for reason in reasons)
        located = next((r for r in reasons if r.location is not None and r.path), None)
        output.findings.append(
            Finding(
                DISPROPORTIONATE,
                located.path if located else first,
                f"Bid burden is {section['band']}: {questions._short(names, 600)}",
                located.location if located else Location(),
                "",
                "Ask only for what the contract's value and risk justify; see each reason's source.",
                {"band": section["band"], "reasons": [r.rule for r in reasons]},
            )
        )
    return output
