"""The `plainbid` command: version, JSON contract, -o FILE, exit codes, `plainbid rules`.

Exit codes 0/1 depend on findings; the real checks change as the project grows, so those tests
swap in a small check of their own (the report runs whatever `CHECKS` holds) and assert the
CLI's rule: 1 when a finding is at or above --fail-on, else 0; 2 when a file cannot be read.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest

import plainbid
import plainbid.report
from plainbid.checks import CheckOutput, all_rules
from plainbid.model import Finding, Rule, Severity

ANSI = re.compile(r"\x1b\[[0-9;]*m")

CONTRACT = {
    "type": "object",
    "required": ["version", "documents", "pack", "errors"],
    "properties": {
        "version": {"type": "string"},
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "format", "pages", "words", "findings"],
                "properties": {
                    "path": {"type": "string"},
                    "format": {"enum": ["docx", "pdf", "txt", "md"]},
                    "pages": {"type": ["integer", "null"]},
                    "words": {"type": "integer", "minimum": 0},
                    "findings": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["rule", "severity", "message", "location"],
                            "properties": {
                                "severity": {"enum": ["error", "warning", "info"]},
                                "location": {"type": "object"},
                            },
                        },
                    },
                },
            },
        },
        "pack": {"type": "object"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "message"],
                "additionalProperties": False,
                "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _fake_check(severity: Severity, trigger: str = "FLAGME"):
    """A check that reports every block holding `trigger`, at the given severity."""
    rule = Rule("PB999", "test-rule", severity, "A test rule.", "Because the test says so.")

    def run(pack, settings) -> CheckOutput:
        output = CheckOutput()
        for document in pack.documents:
            for block in document.blocks:
                if trigger in block.text:
                    output.findings.append(
                        Finding(rule, document.path, f"found {trigger}", block.location, trigger)
                    )
        return output

    return SimpleNamespace(RULES=(rule,), run=run)


@pytest.fixture
def only_checks(monkeypatch):
    def use(*checks) -> None:
        monkeypatch.setattr(plainbid.report, "CHECKS", list(checks))

    return use


def test_version(invoke):
    result = invoke(["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"plainbid, version {plainbid.__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", plainbid.__version__)


def test_help_lists_the_commands(invoke):
    result = invoke(["--help"])
    assert result.exit_code == 0
    assert "check" in result.stdout and "rules" in result.stdout


def test_json_is_valid_and_follows_the_contract(invoke, tmp_path):
    md = _write(tmp_path, "itt.md", "# Scope\n\nThe supplier cuts the grass.\n")
    txt = _write(tmp_path, "notes.txt", "Five words are in here.\n")
    result = invoke(["check", str(md), str(txt), "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, CONTRACT)
    assert report["version"] == plainbid.__version__
    assert report["errors"] == []
    assert [(d["path"], d["format"], d["pages"], d["words"]) for d in report["documents"]] == [
        (str(md), "md", None, 6),
        (str(txt), "txt", None, 5),
    ]
    assert report["pack"]["documents"] == 2
    assert report["pack"]["words"] == 11
    assert result.stderr == ""


def test_json_is_identical_on_every_run(invoke, tmp_path):
    md = _write(tmp_path, "itt.md", "# Scope\n\nThe supplier cuts the grass.\n")
    first = invoke(["check", str(md), "--format", "json", "--fail-on", "never"])
    second = invoke(["check", str(md), "--format", "json", "--fail-on", "never"])
    assert first.stdout == second.stdout


def test_json_contract_with_findings_and_errors(invoke, tmp_path, only_checks):
    only_checks(_fake_check(Severity.WARNING))
    flagged = _write(tmp_path, "a.txt", "Intro.\n\nThis has FLAGME in it.\n")
    missing = tmp_path / "missing.docx"
    result = invoke(["check", str(flagged), str(missing), "--format", "json"])
    assert result.exit_code == 2  # a file could not be read: 2 wins over findings
    report = json.loads(result.stdout)
    jsonschema.validate(report, CONTRACT)
    assert report["errors"] == [{"path": str(missing), "message": "does not exist; check the path"}]
    [finding] = report["documents"][0]["findings"]
    assert finding["rule"] == "PB999"
    assert finding["severity"] == "warning"
    assert finding["location"]["paragraph"] == 2
    assert finding["location"]["line"] == 3
    assert report["pack"]["findings"] == 1


def test_output_file_has_the_report_without_ansi_escapes(invoke, tmp_path, only_checks):
    only_checks(_fake_check(Severity.ERROR))
    source = _write(tmp_path, "a.txt", "This has FLAGME in it.\n")
    # With colour forced on, the terminal report is styled, so the test can see escapes.
    shown = invoke(["check", str(source)], color=True)
    assert ANSI.search(shown.stdout)
    out = tmp_path / "report.txt"
    written = invoke(["check", str(source), "-o", str(out)], color=True)
    assert written.exit_code == 1
    assert written.stdout == ""
    content = out.read_text(encoding="utf-8")
    assert "\x1b" not in content
    assert content == ANSI.sub("", shown.stdout)
    assert str(source) in content
    assert "PB999" in content


def test_output_file_json(invoke, tmp_path):
    source = _write(tmp_path, "a.txt", "Some words.\n")
    out = tmp_path / "report.json"
    result = invoke(
        ["check", str(source), "--format", "json", "-o", str(out), "--fail-on", "never"]
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(report, CONTRACT)
    assert report["documents"][0]["words"] == 2


def test_output_file_with_a_failure_still_says_it_on_stderr(invoke, tmp_path):
    out = tmp_path / "report.txt"
    missing = tmp_path / "gone.pdf"
    result = invoke(["check", str(missing), "-o", str(out)])
    assert result.exit_code == 2
    assert f"plainbid: cannot read {missing}: does not exist" in result.stderr
    assert f"cannot read {missing}" in out.read_text(encoding="utf-8")


def test_exit_0_when_clean(invoke, tmp_path, only_checks):
    only_checks(_fake_check(Severity.ERROR))
    source = _write(tmp_path, "a.txt", "Nothing to see.\n")
    result = invoke(["check", str(source)])
    assert result.exit_code == 0
    assert "no findings" in result.stdout


@pytest.mark.parametrize(
    ("severity", "fail_on", "expected"),
    [
        (Severity.WARNING, None, 0),  # the default is error
        (Severity.INFO, None, 0),
        (Severity.ERROR, None, 1),
        (Severity.WARNING, "error", 0),
        (Severity.ERROR, "error", 1),
        (Severity.INFO, "info", 1),
        (Severity.ERROR, "never", 0),
    ],
)
def test_exit_code_follows_fail_on(invoke, tmp_path, only_checks, severity, fail_on, expected):
    only_checks(_fake_check(severity))
    source = _write(tmp_path, "a.txt", "This has FLAGME in it.\n")
    args = ["check", str(source)] + (["--fail-on", fail_on] if fail_on else [])
    result = invoke(args)
    assert result.exit_code == expected, result.output
    # Notes (info) are counted in text output unless --verbose lists them.
    shown = "PB999 ×1" if severity is Severity.INFO else f"PB999 {severity.value}"
    assert shown in result.stdout


def test_exit_2_for_an_unreadable_file_even_with_no_findings(invoke, tmp_path, only_checks):
    only_checks()
    good = _write(tmp_path, "a.txt", "Fine.\n")
    empty = _write(tmp_path, "b.txt", "")
    result = invoke(["check", str(good), str(empty)])
    assert result.exit_code == 2
    assert str(good) in result.stdout
    assert f"cannot read {empty}: is empty" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["check"],  # no paths
        ["check", "x.txt", "--format", "xml"],
        ["check", "x.txt", "--fail-on", "sometimes"],
        ["check", "x.txt", "--config", "/nonexistent/plainbid.toml"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(invoke, args):
    result = invoke(args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr or "Error" in result.stderr


def test_bad_config_file_is_a_usage_error(invoke, tmp_path):
    config = _write(tmp_path, "plainbid.toml", "fail_on = 'warning'\nno_such_setting = 1\n")
    source = _write(tmp_path, "a.txt", "Fine.\n")
    result = invoke(["check", str(source), "--config", str(config)])
    assert result.exit_code == 2
    assert "no_such_setting" in result.stderr


def test_config_file_sets_fail_on(invoke, tmp_path, only_checks):
    only_checks(_fake_check(Severity.WARNING))
    config = _write(tmp_path, "plainbid.toml", 'fail-on = "error"\n')
    source = _write(tmp_path, "a.txt", "This has FLAGME in it.\n")
    assert invoke(["check", str(source), "--config", str(config)]).exit_code == 0
    # A flag given on the command line wins over the file.
    flagged = invoke(["check", str(source), "--config", str(config), "--fail-on", "warning"])
    assert flagged.exit_code == 1


def test_rules_lists_every_rule(invoke):
    result = invoke(["rules"])
    assert result.exit_code == 0
    rules = all_rules()
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == len(rules)
    for line, rule in zip(lines, rules, strict=True):
        assert line == f"{rule.code} {rule.name} ({rule.severity.value}): {rule.summary}"


def test_rules_explains_one_rule(invoke):
    rules = all_rules()
    if not rules:
        pytest.fail("plainbid has no rules to explain")
    rule = rules[0]
    result = invoke(["rules", rule.code.lower()])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{rule.code} {rule.name}")
    assert rule.why in result.stdout


def test_rules_unknown_code_is_a_usage_error(invoke):
    result = invoke(["rules", "PB000000"])
    assert result.exit_code == 2
    assert "no rule PB000000" in result.stderr


def test_installed_command_runs_without_traceback(tmp_path):
    """The real entry point, in a child process: a bad file gives a message and status 2."""
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04truncated")
    good = _write(tmp_path, "good.txt", "Fine words.\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "plainbid",
            "check",
            str(bad),
            str(good),
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert [d["path"] for d in report["documents"]] == [str(good)]
    assert report["errors"][0]["path"] == str(bad)


@pytest.mark.parametrize(
    ("fail_on", "expected"), [("warning", 1), ("never", 0)], ids=["findings", "clean"]
)
def test_the_real_command_ends_with_its_status_and_all_its_output(tmp_path, fail_on, expected):
    """The command ends its process without Python's shutdown (`cli._end_process`): its exit
    status, its report on stdout (a pipe, as a hook reads it) and its output file must all be
    whole."""
    text = "The Supplier shall utilise TUPE and the KPIs in the ITT. " * 400
    source = _write(tmp_path, "itt.txt", text + "\n")
    command = [sys.executable, "-m", "plainbid", "check", str(source), "--fail-on", fail_on]
    to_stdout = subprocess.run(
        [*command, "--format", "json"], capture_output=True, text=True, timeout=120
    )
    to_file = subprocess.run(
        [*command, "--format", "sarif", "-o", str(tmp_path / "report.sarif")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (to_stdout.returncode, to_file.returncode) == (expected, expected)
    report = json.loads(to_stdout.stdout)
    assert len(report["documents"][0]["findings"]) > 10
    sarif = json.loads((tmp_path / "report.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == len(report["documents"][0]["findings"])
    assert to_file.stdout == ""
