"""Named defaults of fidelity scoring, shared by the rules, the audit pipeline and the CLI.

A module of constants only, so that registering the F rules (which every ``scan`` does) costs
nothing; the scoring code lives in ``mtcheck.scoring.fidelity``.
"""

from __future__ import annotations

#: Metrics mtcheck can compute, by command-line name.
METRICS = ("chrf", "bleu", "ter")
#: Metrics computed when none are requested.
DEFAULT_METRICS = ("chrf",)
#: Round-trip chrF under which a sentence becomes an F101 finding (``--threshold``, config
#: ``fidelity-threshold``). Round trips of faithful sentences through Apertium score 60–100 on
#: the seed article; paraphrasing neural engines score lower, so the default is conservative.
DEFAULT_THRESHOLD = 50.0
#: Sentences with fewer words are not judged: chrF on two words is noise ("Recent Articles").
MIN_SENTENCE_WORDS = 4
#: A document needs this many aligned pairs before its own length ratio is trusted.
MIN_PAIRS_FOR_RATIO = 3
#: Whether a higher score is better, per metric (TER is an error rate).
HIGHER_IS_BETTER = {"chrf": True, "bleu": True, "ter": False}
#: Forward chrF (the source machine-translated, against the target) under which F102 fires.
#: Faithful translations of the test article score 39–100 against Apertium's; pairs much less
#: alike are not aligned at all (they become F301 + F302).
DEFAULT_SOURCE_THRESHOLD = 40.0
