"""Benchmark `mtcheck scan` against proselint on the same text, in one run (ratios, not seconds).

Reports:
1. cold start: wall time of a one-article scan of the seed (`mtcheck scan` vs `proselint check`),
   median of several alternating runs; mtcheck also without its compiled-regex cache
   (mtcheck.text.regex_cache), as on the first run after installing;
2. throughput: MB/s and sentences/s of `mtcheck scan` on a generated corpus of news articles
   (default ~10 MB) and of proselint on the same text (its 1,000-error cap lifted), in alternating
   rounds, each ratio taken within its round;
3. backtracking: every rule on adversarial lines of 50, 100 and 200 kB; time must grow about
   linearly with length (ratio 200k/50k ≈ 4; above 8 is reported as SUPERLINEAR). Then the
   same growth check, a quarter of the size against the full size, on the inputs aimed at one
   rule family (N, L, R, W), at the quote analysis, and at the markdown and HTML loaders.
   These used to be timed assertions in the tests; timing belongs here, where a ratio measured
   in one run does not flake on a busy machine.

Targets (issue 2): cold start no slower than proselint; throughput ≥ 5× proselint's.

Usage: .venv/bin/python benchmarks/bench_scan.py [--mb 10] [--runs 5] [--rounds 3] [--quick] [--jobs 1 2 4]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpora" / "mt" / "es-en" / "000_seed.txt"
PY = sys.executable
PROSELINT = shutil.which("proselint") or str(Path(PY).parent / "proselint")


def _time(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def _time_env(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - t


def cold_start(runs: int) -> tuple[float, float, float]:
    """Medians of alternating runs: mtcheck (its compiled-regex cache written by a first run, as
    after any earlier run), mtcheck without that cache (``MTCHECK_REGEX_CACHE=0``: a first run
    ever), and proselint."""
    import os

    mt_cmd = [PY, "-m", "mtcheck", "scan", str(SEED), "--exit-zero", "--target-lang", "en"]
    pl_cmd = [PROSELINT, "check", str(SEED)]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "MTCHECK_CACHE_DIR": cache}
        no_cache = {**env, "MTCHECK_REGEX_CACHE": "0"}
        _time_env(mt_cmd, env)  # writes the regex cache
        mt, mt_nc, pl = [], [], []
        for _ in range(runs):
            mt.append(_time_env(mt_cmd, env))
            mt_nc.append(_time_env(mt_cmd, no_cache))
            pl.append(_time_env(pl_cmd, env))
    return statistics.median(mt), statistics.median(mt_nc), statistics.median(pl)


def generate_corpus(folder: Path, megabytes: float) -> tuple[int, str]:
    """News-style articles made by reshuffling the corpora's paragraphs (seeded): many files of
    a few kB, as a feed would have. Returns (bytes, concatenated text)."""
    rng = random.Random(1234)
    paragraphs = []
    for p in sorted((ROOT / "corpora").rglob("*.txt")):
        if "source" in p.parts:
            continue
        paragraphs += [x for x in p.read_text(encoding="utf-8").split("\n\n") if x.strip()]
    target = int(megabytes * 1_000_000)
    total, i, chunks = 0, 0, []
    while total < target:
        art = "\n\n".join(rng.sample(paragraphs, k=min(12, len(paragraphs)))) + "\n"
        (folder / f"article_{i:05d}.txt").write_text(art, encoding="utf-8")
        chunks.append(art)
        total += len(art.encode("utf-8"))
        i += 1
    return total, "\n".join(chunks)


def throughput(megabytes: float, jobs: tuple[int, ...] = (1, 2), rounds: int = 3) -> dict:
    """Rounds of: proselint, then ``mtcheck scan --jobs N`` for each N, then mtcheck in-process,
    on the same corpus. A shared machine's speed drifts by a fifth within minutes, so each ratio
    is taken within a round (proselint's time over mtcheck's) and the median round's is reported,
    with the times' medians."""
    from mtcheck.document import Document

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        size, text = generate_corpus(folder, megabytes)
        sentences = len(Document.from_text(text).sentences_for("en"))
        big = Path(tmp) / "all.txt"
        big.write_text(text, encoding="utf-8")
        pl_times, times, inproc, ratios, inproc_ratios = [], {j: [] for j in jobs}, [], {j: [] for j in jobs}, []
        for _ in range(rounds):
            pl = _proselint_inprocess(big)
            pl_times.append(pl)
            for j in jobs:
                # The report goes outside the scanned folder (inside, the next run would scan it too).
                t = _time([PY, "-m", "mtcheck", "scan", str(folder), "--exit-zero", "--target-lang", "en", "--format", "json",
                           "--output", str(Path(tmp) / "out.json"), "--jobs", str(j)])
                times[j].append(t)
                ratios[j].append(pl / t)
            t = _mtcheck_inprocess(folder)
            inproc.append(t)
            inproc_ratios.append(pl / t)
    med = statistics.median
    return {
        "bytes": size,
        "sentences": sentences,
        "rounds": rounds,
        "proselint_s": med(pl_times),
        "proselint_mb_s": size / 1e6 / med(pl_times),
        "jobs": {j: med(ts) for j, ts in times.items()},
        "ratios": {j: (med(rs), min(rs), max(rs)) for j, rs in ratios.items()},
        "inprocess_s": med(inproc),
        "inprocess_ratio": med(inproc_ratios),
    }


