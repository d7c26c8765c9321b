"""The Python API: `plainbid.check(paths, **options) -> Report`.

    import plainbid

    report = plainbid.check(["tender/"], allow=["TUPE"], value=80_000, period="annual")
    for finding in report.findings:
        print(finding.rule.code, finding.location.describe(), finding.message)
    json_text = report.to_json()  # the same text as `plainbid check --format json`

Options are the fields of `plainbid.Settings` (the config keys in snake_case) and are checked
as a config file's are. No config file is read unless you pass `settings=`, for example
`plainbid.load_settings(Path("tender"))`, which finds the project's file as the command does;
options given here win over it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from plainbid.config import Settings, apply_settings
from plainbid.report import Report, build_report


def check(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    settings: Settings | None = None,
    debug: bool = False,
    **options: Any,
) -> Report:
    """Check documents, folders or .zip packs as one pack and return the report.

    Raises `plainbid.config.ConfigError` (a ValueError) for an unknown or invalid option and
    `plainbid.glossary.GlossaryError` when a glossary has problems. Files that cannot be read
    do not raise: they are listed in `report.failures`.
    """
    from plainbid.readers import ReadLimits, read_pack

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    names = [os.fspath(path) for path in paths]
    settings = apply_settings(settings or Settings(), options, "python")
    limits = ReadLimits(settings.time_limit, int(settings.memory_limit))
    return build_report(read_pack(names, debug=debug, limits=limits), settings)
