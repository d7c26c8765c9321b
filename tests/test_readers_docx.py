"""Word documents built here with python-docx (and lxml where python-docx has no API)."""

from __future__ import annotations

import copy
import io
import zipfile

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from helpers import docx_to_bytes, rewrite_zip

from plainbid.model import BlockKind, Document
from plainbid.nlp import count_words
from plainbid.readers import read_bytes, read_pack

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _read(document) -> Document:
    return read_bytes("built.docx", docx_to_bytes(document))


def _texts(document: Document, kind: BlockKind | None = None) -> list[str]:
    return [b.text for b in document.blocks if kind is None or b.kind == kind]


def _all_text(document: Document) -> str:
    return "\n".join(b.text for b in document.blocks)


def _run(text: str):
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    return run


def test_paragraph_table_paragraph_order_is_kept():
    word = docx.Document()
    word.add_paragraph("Before the table.")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Cell one"
    table.cell(0, 1).text = "Cell two"
    word.add_paragraph("After the table.")
    document = _read(word)
    assert _texts(document) == ["Before the table.", "Cell one", "Cell two", "After the table."]
    kinds = [b.kind for b in document.blocks]
    assert kinds == [
        BlockKind.PARAGRAPH,
        BlockKind.TABLE_CELL,
        BlockKind.TABLE_CELL,
        BlockKind.PARAGRAPH,
    ]
    # Paragraph numbers count body paragraphs only; the table does not take a number.
    assert [b.location.paragraph for b in document.blocks] == [1, None, None, 2]


def test_table_cells_have_table_row_and_column():
    word = docx.Document()
    first = word.add_table(rows=2, cols=2)
    second = word.add_table(rows=1, cols=3)
    for r in range(2):
        for c in range(2):
            first.cell(r, c).text = f"A{r + 1}{c + 1}"
    for c in range(3):
        second.cell(0, c).text = f"B1{c + 1}"
    document = _read(word)
    found = {b.text: (b.location.table, b.location.row, b.location.column) for b in document.blocks}
    assert found == {
        "A11": (1, 1, 1),
        "A12": (1, 1, 2),
        "A21": (1, 2, 1),
        "A22": (1, 2, 2),
        "B11": (2, 1, 1),
        "B12": (2, 1, 2),
        "B13": (2, 1, 3),
    }
    assert {b.kind for b in document.blocks} == {BlockKind.TABLE_CELL}


def test_nested_table_cells_are_read():
    word = docx.Document()
    outer = word.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Outer question"
    holder = outer.cell(0, 1)
    holder.text = "Outer answer box"
    inner = holder.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Inner label"
    inner.cell(0, 1).text = "Inner value"
    word.add_paragraph("After everything.")
    document = _read(word)
    texts = _texts(document)
    for text in ("Outer question", "Outer answer box", "Inner label", "Inner value"):
        assert texts.count(text) == 1, texts
    inner_label = next(b for b in document.blocks if b.text == "Inner label")
    outer_answer = next(b for b in document.blocks if b.text == "Outer answer box")
    assert inner_label.kind == BlockKind.TABLE_CELL
    assert outer_answer.location.table == 1
    # The nested table has its own number and is not folded into the outer cell's text.
    assert inner_label.location.table == 2
    assert (inner_label.location.row, inner_label.location.column) == (1, 1)
    assert "Inner" not in outer_answer.text
    assert texts.index("Inner value") < texts.index("After everything.")


def test_merged_cells_are_read_once():
    word = docx.Document()
    table = word.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Spans two columns"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 2).text = "Spans three rows"
    table.cell(0, 2).merge(table.cell(2, 2))
    table.cell(1, 0).text = "Plain"
    document = _read(word)
    texts = _texts(document)
    assert texts.count("Spans two columns") == 1
    assert texts.count("Spans three rows") == 1
    across = next(b for b in document.blocks if b.text == "Spans two columns")
    down = next(b for b in document.blocks if b.text == "Spans three rows")
    plain = next(b for b in document.blocks if b.text == "Plain")
    assert (across.location.row, across.location.column) == (1, 1)
    # Columns are grid columns: the merged first cell covers columns 1 and 2.
    assert (down.location.row, down.location.column) == (1, 3)
    assert (plain.location.row, plain.location.column) == (2, 1)


