"""Source-locale conventions left in the target (family L): number separators, quotation marks,
inverted question and exclamation marks, spacing before high punctuation.

Each target language's conventions are data: ``mtcheck/data/locale/<lang>.json`` gives the decimal
separator, the thousands separators, the quotation marks in use and the preferred pairs, whether a
space goes before ``; : ! ?``, whether ¿ ¡ are used, where a no-break space belongs, and the word
lists that tell a count (``1.332 people``) from a measurement (``1.332 metres``). A language
without a file gets no L findings: mtcheck does not guess conventions.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mtcheck.data import load_json
from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.rules.base import Example, RuleContext, base_lang, rule
from mtcheck.text.patterns import contains_any, one_character_matches, per_character, run_start


@lru_cache(maxsize=None)
def conventions(lang: str | None) -> dict | None:
    """The locale conventions of a language (``en``, ``pt-BR`` → ``pt``), or None if unknown."""
    if not lang:
        return None
    base = base_lang(lang)
    data = load_json("locale", base)
    if data is None:
        return None
    out = dict(data)
    out["_magnitude"] = frozenset(w.casefold() for w in data.get("magnitude_words", ()))
    out["_measure"] = frozenset(w.casefold() for w in data.get("measure_words", ()))
    out["_count"] = frozenset(w.casefold() for w in data.get("count_nouns", ()))
    out["_function"] = frozenset(w.casefold() for w in data.get("function_words", ()))
    out["_version"] = frozenset(w.casefold() for w in data.get("version_words", ("version", "v")))
    # the thousands separator L101 writes: the first of the language's that is a dot or a comma
    out["_group"] = next((g for g in data.get("group", ()) if g in ".,"), None)
    return out


# -- L101 numbers ---------------------------------------------------------------------------------

# A digit run with separators, starting at a word boundary that is not inside a number; possessive
# and atomic so that a long digit run is never rescanned (linear time). The boundary is checked
# after the first digit: a pattern that starts with a character class is scanned for in C, one
# that starts with ``\b`` or a lookbehind is tried at every position (four times slower).
_NUMBER = re.compile(r"\d(?<![\w.,]\d)\d*+(?>(?:[.,]\d++)+)(?![\w]|[.,]\d)")
#: Every ``_NUMBER`` match holds a separator between two digits; the first such separator of the
#: next match is found by these two scans, which start with a literal and so run in C at memchr
#: speed, where ``_NUMBER`` tests every character for being a Unicode digit (five times slower).
_DOT_DIGIT = re.compile(r"\.(?<=\d\.)\d")
_COMMA_DIGIT = re.compile(r",(?<=\d,)\d")


def number_matches(text: str):
    """The matches of ``_NUMBER.finditer(text)``, found from the separators that can be in one.

    A match cannot start right after a digit (its lookbehind), so the match that holds a
    separator starts where the run of digits before that separator starts: ``_NUMBER.match``
    is tried there only. Runs are walked back from separators, and separators inside a match
    are skipped, so no character is read twice."""
    seps = [m.start() for m in _DOT_DIGIT.finditer(text)]
    if "," in text:
        seps += [m.start() for m in _COMMA_DIGIT.finditer(text)]
        seps.sort()
    done = 0
    match = _NUMBER.match
    for p in seps:
        if p < done:
            continue
        start = p - 1  # a digit: the separator's lookbehind saw one
        while start > done and text[start - 1].isdecimal():  # what \d matches in a str pattern
            start -= 1
        m = match(text, start)
        if m is not None:
            done = m.end()
            yield m
        else:
            done = p + 1

_NEXT_WORDS = re.compile(r"[ \t\u00a0\u202f]*(%|[^\W\d_]+)(?:[ \t\u00a0\u202f]+([^\W\d_]+))?")
_CURRENCY_BEFORE = re.compile(r"[$€£¥₽][ \u00a0\u202f]?$")
_SEP = re.compile(r"[.,]")
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "ous", "ys")


def _next_words(text: str, end: int) -> tuple[str, str]:
    m = _NEXT_WORDS.match(text, end)
    if not m:
        return "", ""
    return (m.group(1) or "").casefold(), (m.group(2) or "").casefold()


def _is_count(word: str, conv: dict) -> bool:
    if word in conv["_count"]:
        return True
    if word in conv["_measure"] or word in conv["_magnitude"] or len(word) < 5:
        return False
    return any(word.endswith(s) for s in conv.get("plural_suffixes", ())) and not word.endswith(_NOT_PLURAL_ENDINGS)


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t\u00a0]*$")


def _after_version_word(text: str, start: int, conv: dict) -> bool:
    # A match is letters, then [ \t\u00a0]*, then the end (or a last "\n"): the search starts
    # where those runs, read backwards, start (letters read as str.isalnum, more than they are),
    # not at each of the 24 positions before the number.
    lo = max(0, start - 24)
    i = start
    if i > lo and text[i - 1] == "\n":
        i -= 1
    while i > lo and text[i - 1] in " \t\u00a0":
        i -= 1
    while i > lo and text[i - 1].isalnum():
        i -= 1
    m = _WORD_BEFORE.search(text, i, start)
    return bool(m) and m.group(1).casefold() in conv["_version"]


def _has_quantity_context(text: str, start: int, end: int, conv: dict) -> bool:
    """A magnitude, unit, percent or currency next to the number: it is a quantity, so a
    separator in it is a decimal or thousands mark and not a list or a version."""
    w1, w2 = _next_words(text, end)
    if w1 == "%" or w1 in conv["_magnitude"] or w1 in conv["_measure"] or f"{w1} {w2}" in conv["_magnitude"]:
        return True
    if end < len(text) and text[end] in "€$£¥₽%":
        return True
    return bool(_CURRENCY_BEFORE.search(text, max(0, start - 2), start))


def _judge_number(token: str, text: str, start: int, end: int, conv: dict) -> tuple[str, str] | None:
    """(message, replacement) when a number is written with another locale's separators."""
    if token.count(".") + token.count(",") == 1:
        return _judge_one_separator(token, text, start, end, conv)
    dec, group = conv["decimal"], conv["_group"]
    seps = _SEP.findall(token)
    parts = _SEP.split(token)
    lang = conv.get("language", "the target language")

    def regroup(group_sep: str | None, dec_sep: str | None) -> str:
        # Rewrite with the target's marks; digit groups use the target's first separator, or a
        # narrow no-break space for languages that group with spaces.
        g = group if group is not None else "\u202f"
        out = parts[0]
        for i, s in enumerate(seps):
            out += (dec if s == dec_sep else g) + parts[i + 1]
        return out

    if len(set(seps)) == 2:
        g_sep, d_sep = seps[0], seps[-1]
        if any(s != g_sep for s in seps[:-1]) or len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:-1]):
            return None
        if d_sep == dec and (g_sep == group):
            return None
        return (f"Number written with {d_sep!r} as decimal mark and {g_sep!r} between thousands; {lang} uses {dec!r} for decimals",
                regroup(g_sep, d_sep))
    s = seps[0]
    if len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
        return None  # a version, an address or a date
    if s == group:
        return None
    return (f"Thousands separated with {s!r}; {lang} separates them with {group or 'a space'!r}", regroup(s, None))


