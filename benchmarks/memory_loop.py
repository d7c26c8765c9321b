"""One process checks many documents in turn through plainbid's Python API and reports its
resident memory (RSS) as it goes: memory should stay flat, not grow with each document.

    python benchmarks/memory_loop.py FOLDER [--checkpoints 1,100,500,1000]

Prints one JSON object: {"documents", "seconds", "words", "rss_mb": {"1": ..., "100": ...}}.
Each document is checked alone with `plainbid.check`, as a server or an editor plugin that
checks documents one after another would: read and analysed in a forked worker, so the parse
and the words it adds to spaCy's vocabulary leave with the worker; this process keeps only the
report, which is dropped before the next document.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def rss_mb() -> float:
    """This process's resident set size now, from /proc (Linux); falls back to the peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(folder: Path, checkpoints: set[int], limit: int | None = None) -> dict:
    """Check every file in `folder` in turn (the first `limit`); RSS in MB after each
    checkpoint's document."""
    import plainbid

    files = sorted(p for p in folder.iterdir() if p.is_file())[:limit]
    checkpoints = {n for n in checkpoints if n <= len(files)} | {len(files)}
    found: dict[str, float] = {}
    words = 0
    start = time.perf_counter()
    for number, file in enumerate(files, 1):
        report = plainbid.check(str(file))
        words += sum(d.words for d in report.documents)
        del report
        if number in checkpoints:
            found[str(number)] = round(rss_mb(), 1)
    seconds = time.perf_counter() - start
    return {"documents": len(files), "seconds": round(seconds, 2), "words": words, "rss_mb": found}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--checkpoints", default="1,100,500,1000")
    args = parser.parse_args()
    checkpoints = {int(n) for n in args.checkpoints.split(",")}
    json.dump(run(args.folder, checkpoints), sys.stdout)
    print()


if __name__ == "__main__":
    main()
