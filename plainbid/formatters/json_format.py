"""JSON: the machine contract. Names documented in the README are never renamed.

Keys keep their insertion order (not sorted) so related fields stay together, and the output
has no timestamps, so the same pack gives byte-identical JSON on every run.

The text is exactly `json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\\n"`.
"""

from __future__ import annotations

import json
from typing import Any

# orjson: json.dumps never uses its C encoder when `indent` is set (3x slower here on a 100k-word
# report). orjson's text is used only when it provably matches the stdlib's; see `dumps`.
import orjson

from plainbid.report import Report

# Subclasses of str/int/dict/list go to orjson's (absent) default, so they raise and fall back.
_OPTIONS = orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS
_OPTIONS |= orjson.OPT_PASSTHROUGH_DATETIME
_INDENT = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
# The stdlib's C encoder (used because there is no indent), with json.dumps' other defaults.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def render(report: Report) -> str:
    return dumps(report.as_dict())


def dumps(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False) + "\\n"`, byte for byte, but faster.

    orjson writes floats below 1e-4 (and, before 3.13, from 1e16) differently, NaN and
    infinity as null, and accepts some types the stdlib refuses. So its compact text is
    compared with the stdlib C encoder's: equal means the same tree with every string, number
    and key spelt the same, and the indented layout depends on the tree alone (the stdlib's
    indenting encoder spells tokens with the same functions as its C one). Any difference or
    error falls back to `json.dumps` itself, which then gives its own text or its own error.
    """
    text = ""
    try:
        text = orjson.dumps(data, option=_OPTIONS | _INDENT).decode()
        same = orjson.dumps(data, option=_OPTIONS).decode() == _COMPACT.encode(data)
    except Exception:
        same = False
    return text if same else _reference(data)


def _reference(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
