"""Builders shared by the tests: corpus lookup, .docx bytes, a pure-Python PNG, zip rewriting."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"


def corpus_file(folder: Path, prefix: str) -> Path:
    """The corpus document whose name starts with `prefix` (e.g. "D3"), not its .meta.json."""
    matches = [p for p in folder.glob(f"{prefix}_*") if p.suffix in (".docx", ".pdf")]
    assert len(matches) == 1, f"expected one corpus document for {prefix}, found {matches}"
    return matches[0]


def docx_to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png_bytes(width: int = 32, height: int = 32) -> bytes:
    """A small RGB PNG written with zlib and struct only (a gradient, so it is not blank)."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(((x * 8) % 256, (y * 8) % 256, 128)) for x in range(width))
        for y in range(height)
    )

    def chunk(tag: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + tag
            + payload
            + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def rewrite_zip(data: bytes, replace: dict[str, bytes], add: dict[str, bytes]) -> bytes:
    """Copy a zip (a .docx), replacing some members' bytes and adding new members."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            payload = replace.get(info.filename, source.read(info))
            target.writestr(info.filename, payload)
        for name, payload in add.items():
            target.writestr(name, payload)
    return out.getvalue()
