"""Back-translation fidelity: sacrebleu scores of round trips, with reproducible signatures.

Without a source text (the usual case for a scraped article) every target sentence makes a round
trip ``target → source language → target`` through an engine, and the round trip is scored
against the original sentence:

    sentence score  = metric.sentence_score(round_trip, [original])     (chrF by default)
    document score  = metric.corpus_score(round_trips, [originals])     (plus the mean of sentences)

With a source text (``--source``), the forward translation of the source is scored against the
target and the back-translation of the target against the source, over aligned sentences
(``mtcheck.scoring.align``).

Every number carries a signature: sacrebleu's own (metric and parameters, sacrebleu version)
extended with the mtcheck version, the translation path and the engine and model identity of each
leg, e.g. ``chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0|mtcheck:0.1.0|
rt:en-es-en|engine:apertium|ver:3.8.3|model:eng-spa+spa-eng|sha:1a2b…+3c4d…``.

sacrebleu is imported lazily, inside the functions that need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mtcheck.scoring.thresholds import (  # noqa: F401 - re-exported: the named defaults live there
    DEFAULT_METRICS,
    DEFAULT_SOURCE_THRESHOLD,
    DEFAULT_THRESHOLD,
    HIGHER_IS_BETTER,
    METRICS,
    MIN_PAIRS_FOR_RATIO,
    MIN_SENTENCE_WORDS,
)


def _words(text: str) -> int:
    from mtcheck.document import count_words

    return count_words(text)


def parse_metrics(spec: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"chrf,bleu"`` or ``["chrf", "bleu"]`` → ``("chrf", "bleu")``; raises UsageError on unknown names."""
    from mtcheck.errors import UsageError

    if spec is None:
        return DEFAULT_METRICS
    items = spec.split(",") if isinstance(spec, str) else [p for s in spec for p in s.split(",")]
    names = []
    for item in items:
        name = item.strip().lower()
        if not name:
            continue
        if name not in METRICS:
            raise UsageError(f"unknown metric {item.strip()!r}; choose from {', '.join(METRICS)}")
        if name not in names:
            names.append(name)
    if not names:
        raise UsageError(f"no metric given; choose from {', '.join(METRICS)}")
    return tuple(names)


