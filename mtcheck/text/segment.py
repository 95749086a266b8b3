"""Paragraph and sentence segmentation, done by mtcheck itself.

mtcheck never relies on a downloaded sentence-boundary model (argostranslate's ``translate()``
fetches one at run time). The splitter is rule based: a sentence ends at ``. ! ? …`` (plus closing
quotes or brackets) followed by whitespace and something that can start a sentence, unless the
word before the full stop is a known abbreviation of the language or a single initial.
"""

from __future__ import annotations

import re

_BLANK_LINES = re.compile(r"\n[ \t\r\f\v\u00a0\u200b\ufeff]*\n")

#: Abbreviations that do not end a sentence, per language (lower case, without the final dot).
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "mr mrs ms dr prof sr jr st vs etc e.g i.e u.s u.k u.n gen col lt sgt gov sen rep "
        "capt cmdr adm maj no nos fig approx dept est inc ltd co corp jan feb mar apr jun jul aug "
        "sep sept oct nov dec mt ft vol pp a.m p.m".split()
    ),
    "es": frozenset(
        "sr sra srta dr dra prof lic ing etc pág págs núm nº art ud uds ee.uu av avda dña d gral "
        "cap tel aprox ej p.ej".split()
    ),
    "fr": frozenset("m mm mme mlle dr pr me etc av apr env p.ex cf vol".split()),
    "de": frozenset("dr prof hr fr nr bzw usw z.b ca vgl evtl inkl ggf s u.a d.h".split()),
    "pt": frozenset("sr sra dr dra prof etc av pág nº".split()),
    "it": frozenset("sig sig.ra dott prof ecc pag n".split()),
}

_CLOSERS = "\"'”’»)]}›"
_OPENERS = "\"'“‘«([{¿¡‹„"
#: A run of ``. ! ? …`` (``...`` included), closing quotes or brackets, then whitespace and
#: something that can start a sentence. Written as one character class rather than
#: ``(?:\.\.\.|…|[.!?])+`` (the same strings, and the same maximal run, since the lookahead
#: can never succeed inside a run) so the regex engine skips ahead to those characters.
_BOUNDARY = re.compile(
    r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*(?=\s+[" + re.escape(_OPENERS) + r"]*[\w¿¡])"
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _word_before(text: str, end: int) -> re.Match | None:
    """``_WORD_BEFORE.search(text, 0, end)``, looking only at the last few characters when the
    word found there starts inside them: a search from 0 tries every position of the paragraph,
    so doing it at each full stop was quadratic in the paragraph's length."""
    lo = max(0, end - 64)
    w = _WORD_BEFORE.search(text, lo, end)
    if w is not None and w.start() == lo and lo > 0:
        return _WORD_BEFORE.search(text, 0, end)  # the word may start before the window
    return w


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Blocks separated by blank lines (lines of only whitespace count as blank), stripped."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _BLANK_LINES.finditer(text):
        _add_stripped(out, text, pos, m.start())
        pos = m.end() - 1  # keep the final newline out of the next block
    _add_stripped(out, text, pos, len(text))
    return out


def split_sentences(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (one paragraph), stripped of surrounding whitespace."""
    abbrevs = ABBREVIATIONS.get((lang or "en")[:2], ABBREVIATIONS["en"])
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        if text[m.start()] == ".":
            w = _word_before(text, m.start())
            if w:
                word = w.group(1).lower().rstrip(".")
                if word in abbrevs or (len(word) == 1 and word.isalpha()):
                    continue
        cut = m.end()
        _add_stripped(spans, text, pos, cut)
        pos = cut
    _add_stripped(spans, text, pos, len(text))
    return spans


def _add_stripped(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append ``(start, end)`` without leading and trailing whitespace, unless nothing is left.
    (``str.strip()`` and ``str.isspace()`` agree on what whitespace is.)"""
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        s = start + len(piece) - len(piece.lstrip())
        out.append((s, s + len(stripped)))
