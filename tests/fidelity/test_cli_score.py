"""``mtcheck score`` prints what sacrebleu's own command line prints, number for number."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from conftest import run_cli

HYP = [
    "Moscow began his mobilisation of additional troops the Thursday.",
    "In spite of the anger in the west, the authorities repeated that the judgements would be held.",
    "In the earth, the bombing continues.",
    "Nine missiles fell in the city of Zaporizhia (south), under control Ukrainian.",
]
REF = [
    "Moscow began its mobilization of additional troops on Thursday.",
    "Despite the outrage aroused in the West, the authorities reiterated that the trials were going to take place.",
    "On the ground, the bombing continues.",
    "Nine missiles fell on the city of Zaporizhia (south), under Ukrainian control.",
]
REF2 = [
    "Moscow started mobilising more troops on Thursday.",
    "Despite outrage in the West, the authorities said the votes would go ahead.",
    "On the ground, bombing goes on.",
    "Nine missiles struck Zaporizhia (south), which Ukraine controls.",
]


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, lines in (("hyp", HYP), ("ref", REF), ("ref2", REF2)):
        p = tmp_path / f"{name}.txt"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths[name] = str(p)
    return paths


def _sacrebleu(*args):
    proc = subprocess.run([sys.executable, "-m", "sacrebleu", *args], capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.mark.parametrize("refs", [["ref"], ["ref", "ref2"]])
def test_json_equals_sacrebleu_cli(files, refs):
    ours = run_cli("score", "--hyp", files["hyp"], *[a for r in refs for a in ("--ref", files[r])],
                   "--metrics", "bleu,chrf,ter")
    assert ours.returncode == 0, ours.stderr
    theirs = _sacrebleu(*[files[r] for r in refs], "-i", files["hyp"], "-m", "bleu", "chrf", "ter", "-f", "json")
    assert json.loads(ours.stdout) == json.loads(theirs)


def test_text_equals_sacrebleu_cli_and_width(files):
    ours = run_cli("score", "--hyp", files["hyp"], "--ref", files["ref"], "-m", "bleu,chrf,ter", "-f", "text", "-w", "3")
    theirs = _sacrebleu(files["ref"], "-i", files["hyp"], "-m", "bleu", "chrf", "ter", "-w", "3", "-f", "text")
    assert [line.strip() for line in ours.stdout.splitlines()] == [line.strip() for line in theirs.splitlines()]


def test_numbers_equal_sacrebleu_api(files):
    out = json.loads(run_cli("score", "--hyp", files["hyp"], "--ref", files["ref"], "-w", "4").stdout)
    by_name = {rec["name"]: rec["score"] for rec in out}
    assert by_name["chrF2"] == round(CHRF().corpus_score(HYP, [REF]).score, 4)
    assert by_name["BLEU"] == round(BLEU().corpus_score(HYP, [REF]).score, 4)
    assert by_name["TER"] == round(TER().corpus_score(HYP, [REF]).score, 4)


def test_errors_are_one_line_and_exit_2(files, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    for args in (
        ("--hyp", files["hyp"], "--ref", str(short)),
        ("--hyp", files["hyp"], "--ref", str(tmp_path / "missing.txt")),
        ("--hyp", files["hyp"], "--ref", files["ref"], "--metrics", "meteor"),
        ("--hyp", files["hyp"], "--ref", files["ref"], "--format", "xml"),
    ):
        proc = run_cli("score", *args)
        assert proc.returncode == 2, args
        assert proc.stderr.startswith("mtcheck: error: ") and proc.stderr.count("\n") == 1, proc.stderr
        assert "Traceback" not in proc.stderr
