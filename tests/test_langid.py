"""mtcheck.langid: deterministic, lazy, and loading only the langdetect profiles a text needs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtcheck import langid

TEXTS = {
    "en": "Moscow began its mobilization of additional troops on Thursday to bolster its offensive in Ukraine.",
    "es": "Moscú comenzó el jueves la movilización de tropas adicionales para reforzar su ofensiva en Ucrania.",
    "fr": "Moscou a commencé jeudi la mobilisation de troupes supplémentaires pour renforcer son offensive.",
    "de": "Moskau hat am Donnerstag mit der Mobilisierung zusätzlicher Truppen für seine Offensive begonnen.",
    "pt": "Moscou começou na quinta-feira a mobilização de tropas adicionais para reforçar a sua ofensiva.",
    "it": "Mosca ha iniziato giovedì la mobilitazione di truppe aggiuntive per rafforzare la sua offensiva.",
    "ru": "Москва в четверг начала мобилизацию дополнительных войск для усиления наступления на Украине.",
    "el": "Η Μόσχα ξεκίνησε την Πέμπτη την κινητοποίηση επιπλέον στρατευμάτων για την επίθεσή της.",
    "zh": "莫斯科周四开始动员更多部队，以加强其在乌克兰的攻势。",
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_detects_the_language(lang):
    assert langid.detect(TEXTS[lang]) == lang


def test_short_or_letterless_text_is_unknown():
    assert langid.detect("Sí, señor.") is None
    assert langid.detect("12,345 — 67.8% (2024)") is None
    assert langid.detect_probs("") == []


def test_loads_only_the_profiles_a_text_needs():
    latin = langid.candidates(TEXTS["en"])
    assert latin == frozenset(langid.DEFAULT_LANGUAGES)
    assert len(latin) < len(langid.available_profiles()) / 2
    assert {"ru", "uk", "bg"} <= langid.candidates(TEXTS["ru"])
    assert "el" in langid.candidates(TEXTS["el"])
    assert {"zh-cn", "zh-tw", "ja"} <= langid.candidates(TEXTS["zh"])
    # Requested languages join the set: a source or target outside the defaults.
    assert {"hu", "sk"} <= langid.candidates(TEXTS["en"], ["hu", "sk"])
    assert {"zh-cn", "zh-tw"} <= langid.candidates(TEXTS["en"], ["zh"])


def test_factory_holds_exactly_the_candidates():
    langid.detect(TEXTS["es"])
    factory = langid._factory(langid.candidates(TEXTS["es"]))
    assert factory.langlist == sorted(langid.DEFAULT_LANGUAGES)
    assert all(len(row) == len(factory.langlist) for row in list(factory.word_lang_prob_map.values())[:100])


def test_requested_language_can_win():
    # Hungarian is not a default profile; asking for it makes it a candidate.
    hu = "A kormány csütörtökön bejelentette, hogy jövő héten új intézkedéseket vezet be az infláció ellen."
    assert langid.detect(hu, langs=["hu"]) == "hu"


_PROBE = """
import json, sys
from mtcheck import langid
texts = json.loads(sys.argv[1])
print(json.dumps({k: langid.detect_probs(v) for k, v in texts.items()}))
"""


def test_same_text_same_answer_across_processes():
    # Borderline texts exercise langdetect's random sampling, which the seed pins down.
    texts = {
        **TEXTS,
        "mixed": "The ministro said que the calle was cerrada por la policía on Monday.",
        "short": "Real Madrid gana la Liga otra vez",
    }
    runs = [
        subprocess.run([sys.executable, "-c", _PROBE, json.dumps(texts)], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout
    in_process = {k: [list(p) for p in langid.detect_probs(v)] for k, v in texts.items()}
    assert json.loads(runs[0].stdout) == in_process


def test_importing_langid_does_not_load_langdetect_or_wordfreq():
    code = (
        "import sys, mtcheck.langid\n"
        "print(any(m.startswith(('langdetect', 'wordfreq')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_zipf_tables_read_wordfreq_data():
    small = langid.zipf_table("es")
    assert small["ministro"] == pytest.approx(5.05, abs=0.02)
    assert min(small.values()) >= 3.0
    assert "ministro" not in langid.zipf_table("en")
    large = langid.zipf_table("en", "large")
    assert len(large) > 5 * len(langid.zipf_table("en"))
    assert langid.zipf_table("xx") == {}
    assert langid.has_word_frequencies("es", "large") and not langid.has_word_frequencies("ro", "large")


def test_zipf_table_agrees_with_wordfreq():
    import wordfreq

    table = langid.zipf_table("fr")
    for word in ("gouvernement", "le", "président", "semaine"):
        assert table[word] == pytest.approx(wordfreq.zipf_frequency(word, "fr"), abs=0.011)


def test_function_words():
    words = langid.words("The minister said that the road would stay closed for the rest of the week.")
    assert langid.function_word_share(words, "en") > 0.4
    assert langid.function_word_share(words, "es") < 0.1
    assert langid.function_word_share(words, "xx") == 0.0


LONG_EN = " ".join([TEXTS["en"]] * 4)
LONG_ES = (
    "El Gobierno anunció el jueves que la movilización de los reservistas comenzará la próxima semana "
    "y que miles de personas ya se han presentado de forma voluntaria en las oficinas de reclutamiento, "
    "mientras muchos rusos abandonan el país para evitar ser enviados al frente."
)
LONG_CA = (
    "El Govern va anunciar dijous que la mobilització dels reservistes començarà la setmana vinent i que "
    "milers de persones ja s'han presentat de manera voluntària a les oficines de reclutament, mentre "
    "molts russos abandonen el país per evitar ser enviats al front."
)


def test_long_plain_text_is_answered_from_function_words(monkeypatch):
    assert langid.function_word_guess(LONG_EN) == "en"
    monkeypatch.setattr(langid, "detect_probs", lambda *a, **k: pytest.fail("langdetect was asked"))
    assert langid.detect(LONG_EN) == "en"


def test_close_relatives_go_to_langdetect():
    # Spanish and Catalan share too many function words for the shortcut to decide.
    assert langid.function_word_guess(LONG_ES) is None
    assert langid.function_word_guess(LONG_CA) is None
    assert langid.detect(LONG_ES) == "es"
    assert langid.detect(LONG_CA) == "ca"


def test_short_text_never_takes_the_shortcut():
    assert langid.function_word_guess(TEXTS["en"]) is None


def _scans_only():
    """Forget what in_word_list scanned and answered, so that it scans again."""
    langid._scanned.clear()
    langid._answers.clear()


@pytest.mark.parametrize("size,min_zipf", [("small", None), ("small", 4.0), ("large", 1.5), ("large", None)])
def test_raw_membership_agrees_with_the_decoded_table(size, min_zipf):
    words = {"ministro", "calle", "arrasado", "escrutados", "the", "deserters", "fiesta", "año", "niño", "zzzqx",
             "über", "migrantes", "1000", "a"}
    _scans_only()
    raw = langid.in_word_list("es", words, size, min_zipf)
    table = langid.zipf_table("es", size)
    expected = {w for w in words if w in table and (min_zipf is None or table[w] >= min_zipf)}
    assert raw == expected
    scanned = langid._scanned[("es", size)]
    assert langid.in_word_list("es", words, size, min_zipf) == expected
    assert langid._scanned[("es", size)] == scanned  # answered from what it found before
    # A batch asking about other words, each a scan of most of the list (its rarest words),
    # until the list is decoded into a set and asking scans nothing more.
    rarest = sorted(table, key=table.get)
    k, before = 0, -1
    while langid._scanned[("es", size)] != before:
        before = langid._scanned[("es", size)]
        batch = {rarest[k], rarest[k + 1], f"zzq{k}x"}
        assert langid.in_word_list("es", batch, size, min_zipf) == {
            w for w in batch if w in table and (min_zipf is None or table[w] >= min_zipf)}
        k += 2
    assert k > langid.SCANS_BEFORE_SET // 4
    assert langid.in_word_list("es", words, size, min_zipf) == expected  # from the decoded set now
    assert langid.in_word_list("es", {"zzq-new"} | words, size, min_zipf) == expected


def test_word_set_and_lookup():
    assert "ministro" in langid.word_set("es") and "ministro" not in langid.word_set("en")
    assert langid.zipf_lookup("es", {"ministro", "zzzqx"}) == {"ministro": langid.zipf_table("es")["ministro"]}
    assert langid.in_word_list("xx", {"a"}) == set() and langid.word_set("xx") == frozenset()


def _generator():
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "scripts" / "gen_wordfreq_copies.py"
    spec = importlib.util.spec_from_file_location("gen_wordfreq_copies", script)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def test_shipped_wordfreq_copies_are_current_and_used():
    """data/wordfreq/ holds what scripts/gen_wordfreq_copies.py writes from the installed
    wordfreq, and a list read from its copy is the list wordfreq's own file holds."""
    import gzip

    import msgpack

    gen = _generator()
    expected = gen.expected()
    assert expected, "wordfreq's lists not found"
    shipped = [n for n in os.listdir(langid._SHIPPED_WORDFREQ) if n != "README.md"]
    assert sorted(shipped) == sorted(expected)
    for name, data in expected.items():
        assert (Path(langid._SHIPPED_WORDFREQ) / name).read_bytes() == data
    for lang in gen.LANGUAGES:
        assert langid._text(lang, "small") is not None, lang
        gz = langid._wordfreq_file(lang, "small")
        buckets = msgpack.unpackb(gzip.decompress(Path(gz).read_bytes()), raw=False)[1:]
        assert langid._packed(lang, "small") == buckets
        last = int(round((9 - 4.0) * 100))
        assert langid._words_at_least(lang, "small", 4.0) == {w for b in buckets[: last + 1] for w in b}


