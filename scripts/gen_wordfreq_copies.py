"""Write ``mtcheck/data/wordfreq/small_<lang>.txt``: plain-text copies of the wordfreq lists a
one-article ``mtcheck scan`` reads (the languages U102 guesses a source language among, and
English), so a cold start neither decompresses them nor imports ``msgpack`` to decode them.

A copy's first line is ``wordfreq-text <file name> <CRC-32> <length>``: the name of the wordfreq
file it was made from and that file's gzip trailer (CRC-32 and length of the decompressed
msgpack). The second and third lines are where each frequency bucket begins, in bytes of the
body and in words, with the end of the last bucket appended; the fourth is a Bloom filter of the
words (its size in bits, a space, the bits in base64). The body follows: every word of the list
in wordfreq's order, one per line (see :class:`mtcheck.langid.WordText`). A list with an
empty word, a word holding a newline, or a word listed twice gets no copy (a copy could not
answer exactly for it); none of wordfreq 3's lists has one.

``mtcheck.langid`` uses a copy only when the installed wordfreq file's gzip trailer matches its
first line, so a stale copy costs speed, never correctness. Run again after upgrading wordfreq:
``.venv/bin/python scripts/gen_wordfreq_copies.py``; tests/test_langid.py checks the copies are
current.
"""

from __future__ import annotations

import binascii
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtcheck import langid  # noqa: E402
from mtcheck.rules.untranslated import INFERENCE_LANGUAGES  # noqa: E402

#: The lists copied (small ones only: the large lists are read only for a document's rare words).
LANGUAGES = tuple(sorted({*INFERENCE_LANGUAGES, "en"}))
#: Bloom filter size: with 10 bits a word and 7 bit positions, about 1% of the words a list
#: lacks pass the filter.
BLOOM_BITS_PER_WORD = 10


def text_copy(gz_path: Path) -> bytes | None:
    """The plain-text copy of one wordfreq file, or None when its words cannot be copied."""
    import msgpack

    data = gz_path.read_bytes()
    packed = msgpack.unpackb(gzip.decompress(data), raw=False)
    if not packed or not isinstance(packed[0], dict) or packed[0].get("format") != "cB":
        return None
    buckets = packed[1:]
    words = [w for bucket in buckets for w in bucket]
    if any(not w or "\n" in w for w in words) or len(set(words)) != len(words):
        return None
    body = [b"\n"]
    byte_starts, word_starts, size, count = [], [], 1, 0
    for bucket in buckets:
        byte_starts.append(size)
        word_starts.append(count)
        for w in bucket:
            line = w.encode("utf-8") + b"\n"
            body.append(line)
            size += len(line)
        count += len(bucket)
    byte_starts.append(size)
    word_starts.append(count)
    bloom_bits = BLOOM_BITS_PER_WORD * max(len(words), 1)
    bloom = bytearray((bloom_bits + 7) // 8)
    for w in words:
        for p in langid.bloom_positions(w.encode("utf-8"), bloom_bits):
            bloom[p >> 3] |= 1 << (p & 7)
    crc, length = int.from_bytes(data[-8:-4], "little"), int.from_bytes(data[-4:], "little")
    head = b"%s %s %d %d\n" % (langid.TEXT_MAGIC, gz_path.name.encode(), crc, length)
    # The body's first newline ends the third line.
    return (head + b" ".join(b"%d" % n for n in byte_starts) + b"\n"
            + b" ".join(b"%d" % n for n in word_starts) + b"\n"
            + b"%d %s" % (bloom_bits, binascii.b2a_base64(bytes(bloom), newline=False)) + b"".join(body))


def expected() -> dict[str, bytes]:
    """File name → content of every copy, from the installed wordfreq."""
    out = {}
    for lang in LANGUAGES:
        gz = langid._wordfreq_file(lang, "small")
        if gz is not None and (copy := text_copy(Path(gz))) is not None:
            out[Path(gz).name[: -len(".msgpack.gz")] + ".txt"] = copy
    return out


def main() -> None:
    folder = Path(langid._SHIPPED_WORDFREQ)
    folder.mkdir(exist_ok=True)
    wanted = expected()
    for stale in folder.iterdir():
        if stale.name not in wanted and stale.name != "README.md":
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)}")
    for name, data in wanted.items():
        (folder / name).write_bytes(data)
        print(f"wrote {(folder / name).relative_to(ROOT)} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
