"""The `plainbid` command."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path

import click

from plainbid import __version__
from plainbid.config import FAIL_ON_CHOICES, ConfigError, Settings, load_settings
from plainbid.glossary import GlossaryError


class ExitStatus(enum.IntEnum):
    CLEAN = 0  # nothing at or above the failing severity
    FINDINGS = 1  # findings at or above the failing severity
    TROUBLE = 2  # a usage or config error, or a file that could not be read


def _settings(ctx: click.Context, config: str | None, **overrides: object) -> Settings:
    try:
        settings = load_settings(config_file=config)
    except ConfigError as error:
        raise click.UsageError(str(error), ctx) from error
    for key, value in overrides.items():
        if value:  # only flags the user gave
            current = getattr(settings, key)
            setattr(settings, key, current + list(value) if isinstance(current, list) else value)
    return settings


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(click.unstyle(text), encoding="utf-8")
    else:
        click.echo(text, nl=False, color=None if "NO_COLOR" not in os.environ else False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plainbid")
def cli() -> None:
    """Check public-sector tender packs for jargon, readability and burden.

    Point it at documents (.docx, .pdf, .txt, .md), folders or .zip packs; `-` reads standard
    input.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to write the report.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    help="Exit 1 when a finding is at or above this severity [default: warning].",
)
@click.option("--glossary", "glossaries", multiple=True, help="Add your own glossary file.")
@click.option("--allow", multiple=True, help="Accept a term: never report it. Repeatable.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="Config file.")
@click.option(
    "--value", type=click.FloatRange(min=0, min_open=True), help="Contract value in £ (AMOUNT)."
)
@click.option(
    "--period",
    type=click.Choice(["annual", "total"]),
    help="Whether --value is a year's value or the whole contract's.",
)
@click.option("--years", type=click.FloatRange(min=0, min_open=True), help="Contract length.")
@click.option(
    "--ocds",
    type=click.Path(exists=True, dir_okay=False),
    help="Read the contract value and length from an OCDS release or record JSON file.",
)
@click.option("-v", "--verbose", is_flag=True, help="List notes (info findings) in text output.")
@click.option("--debug", is_flag=True, help="Show tracebacks for files that fail to read.")
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    fail_on: str | None,
    glossaries: tuple[str, ...],
    allow: tuple[str, ...],
    config: str | None,
    value: float | None,
    period: str | None,
    years: float | None,
    ocds: str | None,
    verbose: bool,
    debug: bool,
) -> None:
    """Check documents, folders or .zip packs and report what makes them hard to bid for.

    Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 a usage error or
    a file that could not be read (every other file is still checked and reported).
    """
    from plainbid.formatters import FORMATTERS
    from plainbid.formatters import text as text_format
    from plainbid.readers import read_pack
    from plainbid.report import build_report

    settings = _settings(
        ctx,
        config,
        fail_on=fail_on,
        glossaries=glossaries,
        allow=allow,
        value=value,
        period=period,
        years=years,
        ocds=ocds,
    )
    pack = read_pack(list(paths), debug=debug)
    try:
        report = build_report(pack, settings)
    except GlossaryError as error:
        raise click.UsageError(f"the glossaries have problems:\n{error}", ctx) from error
    if output_format == "text":
        _emit(text_format.render(report, verbose=verbose), output)
    else:
        _emit(FORMATTERS[output_format](report), output)
    for failure in report.failures:
        if output_format != "text" or output:
            click.echo(f"plainbid: cannot read {failure.path}: {failure.message}", err=True)
    if report.failures:
        ctx.exit(ExitStatus.TROUBLE)
    if any(settings.fails(finding.severity) for finding in report.findings):
        ctx.exit(ExitStatus.FINDINGS)
    ctx.exit(ExitStatus.CLEAN)


