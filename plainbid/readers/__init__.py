"""Turn paths (files, folders, .zip packs, standard input) into one `Pack` of documents.

The format is taken from the file's content, not its name; a file named for one format but
holding another is read as what it is, with a note. A file that cannot be read becomes a
`ReadFailure` with a message naming it, and every other file is still read.
"""

from __future__ import annotations

import io
import stat
import sys
import traceback
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from plainbid.model import Document, Pack, ReadFailure
from plainbid.readers.docx import read_docx
from plainbid.readers.errors import ReadError
from plainbid.readers.pdf import read_pdf
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

_SUFFIXES_FOR = {"pdf": (".pdf",), "docx": (".docx",), "txt": (".txt",), "md": (".md", ".markdown")}

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_UNPACKED_BYTES = 1024 * 1024 * 1024


def read_pack(paths: list[str], debug: bool = False) -> Pack:
    pack = Pack(documents=[])
    for path in paths:
        for name, load in _expand(path, pack):
            try:
                pack.documents.append(read_bytes(name, load()))
            except ReadError as error:
                pack.failures.append(ReadFailure(error.path, error.message))
            except MemoryError:
                pack.failures.append(ReadFailure(name, "is too large to read in memory; split it"))
            except Exception as error:
                if debug:
                    traceback.print_exc()
                pack.failures.append(
                    ReadFailure(
                        name,
                        f"could not be read ({type(error).__name__}); if it opens in Word or a "
                        "PDF viewer, save a fresh copy and try again (--debug shows details)",
                    )
                )
    return pack


def read_bytes(name: str, data: bytes) -> Document:
    """Read one document from its bytes; `name` is used for messages and its suffix for hints."""
    suffix = Path(name).suffix.lower()
    kind = sniff(data)
    if kind == "empty":
        raise ReadError(name, "is empty; check that it is the right file")
    if kind == "pdf":
        document = read_pdf(name, data)
    elif kind == "docx":
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
    if suffix and suffix not in _SUFFIXES_FOR[document.format]:
        document.notes.append(
            f"is named {suffix} but holds {document.format}; read as {document.format}"
        )
    return document


def _expand(path: str, pack: Pack) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Yield (display name, loader) for each document a path stands for."""
    if path == "-":
        yield "<stdin>", lambda: sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        return
    target = Path(path)
    if not target.exists():
        pack.failures.append(ReadFailure(path, "does not exist; check the path"))
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
                yield str(file), _file_loader(file)
            elif suffix == ".zip":
                found = True
                yield from _expand_zip(str(file), _file_loader(file), pack)
            elif suffix in UNSUPPORTED_ADVICE:
                pack.skipped.append(f"{file}: skipped, {UNSUPPORTED_ADVICE[suffix]}")
        if not found:
            pack.failures.append(
                ReadFailure(path, "holds no .docx, .pdf, .txt or .md files to check")
            )
        return
    if target.suffix.lower() == ".zip":
        yield from _expand_zip(path, _file_loader(target), pack)
        return
    yield path, _file_loader(target)


def _is_hidden(name: str) -> bool:
    """Hidden files, and the `~$name.docx` lock files Word leaves beside open documents."""
    return name.startswith((".", "~$"))


def _file_loader(file: Path) -> Callable[[], bytes]:
    def load() -> bytes:
        try:
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ReadError(
                    str(file), f"is {size // 2**20} MB, over the {MAX_FILE_BYTES // 2**20} MB limit"
                )
            return file.read_bytes()
        except PermissionError as error:
            raise ReadError(str(file), "cannot be opened (permission denied)") from error
        except IsADirectoryError as error:
            raise ReadError(str(file), "is a folder, not a file") from error
        except OSError as error:
            raise ReadError(str(file), f"cannot be opened ({error.strerror})") from error

    return load


def _expand_zip(
    name: str, load: Callable[[], bytes], pack: Pack
) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Members of a .zip pack, read in memory; unsafe or oversized members are refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(load()))
        members = archive.infolist()
    except ReadError as error:
        pack.failures.append(ReadFailure(error.path, error.message))
        return
    except (zipfile.BadZipFile, OSError) as error:
        pack.failures.append(ReadFailure(name, f"is not a readable .zip ({error}); zip it again"))
        return
    if len(members) > MAX_ZIP_MEMBERS:
        pack.failures.append(
            ReadFailure(name, f"holds {len(members)} files, over the limit of {MAX_ZIP_MEMBERS}")
        )
        return
    if sum(member.file_size for member in members) > MAX_ZIP_UNPACKED_BYTES:
        pack.failures.append(
            ReadFailure(name, "would unpack to more than 1 GB; unzip it and check the folder")
        )
        return
    found = False
    for member in sorted(members, key=lambda m: m.filename):
        member_path = PurePosixPath(member.filename.replace("\\", "/"))
        display = f"{name}!{member.filename}"
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
        if suffix not in READABLE_SUFFIXES:
            continue
        if member.file_size > MAX_FILE_BYTES:
            pack.failures.append(ReadFailure(display, "is too large to read; split it"))
            continue
        found = True
        yield display, (lambda member=member: archive.read(member))
    if not found:
        pack.failures.append(ReadFailure(name, "holds no .docx, .pdf, .txt or .md files to check"))


__all__ = ["ReadError", "read_bytes", "read_pack"]
