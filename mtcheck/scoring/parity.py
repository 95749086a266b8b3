"""Parity checks over an aligned (source, target) pair, as translate-toolkit's pofilter does them.

Each check compares something a translation must carry over unchanged — numbers, the number of
quotation marks, URLs, proper names — or keep in proportion — length. A check returns
:class:`ParityIssue` values whose offsets index the *target* text it was given (``None`` when the
issue concerns the pair as a whole). Preconditions follow pofilter: an untranslated or empty pair is
not checked (other rules report untranslated text).

Numbers are compared as values, so locale separators do not matter: ``1.332`` (es) ≡ ``1,332`` (en)
and ``3,5`` (es) ≡ ``3.5`` (en).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

#: A pair whose target/source length ratio, divided by the document's ratio, falls outside this
#: range is flagged by the length check.
LENGTH_RATIO_RANGE = (0.5, 2.0)
#: The length check ignores pairs whose source is shorter than this many characters.
MIN_LENGTH_FOR_RATIO = 30
#: Two name spellings match when their accent-folded similarity reaches this (Kiev ≈ Kyiv).
NAME_SIMILARITY = 0.75
#: …or when they share a prefix this long (Moscú ≈ Moscow, Serguéi ≈ Sergei).
NAME_PREFIX = 4


@dataclass(frozen=True)
class ParityIssue:
    """One parity problem. ``kind`` is ``number``, ``quotes``, ``url``, ``name`` or ``length``;
    ``start``/``end`` index the target text, or are None when the whole pair is concerned."""

    kind: str
    message: str
    start: int | None = None
    end: int | None = None


# -- numbers ------------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:[.,]\d+)*)"
)
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\u00a0\u202f ])\d{3})(?:\1\d{3})*$")


def number_values(token: str) -> frozenset[str]:
    """The values a written number may stand for, as canonical decimal strings.

    ``1,332`` → {``1332``, ``1.332``}: grouped thousands in English, a decimal in Spanish. The set
    makes comparison independent of which locale wrote which side. ``1.234,5`` → {``1234.5``}.
    """
    digits = re.sub(r"\D", "", token)
    if digits == token:
        return frozenset({_canon(token)})
    values = set()
    if _GROUPED.match(token):
        values.add(_canon(digits))
    last = max(token.rfind("."), token.rfind(","))
    if last >= 0:
        values.add(_canon(re.sub(r"\D", "", token[:last]) + "." + token[last + 1 :]))
    return frozenset(values)


def _canon(s: str) -> str:
    if "." in s:
        head, tail = s.split(".", 1)
        tail = tail.rstrip("0")
        head = head.lstrip("0") or "0"
        return f"{head}.{tail}" if tail else head
    return s.lstrip("0") or "0"


def _numbers(text: str) -> list[tuple[int, int, frozenset[str]]]:
    out = []
    for m in _NUMBER.finditer(text):
        out.append((m.start(), m.end(), number_values(m.group())))
    return out


def check_numbers(source: str, target: str) -> list[ParityIssue]:
    """Numbers in the source missing from the target, and numbers in the target not in the source."""
    src = _numbers(source)
    tgt = _numbers(target)
    unmatched_tgt = list(range(len(tgt)))
    missing = []
    for s_start, s_end, s_vals in src:
        hit = next((k for k in unmatched_tgt if tgt[k][2] & s_vals), None)
        if hit is None:
            missing.append(source[s_start:s_end])
        else:
            unmatched_tgt.remove(hit)
    issues = []
    # A changed number is one issue, not an addition plus an omission: pair them in order.
    for k, tok in zip(unmatched_tgt, missing):
        start, end, _ = tgt[k]
        issues.append(ParityIssue("number", f"number {target[start:end]} differs from the source's {tok}", start, end))
    for k in unmatched_tgt[len(missing):]:
        start, end, _ = tgt[k]
        issues.append(ParityIssue("number", f"number {target[start:end]} is not in the source", start, end))
    for tok in missing[len(unmatched_tgt):]:
        issues.append(ParityIssue("number", f"number {tok} of the source is missing from the translation"))
    return issues


# -- quotation marks ----------------------------------------------------------------------------

_QUOTES = re.compile(r"[\"«»“”„‹›]|(?<!\w)[‘’']|[‘’'](?!\w)")


_POSSESSIVE_AFTER = re.compile(r"\s+\w")


def quote_count(text: str) -> int:
    """Quotation marks in ``text``. Apostrophes inside words (don’t) and possessives followed by a
    word (Francis' presence) are not counted."""
    count = 0
    for m in _QUOTES.finditer(text):
        ch = m.group()
        if ch in "’'" and m.start() > 0 and text[m.start() - 1] in "sS" and _POSSESSIVE_AFTER.match(text, m.end()):
            continue  # possessive: Francis' presence
        count += 1
    return count


def check_quotes(source: str, target: str) -> list[ParityIssue]:
    """The source and the target have different numbers of quotation marks."""
    s, t = quote_count(source), quote_count(target)
    if s != t:
        return [ParityIssue("quotes", f"{t} quotation mark{'s' if t != 1 else ''} in the translation, {s} in the source")]
    return []


# -- URLs ---------------------------------------------------------------------------------------

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"«»“”]+[^\s<>\"«»“”.,;:!?)\]]", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def _links(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for rx in (_URL, _EMAIL) for m in rx.finditer(text)]


def check_urls(source: str, target: str) -> list[ParityIssue]:
    """URLs and e-mail addresses must be carried over verbatim."""
    remaining = [u for _, _, u in _links(source)]
    extra = []
    for start, end, u in _links(target):
        if u in remaining:
            remaining.remove(u)
        else:
            extra.append((start, end, u))
    issues = []
    for (start, end, u), orig in zip(extra, remaining):
        issues.append(ParityIssue("url", f"{u} differs from the source's {orig}", start, end))
    for start, end, u in extra[len(remaining):]:
        issues.append(ParityIssue("url", f"{u} is not in the source", start, end))
    for u in remaining[len(extra):]:
        issues.append(ParityIssue("url", f"{u} of the source is missing from the translation"))
    return issues


# -- names --------------------------------------------------------------------------------------

_CAP_WORD = re.compile(r"\b[^\W\d_][\w’'\-]*", re.UNICODE)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip("’'-")


def capitalised_names(text: str) -> list[tuple[int, int, str]]:
    """Capitalised words that neither start a sentence nor follow a quotation mark: likely names."""
    out = []
    for m in _CAP_WORD.finditer(text):
        w = m.group()
        if not w[0].isupper():
            continue
        before = text[: m.start()].rstrip()
        if not before or before[-1] in ".!?:…\"'«“‘„¿¡(":
            continue  # sentence- or quotation-initial: capitalised by grammar, not as a name
        if len(w) < 2:
            continue
        out.append((m.start(), m.end(), w))
    return out


def names_match(a: str, b: str) -> bool:
    """Whether two spellings may name the same thing (Kiev ≈ Kyiv, Serguéi ≈ Sergei)."""
    fa, fb = _fold(a), _fold(b)
    if fa == fb:
        return True
    if len(fa) >= NAME_PREFIX and len(fb) >= NAME_PREFIX and fa[:NAME_PREFIX] == fb[:NAME_PREFIX]:
        return True
    return SequenceMatcher(None, fa, fb).ratio() >= NAME_SIMILARITY


def check_names(source: str, target: str, forward: str | None = None) -> list[ParityIssue]:
    """Proper names of the source missing from the target.

    With the forward translation known, only names the engine carried over unchanged are expected
    (``Blinken`` is; ``Occidente`` becomes ``Occident`` or ``West`` and is not): a name is checked
    when the forward translation has the same word (accents and case aside).
    """
    target_words = [m.group() for m in _CAP_WORD.finditer(target)]
    forward_words = [m.group() for m in _CAP_WORD.finditer(forward)] if forward is not None else None
    issues, seen = [], set()
    for _, _, name in capitalised_names(source):
        key = _fold(name)
        if key in seen:
            continue
        seen.add(key)
        if forward_words is not None and not any(_fold(w) == key for w in forward_words):
            continue
        if not any(names_match(name, w) for w in target_words):
            issues.append(ParityIssue("name", f"name {name} of the source is missing from the translation"))
    return issues


# -- length -------------------------------------------------------------------------------------


def check_length(source: str, target: str, document_ratio: float = 1.0) -> list[ParityIssue]:
    """The target is much shorter or longer than the source, relative to the document's ratio."""
    if len(source) < MIN_LENGTH_FOR_RATIO or document_ratio <= 0:
        return []
    rel = (len(target) / len(source)) / document_ratio
    lo, hi = LENGTH_RATIO_RANGE
    if rel < lo or rel > hi:
        word = "shorter" if rel < lo else "longer"
        return [ParityIssue("length", f"translation is {rel:.1f}× the expected length ({word} than its source)")]
    return []


# -- all ----------------------------------------------------------------------------------------


def is_checkable(source: str, target: str) -> bool:
    """pofilter's precondition: both sides non-empty and the target is not the source copied."""
    s, t = source.strip(), target.strip()
    return bool(s) and bool(t) and s != t


def check_pair(
    source: str, target: str, *, forward: str | None = None, document_ratio: float = 1.0,
    kinds: Sequence[str] = ("number", "quotes", "url", "name", "length"),
) -> list[ParityIssue]:
    """Every parity check of ``kinds`` over one pair."""
    if not is_checkable(source, target):
        return []
    issues: list[ParityIssue] = []
    if "number" in kinds:
        issues += check_numbers(source, target)
    if "quotes" in kinds:
        issues += check_quotes(source, target)
    if "url" in kinds:
        issues += check_urls(source, target)
    if "name" in kinds:
        issues += check_names(source, target, forward)
    if "length" in kinds:
        issues += check_length(source, target, document_ratio)
    return issues
