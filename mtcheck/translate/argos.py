"""Argos Translate packages, decoded directly with CTranslate2 in batches.

Packages are discovered through ``argostranslate.package`` (imported lazily: only when an Argos
engine is used). Each package's CTranslate2 model and tokenizer (SentencePiece ``sentencepiece.model``
or BPE ``bpe.model``) are loaded once per process and every sentence of every document goes
through batched ``translate_batch`` calls. Argos's own ``translate()`` is never used: it splits
paragraphs with a sentence-boundary model it downloads at run time, and translates one paragraph
per call.

Two guards keep bad output from being scored as a fidelity problem:

* truncation: CTranslate2 silently truncates input at 1,024 tokens and output at 256. Inputs longer
  than :data:`MAX_INPUT_TOKENS` are split at word boundaries and translated in pieces; output is
  decoded with ``return_end_token`` so a hypothesis that hit the length limit is recognised, retried
  with the full limit, and reported as a failure if it still does not end;
* degenerate output: an n-gram repeated many times in a row (and not in the source) is a repetition
  loop; the sentence gets ``Translation.error`` instead of a text.
"""

from __future__ import annotations

import json
import math
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path

from mtcheck.errors import EngineError, ModelNotInstalledError
from mtcheck.translate import langcodes
from mtcheck.translate.base import EngineIdentity, Translation, Translator, normalize_sentence, texts_or_raise
from mtcheck.translate.digest import DigestMemo, files_digest

#: Beam size and length penalty: Argos's own decoding settings, so quality matches ``translate()``.
DEFAULT_BEAM_SIZE = 4
DEFAULT_LENGTH_PENALTY = 0.2
#: ``auto`` lets CTranslate2 pick the fastest type the model and CPU support (int8 for Argos models).
DEFAULT_COMPUTE_TYPE = "auto"
DEFAULT_DEVICE = "cpu"
#: One translator worker using up to this many cores: batches are large, so intra-op threads pay off.
DEFAULT_INTER_THREADS = 1
DEFAULT_INTRA_THREADS = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
#: Sentences per CTranslate2 batch (it sorts by length first, so padding stays small).
DEFAULT_MAX_BATCH_SIZE = 32
#: Hard ceiling on output tokens for one piece.
DEFAULT_MAX_DECODING_LENGTH = 512
#: First-pass output budget relative to the input: generous for real translations, and it keeps a
#: runaway loop from decoding hundreds of tokens. Hypotheses that hit it are retried at the ceiling.
DECODING_RATIO = 2.0
DECODING_MARGIN = 16
#: Inputs longer than this (in tokens) are split at word boundaries; well under CTranslate2's
#: 1,024-token input truncation and the 512 positions many models were trained with.
MAX_INPUT_TOKENS = 256
#: An n-gram (n ≤ LOOP_MAX_NGRAM) repeated back to back so that the run covers LOOP_MIN_SPAN tokens,
#: and at least LOOP_MIN_REPEATS times, is a repetition loop.
LOOP_MAX_NGRAM = 6
LOOP_MIN_SPAN = 12
LOOP_MIN_REPEATS = 3

_REINSTALL = "reinstall it with `mtcheck models remove {f} {t}` then `mtcheck models install {f} {t}` (or --file X.argosmodel)"
_LFS_MAGIC = b"version https://git-lfs.github.com/spec"


def argos_package_module():
    """``argostranslate.package``, imported on first use.

    argostranslate reads its settings and creates its data, config and cache directories when it
    is imported; if it cannot (read-only or missing home), that is an EngineError naming the fix,
    so ``--engine auto`` can still fall back to Apertium.
    """
    try:
        import argostranslate.package
    except OSError as err:
        raise EngineError(f"argos: argostranslate cannot create its directories ({err}); set HOME, XDG_DATA_HOME, "
                          f"XDG_CACHE_HOME and XDG_CONFIG_HOME (or ARGOS_PACKAGES_DIR) to writable places") from None
    return argostranslate.package


def package_dirs() -> list[Path]:
    """The directories Argos installs packages into (``ARGOS_PACKAGES_DIR`` and friends)."""
    argos_package_module()
    from argostranslate import settings

    return list(settings.package_dirs)


@dataclass
class BrokenPackage:
    """A directory in the packages folder that argostranslate cannot read as a package."""

    path: Path
    reason: str


