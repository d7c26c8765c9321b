"""The one error a reader raises: it carries a message a person can act on."""

from __future__ import annotations


class ReadError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
