"""Installed models and their management: what ``mtcheck models`` does, as a library.

Argos packages are listed, installed and removed through ``argostranslate.package`` (so they land
where Argos itself looks: ``ARGOS_PACKAGES_DIR`` or its data directory); the package index is
argostranslate's own. A ``.argosmodel`` is checked before it is installed, so a truncated download,
a Git-LFS pointer or a package without a tokenizer is refused with a message instead of being
unpacked into the packages folder. Apertium pairs are listed from the installed modes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import urllib.error
import urllib.request
import zipfile
import zlib
from pathlib import Path

from mtcheck.errors import EngineError, InputError, ModelNotInstalledError
from mtcheck.translate import langcodes

#: Seconds to wait for the package index or a package download before calling it offline.
NETWORK_TIMEOUT_S = 20
_OFFLINE_FIX = "check the network, or install from a file with `mtcheck models install --file X.argosmodel`"


@contextlib.contextmanager
def _quiet_argos():
    """argostranslate logs every failed download attempt at ERROR level; we report once ourselves."""
    logger = logging.getLogger("argostranslate.utils")
    old, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = old


# -- listing -------------------------------------------------------------------------------------


def list_models() -> dict:
    """Installed Argos packages (and broken package folders) and Apertium pairs, as plain data."""
    from mtcheck.translate.apertium import ApertiumTranslator
    from mtcheck.translate.argos import discover, package_dirs, tokenizer_file

    found, broken = discover()
    argos = []
    for pkg in found:
        tok = tokenizer_file(pkg)
        argos.append({
            "engine": "argos", "from": langcodes.normalize(pkg.from_code), "to": langcodes.normalize(pkg.to_code),
            "model": Path(pkg.package_path).name, "version": pkg.package_version or "",
            "tokenizer": tok.name if tok else None, "path": str(pkg.package_path),
        })
    directs = {(m["from"], m["to"]) for m in argos}
    pivots = sorted({(a, c) for (a, b) in directs if b == "en" for (b2, c) in directs if b2 == "en" and c != a}
                    - directs)
    ap = ApertiumTranslator()
    apertium = []
    for mode, path in ap.modes().items():
        src, sep, tgt = mode.partition("-")
        if not sep or "-" in tgt:
            continue
        apertium.append({"engine": "apertium", "from": langcodes.from_apertium(src), "to": langcodes.from_apertium(tgt),
                         "model": mode, "path": str(path)})
    return {
        "argos": argos,
        "argos_pivots": [{"from": a, "to": c, "via": "en"} for a, c in pivots],
        "argos_broken": [{"path": str(b.path), "reason": b.reason} for b in broken],
        "argos_dirs": [str(d) for d in package_dirs()],
        "apertium": apertium,
        "apertium_program": ap.executable,
        "apertium_datadir": str(ap.datadir),
    }


# -- the online index ----------------------------------------------------------------------------


def _fetch_index() -> None:
    """Download argostranslate's package index to its local copy; EngineError when offline."""
    from argostranslate import settings

    url = settings.remote_package_index
    try:
        with urllib.request.urlopen(url, timeout=NETWORK_TIMEOUT_S) as resp:
            data = resp.read()
        json.loads(data)
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise EngineError(f"cannot download the Argos package index from {url} ({reason}); {_OFFLINE_FIX}") from None
    Path(settings.local_package_index).write_bytes(data)


def available_packages() -> list[dict]:
    """Packages in argostranslate's online index (downloaded now), marked when installed."""
    from mtcheck.translate.argos import argos_package_module, discover

    _fetch_index()
    package = argos_package_module()
    installed = {(langcodes.normalize(p.from_code), langcodes.normalize(p.to_code), p.package_version)
                 for p in discover()[0]}
    out = []
    for p in package.get_available_packages():
        if getattr(p, "type", "translate") != "translate" or not p.from_code or not p.to_code:
            continue
        f, t = langcodes.normalize(p.from_code), langcodes.normalize(p.to_code)
        out.append({"from": f, "to": t, "from_name": p.from_name, "to_name": p.to_name,
                    "version": p.package_version, "installed": (f, t, p.package_version) in installed})
    return sorted(out, key=lambda d: (d["from"], d["to"], d["version"]))


def install_package(source: str, target: str) -> dict:
    """Download the index's package for ``source → target`` and install it."""
    from mtcheck.translate.argos import argos_package_module

    s, t = langcodes.normalize(source), langcodes.normalize(target)
    _fetch_index()
    package = argos_package_module()
    matches = [p for p in package.get_available_packages()
               if p.from_code and p.to_code and langcodes.normalize(p.from_code) == s and langcodes.normalize(p.to_code) == t]
    if not matches:
        raise ModelNotInstalledError(
            f"the Argos index has no package for {s}→{t}; see `mtcheck models available` "
            f"(without a direct package, install {s}→en and en→{t}: mtcheck pivots through English)")
    best = max(matches, key=lambda p: _version_key(p.package_version))
    with _quiet_argos():
        try:
            path = best.download()
        except Exception as err:  # noqa: BLE001 - argostranslate raises bare Exception on failed downloads
            raise EngineError(f"cannot download the Argos package {s}→{t} ({err}); {_OFFLINE_FIX}") from None
    try:
        return install_file(Path(path))
    finally:
        Path(path).unlink(missing_ok=True)


def _version_key(v: str) -> tuple:
    return tuple(int(x) if x.isdigit() else 0 for x in (v or "0").split("."))


# -- installing from a file ----------------------------------------------------------------------


