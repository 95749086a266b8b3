"""Baselines: record today's findings so CI fails only on new ones.

``mtcheck scan --write-baseline FILE`` stores a fingerprint of every finding; ``--baseline FILE``
drops findings whose fingerprint is in the file. A fingerprint is the rule code, the document path
(relative to the baseline file's folder, with ``/``), the offending text and a little context
around it (whitespace-normalised, never crossing a paragraph break), so it survives lines being
added or removed elsewhere in the file, but not an edit to the flagged passage itself. Identical
fingerprints are counted: a baseline with two copies of a finding absorbs two, and a third copy
is new.

The file is JSON (``version`` 1), written atomically, sorted so it diffs well in review::

    {"version": 1, "tool": "mtcheck", "findings": [
      {"fingerprint": "…", "code": "Q101", "path": "corpora/a.txt", "text": "\\"d", "context": "…", "count": 1}]}
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from mtcheck.errors import InputError
from mtcheck.findings import Finding
from mtcheck.io.atomic import atomic_write_bytes
from mtcheck.results import DocumentResult

BASELINE_VERSION = 1
#: Characters of context kept on each side of a finding (never crossing a paragraph break).
CONTEXT_CHARS = 24
_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")


@dataclass
class Baseline:
    """Fingerprints and how many findings each one covers; ``entries`` keeps the readable fields."""

    counts: Counter = field(default_factory=Counter)
    entries: dict[str, dict] = field(default_factory=dict)
    path: str | None = None

    def __len__(self) -> int:
        return sum(self.counts.values())


def _norm_ws(s: str) -> str:
    return " ".join(s.split())


def _doc_path(path: str | None, base_dir: Path | None) -> str:
    if not path or path == "-":
        return "<stdin>"
    if "://" in path:  # a feed item's link: the same wherever the baseline lives
        return path
    if base_dir is not None:
        try:
            rel = os.path.relpath(os.path.abspath(path), base_dir)
            if not rel.startswith(".."):
                return Path(rel).as_posix()
        except ValueError:  # another drive on Windows
            pass
    return Path(path).as_posix()


def finding_context(result: DocumentResult, f: Finding) -> str:
    """The whitespace-normalised text around a finding (without the finding itself)."""
    doc = result.document
    if doc is None:
        return ""
    src = doc.original
    before = _BLANK_LINE.split(src[max(0, f.start - CONTEXT_CHARS) : f.start])[-1]
    after = _BLANK_LINE.split(src[f.end : f.end + CONTEXT_CHARS])[0]
    return _norm_ws(before) + "⟦⟧" + _norm_ws(after)


def fingerprint(code: str, path: str, text: str, context: str) -> str:
    h = hashlib.sha256("\x1f".join((code, path, _norm_ws(text), context)).encode("utf-8"))
    return h.hexdigest()[:32]


def _entries(results: list[DocumentResult], base_dir: Path | None):
    for res in results:
        if res.error is not None:
            continue
        path = _doc_path(res.path, base_dir)
        for f in res.findings:
            ctx = finding_context(res, f)
            yield fingerprint(f.code, path, f.text, ctx), {"code": f.code, "path": path, "text": f.text, "context": ctx}


def build_baseline(results: list[DocumentResult], base_dir: str | os.PathLike | None = None) -> Baseline:
    base = Path(base_dir).resolve() if base_dir is not None else None
    b = Baseline()
    for fp, entry in _entries(results, base):
        b.counts[fp] += 1
        b.entries.setdefault(fp, entry)
    return b


def write_baseline(results: list[DocumentResult], path: str | os.PathLike) -> Baseline:
    """Write the fingerprints of every finding in ``results`` to ``path`` (atomically)."""
    p = Path(path)
    b = build_baseline(results, p.resolve().parent)
    items = [
        {"fingerprint": fp, **b.entries[fp], "count": n}
        for fp, n in sorted(b.counts.items(), key=lambda kv: (b.entries[kv[0]]["path"], b.entries[kv[0]]["code"], kv[0]))
    ]
    payload = {"version": BASELINE_VERSION, "tool": "mtcheck", "findings": items}
    atomic_write_bytes(p, (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    b.path = str(p)
    return b


def load_baseline(path: str | os.PathLike) -> Baseline:
    """Read a baseline file; a missing, unreadable or malformed file is an :class:`InputError`."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _err(p, "baseline file not found (create it with --write-baseline)") from None
    except OSError as e:
        raise _err(p, f"cannot read baseline: {e.strerror or e}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _err(p, f"not a baseline file (invalid JSON: {e})") from None
    if not isinstance(data, dict) or data.get("tool") != "mtcheck" or not isinstance(data.get("findings"), list):
        raise _err(p, "not an mtcheck baseline file")
    if data.get("version") != BASELINE_VERSION:
        raise _err(p, f"baseline version {data.get('version')!r} is not supported (expected {BASELINE_VERSION}); rewrite it with --write-baseline")
    b = Baseline(path=str(p))
    for item in data["findings"]:
        try:
            fp, n = str(item["fingerprint"]), int(item.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise _err(p, "malformed baseline entry") from None
        b.counts[fp] += n
        b.entries[fp] = {k: item.get(k) for k in ("code", "path", "text", "context")}
    return b


def _err(p: Path, msg: str) -> InputError:
    e = InputError(f"{p}: {msg}")
    e.path = str(p)
    return e


def apply_baseline(results: list[DocumentResult], baseline: Baseline) -> list[DocumentResult]:
    """Results without the findings the baseline knows (each fingerprint absorbs at most its
    count). Scores are recomputed; ``meta["baselined"]`` says how many findings were dropped."""
    from mtcheck.scoring.quality import quality_score

    base_dir = Path(baseline.path).resolve().parent if baseline.path else None
    left = Counter(baseline.counts)
    out = []
    for res in results:
        if res.error is not None or not res.findings:
            out.append(res)
            continue
        path = _doc_path(res.path, base_dir)
        kept = []
        for f in res.findings:
            fp = fingerprint(f.code, path, f.text, finding_context(res, f))
            if left[fp] > 0:
                left[fp] -= 1
            else:
                kept.append(f)
        dropped = len(res.findings) - len(kept)
        if dropped:
            meta = {**res.meta, "baselined": dropped}
            res = replace(res, findings=kept, meta=meta, quality=quality_score(kept, res.words) if res.quality else None)
        out.append(res)
    return out
