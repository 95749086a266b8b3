"""Calques, false friends and translated names (family C), read from data: one file per direction.

``mtcheck/data/calques/<source>-<target>.json`` holds ``{"direction": "es-en", "entries": [...]}``,
one entry per line, so adding a calque is a one-line data change. An entry:

============ ==========================================================================================
key          meaning
============ ==========================================================================================
id           unique within the file, kebab-case
kind         ``calque`` (a phrase copied word for word: C101), ``false-friend`` (a word that looks
             like the source word but means something else: C102) or ``translated-name`` (a proper
             name rendered word for word: C103)
pattern      a Python regular expression; a group named ``span`` narrows the flagged span to it
case         ``insensitive`` (default) or ``sensitive``
source       the source-language expression behind the error
suggestion   what to write instead
replacement  optional drop-in replacement (``\\g<name>`` expands groups); makes an unsafe fix
explanation  why it is wrong, in one sentence
example      a target-language sentence with the flagged span marked ``⟦…⟧``
good         optional list of near-miss sentences the entry must not flag
severity     ``info``, ``warning`` (default) or ``error``
precision    ``high`` (runs even when the source language is unknown) or ``low`` (only when the
             document's source language is the file's)
context      optional regex that must match somewhere in the sentence of the match
unless       optional regex that must not match anywhere in that sentence
============ ==========================================================================================

An unknown key, a missing required key or a pattern that does not compile is an error naming the
file and the entry.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.rules.base import MARK_CLOSE, MARK_OPEN, Example, RuleContext, base_lang, rule
from mtcheck.rules.untranslated import LANGUAGE_NAMES
from mtcheck.text.patterns import find_all, trie_regex

KINDS = {"calque": "calque", "false-friend": "false friend", "translated-name": "translated name"}
PRECISIONS = ("high", "low")
REQUIRED_KEYS = frozenset({"id", "kind", "pattern", "source", "suggestion", "explanation", "example", "precision"})
OPTIONAL_KEYS = frozenset({"case", "replacement", "good", "severity", "context", "unless"})
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DIRECTION = re.compile(r"^[a-z]{2,3}-[a-z]{2,3}$")
_TEMPLATE_GROUP = re.compile(r"\\g<([A-Za-z_][A-Za-z0-9_]*|[0-9]+)>")


class CalqueDataError(ValueError):
    """A calque data file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Entry:
    """One calque or false friend of one direction, compiled."""

    direction: str
    id: str
    kind: str
    pattern: str
    flags: int
    source: str
    suggestion: str
    explanation: str
    example: str
    precision: str
    severity: Severity = Severity.WARNING
    replacement: str | None = None
    good: tuple[str, ...] = ()
    context: re.Pattern | None = None
    unless: re.Pattern | None = None
    #: Lower-case strings at least one of which every match contains (derived from the pattern),
    #: so the regex only runs on text blocks that contain one; None when none could be derived.
    anchors: tuple[str, ...] | None = None
    #: Every other set of strings a match needs one of; checked on a sentence before the regex.
    required: tuple[tuple[str, ...], ...] = ()

    @cached_property
    def regex(self) -> re.Pattern:
        """The compiled pattern (compiled on first use: most entries never run on a document)."""
        try:
            return _compile(self.pattern, self.flags)
        except re.error as err:
            raise CalqueDataError(
                f"mtcheck/data/calques/{self.direction}.json: entry ({self.id}): bad regular expression: {err}"
            ) from None

    @property
    def source_lang(self) -> str:
        return self.direction.split("-")[0]

    @property
    def target_lang(self) -> str:
        return self.direction.split("-")[1]

    def spans(self, text: str, sentence_at=None, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[int, int, re.Match]]:
        """``(start, end, match)`` for every place the entry fires in ``text[pos:endpos]``.

        ``sentence_at(offset)`` returns the ``(start, end)`` of the sentence around an offset, for
        the ``context``/``unless`` conditions; by default the whole text is the sentence.
        """
        regex = self.regex
        has_span = "span" in regex.groupindex
        for m in regex.finditer(text, pos, len(text) if endpos is None else endpos):
            if has_span and m.start("span") >= 0:
                start, end = m.span("span")
            else:
                start, end = m.span()
            if start == end:
                continue
            if self.context is not None or self.unless is not None:
                s, e = sentence_at(start) if sentence_at else (0, len(text))
                if self.context is not None and not self.context.search(text, s, e):
                    continue
                if self.unless is not None and self.unless.search(text, s, e):
                    continue
            yield start, end, m

    @cached_property
    def selector(self) -> tuple[str, ...]:
        """The most selective of the sets of strings a match needs one of (anchors or required)."""
        return self.anchors if self.anchors is not None else max(self.required, key=_selectivity, default=())

    @cached_property
    def _template(self) -> tuple[str, ...] | None:
        """The replacement as literal text and group references (odd items), or None when it
        holds another backslash escape (then ``Match.expand`` reads it; it parses the template
        on every call)."""
        parts = _TEMPLATE_GROUP.split(self.replacement or "")
        return None if any("\\" in p for p in parts[::2]) else tuple(parts)

    def replacement_for(self, m: re.Match, flagged: str) -> str | None:
        """The expanded replacement, capitalised like the flagged text, or None."""
        if self.replacement is None:
            return None
        parts = self._template
        if parts is None:
            out = m.expand(self.replacement)
        else:
            out = "".join(p if i % 2 == 0 else (m.group(int(p) if p.isdigit() else p) or "") for i, p in enumerate(parts))
        if flagged[:1].isupper() and out[:1].islower():
            out = out[0].upper() + out[1:]
        return out


