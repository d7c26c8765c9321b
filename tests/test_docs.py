"""Docs that describe the code are generated from it; these tests fail when they drift."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from plainbid.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def test_readme_rule_table_matches_the_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- rules:start -->\n") + len("<!-- rules:start -->\n")
    end = readme.index("<!-- rules:end -->")
    generated = CliRunner().invoke(cli, ["rules", "--markdown"]).output
    assert readme[start:end] == generated, "run: python tests/test_docs.py to refresh README"


def test_every_rule_has_a_summary_and_a_reason() -> None:
    from plainbid.checks import all_rules

    codes = [rule.code for rule in all_rules()]
    assert len(codes) == len(set(codes))
    for rule in all_rules():
        assert rule.summary and rule.why, rule.code
        assert rule.code[:2] == "PB" and rule.code[2:].isdigit()


def cli_reference() -> str:
    """docs/cli.md: every command's --help, as the terminal shows it at 100 columns."""
    parts = [
        "# Command-line reference\n\n",
        "Generated from the code by `python tests/test_docs.py`; do not edit by hand.\n",
    ]
    commands = [[]] + [[name] for name in cli.commands]
    commands += [["glossary", name] for name in ("write", "validate")]
    for command in commands:
        result = CliRunner().invoke(
            cli, [*command, "--help"], prog_name="plainbid", terminal_width=100
        )
        assert result.exit_code == 0, result.output
        title = " ".join(["plainbid", *command])
        parts.append(f"\n## `{title}`\n\n```text\n{result.output}```\n")
    return "".join(parts)


def test_cli_reference_matches_the_commands() -> None:
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == cli_reference(), "run: python tests/test_docs.py to refresh docs/cli.md"


def refresh_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head, rest = readme.split("<!-- rules:start -->\n")
    _, tail = rest.split("<!-- rules:end -->")
    generated = CliRunner().invoke(cli, ["rules", "--markdown"]).output
    text = f"{head}<!-- rules:start -->\n{generated}<!-- rules:end -->{tail}"
    (ROOT / "README.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    refresh_readme()
    (ROOT / "docs" / "cli.md").write_text(cli_reference(), encoding="utf-8")
