"""Back-translation fidelity for feed items, through the same pipeline as ``mtcheck audit``.

A worker process keeps one :class:`DirectionTranslator` for its whole life: each direction's engine
(Argos models, an Apertium mode) is built the first time an item needs it and reused for every
later item, and items are sent in batches so the engine sees many sentences per call.
"""

from __future__ import annotations

from mtcheck.errors import EngineError
from mtcheck.translate.base import EngineIdentity, Translation, Translator


class DirectionTranslator(Translator):
    """Builds one engine per direction on first use (``get_translator``) and keeps it."""

    name = "feed"

    def __init__(self, engine: str = "auto", *, use_cache: bool = True, cache_path: str | None = None,
                 engine_options: dict | None = None):
        self.engine = engine
        self.use_cache = use_cache
        self.cache_path = cache_path
        self.engine_options = dict(engine_options or {})
        self._by: dict[tuple[str, str], Translator | EngineError] = {}

    def _get(self, source: str, target: str) -> Translator:
        key = (source, target)
        if key not in self._by:
            from mtcheck.translate.registry import get_translator

            try:
                self._by[key] = get_translator(self.engine, source=source, target=target, use_cache=self.use_cache,
                                               cache_path=self.cache_path, **self.engine_options)
            except EngineError as e:
                self._by[key] = e  # remembered: a missing model is not looked for again per item
        got = self._by[key]
        if isinstance(got, EngineError):
            raise got
        return got

    def pairs(self) -> list[tuple[str, str]]:
        return [k for k, v in self._by.items() if not isinstance(v, EngineError)]

    def supports(self, source: str, target: str) -> bool:
        try:
            self._get(source, target)
        except EngineError:
            return False
        return True

    def identity(self, source: str, target: str) -> EngineIdentity:
        return self._get(source, target).identity(source, target)

    def translate_batch(self, sentences: list[str], source: str, target: str) -> list[str]:
        return self._get(source, target).translate_batch(sentences, source, target)

    def translate_detailed(self, sentences: list[str], source: str, target: str) -> list[Translation]:
        return self._get(source, target).translate_detailed(sentences, source, target)

    def missing(self, source: str, target: str) -> EngineError | None:
        """Why a direction has no engine (after a failed :meth:`supports`), else None."""
        got = self._by.get((source, target))
        return got if isinstance(got, EngineError) else None

    def close(self) -> None:
        for t in self._by.values():
            if isinstance(t, Translator):
                t.close()
        self._by.clear()


class FidelityRunner:
    """Runs :func:`mtcheck.audit.audit_documents` over batches of loaded documents."""

    def __init__(self, engine: str, engine_options: dict, settings):
        self.engine = engine
        self.settings = settings
        opts = dict(engine_options)
        self.translator = DirectionTranslator(
            engine, use_cache=opts.pop("use_cache", True), cache_path=opts.pop("cache_path", None),
            engine_options=opts.pop("engine", {}),
        )
        self.audit_options = opts  # metrics, threshold

    def audit(self, docs: list) -> tuple[list, list[str]]:
        """DocumentResults (rule findings plus fidelity) for ``docs`` (Documents or InputErrors),
        and the notices to show once (no engine for a direction under ``auto``)."""
        from mtcheck.audit import AuditOptions, audit_documents

        options = AuditOptions(
            source_lang=self.settings.source_lang,
            engine=self.engine,
            use_cache=self.translator.use_cache,
            cache_path=self.translator.cache_path,
            **self.audit_options,
        )
        run = audit_documents(docs, self.settings, options, translator=self.translator)
        if run.notices and self.engine != "auto":
            # A named engine that cannot serve the direction is an error, as in `mtcheck audit`.
            raise EngineError(run.notices[0])
        return run.results, run.notices
