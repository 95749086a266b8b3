"""Evaluate the rules against gold-annotated corpora.

A corpus is a folder tree of ``NAME.txt`` files, each with a ``NAME.json`` annotation file::

    {"kind": "mt" | "clean", "source_lang": "es", "target_lang": "en", "text_file": "NAME.txt",
     "annotations": [{"start": 10, "end": 17, "text": "kyiv", "category": "fluency", "type": "..."}]}

Matching is by span overlap and ignores categories, so a rule that files a problem under a
neighbouring MQM category still counts: a finding is a true positive when it overlaps any gold span
of its document; a gold span is recalled when any finding overlaps it. Precision is reported per
finding category and recall per gold category (and per gold type). Every finding in a clean text
is a false alarm.

The document quality score should separate machine-translated from clean texts: we report the
accuracy of the best threshold ``score < t ⇒ machine-translated``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from mtcheck.errors import InputError

KINDS = ("mt", "clean")


@dataclass
class GoldDocument:
    path: Path
    kind: str
    source_lang: str | None
    target_lang: str | None
    text: str
    annotations: list[dict]


@dataclass
class PRF:
    """Precision, recall and F1 from counts."""

    tp_findings: int = 0
    findings: int = 0
    recalled: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp_findings / self.findings if self.findings else None

    @property
    def recall(self) -> float | None:
        return self.recalled / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def to_dict(self) -> dict:
        rnd = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {
            "precision": rnd(self.precision),
            "recall": rnd(self.recall),
            "f1": rnd(self.f1),
            "findings": self.findings,
            "true_positive_findings": self.tp_findings,
            "gold": self.gold,
            "recalled": self.recalled,
        }


@dataclass
class EvalReport:
    overall: PRF = field(default_factory=PRF)
    by_category: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    recall_by_type: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    documents: list[dict] = field(default_factory=list)
    clean_words: int = 0
    clean_findings: int = 0
    false_alarms: list[dict] = field(default_factory=list)
    separation_accuracy: float | None = None
    separation_threshold: float | None = None

    @property
    def false_alarms_per_1000_words(self) -> float:
        return 1000.0 * self.clean_findings / self.clean_words if self.clean_words else 0.0

    def to_dict(self) -> dict:
        return {
            "overall": self.overall.to_dict(),
            "by_category": {k: v.to_dict() for k, v in sorted(self.by_category.items())},
            "recall_by_type": {k: v.to_dict() for k, v in sorted(self.recall_by_type.items())},
            "clean": {
                "words": self.clean_words,
                "false_alarms": self.clean_findings,
                "false_alarms_per_1000_words": round(self.false_alarms_per_1000_words, 3),
                "items": self.false_alarms,
            },
            "separation": {
                "accuracy": None if self.separation_accuracy is None else round(self.separation_accuracy, 4),
                "threshold": self.separation_threshold,
            },
            "documents": self.documents,
        }


def load_corpus(root: str | Path) -> list[GoldDocument]:
    """Every annotated document under ``root`` (a folder or one ``.json`` file), sorted by path."""
    root = Path(root)
    if not root.exists():
        raise InputError(f"{root}: no such file or directory")
    files = [root] if root.is_file() else sorted(root.rglob("*.json"))
    docs = []
    for jf in files:
        try:
            meta = json.loads(jf.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise InputError(f"{jf}: not a readable annotation file: {e}") from None
        if not isinstance(meta, dict) or "text_file" not in meta:
            continue  # some other JSON (a floors file, say)
        if meta.get("kind") not in KINDS:
            raise InputError(f"{jf}: kind must be one of {', '.join(KINDS)}")
        tf = jf.parent / meta["text_file"]
        try:
            text = tf.read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(f"{tf}: cannot read: {e.strerror or e}") from None
        docs.append(
            GoldDocument(
                path=tf,
                kind=meta["kind"],
                source_lang=meta.get("source_lang"),
                target_lang=meta.get("target_lang"),
                text=text,
                annotations=list(meta.get("annotations", [])),
            )
        )
    if not docs:
        raise InputError(f"{root}: no annotated documents (NAME.txt + NAME.json) found")
    return docs


def check_annotations(doc: GoldDocument) -> list[str]:
    """Problems with a document's annotations (empty when every span slices to its text)."""
    problems = []
    for a in doc.annotations:
        s, e = a.get("start"), a.get("end")
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(doc.text)):
            problems.append(f"{doc.path}: bad span {s}:{e}")
        elif doc.text[s:e] != a.get("text"):
            problems.append(f"{doc.path}: span {s}:{e} is {doc.text[s:e]!r}, annotation says {a.get('text')!r}")
        if not a.get("category"):
            problems.append(f"{doc.path}: annotation at {s} has no category")
    return problems


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def evaluate(docs: list[GoldDocument], settings_factory) -> EvalReport:
    """Scan every document and compare with the gold annotations.

    ``settings_factory(doc)`` returns the :class:`~mtcheck.settings.Settings` to scan ``doc`` with.
    """
    from mtcheck.api import scan_document
    from mtcheck.io.loaders import document_from_string

    rep = EvalReport()
    scored: list[tuple[float, bool]] = []
    for gd in docs:
        res = scan_document(document_from_string(gd.text, path=str(gd.path)), settings_factory(gd))
        findings = res.findings
        gold = gd.annotations
        tp = 0
        for f in findings:
            hit = any(_overlaps(f.start, max(f.end, f.start + 1), g["start"], g["end"]) for g in gold)
            tp += hit
            cat = rep.by_category[f.category.value]
            cat.findings += 1
            cat.tp_findings += hit
            if gd.kind == "clean":
                rep.false_alarms.append({"path": str(gd.path), "code": f.code, "line": f.line, "text": f.text})
        recalled = 0
        for g in gold:
            hit = any(_overlaps(f.start, max(f.end, f.start + 1), g["start"], g["end"]) for f in findings)
            recalled += hit
            for bucket in (rep.by_category[g["category"]], rep.recall_by_type[g.get("type", g["category"])]):
                bucket.gold += 1
                bucket.recalled += hit
        rep.overall.findings += len(findings)
        rep.overall.tp_findings += tp
        rep.overall.gold += len(gold)
        rep.overall.recalled += recalled
        if gd.kind == "clean":
            rep.clean_words += res.words
            rep.clean_findings += len(findings)
        scored.append((res.score, gd.kind == "mt"))
        rep.documents.append(
            {
                "path": str(gd.path),
                "kind": gd.kind,
                "words": res.words,
                "score": round(res.score, 2),
                "findings": len(findings),
                "gold": len(gold),
                "recalled": recalled,
            }
        )
    rep.separation_accuracy, rep.separation_threshold = best_threshold(scored)
    return rep


