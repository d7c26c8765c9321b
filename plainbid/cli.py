"""The `plainbid` command."""

from __future__ import annotations

import contextlib
import enum
import gc
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from plainbid import __version__
from plainbid.config import (
    BAND_CHOICES,
    FAIL_ON_CHOICES,
    ConfigError,
    Settings,
    apply_settings,
    config_start,
    load_settings,
)
from plainbid.glossary import GlossaryError


class ExitStatus(enum.IntEnum):
    CLEAN = 0  # nothing at or above the failing severity
    FINDINGS = 1  # findings at or above the failing severity
    TROUBLE = 2  # a usage or config error, or a file that could not be read


def _settings(
    ctx: click.Context, config: str | None, paths: tuple[str, ...] = (), **overrides: object
) -> Settings:
    """Defaults < the config file found from the first path's folder (else the current one)
    < --config FILE < flags. List flags add to the file's list, except --select, which
    replaces it (as in ruff)."""
    try:
        settings = load_settings(config_start(list(paths)), config_file=config)
        flags: dict[str, object] = {}
        for key, value in overrides.items():
            if value:  # only flags the user gave
                current = getattr(settings, key)
                if isinstance(current, list):
                    value = list(value) if key == "select" else current + list(value)
                flags[key] = value
        return apply_settings(settings, flags, "command line")
    except ConfigError as error:
        raise click.UsageError(str(error), ctx) from error


def _codes(values: tuple[str, ...]) -> list[str]:
    """`--ignore PB104,PB202 --ignore passive-voice` -> ["PB104", "PB202", "passive-voice"]."""
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


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
    type=click.Choice(["text", "json", "sarif", "html", "markdown"]),
    default="text",
    show_default=True,
    help="How to write the report.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    help="Exit 1 when a finding is at or above this severity [default: error].",
)
@click.option(
    "--max-band",
    type=click.Choice(BAND_CHOICES),
    help="Exit 1 when the pack's proportionality band is worse than this.",
)
@click.option(
    "--select",
    multiple=True,
    help="Check only these rules: codes, prefixes (PB1) or names, comma-separated.",
)
@click.option(
    "--ignore", multiple=True, help="Skip these rules: codes, prefixes or names, comma-separated."
)
@click.option("--glossary", "glossaries", multiple=True, help="Add your own glossary file.")
@click.option("--allow", multiple=True, help="Accept a term: never report it. Repeatable.")
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False),
    help="Config file, read after the one found from the checked files' folder.",
)
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
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Give up on a document that takes longer than this to read and check [default: 30].",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Documents checked at once, each in its own process [default: one per CPU].",
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
    max_band: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    glossaries: tuple[str, ...],
    allow: tuple[str, ...],
    config: str | None,
    value: float | None,
    period: str | None,
    years: float | None,
    ocds: str | None,
    time_limit: float | None,
    jobs: int | None,
    verbose: bool,
    debug: bool,
) -> None:
    """Check documents, folders or .zip packs and report what makes them hard to bid for.

    Exit status: 0 nothing at or above --fail-on (and the band no worse than --max-band),
    1 findings at or above it (or a worse band), 2 a usage error or a file that could not be
    read (every other file is still checked and reported).
    """
    from plainbid.api import check as check_pack

    settings = _settings(
        ctx,
        config,
        paths,
        fail_on=fail_on,
        max_band=max_band,
        select=_codes(select),
        ignore=_codes(ignore),
        glossaries=glossaries,
        allow=allow,
        value=value,
        period=period,
        years=years,
        ocds=ocds,
        time_limit=time_limit,
        jobs=jobs,
    )
    try:
        report = check_pack(list(paths), settings=settings, debug=debug)
    except GlossaryError as error:
        raise click.UsageError(f"the glossaries have problems:\n{error}", ctx) from error
    # Imported only now: they import the checks, and so spaCy, which the documents are read
    # beside (`plainbid.readers.read_pack`).
    from plainbid.formatters import FORMATTERS
    from plainbid.formatters import text as text_format

    if output_format == "text":
        _emit(text_format.render(report, verbose=verbose), output)
    else:
        _emit(FORMATTERS[output_format](report), output)
    for failure in report.failures:
        if output_format != "text" or output:
            click.echo(f"plainbid: cannot read {failure.path}: {failure.message}", err=True)
    if report.failures:
        ctx.exit(ExitStatus.TROUBLE)
    band = (report.pack_data.get("proportionality") or {}).get("band", "unknown")
    if settings.band_fails(band):
        click.echo(
            f"plainbid: the pack's proportionality band is {band}, worse than "
            f"--max-band {settings.max_band}",
            err=True,
        )
        ctx.exit(ExitStatus.FINDINGS)
    if any(settings.fails(finding.severity) for finding in report.findings):
        ctx.exit(ExitStatus.FINDINGS)
    ctx.exit(ExitStatus.CLEAN)


