"""Compiled regular expressions kept between runs, as Python keeps compiled modules in ``__pycache__``.

``re.compile`` parses each pattern and generates the regex engine's code for it in every new
process. A one-article ``mtcheck scan`` compiles some 130 patterns, many of them alternations built
from word lists: about 15 ms of a 130 ms run. :func:`install` reads the engine code an earlier run
produced and puts each pattern, rebuilt by ``_sre.compile`` without parsing (all 130 in under a
millisecond), into ``re``'s own cache, where ``re.compile`` finds it: nothing else changes, and
a pattern behaves exactly as if it had been compiled in this process. Patterns the file does not
hold are compiled as usual and written out at exit (atomically: a run killed mid-write leaves the
previous file or none, never a torn one).

The file lives in mtcheck's cache folder (:func:`mtcheck.cachedir.default_cache_dir`, shared with
the translation cache) and is keyed by the interpreter (``sys.implementation.cache_tag``) and
the regex engine's ``_sre.MAGIC``. Anything unexpected (a damaged or foreign file, a read-only
folder, ``re`` internals that moved in a new Python) turns the cache off for the run: patterns
compile as usual. ``MTCHECK_REGEX_CACHE=0`` turns it off.
"""

from __future__ import annotations

import os
import sys

#: At most this many patterns are kept (``re`` itself caches 512), and at most this many bytes of
#: engine code: the patterns a run used come first, then the newest (see :func:`save`).
MAX_PATTERNS = 400
MAX_CODE_BYTES = 400_000
#: Bumped when the file's layout changes.
FORMAT = 1

_state: dict = {"installed": False, "path": None, "known": set(), "new": {}, "used": set()}


def cache_path() -> str | None:
    """The cache file for this interpreter, or None when it cannot be named."""
    try:
        import _sre

        from mtcheck.cachedir import default_cache_dir

        base = str(default_cache_dir())
        if not os.path.isabs(base):  # no home directory to expand "~" in
            return None
        tag = sys.implementation.cache_tag or "python"
        return os.path.join(base, f"regex-{tag}-{_sre.MAGIC}-{sys.byteorder}-v{FORMAT}.marshal")
    except Exception:  # no _sre, no home: no cache
        return None


def install() -> bool:
    """Load the cached patterns into ``re``'s cache and record new ones for :func:`save` (at exit).
    Returns whether the cache is in use. Calling it again does nothing."""
    if _state["installed"]:
        return True
    if os.environ.get("MTCHECK_REGEX_CACHE", "1") == "0":
        return False
    try:
        import re
        import re._compiler as compiler
        import re._parser as parser

        import _sre

        if not (isinstance(getattr(re, "_cache", None), dict) and hasattr(compiler, "_code")
                and hasattr(parser, "parse") and callable(getattr(compiler, "compile", None))):
            return False
    except ImportError:
        return False
    from array import array

    path = cache_path()
    if path is None or array("I").itemsize != 4:  # the engine's code words are 32-bit
        return False
    _state["path"] = path
    for key, args in _read(path):
        try:
            pattern = _sre.compile(*args)
        except Exception:  # code from another engine version: compile that one as usual
            continue
        re._cache[(type(key[0]), key[0], key[1])] = pattern
        _state["known"].add(key)
    original = compiler.compile
    lookup = re._compile
    known, used = _state["known"], _state["used"]

    def compile_noting_use(pattern, flags):
        # re.compile and re.search(str, …) come here first (a few hundred calls in a 1 MB scan):
        # which cached patterns this run asked for decides which ones the file keeps.
        try:
            if (pattern, flags) in known:
                used.add((pattern, int(flags)))
        except TypeError:  # not a pattern: re says so, in its words
            pass
        return lookup(pattern, flags)

    def compile_and_record(p, flags=0):
        if type(p) is not str or len(_state["new"]) >= MAX_PATTERNS:
            return original(p, flags)
        # re._compiler.compile, keeping what it hands to _sre.compile.
        parsed = parser.parse(p, flags)
        code = [int(c) for c in compiler._code(parsed, flags)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        args = (p, int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        compiled = _sre.compile(*args)
        if not flags & compiler.SRE_FLAG_DEBUG:
            _state["new"][(p, int(flags))] = args
        return compiled

    compiler.compile = compile_and_record
    re._compile = compile_noting_use
    _state["installed"] = True
    import atexit

    atexit.register(save)
    return True


def save() -> None:
    """Write the file again if this run compiled patterns it did not hold.

    Kept, up to :data:`MAX_PATTERNS` and :data:`MAX_CODE_BYTES`: the new patterns, then those of
    the file this run used, then the others, most recently written first. Patterns built from
    one document's words, which no later run asks for, so age out, while every command's own
    patterns stay."""
    path = _state["path"]
    new = _state["new"]
    if not new or path is None:
        return
    used = _state["used"]
    old = [(k, a) for k, a in _read(path) if k not in new]
    order = [e for e in old if e[0] not in used] + [e for e in old if e[0] in used] + list(new.items())
    items, size = [], 0
    for key, args in reversed(order):
        size += 4 * len(args[2]) + len(key[0])
        if len(items) >= MAX_PATTERNS or size > MAX_CODE_BYTES:
            break
        items.append((key, args))
    items.reverse()
    _state["known"].update(new)
    _state["new"] = {}
    import marshal

    # Not tempfile.mkstemp: importing tempfile costs more than this whole module saves per run.
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps([FORMAT, [[k[0], k[1], _packed(a)] for k, a in items]]))
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, ValueError):  # a read-only or full disk: no cache, nothing else changes
        pass


def _read(path: str) -> list[tuple[tuple[str, int], tuple]]:
    """The file's entries, checked for shape (only strings, ints, lists and dicts: a file that
    holds anything else is not ours and is ignored whole)."""
    try:
        import marshal

        with open(path, "rb") as f:
            data = marshal.loads(f.read())  # marshal.load(f) reads item by item: 30 times slower
    except (OSError, EOFError, ValueError, TypeError):
        return []
    if not (isinstance(data, list) and len(data) == 2 and data[0] == FORMAT and isinstance(data[1], list)):
        return []
    out = []
    for entry in data[1]:
        if not _well_formed(entry):
            return []
        pattern, flags, (p, final_flags, code, groups, groupindex, indexgroup) = entry
        out.append(((pattern, flags), (p, final_flags, _unpacked(code), groups, groupindex, tuple(indexgroup))))
    return out


def _packed(args: tuple) -> list:
    """``_sre.compile``'s arguments as stored: the code as the bytes of 32-bit words (a list of
    ints loads one object at a time)."""
    from array import array

    p, final_flags, code, groups, groupindex, indexgroup = args
    return [p, final_flags, array("I", code).tobytes(), groups, groupindex, list(indexgroup)]


def _unpacked(code: bytes) -> list[int]:
    from array import array

    words = array("I")
    words.frombytes(code)
    return words.tolist()


def _well_formed(entry) -> bool:
    try:
        pattern, flags, args = entry
        p, final_flags, code, groups, groupindex, indexgroup = args
    except (TypeError, ValueError):
        return False
    return (
        type(pattern) is str and p == pattern and type(flags) is int and type(final_flags) is int
        and type(groups) is int and type(code) is bytes and len(code) % 4 == 0
        and type(groupindex) is dict and all(type(k) is str and type(v) is int for k, v in groupindex.items())
        and type(indexgroup) is list and all(x is None or type(x) is str for x in indexgroup)
    )