def test_a_stale_wordfreq_copy_is_ignored(tmp_path, monkeypatch):
    """A copy made from another wordfreq file (another version) is not used."""
    gz = Path(langid._wordfreq_file("en", "small"))
    copy = _generator().text_copy(gz)
    head, rest = copy.split(b"\n", 1)
    magic, name, crc, length = head.split()
    monkeypatch.setattr(langid, "_SHIPPED_WORDFREQ", str(tmp_path))
    stale = tmp_path / "small_en.txt"
    for bad in (b"%s %s %d %s" % (magic, name, int(crc) + 1, length), b"%s %s %s %d" % (magic, name, crc, int(length) + 1),
                b"%s small_de.msgpack.gz %s %s" % (magic, crc, length), b"plain %s %s %s" % (name, crc, length)):
        stale.write_bytes(bad + b"\n" + rest)
        langid._text.cache_clear()
        assert langid._text("en", "small") is None
    stale.write_bytes(copy)
    langid._text.cache_clear()
    assert langid._text("en", "small") is not None
    langid._text.cache_clear()  # unmaps the file (which Windows needs before deleting it)
    stale.unlink()
    assert langid._text("en", "small") is None
    monkeypatch.undo()
    langid._text.cache_clear()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_copy_lookups_agree_with_the_decoded_table(lang):
    table = langid.zipf_table(lang)
    text = langid._text(lang, "small")
    sample = sorted(table)[::97] + ["zzzqx", "", "a\nb", "the\n", "ministro calle"]
    for w in sample:
        i = text.find(w)
        assert (i != -1) == (w in table), w
        if i != -1:
            assert round(9 - text.bucket_at(i) / 100, 2) == table[w]
    langid._lookups.clear()
    assert langid.zipf_lookup(lang, sample) == {w: table[w] for w in sample if w in table}
    _scans_only()
    assert langid.in_word_list(lang, sample, min_zipf=4.0) == {w for w in sample if table.get(w, 0) >= 4.0}


