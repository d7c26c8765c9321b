"""One self-contained HTML report: summary and proportionality band, charts, each document's
text with its findings marked, and the applicant's glossary.

The file needs no network: the CSS is inline, the charts are SVG drawn here, and the one small
script (click a marked word to open its explanation) is optional; without it every link still
jumps to the finding, whose message and suggestion are always shown. A Content-Security-Policy
allows only that script, by its hash, so even text that slipped past escaping could not run.

Built with plain string functions rather than a Jinja2 template: the page is made of many small
pieces (marks inside a paragraph, bars of a chart) whose escaping has to be decided piece by
piece, and one small function per piece, each calling `html.escape` where document text comes
in, keeps that visible and adds no dependency.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from plainbid import __version__
from plainbid.formatters import applicant_glossary, summary
from plainbid.model import Block, BlockKind, Finding, Location, Severity
from plainbid.report import DocumentReport, Report

SEVERITY_WORD = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# Findings about a whole paragraph or section: the block is marked, not a phrase in it.
WHOLE_BLOCK_RULES = {"grade-above-target", "hardest-passage"}
BAND_MEANING = {
    "proportionate": "What the bid demands looks in proportion to the contract's value.",
    "review": "Some of what the bid demands should be checked against the contract's value.",
    "disproportionate": "What the bid demands looks out of proportion to the contract's value.",
    "unknown": "plainbid could not weigh the demands: the pack does not give the contract's "
    "value (give it with --value).",
}


def esc(text: object) -> str:
    """Every piece of document text goes through here before it enters the page."""
    return html.escape(str(text), quote=True)


def render(report: Report) -> str:
    numbers = _number_findings(report)
    body = [
        "<header>",
        "<h1>plainbid report</h1>",
        f"<p class='headline'>{esc(summary.headline(report))}</p>",
        f"<p>{len(report.findings)} findings: {esc(summary.totals(report.findings))}</p>",
        "</header>",
        _contents(report),
        "<input type='checkbox' id='hide-notes'>"
        "<label for='hide-notes' class='toggle'>Hide notes (info findings)</label>",
        "<main>",
        _summary_section(report),
        _charts_section(report),
    ]
    body += [
        _document_section(number, document, numbers)
        for number, document in enumerate(report.documents, 1)
    ]
    body.append(_glossary_section(report))
    body.append("</main>")
    body.append(
        f"<footer><p>Made by plainbid {esc(__version__)}. This page needs no network and sends "
        "nothing anywhere.</p></footer>"
    )
    return (
        "<!doctype html>\n<html lang='en-GB'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">\n"
        f"<meta name='generator' content='plainbid {esc(__version__)}'>\n"
        f"<title>plainbid report: {len(report.documents)} document(s)</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + f"\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def _number_findings(report: Report) -> dict[int, int]:
    """Finding number (1, 2, …, in report order) by id(): the anchors #f-1, #f-2…"""
    return {id(finding): number for number, finding in enumerate(report.findings, 1)}


def _contents(report: Report) -> str:
    links = ["<li><a href='#summary'>Summary</a></li>", "<li><a href='#charts'>Charts</a></li>"]
    links += [
        f"<li><a href='#doc-{number}'>{esc(document.document.path)}</a></li>"
        for number, document in enumerate(report.documents, 1)
    ]
    links.append("<li><a href='#glossary'>Glossary for applicants</a></li>")
    return f"<nav aria-label='Contents'><ol>{''.join(links)}</ol></nav>"


# Summary ----------------------------------------------------------------------------------------


