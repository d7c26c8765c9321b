"""Every rule explains itself: why it matters, an example it flags, and its source.

Each example is checked as a real document and must be flagged by its own rule (as proselint's
examples table does); a rule about a pack gets the other documents it needs.
"""

from __future__ import annotations

import pytest

import plainbid
from plainbid.checks import all_rules

RULES = all_rules()
# Rules about how documents refer to each other need the documents referred to.
PACK_CONTEXT = {"PB302": {"framework-agreement.md": "# Framework Agreement\n\nThe terms.\n"}}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_has_why_example_and_source(rule):
    assert rule.why.strip(), f"{rule.code} has no 'why'"
    assert rule.example.strip(), f"{rule.code} has no example"
    assert rule.source.strip(), f"{rule.code} has no source"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_example_is_flagged_by_the_rule(rule, tmp_path):
    for name, text in PACK_CONTEXT.get(rule.code, {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "example.md").write_text(rule.example + "\n", encoding="utf-8")
    report = plainbid.check(tmp_path, select=[rule.code])
    flagged = [f for f in report.findings if f.rule.code == rule.code]
    assert flagged, f"{rule.code}'s example is not flagged: {rule.example!r}"


def test_rules_command_explains_a_rule_with_why_example_and_source(invoke):
    rule = next(r for r in RULES if r.code == "PB101")
    result = invoke(["rules", "PB101"])
    assert result.exit_code == 0
    assert result.stdout.startswith("PB101 jargon-undefined (warning): ")
    assert f"Why it matters: {rule.why}" in result.stdout
    assert f"Example: {rule.example}" in result.stdout
    assert f"Source: {rule.source}" in result.stdout


def test_rules_command_takes_a_prefix_or_a_name(invoke):
    family = invoke(["rules", "PB1"])
    assert [line.split()[0] for line in family.stdout.splitlines() if line[:2] == "PB"] == [
        r.code for r in RULES if r.code.startswith("PB1")
    ]
    assert invoke(["rules", "passive-voice"]).stdout.startswith("PB202 passive-voice")
    assert invoke(["rules", "unused-ignore"]).stdout.startswith("PB901 unused-ignore")
