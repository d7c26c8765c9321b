"""Word .docx: body paragraphs and tables in document order, headers and footers once,
footnotes and endnotes.

python-docx opens the package and gives styles and sections; the body is walked over its XML
directly because the high-level API skips text inside content controls (`w:sdt`), which
government templates use for every answer box, and inserted tracked changes (`w:ins`).
Deleted tracked text and comments are not part of the document a reader sees, so they are left
out.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from urllib.parse import unquote

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from plainbid.model import Block, BlockKind, Document, Location
from plainbid.readers.errors import ReadError
from plainbid.readers.structure import HeadingTrail

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {
    "w": _W,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
# Visible text of a paragraph: text runs, tabs and breaks, not inside deleted revisions, not
# the fallback copy of a text box (Word stores text boxes twice), not nested paragraphs of a
# text box (they are read as their own paragraphs).
_TEXT_NODES = etree.XPath(
    ".//w:t[not(ancestor::w:del) and not(ancestor::mc:Fallback)]"
    " | .//w:tab[not(ancestor::w:tabs)] | .//w:br | .//w:cr | .//w:noBreakHyphen",
    namespaces=_NS,
)
_STYLE_ID = etree.XPath("string(w:pPr/w:pStyle/@w:val)", namespaces=_NS)
_OUTLINE_LEVEL = etree.XPath("string(w:pPr/w:outlineLvl/@w:val)", namespaces=_NS)
_GRID_SPAN = etree.XPath("string(w:tcPr/w:gridSpan/@w:val)", namespaces=_NS)
# Cells, and the paragraphs and tables in a cell, may sit inside content controls.
_CELLS = etree.XPath("w:tc | w:sdt/w:sdtContent/w:tc", namespaces=_NS)
_CELL_CONTENT = etree.XPath(
    "w:p | w:tbl | w:sdt/w:sdtContent/w:p | w:sdt/w:sdtContent/w:tbl", namespaces=_NS
)
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list", re.IGNORECASE)

# Limits against zip bombs: a real tender document is a few megabytes unpacked.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
# How much of each XML part is read to check how it starts; Word's parts open with a one-line
# XML declaration and then their root element.
_HEAD_BYTES = 16 * 1024


def read_docx(path: str, data: bytes) -> Document:
    _check_package(path, data)
    try:
        word = docx.Document(io.BytesIO(data))
    except etree.XMLSyntaxError as error:
        # libxml2 reports a failed allocation as "Memory allocation failed", or logs nothing
        # at all ("unknown error"); a damaged part always gets a message of its own.
        if "memory" in str(error).lower() or str(error).startswith("unknown error"):
            raise MemoryError from error
        if "depth" in str(error).lower():
            raise ReadError(
                path, "is nested more deeply than Word ever writes (tables in tables); not read"
            ) from error
        raise _damaged(path) from error
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as error:
        raise _damaged(path) from error
    reader = _BodyReader(word)
    reader.read_body(word.element.body)
    blocks = _headers_and_footers(word) + reader.blocks + _notes(word)
    return Document(path=path, format="docx", blocks=blocks, pages=_saved_page_count(word))


def _damaged(path: str) -> ReadError:
    return ReadError(
        path,
        "is not a readable Word document (damaged or incomplete); "
        "open it in Word and save it again as .docx",
    )


def _check_package(path: str, data: bytes) -> None:
    """Refuse, before python-docx parses anything, what Word never writes: a package that
    unpacks to far more than a document, XML with a DOCTYPE (where entity tricks live: external
    entities that read local files, entities that expand a billion times), and relationships
    that point outside the package."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ReadError(
                    path, f"has {len(members)} parts, more than a Word document has; not read"
                )
            # zipfile never inflates a member past the size its header gives, so this bounds
            # the work whatever the compressed data holds.
            unpacked = sum(member.file_size for member in members)
            if unpacked > MAX_UNPACKED_BYTES:
                raise ReadError(
                    path,
                    f"would unpack to {unpacked // 2**20:,} MB, far more than a Word document; "
                    "not read",
                )
            for member in members:
                name = member.filename.lower()
                if not name.endswith((".xml", ".rels")):
                    continue
                with archive.open(member) as part:
                    problem = _prolog_problem(part.read(_HEAD_BYTES))
                if problem:
                    raise ReadError(path, f"{problem}; not read")
                if name.endswith(".rels") and _points_outside(
                    member.filename, archive.read(member)
                ):
                    raise ReadError(
                        path,
                        "has a link to a file outside the document (a relationship target "
                        "with ../), which Word never writes; not read",
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, etree.XMLSyntaxError) as error:
        # A damaged member: zlib.error from its compressed data, BadZipFile from a bad CRC.
        raise ReadError(
            path, "is damaged or incomplete (not a complete .docx); save it again from Word"
        ) from error