#: An anchor shorter than this is too common to be worth checking first.
MIN_ANCHOR = 4
#: The most strings :func:`required_sets` spells out for a run of alternatives.
MAX_SPELLINGS = 8


@lru_cache(maxsize=None)
def _compile(pattern: str, flags: int) -> re.Pattern:
    return re.compile(pattern, flags)


@lru_cache(maxsize=None)
def required_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Lower-case strings such that every match of ``pattern`` contains at least one of them:
    the most selective of :func:`required_sets` (the one whose shortest string is longest), or
    None when none is at least :data:`MIN_ANCHOR` characters long."""
    sets = required_sets(pattern, flags)
    if not sets:
        return None
    best = max(sets, key=_selectivity)
    return best if min(len(x.strip()) for x in best) >= MIN_ANCHOR else None


def _selectivity(cand) -> tuple:
    return (min(len(x.strip()) for x in cand), min(map(len, cand)), -len(cand))


@lru_cache(maxsize=None)
def required_sets(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...]:
    """Every set of lower-case strings of which each match of ``pattern`` contains one.

    Walks the parsed pattern: a run of literal characters is required; an alternation requires
    one of its branches' strings; a group or a repeat with a minimum of one requires what its
    content requires; lookarounds, classes and optional parts require nothing. A character
    class like ``[Hh]`` that only varies case counts as a literal (matching is in lower case).
    A run of parts that can each match only a few strings (literals, alternations of literals,
    optional literals, zero-width assertions) also requires one of the strings the run as a
    whole can match, while there are at most :data:`MAX_SPELLINGS` of them: ``(?:by|from)
    (?:his|her) part`` requires ``by his part``, ``by her part``, ``from his part`` or ``from her
    part``, which is rarer than `` part``.
    Raises ``re.error`` for a pattern that does not parse.
    """
    from re import _constants as c
    from re import _parser as parser

    tree = parser.parse(pattern, flags)

    def single_char(op, av) -> str | None:
        if op is c.LITERAL:
            return chr(av).lower()
        if op is c.IN and av and all(o is c.LITERAL for o, _ in av):
            chars = {chr(v).lower() for _, v in av}
            if len(chars) == 1:
                return chars.pop()
        return None

    zero_width = (c.AT, c.ASSERT, c.ASSERT_NOT)

    def spellings(op, av) -> set[str] | None:
        """Every lower-case string the item can match, or None when there are too many."""
        ch = single_char(op, av)
        if ch is not None:
            return {ch}
        if op in zero_width:
            return {""}
        if op is c.SUBPATTERN:
            return seq_spellings(av[-1])
        if op is c.BRANCH:
            out = set()
            for branch in av[1]:
                found = seq_spellings(branch)
                if found is None or len(out | found) > MAX_SPELLINGS:
                    return None
                out |= found
            return out
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and (av[0], av[1]) == (0, 1):
            found = seq_spellings(av[2])
            return None if found is None else found | {""}
        return None

    def seq_spellings(seq) -> set[str] | None:
        out = {""}
        for op, av in seq:
            found = spellings(op, av)
            if found is None or len(out) * len(found) > MAX_SPELLINGS:
                return None
            out = {a + b for a in out for b in found}
        return out

    def spelled_runs(seq) -> list[set[str]]:
        """The spellings of each longest run of items with few spellings in all."""
        out, cur = [], {""}
        for op, av in seq:
            found = spellings(op, av)
            if found is not None and len(cur) * len(found) <= MAX_SPELLINGS:
                cur = {a + b for a in cur for b in found}
                continue
            if "" not in cur:
                out.append(cur)
            cur = {""} if found is None else found
        if "" not in cur:
            out.append(cur)
        # A string that holds another of its set adds nothing to it.
        return [{x for x in cand if not any(y != x and y in x for y in cand)} for cand in out]

    def candidates(seq) -> list[set[str]]:
        out, run = [], []

        def flush():
            if run:
                out.append({"".join(run)})
                run.clear()

        for op, av in seq:
            ch = single_char(op, av)
            if ch is not None:
                run.append(ch)
                continue
            flush()
            if op is c.SUBPATTERN:
                r = required(av[-1])
            elif op is c.BRANCH:
                parts = [required(b) for b in av[1]]
                r = set().union(*parts) if parts and all(parts) else None
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
                r = required(av[2])
            elif hasattr(c, "ATOMIC_GROUP") and op is c.ATOMIC_GROUP:
                r = required(av)
            else:
                r = None
            if r:
                out.append(r)
        flush()
        out.extend(cand for cand in spelled_runs(seq) if cand not in out)
        return [cand for cand in out if all(x.strip() for x in cand)]

    def required(seq) -> set[str] | None:
        found = candidates(seq)
        return max(found, key=_selectivity) if found else None

    return tuple(tuple(sorted(cand)) for cand in candidates(tree))


def pattern_anchors(pattern: str, flags: int) -> tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]]:
    """``(anchors, required)`` of a pattern, as stored on an :class:`Entry`; raises ``re.error``."""
    anchors = required_literals(pattern, flags)
    return anchors, tuple(r for r in required_sets(pattern, flags) if r != anchors)


#: ``data/calques/<ANCHORS_FILE>.json``: :func:`pattern_anchors` of every shipped pattern, made by
#: scripts/gen_calque_anchors.py (a test checks it is current); the leading ``_`` keeps it out of
#: :func:`directions`.
ANCHORS_FILE = "_anchors"


def anchor_key(pattern: str, flags: int) -> str:
    return f"{int(flags)}:{pattern}"


def compute_anchors() -> dict[str, tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]]]:
    """:func:`pattern_anchors` of every pattern in the shipped data files, by :func:`anchor_key`."""
    from mtcheck.data import load_json

    out = {}
    for direction in directions():
        for raw in load_json("calques", direction)["entries"]:
            flags = re.IGNORECASE if raw.get("case", "insensitive") == "insensitive" else 0
            out[anchor_key(raw["pattern"], flags)] = pattern_anchors(raw["pattern"], flags)
    return out


def dump_anchors(table: dict) -> str:
    """The anchors file's text: one pattern per line, sorted."""
    lines = [f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps([a, r], ensure_ascii=False)}"
             for k, (a, r) in sorted(table.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


@lru_cache(maxsize=None)
def _shipped_anchors() -> dict[str, tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]]]:
    from mtcheck.data import load_json

    data = load_json("calques", ANCHORS_FILE) or {}
    return {k: (tuple(a) if a is not None else None, tuple(tuple(x) for x in r)) for k, (a, r) in data.items()}


