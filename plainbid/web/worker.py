"""Run one check in its own process, with a time limit that is really enforced.

A thread cannot be stopped, so each check runs in a child process that is killed when the
time limit passes; the web server goes on serving everyone else. On Linux and macOS the
children are forked from a `forkserver` that has already loaded spaCy and the glossaries
(`plainbid.web._preload`), so a check starts in milliseconds and every request gets its own
copy of everything: nothing a request does can be seen by another. Where there is no
forkserver (Windows) the children are spawned and load plainbid each time.

The child gets the documents as bytes and sends back plain data (strings, bytes, dicts); no
document text touches the disk or a log on the way. Each child also caps its own memory
(`Settings.memory_limit` megabytes beyond its size when forked, through RLIMIT_AS on Linux), so
a document built to inflate to gigabytes fails that one check, not the server: a MemoryError
becomes an answer that says so, and a child the allocator kills is reported as `Crashed`.
"""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from plainbid.config import Settings

# What a child can be asked to make from the documents.
TASKS = ("page", "json", "glossary-docx", "glossary-markdown", "report-html")
GLOSSARY_TITLE = "Glossary of terms in this tender"


@dataclass
class Job:
    task: str
    files: list[tuple[str, bytes]]
    settings: Settings = field(default_factory=Settings)


@dataclass
class Outcome:
    """What came back. `status` is "ok", "unreadable" (no document could be read; `value` is
    the JSON report with its errors), "config" (the server's glossaries are broken), "memory"
    (the check needed more than the memory limit), "missing" (no such output in this version)
    or "error" (a bug in plainbid)."""

    status: str
    value: Any = None
    failures: list[dict[str, str]] = field(default_factory=list)
    message: str = ""


class Busy(Exception):
    """Every worker slot stayed taken for the whole time limit."""


class TimedOut(Exception):
    """The check ran past the time limit and was stopped."""


class Crashed(Exception):
    """The child process died without an answer (out of memory, a crash in a library)."""


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["plainbid.web._preload"])
        return context
    return multiprocessing.get_context("spawn")


class Checker:
    """Runs jobs in child processes: at most `parallel` at once, each for at most `time_limit`
    seconds. `run` blocks; call it from a worker thread (`anyio.to_thread.run_sync`)."""

    def __init__(self, time_limit: float, parallel: int) -> None:
        self.time_limit = time_limit
        self._context = _context()
        self._slots = threading.BoundedSemaphore(parallel)

    def run(self, job: Job) -> Outcome:
        if not self._slots.acquire(timeout=self.time_limit):
            raise Busy
        try:
            return self._run(job)
        finally:
            self._slots.release()

    def _run(self, job: Job) -> Outcome:
        receive, send = self._context.Pipe(duplex=False)
        process = self._context.Process(target=child_main, args=(send, job), daemon=True)
        try:
            process.start()
        except BaseException:
            send.close()
            receive.close()
            raise
        try:
            send.close()
            if not receive.poll(self.time_limit):
                raise TimedOut
            try:
                return receive.recv()
            except EOFError as error:
                raise Crashed from error
        finally:
            if process.is_alive():
                process.kill()
            process.join(5)
            receive.close()
            if process.exitcode is not None:
                process.close()


def child_main(send: Any, job: Job) -> None:
    """The child process: cap its memory, do the job, send one `Outcome`, exit."""
    from plainbid.readers.isolation import limit_memory

    limit_memory(job.settings.memory_limit)
    outcome: Outcome | None = None
    try:
        outcome = do_job(job)
    except MemoryError:
        pass  # answered below, once the failed job's memory has been let go
    except Exception as error:  # anything unexpected is reported, never a traceback page
        outcome = Outcome(
            "error", message=f"the check failed ({type(error).__name__}); please report this"
        )
    if outcome is None:
        outcome = out_of_memory(job.settings.memory_limit)
    try:
        send.send(outcome)
    except MemoryError:  # the answer itself was too big to send under the limit
        send.send(out_of_memory(job.settings.memory_limit))
    send.close()