@cli.command()
@click.argument("code", required=False)
@click.option("--markdown", is_flag=True, help="Print the rule table as Markdown (for docs).")
def rules(code: str | None, markdown: bool) -> None:
    """List the rules plainbid checks, or explain some: a code, a prefix or a name
    (`plainbid rules PB101`, `plainbid rules PB1`, `plainbid rules passive-voice`)."""
    from plainbid.checks import all_rules
    from plainbid.config import selector_rank

    shown = [
        rule
        for rule in all_rules()
        if code is None or selector_rank(code, rule.code, rule.name) not in (None, 0)
    ]
    if code and not shown:
        raise click.UsageError(f"no rule {code}; `plainbid rules` lists them")
    if markdown:
        click.echo(rules_markdown(shown), nl=False)
        return
    for index, rule in enumerate(shown):
        if code and index:
            click.echo("")
        click.echo(f"{rule.code} {rule.name} ({rule.severity.value}): {rule.summary}")
        if code:
            click.echo(f"\nWhy it matters: {rule.why}")
            if rule.example:
                click.echo(f"Example: {rule.example}")
            if rule.source:
                click.echo(f"Source: {rule.source}")


def rules_markdown(shown: list) -> str:
    lines = ["| code | name | severity | what it reports | why |", "|---|---|---|---|---|"]
    for rule in shown:
        lines.append(
            f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {rule.summary} | {rule.why} |"
        )
    return "\n".join(lines) + "\n"


@cli.command("config")
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False),
    help="Config file, read after the one found from PATH's folder.",
)
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES))
@click.option("--max-band", type=click.Choice(BAND_CHOICES))
@click.option("--select", multiple=True)
@click.option("--ignore", multiple=True)
@click.option("--allow", multiple=True)
@click.option("--glossary", "glossaries", multiple=True)
@click.option("--value", type=click.FloatRange(min=0, min_open=True))
@click.pass_context
def show_config(
    ctx: click.Context,
    path: str | None,
    config: str | None,
    fail_on: str | None,
    max_band: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    allow: tuple[str, ...],
    glossaries: tuple[str, ...],
    value: float | None,
) -> None:
    """Show the settings plainbid uses for PATH (default: the current folder), each with where
    it came from: the default, a config file, or the command line.

    The output is TOML: copy lines from it into plainbid.toml or [tool.plainbid]. The flags
    are those of `plainbid check`, to see what they change.
    """
    from plainbid.config import SETTING_NAMES

    settings = _settings(
        ctx,
        config,
        (path,) if path else (),
        fail_on=fail_on,
        max_band=max_band,
        select=_codes(select),
        ignore=_codes(ignore),
        allow=allow,
        glossaries=glossaries,
        value=value,
    )
    files = list(dict.fromkeys(o for o in settings.origins.values() if o != "command line"))
    click.echo(f"# plainbid settings for {path or '.'}")
    click.echo(f"# config files: {', '.join(files) if files else 'none found'}")
    for name in SETTING_NAMES:
        key = name.replace("_", "-")
        value = getattr(settings, name)
        line = f"{key} = {_toml(value)}" if value is not None else f"# {key} is not set"
        click.echo(f"{line:<44} # {settings.origin(name)}")


