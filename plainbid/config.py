"""Settings: defaults, then `plainbid.toml` or `[tool.plainbid]` in `pyproject.toml`, then
`--config FILE`, then flags.

The config file is found by walking up from the folder of the first path checked (then from the
current folder); the first folder holding either file wins (as ruff and sqlfluff do). Each
setting remembers where its value came from (`Settings.origins`), which `plainbid config`
shows. Unknown keys are an error, so a typo never silently switches a check off.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plainbid.model import Severity


class ConfigError(ValueError):
    pass


FAIL_ON_CHOICES = ("error", "warning", "info", "never")
# Proportionality bands, best first (plainbid/checks/proportionality.py); "unknown" never fails.
BAND_CHOICES = ("proportionate", "review", "disproportionate")
SEVERITY_CHOICES = ("error", "warning", "info")


@dataclass
class Settings:
    fail_on: str = "error"
    # Exit 1 when the pack's proportionality band is worse than this; None: the band never fails.
    max_band: str | None = None
    # Rules to check and to skip: code prefixes ("PB1", "PB101"), names ("jargon-undefined") or
    # "ALL". The most specific match wins and an ignore wins a tie, as in ruff; an empty select
    # checks every rule.
    select: list[str] = field(default_factory=list)
    # Glob -> rules to skip in the files it matches; relative globs are relative to the folder
    # of the config file that sets them (of the current folder when given in Python).
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    # Rule selector -> "error" | "warning" | "info": the most specific selector wins.
    severity: dict[str, str] = field(default_factory=dict)
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
    # Reading one document: seconds, and megabytes of memory beyond plainbid's own; 0 turns a
    # limit off. See SECURITY.md.
    time_limit: float = 30.0
    memory_limit: int = 2048
    # Documents read and checked at once, each in its own process; 0: one per CPU.
    jobs: int = 0
    source: str | None = None
    # Where each setting's value came from: a config file's path, "command line" or "python";
    # a setting missing here has its default.
    origins: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def fails(self, severity: Severity) -> bool:
        if self.fail_on == "never":
            return False
        return severity.rank >= Severity(self.fail_on).rank

    def band_fails(self, band: str) -> bool:
        """Whether a proportionality band is worse than `max_band` ("unknown" never is)."""
        if self.max_band is None or band not in BAND_CHOICES:
            return False
        return BAND_CHOICES.index(band) > BAND_CHOICES.index(self.max_band)

    def rule_enabled(self, code: str, name: str = "") -> bool:
        selected = _best_rank(self.select or ["ALL"], code, name)
        if selected is None:
            return False
        ignored = _best_rank(self.ignore, code, name)
        return ignored is None or selected > ignored

    def severity_for(self, code: str, name: str, default: Severity) -> Severity:
        """The most specific `severity` entry for the rule; of equals, the last one written."""
        best: tuple[int, str] | None = None
        for selector, level in self.severity.items():
            rank = selector_rank(selector, code, name)
            if rank is not None and (best is None or rank >= best[0]):
                best = (rank, level)
        return Severity(best[1]) if best else default

    def origin(self, name: str) -> str:
        return self.origins.get(name, "default")


def selector_rank(selector: str, code: str, name: str = "") -> int | None:
    """How specifically `selector` names the rule (higher is more specific), or None.

    "ALL" matches every rule (0); a code prefix matches by its length ("PB1" 3, "PB101" 5);
    a rule's name is as specific as its full code.
    """
    wanted = selector.strip()
    if wanted.upper() == "ALL":
        return 0
    if name and wanted.lower() == name.lower():
        return len(code)
    if wanted and code.upper().startswith(wanted.upper()):
        return len(wanted)
    return None


def _best_rank(selectors: list[str], code: str, name: str) -> int | None:
    ranks = [r for s in selectors if (r := selector_rank(s, code, name)) is not None]
    return max(ranks, default=None)


_SELECTOR_SHAPE = re.compile(r"(?i)ALL|PB\d{0,3}|[a-z][a-z0-9-]*")


def check_selectors(selectors: list[str], where: str) -> None:
    """Every selector must name at least one rule: a typo never silently selects nothing."""
    from plainbid.checks import all_rules

    rules = all_rules()
    for selector in selectors:
        if _SELECTOR_SHAPE.fullmatch(selector.strip()) and any(
            selector_rank(selector, rule.code, rule.name) is not None for rule in rules
        ):
            continue
        names = [rule.name for rule in rules] + [rule.code for rule in rules]
        close = difflib.get_close_matches(selector, names, n=1, cutoff=0.7)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ConfigError(
            f"{where}: no rule is named or starts with {selector!r}{hint}; "
            "`plainbid rules` lists them"
        )


_LIST_KEYS = {"glossaries", "allow", "ignore", "select"}
_SELECTOR_KEYS = {"select", "ignore"}
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
    "time_limit",
    "memory_limit",
    "jobs",
}
PERIOD_CHOICES = ("annual", "total")
_CHOICES = {
    "fail_on": FAIL_ON_CHOICES,
    "max_band": BAND_CHOICES,
    "period": PERIOD_CHOICES,
}
# Every field of Settings is a key, in snake_case or kebab-case; `source` and `origins` are
# bookkeeping, not settings.
SETTING_NAMES = tuple(
    f.name for f in dataclasses.fields(Settings) if f.name not in ("source", "origins")
)
_KNOWN_KEYS = {*SETTING_NAMES, *(name.replace("_", "-") for name in SETTING_NAMES)}


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


def config_start(paths: list[str]) -> Path | None:
    """Where to start looking for a config file: the folder of the first path checked."""
    for path in paths:
        if path == "-":
            continue
        target = Path(path)
        return target if target.is_dir() else target.parent
    return None


def load_settings(start: Path | None = None, config_file: str | None = None) -> Settings:
    """Defaults, then the config file found from `start` upwards (or, when there is none, from
    the current folder upwards), then `config_file`: each later source wins key by key."""
    settings = Settings()
    found = find_config(start) if start is not None else None
    if found is None:
        found = find_config(Path.cwd())
    if found:
        settings = apply_settings(settings, found[1], str(found[0]), found[0].parent)
    if config_file:
        path = Path(config_file)
        raw = _load(path)
        table = raw.get("tool", {}).get("plainbid", raw.get("plainbid", raw))
        settings = apply_settings(settings, table, str(path), path.parent)
    return settings


def apply_settings(
    settings: Settings, table: dict[str, Any], origin: str, base: Path | None = None
) -> Settings:
    """A copy of `settings` with the keys of `table` set and their origin recorded.

    `origin` names the source in messages (a config file's path, "python"); relative paths
    and globs in the table are relative to `base` (a config file's folder).
    """
    unknown = sorted(key for key in table if key not in _KNOWN_KEYS)
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(key, sorted(_KNOWN_KEYS), n=1, cutoff=0.7)
            hints.append(f"{key} (did you mean {close[0]}?)" if close else key)
        raise ConfigError(f"{origin}: unknown setting(s) {', '.join(hints)}")
    updated = dataclasses.replace(settings, origins=dict(settings.origins))
    for key, value in table.items():
        name = key.replace("-", "_")
        setattr(updated, name, _coerce(name, key, value, origin, base))
        updated.origins[name] = origin
    if base is not None:
        updated.source = origin
    return updated


def _coerce(name: str, key: str, value: Any, origin: str, base: Path | None) -> Any:
    where = f"{origin}: {key}"
    if name in _LIST_KEYS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} must be a list of strings")
        if name in _SELECTOR_KEYS:
            check_selectors(value, where)
        if name == "glossaries" and base is not None:
            # Relative glossary paths are relative to the config file, not the cwd.
            return [str((base / v).resolve()) for v in value]
        return list(value)
    if name == "per_file_ignores":
        if not isinstance(value, dict) or not all(
            isinstance(codes, list) and all(isinstance(c, str) for c in codes)
            for codes in value.values()
        ):
            raise ConfigError(f'{where} must be a table of "glob" = ["rule", ...]')
        for glob, codes in value.items():
            check_selectors(codes, f"{where} {glob!r}")
        return {_anchor(glob, base): list(codes) for glob, codes in value.items()}
    if name == "severity":
        if not isinstance(value, dict) or not all(v in SEVERITY_CHOICES for v in value.values()):
            levels = " | ".join(f'"{level}"' for level in SEVERITY_CHOICES)
            raise ConfigError(f'{where} must be a table of "rule" = {levels}')
        check_selectors(list(value), where)
        return dict(value)
    if name in _CHOICES:
        if value not in _CHOICES[name]:
            raise ConfigError(f"{where} must be one of {', '.join(_CHOICES[name])}, not {value!r}")
        return value
    if name in _NUMBER_KEYS:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{where} must be a number, not {value!r}")
        return value
    if name == "ocds":
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a file path")
        return str((base / value).resolve()) if base is not None else value
    default = getattr(Settings(), name)
    if default is not None and not isinstance(value, type(default)):
        raise ConfigError(f"{where} must be a {type(default).__name__}, not {value!r}")
    return value


def _anchor(glob: str, base: Path | None) -> str:
    """A glob with a slash is relative to `base`; one without matches file names anywhere."""
    glob = glob.removeprefix("./")
    if "/" in glob and base is not None and not Path(glob).is_absolute():
        return str(base.resolve() / glob)
    return glob
