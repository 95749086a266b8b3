"""Language identification with langdetect: fast to start, deterministic, short text → unknown.

langdetect's own ``init_factory()`` parses all 55 bundled profiles through its ``LangProfile``
class, which costs about 0.2 s on every cold start. mtcheck builds the detector's probability table
itself, and only for the languages a text can plausibly be in: a default set of major
Latin-script languages, the languages a caller asks for (the document's source and target), and
the languages of any other script the text contains (Cyrillic brings Russian, Ukrainian,
Bulgarian and Macedonian; Han brings Chinese and Japanese; …). Twenty profiles load in about
30 ms, once per process and per candidate set (:func:`functools.lru_cache`).

Results are deterministic: the detector's random sampling is seeded with :data:`SEED`, the
candidate list is sorted, and the candidate set depends only on the text and the requested
languages. Texts with fewer than :data:`MIN_CHARS` letters are "unknown" (None).
"""

from __future__ import annotations

import bisect
import gc
import json
import os
import re
from collections.abc import Iterable
from functools import lru_cache, wraps
from itertools import chain

#: Fewer letters than this and we do not guess.
MIN_CHARS = 20
#: langdetect's seed; fixed so the same text always gets the same answer.
SEED = 0
#: :func:`detect` gives langdetect at most this many characters (a document's language shows
#: long before; langdetect's own cap is 10,000).
DETECT_CHARS = 3000
#: :func:`function_word_guess`: at least this many words, the best language's function words at
#: least this share of them, and at least this many times the runner-up's share.
GUESS_MIN_WORDS = 40
GUESS_MIN_SHARE = 0.3
GUESS_MARGIN = 3.0
#: Profiles always loaded: major Latin-script languages (langdetect's codes).
DEFAULT_LANGUAGES = (
    "en", "es", "fr", "de", "pt", "it", "nl", "ca", "ro", "pl", "sv", "da", "no", "fi", "cs", "tr", "id",
)
#: Profiles added when a text contains letters of another script.
SCRIPT_LANGUAGES = {
    "cyrillic": ("ru", "uk", "bg", "mk"),
    "greek": ("el",),
    "arabic": ("ar", "fa", "ur"),
    "hebrew": ("he",),
    "devanagari": ("hi", "mr", "ne"),
    "bengali": ("bn",),
    "thai": ("th",),
    "hangul": ("ko",),
    "kana": ("ja",),
    "han": ("zh-cn", "zh-tw", "ja"),
    "other": ("gu", "kn", "ml", "pa", "ta", "te"),
}
# First code point of each block (sorted), and the script it belongs to. Anything at or above
# U+0370 that is not listed here counts as Latin (Latin Extended Additional, punctuation, …).
_SCRIPT_BLOCKS = (
    (0x0370, "greek"), (0x0400, "cyrillic"), (0x0530, None), (0x0590, "hebrew"), (0x0600, "arabic"),
    (0x0780, None), (0x0900, "devanagari"), (0x0980, "bengali"), (0x0A00, "other"), (0x0E00, "thai"),
    (0x0E80, None), (0x1100, "hangul"), (0x1200, None), (0x3040, "kana"), (0x3100, None),
    (0x3400, "han"), (0xA000, None), (0xAC00, "hangul"), (0xD7B0, None), (0xF900, "han"),
    (0xFB00, None), (0xFB50, "arabic"), (0xFE00, None),
)
_NON_LATIN = re.compile(r"[^\x00-\u036f]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


_BLOCK_STARTS = [start for start, _ in _SCRIPT_BLOCKS]


def _script(cp: int) -> str | None:
    i = bisect.bisect_right(_BLOCK_STARTS, cp) - 1
    return _SCRIPT_BLOCKS[i][1] if i >= 0 else None


def scripts_in(text: str) -> frozenset[str]:
    """Non-Latin scripts whose letters occur in ``text`` (empty for Latin-only text)."""
    out = set()
    for m in _NON_LATIN.finditer(text):
        ch = m.group()
        if ch.isalpha():
            name = _script(ord(ch))
            if name:
                out.add(name)
    return frozenset(out)


def _profile_code(lang: str) -> tuple[str, ...]:
    lang = lang.replace("_", "-").lower()
    if lang in ("zh", "zh-hans", "zh-hant"):
        return ("zh-cn", "zh-tw")
    if lang in ("nb", "nn"):
        return ("no",)
    return (lang,)


def candidates(text: str, langs: Iterable[str] = ()) -> frozenset[str]:
    """The profiles to compare ``text`` against: the defaults, ``langs`` and the text's scripts."""
    out = set(DEFAULT_LANGUAGES)
    for lang in langs:
        if lang:
            out.update(_profile_code(lang))
    for script in scripts_in(text):
        out.update(SCRIPT_LANGUAGES[script])
    return frozenset(out & set(available_profiles()))


@lru_cache(maxsize=1)
def _profiles_dir() -> str:
    import importlib.util

    spec = importlib.util.find_spec("langdetect")
    return os.path.join(os.path.dirname(spec.origin), "profiles")


@lru_cache(maxsize=1)
def available_profiles() -> frozenset[str]:
    """Every language profile langdetect ships."""
    return frozenset(n for n in os.listdir(_profiles_dir()) if not n.startswith("."))


@lru_cache(maxsize=None)
def _read_profile(lang: str) -> tuple[dict[str, int], list[int]]:
    with open(os.path.join(_profiles_dir(), lang), encoding="utf-8") as f:
        data = json.load(f)
    return data["freq"], data["n_words"]


@lru_cache(maxsize=8)
def _factory(langs: frozenset[str]):
    """A langdetect ``DetectorFactory`` holding exactly ``langs``, built the way langdetect's
    ``add_profile`` builds it (probability of each 1–3-gram per language), but without its
    per-profile ``LangProfile`` objects."""
    from langdetect.detector_factory import DetectorFactory

    order = sorted(langs)
    size = len(order)
    table: dict[str, list[float]] = {}
    for index, lang in enumerate(order):
        freq, n_words = _read_profile(lang)
        for gram, count in freq.items():
            length = len(gram)
            if 1 <= length <= 3:
                row = table.get(gram)
                if row is None:
                    row = table[gram] = [0.0] * size
                row[index] = count / n_words[length - 1]
    factory = DetectorFactory()
    factory.langlist = order
    factory.word_lang_prob_map = table
    factory.seed = SEED
    return factory


def detect_probs(text: str, langs: Iterable[str] = ()) -> list[tuple[str, float]]:
    """Candidate languages and probabilities, best first; empty for short or letterless text.

    ``langs`` adds languages to the candidate set (the document's source and target, say).
    """
    if sum(c.isalpha() for c in text) < MIN_CHARS:
        return []
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory(candidates(text, tuple(langs)))
    try:
        det = factory.create()
        det.seed = SEED
        det.append(text)
        return [(_normalise(p.lang), p.prob) for p in det.get_probabilities()]
    except LangDetectException:
        return []


def detect(text: str, min_prob: float = 0.5, langs: Iterable[str] = ()) -> str | None:
    """The most likely language code (``en``, ``es``, …) or None when unsure or too short.

    A long text whose words are plainly one language's function words (see
    :func:`function_word_guess`) is answered without langdetect; anything else goes to
    langdetect, which reads at most :data:`DETECT_CHARS` characters.
    """
    guess = function_word_guess(text)
    if guess is not None:
        return guess
    probs = detect_probs(text[:DETECT_CHARS], langs)
    if not probs or probs[0][1] < min_prob:
        return None
    return probs[0][0]


def _normalise(code: str) -> str:
    # langdetect says zh-cn / zh-tw; mtcheck keys data by base language.
    return code.split("-")[0].lower()


# -- a cheap pre-filter -----------------------------------------------------------------------


@lru_cache(maxsize=None)
def function_words(lang: str) -> frozenset[str]:
    """The language's most frequent function words (``data/wordlists/function-words.json``);
    empty when mtcheck has no list for it."""
    from mtcheck.data import load_json

    table = load_json("wordlists", "function-words") or {}
    return frozenset(table.get(_normalise(lang), "").split())


def words(text: str) -> list[str]:
    """Letter-only words of ``text``, lower-cased (digits and punctuation dropped)."""
    return [w.lower() for w in _WORD.findall(text)]


_LETTER_RUN = re.compile(r"[^\W\d_]+")
#: The marks most often glued to words (none of them a letter, a digit or an underscore: ``\W``).
_SPLIT_MARKS = ',."'


def document_words(doc) -> frozenset[str]:
    """The distinct letter runs (``[^\\W\\d_]+``: digits, underscores, punctuation and spaces
    split them) of ``doc.text``, in their own case; worked out once per document, on the document
    (N101, G102, G104 and U102 all start from them), together with their split by case
    (:func:`document_word_cases`).

    A space in place of a mark of :data:`_SPLIT_MARKS` leaves the same letter runs (the mark is
    in none), and then far more tokens between whitespace are letters only (``said,`` ``U.S.``);
    such a token is one letter run as it is (every letter is a word character that is no digit).
    One regex call reads the few distinct other tokens. Splitting on whitespace first leaves far
    fewer distinct tokens than there are words."""
    text = doc.text
    cached = doc.__dict__.get("_letter_runs")
    if cached is not None and cached[0] is text:
        return cached[1]
    lower, others = _letter_runs_by_case(text)
    words = lower | others
    doc.__dict__["_letter_runs"] = (text, words)
    doc.__dict__["_letter_run_cases"] = (text, (lower, others))
    return words


#: Strings known to be a whole letter run (``[^\W\d_]+``) that :meth:`str.islower` accepts, and
#: strings known to be one that it does not: what :func:`_letter_runs_by_case` has found in the
#: documents before, remembered per process up to :data:`MAX_REMEMBERED_RUNS` each. A batch
#: meets the same words in document after document (most of a text is its frequent words): a
#: document's tokens are classified by two set intersections in C instead of a ``str.isalpha``
#: and a ``str.islower`` call each. What a string is depends on nothing but the string.
_LOWER_RUNS: set[str] = set()
_OTHER_RUNS: set[str] = set()
MAX_REMEMBERED_RUNS = 100_000


def _letter_runs_by_case(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The distinct letter runs of ``text`` that :meth:`str.islower` accepts, and the others.

    A whitespace token that is a known letter run (:data:`_LOWER_RUNS`, :data:`_OTHER_RUNS`) is
    that one run (it is made of letter-run characters only); the other tokens are a letter run
    when they are letters only (``str.isalpha``), and the few left are read by one regex call."""
    for mark in _SPLIT_MARKS:
        text = text.replace(mark, " ")
    tokens = frozenset(text.split())
    lower = tokens & _LOWER_RUNS
    rest = tokens - lower
    others = rest & _OTHER_RUNS
    if len(others) == len(rest):
        return lower, others
    rest -= others
    runs = frozenset(filter(str.isalpha, rest))
    if len(runs) != len(rest):
        # One regex call over the other tokens (a space keeps their words apart).
        runs = runs.union(_LETTER_RUN.findall(" ".join(rest - runs))) - lower - others
    new_lower = frozenset(filter(str.islower, runs))
    new_others = runs - new_lower
    if new_lower:
        lower |= new_lower
        if len(_LOWER_RUNS) < MAX_REMEMBERED_RUNS:
            _LOWER_RUNS.update(new_lower)
    if new_others:
        others |= new_others
        if len(_OTHER_RUNS) < MAX_REMEMBERED_RUNS:
            _OTHER_RUNS.update(new_others)
    return lower, others


def document_word_cases(doc) -> tuple[frozenset[str], frozenset[str]]:
    """The document's distinct letter runs (:func:`document_words`) split into the all-lowercase
    ones (``str.islower``) and the others; worked out once per document, on the document (N101,
    N102 and U102 use them), with the letter runs themselves."""
    text = doc.text
    cached = doc.__dict__.get("_letter_run_cases")
    if cached is not None and cached[0] is text:
        return cached[1]
    words = document_words(doc)
    cached = doc.__dict__.get("_letter_run_cases")
    if cached is not None and cached[0] is text:
        return cached[1]
    lower = frozenset(filter(str.islower, words))  # the letter runs were kept without their split
    out = (lower, words - lower)
    doc.__dict__["_letter_run_cases"] = (text, out)
    return out


def function_word_guess(text: str) -> str | None:
    """The language of a long text that is plainly full of one language's function words, or
    None. Looks at the first 3,000 characters; languages without a list never win, and close
    relatives (Spanish and Catalan, Spanish and Portuguese) rarely clear the margin, in which
    case langdetect decides."""
    tokens = text[:DETECT_CHARS].lower().split()
    if len(tokens) < GUESS_MIN_WORDS:
        return None
    counts = {}
    for lang in _function_word_languages():
        counts[lang] = sum(map(function_words(lang).__contains__, tokens))
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    if len(ranked) < 2:
        return None
    (best, n1), (_, n2) = ranked[0], ranked[1]
    if n1 >= GUESS_MIN_SHARE * len(tokens) and n1 >= GUESS_MARGIN * n2:
        return best
    return None


@lru_cache(maxsize=1)
def _function_word_languages() -> tuple[str, ...]:
    from mtcheck.data import load_json

    return tuple(sorted(k for k in (load_json("wordlists", "function-words") or {}) if not k.startswith("_")))


def function_word_share(tokens: list[str], lang: str) -> float:
    """Fraction of ``tokens`` that are function words of ``lang`` (0.0 without a list)."""
    fw = function_words(lang)
    if not tokens or not fw:
        return 0.0
    return sum(1 for t in tokens if t in fw) / len(tokens)


# -- word frequencies (wordfreq) --------------------------------------------------------------


def _long_lived(fn):
    """Decorate a builder of a large, process-lifetime word table (under ``lru_cache``): once it
    is built, ``gc.freeze()`` moves every object alive into the collector's permanent generation.
    A word list holds 30,000 to 340,000 strings in GC-tracked sets and lists that every full
    collection walked again: a 1 MB batch scan spent 0.25 s (a tenth of its time) in the
    collector, 0.04 s after this. Objects alive at that moment are never collected as cyclic
    garbage later, which costs nothing in a scan and little in a long-lived process."""

    @wraps(fn)
    def build(*args, **kwargs):
        out = fn(*args, **kwargs)
        gc.freeze()
        return out

    return build


@lru_cache(maxsize=None)
@_long_lived
def _packed(lang: str, size: str) -> list[list[str]] | None:
    """wordfreq's list for ``lang`` as buckets of words: bucket ``i`` holds the words whose
    frequency is ``-i`` centibels (Zipf ``9 - i/100``). Read straight from wordfreq's data file
    (importing ``wordfreq`` itself costs 0.1 s) or from mtcheck's plain-text copy of it
    (:func:`_text`); None when the file is missing or unreadable."""
    text = _text(lang, size)
    if text is not None:
        words, starts = _text_words(lang, size), text.word_starts
        return [words[starts[i] : starts[i + 1]] for i in range(len(starts) - 1)]
    raw = _raw(lang, size)
    if raw is None:
        return None
    try:
        import msgpack

        packed = msgpack.unpackb(raw, raw=False)
    except (ValueError, ImportError):
        return None
    if not packed or not isinstance(packed[0], dict) or packed[0].get("format") != "cB":
        return None
    return packed[1:]


@lru_cache(maxsize=None)
@_long_lived
def zipf_table(lang: str, size: str = "small") -> dict[str, float]:
    """wordfreq's word list for ``lang`` as ``{casefolded word: Zipf frequency}``.

    ``size="small"`` holds every word with a Zipf frequency of at least 3 (once per million
    words), so a word missing from it is rare in the language; ``size="large"`` goes down to
    Zipf 1, so a word missing from it is practically unknown. Built once per process (about
    10 ms for a small list, 0.1 s for a large one), falling back to wordfreq's API if its data
    file is not where wordfreq 3 keeps it. Empty when wordfreq has no such list. To look up a few
    words once, :func:`zipf_lookup` is cheaper.
    """
    packed = _packed(lang, size)
    if packed is not None:
        table = {}
        for i, bucket in enumerate(packed):
            zipf = round(9 - i / 100, 2)
            for word in bucket:
                table[word] = zipf
        return table
    try:
        import math

        import wordfreq

        lang = _normalise(lang)
        if lang not in wordfreq.available_languages(size):
            return {}
        return {w: round(math.log10(f) + 9, 2) for w, f in wordfreq.get_frequency_dict(lang, size).items()}
    except (ImportError, LookupError, ValueError):
        return {}


@lru_cache(maxsize=None)
@_long_lived
def word_set(lang: str, size: str = "small") -> frozenset[str]:
    """The words of wordfreq's list for ``lang`` (membership only: cheaper to build than
    :func:`zipf_table`); empty when there is no such list."""
    if _text(lang, size) is not None:
        return frozenset(_text_words(lang, size))
    packed = _packed(lang, size)
    if packed is not None:
        return frozenset(chain.from_iterable(packed))
    return frozenset(zipf_table(lang, size))


#: :func:`zipf_lookup` answers this many calls per list from the list's buckets, then decodes
#: the table once: a run over a few articles never pays for decoding, a batch pays once.
LOOKUPS_BEFORE_TABLE = 3
#: :func:`in_word_list` scans a list's bytes for the words it is asked about until the scans have
#: read this many times the list's size, then decodes the list into a set once. Decoding a list
#: into a set the first time costs about as much as 40 to 80 scans that find nothing (English:
#: 8 ms against 0.1 ms for the small list, 60 ms against 1.1 ms for the large one), so a run
#: never spends much more than twice what the cheaper way would have cost: a few documents
#: never decode a list, a batch decodes the lists it keeps asking about.
SCANS_BEFORE_SET = 48
_lookups: dict[tuple, int] = {}
_scanned: dict[tuple, int] = {}


def zipf_lookup(lang: str, words: Iterable[str], size: str = "small") -> dict[str, float]:
    """Zipf frequencies of those ``words`` (casefolded) that are in wordfreq's list; the others
    are left out. The first calls intersect the words with the list's buckets (a few ms for a
    small list) instead of building :func:`zipf_table`."""
    key = (_normalise(lang), size)
    words = set(words)
    calls = _lookups[key] = _lookups.get(key, 0) + 1
    text = _text(*key) if calls <= LOOKUPS_BEFORE_TABLE else None
    if text is not None:
        out = {}
        for w in words:
            i = text.find(w)
            if i != -1:
                out[w] = round(9 - text.bucket_at(i) / 100, 2)
        return out
    packed = _packed(*key) if calls <= LOOKUPS_BEFORE_TABLE else None
    if packed is None:
        table = zipf_table(*key)
        return {w: table[w] for w in words if w in table}
    out = {}
    for i, bucket in enumerate(packed):
        for w in words.intersection(bucket):
            out[w] = round(9 - i / 100, 2)
    return out


@lru_cache(maxsize=None)
def _raw(lang: str, size: str) -> bytes | None:
    """The decompressed msgpack bytes of a wordfreq list (about 2 ms for a small list)."""
    path = _wordfreq_file(_normalise(lang), size)
    if path is None:
        return None
    try:
        import zlib

        with open(path, "rb") as f:
            data = f.read()
        # One zlib call (wbits 47: a gzip header) instead of gzip's chunked Python reader.
        d = zlib.decompressobj(47)
        out = d.decompress(data)
        if d.eof and not d.unused_data:
            return out
        import gzip

        return gzip.decompress(data)  # several members, or a truncated file: gzip decides
    except (OSError, zlib.error, EOFError):
        return None


#: Plain-text copies of the wordfreq lists a cold scan reads (``data/wordfreq/``, written by
#: scripts/gen_wordfreq_copies.py): the 8 lists U102 guesses a source language with and the
#: English one. Reading one costs no decompression, no ``msgpack`` import, and its words come
#: out of one ``split``; a word is looked up exactly by searching for it between newlines.
_SHIPPED_WORDFREQ = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "wordfreq")
#: First word of a copy's first line.
TEXT_MAGIC = b"wordfreq-text"


class WordText:
    """A wordfreq list as mtcheck ships it (see scripts/gen_wordfreq_copies.py), mapped from its
    file. Its body (``size`` bytes from ``data[base]`` on) holds the list's words in wordfreq's
    order (most frequent first), UTF-8, each after a newline and the last one followed by one;
    bucket ``i`` (the words of Zipf frequency ``9 - i/100``) begins at byte ``byte_starts[i]`` of
    the body and at ``word_starts[i]`` in the list of its words, and both tuples end with the end
    of the last bucket (parsed from the header when first asked for). No word holds a newline or
    is empty, and none is listed twice.

    ``bloom`` is a Bloom filter of the words (``bloom_bits`` bits, :data:`BLOOM_HASHES` bit
    positions per word from :func:`bloom_positions`): a word with any of its bits clear is not
    in the list, which answers most lookups (a document's rare words) without reading the body.
    """

    __slots__ = ("data", "base", "size", "bloom", "bloom_bits", "_lines", "_byte_starts", "_word_starts")

    def __init__(self, data, base: int, lines: tuple[int, int, int], bloom: bytes, bloom_bits: int):
        self.data = data
        self.base = base
        self.size = len(data) - base
        self.bloom = bloom
        self.bloom_bits = bloom_bits
        self._lines = lines  # where the header's second and third lines begin and end
        self._byte_starts = self._word_starts = None

    @property
    def byte_starts(self) -> tuple[int, ...]:
        if self._byte_starts is None:
            a, b, _ = self._lines
            self._byte_starts = tuple(map(int, self.data[a:b].split()))
        return self._byte_starts

    @property
    def word_starts(self) -> tuple[int, ...]:
        if self._word_starts is None:
            _, b, c = self._lines
            self._word_starts = tuple(map(int, self.data[b + 1 : c].split()))
        return self._word_starts

    def words(self) -> list[str]:
        """Every word, in the list's order (one decode and one split)."""
        if self.size <= 1:
            return []
        return self.data[self.base + 1 : len(self.data) - 1].decode("utf-8").split("\n")

    def find(self, word: str, limit: int | None = None) -> int:
        """Where ``word`` begins in the body, if it begins before ``limit``; -1 when the list
        lacks it. Exact: the Bloom filter only ever rules words out, and a newline is never part
        of a word."""
        if not self.might_hold(word):
            return -1
        data = word.encode("utf-8")
        base = self.base
        end = base + (self.size if limit is None else limit)
        i = self.data.find(b"\n" + data + b"\n", base, end)
        return i - base + 1 if i != -1 else -1

    def might_hold(self, word: str) -> bool:
        """False when the list surely lacks ``word`` (the Bloom filter rules it out)."""
        if not word or "\n" in word:
            return False
        bloom = self.bloom
        for p in bloom_positions(word.encode("utf-8"), self.bloom_bits):
            if not bloom[p >> 3] >> (p & 7) & 1:
                return False
        return True

    def bucket_at(self, pos: int) -> int:
        """The bucket holding the word that begins at byte ``pos``."""
        return bisect.bisect_right(self.byte_starts, pos) - 1

    def buckets_down_to(self, min_zipf: float) -> int:
        """How many buckets, from the first, hold words of Zipf frequency ``min_zipf`` or more."""
        return min(max(int(round((9 - min_zipf) * 100)) + 1, 0), len(self.word_starts) - 1)


#: Bit positions per word in a :class:`WordText`'s Bloom filter (with 10 bits a word, about 1%
#: of the words a list lacks still get read for).
BLOOM_HASHES = 7


def bloom_positions(data: bytes, bits: int) -> list[int]:
    """The :data:`BLOOM_HASHES` bit positions of the UTF-8 word ``data`` in a Bloom filter of
    ``bits`` bits (double hashing with two CRC-32s: the same in every process and version)."""
    import zlib

    h1 = zlib.crc32(data)
    h2 = zlib.crc32(data, 0x9E3779B9) | 1
    return [(h1 + i * h2) % bits for i in range(BLOOM_HASHES)]


@lru_cache(maxsize=None)
def _text(lang: str, size: str) -> WordText | None:
    """mtcheck's plain-text copy of wordfreq's list, if there is one and it was made from the
    installed wordfreq's file: the CRC-32 and length the copy's first line records must be those
    in that file's gzip trailer (a different wordfreq version reads its own file instead)."""
    path = _wordfreq_file(_normalise(lang), size)
    if path is None or not path.endswith(".msgpack.gz"):
        return None
    import binascii
    import mmap

    name = os.path.basename(path)
    try:
        # Mapped, not read: a lookup the Bloom filter answers reads the header pages only.
        with open(os.path.join(_SHIPPED_WORDFREQ, name[: -len(".msgpack.gz")] + ".txt"), "rb") as f:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        with open(path, "rb") as f:
            f.seek(-8, os.SEEK_END)
            trailer = f.read(8)
        e1 = data.find(b"\n")
        e2 = data.find(b"\n", e1 + 1)
        e3 = data.find(b"\n", e2 + 1)
        e4 = data.find(b"\n", e3 + 1)
        if min(e1, e2, e3, e4) < 0:
            return None
        head = data[:e1].split()
        expected = [TEXT_MAGIC, name.encode(), b"%d" % int.from_bytes(trailer[:4], "little"),
                    b"%d" % int.from_bytes(trailer[4:], "little")]
        if len(trailer) != 8 or head != expected:
            return None
        bloom_bits, bloom = data[e3 + 1 : e4].split(b" ")
        bloom_bits, bloom = int(bloom_bits), binascii.a2b_base64(bloom)
        if bloom_bits <= 0 or len(bloom) * 8 < bloom_bits:
            return None
    except (OSError, ValueError, binascii.Error):
        return None
    return WordText(data, e4, (e1 + 1, e2, e3), bloom, bloom_bits)


@lru_cache(maxsize=None)
@_long_lived
def _text_words(lang: str, size: str) -> list[str]:
    """The words of :func:`_text`'s copy, in its order (one decode and one split)."""
    return _text(lang, size).words()


# Bytes that can follow a complete string in a msgpack list of lists of strings: the header of
# the next string (fixstr, str8/16/32) or of the next list (fixarray, array16/32).
_MSGPACK_HEADERS = frozenset([*range(0x90, 0xC0), 0xD9, 0xDA, 0xDB, 0xDC, 0xDD])


def in_word_list(lang: str, words: Iterable[str], size: str = "small", min_zipf: float | None = None) -> set[str]:
    """Those ``words`` (casefolded) that wordfreq's list for ``lang`` contains, with a Zipf
    frequency of at least ``min_zipf`` if given.

    Membership without decoding the list: each word is looked for as a msgpack string (its
    length header and UTF-8 bytes, followed by the next header) in the decompressed file, and a
    place where those bytes could also be the middle of another string is checked by decoding
    its bucket (:func:`_real_string_at`). The list is sorted by frequency, so ``min_zipf`` is a
    byte offset the match must come before. A list mtcheck ships a plain-text copy of
    (:func:`_text`) is searched the same way, without those doubts. A few dozen words cost a
    few milliseconds, and each word is scanned for once per list and threshold; once the scans
    of a list have read :data:`SCANS_BEFORE_SET` times its size (a batch of documents), the list
    is decoded into a set instead. Every way gives the same answer.
    """
    words = set(words)
    lang = _normalise(lang)
    answers = _answers.get((lang, size, min_zipf))
    if answers is not None and answers.keys() >= words:
        # Every word was scanned for before (a batch asks about the same words again and again):
        # what the scans found, with none of the bookkeeping below.
        return {w for w in words if answers[w]}
    key = (lang, size)
    text = _text(lang, size)
    raw = starts = None
    if text is None:
        head = _raw_head(lang, size, _buckets_down_to(min_zipf)) if min_zipf is not None else None
        if head is not None:
            raw, starts = head  # the frequent part only: all a threshold needs
        else:
            raw = _raw(lang, size)
    if raw is None and text is None:
        return words & _words_at_least(lang, size, min_zipf)
    length = text.size if text is not None else len(raw)
    if _scanned.get(key, 0) > SCANS_BEFORE_SET * length:
        return words & _words_at_least(lang, size, min_zipf)
    # A batch asks again about the words it asked about before: each is scanned for once.
    answers = _answers.setdefault((lang, size, min_zipf), {})
    todo = [w for w in words if w not in answers]
    if text is not None:
        limit = length if min_zipf is None else text.byte_starts[text.buckets_down_to(min_zipf)]
        found, spent = _in_text(text, todo, limit)
    else:
        limit = starts[-1] if starts is not None else length
        found, spent = _in_raw(raw, todo, lang, size, limit, starts)
    _scanned[key] = _scanned.get(key, 0) + spent
    if len(answers) < MAX_ANSWERS:
        answers.update(dict.fromkeys(todo, False))
        answers.update(dict.fromkeys(found, True))
    return found | {w for w in words if answers.get(w)}


#: :func:`in_word_list` remembers at most this many answers per list and threshold.
MAX_ANSWERS = 100_000
_answers: dict[tuple, dict[str, bool]] = {}


def _in_raw(raw: bytes, words: list[str], lang: str, size: str, limit: int,
            starts: tuple[int, ...] | None = None) -> tuple[set[str], int]:
    """Those ``words`` that wordfreq's msgpack list ``raw`` (the whole list, or its start and
    where its buckets begin: ``starts``) holds before byte ``limit``, and how many bytes the
    scans read."""
    end = len(raw)
    out, spent = set(), 0
    for word in words:
        data = word.encode("utf-8")
        n = len(data)
        if n < 32:
            needle = bytes([0xA0 | n]) + data
        elif n < 0x100:
            needle = b"\xd9" + n.to_bytes(1, "big") + data
        elif n < 0x10000:
            needle = b"\xda" + n.to_bytes(2, "big") + data
        else:
            needle = b"\xdb" + n.to_bytes(4, "big") + data
        # Words that start with ASCII and whose second byte cannot be a string header: what
        # _certain_string_at needs to tell a real string from bytes that only look like one.
        plain = n < 32 and data[0] < 0x80 and (n < 2 or data[1] not in _STR_HEADER_LEADS)
        i = raw.find(needle, 0, limit)
        while i != -1:
            j = i + len(needle)
            if j >= end or raw[j] in _MSGPACK_HEADERS:
                if (plain and _certain_string_at(raw, i, j)) or _real_string_at(raw, starts, lang, size, i, word):
                    out.add(word)
                    break
            i = raw.find(needle, i + 1, limit)
        spent += (i + len(needle)) if i != -1 else limit
    return out, spent


def _in_text(text: WordText, words: list[str], limit: int) -> tuple[set[str], int]:
    """Those ``words`` that a plain-text copy holds before byte ``limit``, and how many bytes
    the scans read."""
    out, spent = set(), 0
    for word in words:
        if not text.might_hold(word):
            continue  # no scan: nothing spent
        i = text.find(word, limit)
        if i != -1:
            out.add(word)
        spent += i if i != -1 else limit
    return out, spent


# UTF-8 lead bytes of U+0640–U+06FF that are also msgpack str8/16/32 headers.
_STR_HEADER_LEADS = frozenset([0xD9, 0xDA, 0xDB])


def _certain_string_at(raw: bytes, i: int, j: int) -> bool:
    """Whether a fixstr header at ``raw[i]`` (followed by a word whose first byte is ASCII and
    whose second is no str header) that ends at ``j`` is surely a whole string of the list.

    A byte before it that is ASCII means ``raw[i]`` (a UTF-8 continuation byte) is not inside a
    character, so not inside a string; nor can it be an array's length byte, since the word's
    first bytes would then have to be a string header. After the word, a continuation byte
    (``0x90``–``0xBF``) cannot continue a valid string. Anything else is left to
    :func:`_real_string_at`."""
    return i > 0 and raw[i - 1] < 0x80 and (j >= len(raw) or 0x90 <= raw[j] <= 0xBF)


def _real_string_at(raw: bytes, starts: tuple[int, ...] | None, lang: str, size: str, pos: int, word: str) -> bool:
    """Whether ``word`` is in the bucket of the list ``raw`` that holds byte ``pos`` (exact, for
    the rare matches :func:`_certain_string_at` cannot vouch for: ``sent`` inside ``präsent``).
    ``starts`` are where the buckets of ``raw`` begin (found when not given)."""
    if starts is None:
        starts = _bucket_starts(lang, size)
    b = bisect.bisect_right(starts, pos) - 1
    if not 0 <= b < len(starts) - 1:
        return False
    words = _buckets.get((lang, size, b))
    if words is None:
        import msgpack

        words = _buckets[lang, size, b] = frozenset(msgpack.unpackb(raw[starts[b] : starts[b + 1]], raw=False))
    return word in words


#: Buckets :func:`_real_string_at` decoded, by (language, size, bucket).
_buckets: dict[tuple[str, str, int], frozenset[str]] = {}


@lru_cache(maxsize=None)
def _bucket_starts(lang: str, size: str) -> tuple[int, ...]:
    """Byte offsets in the raw list where each bucket begins, and the end of the last one
    (skipping whole buckets with msgpack's C unpacker: about 2 ms for a large list)."""
    import msgpack

    raw = _raw(lang, size)
    unpacker = msgpack.Unpacker(raw=False, max_buffer_size=len(raw) + 1)
    unpacker.feed(raw)
    n = unpacker.read_array_header()
    if n < 1:
        return (len(raw),)
    unpacker.skip()  # the format header
    starts = [unpacker.tell()]
    for _ in range(n - 1):
        unpacker.skip()
        starts.append(unpacker.tell())
    return tuple(starts)


def _buckets_down_to(min_zipf: float) -> int:
    """How many buckets, from the first, hold words of Zipf frequency ``min_zipf`` or more."""
    return max(int(round((9 - min_zipf) * 100)) + 1, 0)


@lru_cache(maxsize=None)
def _raw_head(lang: str, size: str, buckets: int) -> tuple[bytes, tuple[int, ...]] | None:
    """The start of a list's decompressed msgpack bytes that holds its first ``buckets``
    buckets, and the byte offsets where those buckets begin with the end of the last appended.
    Decompressed as far as needed only: a Zipf threshold of 1.5 reads half of a large list.
    None when the file is missing or is not one gzip member in wordfreq's format."""
    path = _wordfreq_file(_normalise(lang), size)
    if path is None:
        return None
    try:
        import zlib

        import msgpack

        with open(path, "rb") as f:
            compressed = f.read()
        d = zlib.decompressobj(47)
        unpacker = msgpack.Unpacker(raw=False, max_buffer_size=0)
        chunks: list[bytes] = []
        n = header = None
        starts: list[int] = []
        pos, step = 0, 1 << 16
        while True:
            try:
                if n is None:
                    n = unpacker.read_array_header()
                    if n < 1:
                        return None
                if header is None:
                    header = unpacker.unpack()
                    if not isinstance(header, dict) or header.get("format") != "cB":
                        return None
                    starts.append(unpacker.tell())
                while len(starts) <= min(buckets, n - 1):
                    unpacker.skip()
                    starts.append(unpacker.tell())
                break
            except msgpack.OutOfData:
                if pos >= len(compressed) or d.eof:
                    return None  # truncated, or more than one gzip member: _raw decides
                chunk = d.decompress(compressed[pos : pos + step])
                pos += step
                chunks.append(chunk)
                unpacker.feed(chunk)
    except (OSError, zlib.error, ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError):
        return None
    return b"".join(chunks), tuple(starts)


@lru_cache(maxsize=None)
@_long_lived
def _words_at_least(lang: str, size: str, min_zipf: float | None) -> frozenset[str]:
    """The words of a list with a Zipf frequency of at least ``min_zipf`` (all without one)."""
    text = _text(lang, size)
    if text is not None:
        words = _text_words(lang, size)
        if min_zipf is None:
            return frozenset(words)
        return frozenset(words[: text.word_starts[text.buckets_down_to(min_zipf)]])
    if min_zipf is not None:
        prefix = _packed_prefix(lang, size, int(round((9 - min_zipf) * 100)) + 1)
        if prefix is not None:
            return frozenset(chain.from_iterable(prefix))
    packed = _packed(lang, size)
    if packed is None:
        table = zipf_table(lang, size)
        return frozenset(w for w, z in table.items() if min_zipf is None or z >= min_zipf)
    last = len(packed) if min_zipf is None else int(round((9 - min_zipf) * 100)) + 1
    return frozenset(chain.from_iterable(packed[:last]))


def _packed_prefix(lang: str, size: str, buckets: int) -> list[list[str]] | None:
    """The first ``buckets`` buckets of :func:`_packed` (the frequent words), decoded without
    the rest of the list; None when the list is missing or not in wordfreq's format."""
    head = _raw_head(lang, size, max(buckets, 0))
    if head is None:
        return None
    import msgpack

    raw, starts = head
    try:
        return [msgpack.unpackb(raw[starts[i] : starts[i + 1]], raw=False) for i in range(len(starts) - 1)]
    except Exception:  # a damaged file: the full decoder decides what to do with it
        return None


@lru_cache(maxsize=None)
def _wordfreq_file(lang: str, size: str) -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.origin:
        return None
    path = os.path.join(os.path.dirname(spec.origin), "data", f"{size}_{lang}.msgpack.gz")
    return path if os.path.isfile(path) else None


def has_word_frequencies(lang: str, size: str = "small") -> bool:
    """Whether wordfreq ships a word list of this size for ``lang``."""
    return _wordfreq_file(_normalise(lang), size) is not None
