"""The Python API: `plainbid.check(paths, **options) -> Report` and `Report.to_json()`."""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import plainbid
from plainbid.config import Settings
from plainbid.report import Report

TEXT = "# Scope\n\nBids must follow the TUPE rules prior to the visit.\n"


def test_import_is_light_and_names_load_when_used():
    code = (
        "import sys, plainbid\n"
        "assert 'spacy' not in sys.modules, 'spaCy loaded at import'\n"
        "assert 'plainbid.report' not in sys.modules\n"
        "assert callable(plainbid.check)\n"
        "assert plainbid.Report.__name__ == 'Report'\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
    assert {"check", "Report", "Settings", "load_settings"} <= set(dir(plainbid))


def test_check_returns_the_report_the_cli_writes_as_json(invoke, tmp_path):
    source = tmp_path / "itt.md"
    source.write_text(TEXT, encoding="utf-8")
    report = plainbid.check(source)
    assert isinstance(report, Report)
    assert [d.document.path for d in report.documents] == [str(source)]
    assert "PB101" in {f.rule.code for f in report.findings}
    cli = invoke(["check", str(source), "--format", "json"])
    assert report.to_json() == cli.stdout
    out = tmp_path / "report.json"
    invoke(["check", str(source), "--format", "json", "-o", str(out)])
    assert out.read_bytes() == report.to_json().encode("utf-8")


def test_paths_may_be_one_path_or_many(tmp_path):
    first = tmp_path / "a.md"
    second = tmp_path / "b.txt"
    first.write_text(TEXT, encoding="utf-8")
    second.write_text("See the KPI table.\n", encoding="utf-8")
    assert len(plainbid.check(str(first)).documents) == 1
    assert [d.document.path for d in plainbid.check([first, str(second)]).documents] == [
        str(first),
        str(second),
    ]


def test_options_are_settings_and_win_over_given_settings(tmp_path):
    source = tmp_path / "itt.md"
    source.write_text(TEXT, encoding="utf-8")
    base = dataclasses.replace(Settings(), allow=["TUPE"])
    accepted = plainbid.check(source, settings=base)
    assert "PB101" not in {f.rule.code for f in accepted.findings}
    ignored = plainbid.check(source, settings=base, allow=[], ignore=["PB104"])
    codes = {f.rule.code for f in ignored.findings}
    assert "PB101" in codes and "PB104" not in codes
    assert base.allow == ["TUPE"]  # the settings passed in are not changed


def test_unreadable_files_are_listed_not_raised(tmp_path):
    report = plainbid.check([tmp_path / "missing.docx"])
    assert report.documents == []
    assert [f.message for f in report.failures] == ["does not exist; check the path"]


def test_project_config_is_used_when_loaded(tmp_path):
    (tmp_path / "plainbid.toml").write_text('allow = ["TUPE"]\n', encoding="utf-8")
    source = tmp_path / "itt.md"
    source.write_text(TEXT, encoding="utf-8")
    settings = plainbid.load_settings(Path(tmp_path))
    assert "PB101" not in {f.rule.code for f in plainbid.check(source, settings=settings).findings}


def test_a_check_that_fails_in_a_worker_is_reported_and_not_run_again(tmp_path, monkeypatch):
    """A bug in one check loses that check's findings, not the others', and the failure seen in
    the worker is replayed in the pack-wide pass: the work is not redone outside the worker's
    time and memory limits."""
    from plainbid.checks import placeholders

    calls_here = []

    def broken(text: str, carry: bool = False):
        calls_here.append(os.getpid())
        raise ValueError("a bug")

    monkeypatch.setattr(placeholders, "find_placeholders", broken)
    source = tmp_path / "itt.md"
    source.write_text(
        "# Tender\n\nThe Supplier shall utilise TUPE. Insert [Buyer name] here.\n",
        encoding="utf-8",
    )
    report = plainbid.check(source)
    assert [failure.message for failure in report.failures] == [
        "the placeholders check failed (ValueError: a bug); the other checks ran; "
        "please report this"
    ]
    assert {finding.rule.code for finding in report.findings} >= {"PB101", "PB104"}
    assert calls_here == []  # called in the worker only


def test_what_a_worker_found_that_cannot_travel_is_found_again_here(tmp_path, monkeypatch):
    """A bug that makes a check's per-document result unpicklable must not lose the document:
    it comes back without what the worker found, and the checks run on it here."""
    from plainbid.checks import burden

    class Words(int):  # defined in a function: pickle cannot find it again
        pass

    with pytest.raises((AttributeError, pickle.PicklingError)):
        pickle.dumps(Words(1))
    counted = burden.document_words.__wrapped__
    monkeypatch.setattr(
        burden, "document_words", burden.per_document(lambda document: Words(counted(document)))
    )
    source = tmp_path / "itt.md"
    source.write_text("# Tender\n\nThe Supplier shall utilise TUPE.\n", encoding="utf-8")
    report = plainbid.check(source)
    assert report.failures == []
    [document] = report.documents
    assert document.words == 6 and document.data["burden"]["words"] == 6
