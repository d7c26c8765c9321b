"""Questions, limits, weightings and gates, read from Word documents built in the test."""

from __future__ import annotations

import re
import string
import sys

import pytest
from docx import Document as Docx

from plainbid import nlp
from plainbid.checks import questions
from plainbid.config import Settings
from plainbid.readers import read_pack


def _docx(tmp_path, paragraphs=(), tables=()):
    document = Docx()
    for text in paragraphs:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    path = tmp_path / "pack.docx"
    document.save(path)
    return read_pack([str(path)]).documents[0]


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("Describe your approach in a maximum 500 words.", 500, "words"),
        ("Word count: 750", 750, "words"),
        ("Answer in no more than 1,000 words.", 1000, "words"),
        ("There is a 500 word limit for this answer.", 500, "words"),
        ("Tell us about your team (max. 250 words).", 250, "words"),
        ("Maximum word count: 2500", 2500, "words"),
        ("Free text 250 (word limit)", 250, "words"),
        ("Up to 5,000 characters including spaces.", 5000, "characters"),
        ("Your answer: 3,000 characters (including spaces)", 3000, "characters"),
        ("Use no more than 2 sides of A4.", 2, "pages"),
        ("Limited to three pages.", 3, "pages"),
        ("Describe your staffing model (500 words)", 500, "words"),
    ],
)
def test_each_limit_style_is_read(text, amount, unit):
    [limit] = questions.find_limits(text)
    assert (limit.amount, limit.unit) == (amount, unit)
    assert not limit.placeholder


@pytest.mark.parametrize(
    "text", ["Answer in no more than (X) sides of A4.", "A maximum of [insert number] characters."]
)
def test_placeholder_limits_have_no_amount(text):
    [limit] = questions.find_limits(text)
    assert limit.amount is None and limit.placeholder
    assert limit.as_dict()["placeholder"] is True


@pytest.mark.parametrize(
    "text",
    [
        "The framework agreement runs to 20,000 words.",
        "We received 40 pages of feedback last year.",
        "Each text box has a word count which will be displayed.",
    ],
)
def test_prose_numbers_are_not_limits(text):
    assert questions.find_limits(text) == []


def test_lower_case_gates_miss_no_match():
    """`may_contain` looks for lower-cased words where the patterns match with re.I. That is
    safe because re.I reads a character as a letter a-z only when lower() turns it into that
    letter, except for three characters, which `may_contain` always lets through."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    differ = {
        character
        for letter in string.ascii_lowercase
        for character in re.findall(letter, every, re.I)
        if character.lower() != letter
    }
    assert differ == set(nlp._ODD_CASE)
    [limit] = questions.find_limits("Use no more than 2 \u017fides of A4.")  # as re.I reads it
    assert (limit.amount, limit.unit) == (2, "pages")


def test_numbered_questions_and_a_limit_on_the_next_line(tmp_path):
    document = _docx(
        tmp_path,
        [
            "1. Please describe how you will recruit volunteers.",
            "Maximum 300 words",
            "2. Do you hold Cyber Essentials? Yes/No",
            "3. Explain how you will work with partners.",
            "Background: the council runs five services.",
        ],
    )
    found = questions.find_questions(document)
    assert [q.id for q in found] == ["1", "2", "3"]
    assert found[0].limit.amount == 300 and found[0].limit.unit == "words"
    assert found[1].answer == "yes/no" and found[1].gate
    assert found[2].limit is None and not found[2].gate
    summary = questions.pack_summary(found, Settings())
    assert summary["questions"] == 3
    assert summary["questions_without_limit"] == 1  # the yes/no question is not a written answer
    assert summary["words_to_write"] == 300


def test_table_column_limits_and_weightings_apply_to_their_row(tmp_path):
    document = _docx(
        tmp_path,
        tables=[
            [
                ["Question", "Word limit", "Weighting"],
                ["Describe your delivery model.", "750", "30%"],
                ["How will you measure outcomes?", "500", "20%"],
                ["How will you involve service users?", "", "10%"],
            ]
        ],
    )
    found = questions.find_questions(document)
    assert [(q.limit.amount if q.limit else None, q.weighting) for q in found] == [
        (750, "30%"),
        (500, "20%"),
        (None, "10%"),
    ]
    assert found[0].location.table == 1 and found[0].location.row == 2
    assert all(q.limit is None or q.limit.unit == "words" for q in found)


def test_page_column_and_placeholder_cell(tmp_path):
    document = _docx(
        tmp_path,
        tables=[
            [
                ["Question", "Max pages"],
                ["Set out your mobilisation plan.", "2"],
                ["Set out your exit plan.", "(X)"],
            ]
        ],
    )
    first, second = questions.find_questions(document)
    assert (first.limit.amount, first.limit.unit) == (2, "pages")
    assert second.limit.placeholder and second.limit.unit == "pages"


def test_words_to_write_converts_characters_and_pages():
    settings = Settings(words_per_page=400, characters_per_word=5)
    found = [
        questions.Question("1", "a", None, questions.Limit(100, "words", "")),
        questions.Question("2", "b", None, questions.Limit(1000, "characters", "")),
        questions.Question("3", "c", None, questions.Limit(2, "pages", "")),
        questions.Question("4", "d", None, questions.Limit(None, "pages", "", placeholder=True)),
    ]
    assert questions.words_to_write(found, settings) == 100 + 200 + 800


def test_gate_register_lists_each_gate_once(tmp_path):
    document = _docx(
        tmp_path,
        [
            "1. Do you accept the terms and conditions? This question is pass/fail.",
            "Bidders scoring below the minimum score of 2 will be excluded.",
            "Bidders scoring below the minimum score of 2 will be excluded.",
            "We welcome bids from charities.",
        ],
    )
    report = questions.run(read_pack([str(tmp_path / "pack.docx")]), Settings())
    gates = [f for f in report.findings if f.rule.code == "PB303"]
    assert len(gates) == 2
    assert gates[0].location.paragraph == 1
    assert "minimum score" in gates[1].excerpt
    data = report.document_data[document.path]
    assert [q["gate"] for q in data["questions"]] == [True]
    assert report.pack_data["gates"] == 1


def test_questions_under_numbered_headings_take_their_number(tmp_path):
    import docx as python_docx

    from plainbid.checks.questions import find_questions
    from plainbid.readers import read_bytes

    word = python_docx.Document()
    word.add_heading("Q2.1 Convictions", level=2)
    word.add_paragraph(
        "Has your organisation been convicted of fraud in the last 5 years? Answer Yes or No. "
        "This question is Pass/Fail."
    )
    word.add_heading("Q4.1 Service model", level=2)
    word.add_paragraph("Describe the service you propose. Maximum 500 words.")
    path = tmp_path / "sq.docx"
    word.save(path)
    questions = find_questions(read_bytes(str(path), path.read_bytes()))
    assert [(q.id, q.answer, q.gate) for q in questions] == [
        ("Q2.1", "yes/no", True),
        ("Q4.1", None, False),
    ]
    assert questions[1].limit.amount == 500
