"""Turn paths (files, folders, .zip packs, standard input) into one `Pack` of documents.

The format is taken from the file's content, not its name; a file named for one format but
holding another is read as what it is, with a note. A file that cannot be read becomes a
`ReadFailure` with a message naming it, and every other file is still read. Each document is
read in its own worker process with a time and a memory limit (`plainbid.readers.isolation`);
the size, page and text limits below keep the work bounded.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import re
import stat
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from plainbid.model import Block, Document, Pack, ReadFailure
from plainbid.readers import isolation
from plainbid.readers.errors import ReadError
from plainbid.readers.isolation import (
    Job,
    Outcome,
    ReadAlready,
    ReadLimits,
    can_isolate,
    cpu_count,
    read_all,
)
from plainbid.readers.sniff import sniff
from plainbid.readers.text import read_text

READABLE_SUFFIXES = (".docx", ".pdf", ".txt", ".md", ".markdown")
# Document formats a pack may hold that plainbid cannot read: in a folder or .zip they are
# listed as skipped; named on the command line they are an error with this advice.
UNSUPPORTED_ADVICE = {
    ".doc": "an old Word file: open it in Word and save it as .docx",
    ".rtf": "a Rich Text file: open it in Word and save it as .docx",
    ".odt": "an OpenDocument text file: save it as .docx from LibreOffice or Word",
    ".xlsx": "a spreadsheet: plainbid reads documents; copy questions into a .docx to check them",
    ".xls": "a spreadsheet: plainbid reads documents; copy questions into a .docx to check them",
    ".ods": "a spreadsheet: plainbid reads documents; copy questions into a .docx to check them",
    ".pptx": "a slide deck: export it as PDF and check the PDF",
    ".ppt": "a slide deck: export it as PDF and check the PDF",
    ".odp": "a slide deck: export it as PDF and check the PDF",
}
_SNIFFED_ADVICE = {
    "odt": UNSUPPORTED_ADVICE[".odt"],
    "xlsx": UNSUPPORTED_ADVICE[".xlsx"],
    "pptx": UNSUPPORTED_ADVICE[".pptx"],
    "rtf": UNSUPPORTED_ADVICE[".rtf"],
    "opendocument": "an OpenDocument file: save it as .docx or PDF",
}

_READER_MODULES = {".docx": "plainbid.readers.docx", ".pdf": "plainbid.readers.pdf"}
_SUFFIXES_FOR = {"pdf": (".pdf",), "docx": (".docx",), "txt": (".txt",), "md": (".md", ".markdown")}

# Limits on what one run reads (see SECURITY.md). Per-format limits live beside their readers:
# docx.MAX_UNPACKED_BYTES and docx.MAX_MEMBERS, pdf.MAX_PAGES.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_UNPACKED_BYTES = 1024 * 1024 * 1024
# The flag bit of a .zip member that is encrypted (the zip format's "general purpose" bit 0).
_ZIP_ENCRYPTED = 0x1
# Text in one document, about 330,000 words or 700 dense pages: more than any tender document,
# and about a minute of checking.
MAX_TEXT_CHARS = 2_000_000
# One paragraph or table cell, about 1,700 words: twice the longest in the real tenders of the
# test corpus. A longer one is checked in parts, split at sentence ends, so that no sentence the
# checks parse can be longer than this (some of their work grows with the square of it).
MAX_BLOCK_CHARS = 10_000


def read_pack(
    paths: list[str],
    debug: bool = False,
    limits: ReadLimits | None = None,
    analyse: Callable[[Document], Document] | None = None,
    prepare: Callable[[int], None] | None = None,
    read_ahead: bool = False,
) -> Pack:
    """Read every document the paths stand for; failures keep the order of the command line.

    `analyse`, when given, is done to each document just after it is read, in the same worker
    process and under the same limits (`plainbid.checks.analyse`: each check's share of the
    work that one document alone decides). `prepare`, when given, is called with the number
    of documents to read before any is analysed (to build what the workers share); with
    `read_ahead` and a CPU to spare, documents are read meanwhile in a second process
    (`isolation.read_ahead`)."""
    limits = limits or ReadLimits()
    pack = Pack(documents=[])
    entries: list[ReadFailure | Job] = []
    for path in paths:
        for job in _expand(path, pack):
            entries += pack.failures
            pack.failures.clear()
            entries.append(job)
        entries += pack.failures
        pack.failures.clear()
    jobs = [entry for entry in entries if not isinstance(entry, ReadFailure)]
    already: ReadAlready = {}
    if prepare is not None:
        spare = can_isolate() and cpu_count() > 1 and limits.workers != 1
        stop = (
            isolation.read_ahead(jobs, read_bytes, limits, debug)
            if read_ahead and spare and jobs
            else None
        )
        try:
            prepare(len(jobs))
        finally:
            already = stop() if stop else {}
    if can_isolate():
        # Import the readers the pack's names call for once here, not in every worker.
        for suffix in {Path(name).suffix.lower() for name, _ in jobs}:
            if suffix in _READER_MODULES:
                importlib.import_module(_READER_MODULES[suffix])

    def read(name: str, data: bytes | Document) -> Document:
        document = data if isinstance(data, Document) else read_bytes(name, data)
        return analyse(document) if analyse else document

    # A document read ahead is only analysed; one that could not be read is done with.
    outcomes: dict[int, Outcome] = {}
    for index, (outcome, _) in already.items():
        result = outcome[0]
        if isinstance(result, Document):
            jobs[index] = (jobs[index][0], lambda document=result: document)
        else:
            outcomes[index] = outcome
    left = [index for index in range(len(jobs)) if index not in outcomes]
    spent = [already[index][1] if index in already else 0.0 for index in left]
    read_now = read_all([jobs[index] for index in left], read, limits, debug, spent)
    outcomes.update(zip(left, read_now, strict=True))
    ordered = iter(outcomes[index] for index in range(len(jobs)))
    for entry in entries:
        if isinstance(entry, ReadFailure):
            pack.failures.append(entry)
            continue
        result, trace = next(ordered)
        if trace:
            sys.stderr.write(trace)
        if isinstance(result, Document):
            pack.documents.append(result)
        else:
            pack.failures.append(result)
    return pack


def read_bytes(name: str, data: bytes) -> Document:
    """Read one document from its bytes; `name` is used for messages and its suffix for hints.

    This reads in the calling process, with the size, page and text limits but no time or
    memory limit; `read_pack` adds those.
    """
    suffix = Path(name).suffix.lower()
    kind = sniff(data)
    if kind == "empty":
        raise ReadError(name, "is empty; check that it is the right file")
    if kind == "text" and len(data) // 4 > MAX_TEXT_CHARS:
        # Even at four bytes a character this is over the limit: refuse before decoding it.
        raise ReadError(name, _too_much_text(len(data) // 4, at_least=True))
    # The Word and PDF readers are imported when first needed: python-docx alone takes a
    # quarter of a second, which checking a text file need not pay.
    if kind == "pdf":
        from plainbid.readers.pdf import read_pdf

        document = read_pdf(name, data)
    elif kind == "docx":
        from plainbid.readers.docx import read_docx

        document = read_docx(name, data)
    elif kind == "text":
        if suffix in (".docx", ".pdf"):
            raise ReadError(name, f"is named {suffix} but holds plain text; rename it .txt")
        document = read_text(name, data, markdown=suffix in (".md", ".markdown"))
    elif kind == "ole2":
        if suffix in (".docx", ".xlsx", ".pptx"):
            raise ReadError(
                name, "is password-protected (encrypted): save a copy without a password"
            )
        raise ReadError(name, "is " + UNSUPPORTED_ADVICE[".doc"])
    elif kind == "broken-zip":
        raise ReadError(name, "is damaged or incomplete; save it again from Word")
    elif kind in _SNIFFED_ADVICE:
        raise ReadError(name, "is " + _SNIFFED_ADVICE[kind])
    else:
        raise ReadError(name, "is not a Word, PDF or text document; plainbid cannot read it")
    characters = sum(len(block.text) for block in document.blocks)
    if characters > MAX_TEXT_CHARS:
        raise ReadError(name, _too_much_text(characters))
    _strip_controls(document)
    _split_long_blocks(document)
    if suffix and suffix not in _SUFFIXES_FOR[document.format]:
        document.notes.append(
            f"is named {suffix} but holds {document.format}; read as {document.format}"
        )
    return document


# Control characters (terminal escape sequences among them) are never text a reader sees;
# dropping them here keeps every report, in every format, safe to print.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _strip_controls(document: Document) -> None:
    def clean(block: Block) -> Block:
        heading = block.location.heading
        if heading and _CONTROLS.search(heading):
            location = dataclasses.replace(block.location, heading=_CONTROLS.sub("", heading))
            block = dataclasses.replace(block, location=location)
        if _CONTROLS.search(block.text):
            block = dataclasses.replace(block, text=_CONTROLS.sub("", block.text))
        return block

    document.blocks = [clean(block) for block in document.blocks]


def _split_long_blocks(document: Document) -> None:
    """Replace each block longer than MAX_BLOCK_CHARS by parts that keep its location."""
    if all(len(block.text) <= MAX_BLOCK_CHARS for block in document.blocks):
        return
    blocks: list[Block] = []
    split: list[str] = []
    for block in document.blocks:
        if len(block.text) <= MAX_BLOCK_CHARS:
            blocks.append(block)
            continue
        split.append(block.location.describe())
        blocks += [dataclasses.replace(block, text=part) for part in _parts(block.text)]
    document.blocks = blocks
    where = "; ".join(split[:5]) + (" …" if len(split) > 5 else "")
    document.notes.append(
        f"{len(split)} paragraph(s) longer than {MAX_BLOCK_CHARS:,} characters, checked in "
        f"parts: {where}"
    )


_SENTENCE_END = re.compile(r"[.!?;:]\s")
_SPACE = re.compile(r"\s")


def _parts(text: str) -> Iterator[str]:
    """`text` in parts of at most MAX_BLOCK_CHARS, each cut after its last sentence end (or,
    with none in its second half, its last space), so no word is cut unless one is that long."""
    while len(text) > MAX_BLOCK_CHARS:
        stretch = text[: MAX_BLOCK_CHARS + 1]
        cut = _last_end(_SENTENCE_END, stretch)
        if cut < MAX_BLOCK_CHARS // 2:
            cut = _last_end(_SPACE, stretch) or MAX_BLOCK_CHARS
        part, text = text[:cut].strip(), text[cut:].lstrip()
        if part:
            yield part
    if text.strip():
        yield text.strip()


def _last_end(pattern: re.Pattern[str], text: str) -> int:
    return max((match.end() for match in pattern.finditer(text)), default=0)


def _too_much_text(characters: int, at_least: bool = False) -> str:
    return (
        f"holds {'at least ' if at_least else ''}{characters:,} characters of text, more than "
        f"the {MAX_TEXT_CHARS:,} plainbid checks in one document; split it into parts"
    )


# Characters that must never reach a terminal from a file or .zip member name: control
# characters (escape sequences among them), line and paragraph separators, and the bidi
# controls that can make a name read backwards.
_UNSAFE_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(name: str) -> str:
    """A file or member name safe to print: unsafe characters written as escapes (\\x1b)."""
    return _UNSAFE_IN_NAMES.sub(lambda m: ascii(m.group())[1:-1], name)


def _expand(path: str, pack: Pack) -> Iterator[Job]:
    """Yield (display name, loader) for each document a path stands for.

    Loaders run later, in the worker that reads the document; standard input is read here,
    since a worker cannot read it.
    """
    if path == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        yield "<stdin>", lambda: data
        return
    target = Path(path)
    if not target.exists():
        pack.failures.append(ReadFailure(shown(path), "does not exist; check the path"))
        return
    if target.is_dir():
        found = False
        for file in sorted(target.rglob("*")):
            relative = file.relative_to(target)
            if any(_is_hidden(part) for part in relative.parts) or not file.is_file():
                continue
            suffix = file.suffix.lower()
            if suffix in READABLE_SUFFIXES:
                found = True
                yield shown(str(file)), _file_loader(file)
            elif suffix == ".zip":
                found = True
                yield from _expand_zip(shown(str(file)), _file_loader(file), pack)
            elif suffix in UNSUPPORTED_ADVICE:
                pack.skipped.append(f"{shown(str(file))}: skipped, {UNSUPPORTED_ADVICE[suffix]}")
        if not found:
            pack.failures.append(
                ReadFailure(shown(path), "holds no .docx, .pdf, .txt or .md files to check")
            )
        return
    if target.suffix.lower() == ".zip":
        yield from _expand_zip(shown(path), _file_loader(target), pack)
        return
    yield shown(path), _file_loader(target)


def _is_hidden(name: str) -> bool:
    """Hidden files, and the `~$name.docx` lock files Word leaves beside open documents."""
    return name.startswith((".", "~$"))


def _file_loader(file: Path) -> Callable[[], bytes]:
    name = shown(str(file))

    def load() -> bytes:
        try:
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ReadError(
                    name, f"is {size // 2**20} MB, over the {MAX_FILE_BYTES // 2**20} MB limit"
                )
            return file.read_bytes()
        except PermissionError as error:
            raise ReadError(name, "cannot be opened (permission denied)") from error
        except IsADirectoryError as error:
            raise ReadError(name, "is a folder, not a file") from error
        except OSError as error:
            raise ReadError(name, f"cannot be opened ({error.strerror})") from error

    return load


def _expand_zip(name: str, load: Callable[[], bytes], pack: Pack) -> Iterator[Job]:
    """Members of a .zip pack, read in memory; unsafe or oversized members are refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(load()))
        members = archive.infolist()
    except ReadError as error:
        pack.failures.append(ReadFailure(error.path, error.message))
        return
    except (zipfile.BadZipFile, OSError) as error:
        pack.failures.append(
            ReadFailure(name, f"is not a readable .zip ({shown(str(error))}); zip it again")
        )
        return
    if len(members) > MAX_ZIP_MEMBERS:
        pack.failures.append(
            ReadFailure(name, f"holds {len(members)} files, over the limit of {MAX_ZIP_MEMBERS}")
        )
        return
    if sum(member.file_size for member in members) > MAX_ZIP_UNPACKED_BYTES:
        pack.failures.append(
            ReadFailure(
                name,
                f"would unpack to more than {MAX_ZIP_UNPACKED_BYTES // 2**20:,} MB; "
                "unzip it and check the folder",
            )
        )
        return
    found = False
    for member in sorted(members, key=lambda m: m.filename):
        member_path = PurePosixPath(member.filename.replace("\\", "/"))
        display = f"{name}!{shown(member.filename)}"
        if member_path.is_absolute() or ".." in member_path.parts:
            pack.failures.append(ReadFailure(display, "has an unsafe path in the .zip; not read"))
            continue
        if member.is_dir() or any(_is_hidden(part) for part in member_path.parts):
            continue
        if stat.S_ISLNK(member.external_attr >> 16):
            pack.failures.append(ReadFailure(display, "is a symbolic link in the .zip; not read"))
            continue
        suffix = member_path.suffix.lower()
        if suffix in UNSUPPORTED_ADVICE:
            pack.skipped.append(f"{display}: skipped, {UNSUPPORTED_ADVICE[suffix]}")
            continue
        if suffix == ".zip":
            pack.skipped.append(f"{display}: skipped, a .zip inside a .zip: unzip it first")
            continue
        if suffix not in READABLE_SUFFIXES:
            continue
        if member.file_size > MAX_FILE_BYTES:
            pack.failures.append(ReadFailure(display, "is too large to read; split it"))
            continue
        found = True
        if member.flag_bits & _ZIP_ENCRYPTED:  # zipfile would ask for the password
            pack.failures.append(
                ReadFailure(display, "is password-protected in the .zip; not read")
            )
            continue
        yield display, _member_loader(archive, member, display)
    if not found:
        pack.failures.append(ReadFailure(name, "holds no .docx, .pdf, .txt or .md files to check"))


def _member_loader(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, display: str
) -> Callable[[], bytes]:
    def load() -> bytes:
        try:
            return archive.read(member)
        except RuntimeError as error:  # a compression method zipfile cannot unpack
            raise ReadError(
                display, "is packed in a way plainbid cannot unzip; zip the pack again"
            ) from error
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
            raise ReadError(display, "is damaged inside the .zip; zip the pack again") from error

    return load


__all__ = ["ReadError", "ReadLimits", "read_bytes", "read_pack", "shown"]