def make_metric(name: str, *, sentence: bool = False):
    """A sacrebleu metric object with sacrebleu's defaults. ``sentence=True`` gives BLEU effective
    order, as ``sacrebleu --sentence-level`` does."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    if name == "chrf":
        return CHRF()
    if name == "bleu":
        return BLEU(effective_order=sentence)
    if name == "ter":
        return TER()
    raise ValueError(f"unknown metric {name!r}")


def metric_signature(metric) -> str:
    """sacrebleu's long signature for an evaluated metric, prefixed with the score's name
    (``chrF2|nrefs:1|…|version:2.6.0``)."""
    name = {"CHRF": "chrF", "BLEU": "BLEU", "TER": "TER"}[type(metric).__name__]
    if name == "chrF":
        name = f"chrF{metric.beta}" + ("++" if metric.word_order == 2 else "")
    return f"{name}|{metric.get_signature().format()}"


def _mtcheck_version() -> str:
    from mtcheck import __version__

    return __version__


def engine_signature(legs: Sequence[Any]) -> str:
    """Signature fragment for the engines of a translation path (``EngineIdentity`` per leg).

    Fields shared by every leg (engine, version, decoding parameters) appear once; model names and
    checksums are joined with ``+`` in leg order.
    """
    if not legs:
        return ""
    engines = _join_unique(leg.engine for leg in legs)
    versions = _join_unique(leg.version for leg in legs)
    parts = [
        f"engine:{engines}",
        f"ver:{versions}",
        "model:" + "+".join(leg.model for leg in legs),
        "sha:" + "+".join(leg.checksum[:12] for leg in legs),
    ]
    params: dict[str, str] = {}
    for leg in legs:
        for k, v in leg.params.items():
            params.setdefault(k, [])
            if str(v) not in params[k]:
                params[k].append(str(v))
    parts += [f"{k}:{'+'.join(v)}" for k, v in sorted(params.items())]
    return "|".join(parts)


def _join_unique(values) -> str:
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
    return "+".join(out)


def fidelity_signature(metric, path: Sequence[str], legs: Sequence[Any], kind: str = "rt") -> str:
    """The full signature of a fidelity score: sacrebleu's, mtcheck's version, the path
    (``rt:en-es-en`` for a round trip, ``fwd:es-en`` for a forward translation) and the engines."""
    sig = f"{metric_signature(metric)}|mtcheck:{_mtcheck_version()}|{kind}:{'-'.join(path)}"
    eng = engine_signature(legs)
    return f"{sig}|{eng}" if eng else sig


@dataclass(frozen=True)
class Scores:
    """Sentence scores (one dict per sentence), corpus scores and their signatures, per metric."""

    sentence: list[dict[str, float]]
    corpus: dict[str, float]
    mean: dict[str, float]
    signature: dict[str, str]
    sentence_signature: dict[str, str]


def score_pairs(
    hyps: Sequence[str],
    refs: Sequence[str],
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    path: Sequence[str] = (),
    legs: Sequence[Any] = (),
    kind: str = "rt",
) -> Scores:
    """Score each hypothesis against its reference and the whole list as a corpus.

    With no pairs, every score is 0.0 (there is nothing to be faithful to) and signatures are
    still produced.
    """
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses but {len(refs)} references")
    per_sentence: list[dict[str, float]] = [{} for _ in hyps]
    corpus, mean, sig, sent_sig = {}, {}, {}, {}
    for name in metrics:
        corpus_metric = make_metric(name)
        # BLEU differs between sentence and corpus level (effective order); chrF and TER do not.
        sent_metric = make_metric(name, sentence=True) if name == "bleu" else corpus_metric
        h, r = (list(hyps), list(refs)) if hyps else ([""], [""])  # evaluate once even when empty: signatures need it
        # Segment statistics are extracted once and serve both levels: a sentence score is
        # sacrebleu's aggregate of one segment's statistics (exactly what sentence_score computes),
        # the corpus score the aggregate of all. This halves the cost against calling both APIs.
        stats = corpus_metric._extract_corpus_statistics(h, [r])
        corpus[name] = float(corpus_metric._aggregate_and_compute(stats).score) if hyps else 0.0
        if sent_metric is not corpus_metric:
            sent_metric.sentence_score(h[0], [r[0]])  # resolves its signature fields
        values = [float(sent_metric._aggregate_and_compute([st]).score) for st in stats] if hyps else []
        for i, v in enumerate(values):
            per_sentence[i][name] = v
        mean[name] = sum(values) / len(values) if values else 0.0
        sig[name] = fidelity_signature(corpus_metric, path, legs, kind) if path else metric_signature(corpus_metric)
        sent_sig[name] = fidelity_signature(sent_metric, path, legs, kind) if path else metric_signature(sent_metric)
    return Scores(per_sentence, corpus, mean, sig, sent_sig)


@dataclass(frozen=True)
class SentenceFidelity:
    """One target sentence, its back-translation, its round trip and their scores.

    ``start``/``end`` index ``Document.text`` (the analysed text); rules map them to the original.
    """

    index: int
    start: int
    end: int
    text: str
    back: str
    round_trip: str
    scores: dict[str, float]

    @property
    def chrf(self) -> float | None:
        return self.scores.get("chrf")

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "back_translation": self.back,
            "round_trip": self.round_trip,
            "scores": {k: round(v, 2) for k, v in self.scores.items()},
        }


@dataclass(frozen=True)
class AlignedPair:
    """A bead of the source alignment and its scores.

    ``source``/``target`` are sentence indices (either may be empty). ``target_start``/
    ``target_end`` index ``Document.text`` (the target sentences' extent; for an omission, an
    empty span where the missing sentence belongs). ``forward`` is the source side machine
    translated into the target language, ``back`` the target side translated into the source
    language; ``scores`` holds ``forward`` and ``backward`` chrF (and other metrics) of the pair.
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    source_text: str
    target_text: str
    target_start: int
    target_end: int
    forward: str = ""
    back: str = ""
    similarity: float | None = None
    scores: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "source": list(self.source),
            "target": list(self.target),
            "source_text": self.source_text,
            "target_text": self.target_text,
            "target_start": self.target_start,
            "target_end": self.target_end,
            "forward": self.forward,
            "back_translation": self.back,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "scores": {d: {k: round(v, 2) for k, v in sc.items()} for d, sc in self.scores.items()},
        }


