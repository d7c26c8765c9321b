"""plainbid's benchmark (issue 8): speed and memory against the goals, beside the tools it is
compared with, on the same inputs in the same run.

    .venv/bin/python benchmarks/run.py            # the full run (about 30-60 minutes)
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats (about 10-20 minutes)

Needs the `bench` extra (`pip install -e '.[bench]'`: proselint, pyinstrument) and, for the PDF
comparisons, `pdftotext` (Debian/Ubuntu: `apt-get install -y poppler-utils`). The inputs are
built once into `benchmarks/.inputs/` (ignored by git) from real prose: see `inputs.py`.

Every row is a whole process, timed from the outside; peak memory is the process's maximum
resident set size, from `/usr/bin/time -v` where it exists, else from
`getrusage(RUSAGE_CHILDREN)` in a small wrapper process per run. Each command runs N times
(5, or 2 with --quick; fewer when one run takes minutes, so that a row stays within a time
budget) with the tools being compared interleaved, and the goals use the minimum: the machine
may be shared, and the minimum is the run least disturbed by others.

It prints one table and the goals, and writes both to `benchmarks/RESULTS.md` with the machine.
`--profile` instead writes pyinstrument profiles of the 10k- and 100k-word runs to the cache
folder (see `benchmarks/PROFILE.md`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import inputs  # noqa: E402  (the builders beside this file)

PYTHON = sys.executable
GNU_TIME = "/usr/bin/time"
# A row's runs after the first stop once they would take longer than this in all.
BUDGET_SECONDS = {"full": 240.0, "quick": 90.0}

SPACY_BASELINE = "import spacy; spacy.blank('en')"
READ_ONLY = (
    "import sys\n"
    "from plainbid.readers import read_pack\n"
    "pack = read_pack(sys.argv[1:])\n"
    "if pack.failures:\n"
    "    sys.exit(f'failed: {pack.failures}')\n"
)
PDFPLUMBER = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf:\n"
    "    for page in pdf.pages:\n"
    "        page.extract_text()\n"
    "        page.close()\n"
)
# Runs a command and prints its peak memory: used when /usr/bin/time is missing. A fresh
# wrapper per run, so RUSAGE_CHILDREN holds exactly that command.
RUSAGE_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "wall = time.perf_counter() - start\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(wall, rss)\n"
)


def plainbid_command() -> list[str]:
    script = Path(PYTHON).parent / "plainbid"
    return [str(script)] if script.exists() else [PYTHON, "-m", "plainbid"]


def check_command(*paths: str | Path, extra: tuple[str, ...] = ()) -> list[str]:
    return [
        *plainbid_command(),
        "check",
        "--format",
        "json",
        "--fail-on",
        "never",
        "-o",
        os.devnull,
        *extra,
        *map(str, paths),
    ]


# ---------------------------------------------------------------------------------- measuring


@dataclass
class Row:
    input: str
    tool: str
    command: list[str]
    amount: float | None = None  # words or pages, for the rate
    unit: str = "words"
    note: str = ""
    times: list[float] = field(default_factory=list)
    cpu_times: list[float] = field(default_factory=list)  # user + system seconds, per run
    peak_kb: int = 0
    cpu_percent: int | None = None
    missing: str | None = None  # why the tool could not run
    # Exit statuses of a run that worked: 1 is "findings" for plainbid and proselint.
    ok_codes: tuple[int, ...] = (0, 1)
    failed: str | None = None

    @property
    def best(self) -> float | None:
        return min(self.times) if self.times else None

    @property
    def best_cpu(self) -> float | None:
        return min(self.cpu_times) if self.cpu_times else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def rate(self) -> float | None:
        if self.amount is None or not self.best:
            return None
        return self.amount / self.best

    @property
    def peak_mb(self) -> float | None:
        return self.peak_kb / 1024 if self.peak_kb else None


def run_once(row: Row) -> None:
    """One run of the row's command: its wall time, and its peak memory into the row."""
    if shutil.which(GNU_TIME) or Path(GNU_TIME).exists():
        with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
            start = time.perf_counter()
            done = subprocess.run(
                [GNU_TIME, "-v", "-o", stats.name, *row.command],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            wall = time.perf_counter() - start
            report = Path(stats.name).read_text()
        peak = _time_field(report, "Maximum resident set size (kbytes)")
        user = _time_value(report, "User time (seconds)")
        system = _time_value(report, "System time (seconds)")
        if user is not None and system is not None:
            row.cpu_times.append(user + system)
        cpu = _time_field(report, "Percent of CPU this job got")
        status = _time_field(report, "Exit status")
        if status not in row.ok_codes:
            row.failed = f"exit {status}: {done.stderr.strip()[-300:]}"
        if cpu is not None:
            row.cpu_percent = max(row.cpu_percent or 0, cpu)
    else:
        done = subprocess.run(
            [PYTHON, "-c", RUSAGE_WRAPPER, *row.command], capture_output=True, text=True
        )
        wall_text, peak_text = done.stdout.split()
        wall, peak = float(wall_text), int(peak_text)
    row.times.append(wall)
    row.peak_kb = max(row.peak_kb, peak or 0)


def _time_value(report: str, name: str) -> float | None:
    for line in report.splitlines():
        if line.strip().startswith(name):
            try:
                return float(line.rsplit(":", 1)[1])
            except ValueError:
                return None
    return None


def _time_field(report: str, name: str) -> int | None:
    for line in report.splitlines():
        if line.strip().startswith(name):
            value = line.rsplit(":", 1)[1].strip().rstrip("%")
            try:
                return int(float(value))
            except ValueError:
                return None
    return None


def measure(rows: list[Row], repeats: int, budget: float, log: Callable[[str], None]) -> None:
    """Run the rows' commands `repeats` times, interleaved (A B A B ...), so that a busy
    moment on a shared machine falls on every tool alike. A row whose runs would take more
    than `budget` seconds in all stops early (it always runs at least once)."""
    live = [row for row in rows if not row.missing]
    for attempt in range(repeats):
        for row in live:
            if row.failed or (attempt and sum(row.times) + (row.best or 0) > budget):
                continue
            run_once(row)
            log(
                f"  {row.input:<22} {row.tool:<34} run {attempt + 1}: {row.times[-1]:7.2f} s"
                f"  {row.peak_kb / 1024:6.0f} MB" + (f"  FAILED {row.failed}" if row.failed else "")
            )


# ---------------------------------------------------------------------------------- the plan


def pdftotext_missing() -> str | None:
    if shutil.which("pdftotext"):
        return None
    return "pdftotext is not installed: apt-get install -y poppler-utils"


def python_tool_missing(module: str, extra: str = "bench") -> str | None:
    done = subprocess.run([PYTHON, "-c", f"import {module}"], capture_output=True)
    if done.returncode == 0:
        return None
    return f"{module} is not installed: pip install -e '.[{extra}]'"


def proselint_command(path: Path) -> list[str]:
    script = Path(PYTHON).parent / "proselint"
    base = [str(script)] if script.exists() else [PYTHON, "-m", "proselint"]
    return [*base, "check", str(path)]


def has_jobs_option() -> bool:
    """Whether `plainbid check` can check a pack's documents in parallel (`--jobs N`)."""
    done = subprocess.run([*plainbid_command(), "check", "--help"], capture_output=True, text=True)
    return "--jobs" in done.stdout


def corpus_facts() -> list[tuple[Path, int, int | None]]:
    """(file, words, pages) of each real document in the corpus, as plainbid counts them."""
    from plainbid.nlp import count_words
    from plainbid.readers import read_pack

    facts = []
    if not inputs.CORPUS_DIR.is_dir():
        return facts
    for file in sorted(inputs.CORPUS_DIR.iterdir()):
        if file.suffix not in (".docx", ".pdf"):
            continue
        pack = read_pack([str(file)])
        for document in pack.documents:
            words = sum(count_words(block.text) for block in document.blocks)
            facts.append((file, words, document.pages))
    return facts


@dataclass
class Plan:
    groups: list[list[Row]] = field(default_factory=list)
    rows: dict[str, Row] = field(default_factory=dict)

    def group(self, *rows: tuple[str, Row]) -> None:
        """Rows measured together (their runs interleaved); each under its key."""
        self.rows.update(rows)
        self.groups.append([row for _, row in rows])


def make_plan(built: inputs.Inputs, skip: set[str]) -> Plan:
    folder = built.folder
    files = built.meta["files"]
    plan = Plan()
    no_proselint = python_tool_missing("proselint")
    no_pdfplumber = python_tool_missing("pdfplumber", "test")
    no_pdftotext = pdftotext_missing()

    def file(key: str) -> Path:
        return folder / files[key]["path"]

    def check(label: str, path: Path, amount: float, unit: str = "words") -> Row:
        return Row(label, "plainbid check", check_command(path), amount, unit)

    def read(label: str, path: Path, amount: float, unit: str = "pages") -> Row:
        command = [PYTHON, "-c", READ_ONLY, str(path)]
        return Row(label, "plainbid read_pack (reading only)", command, amount, unit, ok_codes=(0,))

    def pdf_tools(key: str, label: str, path: Path, pages: int) -> list[tuple[str, Row]]:
        pdftotext = ["pdftotext", "-q", str(path), os.devnull]
        plumber = [PYTHON, "-c", PDFPLUMBER, str(path)]
        return [
            (f"{key}-read", read(label, path, pages)),
            (f"{key}-pdftotext", Row(label, "pdftotext", pdftotext, pages, "pages",
                                     missing=no_pdftotext)),
            (f"{key}-pdfplumber", Row(label, "pdfplumber (text of every page)", plumber, pages,
                                      "pages", missing=no_pdfplumber)),
        ]  # fmt: skip

    if "text" not in skip:
        # Goal 2: a 10k-word document end to end, against starting spaCy alone.
        path, words = file("text-10k"), files["text-10k"]["words"]
        plan.group(
            ("spacy-blank", Row("(none)", "python -c spacy.blank('en')",
                                [PYTHON, "-c", SPACY_BASELINE])),
            ("10k-plainbid", check("text 10k words", path, words)),
            ("10k-proselint", Row("text 10k words", "proselint check", proselint_command(path),
                                  words, missing=no_proselint)),
        )  # fmt: skip
        # Goal 1: all checks on 100k words, whole process, against proselint.
        path, words = file("text-100k"), files["text-100k"]["words"]
        plan.group(
            ("100k-plainbid", check("text 100k words", path, words)),
            ("100k-proselint", Row("text 100k words", "proselint check",
                                   proselint_command(path), words, missing=no_proselint)),
        )  # fmt: skip
    if "pdf" not in skip:
        # Goal 3: reading PDFs apart from the checks, against pdfplumber and pdftotext.
        for key, label in (("pdf-200", "PDF 200 pages"), ("pdf-1000", "PDF 1,000 pages")):
            path, pages = file(key), files[key]["pages"]
            plan.group(
                *pdf_tools(key, label, path, pages),
                (f"{key}-check", check(label, path, pages, "pages")),
            )
    if "docx" not in skip:
        label = "docx 100k words, 30 tables"
        path, words = file("docx-100k"), files["docx-100k"]["words"]
        plan.group(
            ("docx-read", read(label, path, words, "words")),
            ("docx-check", check(label, path, words)),
        )
    if "pack" not in skip:
        # Goal 4: the 16-document pack on 2 cores.
        label = "pack of 16 documents"
        pack, words = file("pack-16"), files["pack-16"]["words"]
        documents = sorted(str(p) for p in pack.iterdir())
        many_cpus = (os.cpu_count() or 1) > 2 and shutil.which("taskset")
        pin = ["taskset", "-c", "0,1"] if many_cpus else []
        one_by_one = " ; ".join(shlex.join(check_command(d)) for d in documents)
        two_at_a_time = (
            "printf '%s\\0' "
            + " ".join(shlex.quote(d) for d in documents)
            + " | xargs -0 -n 1 -P 2 "
            + shlex.join(check_command())
        )
        if has_jobs_option():
            rows = [
                ("pack-serial", Row(label, "plainbid check --jobs 1",
                                    [*pin, *check_command(pack, extra=("--jobs", "1"))], words)),
                ("pack-plainbid", Row(label, "plainbid check --jobs 2",
                                      [*pin, *check_command(pack, extra=("--jobs", "2"))], words)),
            ]  # fmt: skip
        else:
            rows = [
                ("pack-plainbid", Row(label, "plainbid check (one process)",
                                      [*pin, *check_command(pack)], words)),
            ]  # fmt: skip
        plan.group(
            *rows,
            ("pack-16-processes", Row(label, "16 x plainbid check, one after another",
                                      [*pin, "sh", "-c", one_by_one], words)),
            ("pack-xargs", Row(label, "16 x plainbid check, 2 at a time",
                               [*pin, "sh", "-c", two_at_a_time], words,
                               note="peak is one process's")),
        )  # fmt: skip
    if "scale" not in skip:
        # Goal 5a: 1M words against 100k words (the 100k row is reused).
        label = f"text 1M words ({files['text-1m']['parts']} files)"
        plan.group(("1m-plainbid", check(label, file("text-1m"), files["text-1m"]["words"])))
    if "corpus" not in skip:
        facts = corpus_facts()
        rows = []
        for path, words, pages in facts:
            short = path.name.split("_")[0]
            if path.suffix == ".pdf" and pages:
                short += f" ({pages} p.)"
                rows += pdf_tools(f"corpus-{path.name}", f"corpus {short}", path, pages)
            rows.append((f"corpus-check-{path.name}", check(f"corpus {short}", path, words)))
        if facts:
            total = sum(words for _, words, _ in facts)
            command = check_command(*(path for path, _, _ in facts))
            rows.append(
                ("corpus-all", Row("corpus, all 8 as one pack", "plainbid check", command, total))
            )
            plan.group(*rows)
    return plan


def memory_over_documents(folder: Path, log: Callable[[str], None]) -> dict | None:
    log("  1,000 documents in one process (Python API) ...")
    done = subprocess.run(
        [PYTHON, str(HERE / "memory_loop.py"), str(folder)], capture_output=True, text=True
    )
    if done.returncode:
        log(f"  memory loop failed: {done.stderr.strip()[-500:]}")
        return None
    return json.loads(done.stdout)


# ---------------------------------------------------------------------------------- goals


@dataclass
class Goal:
    name: str
    target: str
    measured: str
    met: bool | None  # None: could not be measured
    row: str | None = None  # the key of the row it is shown beside

    @property
    def short(self) -> str:
        """What the ratio is against, for the table's goal column."""
        return self.name.split(": ", 1)[-1]

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT met", None: "not measured"}[self.met]


def evaluate(rows: dict[str, Row], loop: dict | None, jobs: bool) -> list[Goal]:
    goals: list[Goal] = []

    def ok(*keys: str) -> bool:
        return all(k in rows and rows[k].best and not rows[k].failed for k in keys)

    if ok("100k-plainbid", "100k-proselint"):
        ratio = rows["100k-plainbid"].rate / rows["100k-proselint"].rate
        goals.append(
            Goal(
                "100k words, all checks, whole process: words/s vs proselint",
                ">= 3x",
                f"{ratio:.2f}x",
                ratio >= 3,
                "100k-plainbid",
            )
        )
    else:
        goals.append(
            Goal("100k words, all checks, whole process: words/s vs proselint", ">= 3x", "-", None)
        )
    if ok("10k-plainbid", "spacy-blank"):
        ratio = rows["10k-plainbid"].best / rows["spacy-blank"].best
        goals.append(
            Goal(
                "10k-word document end to end: time vs `spacy.blank('en')`",
                "<= 1.5x",
                f"{ratio:.2f}x",
                ratio <= 1.5,
                "10k-plainbid",
            )
        )
    else:
        goals.append(
            Goal("10k-word document end to end: time vs `spacy.blank('en')`", "<= 1.5x", "-", None)
        )
    for key, label in (("pdf-1000", "1,000-page PDF"), ("pdf-200", "200-page PDF")):
        if ok(f"{key}-read", f"{key}-pdfplumber"):
            ratio = rows[f"{key}-read"].rate / rows[f"{key}-pdfplumber"].rate
            goals.append(
                Goal(
                    f"reading the {label}: pages/s vs pdfplumber",
                    ">= 30x",
                    f"{ratio:.1f}x",
                    ratio >= 30,
                    f"{key}-read",
                )
            )
        else:
            goals.append(Goal(f"reading the {label}: pages/s vs pdfplumber", ">= 30x", "-", None))
        if ok(f"{key}-read", f"{key}-pdftotext"):
            ratio = rows[f"{key}-read"].best / rows[f"{key}-pdftotext"].best
            goals.append(
                Goal(
                    f"reading the {label}: time vs pdftotext",
                    "<= 2x",
                    f"{ratio:.2f}x",
                    ratio <= 2,
                    f"{key}-read",
                )
            )
        else:
            goals.append(Goal(f"reading the {label}: time vs pdftotext", "<= 2x", "-", None))
    if ok("pdf-1000-read"):
        peak = rows["pdf-1000-read"].peak_mb
        goals.append(
            Goal(
                "reading the 1,000-page PDF: peak memory",
                "< 200 MB",
                f"{peak:.0f} MB",
                peak < 200,
                "pdf-1000-read",
            )
        )
    if ok("pack-plainbid"):
        if jobs and ok("pack-serial"):
            ratio = rows["pack-serial"].best / rows["pack-plainbid"].best
            goals.append(
                Goal(
                    "16-document pack on 2 cores: speed-up over one after another",
                    ">= 1.6x",
                    f"{ratio:.2f}x",
                    ratio >= 1.6,
                    "pack-plainbid",
                )
            )
        else:
            goals.append(
                Goal(
                    "16-document pack on 2 cores: speed-up over one after another",
                    ">= 1.6x",
                    "1.00x (no parallel checking to compare: plainbid reads a pack's documents "
                    "in worker processes but checks them one after another in one process, at "
                    f"{rows['pack-plainbid'].cpu_percent or '?'}% CPU)",
                    False,
                    "pack-plainbid",
                )
            )
        peak = rows["pack-plainbid"].peak_mb
        goals.append(
            Goal(
                "16-document pack: peak memory",
                "< 500 MB",
                f"{peak:.0f} MB",
                peak < 500,
                "pack-plainbid",
            )
        )
    if ok("1m-plainbid", "100k-plainbid"):
        ratio = rows["1m-plainbid"].best / rows["100k-plainbid"].best
        words = rows["1m-plainbid"].amount / rows["100k-plainbid"].amount
        goals.append(
            Goal(
                f"1M words vs 100k words ({words:.1f}x the words): time",
                "<= 11x",
                f"{ratio:.2f}x",
                ratio <= 11,
                "1m-plainbid",
            )
        )
    if loop:
        rss = loop["rss_mb"]
        marks = sorted(rss, key=int)
        shown = ", ".join(f"#{n}: {rss[n]:.0f} MB" for n in marks)
        base = rss.get("100") or rss[marks[0]]
        last = rss[marks[-1]]
        growth = (last - base) / base
        goals.append(
            Goal(
                f"{loop['documents']:,} documents in one process: RSS stays flat",
                "growth from document 100 to the last <= 10%",
                f"{shown} ({growth:+.0%})",
                growth <= 0.10,
            )
        )
    return goals


# ---------------------------------------------------------------------------------- output


def fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table_lines(rows: dict[str, Row], goals: list[Goal]) -> list[str]:
    """The one table: a row per input and tool, with the goals beside the rows they judge."""
    beside: dict[str, list[str]] = {}
    for goal in goals:
        beside.setdefault(goal.row or "", []).append(
            f"{goal.target} {goal.short}: {goal.measured.split(' (')[0]}, {goal.verdict}"
        )
    head = [
        "input",
        "tool",
        "runs",
        "min s",
        "median s",
        "rate (min)",
        "peak MB",
        "CPU s (min)",
        "CPU %",
        "goal",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, row in rows.items():
        if row.missing:
            cells = [row.input, row.tool, "0", "-", "-", "-", "-", "-", "-", ""]
            cells[1] += f" ({row.missing})"
        else:
            rate = f"{row.rate:,.0f} {row.unit}/s" if row.rate else "-"
            cells = [
                row.input,
                row.tool
                + (f" ({row.note})" if row.note else "")
                + (f" FAILED: {row.failed}" if row.failed else ""),
                str(len(row.times)),
                fmt(row.best),
                fmt(row.median),
                rate,
                fmt(row.peak_mb, 0),
                fmt(row.best_cpu),
                f"{row.cpu_percent}%" if row.cpu_percent is not None else "-",
                "; ".join(beside.get(key, [])),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def goal_lines(goals: list[Goal]) -> list[str]:
    lines = ["| goal | target | measured | verdict |", "|---|---|---|---|"]
    lines += [f"| {g.name} | {g.target} | {g.measured} | {g.verdict} |" for g in goals]
    return lines


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "Python": platform.python_version(),
        "OS": platform.platform(),
    }


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("plainbid", "spacy", "textstat", "pypdfium2", "pdfplumber", "proselint"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
        found["pdftotext"] = (done.stderr or done.stdout).splitlines()[0].split()[-1]
    else:
        found["pdftotext"] = "not installed"
    return found


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def write_results(
    path: Path, rows: dict[str, Row], goals: list[Goal], built: inputs.Inputs, run: dict
) -> None:
    meta = built.meta
    prose = meta["prose"]
    files = meta["files"]
    sources = ", ".join(f"{name} {words:,}" for name, words in prose["by_source"].items())
    one_m = files["text-1m"]
    lines = [
        "# Benchmark results",
        "",
        f"Made by `{run['command']}` on {run['date']}. Do not edit by hand: run it again.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in machine().items()),
        f"- load average before / after the run: {run['load_before']} / {run['load_after']} "
        "(the machine was shared with other work: goals use each row's minimum)",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()),
        f"- repeats: up to {run['repeats']} runs a row, interleaved with the tools it is "
        f"compared with; a row stops early once its runs would exceed {run['budget']:.0f} s",
        f"- peak memory: {run['memory_method']}",
        "",
        "## Results",
        "",
        *table_lines(rows, goals),
        "",
        "## Goals",
        "",
        *goal_lines(goals),
        "",
        "## Inputs",
        "",
        f"Built by `benchmarks/inputs.py` into `benchmarks/.inputs/` (not in git). Distinct prose "
        f"paragraphs: {prose['distinct_words']:,} words ({sources}).",
        "",
        f"- text 10k / 100k words: the first {files['text-10k']['words']:,} and "
        f"{files['text-100k']['words']:,} words of that prose, which are the real tender "
        "documents of `../shared/corpus/` (their distinct blocks, read with plainbid's readers) "
        "and, past those, Python's reference documentation; a .txt, paragraphs separated by "
        "blank lines.",
        f"- text 1M words: {one_m['words']:,} words in {one_m['paragraphs']:,} paragraphs, in "
        f"{one_m['parts']} .txt files checked in one run (plainbid refuses a single document "
        "of more than 2,000,000 characters, about 330,000 words), "
        f"{one_m['distinct_paragraphs']:,} of them distinct; "
        f"{one_m['distinct_share']:.0%} of the words are from distinct paragraphs "
        "(the tender corpus, Python's documentation, then docstrings of the Python standard "
        "library and installed packages: real English, but technical prose unlike a tender's).",
        f"- PDF 200 / 1,000 pages: that prose set in 12pt Helvetica on A4 by fpdf2, about "
        "290 words a page as in a typical tender document "
        f"({files['pdf-200']['words']:,} and {files['pdf-1000']['words']:,} words).",
        f"- docx 100k words: {files['docx-100k']['words']:,} words, a heading every 20 "
        "paragraphs and 30 question tables (6 rows x 3 columns) of real paragraphs.",
        f"- pack of 16 documents: 6 .docx, 5 .pdf, 5 .txt, {files['pack-16']['words']:,} words, "
        "each a different slice of the prose.",
        f"- {files['many']['documents']:,} documents of about 300 words each (every tenth a "
        ".docx, every tenth a one-page PDF, the rest .txt), each a different slice, checked in "
        "turn by one process through the Python API (`benchmarks/memory_loop.py`).",
        "",
    ]
    if run.get("loop"):
        loop = run["loop"]
        lines += [
            f"The {loop['documents']:,}-document run took {loop['seconds']:.0f} s for "
            f"{loop['words']:,} words; RSS at each checkpoint: "
            + ", ".join(f"document {n}: {mb:.0f} MB" for n, mb in loop["rss_mb"].items())
            + ".",
            "",
        ]
    path.write_text("\n".join(lines))


# ---------------------------------------------------------------------------------- profile


def profile(built: inputs.Inputs, log: Callable[[str], None]) -> None:
    """pyinstrument profiles of the 10k- and 100k-word runs, whole process (imports too): a
    call tree and a flat list of the functions that take the most time, per input."""
    if python_tool_missing("pyinstrument"):
        sys.exit("pyinstrument is not installed: pip install -e '.[bench]'")
    for key in ("text-10k", "text-100k"):
        path = built.folder / built.meta["files"][key]["path"]
        session = built.folder / f"profile-{key}.pyisession"
        arguments = check_command(path)[len(plainbid_command()) :]
        record = [PYTHON, "-m", "pyinstrument", "-r", "pyisession", "-o", str(session)]
        subprocess.run([*record, "-m", "plainbid", *arguments], stdout=subprocess.DEVNULL)
        for kind, options in (("tree", []), ("flat", ["-p", "flat=true"])):
            out = built.folder / f"profile-{key}-{kind}.txt"
            load = [PYTHON, "-m", "pyinstrument", "--load", str(session), "-r", "text"]
            subprocess.run([*load, *options, "-o", str(out)], check=True)
            log(f"wrote {out}")


# ---------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 runs a row instead of 5")
    parser.add_argument("--repeats", type=int, help="runs a row (overrides --quick)")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["text", "pdf", "docx", "pack", "scale", "memory", "corpus"],
        help="leave out a part (repeatable)",
    )
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md")
    parser.add_argument("--profile", action="store_true", help="write pyinstrument profiles")
    parser.add_argument("--inputs", type=Path, default=inputs.CACHE_DIR, help="cache folder")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the inputs (testing)")
    args = parser.parse_args()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    built = inputs.build_all(args.inputs, scale=args.scale, log=log)
    if args.profile:
        profile(built, log)
        return
    repeats = args.repeats or (2 if args.quick else 5)
    budget = BUDGET_SECONDS["quick" if args.quick else "full"]
    if pdftotext_missing() and "pdf" not in args.skip:
        log(f"NOTE: {pdftotext_missing()}; its rows and goals are left out")
    run = {
        "command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "load_before": load(),
        "repeats": repeats,
        "budget": budget,
        "memory_method": "maximum resident set size from `/usr/bin/time -v`"
        if Path(GNU_TIME).exists()
        else "getrusage(RUSAGE_CHILDREN).ru_maxrss in a wrapper process per run",
    }
    skip = set(args.skip)
    plan = make_plan(built, skip)
    for group in plan.groups:
        log(f"{group[0].input}:")
        measure(group, repeats, budget, log)
    loop = (
        None
        if "memory" in skip
        else memory_over_documents(built.folder / built.meta["files"]["many"]["path"], log)
    )
    run["loop"] = loop
    run["load_after"] = load()
    goals = evaluate(plan.rows, loop, has_jobs_option())
    print("\n".join(table_lines(plan.rows, goals)))
    print()
    print("\n".join(goal_lines(goals)))
    if not args.no_write:
        write_results(args.results, plan.rows, goals, built, run)
        log(f"wrote {args.results}")


if __name__ == "__main__":
    main()
