"""A copy of a Word document with a comment on each finding, anchored to the flagged words.

Commissioners work in Word: a copy of their own document with each problem marked where it is
lets them fix the pack in the tool they use. The copy is made from the document's bytes in
memory; the original file is never written to.

Each finding's block is found again in the Word XML by walking the body the way the reader
does (`readers/docx.py`, subclassed here so the paragraph, table, row and column numbers are
the same), then its flagged words (a jargon term as first seen, a placeholder, a passive
phrase, a long sentence: see `plainbid.spans`) are located in the text of the block's runs.
Runs are split at the start and end of those words, keeping their formatting, so the comment
covers exactly them; when the words cannot be found, the comment covers the whole paragraph
or cell. Headers, footers and notes cannot hold comments in Word, and pack-wide findings have
no place in the body; those are returned unplaced.
"""

from __future__ import annotations

import io
import re
from copy import deepcopy
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.text.run import Run
from lxml import etree

from plainbid.model import Finding, Location
from plainbid.readers.docx import (
    _CELL_CONTENT,
    _CELLS,
    _TEXT_NODES,
    _BodyReader,
    _continues_vertical_merge,
    _grid_span,
    paragraph_text,
)
from plainbid.spans import find_span, flagged_text

AUTHOR = "plainbid"
INITIALS = "PB"

_W_P, _W_R, _W_T, _W_RPR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:rPr")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 cannot hold: never copied from a document into a comment.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Annotated:
    data: bytes
    comments: int
    # Findings with no place in the body (pack-wide, headers, footers, notes): not marked.
    unplaced: list[Finding]


class _BodyMap(_BodyReader):
    """The reader's walk of the body, keeping the XML paragraphs behind each location."""

    def __init__(self, word: docx.document.Document) -> None:
        super().__init__(word)
        self.paragraphs: dict[int, etree._Element] = {}
        self.cells: dict[tuple[int, int, int], list[etree._Element]] = {}

    def _paragraph(self, p: etree._Element) -> None:
        before = self._paragraphs
        super()._paragraph(p)
        if self._paragraphs != before:
            self.paragraphs[self._paragraphs] = p

    def _table(self, tbl: etree._Element) -> None:
        number = self._tables + 1  # the reader numbers this table next, then its nested ones
        super()._table(tbl)
        for row_number, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):
            column = 1
            for tc in _CELLS(tr):
                paragraphs = [
                    child
                    for child in _CELL_CONTENT(tc)
                    if child.tag == _W_P and paragraph_text(child).strip()
                ]
                if paragraphs and not _continues_vertical_merge(tc):
                    self.cells[(number, row_number, column)] = paragraphs
                column += _grid_span(tc)

    def paragraphs_at(self, location: Location) -> list[etree._Element]:
        if location.part is not None or location.note is not None:
            return []
        if location.table is not None:
            key = (location.table, location.row or 0, location.column or 0)
            return self.cells.get(key, [])
        if location.paragraph is not None and location.paragraph in self.paragraphs:
            return [self.paragraphs[location.paragraph]]
        return []


def annotate(
    data: bytes,
    findings: list[Finding],
    surfaces: dict[str, str],
    author: str = AUTHOR,
    initials: str = INITIALS,
) -> Annotated:
    """Comment each finding on a copy of the .docx in `data`; returns the copy's bytes.

    `surfaces` maps jargon terms to the form first seen in the document (`spans.term_surfaces`).
    """
    word = docx.Document(io.BytesIO(data))
    body = _BodyMap(word)
    body.read_body(word.element.body)
    unplaced = []
    comments = 0
    for finding in findings:
        paragraphs = body.paragraphs_at(finding.location)
        anchor = _anchor(paragraphs, finding, surfaces) if paragraphs else None
        if anchor is None:
            unplaced.append(finding)
            continue
        first, last = anchor
        word.add_comment(
            [Run(first, None), Run(last, None)],
            text=comment_text(finding),
            author=author,
            initials=initials,
        )
        comments += 1
    out = io.BytesIO()
    word.save(out)
    return Annotated(out.getvalue(), comments, unplaced)


