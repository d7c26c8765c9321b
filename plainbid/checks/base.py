"""What every check module provides, and the per-document memo the checks share."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from plainbid.config import Settings
    from plainbid.model import Document, Finding, Pack, Rule

T = TypeVar("T")


@dataclass
class CheckOutput:
    findings: list[Finding] = field(default_factory=list)
    # Extra JSON sections per document path (e.g. {"terms": [...]}) and for the pack.
    document_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    pack_data: dict[str, Any] = field(default_factory=dict)


class Check(Protocol):
    RULES: tuple[Rule, ...]

    def run(self, pack: Pack, settings: Settings) -> CheckOutput: ...


def per_document(function: Callable[..., T]) -> Callable[..., T]:
    """Keep what `function(document, *args)` returns in `document.cache`.

    Each check splits its work into what one document alone decides (kept here) and what the
    pack decides (a term defined in another document, totals, the proportionality band). The
    first part runs where the document was read, in a worker process beside the pack's other
    documents (`plainbid.checks.analyse`), and travels back with the document; the checks'
    pack-wide pass then only combines. Callers must not change what it returns; the extra
    arguments must be hashable (pass the settings a function needs, not `Settings`).
    """
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def once(document: Document, *args: Hashable) -> T:
        key = (name, *args)
        if key not in document.cache:
            try:
                document.cache[key] = function(document, *args)
            except (MemoryError, RecursionError):
                raise  # the document is too big for its worker: it fails as a whole
            except Exception as error:
                # Kept too, so a check that failed in the worker fails the same way in the
                # pack-wide pass, without doing the work again outside the worker's limits.
                document.cache[key] = CheckFailed(f"{type(error).__name__}: {error}")
                raise
        found = document.cache[key]
        if isinstance(found, CheckFailed):
            raise CheckFailed(str(found))
        return found

    return once


class CheckFailed(Exception):
    """A check's work on a document failed (in its worker, or earlier in this process)."""
