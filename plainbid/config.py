"""Settings: defaults, then `plainbid.toml` or `[tool.plainbid]` in `pyproject.toml`, then flags.

The config file is found by walking up from the current folder; the first folder holding either
file wins (as ruff and sqlfluff do). Unknown keys are an error, so a typo never silently
switches a check off.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plainbid.model import Severity


class ConfigError(Exception):
    pass


FAIL_ON_CHOICES = ("error", "warning", "info", "never")


@dataclass
class Settings:
    fail_on: str = "warning"
    glossaries: list[str] = field(default_factory=list)
    # Terms the team accepts: never reported as jargon or unexpanded acronyms.
    allow: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    # The contract's value and length when the pack does not say (or to override it), and an
    # OCDS release or record file to read them from. See docs/proportionality.md.
    value: float | None = None
    period: str | None = None  # "annual" | "total"
    years: float | None = None
    ocds: str | None = None
    # Proportionality scorer: every threshold and rate, each default's source in
    # docs/proportionality.md and plainbid/checks/proportionality.py.
    words_per_page: float = 500.0
    characters_per_word: float = 6.0
    words_per_hour: float = 250.0
    hourly_rate_gbp: float = 30.0
    vat_rate: float = 0.2
    review_words_per_1k: float = 50.0
    disproportionate_words_per_1k: float = 200.0
    turnover_multiple: float = 2.0
    short_limit_words: int = 250
    selection_threshold_gbp: float = 135_018.0
    lot_value_ratio: float = 5.0
    # Readability and reading burden; each default's source in docs/readability.md.
    sentence_words: int = 25
    target_grade: float = 9.0
    reading_words_per_minute: float = 200.0
    cross_references_per_1000_words: float = 2.0
    source: str | None = None

    def fails(self, severity: Severity) -> bool:
        if self.fail_on == "never":
            return False
        return severity.rank >= Severity(self.fail_on).rank

    def rule_enabled(self, code: str) -> bool:
        return not any(code.startswith(prefix) for prefix in self.ignore)


_LIST_KEYS = {"glossaries", "allow", "ignore"}
_NUMBER_KEYS = {
    "value",
    "years",
    "words_per_page",
    "characters_per_word",
    "words_per_hour",
    "hourly_rate_gbp",
    "vat_rate",
    "review_words_per_1k",
    "disproportionate_words_per_1k",
    "turnover_multiple",
    "short_limit_words",
    "selection_threshold_gbp",
    "lot_value_ratio",
    "sentence_words",
    "target_grade",
    "reading_words_per_minute",
    "cross_references_per_1000_words",
}
PERIOD_CHOICES = ("annual", "total")
_KNOWN_KEYS = {
    "fail_on",
    "fail-on",
    *_LIST_KEYS,
    "period",
    "ocds",
    *_NUMBER_KEYS,
    *(key.replace("_", "-") for key in _NUMBER_KEYS),
}


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    for folder in (start.resolve(), *start.resolve().parents):
        own = folder / "plainbid.toml"
        if own.is_file():
            return own, _load(own).get("plainbid", _load(own))
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _load(project).get("tool", {}).get("plainbid")
            if table is not None:
                return project, table
    return None


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from error


def load_settings(start: Path | None = None, config_file: str | None = None) -> Settings:
    if config_file:
        path = Path(config_file)
        raw = _load(path)
        found = (path, raw.get("tool", {}).get("plainbid", raw.get("plainbid", raw)))
    else:
        found = find_config(start or Path.cwd())
    settings = Settings()
    if not found:
        return settings
    path, table = found
    unknown = set(table) - _KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
    for key, value in table.items():
        name = key.replace("-", "_")
        if name in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: {key} must be a list of strings")
            if name == "glossaries":
                # Relative glossary paths are relative to the config file, not the cwd.
                value = [str((path.parent / v).resolve()) for v in value]
        elif name == "fail_on" and value not in FAIL_ON_CHOICES:
            raise ConfigError(f"{path}: fail-on must be one of {', '.join(FAIL_ON_CHOICES)}")
        elif name in _NUMBER_KEYS and (
            isinstance(value, bool) or not isinstance(value, int | float) or value < 0
        ):
            raise ConfigError(f"{path}: {key} must be a number, not {value!r}")
        elif name == "period" and value not in PERIOD_CHOICES:
            raise ConfigError(f"{path}: period must be one of {', '.join(PERIOD_CHOICES)}")
        elif name == "ocds":
            if not isinstance(value, str):
                raise ConfigError(f"{path}: ocds must be a file path")
            value = str((path.parent / value).resolve())
        setattr(settings, name, value)
    return dataclasses.replace(settings, source=str(path))
