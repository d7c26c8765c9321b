"""The hostile-input corpus: broken, malicious and odd documents, built at test time.

`build(folder, canary)` writes every case into `folder` and returns the cases with their paths.
Nothing here is committed as a binary: each file is made by a few lines below, and the bombs are
cheap to make (a deflate stream of one repeated block) and say what they would unpack to.
`canary` is a URL on a local server the tests watch: documents point at it, and plainbid must
never fetch it.

Each case says what plainbid must do with it: fail with a message that starts a given way, or
read it and give the text a check function expects. Run `python tests/hostile_corpus.py DIR`
to write the corpus to a folder and try it by hand.
"""

from __future__ import annotations

import functools
import io
import re
import stat
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
from fpdf import FPDF
from helpers import docx_to_bytes, png_bytes, rewrite_zip

from plainbid.model import Document, Pack
from plainbid.readers import shown

GOOD_TEXT = "Suppliers must reply by noon on Friday."
PDF_TEXT = "Tenderers must reply by Friday."
RTL_EMOJI = (
    "يجب على المورد الرد بحلول يوم الجمعة. "
    "הספק חייב להשיב עד יום שישי. "
    "Emoji 📄✅👩🏽‍💻 and combining é n̈ stay whole."
)
# Text a report must carry safely: HTML, JSON and SARIF breakers, terminal escape sequences
# (colour, window title, clear screen), separators and bidi overrides.
NASTY = (
    '<script>alert("pwned")</script> <img src=x onerror=alert(1)> TUPE applies. '
    "Red \x1b[31mALERT\x1b[0m, title \x1b]0;pwned\x07, clear \x1b[2J, C1 \x9b31m. "
    "Line\u2028separator, paragraph\u2029separator, "
    "quote \" apostrophe ' backslash \\ brace } tab\t. "
    "Override \u202egnp.exe\u202c and DEL \x7f."
)
FILLER = "The authority will publish the award notice after the standstill period ends. "


@dataclass(frozen=True)
class Case:
    name: str  # the file name in the corpus folder
    what: str  # what is hostile or broken about it
    build: Callable[[Path, str], bytes]  # (corpus folder, canary URL) -> the file's bytes
    expect: Callable[[Pack, str], None]  # checks what read_pack made of it; str is its path


# -- expectations ---------------------------------------------------------------------------


def fails(start: str) -> Callable[[Pack, str], None]:
    def expect(pack: Pack, path: str) -> None:
        assert pack.documents == [], f"{path} was read; it should fail with {start!r}"
        assert [f.path for f in pack.failures] == [shown(path)]
        message = pack.failures[0].message
        assert message.startswith(start), f"{message!r} does not start with {start!r}"

    return expect


def reads(
    *texts: str, format: str | None = None, notes: list[str] | None = None
) -> Callable[[Pack, str], None]:
    """Read as one document whose text holds every one of `texts`."""

    def expect(pack: Pack, path: str) -> None:
        assert pack.failures == [], pack.failures
        [document] = pack.documents
        assert document.path == shown(path)
        body = text_of(document)
        for text in texts:
            # The readers drop control characters (escape sequences lose their ESC).
            text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text)
            assert text in body, f"{text!r} not in {body[:300]!r}"
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", body)
        if format:
            assert document.format == format
        if notes is not None:
            assert document.notes == notes

    return expect


def text_of(document: Document) -> str:
    return "\n".join(block.text for block in document.blocks)


# -- builders -------------------------------------------------------------------------------


def _docx(*paragraphs: str) -> bytes:
    word = docx.Document()
    for paragraph in paragraphs:
        word.add_paragraph(paragraph)
    return docx_to_bytes(word)


def _member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def _with_document_xml(change: Callable[[str], str]) -> bytes:
    """A .docx whose word/document.xml is changed by `change` (given it as text)."""
    base = _docx("PLACEHOLDER")
    xml = _member(base, "word/document.xml").decode("utf-8")
    return rewrite_zip(base, {"word/document.xml": change(xml).encode("utf-8")}, {})


