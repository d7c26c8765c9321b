"""What every check module provides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from plainbid.config import Settings
    from plainbid.model import Finding, Pack, Rule


@dataclass
class CheckOutput:
    findings: list[Finding] = field(default_factory=list)
    # Extra JSON sections per document path (e.g. {"terms": [...]}) and for the pack.
    document_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    pack_data: dict[str, Any] = field(default_factory=dict)


class Check(Protocol):
    RULES: tuple[Rule, ...]

    def run(self, pack: Pack, settings: Settings) -> CheckOutput: ...