def _judge_one_separator(token: str, text: str, start: int, end: int, conv: dict) -> tuple[str, str] | None:
    """:func:`_judge_number` for a number with one separator (most numbers: ``1,332``, ``3.5``),
    read with ``str.find`` and slices instead of splitting with a regex."""
    i = token.find(".")
    if i < 0:
        i = token.find(",")
    s, head, frac = token[i], token[:i], token[i + 1 :]
    dec, group = conv["decimal"], conv["_group"]
    if len(frac) == 3 and 1 <= i <= 3 and head != "0":
        if s == group:
            return None
        if _after_version_word(text, start, conv):
            return None
        lang = conv.get("language", "the target language")
        w1, w2 = _next_words(text, end)
        # the separator as the target's digit-group mark, or a narrow no-break space for
        # languages that group with spaces
        grouped = head + (group if group is not None else "\u202f") + frac
        if _is_count(w1, conv):
            return (f"{token!r} counts {w1}: thousands separated with {s!r}; {lang} writes {grouped!r}", grouped)
        if w1 in conv["_magnitude"] and w1 != "%":
            return (f"{token} {w1}: a three-digit group before {w1!r} is a thousands group; {lang} writes {grouped!r}", grouped)
        if frac.endswith("0"):
            # Decimals are not written with a trailing zero in running text: 12.500, 1.900 are
            # thousands written with the source's separator.
            return (f"{token!r} looks like thousands separated with {s!r}; {lang} writes {grouped!r}", grouped)
        return None
    if s == dec:
        return None
    if _has_quantity_context(text, start, end, conv):
        lang = conv.get("language", "the target language")
        return (f"Decimal mark {s!r} in {token!r}; {lang} writes decimals with {dec!r}", head + dec + frac)
    return None


