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
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from plainbid.config import Settings, apply_settings
from plainbid.model import Document, Pack

if TYPE_CHECKING:
    from plainbid.report import Report


def check(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    settings: Settings | None = None,
    debug: bool = False,
    **options: Any,
) -> Report:
    """Check documents, folders or .zip packs as one pack and return the report.

    Raises `plainbid.config.ConfigError` (a ValueError) for an unknown or invalid option and
    `plainbid.glossary.GlossaryError` when a glossary has problems. Files that cannot be read,
    or that need more than the time or memory limit, do not raise: they are listed in
    `report.failures`. MemoryError is raised only when the pack-wide pass runs out.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    names = [os.fspath(path) for path in paths]
    settings = apply_settings(settings or Settings(), options, "python")
    pack = read_and_analyse(names, settings, debug)
    # Imported only now: it imports the checks, and so spaCy, which the documents are read
    # beside (`read_pack`'s `read_ahead`).
    from plainbid.report import build_report

    return build_report(pack, settings)


def read_and_analyse(paths: list[str], settings: Settings, debug: bool = False) -> Pack:
    """Read the documents, each with its own share of the checks done in the worker process
    that read it: a pack's documents are checked side by side, `settings.jobs` at a time, each
    under the time and memory limits."""
    from plainbid.readers import ReadLimits, read_pack
    from plainbid.readers.isolation import can_isolate, can_split, cpu_count

    limits = ReadLimits(settings.time_limit, int(settings.memory_limit), int(settings.jobs) or None)
    split = False

    def prepare(documents: int) -> None:
        # Importing the checks imports spaCy, a second or more: the documents are read
        # meanwhile (`read_ahead` below). With fewer documents than the processes allowed,
        # each document's checks are split between two processes (`plainbid.checks.analyse`).
        from plainbid.checks import warm_up

        nonlocal split
        split = can_isolate() and can_split() and documents < (limits.workers or cpu_count())
        warm_up(settings, split)

    def analyse(document: Document) -> Document:
        from plainbid.checks import analyse

        return analyse(document, settings, split)

    return read_pack(
        paths,
        debug=debug,
        limits=limits,
        analyse=analyse,
        prepare=prepare,
        # Worth a second process only while spaCy is still to be imported.
        read_ahead="spacy" not in sys.modules,
    )
