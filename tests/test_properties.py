"""Properties of the text pipeline that hold for any input, searched for with hypothesis.

The "ci" profile (tests/conftest.py) runs 50 fixed examples per test so CI is quick and
repeatable; `HYPOTHESIS_PROFILE=long pytest tests/test_properties.py` searches 2,000 random ones.
Inputs mix arbitrary Unicode with tender vocabulary (jargon, acronyms, word limits, headings,
list markers, escapes), so the checks have something to find.
"""

from __future__ import annotations

import json
import re
from unittest import mock

import click
import docx
from helpers import docx_to_bytes
from hypothesis import given
from hypothesis import strategies as st

from plainbid.config import Settings
from plainbid.formatters import text as text_format
from plainbid.model import Document, Location, Pack
from plainbid.nlp import count_words
from plainbid.readers import read_bytes
from plainbid.readers.errors import ReadError
from plainbid.report import Report, build_report

VOCABULARY = [
    "TUPE",
    "KPI",
    "the",
    "Supplier",
    "must",
    "submit",
    "award notice",
    "call-off",
    "Call-Off Contract",
    "Transfer of Undertakings (TUPE)",
    '"SQ" means the selection questionnaire.',
    "pass/fail",
    "Maximum 250 words.",
    "£100,000 per annum",
    "Q1.",
    "?",
    ".",
    ",",
    ":",
    "-",
    "• ",
    "1. ",
    "# ",
    "## ",
    "\t",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "é",
    "👩🏽‍💻",
    "يجب",
    "\u2028",
    "\x1b[31m",
    "\x1b]0;title\x07",
    "[insert name]",
    "<script>",
]
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=6)), max_size=80).map("".join),
)


def _read(text: str, markdown: bool) -> Document | None:
    """The document, or None when it is refused (a one-line message, never a crash)."""
    try:
        return read_bytes("doc.md" if markdown else "doc.txt", text.encode("utf-8"))
    except ReadError as error:
        assert error.message and "\n" not in error.message
        return None


def _report(document: Document) -> Report:
    return build_report(Pack(documents=[document]), Settings())


@given(text=TEXT, markdown=st.booleans())
def test_any_text_is_read_checked_and_reported_without_a_crash(text, markdown):
    document = _read(text, markdown)
    if document is None:
        return
    report = _report(document)
    # A check that raised would be listed here ("the ... check failed").
    assert report.failures == []
    assert json.loads(report.to_json())["documents"][0]["path"] == document.path
    # Without plainbid's own colours, any escape left would have come from the document.
    with mock.patch.object(click, "style", lambda text, **_: text):
        shown = text_format.render(report, verbose=True)
    for control in ("\x1b", "\x07", "\x9b"):
        assert control not in shown


@given(paragraphs=st.lists(st.text(max_size=100), max_size=10))
def test_word_counts_add_up_across_paragraphs(paragraphs):
    joined = "\n\n".join(paragraphs)
    assert count_words(joined) == sum(count_words(paragraph) for paragraph in paragraphs)


@given(text=TEXT, markdown=st.booleans())
def test_a_text_documents_blocks_hold_all_its_words(text, markdown):
    document = _read(text, markdown)
    if document is None:
        return
    words = sum(count_words(block.text) for block in document.blocks)
    if markdown:
        # A heading loses only its #s, which are not words.
        assert words == count_words(text.replace("#", " ")) or words == count_words(text)
    else:
        assert words == count_words(text)
    report = _report(document)
    assert report.documents[0].words == words


@given(text=TEXT, markdown=st.booleans())
def test_findings_point_inside_the_text(text, markdown):
    document = _read(text, markdown)
    if document is None:
        return
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = document.blocks
    assert [block.location.paragraph for block in blocks] == list(range(1, len(blocks) + 1))
    block_locations = {block.location for block in blocks}
    for block in blocks:
        assert 1 <= block.location.line <= len(lines)
        # The block's text starts on the line its location names.
        # (without the control characters the readers drop).
        first_line = re.sub(
            r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", lines[block.location.line - 1]
        )
        assert block.text.split("\n")[0].strip() in first_line
    for finding in _report(document).findings:
        where = finding.location
        if where.line is not None:
            assert 1 <= where.line <= len(lines)
        if where.paragraph is not None:
            assert 1 <= where.paragraph <= len(blocks)
        # Every finding is about a block of the document, or about the document as a whole.
        assert where in block_locations or (where.line is None and where.paragraph is None)


@given(text=TEXT, markdown=st.booleans())
def test_the_same_input_gives_byte_identical_json(text, markdown):
    first = _read(text, markdown)
    if first is None:
        return
    again = _read(text, markdown)
    assert _report(first).to_json() == _report(again).to_json()


# Text python-docx can store: no control characters but tab and newline, no surrogates.
WORD_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"),
    max_size=80,
)


@given(paragraphs=st.lists(WORD_TEXT, max_size=6))
def test_a_word_document_keeps_every_paragraphs_text(paragraphs):
    word = docx.Document()
    for paragraph in paragraphs:
        word.add_paragraph(paragraph)
    document = read_bytes("built.docx", docx_to_bytes(word))
    assert [block.text for block in document.blocks] == [
        paragraph.strip() for paragraph in paragraphs if paragraph.strip()
    ]
    for block in document.blocks:
        assert block.location != Location()