@rule(
    "L101",
    "foreign-number-format",
    severity=Severity.WARNING,
    category=Category.LOCALE_CONVENTION,
    fix=Applicability.UNSAFE,
    bad=[
        "Police said ⟦1.332⟧ people were arrested.",
        "The fund has ⟦3,5⟧ million euros.",
        "About ⟦1.000.000⟧ residents fled.",
        "Inflation reached ⟦8,9⟧% in August.",
        "It cost ⟦1.250,50⟧ euros.",
        "The flames have destroyed more than ⟦12.500⟧ hectares.",
        "The deficit reached ⟦4.400⟧ million euros.",
        Example("Es kamen ⟦1,332⟧ Menschen und ⟦3.5⟧ Millionen Euro.", target_lang="de"),
    ],
    good=[
        "At least 1,332 people were arrested.",
        "The economy grew 1.5 million jobs and 3,500 homes.",
        "Version 2.0.1 was released; the server is 192.168.1.1.",
        "The train leaves at 10.30 on 27.11.2026.",
        "The ratio was 1.332 metres per second.",
        "Version 1.100 fixed the bug; the rod measured 2.125 metres.",
        "They scored 3,5 and 7 in the three games.",
        Example("Es kamen 1.332 Menschen und 3,5 Millionen Euro.", target_lang="de"),
        Example("Il y a 1 332 personnes et 3,5 millions d'euros.", target_lang="fr"),
    ],
)
def foreign_number_format(ctx: RuleContext):
    """Numbers written with the source locale's decimal and thousands separators.

    What it flags: in a target language whose conventions are known, numbers whose separators
    belong to another locale: ``1.000.000`` or ``1.250,50`` in English (unambiguous), ``3,5
    million`` or ``8,9%`` (a decimal comma next to a magnitude, unit, percent or currency), and
    ``1.332 people`` (a three-digit group after a dot, counting people or things: in English that
    would be a fraction of a person). Real English ``1,332``, ``1.5 million``, ``3,500``,
    versions ``2.0.1``, addresses, dates ``27.11.2026``, times ``10.30`` and bare lists ``3,5 and
    7`` are not flagged.

    Why it matters: Spanish, German, Portuguese and French write ``1.332`` or ``1 332`` for one
    thousand three hundred and thirty-two and ``3,5`` for three and a half. Left in an English
    text, ``1.332 people`` reads as one person and a third, a factor of a thousand off: an
    accuracy error, not only a style slip.

    Fix safety: unsafe: the number is rewritten with the target's separators, which is right only
    if the reading above is right; a person should confirm it.
    """
    conv = conventions(ctx.target_lang)
    if conv is None:
        return
    text = ctx.text
    for m in number_matches(text):
        verdict = _judge_number(m.group(), text, m.start(), m.end(), conv)
        if verdict:
            message, replacement = verdict
            yield Match(m.start(), m.end(), message,
                        Fix((Edit(m.start(), m.end(), replacement),), Applicability.UNSAFE, f"write {replacement!r}"))


# -- L102 quotation marks -------------------------------------------------------------------------

_ALL_QUOTES = "«»‹›„‚“”‘’\"'「」『』"
_OPENING = {"«": "open", "‹": "open_single", "„": "open", "‚": "open_single", "「": "open", "『": "open_single"}
_CLOSING = {"»": "close", "›": "close_single", "」": "close", "』": "close_single", "”": "close"}
_PAIR_CLOSE = {"„": "“”", "‚": "‘’"}
_SPACES = " \u00a0\u202f\t"


