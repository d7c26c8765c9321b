"""What else a bid demands: case studies, references, policies, insurance, accounts, credit."""

from __future__ import annotations

import pytest
from docx import Document as Docx

from plainbid.checks import demands
from plainbid.config import Settings
from plainbid.model import Location
from plainbid.readers import read_pack

HERE = Location(paragraph=1)


def _labels(text):
    return [d.label for d in demands.demands_in_text(text, HERE)]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Please provide a copy of your safeguarding policy.", "safeguarding policy"),
        ("Upload your health and safety policy.", "health and safety policy"),
        ("Submit your equality and diversity policy.", "equality policy"),
        ("Attach your data protection policy.", "data protection policy"),
        ("You must hold Cyber Essentials certification.", "Cyber Essentials"),
        ("Provide your ISO 9001 certificate.", "ISO certification"),
        ("Provide copies of your insurance certificates.", "insurance certificates"),
        ("Supply a parent company guarantee.", "bond or parent company guarantee"),
        ("Include CVs for all key staff.", "CVs"),
        ("Submit a method statement for mobilisation.", "method statements"),
        ("Provide a credit report from a recognised agency.", "credit report or score"),
    ],
)
def test_each_kind_of_evidence(text, label):
    assert label in _labels(text)


def _alternatives(pattern: str) -> list[str]:
    """A regular expression's top-level alternatives (split at `|` outside () and [])."""
    parts, depth, start, index = [], 0, 0, 0
    while index < len(pattern):
        character = pattern[index]
        if character == "\\":
            index += 1  # the escaped character is a literal
        elif character == "[":
            index = pattern.index("]", index + 2)
        elif character in "()":
            depth += 1 if character == "(" else -1
        elif character == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    return [*parts, pattern[start:]]


def test_every_kind_of_evidence_spells_a_gate_word():
    """demands_in_text skips text holding none of _EVIDENCE_WORDS: each alternative of each
    pattern must spell one, or a new pattern would never be tried."""
    for _, label, pattern in demands._EVIDENCE:
        for alternative in _alternatives(pattern.pattern):
            lower = alternative.lower()
            assert any(word in lower for word in demands._EVIDENCE_WORDS), (label, alternative)
    assert _labels("Provide your ca\u017fe \u017ftudies.") == ["case studies"]  # as re.I


def test_a_policy_named_in_passing_is_not_a_demand():
    assert _labels("Our safeguarding policy was updated last year.") == []


def test_counts_of_case_studies_and_references():
    [case] = demands.demands_in_text("Provide 16 case studies of similar work.", HERE)
    assert (case.kind, case.count) == ("case_study", 16)
    [refs] = demands.demands_in_text("Please supply three client references.", HERE)
    assert (refs.kind, refs.count) == ("reference", 3)
    [one] = demands.demands_in_text("Please provide a case study.", HERE)
    assert one.count == 1


def test_audited_accounts_years_and_stage():
    [accounts] = demands.demands_in_text("Provide audited accounts for the last three years.", HERE)
    assert (accounts.label, accounts.years, accounts.at_bid_stage) == ("audited accounts", 3, True)


def test_insurance_required_only_from_the_contract_start_is_not_at_bid_stage():
    [later] = demands.demands_in_text(
        "You must have public liability insurance in place prior to the commencement of the "
        "contract.",
        HERE,
    )
    assert not later.at_bid_stage
    [now] = demands.demands_in_text("Upload your public liability insurance certificate.", HERE)
    assert now.at_bid_stage


def test_credit_score_as_pass_fail():
    [credit] = demands.demands_in_text(
        "A credit score below 40 will result in a fail; provide your credit report.", HERE
    )
    assert credit.pass_fail
    [plain] = demands.demands_in_text("Provide a credit report.", HERE)
    assert not plain.pass_fail


def test_turnover_and_selection_stage_with_locations(tmp_path):
    document = Docx()
    document.add_paragraph("Selection questionnaire")
    document.add_paragraph("Bidders must have a minimum annual turnover of £250,000.")
    document.add_paragraph("Turnover less than €50m counts as an SME.")
    path = tmp_path / "sq.docx"
    document.save(path)
    doc = read_pack([str(path)]).documents[0]
    [turnover] = demands.find_turnover(doc)
    assert turnover.amount_gbp == 250_000 and turnover.location.paragraph == 2
    assert demands.find_selection_stage(doc).paragraph == 1


def test_pack_counts_in_json(tmp_path):
    document = Docx()
    document.add_paragraph("Provide 4 case studies and two client references.")
    document.add_paragraph("Upload your safeguarding policy and your safeguarding training plan.")
    document.add_paragraph("Provide your ISO 9001 certificate and ISO 14001 certificate.")
    path = tmp_path / "itt.docx"
    document.save(path)
    pack = read_pack([str(path)])
    output = demands.run(pack, Settings())
    assert output.pack_data["case_studies"] == 4
    assert output.pack_data["references"] == 2
    assert output.pack_data["attachments"] == 2  # safeguarding policy, ISO certification
    listed = output.document_data[pack.documents[0].path]["demands"]
    assert {d["location"]["paragraph"] for d in listed} == {1, 2, 3}