def parse_entries(data: object, origin: str) -> tuple[Entry, ...]:
    """Validate and compile the parsed JSON of one data file. ``origin`` names it in errors."""
    if not isinstance(data, dict) or set(data) != {"direction", "entries"}:
        raise CalqueDataError(f"{origin}: expected an object with exactly 'direction' and 'entries'")
    direction = data["direction"]
    if not isinstance(direction, str) or not _DIRECTION.match(direction):
        raise CalqueDataError(f"{origin}: 'direction' must look like 'es-en', not {direction!r}")
    if not isinstance(data["entries"], list):
        raise CalqueDataError(f"{origin}: 'entries' must be a list")
    out, seen = [], set()
    for i, raw in enumerate(data["entries"]):
        where = f"{origin}: entry {i + 1}"
        if not isinstance(raw, dict):
            raise CalqueDataError(f"{where}: must be an object")
        if isinstance(raw.get("id"), str):
            where += f" ({raw['id']})"
        unknown = set(raw) - REQUIRED_KEYS - OPTIONAL_KEYS
        if unknown:
            raise CalqueDataError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        missing = REQUIRED_KEYS - set(raw)
        if missing:
            raise CalqueDataError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
        for key in REQUIRED_KEYS | (OPTIONAL_KEYS - {"good"}):
            if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
                raise CalqueDataError(f"{where}: {key!r} must be a non-empty string")
        if not _ID.match(raw["id"]) or raw["id"] in seen:
            raise CalqueDataError(f"{where}: id must be kebab-case and unique in the file")
        seen.add(raw["id"])
        if raw["kind"] not in KINDS:
            raise CalqueDataError(f"{where}: kind must be one of {', '.join(KINDS)}")
        if raw["precision"] not in PRECISIONS:
            raise CalqueDataError(f"{where}: precision must be high or low")
        case = raw.get("case", "insensitive")
        if case not in ("insensitive", "sensitive"):
            raise CalqueDataError(f"{where}: case must be insensitive or sensitive")
        try:
            severity = Severity(raw.get("severity", "warning"))
        except ValueError:
            raise CalqueDataError(f"{where}: severity must be info, warning or error") from None
        good = raw.get("good", [])
        if not isinstance(good, list) or not all(isinstance(g, str) and g.strip() for g in good):
            raise CalqueDataError(f"{where}: 'good' must be a list of non-empty strings")
        if raw["example"].count(MARK_OPEN) < 1 or raw["example"].count(MARK_OPEN) != raw["example"].count(MARK_CLOSE):
            raise CalqueDataError(f"{where}: the example must mark the flagged span with ⟦…⟧")
        flags = re.IGNORECASE if case == "insensitive" else 0
        try:
            # Parsing checks the syntax and yields the anchors; compiling waits for first use. A
            # shipped pattern's anchors are precomputed (it parsed when they were computed).
            known = _shipped_anchors().get(anchor_key(raw["pattern"], flags))
            if known is not None:
                anchors, required = known
            else:
                anchors, required = pattern_anchors(raw["pattern"], flags)
            context = re.compile(raw["context"], flags) if "context" in raw else None
            unless = re.compile(raw["unless"], flags) if "unless" in raw else None
        except re.error as err:
            raise CalqueDataError(f"{where}: bad regular expression: {err}") from None
        out.append(
            Entry(
                anchors=anchors,
                required=required,
                direction=direction,
                id=raw["id"],
                kind=raw["kind"],
                pattern=raw["pattern"],
                flags=flags,
                source=raw["source"],
                suggestion=raw["suggestion"],
                explanation=raw["explanation"],
                example=raw["example"],
                precision=raw["precision"],
                severity=severity,
                replacement=raw.get("replacement"),
                good=tuple(good),
                context=context,
                unless=unless,
            )
        )
    return tuple(out)