@lru_cache(maxsize=None)
def _foreign_quotes(allowed: str) -> str:
    # Straight quotes, and ’ (also the apostrophe), are never foreign.
    return "".join(c for c in _ALL_QUOTES if c not in allowed and c not in "\"'’")


@lru_cache(maxsize=None)
def _foreign_quote_re(allowed: str) -> re.Pattern | None:
    foreign = _foreign_quotes(allowed)
    return re.compile(f"[{re.escape(foreign)}]") if foreign else None


@rule(
    "L102",
    "foreign-quotation-marks",
    severity=Severity.WARNING,
    category=Category.LOCALE_CONVENTION,
    fix=Applicability.SAFE,
    bad=[
        "Putin spoke of ⟦«⟧referendums⟦»⟧ in four regions.",
        "The minister called it ⟦„⟧a fratricidal war“.",
        "Lavrov said ⟦«⟧ no ⟦»⟧ to the proposal.",
        Example("Il a dit ⟦„⟧non“.", target_lang="fr"),
    ],
    good=[
        "Putin spoke of “referendums” in four regions.",
        "He said \"no\" and 'never'.",
        Example("Putin habló de «referendos» en cuatro regiones.", target_lang="es"),
        Example("Er sagte „nein“ und »niemals«.", target_lang="de"),
        Example("Il a dit « non ».", target_lang="fr"),
    ],
)
def foreign_quotation_marks(ctx: RuleContext):
    """Quotation marks of another language: « » ‹ › „ ‚ in English, „ in French …

    What it flags: quotation marks that the target language does not use
    (``quote_marks`` in ``mtcheck/data/locale/<lang>.json``): guillemets and low-9 quotes in
    English, low-9 quotes in French, Spanish or Portuguese, corner brackets in any of them.

    Why it matters: engines often carry the source's quotation marks over unchanged. ``«…»`` in an
    English article is an immediate sign of an unedited translation, and French-style spaces inside
    guillemets come along with them.

    Fix safety: safe: each mark becomes the target's mark for the same role (opening or closing,
    double or single; straight quotes when the document uses straight quotes), spaces just inside
    guillemets are dropped, and a German closing “ that pairs with „ is turned around as well.
    """
    conv = conventions(ctx.target_lang)
    if conv is None:
        return
    allowed = conv.get("quote_marks", _ALL_QUOTES)
    pattern = _foreign_quote_re(allowed)
    text = ctx.text
    if pattern is None or not contains_any(text, _foreign_quotes(allowed)):
        return
    quotes = dict(conv.get("quotes", {}))
    if quotes.get("open") in ("“", "‘") and text.count('"') > text.count("“") + text.count("”"):
        quotes.update(open='"', close='"')
    # The next paragraph break after the current mark: found again only once the marks pass
    # it (a find per mark on a text without one was quadratic).
    brk, brk_from = -1, None
    for m in pattern.finditer(text):
        mark, start, end = m.group(), m.start(), m.end()
        edits = []
        if mark in _OPENING:
            role = _OPENING[mark]
            e = end
            while e < len(text) and text[e] in _SPACES and mark in "«‹":
                e += 1
            edits.append(Edit(start, e, quotes.get(role, mark)))
            closers = _PAIR_CLOSE.get(mark)
            if closers:
                if brk_from is None or (brk != -1 and brk < end):
                    brk, brk_from = text.find("\n\n", end), end
                limit = len(text) if brk == -1 else brk
                for i in range(end, min(limit, end + 2000)):
                    if text[i] in closers or text[i] == mark:
                        if text[i] in closers and text[i] != quotes.get(role.replace("open", "close")):
                            edits.append(Edit(i, i + 1, quotes.get(role.replace("open", "close"), text[i])))
                        break
        else:
            role = _CLOSING[mark]
            s = start
            while s > 0 and text[s - 1] in _SPACES and mark in "»›":
                s -= 1
            edits.append(Edit(s, end, quotes.get(role, mark)))
        lang = conv.get("language", "the target language")
        yield Match(start, end, f"Quotation mark {mark!r} is not used in {lang}",
                    Fix(tuple(edits), Applicability.SAFE, "use the target language's quotation marks"))


