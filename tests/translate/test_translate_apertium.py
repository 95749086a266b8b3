"""Apertium: real translations with the installed eng-spa pair, the batch protocol (one process per
batch, separators that survive), unknown-word marks, identity, and faults."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from translate_support import needs_apertium, one_line_error, run_cli

from mtcheck.errors import EngineError, ModelNotInstalledError
from mtcheck.translate import langcodes
from mtcheck.translate.apertium import ApertiumTranslator
from mtcheck.translate.registry import get_translator


def test_language_codes_map_both_ways():
    assert langcodes.to_apertium("es") == "spa"
    assert langcodes.to_apertium("en") == "eng"
    assert langcodes.to_apertium("fr") == "fra"
    assert langcodes.to_apertium("en_US") == "eng_US"
    assert langcodes.to_apertium("spa") == "spa"
    assert langcodes.from_apertium("spa") == "es"
    assert langcodes.from_apertium("eng_US") == "en_US"
    assert langcodes.normalize("ES") == "es"
    assert langcodes.normalize("fre") == "fr"
    assert langcodes.normalize("pt-BR") == "pt_BR"


@needs_apertium
def test_pairs_come_from_installed_modes():
    pairs = ApertiumTranslator().pairs()
    assert ("es", "en") in pairs and ("en", "es") in pairs


@needs_apertium
def test_translates_real_text_both_ways():
    tr = ApertiumTranslator()
    assert tr.translate_batch(["El perro negro come.", "La casa roja es grande."], "es", "en") == [
        "The black dog eats.", "The red house is big."]
    assert tr.translate_batch(["The red house is big."], "en", "es") == ["La casa roja es grande."]


@needs_apertium
def test_batch_separator_keeps_sentences_apart():
    """A plain newline would let Apertium reorder words across sentences (``la casa`` / ``roja``
    comes back as ``The red`` / ``house``); the blank-line protocol keeps each sentence whole."""
    tr = ApertiumTranslator()
    out = tr.translate_batch(["la casa", "roja es grande", "", "el perro", "negro", "Línea uno\ncon salto."], "es", "en")
    assert len(out) == 6
    assert out[0].lower() == "the house"
    assert out[1].lower() == "red is big"
    assert out[2] == ""
    assert out[3].lower() == "the dog"
    assert out[4].lower() == "black"
    assert "\n" not in out[5]


@needs_apertium
def test_one_process_per_batch(monkeypatch):
    calls = []
    real_run = subprocess.run

    def counting_run(cmd, *a, **k):
        calls.append(cmd)
        return real_run(cmd, *a, **k)

    monkeypatch.setattr(subprocess, "run", counting_run)
    tr = ApertiumTranslator()
    tr.identity("es", "en")  # dpkg-query, outside the batch
    calls.clear()
    sentences = [f"El perro número {i} come." for i in range(200)]
    out = tr.translate_batch(sentences, "es", "en")
    assert len(calls) == 1 and calls[0][-1] == "spa-eng"
    assert out[7] == "The dog number 7 eats."
    assert all(o.startswith("The dog number") for o in out)


@needs_apertium
def test_unknown_word_marks_are_an_option():
    src = ["El perro palabraxyz come."]
    assert "*" not in ApertiumTranslator().translate_batch(src, "es", "en")[0]
    assert "*palabraxyz" in ApertiumTranslator(mark_unknown=True).translate_batch(src, "es", "en")[0]
    a = ApertiumTranslator().identity("es", "en")
    b = ApertiumTranslator(mark_unknown=True).identity("es", "en")
    assert a.checksum == b.checksum and a.params != b.params


@needs_apertium
def test_identity_names_package_and_hashes_the_data():
    ident = ApertiumTranslator().identity("es", "en")
    assert ident.engine == "apertium" and ident.model == "spa-eng"
    assert len(ident.checksum) == 64
    assert "apertium-eng-spa=" in ident.version
    assert ApertiumTranslator().identity("es", "en").checksum == ident.checksum
    assert ApertiumTranslator().identity("en", "es").checksum != ident.checksum
    assert ident.signature().startswith("engine:apertium|")


def _fake_apertium(tmp_path: Path, merge_from: int) -> tuple[Path, Path]:
    """A stand-in ``apertium`` that upper-cases paragraphs but glues paragraph 1 and 2 together
    when a call has at least ``merge_from`` paragraphs (a pair that eats a separator)."""
    datadir = tmp_path / "data"
    (datadir / "modes").mkdir(parents=True)
    (datadir / "modes" / "spa-eng.mode").write_text("cat\n")
    exe = tmp_path / "apertium"
    exe.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "paras = sys.stdin.read().split('\\n\\n')\n"
        f"if len(paras) >= {merge_from}:\n"
        "    paras[0:2] = [paras[0] + ' ' + paras[1]]\n"
        "sys.stdout.write('\\n\\n'.join(p.upper() for p in paras) + '\\n')\n"
    )
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return exe, datadir


def test_a_lost_separator_never_shifts_other_sentences(tmp_path):
    exe, datadir = _fake_apertium(tmp_path, merge_from=3)
    tr = ApertiumTranslator(executable=str(exe), datadir=datadir)
    src = [f"frase {i}" for i in range(9)]
    assert tr.translate_batch(src, "es", "en") == [f"FRASE {i}" for i in range(9)]


def test_missing_pair_and_missing_program(tmp_path, monkeypatch):
    exe, datadir = _fake_apertium(tmp_path, merge_from=99)
    with pytest.raises(ModelNotInstalledError, match=r"apt-get install apertium-spa-fra"):
        ApertiumTranslator(executable=str(exe), datadir=datadir).translate_batch(["hola"], "es", "fr")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(EngineError, match=r"not on PATH.*apt-get install apertium"):
        ApertiumTranslator(datadir=datadir).translate_batch(["hola"], "es", "en")
    with pytest.raises(EngineError, match="cannot run"):
        ApertiumTranslator(datadir=datadir, executable=str(tmp_path / "gone")).translate_batch(["hola"], "es", "en")


def test_cli_apertium_missing_via_path(tmp_path):
    """PATH without apertium: one line naming apt-get, exit 2."""
    env = {"PATH": str(tmp_path), "MTCHECK_CACHE_DIR": str(tmp_path / "cache")}
    err = one_line_error(run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "apertium",
                                 input="Hola.", env=env))
    assert "`apertium` program is not on PATH" in err and "apt-get install apertium" in err


@needs_apertium
def test_cli_pair_not_installed(tmp_path):
    err = one_line_error(run_cli("translate", "-", "--from", "es", "--to", "fr", "--engine", "apertium",
                                 input="Hola.", env={"MTCHECK_CACHE_DIR": str(tmp_path)}))
    assert "no pair installed for es→fr" in err and "apt-get install apertium-spa-fra" in err


@needs_apertium
def test_cli_translate_with_apertium(tmp_path):
    env = {"MTCHECK_CACHE_DIR": str(tmp_path), "ARGOS_PACKAGES_DIR": str(tmp_path / "none")}
    proc = run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "apertium",
                   input="El perro negro come. La casa roja es grande.\n\nHola.\n", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "The black dog eats. The red house is big.\n\nHello.\n"
    proc = run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "apertium", "--json",
                   input="El perro negro come.", env=env)
    data = json.loads(proc.stdout)
    assert data["sentences"] == [{"text": "El perro negro come.", "translation": "The black dog eats.",
                                  "cached": True, "error": None}]
    assert data["signature"].startswith("engine:apertium|")


def test_registry_rejects_bad_requests():
    from mtcheck.errors import UsageError

    with pytest.raises(UsageError, match="unknown engine"):
        get_translator("google", source="es", target="en")
    with pytest.raises(UsageError, match="both 'es'"):
        get_translator("apertium", source="es", target="ES")
    with pytest.raises(UsageError, match="unknown engine option"):
        get_translator("apertium", source="es", target="en", beam=3)


@needs_apertium
def test_batched_output_equals_one_call_per_sentence():
    """The separator protocol changes nothing: a batch of real article sentences comes back exactly
    as the same sentences translated one process at a time."""
    from mtcheck.text.segment import split_sentences

    root = Path(__file__).resolve().parents[2]
    text = (root / "corpora" / "mt" / "es-en" / "source" / "001_incendios.es.txt").read_text(encoding="utf-8")
    sentences = [text[s:e] for s, e in split_sentences(text, "es")][:15]
    assert len(sentences) >= 10
    tr = ApertiumTranslator()
    assert tr.translate_batch(sentences, "es", "en") == [tr.translate_batch([s], "es", "en")[0] for s in sentences]
