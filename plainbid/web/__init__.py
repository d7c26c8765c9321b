"""plainbid's local web page (`plainbid serve`): paste text or drop files, get the glossary and
what the bid will demand; nothing is kept. See docs/web.md."""

from __future__ import annotations

from plainbid.web.app import create_app

__all__ = ["create_app"]