@cli.command()
@click.argument("code", required=False)
@click.option("--markdown", is_flag=True, help="Print the rule table as Markdown (for docs).")
def rules(code: str | None, markdown: bool) -> None:
    """List the rules plainbid checks, or explain one (e.g. `plainbid rules PB101`)."""
    from plainbid.checks import all_rules

    shown = [rule for rule in all_rules() if code is None or rule.code == code.upper()]
    if code and not shown:
        raise click.UsageError(f"no rule {code}; `plainbid rules` lists them")
    if markdown:
        click.echo(rules_markdown(shown), nl=False)
        return
    for rule in shown:
        click.echo(f"{rule.code} {rule.name} ({rule.severity.value}): {rule.summary}")
        if code:
            click.echo(f"\n{rule.why}")
            if rule.source:
                click.echo(f"Source: {rule.source}")


def rules_markdown(shown: list) -> str:
    lines = ["| code | name | severity | what it reports | why |", "|---|---|---|---|---|"]
    for rule in shown:
        lines.append(
            f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {rule.summary} | {rule.why} |"
        )
    return "\n".join(lines) + "\n"


class _DefaultToWrite(click.Group):
    """`plainbid glossary PATH...` writes a glossary; `plainbid glossary validate` checks files."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["write", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_DefaultToWrite)
def glossary() -> None:
    """Write a plain-English glossary of a pack's terms, or validate glossary files.

    `plainbid glossary PATH...` is short for `plainbid glossary write PATH...`.
    """


@glossary.command("write")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "html", "docx", "json"]),
    default="markdown",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@click.option(
    "--sort",
    type=click.Choice(["appearance", "alphabetical"]),
    default="appearance",
    show_default=True,
    help="Order of first appearance in the pack, or A to Z.",
)
@click.option("--glossary", "glossaries", multiple=True, help="Add your own glossary file.")
@click.option("--title", default="Glossary of terms in this tender", show_default=True)
@click.pass_context
def write_glossary(
    ctx: click.Context,
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    sort: str,
    glossaries: tuple[str, ...],
    title: str,
) -> None:
    """Write the applicant's glossary: every term found, with its plain meaning."""
    from plainbid.formatters import applicant_glossary
    from plainbid.readers import read_pack
    from plainbid.report import build_report

    if output_format == "docx" and not output:
        raise click.UsageError("a Word glossary needs -o FILE.docx", ctx)
    settings = _settings(ctx, None, glossaries=glossaries)
    try:
        report = build_report(read_pack(list(paths)), settings)
    except GlossaryError as error:
        raise click.UsageError(f"the glossaries have problems:\n{error}", ctx) from error
    for failure in report.failures:
        click.echo(f"plainbid: cannot read {failure.path}: {failure.message}", err=True)
    items = applicant_glossary.collect(report, sort)
    if output_format == "docx":
        Path(output).write_bytes(applicant_glossary.to_docx(items, title))
    elif output_format == "json":
        _emit(applicant_glossary.to_json(items), output)
    elif output_format == "html":
        _emit(applicant_glossary.to_html(items, title), output)
    else:
        _emit(applicant_glossary.to_markdown(items, title), output)
    if output:
        click.echo(f"plainbid: wrote {len(items)} terms to {output}", err=True)
    ctx.exit(ExitStatus.TROUBLE if report.failures else ExitStatus.CLEAN)


@glossary.command("validate")
@click.argument("files", nargs=-1, type=click.Path())
@click.pass_context
def validate_glossary(ctx: click.Context, files: tuple[str, ...]) -> None:
    """Check glossary files (and the built-in ones they join) for every problem at once."""
    from plainbid.checks.jargon import matcher_for

    try:
        matcher = matcher_for(tuple(files))
    except GlossaryError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo(f"plainbid: {len(error.problems)} problem(s) found", err=True)
        ctx.exit(ExitStatus.FINDINGS)
    click.echo(f"plainbid: {len(matcher.entries)} entries, no problems")


def main() -> None:
    try:
        cli(prog_name="plainbid")
    except KeyboardInterrupt:
        click.echo("plainbid: stopped", err=True)
        sys.exit(130)
