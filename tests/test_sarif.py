"""SARIF output: valid against the published 2.1.0 schema, and useful to a code-scanning view."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from outputs_helpers import HOSTILE_MD, ROOT, build, examples_report, output

from plainbid.checks import all_rules
from plainbid.formatters import sarif

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def validate(log: dict) -> None:
    validator = jsonschema.Draft7Validator(
        SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_the_schema_file_is_the_published_2_1_0_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    assert "result" in SCHEMA["definitions"] and "notification" in SCHEMA["definitions"]


@pytest.fixture
def mixed_pack(tmp_path: Path) -> Path:
    """A Markdown document with findings, a file that cannot be read, and a missing path."""
    pack = tmp_path / "my pack"
    pack.mkdir()
    (pack / "itt.md").write_text(HOSTILE_MD, encoding="utf-8")
    (pack / "broken.docx").write_bytes(b"this is not a Word document")
    return tmp_path


def test_examples_sarif_is_valid_and_lists_every_rule() -> None:
    log = json.loads(output("sarif", examples_report()))
    validate(log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "plainbid"
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in all_rules()]
    pb101 = next(rule for rule in driver["rules"] if rule["id"] == "PB101")
    assert pb101["name"] == "jargon-undefined"
    assert pb101["defaultConfiguration"]["level"] == "warning"
    assert pb101["fullDescription"]["text"].startswith("Applicants without a bid team")
    assert len(run["results"]) == len(examples_report().findings)
    assert run["invocations"][0]["executionSuccessful"] is True


def test_results_point_at_their_rule_and_a_relative_document() -> None:
    report = examples_report()
    log = sarif.sarif_log(report)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    results = log["runs"][0]["results"]
    for finding, result in zip(report.findings, results, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule.code
        assert (
            result["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[finding.severity.value]
        )
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
        assert finding.message in result["message"]["text"]
    # Word has no lines: the place goes in the message and the properties, and no region.
    placeholder = next(
        result
        for result in results
        if result["ruleId"] == "PB301" and "[insert date]" in result["message"]["text"]
    )
    assert placeholder["message"]["text"].startswith("table 1 row 3 column 2: Unfilled template")
    assert "Fill in or delete the template text" in placeholder["message"]["text"]
    where = placeholder["locations"][0]["properties"]
    assert (where["table"], where["row"], where["column"]) == (1, 3, 2)
    assert where["heading"] == "4. Instructions for Bidders > 4.1 Timetable"
    assert "region" not in placeholder["locations"][0]["physicalLocation"]


def test_read_failures_become_notifications_and_text_gets_lines(mixed_pack: Path) -> None:
    report = build(["my pack", "missing.docx"], cwd=mixed_pack)
    assert len(report.failures) == 2
    log = json.loads(output("sarif", report))
    validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    failed = {
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: note
        for note in notes
        if note["descriptor"]["id"] == "read-failure"
    }
    assert set(failed) == {"my%20pack/broken.docx", "missing.docx"}
    assert failed["missing.docx"]["level"] == "error"
    assert "cannot read missing.docx" in failed["missing.docx"]["message"]["text"]
    # A Markdown finding carries the line an editor shows.
    results = log["runs"][0]["results"]
    by_rule = {}
    for finding, result in zip(report.findings, results, strict=True):
        by_rule.setdefault(finding.rule.code, []).append((finding, result))
    finding, result = by_rule["PB301"][0]
    assert finding.location.line == 3
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "my%20pack/itt.md"
    )
    # Findings about the whole pack have neither a line nor a place in the message.
    missing = by_rule["PB304"][0][1]
    assert "region" not in missing["locations"][0]["physicalLocation"]
    assert missing["message"]["text"].startswith("Missing information:")


def test_fingerprints_are_unique_and_survive_text_added_above(tmp_path: Path) -> None:
    (tmp_path / "itt.md").write_text(HOSTILE_MD, encoding="utf-8")
    first = sarif.sarif_log(build(["itt.md"], cwd=tmp_path))["runs"][0]["results"]
    moved = "An opening paragraph added later.\n\nAnd another one.\n\n" + HOSTILE_MD
    (tmp_path / "itt.md").write_text(moved, encoding="utf-8")
    second = sarif.sarif_log(build(["itt.md"], cwd=tmp_path))["runs"][0]["results"]

    def prints(results: list) -> dict[str, int]:
        return {
            result["partialFingerprints"][sarif.FINGERPRINT_KEY]: result["locations"][0][
                "physicalLocation"
            ]
            .get("region", {})
            .get("startLine", 0)
            for result in results
        }

    before, after = prints(first), prints(second)
    assert len(before) == len(first)  # unique within a run
    gate = next(r for r in first if r["ruleId"] == "PB303")
    key = gate["partialFingerprints"][sarif.FINGERPRINT_KEY]
    assert key in after and after[key] == before[key] + 4  # same finding, moved down 4 lines
    assert set(before) <= set(after)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("examples/pack/01 itt.docx", ("examples/pack/01%20itt.docx", None)),
        ("packs\\tender.docx", ("packs/tender.docx", None)),
        ("./notes.md", ("notes.md", None)),
        ("packs/tender.zip!02-sq.docx", ("packs/tender.zip", "02-sq.docx")),
        ("<stdin>", ("%3Cstdin%3E", None)),
    ],
)
def test_artifact_uris_are_relative_with_forward_slashes(path: str, expected: tuple) -> None:
    assert sarif.artifact_uri(path) == expected


def test_absolute_paths_inside_the_folder_become_relative(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    inside = tmp_path / "sub" / "itt.md"
    assert sarif.artifact_uri(str(inside)) == ("sub/itt.md", None)
    outside = Path("/elsewhere/itt.md")
    assert sarif.artifact_uri(str(outside)) == ("file:///elsewhere/itt.md", None)


def test_output_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "itt.md").write_text(HOSTILE_MD, encoding="utf-8")
    once = output("sarif", build(["itt.md"], cwd=tmp_path))
    again = output("sarif", build(["itt.md"], cwd=tmp_path))
    assert once == again
    assert "Utc" not in once and str(tmp_path) not in once
