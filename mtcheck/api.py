"""The Python API. The CLI is a thin layer over these functions.

>>> from mtcheck import scan_text
>>> result = scan_text('"We cannot let him get away with it"declared the minister.', target_lang="en")
>>> [f.code for f in result.findings]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from mtcheck.document import Document
from mtcheck.errors import InputError
from mtcheck.linter import lint, resolve_target_lang
from mtcheck.results import DocumentResult
from mtcheck.scoring.quality import quality_score
from mtcheck.settings import Settings


def scan_document(doc: Document, settings: Settings | None = None, analyses: dict | None = None) -> DocumentResult:
    """Lint a loaded document and score it."""
    settings = settings or Settings()
    findings = lint(doc, settings, analyses)
    return DocumentResult(
        path=doc.path,
        document=doc,
        findings=findings,
        source_lang=settings.source_lang or doc.metadata.get("source_lang"),
        target_lang=doc.metadata.get("target_lang") or resolve_target_lang(doc, settings),
        quality=quality_score(findings, doc.word_count),
    )


def scan_text(
    text: str,
    *,
    path: str | None = None,
    fmt: str = "text",
    source_lang: str | None = None,
    target_lang: str | None = None,
    settings: Settings | None = None,
) -> DocumentResult:
    """Lint a string. ``fmt`` is ``text``, ``markdown`` or ``html``."""
    from mtcheck.io.loaders import document_from_string

    settings = settings or Settings()
    if source_lang:
        settings.source_lang = source_lang
    if target_lang:
        settings.target_lang = target_lang
    return scan_document(document_from_string(text, path=path, fmt=fmt), settings)


def scan_paths(
    paths: Iterable[str],
    settings: Settings | None = None,
    fmt: str | None = None,
    *,
    jobs: int = 1,
    prepare: Callable[[DocumentResult], object] | None = None,
) -> Iterator[DocumentResult]:
    """Lint files, folders (recursively), globs, or ``-`` for stdin. A document that cannot be read
    yields a result with ``error`` set; the batch goes on.

    ``jobs`` > 1 reads and lints the files in that many worker processes (``0``: one per CPU);
    results come back in the same order, and with the same findings, as with ``jobs=1``. They are
    :class:`~mtcheck.results.ShippedResult` objects, whose findings are unpickled on first use.

    ``prepare``, when given, is called on each result where it is made (in the worker process with
    ``jobs`` > 1; it must then be picklable) and what it returns is set as ``result.prepared``: work
    on a result that then runs in parallel too, such as the CLI's gate verdict and report entry.
    When what it returns has a ``findings_sent`` attribute that is False, a worker sends the result
    without its findings (``findings`` then raises LookupError; ``tally()`` still counts them).

    What the rules cached on each document (sentences, word sets, the lower-cased text: several
    times the size of the text) is dropped once it is scanned: a batch keeps every result, and
    those caches made a 10 MB scan hold 700 MB and spend a sixth of its time in the garbage
    collector.
    """
    from mtcheck.io.loaders import iter_documents

    settings = settings or Settings()
    jobs = cpu_count() if jobs == 0 else jobs
    if jobs > 1:
        yield from _scan_parallel(paths, settings, fmt, jobs, prepare)
        return
    for item in iter_documents(paths, fmt=fmt):
        yield _scan_item(item, settings, fmt, prepare)


def cpu_count() -> int:
    """CPUs this process may run on."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# -- worker processes (``jobs`` > 1), in the pattern of mtcheck.feed.pipeline --------------------

#: Most files per unit of work: enough to amortise pickling, few enough that workers share evenly.
BATCH = 16
#: Characters of text the parent scans itself before forking the workers (see _scan_parallel).
WARM_CHARS = 20_000


def _scan_parallel(
    paths: Iterable[str], settings: Settings, fmt: str | None, jobs: int, prepare: Callable | None
) -> Iterator[DocumentResult]:
    from mtcheck.io.loaders import load_path
    from mtcheck.io.paths import expand_paths, normalize_format

    fmt = normalize_format(fmt)
    # Work items in input order: a path for a worker to read, or (stdin, a missing path) what the
    # parent already has, a Document or an InputError.
    items: list = []
    for item in expand_paths(paths):
        if item == "-":
            try:
                item = load_path("-", fmt)
            except InputError as e:
                if not hasattr(e, "path"):
                    e.path = "-"
                item = e
        items.append(item)
    files = sum(isinstance(i, str) for i in items)
    jobs = min(jobs, files)
    if jobs <= 1:
        for item in items:
            yield _scan_item(item, settings, fmt, prepare)
        return
    # Rule data (word lists, gazetteers) loads lazily on first use. The first documents are
    # scanned here, before the workers fork, so the data they needed is loaded once and shared by
    # every worker instead of each loading its own copy.
    from mtcheck.rules import all_rules

    all_rules()
    scanned, first = 0, 0
    while scanned < WARM_CHARS and len(items) - first > jobs:
        result = _scan_item(items[first], settings, fmt, prepare)
        scanned += len(result.document.text) if result.document is not None else 0
        first += 1
        yield result
    items = items[first:]
    size = max(1, min(BATCH, -(-len(items) // (jobs * 4))))
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings, fmt, prepare)) as pool:
        for results in pool.map(_scan_batch, batches):
            yield from results


def _scan_item(item, settings: Settings, fmt: str | None, prepare: Callable | None = None) -> DocumentResult:
    """The result for ``item``: a path to read, a loaded Document, or the InputError that stopped
    one being read."""
    from mtcheck.io.loaders import load_path

    if isinstance(item, str):
        try:
            item = load_path(item, fmt)
        except InputError as e:
            if not hasattr(e, "path"):
                e.path = item
            item = e
    if isinstance(item, InputError):
        result = DocumentResult(path=getattr(item, "path", None), error=str(item))
    else:
        result = scan_document(item, settings)
        item.drop_caches()
    if prepare is not None:
        result.prepared = prepare(result)
    return result


_WORKER: tuple[Settings, str | None, Callable | None] | None = None


def _init_worker(settings: Settings, fmt: str | None, prepare: Callable | None) -> None:
    global _WORKER
    from mtcheck.rules import all_rules

    all_rules()
    _WORKER = (settings, fmt, prepare)


def _scan_batch(batch: list) -> list[DocumentResult]:
    from mtcheck.results import ShippedResult

    assert _WORKER is not None, "worker initializer did not run"
    settings, fmt, prepare = _WORKER
    results = ShippedResult.pack([_scan_item(item, settings, fmt) for item in batch])
    if prepare is not None:
        for result in results:
            result.prepared = prepare(result)
            if getattr(result.prepared, "findings_sent", True) is False:
                result.leave_findings()
    return results
