"""The proportionality scorer: each reason at and either side of its threshold, PB304, PB401."""

from __future__ import annotations

import pytest
from docx import Document as Docx

from plainbid.checks import proportionality
from plainbid.config import Settings
from plainbid.readers import read_pack

# Facts that stop PB304 firing, so each test sees only the reason it is about.
COMPLETE = [
    "The contract period is three years.",
    "Tenders must be submitted by 30 June 2026.",
    "The clarification deadline is 16 June 2026.",
    "Quality is weighted 60% and price 40%.",
    "We expect 120 referrals a year across the borough.",
]


def _pack(tmp_path, *paragraphs):
    document = Docx()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "itt.docx"
    document.save(path)
    return read_pack([str(path)])


def _score(tmp_path, paragraphs, **settings):
    section, reasons, _missing = proportionality.score(
        _pack(tmp_path, *COMPLETE, *paragraphs), Settings(**settings)
    )
    return section, {reason.rule: reason for reason in reasons}


@pytest.mark.parametrize(
    ("words", "band"),
    [(4_900, "proportionate"), (5_000, "review"), (19_900, "review"), (20_000, "disproportionate")],
)
def test_words_against_value(tmp_path, words, band):
    # £100k a year: review at 50 words per £1k (5,000 words), disproportionate at 200 (20,000).
    section, reasons = _score(
        tmp_path,
        [f"1. Set out your plan for the work in no more than {words} words."],
        value=100_000,
        period="annual",
    )
    assert section["words_to_write"] == words
    assert section["words_per_1k_gbp_per_year"] == words / 100
    assert section["band"] == band
    assert ("words-per-value" in reasons) == (band != "proportionate")
    assert section["estimated_bid_hours"] == round(words / 250, 1)
    assert section["estimated_bid_cost_gbp"] == round(words / 250 * 30)


def test_thresholds_come_from_settings(tmp_path):
    section, _ = _score(
        tmp_path,
        ["1. Set out your plan in no more than 1,000 words."],
        value=100_000,
        period="annual",
        review_words_per_1k=5,
        disproportionate_words_per_1k=10,
    )
    assert section["band"] == "disproportionate"


@pytest.mark.parametrize(
    ("turnover", "flagged"), [(199_000, False), (200_000, False), (201_000, True)]
)
def test_turnover_above_twice_the_value(tmp_path, turnover, flagged):
    _, reasons = _score(
        tmp_path,
        [f"Bidders must have a minimum annual turnover of £{turnover:,}."],
        value=100_000,
        period="annual",
    )
    assert ("turnover-above-multiple" in reasons) == flagged
    if flagged:
        assert "reg 58" in reasons["turnover-above-multiple"].source


def test_audited_accounts_and_insurance_at_bid_stage(tmp_path):
    _, reasons = _score(
        tmp_path,
        [
            "Provide audited accounts for the last two years.",
            "Upload your public liability insurance certificate.",
        ],
        value=100_000,
    )
    assert "s.22" in reasons["audited-accounts"].source
    assert "s.22" in reasons["insurance-at-bid-stage"].source


def test_insurance_from_contract_start_is_fine(tmp_path):
    section, reasons = _score(
        tmp_path,
        ["You must hold public liability insurance prior to the commencement of the contract."],
        value=100_000,
    )
    assert "insurance-at-bid-stage" not in reasons
    assert section["band"] == "proportionate"


def test_credit_score_as_pass_fail(tmp_path):
    _, reasons = _score(
        tmp_path, ["Provide a credit report; a credit score below 50 is a fail."], value=100_000
    )
    assert "credit-score-pass-fail" in reasons
    _, reasons = _score(tmp_path, ["Provide a credit report."], value=100_000)
    assert "credit-score-pass-fail" not in reasons


@pytest.mark.parametrize(
    ("value", "flagged"), [(135_017, True), (135_018, False), (200_000, False)]
)
def test_selection_stage_below_threshold(tmp_path, value, flagged):
    _, reasons = _score(
        tmp_path,
        ["Complete the selection questionnaire."],
        value=value,
        period="total",
        years=3,
    )
    assert ("selection-below-threshold" in reasons) == flagged


