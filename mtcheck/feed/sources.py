"""Where items come from: an http(s) feed URL, a local feed file (``-``: stdin), or a folder of articles.

A folder is read as a feed whose items are its article files (``.txt``, ``.md``, ``.html``,
``.json``), identified by their path relative to the folder; a ``.json`` file is either one
article object (``title``, ``content_html``/``content_text``/``text``, ``language``, ``url``,
``id``, ``date_published``) or a whole JSON Feed.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from mtcheck.errors import InputError
from mtcheck.feed.http import FetchLimits, fetch
from mtcheck.feed.parse import (
    MAX_ITEMS,
    FeedItem,
    ParsedFeed,
    clean_title,
    finish_feed,
    iso_from_rfc3339,
    normalise_lang,
    parse_feed,
)

ARTICLE_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
                    ".json": "json"}


@dataclass(frozen=True)
class Conditional:
    """Validators from the previous fetch of a feed, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def feed_key(source: str) -> str:
    """The name a feed is remembered by in the state database."""
    if is_url(source):
        return source
    if source == "-":
        return "stdin"
    path = Path(source).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_source(
    source: str,
    *,
    limits: FetchLimits | None = None,
    max_items: int = MAX_ITEMS,
    conditional: Conditional | None = None,
) -> ParsedFeed:
    """Read a SOURCE into a :class:`ParsedFeed` (raises :class:`InputError` when it is unusable)."""
    limits = limits or FetchLimits()
    started = time.monotonic()
    if is_url(source):
        resp = fetch(source, limits, headers=conditional.headers() if conditional else None)
        if resp.not_modified:
            return ParsedFeed(source=source, not_modified=True, etag=conditional.etag if conditional else None,
                              last_modified=conditional.last_modified if conditional else None)
        feed = parse_feed(resp.body, resp.url, content_type=resp.content_type, max_items=max_items,
                          timeout=_left(limits, started))
        feed.source = source
        feed.etag = resp.headers.get("etag")
        feed.last_modified = resp.headers.get("last-modified")
        return feed
    if source == "-":
        import sys

        data = sys.stdin.buffer.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            raise InputError(f"stdin: exceeds the {limits.max_bytes:,}-byte cap")
        return parse_feed(data, "stdin", max_items=max_items, timeout=_left(limits, started))
    if "://" in source:
        raise InputError(f"{source}: only http(s) URLs, feed files and folders can be audited")
    path = Path(source)
    if path.is_dir():
        return load_folder(path, limits=limits, max_items=max_items)
    return parse_feed(read_capped(path, limits.max_bytes), source, max_items=max_items, timeout=_left(limits, started))


def _left(limits: FetchLimits, started: float) -> float:
    """What is left of the deadline for parsing (at least a second: the fetch may have used it all)."""
    return max(1.0, limits.deadline - (time.monotonic() - started))


def read_capped(path: Path, cap: int) -> bytes:
    """A file's bytes, refusing files over ``cap`` bytes."""
    try:
        size = path.stat().st_size
        if size > cap:
            raise InputError(f"{path}: {size:,} bytes exceeds the {cap:,}-byte cap")
        with path.open("rb") as fh:
            data = fh.read(cap + 1)
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    if len(data) > cap:
        raise InputError(f"{path}: exceeds the {cap:,}-byte cap")
    return data


def load_folder(folder: Path, *, limits: FetchLimits, max_items: int = MAX_ITEMS) -> ParsedFeed:
    """Every article file under ``folder`` (recursively, sorted by path) as a feed item."""
    feed = ParsedFeed(source=str(folder), kind="folder", title=folder.name)
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
         and not any(part.startswith(".") for part in p.relative_to(folder).parts)),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    for path in files:
        rel = path.relative_to(folder).as_posix()
        try:
            data = read_capped(path, limits.max_bytes)
            feed.items.extend(_items_from_file(path, rel, data, feed, _display_path(folder, path)))
        except InputError as e:
            feed.warnings.append(f"{rel}: skipped: {_reason(e, path)}")
    if not feed.items and not feed.warnings:
        raise InputError(f"{folder}: no article files ({', '.join(sorted(ARTICLE_SUFFIXES))})")
    finish_feed(feed, max_items)
    return feed


def _reason(e: InputError, path: Path) -> str:
    text = str(e)
    prefix = f"{path}: "
    return text[len(prefix):] if text.startswith(prefix) else text


def _display_path(folder: Path, path: Path) -> str:
    """The file as the user named the folder (``articles/a.txt``): what reports and baselines show.
    The guid stays relative to the folder, so moving the folder keeps the state."""
    return (Path(str(folder)) / path.relative_to(folder)).as_posix()


def _items_from_file(path: Path, rel: str, data: bytes, feed: ParsedFeed, shown: str) -> list[FeedItem]:
    kind = ARTICLE_SUFFIXES[path.suffix.lower()]
    if kind == "json":
        return _items_from_json(path, rel, data, feed, shown)
    text = decode_text(data, path)
    return [FeedItem(guid=rel, title=_headline(text, kind), link=shown, content=text, fmt=kind, headline_in_body=True)]


def _items_from_json(path: Path, rel: str, data: bytes, feed: ParsedFeed, shown: str) -> list[FeedItem]:
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise InputError(f"{path}: invalid JSON: {getattr(e, 'msg', None) or e}") from None
    if isinstance(obj, dict) and isinstance(obj.get("items"), list) and "version" in obj:
        sub = parse_feed(data, rel)
        feed.warnings.extend(f"{rel}: {w}" for w in sub.warnings if "no date" not in w)
        for item in sub.items:
            item.guid = f"{rel}#{item.guid}"
        return sub.items
    if not isinstance(obj, dict):
        raise InputError(f"{path}: a JSON article must be an object")
    html_body = _s(obj.get("content_html")) or _s(obj.get("html"))
    text_body = _s(obj.get("content_text")) or _s(obj.get("text")) or _s(obj.get("content")) or _s(obj.get("body"))
    if not (html_body or text_body):
        raise InputError(f"{path}: no article text (content_html, content_text, text, content or body)")
    return [FeedItem(
        guid=_s(obj.get("id")) or _s(obj.get("guid")) or rel,
        title=clean_title(_s(obj.get("title"))),
        link=_s(obj.get("url")) or _s(obj.get("link")) or shown,
        published=iso_from_rfc3339(_s(obj.get("date_published")) or _s(obj.get("published")) or _s(obj.get("date"))),
        language=normalise_lang(obj.get("language") or obj.get("lang") or obj.get("target_lang")),
        content=html_body or text_body,
        fmt="html" if html_body else "text",
    )]


def _s(value) -> str:
    return value if isinstance(value, str) else ""


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_HTML_TITLE = re.compile(r"<(title|h1)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)


def _headline(text: str, kind: str) -> str:
    if kind == "html":
        m = _HTML_TITLE.search(text[:65536])
        return clean_title(m.group(2)) if m else ""
    if kind == "markdown":
        m = _MD_HEADING.search(text[:65536])
        if m:
            return m.group(1).strip()
    for line in text[:65536].splitlines():
        if line.strip():
            return " ".join(line.split())[:200]
    return ""


def decode_text(data: bytes, path: Path | str) -> str:
    """Decode an article file as ``mtcheck scan`` would (UTF-8, BOMs, detected encodings)."""
    from mtcheck.io.decode import decode_bytes

    return decode_bytes(data, str(path)).text
