"""The one translator interface every engine implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EngineIdentity:
    """Who translated: enough to reproduce a score and to key the cache.

    ``checksum`` identifies the model files (or the installed pair's data); ``params`` holds decoding
    parameters (beam size, compute type, …) that change the output.
    """

    engine: str
    version: str
    model: str
    checksum: str
    params: dict = field(default_factory=dict)

    def signature(self) -> str:
        """A compact, sacrebleu-style signature fragment: ``engine:argos|ver:1.11.0|model:…``."""
        parts = [f"engine:{self.engine}", f"ver:{self.version}", f"model:{self.model}", f"sha:{self.checksum[:12]}"]
        parts += [f"{k}:{v}" for k, v in sorted(self.params.items())]
        return "|".join(parts)

    def to_dict(self) -> dict:
        return {
            "engine": self.engine,
            "version": self.version,
            "model": self.model,
            "checksum": self.checksum,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class Translation:
    """One sentence's translation, or the reason the engine could not translate it.

    ``error`` is set (and ``text`` is empty) when the engine failed on this sentence only, e.g. a
    repetition loop or output cut off at the decoding limit: callers report it as an engine
    failure, never score it as a fidelity problem.
    """

    text: str
    error: str | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


class Translator(ABC):
    """Translate batches of sentences between languages.

    Implementations load models once per instance and translate a whole batch per call; callers
    send every sentence of every document through :meth:`translate_batch`.
    """

    #: Short engine name used on the command line (``argos``, ``apertium``).
    name: str = ""

    @abstractmethod
    def pairs(self) -> list[tuple[str, str]]:
        """Directions this engine can translate directly or by pivot, as (source, target) codes."""

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in set(self.pairs())

    @abstractmethod
    def identity(self, source: str, target: str) -> EngineIdentity:
        """The identity of the model that serves ``source → target``."""

    @abstractmethod
    def translate_batch(self, sentences: list[str], source: str, target: str) -> list[str]:
        """Translate sentences; the result has one string per input, in order.

        Raises ``mtcheck.errors.ModelNotInstalledError`` for an unsupported direction and
        ``mtcheck.errors.EngineError`` for broken models or degenerate output.
        """

    def translate_detailed(self, sentences: list[str], source: str, target: str) -> list[Translation]:
        """Like :meth:`translate_batch`, but a sentence the engine fails on gets a
        :class:`Translation` with ``error`` set instead of failing the whole batch.

        Engines that can fail per sentence (Argos: repetition loops, truncation) override this and
        implement :meth:`translate_batch` on top of it.
        """
        return [Translation(t) for t in self.translate_batch(sentences, source, target)]

    def close(self) -> None:
        """Release resources (models, connections). Engines that hold none need not override."""


def texts_or_raise(results: list[Translation], engine: str) -> list[str]:
    """The texts of ``results``; raises ``EngineError`` naming the first sentence that failed."""
    for i, r in enumerate(results):
        if r.error is not None:
            from mtcheck.errors import EngineError

            raise EngineError(f"{engine}: sentence {i + 1} of the batch could not be translated: {r.error}")
    return [r.text for r in results]


def normalize_sentence(text: str) -> str:
    """The form a sentence is translated and cached in: NFC, whitespace runs collapsed, stripped.

    Engines translate single sentences, so line breaks inside one carry no meaning (and would break
    Apertium's line protocol).
    """
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", text).split())
