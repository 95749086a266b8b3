"""Family F: fidelity. Rules over a back-translation (F1xx) or an aligned source text (F2xx, F3xx).

These rules need an analysis that only ``mtcheck audit`` computes with a translation engine:
``backtranslation`` (a ``mtcheck.scoring.fidelity.FidelityReport``) or ``source`` (a
``SourceFidelity``). The linter skips them when the analysis is absent, so ``scan`` never runs them.

Examples carry what the engine would have produced in their options: ``round_trip`` (the round
trip of the example sentence) or ``source`` (the source text). ``tests/fidelity`` turns those into
the analysis and checks the marked spans, as ``tests/test_rule_examples.py`` does for other rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from mtcheck.findings import Category, Match, Severity
from mtcheck.rules.base import Example, RuleContext, rule
from mtcheck.scoring.thresholds import DEFAULT_SOURCE_THRESHOLD, MIN_SENTENCE_WORDS


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@rule(
    "F101",
    "low-round-trip-fidelity",
    severity=Severity.WARNING,
    category=Category.ACCURACY,
    needs={"backtranslation"},
    options={"threshold": None, "min-words": MIN_SENTENCE_WORDS},
    bad=[
        Example(
            "⟦Despite the outrage aroused in the West, the authorities reiterated that the trials were going to take place.⟧",
            source_lang="es",
            options={"round_trip": "In spite of the anger in the west, the authorities repeated that the judgements would be held."},
        ),
    ],
    good=[
        Example(
            "The Russian military said on Thursday that nearly 10,000 people had volunteered.",
            source_lang="es",
            options={"round_trip": "The Russian army said on Thursday that almost 10,000 people had volunteered."},
        ),
        Example(
            "Recent Articles",
            source_lang="es",
            options={"round_trip": "The recent pieces"},
        ),
    ],
)
def low_round_trip_fidelity(ctx: RuleContext) -> Iterator[Match]:
    """A sentence whose round trip through the source language scores under the fidelity threshold.

    What it flags: a target sentence that, translated back into the source language and then
    into the target language again, comes back with a chrF under the threshold (default
    ``mtcheck.scoring.fidelity.DEFAULT_THRESHOLD``; ``--threshold``, config
    ``fidelity-threshold``, or this rule's ``threshold`` option). The message shows the round
    trip. Sentences shorter than ``min-words`` words are not judged.

    Why it matters: a sentence that does not survive a round trip is often one whose meaning the
    first translation already lost (a mistranslated idiom, "the trials" for *los comicios*, a
    garbled clause). It is a pointer for an editor, not proof: read the sentence and its round trip.
    """
    report = ctx.analysis("backtranslation")
    if report is None or getattr(report, "error", None):
        return
    threshold = ctx.option("threshold", None)
    threshold = report.threshold if threshold is None else float(threshold)
    min_words = int(ctx.option("min-words", MIN_SENTENCE_WORDS))
    from mtcheck.document import count_words

    for s in report.low("chrf", threshold):
        if count_words(s.text) < min_words:
            continue
        yield Match(
            s.start,
            s.end,
            f"round-trip chrF {s.chrf:.1f} is under {threshold:g}; it came back as: “{_short(s.round_trip)}”",
        )


def _pairs(ctx: RuleContext):
    src = ctx.analysis("source")
    return [] if src is None else src.pairs


@rule(
    "F102",
    "low-source-fidelity",
    severity=Severity.INFO,
    category=Category.ACCURACY,
    needs={"source"},
    options={"threshold": DEFAULT_SOURCE_THRESHOLD},
    bad=[
        Example(
            "⟦Voting opens tomorrow, although the army wants to prevent it.⟧",
            source_lang="es",
            options={
                "source": "La votación comienza mañana y nada puede detenerla.",
                "forward": "The vote begins tomorrow and nothing can stop it.",
            },
        )
    ],
    good=[
        Example(
            "The vote starts tomorrow and nothing can stop it.",
            source_lang="es",
            options={
                "source": "La votación comienza mañana y nada puede detenerla.",
                "forward": "The vote begins tomorrow and nothing can stop it.",
            },
        )
    ],
)
def low_source_fidelity(ctx: RuleContext) -> Iterator[Match]:
    """A target sentence far from the machine translation of its aligned source sentence.

    What it flags: an aligned pair whose forward chrF — the source sentence translated by the
    engine, scored against the target sentence — is under the threshold (option ``threshold``,
    default ``DEFAULT_SOURCE_THRESHOLD``).

    Why it matters: two translations of one sentence share most of their names, numbers and
    content words even when their wording differs. A target sentence that shares little with an
    engine's translation of its source may say something else. chrF sees shared character
    n-grams, not meaning: a free paraphrase scores low too, hence the ``info`` severity. Pairs
    that share almost nothing are not aligned and are reported as F301 and F302 instead.
    """
    threshold = float(ctx.option("threshold", DEFAULT_SOURCE_THRESHOLD))
    for p in _pairs(ctx):
        score = p.scores.get("forward", {}).get("chrf")
        if p.source and p.target and score is not None and score < threshold:
            yield Match(
                p.target_start,
                p.target_end,
                f"forward chrF {score:.1f} is under {threshold:g}: the source “{_short(p.source_text)}” "
                f"was translated by the engine as “{_short(p.forward)}”",
            )


def _parity_rule(kind: str):
    def check(ctx: RuleContext) -> Iterator[Match]:
        src = ctx.analysis("source")
        if src is None:
            return
        from mtcheck.scoring import parity

        ratio = src.length_ratio
        for p in src.pairs:
            if not (p.source and p.target):
                continue
            target = ctx.text[p.target_start : p.target_end]
            forward = p.forward or None
            if kind == "name" and forward is None:
                continue  # without the engine's translation, translated names (Occidente → West) look missing
            if not parity.is_checkable(p.source_text, target):
                continue
            whole = []
            for issue in parity.check_pair(p.source_text, target, forward=forward, document_ratio=ratio, kinds=(kind,)):
                # A URL is a protected span, where the linter drops findings: mark its sentence.
                if issue.start is None or kind == "url":
                    whole.append(issue.message)
                else:
                    yield Match(p.target_start + issue.start, p.target_start + issue.end, issue.message)
            if whole:
                # Issues about the pair as a whole share its span: one finding says them all.
                yield Match(p.target_start, p.target_end, "; ".join(whole))

    return check


@rule(
    "F201",
    "number-mismatch",
    severity=Severity.ERROR,
    category=Category.ACCURACY,
    needs={"source"},
    bad=[
        Example(
            "In Russia at least ⟦1,322⟧ people were arrested.",
            source_lang="es",
            options={"source": "En Rusia al menos 1.332 personas fueron detenidas."},
        ),
        Example(
            "⟦Nearly 10,000 people volunteered.⟧",
            source_lang="es",
            options={"source": "Cerca de 10.000 personas se presentaron en las últimas 24 horas."},
        ),
    ],
    good=[
        Example(
            "In Russia at least 1,332 people were arrested on September 27th.",
            source_lang="es",
            options={"source": "En Rusia al menos 1.332 personas fueron detenidas el 27 de septiembre."},
        ),
        Example(
            "Inflation reached 3.5 percent.",
            source_lang="es",
            options={"source": "La inflación alcanzó el 3,5 por ciento."},
        ),
    ],
)
def number_mismatch(ctx: RuleContext) -> Iterator[Match]:
    """A number of the source missing from its translation, or a number the source does not have.

    What it flags: in an aligned pair, a target number that matches no source number (the
    number is marked), or a source number that no target number matches (the sentence is
    marked). Numbers are compared as values under both locales' separators: ``1.332`` in Spanish
    is ``1,332`` in English, ``3,5`` is ``3.5``.

    Why it matters: a changed figure (a death toll, a date, a sum) is the costliest error a
    translated news article can carry, and the one a reader cannot detect.
    """
    yield from _parity_rule("number")(ctx)


@rule(
    "F202",
    "quote-count-mismatch",
    severity=Severity.WARNING,
    category=Category.ACCURACY,
    needs={"source"},
    bad=[
        Example(
            "⟦He said he was willing to use all the means of his arsenal.⟧",
            source_lang="es",
            options={"source": 'Dijo estar dispuesto a usar "todos los medios" de su arsenal.'},
        )
    ],
    good=[
        Example(
            'He said he was willing to use "all the means" of his arsenal.',
            source_lang="es",
            options={"source": "Dijo estar dispuesto a usar «todos los medios» de su arsenal."},
        )
    ],
)
def quote_count_mismatch(ctx: RuleContext) -> Iterator[Match]:
    """A translation with a different number of quotation marks than its source.

    What it flags: an aligned pair whose target has more or fewer quotation marks (``" « » “ ” „``
    and single quotes that are not apostrophes) than its source.

    Why it matters: a quotation that lost its marks turns a claim someone made into a claim the
    newspaper makes; a mark too many usually means a quotation was split or garbled.
    """
    yield from _parity_rule("quotes")(ctx)


@rule(
    "F203",
    "url-mismatch",
    severity=Severity.ERROR,
    category=Category.ACCURACY,
    needs={"source"},
    bad=[
        Example(
            "⟦The full report is at https://example.org/informe-final.⟧",
            source_lang="es",
            options={"source": "El informe completo está en https://example.org/informe."},
        )
    ],
    good=[
        Example(
            "The full report is at https://example.org/informe.",
            source_lang="es",
            options={"source": "El informe completo está en https://example.org/informe."},
        )
    ],
)
def url_mismatch(ctx: RuleContext) -> Iterator[Match]:
    """A URL or e-mail address that was altered, dropped or added in translation.

    What it flags: a URL or address in the target that the aligned source does not contain
    verbatim, or one of the source that the target lacks. The sentence is marked (URLs themselves
    are protected spans, which no rule marks); the message names the URLs.

    Why it matters: engines translate words inside URLs and drop trailing slugs; a changed link
    sends readers to a page that does not exist.
    """
    yield from _parity_rule("url")(ctx)


@rule(
    "F204",
    "missing-name",
    severity=Severity.WARNING,
    category=Category.ACCURACY,
    needs={"source"},
    bad=[
        Example(
            "⟦US Secretary of State urged the international community on Thursday to act.⟧",
            source_lang="es",
            options={
                "source": "El secretario de Estado, Antony Blinken, instó el jueves a la comunidad internacional a actuar.",
                "forward": "The Secretary of State, Antony Blinken, urged the international community on Thursday to act.",
            },
        )
    ],
    good=[
        Example(
            "Russian Foreign Minister Sergei Lavrov rejected the accusations of the West.",
            source_lang="es",
            options={
                "source": "El canciller ruso, Serguéi Lavrov, rechazó las acusaciones de Occidente.",
                "forward": "The Russian chancellor, Serguéi Lavrov, rejected the accusations of West.",
            },
        )
    ],
)
def missing_name(ctx: RuleContext) -> Iterator[Match]:
    """A proper name of the source that does not appear in its translation.

    What it flags: a capitalised, non-sentence-initial word of the source that the engine carried
    over unchanged into its own translation (so it is a name, not a word like *Occidente* that
    translates to *West*) and that no word of the target resembles. Spellings are compared
    accent-folded and fuzzily, so *Serguéi* ≈ *Sergei* and *Kiev* ≈ *Kyiv* pass.

    Why it matters: a dropped name changes who said or did something.
    """
    yield from _parity_rule("name")(ctx)


@rule(
    "F205",
    "length-ratio",
    severity=Severity.INFO,
    category=Category.ACCURACY,
    needs={"source"},
    bad=[
        Example(
            "⟦Moscow began its mobilization.⟧",
            source_lang="es",
            options={
                "source": "Moscú inició el jueves la movilización de tropas adicionales para reforzar su ofensiva en "
                "Ucrania, después de que las autoridades anunciaran que miles de personas se habían presentado."
            },
        )
    ],
    good=[
        Example(
            "Moscow began its mobilization of additional troops on Thursday to bolster its offensive in Ukraine.",
            source_lang="es",
            options={"source": "Moscú inició el jueves la movilización de tropas adicionales para reforzar su ofensiva en Ucrania."},
        )
    ],
)
def length_ratio(ctx: RuleContext) -> Iterator[Match]:
    """A translation much shorter or longer than its source, for this document.

    What it flags: an aligned pair whose target/source length ratio, divided by the document's
    own ratio, is outside ``mtcheck.scoring.parity.LENGTH_RATIO_RANGE`` (0.5–2). Sources under
    ``MIN_LENGTH_FOR_RATIO`` characters are not judged.

    Why it matters: a translation half as long as its source has usually lost a clause; one twice
    as long has usually gained a repetition or an explanation.
    """
    yield from _parity_rule("length")(ctx)


@rule(
    "F301",
    "omitted-sentence",
    severity=Severity.ERROR,
    category=Category.ACCURACY,
    needs={"source"},
    bad=[
        Example(
            "Moscow began its mobilization on Thursday.⟦⟧ The Russian military said that nearly 10,000 people had volunteered.",
            source_lang="es",
            options={
                "source": "Moscú inició el jueves la movilización. La convocatoria se produce tras graves reveses sufridos "
                "por las fuerzas rusas en septiembre. El ejército ruso afirmó que cerca de 10.000 personas se "
                "presentaron como voluntarias.",
                "forward": "Moscow began Thursday the mobilisation. The call-up follows severe setbacks suffered by "
                "the Russian forces in September. The Russian army said that nearly 10,000 people volunteered.",
            },
        ),
        Example(
            "Moscow began its mobilization on Thursday.⟦⟧ Nine missiles fell on the city of Zaporizhia.",
            source_lang="es",
            options={
                "source": "Moscú inició el jueves la movilización. La convocatoria se produce tras graves reveses. "
                "El ejército ruso afirmó que cerca de 10.000 personas se presentaron. Nueve misiles cayeron sobre "
                "la ciudad de Zaporiyia.",
                "forward": "Moscow began Thursday the mobilisation. The call-up follows severe setbacks. The Russian "
                "army said that near of 10.000 people presented. Nine missiles fell on the city of Zaporiyia.",
            },
        ),
    ],
    good=[
        Example(
            "Moscow began its mobilization on Thursday. The Russian military said that nearly 10,000 people had volunteered.",
            source_lang="es",
            options={
                "source": "Moscú inició el jueves la movilización. El ejército ruso afirmó que cerca de 10.000 personas "
                "se presentaron como voluntarias.",
                "forward": "Moscow began Thursday the mobilisation. The Russian army said that nearly 10,000 people volunteered.",
            },
        )
    ],
)
def omitted_sentence(ctx: RuleContext) -> Iterator[Match]:
    """A source sentence that no target sentence translates.

    What it flags: a source sentence left unaligned by the alignment (``mtcheck.scoring.align``).
    The finding is an empty span at the place in the target where the sentence belongs; the
    message quotes it (consecutive omitted sentences make one finding that quotes them all).

    Why it matters: scraped articles lose sentences — a paragraph dropped by the scraper, a
    sentence the engine swallowed — and nothing in the target shows the gap.
    """
    # Consecutive omissions sit at the same place: one finding names them all.
    groups: list[list] = []
    for p in _pairs(ctx):
        if p.source and not p.target:
            if groups and groups[-1][-1].target_start == p.target_start:
                groups[-1].append(p)
            else:
                groups.append([p])
    starts = sorted(p.target_start for p in _pairs(ctx) if p.target)
    for group in groups:
        at = group[0].target_start
        if any(ps <= at <= pe for ps, pe in ctx.doc.protected):
            # The sentence before the gap ends with a URL (protected, so no finding may sit there):
            # report the gap at the start of the next sentence instead.
            at = next((t for t in starts if t > at), at)
        if len(group) == 1:
            yield Match(at, at, f"the source sentence “{_short(group[0].source_text)}” has no translation here")
        else:
            quoted = " ".join(f"“{_short(p.source_text, 80)}”" for p in group)
            yield Match(at, at, f"{len(group)} source sentences have no translation here: {quoted}")


@rule(
    "F302",
    "added-sentence",
    severity=Severity.WARNING,
    category=Category.ACCURACY,
    needs={"source"},
    bad=[
        Example(
            "Moscow began its mobilization on Thursday. ⟦The Kremlin has not commented on the reports so far.⟧ The Russian "
            "military said that nearly 10,000 people had volunteered.",
            source_lang="es",
            options={
                "source": "Moscú inició el jueves la movilización. El ejército ruso afirmó que cerca de 10.000 personas "
                "se presentaron como voluntarias.",
                "forward": "Moscow began Thursday the mobilisation. The Russian army said that nearly 10,000 people volunteered.",
            },
        )
    ],
    good=[
        Example(
            "Moscow began its mobilization on Thursday. The Russian military said that nearly 10,000 people had volunteered.",
            source_lang="es",
            options={
                "source": "Moscú inició el jueves la movilización. El ejército ruso afirmó que cerca de 10.000 personas "
                "se presentaron como voluntarias.",
                "forward": "Moscow began Thursday the mobilisation. The Russian army said that nearly 10,000 people volunteered.",
            },
        )
    ],
)
def added_sentence(ctx: RuleContext) -> Iterator[Match]:
    """A target sentence that translates no source sentence.

    What it flags: a target sentence left unaligned by the alignment.

    Why it matters: text in a translation that the source does not have is scraped site chrome,
    an engine hallucination, or an editor's addition that should be marked as such.
    """
    for p in _pairs(ctx):
        if p.target and not p.source:
            yield Match(p.target_start, p.target_end, "no sentence of the source corresponds to this sentence")