def _toml(value: object) -> str:
    """A setting's value as TOML (strings as JSON strings, which TOML reads the same)."""
    import json

    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_toml(key)} = {_toml(item)}" for key, item in value.items())
        return "{ " + items + " }" if items else "{}"
    return repr(value)


@cli.command("annotate")
@click.argument("document", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the annotated copy (.docx); never the document itself.",
)
@click.option(
    "--pack",
    "pack_paths",
    multiple=True,
    type=click.Path(exists=True),
    help="Another document, folder or .zip of the same pack: read for its definitions and "
    "totals, not annotated. Repeatable.",
)
@click.option("--select", multiple=True, help="Comment only on these rules (codes or names).")
@click.option("--ignore", multiple=True, help="Make no comment for these rules.")
@click.option("--glossary", "glossaries", multiple=True, help="Add your own glossary file.")
@click.option("--allow", multiple=True, help="Accept a term: never report it. Repeatable.")
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False),
    help="Config file, read after the one found from the document's folder.",
)
@click.pass_context
def annotate(
    ctx: click.Context,
    document: str,
    output: str,
    pack_paths: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    glossaries: tuple[str, ...],
    allow: tuple[str, ...],
    config: str | None,
) -> None:
    """Write a copy of a Word document with a comment on each finding.

    Each comment sits on the words it is about (a jargon term, a placeholder, a long
    sentence) or on the whole paragraph or cell, and gives the rule, the problem and a plainer
    alternative. The document itself is never changed. Findings about the whole pack, or in
    headers, footers and notes, have no place for a comment: `plainbid check` lists them.
    """
    from plainbid.annotate import annotate as annotate_docx
    from plainbid.api import read_and_analyse
    from plainbid.model import Pack
    from plainbid.report import build_report
    from plainbid.spans import term_surfaces

    source, target = Path(document), Path(output)
    if target.resolve() == source.resolve() or (target.exists() and target.samefile(source)):
        raise click.UsageError(
            "-o must name another file: annotate never overwrites the document it reads", ctx
        )
    settings = _settings(
        ctx,
        config,
        (document,),
        select=_codes(select),
        ignore=_codes(ignore),
        glossaries=glossaries,
        allow=allow,
    )
    try:
        own = read_and_analyse([document], settings)
        others = read_and_analyse(list(pack_paths), settings) if pack_paths else None
    except GlossaryError as error:
        raise click.UsageError(f"the glossaries have problems:\n{error}", ctx) from error
    for failure in own.failures:
        click.echo(f"plainbid: cannot read {failure.path}: {failure.message}", err=True)
        ctx.exit(ExitStatus.TROUBLE)
    read = own.documents[0]
    if read.format != "docx":
        raise click.UsageError(
            f"{document} holds {read.format}, not a Word .docx: annotate writes Word comments; "
            "`plainbid check` reports on any document",
            ctx,
        )
    others = others or Pack(documents=[])
    rest = [d for d in others.documents if Path(d.path).resolve() != source.resolve()]
    report = build_report(Pack([read, *rest], others.failures, others.skipped), settings)
    for failure in report.failures:
        click.echo(f"plainbid: cannot read {failure.path}: {failure.message}", err=True)
    mine = report.documents[0]
    result = annotate_docx(source.read_bytes(), mine.findings, term_surfaces(mine.data))
    target.write_bytes(result.data)
    message = f"plainbid: wrote {output} with {result.comments} comment(s)"
    if result.unplaced:
        message += (
            f"; {len(result.unplaced)} finding(s) about the whole pack or in headers, footers "
            "or notes have no place for a comment (`plainbid check` lists them)"
        )
    click.echo(message, err=True)
    ctx.exit(ExitStatus.TROUBLE if report.failures else ExitStatus.CLEAN)


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
    from plainbid.api import read_and_analyse
    from plainbid.formatters import applicant_glossary
    from plainbid.report import build_report

    if output_format == "docx" and not output:
        raise click.UsageError("a Word glossary needs -o FILE.docx", ctx)
    settings = _settings(ctx, None, paths, glossaries=glossaries)
    try:
        report = build_report(read_and_analyse(list(paths), settings), settings)
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


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your browser.")
@click.option(
    "--max-upload-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=20.0,
    show_default=True,
    help="Largest upload (all files together), in MB.",
)
@click.option(
    "--max-text-chars",
    type=click.IntRange(min=1),
    default=1_000_000,
    show_default=True,
    help="Longest pasted text, in characters.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds one check may take before it is stopped.",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(min=0),
    metavar="MB",
    help="Memory one check may use beyond plainbid's own, in MB; 0 for no limit "
    "[default: memory-limit in the config, else 2048].",
)
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="Config file.")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    open_browser: bool,
    max_upload_mb: float,
    max_text_chars: int,
    time_limit: float,
    memory_limit: int | None,
    config: str | None,
) -> None:
    """Start a local web page to paste text or drop files on; it keeps nothing.

    Bound to this computer only (127.0.0.1) unless --host says otherwise.
    """
    from plainbid.web.server import StartError
    from plainbid.web.server import serve as run_server

    settings = _settings(ctx, config)
    if memory_limit is not None:  # 0 (no limit) too, which _settings would take as not given
        settings = apply_settings(settings, {"memory_limit": memory_limit}, "command line")
    options = {
        "settings": settings,
        "max_upload_mb": max_upload_mb,
        "max_text_chars": max_text_chars,
        "time_limit": time_limit,
    }
    try:
        run_server(host, port, open_browser, options, echo=click.echo)
    except OSError as error:
        click.echo(
            f"plainbid: cannot listen on {host}:{port} ({error.strerror or error}); is plainbid "
            "already running? Try another --port",
            err=True,
        )
        ctx.exit(ExitStatus.TROUBLE)
    except StartError as error:
        click.echo(f"plainbid: cannot start: {error}", err=True)
        ctx.exit(ExitStatus.TROUBLE)