def _cpus() -> int:
    from mtcheck.api import cpu_count

    return cpu_count()


def _mtcheck_inprocess(folder: Path) -> float:
    """``scan_paths`` over the folder in a fresh process, timed as proselint is: from after the
    imports to the last result (rule data loads inside the timed part, proselint's checks before
    it), without writing a report."""
    code = (
        "import sys, time\n"
        "from mtcheck.api import scan_paths\n"
        "from mtcheck.rules import all_rules\n"
        "from mtcheck.settings import Settings\n"
        "all_rules()\n"
        "t = time.perf_counter(); n = sum(len(r.findings) for r in scan_paths([sys.argv[1]], Settings(target_lang='en')))\n"
        "print(n); print(time.perf_counter() - t)\n"
    )
    return _timed_in_process(code, folder)


def _proselint_inprocess(path: Path) -> float:
    """proselint on one file with its error cap lifted (it stops after max_errors otherwise)."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from proselint.checks import __register__\n"
        "from proselint.config import load_from\n"
        "from proselint.registry import CheckRegistry\n"
        "from proselint.tools import LintFile\n"
        "CheckRegistry().register_many(__register__)\n"
        "cfg = dict(load_from(None)); cfg['max_errors'] = 10**9\n"
        "t = time.perf_counter(); n = len(LintFile(Path(sys.argv[1])).lint(cfg)); print(n); print(time.perf_counter() - t)\n"
    )
    return _timed_in_process(code, path)


def _timed_in_process(code: str, path: Path) -> float:
    """Run ``code`` on ``path`` in a fresh interpreter; the seconds it prints last."""
    out = subprocess.run([PY, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


ADVERSARIAL = {
    "quotes": '"a"b' * 50_000,
    "spaces": "word" + " " * 199_000 + ".",
    "nbsp": "\u00a0 " * 100_000,
    "digits": "1.2," * 50_000,
    "titlecase": "Read Also Related News " * 9_000,
    "repeats": "the war of the " * 14_000,
    "letters": "a" * 200_000,
    "punct": "?!.,;:" * 33_000,
    "guillemets": "«a» „b“ ¿c? " * 16_000,
    "dots": "." * 200_000,  # a run of marks with no space after it (segmentation was quadratic on it)
}


def backtracking() -> list[tuple[str, float, float, float]]:
    """Time the whole rule set on prefixes of 50k/100k/200k chars of each adversarial line."""
    from mtcheck.api import scan_text

    rows = []
    for name, line in ADVERSARIAL.items():
        times = []
        for n in (50_000, 100_000, 200_000):
            t = time.perf_counter()
            scan_text(line[:n], target_lang="en", source_lang="es")
            times.append(time.perf_counter() - t)
        rows.append((name, times[0], times[2], times[2] / max(times[0], 1e-6)))
    return rows


def _letters(i: int) -> str:
    """A distinct word of letters for each ``i`` (bijective base 26)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(97 + r) + out
    return out + "x"


