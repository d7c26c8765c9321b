"""Markdown: a report to paste into an issue, a wiki page or an email, summary first.

Every piece of text from a document (excerpts, headings, file names, messages quoting the
document) is escaped, so a document cannot inject Markdown links, images or raw HTML.
"""

from __future__ import annotations

import re

from plainbid.formatters import summary
from plainbid.model import Finding, Severity
from plainbid.report import DocumentReport, Report

_SEVERITY_WORD = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# Characters with a meaning anywhere in a line of CommonMark or GitHub Flavored Markdown
# (emphasis, code, links and images, raw HTML, entities, table cells, strikethrough).
_ACTIVE = set("\\`*_[]<>|&~")
_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def md(text: str) -> str:
    """Document text as inert Markdown: one line, every active character escaped."""
    text = " ".join(str(text).split())
    escaped = "".join("\\" + c if c in _ACTIVE else c for c in text)
    escaped = _LIST_START.sub(r"\1\\\2", escaped)  # '1. ' would start a list
    if escaped[:1] in ("-", "=", "+", "#"):  # list items, headings
        escaped = "\\" + escaped
    return escaped


def render(report: Report) -> str:
    lines = ["# plainbid report", ""]
    lines.append(f"{md(summary.headline(report))}.")
    lines.append("")
    lines.append(f"**{len(report.findings)} findings: {summary.totals(report.findings)}.**")
    lines += _demands(report)
    lines += _unread(report)
    if report.documents:
        lines += _documents_table(report)
    for document in report.documents:
        lines += _document(document)
    return "\n".join(lines).rstrip("\n") + "\n"


def _demands(report: Report) -> list[str]:
    rows = summary.demands(report)
    band, reasons = summary.band(report)
    lines = ["", "## What the bid demands", "", "| | |", "|---|---|"]
    lines += [f"| {md(label)} | {md(value)} |" for label, value in rows]
    if band:
        lines.append(f"| Proportionality | **{md(band)}** |")
    if reasons:
        lines += ["", "Why:", ""]
        for number, reason in enumerate(reasons, 1):
            lines.append(
                f"{number}. **{md(reason.get('level', ''))}** ({md(reason.get('rule', ''))}): "
                f"{md(reason.get('message', ''))}"
            )
            if reason.get("source"):
                lines.append(f"   Source: {md(reason['source'])}")
    return lines


def _unread(report: Report) -> list[str]:
    if not report.failures and not report.skipped:
        return []
    lines = ["", "## Files not read", ""]
    lines += [f"- {md(failure.path)}: {md(failure.message)}" for failure in report.failures]
    lines += [f"- {md(skipped)}" for skipped in report.skipped]
    return lines


def _documents_table(report: Report) -> list[str]:
    lines = [
        "",
        "## Documents",
        "",
        "| Document | Format | Words | Reading grade | Errors | Warnings | Notes |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for document in report.documents:
        counts = summary.severity_counts(document.findings)
        grade = summary.grade(document)
        lines.append(
            f"| {md(document.document.path)} | {md(document.document.format)} "
            f"| {document.words:,} | {'' if grade is None else grade} "
            f"| {counts[Severity.ERROR]} | {counts[Severity.WARNING]} | {counts[Severity.INFO]} |"
        )
    return lines


def _document(document: DocumentReport) -> list[str]:
    model = document.document
    facts = [model.format, f"{document.words:,} words"]
    if model.pages:
        facts.append(f"{model.pages} pages")
    grade = summary.grade(document)
    if grade is not None:
        facts.append(f"reading grade {grade}")
    lines = ["", f"## {md(model.path)}", "", f"{md(', '.join(facts))}."]
    lines.append("")
    lines.append(f"{summary.totals(document.findings)}.")
    for note in model.notes:
        lines += ["", f"> Note: {md(note)}"]
    if not document.findings:
        lines += ["", "No findings."]
        return lines
    lines += ["", "| Where | Rule | Finding | Suggestion |", "|---|---|---|---|"]
    lines += [_row(finding) for finding in document.findings]
    return lines


def _row(finding: Finding) -> str:
    where = finding.location.describe()
    if finding.location.heading:
        where += f" (under “{finding.location.heading}”)"
    rule = f"{finding.rule.code} {finding.rule.name} ({_SEVERITY_WORD[finding.severity]})"
    message = md(finding.message)
    if finding.excerpt and finding.excerpt.strip() not in finding.message:
        message += f"<br>“{md(finding.excerpt)}”"
    suggestion = finding.suggestion or ""
    if suggestion and suggestion.strip() in finding.message:
        suggestion = ""  # the message already says it
    return f"| {md(where)} | {md(rule)} | {message} | {md(suggestion)} |"