def test_text_left_in_a_vertically_merged_continuation_cell_is_not_read():
    """Word shows only the first cell of a vertical merge; stale text below it is hidden."""
    word = docx.Document()
    table = word.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "Shown once"
    table.cell(0, 0).merge(table.cell(1, 0))
    continuation = table.rows[1]._tr.tc_lst[0]
    assert continuation.tcPr.vMerge is not None and continuation.tcPr.vMerge.val != "restart"
    continuation.p_lst[0].append(_run("Hidden stale text"))
    document = _read(word)
    assert _texts(document) == ["Shown once"]


@pytest.mark.parametrize("linked", [True, False])
def test_header_and_footer_read_once_across_three_sections(linked):
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Tender header RM9999"
    word.sections[0].footer.paragraphs[0].text = "Official sensitive footer"
    word.add_paragraph("Section one body.")
    for number in (2, 3):
        section = word.add_section()
        if not linked:
            # Unlinked parts that repeat the same words are still one header to a reader.
            section.header.is_linked_to_previous = False
            section.header.paragraphs[0].text = "Tender header RM9999"
            section.footer.is_linked_to_previous = False
            section.footer.paragraphs[0].text = "Official sensitive footer"
        word.add_paragraph(f"Section {number} body.")
    assert len(word.sections) == 3
    document = _read(word)
    assert _texts(document, BlockKind.HEADER) == ["Tender header RM9999"]
    assert _texts(document, BlockKind.FOOTER) == ["Official sensitive footer"]
    assert _all_text(document).count("Tender header RM9999") == 1
    body = ["Section one body.", "Section 2 body.", "Section 3 body."]
    assert _texts(document, BlockKind.PARAGRAPH) == body
    words = sum(count_words(b.text) for b in document.blocks)
    assert words == 3 + 3 + 3 + 3 + 3  # header, footer, three body paragraphs


def test_headings_levels_and_heading_path():
    word = docx.Document()
    word.add_paragraph("Cover text before any heading.")
    word.add_heading("Intro", level=1)
    word.add_paragraph("Intro text.")
    word.add_heading("Scope", level=2)
    word.add_paragraph("Scope text.")
    word.add_heading("Pricing", level=1)
    word.add_paragraph("Pricing text.")
    document = _read(word)
    by_text = {b.text: b for b in document.blocks}
    assert by_text["Cover text before any heading."].location.heading is None
    assert by_text["Intro"].kind == BlockKind.HEADING
    assert by_text["Intro"].level == 1
    assert by_text["Scope"].kind == BlockKind.HEADING
    assert by_text["Scope"].level == 2
    assert by_text["Intro text."].location.heading == "Intro"
    assert by_text["Scope"].location.heading == "Intro > Scope"
    assert by_text["Scope text."].location.heading == "Intro > Scope"
    # A new level-1 heading closes the sub-section.
    assert by_text["Pricing text."].location.heading == "Pricing"


def test_title_style_is_a_top_level_heading():
    word = docx.Document()
    word.add_heading("Invitation to tender", level=0)  # the Title style
    word.add_paragraph("Body.")
    document = _read(word)
    assert document.blocks[0].kind == BlockKind.HEADING
    assert document.blocks[0].level == 1
    assert document.blocks[1].location.heading == "Invitation to tender"


def test_long_sentence_in_heading_style_is_a_paragraph():
    word = docx.Document()
    word.add_heading("Insurance", level=1)
    sentence = "The supplier must hold public liability insurance of at least five million pounds."
    word.add_paragraph(sentence, style="Heading 2")
    document = _read(word)
    block = next(b for b in document.blocks if b.text == sentence)
    assert block.kind == BlockKind.PARAGRAPH
    assert block.location.heading == "Insurance"


def test_list_items():
    word = docx.Document()
    word.add_paragraph("You must provide:")
    word.add_paragraph("Insurance certificates", style="List Bullet")
    word.add_paragraph("Two references", style="List Number")
    word.add_paragraph("That is all.")
    document = _read(word)
    kinds = [(b.kind, b.text) for b in document.blocks]
    assert kinds == [
        (BlockKind.PARAGRAPH, "You must provide:"),
        (BlockKind.LIST_ITEM, "Insurance certificates"),
        (BlockKind.LIST_ITEM, "Two references"),
        (BlockKind.PARAGRAPH, "That is all."),
    ]


