"""Fixtures for the translation tests: tiny genuine Argos packages (and broken ones), an isolated
Argos/mtcheck environment for CLI subprocesses, and a network-less Python.

Test modules import them (``from translate_fixtures import argos_models  # noqa: F401``) rather than
getting them from a ``conftest.py`` here: a second module named ``conftest`` would shadow
tests/conftest.py for every test that does ``from conftest import …``.
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from helpers.argosmodel import repackage  # noqa: E402
from helpers.modelbuild import shared_models  # noqa: E402
from translate_support import DEAD_INDEX, LFS_POINTER, zip_replacing, zip_without  # noqa: E402


_BUILT: dict[str, Path] = {}


@pytest.fixture(scope="session")
def argos_models(tmp_path_factory) -> dict[str, Path]:
    """Tiny packages built once per session and shared by the xdist workers (see
    helpers/modelbuild.py), and broken variants made from them by editing the zip.

    Keys: es_en (trained copy model), en_es and en_fr (same weights, other directions),
    degenerate (untrained de→en: loops), no_tokenizer, truncated, corrupt, lfs_pointer, model_lfs.
    """
    # Each importing module registers its own copy of this fixture; build only once per process.
    if not _BUILT:
        _BUILT.update(_build_all(tmp_path_factory.mktemp("argosmodels"), tmp_path_factory))
    return dict(_BUILT)


def _build_all(d: Path, tmp_path_factory) -> dict[str, Path]:
    shared = shared_models(tmp_path_factory)  # built once for all workers and the fidelity tests
    m = {"es_en": d / "es_en.argosmodel", "degenerate": d / "degenerate.argosmodel"}
    shutil.copyfile(shared["es_en"], m["es_en"])
    shutil.copyfile(shared["de_en"], m["degenerate"])
    m["en_es"] = repackage(m["es_en"], d / "en_es.argosmodel", from_code="en", to_code="es")
    m["en_fr"] = repackage(m["es_en"], d / "en_fr.argosmodel", from_code="en", to_code="fr")
    m["no_tokenizer"] = zip_without(m["es_en"], d / "no_tokenizer.argosmodel", "sentencepiece.model")
    data = m["es_en"].read_bytes()
    m["truncated"] = d / "truncated.argosmodel"
    m["truncated"].write_bytes(data[: len(data) // 2])
    # Same size, intact central directory, damaged member data: only the CRC check can tell.
    with zipfile.ZipFile(m["es_en"]) as zf:
        info = zf.getinfo(next(n for n in zf.namelist() if n.endswith("model.bin")))
    buf = bytearray(data)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 64
    buf[start:start + 64] = bytes(64)
    m["corrupt"] = d / "corrupt.argosmodel"
    m["corrupt"].write_bytes(bytes(buf))
    m["lfs_pointer"] = d / "lfs_pointer.argosmodel"
    m["lfs_pointer"].write_bytes(LFS_POINTER)
    m["model_lfs"] = zip_replacing(m["es_en"], d / "model_lfs.argosmodel", "model/model.bin", LFS_POINTER)
    return m


@pytest.fixture
def argos_env(tmp_path) -> dict[str, str]:
    """Environment for CLI subprocesses: a private HOME, Argos data and package dirs, mtcheck cache,
    and an Argos index URL that refuses connections."""
    home = tmp_path / "home"
    home.mkdir()
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "ARGOS_PACKAGES_DIR": str(tmp_path / "argos-packages"),
        "ARGOS_PACKAGE_INDEX": DEAD_INDEX,
        "MTCHECK_CACHE_DIR": str(tmp_path / "mtcheck-cache"),
    }


@pytest.fixture
def env_no_network(tmp_path) -> dict[str, str]:
    """PYTHONPATH with a sitecustomize that makes every network connection (and DNS lookup) raise."""
    site = tmp_path / "nonet"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import socket\n"
        "class NetworkBlocked(OSError):\n    pass\n"
        "def _blocked(*a, **k):\n    raise NetworkBlocked('network access attempted during an offline test')\n"
        "socket.socket.connect = _blocked\n"
        "socket.socket.connect_ex = _blocked\n"
        "socket.create_connection = _blocked\n"
        "socket.getaddrinfo = _blocked\n"
    )
    prev = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": str(site) + (os.pathsep + prev if prev else "")}
