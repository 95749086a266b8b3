"""The audit pipeline through the Python API with stand-in engines: batching, deduplication,
progress, and faults that cost one document its fidelity but never its rule findings."""

from __future__ import annotations

import pytest

from mtcheck.audit import AuditOptions, audit_documents
from mtcheck.document import Document
from mtcheck.errors import EngineError, InputError, UsageError
from mtcheck.settings import Settings
from mtcheck.translate.base import EngineIdentity, Translation, Translator

PREFIX = "[es] "


class Reversible(Translator):
    """en→es prefixes a marker, es→en removes it: a perfect round trip, with every call recorded."""

    name = "stand-in"

    def __init__(self, fail_on: str | None = None, fail_sentence: str | None = None):
        self.calls: list[tuple[str, str, list[str]]] = []
        self.fail_on = fail_on
        self.fail_sentence = fail_sentence

    def pairs(self):
        return [("en", "es"), ("es", "en")]

    def identity(self, source, target):
        return EngineIdentity("stand-in", "1", f"{source}-{target}", "f" * 64, {"beam": 1})

    def translate_detailed(self, sentences, source, target):
        self.calls.append((source, target, list(sentences)))
        if self.fail_on and any(self.fail_on in s for s in sentences):
            raise EngineError(f"stand-in: cannot translate {self.fail_on}")
        out = []
        for s in sentences:
            if self.fail_sentence and self.fail_sentence in s:
                out.append(Translation("", error="repetition loop"))
            elif target == "es":
                out.append(Translation(PREFIX + s))
            else:
                out.append(Translation(s.removeprefix(PREFIX)))
        return out

    def translate_batch(self, sentences, source, target):
        return [t.text for t in self.translate_detailed(sentences, source, target)]


DOCS = [
    ("a.txt", "Moscow began its mobilization on Thursday. Many Russians fled the country.\n\nRelated News"),
    ("b.txt", "Moscow began its mobilization on Thursday. \"We cannot let him get away with it\"declared the minister."),
    ("c.txt", "Nine missiles fell on the city. The local press broadcast images of a burnt-out bus."),
]


def _docs():
    return [Document.from_text(text, path=path) for path, text in DOCS]


def _settings():
    return Settings(source_lang="es", target_lang="en")


def test_two_engine_calls_for_all_documents_and_deduplicated_sentences():
    tr = Reversible()
    run = audit_documents(_docs(), _settings(), AuditOptions(source_lang="es"), translator=tr)
    assert run.calls == 2 and len(tr.calls) == 2
    assert [c[:2] for c in tr.calls] == [("en", "es"), ("es", "en")]
    # "Moscow began its mobilization on Thursday." appears in two documents, and goes once.
    assert len(tr.calls[0][2]) == len(set(tr.calls[0][2])) == 6
    assert run.sentences == 7
    for r in run.results:
        assert r.fidelity.document["chrf"] == pytest.approx(100.0)
        assert r.fidelity.signature["chrf"].endswith("|engine:stand-in|ver:1|model:en-es+es-en|sha:ffffffffffff+ffffffffffff|beam:1")
        assert len(r.fidelity.sentences) == len(r.document.sentences_for("en"))
    # Rule findings come along: b.txt's glued quote.
    assert any(f.code == "Q101" for f in run.results[1].findings)


def test_a_failing_batch_is_retried_per_document():
    tr = Reversible(fail_on="missiles")
    run = audit_documents(_docs(), _settings(), AuditOptions(source_lang="es"), translator=tr)
    a, b, c = run.results
    assert a.fidelity.error is None and a.fidelity.document["chrf"] == pytest.approx(100.0)
    assert b.fidelity.error is None
    assert c.fidelity.error and "cannot translate missiles" in c.fidelity.error
    assert c.fidelity.sentences == [] and c.fidelity.score is None
    assert any("c.txt" in n and "rule findings are reported" in n for n in run.notices)
    assert any(f.code == "Q101" for f in b.findings)


def test_a_sentence_the_engine_fails_on_is_not_scored():
    tr = Reversible(fail_sentence="Many Russians")
    run = audit_documents(_docs(), _settings(), AuditOptions(source_lang="es"), translator=tr)
    a = run.results[0]
    assert a.fidelity.failed == {1: "repetition loop"}
    assert [s.index for s in a.fidelity.sentences] == [0, 2]
    assert not any(f.code == "F101" for f in a.findings)  # an engine failure is not a fidelity finding
    assert any("failed on 1 sentence" in n for n in run.notices)
    assert a.fidelity.to_dict()["failed"] == [{"index": 1, "error": "repetition loop"}]