def test_tracked_insertion_read_and_deletion_left_out():
    word = docx.Document()
    paragraph = word.add_paragraph("Bids close at ")
    p = paragraph._p
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "1")
    deletion.set(qn("w:author"), "Buyer")
    deleted_run = OxmlElement("w:r")
    deleted_text = OxmlElement("w:delText")
    deleted_text.text = "noon "
    deleted_run.append(deleted_text)
    deletion.append(deleted_run)
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "2")
    insertion.set(qn("w:author"), "Buyer")
    insertion.append(_run("five pm "))
    p.append(deletion)
    p.append(insertion)
    p.append(_run("on Friday."))
    # python-docx's own text skips the insertion: the reader must not rely on it.
    assert "five pm" not in paragraph.text
    document = _read(word)
    assert _texts(document) == ["Bids close at five pm on Friday."]
    assert "noon" not in _all_text(document)


def test_deleted_paragraph_inside_deletion_is_left_out_but_neighbours_read():
    word = docx.Document()
    word.add_paragraph("First kept.")
    paragraph = word.add_paragraph()
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "3")
    deletion.set(qn("w:author"), "Buyer")
    run = OxmlElement("w:r")
    text = OxmlElement("w:delText")
    text.text = "Entirely removed clause."
    run.append(text)
    deletion.append(run)
    paragraph._p.append(deletion)
    word.add_paragraph("Second kept.")
    document = _read(word)
    assert _texts(document) == ["First kept.", "Second kept."]


def test_comment_text_is_not_body_text():
    word = docx.Document()
    paragraph = word.add_paragraph("The contract runs for three years.")
    word.add_comment(paragraph.runs, text="Check this with legal ZQX", author="Reviewer")
    data = docx_to_bytes(word)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"Check this with legal ZQX" in archive.read("word/comments.xml")
    document = read_bytes("commented.docx", data)
    assert _texts(document) == ["The contract runs for three years."]
    assert "ZQX" not in _all_text(document)


_FOOTNOTES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}">
  <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0">
    <w:p><w:r><w:continuationSeparator/></w:r></w:p>
  </w:footnote>
  <w:footnote w:id="1">
    <w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> See the Procurement Act 2023, section 19.</w:t></w:r></w:p>
  </w:footnote>