_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_DECLARED_ENCODING = re.compile(r"""\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
# The package format (OPC) allows parts in UTF-8 or UTF-16 only.
_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16"}


def _prolog_problem(head: bytes) -> str | None:
    """What is wrong with how an XML part starts, or None. Only what comes before the root
    element is looked at: that is where a DOCTYPE must be."""
    if head.startswith(
        (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\x00\x00\x00<", b"<\x00\x00\x00")
    ):
        return "has a part in a text encoding Word never uses (UTF-32)"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    elif head.startswith(b"<\x00"):
        text = head.decode("utf-16-le", errors="replace")
    elif head.startswith(b"\x00<"):
        text = head.decode("utf-16-be", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    text = text.lstrip("\ufeff")
    declared = _DECLARED_ENCODING.match(text)
    if declared and declared.group(1).strip().lower().replace("_", "-") not in _ENCODINGS:
        return "has a part in a text encoding Word never uses"
    rest = text[_PROLOG.match(text).end() :]
    if rest.startswith("<!"):
        return "contains XML entity declarations (a DOCTYPE), which Word never writes"
    if len(head) == _HEAD_BYTES and not re.match(r"<[^!?/\s]", rest):
        return "has a part whose XML does not start as Word's does"
    return None


def _points_outside(rels_name: str, xml: bytes) -> bool:
    """Whether a relationships part has an internal target outside the package ("../../x").

    External targets (web links, linked pictures, a template's path) are fine: plainbid keeps
    them as text and never follows them.
    """
    # "word/_rels/document.xml.rels" holds the relationships of "word/document.xml".
    base = posixpath.dirname(posixpath.dirname(rels_name))
    for relationship in etree.fromstring(xml, parser=_SAFE_PARSER):
        if not isinstance(relationship.tag, str) or relationship.get("TargetMode") == "External":
            continue
        target = unquote(relationship.get("Target", "")).replace("\\", "/")
        if "://" in target or target.lower().startswith("file:"):
            return True
        if target.startswith("/"):
            continue
        resolved = posixpath.normpath(posixpath.join(base, target))
        if resolved == ".." or resolved.startswith("../"):
            return True
    return False


class _BodyReader:
    def __init__(self, word: docx.document.Document) -> None:
        self.blocks: list[Block] = []
        self._style_names = {style.style_id: style.name or "" for style in word.styles}
        self._trail = HeadingTrail()
        self._paragraphs = 0
        self._tables = 0

    def read_body(self, container: etree._Element) -> None:
        for child in container.iterchildren():
            tag = child.tag
            if tag == qn("w:p"):
                self._paragraph(child)
            elif tag == qn("w:tbl"):
                self._table(child)
            elif tag in (qn("w:sdt"), qn("w:customXml")):
                content = child.find(qn("w:sdtContent"))
                self.read_body(content if content is not None else child)

    def _paragraph(self, p: etree._Element) -> None:
        text = paragraph_text(p)
        if not text.strip():
            return
        self._paragraphs += 1
        level = self._heading_level(p)
        if level is not None and _is_sentence(text):
            # Templates often number their body paragraphs with heading styles.
            level = None
        if level is not None:
            self._trail.enter(level, text)
        location = Location(paragraph=self._paragraphs, heading=self._trail.path)
        if level is not None:
            self.blocks.append(Block(BlockKind.HEADING, text.strip(), location, level))
        elif self._is_list_item(p):
            self.blocks.append(Block(BlockKind.LIST_ITEM, text.strip(), location))
        else:
            self.blocks.append(Block(BlockKind.PARAGRAPH, text.strip(), location))

    def _table(self, tbl: etree._Element) -> None:
        self._tables += 1
        number = self._tables
        nested: list[etree._Element] = []
        for row_number, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):
            column = 1
            for tc in _CELLS(tr):
                span = _grid_span(tc)
                parts = []
                for child in _CELL_CONTENT(tc):
                    if child.tag == qn("w:p"):
                        parts.append(paragraph_text(child).strip())
                    elif child.tag == qn("w:tbl"):
                        nested.append(child)
                text = "\n".join(part for part in parts if part)
                if text and not _continues_vertical_merge(tc):
                    location = Location(
                        table=number, row=row_number, column=column, heading=self._trail.path
                    )
                    self.blocks.append(Block(BlockKind.TABLE_CELL, text, location))
                column += span
        # Nested tables follow the table that holds them, each with its own number.
        for inner in nested:
            self._table(inner)

    def _heading_level(self, p: etree._Element) -> int | None:
        style_id = _STYLE_ID(p)
        name = self._style_names.get(style_id, style_id)
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        if name.lower() == "title":
            return 1
        outline = _OUTLINE_LEVEL(p)
        if outline.isdigit() and int(outline) < 9:
            return int(outline) + 1
        return None

    def _is_list_item(self, p: etree._Element) -> bool:
        if p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
            return True
        style_id = _STYLE_ID(p)
        return bool(_LIST_STYLE.match(self._style_names.get(style_id, style_id)))


def _is_sentence(text: str) -> bool:
    return len(text.split()) > 8 and text.rstrip()[-1:] in ".?!;:"


def paragraph_text(p: etree._Element) -> str:
    pieces = []
    for node in _TEXT_NODES(p):
        tag = node.tag
        if tag == qn("w:t"):
            pieces.append(node.text or "")
        elif tag == qn("w:tab"):
            pieces.append("\t")
        elif tag == qn("w:noBreakHyphen"):
            pieces.append("-")
        else:
            pieces.append("\n")
    return "".join(pieces)


def _grid_span(tc: etree._Element) -> int:
    span = _GRID_SPAN(tc)
    return int(span) if span.isdigit() else 1


def _continues_vertical_merge(tc: etree._Element) -> bool:
    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return merge is not None and merge.get(qn("w:val")) != "restart"


def _headers_and_footers(word: docx.document.Document) -> list[Block]:
    """Each distinct header and footer once, however many sections or pages repeat it."""
    blocks: list[Block] = []
    seen: set[tuple[BlockKind, str]] = set()
    for section in word.sections:
        for kind, parts in (
            (
                BlockKind.HEADER,
                (section.header, section.first_page_header, section.even_page_header),
            ),
            (
                BlockKind.FOOTER,
                (section.footer, section.first_page_footer, section.even_page_footer),
            ),
        ):
            for part in parts:
                if part.is_linked_to_previous:
                    continue
                text = "\n".join(
                    t
                    for t in (paragraph_text(p).strip() for p in part._element.iter(qn("w:p")))
                    if t
                )
                if text and (kind, text) not in seen:
                    seen.add((kind, text))
                    blocks.append(Block(kind, text, Location(part=kind.value)))
    return blocks


def _notes(word: docx.document.Document) -> list[Block]:
    """Footnotes and endnotes, read from their package parts (python-docx has no API for them)."""
    blocks: list[Block] = []
    for part in word.part.package.iter_parts():
        name = str(part.partname)
        if name.endswith("/footnotes.xml"):
            kind, tag = BlockKind.FOOTNOTE, "w:footnote"
        elif name.endswith("/endnotes.xml"):
            kind, tag = BlockKind.ENDNOTE, "w:endnote"
        else:
            continue
        root = etree.fromstring(part.blob, parser=_SAFE_PARSER)
        for note in root.iter(qn(tag)):
            # Separator notes (type="separator" and friends) are Word's lines, not text.
            if note.get(qn("w:type")) not in (None, "normal"):
                continue
            text = "\n".join(
                t for t in (paragraph_text(p).strip() for p in note.iter(qn("w:p"))) if t
            )
            number = note.get(qn("w:id"))
            if text:
                note_number = int(number) if number and number.isdigit() else None
                location = Location(note=note_number, part=kind.value)
                blocks.append(Block(kind, text, location))
    return blocks


# Entities are never resolved and nothing is fetched: the XML of a document is untrusted.
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _saved_page_count(word: docx.document.Document) -> int | None:
    """The page count Word stored when the file was last saved (docProps/app.xml).

    Only trusted when the same part holds a word count: files made by tools that never lay
    out pages (python-docx among them) keep a template's "1 page, 0 words".
    """
    for part in word.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            root = etree.fromstring(part.blob, parser=_SAFE_PARSER)
            stats = {
                element.tag.rsplit("}", 1)[-1]: (element.text or "").strip()
                for element in root
                if isinstance(element.tag, str)
            }
            pages, words = stats.get("Pages", ""), stats.get("Words", "")
            if pages.isdigit() and words.isdigit() and int(words) > 0:
                return int(pages)
    return None
