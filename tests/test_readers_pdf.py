"""PDFs built here with fpdf2: pages, running headers and footers, hyphens, scans, passwords."""

from __future__ import annotations

import io
import os

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from helpers import png_bytes

from plainbid.model import BlockKind, Document
from plainbid.readers import pdf as pdf_reader
from plainbid.readers import read_bytes, read_pack
from plainbid.readers.errors import ReadError

# Distinct sentences, so no body line looks like a running header once numbers are blanked.
PAGE_TEXT = [
    "The buyer invites tenders for grounds maintenance across the county estate.",
    "Suppliers must hold public liability insurance and describe their staff training.",
    "Tenders are evaluated on quality and price, weighted sixty to forty.",
    "Clarification questions should be sent through the e-tendering portal.",
    "The contract starts in April and runs for two years with one optional extension.",
]


class _Pdf(FPDF):
    def __init__(self, running_header: str | None = None, running_footer: bool = False):
        super().__init__()
        self.running_header = running_header
        self.running_footer = running_footer

    def header(self) -> None:
        if self.running_header:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, self.running_header, new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

    def footer(self) -> None:
        if self.running_footer:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def _pdf(
    pages: list[str], running_header: str | None = None, running_footer: bool = False
) -> bytes:
    pdf = _Pdf(running_header, running_footer)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _image_page(pdf: FPDF) -> None:
    pdf.add_page()
    pdf.image(io.BytesIO(png_bytes()), x=20, y=20, w=150)


def _texts(document: Document, kind: BlockKind | None = None) -> list[str]:
    return [b.text for b in document.blocks if kind is None or b.kind == kind]


def test_blocks_carry_their_page_numbers():
    document = read_bytes("pages.pdf", _pdf(PAGE_TEXT[:3]))
    assert document.format == "pdf"
    assert document.pages == 3
    assert [(b.text, b.location.page) for b in document.blocks] == [
        (PAGE_TEXT[0], 1),
        (PAGE_TEXT[1], 2),
        (PAGE_TEXT[2], 3),
    ]


def test_running_page_n_of_m_footer_recognised_and_kept_once():
    data = _pdf(PAGE_TEXT, running_footer=True)
    # The footer really is on every page of the file.
    pdf = pdfium.PdfDocument(data)
    try:
        for index in range(len(pdf)):
            textpage = pdf[index].get_textpage()
            assert f"Page {index + 1} of 5" in textpage.get_text_range()
            textpage.close()
    finally:
        pdf.close()
    document = read_bytes("footer.pdf", data)
    assert _texts(document, BlockKind.FOOTER) == ["Page 1 of 5"]
    everything = "\n".join(_texts(document))
    for n in range(2, 6):
        assert f"Page {n} of 5" not in everything
    # Every page's own text is still read, on its page.
    body = [(b.text, b.location.page) for b in document.blocks if b.kind != BlockKind.FOOTER]
    assert body == [(text, n) for n, text in enumerate(PAGE_TEXT, start=1)]


def test_running_header_recognised_and_kept_once():
    data = _pdf(PAGE_TEXT, running_header="RM9999 Grounds Maintenance ITT")
    document = read_bytes("header.pdf", data)
    assert _texts(document, BlockKind.HEADER) == ["RM9999 Grounds Maintenance ITT"]
    assert "\n".join(_texts(document)).count("RM9999 Grounds Maintenance ITT") == 1
    assert _texts(document, BlockKind.PARAGRAPH) == PAGE_TEXT


def _hyphenated_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in (
        "The supplier must show the develop-",
        "ment of the service over the contract.",
        "",
        "Please give a self-",
        "declaration of your organisation's status.",
    ):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_pdfium_marks_a_line_end_hyphen():
    """What the engine gives: a hyphen at a line end becomes U+0002 with the line break gone."""
    pdf = pdfium.PdfDocument(_hyphenated_pdf())
    try:
        textpage = pdf[0].get_textpage()
        raw = textpage.get_text_bounded()
        textpage.close()
    finally:
        pdf.close()
    assert "develop\x02ment" in raw
    assert "self\x02declaration" in raw