#: Inputs aimed at one rule family: name -> (select, make(n), n). ``n`` is the full size; inputs
#: that yield a finding per few characters are smaller, since turning 200,000 matches into
#: findings is the linter's cost, not the rule's.
RULE_ADVERSARIAL = {
    # N: names
    "N camel": (("N101",), lambda n: "x A" + "a" * n + "B", 200_000),
    "N capitals": (("N101",), lambda n: " ".join(f"word Xq{i:06d}" for i in range(n // 15))
                   .replace("0", "a").replace("1", "b"), 200_000),
    "N letters": (("N101",), lambda n: "k" * n, 200_000),
    "N hyphens": (("N101",), lambda n: "kyiv-" * (n // 5), 40_000),
    "N new-new": (("N101",), lambda n: "new " * (n // 4), 200_000),
    # L: locale conventions
    "L digits": (("L",), lambda n: "1" * n + "x", 200_000),
    "L dotted": (("L",), lambda n: "1." * (n // 2) + "x", 200_000),
    "L dotted-digit-end": (("L",), lambda n: "1." * (n // 2) + "1x", 200_000),
    "L grouped": (("L",), lambda n: "1.5" * (n // 3), 200_000),
    "L comma-numbers": (("L",), lambda n: "1,5 million " * (n // 12), 40_000),
    "L spaces-before-colon": (("L",), lambda n: "a" + " " * n + "b :", 200_000),
    "L guillemets": (("L",), lambda n: "«" * n, 20_000),
    "L low-nine": (("L",), lambda n: ("„" + "a" * 1998) * (n // 1999), 200_000),
    "L inverted": (("L",), lambda n: "¿" * n, 20_000),
    "L percent": (("L",), lambda n: "1" + " " * n + "x %", 200_000),
    "L days": (("L",), lambda n: "14 " * (n // 3), 200_000),
    "L dates": (("L",), lambda n: "14 of august " * (n // 13), 40_000),
    # R: residue
    "R one-long-line": (("R",), lambda n: "Read also the news " * (n // 19), 200_000),
    "R prose-then-stubs": (("R",), lambda n: "word " * (n // 10) + ".\n" + "Top Picks\n" * (n // 20), 40_000),
    "R residue-lines": (("R",), lambda n: "Related News\n" * (n // 13), 40_000),
    "R spaces": (("R",), lambda n: " " * n + "\n" + "\u00a0" * n, 200_000),
    # Q: one quoted fragment after another, each led by a different capitalised word
    "Q105 quoted-words": (("Q105",), lambda n: " ".join(f'they use "{_letters(i).capitalize()} the means" and more.'
                                                        for i in range(n // 44)), 200_000),
    # W: whitespace
    "W spaces": (("W",), lambda n: "a" + " " * n + "b", 200_000),
    "W nbsp": (("W",), lambda n: "a" + "\u00a0" * n + "b", 200_000),
    "W mixed": (("W",), lambda n: "a" + " \u00a0" * (n // 2) + ",", 200_000),
    "W zero-width": (("W",), lambda n: "\u200b\u200d" * (n // 2), 200_000),
    "W space-comma": (("W",), lambda n: "a ," * (n // 3), 200_000),
    "W words": (("W",), lambda n: "word  " * (n // 6), 200_000),
    "W blank-then-zw": (("W",), lambda n: "\u00a0" * (n // 2) + "a\u200b" * (n // 4), 200_000),
    "W blank-then-nbsp": (("W",), lambda n: "\u200b" * (n // 2) + "a\u00a0" * (n // 4), 200_000),
}

#: Units repeated to build input for the quote analysis (Q rules), 20k and 80k repetitions.
QUOTE_UNITS = {"glued": 'a"b ', "singles": "‘a’b ", "open": "“", "close": "»", "lines": '"a\n', "guillemet": "« "}

#: Inputs of n characters for the markdown and HTML loaders: unterminated tags and comments,
#: link syntax, code spans, hard breaks, entities.
LOADER_ADVERSARIAL = {
    "open-tags": lambda n: "<a " * (n // 3),
    "open-attribute": lambda n: "<a '" * (n // 4),
    "open-comments": lambda n: "<!--" * (n // 4),
    "link-then-spaces": lambda n: "](" + " " * n,
    "code-spans": lambda n: "`a" * (n // 2),
    "hard-breaks": lambda n: "a  " * (n // 3),
    "link-definitions": lambda n: "[x]: " * (n // 5),
    "urls": lambda n: "http://" * (n // 7),
    "entities-in-tags": lambda n: "<p>&amp;" * (n // 8),
    "ampersands": lambda n: "&" * n,
}


def _best(fn, repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def rule_backtracking() -> list[tuple[str, float, float, float]]:
    """One rule family on its adversarial input at n/4 and n characters."""
    from mtcheck.api import scan_text
    from mtcheck.settings import Settings

    scan_text("warm up the gazetteer and wordfreq in kyiv; Zelensky met zelensky", target_lang="en")
    rows = []
    for name, (select, make, n) in RULE_ADVERSARIAL.items():
        settings = Settings(select=select)
        small, big = make(n // 4), make(n)
        t_small = _best(lambda: scan_text(small, target_lang="en", settings=settings))
        t_big = _best(lambda: scan_text(big, target_lang="en", settings=settings))
        rows.append((name, t_small, t_big, t_big / max(t_small, 1e-6)))
    return rows


def quote_backtracking() -> list[tuple[str, float, float, float]]:
    """The quote analysis behind the Q rules, at 20k and 80k repetitions of each unit."""
    from mtcheck.rules.quotes import analyse_quotes
    from mtcheck.text.segment import split_paragraphs

    rows = []
    for name, unit in QUOTE_UNITS.items():
        times = []
        for reps in (20_000, 80_000):
            text = unit * reps
            blocks = tuple(split_paragraphs(text))

            def run() -> None:
                analyse_quotes.cache_clear()
                analyse_quotes(text, blocks, "en")

            times.append(_best(run))
        rows.append((f"Q {name}", times[0], times[1], times[1] / max(times[0], 1e-6)))
    return rows


def loader_backtracking() -> list[tuple[str, float, float, float]]:
    """``document_from_string`` (markdown and HTML) on each input at 50 kB and 200 kB."""
    from mtcheck.io.loaders import document_from_string

    rows = []
    for fmt in ("markdown", "html"):
        for name, make in LOADER_ADVERSARIAL.items():
            times = []
            for n in (50_000, 200_000):
                text = make(n)
                times.append(_best(lambda: document_from_string(text, fmt=fmt), repeat=1))
            rows.append((f"{fmt} {name}", times[0], times[1], times[1] / max(times[0], 1e-6)))
    return rows


def _print_rows(rows: list[tuple[str, float, float, float]], worst: float) -> float:
    for name, t_small, t_big, ratio in rows:
        flag = "  SUPERLINEAR" if ratio > 8 else ""
        worst = max(worst, ratio)
        print(f"  {name:26} {t_small * 1000:8.1f} ms → {t_big * 1000:8.1f} ms   ×{ratio:4.1f}{flag}")
    return worst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="size of the generated corpus (MB)")
    ap.add_argument("--runs", type=int, default=5, help="cold-start repetitions")
    ap.add_argument("--rounds", type=int, default=3, help="throughput rounds (proselint and mtcheck, alternating)")
    ap.add_argument("--quick", action="store_true", help="1 MB corpus, 3 runs")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], metavar="N",
                    help="worker counts to time the throughput scan with (`mtcheck scan --jobs N`)")
    args = ap.parse_args()
    if args.quick:
        args.mb, args.runs, args.rounds = 1.0, 3, 1
    sys.path.insert(0, str(ROOT))

    mt, mt_nc, pl = cold_start(args.runs)
    print(f"cold start, one-article scan of the seed (median of {args.runs}):")
    print(f"  mtcheck scan    {mt:6.3f} s")
    print(f"  mtcheck scan    {mt_nc:6.3f} s  without the compiled-regex cache (a first run ever)")
    print(f"  proselint check {pl:6.3f} s")
    print(f"  ratio mtcheck/proselint = {mt / pl:.2f} (target ≤ 1.0); {mt_nc / pl:.2f} on a first run")

    r = throughput(args.mb, tuple(args.jobs), args.rounds)
    print(f"throughput on {r['bytes'] / 1e6:.1f} MB ({r['sentences']} sentences), medians of {r['rounds']} rounds;"
          " ratios taken within each round:")
    for j, t in r["jobs"].items():
        ratio, low, high = r["ratios"][j]
        print(f"  mtcheck scan --jobs {j:<3} {t:7.2f} s  {r['bytes'] / 1e6 / t:6.2f} MB/s  {r['sentences'] / t:8.0f} sentences/s"
              f"  ×{ratio:.1f} proselint (rounds ×{low:.1f}–×{high:.1f})")
    t = r["inprocess_s"]
    print(f"  mtcheck in-process     {t:7.2f} s  {r['bytes'] / 1e6 / t:6.2f} MB/s  {r['sentences'] / t:8.0f} sentences/s"
          f"  ×{r['inprocess_ratio']:.1f} proselint  (scan_paths, one process, no report: as proselint is timed)")
    print(f"  proselint              {r['proselint_s']:7.2f} s  {r['proselint_mb_s']:6.2f} MB/s")
    best = max(r["ratios"].values())[0]
    print(f"  ratio mtcheck/proselint throughput = {best:.1f}× at best (target ≥ 5×; {_cpus()} CPUs here)")

    print("backtracking (all rules; time at 50 kB → 200 kB, ratio ≈ 4 is linear):")
    worst = _print_rows(backtracking(), 0.0)
    print("backtracking (one rule family; time at n/4 → n characters, ratio ≈ 4 is linear):")
    worst = _print_rows(rule_backtracking(), worst)
    print("backtracking (quote analysis; 20k → 80k repetitions):")
    worst = _print_rows(quote_backtracking(), worst)
    print("backtracking (document_from_string; 50 kB → 200 kB):")
    worst = _print_rows(loader_backtracking(), worst)
    print(f"  worst growth ×{worst:.1f}")


if __name__ == "__main__":
    main()
