"""Building blocks for the rules' regular expressions and literal scans.

Python's ``re`` finds a pattern that starts with a literal character at C speed, tests every
character against a leading class, and tries a pattern led by a lookbehind or an alternation at
every position. These helpers turn word lists into patterns that start well (a trie, a sorted
alternation) and find the few places where a pattern can match with ``str.find``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def contains_any(text: str, chars: str) -> bool:
    """Whether ``text`` holds one of ``chars``: a few ``in`` tests, run in C (and at once when a
    character cannot occur in the text's string kind), are much cheaper than a regex scan for a
    rare character class, so rules test this before scanning."""
    for c in chars:
        if c in text:
            return True
    return False


def per_character(chars: str, tail: str, flags: int = 0) -> tuple[re.Pattern, ...]:
    """``[chars]tail`` as one pattern per character, for :func:`one_character_matches`. ``re``
    scans for a pattern's literal first character at memchr speed, but tests every character of
    the text against a leading class (about twice as slow over a whole text)."""
    return tuple(re.compile(re.escape(c) + tail, flags) for c in chars)


def one_character_matches(patterns: tuple[re.Pattern, ...], text: str) -> list[int]:
    """Where ``[chars]tail``, split by :func:`per_character`, matches in ``text``, in order: the
    starts of ``finditer``'s matches when every match is one character long (a match at one place
    then never hides one at the next)."""
    out: list[int] = []
    for pattern in patterns:
        out += [m.start() for m in pattern.finditer(text)]
    out.sort()
    return out


def run_start(text: str, end: int, chars: str) -> int:
    """Start of the run of ``chars`` that ends at ``end``, stripped 64 characters at a time (a
    character-by-character loop is slow on a run of thousands of spaces)."""
    start = end
    while start > 0:
        chunk = text[max(0, start - 64) : start]
        kept = chunk.rstrip(chars)
        start -= len(chunk) - len(kept)
        if kept:
            break
    return start


def alternation(words) -> str:
    """A flat regex alternation of ``words``, longest first, then alphabetical (the same pattern in
    every process, so the compiled-regex cache keeps it). Spaces match any run of whitespace."""
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=lambda w: (-len(w), w)))


def trie_regex(words, *, any_space: bool = True, rank: dict[str, int] | None = None) -> str:
    """A regex alternation of ``words`` factored as a trie (``a(?:im(?:ed)?|greed)``).

    Python's ``re`` tries the branches of a flat alternation one by one at every position; the
    factored form rejects most positions on their first character, several times faster on long
    texts. Spaces in a word match any run of whitespace (only a space without ``any_space``).
    A node's branches come in alphabetical order, or with ``rank`` highest rank first (the
    engine tries them in order: common characters first).
    """
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    key = (lambda kv: (-rank.get(kv[0], 0), kv[0])) if rank else None

    def emit(node: dict) -> str:
        alts = [(r"\s+" if k == " " and any_space else re.escape(k)) + emit(v)
                for k, v in sorted(node.items(), key=key) if k]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def word_anchors(words) -> tuple[str, ...]:
    """Literal strings, one of which begins every match of ``trie_regex(words)``: each word up to
    its first space, leaving out those that begin with another anchor (the shorter one finds them)."""
    heads = {w.split(" ")[0] for w in words}
    return tuple(sorted(h for h in heads if not any(o != h and h.startswith(o) for o in heads)))


def finditer_anchored(pattern: re.Pattern, text: str, anchors: tuple[str, ...]) -> Iterator[re.Match]:
    """``pattern.finditer(text)``, for a pattern that can match only where one of ``anchors`` begins
    (with no anchors, nowhere).

    ``re`` tries a pattern that starts with a lookbehind or an alternation of words at every
    position of the text; ``str.find`` skips to the few places where one can match. The pattern is
    tried there from left to right, each try after the end of the last match, as finditer does.
    """
    starts = {i for a in anchors for i in find_all(text, a)}
    end = 0
    for pos in sorted(starts):
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m:
            yield m
            end = m.end() if m.end() > pos else pos + 1


def find_all(text: str, sub: str) -> Iterator[int]:
    """Every start of ``sub`` in ``text``, overlapping ones included."""
    i = text.find(sub)
    while i != -1:
        yield i
        i = text.find(sub, i + 1)
