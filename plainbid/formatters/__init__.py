"""Formatters: one module per output format, each with `render(report) -> str`.

Adding a format is adding a module and a line in `FORMATTERS`.
"""

from __future__ import annotations

from collections.abc import Callable

from plainbid.formatters import html, json_format, markdown, sarif, text
from plainbid.report import Report

FORMATTERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "html": html.render,
    "markdown": markdown.render,
}
