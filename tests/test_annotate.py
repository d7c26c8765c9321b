"""`plainbid annotate IN.docx -o OUT.docx`: a copy with a Word comment on each finding.

The comment ranges are read back from the copy's XML (`w:commentRangeStart` ... `End`) and the
text between them must be the flagged words. LibreOffice, where installed, must open the copy
and see every comment (it exports each as a PDF note).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdfium2
import pypdfium2.raw as pdfium_c
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from helpers import PROJECT_ROOT, docx_to_bytes
from lxml import etree

import plainbid
from plainbid.nlp import flatten
from plainbid.readers import read_bytes
from plainbid.spans import flagged_text, term_surfaces

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLES = sorted((PROJECT_ROOT / "examples" / "pack").glob("*.docx"))


def _built() -> bytes:
    """A tender with terms split across runs, in table cells, a nested table, a content
    control and a header (where Word cannot hold a comment)."""
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Lot 1: the CPV code is in the notice"
    word.add_heading("Invitation", level=1)
    word.add_paragraph("")  # empty paragraphs are not counted
    split = word.add_paragraph()
    split.add_run("Bids must follow the T")
    bold = split.add_run("UP")
    bold.bold = True
    split.add_run("E rules and the KPI table.")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Item"
    table.cell(0, 1).text = "Detail"
    table.cell(1, 0).text = "Service"
    detail = table.cell(1, 1)
    detail.text = "First line of the cell."
    detail.add_paragraph("Send it to the SLA team.")
    inner = table.cell(1, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "The RTO signs the form."
    control = word.add_paragraph("The contract starts on [insert date].")
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    control._p.addprevious(sdt)
    content.append(control._p)
    word.add_paragraph("Bids will be evaluated by a panel.")
    linked = word.add_paragraph("Join the ")
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("w:anchor"), "portal")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "DPS portal"
    run.append(text)
    hyperlink.append(run)
    linked._p.append(hyperlink)
    linked.add_run(" today.")
    return docx_to_bytes(word)


def comment_ranges(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Comment id -> the document text its range covers, and id -> the comment's text."""
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        comments = etree.fromstring(archive.read("word/comments.xml"))
    active: set[str] = set()
    covered: dict[str, str] = {}
    for element in body.iter():
        if element.tag == W + "commentRangeStart":
            active.add(element.get(W + "id"))
            covered.setdefault(element.get(W + "id"), "")
        elif element.tag == W + "commentRangeEnd":
            active.discard(element.get(W + "id"))
        elif element.tag == W + "t" and element.text:
            for comment_id in active:
                covered[comment_id] += element.text
        elif element.tag == W + "p":
            for comment_id in active:
                covered[comment_id] += "\n"
    said = {
        c.get(W + "id"): "\n".join(
            "".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p")
        )
        for c in comments.iter(W + "comment")
    }
    return covered, said


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_anchored(source: Path, annotated: Path) -> int:
    """Every finding with a place in the body has one comment, on the words it flags."""
    report = plainbid.check(source)
    [document] = report.documents
    surfaces = term_surfaces(document.data)
    body = [
        f
        for f in document.findings
        if f.location.part is None
        and (f.location.paragraph is not None or f.location.table is not None)
    ]
    covered, said = comment_ranges(annotated)
    assert len(docx.Document(str(annotated)).comments) == len(body) == len(covered)
    # Comments are numbered in the order of the findings.
    for comment_id, finding in zip(sorted(covered, key=int), body, strict=True):
        text = said[comment_id]
        assert text.startswith(f"{finding.rule.code} {finding.rule.name}: ")
        assert flatten(finding.message) in flatten(text)
        if finding.suggestion:
            assert flatten(finding.suggestion) in flatten(text)
        found = flagged_text(finding, surfaces)
        anchored = flatten(covered[comment_id])
        if found is None:  # nothing quoted: the comment covers the whole paragraph or cell
            block = next(b for b in document.document.blocks if b.location == finding.location)
            assert anchored == flatten(block.text)
            continue
        words, whole = found
        if whole:  # a term or phrase: the comment covers exactly it
            assert anchored.lower() == flatten(words).lower(), (finding.rule.code, anchored)
        else:  # a sentence or excerpt, cut at its ends by "…" when long
            assert flatten(words)[:60] in anchored, (finding.rule.code, words, anchored)
    return len(body)


