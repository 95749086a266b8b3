"""The translation cache: SQLite, keyed by content and model identity.

A key is the sha256 of (normalised sentence, direction, engine identity: engine, version, model,
model checksum and decoding parameters), so a new model or a different beam size never reuses an old
translation. The database runs in WAL mode with a busy timeout and writes each batch in one
transaction: concurrent runs wait for each other instead of failing, and a run killed with SIGKILL
mid-write loses at most its uncommitted batch, never the file.

Location: ``$MTCHECK_CACHE_DIR/translations.sqlite3`` if set, else the user cache directory
(``platformdirs.user_cache_dir("mtcheck")``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from mtcheck.cachedir import default_cache_dir
from mtcheck.errors import MtcheckError
from mtcheck.logs import get_logger
from mtcheck.translate.base import EngineIdentity, Translation, Translator, normalize_sentence, texts_or_raise

log = get_logger("mtcheck.translate")

CACHE_FILENAME = "translations.sqlite3"
#: Milliseconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 60_000
SCHEMA_VERSION = 1
#: SQLite's default limit on host parameters is 999 on old builds; stay under it.
_MAX_PARAMS = 900

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    direction TEXT NOT NULL,
    text TEXT NOT NULL,
    created REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS digests (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    digest TEXT NOT NULL
);
"""


class CacheError(MtcheckError):
    """The cache file cannot be opened or changed (for ``mtcheck cache``; translating commands carry
    on without the cache instead)."""


def default_cache_path() -> Path:
    return default_cache_dir() / CACHE_FILENAME


def cache_key(sentence: str, source: str, target: str, identity: EngineIdentity) -> str:
    """The cache key of one sentence: sha256 over the normalised sentence, the direction and the
    engine identity (engine, version, model, checksum, decoding parameters)."""
    payload = json.dumps(
        [normalize_sentence(sentence), source, target, identity.to_dict()],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TranslationCache:
    """A SQLite store of translations (and model-file digests). Opens the file lazily."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self._conn: sqlite3.Connection | None = None

    # -- connection ------------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError as err:
            # OperationalError: cannot open, locked, read-only... not damage; leave the file alone.
            if isinstance(err, sqlite3.OperationalError) or not self.path.is_file():
                raise
            # Not a database (or damaged beyond use): keep it for inspection, start afresh.
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            log.warning("translation cache %s is unreadable (%s); moved it to %s", self.path, err, aside)
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL is durable against process crashes in WAL mode; only an OS crash can lose
            # the last transactions, which a cache can afford.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            conn.execute("SELECT count(*) FROM translations").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- translations ----------------------------------------------------------------------------

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """Cached texts for the keys that are present."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        for start in range(0, len(keys), _MAX_PARAMS):
            chunk = keys[start:start + _MAX_PARAMS]
            marks = ",".join("?" * len(chunk))
            found.update(self.conn.execute(f"SELECT key, text FROM translations WHERE key IN ({marks})", chunk))
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, str]]) -> int:
        """Store (key, engine, direction, text) rows in one transaction; returns the row count."""
        now = time.time()
        data = [(k, e, d, t, now) for k, e, d, t in rows]
        if not data:
            return 0
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR REPLACE INTO translations(key, engine, direction, text, created) "
                             "VALUES (?, ?, ?, ?, ?)", data)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return len(data)

    def stats(self) -> dict:
        """Entries in total and per (engine, direction), and the size of the files on disk."""
        try:
            return self._stats()
        except (sqlite3.Error, OSError) as err:
            raise CacheError(f"cannot read the translation cache {self.path} ({err}); "
                             f"`mtcheck cache clear` or deleting the file starts a new one") from None

    def _stats(self) -> dict:
        exists = self.path.exists()
        entries = 0
        groups: list[dict] = []
        if exists:
            entries = self.conn.execute("SELECT count(*) FROM translations").fetchone()[0]
            groups = [{"engine": e, "direction": d, "entries": n}
                      for e, d, n in self.conn.execute(
                          "SELECT engine, direction, count(*) FROM translations GROUP BY engine, direction "
                          "ORDER BY engine, direction")]
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {"path": str(self.path), "entries": entries, "bytes": size, "by_engine": groups}

    def clear(self) -> int:
        """Delete every cached translation and digest; returns how many translations were removed."""
        try:
            return self._clear()
        except (sqlite3.Error, OSError) as err:
            raise CacheError(f"cannot clear the translation cache {self.path} ({err}); "
                             f"check its permissions, or delete the file") from None

    def _clear(self) -> int:
        if not self.path.exists():
            return 0
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        n = conn.execute("SELECT count(*) FROM translations").fetchone()[0]
        conn.execute("DELETE FROM translations")
        conn.execute("DELETE FROM digests")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        return n

    # -- file digests (DigestMemo) ---------------------------------------------------------------

    # A digest memo is an optimisation: if the cache cannot be used, hash again instead of failing.

    def get_digest(self, path: str, size: int, mtime_ns: int) -> str | None:
        try:
            row = self.conn.execute("SELECT digest FROM digests WHERE path = ? AND size = ? AND mtime_ns = ?",
                                    (path, size, mtime_ns)).fetchone()
        except (sqlite3.Error, OSError):
            return None
        return row[0] if row else None

    def put_digest(self, path: str, size: int, mtime_ns: int, digest: str) -> None:
        try:
            self.conn.execute("INSERT OR REPLACE INTO digests(path, size, mtime_ns, digest) VALUES (?, ?, ?, ?)",
                              (path, size, mtime_ns, digest))
        except (sqlite3.Error, OSError):
            pass


