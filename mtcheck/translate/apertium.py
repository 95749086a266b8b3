"""Apertium (rule-based MT, Debian ``apertium`` plus pairs such as ``apertium-eng-spa``).

A batch is one ``apertium`` process call. Sentences are joined with blank lines: Apertium's text
format treats a blank line as a paragraph break, which is also a sentence boundary for its tagger
and structural transfer, and keeps it in the output. A single newline would not do: Apertium
reorders words across it (``la casa\\nroja`` comes back as ``The red\\nhouse``). Null-flush mode
(``-z``) does not help either: with the text format it drops the separators and glues words.
If a batch comes back with the wrong number of paragraphs, it is split in halves and retried, down
to one sentence per call, so one odd sentence never shifts the others.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from mtcheck.errors import EngineError, ModelNotInstalledError
from mtcheck.translate import langcodes
from mtcheck.translate.base import EngineIdentity, Translation, Translator, normalize_sentence, texts_or_raise
from mtcheck.translate.digest import DigestMemo, files_digest

#: Where Debian installs pair data; ``APERTIUM_DATADIR`` overrides it, as for the ``apertium`` script.
DEFAULT_DATADIR = "/usr/share/apertium"
#: Characters sent to one process call; larger batches are chunked (Apertium streams, this only
#: bounds the memory of one call's output).
MAX_BATCH_CHARS = 2_000_000
#: Seconds allowed per call: a base plus a rate well below Apertium's ~1 MB/s.
TIMEOUT_BASE_S = 30.0
TIMEOUT_PER_MB_S = 120.0

_SEPARATOR = "\n\n"
_PARAGRAPH_SPLIT = re.compile(r"\n[ \t]*\n")
_QUOTED_PATH = re.compile(r"'(/[^']+)'")
_INSTALL_HINT = "install Apertium with `apt-get install apertium` and a pair such as `apt-get install apertium-eng-spa`"


class ApertiumTranslator(Translator):
    """Translate with the installed Apertium modes.

    ``mark_unknown`` keeps Apertium's ``*word`` marks on words it does not know (default: dropped,
    through ``apertium -u``, so the round trip compares words, not marks).
    """

    name = "apertium"

    def __init__(self, *, mark_unknown: bool = False, datadir: str | os.PathLike | None = None,
                 executable: str | None = None, digest_memo: DigestMemo | None = None) -> None:
        self.mark_unknown = mark_unknown
        self.datadir = Path(datadir or os.environ.get("APERTIUM_DATADIR") or DEFAULT_DATADIR)
        self._executable = executable
        self._digest_memo = digest_memo
        self._identities: dict[str, EngineIdentity] = {}

    # -- discovery -------------------------------------------------------------------------------

    @property
    def executable(self) -> str | None:
        """Path of the ``apertium`` program, or None when it is not on PATH."""
        return self._executable or shutil.which("apertium")

    def modes(self) -> dict[str, Path]:
        """Installed modes by name (``spa-eng`` → its ``.mode`` file)."""
        mode_dir = self.datadir / "modes"
        if not mode_dir.is_dir():
            return {}
        return {p.stem: p for p in sorted(mode_dir.glob("*.mode"))}

    def pairs(self) -> list[tuple[str, str]]:
        out = []
        for mode in self.modes():
            src, sep, tgt = mode.partition("-")
            if sep and "-" not in tgt:
                out.append((langcodes.from_apertium(src), langcodes.from_apertium(tgt)))
        return out

    def mode_for(self, source: str, target: str) -> str:
        """The mode that serves ``source → target``; raises ModelNotInstalledError naming the fix."""
        if self.executable is None:
            raise EngineError(f"apertium: the `apertium` program is not on PATH; {_INSTALL_HINT}")
        mode = f"{langcodes.to_apertium(source)}-{langcodes.to_apertium(target)}"
        if mode not in self.modes():
            a, b = langcodes.to_apertium(source), langcodes.to_apertium(target)
            raise ModelNotInstalledError(
                f"apertium: no pair installed for {source}→{target} (mode {mode} not in {self.datadir}/modes); "
                f"install it with `apt-get install apertium-{a}-{b}` or `apertium-{b}-{a}` (see `apt-cache search apertium`)")
        return mode

    def supports(self, source: str, target: str) -> bool:
        try:
            self.mode_for(source, target)
        except EngineError:
            return False
        return True

    # -- identity --------------------------------------------------------------------------------

    def identity(self, source: str, target: str) -> EngineIdentity:
        mode = self.mode_for(source, target)
        ident = self._identities.get(mode)
        if ident is None:
            mode_file = self.modes()[mode]
            data_files = [Path(p) for p in _QUOTED_PATH.findall(mode_file.read_text(encoding="utf-8", errors="replace"))]
            files = [mode_file] + [p for p in data_files if p.is_file()]
            checksum = files_digest(files, self._digest_memo)
            pkg = _package_of(mode_file, data_files)
            version = _versions(("apertium", pkg) if pkg else ("apertium",)) or _apertium_version(self.executable)
            ident = EngineIdentity(engine="apertium", version=version, model=mode, checksum=checksum,
                                   params={"unknown": "mark" if self.mark_unknown else "drop"})
            self._identities[mode] = ident
        return ident

    # -- translation -----------------------------------------------------------------------------

    def translate_batch(self, sentences: list[str], source: str, target: str) -> list[str]:
        return texts_or_raise(self.translate_detailed(sentences, source, target), self.name)

    def translate_detailed(self, sentences: list[str], source: str, target: str) -> list[Translation]:
        mode = self.mode_for(source, target)
        texts = [normalize_sentence(s) for s in sentences]
        out = [""] * len(texts)
        todo = [i for i, t in enumerate(texts) if t]
        # Chunk by size so one call's output stays bounded.
        chunk: list[int] = []
        size = 0
        for i in todo:
            if chunk and size + len(texts[i]) > MAX_BATCH_CHARS:
                self._translate_into(out, chunk, texts, mode)
                chunk, size = [], 0
            chunk.append(i)
            size += len(texts[i]) + len(_SEPARATOR)
        if chunk:
            self._translate_into(out, chunk, texts, mode)
        return [Translation(t) for t in out]

    def _translate_into(self, out: list[str], idx: list[int], texts: list[str], mode: str) -> None:
        parts = self._run(mode, _SEPARATOR.join(texts[i] for i in idx))
        if len(parts) == len(idx):
            for i, part in zip(idx, parts):
                out[i] = normalize_sentence(part)
            return
        if len(idx) == 1:
            # One sentence that came back as several paragraphs: keep all of it.
            out[idx[0]] = normalize_sentence(" ".join(parts))
            return
        mid = len(idx) // 2
        self._translate_into(out, idx[:mid], texts, mode)
        self._translate_into(out, idx[mid:], texts, mode)

    def _run(self, mode: str, text: str) -> list[str]:
        exe = self.executable
        if exe is None:
            raise EngineError(f"apertium: the `apertium` program is not on PATH; {_INSTALL_HINT}")
        cmd = [exe, "-d", str(self.datadir), "-f", "txt"]
        if not self.mark_unknown:
            cmd.append("-u")
        cmd.append(mode)
        timeout = TIMEOUT_BASE_S + TIMEOUT_PER_MB_S * len(text) / 1e6
        try:
            proc = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True, timeout=timeout, check=False)
        except FileNotFoundError:
            raise EngineError(f"apertium: cannot run {exe}; {_INSTALL_HINT}") from None
        except subprocess.TimeoutExpired:
            raise EngineError(f"apertium: {mode} did not finish within {timeout:.0f} s") from None
        if proc.returncode != 0:
            msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = msg[-1] if msg else f"exit status {proc.returncode}"
            raise EngineError(f"apertium: {mode} failed: {detail}; reinstall the pair or check `apertium -l`")
        result = proc.stdout.decode("utf-8", "replace").strip("\n")
        return _PARAGRAPH_SPLIT.split(result) if result else [""]


def _package_of(mode_file: Path, data_files: list[Path]) -> str | None:
    """The Debian package that ships a pair: its data lives in ``/usr/share/apertium/<package>/``."""
    for p in data_files:
        if p.parent.name.startswith("apertium-"):
            return p.parent.name
    return None


@lru_cache(maxsize=16)
def _versions(packages: tuple[str, ...]) -> str:
    """``apertium=3.8.3-1+b2,apertium-eng-spa=0.8.1-2`` from dpkg, or "" without dpkg."""
    dpkg = shutil.which("dpkg-query")
    if dpkg is None:
        return ""
    try:
        proc = subprocess.run([dpkg, "-W", "-f", "${Package}=${Version}\\n", *packages],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return ",".join(line for line in proc.stdout.split() if line)


@lru_cache(maxsize=4)
def _apertium_version(exe: str | None) -> str:
    if exe is None:
        return "unknown"
    try:
        proc = subprocess.run([exe, "-V"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return proc.stdout.strip().replace("Apertium ", "apertium=") or "unknown"