def test_annotated_copy_has_a_comment_on_each_flagged_word(invoke, tmp_path):
    source = tmp_path / "itt.docx"
    source.write_bytes(_built())
    before = _sha(source)
    out = tmp_path / "itt-annotated.docx"
    result = invoke(["annotate", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _sha(source) == before  # the original is never written to
    count = _assert_anchored(source, out)
    assert f"wrote {out} with {count} comment(s)" in result.stderr
    # The header's CPV has no place for a comment, and the pack-wide findings neither.
    assert "have no place for a comment" in result.stderr
    covered, said = comment_ranges(out)
    by_text = {flatten(covered[i]): said[i] for i in covered}
    assert by_text["TUPE"].startswith("PB101 jargon-undefined: 'TUPE' is jargon")
    assert "Plainer: 'staff transfer rules'" in by_text["TUPE"]  # and the plainer words
    assert by_text["SLA"].startswith("PB101")  # the second paragraph of a cell
    assert by_text["RTO"].startswith("PB102")  # a nested table
    assert by_text["[insert date]"].startswith("PB301")  # inside a content control
    assert by_text["be evaluated"].startswith("PB202")
    assert by_text["DPS"].startswith("PB101")  # split inside a hyperlink
    assert not any("CPV" in text for text in said.values())
    _converts_with_libreoffice(out, tmp_path)


def test_splitting_runs_keeps_the_text_and_its_formatting(tmp_path, invoke):
    source = tmp_path / "itt.docx"
    source.write_bytes(_built())
    out = tmp_path / "out.docx"
    invoke(["annotate", str(source), "-o", str(out)])
    original = read_bytes("x.docx", source.read_bytes())
    copy = read_bytes("x.docx", out.read_bytes())
    assert [(b.kind, b.text, b.location) for b in copy.blocks] == [
        (b.kind, b.text, b.location) for b in original.blocks
    ]
    paragraph = next(p for p in docx.Document(str(out)).paragraphs if "TUPE" in p.text)
    runs = [(run.text, bool(run.bold)) for run in paragraph.runs if run.text]
    assert runs == [
        ("Bids must follow the ", False),
        ("T", False),
        ("UP", True),
        ("E", False),
        (" rules and the ", False),
        ("KPI", False),
        (" table.", False),
    ]
    # Checking the copy finds what checking the original found: comments are not text.
    first = plainbid.check(source).as_dict()["documents"][0]["findings"]
    second = plainbid.check(out).as_dict()["documents"][0]["findings"]
    assert second == first


def test_example_pack_documents_are_annotated_on_their_flagged_words(tmp_path, invoke):
    assert EXAMPLES, "examples/pack has no .docx files"
    for source in EXAMPLES:
        before = _sha(source)
        out = tmp_path / f"{source.stem}-annotated.docx"
        result = invoke(["annotate", str(source), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert _sha(source) == before
        assert _assert_anchored(source, out) > 10
    _converts_with_libreoffice(out, tmp_path)


def _converts_with_libreoffice(annotated: Path, tmp_path: Path) -> None:
    """Where LibreOffice is installed, it opens the copy and exports every comment as a PDF
    note; without it, the XML assertions above stand alone."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return
    expected = len(docx.Document(str(annotated)).comments)
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
            "--outdir",
            str(tmp_path),
            str(annotated),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf_path = tmp_path / (annotated.stem + ".pdf")
    assert pdf_path.is_file(), result.stdout + result.stderr
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    notes = 0
    for page in pdf:
        for index in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
            annotation = pdfium_c.FPDFPage_GetAnnot(page, index)
            if pdfium_c.FPDFAnnot_GetSubtype(annotation) == pdfium_c.FPDF_ANNOT_TEXT:
                notes += 1
            pdfium_c.FPDFPage_CloseAnnot(annotation)
    pdf.close()
    assert notes == expected


def test_annotate_refuses_to_overwrite_the_document(invoke, tmp_path):
    source = tmp_path / "itt.docx"
    source.write_bytes(_built())
    before = _sha(source)
    for target in (str(source), str(tmp_path / "sub" / ".." / "itt.docx")):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = invoke(["annotate", str(source), "-o", target])
        assert result.exit_code == 2
        assert "never overwrites the document it reads" in result.stderr
    link = tmp_path / "link.docx"
    link.symlink_to(source)
    assert invoke(["annotate", str(source), "-o", str(link)]).exit_code == 2
    assert _sha(source) == before


def test_annotate_needs_a_word_document(invoke, tmp_path):
    text = tmp_path / "itt.md"
    text.write_text("Bids must follow the TUPE rules.\n", encoding="utf-8")
    result = invoke(["annotate", str(text), "-o", str(tmp_path / "out.docx")])
    assert result.exit_code == 2
    assert "holds md, not a Word .docx" in result.stderr
    assert not (tmp_path / "out.docx").exists()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04truncated")
    result = invoke(["annotate", str(broken), "-o", str(tmp_path / "out.docx")])
    assert result.exit_code == 2
    assert f"cannot read {broken}" in result.stderr


def test_annotate_uses_the_pack_for_definitions_and_config(invoke, tmp_path):
    source = tmp_path / "itt.docx"
    source.write_bytes(_built())
    glossary = tmp_path / "glossary.md"
    glossary.write_text(
        "# Glossary\n\nSLA means the service level agreement: the standards the service must meet.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.docx"
    invoke(["annotate", str(source), "-o", str(out), "--pack", str(glossary)])
    said = comment_ranges(out)[1].values()
    assert any(text.startswith("PB103 jargon-defined: 'SLA'") for text in said)
    (tmp_path / "plainbid.toml").write_text('ignore = ["PB1"]\n', encoding="utf-8")
    invoke(["annotate", str(source), "-o", str(out)])
    said = comment_ranges(out)[1].values()
    assert said and not any(text.startswith("PB1") for text in said)


def test_comments_already_in_the_document_are_kept(invoke, tmp_path):
    word = docx.Document()
    paragraph = word.add_paragraph("Bids must follow the TUPE rules.")
    word.add_comment(paragraph.runs, text="Check with legal.", author="Buyer")
    source = tmp_path / "itt.docx"
    source.write_bytes(docx_to_bytes(word))
    out = tmp_path / "out.docx"
    assert invoke(["annotate", str(source), "-o", str(out)]).exit_code == 0
    covered, said = comment_ranges(out)
    assert sorted((flatten(covered[i]), said[i].split(":")[0]) for i in covered) == [
        ("Bids must follow the TUPE rules.", "Check with legal."),
        ("TUPE", "PB101 jargon-undefined"),
    ]