@dataclass
class SourceFidelity:
    """Fidelity against a given source text: alignment, forward and backward scores, parity."""

    path: str | None
    source_lang: str
    target_lang: str
    sentences: int
    pairs: list[AlignedPair]
    forward: dict[str, float]
    backward: dict[str, float]
    forward_signature: dict[str, str]
    backward_signature: dict[str, str]

    @property
    def length_ratio(self) -> float:
        """The median target/source length ratio of aligned pairs: this document's expected ratio.
        With fewer than ``MIN_PAIRS_FOR_RATIO`` pairs it is unknown and taken as 1.0."""
        ratios = sorted(
            len(p.target_text) / len(p.source_text) for p in self.pairs if p.source and p.target and p.source_text
        )
        if len(ratios) < MIN_PAIRS_FOR_RATIO:
            return 1.0
        mid = len(ratios) // 2
        return ratios[mid] if len(ratios) % 2 else (ratios[mid - 1] + ratios[mid]) / 2

    @property
    def omissions(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.source and not p.target]

    @property
    def additions(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.target and not p.source]

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "sentences": self.sentences,
            "length_ratio": round(self.length_ratio, 4),
            "omissions": len(self.omissions),
            "additions": len(self.additions),
            "forward": {k: round(v, 2) for k, v in self.forward.items()},
            "forward_signature": dict(self.forward_signature),
            "backward": {k: round(v, 2) for k, v in self.backward.items()},
            "backward_signature": dict(self.backward_signature),
            "pairs": [p.to_dict() for p in self.pairs],
        }


@dataclass
class FidelityReport:
    """Fidelity of one document: what ``DocumentResult.fidelity`` holds after ``audit``.

    ``document`` holds corpus-level scores over the document's sentences, ``mean`` the mean of the
    sentence scores; ``signature`` has one signature per metric. ``error`` is set (and the scores
    are empty) when the engine failed for this document: its rule findings are still reported.
    """

    source_lang: str
    target_lang: str
    metrics: tuple[str, ...]
    threshold: float
    sentences: list[SentenceFidelity] = field(default_factory=list)
    document: dict[str, float] = field(default_factory=dict)
    mean: dict[str, float] = field(default_factory=dict)
    signature: dict[str, str] = field(default_factory=dict)
    sentence_signature: dict[str, str] = field(default_factory=dict)
    engines: list[dict] = field(default_factory=list)
    source: SourceFidelity | None = None
    error: str | None = None
    failed: dict[int, str] = field(default_factory=dict)

    @property
    def direction(self) -> str:
        """The round-trip path, e.g. ``en-es-en``."""
        return f"{self.target_lang}-{self.source_lang}-{self.target_lang}"

    @property
    def score(self) -> float | None:
        """The document's corpus-level chrF (or first metric), or None when not computed."""
        if not self.document:
            return None
        return self.document.get("chrf", next(iter(self.document.values())))

    def low(self, metric: str = "chrf", threshold: float | None = None) -> list[SentenceFidelity]:
        """Sentences whose score is worse than the threshold."""
        t = self.threshold if threshold is None else threshold
        better = HIGHER_IS_BETTER.get(metric, True)
        return [
            s
            for s in self.sentences
            if metric in s.scores and (s.scores[metric] < t if better else s.scores[metric] > t)
        ]

    def text_lines(self, path: str, *, all_sentences: bool = False) -> list[str]:
        """The report as text: low sentences (every sentence with ``all_sentences``) with their
        round trips, then the document score and its signature."""
        head = f"{path}: fidelity (round trip {self.target_lang} → {self.source_lang} → {self.target_lang})"
        if self.error and not self.sentences:
            lines = [f"{head}: not computed: {self.error}."]
            if self.source is not None:
                lines += self._source_lines()
            return lines
        if not self.sentences and not self.failed:
            return [f"{head}: no sentences."] + (self._source_lines() if self.source is not None else [])
        lines = [f"{head}:"]
        metric = "chrf" if "chrf" in self.metrics else self.metrics[0]
        shown = self.sentences if all_sentences else self.low(metric)
        for s in shown:
            score = "  ".join(f"{name} {value:5.1f}" for name, value in s.scores.items())
            mark = " (low)" if all_sentences and s in self.low(metric) else ""
            if s in self.low(metric) and _words(s.text) < MIN_SENTENCE_WORDS:
                mark += " (too short to flag)"
            lines.append(f"  [{s.index + 1}] {score}{mark}: {s.text}")
            lines.append(f"      round trip: {s.round_trip}")
        for k, why in sorted(self.failed.items()):
            lines.append(f"  [{k + 1}] not scored, the engine failed: {why}")
        for name in self.metrics:
            low = len(self.low(name)) if name == metric else None
            extra = f"; {low} under {self.threshold:g}" if low is not None else ""
            lines.append(
                f"  document {name} {self.document.get(name, 0.0):.1f} "
                f"(mean {self.mean.get(name, 0.0):.1f} over {len(self.sentences)} sentences{extra})"
            )
            lines.append(f"  signature: {self.signature.get(name, '')}")
        if self.source is not None:
            lines += self._source_lines()
        return lines

    def _source_lines(self) -> list[str]:
        src = self.source
        lines = [
            f"  source {src.path or '?'}: {src.sentences} sentences, {len(src.pairs)} beads, "
            f"{len(src.omissions)} omitted, {len(src.additions)} added"
        ]
        for name, value in src.forward.items():
            lines.append(f"  forward {name} {value:.1f} (source translated by the engine vs the target)")
            lines.append(f"  signature: {src.forward_signature.get(name, '')}")
        for name, value in src.backward.items():
            lines.append(f"  backward {name} {value:.1f} (target back-translated vs the source)")
            lines.append(f"  signature: {src.backward_signature.get(name, '')}")
        return lines

    def summary(self) -> dict:
        """The headline numbers without per-sentence rows (SARIF artifact properties)."""
        out = {
            "direction": self.direction,
            "document": {k: round(v, 2) for k, v in self.document.items()},
            "mean": {k: round(v, 2) for k, v in self.mean.items()},
            "signature": dict(self.signature),
            "sentences": len(self.sentences),
            "low": len(self.low()) if "chrf" in self.metrics else 0,
            "threshold": self.threshold,
            "error": self.error,
        }
        if self.source is not None:
            out["source"] = {k: v for k, v in self.source.to_dict().items() if k != "pairs"}
        return out

    def to_dict(self) -> dict:
        return {
            "direction": self.direction,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "metrics": list(self.metrics),
            "threshold": self.threshold,
            "document": {k: round(v, 2) for k, v in self.document.items()},
            "mean": {k: round(v, 2) for k, v in self.mean.items()},
            "signature": dict(self.signature),
            "sentence_signature": dict(self.sentence_signature),
            "engines": list(self.engines),
            "sentences": [s.to_dict() for s in self.sentences],
            "low": [s.index for s in self.low()] if "chrf" in self.metrics else [],
            "source": self.source.to_dict() if self.source else None,
            "failed": [{"index": k, "error": v} for k, v in sorted(self.failed.items())],
            "error": self.error,
        }


