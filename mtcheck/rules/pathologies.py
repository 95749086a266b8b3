"""Machine-translation pathologies (family P): loops, duplicated sentences, doubled words.

Neural engines sometimes fall into a loop and emit the same words again and again (``of the war of
the war of the war``); pipelines that translate segment by segment duplicate sentences; and a
word-for-word engine leaves a function word twice (``about to to sink``).

Loops and doubled words are found on a *token string*: the document reduced to one character per
token, where every word gets a private code point (the same for every occurrence of the word,
case-folded) and punctuation or a line break gets ``"\\n"``. A loop is then a run of repeated
characters that a backreference finds at C speed, and ``.`` never crosses a comma or a line break.
Duplicated sentences are found by hashing normalised sentences. Everything is linear in the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain, filterfalse, islice
from operator import itemgetter

from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.rules.base import RuleContext, base_lang, rule

#: P101: a unit of up to 3 words must occur this many times in a row; a longer one twice.
MIN_SHORT_REPEATS = 3
MAX_UNIT_WORDS = 8
#: P101: one-word units that repeat on purpose (laughter, chants, onomatopoeia).
REDUPLICATIVES = frozenset(
    "ha haha he hee ho la na blah bla bye no yeah yes go very so tick tock bang boom knock chop run hip "
    "rah woo yo oh ah cha choo tut hear clap beep ding dong ring drip tap pom dum da do doo tra "
    "boo hoo toot vroom zzz shh hush more".split()
)
#: P101: two-word units ``X and`` (``again and again and again``) are rhetoric, not a loop.
REDUPLICATIVE_LINKS = frozenset("and or by after to upon for".split())
#: P102: a sentence must have this many words and characters to count as non-trivial.
MIN_DUPLICATE_WORDS = 6
MIN_DUPLICATE_CHARS = 30

# A run of word characters, apostrophes and hyphens, or any other character but a space (``\S``
# here is the same as ``[^\w\s]``, since the run failed), or a line break.
_PIECE = re.compile(r"[\w'’-]+|\S|\n")
_BREAK = "\n"
_CODE_BASE = 0x10000
#: The first word codes, made once (``chr`` of a code past U+FFFF allocates a string each time);
#: replaced, never changed, when more are needed, so a thread always reads a whole tuple.
_code_chars: tuple[str, ...] = ()
_CODE_CHARS_CACHED = 1 << 16
#: How many word codes there are (the code points from ``_CODE_BASE`` on).
_MAX_CODES = 0x110000 - _CODE_BASE
# A unit of 1–3 tokens repeated at least three times, or of 4–8 tokens at least twice (groups 5
# and 6). The lazy unit quantifiers find the shortest period; every attempt is bounded by eight
# characters. Two lookaheads, which every loop passes, reject most positions before the units
# are tried: the first token comes back within eight (one attempt instead of eight), and then a
# one-token unit is there three times in a row or the first two tokens come back together within
# eight (a unit of two or more tokens repeated holds both twice at its period); in running text
# a token often comes back (the, of), the two together far less often.
_T_LOOP = re.compile(
    r"(?=(.).{0,%d}\1)(?=(.)\2{%d}|(.)(.).{0,%d}\3\4)(?:(.{1,%d}?)\5{%d,}|(.{%d,%d}?)\6+)"
    % (
        MAX_UNIT_WORDS - 1,
        MIN_SHORT_REPEATS - 1,
        MAX_UNIT_WORDS - 2,
        MIN_SHORT_REPEATS,
        MIN_SHORT_REPEATS - 1,
        MIN_SHORT_REPEATS + 1,
        MAX_UNIT_WORDS,
    )
)
_T_DOUBLED = re.compile(r"(.)\1")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")
_NORMALISE_DROP = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def _pieces(text: str) -> list[str]:
    """``_PIECE.findall(text)``, faster. No piece holds a space and a line break is a piece of its
    own, so splitting the text at both cuts no piece; a chunk that is all letters and digits is
    one piece, and only the other chunks go through the pattern."""
    pieces: list[str] = []
    add, add_all, findall = pieces.append, pieces.extend, _PIECE.findall
    for line in text.split("\n"):
        for chunk in line.split():
            if chunk.isalnum():
                add(chunk)
            else:
                add_all(findall(chunk))
        add("\n")
    pieces.pop()
    return pieces


#: The marks of running text that :func:`_split_token_string` cuts off as chunks of their own;
#: a text with any other next to a word is tokenised with the piece pattern.
_MARKS = "\n" + "".join(c for c in map(chr, range(33, 127)) if not (c.isalnum() or c in "'-_")) + "“”‘«»—–…•·¿¡€£°§"
#: What each mark becomes: no piece holds a NUL, so a chunk that is one is a mark.
_MARK = "\x00"
_ONE_PIECE = re.compile(r"[\w'’-]+")


def _split_token_string(low: str) -> tuple[str, list[str]] | None:
    """:class:`TokenString`'s string and words for a lower-cased text, made with ``str``
    methods only; None when a chunk holds a mark not in :data:`_MARKS` (or the text has more
    chunks than there are codes).

    With each mark and line break written as `` NUL `` the chunks between spaces are the pieces
    (a chunk of one NUL stands for a mark or line break, which is a piece of its own; every other
    chunk must be one run of ``[\\w'’-]``). A chunk's code is the one of its last copy's position:
    a dict keeps the last value given for a key, so one dict made from the chunks and the codes
    in turn gives every distinct chunk its own code, and the chunks are the words (code k's word
    is chunk k). Chunks without a letter or digit get the break."""
    for mark in _MARKS:
        if mark in low:
            low = low.replace(mark, f" {_MARK} ")
    chunks = low.split()
    if len(chunks) > _MAX_CODES:
        return None
    codes = dict(zip(chunks, _word_codes(len(chunks))))
    breaks = [_MARK]
    for chunk in filterfalse(str.isalnum, codes):
        if chunk == _MARK:
            continue
        if not _ONE_PIECE.fullmatch(chunk):
            return None
        if not _ALNUM.search(chunk):
            breaks.append(chunk)
    codes.update(dict.fromkeys(breaks, _BREAK))
    if not chunks:
        return "", chunks
    # One itemgetter call reads every chunk's code in C (map calls the dict's method per chunk).
    # A single chunk's code comes back alone, not in a tuple: joined, it is the same string.
    return "".join(itemgetter(*chunks)(codes)), chunks


def _word_codes(n: int):
    """The first ``n`` word codes (or more)."""
    global _code_chars
    chars = _code_chars
    if len(chars) < min(n, _CODE_CHARS_CACHED):
        size = min(max(n, 2 * len(chars)), _CODE_CHARS_CACHED)
        chars = _code_chars = tuple(map(chr, range(_CODE_BASE, _CODE_BASE + size)))
    if n <= len(chars):
        return chars
    return chain(chars, map(chr, range(_CODE_BASE + len(chars), _CODE_BASE + n)))


class TokenString:
    """A text as one character per token (see the module docstring), with token offsets
    computed on demand."""

    def __getstate__(self) -> dict:
        # The offsets found so far come from a running finditer, which cannot be pickled (a
        # document goes back from a worker process with its caches): start them again.
        state = dict(self.__dict__)
        state["_spans"], state["_matches"] = [], None
        return state

    def __init__(self, text: str, lowered: str | None = None):
        low = text.lower() if lowered is None else lowered
        # Lower-casing the whole text keeps offsets unless it changes a length (İ): then each
        # token is lower-cased on its own.
        self.source = low if len(low) == len(text) else text
        # Every token with a word's code is that word in the lower-cased text (see ``span``).
        self._by_word = self.source is low
        self._spans: list[tuple[int, int]] = []
        self._matches = None
        self._lookups = 0
        if self.source is low:
            found = _split_token_string(low)
            if found is not None:
                self.string, self._words = found
                return
        pieces = _pieces(self.source)
        if self.source is low:
            # Distinct pieces are distinct words here: the k-th word gets the k-th code. Most
            # words are all letters or digits, which ``filter`` picks out without a Python call.
            codes = dict.fromkeys(pieces, _BREAK)
            self._words = list(filter(str.isalnum, codes))
            self._words += [p for p in filterfalse(str.isalnum, codes) if _ALNUM.search(p)]
            codes.update(zip(self._words, _word_codes(len(self._words))))
            self.string = "".join(map(codes.__getitem__, pieces))
            return
        unique = dict.fromkeys(pieces)
        codes = {}
        by_lower: dict[str, str] = {}
        self._words = []
        for piece in unique:
            if not (piece.isalnum() or _ALNUM.search(piece)):
                codes[piece] = _BREAK
                continue
            key = piece.lower()
            code = by_lower.get(key)
            if code is None:
                code = by_lower[key] = chr(_CODE_BASE + len(self._words))
                self._words.append(key)
            codes[piece] = code
        self.string = "".join(map(codes.__getitem__, pieces))

    def span(self, i: int) -> tuple[int, int]:
        """Offsets in the text of token ``i``."""
        spans = self._spans
        if i >= len(spans) and self._lookups < _WORD_LOOKUPS and self._by_word:
            # A word token of a lower-cased text: its piece is the word itself, so the token is
            # the word's n-th whole-piece occurrence in the text, n its code's count before ``i``
            # in the string. Two searches in C instead of every piece up to ``i`` as a Match; a
            # few per document (each reads the text up to ``i``), then the running finditer.
            k = ord(self.string[i]) - _CODE_BASE
            if k >= 0:
                self._lookups += 1
                n = self.string.count(self.string[i], 0, i)
                if n < _WORD_SKIPS:
                    m = next(islice(_whole_piece(self._words[k]).finditer(self.source), n, None))
                    return m.span()
        if i >= len(spans):
            # Tokens are found as far as asked for: most documents ask for none, or a few.
            if self._matches is None:
                self._matches = _PIECE.finditer(self.source)
            spans.extend(map(re.Match.span, islice(self._matches, i + 1 - len(spans))))
        return spans[i]

    def word(self, i: int) -> str:
        """Token ``i`` (lower-cased), or "" for punctuation and line breaks."""
        k = ord(self.string[i]) - _CODE_BASE
        return self._words[k] if k >= 0 else ""


#: How many tokens ``TokenString.span`` finds by their word before it reads every piece in turn
#: (each such lookup reads the text up to the token: a bounded number keeps the work linear).
_WORD_LOOKUPS = 8
#: ... and only when fewer than this many copies of the word come before it (each is a Match).
_WORD_SKIPS = 64


@lru_cache(maxsize=256)
def _whole_piece(word: str) -> re.Pattern:
    """Finds ``word`` where it is a whole piece: no ``[\\w'’-]`` on either side. The word comes
    first, so the search skips to it; the lookbehind after it checks the character before."""
    w = re.escape(word)
    return re.compile(f"{w}(?<![\\w'’-]{w})(?![\\w'’-])")


def _tokens(ctx: RuleContext) -> TokenString:
    """The document's token string, built once and shared by P101 and P103."""
    cache = ctx.doc.__dict__.setdefault("_pathology_tokens", {})
    if ctx.text not in cache:
        cache.clear()
        cache[ctx.text] = TokenString(ctx.text, ctx.doc.lowered if ctx.text is ctx.doc.text else None)
    return cache[ctx.text]


# -- P101 ---------------------------------------------------------------------------------------


@rule(
    "P101",
    "repeated-ngram-loop",
    severity=Severity.ERROR,
    category=Category.FLUENCY,
    fix=Applicability.UNSAFE,
    bad=[
        "Russia confirmed ⟦the the the⟧ arrival of 55 prisoners.",
        "The bombing continued ⟦of the war of the war of the war⟧ in the east.",
        "Officials said ⟦that the talks would resume that the talks would resume⟧ next week.",
        "⟦Kyiv Kyiv Kyiv Kyiv⟧ was bombed again.",
        "It was the end ⟦of the war of the war of the war⟧.",
    ],
    good=[
        "Ha ha ha, he said, that is very very very funny.",
        "The crowd chanted: no, no, no.",
        "Prices rose again and again and again over the summer.",
        "What it is is a question of trust; he said that that was wrong and had had enough.",
        "The war of the roses and the war of the worlds.",
        "He won 6 6 6 in the lottery.",
        "Bring them home, bring them home, bring them home!",
    ],
)
def repeated_ngram_loop(ctx: RuleContext) -> Iterator[Match]:
    """The same words repeated in a loop (``of the war of the war of the war``).

    What it flags:
        A unit of one to three words repeated at least three times in a row, or a unit of four to
        eight words repeated at least twice, with nothing but spaces between the copies (``the
        the the``, ``of the war of the war of the war``). Copies separated by commas (``no, no,
        no``) or line breaks, laughter and chants (``ha ha ha``), ``again and again and again``
        and numbers are left alone.

    Why it matters:
        Decoding loops are a known failure of neural machine translation: the engine repeats
        itself instead of translating the rest of the sentence, so content is usually missing
        as well.

    Fix safety:
        The fix keeps one copy of the unit. It is unsafe: the text around a loop often lacks what
        the engine failed to translate, so an editor should compare with the source.
    """
    text = ctx.text
    toks = _tokens(ctx)
    for m in _T_LOOP.finditer(toks.string):
        unit_len = len(m.group(5) or m.group(6))
        words = [toks.word(i) for i in range(m.start(), m.start() + unit_len)]
        if not any(_HAS_LETTER.search(w) for w in words):
            continue
        if unit_len == 1 and words[0] in REDUPLICATIVES:
            continue
        if unit_len == 2 and words[1] in REDUPLICATIVE_LINKS:
            continue
        start, end = toks.span(m.start())[0], toks.span(m.end() - 1)[1]
        unit = text[start : toks.span(m.start() + unit_len - 1)[1]]
        copies = (m.end() - m.start()) // unit_len
        fix = Fix((Edit(start, end, unit),), Applicability.UNSAFE, "keep one copy")
        yield Match(start, end, f"“{unit}” repeated {copies} times in a row: a decoding loop?", fix=fix)


# -- P102 ---------------------------------------------------------------------------------------


def normalise_sentence(text: str) -> str:
    """What two sentences must share to count as duplicates: letters and digits, case-folded,
    with punctuation and spacing ignored."""
    return _SPACES.sub(" ", _NORMALISE_DROP.sub(" ", text.casefold())).strip()


_WORD_RUN = re.compile(r"\w+")


def folded_key(folded: str) -> str:
    """:func:`normalise_sentence` of a text given case-folded: its runs of letters and digits,
    joined by single spaces."""
    return " ".join(_WORD_RUN.findall(folded))


def letter_counts(folded: str) -> tuple[int, int, int]:
    """How often ``e``, ``t`` and ``a`` occur in a case-folded text. A normalised sentence keeps
    every letter of the folded one, so two sentences with the same key have the same counts."""
    return folded.count("e"), folded.count("t"), folded.count("a")


@rule(
    "P102",
    "duplicated-sentence",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    fix=Applicability.UNSAFE,
    bad=[
        "The army said nearly 10,000 people had volunteered. Lines formed outside the offices. "
        "⟦The army said nearly 10,000 people had volunteered.⟧",
        "Moscow began its mobilization on Thursday.\n\nIt was cold.\n\n"
        "⟦MOSCOW BEGAN ITS MOBILIZATION — ON THURSDAY!⟧",
    ],
    good=[
        "The army said nearly 10,000 people had volunteered. The army said nearly 9,000 people had left.",
        "It was cold. It was cold. It was very cold.",
        "Please enter your comment!\nPlease enter your comment!",
    ],
)
def duplicated_sentence(ctx: RuleContext) -> Iterator[Match]:
    """A sentence that already appeared earlier in the document.

    What it flags:
        The second and later copies of a sentence of at least six words and thirty characters,
        compared after case-folding and ignoring punctuation and spacing (so near-exact copies
        count). Numbers must be equal: two sentences that differ in a figure are different.

    Why it matters:
        Translating segment by segment, retrying a failed request or merging overlapping scraped
        blocks duplicates sentences; readers notice at once, and the word count, and every
        per-word score, is inflated.

    Fix safety:
        The fix deletes the later copy. It is unsafe: a repeated sentence is occasionally
        deliberate (a refrain, a pull quote).
    """
    text = ctx.text
    long_enough = [sent for sent in ctx.sentences if len(sent.text) >= MIN_DUPLICATE_CHARS]
    if len(long_enough) < 2:
        return
    folded = [sent.text.casefold() for sent in long_enough]
    counts = [letter_counts(f) for f in folded]
    # A sentence whose letter counts no other sentence shares has no copy: it is not normalised.
    if len(set(counts)) == len(counts):
        return  # all distinct, as in most documents
    shared = {c for c, n in Counter(counts).items() if n > 1}
    seen: dict[str, int] = {}
    for sent, f, c in zip(long_enough, folded, counts):
        if c not in shared:
            continue
        key = folded_key(f)
        if key.count(" ") + 1 < MIN_DUPLICATE_WORDS:
            continue
        if key not in seen:
            seen[key] = sent.start
            continue
        line = ctx.doc.line_col(ctx.doc.to_source_span(seen[key], seen[key])[0])[0]
        end = sent.end
        while end < len(text) and text[end] in " \t":
            end += 1
        fix = Fix((Edit(sent.start, end, ""),), Applicability.UNSAFE, "delete the repeated sentence")
        yield Match(sent.start, sent.end, f"sentence repeats the one on line {line}", fix=fix)


# -- P103 ---------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _doubled_data(lang: str) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    from mtcheck.data import load_json

    entry = (load_json("wordlists", "never-doubled") or {}).get(lang) or {}
    words = frozenset(entry.get("words", "").split())
    not_after = {w: frozenset(v.split()) for w, v in entry.get("not_after", {}).items()}
    return words, not_after


@rule(
    "P103",
    "doubled-word",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    fix=Applicability.SAFE,
    bad=[
        "One of the boats was about ⟦to to⟧ sink when the rescue teams arrived.",
        "The probe will make 35 flybys before going ⟦in in⟧ orbit around Ganymede.",
        "⟦The the⟧ minister arrived late.",
    ],
    good=[
        "He said that that was wrong; she had had enough; what it is is clear.",
        "She checked in in Paris and came in in third place.",
        "The the the loop is P101's business, and Bora Bora is a place.",
        "Walla Walla, Sing Sing and Baden-Baden are names.",
        "It ends with the\nthe start of a new line.",
    ],
)
def doubled_word(ctx: RuleContext) -> Iterator[Match]:
    """A function word written twice in a row (``about to to sink``).

    What it flags:
        Two copies of a function word of the target language separated only by spaces, for words
        that are never correct twice (``data/wordlists/never-doubled.json``: English the, a, to,
        of, in, …, but not that, had or is, which can meet themselves). ``checked in in Paris``
        and similar phrasal verbs are left alone; three or more copies are P101's.

    Why it matters:
        Word-for-word engines and careless edits leave doubled words; every reader stumbles on
        them.

    Fix safety:
        Safe: the fix deletes the second copy and the space before it, which cannot change the
        meaning.
    """
    words, not_after = _doubled_data(base_lang(ctx.target_lang, "en"))
    if not words:
        return
    text = ctx.text
    toks = _tokens(ctx)
    string = toks.string
    for m in _T_DOUBLED.finditer(string):
        i = m.start()
        word = toks.word(i)
        if word not in words:
            continue
        if i + 2 < len(string) and string[i + 2] == string[i]:
            continue  # a third copy follows: P101 reports the loop
        if i > 0 and string[i - 1] == string[i]:
            continue  # part of a longer run
        if word in not_after and i > 0 and toks.word(i - 1) in not_after[word]:
            continue
        (s1, e1), (s2, e2) = toks.span(i), toks.span(i + 1)
        if text[e1:s2].strip(" \t\u00a0"):
            continue  # a tab, a line break or other space separates them: not a plain doubling
        fix = Fix((Edit(e1, e2, ""),), Applicability.SAFE, f"delete the second “{text[s1:e1]}”")
        yield Match(s1, e2, f"“{text[s1:e1]}” written twice", fix=fix)
