"""Terminal text: what the bid demands and the pack's summary first, then each document.

Errors and warnings are listed in full; notes (info findings) are counted per rule unless
`verbose` is asked for, so a hook's output stays short enough to read.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import click

from plainbid.formatters.summary import duration, money
from plainbid.model import Finding, Severity
from plainbid.report import DocumentReport, Report

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_BANDS = {"proportionate": "green", "review": "yellow", "disproportionate": "red"}
# Control characters (terminal escape sequences among them) from a document are never echoed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\n", " ").replace("\t", " "))


def render(report: Report, verbose: bool = False) -> str:
    lines = _pack_summary(report)
    for failure in report.failures:
        lines.append(
            click.style(f"cannot read {clean(failure.path)}: {clean(failure.message)}", fg="red")
        )
    lines += [clean(skipped) for skipped in report.skipped]
    for document in report.documents:
        lines.append("")
        lines += _document(document, verbose)
    lines.append("")
    lines.append(click.style(_totals(report), bold=True))
    return "\n".join(lines) + "\n"


def _pack_summary(report: Report) -> list[str]:
    pack = report.pack_data
    burden = pack.get("burden", {})
    words = sum(document.words for document in report.documents)
    head = f"{len(report.documents)} document(s), {words:,} words"
    if burden.get("pages"):
        head += f", {burden['pages']:,} pages" + (
            " (estimated)" if burden.get("pages_estimated") else ""
        )
    if burden.get("reading_minutes"):
        head += f", about {duration(burden['reading_minutes'])} to read"
    lines = [click.style(head, bold=True)]
    proportionality: dict[str, Any] = pack.get("proportionality") or {}
    if not pack.get("questions") and not proportionality:
        return lines
    lines.append(click.style("What the bid demands", bold=True))
    value = pack.get("contract_value")
    if value and value.get("amount_gbp"):
        lines.append(f"  contract value: {money(value)}")
    else:
        lines.append("  contract value: not stated in the pack")
    if "questions" in pack:
        lines.append(
            f"  questions: {pack['questions']} ({pack.get('questions_without_limit', 0)} with no "
            f"limit), about {pack.get('words_to_write', 0):,} words to write"
        )
    lines.append(
        f"  case studies: {pack.get('case_studies', 0)}, references: {pack.get('references', 0)}, "
        f"documents to attach: {pack.get('attachments', 0)}, knock-out gates: {pack.get('gates', 0)}"
    )
    respond = proportionality.get("time_to_respond")
    if respond:
        lines.append(f"  time to respond: {respond.get('days')} days")
    if proportionality.get("estimated_bid_hours"):
        lines.append(
            f"  estimated effort: {proportionality['estimated_bid_hours']:,} hours, "
            f"about £{proportionality.get('estimated_bid_cost_gbp', 0):,}"
        )
    band = proportionality.get("band")
    if band:
        styled = click.style(band.upper(), fg=_BANDS.get(band), bold=True)
        lines.append(f"  proportionality: {styled}")
        for reason in proportionality.get("reasons", []):
            lines.append(f"    - {clean(reason['message'])}")
    return lines


def _document(document: DocumentReport, verbose: bool) -> list[str]:
    model = document.document
    pages = f", {model.pages} pages" if model.pages else ""
    lines = [
        click.style(clean(model.path), bold=True, underline=True)
        + f" ({model.format}, {document.words:,} words{pages})"
    ]
    summary = _reading_summary(document)
    if summary:
        lines.append(f"  {summary}")
    for note in model.notes:
        lines.append(f"  note: {clean(note)}")
    shown = [f for f in document.findings if verbose or f.severity is not Severity.INFO]
    for finding in shown:
        lines += _finding(finding)
    hidden = Counter(f.rule.code for f in document.findings if f not in shown)
    if hidden:
        counted = ", ".join(f"{code} ×{count}" for code, count in sorted(hidden.items()))
        lines.append(f"  and {sum(hidden.values())} note(s): {counted} (--verbose lists them)")
    if not document.findings:
        lines.append("  no findings")
    return lines


def _reading_summary(document: DocumentReport) -> str:
    parts = []
    burden = document.data.get("burden") or {}
    if burden.get("reading_minutes"):
        parts.append(f"about {duration(burden['reading_minutes'])} to read")
    scores = (document.data.get("readability") or {}).get("document") or {}
    if scores.get("flesch_kincaid_grade") is not None:
        parts.append(f"reading grade {scores['flesch_kincaid_grade']}")
    if burden.get("cross_references"):
        parts.append(
            f"{burden['cross_references']} cross-references "
            f"({burden.get('cross_references_to_pack', 0)} to other documents in the pack)"
        )
    hardest = next(
        (f for f in document.findings if f.rule.code == "PB204" and f.data.get("rank") == 1), None
    )
    if hardest:
        parts.append(f"hardest passage at {hardest.location.describe()}")
    return "; ".join(parts)


def _finding(finding: Finding) -> list[str]:
    colour = _COLOURS[finding.severity]
    head = click.style(f"{finding.rule.code} {finding.severity.value}", fg=colour)
    lines = [f"  {finding.location.describe()}: {head} {clean(finding.message)}"]
    if finding.excerpt:
        lines.append(f"      “{clean(finding.excerpt)}”")
    if finding.suggestion:
        lines.append(f"      {clean(finding.suggestion)}")
    return lines


def _totals(report: Report) -> str:
    counts = Counter(finding.severity for finding in report.findings)
    unread = f", {len(report.failures)} file(s) not read" if report.failures else ""
    return (
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} note(s){unread}"
    )