def round_trip_report(
    spans: Sequence[Any],
    texts: Sequence[str],
    back: Sequence[str],
    round_trip: Sequence[str],
    *,
    source_lang: str,
    target_lang: str,
    legs: Sequence[Any] = (),
    metrics: Sequence[str] = DEFAULT_METRICS,
    threshold: float = DEFAULT_THRESHOLD,
    indices: Sequence[int] | None = None,
) -> FidelityReport:
    """Score round trips of a document's sentences.

    ``spans`` are the sentences (``Span``: start, end into ``Document.text``), ``texts`` the
    strings that were translated (whitespace normalised), ``back`` their translations into the
    source language and ``round_trip`` those translated back. ``legs`` are the engine identities
    of the two legs, in order. ``indices`` are the sentences' positions in the document (default
    0, 1, …; audit leaves out sentences the engine failed on).
    """
    if not (len(spans) == len(texts) == len(back) == len(round_trip)):
        raise ValueError("spans, texts, back-translations and round trips differ in length")
    path = (target_lang, source_lang, target_lang)
    scores = score_pairs(round_trip, texts, metrics, path=path, legs=legs, kind="rt")
    idx = list(indices) if indices is not None else list(range(len(spans)))
    rows = [
        SentenceFidelity(idx[n], sp.start, sp.end, t, b, r, scores.sentence[n])
        for n, (sp, t, b, r) in enumerate(zip(spans, texts, back, round_trip))
    ]
    return FidelityReport(
        source_lang=source_lang,
        target_lang=target_lang,
        metrics=tuple(metrics),
        threshold=threshold,
        sentences=rows,
        # No sentence, no score: an empty document is not "0 % faithful".
        document=scores.corpus if rows else {},
        mean=scores.mean if rows else {},
        signature=scores.signature,
        sentence_signature=scores.sentence_signature,
        engines=[leg.to_dict() for leg in legs],
    )


