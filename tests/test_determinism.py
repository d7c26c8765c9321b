"""The same pack gives byte-identical output on every run, in this process and in a fresh one.

Documents are read by parallel workers that finish in any order, spaCy and the glossaries are
cached after the first run, and a fresh process has a different string-hash seed: none of these
may change a byte of the JSON (or of the terminal report).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from helpers import docx_to_bytes

ROOT = Path(__file__).resolve().parents[1]


def _itt() -> bytes:
    word = docx.Document()
    word.add_heading("Invitation to Tender", level=1)
    word.add_paragraph(
        "The Authority invites tenders for a call-off contract under the framework. TUPE may "
        "apply. The estimated contract value is £80,000 per annum for two years."
    )
    word.add_heading("Questions", level=2)
    table = word.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "Q1. Describe your approach to mobilisation. (Maximum 500 words)"
    table.cell(0, 1).text = "Weighting 20%"
    table.cell(1, 0).text = "Q2. Do you hold Cyber Essentials? Pass/fail."
    table.cell(1, 1).text = "Pass/fail"
    table.cell(2, 0).text = "Q3. Provide three case studies and your latest audited accounts."
    table.cell(2, 1).text = "Weighting 30%"
    word.add_paragraph("Tenders must be submitted by 12:00 on 14 March 2025 via the portal.")
    return docx_to_bytes(word)


def _spec() -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for heading, body in [
        (
            "1. Specification",
            "The Supplier shall deliver the Services in accordance with the KPIs.",
        ),
        ("2. Social value", "Tenderers must describe their social value offer in 250 words."),
    ]:
        pdf.add_page()
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 7, body + " The Buyer may terminate for convenience." * 6)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    (folder / "1-itt.docx").write_bytes(_itt())
    (folder / "2-specification.pdf").write_bytes(_spec())
    (folder / "3-guidance.md").write_text(
        "# Guidance\n\nRead the SQ and the ITT. Clarification questions close on 1 March.\n",
        encoding="utf-8",
    )
    with zipfile.ZipFile(folder / "4-annexes.zip", "w") as archive:
        archive.writestr("annex-a.txt", "Annex A: the Supplier must hold £5m public liability.")
        archive.writestr("annex-b.docx", _itt())
    return folder


JSON = ["--format", "json", "--fail-on", "never"]


def _json(invoke, pack: Path) -> str:
    result = invoke(["check", str(pack), *JSON])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_same_pack_gives_the_same_json_every_run(invoke, pack):
    first = _json(invoke, pack)
    assert '"format": "pdf"' in first and '"format": "docx"' in first
    assert first.count('"path"') >= 5
    for _ in range(2):
        assert _json(invoke, pack) == first


def test_the_terminal_report_is_the_same_every_run(invoke, pack):
    runs = [invoke(["check", str(pack), "--fail-on", "never"]).stdout for _ in range(2)]
    assert runs[0] == runs[1]


def test_a_fresh_process_gives_the_same_json(invoke, pack):
    here = _json(invoke, pack)
    # A fixed seed, unlike this process's random one: string hashes and set order differ.
    for seed in ("4242",):
        fresh = subprocess.run(
            [sys.executable, "-m", "plainbid", "check", str(pack), *JSON],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
            timeout=120,
        )
        assert fresh.stdout.decode("utf-8") == here


def test_checking_in_workers_gives_the_report_of_checking_in_one_process(corpus, pack):
    """Each document's share of the checks is done in the worker that read it; the report must
    be the one the checks give when everything runs in this process, however many workers
    there are. The pack mixes real tenders (one defines terms another uses) and built ones."""
    from helpers import corpus_file

    import plainbid
    from plainbid.config import Settings
    from plainbid.readers import read_pack
    from plainbid.report import build_report

    paths = [str(pack), *(str(corpus_file(corpus, name)) for name in ("D1", "D7", "D8"))]
    in_one_process = build_report(read_pack(paths), Settings()).to_json()
    assert '"defined": true' in in_one_process
    for jobs in (1, 2):
        assert plainbid.check(paths, jobs=jobs).to_json() == in_one_process
