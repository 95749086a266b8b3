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