def memory_needed(megabytes: int) -> str:
    """What a check that ran out of memory needed: more than the limit, when one is set."""
    if megabytes:
        return f"more memory than this server allows for one check ({megabytes:,} MB)"
    return "more memory than this computer has free"


def out_of_memory(megabytes: int) -> Outcome:
    """The answer for a check that ran out of memory (over `megabytes`, when that is set)."""
    raise_it = "; whoever runs the server can raise the limit (--memory-limit)" if megabytes else ""
    return Outcome(
        "memory",
        message=(
            f"These documents need {memory_needed(megabytes)}, so they were not checked. "
            f"Check them one at a time, or split a long one{raise_it}."
        ),
    )


def _too_big_to_read(megabytes: int) -> str:
    if megabytes:
        return f"needs more than the server's {megabytes:,} MB memory limit to read; split it"
    return "is too large to read in memory; split it"


# A MemoryError keeps the memory it ran out of until it is handled (its traceback holds the
# frames that allocated it), so the handlers it passes on the way must not need memory. Each
# step that may run out is therefore called from a small function: entering an exception
# handler, CPython stores the frame's instruction offset as an int, which needs no memory
# below 257 but in a long function can fail and is then retried forever (python/cpython#132508;
# seen here with Python 3.11, as a check that spun until the time limit). Answers that need
# memory are made once the handler is left.


def _read(name: str, data: bytes, memory_limit: int) -> Any:
    """The document, or a `ReadFailure` with the CLI's message for it."""
    from plainbid.model import ReadFailure
    from plainbid.readers import ReadError, read_bytes

    try:
        return read_bytes(name, data)
    except ReadError as error:
        return ReadFailure(error.path, error.message)
    except MemoryError:
        pass  # answered below, once the reader's memory has been let go
    except Exception as error:
        # The CLI's message for a file a reader chokes on (less its --debug hint).
        return ReadFailure(
            name,
            f"could not be read ({type(error).__name__}); if it opens in Word or a PDF viewer, "
            "save a fresh copy and try again",
        )
    return ReadFailure(name, _too_big_to_read(memory_limit))


def _build_report(pack: Any, settings: Settings) -> Any:
    """The report, or an `Outcome` when the glossaries are broken."""
    from plainbid.glossary import GlossaryError
    from plainbid.report import build_report

    try:
        return build_report(pack, settings)
    except GlossaryError as error:
        return Outcome("config", message=f"the glossaries have problems: {error}")


def do_job(job: Job) -> Outcome:
    from plainbid.formatters import FORMATTERS, applicant_glossary
    from plainbid.model import Pack, ReadFailure

    pack = Pack(documents=[])
    for name, data in job.files:
        read = _read(name, data, job.settings.memory_limit)
        if isinstance(read, ReadFailure):
            pack.failures.append(read)
        else:
            pack.documents.append(read)
    failures = [{"path": f.path, "message": f.message} for f in pack.failures]
    report = _build_report(pack, job.settings)
    if isinstance(report, Outcome):
        return report
    if not pack.documents:
        from plainbid.formatters import json_format

        return Outcome("unreadable", json_format.render(report), failures)
    if job.task == "json":
        from plainbid.formatters import json_format

        return Outcome("ok", json_format.render(report), failures)
    if job.task == "report-html":
        render = FORMATTERS.get("html")
        if render is None:
            return Outcome("missing", message="the HTML report is not available in this version")
        return Outcome("ok", render(report), failures)
    items = applicant_glossary.collect(report)
    if job.task == "glossary-docx":
        return Outcome("ok", applicant_glossary.to_docx(items, GLOSSARY_TITLE), failures)
    if job.task == "glossary-markdown":
        return Outcome("ok", applicant_glossary.to_markdown(items, GLOSSARY_TITLE), failures)
    page = {
        "report": report.as_dict(),
        "glossary": [asdict(item) for item in items],
        "deadline": (report.pack_data.get("proportionality") or {}).get("deadline"),
        "html_report": "html" in FORMATTERS,
    }
    return Outcome("ok", page, failures)
