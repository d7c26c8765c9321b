"""Run every check over a pack and gather one `Report` that every formatter reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plainbid import __version__, suppress
from plainbid.checks import CHECKS
from plainbid.checks.base import CheckFailed
from plainbid.checks.burden import document_words
from plainbid.config import ConfigError, Settings
from plainbid.glossary import GlossaryError
from plainbid.model import Document, Finding, Pack, ReadFailure


@dataclass
class DocumentReport:
    document: Document
    words: int
    findings: list[Finding] = field(default_factory=list)
    # Extra JSON sections a check adds for this document, such as `terms`.
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    documents: list[DocumentReport]
    failures: list[ReadFailure]
    skipped: list[str]
    pack_data: dict[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        return [finding for document in self.documents for finding in document.findings]

    def to_json(self) -> str:
        """The report as JSON: the same text `plainbid check --format json` writes."""
        from plainbid.formatters.json_format import render

        return render(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": __version__,
            "documents": [_document_dict(d) for d in self.documents],
            "pack": {
                "documents": len(self.documents),
                "words": sum(d.words for d in self.documents),
                "findings": len(self.findings),
                **self.pack_data,
            },
            "errors": [{"path": f.path, "message": f.message} for f in self.failures],
            "skipped": list(self.skipped),
        }


def _document_dict(report: DocumentReport) -> dict[str, Any]:
    document = report.document
    return {
        "path": document.path,
        "format": document.format,
        "pages": document.pages,
        "words": report.words,
        "notes": list(document.notes),
        "findings": [finding.as_dict() for finding in report.findings],
        **report.data,
    }


def build_report(pack: Pack, settings: Settings) -> Report:
    reports = {
        document.path: DocumentReport(document, document_words(document))
        for document in pack.documents
    }
    report = Report(list(reports.values()), list(pack.failures), list(pack.skipped))
    for check in CHECKS:
        try:
            output = check.run(pack, settings)
        except (GlossaryError, ConfigError, MemoryError):
            raise  # a report missing a check for want of memory would look complete
        except Exception as error:  # one failing check must not lose the rest
            name = check.__name__.rsplit(".", 1)[-1]
            report.failures.append(
                ReadFailure(
                    "plainbid",
                    f"the {name} check failed ({_describe(error)}); the other checks ran; "
                    "please report this",
                )
            )
            continue
        for finding in output.findings:
            reports[finding.path].findings.append(finding)
        for path, data in output.document_data.items():
            reports[path].data.update(data)
        report.pack_data.update(output.pack_data)
    # select/ignore, per-file ignores, inline `plainbid: ignore` comments, severity overrides.
    suppress.apply(report, settings)
    for document in report.documents:
        _sort_in_reading_order(document)
    return report


def _describe(error: Exception) -> str:
    return str(error) if isinstance(error, CheckFailed) else f"{type(error).__name__}: {error}"


def _sort_in_reading_order(document: DocumentReport) -> None:
    """Findings in the order their blocks appear; pack-wide findings (no block) last."""
    order: dict = {}
    for index, block in enumerate(document.document.blocks):
        order.setdefault(block.location, index)
    last = len(order)
    document.findings.sort(
        key=lambda f: (order.get(f.location, last), f.rule.code, f.message, f.excerpt)
    )