class CachedTranslator(Translator):
    """Wrap an engine so that only sentences missing from the cache reach it.

    Failed sentences (``Translation.error``) are never cached. ``hits`` and ``misses`` count
    sentences served from the cache and sent to the engine, over the wrapper's lifetime.
    """

    def __init__(self, inner: Translator, cache: TranslationCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.hits = 0
        self.misses = 0
        self._broken = False

    def pairs(self) -> list[tuple[str, str]]:
        return self.inner.pairs()

    def supports(self, source: str, target: str) -> bool:
        return self.inner.supports(source, target)

    def identity(self, source: str, target: str) -> EngineIdentity:
        return self.inner.identity(source, target)

    def translate_batch(self, sentences: list[str], source: str, target: str) -> list[str]:
        return texts_or_raise(self.translate_detailed(sentences, source, target), self.name)

    def translate_detailed(self, sentences: list[str], source: str, target: str) -> list[Translation]:
        ident = self.inner.identity(source, target)
        norm = [normalize_sentence(s) for s in sentences]
        keys = [cache_key(n, source, target, ident) if n else "" for n in norm]
        found = self._lookup([k for k in keys if k])
        missing: dict[str, str] = {}  # key -> sentence, deduplicated, in first-seen order
        for k, n in zip(keys, norm):
            if k and k not in found and k not in missing:
                missing[k] = n
        fresh: dict[str, Translation] = {}
        if missing:
            results = self.inner.translate_detailed(list(missing.values()), source, target)
            fresh = dict(zip(missing.keys(), results))
            direction = f"{source}-{target}"
            self._store([(k, ident.engine, direction, r.text) for k, r in fresh.items() if r.ok])
        out: list[Translation] = []
        for k in keys:
            if not k:
                out.append(Translation(""))
            elif k in found:
                self.hits += 1
                out.append(Translation(found[k], cached=True))
            else:
                self.misses += 1
                out.append(fresh[k])
        return out

    # An unusable cache (read-only directory, full disk) slows a run down; it must not fail it.

    def _lookup(self, keys: list[str]) -> dict[str, str]:
        if self._broken or not keys:
            return {}
        try:
            return self.cache.get_many(keys)
        except (sqlite3.Error, OSError) as err:
            self._give_up(err)
            return {}

    def _store(self, rows: list[tuple[str, str, str, str]]) -> None:
        if self._broken or not rows:
            return
        try:
            self.cache.put_many(rows)
        except (sqlite3.Error, OSError) as err:
            self._give_up(err)

    def _give_up(self, err: Exception) -> None:
        self._broken = True
        log.warning("translation cache %s is unusable (%s); continuing without it", self.cache.path, err)

    def close(self) -> None:
        self.inner.close()
        self.cache.close()
