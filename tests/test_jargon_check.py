"""The jargon check end to end: documents built with python-docx, read as a pack."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from plainbid.cli import cli

HEADER = "term\tvariants\tplain_meaning\tplain_alternative\tsource\n"


@pytest.fixture
def own_glossary(tmp_path: Path) -> Path:
    """Made-up terms no shipped glossary holds, so the assertions test only the mechanism."""
    path = tmp_path / "zz-test-terms.tsv"
    path.write_text(
        HEADER
        + "Quarbled indenture\tQI\tA made-up contract for these tests.\tdeal\thttps://example.org\n"
        + "Flumox\t\tA made-up word for these tests.\t\thttps://example.org\n",
        encoding="utf-8",
    )
    return path


def build(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    document = docx.Document()
    for text in paragraphs:
        if text.startswith("# "):
            document.add_heading(text[2:], level=1)
        else:
            document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    document.save(path)
    return path


def check(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["check", "--format", "json", "--fail-on", "never", *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def findings_for(report: dict, name: str) -> list[dict]:
    """The jargon findings (PB1xx) of one document."""
    document = next(d for d in report["documents"] if d["path"].endswith(name))
    return [f for f in document["findings"] if f["rule"].startswith("PB1")]


def term(report: dict, name: str, wanted: str) -> dict:
    document = next(d for d in report["documents"] if d["path"].endswith(name))
    return next(t for t in document["terms"] if t["term"] == wanted)


def test_a_definition_in_one_document_serves_the_pack(tmp_path: Path, own_glossary: Path) -> None:
    build(tmp_path / "a-itt.docx", ["# Definitions", "Flumox means a thing we made up."])
    build(tmp_path / "b-sq.docx", ["Describe your flumox in 200 words.", "Each flumox counts."])
    code, report = check(str(tmp_path), "--glossary", str(own_glossary))
    assert code == 0
    in_sq = [f for f in findings_for(report, "b-sq.docx") if f["data"]["term"] == "Flumox"]
    assert [(f["rule"], f["location"]["paragraph"]) for f in in_sq] == [("PB103", 1)]
    assert "a-itt.docx, paragraph 2" in in_sq[0]["message"]
    record = term(report, "b-sq.docx", "Flumox")
    assert record["count"] == 2 and record["defined"] is True
    assert record["defined_at"]["path"].endswith("a-itt.docx")
    assert record["pack_definition"] == "Flumox means a thing we made up."


def test_an_undefined_term_is_reported_once_at_first_use(
    tmp_path: Path, own_glossary: Path
) -> None:
    build(tmp_path / "sq.docx", ["Intro.", "Our flumox and your flumoxes.", "More flumox."])
    _, report = check(str(tmp_path / "sq.docx"), "--glossary", str(own_glossary))
    hits = [f for f in findings_for(report, "sq.docx") if f["data"]["term"] == "Flumox"]
    assert len(hits) == 1
    assert hits[0]["rule"] == "PB101" and hits[0]["severity"] == "warning"
    assert hits[0]["location"]["paragraph"] == 2
    assert hits[0]["data"]["count"] == 3
    assert "A made-up word for these tests." in hits[0]["suggestion"]
    assert [loc["paragraph"] for loc in term(report, "sq.docx", "Flumox")["locations"]] == [2, 2, 3]


def test_a_two_column_definitions_table_defines_terms(tmp_path: Path, own_glossary: Path) -> None:
    build(
        tmp_path / "itt.docx",
        ["The QI applies to every flumox."],
        table=[["Term", "Meaning"], ["Flumox", "A thing."], ["QI", "Quarbled indenture."]],
    )
    _, report = check(str(tmp_path / "itt.docx"), "--glossary", str(own_glossary))
    assert term(report, "itt.docx", "Flumox")["defined"] is True
    assert term(report, "itt.docx", "Flumox")["pack_definition"] == "A thing."
    assert term(report, "itt.docx", "Quarbled indenture")["defined"] is True


def test_expansion_on_first_use_defines_the_term(tmp_path: Path, own_glossary: Path) -> None:
    build(tmp_path / "itt.docx", ["The Quarbled Indenture (QI) starts in May.", "The QI ends."])
    _, report = check(str(tmp_path / "itt.docx"), "--glossary", str(own_glossary))
    record = term(report, "itt.docx", "Quarbled indenture")
    assert record["defined"] is True and record["count"] == 3


def test_unknown_acronyms_expanded_or_not(tmp_path: Path) -> None:
    build(
        tmp_path / "spec.docx",
        ["The Zorbian Quality Panel (ZQP) meets monthly.", "The ZQP and the XYQW agree."],
    )
    _, report = check(str(tmp_path / "spec.docx"))
    rules = {f["data"]["term"]: f["rule"] for f in findings_for(report, "spec.docx")}
    assert rules["ZQP"] == "PB103"
    assert rules["XYQW"] == "PB102"
    assert term(report, "spec.docx", "ZQP")["plain_meaning"] == "Zorbian Quality Panel"


def test_allowlist_silences_terms_and_acronyms(tmp_path: Path, own_glossary: Path) -> None:
    build(tmp_path / "spec.docx", ["The XYQW reads each flumox."])
    _, report = check(
        str(tmp_path / "spec.docx"),
        "--glossary",
        str(own_glossary),
        "--allow",
        "flumox",
        "--allow",
        "XYQW",
    )
    terms = {f["data"]["term"] for f in findings_for(report, "spec.docx")}
    assert "Flumox" not in terms and "XYQW" not in terms


def test_a_bad_user_glossary_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text(HEADER + "Flumox\t\t\t\t\n", encoding="utf-8")
    build(tmp_path / "a.docx", ["Text."])
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "a.docx"), "--glossary", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2: plain_meaning is empty" in result.output
    assert "Traceback" not in result.output


def test_glossary_validate_command(tmp_path: Path, own_glossary: Path) -> None:
    ok = CliRunner().invoke(cli, ["glossary", "validate", str(own_glossary)])
    assert ok.exit_code == 0 and "no problems" in ok.output
    clash = tmp_path / "clash.tsv"
    clash.write_text(HEADER + "QI\t\tAgain.\t\thttps://x\n", encoding="utf-8")
    bad = CliRunner().invoke(cli, ["glossary", "validate", str(own_glossary), str(clash)])
    assert bad.exit_code == 1
    assert f"{clash}:2: 'QI' is already a variant of 'Quarbled indenture'" in bad.output


def test_applicant_glossary_in_word(tmp_path: Path, own_glossary: Path) -> None:
    build(tmp_path / "itt.docx", ["# Definitions", "Flumox means a thing.", "The QI is due."])
    out = tmp_path / "glossary.docx"
    result = CliRunner().invoke(
        cli,
        [
            "glossary",
            str(tmp_path / "itt.docx"),
            "--glossary",
            str(own_glossary),
            "--format",
            "docx",
            "-o",
            str(out),
            "--sort",
            "alphabetical",
        ],
    )
    assert result.exit_code == 0, result.output
    written = docx.Document(str(out))
    rows = [[cell.text for cell in row.cells] for row in written.tables[0].rows]
    assert rows[0] == ["Term", "What it means", "Where"]
    terms = [row[0] for row in rows[1:]]
    assert "Flumox" in terms and "Quarbled indenture" in terms
    assert terms == sorted(terms, key=str.lower)
    flumox = next(row for row in rows if row[0] == "Flumox")
    assert "The pack defines it" in flumox[2] and "Flumox means a thing." in flumox[2]


def test_applicant_glossary_markdown_escapes_document_text(tmp_path: Path) -> None:
    build(tmp_path / "itt.docx", ["# Definitions", "XYQW: the <b>panel</b> [of] *all*."])
    result = CliRunner().invoke(cli, ["glossary", str(tmp_path / "itt.docx")])
    assert result.exit_code == 0
    assert "## XYQW" in result.output
    assert r"XYQW: the \<b\>panel\</b\> \[of\] \*all\*." in result.output
