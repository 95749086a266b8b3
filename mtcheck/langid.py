"""Language identification with langdetect, seeded so results are deterministic.

langdetect is imported lazily (only when a rule or the target-language detection needs it).
Texts shorter than :data:`MIN_CHARS` letters are "unknown" (None): language ID on a few words is
noise.
"""

from __future__ import annotations

from functools import lru_cache

#: Fewer letters than this and we do not guess.
MIN_CHARS = 20
#: langdetect's seed; fixed so the same text always gets the same answer.
SEED = 0


@lru_cache(maxsize=1)
def _factory():
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = SEED
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


def detect_probs(text: str) -> list[tuple[str, float]]:
    """Candidate languages and probabilities, best first; empty for short or letterless text."""
    if sum(c.isalpha() for c in text) < MIN_CHARS:
        return []
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory()
    try:
        det = factory.create()
        det.append(text)
        det.seed = SEED  # langdetect reads the seed from DetectorFactory; set it on the instance too
        return [(p.lang, p.prob) for p in det.get_probabilities()]
    except LangDetectException:
        return []


def detect(text: str, min_prob: float = 0.5) -> str | None:
    """The most likely language code (``en``, ``es``, …) or None when unsure or too short."""
    probs = detect_probs(text)
    if not probs or probs[0][1] < min_prob:
        return None
    return _normalise(probs[0][0])


def _normalise(code: str) -> str:
    # langdetect says zh-cn / zh-tw; mtcheck keys data by base language.
    return code.split("-")[0].lower()