@pytest.mark.parametrize("text", [
    "", "   \n\t", "Kyiv's 2nd_round: a-b c—d «e» x²y ½ Ⅻ l'été ÉTÉ İzmir\u00a0naïve\u2009re\u0301sume\u0301 under_score",
    "Ünïcödé words, 10km and km10, e.g. U.S.A.; ministro’s calle — Zelensky!",
    '“Said,” (she) [x²] «rock ‘n’ roll» -co-op- …and… ¿qué? ¡sí! — “ ”, "a"b" {Ⅻ} __x__ ’tis 3.5%',
    (Path(__file__).parent.parent / "corpora" / "mt" / "es-en" / "000_seed.txt").read_text(encoding="utf-8"),
])
def test_document_words_are_the_distinct_letter_runs(text):
    from mtcheck.document import Document

    doc = Document.from_text(text)
    assert langid.document_words(doc) == set(re.findall(r"[^\W\d_]+", text))
    assert langid.document_words(doc) is langid.document_words(doc)  # kept on the document


@pytest.mark.parametrize("text", ["Kyiv kyiv iPhone eBay ǅemal ǆemal 中文 ΣΑΣ σας İstanbul ß ẞ x X x²", ""])
def test_document_word_cases_split_the_letter_runs_by_islower(text):
    from mtcheck.document import Document

    doc = Document.from_text(text)
    words = langid.document_words(doc)
    lower, others = langid.document_word_cases(doc)
    assert lower == {w for w in words if w.islower()}
    assert others == words - lower
    assert langid.document_word_cases(doc) is langid.document_word_cases(doc)  # kept on the document
    if text:
        assert {"kyiv", "ǆemal", "σας", "ß", "x"} <= lower and {"iPhone", "ǅemal", "中文", "ẞ", "X"} <= others


