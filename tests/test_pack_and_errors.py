"""Packs (folders, .zip files) and bad inputs, through the CLI as a user meets them.

Each bad input is checked in the same run as a good file: the message, the exit status, and
that the good file was still read and reported.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from helpers import docx_to_bytes

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
GOOD_TEXT = "Suppliers must reply by noon on Friday."


def _good(tmp_path: Path, name: str = "good.txt") -> Path:
    path = tmp_path / name
    path.write_text(GOOD_TEXT + "\n", encoding="utf-8")
    return path


def _docx_bytes(text: str = "A built Word document with some words in it.") -> bytes:
    word = docx.Document()
    for n in range(20):
        word.add_paragraph(f"{text} Paragraph {n}.")
    return docx_to_bytes(word)


def _pdf_bytes(text: str = "A built PDF document with some words in it.") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _check_json(invoke, *paths: Path | str, **kwargs):
    # --fail-on never: these tests are about reading, so findings from the checks (which may
    # grow) never change the exit status; only a file that cannot be read gives 2.
    result = invoke(["check", *map(str, paths), "--format", "json", "--fail-on", "never"], **kwargs)
    return result, json.loads(result.stdout)


def _assert_only_failure(result, report, bad: Path | str, message: str, good: list[Path]):
    assert result.exit_code == 2, result.output
    assert report["errors"] == [{"path": str(bad), "message": message}]
    assert [d["path"] for d in report["documents"]] == [str(p) for p in good]
    for document in report["documents"]:
        assert document["words"] > 0
    # In JSON mode the failure is also said on stderr, where a person sees it.
    assert f"plainbid: cannot read {bad}: {message}" in result.stderr


def test_missing_path(invoke, tmp_path):
    good = _good(tmp_path)
    missing = tmp_path / "nope.docx"
    result, report = _check_json(invoke, missing, good)
    _assert_only_failure(result, report, missing, "does not exist; check the path", [good])


def test_missing_path_in_text_format(invoke, tmp_path):
    good = _good(tmp_path)
    missing = tmp_path / "nope.pdf"
    result = invoke(["check", str(missing), str(good), "--fail-on", "never"])
    assert result.exit_code == 2
    assert f"cannot read {missing}: does not exist; check the path" in result.stdout
    assert str(good) in result.stdout
    assert "1 document(s), 7 words" in result.stdout


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(invoke, tmp_path, content):
    good = _good(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    result, report = _check_json(invoke, empty, good)
    _assert_only_failure(result, report, empty, "is empty; check that it is the right file", [good])


def test_truncated_docx(invoke, tmp_path):
    data = _docx_bytes()
    broken = tmp_path / "cut.docx"
    broken.write_bytes(data[: len(data) // 2])
    good = tmp_path / "whole.docx"
    good.write_bytes(data)
    result, report = _check_json(invoke, broken, good)
    _assert_only_failure(
        result, report, broken, "is damaged or incomplete; save it again from Word", [good]
    )
    assert report["documents"][0]["format"] == "docx"


def test_truncated_pdf(invoke, tmp_path):
    data = _pdf_bytes()
    broken = tmp_path / "cut.pdf"
    broken.write_bytes(data[: len(data) // 2])
    good = tmp_path / "whole.pdf"
    good.write_bytes(data)
    result, report = _check_json(invoke, broken, good)
    _assert_only_failure(
        result,
        report,
        broken,
        "is not a readable PDF (damaged or incomplete); export it again as PDF",
        [good],
    )


def test_pdf_named_docx_is_read_as_pdf_with_a_note(invoke, tmp_path):
    misnamed = tmp_path / "really-a-pdf.docx"
    misnamed.write_bytes(_pdf_bytes("Only nine words are in this misnamed PDF file."))
    good = _good(tmp_path)
    result, report = _check_json(invoke, misnamed, good)
    assert result.exit_code == 0, result.output
    assert report["errors"] == []
    first, second = report["documents"]
    assert first["path"] == str(misnamed)
    assert first["format"] == "pdf"
    assert first["pages"] == 1
    assert first["words"] == 9
    assert first["notes"] == ["is named .docx but holds pdf; read as pdf"]
    assert second["path"] == str(good)


def test_docx_named_txt_is_read_as_docx_with_a_note(invoke, tmp_path):
    misnamed = tmp_path / "really-a-docx.txt"
    misnamed.write_bytes(_docx_bytes())
    result, report = _check_json(invoke, misnamed)
    assert result.exit_code == 0
    assert report["documents"][0]["format"] == "docx"
    assert report["documents"][0]["notes"] == ["is named .txt but holds docx; read as docx"]


def test_text_file_named_docx(invoke, tmp_path):
    fake = tmp_path / "notes.docx"
    fake.write_text("Just some plain text typed into a file.", encoding="utf-8")
    good = _good(tmp_path)
    result, report = _check_json(invoke, fake, good)
    _assert_only_failure(
        result, report, fake, "is named .docx but holds plain text; rename it .txt", [good]
    )


def test_old_word_doc(invoke, tmp_path):
    old = tmp_path / "legacy.doc"
    old.write_bytes(OLE2 + os.urandom(2048))
    good = _good(tmp_path)
    result, report = _check_json(invoke, old, good)
    _assert_only_failure(
        result, report, old, "is an old Word file: open it in Word and save it as .docx", [good]
    )


def test_password_protected_word_file(invoke, tmp_path):
    """Word wraps a password-protected .docx in an OLE2 container."""
    locked = tmp_path / "locked.docx"
    locked.write_bytes(OLE2 + b"\x00" * 1024)
    good = _good(tmp_path)
    result, report = _check_json(invoke, locked, good)
    _assert_only_failure(
        result,
        report,
        locked,
        "is password-protected (encrypted): save a copy without a password",
        [good],
    )


def test_binary_junk_named_pdf_like_nothing_readable(invoke, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 8)
    good = _good(tmp_path)
    result, report = _check_json(invoke, junk, good)
    _assert_only_failure(
        result,
        report,
        junk,
        "is not a Word, PDF or text document; plainbid cannot read it",
        [good],
    )


def _is_privileged() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def test_unreadable_file_chmod_000(invoke, tmp_path):
    locked = _good(tmp_path, "locked.txt")
    good = _good(tmp_path, "good.txt")
    locked.chmod(0)
    try:
        can_still_read = os.access(locked, os.R_OK)
        result, report = _check_json(invoke, locked, good)
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)
    if can_still_read:
        # Running as root (as CI containers often do): permissions do not stop reading, so
        # the file is simply read. The permission-denied path is covered by the next test.
        assert _is_privileged()
        assert result.exit_code == 0
        assert [d["path"] for d in report["documents"]] == [str(locked), str(good)]
    else:
        _assert_only_failure(result, report, locked, "cannot be opened (permission denied)", [good])


def test_unreadable_file_permission_error(invoke, tmp_path, monkeypatch):
    locked = _good(tmp_path, "locked.txt")
    good = _good(tmp_path, "good.txt")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result, report = _check_json(invoke, locked, good)
    _assert_only_failure(result, report, locked, "cannot be opened (permission denied)", [good])


def test_folder_with_nothing_readable(invoke, tmp_path):
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    good = _good(tmp_path)
    result, report = _check_json(invoke, folder, good)
    _assert_only_failure(
        result, report, folder, "holds no .docx, .pdf, .txt or .md files to check", [good]
    )


def test_empty_folder(invoke, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    result, report = _check_json(invoke, folder)
    assert result.exit_code == 2
    assert report["errors"] == [
        {"path": str(folder), "message": "holds no .docx, .pdf, .txt or .md files to check"}
    ]
    assert report["documents"] == []


def test_folder_skips_hidden_recurses_and_sorts(invoke, tmp_path):
    folder = tmp_path / "pack"
    (folder / "b-sub" / "deeper").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "c.md").write_text("# C\n\nSee c.\n", encoding="utf-8")
    (folder / "a.txt").write_text("See a.\n", encoding="utf-8")
    (folder / "b-sub" / "b.txt").write_text("See b.\n", encoding="utf-8")
    (folder / "b-sub" / "deeper" / "d.docx").write_bytes(_docx_bytes())
    (folder / ".hidden.txt").write_text("Hidden words.\n", encoding="utf-8")
    (folder / ".git" / "notes.txt").write_text("Hidden folder words.\n", encoding="utf-8")
    (folder / "b-sub" / ".~lock.d.docx#").write_text("lock", encoding="utf-8")
    result, report = _check_json(invoke, folder)
    assert result.exit_code == 0, result.output
    assert report["errors"] == []
    assert [d["path"] for d in report["documents"]] == [
        str(folder / "a.txt"),
        str(folder / "b-sub" / "b.txt"),
        str(folder / "b-sub" / "deeper" / "d.docx"),
        str(folder / "c.md"),
    ]
    assert "Hidden" not in result.stdout


def test_word_owner_lock_file_in_a_folder_is_skipped(invoke, tmp_path):
    """Word writes "~$name.docx" beside a document while it is open (hidden on Windows).

    Checking a folder while a document is open in Word must not fail the whole run on it.
    """
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "itt.docx").write_bytes(_docx_bytes())
    owner = b"\x04Anne" + b"\x00" * 49 + b"\x04\x00" + "Anne".encode("utf-16-le")
    (folder / "~$itt.docx").write_bytes(owner + b"\x00" * (162 - len(owner)))
    result, report = _check_json(invoke, folder)
    assert report["errors"] == []
    assert result.exit_code == 0, result.output
    assert [d["path"] for d in report["documents"]] == [str(folder / "itt.docx")]


def test_xlsx_in_a_folder_is_skipped_not_an_error(invoke, tmp_path):
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "itt.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "pricing.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")
    result, report = _check_json(invoke, folder)
    assert result.exit_code == 0, result.output
    assert report["errors"] == []
    assert [d["path"] for d in report["documents"]] == [str(folder / "itt.txt")]
    assert len(report["skipped"]) == 1
    assert report["skipped"][0].startswith(f"{folder / 'pricing.xlsx'}: skipped, a spreadsheet")
    text = invoke(["check", str(folder), "--fail-on", "never"])
    assert text.exit_code == 0
    assert "pricing.xlsx: skipped" in text.stdout


def test_xlsx_named_on_the_command_line_is_an_error(invoke, tmp_path):
    book = tmp_path / "pricing.xlsx"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    good = _good(tmp_path)
    result, report = _check_json(invoke, book, good)
    assert result.exit_code == 2
    assert report["errors"][0]["path"] == str(book)
    assert "spreadsheet" in report["errors"][0]["message"]
    assert [d["path"] for d in report["documents"]] == [str(good)]


def test_zip_pack_refuses_unsafe_members_and_reads_the_rest(invoke, tmp_path):
    pack = tmp_path / "pack.zip"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr("b-guidance.md", "# Guidance\n\nRead the guidance carefully.\n")
        archive.writestr("docs/", "")
        archive.writestr("docs/a-itt.docx", _docx_bytes())
        archive.writestr("../evil.txt", "Escaping the folder.")
        archive.writestr("/etc/absolute.txt", "An absolute path.")
        archive.writestr("__MACOSX/._junk.txt", "resource fork")
        archive.writestr("prices.xlsx", b"PK\x03\x04")
    names = zipfile.ZipFile(pack).namelist()
    assert "../evil.txt" in names and "/etc/absolute.txt" in names
    good = _good(tmp_path)
    result, report = _check_json(invoke, pack, good)
    assert result.exit_code == 2, result.output
    unsafe = "has an unsafe path in the .zip; not read"
    assert {"path": f"{pack}!/etc/absolute.txt", "message": unsafe} in report["errors"]
    # Neither unsafe member is read (the "../" one is checked on its own below).
    assert all(e["message"] == unsafe for e in report["errors"])
    assert "Escaping" not in result.stdout and "absolute path" not in result.stdout
    assert [d["path"] for d in report["documents"]] == [
        f"{pack}!b-guidance.md",
        f"{pack}!docs/a-itt.docx",
        str(good),
    ]
    assert [d["format"] for d in report["documents"]] == ["md", "docx", "txt"]
    assert report["skipped"] == [
        f"{pack}!prices.xlsx: skipped, a spreadsheet: plainbid reads documents; "
        "copy questions into a .docx to check them"
    ]
    assert not (tmp_path / "evil.txt").exists()


def test_zip_member_climbing_out_with_dotdot_is_refused_with_a_message(invoke, tmp_path):
    """A "../" member is refused and the user told, like an absolute one, not silently dropped."""
    pack = tmp_path / "pack.zip"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr("itt.txt", "Read this tender.")
        archive.writestr("../evil.txt", "Escaping the folder.")
        archive.writestr("docs/../../evil2.txt", "Escaping further.")
    result, report = _check_json(invoke, pack)
    assert result.exit_code == 2, result.output
    unsafe = "has an unsafe path in the .zip; not read"
    assert report["errors"] == [
        {"path": f"{pack}!../evil.txt", "message": unsafe},
        {"path": f"{pack}!docs/../../evil2.txt", "message": unsafe},
    ]
    assert [d["path"] for d in report["documents"]] == [f"{pack}!itt.txt"]


def test_zip_inside_a_folder_is_opened(invoke, tmp_path):
    folder = tmp_path / "pack"
    folder.mkdir()
    with zipfile.ZipFile(folder / "inner.zip", "w") as archive:
        archive.writestr("q.txt", "Zipped question text.")
    result, report = _check_json(invoke, folder)
    assert result.exit_code == 0, result.output
    assert [d["path"] for d in report["documents"]] == [f"{folder / 'inner.zip'}!q.txt"]
    assert report["documents"][0]["words"] == 3


def test_damaged_zip(invoke, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    good = _good(tmp_path)
    result, report = _check_json(invoke, bad, good)
    assert result.exit_code == 2
    assert report["errors"][0]["path"] == str(bad)
    assert "is not a readable .zip" in report["errors"][0]["message"]
    assert [d["path"] for d in report["documents"]] == [str(good)]


def test_zip_with_nothing_readable(invoke, tmp_path):
    pack = tmp_path / "pack.zip"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr("image.png", b"\x89PNG")
    result, report = _check_json(invoke, pack)
    assert result.exit_code == 2
    assert report["errors"] == [
        {"path": str(pack), "message": "holds no .docx, .pdf, .txt or .md files to check"}
    ]


def test_many_bad_inputs_in_one_run(invoke, tmp_path):
    """All at once: every failure is listed and the good documents are all still checked."""
    good_txt = _good(tmp_path)
    good_docx = tmp_path / "good.docx"
    good_docx.write_bytes(_docx_bytes())
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    old = tmp_path / "old.doc"
    old.write_bytes(OLE2 + b"junk" * 100)
    missing = tmp_path / "missing.pdf"
    result, report = _check_json(invoke, empty, good_docx, old, missing, good_txt)
    assert result.exit_code == 2
    assert [e["path"] for e in report["errors"]] == [str(empty), str(old), str(missing)]
    assert [d["path"] for d in report["documents"]] == [str(good_docx), str(good_txt)]
    assert report["pack"]["documents"] == 2
    assert result.stderr.count("plainbid: cannot read") == 3
    text = invoke(["check", str(empty), str(good_docx), str(old), str(missing), str(good_txt)])
    assert text.exit_code == 2
    assert text.stdout.count("cannot read") == 3
    assert "2 document(s)" in text.stdout


def test_zip_member_packed_in_a_way_python_cannot_unzip(invoke, tmp_path):
    """A member whose compression method zipfile does not know (here 97, WavPack) gets
    one message; the pack's other members are still checked."""
    pack = tmp_path / "pack.zip"
    with zipfile.ZipFile(pack, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a-odd.txt", "Packed strangely.")
        archive.writestr("b-plain.txt", "Plain question text.")
    data = bytearray(pack.read_bytes())
    with zipfile.ZipFile(pack) as archive:
        odd = archive.getinfo("a-odd.txt")
    # The method is at offset 8 of the member's local header and offset 10 of its central
    # directory entry (the first one in the directory).
    data[odd.header_offset + 8 : odd.header_offset + 10] = (97).to_bytes(2, "little")
    central = data.index(b"PK\x01\x02")
    data[central + 10 : central + 12] = (97).to_bytes(2, "little")
    pack.write_bytes(bytes(data))
    result, report = _check_json(invoke, pack)
    assert result.exit_code == 2
    assert report["errors"] == [
        {
            "path": f"{pack}!a-odd.txt",
            "message": "is packed in a way plainbid cannot unzip; zip the pack again",
        }
    ]
    assert [d["path"] for d in report["documents"]] == [f"{pack}!b-plain.txt"]