def _with_doctype(doctype: str, reference: str) -> bytes:
    def change(xml: str) -> str:
        declaration, rest = xml.split("?>", 1)
        return f"{declaration}?>{doctype}{rest.replace('PLACEHOLDER', f'Hello {reference} world')}"

    return _with_document_xml(change)


def _billion_laughs() -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    return _with_doctype(f"<!DOCTYPE w:document [{entities}]>", "&lol9;")


def _xxe_utf16() -> bytes:
    base = _with_doctype(
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
    )
    xml = _member(base, "word/document.xml").decode("utf-8")
    xml = xml.replace("encoding='UTF-8'", "encoding='UTF-16'")
    return rewrite_zip(base, {"word/document.xml": xml.encode("utf-16")}, {})


def _utf7_declared() -> bytes:
    def change(xml: str) -> str:
        return xml.replace("encoding='UTF-8'", "encoding='UTF-7'")

    return _with_document_xml(change)


def _nested_tables(depth: int) -> bytes:
    def change(xml: str) -> str:
        inner = "<w:p><w:r><w:t>Innermost cell</w:t></w:r></w:p>"
        for level in range(depth, 0, -1):
            inner = (
                f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Level {level}</w:t></w:r></w:p>"
                f"{inner}<w:p/></w:tc></w:tr></w:tbl>"
            )
        return xml.replace("<w:p><w:r><w:t>PLACEHOLDER</w:t></w:r></w:p>", inner)

    return _with_document_xml(change)


def _control_char_docx() -> bytes:
    return _with_document_xml(lambda xml: xml.replace("PLACEHOLDER", "Bad &#27;[31m escape"))


_RELS = "word/_rels/document.xml.rels"
_REL = '<Relationship Id="{id}" Type="{type}" Target="{target}"{mode}/>'
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _with_relationships(*relationships: str, text: str = GOOD_TEXT) -> bytes:
    base = _docx(text)
    rels = _member(base, _RELS).decode("utf-8")
    rels = rels.replace("</Relationships>", "".join(relationships) + "</Relationships>")
    return rewrite_zip(base, {_RELS: rels.encode("utf-8")}, {})


def _external_links(canary: str) -> bytes:
    external = ' TargetMode="External"'
    return _with_relationships(
        _REL.format(
            id="rIdW", type=f"{_OFFICE_RELS}/hyperlink", target=canary + "/link", mode=external
        ),
        _REL.format(
            id="rIdI", type=f"{_OFFICE_RELS}/image", target=canary + "/image.png", mode=external
        ),
        _REL.format(
            id="rIdF", type=f"{_OFFICE_RELS}/image", target="file:///etc/passwd", mode=external
        ),
        _REL.format(
            id="rIdT",
            type=f"{_OFFICE_RELS}/attachedTemplate",
            target=canary + "/t.dotm",
            mode=external,
        ),
    )


def _relationship_outside() -> bytes:
    return _with_relationships(
        _REL.format(
            id="rIdX", type=f"{_OFFICE_RELS}/image", target="../../../../etc/passwd", mode=""
        )
    )


def _macro() -> bytes:
    """A .docx carrying a VBA project (as a .docm does); the macro is never run."""
    base = _with_relationships(
        _REL.format(
            id="rIdV",
            type="http://schemas.microsoft.com/office/2006/relationships/vbaProject",
            target="vbaProject.bin",
            mode="",
        )
    )
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Sub AutoOpen(): Shell "calc.exe": End Sub'
    types = _member(base, "[Content_Types].xml").decode("utf-8")
    types = types.replace(
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    return rewrite_zip(
        base, {"[Content_Types].xml": types.encode("utf-8")}, {"word/vbaProject.bin": vba}
    )


def _many_parts(count: int) -> bytes:
    out = io.BytesIO(_docx(GOOD_TEXT))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"word/media/part{n}.bin", b"x")
    return out.getvalue()


