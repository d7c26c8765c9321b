"""PB301 unfilled template text: every placeholder style, the false positives it must not
report, and the placeholders a person sees in the real template documents."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import docx
import pytest
from helpers import corpus_file, docx_to_bytes

from plainbid.checks import placeholders
from plainbid.checks.placeholders import find_placeholders
from plainbid.config import Settings
from plainbid.model import Block, BlockKind, Document, Location, Pack
from plainbid.readers import read_bytes, read_pack


def _texts(text: str) -> list[str]:
    return [p.text for p in find_placeholders(text)[0]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The contract starts on [insert date].", ["[insert date]"]),
        ("Quote Ref [XXX] on every page.", ["[XXX]"]),
        ("Further competition under Lot [X] of the framework.", ["[X]"]),
        ("Answer in no more than (X) sides of A4.", ["(X)"]),
        ("Send it to <<Supplier name>> by post.", ["<<Supplier name>>"]),
        ("Dear «Buyer», thank you.", ["«Buyer»"]),
        ("Hello {{ buyer_name }}.", ["{{ buyer_name }}"]),
        ("Start date: TBC. Venue: TBA. Budget: TBD.", ["TBC", "TBA", "TBD"]),
        ("The venue is to be confirmed.", ["to be confirmed"]),
        ("Interviews (date to be advised)", ["to be advised"]),
        ("[Buyer Name and Ref]", ["[Buyer Name and Ref]"]),
        (
            "Note to Council officer: check the budget line and delete this note.",
            ["Note to Council officer: check the budget line and delete this note."],
        ),
        ("[Guidance: say what the service is for.]", ["[Guidance: say what the service is for.]"]),
        ("Closing date xx/xx/xxxx at noon.", ["xx/xx/xxxx"]),
        ("The annual value is £[ ] excluding VAT.", ["£[ ]"]),
        ("The annual value is £XX,XXX.", ["£XX,XXX"]),
        ("Within [5] working days of award.", ["[5]"]),
        ("[DN: choose one option]", ["[DN: choose one option]"]),
        (
            "Keep this. Delete this guidance before you publish. Keep that.",
            ["Delete this guidance before you publish."],
        ),
        (
            "[Insert details [Document name] [version]]",
            ["[Insert details [Document name] [version]]"],
        ),
        ("The [minimum] [maximum] volume", ["[minimum]", "[maximum]"]),
        ("Drafting note – update the prices", ["Drafting note – update the prices"]),
    ],
)
def test_each_placeholder_style_is_found(text, expected):
    assert _texts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "As shown in the survey [1], small charities struggle.",
        "A footnote mark after a word[2] is not template text.",
        "(a) the supplier must register; (b) the buyer must reply.",
        "(x) any other breach of this agreement.",
        "He said it was ‘finished’ [sic].",
        "The quote goes on [...] to the end.",
        "Model:PA23[Tem]071 v1",
        "As provided for in Clause 10 [Ending the contract], notice is needed.",
        "[ ] Yes  [ ] No",
        "Tick one: Yes [x] No [ ]",
        "[Supplier to insert a response of up to 500 words]",
        "[Insert your response here]",
        "Read [the guide](https://www.gov.uk/guidance) first.",
        "The price is to be confirmed in writing by the buyer.",
        "Date of incorporation (DD/MM/YYYY)",
        "Section XX is repealed.",
        "Contact our team on 0300 123 4567.",
        "A list item [a] and [iv] in a legal text.",
    ],
)
def test_not_template_text(text):
    assert _texts(text) == []


def test_legal_square_brackets_are_reported():
    # In UK drafting, square brackets mark text not yet agreed: "[the Supplier]" is unfinished.
    assert _texts("The Supplier shall [use reasonable endeavours to] reply.") == [
        "[use reasonable endeavours to]"
    ]


def _run(document: Document) -> tuple[list, list]:
    output = placeholders.run(Pack([document]), Settings())
    return output.findings, output.document_data[document.path]["placeholders"]


def _document(*texts: str) -> Document:
    blocks = [
        Block(BlockKind.PARAGRAPH, text, Location(paragraph=i)) for i, text in enumerate(texts, 1)
    ]
    return Document("test.docx", "docx", blocks)


def test_one_finding_per_block_lists_every_placeholder():
    findings, listed = _run(_document("[Name] [Position] [Email]", "Nothing here.", "Lot [X]"))
    assert [f.location.paragraph for f in findings] == [1, 3]
    assert findings[0].message == (
        "3 pieces of unfilled template text: '[Name]', '[Position]', '[Email]'"
    )
    assert findings[0].data["placeholders"] == [
        {"text": "[Name]", "kind": "bracket"},
        {"text": "[Position]", "kind": "bracket"},
        {"text": "[Email]", "kind": "bracket"},
    ]
    assert [item["text"] for item in listed] == ["[Name]", "[Position]", "[Email]", "[X]"]
    assert findings[0].rule.severity.value == "warning"


def test_guidance_note_over_several_paragraphs_is_one_note():
    findings, listed = _run(
        _document("[Buyer guidance: fill in the dates.", "Check the budget too.]", "Real text.")
    )
    assert [(item["text"], item["kind"]) for item in listed] == [
        ("[Buyer guidance: fill in the dates.", "guidance"),
        ("Check the budget too.]", "guidance"),
    ]
    assert len(findings) == 2


def test_unclosed_bracket_does_not_swallow_the_document():
    texts = ["[Buyer guidance: never closed", "Second.", "Third.", "Fourth.", "[Insert x"]
    _, listed = _run(_document(*texts, "HEADING ONE", "Body text."))
    paragraphs = [item["location"]["paragraph"] for item in listed]
    assert paragraphs == [1, 2, 3, 5]


def test_found_in_header_footer_and_table_of_a_word_file():
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Tender for [INSERT BUYER NAME]"
    word.sections[0].footer.paragraphs[0].text = "Ref: [Buyer Name and Ref]"
    word.add_paragraph("Please reply by TBC.")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Contract value"
    table.cell(0, 1).text = "£[ ]"
    document = read_bytes("built.docx", docx_to_bytes(word))
    findings, listed = _run(document)
    assert sorted(item["text"] for item in listed) == sorted(
        ["[INSERT BUYER NAME]", "[Buyer Name and Ref]", "TBC", "£[ ]"]
    )
    cell = next(f for f in findings if f.location.table)
    assert (cell.location.table, cell.location.row, cell.location.column) == (1, 1, 2)


@pytest.fixture(scope="module")
def corpus_placeholders(corpus: Path) -> dict[str, list[dict]]:
    paths = [str(corpus_file(corpus, code)) for code in ("D1", "D2", "D4", "D5", "D6", "D7")]
    pack = read_pack(paths)
    output = placeholders.run(pack, Settings())
    return {
        Path(path).name[:2]: output.document_data[path]["placeholders"]
        for path in output.document_data
    }


# What a person reading the call-off order form (D4) sees as unfilled template text.
D4_SEEN = [
    "[X]",
    "[Insert procurement reference and procurement title]",
    "[Insert Buyer’s contract reference number]",
    "[Insert Buyer’s name]",
    "[Insert business address]",
    "[Insert name of Supplier]",
    "[Insert registered address (if registered)]",
    "[Insert registration number (if registered)]",
    "[Insert if known]",
    "[Insert date of issue]",
    "[Insert name of goods and services]",
    "[Day/Month/Year]",
    "[Insert name]",
    "[Insert role]",
    "[Insert email address]",
    "[Insert address]",
    "[Name]",
    "[Position]",
    "[Email]",
    "[Telephone]",
    "[Not Applicable]",
    "[insert which TUPE Option applies]",
    "[insert value]",
    "[OR]",
    "[fixed prices]",
    "[target costs]",
    "[50%]",
    "[Tender]",
    "[insert Contract name]",
    "[insert locations]",
    "[Insert Call-Off reference number]",
]


def test_call_off_order_form_placeholders_are_all_found(corpus_placeholders):
    found = Counter(item["text"] for item in corpus_placeholders["D4"])
    missing = [text for text in D4_SEEN if text not in found]
    assert missing == []
    assert found["[Day/Month/Year]"] == 11  # every one: nine lines, two of them twice
    # The empty cells of the cluster-member table and the '£[ ]'-style blanks.
    assert sum(1 for item in corpus_placeholders["D4"] if item["kind"] == "blank") >= 16
    guidance = [item["text"] for item in corpus_placeholders["D4"] if item["kind"] == "guidance"]
    assert any(
        text.startswith("[Guidance note: The only things you need to edit") for text in guidance
    )
    assert sum(text.startswith("[Buyer Guidance: insert the date") for text in guidance) == 5
    assert sum(text.startswith("[DN:") for text in guidance) >= 5


def test_specification_placeholders_are_all_found(corpus_placeholders):
    items = corpus_placeholders["D6"]
    found = Counter(item["text"] for item in items)
    footer = [item for item in items if item["location"]["part"] == "footer"]
    assert [item["text"] for item in footer] == ["[Buyer Name and Ref]"]
    assert found["[INSERT BUYER NAME]"] == 1
    assert found["[X]"] == 1
    assert found["[YES/NO]"] == 17
    assert found["[Insert acronym]"] == 3
    assert found["[Add name of additional annex]"] == 4
    assert found["[Monthly]"] == 3
    assert found["[24 hours]"] == 1
    assert found["[5]"] == 1  # "within [5] working days"
    assert any(text.startswith("[Guidance: you need to customise the bid pack") for text in found)


def test_finished_documents_have_no_placeholders(corpus_placeholders):
    for code in ("D1", "D2", "D5"):
        assert corpus_placeholders[code] == [], code
    # The G-Cloud framework document keeps one drafting instruction, and only that.
    assert [item["text"] for item in corpus_placeholders["D7"]] == [
        "Remove this guidance for all Lots.]"
    ]
