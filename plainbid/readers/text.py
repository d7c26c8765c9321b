"""Plain text and Markdown: paragraphs are separated by blank lines; `#` lines are headings."""

from __future__ import annotations

import re

from plainbid.model import Block, BlockKind, Document, Location
from plainbid.readers.structure import HeadingTrail

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (or UTF-16 with a byte-order mark), falling back to Windows-1252.

    Windows-1252 is the declared fallback because text exported from Word on Windows is the
    common non-UTF-8 case in tender packs; every byte decodes, so nothing is lost silently,
    and the document gets a note saying so.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), [
            "not valid UTF-8: read as Windows-1252; save it as UTF-8 if characters look wrong"
        ]


def read_text(path: str, data: bytes, markdown: bool) -> Document:
    text, notes = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    trail = HeadingTrail()
    paragraph_number = 0
    lines = text.split("\n")
    start = 0
    while start < len(lines):
        if not lines[start].strip():
            start += 1
            continue
        heading = _MD_HEADING.match(lines[start]) if markdown else None
        if heading:
            level = len(heading.group(1))
            title = heading.group(2).strip()
            trail.enter(level, title)
            paragraph_number += 1
            location = Location(paragraph=paragraph_number, line=start + 1, heading=trail.path)
            blocks.append(Block(BlockKind.HEADING, title, location, level))
            start += 1
            continue
        end = start
        while end < len(lines) and lines[end].strip():
            if end > start and (
                _LIST_ITEM.match(lines[end]) or (markdown and _MD_HEADING.match(lines[end]))
            ):
                break
            end += 1
        chunk = "\n".join(line.strip() for line in lines[start:end])
        kind = BlockKind.LIST_ITEM if _LIST_ITEM.match(lines[start]) else BlockKind.PARAGRAPH
        paragraph_number += 1
        location = Location(paragraph=paragraph_number, line=start + 1, heading=trail.path)
        blocks.append(Block(kind, chunk, location))
        start = end
    return Document(path=path, format="md" if markdown else "txt", blocks=blocks, notes=notes)
