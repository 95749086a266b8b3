"""Helpers shared by the translation tests (fixtures live in conftest.py)."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest


def _load_root_conftest():
    # tests/conftest.py and this folder's conftest.py share the module name "conftest"; load the
    # root one under its own name to reuse run_cli.
    path = Path(__file__).resolve().parent.parent / "conftest.py"
    spec = importlib.util.spec_from_file_location("_mtcheck_tests_root_conftest", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


#: ``python -m mtcheck ARGS`` in a subprocess (tests/conftest.py).
run_cli = _load_root_conftest().run_cli

HAVE_APERTIUM = shutil.which("apertium") is not None and Path("/usr/share/apertium/modes/spa-eng.mode").exists()
needs_apertium = pytest.mark.skipif(not HAVE_APERTIUM, reason="apertium with the eng-spa pair is not installed")

#: An index URL that refuses connections at once, so "offline" tests behave the same with a network.
DEAD_INDEX = "http://127.0.0.1:9/"

LFS_POINTER = (b"version https://git-lfs.github.com/spec/v1\n"
               b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 87654321\n")


def zip_without(src: Path, out: Path, drop_suffix: str) -> Path:
    """Copy a zip without the members whose name ends with ``drop_suffix``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if not info.filename.endswith(drop_suffix):
                zout.writestr(info, zin.read(info))
    return out


def zip_replacing(src: Path, out: Path, suffix: str, data: bytes) -> Path:
    """Copy a zip, replacing the content of members whose name ends with ``suffix``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, data if info.filename.endswith(suffix) else zin.read(info))
    return out


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    """Assert the CLI failed the documented way (exit 2, one ``mtcheck: error:`` line, no traceback)
    and return the line."""
    stderr = proc.stderr.decode("utf-8", "replace") if isinstance(proc.stderr, bytes) else proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stdout, stderr)
    assert "Traceback" not in stderr
    lines = [ln for ln in stderr.splitlines() if ln.startswith("mtcheck: error:")]
    assert len(lines) == 1, stderr
    return lines[0]


def unzip_package(model: Path, dest: Path) -> Path:
    """Extract a package as ``install_from_path`` would; returns the package folder."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(model.read_bytes())) as zf:
        zf.extractall(dest)
        top = zf.namelist()[0].split("/", 1)[0]
    return dest / top
