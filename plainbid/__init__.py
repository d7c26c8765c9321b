"""plainbid: plain-language and proportionality checks for public-sector tender packs.

`plainbid.check(paths, **options)` returns a `Report` (see `plainbid.api`). The names below are
imported when first used, so `import plainbid` stays fast and loads no language model.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "check": "plainbid.api",
    "Report": "plainbid.report",
    "Settings": "plainbid.config",
    "ConfigError": "plainbid.config",
    "load_settings": "plainbid.config",
    "Finding": "plainbid.model",
    "Rule": "plainbid.model",
    "Severity": "plainbid.model",
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'plainbid' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
