"""What ``mtcheck feed`` remembers between runs, in one SQLite file (default ``.mtcheck/state.db``).

Tables:

``feeds``   one row per feed: its HTTP validators (ETag, Last-Modified) for conditional GETs.
``items``   the latest audit of each item, keyed by (feed, guid), with the item's content hash and
            the *audit key* (a hash of everything that changes findings: mtcheck version, rule
            selection, languages, engine). An item is re-audited when either hash differs.
``runs``    one row per run: when, how many items were seen, audited, failed.
``history`` one row per item audit, kept over time: what ``mtcheck feed-report`` reads for trends.

Items whose audit failed with an error (an article page that would not download) are not stored
in ``items``, so the next run tries them again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mtcheck.errors import InputError

#: Default location, relative to the working directory.
DEFAULT_STATE_PATH = Path(".mtcheck") / "state.db"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    feed          TEXT PRIMARY KEY,
    title         TEXT,
    etag          TEXT,
    last_modified TEXT,
    audit_key     TEXT,
    last_run      INTEGER
);
CREATE TABLE IF NOT EXISTS runs (
    id            INTEGER PRIMARY KEY,
    feed          TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    audit_key     TEXT NOT NULL,
    version       TEXT NOT NULL,
    items_seen    INTEGER DEFAULT 0,
    items_audited INTEGER DEFAULT 0,
    items_failed  INTEGER DEFAULT 0,
    items_errored INTEGER DEFAULT 0,
    warnings      TEXT DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS items (
    feed          TEXT NOT NULL,
    guid          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    audit_key     TEXT NOT NULL,
    title         TEXT,
    link          TEXT,
    published     TEXT,
    language      TEXT,
    first_seen    TEXT NOT NULL,
    last_audited  TEXT NOT NULL,
    last_run      INTEGER,
    words         INTEGER,
    findings      INTEGER,
    score         REAL,
    fidelity      REAL,
    passed        INTEGER,
    PRIMARY KEY (feed, guid)
);
CREATE TABLE IF NOT EXISTS history (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    feed          TEXT NOT NULL,
    guid          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    audited_at    TEXT NOT NULL,
    title         TEXT,
    link          TEXT,
    language      TEXT,
    words         INTEGER NOT NULL,
    findings      INTEGER NOT NULL,
    errors        INTEGER NOT NULL,
    warnings      INTEGER NOT NULL,
    infos         INTEGER NOT NULL,
    score         REAL,
    fidelity      REAL,
    passed        INTEGER NOT NULL,
    codes         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS history_feed_time ON history (feed, audited_at);
"""