# -- L103 inverted marks --------------------------------------------------------------------------

_INVERTED = re.compile(r"[¿¡]")
_INVERTED_END = re.compile(r"[?!¿¡\n]")
_WORD = re.compile(r"[^\W\d_]+")


@rule(
    "L103",
    "inverted-punctuation",
    severity=Severity.WARNING,
    category=Category.LOCALE_CONVENTION,
    fix=Applicability.SAFE,
    bad=[
        "⟦¿⟧Why did the talks fail?",
        "He shouted: ⟦¡⟧We will not leave!",
        "⟦¿ ⟧What do you want?",
    ],
    good=[
        "Why did the talks fail?",
        "The crowd chanted “¡No pasarán!” outside the embassy.",
        "Her book is called ¿Qué es la democracia?",
        Example("¿Por qué fracasaron las negociaciones?", target_lang="es"),
    ],
)
def inverted_punctuation(ctx: RuleContext):
    """Spanish inverted question and exclamation marks (¿ ¡) in a language that has none.

    What it flags: ``¿`` and ``¡`` when the target language's conventions do not use them
    (``inverted_marks`` in the locale data) and the question or exclamation that follows has more
    of the target language's function words than of the source's: a Spanish slogan or title
    (``“¡No pasarán!”``, ``¡Hola!``) keeps its marks.

    Why it matters: the marks are carried over from a Spanish source; an English reader sees a
    stray symbol at the start of the sentence.

    Fix safety: safe: the mark (and a space right after it) is deleted.
    """
    conv = conventions(ctx.target_lang)
    if conv is None or conv.get("inverted_marks") or not contains_any(ctx.text, "¿¡"):
        return
    source_words = (conventions(ctx.source_lang) or conventions("es"))["_function"]
    target_words = conv["_function"]
    text = ctx.text
    for m in _INVERTED.finditer(text):
        close = "?" if m.group() == "¿" else "!"
        # The question runs to its closing mark, the next inverted mark or the end of the line.
        stop = _INVERTED_END.search(text, m.end(), m.end() + 400)
        stop = stop.start() if stop else min(len(text), m.end() + 400)
        words = [w.casefold() for w in _WORD.findall(text, m.end(), stop)]
        src = sum(w in source_words for w in words)
        tgt = sum(w in target_words for w in words)
        if tgt <= src:
            continue  # a Spanish quotation or title, or too short to tell
        end = m.end() + 1 if m.end() < len(text) and text[m.end()] == " " else m.end()
        yield Match(m.start(), end, f"Inverted {'question' if close == '?' else 'exclamation'} mark {m.group()!r} is not used in {conv.get('language', 'this language')}",
                    Fix((Edit(m.start(), end, ""),), Applicability.SAFE, "delete it"))


# -- L104 space before ; : ! ? --------------------------------------------------------------------

# The mark after one space (French typography uses one; more is alignment in a table or an option
# list); the word before is checked in code. Matching the mark, not the space, lets ``re`` scan for
# the few ``; : ! ?`` in C instead of trying every space.
_SPACE_BEFORE_HIGH = re.compile(
    r"[;!?:](?<=[^ \t\u00a0\u202f][ \t\u00a0\u202f].)(?!(?<=:)[\d)(\-/])(?=[\s\"”’»)]|$|[!?])", re.S
)
#: ``_SPACE_BEFORE_HIGH`` split by mark (its matches are one character long).
_EACH_SPACE_BEFORE_HIGH = per_character(
    ";!?:", r"(?<=[^ \t\u00a0\u202f][ \t\u00a0\u202f].)(?!(?<=:)[\d)(\-/])(?=[\s\"”’»)]|$|[!?])", re.S
)
_WORD_BEFORE_HIGH = re.compile(r"[^\W\d_]|[)\]”’»]")
_MISSING_SPACE_FR = re.compile(r"(?<=[^\W\d_])(?:[;!?](?=[\s\"”’»]|$)|:(?=[ \t]))")
#: ``_MISSING_SPACE_FR`` split by mark, each checking the letter before it behind it: the pattern
#: starts with a lookbehind, so ``re`` tries it at every position (30 ms per MB, against 2).
_EACH_MISSING_SPACE_FR = per_character(";!?", r"(?<=[^\W\d_].)(?=[\s\"”’»]|$)") + per_character(
    ":", r"(?<=[^\W\d_].)(?=[ \t])"
)


