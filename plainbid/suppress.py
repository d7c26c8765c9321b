"""Accepting findings: rule selection, per-file ignores, inline comments, severity overrides.

`apply` runs once over a built report, in this order:

1. `select` / `ignore` (code prefixes or rule names; the most specific match wins) and
   `per-file-ignores` (glob -> rules) drop findings of rules the project does not want.
2. In text and Markdown documents, inline comments accept findings in place:
   - `plainbid: ignore[PB101]` (codes, prefixes or names, comma-separated; bare
     `plainbid: ignore` for every rule) accepts findings on its line; a comment alone on its
     line (say `<!-- plainbid: ignore[PB101] -->`) also covers the next line.
   - `plainbid: disable[PB201]` ... `plainbid: enable[PB201]` accept findings on the lines
     between them (to the end of the file when there is no `enable`).
   A finding is on the lines of the words it flags (a jargon term's first use, a passive
   phrase) or, when it is about a whole paragraph, on every line of the paragraph.
   A comment, or a code in it, that accepts nothing is reported as PB901 (`unused-ignore`).
3. `severity` overrides set each remaining finding's severity (a copy of its rule with the
   new severity, so `Finding` stays the one type).

Word and PDF files cannot hold such comments without readers seeing them: accept findings
there with `allow` (terms) and `per-file-ignores`.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from plainbid.config import Settings, selector_rank
from plainbid.model import Block, Document, Finding, Location, Rule, Severity
from plainbid.spans import find_span, flagged_text, term_surfaces

if TYPE_CHECKING:
    from plainbid.report import DocumentReport, Report

UNUSED_IGNORE = Rule(
    "PB901",
    "unused-ignore",
    Severity.WARNING,
    "A `plainbid: ignore` or `disable` comment (or a code in it) that accepts no finding.",
    "A comment that no longer accepts anything hides the next real problem on its line and "
    "tells readers a problem is known when it is gone; remove it, as ruff's RUF100 and "
    "sqlfluff's unused-noqa warnings ask.",
    "https://docs.astral.sh/ruff/rules/unused-noqa/",
    "The supplier cuts the grass. <!-- plainbid: ignore[PB101] -->",
)
RULES = (UNUSED_IGNORE,)

_DIRECTIVE = re.compile(r"plainbid:\s*(ignore|disable|enable)\b(?:\[([^\]]*)\])?", re.IGNORECASE)
_WORD = re.compile(r"\w")
_ALL = ""  # the selector of a bare comment: every rule
_TO_THE_END = sys.maxsize


@dataclass
class Directive:
    kind: str  # "ignore" | "disable" | "enable"
    selectors: list[str]  # empty: every rule
    line: int
    text: str
    # ignore: the lines it covers; disable: each selector's last line (an `enable` closes it).
    lines: tuple[int, ...] = ()
    ends: dict[str, int] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def targets(self) -> list[str]:
        return self.selectors or [_ALL]


def apply(report: Report, settings: Settings) -> None:
    for document_report in report.documents:
        document_report.findings = filter_document(document_report, settings)


def filter_document(document_report: DocumentReport, settings: Settings) -> list[Finding]:
    document = document_report.document
    kept = [finding for finding in document_report.findings if _wanted(finding, settings)]
    if document.format in ("txt", "md"):
        directives = parse_directives(document)
        if directives:
            surfaces = term_surfaces(document_report.data)
            kept = _accept_inline(kept, directives, document, surfaces)
            unused = _unused(directives, document)
            kept += [finding for finding in unused if _wanted(finding, settings)]
    return [_with_severity(finding, settings) for finding in kept]


def _wanted(finding: Finding, settings: Settings) -> bool:
    rule = finding.rule
    if not settings.rule_enabled(rule.code, rule.name):
        return False
    return not any(
        path_matches(finding.path, glob)
        and any(selector_rank(s, rule.code, rule.name) is not None for s in selectors)
        for glob, selectors in settings.per_file_ignores.items()
    )


def _with_severity(finding: Finding, settings: Settings) -> Finding:
    if not settings.severity:
        return finding
    level = settings.severity_for(finding.rule.code, finding.rule.name, finding.rule.severity)
    if level is finding.rule.severity:
        return finding
    return dataclasses.replace(finding, rule=dataclasses.replace(finding.rule, severity=level))


def source_lines(document: Document) -> dict[int, str]:
    """Line number -> text of every non-blank line, rebuilt from the blocks of a text document
    (each line of a block's text is one line of the file, from `Location.line` on)."""
    lines: dict[int, str] = {}
    for block in document.blocks:
        if block.location.line is None:
            continue
        for offset, text in enumerate(block.text.split("\n")):
            lines[block.location.line + offset] = text
    return lines


def parse_directives(document: Document) -> list[Directive]:
    lines = source_lines(document)
    numbers = sorted(lines)
    directives: list[Directive] = []
    for index, number in enumerate(numbers):
        text = lines[number]
        matches = list(_DIRECTIVE.finditer(text))
        if not matches:
            continue
        alone = not _WORD.search(_DIRECTIVE.sub("", text))
        following = numbers[index + 1] if alone and index + 1 < len(numbers) else None
        for match in matches:
            listed = match.group(2) or ""
            selectors = [s.strip() for s in listed.split(",") if s.strip()]
            directive = Directive(match.group(1).lower(), selectors, number, match.group(0))
            if directive.kind == "ignore":
                directive.lines = (number,) if following is None else (number, following)
            directives.append(directive)
    _close_ranges(directives)
    return directives


def _close_ranges(directives: list[Directive]) -> None:
    """Give each `disable` selector its last line: the line of the `enable` naming it (any
    `enable` when bare), or the end of the file."""
    open_ranges: list[Directive] = []
    for directive in directives:
        if directive.kind == "disable":
            directive.ends = dict.fromkeys(directive.targets(), _TO_THE_END)
            open_ranges.append(directive)
        elif directive.kind == "enable":
            closing = {s.lower() for s in directive.selectors}
            for opened in open_ranges:
                for selector, end in opened.ends.items():
                    if end == _TO_THE_END and (not closing or selector.lower() in closing):
                        opened.ends[selector] = directive.line


def _accept_inline(
    findings: list[Finding],
    directives: list[Directive],
    document: Document,
    surfaces: dict[str, str],
) -> list[Finding]:
    blocks = {b.location.line: b for b in document.blocks if b.location.line is not None}
    kept = []
    for finding in findings:
        first = finding.location.line
        block = blocks.get(first) if first is not None else None
        span = _flagged_span(finding, block, surfaces) if block else None
        if block and span and _inside_directive(block.text, span):
            continue  # plainbid's own comment, not the document's words ("[PB101]")
        lines = finding_lines(finding, block, span)
        if lines is None or not _accepted(finding, lines, directives):
            kept.append(finding)
    return kept


def _flagged_span(
    finding: Finding, block: Block, surfaces: dict[str, str]
) -> tuple[int, int] | None:
    found = flagged_text(finding, surfaces)
    return find_span(block.text, found[0], whole_words=found[1]) if found else None


def _inside_directive(text: str, span: tuple[int, int]) -> bool:
    return any(m.start() <= span[0] and span[1] <= m.end() for m in _DIRECTIVE.finditer(text))


def finding_lines(
    finding: Finding, block: Block | None, span: tuple[int, int] | None
) -> tuple[int, int] | None:
    """The first and last line of the words a finding flags (`span`, offsets in the block's
    text), or of its whole block; None for a finding with no line."""
    first = finding.location.line
    if first is None:
        return None
    if block is None:
        return first, first
    if span:
        return (
            first + block.text.count("\n", 0, span[0]),
            first + block.text.count("\n", 0, span[1]),
        )
    return first, first + block.text.count("\n")


def _accepted(finding: Finding, lines: tuple[int, int], directives: list[Directive]) -> bool:
    first, last = lines
    code, name = finding.rule.code, finding.rule.name
    accepted = False
    for directive in directives:
        if directive.kind == "ignore":
            if not any(first <= line <= last for line in directive.lines):
                continue
            spans = dict.fromkeys(directive.targets(), last)
        elif directive.kind == "disable":
            if directive.line > last:
                continue
            spans = directive.ends
        else:
            continue
        for selector, end in spans.items():
            if end < first:
                continue
            if selector == _ALL or selector_rank(selector, code, name) is not None:
                directive.used.add(selector)
                accepted = True
    return accepted


def _unused(directives: list[Directive], document: Document) -> list[Finding]:
    owner: dict[int, Location] = {}
    for block in document.blocks:
        if block.location.line is not None:
            for offset in range(block.text.count("\n") + 1):
                owner[block.location.line + offset] = block.location
    lines = source_lines(document)
    findings = []
    for directive in directives:
        if directive.kind == "enable":
            continue
        unused = [s for s in directive.targets() if s not in directive.used]
        if not unused:
            continue
        if directive.selectors:
            shown = f"plainbid: {directive.kind}[{', '.join(unused)}]"
            what = "accepts no finding" if len(unused) == len(directive.targets()) else "is unused"
        else:
            shown, what = f"plainbid: {directive.kind}", "accepts no finding"
        place = owner.get(directive.line, Location())
        location = dataclasses.replace(place, line=directive.line)
        findings.append(
            Finding(
                UNUSED_IGNORE,
                document.path,
                f"'{shown}' {what}; remove it",
                location,
                lines.get(directive.line, directive.text).strip(),
                "Remove the comment, or the codes in it that no longer match a finding.",
                {"directive": directive.text, "unused": unused},
            )
        )
    return findings


def path_matches(path: str, pattern: str) -> bool:
    """Whether a checked file matches a per-file-ignores glob.

    A glob without a slash matches the file's name in any folder ("*.pdf", "03-*.docx"); one
    with a slash matches the whole path from the config file's folder ("templates/**/*.docx").
    `*` stays within a folder, `**/` spans any number of them. A document inside a .zip is
    named `pack.zip!member.docx`.
    """
    outer, _, member = path.partition("!")
    name = PurePosixPath((member or outer).replace("\\", "/")).name
    if "/" not in pattern:
        return re.fullmatch(_glob_regex(pattern), name) is not None
    anchored = pattern if Path(pattern).is_absolute() else str(Path.cwd() / pattern)
    full = Path(outer).resolve().as_posix() + (f"!{member}" if member else "")
    return re.fullmatch(_glob_regex(Path(anchored).as_posix()), full) is not None


def _glob_regex(pattern: str) -> str:
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        elif pattern[index] == "[" and "]" in pattern[index + 2 :]:
            close = pattern.index("]", index + 2)
            body = pattern[index + 1 : close]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            index = close + 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return "".join(out)
