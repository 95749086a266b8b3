"""Benchmark the fidelity side of `mtcheck audit` with Apertium es↔en, in one run (ratios, not seconds).

Reports:
1. batching: the seven es→en corpus articles audited in one batch (two engine calls in all)
   against one audit per article (two calls each), translation cache off;
2. cache: the same batch again with a warm translation cache, against the cold run;
3. scoring: sentences/s of round-trip scoring (sacrebleu chrF, sentence and corpus);
4. alignment: seconds to align 12, 120 and 480 sentence pairs, with forward translations and by
   lengths only (the 480 case repeats the test pair 40 times).

Each timing is the median of ``--runs`` runs, in process (no interpreter start-up).

Usage: .venv/bin/python benchmarks/bench_fidelity.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtcheck.audit import AuditOptions, audit_paths, sentence_text  # noqa: E402
from mtcheck.document import Document  # noqa: E402
from mtcheck.settings import Settings  # noqa: E402

ARTICLES = sorted(str(p) for p in (ROOT / "corpora" / "mt" / "es-en").glob("*.txt"))
DATA = ROOT / "tests" / "fidelity" / "data"


def _median_time(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def _settings() -> Settings:
    return Settings(source_lang="es", target_lang="en", select=("F",))


def bench_batching(runs: int) -> None:
    opts = AuditOptions(source_lang="es", engine="apertium", use_cache=False)
    batched, run = _median_time(lambda: audit_paths(ARTICLES, _settings(), opts), runs)
    one_by_one, _ = _median_time(lambda: [audit_paths([a], _settings(), opts) for a in ARTICLES], runs)
    print(f"1. batching: {len(ARTICLES)} articles, {run.sentences} sentences, {run.translated} strings translated")
    print(f"   one batch ({run.calls} engine calls): {batched:.2f} s   one audit per article "
          f"({2 * len(ARTICLES)} calls): {one_by_one:.2f} s   speed-up {one_by_one / batched:.1f}×")
    return batched


def bench_cache(runs: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="mtcheck-bench-"))
    try:
        opts = AuditOptions(source_lang="es", engine="apertium", cache_path=str(tmp / "cache.sqlite3"))
        cold_times, cold_tr = [], []
        for _ in range(runs):
            (tmp / "cache.sqlite3").unlink(missing_ok=True)
            for extra in ("-wal", "-shm"):
                (tmp / f"cache.sqlite3{extra}").unlink(missing_ok=True)
            t = time.perf_counter()
            run = audit_paths(ARTICLES, _settings(), opts)
            cold_times.append(time.perf_counter() - t)
            cold_tr.append(run.translate_seconds)
        cold = statistics.median(cold_times)
        warm_times, warm_tr = [], []
        for _ in range(runs):
            t = time.perf_counter()
            run = audit_paths(ARTICLES, _settings(), opts)
            warm_times.append(time.perf_counter() - t)
            warm_tr.append(run.translate_seconds)
        warm = statistics.median(warm_times)
        ct, wt = statistics.median(cold_tr), statistics.median(warm_tr)
        print(f"2. cache: whole audit cold {cold:.2f} s, warm {warm:.2f} s ({cold / warm:.1f}×); "
              f"engine calls cold {ct:.3f} s, warm {wt:.4f} s ({ct / wt:.0f}×)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_scoring(runs: int) -> None:
    from mtcheck.scoring.fidelity import score_pairs

    seed = Document.from_text((ROOT / "corpora" / "mt" / "es-en" / "000_seed.txt").read_text(encoding="utf-8"))
    texts = [sentence_text(s.text) for s in seed.sentences_for("en")] * 25
    hyps = [t.replace("the", "a") for t in texts]
    score_pairs(hyps[:2], texts[:2])  # import sacrebleu outside the timing
    secs, _ = _median_time(lambda: score_pairs(hyps, texts, ("chrf",)), runs)
    print(f"3. scoring: {len(texts)} sentences of chrF (sentence + corpus) in {secs:.2f} s = {len(texts) / secs:,.0f} sentences/s")


def bench_alignment(runs: int) -> None:
    from mtcheck.scoring.align import align

    src = [sentence_text(s.text) for s in Document.from_text((DATA / "source_es.txt").read_text(encoding="utf-8")).sentences_for("es")]
    tgt = [sentence_text(s.text) for s in Document.from_text((DATA / "target_en.txt").read_text(encoding="utf-8")).sentences_for("en")]
    fwd = (DATA / "source_es.forward_en.txt").read_text(encoding="utf-8").splitlines()
    parts = []
    for k in (1, 10, 40):
        s, t, f = src * k, tgt * k, fwd * k
        with_tr, beads = _median_time(lambda: align(s, t, f), runs)
        lengths, _ = _median_time(lambda: align(s, t), runs)
        omitted = sum(1 for b in beads if b.source and not b.target)
        parts.append(f"{len(s)} pairs: {with_tr:.3f} s with translations ({omitted} omissions found of {k}), "
                     f"{lengths:.3f} s by length")
    print("4. alignment: " + "\n              ".join(parts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if shutil.which("apertium") is None:
        sys.exit("apertium is not installed (apt-get install apertium apertium-eng-spa)")
    bench_batching(args.runs)
    bench_cache(args.runs)
    bench_scoring(args.runs)
    bench_alignment(args.runs)


if __name__ == "__main__":
    main()
