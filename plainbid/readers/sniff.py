"""Tell a file's real format from its first bytes, whatever its name says."""

from __future__ import annotations

import io
import zipfile

# OLE2 compound files: legacy .doc/.xls, and also Office files saved with a password
# (the encrypted OOXML package is wrapped in an OLE2 container).
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """Return one of: pdf, docx, odt, xlsx, pptx, zip, ole2, rtf, text, binary, empty."""
    if not data.strip():
        return "empty"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_OLE2):
        return "ole2"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if _looks_like_text(data):
        return "text"
    return "binary"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if b"opendocument" in mimetype:
                    return "odt" if b"text" in mimetype else "opendocument"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        # A zip whose directory is damaged: a truncated .docx is the usual cause.
        return "broken-zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in head:
        return False
    # Control characters other than tab, newline, carriage return, form feed and escape mean
    # binary; escape is allowed because text pasted from terminals carries it.
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls <= len(head) // 100
