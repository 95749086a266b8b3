"""Family C: calques (C101) and false friends (C102), read from mtcheck/data/calques/*.json.

The data is the specification: every entry's example must be flagged at exactly its marked span,
its near-miss sentences must stay silent, and its explanation must say something. Adding an entry
adds its tests.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import CORPORA, SEED, run_cli

from mtcheck.api import scan_document
from mtcheck.document import Document
from mtcheck.rules import calques
from mtcheck.rules.base import Example
from mtcheck.settings import Settings

DIRECTIONS = calques.directions()
ENTRIES = [e for d in DIRECTIONS for e in calques.load_direction(d)]
CODE = {"calque": "C101", "false-friend": "C102", "translated-name": "C103"}
CLEAN = sorted((CORPORA / "clean" / "en").glob("*.txt"))


def scan(text: str, source: str | None, target: str = "en", select: str = "C"):
    settings = Settings(select=(select,), source_lang=source, target_lang=target)
    return scan_document(Document.from_text(text), settings).findings


def test_every_language_pair_is_there():
    assert {"es-en", "fr-en", "de-en", "pt-en", "it-en", "en-es"} <= set(DIRECTIONS)
    counts = {d: len(calques.load_direction(d)) for d in DIRECTIONS}
    assert counts["es-en"] >= 29
    assert all(n >= 8 for n in counts.values()), counts


def test_es_en_has_the_issue_entries():
    ids = {e.id for e in calques.load_direction("es-en")}
    assert {"head-of-us-diplomacy", "many-media", "actually-currently", "eventually-possibly", "assist-to-attend",
            "sensible-sensitive", "realize-a-study", "in-the-frame-of", "the-totality-of", "a-dozen-of",
            "arms-career", "career-degree"} <= ids


def test_one_entry_per_line():
    for d in DIRECTIONS:
        path = calques.__file__.rsplit("/rules/", 1)[0] + f"/data/calques/{d}.json"
        lines = [ln for ln in open(path, encoding="utf-8") if '"id":' in ln]
        assert len(lines) == len(calques.load_direction(d)), d


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.direction}:{e.id}" for e in ENTRIES])
def test_entry_flags_its_example_exactly(entry):
    ex = Example(entry.example)
    found = sorted((s, e) for s, e, _ in entry.spans(ex.plain()))
    assert found == sorted(ex.spans()), f"{entry.direction}:{entry.id} on {ex.plain()!r}"
    assert entry.explanation.strip() and entry.suggestion.strip() and entry.source.strip()


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.direction}:{e.id}" for e in ENTRIES])
def test_rule_reports_the_example(entry):
    ex = Example(entry.example)
    findings = scan(ex.plain(), entry.source_lang, entry.target_lang, CODE[entry.kind])
    spans = {(f.start, f.end) for f in findings}
    assert set(ex.spans()) <= spans
    hit = [f for f in findings if (f.start, f.end) in set(ex.spans())]
    assert all(entry.source in f.message for f in hit)
    assert all(f.severity == entry.severity for f in hit)


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.direction}:{e.id}" for e in ENTRIES])
def test_entry_is_silent_on_its_near_misses(entry):
    for good in entry.good:
        assert list(entry.spans(good)) == [], f"{entry.direction}:{entry.id} flagged {good!r}"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.context is not None])
def test_context_entries_need_their_context(entry):
    plain = Example(entry.example).plain()
    m = entry.context.search(plain)
    assert m, entry.id
    without = plain[: m.start()] + plain[m.end():]
    if not entry.context.search(without):
        assert list(entry.spans(without)) == [], entry.id


def test_context_free_entries_that_need_context_are_info():
    # An entry without a context pattern whose word is common idiomatic English must be info.
    for e in ENTRIES:
        if e.id in ("actually-currently", "eventually-possibly", "the-totality-of"):
            assert e.severity.value == "info" and e.precision == "low", (e.direction, e.id)


def test_unknown_source_runs_only_high_precision_entries():
    for e in ENTRIES:
        if e.target_lang != "en":
            continue
        plain = Example(e.example).plain()
        found = {(f.start, f.end) for f in scan(plain, None, "en", CODE[e.kind])}
        marked = set(Example(e.example).spans())
        if e.precision == "high":
            assert marked <= found, (e.direction, e.id)
        elif not any(o.precision == "high" and list(o.spans(plain)) for o in ENTRIES if o.target_lang == "en"):
            assert not (marked & found), (e.direction, e.id)


def test_shared_patterns_are_reported_once_naming_every_source():
    findings = scan("The talks were held in the frame of the summit.", None)
    assert len(findings) == 1
    msg = findings[0].message
    assert "Spanish “en el marco de”" in msg and "French “dans le cadre de”" in msg


def test_fix_replaces_and_keeps_capitals():
    (f,) = scan("Many media also reported long queues at the border.", "es")
    assert f.fix is not None and f.fix.applicability.value == "unsafe"
    assert [e.replacement for e in f.fix.edits] == ["Many media outlets"]
    (g,) = scan("By his part, the minister said nothing.", "es")
    assert g.fix.edits[0].replacement == "For his part"
    (h,) = scan('"Enough," declared the head of US diplomacy.', "es")
    assert h.fix.edits[0].replacement == "the US Secretary of State"


def test_other_target_language():
    found = scan("La reunión tomó lugar en Bruselas y la decisión no hace sentido.", "en", target="es")
    assert [f.text for f in found] == ["tomó lugar", "hace sentido"]
    assert scan("La reunión tomó lugar en Bruselas.", "es", target="en") == []


# -- corpora ------------------------------------------------------------------------------------------

HARD_CLEAN = """\
Many media outlets reported the news, and local media said the border was busy. The artist works \
in many media, from oil paint to video.