@rule(
    "L104",
    "space-before-high-punctuation",
    severity=Severity.WARNING,
    category=Category.LOCALE_CONVENTION,
    fix=Applicability.SAFE,
    bad=[
        "Why did the talks fail⟦ ⟧?",
        "He said⟦ ⟧: we will not leave.",
        "Enough⟦\u00a0⟧! Three regions⟦ ⟧; four votes.",
        Example("Il a dit⟦:⟧ non. Pourquoi⟦?⟧", target_lang="fr"),
    ],
    good=[
        "Why did the talks fail? He said: we will not leave.",
        "The score was 3 : 1 and the time 10 :30.",
        "Smile :) or :-) please.",
        Example("Il a dit\u00a0: non. Pourquoi\u202f?", target_lang="fr"),
        Example("Il a dit : non. Pourquoi ?", target_lang="fr"),
    ],
)
def space_before_high_punctuation(ctx: RuleContext):
    """French spacing before ``; : ! ?`` in a language that puts no space there, and the reverse.

    What it flags: for targets whose conventions put no space before high punctuation (English,
    Spanish, German, Portuguese), one space or no-break space between a word and ``; : ! ?``
    (ratios like ``3 : 1``, times, emoticons and aligned columns are left alone). For French, whose typography
    wants a (narrow) no-break space there, the mark glued to the word (``non!``, ``dit: non``).

    Why it matters: French source texts and French-trained engines leave ``mot ?`` behind; in
    English the gap looks like a typo and the mark can wrap onto the next line. The reverse slip in
    French is the most common typographic correction editors make.

    Fix safety: safe: the space is deleted, or for French a narrow no-break space (a no-break
    space before ``:``) is inserted.
    """
    conv = conventions(ctx.target_lang)
    if conv is None:
        return
    text = ctx.text
    mode = conv.get("space_before_high_punctuation")
    if mode == "none":
        for at in one_character_matches(_EACH_SPACE_BEFORE_HIGH, text):
            space = at - 1
            if not _WORD_BEFORE_HIGH.match(text[space - 1]):
                continue
            mark = text[at]
            yield Match(space, space + 1, f"Space before {mark!r}: {conv.get('language')} puts no space there",
                        Fix((Edit(space, space + 1, ""),), Applicability.SAFE, "delete the space"))
    elif mode == "nbsp":
        for at in one_character_matches(_EACH_MISSING_SPACE_FR, text):
            mark = text[at]
            space = "\u00a0" if mark == ":" else "\u202f"
            yield Match(at, at + 1, f"No space before {mark!r}: {conv.get('language')} puts a no-break space there",
                        Fix((Edit(at, at, space),), Applicability.SAFE, "insert a no-break space"))


# -- L105 space before % ---------------------------------------------------------------------------

#: A percent sign after a space; the run of spaces before it, and the digit before the run, are
#: found in code. Matching the sign lets ``re`` scan for it in C instead of trying every digit.
_PERCENT_AFTER_SPACE = re.compile(r"%(?<=[ \u00a0\u202f]%)")
_PERCENT_SPACES = " \u00a0\u202f"
_DIGIT = re.compile(r"\d")