def _summary_section(report: Report) -> str:
    parts = ["<section id='summary'>", "<h2>Summary</h2>"]
    band, reasons = summary.band(report)
    if band:
        parts.append(
            f"<div class='band band-{esc(band)}' id='band'>"
            f"<p class='band-name'>Proportionality: <strong>{esc(band)}</strong></p>"
            f"<p>{esc(BAND_MEANING.get(band, ''))}</p>"
        )
        if reasons:
            parts.append("<ol class='reasons'>")
            for reason in reasons:
                level = str(reason.get("level", ""))
                parts.append(
                    f"<li class='reason'><span class='pill level-{esc(level)}'>{esc(level)}</span> "
                    f"{esc(reason.get('message', ''))} <span class='rule-name'>"
                    f"({esc(reason.get('rule', ''))})</span>"
                )
                if reason.get("source"):
                    parts.append(
                        f"<details><summary>Evidence</summary><p>{esc(reason['source'])}</p>"
                        "</details>"
                    )
                parts.append("</li>")
            parts.append("</ol>")
        parts.append("</div>")
    parts.append("<h3>What the bid demands</h3><table class='facts'><tbody>")
    parts += [
        f"<tr><th scope='row'>{esc(label)}</th><td>{esc(value)}</td></tr>"
        for label, value in summary.demands(report)
    ]
    parts.append("</tbody></table>")
    if report.failures or report.skipped:
        parts.append("<h3 id='unread'>Files not read</h3><ul class='unread'>")
        parts += [
            f"<li><strong>{esc(failure.path)}</strong>: {esc(failure.message)}</li>"
            for failure in report.failures
        ]
        parts += [f"<li>{esc(skipped)}</li>" for skipped in report.skipped]
        parts.append("</ul>")
    parts.append(_documents_table(report))
    parts.append("</section>")
    return "\n".join(parts)


