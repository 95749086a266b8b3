"""Small helpers several reporters share."""

from __future__ import annotations

from mtcheck.findings import Finding


def last_line(f: Finding) -> int:
    """The last line a finding's span really covers: a span that ends right after a line break
    (a removed line) ends on the line before the one its end offset falls on."""
    if f.end_line > f.line and f.end_column == 1:
        return f.end_line - 1
    return f.end_line


class Unplain(Exception):
    """A value a reporter's string templates do not write exactly as ``json.dumps`` would (the
    reporter then hands that part to the general encoder)."""


def json_scalar(v) -> str:
    """A scalar as ``json.dumps`` writes it; :class:`Unplain` for anything else (a str enum, NaN)."""
    t = type(v)
    if t is str:
        return _ESCAPE(v)
    if t is int:
        return int.__repr__(v)
    if v is None:
        return "null"
    if t is float and v - v == 0:  # finite
        return float.__repr__(v)
    if t is bool:
        return "true" if v else "false"
    raise Unplain


def dumps_indented(obj) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, byte for byte, several times faster.

    An object with a ``json_indented(nl)`` method is written as what that method returns, given
    the line break and indentation of the line it starts on (``"\\n    "``): a reporter's fast path
    for a bulky part whose shape it knows (see ``mtcheck.reporters.json_``).

    With ``indent`` set, the standard library falls back from its C encoder to a pure-Python one
    (about 0.5 s per MB of report). Here containers are walked in Python, but every container that
    holds only scalars (most of a report: spans, counts, fixes) is encoded by the C encoder with the
    line break and indentation as its item separator.
    """
    return "".join(dumps_indented_parts(obj))


def dumps_indented_parts(obj) -> list[str]:
    """:func:`dumps_indented`'s text in pieces, unjoined. A ``json_indented`` method may return a
    list of pieces instead of a string."""
    parts: list[str] = []
    _encode(obj, parts, "\n")
    return parts


def _flat_encoder(nl: str):
    import json.encoder as je

    enc = _FLAT.get(nl)
    if enc is None:
        c_make_encoder = getattr(je, "c_make_encoder", None)
        if c_make_encoder is None:  # no C accelerator: the standard encoder, same output
            enc = je.JSONEncoder(ensure_ascii=False, separators=("," + nl, ": ")).encode
        else:
            enc = _c_encoder(c_make_encoder, je, "," + nl)
        _FLAT[nl] = enc
    return enc


def _c_encoder(c_make_encoder, je, item_separator: str):
    """The C encoder as ``json.JSONEncoder.iterencode`` builds it (``ensure_ascii=False``, NaN allowed)."""

    def default(o):
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    enc = c_make_encoder({}, default, je.encode_basestring, None, ": ", item_separator, False, False, True)
    return lambda o: "".join(enc(o, 0))


_FLAT: dict = {}
_ESCAPE = __import__("json").encoder.encode_basestring
_SCALARS = (str, int, float, bool, type(None))


def _encode(o, parts: list[str], nl: str) -> None:
    if isinstance(o, dict):
        if not o:
            parts.append("{}")
            return
        inner = nl + "  "
        if all(isinstance(v, _SCALARS) for v in o.values()):
            s = _flat_encoder(inner)(o)
            parts.append("{" + inner + s[1:-1] + nl + "}")
            return
        parts.append("{")
        sep = inner
        flat = _flat_encoder(inner)
        run: dict = {}  # scalar members in a row, encoded in one call
        for k, v in o.items():
            if isinstance(v, _SCALARS):
                run[k] = v
                continue
            if run:
                parts.append(sep + flat(run)[1:-1])
                run = {}
                sep = "," + inner
            # '"key": ' (a key that is not a string converted as json does)
            parts.append(sep + (_ESCAPE(k) + ": " if isinstance(k, str) else flat({k: None})[1:-5]))
            sep = "," + inner
            _encode(v, parts, inner)
        if run:
            parts.append(sep + flat(run)[1:-1])
        parts.append(nl + "}")
    elif isinstance(o, (list, tuple)):
        if not o:
            parts.append("[]")
            return
        inner = nl + "  "
        if all(isinstance(v, _SCALARS) for v in o):
            s = _flat_encoder(inner)(list(o))
            parts.append("[" + inner + s[1:-1] + nl + "]")
            return
        parts.append("[")
        sep = inner
        for v in o:
            parts.append(sep)
            sep = "," + inner
            _encode(v, parts, inner)
        parts.append(nl + "]")
    elif hasattr(o, "json_indented"):
        text = o.json_indented(nl)
        if isinstance(text, str):
            parts.append(text)
        else:
            parts.extend(text)
    else:
        parts.append(_flat_encoder(nl)(o))
