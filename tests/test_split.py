"""One document's work shared by two processes (`isolation.start_beside`).

With a CPU to spare (one document on two cores, the pre-commit case) a document's readability
is scored in a second process while its worker runs the other checks. The report must be the
one a single process gives, and a second process that fails must cost nothing but time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import corpus_file

import plainbid
from plainbid.readers.isolation import can_split, start_beside

ROOT = Path(__file__).resolve().parents[1]


def test_ci_can_split():
    assert can_split()  # Linux, two or more CPUs: what CI runs on, so the tests below split


def test_the_task_runs_in_another_process_and_its_result_comes_back():
    result = start_beside(lambda: (os.getpid(), os.getppid(), [1, "two", {3: 4.0}]))
    pid, parent, value = result()
    assert pid != os.getpid() and parent == os.getpid()
    assert value == [1, "two", {3: 4.0}]


def test_a_task_that_fails_in_the_other_process_runs_here():
    here = os.getpid()

    def task() -> int:
        if os.getpid() != here:
            raise RuntimeError("a crash in the second process")
        return os.getpid()

    assert start_beside(task)() == here


def test_a_result_that_cannot_travel_is_made_here():
    here = os.getpid()

    def task():
        # A lambda cannot be pickled: the second process fails to send it back.
        return (lambda: "there") if os.getpid() != here else "here"

    assert start_beside(task)() == "here"


def test_without_fork_the_task_runs_here(monkeypatch):
    def no_fork() -> int:
        raise OSError("fork: resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert start_beside(os.getpid)() == os.getpid()


@pytest.mark.parametrize("name", ["D1", "D8"])
def test_a_document_checked_by_two_processes_gets_the_report_of_one(corpus, name):
    """`jobs=1` allows one process at a time, so nothing is split; the default splits a lone
    document on two CPUs. A Word and a PDF document from the corpus."""
    path = corpus_file(corpus, name)
    split = plainbid.check(path).to_json()
    assert '"readability"' in split and '"flesch_kincaid_grade"' in split
    assert plainbid.check(path, jobs=1).to_json() == split


def test_a_failed_second_process_is_made_up_for_in_the_worker(tmp_path, monkeypatch):
    """The readability process dies at once: the worker scores the document itself."""
    from plainbid.checks import readability

    main = os.getpid()
    marker = tmp_path / "second-process-died"
    original = readability.run

    def dies_in_the_second_process(pack, settings):
        if os.getpid() != main and os.getppid() != main:  # a child of the worker
            marker.write_text(str(os.getpid()))
            os._exit(1)
        return original(pack, settings)

    monkeypatch.setattr(readability, "run", dies_in_the_second_process)
    source = tmp_path / "itt.md"
    source.write_text(
        "# Tender\n\n" + "The Supplier shall deliver the services set out below. " * 12 + "\n",
        encoding="utf-8",
    )
    report = plainbid.check(source)
    assert marker.exists()
    assert report.failures == []
    [document] = report.documents
    assert document.data["readability"]["document"]["flesch_kincaid_grade"] is not None
    assert plainbid.check(source, jobs=1).to_json() == report.to_json()


def _built_in_the_main_process(paths: list[Path], checks: int = 1, **options) -> tuple[int, int]:
    """How many pronouncing dictionaries and glossary matchers the main process of a fresh
    program that calls `plainbid.check` `checks` times builds."""
    script = textwrap.dedent(
        f"""
        import plainbid
        from plainbid.checks.jargon import matcher_for
        from plainbid.readability_scores import _first_pronunciations
        for _ in range({checks}):
            plainbid.check({[str(path) for path in paths]!r}, **{options!r})
        print(_first_pronunciations.cache_info().currsize, matcher_for.cache_info().currsize)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    dictionaries, matchers = done.stdout.split()
    return int(dictionaries), int(matchers)


def test_a_lone_document_leaves_the_dictionaries_and_the_matcher_to_its_processes(corpus, tmp_path):
    """The point of splitting: the pronouncing dictionary is loaded beside the other checks,
    and the glossary matcher beside the readability scores, not both before them. With two
    documents on two CPUs (or one process allowed) they are built once, before the workers
    are forked, so that the workers share them. Glossaries a user adds are validated before
    any document is read, so their matcher is built first whatever the pack. A long-lived
    program builds them once, on its second check, and keeps them."""
    one = corpus_file(corpus, "D7")
    other = tmp_path / "note.md"
    other.write_text("# Note\n\nBids close at noon.\n", encoding="utf-8")
    glossary = tmp_path / "ours.tsv"
    glossary.write_text(
        "term\tvariants\tplain_meaning\tplain_alternative\tsource\n"
        "grounds visit\t\tA visit to the site before bidding.\tsite visit\thttps://example.org\n",
        encoding="utf-8",
    )
    assert _built_in_the_main_process([one]) == (0, 0)
    assert _built_in_the_main_process([one], jobs=1) == (1, 1)
    assert _built_in_the_main_process([one, other]) == (1, 1)
    assert _built_in_the_main_process([one], glossaries=[str(glossary)]) == (0, 1)
    # A program that checks again keeps them from its second check on.
    assert _built_in_the_main_process([one], checks=2) == (1, 1)
