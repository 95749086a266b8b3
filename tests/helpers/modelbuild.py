"""Tiny Argos packages built once per test session and shared by the pytest-xdist workers.

Building one trains a small CTranslate2 model (about 10 s of CPU). The translation and fidelity
tests need the same two packages, and every xdist worker used to build its own copies; now the
first process to ask builds them under a file lock in the session's shared temporary folder, and
the others wait for it and reuse the files.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "argosmodel.py"

#: name -> arguments of helpers/argosmodel.py after the output path.
BUILDS = {
    "es_en": [],  # trained copy model, es→en
    "de_en": ["--train-steps", "0", "--from", "de", "--to", "en"],  # untrained: loops
}


def shared_models(tmp_path_factory) -> dict[str, Path]:
    """Paths of the packages in :data:`BUILDS`, built at most once per session (read them, never
    modify them: other workers use the same files)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the controller's session folder, shared by every worker
    folder = root / "argos-builds"
    folder.mkdir(exist_ok=True)
    paths = {name: folder / f"{name}.argosmodel" for name in BUILDS}
    with open(folder / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        missing = [name for name, p in paths.items() if not p.exists()]
        partial = {name: folder / f"{name}.partial.argosmodel" for name in missing}
        procs = {name: subprocess.Popen([sys.executable, str(SCRIPT), str(partial[name]), *BUILDS[name]],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for name in missing}
        for name, p in procs.items():
            _, err = p.communicate(timeout=600)
            assert p.returncode == 0, f"building {name} failed:\n{err}"
            partial[name].replace(paths[name])
    return paths
