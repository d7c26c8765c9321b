"""The pack's summary in words and numbers, shared by the Markdown and HTML reports.

Everything here reads the `Report` and its JSON sections; nothing is computed twice in two
formats, so the Markdown and the HTML report always agree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from plainbid.model import Severity
from plainbid.report import DocumentReport, Report

BANDS = ("proportionate", "review", "disproportionate", "unknown")


def headline(report: Report) -> str:
    """'4 document(s), 5,547 words, 13 pages (estimated), about 28 minutes to read'."""
    burden = report.pack_data.get("burden") or {}
    words = sum(document.words for document in report.documents)
    text = f"{len(report.documents)} document(s), {words:,} words"
    if burden.get("pages"):
        text += f", {burden['pages']:,} pages" + (
            " (estimated)" if burden.get("pages_estimated") else ""
        )
    if burden.get("reading_minutes"):
        text += f", about {duration(burden['reading_minutes'])} to read"
    return text


def severity_counts(findings: list) -> Counter:
    return Counter(finding.severity for finding in findings)


def totals(findings: list) -> str:
    counts = severity_counts(findings)
    return (
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} note(s)"
    )


def demands(report: Report) -> list[tuple[str, str]]:
    """(label, value) rows: what the bid asks of an applicant, and the estimated effort."""
    pack = report.pack_data
    proportionality: dict[str, Any] = pack.get("proportionality") or {}
    rows: list[tuple[str, str]] = []
    value = pack.get("contract_value")
    rows.append(
        (
            "Contract value",
            money(value) if value and value.get("amount_gbp") else "not stated in the pack",
        )
    )
    if "questions" in pack:
        rows.append(
            (
                "Questions",
                f"{pack['questions']} ({pack.get('questions_without_limit', 0)} with no limit), "
                f"about {pack.get('words_to_write', 0):,} words to write",
            )
        )
        rows.append(
            (
                "Evidence",
                f"{pack.get('case_studies', 0)} case studies, {pack.get('references', 0)} "
                f"references, {pack.get('attachments', 0)} kinds of document to attach",
            )
        )
        rows.append(("Knock-out gates", str(pack.get("gates", 0))))
    respond = proportionality.get("time_to_respond")
    if respond and respond.get("days") is not None:
        rows.append(("Time to respond", f"{respond['days']} days"))
    if proportionality.get("estimated_bid_hours"):
        rows.append(
            (
                "Estimated effort",
                f"{proportionality['estimated_bid_hours']:,} hours, about "
                f"£{proportionality.get('estimated_bid_cost_gbp', 0):,} of staff time",
            )
        )
    return rows


def band(report: Report) -> tuple[str | None, list[dict[str, Any]]]:
    """The proportionality band and its reasons, or (None, []) when there is no band."""
    proportionality = report.pack_data.get("proportionality") or {}
    return proportionality.get("band"), list(proportionality.get("reasons", []))


def duration(minutes: float) -> str:
    if minutes < 90:
        return f"{round(minutes)} minutes"
    return f"{minutes / 60:.1f} hours"


def money(value: dict[str, Any]) -> str:
    text = f"£{value['amount_gbp']:,.0f}"
    if value.get("period") == "annual":
        text += " a year"
    elif value.get("period") == "total":
        text += " in total"
    if value.get("years"):
        text += f" for {value['years']:g} years"
    if value.get("vat"):
        text += f" (VAT {value['vat']})"
    return text


def grade(document: DocumentReport) -> float | None:
    scores = (document.data.get("readability") or {}).get("document") or {}
    return scores.get("flesch_kincaid_grade")


@dataclass(frozen=True)
class QuestionWords:
    label: str  # the question's id, or the start of its text
    text: str
    words: int | None  # None: no limit, or a placeholder limit
    limit: str  # '500 words', '2 pages', 'no limit'


def question_words(report: Report, document: DocumentReport) -> list[QuestionWords]:
    """Words each written question asks for; characters and pages at the pack's rates."""
    rates = (report.pack_data.get("proportionality") or {}).get("rates") or {}
    per_word = rates.get("characters_per_word") or 6.0
    per_page = rates.get("words_per_page") or 500.0
    rows = []
    for question in document.data.get("questions") or []:
        if question.get("answer"):  # yes/no, upload or tick box: nothing to write
            continue
        limit = question.get("limit")
        words: float | None = None
        shown = "no limit"
        if limit:
            amount = limit.get("amount")
            unit = limit.get("unit", "words")
            shown = f"{amount:,} {unit}" if amount is not None else f"a blank limit ({unit})"
            if amount is not None:
                words = amount
                if unit == "characters":
                    words = amount / per_word
                elif unit == "pages":
                    words = amount * per_page
        text = question.get("text") or ""
        label = question.get("id") or clip(text, 40)
        rows.append(QuestionWords(label, text, None if words is None else round(words), shown))
    return rows


@dataclass(frozen=True)
class JargonCounts:
    undefined: int  # jargon and acronyms the pack never explains
    defined: int  # jargon the pack defines
    formal: int  # formal words with a plainer alternative (PB104)
    uses: int  # uses of the jargon, defined or not


def jargon_counts(document: DocumentReport) -> JargonCounts:
    """Distinct terms of one document from its `terms` section, by kind."""
    terms = document.data.get("terms") or []
    jargon = [term for term in terms if term.get("category") != "bureaucratic"]
    undefined = sum(1 for term in jargon if not term.get("defined"))
    return JargonCounts(
        undefined=undefined,
        defined=len(jargon) - undefined,
        formal=len(terms) - len(jargon),
        uses=sum(term.get("count", 0) for term in jargon),
    )


def clip(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"
