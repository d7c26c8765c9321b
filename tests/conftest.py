"""Shared fixtures: the real-document corpus, builders for test documents, and a CLI runner.

The corpus lives outside the project (several files are not openly licensed) and is read in
place from ../shared/corpus relative to the project root; it is never copied.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import CORPUS_DIR
from hypothesis import settings

# Property tests: a short, repeatable run in CI; HYPOTHESIS_PROFILE=long searches much further.
settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.fail(
            f"corpus folder {CORPUS_DIR} is absent: the tests read the real documents there"
        )
    return CORPUS_DIR


@pytest.fixture
def invoke() -> Callable[..., Result]:
    """Run the CLI in-process; every run is checked for a leaked traceback."""
    from plainbid.cli import cli

    def run(args: list[str], **kwargs) -> Result:
        runner = CliRunner()
        result = runner.invoke(cli, args, **kwargs)
        assert "Traceback" not in result.output, result.output
        assert "Traceback" not in result.stderr, result.stderr
        # An exception escaping the command is a crash, whatever the exit code.
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"CLI crashed: {result.exception!r}\n{result.output}")
        return result

    return run


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, for the HTML report and web page tests."""
    from browser import launch

    yield from launch()