def best_threshold(scored: list[tuple[float, bool]]) -> tuple[float | None, float | None]:
    """Accuracy of the best rule ``score < t ⇒ positive`` and that threshold ``t``."""
    if not scored:
        return None, None
    values = sorted({s for s, _ in scored})
    candidates = [values[0] - 1] + [(a + b) / 2 for a, b in zip(values, values[1:])] + [values[-1] + 1]
    best = (-1.0, None)
    for t in candidates:
        acc = sum((s < t) == pos for s, pos in scored) / len(scored)
        if acc > best[0]:
            best = (acc, round(t, 2))
    return best


def render_text(rep: EvalReport) -> str:
    """The report as a plain-text table."""
    fmt = lambda x: "   -  " if x is None else f"{x:6.3f}"  # noqa: E731
    lines = [f"{'':24} {'prec':>6} {'recall':>6} {'F1':>6} {'found':>6} {'gold':>5}"]
    for name, prf in sorted(rep.by_category.items()):
        lines.append(
            f"{name:24} {fmt(prf.precision)} {fmt(prf.recall)} {fmt(prf.f1)} {prf.findings:6d} {prf.gold:5d}"
        )
    o = rep.overall
    lines.append(f"{'overall':24} {fmt(o.precision)} {fmt(o.recall)} {fmt(o.f1)} {o.findings:6d} {o.gold:5d}")
    lines.append("")
    lines.append("recall by gold type:")
    for name, prf in sorted(rep.recall_by_type.items()):
        lines.append(f"  {name:30} {prf.recalled:3d}/{prf.gold:<3d} {fmt(prf.recall)}")
    lines.append("")
    lines.append(
        f"clean texts: {rep.clean_findings} false alarm(s) in {rep.clean_words} words = "
        f"{rep.false_alarms_per_1000_words:.2f} per 1,000 words"
    )
    for fa in rep.false_alarms:
        lines.append(f"  {fa['path']}:{fa['line']}: {fa['code']} {fa['text']!r}")
    if rep.separation_accuracy is not None:
        lines.append(
            f"quality score separates MT from clean: accuracy {rep.separation_accuracy:.3f} "
            f"at threshold score < {rep.separation_threshold}"
        )
    return "\n".join(lines) + "\n"
