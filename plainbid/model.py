"""The data that flows through plainbid: documents read from a pack, and findings about them.

Readers produce `Document`s; checks read them and produce `Finding`s; formatters read a `Report`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class BlockKind(enum.StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"


@dataclass(frozen=True)
class Location:
    """Where a person finds a block: every field a reader knows, the rest None.

    `paragraph` counts the body's non-empty paragraphs from 1 (Word shows no paragraph numbers,
    so this is the count a person would make); `line` is kept for text and Markdown, where
    editors show line numbers.
    """

    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    heading: str | None = None
    line: int | None = None
    note: int | None = None
    # For text outside the body: "header", "footer", "footnote" or "endnote".
    part: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "paragraph": self.paragraph,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "heading": self.heading,
            "line": self.line,
            "note": self.note,
            "part": self.part,
        }

    def describe(self) -> str:
        """A short phrase a person can follow: 'page 3, table 2 row 4 column 1'."""
        parts = [self.part] if self.part else []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.table is not None:
            parts.append(f"table {self.table} row {self.row} column {self.column}")
        elif self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.note is not None:
            parts.append(f"note {self.note}")
        return ", ".join(parts) or "document"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    location: Location
    level: int | None = None  # heading level, 1 = top


@dataclass
class Document:
    path: str
    format: str
    blocks: list[Block]
    pages: int | None = None
    # Things the reader wants the user to know that do not stop the read (scanned pages, a
    # file named .docx that is really a PDF, a text file that was not UTF-8).
    notes: list[str] = field(default_factory=list)
    # One spaCy Doc per block, filled once by `plainbid.nlp.parsed_blocks` and shared by checks.
    parsed: list[Any] | None = field(default=None, repr=False, compare=False)
    # What the checks find in this document alone, kept by `checks.base.per_document`, so
    # each is found once per document (in the worker that read it, when there is one).
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        # A document sent back from the worker that read it travels without its spaCy parse:
        # it is large, and what the checks found in it is in `cache`.
        return {**self.__dict__, "parsed": None}


@dataclass(frozen=True)
class ReadFailure:
    """A file that could not be read: the message names the file and says what to do."""

    path: str
    message: str


@dataclass
class Pack:
    """Everything given on one command line: the documents read and the files that failed."""

    documents: list[Document]
    failures: list[ReadFailure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Rule:
    """What a check can report. Docs, SARIF rules and `plainbid rules` are built from this."""

    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    source: str = ""
    # A short piece of text the rule flags, shown by `plainbid rules CODE`.
    example: str = ""


@dataclass(frozen=True)
class Finding:
    """One thing a check found: the single type that flows from checks to formatters."""

    rule: Rule
    path: str
    message: str
    location: Location
    excerpt: str
    suggestion: str | None = None
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.code,
            "name": self.rule.name,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.as_dict(),
            "excerpt": self.excerpt,
            "suggestion": self.suggestion,
            **({"data": self.data} if self.data else {}),
        }
