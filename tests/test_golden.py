"""Golden files: every output format for examples/pack, compared byte for byte.

The files in tests/golden/ are what `plainbid check examples/pack --format NAME -o FILE` writes
when run from the project root. After a change that is meant to alter the output (a new rule, a
reworded message, a formatter change), regenerate them and read the diff before committing:

    .venv/bin/python tests/test_golden.py --update
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from outputs_helpers import ROOT, examples_report, output

GOLDEN = ROOT / "tests" / "golden"
# Format name -> file extension of its golden file.
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif", "markdown": "md", "html": "html"}
UPDATE = ".venv/bin/python tests/test_golden.py --update"


def golden_path(name: str) -> Path:
    return GOLDEN / f"examples.{FORMATS[name]}"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_output_matches_the_golden_file(name: str) -> None:
    path = golden_path(name)
    assert path.is_file(), f"{path} is missing; run: {UPDATE}"
    expected = path.read_text(encoding="utf-8")
    actual = output(name, examples_report())
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "golden", "now", n=1, lineterm=""
        )
        shown = "\n".join(line[:200] for line in list(diff)[:40])
        pytest.fail(f"{path.name} differs from the output; if intended, run: {UPDATE}\n{shown}")


def test_golden_files_hold_no_machine_specific_text() -> None:
    for name in FORMATS:
        text = golden_path(name).read_text(encoding="utf-8")
        assert str(ROOT) not in text, f"{name}: an absolute path of this machine"
        assert "\\" + "examples" not in text, f"{name}: a Windows path separator"
        assert "examples/pack/01-invitation-to-tender.docx" in text


def update() -> None:
    GOLDEN.mkdir(exist_ok=True)
    report = examples_report()
    for name in FORMATS:
        path = golden_path(name)
        text = output(name, report)
        changed = not path.is_file() or path.read_text(encoding="utf-8") != text
        path.write_text(text, encoding="utf-8", newline="")
        print(f"{'updated' if changed else 'unchanged'}: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(f"usage: {UPDATE}")
    update()
