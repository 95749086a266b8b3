"""Sentence alignment of a source text and its translation.

Two signals, as Bleualign combines them:

* **length** (Gale & Church 1993): the length of a translation is roughly proportional to the
  length of its source. For a bead of source length ``l1`` and target length ``l2`` (characters),
  ``δ = (l2 − c·l1) / √(s²·(l1 + l2/c)/2)`` is about standard normal; its cost is
  ``−log(2·(1 − Φ(|δ|)))``. ``c`` is the document's own length ratio, ``s² = 6.8``.
* **translation similarity**: when the forward translation of every source sentence is known,
  a bead's similarity is chrF₁ between the forward translation of its source side and its target
  side, on a 0–1 scale: sacrebleu's chrF formula with β = 1 (so that merging an extra sentence into
  a bead costs precision), computed over n-gram *types* (sets) rather than counts. Sets make a
  comparison a few C-level set intersections, which keeps a 500-sentence alignment well under a
  second; on sentences the two differ by a few points (tested).

Dynamic programming over beads 1-1, 1-0, 0-1, 2-1 and 1-2 finds the cheapest monotone alignment.
Without translations the cost is Gale–Church's: ``−log prior(bead) + length cost``. With
translations, similarity decides and length breaks ties: a bead pairing sentences costs
``SIMILARITY_WEIGHT·(MIN_SIMILARITY − sim) + MERGE_COST·(merged sentences) +
LENGTH_WEIGHT·length cost``, and leaving a sentence unaligned costs nothing; the length cost then
compares the target with the forward translation (ratio 1), not with the source. So two sentences are
paired only when their similarity beats ``MIN_SIMILARITY`` (a pair of unrelated sentences scores
about 0.15–0.25), and an omitted sentence stays unaligned instead of being glued to a neighbour.

Unaligned source sentences are omissions, unaligned target sentences additions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Gale & Church's bead priors.
BEAD_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
}
#: Gale & Church's variance of the length difference per character.
LENGTH_VARIANCE = 6.8
#: Similarity (chrF₁ / 100) under which two sentences are not considered translations.
MIN_SIMILARITY = 0.30
#: Weight of similarity against the other costs when translations are known.
SIMILARITY_WEIGHT = 20.0
#: Extra cost per sentence merged into a 2-1 or 1-2 bead (translation mode).
MERGE_COST = 0.2
#: Weight of the length cost in translation mode (a tie breaker).
LENGTH_WEIGHT = 0.2
#: A 2-1 or 1-2 bead is scored only if one of its 1-1 parts reaches this similarity.
MERGE_GATE = 0.25
#: The DP only visits cells within this many sentences of the diagonal (plus the length difference).
MIN_BAND = 12


@dataclass(frozen=True)
class Bead:
    """Source sentence indices and target sentence indices aligned together (either may be empty)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    cost: float
    similarity: float | None = None

    @property
    def kind(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"


def length_cost(l1: int, l2: int, ratio: float = 1.0) -> float:
    """Gale–Church cost of aligning ``l1`` source characters with ``l2`` target characters."""
    if l1 == 0 and l2 == 0:
        return 0.0
    mean = (l1 + l2 / ratio) / 2.0
    delta = (l2 - l1 * ratio) / math.sqrt(max(mean, 1.0) * LENGTH_VARIANCE)
    p = math.erfc(abs(delta) / math.sqrt(2.0))
    return -math.log(max(p, 1e-300))


#: Character n-gram orders of the similarity (chrF's default).
CHAR_ORDER = 6


def _ngram_sets(text: str) -> tuple[frozenset[str], ...]:
    """The sets of character 1- to 6-grams of ``text`` with whitespace removed (as chrF does)."""
    t = "".join(text.split())
    return tuple(frozenset(t[i : i + n] for i in range(len(t) - n + 1)) for n in range(1, CHAR_ORDER + 1))


def _f1(hyp: tuple[frozenset[str], ...], ref: tuple[frozenset[str], ...]) -> float:
    """sacrebleu's chrF formula (precision and recall averaged over the orders present on both
    sides, then F-β with β = 1), over n-gram types."""
    prec = rec = 0.0
    orders = 0
    for h, r in zip(hyp, ref):
        if h and r:
            common = len(h & r)
            prec += common / len(h)
            rec += common / len(r)
            orders += 1
    if not orders:
        return 0.0
    prec, rec = prec / orders, rec / orders
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


class _Similarity:
    """Similarity of forward translations and target sentences, n-grams extracted once per sentence
    and merged by set union for 2-1 and 1-2 beads."""

    def __init__(self, forward: Sequence[str], target: Sequence[str]):
        self._single = {"f": [_ngram_sets(t) for t in forward], "t": [_ngram_sets(t) for t in target]}
        self._merged: dict[tuple, tuple[frozenset[str], ...]] = {}

    def _ngrams(self, side: str, idx: tuple[int, ...]):
        if len(idx) == 1:
            return self._single[side][idx[0]]
        key = (side, idx)
        got = self._merged.get(key)
        if got is None:
            parts = [self._single[side][i] for i in idx]
            got = tuple(frozenset().union(*orders) for orders in zip(*parts))
            self._merged[key] = got
        return got

    def __call__(self, src: tuple[int, ...], tgt: tuple[int, ...]) -> float:
        return _f1(self._ngrams("f", src), self._ngrams("t", tgt))


def similarity(forward: str, target: str) -> float:
    """chrF₁ / 100 over n-gram types of ``forward`` (a machine translation of a source sentence)
    against ``target``: 1.0 for identical texts, about 0.15–0.25 for unrelated sentences."""
    return _f1(_ngram_sets(forward), _ngram_sets(target))


def align(
    source: Sequence[str],
    target: Sequence[str],
    forward: Sequence[str] | None = None,
    *,
    min_similarity: float = MIN_SIMILARITY,
    band: int | None = None,
) -> list[Bead]:
    """Align ``source`` and ``target`` sentences; ``forward[i]`` is ``source[i]`` machine-translated
    into the target language (omit it for a length-only Gale–Church alignment).

    Returns beads in order; every sentence of both sides appears in exactly one bead. ``band``
    limits how far from the diagonal the search goes (default: ``MIN_BAND`` plus the difference
    in sentence counts).
    """
    n, m = len(source), len(target)
    if forward is not None and len(forward) != n:
        raise ValueError("forward translations must match the source sentences one to one")
    tlen = [len(t) for t in target]
    if forward is not None:
        # The engine's translation is in the target language: its length is the expected length
        # of the target, so no document-wide ratio (which additions and omissions would skew).
        slen = [len(f) for f in forward]
        ratio = 1.0
    else:
        slen = [len(s) for s in source]
        ratio = (sum(tlen) / sum(slen)) if sum(slen) and sum(tlen) else 1.0
        ratio = min(max(ratio, 0.5), 2.0)
    sim = _Similarity(forward, target) if forward is not None else None

    if band is None:
        band = max(MIN_BAND, abs(n - m) + 4)
    inf = math.inf
    # One dict per row holding only the cells inside the band: memory grows with n × band, not n × m.
    cost: list[dict[int, float]] = [{} for _ in range(n + 1)]
    back: list[dict[int, tuple[int, int, float | None]]] = [{} for _ in range(n + 1)]
    cost[0][0] = 0.0
    slope = m / n if n else 0.0

    one_to_one: dict[tuple[int, int], float] = {}

    def sim1(a: int, b: int) -> float:
        got = one_to_one.get((a, b))
        if got is None:
            got = one_to_one[(a, b)] = sim((a,), (b,))
        return got

    def bead_cost(i: int, j: int, di: int, dj: int) -> tuple[float, float | None]:
        l1 = sum(slen[i - di : i])
        l2 = sum(tlen[j - dj : j])
        if sim is None:
            return -math.log(BEAD_PRIORS[(di, dj)]) + length_cost(l1, l2, ratio), None
        if di == 0 or dj == 0:
            return 0.0, None
        if di == dj == 1:
            s = sim1(i - 1, j - 1)
            return SIMILARITY_WEIGHT * (min_similarity - s) + LENGTH_WEIGHT * length_cost(l1, l2, ratio), s
        if di + dj > 2 and max(sim1(a, b) for a in range(i - di, i) for b in range(j - dj, j)) < MERGE_GATE:
            return inf, None  # no part of the merge resembles the other side: not worth scoring
        s = sim(tuple(range(i - di, i)), tuple(range(j - dj, j)))
        c = SIMILARITY_WEIGHT * (min_similarity - s) + MERGE_COST * (di + dj - 2) + LENGTH_WEIGHT * length_cost(l1, l2, ratio)
        return c, s

    for i in range(n + 1):
        centre = i * slope
        lo = max(0, int(centre) - band)
        hi = min(m, int(math.ceil(centre)) + band)
        if n == 0:
            lo, hi = 0, m
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, None
            for di, dj in BEAD_PRIORS:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                prev = cost[pi].get(pj, inf)
                if prev == inf:
                    continue
                c, s = bead_cost(i, j, di, dj)
                total = prev + c
                if total < best:
                    best, arg = total, (di, dj, s)
            cost[i][j] = best
            back[i][j] = arg
    if cost[n].get(m, inf) == inf:  # band too narrow for a very uneven pair: fall back to no band
        return align(source, target, forward, min_similarity=min_similarity, band=max(n, m) + 1)

    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj, s = back[i][j]
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), cost[i][j] - cost[i - di][j - dj], s))
        i, j = i - di, j - dj
    beads.reverse()
    return beads