def test_vat_is_added_before_comparing_with_the_threshold(tmp_path):
    # £120,000 excluding VAT is £144,000 gross: above £135,018, so no reason.
    _, reasons = _score(
        tmp_path,
        [
            "The estimated contract value is £120,000 excluding VAT.",
            "Complete the selection questionnaire.",
        ],
    )
    assert "selection-below-threshold" not in reasons


@pytest.mark.parametrize(("limit", "flagged"), [(249, True), (250, True), (251, False)])
def test_short_limit_for_a_whole_service(tmp_path, limit, flagged):
    _, reasons = _score(
        tmp_path,
        [f"1. Describe your service and delivery model in no more than {limit} words."],
        value=100_000,
    )
    assert ("short-limit-for-whole-service" in reasons) == flagged


def test_same_questions_for_lots_of_very_different_value(tmp_path):
    lots = "Lot 1 is worth £50,000 a year and Lot 2 is worth £500,000 a year."
    question = "1. Describe how you will deliver the work in no more than 1,000 words."
    _, reasons = _score(tmp_path, [lots, question])
    assert "same-questions-across-lots" in reasons
    _, reasons = _score(tmp_path, [lots, question], lot_value_ratio=20)
    assert "same-questions-across-lots" not in reasons


def test_missing_information_findings_and_reason(tmp_path):
    pack = _pack(tmp_path, "We may need TUPE to apply. Describe your approach in 500 words.")
    output = proportionality.run(pack, Settings(value=80_000, period="annual"))
    missing = {f.data["item"] for f in output.findings if f.rule.code == "PB304"}
    assert missing == {
        "duration",
        "submission deadline",
        "clarification deadline",
        "evaluation criteria and weightings",
        "volumes",
        "TUPE staff information",
        "location",
    }
    [band] = [f for f in output.findings if f.rule.code == "PB401"]
    assert "does not give" in band.message and band.data["band"] == "review"


def test_unknown_band_without_a_value(tmp_path):
    section, _ = _score(tmp_path, ["1. Describe your plan in no more than 500 words."])
    assert section["band"] == "unknown"
    assert section["contract_value_gbp"] is None
    assert section["words_per_1k_gbp_per_year"] is None


def test_time_to_respond_against_the_statutory_minimum(tmp_path):
    pack = _pack(
        tmp_path,
        "This is an open procedure. Issue date: 1 June 2026.",
        "Tenders must be submitted by 20 June 2026.",
    )
    timing = proportionality.time_to_respond(pack)
    assert (timing["days"], timing["statutory_minimum_days"]) == (19, 25)
    _, reasons, _ = proportionality.score(pack, Settings(value=100_000))
    assert any(r.rule == "time-below-statutory-minimum" for r in reasons)


def test_pack_json_has_the_proportionality_section(tmp_path, invoke):
    import json

    pack = _pack(tmp_path, *COMPLETE, "1. Describe your plan in no more than 500 words.")
    result = invoke(
        [
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--value",
            "50000",
            pack.documents[0].path,
        ]
    )
    section = json.loads(result.stdout)["pack"]["proportionality"]
    assert section["band"] == "proportionate"
    assert section["words_per_1k_gbp_per_year"] == 10
    assert set(section) >= {
        "contract_value_gbp",
        "annual_value_gbp",
        "words_to_write",
        "words_per_1k_gbp_per_year",
        "estimated_bid_hours",
        "estimated_bid_cost_gbp",
        "bid_cost_share",
        "band",
        "reasons",
    }


def test_timetable_table_rows_give_issue_date_and_deadlines(tmp_path):
    import docx as python_docx

    from plainbid.checks.proportionality import time_to_respond
    from plainbid.readers import read_pack

    word = python_docx.Document()
    table = word.add_table(rows=3, cols=2)
    rows = [
        ("ITT published on the portal", "4 December 2026"),
        ("Deadline for clarification questions", "17:00 on 5 January 2027"),
        ("Tender deadline", "12:00 noon on 15 January 2027"),
    ]
    for row, (event, when) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = event, when
    word.save(tmp_path / "itt.docx")
    respond = time_to_respond(read_pack([str(tmp_path / "itt.docx")]))
    assert respond is not None
    assert (respond["issue_date"], respond["deadline"], respond["days"]) == (
        "2026-12-04",
        "2027-01-15",
        42,
    )
