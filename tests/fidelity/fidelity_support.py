"""Fixtures for the Argos fidelity tests (imported by the test module: a conftest.py here would
shadow tests/conftest.py, which the other tests import as ``conftest``)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))


@pytest.fixture(scope="session")
def round_trip_models(tmp_path_factory) -> dict[str, Path]:
    """es→en and en→es packages (one tiny trained model, repackaged for the other direction), and
    de→en / en→de from an untrained model that loops. Built once per session and shared by the
    xdist workers (helpers/modelbuild.py)."""
    from helpers.argosmodel import repackage
    from helpers.modelbuild import shared_models

    d = tmp_path_factory.mktemp("fidelity-argos")
    shared = shared_models(tmp_path_factory)  # built once for all workers and the translation tests
    m = {"es_en": d / "es_en.argosmodel", "de_en": d / "de_en.argosmodel"}
    for name, path in m.items():
        shutil.copyfile(shared[name], path)
    m["en_es"] = repackage(m["es_en"], d / "en_es.argosmodel", from_code="en", to_code="es")
    m["en_de"] = repackage(m["de_en"], d / "en_de.argosmodel", from_code="en", to_code="de")
    return m


@pytest.fixture
def argos_home(tmp_path) -> dict[str, str]:
    """A private Argos package folder and mtcheck cache, an index URL that refuses connections, and
    no Apertium, so ``--engine auto`` can only pick what the test installs."""
    home = tmp_path / "home"
    home.mkdir()
    empty = tmp_path / "no-apertium"
    empty.mkdir()
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "ARGOS_PACKAGES_DIR": str(tmp_path / "argos-packages"),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/index.json",
        "MTCHECK_CACHE_DIR": str(tmp_path / "mtcheck-cache"),
        "APERTIUM_DATADIR": str(empty),
    }
