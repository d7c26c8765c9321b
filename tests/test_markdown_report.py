"""The Markdown report: summary first, a findings table per document, document text inert."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from outputs_helpers import HOSTILE_MD, build, examples_report, output

from plainbid.formatters.markdown import md

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def to_html(text: str) -> str:
    """Render as a CommonMark viewer with raw HTML on and GFM tables would (GitHub, GitLab)."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "itt.md").write_text(HOSTILE_MD, encoding="utf-8")
    return output("markdown", build(["itt.md"], cwd=folder))


def test_summary_comes_first_then_a_table_per_document() -> None:
    text = output("markdown", examples_report())
    assert text.startswith("# plainbid report\n\n4 document(s), 5,")
    demands = text.index("## What the bid demands")
    documents = text.index("## Documents")
    first = text.index("## examples/pack/01-invitation-to-tender.docx")
    assert demands < documents < first
    assert "| Proportionality | **disproportionate** |" in text
    assert "turnover-above-multiple" in text  # the band's reasons are listed with it
    for document in examples_report().documents:
        assert f"## {md(document.document.path)}" in text
    assert "| Where | Rule | Finding | Suggestion |" in text
    rows = [line for line in text.splitlines() if line.startswith("| table 1 row 3 column 2")]
    assert any("PB301 placeholder (warning)" in row and "\\[insert date\\]" in row for row in rows)


def test_every_table_row_has_four_cells() -> None:
    text = output("markdown", examples_report())
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    finding_rows = [row for row in rows if row.count("PB") and " (warning) |" in row]
    assert finding_rows
    for row in finding_rows:
        assert len(UNESCAPED_PIPE.split(row)) == 6, row


def test_document_text_cannot_inject_html_links_or_cells(hostile: str) -> None:
    assert not re.search(r"(?<!\\)<(script|img)", hostile)
    assert "\\<script\\>" in hostile
    rendered = to_html(hostile)
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "javascript:" not in re.findall(r'href="([^"]*)"', rendered)
    assert "<a " not in rendered  # the document's [here](…) is not a link
    # The findings table keeps its four columns even when a message quotes '|'.
    cells = re.findall(r"<tr>(.*?)</tr>", rendered, flags=re.S)
    assert cells and all(len(re.findall(r"<t[dh]", row)) in (4, 7, 2) for row in cells)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. Introduction", "1\\. Introduction"),
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("29.3 hours", "29.3 hours"),
        (
            "a_b *c* `d` [e](f) <g> h|i &amp; ~j~",
            "a\\_b \\*c\\* \\`d\\` \\[e\\](f) \\<g\\> h\\|i \\&amp; \\~j\\~",
        ),
        ("two\nlines", "two lines"),
    ],
)
def test_md_escapes_what_markdown_would_act_on(text: str, expected: str) -> None:
    assert md(text) == expected


def test_the_cli_writes_markdown_to_a_file(invoke, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("itt.md").write_text(HOSTILE_MD, encoding="utf-8")
    result = invoke(["check", "itt.md", "--format", "markdown", "-o", "report.md"])
    assert result.exit_code in (0, 1), result.output
    written = Path("report.md").read_text(encoding="utf-8")
    assert written.startswith("# plainbid report")
    assert written == output("markdown", build(["itt.md"], cwd=tmp_path))
