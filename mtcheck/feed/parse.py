"""Feed bytes → :class:`ParsedFeed`: safety checks, then feedparser (RSS 0.9x/1.0/2.0, Atom 1.0) or
our own JSON Feed 1.0/1.1 reader (feedparser 6.0 does not read JSON Feed).

Safety comes first: :func:`check_xml_safety` rejects any DOCTYPE that declares entities (billion
laughs, quadratic blow-up, external entities pointing at files or URLs) *before* feedparser sees the
bytes, using defusedxml's parser and stopping at the root element, so a hostile feed costs
microseconds and causes no file or network access. A plain ``<!DOCTYPE rss PUBLIC …>`` (RSS 0.91)
is allowed: nothing is ever fetched for it.

Ill-formed XML is not fatal: feedparser's lenient parser recovers what it can ("bozo"), the feed
gets a warning saying so, and every parsable item is still audited.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from mtcheck.errors import InputError
from mtcheck.translate.langcodes import normalize as normalize_lang

#: Default cap on items taken from one feed.
MAX_ITEMS = 1000


class UnsafeFeedError(InputError):
    """The feed declares XML entities (entity expansion or external entities) and is refused."""


@dataclass
class FeedItem:
    """One article to audit. ``content`` is in ``fmt`` (``html``, ``text`` or ``markdown``)."""

    guid: str
    title: str = ""
    link: str | None = None
    published: str | None = None
    language: str | None = None
    content: str = ""
    fmt: str = "html"
    warnings: list[str] = field(default_factory=list)
    #: True when ``content`` already starts with the headline (an article file).
    headline_in_body: bool = False

    def document_text(self) -> str:
        """The text that is audited: the headline, then the body, in the body's format."""
        title = " ".join(self.title.split())
        if not title or self.headline_in_body:
            return self.content
        if not self.content.strip():
            return title if self.fmt != "html" else f"<h1>{_html_escape(title)}</h1>"
        if self.fmt == "html":
            return f"<h1>{_html_escape(title)}</h1>\n{self.content}"
        if self.fmt == "markdown":
            return f"# {title}\n\n{self.content}"
        return f"{title}\n\n{self.content}"

    def content_hash(self) -> str:
        """SHA-256 of the audited text, link and date: a change to any of them re-audits the item
        (with ``--fetch-articles`` an edited page is noticed when its feed item changes)."""
        h = hashlib.sha256()
        h.update(self.document_text().encode("utf-8", "surrogatepass"))
        for part in (self.link, self.published):
            h.update(b"\0" + (part or "").encode("utf-8", "surrogatepass"))
        return h.hexdigest()


