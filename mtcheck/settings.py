"""Resolved settings for one run: what the CLI flags and config files (``mtcheck.config``) produce."""

from __future__ import annotations

from dataclasses import dataclass, field

from mtcheck.findings import Severity


@dataclass
class Settings:
    """Everything the linter needs to know besides the document.

    ``select``/``ignore`` take codes, code prefixes or rule names. ``severity`` overrides a rule's
    default severity by code. ``rule_options`` maps a code to that rule's options.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    source_lang: str | None = None
    target_lang: str | None = None
    rule_options: dict[str, dict] = field(default_factory=dict)
    fail_on: Severity | None = Severity.WARNING
    min_score: float | None = None
    max_findings_per_1000_words: float | None = None
    fidelity_threshold: float | None = None
    config_path: str | None = None
