"""Read each document in its own worker process, with a time limit and a memory limit.

A hostile or broken file can make a reader spin for minutes or ask for gigabytes (a PDF content
stream that inflates to a few GB, a Word part built to blow up). A thread cannot be stopped, so
each document is read in a child process forked from this one: the child limits its own address
space (RLIMIT_AS), so a bomb becomes a MemoryError or a crash in the child; the parent kills a
child that runs past the time limit. Either way the file gets a one-line failure and every other
document is still read. Children run side by side, one per CPU, which also reads big packs
faster.

Forking is cheap (a few milliseconds) and needs no re-import of plainbid or spaCy. Where `fork`
is missing (Windows), unsafe (macOS, whose system libraries may crash a forked child) or not
allowed (inside a daemon process, such as a web server's worker, which does its own isolation)
documents are read in this process, and only the size, page and text limits apply.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import TypeVar

from plainbid.model import Document, ReadFailure
from plainbid.readers.errors import ReadError

TIME_LIMIT_SECONDS = 30.0
MEMORY_LIMIT_MB = 2048

T = TypeVar("T")

# One document to read: the name shown to the user, and how to get its bytes (called in the
# worker, so a .zip member is inflated there, under the worker's limits).
Job = tuple[str, Callable[[], bytes]]
# What reading one document gives: the document or a failure, and the traceback for --debug.
Outcome = tuple[Document | ReadFailure, str | None]


@dataclass(frozen=True)
class ReadLimits:
    """Limits on reading one document; 0 turns a limit off."""

    time_limit: float = TIME_LIMIT_SECONDS
    memory_limit_mb: int = MEMORY_LIMIT_MB
    # Worker processes at once; None: one per CPU, no more than there are documents.
    workers: int | None = None


def read_all(
    jobs: list[Job],
    read: Callable[[str, bytes], Document],
    limits: ReadLimits,
    debug: bool = False,
    spent: list[float] | None = None,
) -> list[Outcome]:
    """Read every job, in worker processes when the platform allows; outcomes in job order.

    `spent`, when given, is the seconds each job has had already (`read_ahead`), counted
    against its time limit."""
    if not jobs:
        return []
    if not can_isolate():
        return [read_one(name, load, read, limits, debug=debug) for name, load in jobs]
    return _Pool(read, limits, debug).run(jobs, spent or [0.0] * len(jobs))


# What `read_ahead` gives: each job read in full, by index, with the seconds its reading took.
ReadAlready = dict[int, tuple[Outcome, float]]


def read_ahead(
    jobs: list[Job],
    read: Callable[[str, bytes], Document],
    limits: ReadLimits,
    debug: bool = False,
) -> Callable[[], ReadAlready]:
    """Start reading `jobs`, in order, in a forked process, while this process gets ready to
    check them (importing spaCy and building the checks' tables takes a second or two, with
    the second CPU idle). Return a function that stops that process and gives what it read
    in full by then; the other jobs are read the usual way.

    That process reads under the memory limit. A document it has not finished, or on which it
    crashed, is simply read again by a worker, where the time limit and the crash message
    apply; the seconds a finished one took count against its time limit (`read_all`'s
    `spent`). A thread here receives the documents as they come, so that the pipe never fills.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_read_in_order,
        args=(send, jobs, read, limits, debug),
        name="plainbid-read-ahead",
        daemon=True,
    )
    already: ReadAlready = {}
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "This process .* is multi-threaded")
            process.start()
    except OSError:  # no process to be had: every document is read the usual way
        receive.close()
        return lambda: already
    finally:
        send.close()

    def take_in() -> None:
        # Ends when the process ends: the pipe then says so (EOFError, also for a message cut
        # short by `stop`).
        with contextlib.suppress(Exception):
            while True:
                index, outcome, seconds = receive.recv()
                already[index] = (outcome, seconds)

    taker = threading.Thread(target=take_in, name="plainbid-read-ahead", daemon=True)
    taker.start()

    def stop() -> ReadAlready:
        process.kill()
        process.join()
        taker.join()
        process.close()
        receive.close()
        return already

    return stop


