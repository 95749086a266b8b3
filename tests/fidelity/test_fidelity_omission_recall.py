"""Omission recall on real pairs: delete any one inner sentence of a corpus article (an Apertium
translation of its Spanish source) and the audit must report exactly that sentence as omitted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mtcheck.audit import AuditOptions, audit_documents, sentence_text
from mtcheck.document import Document
from mtcheck.io.loaders import load_path
from mtcheck.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "mt" / "es-en"
NAMES = ["001_incendios", "002_elecciones", "003_futbol", "004_inflacion", "005_espacio", "006_migracion"]

pytestmark = pytest.mark.skipif(
    shutil.which("apertium") is None or not Path("/usr/share/apertium/modes/spa-eng.mode").exists(),
    reason="Apertium with apertium-eng-spa is not installed",
)


@pytest.mark.parametrize("name", NAMES)
def test_every_deleted_sentence_is_the_one_omission(name, tmp_path):
    doc = load_path(str(CORPUS / f"{name}.txt"))
    spans = doc.sentences_for("en")
    options = AuditOptions(source_lang="es", engine="apertium", cache_path=str(tmp_path / "cache.sqlite3"),
                           source_path=str(CORPUS / "source" / f"{name}.es.txt"))
    for k in range(1, len(spans) - 1):
        cut = spans[k]
        mutated = Document.from_text(doc.text[: cut.start] + doc.text[cut.end :], path=f"{name}-without-{k}")
        run = audit_documents([mutated], Settings(source_lang="es", target_lang="en", select=("F3",)), options)
        (result,) = run.results
        assert [f.code for f in result.findings] == ["F301"], (k, cut.text)
        # The omitted source sentences are those whose translation was cut (one, or two where the
        # Spanish segmenter split what the English one kept whole: "Lisboa, 14 ago. Los …").
        omitted = " ".join(p.forward for p in result.fidelity.source.omissions)
        assert omitted == sentence_text(cut.text), (k, cut.text)
        # …reported where they belong: right after the sentence before the cut.
        assert result.findings[0].start == result.findings[0].end == spans[k - 1].end, (k, cut.text)