def test_hyphenated_word_rejoined_and_compound_kept():
    document = read_bytes("hyphen.pdf", _hyphenated_pdf())
    text = "\n".join(_texts(document))
    assert "development of the service" in text
    assert "develop-" not in text and "\x02" not in text
    # Both halves of "self-declaration" are words, so the hyphen is kept.
    assert "self-declaration" in text
    assert _texts(document) == [
        "The supplier must show the development of the service over the contract.",
        "Please give a self-declaration of your organisation's status.",
    ]


def test_scanned_page_noted_and_text_pages_read():
    pdf = FPDF()
    for text in PAGE_TEXT[:2]:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    _image_page(pdf)
    document = read_bytes("part-scanned.pdf", bytes(pdf.output()))
    assert document.pages == 3
    assert _texts(document) == PAGE_TEXT[:2]
    scanned = [note for note in document.notes if "scanned page(s)" in note]
    assert len(scanned) == 1
    assert scanned[0].startswith("scanned page(s): 1 (3)")
    assert "OCR" in scanned[0]


def test_page_with_text_and_a_picture_is_not_a_scan():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, PAGE_TEXT[0])
    pdf.image(io.BytesIO(png_bytes()), x=20, y=60, w=40)
    document = read_bytes("logo.pdf", bytes(pdf.output()))
    assert document.notes == []
    assert _texts(document) == [PAGE_TEXT[0]]


def test_pdf_of_only_image_pages_is_a_failure_about_ocr(tmp_path):
    pdf = FPDF()
    _image_page(pdf)
    _image_page(pdf)
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(bytes(pdf.output()))
    good = tmp_path / "good.pdf"
    good.write_bytes(_pdf(PAGE_TEXT[:1]))
    with pytest.raises(ReadError) as raised:
        read_bytes(str(scanned), scanned.read_bytes())
    assert "OCR" in raised.value.message
    pack = read_pack([str(scanned), str(good)])
    assert [f.path for f in pack.failures] == [str(scanned)]
    assert "OCR" in pack.failures[0].message
    assert [d.path for d in pack.documents] == [str(good)]


def test_blank_pdf_is_a_failure_saying_there_is_no_text():
    pdf = FPDF()
    pdf.add_page()
    with pytest.raises(ReadError) as raised:
        read_bytes("blank.pdf", bytes(pdf.output()))
    assert "no text" in raised.value.message
    assert "OCR" not in raised.value.message


def _encrypted(user_password: str) -> bytes:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, PAGE_TEXT[0])
    return bytes(pdf.output())


def test_pdf_with_a_user_password_fails_with_a_password_message(tmp_path):
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(_encrypted("open-sesame"))
    # Independently: the engine itself cannot open it without the password.
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(locked.read_bytes())
    good = tmp_path / "good.pdf"
    good.write_bytes(_pdf(PAGE_TEXT[1:2]))
    pack = read_pack([str(locked), str(good)])
    assert len(pack.failures) == 1
    assert pack.failures[0].path == str(locked)
    assert "password" in pack.failures[0].message
    assert [d.path for d in pack.documents] == [str(good)]


def test_pdf_encrypted_with_an_empty_user_password_is_read():
    data = _encrypted("")
    assert b"/Encrypt" in data
    document = read_bytes("owner-only.pdf", data)
    assert _texts(document) == [PAGE_TEXT[0]]
    assert document.notes == []