</w:footnotes>
""".encode()


def _with_footnote_reference(word) -> None:
    paragraph = word.add_paragraph("Suppliers are excluded on mandatory grounds.")
    run = OxmlElement("w:r")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run.append(reference)
    paragraph._p.append(run)
    word.add_paragraph("Next paragraph.")


def _footnote_docx_by_package_api() -> bytes:
    word = docx.Document()
    _with_footnote_reference(word)
    package = word.part.package
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, _FOOTNOTES_XML, package)
    word.part.relate_to(part, RT.FOOTNOTES)
    return docx_to_bytes(word)


def _footnote_docx_by_hand() -> bytes:
    word = docx.Document()
    _with_footnote_reference(word)
    data = docx_to_bytes(word)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
    assert "footnotes" not in rels and "footnotes" not in types
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId999" Type="{RT.FOOTNOTES}" Target="footnotes.xml"/></Relationships>',
    )
    types = types.replace(
        "</Types>",
        f'<Override PartName="/word/footnotes.xml" ContentType="{CT.WML_FOOTNOTES}"/></Types>',
    )
    return rewrite_zip(
        data,
        replace={
            "word/_rels/document.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
        },
        add={"word/footnotes.xml": _FOOTNOTES_XML},
    )


@pytest.mark.parametrize("build", [_footnote_docx_by_package_api, _footnote_docx_by_hand])
def test_footnote_read_once_as_a_footnote_block(build):
    data = build()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/footnotes.xml" in archive.namelist()
    # python-docx itself must accept the package, or the test builds a broken file.
    word = docx.Document(io.BytesIO(data))
    assert any(str(p.partname) == "/word/footnotes.xml" for p in word.part.package.iter_parts())
    document = read_bytes("footnoted.docx", data)
    notes = [b for b in document.blocks if b.kind == BlockKind.FOOTNOTE]
    assert [b.text for b in notes] == ["See the Procurement Act 2023, section 19."]
    assert notes[0].location.note == 1
    assert _all_text(document).count("Procurement Act 2023") == 1
    # The body paragraph holding the reference is read without the note's text.
    assert "Suppliers are excluded on mandatory grounds." in _texts(document, BlockKind.PARAGRAPH)


def test_body_content_control_text_is_read():
    word = docx.Document()
    word.add_paragraph("Question 1: describe your approach.")
    answer = word.add_paragraph("Answer box text inside a control.")
    sdt = OxmlElement("w:sdt")
    sdt_pr = OxmlElement("w:sdtPr")
    alias = OxmlElement("w:alias")
    alias.set(qn("w:val"), "Answer")
    sdt_pr.append(alias)
    content = OxmlElement("w:sdtContent")
    answer._p.addprevious(sdt)
    sdt.append(sdt_pr)
    sdt.append(content)
    content.append(answer._p)  # moves the paragraph into the control
    word.add_paragraph("Question 2.")
    body_children = [c.tag for c in word.element.body.iterchildren()]
    assert qn("w:sdt") in body_children
    # python-docx's high-level API does not see it: the reader must walk the XML.
    assert "Answer box text inside a control." not in [p.text for p in word.paragraphs]
    document = _read(word)
    assert _texts(document) == [
        "Question 1: describe your approach.",
        "Answer box text inside a control.",
        "Question 2.",
    ]


def test_inline_content_control_and_table_in_control_are_read():
    word = docx.Document()
    paragraph = word.add_paragraph("Supplier name: ")
    sdt = OxmlElement("w:sdt")
    sdt.append(OxmlElement("w:sdtPr"))
    content = OxmlElement("w:sdtContent")
    content.append(_run("Acme Facilities Ltd"))
    sdt.append(content)
    paragraph._p.append(sdt)
    table = word.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Cell in a control"
    wrapper = OxmlElement("w:sdt")
    wrapper.append(OxmlElement("w:sdtPr"))
    wrapper_content = OxmlElement("w:sdtContent")
    wrapper.append(wrapper_content)
    table._tbl.addprevious(wrapper)
    wrapper_content.append(table._tbl)
    document = _read(word)
    assert _texts(document) == ["Supplier name: Acme Facilities Ltd", "Cell in a control"]
    cell = document.blocks[1]
    assert cell.kind == BlockKind.TABLE_CELL
    assert (cell.location.table, cell.location.row, cell.location.column) == (1, 1, 1)


def test_cell_wrapped_in_a_content_control_is_read():
    word = docx.Document()
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Label"
    table.cell(0, 1).text = "Controlled cell"
    tc = table.cell(0, 1)._tc
    sdt = OxmlElement("w:sdt")
    sdt.append(OxmlElement("w:sdtPr"))
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    tc.addprevious(sdt)
    content.append(tc)
    document = _read(word)
    found = {b.text: (b.location.row, b.location.column) for b in document.blocks}
    assert found == {"Label": (1, 1), "Controlled cell": (1, 2)}


def test_text_box_text_read_once():
    """Word stores a text box twice (DrawingML and a VML fallback); it is read once."""
    word = docx.Document()
    paragraph = word.add_paragraph("Anchor paragraph.")
    xml = f"""
    <mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
        xmlns:w="{W_NS}">
      <mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed note</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
      <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed note</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>
    </mc:AlternateContent>"""
    from lxml import etree

    run = OxmlElement("w:r")
    run.append(etree.fromstring(xml))
    paragraph._p.append(run)
    document = _read(word)
    assert _all_text(document).count("Boxed note") == 1


def test_docx_words_in_json_match_blocks(tmp_path, invoke):
    import json

    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Header words here"
    word.add_heading("Intro", level=1)
    word.add_paragraph("Seven words are in this body paragraph.")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "two words"
    table.cell(0, 1).text = "— —"  # dashes are not words
    path = tmp_path / "count.docx"
    word.save(path)
    result = invoke(["check", str(path), "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"][0]["words"] == 3 + 1 + 7 + 2
    assert report["pack"]["words"] == 13


def test_docx_with_a_damaged_xml_part_is_a_failure_not_a_crash(tmp_path):
    word = docx.Document()
    word.add_paragraph("Fine text.")
    data = rewrite_zip(docx_to_bytes(word), replace={"word/document.xml": b"<w:document"}, add={})
    path = tmp_path / "damaged.docx"
    path.write_bytes(data)
    pack = read_pack([str(path)])
    assert pack.documents == []
    assert len(pack.failures) == 1
    assert pack.failures[0].path == str(path)
    assert "damaged or incomplete" in pack.failures[0].message
    assert "save it again as .docx" in pack.failures[0].message


def test_reader_does_not_mutate_between_reads():
    word = docx.Document()
    word.add_heading("Intro", level=1)
    word.add_paragraph("Body.")
    data = docx_to_bytes(word)
    first = read_bytes("a.docx", data)
    second = read_bytes("a.docx", copy.copy(data))
    assert first.blocks == second.blocks
