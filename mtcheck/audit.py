"""The audit pipeline: rule findings plus back-translation fidelity for a batch of documents.

    load documents → segment each into sentences (mtcheck's own segmenter)
    → leg 1: every sentence of every document, target → source language, in one batch per direction
    → leg 2: every back-translation (and, with ``--source``, every source sentence) source → target
    → round-trip scores (``mtcheck.scoring.fidelity``), alignment and parity with a source
    → the linter with the ``backtranslation`` / ``source`` analyses → one DocumentResult each

Sentences are deduplicated before they reach the engine, and the engines' cache makes a re-audit
cheap. Faults are contained: when a batch fails, each document is retried on its own, and a
document whose translation still fails keeps its rule findings with ``fidelity.error`` set. With
``engine="auto"`` and no engine for the direction, the audit reports rule findings and a notice
saying how to install one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from mtcheck.document import Document, Span
from mtcheck.errors import EngineError, InputError, ModelNotInstalledError, UsageError
from mtcheck.results import DocumentResult
from mtcheck.scoring.fidelity import (
    DEFAULT_METRICS,
    DEFAULT_THRESHOLD,
    FidelityReport,
    round_trip_report,
    source_report,
)
from mtcheck.settings import Settings
from mtcheck.translate import langcodes

#: When a progress callback is given, sentences go to the engine in chunks of this many so the
#: bar moves; without one, each leg is a single call (the engine chunks internally as it needs).
PROGRESS_CHUNK = 256

#: How to get an engine, shown when ``--engine auto`` finds none for a direction.
INSTALL_HINT = (
    "no translation engine for {src}→{tgt}: install an Argos model (`mtcheck models install {src} {tgt}`, "
    "or `mtcheck models install --file MODEL.argosmodel` offline) or an Apertium pair "
    "(`apt-get install apertium apertium-{a}-{b}`){rules}"
)
#: What notices add when the rules run (``audit``); ``backtranslate`` runs none, so they are left out.
_RULES_NOTE = "; rule findings are reported without fidelity"
_RULES_NOTES = (_RULES_NOTE, "; its rule findings are reported without fidelity", " (rule findings are reported)")

#: ``progress(done, total)`` is called as sentences are translated.
Progress = Callable[[int, int], None]


@dataclass
class AuditOptions:
    """What ``audit`` needs besides the rule settings.

    ``threshold`` is the round-trip chrF under which a sentence becomes an F101 finding (default:
    ``settings.fidelity_threshold``, else ``DEFAULT_THRESHOLD``). ``source_path`` names the
    source text of a single target document. ``engine_options`` go to the engine registry.
    """

    source_lang: str | None = None
    engine: str = "auto"
    use_cache: bool = True
    cache_path: str | None = None
    metrics: tuple[str, ...] = DEFAULT_METRICS
    threshold: float | None = None
    source_path: str | None = None
    engine_options: dict = field(default_factory=dict)


@dataclass
class AuditRun:
    """The results of an audit and what the user should be told about it.

    ``notices`` are one-line messages for stderr (no engine installed, an engine failure);
    ``sentences`` counts target sentences audited, ``translated`` the unique strings sent to the
    engine, ``calls`` the engine calls made and ``translate_seconds`` the time spent in them.
    """

    results: list[DocumentResult]
    notices: list[str] = field(default_factory=list)
    sentences: int = 0
    translated: int = 0
    calls: int = 0
    translate_seconds: float = 0.0


def sentence_text(text: str) -> str:
    """What is sent to the engine for one sentence: its whitespace collapsed to single spaces."""
    return " ".join(text.split())


@dataclass
class _Job:
    """One target document on its way through the pipeline."""

    doc: Document
    target_lang: str | None
    spans: list[Span]
    texts: list[str]
    back: list[str] | None = None
    round_trip: list[str] | None = None
    error: str | None = None
    failed: dict[int, str] = field(default_factory=dict)


class _Engine:
    """Translators per direction, engine calls with deduplication, chunking and progress."""

    def __init__(self, options: AuditOptions, translator=None, progress: Progress | None = None):
        self.options = options
        self._fixed = translator
        self._by_direction: dict[tuple[str, str], object] = {}
        self.progress = progress
        self.total = 0
        self.done = 0
        self.calls = 0
        self.translated = 0
        self.seconds = 0.0

    def translator(self, source: str, target: str):
        """The translator for a direction; raises ModelNotInstalledError / EngineError."""
        key = (source, target)
        if key not in self._by_direction:
            if self._fixed is not None:
                t = self._fixed
                if hasattr(t, "supports") and not t.supports(source, target):
                    raise ModelNotInstalledError(f"{getattr(t, 'name', 'engine')}: no model for {source}→{target}")
            else:
                from mtcheck.translate.registry import get_translator

                t = get_translator(
                    self.options.engine,
                    source=source,
                    target=target,
                    use_cache=self.options.use_cache,
                    cache_path=self.options.cache_path,
                    **self.options.engine_options,
                )
            self._by_direction[key] = t
        return self._by_direction[key]

    def identity(self, source: str, target: str):
        return self.translator(source, target).identity(source, target)

    def translate(self, texts: Sequence[str], source: str, target: str) -> tuple[list[str], list[str | None]]:
        """Translate, sending each distinct non-empty string once. Returns the translations and,
        per string, the engine's error when it failed on that sentence alone (a repetition loop,
        a truncated output): such sentences are not scored. A failure of the whole call raises
        EngineError."""
        unique = list(dict.fromkeys(t for t in texts if t))
        out: dict[str, tuple[str, str | None]] = {}
        if unique:
            t = self.translator(source, target)
            step = PROGRESS_CHUNK if self.progress else len(unique)
            for i in range(0, len(unique), step):
                chunk = unique[i : i + step]
                started = time.perf_counter()
                if hasattr(t, "translate_detailed"):
                    got = [(r.text, r.error) for r in t.translate_detailed(chunk, source, target)]
                else:
                    got = [(text, None) for text in t.translate_batch(chunk, source, target)]
                self.seconds += time.perf_counter() - started
                if len(got) != len(chunk):
                    raise EngineError(f"{getattr(t, 'name', 'engine')}: returned {len(got)} translations for {len(chunk)} sentences")
                out.update(zip(chunk, got))
                self.calls += 1
                self.translated += len(chunk)
                self.done += len(chunk)
                if self.progress:
                    self.progress(self.done, self.total)
        skipped = len(texts) - len(unique)  # duplicates and empty strings count as done
        if skipped:
            self.done += skipped
            if self.progress:
                self.progress(self.done, self.total)
        pairs = [out.get(t, ("", None)) for t in texts]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    def close(self) -> None:
        for t in {id(t): t for t in self._by_direction.values()}.values():
            if t is not self._fixed and hasattr(t, "close"):
                t.close()


def _install_hint(src: str, tgt: str) -> str:
    try:
        a, b = langcodes.to_apertium(src), langcodes.to_apertium(tgt)
    except Exception:  # noqa: BLE001 - a hint must never fail
        a, b = src, tgt
    return INSTALL_HINT.format(src=src, tgt=tgt, a=a, b=b, rules=_RULES_NOTE)


def audit_documents(
    docs: Iterable[Document | InputError],
    settings: Settings | None = None,
    options: AuditOptions | None = None,
    *,
    translator=None,
    progress: Progress | None = None,
    lint: bool = True,
) -> AuditRun:
    """Audit loaded documents (an ``InputError`` in ``docs`` becomes a result with ``error`` set).

    ``translator`` replaces the engine registry (any ``mtcheck.translate.base.Translator``).
    ``lint=False`` skips the rules (``mtcheck backtranslate``). Raises UsageError without a source
    language, and EngineError when a named engine (not ``auto``) cannot serve the direction.
    """
    from mtcheck.api import scan_document
    from mtcheck.linter import resolve_target_lang

    settings = settings or Settings()
    options = options or AuditOptions()
    source_lang = options.source_lang or settings.source_lang
    if not source_lang:
        raise UsageError("the source language is needed: pass --source-lang (e.g. --source-lang es) or set source-lang in the config")
    source_lang = langcodes.normalize(source_lang)
    settings.source_lang = source_lang
    threshold = options.threshold
    if threshold is None:
        threshold = settings.fidelity_threshold if settings.fidelity_threshold is not None else DEFAULT_THRESHOLD

    slots: list[_Job | DocumentResult] = []
    for item in docs:
        if isinstance(item, InputError):
            slots.append(DocumentResult(path=getattr(item, "path", None), error=str(item)))
            continue
        detected = resolve_target_lang(item, settings)
        target = langcodes.normalize(detected) if detected else None
        if target is not None:
            item.metadata.setdefault("target_lang", target)
        spans = item.sentences_for(target)
        slots.append(_Job(item, target, spans, [sentence_text(s.text) for s in spans]))
    jobs = [s for s in slots if isinstance(s, _Job)]

    source_doc = None
    if options.source_path:
        if len(jobs) != 1:
            raise UsageError("--source takes the source of one target document; audit one file at a time with --source")
        from mtcheck.io.loaders import load_path

        source_doc = load_path(options.source_path)
    source_texts = [sentence_text(s.text) for s in source_doc.sentences_for(source_lang)] if source_doc else []

    engine = _Engine(options, translator, progress)
    run = AuditRun(results=[])
    engine.total = sum(len(j.texts) for j in jobs) * 2 + len(source_texts)
    run.sentences = sum(len(j.texts) for j in jobs)

    forward: list[str] | None = None
    by_direction: dict[str, list[_Job]] = {}
    for j in jobs:
        by_direction.setdefault(j.target_lang, []).append(j)
    available: dict[str, bool] = {}
    for target, group in by_direction.items():
        if target is None:
            run.notices.append(
                f"{', '.join(_label(j) for j in group)}: the language of the text was not recognised; "
                f"pass --target-lang for a back-translation{_RULES_NOTES[2]}"
            )
            continue
        if target == source_lang:
            # Untranslated text (or a wrong --source-lang): there is no round trip to make.
            run.notices.append(
                f"{', '.join(_label(j) for j in group)}: the text is in the source language ({source_lang}); "
                f"no back-translation{_RULES_NOTES[2]}"
            )
            available[target] = False
            continue
        available[target] = _check_engine(engine, source_lang, target, options, run)
        if not available[target]:
            continue
        extra = source_texts if source_doc is not None and group[0] is jobs[0] else []
        fwd = _translate_group(engine, group, source_lang, target, extra, run)
        if extra:
            forward = fwd

    for slot in slots:
        if isinstance(slot, DocumentResult):
            run.results.append(slot)
            continue
        job = slot
        analyses: dict = {}
        report = None
        legs: list = []
        if job.target_lang is not None and available.get(job.target_lang):
            if job.error is None:
                legs = [engine.identity(job.target_lang, source_lang), engine.identity(source_lang, job.target_lang)]
                keep = [k for k in range(len(job.texts)) if k not in job.failed]
                report = round_trip_report(
                    [job.spans[k] for k in keep], [job.texts[k] for k in keep],
                    [job.back[k] for k in keep], [job.round_trip[k] for k in keep],
                    source_lang=source_lang, target_lang=job.target_lang, legs=legs,
                    metrics=options.metrics, threshold=threshold, indices=keep,
                )
                report.failed = {k: why for k, why in job.failed.items()}
                analyses["backtranslation"] = report
            else:
                report = FidelityReport(source_lang, job.target_lang, tuple(options.metrics), threshold, error=job.error)
        if source_doc is not None and job.target_lang is not None:
            # Without translations (no engine, or it failed) the alignment is length based and
            # the pairs carry no scores; omissions, additions and parity are still checked.
            src_fid = source_report(
                source_texts, job.spans, job.texts,
                source_lang=source_lang, target_lang=job.target_lang,
                forward=forward if legs else None, back=job.back if legs else None,
                forward_legs=legs[1:], back_legs=legs[:1],
                metrics=options.metrics, path=options.source_path,
            )
            analyses["source"] = src_fid
            if report is None:
                report = FidelityReport(source_lang, job.target_lang, tuple(options.metrics), threshold,
                                        error="no translation engine")
            report.source = src_fid
        if lint:
            result = scan_document(job.doc, settings, analyses)
        else:
            result = DocumentResult(path=job.doc.path, document=job.doc, source_lang=source_lang,
                                    target_lang=job.target_lang)
        result.fidelity = report
        run.results.append(result)
    run.translated = engine.translated
    run.calls = engine.calls
    run.translate_seconds = engine.seconds
    engine.close()
    if not lint:
        for note in _RULES_NOTES:
            run.notices = [n.replace(note, "") for n in run.notices]
    return run


def _check_engine(engine: _Engine, source: str, target: str, options: AuditOptions, run: AuditRun) -> bool:
    """Whether both directions have a translator; with ``auto``, a missing one becomes a notice."""
    try:
        engine.translator(target, source)
        engine.translator(source, target)
        engine.identity(target, source)
        engine.identity(source, target)
    except EngineError as e:
        if options.engine != "auto" and engine._fixed is None:
            raise
        if isinstance(e, ModelNotInstalledError):
            run.notices.append(_install_hint(target, source))
        else:
            run.notices.append(f"{e}{_RULES_NOTE}")
        return False
    return True


def _translate_group(engine: _Engine, group: list[_Job], source: str, target: str, extra: list[str],
                     run: AuditRun) -> list[str] | None:
    """Both legs for every job of one direction; ``extra`` source sentences ride along on leg 2.
    Returns the translations of ``extra`` (None if they failed)."""
    try:
        back_all, err1 = engine.translate([t for j in group for t in j.texts], target, source)
        leg2, err2 = engine.translate(back_all + extra, source, target)
    except ModelNotInstalledError:
        raise
    except EngineError as e:
        if len(group) == 1 and not extra:
            group[0].error = str(e)
            run.notices.append(f"{_label(group[0])}: {e}{_RULES_NOTES[1]}")
            return None
        # Retry one document at a time so one bad document does not cost the others their scores.
        for j in group:
            _translate_group(engine, [j], source, target, [], run)
        if not extra:
            return None
        try:
            return engine.translate(extra, source, target)[0]
        except EngineError as e2:
            run.notices.append(f"source text: {e2}; the alignment falls back to sentence lengths")
            return None
    pos = 0
    for j in group:
        n = len(j.texts)
        j.back = back_all[pos : pos + n]
        j.round_trip = leg2[pos : pos + n]
        j.failed = {
            k: (err1[pos + k] or err2[pos + k]) for k in range(n) if err1[pos + k] or err2[pos + k]
        }
        if j.failed:
            k, why = next(iter(j.failed.items()))
            run.notices.append(
                f"{_label(j)}: the engine failed on {len(j.failed)} sentence{'s' if len(j.failed) != 1 else ''} "
                f"(first: sentence {k + 1}: {why}); they are not scored"
            )
        pos += n
    if not extra:
        return None
    # A source sentence the engine failed on keeps its own text as "translation": names and
    # numbers still tie it to its counterpart, where an empty string would make it an omission.
    return [t if err is None else src for t, err, src in zip(leg2[pos:], err2[pos:], extra)]


def _label(job: _Job) -> str:
    return job.doc.path or "<stdin>"


def audit_paths(
    paths: Iterable[str],
    settings: Settings | None = None,
    options: AuditOptions | None = None,
    *,
    fmt: str | None = None,
    translator=None,
    progress: Progress | None = None,
    lint: bool = True,
) -> AuditRun:
    """Load files, folders, globs or ``-`` and audit them (see :func:`audit_documents`)."""
    from mtcheck.io.loaders import iter_documents

    return audit_documents(iter_documents(paths, fmt=fmt), settings, options, translator=translator,
                           progress=progress, lint=lint)