def directions() -> list[str]:
    """Directions that have calque data (``es-en``, ``fr-en``, …)."""
    from mtcheck.data import available

    return [d for d in available("calques") if _DIRECTION.match(d)]


@lru_cache(maxsize=None)
def load_direction(direction: str) -> tuple[Entry, ...]:
    """The compiled entries of one direction (empty when there is no file)."""
    from mtcheck.data import load_json

    data = load_json("calques", direction)
    if data is None:
        return ()
    entries = parse_entries(data, f"mtcheck/data/calques/{direction}.json")
    if entries and entries[0].direction != direction:
        raise CalqueDataError(f"mtcheck/data/calques/{direction}.json: 'direction' says {entries[0].direction}")
    return entries


@lru_cache(maxsize=None)
def entries_for(source: str | None, target: str | None, kind: str) -> tuple[tuple[Entry, ...], ...]:
    """Entries of ``kind`` for a direction, grouped by identical pattern.

    With a known source, every entry of that direction runs (one group each). With an unknown
    source, the high-precision entries of every direction into the target run, and entries that
    share a pattern (``in the frame of`` from Spanish, French and Italian) form one group, so the
    phrase is reported once, naming every source it may come from.
    """
    if not target:
        return ()
    if source:
        return tuple((e,) for e in load_direction(f"{source}-{target}") if e.kind == kind)
    groups: dict[tuple[str, int], list[Entry]] = {}
    for direction in directions():
        if direction.endswith(f"-{target}"):
            for e in load_direction(direction):
                if e.kind == kind and e.precision == "high":
                    groups.setdefault((e.pattern, e.flags), []).append(e)
    return tuple(tuple(g) for g in groups.values())


def _message(group: tuple[Entry, ...], flagged: str) -> str:
    return f"“{flagged}”: {_message_tail(group)}"


#: id of a group -> (the group, what its messages say after the flagged text)
_MESSAGE_TAILS: dict[int, tuple[tuple[Entry, ...], str]] = {}


def _message_tail(group: tuple[Entry, ...]) -> str:
    """What every message of a group says after the flagged text, worked out once per group (a
    group is hashed by its entries' every field, so it is remembered by id, with the group kept
    to check it is the same one)."""
    cached = _MESSAGE_TAILS.get(id(group))
    if cached is not None and cached[0] is group:
        return cached[1]
    first = group[0]
    sources = "; ".join(f"{LANGUAGE_NAMES.get(e.source_lang, e.source_lang)} “{e.source}”" for e in group)
    tail = f"{KINDS[first.kind]} of {sources}. {first.explanation} Write: {first.suggestion}."
    _MESSAGE_TAILS[id(group)] = (group, tail)
    return tail


class _Plan:
    """What the C rules share on a document for one pair of languages, worked out by the first of
    them to run: the base languages (the rules look up the direction's :class:`_Layout` from
    them; a document may be pickled, and the layout holds every entry), the lower-cased text
    (None where it cannot be used, see :func:`_lowered`), where each anchor occurs in it, and
    for each kind the indices of the groups that may match. The other two rules then only look
    it up: most documents give C102 and C103 nothing to run."""

    __slots__ = ("text", "langs", "source", "target", "lowered", "hits", "candidates")