def _deflated_blocks(megabytes: int, fill: bytes = b" ") -> bytes:
    """Raw deflate data that inflates to `megabytes` MB of `fill`: one compressed block of 1 MB,
    repeated (a full flush makes each block stand alone), about 1 KB per MB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(fill * 2**20) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + b"\x03\x00"  # an empty final block ends the stream


@functools.cache
def _crc_of_fill(megabytes: int, fill: bytes = b" ") -> int:
    chunk, crc = fill * 2**20, 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return crc


@dataclass
class _RawMember:
    name: str
    data: bytes  # as stored: raw deflate data when deflated
    crc: int
    size: int  # the size the headers declare
    deflated: bool = True
    flags: int = 0  # bit 0: encrypted


def _raw_zip(members: list[_RawMember]) -> bytes:
    """A zip written field by field, so a member may declare any size and any flags."""
    out = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode("utf-8")
        method = 8 if member.deflated else 0
        fields = (20, member.flags, method, 0, 0x21, member.crc, len(member.data), member.size)
        offset = len(out)
        out += b"PK\x03\x04" + struct.pack("<HHHHHIII", *fields) + struct.pack("<HH", len(name), 0)
        out += name + member.data
        central += b"PK\x01\x02" + struct.pack("<H", 20) + struct.pack("<HHHHHIII", *fields)
        central += struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, offset) + name
    start = len(out)
    out += central
    out += b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(members), len(members), len(central), start, 0
    )
    return bytes(out)


def _raw_members_of(data: bytes) -> list[_RawMember]:
    members = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = compressor.compress(content) + compressor.flush()
            members.append(_RawMember(info.filename, packed, zlib.crc32(content), len(content)))
    return members


_BOMB_MB = 2048


def _docx_bomb() -> bytes:
    """A .docx whose document.xml really inflates to 2 GB of spaces (2 MB on disk)."""
    members = [m for m in _raw_members_of(_docx(GOOD_TEXT)) if m.name != "word/document.xml"]
    bomb = _RawMember(
        "word/document.xml", _deflated_blocks(_BOMB_MB), _crc_of_fill(_BOMB_MB), _BOMB_MB * 2**20
    )
    return _raw_zip([*members, bomb])


def _docx_lying_size() -> bytes:
    """document.xml says it is 4 KB but its data inflates to 1 GB."""
    members = [m for m in _raw_members_of(_docx(GOOD_TEXT)) if m.name != "word/document.xml"]
    return _raw_zip([*members, _RawMember("word/document.xml", _deflated_blocks(1024), 0, 4096)])


def big_docx(megabytes: int) -> bytes:
    """A .docx whose document.xml is `megabytes` MB of real paragraphs: under the unpacked-size
    limit, but far more than reading it in a small memory limit allows."""
    base = _docx("PLACEHOLDER")
    head, tail = _member(base, "word/document.xml").split(
        b"<w:p><w:r><w:t>PLACEHOLDER</w:t></w:r></w:p>"
    )
    paragraph = b"<w:p><w:r><w:t>Suppliers must reply by noon.</w:t></w:r></w:p>"
    chunk = paragraph * (2**20 // len(paragraph))

    def packed(data: bytes, end: int) -> bytes:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(end)

    data = packed(head, zlib.Z_FULL_FLUSH)
    data += packed(chunk, zlib.Z_FULL_FLUSH) * megabytes + packed(tail, zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * megabytes + len(tail)
    members = [m for m in _raw_members_of(base) if m.name != "word/document.xml"]
    return _raw_zip([*members, _RawMember("word/document.xml", data, crc, size)])


def _pdf(text: str, **encryption: str) -> bytes:
    pdf = FPDF()
    if encryption:
        pdf.set_encryption(owner_password="owner-secret", **encryption)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _scanned_pdf() -> bytes:
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(png_bytes()), x=20, y=20, w=150)
    return bytes(pdf.output())


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written object by object; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _text_stream(text: bytes) -> bytes:
    return _stream(b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET")


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _one_page(contents: bytes, *more: bytes, catalog: bytes = b"", page: bytes = b"") -> bytes:
    """Objects: 1 catalog, 2 pages, 3 page, 4 font, then `more` (5, 6, ...)."""
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents "
            + contents
            + b" /Resources << /Font << /F1 4 0 R >> >> "
            + page
            + b">>",
            _FONT,
            *more,
        ]
    )


def stream_bomb(megabytes: int) -> bytes:
    """A page whose first content stream inflates to `megabytes` MB of spaces, then real text."""
    n = megabytes * 2**20
    adler = ((n + 32 * n * (n + 1) // 2) % 65521) << 16 | (1 + 32 * n) % 65521
    flate = b"\x78\xda" + _deflated_blocks(megabytes) + adler.to_bytes(4, "big")
    return _one_page(
        b"[5 0 R 6 0 R]",
        _stream(flate, b"/Filter /FlateDecode"),
        _text_stream(PDF_TEXT.encode()),
    )


def _many_pages(count: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (n + 5) for n in range(count))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    )
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
            _text_stream(PDF_TEXT.encode()),
            _FONT,
            *[page] * count,
        ]
    )


def _page_tree_loop() -> bytes:
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )


def _javascript_and_links(canary: str) -> bytes:
    url = canary.encode()
    return _one_page(
        b"5 0 R",
        _text_stream(PDF_TEXT.encode()),
        b"<< /S /JavaScript /JS (app.launchURL\\('" + url + b"/js'\\);) "
        b"/Next << /S /Launch /F (/bin/sh) >> >>",
        catalog=b"/OpenAction 6 0 R /AA << /WC << /S /URI /URI (" + url + b"/close) >> >> ",
        page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] "
        b"/A << /S /URI /URI (" + url + b"/uri) >> >>]",
    )


def _escapes_pdf() -> bytes:
    text = (
        b'Red \\033[31mALERT\\033[0m title \\033]0;pwned\\007 <script>x\\(1\\)</script> "q" \\\\ b'
    )
    return _one_page(b"5 0 R", _text_stream(text))


def _deep_arrays_pdf() -> bytes:
    deep = b"[" * 50_000 + b"]" * 50_000
    return _one_page(b"5 0 R", _text_stream(PDF_TEXT.encode()), catalog=b"/Deep " + deep + b" ")


def _unsafe_zip(folder: Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("good.txt", GOOD_TEXT)
        archive.writestr("../evil.txt", "Climbing out of the folder.")
        archive.writestr("docs/../../evil2.txt", "Climbing out further.")
        # Absolute: somewhere under the corpus folder, so the tests can see it was never written.
        archive.writestr(str(folder / "escaped-absolute.txt"), "An absolute path.")
        archive.writestr("..\\..\\evil-windows.txt", "Climbing out, Windows style.")
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as nested:
            nested.writestr("inner.txt", "A zip in a zip.")
        archive.writestr("inner.zip", inner.getvalue())
    return out.getvalue()


def _zip_bomb_pack() -> bytes:
    member = _RawMember(
        "itt.docx", _deflated_blocks(_BOMB_MB), _crc_of_fill(_BOMB_MB), _BOMB_MB * 2**20
    )
    return _raw_zip(
        [
            _RawMember(
                "good.txt",
                GOOD_TEXT.encode(),
                zlib.crc32(GOOD_TEXT.encode()),
                len(GOOD_TEXT),
                deflated=False,
            ),
            member,
        ]
    )


def _many_files_pack(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"q{n}.txt", "Question.")
    return out.getvalue()


def _encrypted_member_pack() -> bytes:
    text = GOOD_TEXT.encode()
    return _raw_zip(
        [
            _RawMember("good.txt", text, zlib.crc32(text), len(text), deflated=False),
            _RawMember(
                "locked.txt",
                b"\x00" * 12 + text,
                zlib.crc32(text),
                len(text),
                deflated=False,
                flags=1,
            ),
        ]
    )


def _escapes_text() -> bytes:
    paragraphs = [FILLER * 3, NASTY, FILLER * 3, "Bells \x07\x07 and \x01\x02 controls.", FILLER]
    return "\n\n".join(paragraphs).encode("utf-8")


def _escapes_markdown() -> bytes:
    return f"# Heading \x1b[2J <script>x</script>\n\n{FILLER * 3}\n\n{NASTY}\n".encode()


# -- the cases ------------------------------------------------------------------------------

_DAMAGED_DOCX = "is damaged or incomplete"
_UNREADABLE_DOCX = "is not a readable Word document (damaged or incomplete)"
_DOCTYPE = "contains XML entity declarations (a DOCTYPE), which Word never writes; not read"


def _expect_unsafe_zip(pack: Pack, path: str) -> None:
    unsafe = "has an unsafe path in the .zip; not read"
    assert [d.path for d in pack.documents] == [f"{path}!good.txt"]
    assert text_of(pack.documents[0]) == GOOD_TEXT
    failures = {f.path.split("!", 1)[1]: f.message for f in pack.failures}
    assert failures.pop("../evil.txt") == unsafe
    assert failures.pop("docs/../../evil2.txt") == unsafe
    assert failures.pop("..\\..\\evil-windows.txt") == unsafe
    assert failures.pop("link.txt") == "is a symbolic link in the .zip; not read"
    [(absolute, message)] = failures.items()
    assert absolute.startswith("/") and message == unsafe
    assert pack.skipped == [f"{path}!inner.zip: skipped, a .zip inside a .zip: unzip it first"]


def _expect_encrypted_member(pack: Pack, path: str) -> None:
    assert [d.path for d in pack.documents] == [f"{path}!good.txt"]
    assert [(f.path, f.message) for f in pack.failures] == [
        (f"{path}!locked.txt", "is password-protected in the .zip; not read")
    ]


ESCAPED_NAME = "name-\x1b[2J-\x1b]0;pwned\x07.txt"

CASES: list[Case] = [
    Case("empty.txt", "zero bytes", lambda f, c: b"", fails("is empty")),
    Case("empty.docx", "zero bytes named .docx", lambda f, c: b"", fails("is empty")),
    Case(
        "truncated.docx",
        "the first half of a .docx",
        lambda f, c: _docx(GOOD_TEXT)[:4000],
        fails(_DAMAGED_DOCX),
    ),
    Case(
        "truncated.pdf",
        "the first half of a PDF",
        lambda f, c: _pdf(PDF_TEXT)[:600],
        fails("is not a readable PDF"),
    ),
    Case(
        "bomb-2gb.docx",
        "document.xml inflates to 2 GB",
        lambda f, c: _docx_bomb(),
        fails("would unpack to 2,048 MB"),
    ),
    Case(
        "bomb-lying-size.docx",
        "a part says 4 KB and inflates to 1 GB",
        lambda f, c: _docx_lying_size(),
        fails(_DAMAGED_DOCX),
    ),
    Case(
        "many-parts.docx",
        "6,000 parts in the package",
        lambda f, c: _many_parts(6000),
        fails("has 6"),
    ),
    Case(
        "xxe-file.docx",
        "an external entity reading /etc/passwd",
        lambda f, c: _with_doctype(
            '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
        ),
        fails(_DOCTYPE),
    ),
    Case(
        "xxe-http.docx",
        "an external entity fetching the canary URL",
        lambda f, c: _with_doctype(
            f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{c}/xxe">]>', "&xxe;"
        ),
        fails(_DOCTYPE),
    ),
    Case(
        "xxe-utf16.docx",
        "an external entity in a UTF-16 part",
        lambda f, c: _xxe_utf16(),
        fails(_DOCTYPE),
    ),
    Case(
        "billion-laughs.docx",
        "entities that expand 10^9 times",
        lambda f, c: _billion_laughs(),
        fails(_DOCTYPE),
    ),
    Case(
        "utf7.docx",
        "a part declared in UTF-7, a way to hide a DOCTYPE",
        lambda f, c: _utf7_declared(),
        fails("has a part in a text encoding Word never uses"),
    ),
    Case(
        "external-links.docx",
        "external relationships to the canary and file:///",
        lambda f, c: _external_links(c),
        reads(GOOD_TEXT, format="docx"),
    ),
    Case(
        "relationship-outside.docx",
        "an internal relationship to ../../../../etc/passwd",
        lambda f, c: _relationship_outside(),
        fails("has a link to a file outside the document"),
    ),
    Case(
        "nested-tables-50.docx",
        "tables nested 50 deep",
        lambda f, c: _nested_tables(50),
        reads("Level 1", "Level 50\nInnermost cell", format="docx"),
    ),
    Case(
        "nested-tables-100.docx",
        "tables nested 100 deep",
        lambda f, c: _nested_tables(100),
        fails("is nested more deeply than Word ever writes"),
    ),
    Case(
        "macro.docx",
        "a VBA project with an AutoOpen macro",
        lambda f, c: _macro(),
        reads(GOOD_TEXT, format="docx"),
    ),
    Case(
        "control-char.docx",
        "an escape character in the XML",
        lambda f, c: _control_char_docx(),
        fails(_UNREADABLE_DOCX),
    ),
    Case(
        "script.docx",
        "<script>, separators, quotes and backslashes in Word text",
        lambda f, c: _docx(
            '<script>alert("x")</script> TUPE', 'Line\u2028separator "q" \\ \u202eevil'
        ),
        reads('<script>alert("x")</script> TUPE', 'Line\u2028separator "q" \\ \u202eevil'),
    ),
    Case(
        "rtl-emoji.docx",
        "Arabic, Hebrew, emoji and combining marks",
        lambda f, c: _docx(RTL_EMOJI),
        reads(RTL_EMOJI),
    ),
    Case(
        "password.pdf",
        "a PDF with a user password",
        lambda f, c: _pdf(PDF_TEXT, user_password="open-sesame"),
        fails("is password-protected"),
    ),
    Case(
        "empty-password.pdf",
        "an encrypted PDF with an empty user password",
        lambda f, c: _pdf(PDF_TEXT, user_password=""),
        reads(PDF_TEXT, format="pdf"),
    ),
    Case(
        "stream-bomb.pdf",
        "a content stream that inflates to 256 MB",
        lambda f, c: stream_bomb(256),
        reads(PDF_TEXT, format="pdf"),
    ),
    Case(
        "pages-6000.pdf",
        "6,000 pages",
        lambda f, c: _many_pages(6000),
        fails("has 6000 pages, over the limit of 5000"),
    ),
    Case(
        "scanned.pdf",
        "only images, no text layer",
        lambda f, c: _scanned_pdf(),
        fails("has no text layer (scanned images)"),
    ),
    Case(
        "page-tree-loop.pdf",
        "a page tree that points back at itself",
        lambda f, c: _page_tree_loop(),
        fails("is not a readable PDF"),
    ),
    Case(
        "javascript-links.pdf",
        "JavaScript, a Launch action and links to the canary",
        lambda f, c: _javascript_and_links(c),
        reads(PDF_TEXT, format="pdf"),
    ),
    Case(
        "escapes.pdf",
        "terminal escapes and <script> in PDF text",
        lambda f, c: _escapes_pdf(),
        reads("\x1b[31mALERT", "<script>x(1)</script>", format="pdf"),
    ),
    Case(
        "deep-arrays.pdf",
        "arrays nested 50,000 deep",
        lambda f, c: _deep_arrays_pdf(),
        reads(PDF_TEXT, format="pdf"),
    ),
    Case(
        "really-a-pdf.docx",
        "a PDF named .docx",
        lambda f, c: _pdf(PDF_TEXT),
        reads(PDF_TEXT, format="pdf", notes=["is named .docx but holds pdf; read as pdf"]),
    ),
    Case(
        "really-a-docx.pdf",
        "a .docx named .pdf",
        lambda f, c: _docx(GOOD_TEXT),
        reads(GOOD_TEXT, format="docx", notes=["is named .pdf but holds docx; read as docx"]),
    ),
    Case(
        "utf16.txt",
        "UTF-16 with a byte-order mark",
        lambda f, c: "Le fournisseur doit répondre ✓".encode("utf-16"),
        reads("Le fournisseur doit répondre ✓", notes=[]),
    ),
    Case(
        "invalid-utf8.txt",
        "bytes that are not UTF-8",
        lambda f, c: b"Caf\xe9 menu \x93quoted\x94 text",
        reads("Café menu “quoted” text"),
    ),
    Case(
        "one-line-10mb.txt",
        "one line of 10 MB",
        lambda f, c: (FILLER * (10 * 2**20 // len(FILLER) + 1)).encode()[: 10 * 2**20],
        fails("holds at least 2,621,440 characters of text"),
    ),
    Case(
        "rtl-emoji.md",
        "Arabic, Hebrew, emoji and combining marks",
        lambda f, c: f"# العنوان 📄\n\n{RTL_EMOJI}\n".encode(),
        reads("العنوان 📄", RTL_EMOJI, format="md"),
    ),
    Case(
        "escapes.txt",
        "terminal escapes, <script>, separators, quotes",
        lambda f, c: _escapes_text(),
        reads(NASTY, format="txt"),
    ),
    Case(
        "escapes.md",
        "the same in Markdown, and in a heading",
        lambda f, c: _escapes_markdown(),
        reads("Heading \x1b[2J <script>x</script>", NASTY, format="md"),
    ),
    Case(
        ESCAPED_NAME,
        "escape sequences in the file name",
        lambda f, c: GOOD_TEXT.encode(),
        reads(GOOD_TEXT),
    ),
    Case(
        "old.doc",
        "an old binary Word file",
        lambda f, c: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048,
        fails("is an old Word file"),
    ),
    Case(
        "junk.pdf",
        "random bytes named .pdf",
        lambda f, c: bytes((n * 7919) % 251 for n in range(8192)),
        fails("is not a Word, PDF or text document"),
    ),
    Case(
        "unsafe.zip",
        "../, absolute and Windows paths, a symlink, a zip in the zip",
        lambda f, c: _unsafe_zip(f),
        _expect_unsafe_zip,
    ),
    Case(
        "bomb.zip",
        "a member that inflates to 2 GB",
        lambda f, c: _zip_bomb_pack(),
        fails("would unpack to more than 1,024 MB"),
    ),
    Case(
        "many-files.zip",
        "2,500 members",
        lambda f, c: _many_files_pack(2500),
        fails("holds 2500 files, over the limit of 2000"),
    ),
    Case(
        "encrypted-member.zip",
        "a password-protected member",
        lambda f, c: _encrypted_member_pack(),
        _expect_encrypted_member,
    ),
]


def build(folder: Path, canary: str) -> list[tuple[Case, Path]]:
    """Write every case into `folder` (which must exist); return each case with its path."""
    built = []
    for case in CASES:
        path = folder / case.name
        path.write_bytes(case.build(folder, canary))
        built.append((case, path))
    return built


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for case, path in build(target, "http://127.0.0.1:9"):
        print(f"{shown(path.name)}: {case.what}")
