"""PDF: the text layer of each page, with running headers and footers counted once.

Text comes from pypdfium2 (the PDFium engine pdfplumber itself depends on) rather than
pdfplumber's own layout analysis: on the same files it reads plain text about 90 times faster
with a fraction of the memory (see the benchmark table in the README), and plainbid needs the
words, not their coordinates. PDFium marks a word broken across lines with a soft hyphen,
which is rejoined here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium

from plainbid.model import Block, BlockKind, Document, Location
from plainbid.nlp import known_words
from plainbid.readers.errors import ReadError
from plainbid.readers.isolation import can_split, start_beside
from plainbid.readers.structure import HeadingTrail

MAX_PAGES = 5000
# A PDF of at least this many pages is read by two processes (`_page_texts_in_two`).
SPLIT_PAGES = 100
# A page with fewer characters than this and an image on it is a scan, not a text page.
_SCANNED_PAGE_CHARS = 20
# Running headers and footers sit in the top and bottom tenth of a page.
_MARGIN_BAND = 0.1
_PDFIUM_SOFT_HYPHEN = "\x02"
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-Z][^.;:!?]{1,80})$")
_LIST_START = re.compile(r"^(?:[•►▪●○■◦‣∙\-–*]|\(?[a-z0-9]{1,3}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?:;]['\"”’)]?$")


def read_pdf(path: str, data: bytes) -> Document:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReadError(
                path, "is password-protected: save a copy without a password and check that"
            ) from error
        raise ReadError(
            path, "is not a readable PDF (damaged or incomplete); export it again as PDF"
        ) from error
    try:
        page_count = len(pdf)
        if page_count > MAX_PAGES:
            raise ReadError(
                path, f"has {page_count} pages, over the limit of {MAX_PAGES}; split it"
            )
        if page_count >= SPLIT_PAGES and can_split():
            pages, scanned, unreadable = _page_texts_in_two(pdf, data, page_count)
        else:
            pages, scanned, unreadable = _page_texts(pdf, range(page_count))
    finally:
        pdf.close()
    if len(unreadable) == page_count:
        raise ReadError(
            path, "is not a readable PDF (damaged or incomplete); export it again as PDF"
        )
    if not any(page.text.strip() for page in pages):
        if scanned:
            raise ReadError(
                path,
                "has no text layer (scanned images): run OCR on it (for example with ocrmypdf) "
                "and check the result",
            )
        raise ReadError(path, "has no text in it; check that it is the right file")
    blocks = _blocks(pages, _running_lines(pages))
    notes = []
    if unreadable:
        notes.append(
            f"page(s) that could not be read (damaged): {_listed(unreadable)}; "
            "their text is not checked"
        )
    if scanned:
        notes.append(
            f"scanned page(s): {len(scanned)} ({_listed(scanned)}), needs OCR; "
            "their text is not checked"
        )
    return Document(path=path, format="pdf", blocks=blocks, pages=page_count, notes=notes)


def _listed(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:20]) + (" …" if len(numbers) > 20 else "")


@dataclass
class _Page:
    text: str
    # Shapes of the lines printed in the page's top and bottom margins, where running
    # headers and footers sit; only these may be taken for running lines.
    margin_shapes: set[str]


_PageTexts = tuple[list["_Page"], list[int], list[int]]


def _page_texts(pdf: pdfium.PdfDocument, indexes: range) -> _PageTexts:
    """Each page's text, and the numbers of scanned pages and of pages PDFium cannot load
    (a page tree that loops, a damaged page object); an unreadable page is an empty page."""
    pages: list[_Page] = []
    scanned: list[int] = []
    unreadable: list[int] = []
    for index in indexes:
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            unreadable.append(index + 1)
            pages.append(_Page("", set()))
            continue
        try:
            textpage = page.get_textpage()
            text = _clean(textpage.get_text_bounded())
            _, height = page.get_size()
            band = height * _MARGIN_BAND
            margins = textpage.get_text_bounded(top=height, bottom=height - band)
            margins += "\n" + textpage.get_text_bounded(top=band, bottom=0)
            textpage.close()
            if len(text.strip()) < _SCANNED_PAGE_CHARS and _has_image(page):
                scanned.append(index + 1)
        finally:
            page.close()
        shapes = {_shape(line) for line in _clean(margins).split("\n") if line.strip()}
        pages.append(_Page(text, shapes))
    return pages, scanned, unreadable


def _page_texts_in_two(pdf: pdfium.PdfDocument, data: bytes, page_count: int) -> _PageTexts:
    """`_page_texts` of every page, the second half read by a second process meanwhile.

    PDFium's own work is most of reading a long PDF and it cannot run in two threads, so a
    long PDF is read by two processes (`isolation.start_beside`)."""
    half = page_count // 2
    second = start_beside(lambda: _page_texts(pdfium.PdfDocument(data), range(half, page_count)))
    first = _page_texts(pdf, range(half))
    rest = second()
    return first[0] + rest[0], first[1] + rest[1], first[2] + rest[2]


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace(_PDFIUM_SOFT_HYPHEN + "\n", _PDFIUM_SOFT_HYPHEN)


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER_SHAPE = re.compile(r"page|#\s*(/|of)\s*#|^[\s\-–]*#[\s\-–]*$")


def _shape(line: str) -> str:
    """What must repeat for a line to be a running one: its text, with the numbers blanked
    only where they are a page number ('Page 3 of 40', '3/163', '- 7 -'). A label such as
    'Question 3' that changes from page to page is body text."""
    text = line.strip().lower()
    blanked = _DIGITS.sub("#", text)
    return blanked if _PAGE_NUMBER_SHAPE.search(blanked) else text


def _running_lines(pages: list[_Page]) -> set[str]:
    """Shapes of lines in the margins of most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update(page.margin_shapes)
    needed = max(3, len(pages) // 2)
    return {shape for shape, count in counts.items() if count >= needed and shape}


def _blocks(pages: list[_Page], running: set[str]) -> list[Block]:
    blocks: list[Block] = []
    trail = HeadingTrail()
    seen_running: set[str] = set()
    paragraph: list[str] = []

    def flush(page_number: int) -> None:
        if paragraph:
            joined = " ".join(paragraph)
            paragraph.clear()
            kind = BlockKind.LIST_ITEM if _LIST_START.match(joined) else BlockKind.PARAGRAPH
            add(kind, joined, page_number)

    paragraph_number = 0

    def add(kind: BlockKind, text: str, page_number: int, level: int | None = None) -> None:
        nonlocal paragraph_number
        paragraph_number += 1
        location = Location(page=page_number, paragraph=paragraph_number, heading=trail.path)
        blocks.append(Block(kind, text, location, level))

    for page_number, page in enumerate(pages, start=1):
        lines = _rejoin_soft_hyphens([line.strip() for line in page.text.split("\n")])
        # A heading is short beside the page's full lines; a numbered question that wraps is not.
        lengths = sorted(len(line) for line in lines if line)
        full_line = lengths[int(len(lengths) * 0.9)] if lengths else 0
        # Only a line printed in this page's margins can be a running one.
        running_here = running & page.margin_shapes
        for index, line in enumerate(lines):
            if not line:
                flush(page_number)
                continue
            shape = _shape(line) if running_here else ""
            if shape in running_here:
                if shape not in seen_running:
                    seen_running.add(shape)
                    kind = BlockKind.HEADER if index < len(lines) / 2 else BlockKind.FOOTER
                    blocks.append(Block(kind, line, Location(page=page_number, part=kind.value)))
                continue
            heading = _NUMBERED_HEADING.match(line)
            if (
                heading
                and len(line.split()) <= 10
                and len(line) < 0.7 * full_line
                and line.count("(") == line.count(")")
                # A wrapped line goes on in lower case; a contents line ends in its page number.
                and not _next_line(lines, index)[:1].islower()
                and not re.search(r"\s\d+$", line)
            ):
                flush(page_number)
                trail.enter(heading.group(1).count(".") + 1, line)
                add(BlockKind.HEADING, line, page_number, heading.group(1).count(".") + 1)
                continue
            if paragraph and (_LIST_START.match(line) or _ends_paragraph(paragraph[-1], line)):
                flush(page_number)
            paragraph.append(line)
        flush(page_number)
    return blocks


def _next_line(lines: list[str], index: int) -> str:
    return next((later for later in lines[index + 1 :] if later), "")


def _ends_paragraph(previous: str, line: str) -> bool:
    """A sentence that ends a line, followed by one that starts with a capital or a number."""
    return bool(_SENTENCE_END.search(previous)) and (line[:1].isupper() or line[:1].isdigit())


def _rejoin_soft_hyphens(lines: list[str]) -> list[str]:
    """Join words PDFium marks as hyphenated at a line end.

    The hyphen is dropped when the halves are not both words ("develop-" + "ment") and kept when
    they are ("self-" + "declaration"), since a compound broken at its hyphen looks the same.
    """
    out: list[str] = []
    for line in lines:
        while _PDFIUM_SOFT_HYPHEN in line:
            before, _, after = line.partition(_PDFIUM_SOFT_HYPHEN)
            left = re.search(r"(\w+)$", before)
            right = re.match(r"(\w+)", after)
            keep = bool(left and right and _is_word(left.group(1)) and _is_word(right.group(1)))
            line = before + ("-" if keep else "") + after
        out.append(line)
    return out


def _is_word(word: str) -> bool:
    return len(word) > 1 and word.lower() in known_words()
