"""Family L (source-locale conventions): numbers, quotation marks, inverted marks, spacing before
high punctuation and percent signs; the locale data; the seed and corpora; fixes; adversarial lines."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mtcheck.api import scan_text
from mtcheck.findings import Applicability
from mtcheck.rules.locale import _NUMBER, conventions, number_matches
from mtcheck.settings import Settings
from helpers.adversarial import rule_inputs
from conftest import ROOT, SEED, run_cli

SEED_TEXT = SEED.read_text(encoding="utf-8")
HERE = Path(__file__).parent
LANGS = ("en", "es", "fr", "de", "pt")


def scan(text: str, select=("L",), target="en", source=None):
    return scan_text(text, settings=Settings(select=tuple(select), target_lang=target, source_lang=source)).findings


def found(text: str, select=("L",), target="en"):
    return [(f.code, f.text) for f in scan(text, select, target)]


def fixed(text: str, select=("L",), target="en") -> str:
    edits = sorted((e for f in scan(text, select, target) for e in f.fix.edits), key=lambda e: e.start, reverse=True)
    for e in edits:
        text = text[: e.start] + e.replacement + text[e.end :]
    return text


# -- the seed and the corpora ----------------------------------------------------------------------------


def test_seed_has_no_locale_findings():
    # "at least 1,332 people" is correct English.
    assert "1,332 people" in SEED_TEXT
    assert scan(SEED_TEXT, source="es") == []


def test_machine_translated_corpus_number_quote_and_date_annotations_are_found():
    for txt in sorted((ROOT / "corpora" / "mt" / "es-en").glob("*.txt")):
        ann = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))["annotations"]
        gold = [a for a in ann if a["type"] in ("number-format", "quote-marks", "date-format")]
        findings = scan(txt.read_text(encoding="utf-8"), source="es")
        for a in gold:
            assert any(f.start < a["end"] and a["start"] < f.end for f in findings), f"{txt.name}: {a['text']!r}"
        for f in findings:
            assert any(f.start < a["end"] and a["start"] < f.end for a in ann), f"{txt.name}: extra {f.code} {f.text!r}"


def test_clean_corpora_have_no_locale_findings():
    paths = sorted((ROOT / "corpora" / "clean" / "en").glob("*.txt")) + sorted((HERE / "clean_en").glob("*.txt"))
    paths += sorted((HERE / "data_nrwl").glob("clean_*"))
    for p in paths:
        findings = scan(p.read_text(encoding="utf-8"))
        assert findings == [], f"{p.name}: {[(f.code, f.line, f.text) for f in findings]}"


# -- the data ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_conventions_are_complete(lang):
    conv = conventions(lang)
    assert conv["decimal"] in ".,"
    assert conv["group"] and conv["decimal"] not in conv["group"]
    assert conv["quotes"]["open"].strip() in conv["quote_marks"]
    assert conv["space_before_high_punctuation"] in ("none", "nbsp")
    assert isinstance(conv["inverted_marks"], bool)
    for key in ("magnitude_words", "measure_words", "count_nouns", "function_words", "nbsp_contexts"):
        assert conv[key], key
    assert conventions(f"{lang}-XX") is conv or conventions(f"{lang}-XX") == conv


def test_unknown_language_gets_no_locale_findings():
    assert conventions("sw") is None and conventions(None) is None
    assert scan("Watu 1.332 walikamatwa « leo » ¿ kwa nini ?", target="sw") == []


# -- L101 numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,flagged,replacement", [
    ("Police said 1.332 people were arrested.", "1.332", "1,332"),
    ("The fund has 3,5 million euros.", "3,5", "3.5"),
    ("About 1.000.000 residents fled.", "1.000.000", "1,000,000"),
    ("It cost 1.250,50 euros.", "1.250,50", "1,250.50"),
    ("Turnout was 61,4 % and 9,8%.", "61,4", "61.4"),
    ("More than 12.500 hectares burned.", "12.500", "12,500"),
    ("Spain spends 4.400 million euros.", "4.400", "4,400"),
    ("Prices rose by $2,75 a gallon.", "2,75", "2.75"),
])
def test_foreign_numbers_in_english(text, flagged, replacement):
    findings = [f for f in scan(text) if f.code == "L101"]
    assert findings[0].text == flagged
    assert findings[0].fix.applicability is Applicability.UNSAFE
    assert findings[0].fix.edits[0].replacement == replacement


@pytest.mark.parametrize("text", [
    "At least 1,332 people were arrested; 3,500 homes and 1.5 million jobs.",
    "Version 2.0.1 and version 1.100; server 192.168.1.1; on 27.11.2026 at 10.30.",
    "The rod measured 1.332 metres and the sprint took 9.58 seconds.",
    "They scored 3,5 and 7 in three games; pages 12,14 and 16.",
    "Pi is about 3.14159 and e about 2.718.",
    "GDP grew 0.500 points? No: 0.5 percent.",
])
def test_english_numbers_that_are_fine(text):
    assert [f for f in scan(text) if f.code == "L101"] == []


def test_numbers_for_other_targets():
    assert found("Es kamen 1,332 Menschen und 3.5 Millionen Euro.", ("L101",), "de") == [("L101", "1,332"), ("L101", "3.5")]
    assert found("Es kamen 1.332 Menschen und 3,5 Millionen Euro um 10.30 Uhr.", ("L101",), "de") == []
    assert found("Llegaron 1,332 personas y 3.5 millones de euros.", ("L101",), "es") == [("L101", "1,332"), ("L101", "3.5")]
    assert found("Il y a 3.5 millions d'euros.", ("L101",), "fr") == [("L101", "3.5")]
    assert fixed("Il y a 1.000.000 personnes.", ("L101",), "fr") == "Il y a 1\u202f000\u202f000 personnes."


# -- L102 quotation marks ---------------------------------------------------------------------------------


def test_guillemets_in_english_become_the_documents_quotes():
    assert fixed("He spoke of «referendums» and « votes ».") == "He spoke of “referendums” and “votes”."
    assert fixed('He said "no" and spoke of «referendums».') == 'He said "no" and spoke of "referendums".'


def test_low_nine_quotes_pair_with_their_closing_mark():
    text = "He called it „a fratricidal war“ and left."
    assert found(text) == [("L102", "„")]
    assert fixed(text) == "He called it “a fratricidal war” and left."


def test_quote_marks_of_the_target_are_fine():
    assert scan("Dijo «no» y “nunca”.", target="es") == []
    assert scan("Er sagte „nein“ und »niemals«.", target="de") == []
    assert scan("Il a dit « non » et “jamais”.", target="fr") == []
    assert found("Il a dit „non“.", target="fr") == [("L102", "„")]
    assert found("Er sagte „nein” – geht’s noch?", target="de") == [("L102", "”")]
    assert fixed("Er sagte „nein” gestern.", ("L102",), "de") == "Er sagte „nein“ gestern."


# -- L103 inverted marks ------------------------------------------------------------------------------------


def test_inverted_marks_in_english():
    assert found("¿Why did the talks fail? ¡We will not leave!") == [("L103", "¿"), ("L103", "¡")]
    assert fixed("¿ Why did the talks fail?") == "Why did the talks fail?"


def test_spanish_quotations_keep_their_inverted_marks():
    assert scan("The crowd chanted “¡No pasarán!” and asked ¿Qué es la democracia?") == []
    assert scan("¿Por qué fracasaron las negociaciones?", target="es") == []


# -- L104 space before ; : ! ? -------------------------------------------------------------------------------


def test_french_spacing_in_english():
    text = "Why did the talks fail ? He said : no ; never !"
    assert [f.code for f in scan(text)] == ["L104"] * 4
    assert fixed(text) == "Why did the talks fail? He said: no; never!"


def test_french_spacing_needs_a_word_and_one_space_before_the_mark():
    text = " ? a  ? b\t; c\u00a0: d :x 3 ? (e) ! «f» : g ?? h ?"
    assert [(f.start, f.text) for f in scan(text, ("L104",))] == [
        (9, "\t"), (13, "\u00a0"), (28, " "), (34, " "), (38, " "), (43, " ")
    ]


def test_ratios_times_and_emoticons_are_not_french_spacing():
    assert scan("The score was 3 : 1 at 10 :30, a smile :) and :-( and a URL http://x.y") == []


def test_missing_space_in_french():
    text = "Il a dit: non! Pourquoi?"
    assert [f.text for f in scan(text, target="fr")] == [":", "!", "?"]
    assert fixed(text, target="fr") == "Il a dit\u00a0: non\u202f! Pourquoi\u202f?"
    assert scan("Il a dit\u00a0: non\u202f! Pourquoi ?", target="fr") == []


# -- L105 percent ----------------------------------------------------------------------------------------------


def test_space_before_percent():
    assert found("Turnout reached 98 % and 61.4\u00a0%.", ("L105",)) == [("L105", " "), ("L105", "\u00a0")]
    assert scan("La participación llegó al 98 %.", ("L105",), "es") == []
    assert scan("A inflação foi de 9,7 %.", ("L105",), "pt") != []
    text = "Up 7" + " \u00a0" * 80 + "%, 8\u202f%, x %, ٣ %, 5 5 %, %"
    assert [(f.start, f.end) for f in scan(text, ("L105",))] == [(4, 164), (168, 169), (178, 179), (185, 186)]


# -- L106 dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,flagged,replacement", [
    ("Lisbon, 14 aug. The fires went on.", "aug", "Aug"),
    ("Elections on 27 september and 3 may.", "september", "September"),
    ("It was the 14 of August.", " of", ""),
])
def test_dates_in_english(text, flagged, replacement):
    (f,) = [f for f in scan(text) if f.code == "L106"][:1]
    assert f.text == flagged and f.fix.edits[0].replacement == replacement
    assert f.fix.applicability is Applicability.UNSAFE


def test_days_are_one_to_thirty_one_and_not_inside_a_word():
    text = "On 1 aug, 09 aug, 31 aug, 014 aug, 32 aug, x14 aug, 0 aug, 3. aug and ٣ aug"
    assert [f.text for f in scan(text, ("L106",))] == ["aug", "aug", "aug", "aug"]
    assert [text[f.start - 3 : f.start] for f in scan(text, ("L106",))] == [" 1 ", "09 ", "31 ", "3. "]
    assert found("7 september", ("L106",)) == [("L106", "september")]


def test_numbers_at_the_start_and_inside_words():
    assert found("1.332 people came; A1.332 people; _1.332 people; .1.332 people", ("L101",)) == [("L101", "1.332")]


def test_number_matches_are_the_number_patterns_matches():
    """L101 finds numbers from their separators; it must find what scanning every digit finds."""
    import random

    rng = random.Random(7)
    alphabet = "0123456789.,a _-%\u0663\u0665"  # with Arabic-Indic digits (Unicode \d)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))) for _ in range(20000)]
    texts += [SEED_TEXT, "v1.2.3, 1.000.000 and 12,5; 1.5a 3.4.", "1." * 500, "1" * 300 + ",5"]
    for text in texts:
        assert [m.span() for m in number_matches(text)] == [m.span() for m in _NUMBER.finditer(text)], text


def test_high_punctuation_found_per_mark_as_by_the_one_pattern():
    """L104 scans for each of ; ! ? : on its own (both ways: the space before the mark, and for
    French the missing one); it must find what the one pattern finds."""
    import random

    from mtcheck.rules.locale import (
        _EACH_MISSING_SPACE_FR,
        _EACH_SPACE_BEFORE_HIGH,
        _MISSING_SPACE_FR,
        _SPACE_BEFORE_HIGH,
    )
    from mtcheck.text.patterns import one_character_matches

    rng = random.Random(11)
    alphabet = " \t\u00a0\u202fa1;!?:)(-/\"”’»\n"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    texts += [SEED_TEXT, "Why ? He said : no ; 3 : 1, 10 :30, :) and :-) !?", "non!\ndit: non; oui?"]
    for text in texts:
        assert one_character_matches(_EACH_SPACE_BEFORE_HIGH, text) == [
            m.start() for m in _SPACE_BEFORE_HIGH.finditer(text)
        ], text
        assert one_character_matches(_EACH_MISSING_SPACE_FR, text) == [
            m.start() for m in _MISSING_SPACE_FR.finditer(text)
        ], text


def test_dates_that_are_fine():
    assert scan("On Aug. 14 and 27 September; 14 may be; 3 of the 12 months; 5 March 2020.", ("L106",)) == []
    assert scan("El 14 de agosto. Agosto fue caluroso.", ("L106",), "es") == []
    assert found("El 14 de Agosto de 2022.", ("L106",), "es") == [("L106", "Agosto")]
    assert found("Am 14. august 2022.", ("L106",), "de") == [("L106", "august")]


# -- through the CLI ---------------------------------------------------------------------------------------------


def test_cli_fix_applies_safe_locale_fixes_and_unsafe_ones_on_request():
    text = "He spoke of «referendums» where 1.332 people voted ?\n"
    safe = run_cli("fix", "-", "--select", "L", "--target-lang", "en", "--exit-zero", input=text)
    assert safe.stdout == "He spoke of “referendums” where 1.332 people voted?\n"
    unsafe = run_cli("fix", "-", "--select", "L", "--target-lang", "en", "--unsafe-fixes", "--exit-zero", input=text)
    assert unsafe.stdout == "He spoke of “referendums” where 1,332 people voted?\n"


# -- adversarial lines (their timing is measured in benchmarks/bench_scan.py) --------------------------------------


@pytest.mark.parametrize("kind", sorted(rule_inputs("L")))
def test_adversarial_lines_keep_exact_offsets(kind):
    select, make, n = rule_inputs("L")[kind]
    text = make(n // 4)
    for f in scan(text, select=select):
        assert text[f.start : f.end] == f.text, f"{kind}: {f.code} at {f.start}"


def _judge_by_splitting(token, text, start, end, conv):
    """L101's verdict as it was first written (the number split with a regex, every number the
    same way): the reference the one-separator path is held to."""
    import re

    from mtcheck.rules.locale import _after_version_word, _has_quantity_context, _is_count, _next_words

    dec, groups = conv["decimal"], [g for g in conv["group"] if g in ".,"]
    group = groups[0] if groups else None
    seps = re.findall(r"[.,]", token)
    parts = re.split(r"[.,]", token)
    kinds = set(seps)
    lang = conv.get("language", "the target language")

    def regroup(group_sep, dec_sep):
        g = group if group is not None else "\u202f"
        out = parts[0]
        for i, s in enumerate(seps):
            out += (dec if s == dec_sep else g) + parts[i + 1]
        return out

    if len(kinds) == 2:
        g_sep, d_sep = seps[0], seps[-1]
        if any(s != g_sep for s in seps[:-1]) or len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:-1]):
            return None
        if d_sep == dec and (g_sep == group):
            return None
        return (f"Number written with {d_sep!r} as decimal mark and {g_sep!r} between thousands; {lang} uses {dec!r} for decimals",
                regroup(g_sep, d_sep))
    (s,) = kinds
    if len(seps) >= 2:
        if len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
            return None
        if s == group:
            return None
        return (f"Thousands separated with {s!r}; {lang} separates them with {group or 'a space'!r}", regroup(s, None))
    frac = parts[1]
    if len(frac) == 3 and 1 <= len(parts[0]) <= 3 and parts[0] != "0":
        if s == group:
            return None
        if _after_version_word(text, start, conv):
            return None
        w1, w2 = _next_words(text, end)
        grouped = regroup(s, None)
        if _is_count(w1, conv):
            return (f"{token!r} counts {w1}: thousands separated with {s!r}; {lang} writes {grouped!r}", grouped)
        if w1 in conv["_magnitude"] and w1 != "%":
            return (f"{token} {w1}: a three-digit group before {w1!r} is a thousands group; {lang} writes {grouped!r}", grouped)
        if frac.endswith("0"):
            return (f"{token!r} looks like thousands separated with {s!r}; {lang} writes {grouped!r}", grouped)
        return None
    if s == dec:
        return None
    if _has_quantity_context(text, start, end, conv):
        return (f"Decimal mark {s!r} in {token!r}; {lang} writes decimals with {dec!r}", regroup(None, s))
    return None


@pytest.mark.parametrize("lang", LANGS)
def test_number_verdicts_agree_with_splitting_every_number(lang):
    """L101 reads a number with one separator by slicing it; its verdicts (messages and
    replacements) must be those of splitting every number with a regex, in every language, for
    numbers of every shape before counts, magnitudes, units, currencies and version words."""
    import random

    from mtcheck.rules.locale import _judge_number

    conv = conventions(lang)
    rng = random.Random(11)
    tokens = ["1.332", "1,332", "3,5", "3.5", "0.500", "0,500", "12.500", "1.250,50", "1,250.50", "1.000.000",
              "1,000,000", "2.0.1", "10.30", "27.11.2026", "1234.567", "1.2345", "٣.٥٠٠", "1.900", "12,500"]
    tokens += ["".join(rng.choice("0123456789") for _ in range(rng.randint(1, 4))) +
               "".join(rng.choice(".,") + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 4)))
                       for _ in range(rng.randint(1, 3)))
               for _ in range(3000)]
    befores = ["", "Police said ", "version ", "v", "$", "€ ", "Release "]
    afters = ["", " people", " million euros", "%", " metres", " €", " Millionen", " personnes", " of them", " hectares."]
    checked = flagged = 0
    for token in tokens:
        before, after = rng.choice(befores), rng.choice(afters)
        text = before + token + after
        start, end = len(before), len(before) + len(token)
        want = _judge_by_splitting(token, text, start, end, conv)
        assert _judge_number(token, text, start, end, conv) == want, (lang, text)
        checked += 1
        flagged += want is not None
    assert flagged > 100 and checked - flagged > 100


def test_version_word_found_as_by_searching_the_24_characters_before():
    """L101 looks for a version word before a number from where the word can start; it must
    answer what searching all 24 characters before the number answers."""
    import random

    from mtcheck.rules.locale import _WORD_BEFORE, _after_version_word

    conv = {"_version": frozenset({"a", "b", "é", "ab", "version"})}
    rng = random.Random(9)
    pieces = ["a", "B", "1", "²", "½", "_", "’", "-", " ", "\t", "\u00a0", "\n", "(", "é", "٣", "x y", "version "]
    yes = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        for start in range(len(text) + 1):
            m = _WORD_BEFORE.search(text, max(0, start - 24), start)
            want = bool(m) and m.group(1).casefold() in conv["_version"]
            assert _after_version_word(text, start, conv) == want, (text, start)
            yes += want
    assert yes > 1000


@pytest.mark.parametrize("lang", ["en", "es", "de", "fr", "pt"])
def test_date_matches_are_the_date_patterns_matches(lang):
    """L106 tries its date pattern only where a day can end (found in the text's bytes, digits
    made "0"); it must find what ``finditer`` finds, groups included, with digits beyond ASCII
    and beyond Latin-1, question marks, no-break spaces and months in any case."""
    import random

    from mtcheck.rules.locale import _date_matches, _date_pattern

    pattern = _date_pattern(lang)
    pieces = ["1", "2", "3", "0", "9", "14", "31", "٣", "５", "?", ".", " ", " ", "\u00a0", "\n", "of", "de", "x",
              "_", "é", "İ", "\u212a", "August", "aug", "AUGUST", "ſeptember", "Sept", "mar", "may", "agosto",
              "Agosto", "März", "août", "Août", "février", "dezembro", "Dezember", "’", "14 August", "3 of aug",
              "01. März", "14 de agosto", "2\u00a0Sept.", "1٣ may", "30 Août", "5 de Setembro", "7 ", " 12 "]
    rng = random.Random(17)
    found = 0
    for _ in range(6000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        want = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in _date_matches(pattern, text)] == want, text
        found += len(want)
    assert found > 300
