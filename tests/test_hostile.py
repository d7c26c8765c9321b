"""Hostile and broken documents: plainbid keeps working, loses nothing and lets nothing in.

Every case of the corpus in `hostile_corpus.py` is read on its own and through the command
beside a good document: a clear one-line message or the right text, no traceback, bounded time,
nothing written but the report, no network, and no terminal escape from a document reaching the
terminal. Then the whole corpus is checked as one pack in a fresh process, with its memory
measured; and the time and memory limits are shown stopping documents that would run too long
or grow too big.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hostile_corpus import CASES, GOOD_TEXT, PDF_TEXT, big_docx, build, stream_bomb
from test_pack_and_errors import _docx_bytes, _pdf_bytes

import plainbid
from plainbid.config import Settings
from plainbid.model import Document
from plainbid.readers import ReadLimits, read_pack, shown
from plainbid.readers.isolation import read_all

# Escape (CSI and OSC sequences), bell and the one-byte CSI: none may reach a terminal.
TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b")
# JSON on standard output; findings never change the exit status, only unreadable files do.
JSON = ["--format", "json", "--fail-on", "never"]
# The slowest case reads in under 2 s here; this leaves room for a slow CI machine.
SECONDS_PER_CASE = 20


# -- watching for network access ------------------------------------------------------------


class _Canary(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.hits: list[str] = []

        class Handler(socketserver.BaseRequestHandler):
            def handle(inner) -> None:
                inner.request.settimeout(1)
                try:
                    first = inner.request.recv(200)
                except OSError:
                    first = b""
                self.hits.append(first.decode("latin-1"))

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture(scope="module")
def canary():
    """A local server the corpus points at: any connection to it is a fetch plainbid made."""
    server = _Canary()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address
    yield server, f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


_NETWORK_EVENTS = {
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "http.client.connect",
    "urllib.Request",
}
_watch: dict[str, str | None] = {"log": None}


def _audit(event: str, args: tuple) -> None:
    # Python-level network calls, in this process and in the forked readers, which inherit this
    # hook; they are written to a file, since a reader's memory is gone when it exits.
    log = _watch["log"]
    if log and event in _NETWORK_EVENTS:
        descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(descriptor, f"{event} {args!r}\n".encode())
        os.close(descriptor)


sys.addaudithook(_audit)


@pytest.fixture
def no_network(canary, tmp_path):
    log = tmp_path / "network.log"
    _watch["log"] = str(log)
    before = len(canary[0].hits)
    yield
    _watch["log"] = None
    assert not log.exists(), log.read_text()
    assert canary[0].hits[before:] == []


# -- the corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, canary) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    build(folder, canary[1])
    return folder


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("good")
    files = {
        "good.txt": (GOOD_TEXT + "\n").encode(),
        "good.docx": _docx_bytes(),
        "good.pdf": _pdf_bytes(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]


def _snapshot(*folders: Path) -> dict[str, int]:
    return {
        str(path): path.stat().st_size
        for folder in folders
        for path in folder.rglob("*")
        if not path.is_symlink()
    }


def _no_terminal_controls(*outputs: str) -> None:
    for output in outputs:
        for control in TERMINAL_CONTROLS:
            assert control not in output, f"{control!r} reached the terminal: {output[:500]!r}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: shown(case.name))
def test_hostile_case(case, hostile, good, invoke, tmp_path, monkeypatch, no_network):
    path = hostile / case.name
    # What the readers make of it: the expected message, or the expected text.
    pack = read_pack([str(path)])
    case.expect(pack, str(path))

    # Through the command beside a good document, from an empty folder.
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = _snapshot(hostile, good[0].parent)
    report_file = tmp_path / "out" / "report.json"
    report_file.parent.mkdir()
    started = time.monotonic()
    result = invoke(["check", str(path), str(good[0]), *JSON, "-o", str(report_file)])
    assert time.monotonic() - started < SECONDS_PER_CASE
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert result.exit_code == (2 if pack.failures else 0), result.output
    # The same outcome as the readers gave, the good document still checked, and no check
    # tripped up by the document (a check that fails would be listed as an error too).
    assert [d["path"] for d in report["documents"]] == [d.path for d in pack.documents] + [
        str(good[0])
    ]
    assert report["documents"][-1]["words"] == len(GOOD_TEXT.split())
    assert report["errors"] == [{"path": f.path, "message": f.message} for f in pack.failures]
    assert report["skipped"] == pack.skipped
    for failure in pack.failures:
        assert "\n" not in failure.message
        assert f"plainbid: cannot read {failure.path}: {failure.message}\n" in result.stderr

    # The terminal report: nothing from the document can move the cursor or retitle a window.
    text = invoke(["check", str(path), str(good[0]), "--fail-on", "never"])
    assert text.exit_code == result.exit_code
    _no_terminal_controls(text.stdout, text.stderr, result.stdout, result.stderr)
    assert f"{len(pack.documents) + 1} document(s)" in text.stdout

    # Nothing written: not beside the document, not in the working folder, not where a .zip
    # member's path points.
    assert _snapshot(hostile, good[0].parent) == before
    assert list(work.iterdir()) == []
    assert sorted(p.name for p in report_file.parent.iterdir()) == ["report.json"]
    assert not (hostile / "escaped-absolute.txt").exists()
    assert not (hostile.parent / "evil.txt").exists() and not (work.parent / "evil.txt").exists()


def test_corpus_has_every_kind_of_case():
    assert len(CASES) >= 30
    names = {case.name for case in CASES}
    assert len(names) == len(CASES)


_MEASURE = """
import json, resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({
    "seconds": time.monotonic() - started,
    "exit": done.returncode,
    "stdout": done.stdout,
    "stderr": done.stderr,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def test_whole_corpus_as_one_pack_in_a_fresh_process(hostile, good, tmp_path, no_network):
    """Every case in one folder with the good documents: each is reported once, every good
    document is checked, in bounded time and memory (the command and all its readers)."""
    work = tmp_path / "work"
    work.mkdir()
    output = tmp_path / "report.json"
    before = _snapshot(hostile, good[0].parent)
    command = [sys.executable, "-m", "plainbid", "check", str(hostile), *map(str, good)]
    command += [*JSON, "-o", str(output)]
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    run = json.loads(measured.stdout)
    assert "Traceback" not in run["stderr"], run["stderr"]
    assert run["exit"] == 2, run["stderr"]
    assert run["seconds"] < 90
    # The stream bomb's reader is the largest: a few hundred MB, far under the 2 GB limit.
    assert run["max_rss_mb"] < 1500, run["max_rss_mb"]
    report = json.loads(output.read_text(encoding="utf-8"))

    documents = [d["path"] for d in report["documents"]]
    errors = [e["path"] for e in report["errors"]]
    skipped = [line.split(": skipped")[0] for line in report["skipped"]]
    assert documents[-3:] == [str(path) for path in good]
    assert all(d["words"] > 0 for d in report["documents"][-3:])
    assert len(set(documents)) == len(documents) and len(set(errors)) == len(errors)
    for case in CASES:
        name = shown(str(hostile / case.name))
        outcomes = [
            p for p in documents + errors + skipped if p == name or p.startswith(name + "!")
        ]
        assert outcomes, f"{case.name} is missing from the report"
    assert all("check failed" not in e["message"] for e in report["errors"])
    _no_terminal_controls(run["stderr"])
    assert _snapshot(hostile, good[0].parent) == before
    assert list(work.iterdir()) == []


# -- the limits -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_pdf(tmp_path_factory) -> Path:
    """A PDF whose content stream inflates to 512 MB: seconds of work and over 1 GB of memory."""
    path = tmp_path_factory.mktemp("slow") / "slow.pdf"
    path.write_bytes(stream_bomb(512))
    return path


def test_time_limit_flag_stops_a_slow_document_and_the_rest_is_checked(
    invoke, slow_pdf, good, tmp_path
):
    started = time.monotonic()
    result = invoke(["check", str(slow_pdf), *map(str, good), "--time-limit", "0.5", *JSON])
    assert time.monotonic() - started < 15
    report = json.loads(result.stdout)
    assert report["errors"] == [
        {
            "path": str(slow_pdf),
            "message": (
                "took longer than 0.5 s to read and check; not checked "
                "(--time-limit sets the limit)"
            ),
        }
    ]
    assert [d["path"] for d in report["documents"]] == [str(path) for path in good]
    assert result.exit_code == 2
    assert multiprocessing.active_children() == []


def test_time_limit_from_the_config_file(invoke, slow_pdf, good, tmp_path):
    config = tmp_path / "plainbid.toml"
    config.write_text("time-limit = 0.5\n", encoding="utf-8")
    result = invoke(["check", str(slow_pdf), str(good[0]), "--config", str(config), *JSON])
    report = json.loads(result.stdout)
    assert report["errors"][0]["message"].startswith("took longer than 0.5 s to read")
    assert [d["path"] for d in report["documents"]] == [str(good[0])]


def test_memory_limit_turns_a_pdf_bomb_into_a_message(invoke, slow_pdf, good, tmp_path):
    """PDFium aborts when it cannot allocate: the reader dies, the command says why."""
    config = tmp_path / "plainbid.toml"
    config.write_text("memory-limit = 200\n", encoding="utf-8")
    result = invoke(["check", str(slow_pdf), str(good[0]), "--config", str(config), *JSON])
    report = json.loads(result.stdout)
    [error] = report["errors"]
    assert error["path"] == str(slow_pdf)
    assert "needs more than the 200 MB memory limit" in error["message"]
    assert error["message"].endswith("not checked") or error["message"].endswith(
        "(split it, or raise memory-limit)"
    )
    assert [d["path"] for d in report["documents"]] == [str(good[0])]


def test_memory_limit_turns_a_huge_word_document_into_a_message(tmp_path, good):
    """150 MB of real paragraphs is under the unpacked-size limit; in 300 MB the XML parser
    runs out of memory, which is reported with the limit."""
    huge = tmp_path / "huge.docx"
    huge.write_bytes(big_docx(150))
    assert huge.stat().st_size < 2**20
    pack = read_pack([str(huge), str(good[1])], limits=ReadLimits(memory_limit_mb=300))
    # Where the allocation fails (inflating the part, or parsing it) decides which of the two
    # messages it is: the worker's MemoryError, or the worker stopped by the allocator.
    [failure] = pack.failures
    assert failure.path == str(huge)
    assert failure.message in (
        "needs more than the 300 MB memory limit to read and check; not checked "
        "(split it, or raise memory-limit)",
        "stopped the reader (SIGABRT): it needs more than the 300 MB memory limit or is damaged; "
        "not checked",
        "stopped the reader (SIGSEGV): it needs more than the 300 MB memory limit or is damaged; "
        "not checked",
    )
    assert [d.path for d in pack.documents] == [str(good[1])]


def _read_text(name: str, data: bytes) -> Document:
    from plainbid.readers import read_bytes

    return read_bytes(name, data)


def test_a_reader_that_crashes_is_reported_and_the_others_are_read():
    def crash() -> bytes:
        os.kill(os.getpid(), signal.SIGSEGV)
        return b""

    outcomes = read_all(
        [
            ("first.txt", lambda: b"First words."),
            ("crash.txt", crash),
            ("last.txt", lambda: b"Last."),
        ],
        _read_text,
        ReadLimits(),
    )
    first, crashed, last = (outcome for outcome, _ in outcomes)
    assert first.blocks[0].text == "First words."
    assert crashed.path == "crash.txt"
    assert crashed.message == (
        "stopped the reader (SIGSEGV): it needs more than the 2048 MB memory limit or is "
        "damaged; not checked"
    )
    assert last.blocks[0].text == "Last."


def test_documents_are_read_in_parallel_workers_in_order():
    """Four documents that each take 0.6 s to load are read side by side by four workers, and
    the outcomes keep the order the documents were given in."""

    def slow(text: bytes):
        def load() -> bytes:
            time.sleep(0.6)
            return text

        return load

    jobs = [(f"{n}.txt", slow(f"Document {n}.".encode())) for n in range(4)]
    started = time.monotonic()
    outcomes = read_all(jobs, _read_text, ReadLimits(workers=4))
    took = time.monotonic() - started
    assert [outcome.blocks[0].text for outcome, _ in outcomes] == [
        f"Document {n}." for n in range(4)
    ]
    assert took < 4 * 0.6


def test_without_fork_documents_are_read_in_process(monkeypatch):
    import plainbid.readers.isolation as isolation

    monkeypatch.setattr(isolation.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    outcomes = read_all([("a.txt", lambda: b"Read here.")], _read_text, ReadLimits())
    assert outcomes[0][0].blocks[0].text == "Read here."


def test_a_document_read_in_a_worker_equals_one_read_in_process(tmp_path):
    """The worker sends back the same Document, block for block, as reading in process."""
    from plainbid.readers import read_bytes

    data = _pdf_bytes(PDF_TEXT)
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    [isolated] = read_pack([str(path)]).documents
    assert isolated == read_bytes(str(path), data)


def test_debug_brings_a_readers_traceback_back_from_the_worker():
    def broken() -> bytes:
        raise ValueError("a reader bug")

    [(failure, trace)] = read_all([("bug.txt", broken)], _read_text, ReadLimits(), debug=True)
    assert failure.message.startswith("could not be read (ValueError)")
    assert "ValueError: a reader bug" in trace
    [(_, no_trace)] = read_all([("bug.txt", broken)], _read_text, ReadLimits())
    assert no_trace is None


def test_when_no_worker_can_start_the_document_is_read_here(monkeypatch):
    import plainbid.readers.isolation as isolation

    def no_process(*_args):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(isolation._Pool, "_start", no_process)
    outcomes = read_all([("a.txt", lambda: b"Still read.")], _read_text, ReadLimits())
    assert outcomes[0][0].blocks[0].text == "Still read."


def test_a_paragraph_too_long_to_check_whole_is_checked_in_parts():
    """One sentence of 25,000 characters: the checks parse a sentence at a time, and some of
    their work grows with the square of its length, so it is split at spaces, keeping every
    word and the paragraph's location, and the user is told."""
    from plainbid.nlp import count_words
    from plainbid.readers import MAX_BLOCK_CHARS, read_bytes

    sentence = " ".join(f"word{n}" for n in range(3000))
    text = f"A short first paragraph.\n\n{sentence}\n\nEnd. Two sentences here."
    document = read_bytes("long.txt", text.encode())
    first, *parts, last = document.blocks
    assert first.text == "A short first paragraph." and last.text == "End. Two sentences here."
    assert len(parts) == 3
    assert all(len(part.text) <= MAX_BLOCK_CHARS for part in parts)
    assert " ".join(part.text for part in parts) == sentence
    assert {part.location for part in parts} == {first.location.__class__(paragraph=2, line=3)}
    assert sum(count_words(block.text) for block in document.blocks) == count_words(text)
    assert document.notes == [
        "1 paragraph(s) longer than 10,000 characters, checked in parts: paragraph 2, line 3"
    ]


def test_a_long_paragraph_is_cut_at_a_sentence_end():
    from plainbid.readers import read_bytes

    sentences = [f"Sentence number {n} ends here." for n in range(600)]
    document = read_bytes("long.txt", " ".join(sentences).encode())
    assert len(document.blocks) == 2
    assert all(block.text.endswith("ends here.") for block in document.blocks)


def test_one_huge_sentence_is_checked_in_bounded_time(invoke, tmp_path):
    """100,000 characters without a full stop: checked in parts in about 2 s; checked whole it
    took 14 s here, and four times as long for each doubling."""
    words = ["the", "supplier", "must", "provide", "evidence", "of", "TUPE", "compliance"]
    line = " ".join(words[n % len(words)] for n in range(16_000))
    path = tmp_path / "one-sentence.txt"
    path.write_text(line, encoding="utf-8")
    started = time.monotonic()
    result = invoke(["check", str(path), *JSON])
    assert time.monotonic() - started < SECONDS_PER_CASE
    [document] = json.loads(result.stdout)["documents"]
    assert document["words"] == 16_000
    assert document["notes"][0].startswith("1 paragraph(s) longer than 10,000 characters")


NASTY_CASES = ["escapes.txt", "escapes.md", "escapes.pdf", "script.docx", "rtl-emoji.docx"]


@pytest.mark.parametrize("output_format", ["json", "sarif", "html", "markdown"])
def test_hostile_text_is_carried_safely_in_every_format(invoke, hostile, output_format):
    """Quotes, backslashes, separators and control characters keep JSON and SARIF valid;
    <script> from a document is never live markup in HTML or Markdown."""
    import jsonschema

    paths = [str(hostile / name) for name in NASTY_CASES]
    result = invoke(["check", *paths, "--format", output_format, "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    output = result.stdout
    if output_format in ("json", "sarif"):
        parsed = json.loads(output)
        if output_format == "sarif":
            schema_file = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
            schema = json.loads(schema_file.read_text(encoding="utf-8"))
            jsonschema.Draft7Validator(schema).validate(parsed)
        # The readers drop control characters: the escape's ESC is gone, its visible rest kept.
        assert "\\u001b" not in output and "[31m" in output
    else:
        assert "<script>alert" not in output and "<script>x" not in output


# -- the limits cover the checks, not only reading ------------------------------------------


@pytest.fixture(scope="module")
def long_text(tmp_path_factory, corpus) -> Path:
    """About 280,000 words of real tender text (the D6 specification four times): read in a
    fraction of a second, checked in many seconds and a few hundred MB."""
    from helpers import corpus_file

    [specification] = read_pack([str(corpus_file(corpus, "D6"))]).documents
    text = "\n\n".join(block.text for block in specification.blocks)
    path = tmp_path_factory.mktemp("long") / "long.txt"
    path.write_text("\n\n".join([text] * 4), encoding="utf-8")
    return path


def test_time_limit_covers_the_checks(long_text, good):
    settings = Settings(time_limit=2)
    # Reading alone is well inside the limit ...
    assert not read_pack([str(long_text)], limits=ReadLimits(time_limit=2)).failures
    # ... reading and checking is not: the document is stopped, the others are checked.
    started = time.monotonic()
    report = plainbid.check([str(long_text), *map(str, good)], settings=settings)
    assert time.monotonic() - started < 30
    assert [(f.path, f.message) for f in report.failures] == [
        (
            str(long_text),
            "took longer than 2 s to read and check; not checked (--time-limit sets the limit)",
        )
    ]
    assert [d.document.path for d in report.documents] == [str(path) for path in good]
    assert multiprocessing.active_children() == []


def test_memory_limit_covers_the_checks(long_text, good, tmp_path):
    """In a fresh process, as the command runs: the limit counts from the process's size when
    the worker forks, and a long-lived process (this one) has freed memory a worker may reuse
    without asking for more."""
    # Reading takes under 10 MB; parsing 280,000 words for the checks takes far more.
    assert not read_pack([str(long_text)], limits=ReadLimits(memory_limit_mb=30)).failures
    config = tmp_path / "plainbid.toml"
    config.write_text("memory-limit = 30\ntime-limit = 300\n", encoding="utf-8")
    command = [sys.executable, "-m", "plainbid", "check", str(long_text), str(good[0])]
    done = subprocess.run(
        [*command, "--config", str(config), *JSON],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    report = json.loads(done.stdout)
    [error] = report["errors"]
    assert error["path"] == str(long_text)
    assert "needs more than the 30 MB memory limit" in error["message"]
    assert [d["path"] for d in report["documents"]] == [str(good[0])]