def inspect_argosmodel(path: Path) -> dict:
    """Check a ``.argosmodel`` without installing it; returns its metadata.

    Raises InputError when the file cannot be read and EngineError naming the fix when it is not a
    usable package (Git-LFS pointer, truncated or corrupt zip, no metadata, no model, no tokenizer).
    """
    from mtcheck.translate.argos import _LFS_MAGIC

    path = Path(path)
    if not path.is_file():
        raise InputError(f"cannot read {path}: no such file")
    with open(path, "rb") as fh:
        head = fh.read(len(_LFS_MAGIC))
    if head == _LFS_MAGIC:
        raise EngineError(f"{path} is a Git LFS pointer, not a model; run `git lfs pull` in its repository "
                          f"or download the real .argosmodel")
    redownload = "download it again (truncated or corrupt download?)"
    if not zipfile.is_zipfile(path):
        raise EngineError(f"{path} is not a valid .argosmodel: not a zip archive; {redownload}")
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise EngineError(f"{path} is corrupt: {bad} fails its CRC check; {redownload}")
            names = [n for n in zf.namelist() if n.strip("/")]
            tops = {n.split("/", 1)[0] for n in names}
            if len(tops) != 1 or not any("/" in n for n in names):
                raise EngineError(f"{path} is not a valid .argosmodel: expected one top folder holding metadata.json, "
                                  f"found {', '.join(sorted(tops)[:3]) or 'nothing'}; rebuild or download it again")
            top = tops.pop()
            try:
                meta = json.loads(zf.read(f"{top}/metadata.json"))
            except KeyError:
                raise EngineError(f"{path} has no {top}/metadata.json; rebuild or download it again") from None
            if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
                raise EngineError(f"{path}: metadata.json lacks from_code/to_code; rebuild the package")
            if meta.get("type", "translate") != "translate":
                raise EngineError(f"{path} is an Argos {meta.get('type')!r} package, not a translation model")
            if f"{top}/model/model.bin" not in names:
                raise EngineError(f"{path} has no model/model.bin (CTranslate2 model); rebuild or download it again")
            with zf.open(f"{top}/model/model.bin") as fh:
                if fh.read(len(_LFS_MAGIC)) == _LFS_MAGIC:
                    raise EngineError(f"{path}: model/model.bin is a Git LFS pointer, not the model; "
                                      f"run `git lfs pull` where the package was built, then rebuild it")
            tokenizers = [n for n in ("sentencepiece.model", "bpe.model") if f"{top}/{n}" in names]
            if not tokenizers:
                raise EngineError(f"{path} has no tokenizer (sentencepiece.model or bpe.model); "
                                  f"rebuild the package with its tokenizer or download it again")
    except zlib.error as err:
        raise EngineError(f"{path} is corrupt: its data does not decompress ({err}); {redownload}") from None
    except (zipfile.BadZipFile, EOFError, OSError) as err:
        raise EngineError(f"{path} is not a valid .argosmodel ({err}); {redownload}") from None
    except ValueError as err:
        raise EngineError(f"{path}: metadata.json is not valid JSON ({err}); rebuild the package") from None
    return {"top": top, "from": langcodes.normalize(meta["from_code"]), "to": langcodes.normalize(meta["to_code"]),
            "version": str(meta.get("package_version", "")), "tokenizer": tokenizers[0]}


def install_file(path: Path) -> dict:
    """Check and install a ``.argosmodel`` with ``argostranslate.package.install_from_path``,
    replacing any installed package for the same direction. Returns what was installed."""
    from mtcheck.translate.argos import argos_package_module, discover, package_dirs

    info = inspect_argosmodel(path)
    package = argos_package_module()
    replaced = []
    for pkg in discover()[0]:
        if (langcodes.normalize(pkg.from_code), langcodes.normalize(pkg.to_code)) == (info["from"], info["to"]):
            _uninstall(package, pkg)
            replaced.append(Path(pkg.package_path).name)
    try:
        package.install_from_path(Path(path))
    except Exception as err:  # noqa: BLE001 - argostranslate raises bare Exception
        raise EngineError(f"cannot install {path} ({err}); check that {package_dirs()[0]} is writable") from None
    return {**info, "path": str(package_dirs()[0] / info["top"]), "replaced": replaced}


def _uninstall(package, pkg) -> None:
    """``argostranslate.package.uninstall`` is ``rmtree`` plus clearing a cache in
    ``argostranslate.translate``; importing that module costs seconds (stanza, torch), so do the
    same thing directly unless it is already loaded."""
    import shutil
    import sys

    if "argostranslate.translate" in sys.modules:
        package.uninstall(pkg)
        return
    with package.package_lock:
        shutil.rmtree(pkg.package_path)


def remove_package(source: str, target: str) -> list[str]:
    """Uninstall every installed Argos package for ``source → target``; returns their folders."""
    from mtcheck.translate.argos import argos_package_module, discover

    s, t = langcodes.normalize(source), langcodes.normalize(target)
    found, _ = discover()
    matches = [p for p in found if (langcodes.normalize(p.from_code), langcodes.normalize(p.to_code)) == (s, t)]
    if not matches:
        have = ", ".join(sorted(f"{p.from_code}→{p.to_code}" for p in found)) or "none"
        raise ModelNotInstalledError(f"no Argos package for {s}→{t} is installed (installed: {have}); "
                                     f"see `mtcheck models list`")
    package = argos_package_module()
    removed = []
    for pkg in matches:
        _uninstall(package, pkg)
        removed.append(Path(pkg.package_path).name)
    return removed