def source_report(
    source_texts: Sequence[str],
    target_spans: Sequence[Any],
    target_texts: Sequence[str],
    *,
    source_lang: str,
    target_lang: str,
    forward: Sequence[str] | None = None,
    back: Sequence[str] | None = None,
    forward_legs: Sequence[Any] = (),
    back_legs: Sequence[Any] = (),
    metrics: Sequence[str] = DEFAULT_METRICS,
    path: str | None = None,
) -> SourceFidelity:
    """Align a source text with the target document and score the aligned pairs.

    ``forward[i]`` is source sentence ``i`` translated into the target language, ``back[j]`` target
    sentence ``j`` translated into the source language (either may be None without an engine: the
    alignment is then length based and pairs carry no scores).
    """
    from mtcheck.scoring.align import align

    if len(target_spans) != len(target_texts):
        raise ValueError("target spans and texts differ in length")
    beads = align(source_texts, target_texts, forward)
    pairs: list[AlignedPair] = []
    prev_end = 0
    for bead in beads:
        if bead.target:
            t_start = target_spans[bead.target[0]].start
            t_end = target_spans[bead.target[-1]].end
            prev_end = t_end
        else:
            t_start = t_end = prev_end
        pairs.append(
            AlignedPair(
                source=bead.source,
                target=bead.target,
                source_text=" ".join(source_texts[i] for i in bead.source),
                target_text=" ".join(target_texts[j] for j in bead.target),
                target_start=t_start,
                target_end=t_end,
                forward=" ".join(forward[i] for i in bead.source) if forward is not None else "",
                back=" ".join(back[j] for j in bead.target) if back is not None else "",
                similarity=bead.similarity,
            )
        )
    matched = [k for k, p in enumerate(pairs) if p.source and p.target]
    fwd_scores = bwd_scores = None
    fwd_sig: dict[str, str] = {}
    bwd_sig: dict[str, str] = {}
    fwd_doc: dict[str, float] = {}
    bwd_doc: dict[str, float] = {}
    if forward is not None:
        fwd_scores = score_pairs(
            [pairs[k].forward for k in matched], [pairs[k].target_text for k in matched], metrics,
            path=(source_lang, target_lang), legs=forward_legs, kind="fwd",
        )
        fwd_doc, fwd_sig = fwd_scores.corpus, fwd_scores.signature
    if back is not None:
        bwd_scores = score_pairs(
            [pairs[k].back for k in matched], [pairs[k].source_text for k in matched], metrics,
            path=(target_lang, source_lang), legs=back_legs, kind="bwd",
        )
        bwd_doc, bwd_sig = bwd_scores.corpus, bwd_scores.signature
    for n, k in enumerate(matched):
        sc = {}
        if fwd_scores is not None:
            sc["forward"] = fwd_scores.sentence[n]
        if bwd_scores is not None:
            sc["backward"] = bwd_scores.sentence[n]
        pairs[k] = replace(pairs[k], scores=sc)
    return SourceFidelity(
        path=path,
        source_lang=source_lang,
        target_lang=target_lang,
        sentences=len(source_texts),
        pairs=pairs,
        forward=fwd_doc,
        backward=bwd_doc,
        forward_signature=fwd_sig,
        backward_signature=bwd_sig,
    )


def read_lines(path: str) -> list[str]:
    """Lines of a UTF-8 file as sacrebleu's command line reads them (trailing whitespace stripped)."""
    from mtcheck.errors import InputError

    try:
        with open(path, encoding="utf-8") as fh:
            return [line.rstrip() for line in fh]
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None


def score_corpus(hyps: Sequence[str], refs: Sequence[Sequence[str]], metrics: Sequence[str] = METRICS,
                 *, width: int = 1) -> list[dict]:
    """Corpus scores of ``hyps`` against one or more reference streams, one record per metric,
    exactly as ``sacrebleu REF… -i HYP -m METRICS -f json -w WIDTH`` prints them."""
    import json

    from mtcheck.errors import UsageError

    if not refs:
        raise UsageError("at least one reference is needed")
    for k, ref in enumerate(refs):
        if len(ref) != len(hyps):
            raise UsageError(
                f"the hypothesis has {len(hyps)} lines but reference {k + 1} has {len(ref)}; "
                "score needs one line per segment on both sides"
            )
    out = []
    for name in metrics:
        metric = make_metric(name)
        score = metric.corpus_score(list(hyps), [list(r) for r in refs])
        sig = metric.get_signature().format()
        out.append(json.loads(score.format(width, False, sig, True)))
    return out