@dataclass
class ParsedFeed:
    """A feed's items and what went wrong reading it (``warnings`` never stop the audit)."""

    source: str
    kind: str = ""
    title: str | None = None
    language: str | None = None
    items: list[FeedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    total_items: int = 0


# -- safety --------------------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_ENTITY_DECL = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")


class _ReachedRoot(Exception):
    pass


class _StopAtRoot:
    """An ElementTree parser target that stops parsing at the first start tag: everything that can
    declare an entity (the DOCTYPE) comes before it."""

    def start(self, tag, attrib):
        raise _ReachedRoot

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return None


def check_xml_safety(data: bytes, source: str) -> None:
    """Raise :class:`UnsafeFeedError` when the XML declares entities (internal or external)."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(data)
        parser.close()
    except _ReachedRoot:
        return
    except (EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden) as e:
        raise UnsafeFeedError(
            f"{source}: refused: the feed declares XML entities ({_entity_name(e)}); entity expansion "
            "and external entities are disabled"
        ) from None
    except (ParseError, ValueError, LookupError):
        pass  # ill-formed or oddly encoded before the root: fall back to a textual check
    head = _decode_head(data[:65536])
    root = _FIRST_ELEMENT.search(head)
    if _ENTITY_DECL.search(head[: root.start()] if root else head):
        raise UnsafeFeedError(
            f"{source}: refused: the feed declares XML entities; entity expansion and external entities are disabled"
        )


def _entity_name(e: Exception) -> str:
    name = getattr(e, "name", None)
    sysid = getattr(e, "sysid", None)
    if sysid:
        return f"external entity {name!r} → {sysid}"
    return f"entity {name!r}" if name else type(e).__name__


def _decode_head(data: bytes) -> str:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    if data[:4] == b"<\x00?\x00":
        return data.decode("utf-16-le", errors="replace")
    if data[:4] == b"\x00<\x00?":
        return data.decode("utf-16-be", errors="replace")
    return data.decode("latin-1")


# -- parsing -------------------------------------------------------------------------------------


def parse_feed(data: bytes, source: str, *, content_type: str = "", max_items: int = MAX_ITEMS,
               timeout: float | None = None) -> ParsedFeed:
    """Parse feed bytes (XML or JSON Feed). Raises :class:`InputError` when nothing usable is there,
    or when parsing takes longer than ``timeout`` seconds (feedparser reads about 0.3 MB/s; a
    hostile 20 MB feed of nested tags would otherwise hold a CI job for minutes)."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"[") or "json" in content_type.lower():
        feed = parse_json_feed(data, source)
    else:
        check_xml_safety(data, source)
        feed = _within(timeout, source, len(data), _parse_xml_feed, data, source, content_type)
    finish_feed(feed, max_items)
    return feed


def _within(timeout: float | None, source: str, size: int, fn, *args):
    """``fn(*args)``, or :class:`InputError` when it runs past ``timeout`` seconds. The parse runs
    in a daemon thread that is abandoned on timeout (the command then ends with the error)."""
    if timeout is None:
        return fn(*args)
    import threading

    box: dict = {}

    def work():
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = e

    thread = threading.Thread(target=work, name="feed-parse", daemon=True)
    thread.start()
    thread.join(max(0.0, timeout))
    if thread.is_alive():
        raise InputError(f"{source}: parsing {size:,} bytes took longer than the {timeout:g}s deadline")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _parse_xml_feed(data: bytes, source: str, content_type: str) -> ParsedFeed:
    import feedparser

    headers = {"content-type": content_type} if content_type else {}
    if source.startswith(("http://", "https://")):
        headers["content-location"] = source  # the base for relative links
    # A stream, never a str: feedparser would treat a str as a URL or a file name and open it.
    # Item HTML is only ever read for its text (the HTML loader skips scripts and styles, reports
    # escape everything), so feedparser's sanitising and URI-rewriting passes are not needed.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, resolve_relative_uris=False,
                              sanitize_html=False)
    feed = ParsedFeed(source=source, kind=parsed.get("version") or "")
    meta = parsed.get("feed", {})
    feed.title = clean_title(meta.get("title", "")) or None
    feed.language = normalise_lang(meta.get("language"))
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        feed.warnings.append(_describe_bozo(exc, len(parsed.entries)))
    if not parsed.entries and not feed.kind:
        raise InputError(f"{source}: not a feed (no RSS, Atom or JSON Feed items found)")
    for n, entry in enumerate(parsed.entries, 1):
        feed.items.append(_item_from_entry(entry, n, feed.language))
    return feed


_SAX_PREFIX = re.compile(r"^<unknown>:\d+:\d+:\s*")


def _describe_bozo(exc, n_items: int) -> str:
    import feedparser

    name = type(exc).__name__
    text = _SAX_PREFIX.sub("", " ".join(str(exc).split())) or name
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return f"wrong encoding: {text}"
    if isinstance(exc, feedparser.CharacterEncodingUnknown):
        return f"unknown encoding: {text}"
    if isinstance(exc, feedparser.NonXMLContentType):
        return f"served with a non-XML content type: {text}"
    where = ""
    if hasattr(exc, "getLineNumber"):
        try:
            where = f" at line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
        except Exception:  # noqa: BLE001 - position is a nicety
            where = ""
    return f"ill-formed XML{where}: {text}; {n_items} item{'s' if n_items != 1 else ''} recovered by the lenient parser"


def _item_from_entry(entry, n: int, feed_lang: str | None) -> FeedItem:
    title = clean_title(entry.get("title", ""))
    link = entry.get("link") or None
    content, fmt, lang = "", "html", None
    for c in entry.get("content") or ():  # content:encoded, Atom <content>
        if c.get("value", "").strip():
            content, fmt, lang = c["value"], _fmt_of(c.get("type")), c.get("language")
            break
    if not content and entry.get("summary", "").strip():
        detail = entry.get("summary_detail") or {}
        content, fmt, lang = entry["summary"], _fmt_of(detail.get("type")), detail.get("language")
    if not lang:
        lang = (entry.get("title_detail") or {}).get("language") or entry.get("language")
    guid = (entry.get("id") or "").strip() or link or ""
    item = FeedItem(
        guid=guid,
        title=title,
        link=link,
        published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        language=normalise_lang(lang) or feed_lang,
        content=content,
        fmt=fmt,
    )
    if not guid:
        item.guid = "sha256:" + item.content_hash()[:16]
        item.warnings.append(f"item {n} has no guid or link; identified by its content hash")
    return item


def _fmt_of(mime: str | None) -> str:
    mime = (mime or "text/html").lower()
    if "html" in mime or "xml" in mime:
        return "html"
    if "markdown" in mime:
        return "markdown"
    return "text"


_TAG = re.compile(r"<[^<>]*>")


def clean_title(title: str) -> str:
    """A headline as plain text: tags dropped, entities decoded, whitespace collapsed."""
    import html

    return " ".join(html.unescape(_TAG.sub("", title or "")).split())


def _html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def _iso(parsed_time) -> str | None:
    if not parsed_time:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed_time), tz=timezone.utc).isoformat().replace("+00:00", "Z")
    except (OverflowError, ValueError, TypeError, OSError):
        return None