def comment_text(finding: Finding) -> str:
    """The rule, the message and, when there is one, the suggestion or plainer words."""
    lines = [f"{finding.rule.code} {finding.rule.name}: {finding.message}"]
    if finding.suggestion:
        lines.append(finding.suggestion)
    return "\n".join(_NOT_XML.sub("", " ".join(line.split())) for line in lines)


@dataclass
class _Segment:
    node: etree._Element
    start: int
    end: int

    @property
    def run(self) -> etree._Element:
        return self.node.getparent()


def _anchor(
    paragraphs: list[etree._Element], finding: Finding, surfaces: dict[str, str]
) -> tuple[etree._Element, etree._Element] | None:
    """The first and last run a comment covers: the flagged words, split out of their runs
    when needed, or the whole block."""
    segments, text = _segments(paragraphs)
    if not segments:
        return None
    found = flagged_text(finding, surfaces)
    span = find_span(text, found[0], whole_words=found[1]) if found else None
    if span is not None:
        start = _segment_at(segments, span[0])
        end = _segment_at(segments, span[1] - 1)
        if start is not None and end is not None:
            return _split_out(start, span[0], end, span[1])
    return segments[0].run, segments[-1].run


def _segments(paragraphs: list[etree._Element]) -> tuple[list[_Segment], str]:
    """Each text node of the block's own runs with its offsets in the block's text (the
    paragraphs joined by newlines, as the reader joins a cell's paragraphs)."""
    segments: list[_Segment] = []
    pieces: list[str] = []
    position = 0
    for index, paragraph in enumerate(paragraphs):
        if index:
            pieces.append("\n")
            position += 1
        for node in _TEXT_NODES(paragraph):
            piece = _node_text(node)
            run = node.getparent()
            own = (
                run is not None
                and run.tag == _W_R
                and next(run.iterancestors(_W_P), None) is paragraph
            )
            if own and piece:
                segments.append(_Segment(node, position, position + len(piece)))
            pieces.append(piece)
            position += len(piece)
    return segments, "".join(pieces)


def _node_text(node: etree._Element) -> str:
    tag = node.tag
    if tag == _W_T:
        return node.text or ""
    if tag == qn("w:tab"):
        return "\t"
    if tag == qn("w:noBreakHyphen"):
        return "-"
    return "\n"


def _segment_at(segments: list[_Segment], offset: int) -> _Segment | None:
    return next((s for s in segments if s.start <= offset < s.end), None)


def _split_out(
    start: _Segment, start_offset: int, end: _Segment, end_offset: int
) -> tuple[etree._Element, etree._Element]:
    """Split runs so that one run begins at `start_offset` and one ends at `end_offset`."""
    # The end first: splitting there leaves every offset before it where it was.
    last = end.run
    cut = end_offset - end.start
    if cut < end.end - end.start:
        _split_run_before(last, _split_text(end.node, cut))
    elif end.node.getnext() is not None:
        _split_run_before(last, end.node.getnext())
    run = start.run
    cut = start_offset - start.start
    first = _split_run_before(run, _split_text(start.node, cut) if cut else start.node)
    if last is run:
        last = first  # the flagged words moved to the new run together
    return first, last


def _split_text(node: etree._Element, cut: int) -> etree._Element:
    """Split a `w:t` in two at `cut`; returns the second part."""
    text = node.text or ""
    tail = OxmlElement("w:t")
    tail.text = text[cut:]
    tail.set(_XML_SPACE, "preserve")
    node.text = text[:cut]
    node.set(_XML_SPACE, "preserve")
    node.addnext(tail)
    return tail


def _split_run_before(run: etree._Element, child: etree._Element) -> etree._Element:
    """Move `child` and what follows it into a new run, with the same formatting, right after
    `run`; returns the run that now holds `child`."""
    before = [sibling for sibling in child.itersiblings(preceding=True) if sibling.tag != _W_RPR]
    if not before:
        return run
    new = OxmlElement("w:r")
    for name, value in run.attrib.items():
        new.set(name, value)
    properties = run.find(_W_RPR)
    if properties is not None:
        new.append(deepcopy(properties))
    for moving in [child, *child.itersiblings()]:
        new.append(moving)
    run.addnext(new)
    return new
