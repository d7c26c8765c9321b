"""SARIF 2.1.0, for code-scanning views (GitHub, GitLab, Azure DevOps, VS Code's SARIF viewer).

One run; `tool.driver.rules` is built from every rule's own metadata, so a new rule appears
here without further wiring. Each finding is one result whose location names the document by
a relative path with forward slashes. Text and Markdown findings carry `region.startLine`;
Word and PDF have no lines, so their page, paragraph, table, row, column and heading go in the
location's `properties` and at the head of the message ("table 1 row 3 column 2: ...").

`partialFingerprints` hashes the rule, the document and the flagged text (not its position), so
a code-scanning view keeps tracking a finding when paragraphs above it are added or removed.
Files that could not be read become `toolExecutionNotifications`. No timestamps, no absolute
paths of the machine: the same pack gives the same bytes on every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from plainbid import __version__
from plainbid.checks import all_rules
from plainbid.model import Finding, ReadFailure, Rule, Severity
from plainbid.report import Report

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "plainbidFindingHash/v1"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FAMILIES = {
    "1": "jargon",
    "2": "readability",
    "3": "burden",
    "4": "proportionality",
    "9": "meta",
}
_LOCATION_KEYS = ("page", "paragraph", "table", "row", "column", "line", "note", "part", "heading")


def render(report: Report) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report) -> dict[str, Any]:
    rules = list(all_rules())
    index = {rule.code: position for position, rule in enumerate(rules)}
    results: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for document in report.documents:
        for finding in document.findings:
            if finding.rule.code not in index:  # a rule outside the registry (a plugin, a test)
                index[finding.rule.code] = len(rules)
                rules.append(finding.rule)
            results.append(_result(finding, index[finding.rule.code], seen))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "plainbid",
                "fullName": f"plainbid {__version__}",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "invocations": [_invocation(report)],
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The folder plainbid was run from."}}
        },
        "language": "en-GB",
        "results": results,
        "properties": _run_properties(report),
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(rule: Rule) -> dict[str, Any]:
    help_text = f"{rule.summary}\n\n{rule.why}"
    help_markdown = f"**{rule.summary}**\n\n{rule.why}"
    if rule.source:
        help_text += f"\n\nSource: {rule.source}"
        help_markdown += f"\n\nSource: {rule.source}"
    family = FAMILIES.get(rule.code[2:3], "other")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        # No helpUri: plainbid has no published home yet; `help` carries the whole text.
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["plain-language", family]},
    }


def _result(finding: Finding, rule_index: int, seen: dict[str, int]) -> dict[str, Any]:
    uri, member = artifact_uri(finding.path)
    physical: dict[str, Any] = {"artifactLocation": _artifact_location(uri)}
    if finding.location.line is not None:
        physical["region"] = {"startLine": finding.location.line}
    location: dict[str, Any] = {"physicalLocation": physical}
    where = {key: value for key, value in finding.location.as_dict().items() if value is not None}
    if member:
        where["member"] = member
    if where:
        where["description"] = _where(finding, member)
        location["properties"] = where
    result: dict[str, Any] = {
        "ruleId": finding.rule.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": message_text(finding, member)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(finding, uri, member, seen)},
    }
    properties: dict[str, Any] = {"name": finding.rule.name}
    if finding.excerpt:
        properties["excerpt"] = finding.excerpt
    if finding.suggestion:
        properties["suggestion"] = finding.suggestion
    result["properties"] = properties
    return result


def message_text(finding: Finding, member: str | None = None) -> str:
    """'table 1 row 3 column 2: Unfilled template text: '[insert date]'. Fill in or delete…'"""
    text = finding.message.strip()
    if text and text[-1] not in ".!?":
        text += "."
    if finding.suggestion and finding.suggestion.strip() not in text:
        text += " " + finding.suggestion.strip()
    where = _where(finding, member)
    return f"{where}: {text}" if where else text


def _where(finding: Finding, member: str | None) -> str:
    described = finding.location.describe()
    parts = [member] if member else []
    if described != "document":
        parts.append(described)
    return ", ".join(parts)


def artifact_uri(path: str) -> tuple[str, str | None]:
    """(relative URI with forward slashes, member inside a .zip or None) for a document path.

    A .zip member is shown as 'pack.zip!member.docx' by the readers; the artifact a code-scanning
    view can open is the .zip, so the member goes in the location's properties instead.
    """
    member = None
    if "!" in path:
        container, _, inner = path.partition("!")
        if container.lower().endswith(".zip"):
            path, member = container, inner
    path = path.replace("\\", "/")
    if os.path.isabs(path):
        try:
            path = Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return Path(path).as_uri(), member
    if path.startswith("./"):
        path = path[2:]
    return quote(path, safe="/-._~"), member


def _artifact_location(uri: str) -> dict[str, Any]:
    if uri.startswith("file:"):
        return {"uri": uri}
    return {"uri": uri, "uriBaseId": SRCROOT}


def _fingerprint(finding: Finding, uri: str, member: str | None, seen: dict[str, int]) -> str:
    """A hash of rule, document and flagged text; ':2', ':3'… tell identical findings apart."""
    flagged = finding.excerpt or finding.message
    normalised = re.sub(r"\s+", " ", flagged.replace("…", "")).strip().lower()
    key = "\0".join((finding.rule.code, uri, member or "", normalised))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"


def _invocation(report: Report) -> dict[str, Any]:
    notifications = [_failure(failure) for failure in report.failures]
    for skipped in report.skipped:
        path, _, reason = skipped.partition(": ")
        notifications.append(_notification("note", "skipped", skipped, path if reason else None))
    for document in report.documents:
        for note in document.document.notes:
            text = f"{document.document.path}: {note}"
            notifications.append(
                _notification("warning", "read-note", text, document.document.path)
            )
    return {
        "executionSuccessful": not report.failures,
        "toolExecutionNotifications": notifications,
    }


def _failure(failure: ReadFailure) -> dict[str, Any]:
    if failure.path == "plainbid":  # a check that failed, not a file
        return _notification("error", "check-failure", failure.message, None)
    text = f"cannot read {failure.path}: {failure.message}"
    return _notification("error", "read-failure", text, failure.path)


def _notification(level: str, kind: str, text: str, path: str | None) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "descriptor": {"id": kind},
        "level": level,
        "message": {"text": text},
    }
    if path:
        uri, member = artifact_uri(path)
        location: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": _artifact_location(uri)}
        }
        if member:
            location["properties"] = {"member": member}
        notification["locations"] = [location]
    return notification


def _run_properties(report: Report) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "documents": len(report.documents),
        "words": sum(document.words for document in report.documents),
        "findings": len(report.findings),
    }
    proportionality = report.pack_data.get("proportionality") or {}
    if proportionality.get("band"):
        properties["proportionality"] = {
            "band": proportionality["band"],
            "reasons": [reason["message"] for reason in proportionality.get("reasons", [])],
        }
    return properties
