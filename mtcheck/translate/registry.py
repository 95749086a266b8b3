"""Pick and build a translation engine: ``get_translator(engine, source=, target=)``.

``auto`` prefers Argos when an installed package (or an English pivot) serves the direction, then
Apertium, and otherwise raises ``ModelNotInstalledError`` naming how to install either.
"""

from __future__ import annotations

import os

from mtcheck.errors import EngineError, ModelNotInstalledError, UsageError
from mtcheck.translate import langcodes
from mtcheck.translate.base import Translator

#: Engine names accepted by ``--engine``.
ENGINES = ("auto", "argos", "apertium")

#: Options each engine's constructor accepts; other keys in ``engine_options`` are ignored by that
#: engine, so one option bundle can serve ``auto``.
_OPTIONS = {
    "argos": {"beam_size", "compute_type", "device", "inter_threads", "intra_threads", "max_batch_size",
              "max_decoding_length", "length_penalty", "pivot", "packages_dir"},
    "apertium": {"mark_unknown", "datadir", "executable"},
}


def _build(engine: str, options: dict, digest_memo) -> Translator:
    opts = {k: v for k, v in options.items() if k in _OPTIONS[engine] and v is not None}
    if engine == "argos":
        from mtcheck.translate.argos import ArgosTranslator

        return ArgosTranslator(digest_memo=digest_memo, **opts)
    from mtcheck.translate.apertium import ApertiumTranslator

    return ApertiumTranslator(digest_memo=digest_memo, **opts)


def get_translator(engine: str = "auto", *, source: str, target: str, use_cache: bool = True,
                   cache_path: str | os.PathLike | None = None, **engine_options) -> Translator:
    """An engine ready to translate ``source → target``, wrapped in the translation cache unless
    ``use_cache`` is false.

    Raises ``UsageError`` for an unknown engine name, ``ModelNotInstalledError`` when no installed
    model serves the direction, ``EngineError`` when the engine itself is missing or broken. Each
    message is one line that names the fix.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    source, target = langcodes.normalize(source), langcodes.normalize(target)
    if source == target:
        raise UsageError(f"source and target language are both {source!r}; nothing to translate")
    unknown = set(engine_options) - set().union(*_OPTIONS.values())
    if unknown:
        raise UsageError(f"unknown engine option(s): {', '.join(sorted(unknown))}")

    cache = None
    if use_cache:
        from mtcheck.translate.cache import TranslationCache

        cache = TranslationCache(cache_path)

    candidates = ("argos", "apertium") if engine == "auto" else (engine,)
    failures: list[str] = []
    chosen: Translator | None = None
    for name in candidates:
        try:
            tr = _build(name, engine_options, cache)
            if name == "argos":
                tr.route(source, target)  # raises ModelNotInstalledError naming the fix
            else:
                tr.mode_for(source, target)
        except ModelNotInstalledError as err:
            failures.append(str(err))
            continue
        except ImportError as err:
            if engine != "auto":
                raise EngineError(f"{name}: cannot import {err.name or err} (pip install argostranslate)") from None
            failures.append(str(err))
            continue
        except EngineError as err:
            if engine != "auto":
                raise
            failures.append(str(err))
            continue
        chosen = tr
        break
    if chosen is None:
        if cache is not None:
            cache.close()
        if engine != "auto":
            raise ModelNotInstalledError(failures[0])
        raise ModelNotInstalledError(
            f"no engine can translate {source}→{target}: install an Argos package with "
            f"`mtcheck models install {source} {target}` (or --file X.argosmodel), or an Apertium pair "
            f"with `apt-get install apertium-{langcodes.to_apertium(source)}-{langcodes.to_apertium(target)}`")
    if cache is None:
        return chosen
    from mtcheck.translate.cache import CachedTranslator

    return CachedTranslator(chosen, cache)
