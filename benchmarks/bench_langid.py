"""Benchmark language identification: cold cost of the first detection, and sentences/s.

Compares langdetect's own start-up (``init_factory`` loads all 55 profiles through its
``LangProfile`` class) with ``mtcheck.langid``, which builds the detector's table itself for the
languages a text can be in (17 Latin-script defaults, plus the requested languages and those of
any other script the text contains). Each cold figure is the median of fresh processes; the
answers of both must agree on the sample sentences.

Usage: .venv/bin/python benchmarks/bench_langid.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

SAMPLES = {
    "en": "Moscow began its mobilization of additional troops on Thursday to bolster its offensive in Ukraine.",
    "es": "Moscú comenzó el jueves la movilización de tropas adicionales para reforzar su ofensiva en Ucrania.",
    "fr": "Moscou a commencé jeudi la mobilisation de troupes supplémentaires pour renforcer son offensive.",
    "de": "Moskau hat am Donnerstag mit der Mobilisierung zusätzlicher Truppen für seine Offensive begonnen.",
    "ru": "Москва в четверг начала мобилизацию дополнительных войск для усиления наступления на Украине.",
}

COLD = {
    "langdetect.detect (55 profiles)": (
        "import time; t = time.perf_counter(); from langdetect import DetectorFactory, detect; "
        "DetectorFactory.seed = 0; detect({text!r}); print(time.perf_counter() - t)"
    ),
    "mtcheck.langid.detect": (
        "import time; t = time.perf_counter(); from mtcheck.langid import detect; detect({text!r}); "
        "print(time.perf_counter() - t)"
    ),
    "import mtcheck.langid": "import time; t = time.perf_counter(); import mtcheck.langid; print(time.perf_counter() - t)",
}


def cold(runs: int) -> None:
    print("cold start (fresh process, first detection), median of", runs)
    for name, code in COLD.items():
        times = []
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", code.format(text=SAMPLES["en"])], capture_output=True,
                                 text=True, check=True)
            times.append(float(out.stdout))
        print(f"  {name:34s} {statistics.median(times) * 1000:7.1f} ms")


def warm() -> None:
    from langdetect import DetectorFactory
    from langdetect import detect as ld_detect

    from mtcheck import langid

    DetectorFactory.seed = 0
    for lang, text in SAMPLES.items():
        ours, theirs = langid.detect(text), ld_detect(text).split("-")[0]
        print(f"  {lang}: mtcheck {ours}, langdetect {theirs}")
        assert ours == theirs == lang
    sentences = list(SAMPLES.values()) * 40
    t = time.perf_counter()
    for s in sentences:
        langid.detect(s)
    ours = len(sentences) / (time.perf_counter() - t)
    t = time.perf_counter()
    for s in sentences:
        ld_detect(s)
    theirs = len(sentences) / (time.perf_counter() - t)
    print(f"warm: mtcheck.langid {ours:.0f} sentences/s, langdetect {theirs:.0f} sentences/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    cold(args.runs)
    warm()


if __name__ == "__main__":
    main()