def _plan(ctx: RuleContext) -> _Plan:
    text = ctx.text
    langs = (ctx.source_lang, ctx.target_lang)
    plan = ctx.doc.__dict__.get("_calque_plan")
    if plan is not None and (plan.text is text or plan.text == text) and plan.langs == langs:
        return plan
    plan = _Plan()
    plan.text, plan.langs = text, langs
    plan.source, plan.target = source, target = base_lang(langs[0]), base_lang(langs[1])
    layout = _layout(source, target)
    plan.lowered = plan.hits = None
    if layout.any:
        plan.lowered = lowered = _lowered(ctx, source, target)
        if lowered is not None:
            # Where each anchor of the direction's entries occurs, found once for the C rules.
            plan.hits = _scanner(source, target).find_all(lowered)
    if plan.hits is None:
        plan.candidates = {kind: range(len(groups)) for kind, groups in layout.groups.items()}
    else:
        found: dict[str, set[int]] = {}
        by_anchor = layout.by_anchor
        for anchor in plan.hits:
            for kind, i in by_anchor.get(anchor, ()):
                if kind in found:
                    found[kind].add(i)
                else:
                    found[kind] = {i}
        always = layout.always
        plan.candidates = {kind: sorted(found[kind].union(always[kind])) if kind in found else always[kind]
                           for kind in KINDS}
    ctx.doc.__dict__["_calque_plan"] = plan
    return plan


class _Layout:
    """A direction's entries as the C rules run them: for each kind its groups
    (:func:`entries_for`) and those without anchors (they always run), for each anchor the
    (kind, group index) pairs it selects, and whether there is any group at all."""

    __slots__ = ("groups", "always", "by_anchor", "any")


@lru_cache(maxsize=None)
def _layout(source: str | None, target: str | None) -> _Layout:
    layout = _Layout()
    layout.groups = {kind: entries_for(source, target, kind) for kind in KINDS}
    layout.always = {kind: tuple(i for i, group in enumerate(groups) if group[0].anchors is None)
                     for kind, groups in layout.groups.items()}
    by_anchor: dict[str, list[tuple[str, int]]] = {}
    for kind, groups in layout.groups.items():
        for i, group in enumerate(groups):
            for anchor in group[0].anchors or ():
                by_anchor.setdefault(anchor, []).append((kind, i))
    layout.by_anchor = {a: tuple(v) for a, v in by_anchor.items()}
    layout.any = any(layout.groups.values())
    return layout