@rule(
    "L105",
    "space-before-percent",
    severity=Severity.WARNING,
    category=Category.LOCALE_CONVENTION,
    fix=Applicability.SAFE,
    bad=[
        "Turnout reached 98⟦ ⟧% on Sunday.",
        "The party won 61.4⟦\u00a0⟧% of the vote.",
    ],
    good=[
        "Turnout reached 98% on Sunday.",
        "The party won 61.4 percent of the vote.",
        Example("La participación llegó al 98 %.", target_lang="es"),
        Example("Le taux a atteint 98\u202f%.", target_lang="fr"),
    ],
)
def space_before_percent(ctx: RuleContext):
    """A space between a number and ``%`` in a language that writes them together.

    What it flags: a space or no-break space between a digit and a percent sign when the target's
    conventions (``percent_space`` in the locale data) glue them, as English and Portuguese do.
    Spanish, French and German put a (no-break) space there, so ``98 %`` is correct in them and is
    what their translations leave behind.

    Why it matters: ``98 %`` in English is the source's typography; it reads as a slip and the
    sign can wrap onto the next line.

    Fix safety: safe: the space is deleted.
    """
    conv = conventions(ctx.target_lang)
    if conv is None or conv.get("percent_space", False):
        return
    text = ctx.text
    for m in _PERCENT_AFTER_SPACE.finditer(text):
        end = m.start()
        start = run_start(text, end, _PERCENT_SPACES)
        if not start or not _DIGIT.match(text, start - 1):
            continue
        yield Match(start, end, f"Space before '%': {conv.get('language')} writes the sign right after the number",
                    Fix((Edit(start, end, ""),), Applicability.SAFE, "delete the space"))


# -- L106 dates ------------------------------------------------------------------------------------

#: Lowercase month words that are also common words: flagged only when a year, a comma or a full
#: stop follows ("14 may be" is not a date).
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar", "jan", "sept"})


@lru_cache(maxsize=None)
def _date_pattern(lang: str) -> re.Pattern | None:
    conv = conventions(lang)
    if conv is None or not conv.get("months"):
        return None
    words = sorted({w.casefold() for w in conv["months"]} | {w.casefold() for w in conv.get("month_abbreviations", ())},
                   key=lambda w: (-len(w), w))
    alternation = "|".join(re.escape(w) for w in words)
    of = conv.get("day_of_month_calque")
    of_part = rf"(?P<of>[ \u00a0]{re.escape(of)})?" if of else ""
    connector = conv.get("date_connector")
    connector_part = rf"(?:[ \u00a0]{re.escape(connector)})?" if connector else ""
    # A day of the month (German puts a full stop after it), the source's "of" or the language's
    # own connector ("14 de agosto"), then a month name or abbreviation. The day (1-31, 01-09, not
    # inside a word) is its first digit, then what may follow that digit: a pattern that starts
    # with a character class is scanned for in C, one that starts with ``\b`` is tried at every
    # position of the text (four times slower).
    day = r"[0-9](?<!\w[0-9])(?:(?<=[12])\d|(?<=3)[01]|(?<=0)[1-9]|(?<=[1-9]))"
    return re.compile(
        rf"{day}\.?{of_part}{connector_part}[ \u00a0]"
        rf"(?P<month>(?i:{alternation}))(?P<dot>\.)?(?![^\W\d_])"
    )


#: A text's characters as bytes, one per character at its offset (Latin-1, "?" for a character
#: beyond it), with every ASCII digit made "0": what :data:`_DAY_END` reads.
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
#: Where a day of :func:`_date_pattern` can end and what follows it: its last ASCII digit, or its
#: first one and a digit beyond Latin-1 ("?"); maybe a full stop; a space or no-break space (the
#: pattern goes on with one, before "of", the connector or the month). A search of these bytes
#: starts with a literal, which the regex engine skips ahead to several times faster than to the
#: date pattern's leading digit class.
_DAY_END = re.compile(rb"0\??\.?[ \xa0]")
_ASCII_DIGITS = "0123456789"


def _date_matches(pattern: re.Pattern, text: str):
    """``pattern.finditer(text)`` for a :func:`_date_pattern`, tried only where a day can end.

    A match starts at an ASCII digit with no word character before it, so a day's second digit
    never starts one, and no match holds another's start: the matches are those of
    ``pattern.match`` at each place a day can start. A day ends where :data:`_DAY_END` finds
    one; it starts at the digit before that when that is an ASCII digit (then a match cannot
    start after it), else where the digit found is."""
    data = text.encode("latin-1", "replace").translate(_DIGITS_TO_ZERO)
    for end in _DAY_END.finditer(data):
        q = end.start()
        m = pattern.match(text, q - 1 if q and text[q - 1] in _ASCII_DIGITS else q)
        if m is not None:
            yield m