He stood in the frame of the door. The eventual winner, who had eventually pulled ahead, actually \
made a loss last year. It was a sensible decision to keep sensitive information private.

US Secretary of State Antony Blinken, the top US diplomat, met the head of the US diplomatic mission. \
She is head of public diplomacy at the embassy.

The balance of power shifted as the talks went on for years; since 2020 prices have doubled, and \
it has been years since the war. The company has a handy map and a dozen of them attended.

Supporters celebrated the election of the new mayor, who assisted the minister with her speech and \
attended the meeting. He sustained injuries and discarded the documents. The ancient city of Rome \
was busy. The EU directive applies to every football club, the commission said.
"""


@pytest.mark.parametrize("source", [None, "es", "fr", "de", "pt", "it"])
def test_silent_on_clean_english(source):
    for text in [p.read_text(encoding="utf-8-sig") for p in CLEAN] + [HARD_CLEAN]:
        found = scan(text, source)
        assert found == [], [(f.code, f.text) for f in found]


def test_entries_hold_their_near_misses_against_every_direction():
    goods = [g for e in ENTRIES if e.target_lang == "en" for g in e.good]
    for source in (None, "es", "fr", "de", "pt", "it"):
        noisy = [(g, f.text) for g in goods for f in scan(g, source)]
        assert noisy == [], source


def test_seed_calques_through_the_cli():
    for extra in ([], ["--source-lang", "es"]):
        r = run_cli("scan", "--isolated", str(SEED), "--select", "C", "-t", "en", "--format", "json", *extra)
        assert r.returncode == 1, r.stderr
        texts = {f["text"] for f in json.loads(r.stdout)["documents"][0]["findings"]}
        assert {"the head of US diplomacy", "Many media"} <= texts, extra


def test_corpus_calques_false_friends_and_names_match_gold():
    kinds = ("calque", "false-friend", "translated-name")
    gold, hit = 0, 0
    for path in sorted((CORPORA / "mt" / "es-en").glob("*.txt")):
        ann = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["annotations"]
        found = scan(path.read_text(encoding="utf-8-sig"), "es")
        wanted = [(a["start"], a["end"]) for a in ann if a["type"] in kinds]
        gold += len(wanted)
        hit += sum(any(f.start < e and s < f.end for f in found) for s, e in wanted)
        # Every finding overlaps an annotated artifact of the corpus (no false alarms).
        for f in found:
            assert any(f.start < a["end"] and a["start"] < f.end for a in ann), (path.name, f.text)
    assert gold >= 18 and hit == gold, (hit, gold)


# -- data validation ------------------------------------------------------------------------------------

GOOD_ENTRY = {
    "id": "x", "kind": "calque", "pattern": r"\bfoo\b", "source": "fú", "suggestion": "bar",
    "explanation": "Because.", "example": "A ⟦foo⟧.", "precision": "high",
}


@pytest.mark.parametrize(
    "change,message",
    [
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"kind": "loan"}, "kind must be"),
        ({"pattern": "(unclosed"}, "bad regular expression"),
        ({"explanation": " "}, "'explanation' must be a non-empty string"),
        ({"example": "no marks"}, "must mark the flagged span"),
        ({"precision": "medium"}, "precision must be"),
        ({"severity": "fatal"}, "severity must be"),
        ({"id": "Not Kebab"}, "kebab-case"),
    ],
)
def test_invalid_entries_are_errors_naming_the_file(change, message):
    data = {"direction": "xx-en", "entries": [{**GOOD_ENTRY, **change}]}
    with pytest.raises(calques.CalqueDataError, match=re.escape(message)) as err:
        calques.parse_entries(data, "data/calques/xx-en.json")
    assert str(err.value).startswith("data/calques/xx-en.json: entry 1")


def test_missing_key_and_bad_direction():
    with pytest.raises(calques.CalqueDataError, match="missing key"):
        calques.parse_entries({"direction": "xx-en", "entries": [{"id": "x"}]}, "f.json")
    with pytest.raises(calques.CalqueDataError, match="direction"):
        calques.parse_entries({"direction": "spanish", "entries": []}, "f.json")
    assert calques.parse_entries({"direction": "xx-en", "entries": [GOOD_ENTRY]}, "f.json")[0].id == "x"


def test_shipped_anchors_are_current():
    """data/calques/_anchors.json is what scripts/gen_calque_anchors.py computes from the data
    (rerun the script after editing a calque file)."""
    from mtcheck.data import _path

    shipped = _path("calques", f"{calques.ANCHORS_FILE}.json").read_text(encoding="utf-8")
    assert shipped == calques.dump_anchors(calques.compute_anchors())
    for direction in calques.directions():
        for e in calques.load_direction(direction):
            assert (e.anchors, e.required) == calques.pattern_anchors(e.pattern, e.flags)


# -- the anchor scan --------------------------------------------------------------------------------


def test_required_sets_spell_out_runs_of_alternatives():
    sets = calques.required_sets(r"\b(?:by|from) (?:his|her) part\b", re.IGNORECASE)
    assert ("by her part", "by his part", "from her part", "from his part") in sets
    # Optional parts: a spelling that holds a shorter one is left out.
    assert ("tax of growth", "taxes of growth") in calques.required_sets(r"(?:(?:the|a) )?tax(?:es)? of growth")
    # More spellings than MAX_SPELLINGS: the run is cut.
    many = "|".join(f"{chr(97 + i)}z" for i in range(calques.MAX_SPELLINGS + 1))
    assert calques.required_sets(f"x (?:{many}) y") == (("x ",), tuple(many.split("|")), (" y",))


@pytest.mark.parametrize("pattern,tokens", [
    (r"\b(?:by|from) (?:his|her|its) part\b", "by from his her its part party"),
    (r"(?:(?:the|a) )?tax(?:es)? of (?:growth|birth)\b", "the a tax taxes of growth birth"),
    (r"\bLeague of (?:the )?Champions\b", "League LEAGUE of the Champions champions"),
    (r"(?:a|b)(?=c)c(?:d|)e?f", "a b c d e f cf"),
    (r"x(?:ab|a)(?:b|)c", "x a ab b c bc"),
])
def test_every_match_holds_one_string_of_each_required_set(pattern, tokens):
    import random

    rng = random.Random(2)
    words = tokens.split() + [t + " " for t in tokens.split()] + [" ", ""]
    regex = re.compile(pattern, re.IGNORECASE)
    sets = calques.required_sets(pattern, re.IGNORECASE)
    assert sets
    matched = 0
    for n in range(3000):
        text = "".join(rng.choice(words) for _ in range(rng.randrange(1, 12)))
        for m in regex.finditer(text):
            matched += 1
            low = m.group().lower()
            assert all(any(x in low for x in alternatives) for alternatives in sets), (pattern, m.group())
    assert matched > 10


def _brute_hits(text, strings):
    return {s: [i for i in range(len(text)) if text.startswith(s, i)] for s in strings if s in text}


def test_anchor_scanner_finds_every_occurrence_overlaps_included():
    import random

    rng = random.Random(7)
    strings = ["abab", "aba", "ab a", "baba", "b ab", "a", "abba", "xyz", "zz", "zzz", "bab ", "ababab"]
    scanner = calques.AnchorScanner(strings)
    for n in range(300):
        text = "".join(rng.choice("ab xyz") for _ in range(rng.randrange(0, 40)))
        assert scanner.find_all(text) == _brute_hits(text, strings), text
    assert scanner.searches is not None  # later texts went through the compiled scan
    assert calques.AnchorScanner([]).find_all("anything") == {}


def test_anchor_scanner_finds_every_occurrence_of_random_string_sets():
    import random

    rng = random.Random(11)
    for _ in range(60):
        strings = ["".join(rng.choice("abcxz ") for _ in range(rng.randrange(1, 8))) for _ in range(rng.randrange(1, 9))]
        scanner = calques.AnchorScanner(strings)
        scanner.find_all("")  # past the str.find warm-up
        for _ in range(20):
            text = "".join(rng.choice("abcxz ") for _ in range(rng.randrange(0, 60)))
            assert scanner.find_all(text) == _brute_hits(text, set(strings)), (strings, text)


@pytest.mark.parametrize("source,target", [(None, "en"), ("es", "en"), ("de", "en"), (None, "es")])
def test_anchor_keys_are_long_enough_and_start_at_characters_that_cannot_be_spared(source, target):
    strings = calques._scanner(source, target).strings
    offsets = calques._key_offsets(strings)
    firsts = {s[k] for s, k in zip(strings, offsets)}
    assert all(len(s) - k >= min(4, len(s)) for s, k in zip(strings, offsets))
    for ch in firsts:  # each first character is the only one left to some string
        assert any(firsts.isdisjoint(set(s[: max(1, len(s) - 3)]) - {ch}) for s in strings), ch


def test_anchor_scanner_is_linear_on_repetitive_text():
    scanner = calques.AnchorScanner(["aaaab", "aaaa", "aab"])
    scanner.find_all("")  # past the str.find warm-up
    hits = scanner.find_all("a" * 20_000)
    assert list(hits) == ["aaaa"] and len(hits["aaaa"]) == 20_000 - 3


@pytest.mark.parametrize("source,target", [(None, "en"), ("es", "en"), ("fr", "en"), ("de", "en"), ("pt", "en"),
                                           ("it", "en"), (None, "es"), ("en", "es")])
def test_anchors_lose_no_finding(source, target):
    """Running every entry's regex on every sentence, without the anchor prefilter, finds what the
    rules find, on a document made of every example and near miss."""
    sentences = [Example(e.example).plain() for e in ENTRIES] + [g for e in ENTRIES for g in e.good]
    text = "\n\n".join(sentences + [s.upper() for s in sentences])
    doc = Document.from_text(text)
    found = {(f.code, f.start, f.end) for f in scan(text, source, target)}
    sents = doc.sentences_for(target)

    def sentence_at(offset):
        return next(((s.start, s.end) for s in sents if s.start <= offset < s.end), (offset, offset))

    expected = set()
    for kind, code in CODE.items():
        for group in calques.entries_for(source, target, kind):
            for s in sents:
                expected |= {(code, a, b) for a, b, _ in group[0].spans(doc.text, sentence_at, s.start, s.end)}
    assert expected and found == expected


def _expanded(entry, m, flagged):
    out = m.expand(entry.replacement)
    return out[0].upper() + out[1:] if flagged[:1].isupper() and out[:1].islower() else out


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.replacement], ids=lambda e: f"{e.direction}:{e.id}")
def test_replacement_is_what_match_expand_gives(entry):
    text = Example(entry.example).plain()
    for start, end, m in entry.spans(text):
        assert entry.replacement_for(m, text[start:end]) == _expanded(entry, m, text[start:end])


def test_replacement_templates_with_other_escapes_use_match_expand():
    raw = {**GOOD_ENTRY, "pattern": r"\b(?P<w>foo)(?: (bar))?\b", "example": "A ⟦foo⟧."}
    for replacement, parsed in [(r"\g<w>\n\g<2>", False), (r"x\g<0>\g<2>\g<w>y", True), (r"\\g<w>", False)]:
        (entry,) = calques.parse_entries({"direction": "xx-en", "entries": [{**raw, "replacement": replacement}]}, "f")
        assert (entry._template is not None) == parsed, replacement
        for text in ("A foo.", "A Foo bar."):
            for start, end, m in entry.spans(text):
                assert entry.replacement_for(m, text[start:end]) == _expanded(entry, m, text[start:end])


def test_characters_ignorecase_folds_beyond_lower_do_not_hide_a_calque():
    # The anchor prefilter searches the lower-cased text; "ſ" (long s) and "ı" (dotless i) match
    # "s" and "i" under re.IGNORECASE but are their own lower case, so such a text skips it.
    from mtcheck.api import scan_text

    for text, flagged in [("Prices have been riſing ſince years.", "ſince years"),
                          ("Prices have been rising sınce years.", "sınce years")]:
        found = [(f.code, f.text) for f in scan_text(text, target_lang="en", source_lang="de").findings]
        assert ("C101", flagged) in found, (text, found)


@pytest.mark.parametrize("source,target", [(None, "en"), ("es", "en"), ("de", "en"), (None, "es"), ("en", "es")])
def test_folding_hazards_are_the_extra_characters_that_match_a_searched_character(source, target):
    """Only the characters re.IGNORECASE folds beyond lower() that match a character of an anchor
    or required string, each tried against each such character as a literal, send a text past
    the lower-cased search."""
    chars = {ch for kind in calques.KINDS for group in calques.entries_for(source, target, kind)
             for strings in (group[0].anchors or (), *group[0].required) for x in strings for ch in x}
    expected = tuple(t for t in calques._IGNORECASE_EXTRA_CHARS
                     if any(re.fullmatch(re.escape(a), t, re.IGNORECASE) for a in chars))
    assert calques._folding_hazards(source, target) == expected
    assert {"ſ", "ı"} <= set(expected) and "µ" not in expected


def test_an_extra_folding_character_that_matches_no_searched_character_keeps_the_search():
    from mtcheck.rules.base import RuleContext

    for text, lowered in [("Prices rose 5 µg since years.", True), ("Prices roſe since years.", False),
                          ("Prices rose ϐ since years.", True)]:
        doc = Document.from_text(text)
        ctx = RuleContext(doc, source_lang="de", target_lang="en")
        assert [f.start for f in calques._check(ctx, "calque")] == [text.index("since")]
        assert (doc.__dict__["_calque_plan"].lowered is not None) is lowered, text


def test_the_plan_kept_on_a_document_follows_its_languages():
    """The C rules keep what they share (anchors found, groups to run) on the document for one
    pair of languages: a context with other languages works out its own, in any order."""
    from mtcheck.rules.base import RuleContext

    text = ("Many media said it. The European Spatial Agency agreed, by his part.\n\n"
            "She assisted to the meeting with sensible information. He met his homologue.")

    def run(source, target, doc):
        ctx = RuleContext(doc, source_lang=source, target_lang=target)
        return [(kind, m.start, m.end, m.message) for kind in calques.KINDS for m in calques._check(ctx, kind)]

    pairs = [(None, "en"), ("es", "en"), ("fr", "en"), ("de", "en"), (None, "es")]
    fresh = {pair: run(*pair, Document.from_text(text)) for pair in pairs}
    assert len({tuple(found) for found in fresh.values()}) == len(pairs)  # each pair finds something else
    doc = Document.from_text(text)
    for pair in pairs + pairs[::-1] + [(None, "en"), (None, "en")]:
        assert run(*pair, doc) == fresh[pair], pair
