"""Reading burden: words, pages, reading time, cross-references resolved to pack files, PB302."""

from __future__ import annotations

import math
from pathlib import Path

import docx
import pytest
from helpers import corpus_file, docx_to_bytes

from plainbid.checks import burden
from plainbid.checks.burden import find_references
from plainbid.config import ConfigError, Settings
from plainbid.model import Block, BlockKind, Document, Location, Pack
from plainbid.nlp import count_words
from plainbid.readers import read_bytes, read_pack


def _document(path: str, *texts: str, pages: int | None = None, title: str | None = None):
    blocks = []
    if title:
        blocks.append(Block(BlockKind.HEADING, title, Location(paragraph=1), level=1))
    for text in texts:
        blocks.append(Block(BlockKind.PARAGRAPH, text, Location(paragraph=len(blocks) + 1)))
    return Document(path=path, format="docx", blocks=blocks, pages=pages)


def _run(*documents: Document, **settings):
    return burden.run(Pack(list(documents)), Settings(**settings))


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("You must meet clause 4.2 in full.", "clause 4.2"),
        ("The prices are in Schedule 3.", "Schedule 3"),
        ("Annex A lists the sites.", "Annex A"),
        ("Use the form at Appendix 2.", "Appendix 2"),
        ("This is explained in section 5.1.", "section 5.1"),
        ("As paragraph 3.4 says, bids close at noon.", "paragraph 3.4"),
        ("Part B covers the cleaning work.", "Part B"),
        ("Terms have the meaning as defined in the Call-Off Contract.", "Call-Off Contract"),
        ("For the rules, see the Framework Agreement.", "Framework Agreement"),
        ("Answer the questions in Attachment 2d.", "Attachment 2d"),
        (
            "Prices follow Call-Off Schedule 5 (Pricing Details).",
            "Call-Off Schedule 5 (Pricing Details)",
        ),
        ("Read paragraph 3 of the Framework Agreement.", "paragraph 3 of the Framework Agreement"),
        ("Clause 6(a) does not apply.", "Clause 6(a)"),
        ("The order follows the steps in accordance with the Order Form.", "Order Form"),
    ],
)
def test_each_cross_reference_style_is_found(text, reference):
    assert [found[0] for found in find_references(text)] == [reference]


@pytest.mark.parametrize(
    "text",
    [
        "She is part of the team.",
        "This section tells you how to bid.",
        "The contract is split into Lot 2 and Lot 3.",
        "Everything is under the contract.",
        "Read this Order Form with care.",
        "See the Contract for details.",
    ],
)
def test_not_cross_references(text):
    assert find_references(text) == []


@pytest.fixture
def pack_documents() -> list[Document]:
    framework = _document(
        "pack/RM9999-framework-agreement.docx",
        "This framework agreement sets the rules for every call-off.",
        title="Framework Agreement",
    )
    order_form = _document(
        "pack/RM9999-Attachment-5-Order-Form.docx",
        "Fill in this form to place an order.",
        title="Order Form",
    )
    contract = _document(
        "pack/RM9999-call-off-contract.docx",
        "The Supplier must comply with clause 4.2 and must see the Framework Agreement.",
        "Prices are as set out in the Order Form.",
        "Complete Attachment 5 before you sign.",
        "Call-Off Schedule 5 (Pricing Details) applies.",
        "Words have the meaning as defined in the Call-Off Contract.",
        "ANNEX A",
        title="Call-Off Contract",
    )
    return [framework, order_form, contract]


def test_references_are_resolved_to_pack_files(pack_documents):
    output = _run(*pack_documents)
    data = output.document_data["pack/RM9999-call-off-contract.docx"]["burden"]
    targets = [(t["text"], t["document"]) for t in data["cross_reference_targets"]]
    assert targets == [
        ("clause 4.2", None),
        ("Framework Agreement", "pack/RM9999-framework-agreement.docx"),
        ("Order Form", "pack/RM9999-Attachment-5-Order-Form.docx"),
        ("Attachment 5", "pack/RM9999-Attachment-5-Order-Form.docx"),
        ("Call-Off Schedule 5 (Pricing Details)", None),
        # The contract itself: a reference, but not to another document of the pack.
        ("Call-Off Contract", None),
    ]
    assert data["cross_references"] == 6
    assert data["cross_references_to_pack"] == 3
    assert data["cross_reference_targets"][1]["location"]["paragraph"] == 2


