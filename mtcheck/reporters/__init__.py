"""Reporters: small adapters from ``DocumentResult`` lists to text, JSON, SARIF, GitHub, JUnit, HTML.

Contract: each reporter module ``mtcheck.reporters.<fmt>`` defines
``render(results: list[DocumentResult], ctx: ReportContext) -> str``. Commands call :func:`render`,
or :func:`render_chunks` to write a report as it is produced. A reporter whose reports grow large may
also define ``chunks(results, ctx) -> list[str]``, the report in pieces that ``render`` joins: a
10 MB batch's JSON report is 37 million characters, and one string of them is copied several
times over (widened to four bytes a character when any character needs it) before it is written.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from mtcheck.results import DocumentResult

#: Output formats and the modules that render them.
FORMATS: dict[str, str] = {
    "text": "mtcheck.reporters.text",
    "json": "mtcheck.reporters.json_",
    "sarif": "mtcheck.reporters.sarif",
    "github": "mtcheck.reporters.github",
    "junit": "mtcheck.reporters.junit",
    "html": "mtcheck.reporters.html",
}


@dataclass
class ReportContext:
    """What a reporter may need besides the results.

    ``command`` is ``scan``, ``audit`` or ``feed``; ``color`` is True only on a terminal;
    ``verdicts`` maps a result's index to (passed, reasons) when a gate was evaluated; ``entries``
    holds documents' entries that the reporter rendered ahead (see below).
    """

    command: str = "scan"
    color: bool = False
    show_source: bool = True
    verdicts: dict[int, tuple[bool, list[str]]] = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    #: Documents' report entries made ahead by the reporter's ``entry(result, verdict)`` (with the
    #: verdict in ``verdicts``), by ``id`` of the result (see ``mtcheck.cli.common.Prepared``).
    entries: dict[int, str] = field(default_factory=dict)


def render(fmt: str, results: list[DocumentResult], ctx: ReportContext | None = None) -> str:
    """Render results in ``fmt`` (one of :data:`FORMATS`)."""
    return reporter(fmt).render(results, ctx or ReportContext())


def render_chunks(fmt: str, results: list[DocumentResult], ctx: ReportContext | None = None) -> list[str]:
    """:func:`render`'s text in pieces, in order (one piece for a reporter without ``chunks``)."""
    module = reporter(fmt)
    ctx = ctx or ReportContext()
    chunks = getattr(module, "chunks", None)
    return chunks(results, ctx) if chunks is not None else [module.render(results, ctx)]


def reporter(fmt: str):
    """The reporter module of ``fmt`` (one of :data:`FORMATS`), imported on first use."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return importlib.import_module(FORMATS[fmt])
