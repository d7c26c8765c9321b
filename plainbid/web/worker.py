"""Run one check in its own process, with a time limit that is really enforced.

A thread cannot be stopped, so each check runs in a child process that is killed when the
time limit passes; the web server goes on serving everyone else. On Linux and macOS the
children are forked from a `forkserver` that has already loaded spaCy and the glossaries
(`plainbid.web._preload`), so a check starts in milliseconds and every request gets its own
copy of everything: nothing a request does can be seen by another. Where there is no
forkserver (Windows) the children are spawned and load plainbid each time.

The child gets the documents as bytes and sends back plain data (strings, bytes, dicts); no
document text touches the disk or a log on the way.
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
    the JSON report with its errors), "config" (the server's glossaries are broken), "missing"
    (no such output in this version) or "error" (a bug in plainbid)."""

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
    """The child process: do the job, send one `Outcome`, exit."""
    try:
        outcome = do_job(job)
    except Exception as error:  # anything unexpected is reported, never a traceback page
        outcome = Outcome(
            "error", message=f"the check failed ({type(error).__name__}); please report this"
        )
    send.send(outcome)
    send.close()


def do_job(job: Job) -> Outcome:
    from plainbid.formatters import FORMATTERS, applicant_glossary
    from plainbid.glossary import GlossaryError
    from plainbid.model import Pack, ReadFailure
    from plainbid.readers import ReadError, read_bytes
    from plainbid.report import build_report

    pack = Pack(documents=[])
    for name, data in job.files:
        try:
            pack.documents.append(read_bytes(name, data))
        except ReadError as error:
            pack.failures.append(ReadFailure(error.path, error.message))
        except MemoryError:
            pack.failures.append(ReadFailure(name, "is too large to read in memory; split it"))
        except Exception as error:
            # The CLI's message for a file a reader chokes on (less its --debug hint).
            pack.failures.append(
                ReadFailure(
                    name,
                    f"could not be read ({type(error).__name__}); if it opens in Word or a "
                    "PDF viewer, save a fresh copy and try again",
                )
            )
    failures = [{"path": f.path, "message": f.message} for f in pack.failures]
    try:
        report = build_report(pack, job.settings)
    except GlossaryError as error:
        return Outcome("config", message=f"the glossaries have problems: {error}")
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