def _read_in_order(
    send: Connection,
    jobs: list[Job],
    read: Callable[[str, bytes], Document],
    limits: ReadLimits,
    debug: bool,
) -> None:
    _become_worker(debug)
    for index, (name, load) in enumerate(jobs):
        limit_memory(limits.memory_limit_mb)  # counted from this process's size now, each time
        started = time.monotonic()
        outcome = read_one(name, load, read, limits, debug, isolated=True)
        send.send((index, outcome, time.monotonic() - started))
    send.close()


def can_isolate() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and sys.platform != "darwin"
        and not multiprocessing.current_process().daemon
    )


def read_one(
    name: str,
    load: Callable[[], bytes],
    read: Callable[[str, bytes], Document],
    limits: ReadLimits,
    debug: bool = False,
    isolated: bool = False,
) -> Outcome:
    """Read one document; any error becomes a `ReadFailure` with a message a person can use.

    `isolated` says this runs in a worker under the memory limit, so a MemoryError means the
    document needs more than the limit."""
    try:
        return read(name, load()), None
    except ReadError as error:
        return ReadFailure(error.path, error.message), None
    except MemoryError:
        return ReadFailure(name, _too_big(limits, isolated)), None
    except RecursionError:
        return ReadFailure(name, "is nested too deeply to read; not checked"), None
    except Exception as error:
        message = (
            f"could not be read ({type(error).__name__}); if it opens in Word or a PDF viewer, "
            "save a fresh copy and try again (--debug shows details)"
        )
        return ReadFailure(name, message), traceback.format_exc() if debug else None


def _too_big(limits: ReadLimits, isolated: bool) -> str:
    if limits.memory_limit_mb and isolated:
        return (
            f"needs more than the {limits.memory_limit_mb} MB memory limit to read and check; "
            "not checked (split it, or raise memory-limit)"
        )
    return "is too large to read in memory; split it"