def _check(ctx: RuleContext, kind: str) -> Iterator[Match]:
    """Run the entries of ``kind``: each entry's regex runs only on the sentences that contain
    one of its anchors, found by one scan of the lower-cased text shared by the C rules."""
    plan = _plan(ctx)
    candidates = plan.candidates[kind]
    if not candidates:
        return  # most documents, for C102 and C103: no sentence is looked at
    sentences = ctx.sentences
    if not sentences:
        return
    groups = _layout(plan.source, plan.target).groups[kind]
    text, lowered, hits = ctx.text, plan.lowered, plan.hits
    starts = _sentence_starts(ctx, sentences)

    def sentence_at(offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and offset < sentences[i].end:
            return sentences[i].start, sentences[i].end
        return offset, offset

    for gi in candidates:
        group = groups[gi]
        entry = group[0]
        required = entry.required
        if hits is None or (entry.anchors is None and not required):
            windows = range(len(sentences))
        else:
            if entry.anchors is not None:
                positions = [i for anchor in entry.anchors for i in hits.get(anchor, ())]
            else:
                # Strings too short to be anchors are not scanned for: the most selective set
                # of strings the entry requires is looked for here.
                positions = [i for x in entry.selector for i in find_all(lowered, x)]
            window_set = set()
            for i in positions:
                si = bisect.bisect_right(starts, i) - 1
                if si >= 0 and i < sentences[si].end:
                    window_set.add(si)
            windows = sorted(window_set)
        for si in windows:
            sent = sentences[si]
            if required and lowered is not None and not _has_all(lowered[sent.start : sent.end], required):
                continue
            for start, end, m in entry.spans(text, sentence_at, sent.start, sent.end):
                flagged = text[start:end]
                repl = entry.replacement_for(m, flagged)
                fix = None
                if repl is not None and repl != flagged:
                    fix = Fix((Edit(start, end, repl),), Applicability.UNSAFE, f"replace with “{repl}”")
                yield Match(start, end, _message(group, flagged), fix=fix, severity=entry.severity)


def _sentence_starts(ctx: RuleContext, sentences: list) -> list[int]:
    """Where each sentence starts, listed once for the C rules."""
    cached = ctx.doc.__dict__.get("_calque_starts")
    if cached is None or cached[0] is not sentences:
        cached = ctx.doc.__dict__["_calque_starts"] = (sentences, [s.start for s in sentences])
    return cached[1]


def _has_all(text: str, required: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``text`` contains one string of each set in ``required`` (loops rather than
    ``all``/``any`` over generators: it runs for every sentence an anchor selects)."""
    for alternatives in required:
        for x in alternatives:
            if x in text:
                break
        else:
            return False
    return True


#: Characters from the most to the least common in running text (space first). A scan looks for
#: each string from a rare character, so the regex engine starts at few positions.
COMMON_CHARS = " etaoinshrdlcumwfgypbvkjxqz"
_RANK = {ch: len(COMMON_CHARS) - i for i, ch in enumerate(COMMON_CHARS)}


def _key_offsets(strings) -> list[int]:
    """Where the search key of each string starts: at a character that leaves a key of at least
    four characters (a shorter key would match too often).

    The regex engine tries a match wherever a text holds the first character of *any* key, so
    what a scan costs is the set of first characters, not each key's: from every character a key
    may start with, the most common are dropped while every string keeps one, rare ones too when
    they are not needed: ``aid to`` must start at ``a``, ``i`` or ``d``, so ``d`` stays, and
    ``a dozen of`` starts at ``d`` rather than ``z``, one character fewer to try everywhere. Each
    key then starts at the first of those characters in its string: the positions tried are the
    same wherever it starts, and the longest key is matched in the fewest places its string is not
    (``assisted to `` from ``ssisted to `` rather than ``d to ``), each of which costs a turn of
    the scan's loop."""
    heads = [s[: max(1, len(s) - 3)] for s in strings]
    allowed = set("".join(heads))
    for ch in sorted(allowed, key=lambda ch: (-_RANK.get(ch, 0), ch)):
        rest = allowed - {ch}
        if all(not rest.isdisjoint(h) for h in heads if h):
            allowed = rest
    return [next((k for k, ch in enumerate(h) if ch in allowed), 0) for h in heads]


class AnchorScanner:
    """Finds every occurrence of every one of a set of strings in a few passes over a text.

    Each string is looked for by a *key*, its tail from a rare character (see
    :func:`_key_offsets`); the keys that start with one character form a trie compiled into one
    regex whose optional tails are greedy, one regex per first character. A search finds the
    leftmost position where one of its keys starts and the longest key there; the other keys
    starting there are exactly its prefixes (they start with the same character, so they are in
    the same regex), and each string behind one of them is checked with ``startswith`` where it
    would begin. Searching again one character further finds overlapping occurrences. An attempt
    is bounded by the longest key, so a scan is linear.

    One regex per first character rather than one for every key: a pattern that starts with one
    literal character lets the regex engine skip ahead to it in a plain loop and start an attempt
    in that character's part of the trie, where a single regex tests a class at every position
    and then tries the trie's first branches one after another (the scan of a MB of news 23 →
    19.5 ms). Each string has one key, so its offsets still come in order.

    Building the regexes costs about as much as looking for each string in one short document
    with ``str.find``, so the first :attr:`FIND_FIRST` texts are scanned that way (same result)
    and a one-document run never builds them.
    """

    FIND_FIRST = 1

    def __init__(self, strings):
        self.strings = tuple(dict.fromkeys(strings))
        self.scanned = 0
        #: one bound ``search`` per first character of a key
        self.searches: tuple | None = None
        #: each key -> (string, key offset) of every key that is a prefix of it, itself included
        self.candidates: dict[str, tuple[tuple[str, int], ...]] = {}

    def _build(self) -> None:
        by_key: dict[str, list[tuple[str, int]]] = {}
        for s, k in zip(self.strings, _key_offsets(self.strings)):
            if s:  # an empty string is never reported (no key is a prefix of it)
                by_key.setdefault(s[k:], []).append((s, k))
        candidates = {}
        by_first: dict[str, list[str]] = {}
        for key in by_key:
            found = []
            for n in range(1, len(key) + 1):
                found.extend(by_key.get(key[:n], ()))
            candidates[key] = tuple(found)
            by_first.setdefault(key[0], []).append(key)
        # The regexes last: a thread that sees them sees the candidates too.
        self.candidates = candidates
        self.searches = tuple(re.compile(trie_regex(keys, any_space=False, rank=_RANK)).search
                              for _, keys in sorted(by_first.items()))

    def find_all(self, text: str) -> dict[str, list[int]]:
        """Each string that occurs in ``text`` -> the offsets where it starts, in order."""
        hits: dict[str, list[int]] = {}
        if not self.strings:
            return hits
        if self.searches is None:
            if self.scanned < self.FIND_FIRST:
                self.scanned += 1
                for s in self.strings:
                    found = list(find_all(text, s))
                    if found:
                        hits[s] = found
                return hits
            self._build()
        startswith = text.startswith
        candidates = self.candidates
        for search in self.searches:
            m = search(text)
            while m is not None:
                at = m.start()
                for s, k in candidates[m.group()]:
                    if at >= k and startswith(s, at - k):
                        if s in hits:
                            hits[s].append(at - k)
                        else:
                            hits[s] = [at - k]
                m = search(text, at + 1)
        return hits


@lru_cache(maxsize=None)
def _scanner(source: str | None, target: str | None) -> AnchorScanner:
    """One scanner for the anchors of every kind of entry that runs for a direction."""
    anchors = {a for kind in KINDS for group in entries_for(source, target, kind) for a in group[0].anchors or ()}
    return AnchorScanner(sorted(anchors))


def _lowered(ctx: RuleContext, source: str | None, target: str | None) -> str | None:
    """The document lower-cased, shared by the C rules; None when lower-casing changes its
    length (then offsets would not line up) or when the text holds a character that
    ``re.IGNORECASE`` matches to a character of a string looked for in the lower-cased text
    while its lower case is another (``ſ`` to ``s``, ``ı`` to ``i``: see
    :func:`_folding_hazards`): that string would be missed there. Then every sentence is
    searched."""
    text = ctx.text
    low = ctx.doc.lowered if text is ctx.doc.text else text.lower()
    if len(low) != len(text):
        return None
    if not text.isascii():
        for ch in _folding_hazards(source, target):
            if ch in text:
                return None
    return low


def _ignorecase_extra_chars() -> tuple[str, ...]:
    """The non-ASCII characters that ``re.IGNORECASE`` matches beyond ``str.lower()``
    (Python's ``re._casefix``)."""
    try:
        from re._casefix import _EXTRA_CASES

        chars = {chr(c) for k, vs in _EXTRA_CASES.items() for c in (k, *vs)}
    except ImportError:  # another Python: the ones Python 3.11 lists
        chars = set("µıſͅΐΰβεθικμπρςσφϐϑϕϖϰϱϵвдостъѣᲀᲁᲂᲃᲄᲅᲆᲇᲈṡẛιΐΰꙋﬅﬆ")
    return tuple(sorted(c for c in chars if not c.isascii()))


_IGNORECASE_EXTRA_CHARS = _ignorecase_extra_chars()


@lru_cache(maxsize=None)
def _folding_hazards(source: str | None, target: str | None) -> tuple[str, ...]:
    """The characters of :data:`_IGNORECASE_EXTRA_CHARS` that ``re.IGNORECASE`` matches to a
    character of a string the C rules look for in the lower-cased text for a direction (anchors
    and required strings): only a text holding one of them can hide a match from that search
    (``ı`` and ``ſ`` for English; a Greek ``ϐ`` hides nothing from ``by his part``). Looking for
    these few with ``in`` costs a thirtieth of a regex search for all of them (2.6 ms per MB)."""
    chars = set()
    for kind in KINDS:
        for group in entries_for(source, target, kind):
            entry = group[0]
            for strings in (entry.anchors or (), *entry.required):
                for x in strings:
                    chars.update(x)
    if not chars:
        return ()
    matches = re.compile("[" + re.escape("".join(sorted(chars))) + "]", re.IGNORECASE).fullmatch
    return tuple(ch for ch in _IGNORECASE_EXTRA_CHARS if matches(ch))


@rule(
    "C101",
    "calque",
    severity=Severity.WARNING,
    category=Category.STYLE,
    fix=Applicability.UNSAFE,
    bad=[
        Example('"We cannot let President Putin get away with it," declared ⟦the head of US diplomacy⟧.',
                source_lang="es"),
        Example("⟦Many media⟧ also reported an avalanche of attempts to leave the country.", source_lang="es"),
        Example("The opposition, ⟦by his part⟧, accused the government of ignoring consumers.", source_lang="es"),
        Example("⟦Many media⟧ reported that ⟦the head of Russian diplomacy⟧ would attend."),
        Example("The talks were held ⟦in the frame of⟧ the summit.", source_lang="fr"),
        Example("Prices have been rising ⟦since years⟧.", source_lang="de"),
    ],
    good=[
        Example("US Secretary of State Antony Blinken, the top US diplomat, urged the council to act.",
                source_lang="es"),
        Example("Many media outlets reported the news; local media said the border was busy.", source_lang="es"),
        Example("For his part, the minister said nothing about the head of the diplomatic mission.", source_lang="es"),
        Example("Prices have been rising for years, and since 2020 they have doubled.", source_lang="de"),
        "The talks were held in the framework of the summit, with a dozen of them attending.",
    ],
)
def calque(ctx: RuleContext) -> Iterator[Match]:
    """A phrase translated word for word from the source language (``the head of US diplomacy``).

    What it flags:
        Phrases listed in ``mtcheck/data/calques/<source>-<target>.json`` with kind ``calque``:
        ``the head of US diplomacy`` (Spanish *el jefe de la diplomacia estadounidense*: the US
        Secretary of State), ``Many media`` (*muchos medios*: many media outlets), ``in the frame
        of`` (*en el marco de*: as part of), ``since years`` (German *seit Jahren*: for years), and
        more for es, fr, de, pt and it into English, and en into Spanish. Each entry carries its
        source expression, an explanation and a suggestion, shown in the message. When the source
        language is unknown, only entries marked high-precision run, from every direction into the
        target.

    Why it matters:
        A calque is grammatical but not what a native writer says; it marks a text as machine
        translated and sometimes hides the meaning (a reader does not know who "the head of US
        diplomacy" is).

    Fix safety:
        Entries with a drop-in replacement offer it as an unsafe fix: right for the phrase, but an
        editor should read the sentence, since one calque is often a sign that more of it was
        translated word for word. Other entries only suggest.
    """
    yield from _check(ctx, "calque")


@rule(
    "C102",
    "false-friend",
    severity=Severity.WARNING,
    category=Category.ACCURACY,
    fix=Applicability.UNSAFE,
    bad=[
        Example("The region has 2.1 million inhabitants and ⟦a tax of unemployment⟧ of 9.8%.", source_lang="es"),
        Example("She ⟦assisted to the meeting⟧ in Madrid.", source_lang="es"),
        Example("The ministry refused to release ⟦sensible⟧ information about the operation.", source_lang="es"),
        Example("He met his Russian ⟦homologue⟧ in Geneva.", source_lang="fr"),
        Example("The deal covers ⟦sensible⟧ data and was signed by his French ⟦homologue⟧."),
    ],
    good=[
        Example("The region's unemployment rate is 9.8%, and a tax on unemployment benefits was dropped.",
                source_lang="es"),
        Example("She attended the meeting and assisted the minister with her speech.", source_lang="es"),
        Example("It was a sensible decision to protect sensitive information.", source_lang="es"),
        Example("He met his Russian counterpart in Geneva.", source_lang="fr"),
    ],
)
def false_friend(ctx: RuleContext) -> Iterator[Match]:
    """A word that looks like the source word but means something else (``sensible`` for *sensible*).

    What it flags:
        Words and phrases listed in ``mtcheck/data/calques/<source>-<target>.json`` with kind
        ``false-friend``: ``a tax of unemployment`` (Spanish *tasa de desempleo*: unemployment
        rate), ``assisted to the meeting`` (*asistir a*: attend), ``sensible information``
        (*sensible*: sensitive), ``homologue`` (French *homologue*: counterpart), ``actually`` for
        *actualmente* (currently) and ``eventually`` for *eventualmente* (possibly) where the
        context shows that sense, and more. Entries that need context carry a context pattern or
        have severity info. When the source language is unknown, only entries marked
        high-precision run, from every direction into the target.

    Why it matters:
        A false friend changes the meaning: the reader understands something the source did not
        say (an unemployment *tax*, an assistant at a meeting).

    Fix safety:
        Entries with a drop-in replacement offer it as an unsafe fix: right for the phrase, but an
        editor should read the sentence, since one calque is often a sign that more of it was
        translated word for word. Other entries only suggest.
    """
    yield from _check(ctx, "false-friend")


@rule(
    "C103",
    "translated-name",
    severity=Severity.WARNING,
    category=Category.ACCURACY,
    fix=Applicability.UNSAFE,
    bad=[
        Example("The probe of the European ⟦Spatial⟧ Agency sent its first images.", source_lang="es"),
        Example("According to the ⟦Coastal Guard⟧, one of the boats was about to sink.", source_lang="es"),
        Example("The club is two points from the ⟦League of Champions⟧ places."),
        Example("The ⟦Federal Day⟧ approved the budget on Friday.", source_lang="de"),
    ],
    good=[
        Example("The probe of the European Space Agency sent its first images.", source_lang="es"),
        Example("According to the Coast Guard, a coastal guard post was built.", source_lang="es"),
        "The club is two points from the Champions League places.",
        Example("The Bundestag approved the budget on a federal holiday, Friday.", source_lang="de"),
    ],
)
def translated_name(ctx: RuleContext) -> Iterator[Match]:
    """A proper name translated word for word (``the European Spatial Agency``, ``League of Champions``).

    What it flags:
        Names of institutions, competitions and clubs listed in
        ``mtcheck/data/calques/<source>-<target>.json`` with kind ``translated-name``: ``European
        Spatial Agency`` (Spanish *Agencia Espacial Europea*: European Space Agency), ``Coastal
        Guard`` (*Guardia Costera*: Coast Guard), ``League of Champions`` (*Liga de Campeones*:
        Champions League), ``Real Sportive Club``, ``Federal Day`` (German *Bundestag*), and more.
        Patterns are case-sensitive: a name is written with capitals.

    Why it matters:
        A reader cannot look up an institution under a name it does not have; a translated name
        is an accuracy error, and in news it often hides who is being quoted.

    Fix safety:
        Entries with a drop-in replacement offer it as an unsafe fix (``Coastal Guard`` → ``Coast
        Guard``); an editor should confirm the institution is the one meant.
    """
    yield from _check(ctx, "translated-name")
