"""Plain text and Markdown: paragraphs, headings, line numbers, encodings, standard input."""

from __future__ import annotations

import json

import pytest

from plainbid.model import BlockKind
from plainbid.readers import read_bytes, read_pack

MARKDOWN = """# Invitation to tender

Read this first.
It explains the process.

## Scope

- Grounds maintenance
- Tree surgery

### Exclusions

Nothing else.

# Pricing ##

Give a fixed price.
"""


def test_markdown_headings_are_heading_blocks_with_levels_and_lines():
    document = read_bytes("itt.md", MARKDOWN.encode())
    assert document.format == "md"
    rows = [(b.kind, b.level, b.text, b.location.line) for b in document.blocks]
    assert rows == [
        (BlockKind.HEADING, 1, "Invitation to tender", 1),
        (BlockKind.PARAGRAPH, None, "Read this first.\nIt explains the process.", 3),
        (BlockKind.HEADING, 2, "Scope", 6),
        (BlockKind.LIST_ITEM, None, "- Grounds maintenance", 8),
        (BlockKind.LIST_ITEM, None, "- Tree surgery", 9),
        (BlockKind.HEADING, 3, "Exclusions", 11),
        (BlockKind.PARAGRAPH, None, "Nothing else.", 13),
        # Closing hashes are not part of the title.
        (BlockKind.HEADING, 1, "Pricing", 15),
        (BlockKind.PARAGRAPH, None, "Give a fixed price.", 17),
    ]


def test_markdown_heading_paths():
    document = read_bytes("itt.md", MARKDOWN.encode())
    paths = {b.text: b.location.heading for b in document.blocks}
    assert paths["Read this first.\nIt explains the process."] == "Invitation to tender"
    assert paths["- Tree surgery"] == "Invitation to tender > Scope"
    assert paths["Nothing else."] == "Invitation to tender > Scope > Exclusions"
    assert paths["Give a fixed price."] == "Pricing"


def test_hashes_in_a_txt_file_are_not_headings():
    document = read_bytes("notes.txt", MARKDOWN.encode())
    assert document.format == "txt"
    assert not any(b.kind == BlockKind.HEADING for b in document.blocks)
    assert document.blocks[0].text == "# Invitation to tender"
    assert document.blocks[0].location.line == 1


def test_line_numbers_with_windows_line_endings():
    data = b"First paragraph.\r\n\r\n\r\nSecond paragraph\r\ncontinues here.\r\n\r\nThird.\r\n"
    document = read_bytes("crlf.txt", data)
    assert [(b.text, b.location.line, b.location.paragraph) for b in document.blocks] == [
        ("First paragraph.", 1, 1),
        ("Second paragraph\ncontinues here.", 4, 2),
        ("Third.", 7, 3),
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_byte_order_mark_is_read(encoding):
    text = "Prix: £250,000 — café déjà vu.\n\nSecond paragraph."
    if encoding == "utf-16":
        data = text.encode("utf-16")  # the codec writes its own BOM
    else:
        bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
        data = bom + text.encode(encoding)
    document = read_bytes("utf16.txt", data)
    assert [b.text for b in document.blocks] == [
        "Prix: £250,000 — café déjà vu.",
        "Second paragraph.",
    ]
    assert document.notes == []


def test_utf8_with_bom_has_no_stray_character():
    document = read_bytes("bom.txt", "\ufeffHello tender.".encode())
    assert document.blocks[0].text == "Hello tender."
    assert document.notes == []


def test_invalid_utf8_read_as_windows_1252_with_a_note():
    data = "The budget is £50,000 – “fixed”.".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    document = read_bytes("legacy.txt", data)
    assert document.blocks[0].text == "The budget is £50,000 – “fixed”."
    assert len(document.notes) == 1
    assert "Windows-1252" in document.notes[0]
    assert "UTF-8" in document.notes[0]


def test_valid_utf8_has_no_note():
    document = read_bytes("fine.txt", "Budget £50,000 – fixed.".encode())
    assert document.notes == []


def test_numbered_list_lines_split_a_paragraph():
    data = b"You must send:\n1. a price\n2) a method statement\nThanks."
    document = read_bytes("list.txt", data)
    assert [(b.kind, b.text) for b in document.blocks] == [
        (BlockKind.PARAGRAPH, "You must send:"),
        (BlockKind.LIST_ITEM, "1. a price"),
        (BlockKind.LIST_ITEM, "2) a method statement\nThanks."),
    ]


def test_standard_input_is_read(invoke):
    result = invoke(
        ["check", "-", "--format", "json", "--fail-on", "never"],
        input=b"Tenders close on Friday.\n\nSend questions by Monday.\n",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["errors"] == []
    [document] = report["documents"]
    assert document["path"] == "<stdin>"
    assert document["format"] == "txt"
    assert document["words"] == 8


def test_standard_input_with_a_file_in_the_same_run(invoke, tmp_path):
    other = tmp_path / "other.md"
    other.write_text("# Title\n\nBody words here.\n", encoding="utf-8")
    result = invoke(
        ["check", "-", str(other), "--format", "json", "--fail-on", "never"],
        input=b"From the pipe.",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [d["path"] for d in report["documents"]] == ["<stdin>", str(other)]
    assert [d["format"] for d in report["documents"]] == ["txt", "md"]
    assert [d["words"] for d in report["documents"]] == [3, 4]


def test_empty_standard_input_is_an_error(invoke):
    result = invoke(["check", "-", "--format", "json", "--fail-on", "never"], input=b"   \n")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["errors"] == [
        {"path": "<stdin>", "message": "is empty; check that it is the right file"}
    ]
    assert "cannot read <stdin>" in result.stderr


def test_text_file_read_through_read_pack(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("One.\n\nTwo.\n", encoding="utf-8")
    pack = read_pack([str(path)])
    assert pack.failures == []
    assert [b.text for b in pack.documents[0].blocks] == ["One.", "Two."]
    assert pack.documents[0].pages is None