def discover(dirs: list[Path] | None = None) -> tuple[list, list[BrokenPackage]]:
    """Installed translate packages, and directories that are not valid packages.

    ``dirs`` defaults to Argos's package directories. Reads each package directory on its own, so
    one damaged package does not hide the others (``argostranslate.package.get_installed_packages``
    raises on the first).
    """
    package = argos_package_module()
    good, broken = [], []
    for directory in dirs if dirs is not None else package_dirs():
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if not path.is_dir():
                continue
            try:
                pkg = package.Package(path)
            except (OSError, ValueError) as err:
                broken.append(BrokenPackage(path, f"{type(err).__name__}: {err}".splitlines()[0]))
                continue
            if getattr(pkg, "type", "translate") == "translate" and pkg.from_code and pkg.to_code:
                good.append(pkg)
    return good, broken


def is_lfs_pointer(path: Path) -> bool:
    """True when ``path`` is a Git LFS pointer file standing in for the real (large) file."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(_LFS_MAGIC)) == _LFS_MAGIC
    except OSError:
        return False


# -- tokenizers ----------------------------------------------------------------------------------


class SentencePieceTokenizer:
    """SentencePiece pieces in and out. Unlike argostranslate's decoder this one keeps ``_``
    characters (it only maps the ``▁`` word marker to a space)."""

    def __init__(self, model_file: Path) -> None:
        import sentencepiece as spm

        self.model_file = model_file
        self._sp = spm.SentencePieceProcessor(model_file=str(model_file))

    def encode_many(self, texts: list[str]) -> list[list[str]]:
        return self._sp.encode(texts, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self._sp.decode_pieces(tokens).replace("▁", " ").strip()


class BPETokenizer:
    """Moses tokenisation plus subword-nmt BPE, through argostranslate's own implementation."""

    def __init__(self, model_file: Path, from_code: str, to_code: str) -> None:
        from argostranslate.tokenizer import BPETokenizer as ArgosBPE

        self.model_file = model_file
        # subword-nmt calls sys.exit() on a malformed codes line; check first, then load eagerly so
        # a broken file is reported when the model loads, not halfway through a batch.
        with open(model_file, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if n == 1 and line.startswith("#version:"):
                    continue
                if len(line.strip("\r\n ").split(" ")) != 2:
                    raise OSError(f"line {n} of {model_file.name} is not a BPE merge (two units)")
        self._bpe = ArgosBPE(model_file, from_code, to_code)
        self._bpe.lazy_load()

    def encode_many(self, texts: list[str]) -> list[list[str]]:
        return [self._bpe.encode(t) for t in texts]

    def decode(self, tokens: list[str]) -> str:
        return self._bpe.decode(tokens).strip()


def tokenizer_file(pkg) -> Path | None:
    for name in ("sentencepiece.model", "bpe.model"):
        if (Path(pkg.package_path) / name).is_file():
            return Path(pkg.package_path) / name
    return None


# -- loaded models, shared by every ArgosTranslator in the process ------------------------------


@dataclass
class _Loaded:
    translator: object  # ctranslate2.Translator
    tokenizer: SentencePieceTokenizer | BPETokenizer
    eos: str
    target_prefix: list[str]


_LOADED: dict[tuple, _Loaded] = {}
_LOAD_LOCK = threading.Lock()


def _pkg_label(pkg) -> str:
    return f"{pkg.from_code}→{pkg.to_code} ({Path(pkg.package_path).name})"


def _check_package_files(pkg) -> tuple[Path, Path]:
    """The model directory and tokenizer file of ``pkg``; EngineError naming the fix if unusable."""
    f, t = pkg.from_code, pkg.to_code
    fix = _REINSTALL.format(f=f, t=t)
    model_dir = Path(pkg.package_path) / "model"
    model_bin = model_dir / "model.bin"
    if not model_bin.is_file():
        raise EngineError(f"argos: package {_pkg_label(pkg)} has no model/model.bin; {fix}")
    if is_lfs_pointer(model_bin):
        raise EngineError(f"argos: {model_bin} is a Git LFS pointer, not the model; run `git lfs pull` "
                          f"where it came from, or {fix}")
    tok = tokenizer_file(pkg)
    if tok is None:
        raise EngineError(f"argos: package {_pkg_label(pkg)} has no tokenizer (sentencepiece.model or "
                          f"bpe.model); {fix}")
    if is_lfs_pointer(tok):
        raise EngineError(f"argos: {tok} is a Git LFS pointer, not the tokenizer; {fix}")
    return model_dir, tok


def _load(pkg, *, device: str, compute_type: str, inter_threads: int, intra_threads: int) -> _Loaded:
    model_dir, tok = _check_package_files(pkg)
    key = (str(model_dir.resolve()), device, compute_type, inter_threads, intra_threads)
    with _LOAD_LOCK:
        loaded = _LOADED.get(key)
        if loaded is not None:
            return loaded
        import ctranslate2

        try:
            translator = ctranslate2.Translator(str(model_dir), device=device, compute_type=compute_type,
                                                inter_threads=inter_threads, intra_threads=intra_threads)
        except (RuntimeError, ValueError, OSError) as err:
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            if device != "cpu":
                fix = f"use the CPU (--device cpu) or check that {device} works (driver, CTranslate2 build)"
            else:
                fix = _REINSTALL.format(f=pkg.from_code, t=pkg.to_code)
            raise EngineError(f"argos: cannot load the model of {_pkg_label(pkg)} on {device} ({reason}); {fix}") from None
        try:
            if tok.name == "sentencepiece.model":
                tokenizer = SentencePieceTokenizer(tok)
            else:
                tokenizer = BPETokenizer(tok, pkg.from_code, pkg.to_code)
        except (RuntimeError, OSError, ValueError) as err:
            raise EngineError(f"argos: cannot read the tokenizer {tok.name} of {_pkg_label(pkg)} "
                              f"({str(err).splitlines()[0]}); " + _REINSTALL.format(f=pkg.from_code, t=pkg.to_code)) from None
        eos = "</s>"
        try:
            eos = json.loads((model_dir / "config.json").read_text()).get("eos_token") or eos
        except (OSError, ValueError):
            pass
        prefix = getattr(pkg, "target_prefix", "") or ""
        loaded = _Loaded(translator, tokenizer, eos, [prefix] if prefix else [])
        _LOADED[key] = loaded
        return loaded


# -- guards --------------------------------------------------------------------------------------


def repetition_loop(tokens: list[str]) -> tuple[list[str], int] | None:
    """The first n-gram repeated back to back long enough to be a loop, with its repeat count."""
    n = len(tokens)
    for size in range(1, LOOP_MAX_NGRAM + 1):
        repeats_needed = max(LOOP_MIN_REPEATS, math.ceil(LOOP_MIN_SPAN / size))
        if n < size * repeats_needed:
            break
        run = 0
        for i in range(size, n):
            if tokens[i] == tokens[i - size]:
                run += 1
                if run >= size * (repeats_needed - 1):
                    start = i - run - size + 1
                    # Extend to the end of the loop for the message.
                    j = i + 1
                    while j < n and tokens[j] == tokens[j - size]:
                        j += 1
                    return tokens[start:start + size], (j - start) // size
            else:
                run = 0
    return None


def _split_long(text: str, n_tokens: int) -> list[str]:
    """Split a too-long sentence into word-aligned pieces of roughly equal token counts, preferring
    cuts after punctuation."""
    words = text.split(" ")
    pieces = math.ceil(n_tokens / MAX_INPUT_TOKENS * 1.25)
    per = max(1, math.ceil(len(words) / pieces))
    out, cur = [], []
    for w in words:
        cur.append(w)
        if len(cur) >= per and (w[-1:] in ",;:.!?)" or len(cur) >= per * 1.3):
            out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return out


# -- the engine ----------------------------------------------------------------------------------


class ArgosTranslator(Translator):
    """Translate with installed Argos packages, pivoting through English where needed."""

    name = "argos"

    def __init__(self, *, beam_size: int = DEFAULT_BEAM_SIZE, compute_type: str = DEFAULT_COMPUTE_TYPE,
                 device: str = DEFAULT_DEVICE, inter_threads: int = DEFAULT_INTER_THREADS,
                 intra_threads: int = DEFAULT_INTRA_THREADS, max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
                 max_decoding_length: int = DEFAULT_MAX_DECODING_LENGTH,
                 length_penalty: float = DEFAULT_LENGTH_PENALTY, pivot: str = "en",
                 packages_dir: str | os.PathLike | None = None, digest_memo: DigestMemo | None = None) -> None:
        if beam_size < 1 or max_batch_size < 1 or max_decoding_length < 1:
            from mtcheck.errors import UsageError

            raise UsageError("argos: beam size, batch size and decoding length must be at least 1")
        self.beam_size = beam_size
        self.compute_type = compute_type
        self.device = device
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self.max_batch_size = max_batch_size
        self.max_decoding_length = max_decoding_length
        self.length_penalty = length_penalty
        self.pivot = pivot
        self.packages_dir = Path(packages_dir) if packages_dir is not None else None
        self._digest_memo = digest_memo
        self._packages: dict[tuple[str, str], object] | None = None
        self._identities: dict[tuple[str, str], EngineIdentity] = {}

    # -- discovery -------------------------------------------------------------------------------

    @property
    def packages(self) -> dict[tuple[str, str], object]:
        """Installed packages by direction (first found wins, as in argostranslate)."""
        if self._packages is None:
            found, _ = discover([self.packages_dir] if self.packages_dir is not None else None)
            self._packages = {}
            for pkg in found:
                self._packages.setdefault((langcodes.normalize(pkg.from_code), langcodes.normalize(pkg.to_code)), pkg)
        return self._packages

    def pairs(self) -> list[tuple[str, str]]:
        direct = set(self.packages)
        pivoted = {(a, c) for (a, b) in direct if b == self.pivot for (b2, c) in direct
                   if b2 == self.pivot and c != a}
        return sorted(direct | pivoted)

    def route(self, source: str, target: str) -> list:
        """The packages that take ``source`` to ``target``: one, or two through the pivot language."""
        s, t = langcodes.normalize(source), langcodes.normalize(target)
        pkgs = self.packages
        if (s, t) in pkgs:
            return [pkgs[(s, t)]]
        if (s, self.pivot) in pkgs and (self.pivot, t) in pkgs:
            return [pkgs[(s, self.pivot)], pkgs[(self.pivot, t)]]
        have = ", ".join(f"{a}→{b}" for a, b in sorted(pkgs)) or "none"
        raise ModelNotInstalledError(
            f"argos: no package for {s}→{t} (installed: {have}); install one with `mtcheck models install {s} {t}` "
            f"or `mtcheck models install --file {s}_{t}.argosmodel`")

    def supports(self, source: str, target: str) -> bool:
        try:
            self.route(source, target)
        except EngineError:
            return False
        return True

    # -- identity --------------------------------------------------------------------------------

    def identity(self, source: str, target: str) -> EngineIdentity:
        key = (langcodes.normalize(source), langcodes.normalize(target))
        ident = self._identities.get(key)
        if ident is None:
            route = self.route(*key)
            models, sums = [], []
            for pkg in route:
                model_dir, tok = _check_package_files(pkg)
                files = [p for p in model_dir.rglob("*") if p.is_file()] + [tok]
                sums.append(files_digest(files, self._digest_memo, root=Path(pkg.package_path)))
                models.append(f"{Path(pkg.package_path).name}@{pkg.package_version or '?'}")
            checksum = sums[0] if len(sums) == 1 else _combine(sums)
            params = {"beam": self.beam_size, "lp": self.length_penalty, "compute": self.compute_type,
                      "maxin": MAX_INPUT_TOKENS}
            if self.device != DEFAULT_DEVICE:  # GPU kernels round differently
                params["device"] = self.device
            ident = EngineIdentity(engine="argos", version=_versions(), model="+".join(models), checksum=checksum,
                                   params=params)
            self._identities[key] = ident
        return ident

    # -- translation -----------------------------------------------------------------------------

    def translate_batch(self, sentences: list[str], source: str, target: str) -> list[str]:
        return texts_or_raise(self.translate_detailed(sentences, source, target), self.name)

    def translate_detailed(self, sentences: list[str], source: str, target: str) -> list[Translation]:
        route = self.route(source, target)
        results = [Translation(normalize_sentence(s)) for s in sentences]
        for pkg in route:
            todo = [i for i, r in enumerate(results) if r.ok and r.text]
            if not todo:
                break
            out = self._translate_pkg(pkg, [results[i].text for i in todo])
            for i, r in zip(todo, out):
                results[i] = r
        return results

    def _translate_pkg(self, pkg, texts: list[str]) -> list[Translation]:
        model = _load(pkg, device=self.device, compute_type=self.compute_type,
                      inter_threads=self.inter_threads, intra_threads=self.intra_threads)
        encoded = model.tokenizer.encode_many(texts)
        # Pieces: (sentence index, tokens). Long sentences become several pieces.
        owners: list[int] = []
        pieces: list[list[str]] = []
        for i, (text, toks) in enumerate(zip(texts, encoded)):
            if len(toks) <= MAX_INPUT_TOKENS:
                owners.append(i)
                pieces.append(toks)
                continue
            for part in _split_long(text, len(toks)):
                for sub in model.tokenizer.encode_many([part]):
                    # A piece still too long (no spaces to split at) is cut hard, never silently.
                    for k in range(0, len(sub), MAX_INPUT_TOKENS):
                        owners.append(i)
                        pieces.append(sub[k:k + MAX_INPUT_TOKENS])
        hyps, errors = self._decode(model, pieces)
        texts_out: list[list[str]] = [[] for _ in texts]
        errs: list[str | None] = [None] * len(texts)
        for owner, toks, hyp, err in zip(owners, pieces, hyps, errors):
            if err and errs[owner] is None:
                errs[owner] = err
            elif hyp is not None:
                texts_out[owner].append(model.tokenizer.decode(hyp))
        return [Translation("", error=e) if e else Translation(" ".join(t for t in parts if t))
                for parts, e in zip(texts_out, errs)]

    def _decode(self, model: _Loaded, pieces: list[list[str]]) -> tuple[list, list]:
        """Decode pieces; returns per piece (tokens or None, error or None)."""
        hyps: list = [None] * len(pieces)
        errors: list = [None] * len(pieces)
        if not pieces:
            return hyps, errors
        longest = max(len(p) for p in pieces)
        first_limit = min(self.max_decoding_length, int(DECODING_RATIO * longest) + DECODING_MARGIN)
        results = self._ct2(model, pieces, first_limit)
        retry = []
        for i, res in enumerate(results):
            ended, toks = self._finish(model, res)
            if ended:
                hyps[i] = toks
            elif first_limit < self.max_decoding_length:
                retry.append(i)
            else:
                hyps[i] = toks
                errors[i] = self._unfinished(pieces[i], toks)
        if retry:
            again = self._ct2(model, [pieces[i] for i in retry], self.max_decoding_length)
            for i, res in zip(retry, again):
                ended, toks = self._finish(model, res)
                hyps[i] = toks
                if not ended:
                    errors[i] = self._unfinished(pieces[i], toks)
        for i, toks in enumerate(hyps):
            if errors[i] is None and toks:
                loop = repetition_loop(toks)
                if loop and repetition_loop(pieces[i]) is None:
                    errors[i] = _loop_message(*loop)
        return hyps, errors

    def _unfinished(self, source: list[str], toks: list[str]) -> str:
        loop = repetition_loop(toks)
        if loop and repetition_loop(source) is None:
            return _loop_message(*loop)
        return (f"output cut off at the decoding limit of {self.max_decoding_length} tokens "
                f"(input {len(source)} tokens); raise it with --max-decoding-length "
                f"(engine option max_decoding_length)")

    def _ct2(self, model: _Loaded, pieces: list[list[str]], limit: int):
        prefix = [list(model.target_prefix) for _ in pieces] if model.target_prefix else None
        try:
            return model.translator.translate_batch(
                pieces, target_prefix=prefix, max_batch_size=self.max_batch_size, beam_size=self.beam_size,
                length_penalty=self.length_penalty, replace_unknowns=True, return_end_token=True,
                max_input_length=0, max_decoding_length=limit + len(model.target_prefix),
            )
        except (RuntimeError, ValueError) as err:
            raise EngineError(f"argos: decoding failed ({str(err).splitlines()[0]})") from None

    @staticmethod
    def _finish(model: _Loaded, res) -> tuple[bool, list[str]]:
        toks = list(res.hypotheses[0]) if res.hypotheses else []
        ended = bool(toks) and toks[-1] == model.eos
        if ended:
            toks.pop()
        if model.target_prefix and toks[: len(model.target_prefix)] == model.target_prefix:
            toks = toks[len(model.target_prefix):]
        return ended, toks

    def close(self) -> None:
        self._packages = None


def _loop_message(gram: list[str], repeats: int) -> str:
    shown = " ".join(gram).replace("▁", "")
    return f"degenerate output: {shown!r} repeated {repeats} times (repetition loop)"


def _combine(sums: list[str]) -> str:
    import hashlib

    return hashlib.sha256("+".join(sums).encode()).hexdigest()


@lru_cache(maxsize=1)
def _versions() -> str:
    parts = []
    for dist in ("argostranslate", "ctranslate2"):
        try:
            parts.append(f"{dist}={importlib_metadata.version(dist)}")
        except importlib_metadata.PackageNotFoundError:
            parts.append(f"{dist}=?")
    return ",".join(parts)