@given(st.text(alphabet=st.sampled_from(list('ab Éé中²Ⅻ_1٣ ,."\'’-\n\t\u00a0\u0301İß')), max_size=60))
@settings(max_examples=300, deadline=None)
def test_document_words_are_the_letter_runs_of_any_text(text):
    from mtcheck.document import Document

    assert langid.document_words(Document.from_text(text)) == set(re.findall(r"[^\W\d_]+", text))


def _letter_run_cases(text):
    runs = set(re.findall(r"[^\W\d_]+", text))
    return {w for w in runs if w.islower()}, {w for w in runs if not w.islower()}


@given(st.lists(st.text(alphabet=st.sampled_from(list('ab Éé中²Ⅻ_1٣ ,."\'’-\n\t\u00a0\u0301İßKk')), max_size=40),
                min_size=1, max_size=4))
@settings(max_examples=300, deadline=None)
def test_letter_runs_classified_from_what_earlier_documents_held_are_the_regex_runs(texts):
    # The runs remembered from earlier documents classify a later one's tokens: the same runs
    # and the same split by str.islower as reading the text alone.
    from mtcheck.document import Document

    langid._LOWER_RUNS.clear()
    langid._OTHER_RUNS.clear()
    for text in texts + texts[::-1]:
        doc = Document.from_text(text)
        lower, others = langid.document_word_cases(doc)
        assert (lower, others) == _letter_run_cases(text)
        assert langid.document_words(doc) == lower | others
    assert all(re.fullmatch(r"[^\W\d_]+", w) and w.islower() for w in langid._LOWER_RUNS)
    assert all(re.fullmatch(r"[^\W\d_]+", w) and not w.islower() for w in langid._OTHER_RUNS)