def test_progress_reports_every_translated_sentence():
    seen = []
    audit_documents(_docs(), _settings(), AuditOptions(source_lang="es"), translator=Reversible(),
                    progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (14, 14) and all(total == 14 for _, total in seen)


def test_unreadable_documents_stay_in_place():
    err = InputError("x.txt: cannot read: No such file")
    err.path = "x.txt"
    docs = _docs()
    run = audit_documents([docs[0], err, docs[1]], _settings(), AuditOptions(source_lang="es"), translator=Reversible())
    assert [r.path for r in run.results] == ["a.txt", "x.txt", "b.txt"]
    assert run.results[1].error and run.results[1].fidelity is None


def test_source_language_is_required():
    with pytest.raises(UsageError, match="source language"):
        audit_documents(_docs(), Settings(target_lang="en"), AuditOptions(), translator=Reversible())


def test_threshold_comes_from_options_then_settings():
    class Lossy(Reversible):
        def translate_detailed(self, sentences, source, target):
            out = super().translate_detailed(sentences, source, target)
            return [Translation(t.text.replace("Thursday", "the day of Thor")) if target == "en" else t for t in out]

    run = audit_documents(_docs(), _settings(), AuditOptions(source_lang="es"), translator=Lossy())
    assert run.results[0].fidelity.threshold == 50.0
    assert not [f for f in run.results[0].findings if f.code == "F101"]
    settings = _settings()
    settings.fidelity_threshold = 90.0
    run = audit_documents(_docs(), settings, AuditOptions(source_lang="es"), translator=Lossy())
    assert [f.text for f in run.results[0].findings if f.code == "F101"] == ["Moscow began its mobilization on Thursday."]
    run = audit_documents(_docs(), settings, AuditOptions(source_lang="es", threshold=10.0), translator=Lossy())
    assert not [f for f in run.results[0].findings if f.code == "F101"]


class _Terminal:
    """A stderr that says it is a terminal and keeps what is written."""

    def __init__(self):
        self.chunks: list[str] = []

    def isatty(self):
        return True

    def write(self, s):
        self.chunks.append(s)
        return len(s)

    def flush(self):
        pass


def test_progress_bar_only_on_a_terminal_and_past_a_handful(monkeypatch):
    from mtcheck.cli import audit as cli_audit

    term = _Terminal()
    monkeypatch.setattr(cli_audit.sys, "stderr", term)
    with cli_audit._progress() as progress:
        progress(4, 8)
        progress(8, 8)
    assert term.chunks == []  # a handful of sentences: no bar
    with cli_audit._progress() as progress:
        progress(50, 100)
        progress(100, 100)
    assert "translating" in "".join(term.chunks) and "100/100" in "".join(term.chunks)

    class Pipe(_Terminal):
        def isatty(self):
            return False

    monkeypatch.setattr(cli_audit.sys, "stderr", Pipe())
    with cli_audit._progress() as progress:
        assert progress is None


def test_empty_document_has_no_score_and_language_codes_are_normalised():
    run = audit_documents([Document.from_text("", path="empty.txt"), _docs()[2]], Settings(source_lang="ES", target_lang="eng"),
                          AuditOptions(), translator=Reversible())
    empty, c = run.results
    assert empty.fidelity.sentences == [] and empty.fidelity.score is None and empty.fidelity.document == {}
    assert c.fidelity.direction == "en-es-en"
    assert "|rt:en-es-en|" in c.fidelity.signature["chrf"]


def test_text_in_the_source_language_gets_no_round_trip():
    docs = [Document.from_text("El gobierno anunció la ley. Los niños juegan en la casa.", path="es.txt",
                               metadata={"target_lang": "es"}), _docs()[2]]
    tr = Reversible()
    run = audit_documents(docs, Settings(source_lang="es"), AuditOptions(), translator=tr)
    es, c = run.results
    assert es.fidelity is None and es.document is not None
    assert c.fidelity.document["chrf"] == pytest.approx(100.0)
    assert any("es.txt: the text is in the source language (es)" in n for n in run.notices)
    assert all("gobierno" not in s for call in tr.calls for s in call[2])


def test_unrecognised_language_gets_a_notice_and_rule_findings(monkeypatch):
    import mtcheck.linter

    monkeypatch.setattr(mtcheck.linter, "resolve_target_lang", lambda doc, settings: None)
    run = audit_documents(_docs()[:1], Settings(source_lang="es"), AuditOptions(), translator=Reversible())
    (a,) = run.results
    assert a.fidelity is None
    assert any("a.txt: the language of the text was not recognised" in n for n in run.notices)


def test_source_sentence_the_engine_fails_on_is_not_an_omission(tmp_path):
    text = "Moscow began its mobilization on Thursday. Many Russians fled the country. Nine missiles fell on the city."
    source = tmp_path / "source.txt"
    source.write_text(text, encoding="utf-8")
    run = audit_documents([Document.from_text(text, path="t.txt")], _settings(),
                          AuditOptions(source_lang="es", source_path=str(source)),
                          translator=Reversible(fail_sentence="Many Russians"))
    (t,) = run.results
    assert [p.kind for p in t.fidelity.source.pairs] == ["1-1", "1-1", "1-1"]
    assert not [f for f in t.findings if f.code in ("F301", "F302")]