def test_truncated_pdf_is_a_failure():
    data = _pdf(PAGE_TEXT)
    with pytest.raises(ReadError) as raised:
        read_bytes("cut.pdf", data[: len(data) // 2])
    assert "not a readable PDF" in raised.value.message


def test_numbered_headings_and_list_items_in_pdf():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    long = (
        "This is a long body paragraph that fills the line so that headings are short beside it "
        "and it wraps onto a second line of the page."
    )
    for line in ("1. Introduction", long, "1.2 Scope of the work", long, "- First bullet point"):
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    document = read_bytes("headed.pdf", bytes(pdf.output()))
    headings = [(b.text, b.level) for b in document.blocks if b.kind == BlockKind.HEADING]
    assert headings == [("1. Introduction", 1), ("1.2 Scope of the work", 2)]
    last = document.blocks[-1]
    assert last.kind == BlockKind.LIST_ITEM
    assert last.text == "- First bullet point"
    assert last.location.heading == "1. Introduction > 1.2 Scope of the work"


def test_short_form_pages_keep_their_own_lines():
    """A one-question-a-page form: lines alike but for a number are body text, not running lines.

    On a page of a few lines every line is within the "first or last three lines" that running
    header/footer detection looks at, so each page's label and word limit must not be taken for
    a running header or footer (which would keep the first and drop the rest).
    """
    questions = [
        "Describe how you will mobilise the service in the first month.",
        "Explain your approach to training and supervising cleaning staff.",
        "Set out how you will reduce the carbon footprint of the contract.",
        "Tell us how you will handle complaints from building users.",
    ]
    limits = [250, 500, 250, 500]
    pdf = FPDF()
    for number, (question, limit) in enumerate(zip(questions, limits, strict=True), start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, f"Question {number}", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 8, question, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(
            0, 8, f"Your answer must be no more than {limit} words.", new_x="LMARGIN", new_y="NEXT"
        )
    document = read_bytes("form.pdf", bytes(pdf.output()))
    for number, limit in enumerate(limits, start=1):
        on_page = " ".join(b.text for b in document.blocks if b.location.page == number)
        assert f"Question {number}" in on_page, (number, on_page)
        assert f"no more than {limit} words" in on_page, (number, on_page)
    assert not any(b.kind in (BlockKind.HEADER, BlockKind.FOOTER) for b in document.blocks)


# -- a long PDF is read by two processes -----------------------------------------------------


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    """320 pages, each with its number in its text, a running header and a page footer, and
    an image-only page in each half (a scan)."""
    scans = (40, 250)

    class Long(_Pdf):
        def header(self) -> None:
            if self.page_no() not in scans:
                super().header()

        def footer(self) -> None:
            if self.page_no() not in scans:
                super().footer()

    pdf = Long("Invitation to Tender: grounds maintenance", running_footer=True)
    for number in range(1, 321):
        if number in scans:
            _image_page(pdf)
            continue
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, f"{number}. {PAGE_TEXT[number % len(PAGE_TEXT)]}")
    return bytes(pdf.output())


def _one_process(data: bytes, monkeypatch) -> Document:
    with monkeypatch.context() as patch:
        patch.setattr(pdf_reader, "SPLIT_PAGES", 10**6)
        return read_bytes("long.pdf", data)


def test_a_long_pdf_read_by_two_processes_gives_the_same_document(long_pdf, monkeypatch):
    assert pdf_reader.can_split()  # Linux, two or more CPUs: what CI runs on
    calls = []
    original = pdf_reader._page_texts_in_two
    monkeypatch.setattr(
        pdf_reader, "_page_texts_in_two", lambda *args: calls.append(1) or original(*args)
    )
    document = read_bytes("long.pdf", long_pdf)
    assert calls == [1]
    assert document == _one_process(long_pdf, monkeypatch)
    assert document.pages == 320
    assert document.notes == ["scanned page(s): 2 (40, 250), needs OCR; their text is not checked"]
    assert _texts(document, BlockKind.HEADER) == ["Invitation to Tender: grounds maintenance"]
    assert _texts(document, BlockKind.FOOTER) == ["Page 1 of 320"]
    assert document.blocks[-1].location.page == 320


def test_a_failed_second_process_is_made_up_for(long_pdf, monkeypatch):
    """The child reads nothing (it fails at once): this process reads its pages itself."""
    parent = os.getpid()
    original = pdf_reader._page_texts

    read_here = []

    def fails_in_the_child(pdf, indexes):
        if os.getpid() != parent:
            raise RuntimeError("a page PDFium cannot read")
        read_here.append(indexes)
        return original(pdf, indexes)

    monkeypatch.setattr(pdf_reader, "_page_texts", fails_in_the_child)
    document = read_bytes("long.pdf", long_pdf)
    assert read_here == [range(160), range(160, 320)]
    assert document == _one_process(long_pdf, monkeypatch)
