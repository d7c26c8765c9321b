"""Documents read in a second process while the first check warms up (`isolation.read_ahead`).

Importing spaCy and building the checks' tables takes a second or two with the second CPU idle,
so the command reads the pack's documents meanwhile. What it reads must be exactly what the
workers would have read, a document it had not finished must be read again, and a crash there
must cost nothing but that document's second reading.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import corpus_file

import plainbid.readers
from plainbid.model import Document, ReadFailure
from plainbid.readers import read_bytes, read_pack
from plainbid.readers.isolation import ReadLimits, read_ahead, read_all


def _wait_for(path: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


def _text_job(name: str, text: str) -> tuple[str, object]:
    data = text.encode("utf-8")
    return name, lambda: data


def test_what_was_read_ahead_comes_back_and_a_document_still_being_read_is_left(tmp_path):
    jobs = [
        _text_job("one.txt", "The first document.\n"),
        _text_job("two.txt", "The second document.\n"),
        _text_job("slow.txt", "A document that takes for ever to read.\n"),
    ]
    marker = tmp_path / "reading-the-slow-one"

    def read(name: str, data: bytes) -> Document:
        if name == "slow.txt":
            marker.touch()
            time.sleep(600)  # still reading when the main process is ready: stopped
        return read_bytes(name, data)

    stop = read_ahead(jobs, read, ReadLimits())
    _wait_for(marker)
    already = stop()
    assert sorted(already) == [0, 1]
    for index, (name, load) in enumerate(jobs[:2]):
        (document, trace), seconds = already[index]
        assert trace is None and seconds >= 0
        assert document == read_bytes(name, load())


def test_a_crash_while_reading_ahead_costs_only_a_second_reading(tmp_path, monkeypatch):
    """The reading process dies on a file: the documents it had sent are kept, and the file is
    read again by a worker, which dies too and reports it; the file after it is read once."""
    main = os.getpid()
    names = ["a-good.txt", "b-crash.txt", "c-good.txt"]
    for name in names:
        (tmp_path / name).write_text(f"The text of {name}.\n", encoding="utf-8")
    readings = tmp_path / "readings"
    readings.mkdir()

    def read(name: str, data: bytes) -> Document:
        reader, file = os.getpid(), Path(name).name
        (readings / f"{file}-{reader}").touch()
        if file == "b-crash.txt" and reader != main:
            os._exit(3)
        return read_bytes(name, data)

    def prepare(documents: int) -> None:
        assert documents == 3
        _wait_for_reading(readings, "b-crash.txt")

    monkeypatch.setattr(plainbid.readers, "read_bytes", read)
    pack = read_pack(
        [str(tmp_path / name) for name in names],
        prepare=prepare,
        read_ahead=True,
    )
    assert [Path(d.path).name for d in pack.documents] == ["a-good.txt", "c-good.txt"]
    [failure] = pack.failures
    assert Path(failure.path).name == "b-crash.txt"
    assert "stopped the reader (exit status 3)" in failure.message
    read_by = sorted(path.name.rsplit("-", 1)[0] for path in readings.iterdir())
    assert read_by == ["a-good.txt", "b-crash.txt", "b-crash.txt", "c-good.txt"]


def _wait_for_reading(folder: Path, name: str) -> None:
    deadline = time.monotonic() + 60
    while not any(path.name.startswith(name) for path in folder.iterdir()):
        assert time.monotonic() < deadline, f"{name} was never read ahead"
        time.sleep(0.01)
    time.sleep(0.2)  # let that process die before it is stopped: either way the test holds


def test_time_spent_reading_ahead_counts_against_the_time_limit():
    job = _text_job("late.txt", "Read ahead, but slowly.\n")
    limits = ReadLimits(time_limit=5)
    [(document, _)] = read_all([job], read_bytes, limits, spent=[0.0])
    assert isinstance(document, Document)
    [(failure, _)] = read_all([job], read_bytes, limits, spent=[5.0])
    assert isinstance(failure, ReadFailure)
    assert failure.message.startswith("took longer than 5 s to read and check")


def test_a_pack_read_ahead_is_the_pack_read_by_the_workers(corpus, tmp_path):
    """Real documents (Word, PDF) and files that cannot be read, in command-line order,
    however many of them the second process has read by the time it is stopped."""
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << >> endobj\n")
    paths = [
        str(corpus_file(corpus, "D1")),
        str(empty),
        str(corpus_file(corpus, "D8")),
        str(broken),
        str(tmp_path / "missing.txt"),
        str(corpus_file(corpus, "D3")),
    ]
    usual = read_pack(paths, prepare=lambda documents: None)
    for pause in (0.0, 0.3, 3.0):

        def prepare(documents: int, pause: float = pause) -> None:
            time.sleep(pause)

        assert read_pack(paths, prepare=prepare, read_ahead=True) == usual
    assert len(usual.documents) == 3 and len(usual.failures) == 3


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_reads_ahead_only_with_a_cpu_to_spare(corpus, tmp_path, jobs):
    """The real command: with two processes allowed it reads ahead; with `--jobs 1` it does not
    (one process at a time). The reports are the same."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    paths = [str(corpus_file(corpus, "D8")), str(empty), str(corpus_file(corpus, "D2"))]
    command = [sys.executable, "-X", "importtime", "-m", "plainbid", "check", "--debug"]
    done = subprocess.run(
        [*command, "--format", "json", "--jobs", jobs, *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert [Path(document["path"]).name for document in report["documents"]] == [
        Path(paths[0]).name,
        Path(paths[2]).name,
    ]
    assert [error["path"] for error in report["errors"]] == [str(empty)]
    # `-X importtime` lists on stderr each module a process imports (`--debug` leaves the
    # other processes' stderr open). The main process imports the PDF library once, before the
    # workers start; the reading-ahead process imports it too, to read the PDF.
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert imported.count("pypdfium2") == (2 if jobs == "2" else 1)


def test_without_a_process_to_spare_every_document_is_still_read(tmp_path, monkeypatch):
    """The system is out of processes: neither the reading ahead nor the workers can start,
    and every document is read in this process instead."""
    import multiprocessing.context

    def no_process(self) -> None:
        raise OSError("fork: resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", no_process)
    paths = []
    for name in ("one.txt", "two.md"):
        (tmp_path / name).write_text(f"# {name}\n\nThe text of {name}.\n", encoding="utf-8")
        paths.append(str(tmp_path / name))
    pack = read_pack(paths, prepare=lambda documents: None, read_ahead=True)
    assert [Path(d.path).name for d in pack.documents] == ["one.txt", "two.md"]
    assert pack.failures == []
