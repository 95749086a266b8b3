"""Family P: decoding loops (P101), duplicated sentences (P102), doubled words (P103).

The rules' own examples run in tests/test_rule_examples.py; here: the corpora, fixes (applied
twice change nothing more), linear time on adversarial input, and the CLI's fix command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPORA, run_cli

from mtcheck.api import scan_document
from mtcheck.document import Document
from mtcheck.rules.pathologies import TokenString, folded_key, letter_counts, normalise_sentence
from mtcheck.settings import Settings

CLEAN = sorted((CORPORA / "clean" / "en").glob("*.txt"))
MT = sorted((CORPORA / "mt" / "es-en").glob("*.txt"))


def scan(text: str, select: str = "P", target: str = "en"):
    return scan_document(Document.from_text(text), Settings(select=(select,), target_lang=target)).findings


def apply(text: str, findings) -> str:
    edits = sorted((e for f in findings if f.fix for e in f.fix.edits), key=lambda e: e.start, reverse=True)
    for e in edits:
        text = text[: e.start] + e.replacement + text[e.end :]
    return text


def test_silent_on_clean_english():
    for path in CLEAN:
        found = scan(path.read_text(encoding="utf-8-sig"))
        assert found == [], (path.name, [(f.code, f.text) for f in found])


def test_finds_the_annotated_repetitions():
    gold, hit = 0, 0
    for path in MT:
        ann = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["annotations"]
        reps = [(a["start"], a["end"]) for a in ann if a["type"] == "repetition"]
        found = scan(path.read_text(encoding="utf-8-sig"))
        gold += len(reps)
        hit += sum(any(f.start < e and s < f.end for f in found) for s, e in reps)
        # Nothing outside the annotated repetitions.
        assert all(any(f.start < e and s < f.end for s, e in reps) for f in found), path.name
    assert gold >= 2 and hit == gold


def test_loop_message_and_fix():
    text = "The bombing continued of the war of the war of the war in the east."
    (f,) = scan(text, "P101")
    assert f.text == "of the war of the war of the war"
    assert "repeated 3 times" in f.message
    assert f.fix.applicability.value == "unsafe"
    fixed = apply(text, [f])
    assert fixed == "The bombing continued of the war in the east."
    assert scan(fixed) == []


def test_loop_keeps_the_case_of_the_first_copy():
    (f,) = scan("Kyiv kyiv KYIV was bombed.", "P101")
    assert f.text == "Kyiv kyiv KYIV" and f.fix.edits[0].replacement == "Kyiv"


def test_doubled_word_fix_is_safe_and_idempotent():
    text = "One of the boats was about to to sink, and the the crew jumped."
    found = scan(text, "P103")
    assert [f.text for f in found] == ["to to", "the the"]
    assert all(f.fix.applicability.value == "safe" for f in found)
    once = apply(text, found)
    assert once == "One of the boats was about to sink, and the crew jumped."
    assert apply(once, scan(once, "P103")) == once


def test_doubled_word_per_language():
    assert [f.text for f in scan("El ministro dijo que la la reunión fue larga.", "P103", "es")] == ["la la"]
    assert scan("Die Frau, die die Zeitung liest, lacht.", "P103", "de") == []
    assert [f.text for f in scan("Er ging zu zu Fuß nach Hause.", "P103", "de")] == ["zu zu"]
    assert scan("Er ging zu zu Fuß nach Hause.", "P103", "sw") == []  # no list for Swahili


def test_duplicate_points_to_the_first_copy():
    text = "Talks resumed in Geneva on Monday morning.\n\nNothing else happened.\n\nTalks resumed in Geneva on Monday morning."
    (f,) = scan(text, "P102")
    assert f.line == 5 and "line 1" in f.message
    fixed = apply(text, [f])
    assert fixed.count("Talks resumed") == 1
    assert scan(fixed, "P102") == []


def test_normalise_sentence():
    assert normalise_sentence("MOSCOW began — its mobilization, on Thursday!") == "moscow began its mobilization on thursday"


def test_folded_key_is_the_normalised_sentence_and_copies_share_letter_counts():
    import random

    rng = random.Random(3)
    alphabet = ["a", "B", "E", "t", "ß", "Σ", "ς", "İ", "1", "_", " ", "\n", "\u00a0", "\u2003", ",", "—", "'", "!",
                "ﬁ", "Å", "ﬆ"]
    noise = [" ", ",", "—", "!", "  ", "\u00a0", "..."]
    for n in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 20)))
        assert folded_key(text.casefold()) == normalise_sentence(text), text
        # A copy that differs in case, punctuation and spacing has the same key and the same counts.
        copy = "".join(ch.swapcase() if rng.random() < 0.5 else ch for ch in text)
        copy = "".join(ch + rng.choice(noise) if not ch.isalnum() else ch for ch in copy)
        if normalise_sentence(copy) == normalise_sentence(text):
            assert letter_counts(copy.casefold()) == letter_counts(text.casefold()), (text, copy)


def _reference_tokens(text: str) -> list[tuple[int, int]]:
    """Token spans, one character at a time: a run of word characters, apostrophes and hyphens,
    or any other character that is not a space, or a line break."""
    def in_run(ch):
        return ch.isalnum() or ch in "_'’-"

    out, i = [], 0
    while i < len(text):
        if in_run(text[i]):
            j = i
            while j < len(text) and in_run(text[j]):
                j += 1
            out.append((i, j))
            i = j
        else:
            if not text[i].isspace() or text[i] == "\n":
                out.append((i, i + 1))
            i += 1
    return out


def test_token_string_matches_a_reference_tokeniser():
    import random

    rng = random.Random(5)
    alphabet = ["the", "The", "THE", "war", "İ", "ı", "ß", "don't", "well-known", "_", "'", "-", "’", "9", " ", "  ",
                "\n", "\t", "\u00a0", "\u2003", "\r", "\u2028", "\x85", "\x1c", ",", ".", "—", "“", "\n\n"]
    for n in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        toks = TokenString(text)
        spans = _reference_tokens(text)
        assert [toks.span(i) for i in range(len(toks.string))] == spans, text
        if spans:  # asked for out of order, from a fresh token string
            later = TokenString(text)
            k = rng.randrange(len(spans))
            assert (later.span(k), later.span(0), later.span(len(spans) - 1)) == (spans[k], spans[0], spans[-1])
        words = [text[a:b].lower() if any(ch.isalnum() for ch in text[a:b]) else "" for a, b in spans]
        assert [toks.word(i) for i in range(len(toks.string))] == words, text
        for i in range(len(spans)):
            for j in range(len(spans)):
                same = bool(words[i]) and words[i] == words[j]
                assert (toks.string[i] == toks.string[j]) == (same or (not words[i] and not words[j])), text


def test_token_offsets_found_by_word_are_the_reference_ones():
    # A word token's offsets come from its word's n-th whole occurrence for the first few asked
    # for (then from the running tokeniser): ask each token first, from a fresh token string, and
    # then every token in a random order.
    import random

    rng = random.Random(13)
    alphabet = ["the", "The", "THE", "there", "bathe", "İ", "ß", "don't", "don’t", "t", "well-known", "known", "_",
                "'", "-", "’", "9", " ", "  ", "\n", "\t", "\u00a0", ",", ".", "—", "“", "x_the", "the-", "(", "½"]
    for n in range(600):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        spans = _reference_tokens(text)
        for i in range(len(spans)):
            assert TokenString(text).span(i) == spans[i], (text, i)
        toks = TokenString(text)
        order = list(range(len(spans)))
        rng.shuffle(order)
        assert [toks.span(i) for i in order] == [spans[i] for i in order], text
    # past the copies of a word looked up by counting, and past the lookups
    text = "The, the " * 40 + "x the"
    spans = _reference_tokens(text)
    assert [TokenString(text).span(i) for i in range(len(spans))] == spans
    toks = TokenString(text)
    assert [toks.span(i) for i in range(len(spans) - 1, -1, -1)] == spans[::-1]


def test_token_string_made_with_str_methods_is_the_piece_pattern_one():
    import random

    from mtcheck.rules.pathologies import _BREAK, _MARKS, _split_token_string

    rng = random.Random(8)
    alphabet = ["the", "The", "war", "ß", "don't", "well-known", "_", "__", "'", "-", "’", "9", "½", " ", "  ", "\n",
                "\t", "\u00a0", "\r", "\u2028", "\x85", "\x1c", ",", ".", "—", "“", "(", "%", "\x00", "„", "±", "¶"]
    outcomes = set()
    for n in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 20))).lower()
        found = _split_token_string(text)
        spans = _reference_tokens(text)
        pieces = [text[a:b] for a, b in spans]
        # It gives up only for a mark it does not cut off (a NUL only next to a word), and for
        # every such mark but a NUL.
        unlisted = any(len(p) == 1 and not (p.isalnum() or p in "_'’-" or p in _MARKS) for p in pieces)
        outcomes.add(found is None)
        assert (found is None) == unlisted or "\x00" in text, text
        if found is None:
            assert unlisted, text
            continue
        string, words = found
        assert len(string) == len(pieces), text
        for ch, piece in zip(string, pieces):
            if any(c.isalnum() for c in piece):
                assert words[ord(ch) - 0x10000] == piece, text
            else:
                assert ch == _BREAK, text
        assert len(set(string) - {_BREAK}) == len({p for p in pieces if any(c.isalnum() for c in p)}), text
    assert outcomes == {True, False}
    assert _split_token_string("a\x00b") is None and _split_token_string("a \x00b") is None
    assert _split_token_string("a \x00 a")[0] == _split_token_string("a . a")[0]


def test_token_string_offsets():
    text = "Kyiv, kyiv and İstanbul İSTANBUL."
    toks = TokenString(text)
    assert toks.string[0] == toks.string[2] and toks.string[1] == "\n"
    assert toks.word(0) == "kyiv" and toks.word(1) == ""
    assert [text[slice(*toks.span(i))] for i in range(len(toks.string))] == [
        "Kyiv", ",", "kyiv", "and", "İstanbul", "İSTANBUL", "."
    ]


@pytest.mark.parametrize(
    "unit",
    ["the war of the ", "the ", "a b a b c ", '"a"b', "ha ", "of the war, ", "x" * 50 + " "],
)
def test_adversarial_lines_give_exact_offsets(unit):
    # Timing on these inputs is benchmarks/bench_scan.py's job; here, correctness at 200 kB.
    line = (unit * (200_000 // len(unit) + 1))[:200_000]
    for f in scan(line):
        assert line[f.start:f.end] == f.text
        assert f.code != "P101" or f.fix.edits[0].replacement.strip()


def test_cli_fix_applies_the_safe_fix(tmp_path: Path):
    path = tmp_path / "doubled.txt"
    path.write_text("One of the boats was about to to sink when the rescue teams arrived.\n", encoding="utf-8")
    r = run_cli("fix", "--isolated", str(path), "--select", "P103", "-t", "en")
    assert r.returncode in (0, 1), r.stderr
    assert path.read_text(encoding="utf-8") == "One of the boats was about to sink when the rescue teams arrived.\n"


def test_cli_reports_loops_as_errors():
    r = run_cli("scan", "--isolated", "-", "--select", "P", "-t", "en", "--format", "json", "--fail-on", "error",
                input="Russia confirmed the the the arrival of the prisoners of war.\n")
    assert r.returncode == 1, r.stderr
    (f,) = json.loads(r.stdout)["documents"][0]["findings"]
    assert (f["code"], f["severity"], f["text"]) == ("P101", "error", "the the the")


def test_loop_pattern_finds_what_the_pattern_without_its_lookaheads_finds():
    import random
    import re

    from mtcheck.rules import pathologies

    plain = re.compile(r"(.{1,3}?)\1{2,}|(.{4,8}?)\2+")
    rng = random.Random(11)
    def noise(k):
        return "".join(rng.choice("abcdefghij\n") for _ in range(k))

    for n in range(2000):
        # noise, then units of 1 to 9 tokens repeated 1 to 3 times, then noise
        parts = [noise(rng.randrange(0, 6))]
        for _ in range(rng.randrange(1, 4)):
            parts.append(noise(rng.randrange(1, 10)) * rng.randrange(1, 4) + noise(rng.randrange(0, 3)))
        string = "".join(parts)
        got = [(m.span(), m.group(5) or m.group(6)) for m in pathologies._T_LOOP.finditer(string)]
        assert got == [(m.span(), m.group(1) or m.group(2)) for m in plain.finditer(string)], string


def test_token_string_with_more_chunks_than_codes(monkeypatch):
    # Each chunk's position is a code: a text with more chunks than codes is cut by the pattern.
    from mtcheck.rules import pathologies

    text = "The war, the war and the WAR of 1914"
    expected = TokenString(text)
    monkeypatch.setattr(pathologies, "_MAX_CODES", 5)
    assert pathologies._split_token_string(text.lower()) is None
    toks = TokenString(text)
    assert [toks.span(i) for i in range(len(toks.string))] == _reference_tokens(text)
    assert [toks.word(i) for i in range(len(toks.string))] == [
        expected.word(i) for i in range(len(expected.string))
    ]
    same = [[a == b for b in toks.string] for a in toks.string]
    assert same == [[a == b for b in expected.string] for a in expected.string]


def test_token_string_past_the_cached_word_codes():
    words = [f"w{i}" for i in range(70_000)]
    toks = TokenString(" ".join(words + ["w69999", "w3"]))
    assert len(set(toks.string)) == 70_000
    assert toks.string[-2] == toks.string[69_999] and toks.string[-1] == toks.string[3]
    assert toks.word(69_999) == "w69999"
    assert [f.text for f in scan("Well " + " ".join(words[:70_000]) + " the the end.", "P103")] == ["the the"]
