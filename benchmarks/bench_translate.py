"""Translation throughput benchmark (not a test). Run: ``.venv/bin/python benchmarks/bench_translate.py``.

In one run, on the same Argos package and the same Spanish sentences (the es-en source corpora,
repeated to --sentences):

* mtcheck's batched Argos path (``ArgosTranslator.translate_batch``, all sentences in one call);
* argostranslate's own ``translate()`` on the same text, with only its sentencizer swapped for a
  trivial one that returns mtcheck's sentences (offline it would download MiniSBD); model loading,
  tokenisation, its per-paragraph ``translate_batch`` and decoding are argostranslate's;
* raw CTranslate2 ``translate_batch`` with the same tokenizer and decoding options (the floor);
* Apertium: one process for the whole batch against one process per sentence;
* memory: resident set size while 10,000 sentences go through the cached engine in chunks;
* the translation cache: the same sentences cold (engine) and again (cache lookups), in process;
* the cold ``mtcheck audit`` of the seed article against the same audit from the cache (Apertium,
  whole processes: start-up and the rules are included in both).

No real Argos model can be downloaded here, so the package is built by tests/helpers/argosmodel.py:
a small Marian transformer (default d_model 128, 2 layers, int8 as Argos ships its models) trained
for a few seconds to copy its input, so output length follows input length as in real translation.
Absolute speeds are those of this small model; ratios are what the benchmark is for. The model is
built once into ~/.cache/mtcheck-bench/ (or pass --model X.argosmodel).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPER = ROOT / "tests" / "helpers" / "argosmodel.py"
SEED = ROOT / "corpora" / "mt" / "es-en" / "000_seed.txt"
BENCH_MODEL_ARGS = ["--d-model", "128", "--layers", "2", "--ffn", "512", "--heads", "4",
                    "--train-steps", "400", "--quantization", "int8"]


def _default_model() -> Path:
    path = Path.home() / ".cache" / "mtcheck-bench" / "bench-d128-l2-int8.argosmodel"
    if not path.exists():
        print(f"building the benchmark model into {path} (a few minutes on 2 cores) …", file=sys.stderr)
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(HELPER), str(path), *BENCH_MODEL_ARGS], check=True)
    return path


def _spanish_paragraphs() -> list[list[str]]:
    from mtcheck.text.segment import split_paragraphs, split_sentences

    out = []
    for f in sorted((ROOT / "corpora" / "mt" / "es-en" / "source").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        for ps, pe in split_paragraphs(text):
            para = text[ps:pe]
            sents = [" ".join(para[s:e].split()) for s, e in split_sentences(para, "es")]
            if sents:
                out.append(sents)
    if not out:
        out = [["El gobierno anunció una nueva ley de vivienda.", "Los precios subieron un 5 % en un año."]]
    return out


def _take(paragraphs: list[list[str]], n: int) -> list[list[str]]:
    """Paragraphs, cycling through the corpus, until they hold n sentences."""
    out, count, i = [], 0, 0
    while count < n:
        para = paragraphs[i % len(paragraphs)][: n - count]
        out.append(para)
        count += len(para)
        i += 1
    return out


def _timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, all threads) for one call."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def _best(fn, repeat: int) -> float:
    return min(_timed(fn)[0] for _ in range(repeat))


def _alternate(fns: dict, repeat: int) -> dict[str, tuple[float, float]]:
    """Best wall and best CPU time of each function, running them in turn ``repeat`` times so that
    load from other processes hits all of them alike."""
    walls: dict[str, list[float]] = {k: [] for k in fns}
    cpus: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            w, c = _timed(fn)
            walls[k].append(w)
            cpus[k].append(c)
    return {k: (min(walls[k]), min(cpus[k])) for k in fns}


def _rss_worker(packages_dir: str, n: int, chunk: int, cache_path: str) -> None:
    """Child process: translate n distinct sentences in chunks through the cached engine and print
    the resident set size after each chunk (JSON)."""
    from mtcheck.translate.registry import get_translator

    paragraphs = _spanish_paragraphs()
    base = [s for p in paragraphs for s in p]
    tr = get_translator("argos", source="es", target="en", cache_path=cache_path, packages_dir=packages_dir)
    samples = []
    for start in range(0, n, chunk):
        batch = [f"{base[i % len(base)]} ({i})" for i in range(start, min(n, start + chunk))]
        tr.translate_batch(batch, "es", "en")
        samples.append(_vm("VmRSS"))
    print(json.dumps({"rss_kib": samples, "peak_kib": _vm("VmHWM"), "misses": tr.misses}))


def _vm(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, help="An .argosmodel (es→en) to benchmark (default: build one).")
    ap.add_argument("--sentences", type=int, default=400, help="Sentences for the Argos comparison.")
    ap.add_argument("--repeat", type=int, default=3, help="Best of N for mtcheck and raw CTranslate2.")
    ap.add_argument("--apertium-sentences", type=int, default=100)
    ap.add_argument("--rss-sentences", type=int, default=10_000)
    ap.add_argument("--rss-chunk", type=int, default=1_000)
    ap.add_argument("--json", type=Path, help="Also write the numbers to this file.")
    ap.add_argument("--rss-worker", nargs=3, metavar=("PACKAGES", "N", "CACHE"), help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.rss_worker:
        _rss_worker(a.rss_worker[0], int(a.rss_worker[1]), a.rss_chunk, a.rss_worker[2])
        return 0

    from mtcheck.translate import argos as argos_engine

    threads = argos_engine.DEFAULT_INTRA_THREADS
    model = a.model or _default_model()
    work = Path(tempfile.mkdtemp(prefix="mtcheck-bench-"))
    # argostranslate reads its settings at import: point it at a private data dir and give it the
    # same threads as mtcheck before importing it.
    os.environ.update({
        "HOME": str(work / "home"), "XDG_DATA_HOME": str(work / "home" / "share"),
        "XDG_CACHE_HOME": str(work / "home" / "cache"), "XDG_CONFIG_HOME": str(work / "home" / "config"),
        "ARGOS_PACKAGES_DIR": str(work / "packages"), "ARGOS_INTRA_THREADS": str(threads),
        "ARGOS_INTER_THREADS": "1", "ARGOS_COMPUTE_TYPE": argos_engine.DEFAULT_COMPUTE_TYPE,
        "MTCHECK_CACHE_DIR": str(work / "mtcheck-cache"),
    })
    (work / "home").mkdir(parents=True)
    import argostranslate.package

    argostranslate.package.install_from_path(model)
    pkg = next(p for p in argostranslate.package.get_installed_packages() if (p.from_code, p.to_code) == ("es", "en"))
    results: dict = {"model": model.name, "threads": threads, "cpu_count": os.cpu_count()}

    paragraphs = _take(_spanish_paragraphs(), a.sentences)
    sentences = [s for p in paragraphs for s in p]
    n = len(sentences)
    print(f"model {model.name}; {n} Spanish sentences ({len(set(sentences))} distinct, cycled) in {len(paragraphs)} "
          f"paragraphs; {threads} threads")

    # -- raw CTranslate2: the floor ---------------------------------------------------------------
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(pkg.package_path / "sentencepiece.model"))
    raw = ctranslate2.Translator(str(pkg.package_path / "model"), device="cpu", compute_type=argos_engine.DEFAULT_COMPUTE_TYPE,
                                 inter_threads=1, intra_threads=threads)
    raw_out: list[str] = []

    def run_raw():
        toks = sp.encode(sentences, out_type=str)
        res = raw.translate_batch(toks, max_batch_size=argos_engine.DEFAULT_MAX_BATCH_SIZE, beam_size=4,
                                  length_penalty=0.2, replace_unknowns=True)
        raw_out[:] = [sp.decode_pieces(r.hypotheses[0]).replace("▁", " ").strip() for r in res]

    run_raw()  # warm-up

    # -- mtcheck ----------------------------------------------------------------------------------
    engine = argos_engine.ArgosTranslator()
    engine.translate_batch(["Hola."], "es", "en")  # load the model once
    ours: list[str] = []

    def run_ours():
        ours[:] = engine.translate_batch(sentences, "es", "en")

    best = _alternate({"raw": run_raw, "ours": run_ours}, a.repeat)
    (t_raw, c_raw), (t_ours, c_ours) = best["raw"], best["ours"]
    same = sum(x == y for x, y in zip(ours, raw_out))

    # -- argostranslate translate() ---------------------------------------------------------------
    import argostranslate.translate as at

    by_paragraph = {" ".join(p): p for p in paragraphs}

    class TrivialSentencizer:
        """Returns mtcheck's sentences for a paragraph: no model, no download."""

        def __init__(self, pkg):
            pass

        def split_sentences(self, text):
            return by_paragraph.get(text) or [text]

    at.MiniSBDSentencizer = TrivialSentencizer
    doc = "\n".join(" ".join(p) for p in paragraphs)
    at.translate("Un texto distinto para calentar.", "es", "en")  # model load, outside the timing
    theirs_box: list[str] = []
    t_argos, c_argos = _timed(lambda: theirs_box.append(at.translate(doc, "es", "en")))
    theirs = theirs_box[0]
    ours_paragraphs, it = [], iter(ours)
    for p in paragraphs:
        ours_paragraphs.append(" ".join(next(it) for _ in p))
    their_paragraphs = theirs.split("\n")
    same_argos = sum(" ".join(x.split()) == " ".join(y.replace("_", " ").split())
                     for x, y in zip(ours_paragraphs, their_paragraphs))

    results["argos"] = {
        "sentences": n,
        "mtcheck_s": t_ours, "raw_ctranslate2_s": t_raw, "argostranslate_translate_s": t_argos,
        "mtcheck_sent_per_s": n / t_ours, "raw_sent_per_s": n / t_raw, "argostranslate_sent_per_s": n / t_argos,
        "speedup_vs_argostranslate": t_argos / t_ours, "overhead_vs_raw": t_ours / t_raw,
        "cpu_s": {"mtcheck": c_ours, "raw_ctranslate2": c_raw, "argostranslate": c_argos},
        "cpu_speedup_vs_argostranslate": c_argos / c_ours, "cpu_overhead_vs_raw": c_ours / c_raw,
        "identical_to_raw": f"{same}/{n}", "paragraphs_identical_to_argostranslate": f"{same_argos}/{len(paragraphs)}",
    }
    r = results["argos"]
    print(f"\nArgos, {n} sentences (best of {a.repeat}, alternating; argostranslate once). wall / CPU seconds:")
    print(f"  raw ctranslate2 translate_batch  {r['raw_sent_per_s']:8.1f} sent/s   {t_raw:6.2f} s / {c_raw:6.2f} s   (floor)")
    print(f"  mtcheck ArgosTranslator          {r['mtcheck_sent_per_s']:8.1f} sent/s   {t_ours:6.2f} s / {c_ours:6.2f} s   "
          f"{r['overhead_vs_raw']:.2f}x raw wall, {r['cpu_overhead_vs_raw']:.2f}x CPU   (target ≤ 1.3x)")
    print(f"  argostranslate translate()       {r['argostranslate_sent_per_s']:8.1f} sent/s   {t_argos:6.2f} s / {c_argos:6.2f} s   "
          f"mtcheck {r['speedup_vs_argostranslate']:.1f}x faster wall, {r['cpu_speedup_vs_argostranslate']:.1f}x CPU   (target ≥ 5x)")
    print(f"  outputs: {same}/{n} sentences identical to raw; {same_argos}/{len(paragraphs)} paragraphs identical "
          f"to argostranslate")

    # -- Apertium ---------------------------------------------------------------------------------
    from mtcheck.translate.apertium import ApertiumTranslator

    ap_tr = ApertiumTranslator()
    if ap_tr.supports("es", "en"):
        ap_sents = sentences[: a.apertium_sentences]
        ap_tr.translate_batch(ap_sents[:2], "es", "en")
        t_batch = _best(lambda: ap_tr.translate_batch(ap_sents, "es", "en"), a.repeat)
        t0 = time.perf_counter()
        single = [ap_tr.translate_batch([s], "es", "en")[0] for s in ap_sents]
        t_single = time.perf_counter() - t0
        batched = ap_tr.translate_batch(ap_sents, "es", "en")
        agree = sum(x == y for x, y in zip(batched, single))
        m = len(ap_sents)
        results["apertium"] = {"sentences": m, "batched_s": t_batch, "per_sentence_s": t_single,
                               "speedup": t_single / t_batch, "identical": f"{agree}/{m}"}
        print(f"\nApertium spa-eng, {m} sentences:")
        print(f"  one process per batch      {m / t_batch:8.1f} sent/s   {t_batch:6.2f} s")
        print(f"  one process per sentence   {m / t_single:8.1f} sent/s   {t_single:6.2f} s   "
              f"batched is {t_single / t_batch:.0f}x faster; {agree}/{m} outputs identical")
    else:
        print("\nApertium spa-eng not installed: skipped")

    # -- memory over 10,000 sentences -------------------------------------------------------------
    proc = subprocess.run([sys.executable, __file__, "--rss-worker", str(work / "packages"), str(a.rss_sentences),
                           str(work / "rss-cache.sqlite3"), "--rss-chunk", str(a.rss_chunk)],
                          capture_output=True, text=True, env=os.environ)
    if proc.returncode == 0:
        mem = json.loads(proc.stdout.strip().splitlines()[-1])
        rss = mem["rss_kib"]
        results["memory"] = {"sentences": a.rss_sentences, "chunk": a.rss_chunk, "rss_mib": [x / 1024 for x in rss],
                             "peak_mib": mem["peak_kib"] / 1024,
                             "growth_after_first_chunk_mib": (max(rss) - rss[0]) / 1024,
                             "growth_after_second_chunk_mib": (max(rss) - rss[min(1, len(rss) - 1)]) / 1024}
        mm = results["memory"]
        print(f"\nMemory, {a.rss_sentences} distinct sentences through the cached Argos engine in chunks of {a.rss_chunk}:")
        print(f"  RSS after each chunk (MiB): {', '.join(f'{x:.0f}' for x in mm['rss_mib'])}")
        print(f"  peak {mm['peak_mib']:.0f} MiB; growth after the first chunk {mm['growth_after_first_chunk_mib']:.1f} MiB, "
              f"after the second {mm['growth_after_second_chunk_mib']:.1f} MiB")
    else:
        print(f"\nmemory run failed: {proc.stderr.strip().splitlines()[-1:]}")

    # -- the cache: the same sentences again, in process --------------------------------------------
    from mtcheck.translate.registry import get_translator

    results["cache"] = {}
    distinct = [f"{x} ({i})" for i, x in enumerate(sentences)]  # the corpus repeats; the cache would dedupe
    print(f"\nTranslation cache, {n} distinct sentences, in process (cold = engine + cache write; cached = lookups):")
    for eng_name in ("argos", "apertium"):
        try:
            cached_tr = get_translator(eng_name, source="es", target="en", cache_path=work / f"cache-{eng_name}.sqlite3")
        except Exception as err:  # noqa: BLE001 - report and go on
            print(f"  {eng_name}: skipped ({err})")
            continue
        cached_tr.translate_batch(["Hola."], "es", "en")  # load models outside the timing
        cold = _timed(lambda: cached_tr.translate_batch(distinct, "es", "en"))[0]
        warm = _best(lambda: cached_tr.translate_batch(distinct, "es", "en"), a.repeat)
        results["cache"][eng_name] = {"cold_s": cold, "cached_s": warm, "speedup": cold / warm}
        print(f"  {eng_name:9s} cold {cold:6.3f} s   cached {warm:6.3f} s   {cold / warm:6.0f}x")
        cached_tr.close()

    # -- cold audit against cached audit ----------------------------------------------------------
    if SEED.exists() and ap_tr.supports("es", "en"):
        cache = work / "audit-cache.sqlite3"
        cmd = [sys.executable, "-m", "mtcheck", "audit", str(SEED), "--source-lang", "es", "--engine", "apertium",
               "--cache-path", str(cache), "--format", "json", "--exit-zero"]
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            timings.append(time.perf_counter() - t0)
            if p.returncode not in (0, 1):
                print(f"\naudit failed: {p.stderr.strip()[:200]}")
                break
        else:
            cold, warm = timings[0], statistics.median(timings[1:])
            results["audit"] = {"cold_s": cold, "cached_s": warm, "speedup": cold / warm}
            print(f"\nmtcheck audit of the seed (Apertium, whole process): cold {cold:.2f} s, from the cache "
                  f"{warm:.2f} s ({cold / warm:.1f}x)")

    if a.json:
        a.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
