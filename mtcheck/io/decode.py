"""Turning bytes into text: BOMs, UTF-8, detected legacy encodings, binary input.

Decoding never translates newlines: ``\\r\\n`` and ``\\r`` stay in the text, so offsets index exactly
what is on disk (after the BOM). :class:`Decoded` remembers the encoding and the BOM so ``mtcheck
fix`` can write the file back the way it found it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from mtcheck.errors import InputError

#: BOMs we recognise, longest first (a UTF-32 LE BOM starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Share of C0 control characters (other than tab, newlines, form feed) above which decoded text
#: is treated as binary even without NUL bytes.
_MAX_CONTROL_SHARE = 0.05

#: Among equally likely detected encodings, the first of these wins.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


@dataclass(frozen=True)
class Decoded:
    """Decoded text plus what is needed to encode it back byte for byte."""

    text: str
    encoding: str = "utf-8"
    bom: bytes = b""
    warnings: tuple[str, ...] = field(default=())

    def encode(self, text: str) -> bytes:
        """``text`` encoded as the input was (same encoding, same BOM)."""
        return self.bom + text.encode(self.encoding)


def _error(name: str, message: str) -> InputError:
    err = InputError(f"{name}: {message}")
    err.path = name
    return err


def decode_bytes(data: bytes, name: str = "<input>") -> Decoded:
    """Decode a document. UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are read directly;
    anything else is detected with charset-normalizer and a warning is recorded. Binary data (NUL
    bytes, or text that decodes to control characters) and undetectable bytes raise InputError."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc)
            except UnicodeDecodeError as e:
                raise _error(name, f"starts with a {enc} byte-order mark but is not valid {enc} ({e.reason} at byte {e.start + len(bom)})") from None
            _check_not_binary(text, name)
            return Decoded(text, enc, bom)
    if b"\x00" in data:
        raise _error(name, "looks like a binary file (contains NUL bytes); mtcheck reads text, Markdown and HTML")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = e.start
    else:
        _check_not_binary(text, name)
        return Decoded(text, "utf-8")
    return _detect(data, name, bad)


def _detect(data: bytes, name: str, bad_offset: int) -> Decoded:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is not None:
        # Equally good candidates are common for short Latin-script text (cp1250 and cp1252 both
        # decode "señaló"); prefer the web's default legacy encoding, as browsers do.
        tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
        for preferred in _PREFERRED:
            pick = next((m for m in tied if preferred in m.could_be_from_charset), None)
            if pick is not None:
                best = pick
                break
    if best is None or best.encoding is None:
        raise _error(name, f"is not valid UTF-8 (bad byte at offset {bad_offset}) and its encoding could not be detected")
    enc = codecs.lookup(_PREFERRED[0] if _PREFERRED[0] in best.could_be_from_charset else best.encoding).name
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        raise _error(name, f"is not valid UTF-8 (bad byte at offset {bad_offset}) and its encoding could not be detected") from None
    _check_not_binary(text, name)
    warning = f"not valid UTF-8 (bad byte at offset {bad_offset}); decoded as {enc} (detected by charset-normalizer)"
    return Decoded(text, enc, b"", (warning,))


def _check_not_binary(text: str, name: str) -> None:
    if not text:
        return
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if "\x00" in sample or controls > _MAX_CONTROL_SHARE * len(sample):
        raise _error(name, "looks like a binary file (control characters); mtcheck reads text, Markdown and HTML")