def test_letter_runs_are_remembered_up_to_the_limit(monkeypatch):
    from mtcheck.document import Document

    langid._LOWER_RUNS.clear()
    langid._OTHER_RUNS.clear()
    monkeypatch.setattr(langid, "MAX_REMEMBERED_RUNS", 2)
    assert langid.document_word_cases(Document.from_text("aa bb Cc")) == ({"aa", "bb"}, {"Cc"})
    assert langid._LOWER_RUNS == {"aa", "bb"} and langid._OTHER_RUNS == {"Cc"}
    # Full: a new run is classified all the same, and not remembered.
    assert langid.document_word_cases(Document.from_text("aa cc Dd x²")) == ({"aa", "cc", "x²"}, {"Dd"})
    assert langid._LOWER_RUNS == {"aa", "bb"} and langid._OTHER_RUNS == {"Cc", "Dd"}


def test_document_word_cases_when_only_the_letter_runs_were_kept():
    from mtcheck.document import Document

    doc = Document.from_text("Kyiv kyiv iPhone")
    langid.document_words(doc)
    del doc.__dict__["_letter_run_cases"]
    assert langid.document_word_cases(doc) == ({"kyiv"}, {"Kyiv", "iPhone"})


def test_the_marks_replaced_by_spaces_are_never_part_of_a_letter_run():
    assert all(re.fullmatch(r"\W", c) for c in langid._SPLIT_MARKS)


@pytest.mark.parametrize("lang", ["de", "fr", "ro"])
def test_raw_membership_is_not_fooled_by_the_end_of_an_accented_word(lang):
    """``sent`` is not in the German list because ``präsent`` is: the bytes of ``ä`` end with
    what looks like the length header of a four-letter string. Words that end other words of
    the list after a non-ASCII letter are looked up by scanning and must match the decoded set."""
    from itertools import chain

    suffixes = set()
    for word in chain.from_iterable(langid._packed(lang, "small")):
        suffixes.update(word[k + 1 :] for k, ch in enumerate(word[:-1]) if ord(ch) > 127)
        if len(suffixes) > 400:
            break
    suffixes = sorted(suffixes)
    expected = set(suffixes) & langid.word_set(lang)
    assert expected and set(suffixes) - expected  # both kinds are there
    found = set()
    for k in range(0, len(suffixes), 40):
        _scans_only()  # scans, not the decoded set
        found |= langid.in_word_list(lang, suffixes[k : k + 40])
    assert found == expected
    # The same scan over wordfreq's own msgpack bytes (what lists without a plain-text copy get).
    raw = langid._raw(lang, "small")
    assert langid._in_raw(raw, suffixes, lang, "small", len(raw))[0] == expected
    if lang == "de":
        assert "präsent" in langid.word_set("de") and "sent" not in langid.word_set("de")
        _scans_only()
        assert langid.in_word_list("de", {"sent", "präsent"}) == {"präsent"}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_bloom_filter_keeps_every_word_and_rules_out_most_others(lang):
    text = langid._text(lang, "small")
    bloom, bits = text.bloom, text.bloom_bits

    def passes(word):
        return all(bloom[p >> 3] >> (p & 7) & 1 for p in langid.bloom_positions(word.encode("utf-8"), bits))

    assert all(map(passes, langid._text_words(lang, "small")))
    made_up = [f"{w}qz" for w in langid._text_words(lang, "small")[:3000]]
    assert sum(map(passes, made_up)) < 0.05 * len(made_up)


@pytest.mark.parametrize("lang", ["es", "de"])
def test_the_head_of_a_list_is_the_start_of_the_whole(lang):
    """A threshold lookup decompresses a list only as far as its buckets at or above the
    threshold: the same bytes and bucket offsets as the whole list has there."""
    import msgpack

    whole = langid._raw(lang, "small")
    starts = langid._bucket_starts(lang, "small")
    buckets = msgpack.unpackb(whole, raw=False)[1:]
    for min_zipf in (9.5, 7.0, 4.0, 3.0, 1.0):
        k = langid._buckets_down_to(min_zipf)
        raw, head_starts = langid._raw_head(lang, "small", k)
        assert whole.startswith(raw)
        assert head_starts == starts[: min(k, len(buckets)) + 1]
        assert langid._packed_prefix(lang, "small", k) == buckets[:k]
