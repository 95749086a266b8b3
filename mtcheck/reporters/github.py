"""GitHub Actions workflow commands: one annotation per finding.

``::warning file=a.txt,line=3,col=5,endLine=3,endColumn=9,title=Q101 glued-closing-quote::message``

Severity maps to the command: error → ``error``, warning → ``warning``, info → ``notice``. Values
are escaped as the Actions runner expects (``%`` ``\\r`` ``\\n`` everywhere, plus ``:`` and ``,`` in
properties). GitHub's ``col``/``endColumn`` are inclusive and only honoured on a one-line span, so a
multi-line span carries lines only. A document that could not be read is an ``error`` annotation
on the file. The last line is a ``notice`` with the summary.
"""

from __future__ import annotations

from mtcheck.findings import Finding, Severity
from mtcheck.reporters import ReportContext
from mtcheck.reporters.common import last_line
from mtcheck.results import DocumentResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (file, title)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _path(result: DocumentResult, f: Finding | None = None) -> str:
    path = (f.path if f is not None else None) or result.path
    return "stdin" if path in (None, "-") else str(path)


def annotation(f: Finding, path: str) -> str:
    end_line = last_line(f)
    props = [f"file={escape_property(path)}", f"line={f.line}"]
    if end_line == f.line:
        props.append(f"col={f.column}")
    props.append(f"endLine={end_line}")
    if end_line == f.line:
        end_col = f.end_column - 1 if f.end_line == f.line else len(f.text.rstrip("\r\n")) + f.column - 1
        props.append(f"endColumn={max(f.column, end_col)}")
    props.append(f"title={escape_property(f'{f.code} {f.name}')}")
    return f"::{COMMANDS[f.severity]} {','.join(props)}::{escape_data(f.message)}"


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    lines = []
    total = 0
    for r in results:
        if r.error is not None:
            lines.append(f"::error file={escape_property(_path(r))},title=mtcheck::{escape_data(r.error)}")
            continue
        for f in r.findings:
            lines.append(annotation(f, _path(r, f)))
            total += 1
    failed = sum(1 for passed, _ in ctx.verdicts.values() if not passed)
    summary = f"mtcheck: {total} finding{'s' if total != 1 else ''} in {len(results)} document{'s' if len(results) != 1 else ''}"
    if ctx.verdicts:
        summary += f", {failed} failed the gate (fail-on {ctx.options.get('fail_on', 'warning')})"
    lines.append(f"::notice title=mtcheck::{escape_data(summary)}")
    return "\n".join(lines) + "\n"
