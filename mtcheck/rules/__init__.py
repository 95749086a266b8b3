"""The rule registry. Importing this package registers every built-in rule.

Families (one code prefix each):

====== ==========================================================
prefix family
====== ==========================================================
Q      quotation marks and reported speech
G      grammar carried over from the source language
N      names (proper nouns, capitalisation)
R      scraped site residue
W      whitespace
L      source-locale conventions left in the target
U      untranslated fragments
C      calques and false friends
P      machine-translation pathologies (loops, duplicates)
F      fidelity (back-translation, source parity)
M      meta (suppressions)
====== ==========================================================
"""

from __future__ import annotations

import importlib

from mtcheck.rules.base import REGISTRY, Example, Rule, RuleContext, rule

#: Modules holding built-in rules, one per family. A new family adds its module here.
RULE_MODULES = (
    "quotes",
    "grammar",
    "names",
    "residue",
    "whitespace",
    "locale",
    "untranslated",
    "calques",
    "pathologies",
    "fidelity",
    "meta",
)

_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        for mod in RULE_MODULES:
            importlib.import_module(f"mtcheck.rules.{mod}")
        _loaded = True


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code."""
    _load()
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def get_rule(code_or_name: str) -> Rule | None:
    """A rule by code (``Q101``) or name (``glued-closing-quote``), case-insensitive for codes."""
    _load()
    key = code_or_name.strip()
    if key.upper() in REGISTRY:
        return REGISTRY[key.upper()]
    for r in REGISTRY.values():
        if r.name == key:
            return r
    return None


def matches_selector(rule_: Rule, selector: str) -> bool:
    """``ALL``, a code prefix (``Q``, ``Q1``, ``Q101``) or a rule name selects a rule."""
    s = selector.strip()
    return s.upper() == "ALL" or rule_.code.startswith(s.upper()) or rule_.name == s


def known_selector(selector: str) -> bool:
    """Whether a selector matches at least one rule."""
    return any(matches_selector(r, selector) for r in all_rules())


def select_rules(select: tuple[str, ...] | list[str] = (), ignore: tuple[str, ...] | list[str] = ()) -> list[Rule]:
    """Rules chosen by ``select`` (default: every default-enabled rule) minus ``ignore``.

    As in ruff, the more specific selector wins: ``--select Q --ignore Q101`` drops Q101, and
    ``--ignore Q --select Q101`` keeps it.
    """
    out = []
    for r in all_rules():
        sel = [s for s in select if matches_selector(r, s)]
        ign = [s for s in ignore if matches_selector(r, s)]
        if select:
            chosen = bool(sel)
        else:
            chosen = r.default_enabled
        if ign:
            best_sel = max((_specificity(s) for s in sel), default=-1)
            best_ign = max(_specificity(s) for s in ign)
            chosen = chosen and best_sel > best_ign
        if chosen:
            out.append(r)
    return out


def _specificity(selector: str) -> int:
    s = selector.strip()
    return 0 if s.upper() == "ALL" else (10 if "-" in s or len(s) == 4 else len(s))


__all__ = ["Example", "Rule", "RuleContext", "rule", "all_rules", "get_rule", "select_rules", "known_selector"]
