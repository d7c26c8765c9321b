"""Small helpers shared by the readers."""

from __future__ import annotations


class HeadingTrail:
    """The headings above the current point, so every block knows the section it sits in."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []
        # Kept as headings are entered: every block asks for it.
        self.path: str | None = None

    def enter(self, level: int, title: str) -> None:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, title.strip()))
        self.path = " > ".join(title for _, title in self._stack) or None
