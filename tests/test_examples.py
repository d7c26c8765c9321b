"""The example packs the README runs: one the scorer calls disproportionate, one proportionate."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from plainbid.checks.contract_value import find_years
from plainbid.cli import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def pack_json(folder: str) -> dict:
    result = CliRunner().invoke(
        cli, ["check", str(EXAMPLES / folder), "--format", "json", "--fail-on", "never"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["pack"]


def test_the_main_example_is_disproportionate_for_the_reasons_built_into_it() -> None:
    pack = pack_json("pack")
    assert pack["contract_value"]["amount_gbp"] == 85000
    assert pack["proportionality"]["band"] == "disproportionate"
    rules = {reason["rule"] for reason in pack["proportionality"]["reasons"]}
    assert {"turnover-above-multiple", "audited-accounts", "selection-below-threshold"} <= rules
    assert pack["proportionality"]["time_to_respond"]["days"] == 42


def test_the_second_example_is_proportionate() -> None:
    pack = pack_json("proportionate")
    assert pack["contract_value"]["amount_gbp"] == 400000
    assert pack["contract_value"]["years"] == 4
    assert pack["questions"] == 4 and pack["words_to_write"] == 1800
    assert pack["proportionality"]["band"] == "proportionate"
    assert pack["proportionality"]["reasons"] == []


def test_duration_phrasings() -> None:
    assert find_years("The contract runs for 4 years from 1 July 2027.") == 4
    assert find_years("an initial term of 24 months") == 2
