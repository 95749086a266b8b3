"""Build a tiny but genuine ``.argosmodel`` package at test time.

The package has what a real Argos package has: ``metadata.json``, a SentencePiece model trained here
on a few hundred generated lines, and a CTranslate2 model directory converted by
``ctranslate2.converters.TransformersConverter`` from a small ``MarianMTModel``. The Marian model is
randomly initialised and then trained for a few seconds on a copy task: an untrained model emits
the same repetition loop for every input and never stops, whereas a few hundred steps give output
that depends on the input and ends with EOS (still gibberish). That is what tests of structure,
batching, caching and identity need; ``train_steps=0`` keeps the degenerate untrained model, for
tests of the repetition guard. Building takes about ten seconds, most of it importing torch and
training, so tests build it once per session in a subprocess.

Run as a script to write one: ``python tests/helpers/argosmodel.py OUT.argosmodel [--from es --to en]``.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from pathlib import Path

_WORDS_ES = ("el la los las un una de del en con por para que se su sus es fue son han ha gobierno "
             "ciudad país año años presidente ministro ley fuego incendio agua tierra casa perro gato "
             "grande pequeño nuevo viejo rojo azul verde dijo anunció según durante después antes "
             "mientras porque aunque también muy más menos hoy ayer mañana cuando donde como todo "
             "personas mujeres hombres niños equipo partido elecciones votos precio inflación").split()
_WORDS_EN = ("the a an of in on with for that is was are have has government city country year "
             "years president minister law fire water land house dog cat big small new old red blue "
             "green said announced according during after before while because although also very "
             "more less today yesterday tomorrow when where how all people women men children team "
             "party elections votes price inflation").split()


def training_lines(n: int = 400, seed: int = 7) -> list[str]:
    """Deterministic pseudo-sentences in Spanish and English for the SentencePiece model."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        words = _WORDS_ES if i % 2 else _WORDS_EN
        sent = " ".join(rng.choice(words) for _ in range(rng.randint(4, 16)))
        lines.append(sent[0].upper() + sent[1:] + rng.choice(".?!,;"))
    return lines


def _train_sentencepiece(path: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_lines()), model_writer=buf, vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False, num_threads=1,
        minloglevel=2,
    )
    path.write_bytes(buf.getvalue())


class _VocabTokenizer:
    """What the Marian converter needs from a tokenizer: the vocabulary and two special tokens."""

    eos_token = "</s>"
    unk_token = "<unk>"

    def __init__(self, vocab: dict[str, int]) -> None:
        self._vocab = vocab

    def get_vocab(self) -> dict[str, int]:
        return dict(self._vocab)


