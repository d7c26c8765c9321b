"""JSON: the machine contract. Names documented in the README are never renamed.

Keys keep their insertion order (not sorted) so related fields stay together, and the output
has no timestamps, so the same pack gives byte-identical JSON on every run.
"""

from __future__ import annotations

import json

from plainbid.report import Report


def render(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