_LANG_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


def normalise_lang(value) -> str | None:
    """``en-US`` → ``en``, ``spa`` → ``es`` (the code the rules and engines use:
    :func:`mtcheck.translate.langcodes.normalize`); anything that is not a language tag → None."""
    if not value or not isinstance(value, str):
        return None
    m = _LANG_CODE.match(value.strip())
    return normalize_lang(m.group(1)) if m else None


# -- JSON Feed -----------------------------------------------------------------------------------

_JSONFEED_VERSION = re.compile(r"^https?://jsonfeed\.org/version/1(\.1)?/?$")


def parse_json_feed(data: bytes, source: str) -> ParsedFeed:
    """Parse JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise InputError(f"{source}: JSON Feed is not UTF-8: {e.reason} at byte {e.start}") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{source}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise InputError(f"{source}: invalid JSON: nested too deeply") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise InputError(f"{source}: not a JSON Feed (no \"items\" list)")
    feed = ParsedFeed(source=source)
    version = str(doc.get("version", ""))
    m = _JSONFEED_VERSION.match(version)
    feed.kind = ("json11" if m.group(1) else "json1") if m else "json"
    if not m:
        feed.warnings.append(f"unknown JSON Feed version {version!r}; read as JSON Feed 1.1")
    feed.title = clean_title(_str(doc.get("title"))) or None
    feed.language = normalise_lang(doc.get("language"))
    for n, raw in enumerate(doc["items"], 1):
        if not isinstance(raw, dict):
            feed.warnings.append(f"item {n} is not an object; skipped")
            continue
        html_body, text_body = _str(raw.get("content_html")), _str(raw.get("content_text"))
        content, fmt = (html_body, "html") if html_body.strip() else (text_body, "text")
        if not content.strip() and _str(raw.get("summary")).strip():
            content, fmt = _str(raw.get("summary")), "text"
        link = _str(raw.get("url")) or _str(raw.get("external_url")) or None
        guid = _str(raw.get("id")).strip() or link or ""
        item = FeedItem(
            guid=guid,
            title=clean_title(_str(raw.get("title"))),
            link=link,
            published=iso_from_rfc3339(_str(raw.get("date_published")) or _str(raw.get("date_modified"))),
            language=normalise_lang(raw.get("language")) or feed.language,
            content=content,
            fmt=fmt,
        )
        if not guid:
            item.guid = "sha256:" + item.content_hash()[:16]
            item.warnings.append(f"item {n} has no id or url; identified by its content hash")
        feed.items.append(item)
    return feed


def _str(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value) if isinstance(value, (int, float)) else ""


def iso_from_rfc3339(value: str) -> str | None:
    """``2025-09-01T10:00:00+02:00`` → ``2025-09-01T08:00:00Z``; None when absent or unparsable."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


# -- common checks -------------------------------------------------------------------------------


def finish_feed(feed: ParsedFeed, max_items: int) -> None:
    """Duplicate guids, missing dates and the item cap: warnings, never failures."""
    feed.total_items = len(feed.items)
    if len(feed.items) > max_items:
        feed.warnings.append(f"the feed has {len(feed.items):,} items; only the first {max_items:,} are audited")
        del feed.items[max_items:]
    seen: dict[str, str] = {}
    kept: list[FeedItem] = []
    for n, item in enumerate(feed.items, 1):
        digest = item.content_hash()
        if item.guid in seen:
            if seen[item.guid] == digest:
                feed.warnings.append(f"item {n} repeats guid {item.guid!r} with the same content; skipped")
                continue
            k = 2
            while f"{item.guid}#{k}" in seen:
                k += 1
            feed.warnings.append(
                f"item {n} repeats guid {item.guid!r} with different content; audited as {item.guid}#{k}"
            )
            item.guid = f"{item.guid}#{k}"
        seen[item.guid] = digest
        kept.append(item)
    feed.items = kept
    undated = sum(1 for i in feed.items if not i.published)
    if undated:
        feed.warnings.append(f"{undated} item{'s have' if undated != 1 else ' has'} no date")
    for item in feed.items:
        feed.warnings.extend(item.warnings)