def _train_copy(model, sp, pad_id: int, steps: int, seed: int) -> None:
    """A few hundred Adam steps teaching the model to copy its input (see the module docstring)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # deterministic, and polite to other processes
    try:
        rng = random.Random(seed)
        # Like Argos's OpenNMT models (and the converted config's add_source_eos=false), the source
        # has no EOS; the target ends with one.
        data = [sp.encode(line)[:30] for line in training_lines()]
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        model.train()

        def pad(rows: list[list[int]]):
            out = torch.full((len(rows), max(len(r) for r in rows)), pad_id)
            for i, r in enumerate(rows):
                out[i, : len(r)] = torch.tensor(r)
            return out

        for _ in range(steps):
            batch = rng.sample(data, 32)
            ids = pad(batch)
            labels = pad([x + [sp.eos_id()] for x in batch])
            labels = labels.masked_fill(labels == pad_id, -100)
            loss = model(input_ids=ids, attention_mask=(ids != pad_id).long(), labels=labels).loss
            opt.zero_grad()
            loss.backward()
            opt.step()
    finally:
        model.eval()
        torch.set_num_threads(threads)


def _build_ctranslate2(model_dir: Path, sp_model: Path, *, d_model: int, layers: int, ffn: int, heads: int,
                       seed: int, train_steps: int, quantization: str | None = None) -> None:
    import ctranslate2
    import sentencepiece as spm
    import torch
    import transformers

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    pad_id = len(vocab)
    vocab["<pad>"] = pad_id  # the converter drops a trailing <pad>: Marian starts from a zero embedding
    config = transformers.MarianConfig(
        vocab_size=len(vocab), d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=heads, decoder_attention_heads=heads, encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn, max_position_embeddings=1024, pad_token_id=pad_id,
        eos_token_id=sp.eos_id(), decoder_start_token_id=pad_id, forced_eos_token_id=sp.eos_id(),
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(seed)
    model = transformers.MarianMTModel(config).eval()
    if train_steps:
        _train_copy(model, sp, pad_id, train_steps, seed)

    class _Converter(ctranslate2.converters.TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            return model

        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            return _VocabTokenizer(vocab)

    with tempfile.TemporaryDirectory() as cfg_dir:
        config.save_pretrained(cfg_dir)
        _Converter(cfg_dir).convert(str(model_dir), quantization=quantization, force=True)


def build_argosmodel(out: Path, *, from_code: str = "es", to_code: str = "en", package_version: str = "1.0",
                     d_model: int = 64, layers: int = 1, ffn: int = 128, heads: int = 2, vocab_size: int = 300,
                     seed: int = 0, train_steps: int = 300, tokenizer: bool = True, quantization: str | None = None,
                     work_dir: Path | None = None) -> Path:
    """Write a ``.argosmodel`` zip to ``out`` and return ``out``.

    ``tokenizer=False`` leaves out ``sentencepiece.model`` (a broken package, for fault tests).
    Larger ``d_model``/``layers`` and ``quantization="int8"`` (as Argos ships its models) give a
    model with more realistic decoding cost, for benchmarks.
    """
    out = Path(out)
    top = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        root = Path(tmp) / top
        root.mkdir()
        sp_model = root / "sentencepiece.model"
        _train_sentencepiece(sp_model, vocab_size)
        _build_ctranslate2(root / "model", sp_model, d_model=d_model, layers=layers, ffn=ffn, heads=heads,
                           seed=seed, train_steps=train_steps, quantization=quantization)
        if not tokenizer:
            sp_model.unlink()
        metadata = {
            "package_version": package_version, "argos_version": "1.9", "from_code": from_code,
            "from_name": from_code.upper(), "to_code": to_code, "to_name": to_code.upper(),
            "type": "translate", "links": [],
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2))
        (root / "README.md").write_text(f"Tiny random test model {from_code}->{to_code} built by mtcheck's tests.\n")
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(root.rglob("*")):
                zf.write(f, f.relative_to(tmp))
    return out


def repackage(src: Path, out: Path, *, from_code: str, to_code: str) -> Path:
    """Copy a built package under another direction (same weights): cheap extra packages for pivot tests."""
    top = f"translate-{from_code}_{to_code}-1_0"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name = top + "/" + info.filename.split("/", 1)[1] if "/" in info.filename else info.filename
            data = zin.read(info)
            if name.endswith("/metadata.json"):
                meta = json.loads(data)
                meta.update(from_code=from_code, to_code=to_code, from_name=from_code.upper(), to_name=to_code.upper())
                data = json.dumps(meta, indent=2).encode()
            zout.writestr(name, data)
    return out


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--from", dest="from_code", default="es")
    ap.add_argument("--to", dest="to_code", default="en")
    ap.add_argument("--d-model", type=int, default=64)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--ffn", type=int, default=128)
    ap.add_argument("--train-steps", type=int, default=300)
    ap.add_argument("--no-tokenizer", action="store_true")
    ap.add_argument("--quantization", default=None, help="e.g. int8, as Argos ships its models")
    ap.add_argument("--heads", type=int, default=2)
    ap.add_argument("--vocab-size", type=int, default=300)
    a = ap.parse_args()
    print(build_argosmodel(Path(a.out), from_code=a.from_code, to_code=a.to_code, d_model=a.d_model,
                           layers=a.layers, ffn=a.ffn, heads=a.heads, vocab_size=a.vocab_size,
                           train_steps=a.train_steps, tokenizer=not a.no_tokenizer, quantization=a.quantization))
