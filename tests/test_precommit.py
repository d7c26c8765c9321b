"""plainbid as a pre-commit hook: the manifest, and real `pre-commit run` in a new git repo.

The repo uses `repo: local` with `language: system` running this interpreter's plainbid, so
nothing is fetched from the network; the hook's `files` pattern is the manifest's own.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import PROJECT_ROOT
from pre_commit.clientlib import load_manifest

MANIFEST = PROJECT_ROOT / ".pre-commit-hooks.yaml"


def test_manifest_is_valid_and_matches_word_pdf_text_and_markdown():
    [hook] = load_manifest(str(MANIFEST))  # pre-commit's own schema check
    assert hook["id"] == "plainbid"
    assert hook["entry"] == "plainbid check"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    # identify tags .pdf (and .docx, which it does not know) as binary: `types: [text]`
    # would make pre-commit skip them, so files are matched by name only.
    assert hook["types"] == ["file"]
    pattern = re.compile(hook["files"])
    for name in ("itt.docx", "sq.pdf", "notes.txt", "spec/README.md"):
        assert pattern.search(name), name
    for name in ("itt.doc", "prices.xlsx", "docx.py", "md.json"):
        assert not pattern.search(name), name


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


def _pre_commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    _git(repo, "add", "-A")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_hook_fails_on_undefined_jargon_and_passes_once_it_is_accepted(tmp_path):
    repo = tmp_path / "tenders"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.name", "Test")
    _git(repo, "config", "user.email", "test@example.org")
    [hook] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    config = {
        "repos": [
            {
                "repo": "local",
                "hooks": [
                    {
                        "id": hook["id"],
                        "name": hook["name"],
                        "entry": f"{sys.executable} -m plainbid check --fail-on warning",
                        "language": "system",
                        "files": hook["files"],
                        "require_serial": True,
                    }
                ],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (repo / "itt.md").write_text("Bids must follow the TUPE rules.\n", encoding="utf-8")
    (repo / "prices.csv").write_text("not,checked\n", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    failed = _pre_commit(repo, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "plainbid" in failed.stdout and "Failed" in failed.stdout
    assert "PB101 warning 'TUPE' is jargon" in failed.stdout
    assert "prices.csv" not in failed.stdout

    # Accept the term in the project's config: the hook passes.
    (repo / "plainbid.toml").write_text('allow = ["TUPE"]\n', encoding="utf-8")
    passed = _pre_commit(repo, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    # Or define it instead: the hook passes without the allow-list too.
    (repo / "plainbid.toml").unlink()
    (repo / "itt.md").write_text(
        "Bids must follow the Transfer of Undertakings (Protection of Employment) "
        "Regulations (TUPE).\n",
        encoding="utf-8",
    )
    defined = _pre_commit(repo, env)
    assert defined.returncode == 0, defined.stdout + defined.stderr
