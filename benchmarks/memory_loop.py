"""One process checks many documents in turn through plainbid's Python API and reports its
resident memory (RSS) as it goes: memory should stay flat, not grow with each document.

    python benchmarks/memory_loop.py FOLDER [--checkpoints 1,100,500,1000]

Prints one JSON object: {"documents", "seconds", "words", "rss_mb": {"1": ..., "100": ...}}.
Each document is read from its bytes (`plainbid.readers.read_bytes`) and checked alone
(`plainbid.report.build_report` with a one-document `Pack`), as a server or an editor plugin
that checks documents one after another would.
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
    from plainbid.config import Settings
    from plainbid.model import Pack
    from plainbid.readers import read_bytes
    from plainbid.report import build_report

    files = sorted(p for p in folder.iterdir() if p.is_file())[:limit]
    checkpoints = {n for n in checkpoints if n <= len(files)} | {len(files)}
    settings = Settings()
    found: dict[str, float] = {}
    words = 0
    start = time.perf_counter()
    for number, file in enumerate(files, 1):
        document = read_bytes(file.name, file.read_bytes())
        report = build_report(Pack(documents=[document]), settings)
        words += sum(d.words for d in report.documents)
        del document, report
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
