"""Write ``mtcheck/data/wordfreq/small_<lang>.msgpack``: decompressed copies of the wordfreq
lists a one-article ``mtcheck scan`` reads (the languages U102 guesses a source language among,
and English), so a cold start does not decompress them (~20 ms).

``mtcheck.langid`` uses a copy only when the installed wordfreq file's gzip trailer (CRC-32 and
length) matches it, so a stale copy costs speed, never correctness. Run again after upgrading
wordfreq: ``.venv/bin/python scripts/gen_wordfreq_copies.py``; tests/test_langid.py checks the
copies are current.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtcheck import langid  # noqa: E402
from mtcheck.rules.untranslated import INFERENCE_LANGUAGES  # noqa: E402

#: The lists copied (small ones only: the large lists are read only for a document's rare words).
LANGUAGES = tuple(sorted({*INFERENCE_LANGUAGES, "en"}))


def expected() -> dict[str, bytes]:
    """File name → content of every copy, from the installed wordfreq."""
    out = {}
    for lang in LANGUAGES:
        gz = langid._wordfreq_file(lang, "small")
        if gz is not None:
            out[Path(gz).name[: -len(".gz")]] = gzip.decompress(Path(gz).read_bytes())
    return out


def main() -> None:
    folder = Path(langid._SHIPPED_WORDFREQ)
    folder.mkdir(exist_ok=True)
    for name, data in expected().items():
        (folder / name).write_bytes(data)
        print(f"wrote {(folder / name).relative_to(ROOT)} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