def _documents_table(report: Report) -> str:
    rows = []
    for number, document in enumerate(report.documents, 1):
        counts = summary.severity_counts(document.findings)
        grade = summary.grade(document)
        minutes = (document.data.get("burden") or {}).get("reading_minutes")
        rows.append(
            f"<tr><td><a href='#doc-{number}'>{esc(document.document.path)}</a></td>"
            f"<td>{esc(document.document.format)}</td><td class='num'>{document.words:,}</td>"
            f"<td class='num'>{'' if minutes is None else esc(summary.duration(minutes))}</td>"
            f"<td class='num'>{'' if grade is None else esc(grade)}</td>"
            f"<td class='num'>{counts[Severity.ERROR]}</td>"
            f"<td class='num'>{counts[Severity.WARNING]}</td>"
            f"<td class='num'>{counts[Severity.INFO]}</td></tr>"
        )
    return (
        "<h3>Documents</h3><table class='documents'><thead><tr><th>Document</th><th>Format</th>"
        "<th>Words</th><th>Reading time</th><th>Reading grade</th><th>Errors</th>"
        "<th>Warnings</th><th>Notes</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


# Charts -----------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    values: tuple[float, ...] = ()
    tooltip: str = ""
    group: bool = False  # a heading row (a document's name), no bar
    over: bool = False  # above the target


@dataclass
class Chart:
    ident: str
    title: str
    caption: str
    unit: str
    bars: list[Bar]
    series: tuple[str, ...] = ("value",)
    target: float | None = None
    target_label: str = ""
    notes: list[str] = field(default_factory=list)


def _charts_section(report: Report) -> str:
    charts = [
        _grade_chart(report),
        _question_chart(report),
        _document_words_chart(report),
        _jargon_chart(report),
    ]
    parts = ["<section id='charts'>", "<h2>Charts</h2>"]
    for chart in charts:
        if any(not bar.group for bar in chart.bars):
            parts.append(_figure(chart))
        else:
            parts.append(
                f"<figure id='{chart.ident}'><figcaption><strong>{esc(chart.title)}</strong>: "
                "nothing to show for this pack.</figcaption></figure>"
            )
    parts.append("</section>")
    return "\n".join(parts)


def _grade_chart(report: Report) -> Chart:
    bars: list[Bar] = []
    target = None
    unscored = 0
    for document in report.documents:
        readability = document.data.get("readability") or {}
        sections = readability.get("sections") or []
        if not sections:
            continue
        target = readability.get("target_grade", target)
        bars.append(Bar(document.document.path, group=True))
        for section in sections:
            grade = section.get("flesch_kincaid_grade")
            heading = section.get("heading") or "(before the first heading)"
            if grade is None:
                unscored += 1
                continue
            bars.append(
                Bar(
                    heading,
                    (grade,),
                    f"{heading}: grade {grade:g}, {section.get('words', 0):,} words",
                    over=target is not None and grade > target,
                )
            )
    notes = [f"{unscored} section(s) too short to score are left out."] if unscored else []
    return Chart(
        "chart-grade",
        "Reading grade per section",
        "Flesch–Kincaid grade of each section; the line is the target grade. "
        "Bars past it are harder to read than the target.",
        "grade",
        bars,
        target=target,
        target_label=f"target {target:g}" if target is not None else "",
        notes=notes,
    )


def _question_chart(report: Report) -> Chart:
    bars: list[Bar] = []
    unlimited = 0
    for document in report.documents:
        rows = summary.question_words(report, document)
        if not rows:
            continue
        bars.append(Bar(document.document.path, group=True))
        for row in rows:
            if row.words is None:
                unlimited += 1
                continue
            bars.append(
                Bar(
                    row.label,
                    (row.words,),
                    f"{row.label}: {row.limit}; {summary.clip(row.text, 200)}",
                )
            )
    notes = [f"{unlimited} question(s) with no limit, or a blank one, are left out."]
    return Chart(
        "chart-questions",
        "Words to write per question",
        "The answer length each question allows, in words (characters and pages converted at "
        "the pack's rates).",
        "words",
        bars,
        notes=notes if unlimited else [],
    )


def _document_words_chart(report: Report) -> Chart:
    bars = []
    for document in report.documents:
        rows = summary.question_words(report, document)
        if not rows:
            continue
        total = sum(row.words or 0 for row in rows)
        bars.append(
            Bar(
                document.document.path,
                (total,),
                f"{document.document.path}: {len(rows)} question(s), {total:,} words to write",
            )
        )
    return Chart(
        "chart-document-words",
        "Words to write per document",
        "The words all of a document's questions ask for.",
        "words",
        bars,
    )


def _jargon_chart(report: Report) -> Chart:
    bars = []
    for document in report.documents:
        counts = summary.jargon_counts(document)
        bars.append(
            Bar(
                document.document.path,
                (counts.undefined, counts.defined, counts.formal),
                f"{document.document.path}: {counts.undefined} terms never explained, "
                f"{counts.defined} defined, {counts.formal} formal words; the jargon is used "
                f"{counts.uses:,} times",
            )
        )
    return Chart(
        "chart-jargon",
        "Jargon per document",
        "Distinct terms in each document: jargon the pack never explains, jargon it defines, "
        "and formal words with a plainer alternative.",
        "terms",
        bars,
        series=("never explained", "defined in the pack", "formal words"),
    )


def _figure(chart: Chart) -> str:
    """A horizontal bar chart as inline SVG, with its numbers in a table beneath."""
    width, label_width, right = 760, 300, 56
    plot = width - label_width - right
    top = 28 if len(chart.series) > 1 else 8
    row, group_row = 22, 28
    peak = max([sum(bar.values) for bar in chart.bars if not bar.group] + [chart.target or 0])
    step = _nice_step(peak)
    scale_max = step * max(1, -(-peak // step)) if peak else 1
    y = top
    shapes: list[str] = []
    for bar in chart.bars:
        if bar.group:
            y += 6
            shapes.append(
                f"<text class='group' x='0' y='{y + 14}'>{esc(summary.clip(bar.label, 90))}</text>"
            )
            y += group_row - 6
            continue
        shapes.append(
            f"<text class='label' x='{label_width - 8}' y='{y + 15}' text-anchor='end'>"
            f"<title>{esc(bar.label)}</title>{esc(summary.clip(bar.label, 44))}</text>"
        )
        x = float(label_width)
        for index, value in enumerate(bar.values):
            length = plot * value / scale_max
            if length > 0:
                css = f"bar s{index}" + (" over" if bar.over else "")
                shapes.append(
                    f"<rect class='{css}' x='{x:.1f}' y='{y + 3}' width='{length:.1f}' "
                    f"height='{row - 6}'><title>{esc(bar.tooltip)}</title></rect>"
                )
            x += length
        total = sum(bar.values)
        shapes.append(f"<text class='value' x='{x + 4:.1f}' y='{y + 15}'>{_number(total)}</text>")
        y += row
    height = y + 24
    axis = []
    tick = 0.0
    while tick <= scale_max + 1e-9:
        tx = label_width + plot * tick / scale_max
        axis.append(
            f"<line class='grid' x1='{tx:.1f}' x2='{tx:.1f}' y1='{top}' y2='{y}'></line>"
            f"<text class='tick' x='{tx:.1f}' y='{y + 16}' text-anchor='middle'>"
            f"{_number(tick)}</text>"
        )
        tick += step
    if chart.target is not None:
        tx = label_width + plot * chart.target / scale_max
        axis.append(
            f"<line class='target' x1='{tx:.1f}' x2='{tx:.1f}' y1='{top - 4}' y2='{y}'></line>"
            f"<text class='target-label' x='{tx + 4:.1f}' y='{max(top - 8, 10)}'>"
            f"{esc(chart.target_label)}</text>"
        )
    legend = []
    if len(chart.series) > 1:
        lx = label_width
        for index, name in enumerate(chart.series):
            legend.append(
                f"<rect class='bar s{index}' x='{lx}' y='4' width='12' height='12'></rect>"
                f"<text class='legend' x='{lx + 16}' y='14'>{esc(name)}</text>"
            )
            lx += 22 + 7 * len(name)
    title_id = f"{chart.ident}-title"
    svg = (
        f"<svg class='chart' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
        f"role='img' aria-labelledby='{title_id}' xmlns='http://www.w3.org/2000/svg'>"
        f"<title id='{title_id}'>{esc(chart.title)}</title>"
        + "".join(axis)
        + "".join(shapes)
        + "".join(legend)
        + "</svg>"
    )
    notes = "".join(f" {esc(note)}" for note in chart.notes)
    return (
        f"<figure id='{chart.ident}'><figcaption><strong>{esc(chart.title)}</strong>. "
        f"{esc(chart.caption)}{notes}</figcaption>{svg}{_data_table(chart)}</figure>"
    )


def _data_table(chart: Chart) -> str:
    head = "".join(f"<th>{esc(name)}</th>" for name in chart.series)
    rows = []
    for bar in chart.bars:
        if bar.group:
            rows.append(
                f"<tr class='group'><th colspan='{len(chart.series) + 1}'>{esc(bar.label)}</th></tr>"
            )
        else:
            cells = "".join(f"<td class='num'>{_number(value)}</td>" for value in bar.values)
            rows.append(f"<tr><td>{esc(bar.label)}</td>{cells}</tr>")
    return (
        "<details class='data'><summary>The numbers</summary><table><thead><tr><th></th>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def _nice_step(peak: float) -> float:
    """A round gridline step giving about five lines up to `peak`."""
    if peak <= 0:
        return 1.0
    raw = peak / 5
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return float(multiple * magnitude)
    return float(10 * magnitude)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


# Documents --------------------------------------------------------------------------------------


@dataclass
class _Marked:
    """A block with the findings placed on it: spans to mark, and findings about all of it."""

    block: Block
    ident: str  # the element's id: 'd2-b14' is document 2's block 14
    spans: list[tuple[int, int, Finding]] = field(default_factory=list)
    whole: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [finding for _, _, finding in self.spans] + self.whole


def _document_section(number: int, document: DocumentReport, numbers: dict[int, int]) -> str:
    model = document.document
    facts = [model.format, f"{document.words:,} words"]
    if model.pages:
        facts.append(f"{model.pages} pages")
    grade = summary.grade(document)
    if grade is not None:
        facts.append(f"reading grade {grade}")
    parts = [
        f"<section class='document' id='doc-{number}'>",
        f"<h2>{esc(model.path)}</h2>",
        f"<p class='facts'>{esc(', '.join(facts))}; {esc(summary.totals(document.findings))}</p>",
    ]
    parts += [f"<p class='note'>Note: {esc(note)}</p>" for note in model.notes]
    marked, unplaced = _place(document, number)
    if unplaced:
        parts.append("<h3>About the whole document</h3>")
        parts.append(_finding_list(unplaced, numbers))
    parts.append("<div class='text'>")
    parts += _blocks_html(marked, numbers)
    parts.append("</div></section>")
    return "\n".join(parts)


def _place(document: DocumentReport, number: int) -> tuple[list[_Marked], list[Finding]]:
    """Put each finding on the block it points to; those with no block are returned apart."""
    marked = [
        _Marked(block, f"d{number}-b{index}")
        for index, block in enumerate(document.document.blocks, 1)
    ]
    by_location: dict[Location, list[_Marked]] = {}
    for item in marked:
        by_location.setdefault(item.block.location, []).append(item)
    surfaces = {
        term.get("term"): term.get("first_seen_as") for term in document.data.get("terms") or []
    }
    unplaced = []
    for finding in document.findings:
        candidates = by_location.get(finding.location)
        if not candidates:
            unplaced.append(finding)
            continue
        placed = False
        for item in candidates:
            spans = _spans(finding, item.block.text, surfaces)
            if spans:
                item.spans += [(start, end, finding) for start, end in spans]
                placed = True
                break
        if not placed:
            candidates[0].whole.append(finding)
    return marked, unplaced


_QUOTED = re.compile(r"^'(.+?)'")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def _spans(finding: Finding, text: str, surfaces: dict) -> list[tuple[int, int]]:
    """Where in the block's text the finding points: the term, phrase or placeholder flagged,
    else its excerpt; [] when it is about the whole block."""
    if finding.rule.name in WHOLE_BLOCK_RULES:
        return []
    data = finding.data
    if "term" in data:
        surface = surfaces.get(data["term"])
        if not surface:
            quoted = _QUOTED.match(finding.message)
            surface = quoted.group(1) if quoted else None
        found = _find(text, surface) if surface else None
        return [found] if found else []
    spans = []
    if "phrases" in data:
        for item in data["phrases"]:
            sentence = _find(text, item.get("sentence", ""))
            within = sentence or (0, len(text))
            found = _find(text, item.get("phrase", ""), *within)
            if found:
                spans.append(found)
        return spans
    if "placeholders" in data:
        for item in data["placeholders"]:
            found = _find(text, item.get("text", ""))
            if found:
                spans.append(found)
        return spans
    pieces = [item.get("text", "") for item in data.get("sentences", [])] or [finding.excerpt]
    for piece in pieces:
        found = _find_clipped(text, piece)
        if found:
            spans.append(found)
    return spans


def _find(text: str, needle: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    needle = needle.strip()
    if not needle:
        return None
    end = len(text) if end is None else end
    at = text.find(needle, start, end)
    if at < 0 and len(text.lower()) == len(text):
        at = text.lower().find(needle.lower(), start, end)
    return (at, at + len(needle)) if at >= 0 else None


def _find_clipped(text: str, piece: str) -> tuple[int, int] | None:
    """Find an excerpt that may be clipped with '…' at either end; a clipped end runs on to the
    end of its sentence."""
    clipped_end = piece.rstrip().endswith("…")
    core = piece.strip().strip("…").strip()
    found = _find(text, core)
    if not found:
        return None
    start, stop = found
    if clipped_end:
        after = _SENTENCE_END.search(text, stop)
        stop = after.end() if after else len(text)
    return start, stop


def _blocks_html(marked: list[_Marked], numbers: dict[int, int]) -> list[str]:
    parts: list[str] = []
    index = 0
    while index < len(marked):
        item = marked[index]
        if item.block.kind is BlockKind.TABLE_CELL and item.block.location.table is not None:
            end = index
            table = item.block.location.table
            while (
                end < len(marked)
                and marked[end].block.kind is BlockKind.TABLE_CELL
                and marked[end].block.location.table == table
                and marked[end].block.location.part == item.block.location.part
            ):
                end += 1
            parts.append(_table_html(marked[index:end], numbers))
            index = end
            continue
        parts.append(_block_html(item, numbers))
        if item.findings:
            parts.append(_finding_list(_ordered(item, numbers), numbers))
        index += 1
    return parts


def _ordered(item: _Marked, numbers: dict[int, int]) -> list[Finding]:
    """The findings of a block in report order, so their numbers count up."""
    unique = {id(finding): finding for finding in item.findings}  # a finding may mark 2 spans
    return sorted(unique.values(), key=lambda finding: numbers[id(finding)])


def _block_html(item: _Marked, numbers: dict[int, int]) -> str:
    block = item.block
    content = _marked_text(item, numbers)
    kind = block.kind
    where = esc(block.location.describe())
    if kind is BlockKind.HEADING:
        level = min(max(block.level or 1, 1) + 2, 6)
        return (
            f"<h{level} class='doc-heading' id='{item.ident}' title='{where}'>{content}</h{level}>"
        )
    css = {
        BlockKind.LIST_ITEM: "li",
        BlockKind.HEADER: "part",
        BlockKind.FOOTER: "part",
        BlockKind.FOOTNOTE: "part",
        BlockKind.ENDNOTE: "part",
    }.get(kind, "p")
    label = ""
    if css == "part":
        label = f"<span class='part-label'>{esc(block.location.part or kind.value)}:</span> "
    return f"<p class='{css}' id='{item.ident}' title='{where}'>{label}{content}</p>"


def _table_html(cells: list[_Marked], numbers: dict[int, int]) -> str:
    rows: dict[object, list[_Marked]] = {}
    for cell in cells:
        rows.setdefault(cell.block.location.row, []).append(cell)
    table = cells[0].block.location.table
    body = []
    for row in rows.values():
        body.append(
            "<tr>"
            + "".join(
                f"<td id='{cell.ident}' title='{esc(cell.block.location.describe())}'>"
                f"{_marked_text(cell, numbers)}</td>"
                for cell in row
            )
            + "</tr>"
        )
    findings = [f for cell in cells for f in _ordered(cell, numbers)]
    listed = _finding_list(findings, numbers) if findings else ""
    return (
        f"<div class='table-wrap'><table class='doc-table' aria-label='Table {esc(table)}'>"
        f"<tbody>{''.join(body)}</tbody></table></div>{listed}"
    )


@dataclass
class _Span:
    start: int
    end: int
    findings: list[Finding]
    children: list[_Span] = field(default_factory=list)


def _nest(spans: list[tuple[int, int, Finding]]) -> list[_Span]:
    """Spans as a tree: a term inside a long sentence becomes a mark inside the sentence's mark.
    A span that crosses the end of another is cut there; spans of the same text are merged."""
    roots: list[_Span] = []
    stack: list[_Span] = []
    for start, end, finding in sorted(spans, key=lambda span: (span[0], -span[1])):
        while stack and stack[-1].end <= start:
            stack.pop()
        if stack and end > stack[-1].end:
            end = stack[-1].end
        if start >= end:
            continue
        if stack and (stack[-1].start, stack[-1].end) == (start, end):
            stack[-1].findings.append(finding)
            continue
        node = _Span(start, end, [finding])
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _marked_text(item: _Marked, numbers: dict[int, int]) -> str:
    """The block's text, escaped, with each flagged span in a <mark> naming its findings.

    A mark with no mark inside it is a link to its finding; a mark holding others (a long
    sentence with jargon in it) is not, since links cannot nest, and is followed by numbered
    links instead. Findings about the whole block mark all of it the same way.
    """
    text = item.block.text
    content = _spans_html(text, 0, len(text), _nest(item.spans), numbers)
    if item.whole:
        content = (
            f"<mark class='{_mark_class(item.whole, 'block')}' title='{_tooltip(item.whole)}'>"
            f"{content}</mark>" + _refs(item.whole, numbers)
        )
    return content


def _spans_html(
    text: str, start: int, end: int, spans: list[_Span], numbers: dict[int, int]
) -> str:
    out = []
    position = start
    for span in spans:
        out.append(_with_breaks(text[position : span.start]))
        inner = _spans_html(text, span.start, span.end, span.children, numbers)
        findings = sorted(span.findings, key=lambda finding: numbers[id(finding)])
        kind = "term" if any(_is_term(finding) for finding in findings) else "sentence"
        mark = (
            f"<mark class='{_mark_class(findings, kind)}' title='{_tooltip(findings)}' "
            f"data-findings='{' '.join(str(numbers[id(f)]) for f in findings)}'>{inner}</mark>"
        )
        if span.children:
            out.append(mark + _refs(findings, numbers))
        else:
            first = numbers[id(findings[0])]
            out.append(
                f"<a class='flag' href='#f-{first}'>{mark}</a>{_refs(findings[1:], numbers)}"
            )
        position = span.end
    out.append(_with_breaks(text[position:end]))
    return "".join(out)


def _is_term(finding: Finding) -> bool:
    """Findings about a word or phrase (jargon, passive verbs, placeholders), not a sentence."""
    return any(key in finding.data for key in ("term", "phrases", "placeholders"))


def _mark_class(findings: list[Finding], kind: str) -> str:
    severity = max((finding.severity for finding in findings), key=lambda s: s.rank)
    return f"{kind} sev-{SEVERITY_WORD[severity]}"


def _refs(findings: list[Finding], numbers: dict[int, int]) -> str:
    ordered = sorted(findings, key=lambda finding: numbers[id(finding)])
    return "".join(_ref(finding, numbers) for finding in ordered)


def _with_breaks(text: str) -> str:
    return esc(text).replace("\n", "<br>")


def _ref(finding: Finding, numbers: dict[int, int]) -> str:
    number = numbers[id(finding)]
    return (
        f"<sup class='ref'><a href='#f-{number}' title='{_tooltip([finding])}'>{number}</a></sup>"
    )


def _tooltip(findings: Iterable[Finding]) -> str:
    lines = []
    for finding in findings:
        line = f"{finding.rule.code} {SEVERITY_WORD[finding.severity]}: {finding.message}"
        if finding.suggestion and finding.suggestion not in finding.message:
            line += f" {finding.suggestion}"
        lines.append(line)
    return esc("\n".join(lines))


def _finding_list(findings: list[Finding], numbers: dict[int, int]) -> str:
    items = []
    for finding in findings:
        number = numbers[id(finding)]
        severity = SEVERITY_WORD[finding.severity]
        extra = []
        if finding.suggestion and finding.suggestion not in finding.message:
            extra.append(f"<p class='suggestion'>{esc(finding.suggestion)}</p>")
        explain = [f"<p class='why'><strong>Why it matters:</strong> {esc(finding.rule.why)}</p>"]
        if finding.excerpt:
            explain.append(f"<p class='excerpt'>“{esc(finding.excerpt)}”</p>")
        explain.append(f"<p class='where'>{esc(finding.location.describe())}</p>")
        items.append(
            f"<li id='f-{number}' value='{number}' class='finding sev-{severity}'>"
            f"<span class='code'>{esc(finding.rule.code)}</span> "
            f"<span class='sev'>{severity}</span> "
            f"<span class='message'>{esc(finding.message)}</span>{''.join(extra)}"
            f"<details><summary>{esc(finding.rule.name)}: more</summary>"
            f"<div class='explain'>{''.join(explain)}</div></details></li>"
        )
    return f"<ol class='findings'>{''.join(items)}</ol>"


# Glossary ---------------------------------------------------------------------------------------


def _glossary_section(report: Report) -> str:
    items = applicant_glossary.collect(report)
    parts = [
        "<section id='glossary'>",
        "<h2>Glossary for applicants</h2>",
        f"<p>{esc(applicant_glossary._INTRO)}</p>",
    ]
    if not items:
        parts.append("<p>No terms found.</p>")
    else:
        parts.append("<dl class='glossary'>")
        parts.append(applicant_glossary.entries_html(items, separator="\n"))
        parts.append("</dl>")
    parts.append("</section>")
    return "\n".join(parts)


# Page furniture ---------------------------------------------------------------------------------

_SCRIPT = """
(function () {
  function reveal(id) {
    var item = document.getElementById(id);
    if (!item) { return; }
    var details = item.querySelector("details");
    if (details) { details.open = true; }
    var old = document.querySelector("li.current");
    if (old) { old.classList.remove("current"); }
    item.classList.add("current");
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#f-']");
    if (link) { reveal(link.getAttribute("href").slice(1)); }
  });
  if (window.location.hash.indexOf("#f-") === 0) { reveal(window.location.hash.slice(1)); }
})();
"""

_CSS = """
:root{--ink:#0b0c0c;--muted:#505a5f;--line:#b1b4b6;--error:#d4351c;--warning:#f47738;
--note:#1d70b8;--good:#00703c;--paper:#fff;--tint:#f3f2f1}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:var(--ink);
background:var(--paper);line-height:1.5;margin:0 auto;max-width:62rem;padding:1rem 1.25rem 3rem}
h1{font-size:2rem;margin:.5rem 0}h2{border-bottom:2px solid var(--ink);padding-bottom:.2rem;
margin-top:2.5rem}
.headline{font-size:1.2rem;font-weight:600;margin:.25rem 0}
nav ol{columns:2;padding-left:1.25rem}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border-bottom:1px solid var(--line);padding:.3rem .6rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.band{border-left:10px solid var(--muted);background:var(--tint);padding:.75rem 1rem;margin:1rem 0}
.band-name{font-size:1.3rem;margin:0}.band-name strong{text-transform:uppercase}
.band-proportionate{border-color:var(--good)}.band-review{border-color:var(--warning)}
.band-disproportionate{border-color:var(--error)}
.pill{display:inline-block;border-radius:.8rem;padding:0 .5rem;font-size:.85rem;
color:#fff;background:var(--muted)}
.level-review{background:#a64b00}.level-disproportionate{background:var(--error)}
.reasons li{margin:.4rem 0}.rule-name,.where,.facts{color:var(--muted)}
.reasons details{font-size:.9rem;color:var(--muted)}
figure{margin:1.5rem 0}figcaption{margin-bottom:.4rem}
svg.chart{max-width:100%;height:auto;font-size:12px}
svg .bar.s0{fill:var(--note)}svg .bar.s1{fill:var(--good)}svg .bar.s2{fill:#b58840}
svg .bar.over{fill:var(--error)}svg .grid{stroke:#dddddd}
svg .target{stroke:var(--ink);stroke-dasharray:4 3;stroke-width:1.5}
svg .group{font-weight:700}svg .label,svg .value,svg .tick,svg .legend{fill:var(--ink)}
.data{font-size:.9rem}
.document .text{border-left:3px solid var(--tint);padding-left:1rem}
.doc-heading{margin:1.2rem 0 .4rem}
p.li{margin:.2rem 0 .2rem 1.2rem}p.li::before{content:"• ";margin-left:-1rem}
p.part{font-size:.9rem;color:var(--muted)}.part-label{font-weight:600}
.table-wrap{overflow-x:auto}.doc-table td{border:1px solid var(--line)}
mark{background:none;color:inherit;padding:0}
mark.term{padding:0 .1em;border-radius:2px}mark.term.sev-error{background:#f9c6bd}
mark.term.sev-warning{background:#ffe08a}mark.term.sev-note{background:#d2e5f6}
mark.sentence{text-decoration:underline wavy var(--warning);text-underline-offset:.25em}
mark.sentence.sev-error{text-decoration-color:var(--error)}
mark.sentence.sev-note{text-decoration-color:var(--note)}
mark.block{box-shadow:inset 0 -2px 0 var(--warning)}
mark.block.sev-error{box-shadow:inset 0 -2px 0 var(--error)}
mark.block.sev-note{box-shadow:inset 0 -2px 0 var(--note)}
a.flag{color:inherit;text-decoration:none}a.flag:focus mark{outline:3px solid #fd0}
sup.ref a{text-decoration:none;font-size:.75rem;padding:0 .1rem}
ol.findings{font-size:.92rem;background:var(--tint);padding:.4rem .6rem .4rem 2.6rem;
margin:.3rem 0 1rem}
li.finding{margin:.25rem 0}li.finding:target,li.finding.current{outline:3px solid #fd0;
background:#fff}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:700}
.sev{font-size:.8rem;text-transform:uppercase;font-weight:700}
.sev-error>.sev{color:var(--error)}.sev-warning>.sev{color:#a64b00}.sev-note>.sev{color:var(--note)}
.suggestion{margin:.1rem 0}.explain p{margin:.2rem 0}.excerpt{font-style:italic}
details summary{cursor:pointer;color:var(--note)}
#hide-notes{margin-left:0}.toggle{font-size:.9rem}
#hide-notes:checked~main li.sev-note{display:none}
#hide-notes:checked~main mark.sev-note{background:none;box-shadow:none;text-decoration:none}
.glossary dt{font-weight:700;margin-top:.8rem}.glossary dd{margin-left:1rem}
.glossary p{margin:.2rem 0}
footer{margin-top:3rem;color:var(--muted);font-size:.9rem}
@media print{nav,.toggle,#hide-notes{display:none}details{display:block}}
"""


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


# Only this page's own style and script may run: no network, no other script, no plug-ins.
_CSP = (
    "default-src 'none'; "
    f"style-src '{_sha256(_CSS)}'; "
    f"script-src '{_sha256(_SCRIPT)}'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
