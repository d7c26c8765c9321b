"""Reports for the output-format tests: the example pack (built once per test run) and small
packs written on the spot, each built the way `plainbid check` builds them."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import click

from plainbid.config import config_start, load_settings
from plainbid.formatters import FORMATTERS
from plainbid.readers import read_pack
from plainbid.report import Report, build_report

ROOT = Path(__file__).resolve().parents[1]

# A document written to attack the reports: HTML, script, Markdown links and table pipes.
HOSTILE_MD = """# Tender for <script>window.__pwned = 1</script> services

The ITT says: <img src=x onerror="window.__pwned = 2"> send the TUPE list. Click \
[here](javascript:alert(1)) & read **this** | and that.

<script>alert(1)</script>

Bids received after the deadline will be rejected without further consideration by the \
evaluation panel, and any bid that does not include every document listed in this invitation \
will be treated as non-compliant and excluded from the process at the panel's sole discretion.
"""


def build(paths: list[str], cwd: Path | None = None) -> Report:
    """Read and check `paths` as `plainbid check` does, from `cwd` so paths stay relative."""
    previous = Path.cwd()
    os.chdir(cwd or ROOT)
    try:
        return build_report(read_pack(paths), load_settings(config_start(paths)))
    finally:
        os.chdir(previous)


@functools.cache
def examples_report() -> Report:
    """examples/pack, read once for every test that needs it (reading it takes seconds)."""
    return build(["examples/pack"])


def output(name: str, report: Report) -> str:
    """What `plainbid check --format NAME -o FILE` writes: the formatter's text, unstyled."""
    return click.unstyle(FORMATTERS[name](report))
