"""Glossaries: tab-separated files of terms, validated when loaded.

Each file under `glossaries/` covers one topic, and its name is the entries' category. The
first line that is not a `#` comment is the header:

    term  variants  plain_meaning  plain_alternative  source

`variants` are other spellings, abbreviations and expansions of the same term, separated by
`|`. Regular plurals, -ing forms and hyphen or space variants need not be listed: matching
handles them. Entries in `bureaucratic.tsv` are words with a plainer alternative rather than
jargon to define.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

HEADER = ("term", "variants", "plain_meaning", "plain_alternative", "source")
BUREAUCRATIC = "bureaucratic"
MAX_MEANING_WORDS = 30  # "about 25 words", with room for a long proper name


class GlossaryError(Exception):
    """Every problem found in the glossaries, one `file:line: message` per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    term: str
    variants: tuple[str, ...]
    category: str
    meaning: str
    alternative: str
    source: str
    origin: str  # file:line, for messages

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.variants)

    @property
    def is_bureaucratic(self) -> bool:
        return self.category == BUREAUCRATIC


def is_acronym(form: str) -> bool:
    """A form written in capitals ("ITT", "UK GDPR", "ISO 9001") is matched case-sensitively."""
    letters = [word for word in re.findall(r"[A-Za-z]+", form)]
    return bool(letters) and all(word.isupper() and len(word) >= 2 for word in letters)


def form_key(form: str) -> str:
    """How two forms are compared for duplicates: capitals kept for acronyms only."""
    form = re.sub(r"[\s\-‐‑–]+", " ", form.strip())
    return form if is_acronym(form) else form.lower()


def builtin_paths() -> list[Path]:
    """The glossaries shipped with plainbid: inside the wheel, or beside the package in a
    checkout."""
    packaged = resources.files("plainbid").joinpath("glossaries")
    if packaged.is_dir():
        return sorted(Path(str(p)) for p in packaged.iterdir() if p.name.endswith(".tsv"))
    checkout = Path(__file__).resolve().parent.parent / "glossaries"
    return sorted(checkout.glob("*.tsv"))


def read_file(path: Path) -> tuple[list[Entry], list[str]]:
    """Parse one glossary file; return its entries and the problems found in it."""
    entries: list[Entry] = []
    problems: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        return [], [f"{path}: cannot be read as UTF-8 text ({error})"]
    header_seen = False
    for number, line in enumerate(lines, start=1):
        where = f"{path}:{number}"
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if not header_seen:
            header_seen = True
            if tuple(cells) != HEADER:
                problems.append(f"{where}: the header must be the columns {' '.join(HEADER)}")
                return [], problems
            continue
        if len(cells) != len(HEADER):
            problems.append(
                f"{where}: {len(cells)} columns, expected {len(HEADER)} (tab-separated)"
            )
            continue
        term, variants, meaning, alternative, source = cells
        for column, value in (("term", term), ("plain_meaning", meaning), ("source", source)):
            if not value:
                problems.append(f"{where}: {column} is empty")
        if len(meaning.split()) > MAX_MEANING_WORDS:
            problems.append(
                f"{where}: plain_meaning has {len(meaning.split())} words; keep it to about 25"
            )
        if "|" in alternative:
            problems.append(f"{where}: give one plain_alternative, not several")
        entries.append(
            Entry(
                term=term,
                variants=tuple(v.strip() for v in variants.split("|") if v.strip()),
                category=path.stem,
                meaning=meaning,
                alternative=alternative,
                source=source,
                origin=where,
            )
        )
    if not header_seen:
        problems.append(f"{path}: empty glossary (no header)")
    return entries, problems


def cross_check(entries: list[Entry]) -> list[str]:
    """Problems between entries: a form used twice, a variant that is another entry's term."""
    problems: list[str] = []
    owner: dict[str, Entry] = {}
    for entry in entries:
        for form in entry.forms:
            key = form_key(form)
            other = owner.get(key)
            if other is not None and other is not entry:
                what = "term" if form_key(other.term) == key else "variant"
                problems.append(
                    f"{entry.origin}: '{form}' is already a {what} of '{other.term}' ({other.origin})"
                )
            elif other is None:
                owner[key] = entry
    return problems


def load(extra: list[str] | None = None, builtin: bool = True) -> list[Entry]:
    """Load the shipped glossaries and any extra files; raise GlossaryError on any problem."""
    paths = (builtin_paths() if builtin else []) + [Path(p) for p in extra or []]
    entries: list[Entry] = []
    problems: list[str] = []
    for path in paths:
        if not path.is_file():
            problems.append(f"{path}: no such glossary file")
            continue
        found, trouble = read_file(path)
        entries += found
        problems += trouble
    problems += cross_check(entries)
    if problems:
        raise GlossaryError(problems)
    return entries
