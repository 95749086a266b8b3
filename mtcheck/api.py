"""The Python API. The CLI is a thin layer over these functions.

>>> from mtcheck import scan_text
>>> result = scan_text('"We cannot let him get away with it"declared the minister.', target_lang="en")
>>> [f.code for f in result.findings]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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


def scan_paths(paths: Iterable[str], settings: Settings | None = None, fmt: str | None = None) -> Iterator[DocumentResult]:
    """Lint files, folders (recursively), globs, or ``-`` for stdin. A document that cannot be read
    yields a result with ``error`` set; the batch goes on."""
    from mtcheck.io.loaders import iter_documents

    settings = settings or Settings()
    for item in iter_documents(paths, fmt=fmt):
        if isinstance(item, InputError):
            yield DocumentResult(path=getattr(item, "path", None), error=str(item))
            continue
        yield scan_document(item, settings)
