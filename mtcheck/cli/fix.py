"""``mtcheck fix``: apply the fixes that rules offer, in place and atomically."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, FailOn, check_lang, error, handle_errors, split_selectors, warn


@app.command(
    epilog=(
        "Examples: mtcheck fix article.txt | mtcheck fix corpora/ --diff | "
        "cat a.md | mtcheck fix - --stdin-filename a.md > fixed.md. "
        "Exit codes: 0 nothing left at or above --fail-on; 1 findings at or above --fail-on remain in the "
        "files as they are after the command (with --diff nothing is written, so every finding counts); "
        "2 usage, configuration or input error (the other files are still fixed)."
    )
)
@handle_errors
def fix(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin (the fixed text goes to stdout).")],
    diff: Annotated[bool, typer.Option("--diff", help="Show a unified diff of the fixes instead of writing them.")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="Also apply fixes marked unsafe (they may change meaning).")] = False,
    select: Annotated[list[str] | None, typer.Option("--select", metavar="RULES", help="Only fix findings of these rules (codes, prefixes or names).")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", metavar="RULES", help="Skip these rules.")] = None,
    source_lang: Annotated[str | None, typer.Option("--source-lang", "-s", metavar="LANG", help="Language the text was translated from.")] = None,
    target_lang: Annotated[str | None, typer.Option("--target-lang", "-t", metavar="LANG", help="Language of the text (default: detected).")] = None,
    config: Annotated[Path | None, typer.Option("--config", metavar="FILE", dir_okay=False, help="Config file (default: searched upwards).")] = None,
    fail_on: Annotated[FailOn | None, typer.Option("--fail-on", case_sensitive=False, show_default=False, help="Lowest severity of a remaining finding that makes the exit code 1 (default: warning).")] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings remain (errors still exit 2).")] = False,
    input_format: Annotated[str | None, typer.Option("--input-format", metavar="FMT", help="Read every input as text, markdown or html (default: from the extension).")] = None,
    stdin_filename: Annotated[str | None, typer.Option("--stdin-filename", metavar="NAME", help="Name (and so format) of the text read from stdin.")] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore configuration files.")] = False,
    max_file_size: Annotated[str | None, typer.Option("--max-file-size", metavar="SIZE", help="Refuse larger inputs (default 50MB or $MTCHECK_MAX_FILE_SIZE; 0 = no limit).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors (and the diff or fixed text).")] = False,
) -> None:
    """Apply safe fixes to documents, in place and atomically.

    Fixes never overlap; passes repeat until no fix applies, so a second run changes nothing.
    Files keep their encoding, BOM, line endings and permissions. Remaining findings are listed.
    """
    from mtcheck.config import load_settings
    from mtcheck.errors import InputError
    from mtcheck.fixer import fix_path
    from mtcheck.io.loaders import STDIN_NAME, parse_size
    from mtcheck.io.paths import expand_paths, normalize_format

    check_lang("--source-lang", source_lang)
    check_lang("--target-lang", target_lang)
    overrides = {
        "select": split_selectors(select) or None,
        "ignore": split_selectors(ignore) or None,
        "source_lang": source_lang,
        "target_lang": target_lang,
        "fail_on": fail_on.value if fail_on is not None else None,
    }
    settings = load_settings(config_path=str(config) if config else None, overrides=overrides, isolated=isolated)
    fmt = normalize_format(input_format)
    max_bytes = parse_size(max_file_size) if max_file_size is not None else None

    errors = 0
    failing = 0
    fixed_total = 0
    files_changed = 0
    remaining_total = 0
    out = sys.stdout
    items = expand_paths(paths)
    if not items:
        from mtcheck.errors import UsageError

        raise UsageError(f"no documents found in {', '.join(paths)}")
    for item in items:
        if isinstance(item, InputError):
            error(item)
            errors += 1
            continue
        try:
            outcome = fix_path(item, settings=settings, unsafe=unsafe_fixes, write=not diff, fmt=fmt,
                               stdin_filename=stdin_filename, max_bytes=max_bytes)
        except InputError as e:
            error(e)
            errors += 1
            continue
        name = (stdin_filename or STDIN_NAME) if item == "-" else item
        if outcome.before and outcome.before.document:
            for w in outcome.before.document.warnings:
                if not quiet:
                    warn(f"{name}: {w}")
        if diff:
            out.write(outcome.diff())
            left = outcome.before.findings if outcome.before else []
        else:
            if item == "-":
                out.flush()
                out.buffer.write(outcome.fixed.encode("utf-8"))
                out.buffer.flush()
            left = outcome.remaining
        if outcome.changed:
            files_changed += 1
            fixed_total += len(outcome.applied)
        remaining_total += len(left)
        if settings.fail_on is not None and any(f.severity >= settings.fail_on for f in left):
            failing += 1
        if not quiet:
            report = sys.stderr if (item == "-" or diff) else out
            for f in (outcome.remaining if not diff else []):
                report.write(f"{name}:{f.line}:{f.column}: {f.code} [{f.severity.value}] {f.message}\n")
    if not quiet:
        verb = "Would fix" if diff else "Fixed"
        summary = f"{verb} {fixed_total} finding{'s' if fixed_total != 1 else ''} in {files_changed} file{'s' if files_changed != 1 else ''}"
        if not diff:
            summary += f"; {remaining_total} remaining"
        summary += "."
        (sys.stderr if (diff or "-" in paths) else out).write(summary + "\n")
    out.flush()
    if errors:
        raise typer.Exit(EXIT_ERROR)
    if failing and not exit_zero:
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_CLEAN)