class _Pool:
    def __init__(
        self, read: Callable[[str, bytes], Document], limits: ReadLimits, debug: bool
    ) -> None:
        self.read = read
        self.limits = limits
        self.debug = debug
        self.context = multiprocessing.get_context("fork")

    def run(self, jobs: list[Job], spent: list[float]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(jobs)
        waiting = deque(enumerate(jobs))
        running: dict[Connection, tuple[int, str, BaseProcess, float]] = {}
        workers = self.limits.workers or min(cpu_count(), len(jobs))
        try:
            while waiting or running:
                while waiting and len(running) < workers:
                    index, (name, load) = waiting.popleft()
                    try:
                        receive, process = self._start(name, load)
                    except OSError:
                        # No process to be had (the system is out of them, or of memory):
                        # read this one here rather than not at all.
                        outcomes[index] = read_one(name, load, self.read, self.limits, self.debug)
                        continue
                    running[receive] = (index, name, process, time.monotonic() - spent[index])
                if not running:
                    continue
                for receive in wait(list(running), timeout=self._next_deadline(running)):
                    index, name, process, _ = running.pop(receive)
                    outcomes[index] = self._collect(receive, name, process)
                now = time.monotonic()
                for receive, (index, name, process, started) in list(running.items()):
                    if self.limits.time_limit and now - started >= self.limits.time_limit:
                        del running[receive]
                        _stop(process, receive)
                        outcomes[index] = (
                            ReadFailure(
                                name,
                                f"took longer than {self.limits.time_limit:g} s to read and "
                                "check; not checked (--time-limit sets the limit)",
                            ),
                            None,
                        )
        finally:
            # Interrupted (Ctrl-C): no worker outlives the command.
            for receive, (_, _, process, _) in running.items():
                _stop(process, receive)
        return [outcome for outcome in outcomes if outcome is not None]

    def _start(self, name: str, load: Callable[[], bytes]) -> tuple[Connection, BaseProcess]:
        receive, send = self.context.Pipe(duplex=False)
        process = self.context.Process(
            target=self._child, args=(send, name, load), name="plainbid-reader", daemon=True
        )
        # Objects that exist now are left out of the child's garbage collections, which would
        # otherwise touch (and so copy) every page of this process's memory. (If something
        # froze objects already, it meant them to stay frozen: they are left so.)
        frozen_already = gc.get_freeze_count() > 0
        gc.freeze()
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns when a process with threads forks. plainbid's only other
                # threads are OpenBLAS's idle workers (loaded with spaCy), which are fork-safe,
                # and the child uses nothing they hold.
                warnings.filterwarnings("ignore", "This process .* is multi-threaded")
                process.start()
        finally:
            if not frozen_already:
                gc.unfreeze()
            # The parent keeps only the reading end: when the child exits, the pipe says so.
            send.close()
        return receive, process

    def _child(self, send: Connection, name: str, load: Callable[[], bytes]) -> None:
        _become_worker(self.debug)
        limit_memory(self.limits.memory_limit_mb)
        outcome = read_one(name, load, self.read, self.limits, self.debug, isolated=True)
        try:
            send.send(outcome)
        except MemoryError:
            send.send((ReadFailure(name, _too_big(self.limits, isolated=True)), None))
        except Exception:
            # What the checks found here cannot be sent (a bug: something in it does not
            # pickle): the document goes back without it and is checked in the main process.
            # (Nothing was written: `send` pickles the whole outcome before writing.)
            document, trace = outcome
            if not isinstance(document, Document) or not document.cache:
                raise
            document.cache.clear()
            send.send((document, trace))
        send.close()

    def _next_deadline(self, running: dict) -> float | None:
        if not self.limits.time_limit:
            return None
        first = min(started for _, _, _, started in running.values())
        return max(0.0, first + self.limits.time_limit - time.monotonic())

    def _collect(self, receive: Connection, name: str, process: BaseProcess) -> Outcome:
        try:
            outcome: Outcome = receive.recv()
        except (EOFError, OSError):
            process.join()
            outcome = (ReadFailure(name, self._crash_message(process.exitcode)), None)
        # A worker that has answered is done; one that lingers on its way out is stopped.
        process.join(1)
        _stop(process, receive)
        return outcome

    def _crash_message(self, exitcode: int | None) -> str:
        how = f"exit status {exitcode}"
        if exitcode is not None and exitcode < 0:
            with contextlib.suppress(ValueError):
                how = signal.Signals(-exitcode).name
        limit = (
            f"needs more than the {self.limits.memory_limit_mb} MB memory limit"
            if self.limits.memory_limit_mb
            else "needs more memory than there is"
        )
        return f"stopped the reader ({how}): it {limit} or is damaged; not checked"


def _become_worker(debug: bool) -> None:
    # The parent reports what happened here; nothing from a library reaches the terminal.
    faulthandler.disable()
    if not debug:
        _silence_output()


def _stop(process: BaseProcess, receive: Connection) -> None:
    if process.is_alive():
        process.kill()
    process.join()
    process.close()
    receive.close()


def can_split() -> bool:
    """Whether one document's work may be shared with a second process (`start_beside`):
    fork is safe (Linux; on macOS a forked process can crash in the system libraries) and
    there is a second CPU to run on."""
    return sys.platform == "linux" and cpu_count() > 1


def start_beside(task: Callable[[], T]) -> Callable[[], T]:
    """Start `task` in a forked child process, and return a function that waits for its result.

    The child dies with this process (so a time limit that stops this one stops both), has the
    same memory limit, and sends its result back pickled. If it cannot be started or fails in
    any way, the function returned runs `task` in this process instead. Call that function
    before this process exits: the child waits for it to read the result.
    """
    receive, send = os.pipe()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns when a process with threads forks; the child runs only `task`
            # (which must not need a lock another thread may hold) and then exits.
            warnings.filterwarnings("ignore", "This process .* is multi-threaded")
            child = os.fork()
    except OSError:
        os.close(receive)
        os.close(send)
        return task
    if child == 0:  # the child: do the task, send its result, and leave without cleaning up
        status = 1
        try:
            os.close(receive)
            _die_with_parent()
            result = task()
            with os.fdopen(send, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(send)

    def result() -> T:
        with os.fdopen(receive, "rb") as source:
            payload = source.read()
        _, status = os.waitpid(child, 0)
        if status == 0:
            with contextlib.suppress(Exception):
                return pickle.loads(payload)
        return task()

    return result


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def cpu_count() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _silence_output() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd)
    os.close(devnull)


def limit_memory(megabytes: int) -> None:
    """Let this process grow by at most `megabytes` of address space from its size now.

    It starts as a copy of plainbid (a few hundred MB of address space, spaCy included), so the
    limit is counted from there. Linux only: elsewhere RLIMIT_AS is missing or not enforced.
    """
    if not megabytes:
        return
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = size + megabytes * 2**20
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError):
        return
