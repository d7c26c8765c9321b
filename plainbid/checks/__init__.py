"""The checks, each a small module with `RULES` and `run(pack, settings) -> CheckOutput`.

To add a check, write its module and list it in `CHECKS`; its rules then appear in the docs,
in `plainbid rules` and in SARIF without further wiring.
"""

from __future__ import annotations

from plainbid.checks import (
    burden,
    contract_value,
    demands,
    jargon,
    placeholders,
    proportionality,
    questions,
    readability,
    style,
)
from plainbid.checks.base import Check, CheckOutput
from plainbid.model import Rule

CHECKS: list[Check] = [
    jargon,
    style,
    readability,
    placeholders,
    burden,
    questions,
    demands,
    contract_value,
    proportionality,
]


def all_rules() -> list[Rule]:
    """Every rule: the checks' own, and PB901 for inline comments that accept nothing."""
    from plainbid.suppress import RULES as SUPPRESSION_RULES

    rules = [rule for check in CHECKS for rule in check.RULES] + list(SUPPRESSION_RULES)
    return sorted(rules, key=lambda r: r.code)


__all__ = ["CHECKS", "Check", "CheckOutput", "all_rules"]