def main() -> None:
    # A run builds millions of objects that live to its end (spaCy, the glossaries, the
    # dictionaries) and few short-lived cycles. Python's default, a collection every 700 new
    # objects, re-scans them over and over: 10-15% of checking one document (mypy raises the
    # threshold for the same reason; benchmarks/PROFILE.md).
    gc.set_threshold(100_000, 50, 100)
    try:
        cli(prog_name="plainbid")
    except SystemExit as finished:  # how every command ends
        _end_process(finished.code)
    except KeyboardInterrupt:
        click.echo("plainbid: stopped", err=True)
        sys.exit(130)
    except MemoryError:
        # Each document is read and checked in a worker with its own memory limit; this is the
        # pack-wide pass (or a platform without workers) running out.
        click.echo(
            "plainbid: ran out of memory checking the pack; check fewer documents at once",
            err=True,
        )
        sys.exit(ExitStatus.TROUBLE)
    finally:
        # Only for the endings above that go through Python's shutdown (Ctrl-C, no memory):
        # it would garbage-collect every object spaCy, the glossaries and the dictionaries
        # made, about 0.5 s for nothing; frozen objects are skipped (benchmarks/PROFILE.md).
        gc.freeze()


def _end_process(code: object) -> NoReturn:
    """Exit with `code` as `sys.exit` would, without Python's shutdown: freeing every object
    one by one takes 50-70 ms that a pre-commit hook waits for, and the command has closed its
    files already (mypy ends the same way). A process with children still running (the web
    page's, stopped mid-check) ends normally, so that Python's shutdown stops them."""
    import multiprocessing

    if multiprocessing.active_children():
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = int(code)
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(status)
