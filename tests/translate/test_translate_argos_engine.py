"""The Argos engine in process, on the tiny package: batching, the truncation and repetition guards,
long-sentence splitting, identity."""

from __future__ import annotations

import pytest
from translate_fixtures import argos_models  # noqa: F401 (fixtures)
from translate_support import unzip_package

from mtcheck.translate import argos
from mtcheck.translate.argos import MAX_INPUT_TOKENS, ArgosTranslator, repetition_loop


class CountingCT2:
    """Wraps a ctranslate2.Translator, recording every translate_batch call."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls: list[dict] = []

    def translate_batch(self, source, **kw):
        self.calls.append({"n": len(source), "longest": max(len(s) for s in source), **kw})
        return self.inner.translate_batch(source, **kw)


@pytest.fixture
def packages(argos_models, tmp_path):
    d = tmp_path / "packages"
    unzip_package(argos_models["es_en"], d)
    unzip_package(argos_models["degenerate"], d)
    return d


def _counting(tr: ArgosTranslator, source="es", target="en") -> CountingCT2:
    tr.translate_batch(["hola"], source, target)  # load the model
    pkg = tr.route(source, target)[0]
    model_dir = str((pkg.package_path / "model").resolve())
    key = next(k for k in argos._LOADED if k[0] == model_dir)
    loaded = argos._LOADED[key]
    if not isinstance(loaded.translator, CountingCT2):
        loaded.translator = CountingCT2(loaded.translator)
    loaded.translator.calls.clear()
    return loaded.translator


def test_all_sentences_go_in_one_batched_call(packages):
    tr = ArgosTranslator(packages_dir=packages)
    ct2 = _counting(tr)
    sentences = [f"El gobierno anunció {i} leyes nuevas." for i in range(300)]
    out = tr.translate_detailed(sentences, "es", "en")
    assert len(out) == 300 and all(r.ok and r.text for r in out)
    assert len(ct2.calls) == 1
    call = ct2.calls[0]
    assert call["n"] == 300 and call["beam_size"] == 4 and call["max_batch_size"] == argos.DEFAULT_MAX_BATCH_SIZE
    assert call["max_input_length"] == 0  # never silently truncated by CTranslate2
    assert call["return_end_token"] is True
    # Deterministic, and the same as translating one at a time.
    assert tr.translate_batch(sentences[:3], "es", "en") == [r.text for r in out[:3]]
    assert tr.translate_batch([sentences[1]], "es", "en") == [out[1].text]


def test_models_load_once_per_process(packages):
    a = ArgosTranslator(packages_dir=packages)
    b = ArgosTranslator(packages_dir=packages, beam_size=2)
    a.translate_batch(["hola"], "es", "en")
    n = len(argos._LOADED)
    b.translate_batch(["hola"], "es", "en")
    assert len(argos._LOADED) == n


def test_long_sentences_are_split_not_truncated(packages):
    tr = ArgosTranslator(packages_dir=packages)
    ct2 = _counting(tr)
    long = " ".join(["el gobierno anunció la ley, y los niños juegan en la casa grande;"] * 60)
    out = tr.translate_detailed([long, "Hola mundo."], "es", "en")
    assert out[0].ok and out[1].ok
    assert all(c["longest"] <= MAX_INPUT_TOKENS for c in ct2.calls)
    assert ct2.calls[0]["n"] > 2  # the long sentence became several pieces in the same batch
    assert len(out[0].text) > 3 * len(tr.translate_batch(["el gobierno anunció la ley,"], "es", "en")[0])


def test_output_cut_at_the_limit_is_a_failure(packages):
    tr = ArgosTranslator(packages_dir=packages, max_decoding_length=2)
    out = tr.translate_detailed(["El gobierno anunció la ley nueva para todo el país."], "es", "en")
    assert not out[0].ok and out[0].text == ""
    assert "cut off at the decoding limit of 2 tokens" in out[0].error


def test_first_pass_limit_is_retried_at_the_ceiling(packages):
    """The first pass caps output at 2×input+16 tokens; a hypothesis that hits it is decoded again
    with the full limit rather than reported or cut."""
    tr = ArgosTranslator(packages_dir=packages)
    ct2 = _counting(tr)
    tr.translate_detailed(["Hola."], "es", "en")
    first = ct2.calls[0]["max_decoding_length"]
    assert first == min(argos.DEFAULT_MAX_DECODING_LENGTH, int(argos.DECODING_RATIO * ct2.calls[0]["longest"]) + argos.DECODING_MARGIN)


def test_repetition_loops_are_engine_failures(packages):
    tr = ArgosTranslator(packages_dir=packages)
    out = tr.translate_detailed(["Das Haus ist rot.", "Der Hund schläft."], "de", "en")
    assert all(not r.ok and "repetition loop" in r.error for r in out)
    from mtcheck.errors import EngineError

    with pytest.raises(EngineError, match="sentence 1 of the batch could not be translated"):
        tr.translate_batch(["Das Haus ist rot."], "de", "en")


def test_repetition_detector():
    assert repetition_loop("a b c d e f g h".split()) is None
    assert repetition_loop(["▁the"] * 12) == (["▁the"], 12)
    assert repetition_loop(["▁the"] * 11) is None  # a unigram needs a 12-token run
    gram, n = repetition_loop(["x", "y"] + ["▁of", "▁the"] * 7 + ["z"])
    assert gram == ["▁of", "▁the"] and n == 7
    assert repetition_loop(["▁of", "▁the"] * 5) is None
    assert repetition_loop("a b c a b c a b c a b c".split()) == (["a", "b", "c"], 4)
    assert repetition_loop("a b c d a b c d a b c d".split()) == (["a", "b", "c", "d"], 3)


def test_identity_is_stable_and_describes_decoding(packages):
    a = ArgosTranslator(packages_dir=packages).identity("es", "en")
    b = ArgosTranslator(packages_dir=packages).identity("es", "en")
    c = ArgosTranslator(packages_dir=packages, beam_size=2).identity("es", "en")
    assert a == b
    assert a.checksum == c.checksum and a.params["beam"] == 4 and c.params["beam"] == 2
    assert a.model == "translate-es_en-1_0@1.0"
    assert a.version.startswith("argostranslate=")
    d = ArgosTranslator(packages_dir=packages).identity("de", "en")
    assert d.checksum != a.checksum


def test_digests_are_memoised(packages, tmp_path):
    from mtcheck.translate import digest
    from mtcheck.translate.cache import TranslationCache

    digest._process_memo.clear()
    memo = TranslationCache(tmp_path / "c.sqlite3")
    a = ArgosTranslator(packages_dir=packages, digest_memo=memo).identity("es", "en")
    rows = memo.conn.execute("SELECT count(*) FROM digests").fetchone()[0]
    assert rows >= 3  # model.bin, config, vocabulary, tokenizer
    digest._process_memo.clear()
    b = ArgosTranslator(packages_dir=packages, digest_memo=memo).identity("es", "en")
    assert a.checksum == b.checksum


def test_unknown_direction(packages):
    from mtcheck.errors import ModelNotInstalledError

    with pytest.raises(ModelNotInstalledError, match=r"mtcheck models install fr en"):
        ArgosTranslator(packages_dir=packages).translate_batch(["x"], "fr", "en")
    assert ArgosTranslator(packages_dir=packages).pairs() == [("de", "en"), ("es", "en")]


BPE_CODES = "#version: 0.2\ne l\nl a</w>\nc a\nca s\ncas a</w>\np e\nr r\npe rr\nperr o</w>\n"


def test_bpe_packages_use_moses_and_bpe(argos_models, tmp_path):
    """Older Argos packages ship bpe.model (subword-nmt codes) instead of SentencePiece."""
    d = tmp_path / "bpe"
    pkg = unzip_package(argos_models["es_en"], d)
    (pkg / "sentencepiece.model").unlink()
    (pkg / "bpe.model").write_text(BPE_CODES, encoding="utf-8")
    tr = ArgosTranslator(packages_dir=d)
    out = tr.translate_detailed(["El perro come en la casa.", "La casa."], "es", "en")
    assert len(out) == 2 and all(isinstance(r.text, str) for r in out)
    loaded = next(v for k, v in argos._LOADED.items() if k[0] == str((pkg / "model").resolve()))
    assert isinstance(loaded.tokenizer, argos.BPETokenizer)
    pieces = loaded.tokenizer.encode_many(["El perro come en la casa."])[0]
    assert pieces == ["E@@", "l", "perro", "c@@", "o@@", "m@@", "e", "e@@", "n", "la", "casa", "."]
    assert loaded.tokenizer.decode(["la", "cas@@", "a", "roja", "."]) == "la casa roja."
    assert tr.identity("es", "en").checksum != ArgosTranslator(packages_dir=argos_models_dir(argos_models, tmp_path)).identity("es", "en").checksum


def argos_models_dir(argos_models, tmp_path):
    """The untouched SentencePiece package, unpacked next to the BPE variant."""
    d = tmp_path / "sp"
    unzip_package(argos_models["es_en"], d)
    return d


def test_malformed_bpe_codes_are_an_engine_error(argos_models, tmp_path):
    from mtcheck.errors import EngineError

    d = tmp_path / "badbpe"
    pkg = unzip_package(argos_models["es_en"], d)
    (pkg / "sentencepiece.model").unlink()
    (pkg / "bpe.model").write_text("#version: 0.2\nthree units here\n", encoding="utf-8")
    with pytest.raises(EngineError, match=r"cannot read the tokenizer bpe.model .*line 2"):
        ArgosTranslator(packages_dir=d).translate_batch(["hola"], "es", "en")