@lru_cache(maxsize=None)
def _month_spellings(lang: str) -> dict[str, str]:
    """Month names and abbreviations of ``lang`` by their case-folded form."""
    conv = conventions(lang)
    return {w.casefold(): w for w in list(conv["months"]) + list(conv.get("month_abbreviations", ()))}


@rule(
    "L106",
    "foreign-date-format",
    severity=Severity.WARNING,
    category=Category.LOCALE_CONVENTION,
    fix=Applicability.UNSAFE,
    bad=[
        "Lisbon, 14 ⟦aug⟧. The firemen continued fighting the fires.",
        "The vote will be held on 27 ⟦september⟧.",
        "It happened on the 14⟦ of⟧ August, officials said.",
        Example("Ocurrió el 14 de ⟦Agosto⟧ en Lisboa.", target_lang="es"),
        Example("Es geschah am 14. ⟦august⟧ 2022.", target_lang="de"),
    ],
    good=[
        "Lisbon, Aug. 14. The firemen continued fighting the fires.",
        "The vote will be held on 27 September, or on September 27.",
        "In 2020 14 may be the number; they march 3 march 5 times.",
        "The first of August is a holiday; 14 of the 20 Augusts were hot.",
        Example("Ocurrió el 14 de agosto en Lisboa.", target_lang="es"),
        Example("Es geschah am 14. August in Lissabon.", target_lang="de"),
        Example("Le 14 août, à Lisbonne.", target_lang="fr"),
    ],
)
def foreign_date_format(ctx: RuleContext):
    """Dates written the source language's way: ``14 aug.`` or ``14 of August`` in English.

    Capitalised months in Spanish, French or Portuguese are the reverse slip.

    What it flags: after a day of the month, a month name or abbreviation whose case is not the
    target language's (``months_capitalised`` in the locale data): ``14 aug.`` or ``27 september``
    in English, ``14 de Agosto`` in Spanish; and in English the Spanish ``14 de agosto`` rendered
    word for word as ``14 of August``. Lowercase "may", "march" and "jan" count only when a year,
    a comma or a full stop follows them.

    Why it matters: datelines and dates are where a reader notices an untouched translation first;
    ``Lisbon, 14 aug.`` is a Spanish dateline (``Lisboa, 14 ago.``) in English words.

    Fix safety: unsafe: the month gets the target's case (``Aug``, ``September``, ``agosto``) or
    the ``of`` is dropped (``14 August``); the order of day and month is left as it is, and house
    styles differ (``Aug. 14``), so a person should look.
    """
    pattern = _date_pattern(ctx.target_lang) if ctx.target_lang else None
    if pattern is None:
        return
    conv = conventions(ctx.target_lang)
    capitalised = bool(conv.get("months_capitalised"))
    canonical = _month_spellings(ctx.target_lang)
    text = ctx.text
    for m in _date_matches(pattern, text):
        month = m.group("month")
        low = month.casefold()
        after = text[m.end() : m.end() + 6]
        if m.groupdict().get("of"):
            if month[0].isupper() or low not in _AMBIGUOUS_MONTHS:
                s, e = m.span("of")
                yield Match(s, e, f"'{m.group(0)}' is the source's word order; {conv.get('language')} writes '{m.group(0).replace(m.group('of'), '')}'",
                            Fix((Edit(s, e, ""),), Applicability.UNSAFE, "drop 'of'"))
            continue
        wrong_case = (capitalised and month.islower()) or (not capitalised and month[0].isupper() and not month.isupper())
        if not wrong_case:
            continue
        if capitalised and low in _AMBIGUOUS_MONTHS and not (m.group("dot") or re.match(r"[ \u00a0]?[,.]|[ \u00a0]\d{4}", after)):
            continue
        if not capitalised and m.start() and text[m.start() - 1] in ".!?\n":
            continue
        want = canonical.get(low, month)
        want = want[0].upper() + want[1:] if capitalised else want.lower()
        s, e = m.span("month")
        yield Match(s, e, f"Month written {month!r}; {conv.get('language')} writes {want!r}",
                    Fix((Edit(s, e, want),), Applicability.UNSAFE, f"write {want!r}"))