def test_reference_is_not_resolved_to_another_frameworks_file(pack_documents):
    other = _document(
        "other/RM1111-order-form.docx", "An order form of another framework.", title="Order Form"
    )
    contract = pack_documents[2]
    data = _run(contract, other).document_data[contract.path]["burden"]
    assert data["cross_references_to_pack"] == 0


def test_density_finding_when_a_document_keeps_referring_to_others(pack_documents):
    output = _run(*pack_documents)
    [finding] = [f for f in output.findings if f.rule.code == "PB302"]
    assert finding.path == "pack/RM9999-call-off-contract.docx"
    words = sum(count_words(b.text) for b in pack_documents[2].blocks)
    assert finding.data["count"] == 3
    assert finding.data["per_1000_words"] == round(3 * 1000 / words, 2)
    assert finding.data["documents"] == {
        "pack/RM9999-framework-agreement.docx": 1,
        "pack/RM9999-Attachment-5-Order-Form.docx": 2,
    }
    assert finding.location.paragraph == 2
    relaxed = _run(*pack_documents, cross_references_per_1000_words=finding.data["per_1000_words"])
    assert not [f for f in relaxed.findings if f.rule.code == "PB302"]


def test_words_pages_and_reading_time():
    text = " ".join(["word"] * 1199) + "."
    estimated = _document("a.docx", text)
    counted = _document("b.pdf", "Two short sentences. Here they are.", pages=7)
    output = _run(estimated, counted)
    first = output.document_data["a.docx"]["burden"]
    assert first["words"] == 1199
    assert first["pages"] == math.ceil(1199 / 500) == 3
    assert first["pages_estimated"] is True
    assert first["reading_minutes"] == round(1199 / 200, 1)
    second = output.document_data["b.pdf"]["burden"]
    assert (second["pages"], second["pages_estimated"], second["sentences"]) == (7, False, 2)
    pack = output.pack_data["burden"]
    assert pack["documents"] == 2
    assert pack["words"] == 1199 + 6
    assert pack["pages"] == 10
    assert pack["sentences"] == 3
    assert pack["pages_estimated"] is True
    assert pack["reading_minutes"] == round(1205 / 200, 1)

    slow = _run(estimated, reading_words_per_minute=100, words_per_page=250)
    data = slow.document_data["a.docx"]["burden"]
    assert (data["reading_minutes"], data["pages"]) == (round(1199 / 100, 1), 5)


@pytest.mark.parametrize("setting", ["reading_words_per_minute", "words_per_page"])
def test_zero_rates_are_a_config_error(setting):
    with pytest.raises(ConfigError, match="must be more than 0"):
        _run(_document("a.docx", "Some words."), **{setting: 0})


def test_headers_footers_headings_and_title_lines_are_not_references():
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Attachment 5 - Order Form"
    word.sections[0].footer.paragraphs[0].text = "See Schedule 2 (Footer)"
    word.add_heading("Annex B", level=1)
    word.add_paragraph("ANNEX A")
    word.add_paragraph("The charges are set out in Schedule 4.")
    document = read_bytes("built.docx", docx_to_bytes(word))
    data = _run(document).document_data["built.docx"]["burden"]
    assert [t["text"] for t in data["cross_reference_targets"]] == ["Schedule 4"]


@pytest.fixture(scope="module")
def framework_pack(corpus: Path):
    paths = [str(corpus_file(corpus, code)) for code in ("D1", "D4", "D6", "D7")]
    return read_pack(paths)


def test_real_pack_resolves_attachments_within_the_same_framework(framework_pack):
    output = burden.run(framework_pack, Settings())
    by_code = {Path(path).name[:2]: path for path in output.document_data}
    about = output.document_data[by_code["D7"]]["burden"]
    resolved = {(t["text"], t["document"]) for t in about["cross_reference_targets"]}
    # G-Cloud 15's "About the framework" points to its quality questionnaire, Attachment 2d.
    assert ("Attachment 2d", by_code["D1"]) in resolved
    # The RM6232 order form points to the RM6232 specification, never to G-Cloud files.
    order = output.document_data[by_code["D4"]]["burden"]
    targets = {t["document"] for t in order["cross_reference_targets"] if t["document"]}
    assert targets == {by_code["D6"]}
    assert order["pages"] == 47 and order["pages_estimated"] is False
    assert order["cross_references"] > 100
    pack = output.pack_data["burden"]
    assert pack["documents"] == 4
    assert pack["words"] == sum(
        output.document_data[path]["burden"]["words"] for path in output.document_data
    )
