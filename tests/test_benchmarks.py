"""benchmarks/run.py must not rot: its input builders, plan, goals and tables work on inputs
built at a tiny scale. Nothing here measures speed (no timing assertions in the test suite)."""

from __future__ import annotations

import importlib
import sys

import pytest
from helpers import PROJECT_ROOT

from plainbid.nlp import count_words
from plainbid.readers import read_pack

BENCHMARKS = PROJECT_ROOT / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module("inputs"), importlib.import_module("run")
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def built(bench, tmp_path_factory):
    inputs, _ = bench
    return inputs.build_all(tmp_path_factory.mktemp("inputs"), scale=0.005, log=lambda _: None)


def test_inputs_are_built_from_distinct_real_prose(built):
    files = built.meta["files"]
    folder = built.folder
    for key in ("text-10k", "text-100k", "text-1m"):
        path = folder / files[key]["path"]
        parts = sorted(path.iterdir()) if path.is_dir() else [path]
        text = "\n\n".join(part.read_text(encoding="utf-8") for part in parts)
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        assert len(set(paragraphs)) == len(paragraphs), key  # nothing repeated
        assert count_words(text) == files[key]["words"]
    assert files["text-1m"]["parts"] == 4
    assert files["text-100k"]["words"] >= 500
    pack = read_pack(
        [str(folder / files[k]["path"]) for k in ("pdf-200", "pdf-1000", "docx-100k", "pack-16")]
    )
    assert not pack.failures
    assert [d.pages for d in pack.documents[:2]] == [files["pdf-200"]["pages"], 5]
    assert len(pack.documents) == 3 + 16
    assert {d.format for d in pack.documents[3:]} == {"docx", "pdf", "txt"}
    assert len(list((folder / files["many"]["path"]).iterdir())) == files["many"]["documents"]


def test_cached_inputs_are_reused(bench, built):
    inputs, _ = bench
    again = inputs.build_all(built.folder, scale=0.005, log=pytest.fail)
    assert again.meta == built.meta


def test_plan_goals_and_results_table(bench, built, tmp_path):
    _, run = bench
    plan = run.make_plan(built, skip={"corpus", "pack"})
    assert {"spacy-blank", "10k-plainbid", "100k-proselint", "pdf-1000-read", "1m-plainbid"} <= set(
        plan.rows
    )
    for number, row in enumerate(plan.rows.values(), 1):  # pretend each ran twice
        row.missing = None
        row.times = [float(number), float(number) + 0.5]
        row.cpu_times = [float(number)]
        row.peak_kb = 100 * 1024
    loop = {
        "documents": 1000,
        "seconds": 1,
        "words": 9,
        "rss_mb": {"1": 150, "100": 160, "1000": 161},
    }
    goals = run.evaluate(plan.rows, loop, jobs=False)
    verdicts = {goal.name: goal.met for goal in goals}
    assert verdicts["reading the 1,000-page PDF: peak memory"] is True
    assert verdicts["1,000 documents in one process: RSS stays flat"] is True
    table = run.table_lines(plan.rows, goals)
    assert table[0].startswith("| input | tool | runs | min s | median s |")
    assert len(table) == 2 + len(plan.rows)
    results = tmp_path / "RESULTS.md"
    facts = {"command": "x", "date": "today", "load_before": "0", "load_after": "0"}
    facts |= {"repeats": 2, "budget": 1, "memory_method": "m", "loop": loop}
    run.write_results(results, plan.rows, goals, built, facts)
    text = results.read_text()
    assert "## Machine" in text and "| goal | target | measured | verdict |" in text


def test_memory_loop_checks_every_document(bench, built):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        memory_loop = importlib.import_module("memory_loop")
    finally:
        sys.path.remove(str(BENCHMARKS))
    folder = built.folder / built.meta["files"]["many"]["path"]
    result = memory_loop.run(folder, {1, 2}, limit=3)  # a .docx and two .txt
    assert result["documents"] == 3
    assert set(result["rss_mb"]) == {"1", "2", "3"}
    assert result["words"] > 0
