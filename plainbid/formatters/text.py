"""Terminal text: the pack summary first, then each document's findings in reading order."""

from __future__ import annotations

import re

import click

from plainbid.model import Severity
from plainbid.report import Report

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
# Control characters (terminal escape sequences among them) from a document are never echoed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\n", " ").replace("\t", " "))


def render(report: Report) -> str:
    lines: list[str] = []
    counts = {severity: 0 for severity in Severity}
    for finding in report.findings:
        counts[finding.severity] += 1
    words = sum(document.words for document in report.documents)
    summary = (
        f"{len(report.documents)} document(s), {words:,} words: "
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} note(s)"
    )
    lines.append(click.style(summary, bold=True))
    for failure in report.failures:
        lines.append(
            click.style(f"cannot read {clean(failure.path)}: {clean(failure.message)}", fg="red")
        )
    for skipped in report.skipped:
        lines.append(f"{clean(skipped)}")
    for document in report.documents:
        pages = f", {document.document.pages} pages" if document.document.pages else ""
        lines.append("")
        lines.append(
            click.style(clean(document.document.path), bold=True, underline=True)
            + f" ({document.document.format}, {document.words:,} words{pages})"
        )
        for note in document.document.notes:
            lines.append(f"  note: {clean(note)}")
        for finding in document.findings:
            colour = _COLOURS[finding.severity]
            head = click.style(f"{finding.rule.code} {finding.severity.value}", fg=colour)
            lines.append(f"  {finding.location.describe()}: {head} {clean(finding.message)}")
            if finding.excerpt:
                lines.append(f"      “{clean(finding.excerpt)}”")
            if finding.suggestion:
                lines.append(f"      {clean(finding.suggestion)}")
        if not document.findings:
            lines.append("  no findings")
    return "\n".join(lines) + "\n"