def utcnow() -> str:
    """Now, as the ISO 8601 UTC string every timestamp in the database uses."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class KnownItem:
    content_hash: str
    audit_key: str


@dataclass(frozen=True)
class HistoryRow:
    """One audit of one item, as ``feed-report`` reads it."""

    feed: str
    guid: str
    audited_at: str
    title: str
    link: str | None
    language: str | None
    words: int
    findings: int
    errors: int
    warnings: int
    infos: int
    score: float | None
    fidelity: float | None
    passed: bool
    codes: dict


class State:
    """The state database. Use as a context manager; every write is committed at once."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), timeout=30)
            self.db.execute("PRAGMA busy_timeout = 30000")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise InputError(
                    f"{self.path}: state database schema {version} is newer than this mtcheck understands "
                    f"({SCHEMA_VERSION}); upgrade mtcheck or use another --state"
                )
            with self.db:
                self.db.executescript(_SCHEMA)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as e:
            raise InputError(f"{self.path}: not an mtcheck state database ({e})") from None
        except OSError as e:
            raise InputError(f"{self.path}: cannot open the state database: {e.strerror or e}") from None

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- feeds and items -------------------------------------------------------------------------

    def validators(self, feed: str) -> tuple[str | None, str | None, str | None]:
        """(etag, last_modified, audit_key) of the last complete run of ``feed``."""
        row = self.db.execute("SELECT etag, last_modified, audit_key FROM feeds WHERE feed = ?", (feed,)).fetchone()
        return (row[0], row[1], row[2]) if row else (None, None, None)

    def known(self, feed: str) -> dict[str, KnownItem]:
        """Items already audited for ``feed``, by guid."""
        rows = self.db.execute("SELECT guid, content_hash, audit_key FROM items WHERE feed = ?", (feed,))
        return {g: KnownItem(h, k) for g, h, k in rows}

    def begin_run(self, feed: str, audit_key: str, version: str) -> int:
        with self.db:
            cur = self.db.execute(
                "INSERT INTO runs (feed, started_at, audit_key, version) VALUES (?, ?, ?, ?)",
                (feed, utcnow(), audit_key, version),
            )
        return int(cur.lastrowid)

    def record(self, run_id: int, feed: str, entries: Iterable[dict]) -> None:
        """Store item audits: ``entries`` are dicts with the ``items``/``history`` columns."""
        now = utcnow()
        with self.db:
            for e in entries:
                self.db.execute(
                    """INSERT INTO items (feed, guid, content_hash, audit_key, title, link, published, language,
                                          first_seen, last_audited, last_run, words, findings, score, fidelity, passed)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (feed, guid) DO UPDATE SET
                         content_hash = excluded.content_hash, audit_key = excluded.audit_key,
                         title = excluded.title, link = excluded.link, published = excluded.published,
                         language = excluded.language, last_audited = excluded.last_audited,
                         last_run = excluded.last_run, words = excluded.words, findings = excluded.findings,
                         score = excluded.score, fidelity = excluded.fidelity, passed = excluded.passed""",
                    (feed, e["guid"], e["content_hash"], e["audit_key"], e["title"], e["link"], e["published"],
                     e["language"], now, now, run_id, e["words"], e["findings"], e["score"], e["fidelity"],
                     int(e["passed"])),
                )
                self.db.execute(
                    """INSERT INTO history (run_id, feed, guid, content_hash, audited_at, title, link, language,
                                            words, findings, errors, warnings, infos, score, fidelity, passed, codes)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (run_id, feed, e["guid"], e["content_hash"], now, e["title"], e["link"], e["language"],
                     e["words"], e["findings"], e["errors"], e["warnings"], e["infos"], e["score"], e["fidelity"],
                     int(e["passed"]), json.dumps(e.get("codes", {}), sort_keys=True)),
                )

    def finish_run(
        self,
        run_id: int,
        feed: str,
        *,
        title: str | None,
        etag: str | None,
        last_modified: str | None,
        audit_key: str | None,
        seen: int,
        audited: int,
        failed: int,
        errored: int,
        warnings: list[str],
    ) -> None:
        with self.db:
            self.db.execute(
                """UPDATE runs SET finished_at = ?, items_seen = ?, items_audited = ?, items_failed = ?,
                                   items_errored = ?, warnings = ? WHERE id = ?""",
                (utcnow(), seen, audited, failed, errored, json.dumps(warnings), run_id),
            )
            self.db.execute(
                """INSERT INTO feeds (feed, title, etag, last_modified, audit_key, last_run) VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (feed) DO UPDATE SET title = COALESCE(excluded.title, feeds.title),
                     etag = excluded.etag, last_modified = excluded.last_modified, audit_key = excluded.audit_key,
                     last_run = excluded.last_run""",
                (feed, title, etag, last_modified, audit_key, run_id),
            )

    # -- reading history -------------------------------------------------------------------------

    def feeds(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT feed FROM history ORDER BY feed")]

    def history(self, since: str | None = None, feed: str | None = None) -> list[HistoryRow]:
        """History rows at or after ``since`` (ISO UTC), oldest first, optionally for one feed."""
        sql = """SELECT feed, guid, audited_at, title, link, language, words, findings, errors, warnings, infos,
                        score, fidelity, passed, codes FROM history WHERE 1 = 1"""
        args: list = []
        if since:
            sql += " AND audited_at >= ?"
            args.append(since)
        if feed:
            sql += " AND feed = ?"
            args.append(feed)
        sql += " ORDER BY audited_at, id"
        return [
            HistoryRow(r[0], r[1], r[2], r[3] or "", r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
                       bool(r[13]), json.loads(r[14] or "{}"))
            for r in self.db.execute(sql, args)
        ]

    def runs(self, since: str | None = None, feed: str | None = None) -> list[dict]:
        sql = "SELECT id, feed, started_at, items_seen, items_audited, items_failed, items_errored FROM runs WHERE 1 = 1"
        args: list = []
        if since:
            sql += " AND started_at >= ?"
            args.append(since)
        if feed:
            sql += " AND feed = ?"
            args.append(feed)
        keys = ("id", "feed", "started_at", "seen", "audited", "failed", "errored")
        return [dict(zip(keys, r)) for r in self.db.execute(sql + " ORDER BY id", args)]
