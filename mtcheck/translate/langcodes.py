"""Language codes: mtcheck speaks ISO 639-1 (``es``, ``en``); Apertium names pairs in ISO 639-3
(``spa-eng``). These helpers map between the two without importing anything heavy."""

from __future__ import annotations

import re
from functools import lru_cache

_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def is_code(value: str) -> bool:
    """Whether ``value`` looks like a language code (``en``, ``spa``, ``pt-BR``, ``zh_Hant_TW``):
    what ``--source-lang``/``--target-lang`` and the config's ``source-lang`` accept."""
    return bool(_CODE.fullmatch(value))

#: ISO 639-1 → the ISO 639-3 code Apertium uses. Apertium follows 639-3 (``fra``, not the
#: bibliographic ``fre``); ``hbs`` (Serbo-Croatian) has no 639-1 code of its own besides ``sh``.
_TWO_TO_THREE = {
    "af": "afr", "an": "arg", "ar": "ara", "ast": "ast", "be": "bel", "bg": "bul", "br": "bre",
    "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu", "el": "ell", "en": "eng",
    "eo": "epo", "es": "spa", "et": "est", "eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra",
    "ga": "gle", "gl": "glg", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "id": "ind",
    "is": "isl", "it": "ita", "ja": "jpn", "kk": "kaz", "ko": "kor", "lt": "lit", "lv": "lav",
    "mk": "mkd", "ms": "msa", "mt": "mlt", "nb": "nob", "nl": "nld", "nn": "nno", "no": "nor",
    "oc": "oci", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sc": "srd", "sh": "hbs",
    "sk": "slk", "sl": "slv", "sq": "sqi", "sr": "srp", "sv": "swe", "tr": "tur", "tt": "tat",
    "uk": "ukr", "ur": "urd", "zh": "zho",
}
_THREE_TO_TWO = {v: k for k, v in _TWO_TO_THREE.items()}
# Bibliographic ISO 639-2 codes people still type.
_THREE_TO_TWO.update({"fre": "fr", "ger": "de", "dut": "nl", "gre": "el", "baq": "eu", "wel": "cy",
                      "ice": "is", "mac": "mk", "rum": "ro", "slo": "sk", "chi": "zh", "per": "fa",
                      "alb": "sq", "cze": "cs"})


def normalize(code: str) -> str:
    """The canonical (ISO 639-1 where one exists, lower-case) form of a language code.

    ``ES`` → ``es``; ``spa`` → ``es``; ``pt_BR`` → ``pt_BR`` is kept as a regional variant
    (``pt`` plus region); unknown codes are returned lower-cased.
    """
    code = code.strip().replace("-", "_")
    base, _, region = code.partition("_")
    base = base.lower()
    base = _THREE_TO_TWO.get(base, base)
    return f"{base}_{region}" if region else base


def to_apertium(code: str) -> str:
    """The ISO 639-3 code Apertium uses for ``code`` (``es`` → ``spa``, ``en_US`` → ``eng_US``)."""
    base, _, region = normalize(code).partition("_")
    three = _TWO_TO_THREE.get(base, base) if len(base) == 2 else base
    return f"{three}_{region}" if region else three


@lru_cache(maxsize=256)
def from_apertium(code: str) -> str:
    """The canonical code for an Apertium code (``spa`` → ``es``, ``eng_US`` → ``en_US``)."""
    return normalize(code)
