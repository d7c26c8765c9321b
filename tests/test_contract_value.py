"""Contract value and length: from text, from settings and the CLI, and from OCDS files."""

from __future__ import annotations

import json

import pytest
from docx import Document as Docx

from plainbid.checks import contract_value
from plainbid.config import Settings
from plainbid.readers import read_pack


def _pack(tmp_path, *paragraphs):
    document = Docx()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "itt.docx"
    document.save(path)
    return read_pack([str(path)])


@pytest.mark.parametrize(
    ("text", "amount", "period", "years", "vat"),
    [
        ("The estimated contract value is £80,000 per annum.", 80_000, "annual", None, None),
        ("A total value of up to £1.2m over three years.", 1_200_000, "total", 3, None),
        ("Budget: £45k", 45_000, None, None, None),
        ("The contract is worth £250,000 excluding VAT.", 250_000, None, None, "excluded"),
        ("Estimated value £96,000 including VAT over 24 months.", 96_000, "total", 2, "included"),
        (
            "The value of the contract is £2 million for the whole term.",
            2_000_000,
            "total",
            None,
            None,
        ),
    ],
)
def test_value_styles(text, amount, period, years, vat):
    [value] = contract_value.values_in_text(text)
    assert value.amount_gbp == amount
    assert (value.period, value.years, value.vat) == (period, years, vat)


def test_a_range_keeps_both_ends():
    [value] = contract_value.values_in_text(
        "The annual budget is between £50,000 and £80,000 per annum."
    )
    assert (value.min_gbp, value.amount_gbp, value.period) == (50_000, 80_000, "annual")


@pytest.mark.parametrize(
    "text",
    [
        "Public liability insurance of £5 million per annum is required.",
        "Minimum annual turnover of £500,001 and above.",
        "G-Cloud spend for FY24/25 was £2.9bn.",
        "For example, an incentive payment of £45,000 may be made.",
        "Invoices between £1001-£5000 are paid in 30 days.",
        "The council is a large employer.",
    ],
)
def test_amounts_that_are_not_contract_values(text):
    assert contract_value.values_in_text(text) == []


def test_lot_values_are_kept_apart(tmp_path):
    pack = _pack(tmp_path, "Lot 1 is worth £100,000 a year and Lot 2 is worth £600,000 a year.")
    output = contract_value.run(pack, Settings())
    data = output.document_data[pack.documents[0].path]
    assert data["contract_value"] is None  # no whole-contract value, only lots
    assert [(v["lot"], v["amount_gbp"]) for v in data["contract_values"]] == [
        ("1", 100_000),
        ("2", 600_000),
    ]


def test_text_value_with_location_and_duration(tmp_path):
    pack = _pack(
        tmp_path,
        "About this contract",
        "The estimated contract value is £80,000 per annum.",
        "The contract period is three years.",
    )
    data = contract_value.run(pack, Settings()).document_data[pack.documents[0].path]
    value = data["contract_value"]
    assert value["amount_gbp"] == 80_000 and value["period"] == "annual"
    assert value["location"]["paragraph"] == 2 and value["years"] == 3
    assert data["contract_years"] == 3


def test_settings_value_overrides_the_text(tmp_path):
    pack = _pack(tmp_path, "The estimated contract value is £80,000 per annum.")
    settings = Settings(value=300_000, period="total", years=3)
    data = contract_value.run(pack, settings).document_data[pack.documents[0].path]
    assert data["contract_value"]["amount_gbp"] == 300_000
    assert data["contract_value"]["source"] == "settings"
    main = contract_value.main_value(contract_value.pack_values(pack, settings)[0])
    assert main.annual() == 100_000


def _release(tender):
    return {"ocid": "ocds-h6vhtk-000001", "tender": tender}


def test_ocds_release_package_with_gross_and_period(tmp_path):
    path = tmp_path / "notice.json"
    tender = {
        "value": {"amount": 200_000, "amountGross": 240_000, "currency": "GBP"},
        "minValue": {"amount": 150_000, "currency": "GBP"},
        "contractPeriod": {"startDate": "2026-04-01", "endDate": "2028-04-01"},
        "lots": [{"id": "1", "value": {"amount": 50_000, "currency": "GBP"}}],
    }
    path.write_text(json.dumps({"releases": [_release(tender)]}))
    whole, lot = contract_value.read_ocds(str(path))
    assert (whole.amount_gbp, whole.gross_gbp, whole.min_gbp) == (200_000, 240_000, 150_000)
    assert whole.years == 2 and whole.vat == "excluded" and whole.source == "ocds"
    assert (lot.lot, lot.amount_gbp) == ("1", 50_000)


def test_ocds_record_with_maximum_value_and_duration_in_days(tmp_path):
    path = tmp_path / "record.json"
    tender = {
        "maximumValue": {"amount": 900_000, "currency": "GBP"},
        "contractPeriod": {"durationInDays": 1096},
    }
    path.write_text(json.dumps({"records": [{"compiledRelease": _release(tender)}]}))
    [value] = contract_value.read_ocds(str(path))
    assert value.amount_gbp == 900_000 and value.years == 3


def test_bad_ocds_file_is_a_note_not_a_crash(tmp_path):
    pack = _pack(tmp_path, "Nothing here.")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    output = contract_value.run(pack, Settings(ocds=str(bad)))
    assert output.document_data[pack.documents[0].path]["contract_value"] is None
    assert any("OCDS" in note for note in pack.documents[0].notes)


def test_cli_value_options_reach_the_report(tmp_path, invoke):
    pack = _pack(tmp_path, "Describe your approach in no more than 500 words.")
    result = invoke(
        [
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--value",
            "90000",
            "--period",
            "total",
            "--years",
            "3",
            pack.documents[0].path,
        ]
    )
    report = json.loads(result.stdout)
    value = report["documents"][0]["contract_value"]
    assert (value["amount_gbp"], value["period"], value["years"]) == (90_000, "total", 3)
    assert report["pack"]["proportionality"]["annual_value_gbp"] == 30_000


def test_cli_reads_ocds(tmp_path, invoke):
    pack = _pack(tmp_path, "Describe your approach in no more than 500 words.")
    path = tmp_path / "notice.json"
    path.write_text(json.dumps(_release({"value": {"amount": 120_000, "currency": "GBP"}})))
    result = invoke(
        [
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--ocds",
            str(path),
            pack.documents[0].path,
        ]
    )
    report = json.loads(result.stdout)
    assert report["documents"][0]["contract_value"]["amount_gbp"] == 120_000
    assert report["documents"][0]["contract_value"]["source"] == "ocds"
